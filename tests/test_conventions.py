"""Exports as teams really have them: the naming conventions of media-mix files, ad-level and
post-level exports without dates, controls, regions, --map with a channel, and the sanity
checks before anything is stored. Each sample's ground truth is in corpus/samples/README.md."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import BadMapping
from assistant.team_data import analyse, read_table
from assistant.team_data.figures import count, percent
from assistant.team_data.headers import guess

from .conftest import CORPUS

SAMPLES = CORPUS / "samples"


def effects_of(path: Path) -> dict:
    """channel -> its media_effect finding."""
    return {f.channels[0]: f for f in analyse(read_table(path), "acme") if f.kind == "media_effect"}


def roles(path: Path) -> dict[str, tuple[str | None, str | None]]:
    return {c.name: (c.role, c.channel) for c in read_table(path).columns}


def by_topic(path: Path, **kw) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in analyse(read_table(path, **kw), "acme"):
        out.setdefault(f.topic, []).append(f)
    return out


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("header, role, channel", [
    ("tv_S", "spend", "tv"), ("facebook_I", "impressions", "facebook"), ("search_clicks_P", "clicks", "search"),
    ("competitor_sales_B", "control", None), ("Channel0_spend", "spend", "channel0"),
    ("Channel3_impression", "impressions", "channel3"), ("competitor_sales_control", "control", None),
    ("TotalConversion", "conversions", None), ("Approved_Conversion", "conversions", None),
    ("spend_radio", "spend", "radio"), ("FacebookSpend", "spend", "facebook"), ("SEARCH-COST", "spend", "search"),
    ("Impressions (TV)", "impressions", "tv"), ("like", "engagements", None), ("share", "engagements", None),
    ("geo", "region", None), ("Campaign name", "campaign", None), ("Post type", "dimension", None),
    ("Holiday", "control", None), ("Competitor Sales", "control", None), ("price", "control", None),
])
def test_header_conventions_in_any_case_separator_or_number(header, role, channel):
    g = guess(header)
    assert (g.role, g.channel) == (role, channel)


@pytest.mark.parametrize("header", ["ad_id", "xyz_campaign_id", "Unnamed: 0", "post id", "row"])
def test_columns_named_like_ids_are_never_dates_or_metrics(tmp_path, header):
    """17-digit ad ids once crashed the reader as out-of-range dates; an id groups rows at most."""
    text = f"{header},campaign,impressions,clicks\n" + "".join(
        f"{23843192048310125 + i},c{i % 2},{1000 + i},{10 + i}\n" for i in range(20))
    table = read_table(write(tmp_path, "ids.csv", text))
    assert not table.dated and "date" not in table.roles
    assert table.columns[0].role in (None, "campaign")


def test_robyn_demo_columns_read_spend_per_channel_and_controls_never_as_outcomes():
    got = roles(SAMPLES / "robyn_style_weekly.csv")
    assert got["tv_S"] == ("spend", "tv") and got["facebook_S"] == ("spend", "facebook")
    assert got["facebook_I"] == ("impressions", "facebook") and got["search_clicks_P"] == ("clicks", "search")
    assert got["competitor_sales_B"] == ("control", None) and got["events"] == ("control", None)
    assert got["revenue"] == ("revenue", None) and got["DATE"] == ("date", None)
    assert got["newsletter"] == (None, None), "an organic activity without a known metric word is left unused"


def test_meridian_demo_columns_one_series_per_region_and_controls():
    table = read_table(SAMPLES / "geo_media_weekly.csv")
    got = {c.name: (c.role, c.channel) for c in table.columns}
    assert table.regions == 5 and got["geo"] == ("region", None) and got["time"] == ("date", None)
    assert {got[f"Channel{i}_spend"] for i in range(3)} == {("spend", f"channel{i}") for i in range(3)}
    assert {got[c][0] for c in ("competitor_sales_control", "sentiment_score_control", "Promo")} == {"control"}
    assert got["conversions"] == ("conversions", None)
    assert len(table.frame) == 104 * 5 * 4, "104 weeks x 5 regions x (3 channels + the business as a whole)"
    assert table.controls is not None and len(table.controls) == 104 * 5


def test_every_way_of_writing_a_channel_in_a_header_and_controls_beside_them():
    got = roles(SAMPLES / "wide_conventions_weekly.csv")
    assert [got[c] for c in ("TV Spend", "spend_radio", "FacebookSpend", "SEARCH-COST")] == [
        ("spend", "tv"), ("spend", "radio"), ("spend", "facebook"), ("spend", "search")]
    assert got["Impressions (TV)"] == ("impressions", "tv")
    assert got["Orders"] == ("orders", None)
    assert got["Competitor Sales"] == ("control", None), "a competitor's sales are never our orders"
    assert got["competitor_price"] == ("control", None) and got["Holiday"] == ("control", None)


def test_ad_level_export_without_dates_compares_campaigns():
    """Sample truth: cost per click 1.40 / 1.50 / 1.60 and conversions per click 5% / 2% / 1% for campaigns
    916 / 936 / 1178, so cost per conversion is about 28 / 75 / 160: 916 best, 1178 worst."""
    table = read_table(SAMPLES / "facebook_ads_ad_level.csv")
    assert not table.dated and table.rows_used == 300
    found = by_topic(SAMPLES / "facebook_ads_ad_level.csv")
    cost = next(f for f in found["cost_per_conversion"] if "xyz_campaign_id" in f.sentence)
    assert list(cost.numbers)[:3] == ["916", "936", "1178"] and cost.numbers["916"] < 40 < cost.numbers["936"]
    assert cost.kind == "cost_per_outcome" and cost.n == 300
    rate = next(f for f in found["conversion_rate"] if "xyz_campaign_id" in f.sentence)
    assert rate.numbers["916"] == pytest.approx(0.05, abs=0.015) and rate.numbers["1178"] < 0.025
    assert all(0 <= v <= 1 for k, v in rate.numbers.items() if k != "n"), "rates are fractions, never over 100%"
    assert not any("fb_campaign_id" in f.sentence for fs in found.values() for f in fs), \
        "90 distinct values are not a comparison anyone can read"


def test_post_level_export_engagement_per_post_type_and_paid_against_organic():
    """Sample truth: mean interactions 400 video, 350 status, 200 photo, 80 link; paid posts reach 1.6x."""
    found = by_topic(SAMPLES / "facebook_posts.csv")
    per_type = next(f for f in found["engagements_per_item"] if "'Type'" in f.sentence)
    assert list(per_type.numbers)[:4] == ["Video", "Status", "Photo", "Link"]
    assert per_type.numbers["Video"] == pytest.approx(400, rel=0.1)
    reach = next(f for f in found["impressions_per_item"] if "'Paid'" in f.sentence)
    assert set(reach.numbers) == {"paid", "organic", "n"} and 1.3 < reach.numbers["paid"] / reach.numbers["organic"] < 1.9


def test_map_gives_several_columns_one_role_one_channel_each(tmp_path):
    """Five spend columns named only line1..line5 were once kept as one; with a channel each they stay five."""
    text = "week,line1,line2,line3,line4,line5,sales\n" + "".join(
        f"2024-01-{1 + 7 * i:02d},{100 + i},{200 + i},{300 + i},{400 + i},{500 + i},{50 + i}\n" for i in range(4))
    mapping = {f"line{i}": f"spend:{name}" for i, name in enumerate(["tv", "radio", "search", "social", "email"], 1)}
    table = read_table(write(tmp_path, "lines.csv", text), mapping)
    assert [c.channel for c in table.columns if c.role == "spend"] == ["tv", "radio", "search", "social", "email"]
    assert table.frame.groupby("channel")["spend"].sum()["email"] == 500 + 501 + 502 + 503


def test_map_errors_say_what_to_write(tmp_path):
    path = write(tmp_path, "m.csv", "date,a,orders\n2024-01-01,1,2\n")
    with pytest.raises(BadMapping, match="only a metric role takes a channel"):
        read_table(path, {"a": "date:tv"})
    with pytest.raises(BadMapping, match="unknown role 'budget'"):
        read_table(path, {"a": "budget:tv"})


def test_nothing_becomes_an_outcome_by_elimination(tmp_path):
    text = "week,tv spend,competitor sales,sentiment_control\n" + "".join(
        f"2024-01-{1 + 7 * i:02d},{100 + i},{900 + i},{i}\n" for i in range(4))
    table = read_table(write(tmp_path, "no-outcome.csv", text))
    assert set(table.roles) == {"date", "spend", "control"}, "competitor sales and the control stay controls"
    assert not any(f.kind == "media_effect" for f in analyse(table, "acme")), "no outcome, no return on spend"
    table = read_table(write(tmp_path, "mapped.csv", text), {"competitor sales": "orders"})
    assert table.roles["orders"] == ["competitor sales"], "--map can still say so"


def test_a_funnel_whose_stages_are_not_nested_is_not_stored_and_the_note_says_why(tmp_path):
    """Conversions larger than impressions once gave funnel 'rates' of 10,894%."""
    text = "week,impressions,clicks,conversions\n" + "".join(
        f"2024-01-{1 + 7 * i:02d},100,{50 + i},{5000 + i}\n" for i in range(4))
    path = write(tmp_path, "funnel.csv", text)
    table = read_table(path)
    found = analyse(table, "acme")
    assert not any(f.kind == "funnel" for f in found)
    assert any("No funnel" in n and "outnumber clicks" in n for n in table.notes)


def test_numbers_keep_the_digits_they_need():
    assert percent(0.00018) == "0.018%" and percent(0.031) == "3.1%" and percent(0.42) == "42%"
    assert count(0.31) == "0.31" and count(1234) == "1,234" and count(12.5) == "12.5"


def test_a_click_rate_of_a_fraction_of_a_percent_is_not_printed_as_zero():
    found = by_topic(SAMPLES / "facebook_ads_ad_level.csv")
    clicks = next(f for f in found["click_rate"] if "xyz_campaign_id" in f.sentence)
    assert "0.0%" not in clicks.sentence and "0.025%" in clicks.sentence


def test_media_effect_recovers_the_geo_samples_truth():
    """Sample truth (make_samples.py): channel0 brings 0.225 conversions per unit of spend, channel1 0.119,
    channel2 nothing. Each 90% interval must hold its channel's truth; the no-effect channel's holds zero."""
    truth = {"channel0": 0.225, "channel1": 0.119, "channel2": 0.0}
    effects = effects_of(SAMPLES / "geo_media_weekly.csv")
    assert set(effects) == set(truth)
    for channel, true in truth.items():
        n = effects[channel].numbers
        assert n["roi_low"] <= true <= n["roi_high"], (channel, n)
    assert effects["channel0"].signal == "positive" and effects["channel2"].signal == "zero"
    assert "geo holdout" in effects["channel0"].caveat and "observational" in effects["channel0"].caveat


def test_media_effect_recovers_the_robyn_samples_truth():
    """Sample truth: tv 5.16, ooh 2.43, print 0, facebook 4.21, search 4.48 per unit of spend. Every 90%
    interval holds its channel's truth, and print, which does nothing, is not read as a return."""
    truth = {"tv": 5.16, "ooh": 2.43, "print": 0.0, "facebook": 4.21, "search": 4.48}
    effects = effects_of(SAMPLES / "robyn_style_weekly.csv")
    assert set(effects) == set(truth)
    for channel, true in truth.items():
        n = effects[channel].numbers
        assert n["roi_low"] <= true <= n["roi_high"], (channel, n)
    assert effects["print"].signal == "zero" and effects["tv"].signal == "positive"
    assert effects["facebook"].topic == "media_effect_social", "a social channel's return bears on social claims"


def test_media_effect_says_too_little_when_spend_explains_nothing():
    """wide_conventions_weekly.csv: orders are Poisson(500) whatever the spend, so no channel gets a return."""
    found = analyse(read_table(SAMPLES / "wide_conventions_weekly.csv"), "acme")
    assert not any(f.kind == "media_effect" and f.signal == "positive" for f in found)
