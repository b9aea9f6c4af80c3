"""Named data for reading metrics exports and turning them into findings.

Everything a reviewer might want to tune lives here as plain constants:
which header words mean which role, how cells are parsed, the statistical
thresholds and the kinds of finding. Headers are
compared after ``norm`` (lower case, punctuation to spaces), so the phrases
below are written that way.
"""
from __future__ import annotations

import math
import re

# --- reading files -----------------------------------------------------------------

# File suffixes read_table accepts (".csv"/".txt" are sniffed for their delimiter).
SUPPORTED_SUFFIXES: tuple[str, ...] = (".csv", ".tsv", ".txt", ".xlsx")
# Delimiters the sniffer tries, in order of preference on a tie.
DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
# Text encodings tried in turn when a file has no byte-order mark.
ENCODINGS: tuple[str, ...] = ("utf-8", "cp1252", "latin-1")
# Share of rows that may be bad before the whole file is rejected.
MAX_BAD_ROW_SHARE: float = 0.5
# Share of a column's cells that must read as dates for an unnamed column to be the date.
DATE_GUESS_SHARE: float = 0.9

# --- column roles --------------------------------------------------------------------

# Every role a column can play; "ignore" is only for --map overrides.
ROLES: tuple[str, ...] = (
    "date", "channel", "region", "campaign", "dimension", "spend", "orders", "conversions", "engagements",
    "revenue", "impressions", "clicks", "leads", "referrals", "repeat_purchases", "nps", "control", "ignore",
)
# Roles holding numbers a finding is computed from (controls are numbers too, but never an outcome).
METRIC_ROLES: tuple[str, ...] = ("spend", "orders", "conversions", "engagements", "revenue", "impressions",
                                 "clicks", "leads", "referrals", "repeat_purchases", "nps")
# Roles that group rows of an export without dates (ad-level, post-level): one finding table per dimension.
DIMENSION_ROLES: tuple[str, ...] = ("channel", "campaign", "dimension", "region")
# Roles a --map may name with a channel ("facebook_S=spend:facebook").
CHANNEL_ROLES: frozenset[str] = frozenset(METRIC_ROLES)

# Header phrases per role, after norm(); the longest matching phrase wins.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("date", "day", "week", "month", "period", "week starting", "week start", "week beginning",
             "week commencing", "week of", "week ending", "month start", "month of", "report date",
             "reporting period", "start date", "time period", "year month", "iso week", "day of"),
    "channel": ("channel", "source", "medium", "platform", "campaign type", "channel group",
                "default channel group", "marketing channel", "traffic source", "source medium",
                "utm source", "utm medium", "network", "media type", "channel name"),
    "spend": ("spend", "spends", "cost", "costs", "budget", "ad spend", "amount spent", "media spend", "spent",
              "ad cost", "media cost", "investment"),
    "orders": ("orders", "order", "purchases", "purchase", "transactions", "sales", "order count",
               "checkouts", "units sold", "website purchases"),
    "conversions": ("conversions", "conversion", "total conversion", "approved conversion", "results",
                    "total conversions", "approved conversions", "conversion count"),
    "engagements": ("engagements", "engagement", "interactions", "total engagements", "post engagements"),
    "revenue": ("revenue", "sales value", "income", "gmv", "turnover", "sales revenue", "order value",
                "net sales", "gross sales", "takings"),
    "impressions": ("impressions", "impression", "impr", "reach", "views", "video views", "lifetime post total reach",
                    "post total reach", "total reach"),
    "clicks": ("clicks", "click", "visits", "sessions", "traffic", "link clicks", "website visits", "site visits"),
    "leads": ("leads", "lead", "sign ups", "signups", "mqls", "sqls", "enquiries", "inquiries", "form fills"),
    "referrals": ("referrals", "referral", "referred customers", "referral orders", "referred orders"),
    "repeat_purchases": ("repeat purchases", "returning customers", "repeat orders", "repeat customers",
                         "repeat sales", "repeat buyers"),
    "nps": ("nps", "net promoter score", "net promoter"),
    "region": ("region", "geo", "dma", "state", "country", "territory", "market", "geography", "area", "city"),
    "campaign": ("campaign", "campaign name", "campaign id name", "xyz campaign id"),
    "dimension": ("ad set", "adset", "ad group", "adgroup", "audience", "post type", "type", "paid organic",
                  "paid or organic", "paid", "age", "gender", "interest", "placement", "category", "creative",
                  "format", "objective", "device"),
}
# Header words that make a column a control (a context the outcome also depends on), never an outcome
# or a channel's metric: competitor activity, prices, sentiment, calendar events.
CONTROL_WORDS: frozenset[str] = frozenset({
    "competitor", "competitors", "competition", "sentiment", "price", "prices", "pricing", "holiday",
    "holidays", "event", "events", "promo", "promotion", "promotions", "control", "temperature", "weather",
    "gdp", "unemployment", "covid", "seasonality", "population", "discount", "macro", "inflation",
})
# Header words that mark an identifier: such a column is never a date, a metric or a control.
ID_WORDS: frozenset[str] = frozenset({"id", "ids", "uuid", "key", "index", "idx", "unnamed", "row", "sol"})
# The open-source MMM demos' suffixes (Robyn: tv_S, facebook_I, search_clicks_P, competitor_sales_B):
# S is spend and I impressions; the others mark an activity metric or a context, read by the word before.
MMM_SUFFIX_ROLES: dict[str, str | None] = {"S": "spend", "I": "impressions", "P": None, "O": None, "B": "control"}
# Parts of engagement that are summed into "engagements" when no such column exists.
ENGAGEMENT_PARTS: tuple[str, ...] = ("likes", "comments", "shares", "reactions", "saves", "retweets",
                                     "reposts", "replies", "like", "comment", "share", "reaction", "save",
                                     "retweet", "repost", "reply")
# Header phrase that is ambiguous between a count (orders) and money (revenue).
AMBIGUOUS_SALES: str = "sales"
# Header words ignored when looking for a channel name inside a wide header.
NOISE_WORDS: frozenset[str] = frozenset({
    "total", "count", "number", "no", "num", "of", "the", "sum", "usd", "eur", "gbp", "jpy", "in",
    "all", "daily", "weekly", "monthly", "dollars", "euros", "pounds", "k", "eur", "amount",
    "lifetime", "post", "page", "organic", "unique",
})
# More words than this left beside a metric name are a variant of the metric, not a channel's name.
MAX_CHANNEL_WORDS: int = 2
# Header words that mark a ratio or average, never a count: such columns are left unrecognised.
RATIO_WORDS: frozenset[str] = frozenset({
    "rate", "ratio", "ctr", "cpc", "cpm", "cpa", "cpl", "cpo", "roas", "roi", "per", "avg", "average",
    "pct", "percent", "percentage", "share", "margin", "aov", "frequency", "mean",
})
# Channel labels that mean "every channel together".
TOTAL_CHANNELS: frozenset[str] = frozenset({"all", "total", "overall", "all channels", "grand total"})
# Channel label written in the tidy frame when a file has no channel dimension.
ALL_CHANNELS: str = "all"
# Short channel names expanded to the usual name.
CHANNEL_ALIASES: dict[str, str] = {
    "fb": "facebook", "ig": "instagram", "insta": "instagram", "li": "linkedin", "yt": "youtube",
    "tw": "twitter", "ppc": "search", "sem": "search", "paid search": "search",
}
# Words that make a channel a social channel (checked against the label's words).
SOCIAL_WORDS: frozenset[str] = frozenset({
    "social", "facebook", "instagram", "tiktok", "linkedin", "twitter", "x", "youtube", "pinterest",
    "snapchat", "meta", "threads", "reddit",
})

# --- cells ---------------------------------------------------------------------------

# Cell texts read as "no value" rather than as an error (compared lower-cased, stripped).
MISSING_TOKENS: frozenset[str] = frozenset({"", "n/a", "na", "-", "--", "\u2013", "\u2014", "null", "none",
                                            "nan", "#n/a", "(blank)", "nil", "."})
# Currency symbols stripped from numbers; their presence also marks a column as money.
CURRENCY_SYMBOLS: str = "$€£¥"
# Currency codes stripped from numbers.
CURRENCY_CODES: tuple[str, ...] = ("USD", "EUR", "GBP", "JPY")
# Characters used as thousands separators besides "," and ".".
SPACE_SEPARATORS: str = " \u00a0\u202f'"
# Excel day serials inside this range are read as dates (1954-10-... to 2119-...).
EXCEL_SERIAL_RANGE: tuple[int, int] = (20000, 80000)
# Date formats tried in turn; each must read a column's values for it to be chosen.
DATE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y", "%m-%d-%Y", "%d/%m/%y", "%m/%d/%y",
    "%b %Y", "%B %Y", "%b-%Y", "%b-%y", "%Y-%m", "%m/%Y", "%Y/%m",
    "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y",
    "ISO8601",  # pandas' catch-all for ISO timestamps such as 2024-01-01T00:00:00Z
)
# Day-first formats and their month-first twins: which one fits every row decides.
DAY_MONTH_TWINS: dict[str, str] = {"%d/%m/%Y": "%m/%d/%Y", "%d-%m-%Y": "%m-%d-%Y", "%d/%m/%y": "%m/%d/%y"}
# ISO week notation such as 2024-W05 or 2024W05 (read as the Monday of that week).
ISO_WEEK: re.Pattern[str] = re.compile(r"^(\d{4})-?W(\d{1,2})(?:-?(\d))?$", re.I)

# --- periods -------------------------------------------------------------------------

# Largest median gap in days that still counts as daily / weekly data; above is monthly.
PERIOD_MAX_GAP_DAYS: dict[str, float] = {"day": 1.5, "week": 17.0}
# Plural nouns for each period, as written in sentences.
PERIOD_PLURAL: dict[str, str] = {"day": "days", "week": "weeks", "month": "months", "none": "rows"}

# --- statistics ----------------------------------------------------------------------

# Fewest periods (and lagged pairs) for a correlation; below it we say "too little data".
MIN_PERIODS: int = 8
# Fewest periods for a first-half versus second-half trend.
MIN_TREND_PERIODS: int = 6
# Lags tried, in periods, with engagement leading the outcome.
LAGS: tuple[int, ...] = (0, 1, 2, 3, 4)
# Significance level applied after the Bonferroni correction for the lags tried.
ALPHA: float = 0.05
# Upper bounds on |r| for each plain word describing the strength of a link.
STRENGTH_WORDS: tuple[tuple[float, str], ...] = ((0.1, "no"), (0.3, "a weak"), (0.5, "a moderate"),
                                                  (math.inf, "a strong"))
# Smallest |r| at which a significant positive link counts as support, not a qualification.
SUPPORT_MIN_R: float = 0.3
# A social channel's share of orders over its share of spend below this contradicts; above the next, supports.
SHARE_RATIO_BOUNDS: tuple[float, float] = (0.8, 1.25)

# --- findings ------------------------------------------------------------------------

# Finding topic -> kind: the kind is what a reader (and `data show --json`) groups findings by;
# the topic is the finer key (which outcome, which ratio) that keeps ids stable.
FINDING_KINDS: dict[str, str] = {
    "engagement_vs_orders": "lagged_correlation", "engagement_vs_revenue": "lagged_correlation",
    "engagement_vs_conversions": "lagged_correlation", "cost_per_conversion": "cost_per_outcome",
    "engagement_vs_leads": "lagged_correlation", "engagement_vs_repeat_purchases": "lagged_correlation",
    "trend": "trend", "cost_per_order": "cost_per_outcome", "cost_per_lead": "cost_per_outcome",
    "return_on_spend": "return_on_spend", "spend_vs_orders_share": "spend_vs_outcome_share",
    "funnel": "funnel", "referral_rate": "referral_repeat", "repeat_rate": "referral_repeat",
    "too_little_data": "too_little_data",
    "conversion_rate": "conversion_rate", "order_rate": "conversion_rate", "lead_rate": "conversion_rate",
    "click_rate": "conversion_rate", "engagements_per_item": "per_item", "impressions_per_item": "per_item",
    "media_effect": "media_effect", "media_effect_social": "media_effect",
}

# --- what each channel's spend did (media_effect) -----------------------------------------

# Outcomes a channel's spend is set against, first present wins: revenue gives a return in money.
EFFECT_OUTCOMES: tuple[str, ...] = ("revenue", "orders", "conversions", "leads")
# The outcome as written after a number ("brought 0.23 orders").
EFFECT_NOUNS: dict[str, str] = {"revenue": "revenue", "orders": "orders", "conversions": "conversions",
                                "leads": "leads"}
# Fewest periods for the media model (media_effect.MIN_PERIODS says why); stated in its too-little finding.
EFFECT_MIN_PERIODS: int = 26
# Out-of-sample R² under which the media model forecasts no better than the average: no channel is read.
EFFECT_MIN_HOLDOUT_R2: float = 0.0

# Share of the shorter file's span two exports must share (same grain, channels, metrics) to be one source.
OVERLAP_SHARE: float = 0.5

# --- exports without dates (ad-level, post-level) --------------------------------------

# Most groups a grouping column may have for its findings to be a readable comparison.
MAX_GROUPS: int = 12
# What one row of a dateless export is, by a word in its headers (first match wins).
ITEM_NOUNS: tuple[tuple[str, str], ...] = (("post", "posts"), ("ad", "ads"), ("creative", "ads"),
                                           ("campaign", "campaigns"))
# Headers of a 0/1 column that tells paid rows from organic ones.
PAID_COLUMNS: frozenset[str] = frozenset({"paid", "is paid", "paid organic", "promoted", "boosted"})

# --- the Social Customer Journey -----------------------------------------------------

# Journey stages in order with the role measuring each (nps is a score, not a count).
JOURNEY: tuple[tuple[str, str], ...] = (
    ("consider", "impressions"), ("research", "clicks"), ("decide", "leads"), ("act", "orders"),
    ("enjoy", "nps"), ("refer", "referrals"), ("repeat", "repeat_purchases"),
)
# Stages measured against "act" (orders) rather than against the stage before them.
AFTER_PURCHASE: frozenset[str] = frozenset({"refer", "repeat"})
# Roles averaged, not summed, when rows share a period (a score, not a count).
AVERAGED_ROLES: frozenset[str] = frozenset({"nps"})


def norm(text: str) -> str:
    """Lower-case a header and turn punctuation into single spaces, so synonyms compare."""
    return " ".join(re.sub(r"[\W_]+", " ", str(text).lower()).split())


def header_words(text: str) -> list[str]:
    """A header's words, camelCase joins split too ("TotalConversion" reads as "total conversion");
    channel labels are not split ("LinkedIn" stays one word)."""
    return norm(re.sub(r"(?<=[a-z])(?=[A-Z][a-z])", " ", str(text))).split()
