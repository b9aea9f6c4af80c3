"""A seeded library of team-style documents, for the knowledge-base benchmark at scale.

``generate_library(folder, passages, seed)`` writes Markdown files (memos, agency summaries, survey
write-ups, campaign reports: front matter, a title, sections and paragraphs, some bullet lists) until
the documents hold exactly ``passages`` passages as the splitter cuts them (every file is read and split
as ingestion would, so the count is verified, not estimated).

What the text is made of:

* template sentences, one sentence each, whose slots are filled from word lists of channels, metrics,
  audiences, regions, agencies, people, quarters and numbers, often with a trailing clause, so
  sentences run from a few words to forty (about 18 on average, like business writing);
* sentences of the bundled essays (``corpus/essays``, and any other folders given), verbatim or
  introduced as a quotation, so the essays' language and claims run through the team's documents;
* a few invented product names (``RARE_WORDS``), each in only a handful of passages whatever the size,
  so a lexical lookup can be checked.

Document ``i`` is drawn from its own generator seeded by (seed, i), so a smaller library is the
larger one's prefix (but for its last document, trimmed to hit the count exactly).
``questions(library.rare_words, n, seed)`` gives varied questions about the library: claims the essays argue,
questions about the team's channels and metrics, and lookups of the rare names.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..knowledge.passages import sentences, split
from ..knowledge.reading import read_document

# -- word lists ---------------------------------------------------------------------------------

CHANNELS = (
    "paid social", "paid search", "display", "connected TV", "linear TV", "radio", "podcast ads",
    "out-of-home", "email", "affiliate", "influencer marketing", "retail media", "organic search",
    "programmatic video", "print", "direct mail", "YouTube pre-roll", "LinkedIn sponsored content",
    "TikTok in-feed ads", "Instagram Stories", "the loyalty app", "SMS", "sponsorships", "webinars",
)
METRICS = (
    "cost per acquisition", "CPM", "click-through rate", "ROAS", "conversion rate", "cost per lead",
    "brand lift", "aided awareness", "unaided recall", "NPS", "churn", "retention rate", "average order value",
    "customer acquisition cost", "lifetime value", "share of voice", "engagement rate", "view-through rate",
    "frequency", "reach", "repeat purchase rate", "consideration", "purchase intent", "incremental revenue",
    "cost per completed view", "lead-to-opportunity rate", "basket size", "store visits", "sign-up rate",
)
AUDIENCES = (
    "lapsed customers", "first-time buyers", "Gen Z shoppers", "small business owners", "IT decision makers",
    "parents of young children", "loyalty members", "urban commuters", "students", "retirees",
    "high-value subscribers", "trial users", "procurement teams", "new movers", "outdoor enthusiasts",
    "price-sensitive shoppers", "repeat buyers", "enterprise accounts", "mid-market prospects", "gift buyers",
)
REGIONS = (
    "EMEA", "DACH", "the Nordics", "the US Northeast", "the US West Coast", "APAC", "LATAM", "the UK and Ireland",
    "Benelux", "France", "Iberia", "Canada", "Australia", "the Midwest", "Japan", "Poland", "Italy", "Texas",
)
AGENCIES = (
    "Harbor & Finch", "Northlight Media", "Bluepeak Partners", "Saltmarsh Digital", "Copperline", "Tallgrass Agency",
    "Meridian Works", "Foxglove Media", "Ironbridge Analytics", "Lantern Research", "Pinecrest Group",
)
PEOPLE = (
    "Amara Osei", "Ben Castillo", "Chloe Brandt", "Dev Patel", "Elena Rossi", "Farid Haddad", "Grace Lin",
    "Hugo Martens", "Ines Duarte", "Jonas Weber", "Kemi Adeyemi", "Liam O'Connor", "Maya Cohen", "Noah Fischer",
    "Olivia Grant", "Priya Nair", "Quentin Moreau", "Rosa Jimenez", "Sam Whitaker", "Tomas Novak",
)
TEAMS = ("brand", "performance", "CRM", "insights", "social", "growth", "ecommerce", "partnerships", "product marketing")
PRODUCTS = (
    "the Essentials range", "the Pro plan", "the starter bundle", "the spring collection", "the family plan",
    "the refill subscription", "the mobile app", "the premium tier", "the travel line", "the new checkout",
    "the annual membership", "the gift cards", "the kids range", "the home delivery service",
)
CAMPAIGNS = (
    "Summer Reset", "Back to Basics", "Bring a Friend", "Winter Warmers", "Made to Last", "Always On",
    "New Year Refresh", "Open Doors", "Small Wins", "Big Weekend", "Home Again", "Fresh Start",
)
SURVEYS = ("brand tracker", "customer satisfaction", "post-purchase", "churn exit", "panel", "loyalty", "message test")
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
YEARS = ("2022", "2023", "2024", "2025")
UP = ("rose", "improved", "climbed", "grew", "went up", "picked up", "increased")
DOWN = ("fell", "softened", "dropped", "slipped", "declined", "went down", "eased")
CHANGE = UP + DOWN
# Invented names, each a single token the lexical index keeps whole: a lookup of one must find it.
RARE_WORDS = ("Zentrilux", "Quorvane", "Vymbrel", "Okapexa", "Thandrix", "Plovissa", "Krenlow", "Dravomint",
              "Yusselt", "Ombrafy")
RARE_DOCS_EACH = 3  # documents naming each rare word: the first len(RARE_WORDS) * this documents

# -- sentences ------------------------------------------------------------------------------------

RESULTS = (
    "{channel} {change} to {pct} {metric} in {quarter}, against a plan of {pct2}.",
    "The {metric} for {channel} in {region} {change} by {pct} compared with the same period last year.",
    "Among {audience}, {channel} delivered a {metric} of {pct}.",
    "We spent {money} on {channel} in {month} and saw {metric} move from {pct} to {pct2}.",
    "{metric} {change} for {audience} once {channel} went live in {region}.",
    "Spend on {channel} {change} by {pct} while {metric} stayed within a point of the benchmark.",
    "The {campaign} flight reached {count} {audience} at a frequency of {freq}.",
    "{channel} drove {count} sign-ups at {money2} each, the lowest cost per lead of any channel this quarter.",
    "Incremental revenue attributed to {channel} came to {money}, or {pct} of the total.",
    "In {region}, {metric} for {product} {change} by {pct} after the price change.",
    "The holdout test put the lift from {channel} at {pct}, with a wide interval.",
    "{metric} in {region} was {pct}, which is {pct2} below the global average.",
    "Week on week, {channel} {change} for {weeks} weeks before levelling off.",
    "The best-performing creative on {channel} was the {creative} version, at {pct} {metric}.",
    "Returning visitors from {channel} converted at {pct}, roughly twice the rate of new visitors.",
    "Our {metric} among {audience} is now {pct}, the highest since {year}.",
    "{agency} reported a {metric} of {pct} for {channel}, though their attribution window is {days} days.",
    "Across {count} orders, {product} accounted for {pct} of revenue from {audience}.",
    "The {campaign} campaign cost {money} and generated {count} qualified leads.",
    "Branded search volume {change} by {pct} in the weeks the {channel} flight was on air.",
)
CONTEXT = (
    "This memo summarises what we learned from {channel} in {region} over {quarter}.",
    "The {team} team asked for a view on whether {channel} should keep its share of the budget.",
    "We ran the test for {weeks} weeks across {stores} stores and {region2} as the control.",
    "Budgets were set in {month} before the {campaign} brief was final.",
    "{agency} has managed {channel} for us since {year}.",
    "The goal for {quarter} was to grow {metric} among {audience} without raising {metric2}.",
    "Last year the same campaign ran only on {channel} and {channel2}.",
    "Most of the spend went to {channel}, with {channel2} as a smaller test.",
    "Our category is crowded, and {audience} compare at least three brands before they buy.",
    "The finance team wants a clearer link between {channel} spend and {metric}.",
    "Seasonality matters here: {month} is usually our strongest month in {region}.",
    "{person} owns the {channel} budget and signed off the plan in {month}.",
    "The brief was to reach {audience} in {region} with a message about {product}.",
    "We changed the attribution model in {quarter}, so the figures before and after are not comparable.",
)
RECOMMEND = (
    "We recommend moving {pct} of the {channel} budget to {channel2} for {quarter}.",
    "Keep {channel} running at the current level until the {metric} data for {quarter} is in.",
    "{agency} suggests testing {channel} with {audience} in {region} before scaling it.",
    "The next step is a geo holdout in {region} to measure what {channel} adds on its own.",
    "We should stop reporting {metric} as a headline figure and use {metric2} instead.",
    "Before the next review, {person} will share a cleaner cut of {metric} by {audience}.",
    "We propose a {weeks}-week test of {channel} with a budget of {money}.",
    "Pause the {creative} creative on {channel}; it costs more and converts less.",
    "Ask {agency} to report {metric} on a {days}-day window so it matches our own numbers.",
    "Shift the {campaign} message toward {product} for {audience}, where intent is highest.",
)
METHOD = (
    "The survey went to {count} {audience} in {region} between {month} and {month2}.",
    "Respondents were recruited from our {survey} panel and weighted to the customer base.",
    "The margin of error at this sample size is about {small_pct} either way.",
    "We asked respondents to rate {product} on a scale of one to ten.",
    "Open answers were coded by two people, who agreed on {pct} of them.",
    "The control group saw no {channel} advertising for the length of the test.",
    "Results are shown for the {count} respondents who had bought in the last {days} days.",
    "The {survey} survey has run every quarter since {year}, with the same core questions.",
)
SURVEY = (
    "{pct} of {audience} said they had heard of {product}, up from {pct2} a year ago.",
    "Asked why they chose us, most {audience} named price before anything else.",
    "Only {pct} of respondents could recall an ad from {channel} without a prompt.",
    "{pct} said a recommendation from a friend mattered more than anything a brand said.",
    "Satisfaction with delivery was {pct}, while satisfaction with support was {pct2}.",
    "{audience} were the most likely to say they would buy again, at {pct}.",
    "Fewer than one in five respondents wanted to hear from brands on social media.",
    "{pct} of {audience} read reviews before buying, and {pct2} trusted them more than ads.",
    "When asked what would make them switch, {audience} named price, then convenience.",
    "Net promoter score among {audience} was {nps}, against {nps2} for the whole sample.",
)
CAVEAT = (
    "The sample is small, so treat the {region} figures as directional.",
    "Part of the lift may come from the price promotion that ran in the same weeks.",
    "{channel} results depend heavily on the attribution window we choose.",
    "We could not separate the effect of {channel} from {channel2}, which ran at the same time.",
    "These are last-click numbers and almost certainly understate upper-funnel channels.",
    "The tracking gap in {month} means {pct} of conversions have no source.",
    "Seasonality makes the {quarter} comparison harder than it looks.",
    "Results were mixed.",
    "This held across regions.",
    "It is too early to call.",
)
QUOTES = (
    "As one of the essays puts it: {essay}",
    "{person} circulated this line from the essays: {essay}",
    "A point from the reading list is worth repeating here: {essay}",
    "{agency} quoted the essays in their deck: {essay}",
)
TAILS = (
    ", which is in line with the {quarter} forecast", ", although the sample was small",
    ", up from {pct} in the previous quarter", ", mostly among {audience}", ", according to {agency}",
    ", with most of the change in {region}", ", which the {team} team had expected",
    ", after we fixed the tracking issue in {month}", ", even though spend was flat",
    ", a result we have not seen since {year}",
)
BULLETS = (
    "Confirm the {channel} budget for {quarter} with {person}.",
    "Share the {metric} dashboard with {agency}.",
    "Set up the {region} holdout before {month}.",
    "Refresh the {creative} creative for {audience}.",
    "Agree one definition of {metric} across teams.",
    "Report {metric} by {audience} in the monthly pack.",
)
RARE = (
    "The {rare} pilot in {region} lifted {metric} by {pct} among {audience}.",
    "{rare} is the working name for {product} aimed at {audience}.",
    "{person} will present the {rare} results at the {quarter} review.",
    "Early {rare} numbers show {metric} {change} by {pct} on {channel}.",
)
CREATIVES = ("testimonial", "product demo", "founder story", "price-led", "user-generated", "animated", "how-to")

SECTIONS: dict[str, list[tuple[str, dict[tuple[str, ...], float]]]] = {
    "memo": [
        ("Summary", {RESULTS: 2, CONTEXT: 1}), ("Background", {CONTEXT: 3, QUOTES: .4}),
        ("What we found", {RESULTS: 3, CAVEAT: 1, QUOTES: .5}), ("Recommendation", {RECOMMEND: 3, CAVEAT: .5}),
        ("Next steps", {BULLETS: 1}),
    ],
    "agency summary": [
        ("Overview", {CONTEXT: 2, RESULTS: 1}), ("Performance by channel", {RESULTS: 4, CAVEAT: 1}),
        ("Audience notes", {RESULTS: 2, SURVEY: 1, QUOTES: .4}), ("Agency recommendations", {RECOMMEND: 3}),
        ("Open questions", {CAVEAT: 2, CONTEXT: 1}),
    ],
    "survey write-up": [
        ("Method", {METHOD: 3}), ("Headline results", {SURVEY: 3, RESULTS: .5}),
        ("Segments", {SURVEY: 2, RESULTS: 1}), ("What respondents said", {SURVEY: 2, QUOTES: 1}),
        ("Implications", {RECOMMEND: 2, CAVEAT: 1, QUOTES: .4}),
    ],
    "campaign report": [
        ("Objectives", {CONTEXT: 3}), ("Results", {RESULTS: 4, CAVEAT: .5}),
        ("Creative and messaging", {RESULTS: 2, CONTEXT: 1, QUOTES: .4}), ("Learnings", {CAVEAT: 1, RESULTS: 1, QUOTES: .6}),
        ("Budget", {RESULTS: 2, RECOMMEND: 1}), ("Next steps", {BULLETS: 1}),
    ],
}
TITLES = {
    "memo": ("Memo: {channel} in {region}, {quarter} {year}", "Memo on {metric} for {audience}",
             "{team} team memo: {product} in {quarter}"),
    "agency summary": ("{agency} summary: {channel}, {quarter} {year}", "{agency} monthly report, {month} {year}",
                       "{agency} recap for {region}"),
    "survey write-up": ("{survey} survey write-up, {month} {year}", "What {audience} told us: {survey} survey",
                        "{survey} survey: {region} results"),
    "campaign report": ("{campaign} campaign report, {region}", "{campaign}: results for {quarter} {year}",
                        "{campaign} on {channel}: final report"),
}
LISTS = {
    "channel": CHANNELS, "metric": METRICS, "audience": AUDIENCES, "region": REGIONS, "agency": AGENCIES,
    "person": PEOPLE, "team": TEAMS, "product": PRODUCTS, "campaign": CAMPAIGNS, "survey": SURVEYS,
    "quarter": QUARTERS, "month": MONTHS, "year": YEARS, "creative": CREATIVES, "change": CHANGE,
}
FRESH = frozenset({"change", "creative"})  # drawn again in every sentence, like the numbers
SENTENCE_END = re.compile(r"[.!?][\"”’)]*$")


class _Slots(dict):
    """Fills a template's named slots on demand: ``{channel}``, ``{channel2}`` (another channel), numbers.

    Names (channel, region, audience, ...) are kept, so one paragraph talks about one thing throughout;
    numbers and verbs are drawn afresh each time."""

    def __init__(self, rng: random.Random, fixed: dict[str, str]) -> None:
        super().__init__(fixed)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        r = self.rng
        base = key.rstrip("0123456789")
        if base in LISTS:
            taken = {v for k, v in self.items() if k.rstrip("0123456789") == base}
            options = [v for v in LISTS[base] if v not in taken] or list(LISTS[base])
            value = r.choice(options)
            if base in FRESH:
                return value
        elif base == "pct":
            value = f"{r.uniform(0.3, 68):.1f}%" if r.random() < .7 else f"{r.randint(2, 90)}%"
        elif base == "small_pct":
            value = f"{r.uniform(1.5, 6):.1f} points"
        elif base == "money":
            value = r.choice((f"${r.uniform(0.2, 9.5):.1f}M", f"€{r.randint(20, 950)}k", f"£{r.randint(15, 700)}k",
                              f"${r.randint(3, 99)}.{r.randint(10, 99)}"))
        elif base == "count":
            value = f"{r.choice((r.randint(120, 990), r.randint(1000, 99000), r.randint(100, 999) * 1000)):,}"
        elif base == "freq":
            value = f"{r.uniform(1.2, 7.5):.1f}"
        elif base == "stores":
            value = str(r.randint(12, 400))
        elif base == "weeks":
            value = str(r.randint(2, 16))
        elif base == "days":
            value = str(r.choice((1, 7, 14, 28, 30, 90)))
        elif base == "nps":
            value = str(r.randint(-20, 70))
        else:
            raise KeyError(key)
        return value


@dataclass
class Library:
    """What ``generate_library`` wrote."""

    folder: Path
    paths: list[Path]
    passages: int  # as the splitter cuts the files: exactly the target
    texts: list[str]  # every passage's text, in order (duplicates kept)
    rare_words: dict[str, int]  # rare word -> passages naming it
    kinds: dict[str, int] = field(default_factory=dict)  # documents per kind
    sentence_words: float = 0.0  # mean words per sentence
    passage_chars: float = 0.0  # mean characters per passage


def essay_sentences(folders: Iterable[Path]) -> list[str]:
    """Whole sentences of the essays (.md and .txt files in the folders), as quotable single sentences."""
    out: list[str] = []
    for folder in folders:
        for path in sorted(p for p in Path(folder).glob("*") if p.suffix in (".md", ".txt")):
            source = read_document(path)
            for section in source.sections:
                for a, b in sentences(source.text, section.start, section.end):
                    s = " ".join(source.text[a:b].split())
                    if 40 <= len(s) <= 260 and s[0].isupper() and SENTENCE_END.search(s):
                        out.append(s)
    return list(dict.fromkeys(out))


def _sentence(rng: random.Random, pool: tuple[str, ...], slots: _Slots, essays: list[str],
              used: set[str] | None = None) -> str:
    """One sentence from a pool of templates, not one already ``used`` in the paragraph if there is another."""
    template = rng.choice([t for t in pool if t not in used] or pool) if used is not None else rng.choice(pool)
    if used is not None:
        used.add(template)
    if "{essay}" in template:
        return template.replace("{essay}", "\x00").format_map(slots).replace("\x00", rng.choice(essays))
    text = template.format_map(slots)
    if pool not in (BULLETS, CAVEAT) and rng.random() < .3:
        text = text[:-1] + rng.choice(TAILS).format_map(slots) + "."
    return text[0].upper() + text[1:]


def _paragraphs(rng: random.Random, weights: dict[tuple[str, ...], float], essays: list[str],
                fixed: dict[str, str]) -> list[str]:
    """One section's paragraphs: a bullet list, or prose of one to six sentences each."""
    if list(weights) == [BULLETS]:
        return ["\n".join(f"- {_sentence(rng, BULLETS, _Slots(rng, fixed), essays)}" for _ in range(rng.randint(2, 5)))]
    pools = [p for p in weights if essays or p is not QUOTES]
    out = []
    for _ in range(rng.choices((1, 2, 3, 4), (3, 4, 2, 1))[0]):
        slots = _Slots(rng, fixed)  # one paragraph keeps its channel, region, ... throughout
        n = rng.choices((1, 2, 3, 4, 5, 6), (2, 4, 4, 3, 2, 1))[0]
        used: set[str] = set()
        said = [_sentence(rng, rng.choices(pools, [weights[p] for p in pools])[0], slots, essays, used)
                for _ in range(n)]
        if essays and rng.random() < .12:  # now and then an essay's sentence stands in the team's own prose
            said.insert(rng.randrange(len(said) + 1), rng.choice(essays))
        out.append(" ".join(said))
    return out


def _document(seed: int, index: int, essays: list[str]) -> tuple[str, str, str, list[tuple[str, list[str]]]]:
    """(kind, file stem, front matter and title, [(heading, paragraphs)]) of document ``index``."""
    rng = random.Random(seed * 1_000_003 + index)
    kind = rng.choice(list(SECTIONS))
    fixed = {"quarter": rng.choice(QUARTERS), "year": rng.choice(YEARS)}
    title = rng.choice(TITLES[kind]).format_map(_Slots(rng, dict(fixed)))
    title = title[0].upper() + title[1:]
    sections = [(h, _paragraphs(rng, w, essays, fixed)) for h, w in SECTIONS[kind] if rng.random() < .85]
    if index < len(RARE_WORDS) * RARE_DOCS_EACH:  # the first documents each name one rare word, once
        if not sections:
            sections.append(("Notes", []))
        paragraphs = sections[rng.randrange(len(sections))][1]
        sentence = _sentence(rng, RARE, _Slots(rng, {**fixed, "rare": RARE_WORDS[index % len(RARE_WORDS)]}), essays)
        paragraphs.append(sentence)
    author = rng.choice(PEOPLE)
    head = (f"---\ntitle: \"{title}\"\nauthor: {author}\nkind: document\ndate: {fixed['year']}-"
            f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n---\n\n# {title}\n\n")
    stem = f"{index:06d}-{kind.replace(' ', '-')}"
    return kind, stem, head, sections


def _render(head: str, sections: list[tuple[str, list[str]]]) -> str:
    return head + "".join(f"## {h}\n\n" + "".join(f"{p}\n\n" for p in ps) for h, ps in sections if ps)


def _passages(path: Path, text: str) -> list[str]:
    path.write_text(text, encoding="utf-8")
    return [p.text for p in split(read_document(path))]


def generate_library(folder: str | Path, passages: int, seed: int = 0,
                     essays: Iterable[str | Path] = ()) -> Library:
    """Write documents into ``folder`` until they hold exactly ``passages`` passages."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    quoted = essay_sentences(map(Path, essays))
    paths: list[Path] = []
    texts: list[str] = []
    kinds: dict[str, int] = {}
    index = 0
    while len(texts) < passages:
        kind, stem, head, sections = _document(seed, index, quoted)
        path = folder / f"{stem}.md"
        found = _passages(path, _render(head, sections))
        left = passages - len(texts)
        if len(found) > left:  # the last document: drop paragraphs, then pad with one-passage ones
            rng = random.Random(seed * 1_000_003 + index + 1)
            while len(found) > left:
                last = max(i for i, (_, ps) in enumerate(sections) if ps)
                sections[last][1].pop()
                found = _passages(path, _render(head, sections))
            if not any(ps for _, ps in sections):
                sections = [("Notes", [])]
            while len(found) < left:
                sections[-1][1].append(_sentence(rng, RESULTS, _Slots(rng, {}), quoted))
                found = _passages(path, _render(head, sections))
        if found:
            paths.append(path)
            texts += found
            kinds[kind] = kinds.get(kind, 0) + 1
        else:
            path.unlink()
        index += 1
    words = [len(t[a:b].split()) for t in texts for a, b in sentences(t, 0, len(t))]
    return Library(folder=folder, paths=paths, passages=len(texts), texts=texts,
                   rare_words={w: sum(w in t for t in texts) for w in RARE_WORDS if any(w in t for t in texts)},
                   kinds=kinds, sentence_words=sum(words) / max(1, len(words)),
                   passage_chars=sum(map(len, texts)) / max(1, len(texts)))


# -- questions ------------------------------------------------------------------------------------

CLAIM_QUESTIONS = (
    "Does engagement build relationships with customers?", "Where does trust come from?",
    "Is there such a thing as a social customer?", "What are the stages of the customer journey?",
    "Does social media drive B2B sales?", "Do customers stay interested after they buy?",
    "Is conversation needed for a relationship?", "What did Gartner find about loyalty?",
    "Are purchase decisions emotional?", "Should brands start conversations on social media?",
    "Do customers want personal relationships with brands?", "Does word of mouth matter more than brand talk?",
    "Is price more important than brand conversation?", "Has social media made advertising unnecessary?",
    "Does listening to customers matter more than talking at them?", "Do reviews drive purchase decisions?",
)
TEAM_QUESTIONS = (
    "What was the {metric} for {channel} in {region}?", "How did {channel} perform with {audience}?",
    "What did {agency} recommend for {channel}?", "Did the {campaign} campaign raise {metric}?",
    "Should we move budget from {channel} to {channel2}?", "What did the {survey} survey say about {audience}?",
    "Does {channel} build loyalty among {audience}?", "Is {channel} worth the spend in {region}?",
    "What happened to {metric} in {quarter}?", "How much did we spend on {channel} in {month}?",
)
RARE_QUESTIONS = ("What did the {rare} pilot show?", "How is {rare} doing with {audience}?", "{rare} results")
SHORT_QUERIES = ("{metric} {region}", "{channel} {metric}", "{agency} recommendations", "{campaign} budget")


def questions(rare_words: Iterable[str], n: int = 50, seed: int = 0) -> list[tuple[str, str | None]]:
    """``n`` varied questions as (question, the rare word it looks up or None), the same for the same seed:
    about a third on the essays' claims, a fifth naming one of ``rare_words`` (a library's ``rare_words``),
    a tenth bare keywords, the rest about the team's documents."""
    rng = random.Random(seed)
    rare = sorted(rare_words)
    n_rare = min(n // 5, 2 * len(rare)) if rare else 0
    n_claim = n // 3
    n_short = n // 10
    out: list[tuple[str, str | None]] = [(q, None) for q in rng.sample(CLAIM_QUESTIONS, min(n_claim, len(CLAIM_QUESTIONS)))]
    for i in range(n_rare):
        word = rare[i % len(rare)]
        out.append((rng.choice(RARE_QUESTIONS).format_map(_Slots(rng, {"rare": word})), word))
    for template in rng.choices(SHORT_QUERIES, k=n_short):
        out.append((template.format_map(_Slots(rng, {})), None))
    while len(out) < n:
        q = rng.choice(TEAM_QUESTIONS).format_map(_Slots(rng, {}))
        out.append((q[0].upper() + q[1:], None))
    rng.shuffle(out)
    return out[:n]
