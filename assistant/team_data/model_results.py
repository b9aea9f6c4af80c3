"""Read a team's own media-mix-model results into per-channel numbers Claimcheck can cite.

A team that already runs Robyn, Meridian or PyMC-Marketing uploads the results table
those tools write; each paid channel's share of the outcome and its return on spend,
with the tool's own interval, become findings cited as the team's data, and the method
names the model. Only the tools' published layouts are recognised (see the constants
and README.md ("Media-mix-model results samples")); anything else returns None so ordinary exports go on to the
normal reader. A file that clearly is one of these layouts but cannot be used raises
UnreadableData saying what to do, because guessing would put wrong numbers in answers.

Shares are fractions of 0..1. Shares are read as 0-100 and divided by 100 when any of
their cells carries a "%" sign, when the tool writes them in percent (Meridian's
pct_of_contribution), or when, being the parts of one outcome (Robyn's xDecompPerc over
all of a model's variables; a PyMC contribution share over the channels), they add up
nearer to 100 than to 1. Otherwise they are already fractions (Robyn writes fractions).
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

import pandas as pd

from ..errors import UnreadableData

# Robyn: robyn_csv() writes OutputCollect$xDecompAgg as pareto_aggregated.csv, one row per model (solID) and
# variable (rn); column meanings from facebookexperimental/Robyn demo/schema.R.
ROBYN_MODEL = ("solid",)  # `solID`: the model id, e.g. 2_38_4 (trial_iteration_position)
ROBYN_VARIABLE = ("rn",)  # `rn`: paid media, organic, context, trend, season, holiday and intercept alike
ROBYN_SPEND = ("total_spend",)  # only paid_media_spends have it, so it tells channels from the rest
ROBYN_SHARE = ("xdecompperc",)  # xDecompAgg / sum(xDecompAgg): share of the whole modelled outcome, a fraction
ROBYN_CONTRIBUTION = ("xdecompagg",)  # outcome the variable is credited with over the window
ROBYN_ROI = ("roi_total",)  # xDecompAgg / total_spend, Robyn's ROAS for revenue models
ROBYN_CPA = ("cpa_total",)  # total_spend / xDecompAgg; the bootstrap interval is on it for conversion models
ROBYN_CI = (("ci_low",), ("ci_up",), ("boot_mean",))  # robyn_clusters() in-cluster bootstrap of roi_total (or CPA)
ROBYN_CI_LEVEL = 95  # clusters.R .bootci(): mean +- qt(0.975, n - 1) x se
ROBYN_FRONT = ("robynpareto", "pareto")  # Pareto front number, 1 = best; older or hand-made files say `pareto`
ROBYN_WINNER = ("top_sol",)  # TRUE for each cluster's lowest-error model, robyn_clusters()
ROBYN_SELECTION = ("select_model", "selectid", "selected_model", "selected")  # a column a team adds to mark its pick
ROBYN_NRMSE = ("nrmse_test", "nrmse_train", "nrmse")  # errors_scores() uses nrmse_test when validated, else train
ROBYN_RSSD = ("decomp_rssd",)  # `decomp.rssd` after separators are normalised
ROBYN_MAPE = ("mape",)  # calibration error; 0 in every row of an uncalibrated run

# Meridian: Analyzer.summary_metrics(...) is an xarray Dataset with dims channel x metric x distribution;
# .to_dataframe().reset_index() gives these columns (google/meridian meridian/constants.py, analysis/analyzer.py).
MERIDIAN_KEYS = ("channel", "metric", "distribution")  # the three dimension columns of the long export
MERIDIAN_ROI = ("roi",)  # incremental outcome / spend, per posterior draw
MERIDIAN_SHARE = ("pct_of_contribution",)  # incremental outcome / mean expected outcome x 100: percent
MERIDIAN_CONTRIBUTION = ("incremental_outcome", "incremental_impact")  # `incremental_impact` before Meridian 1.0
MERIDIAN_SPEND = ("spend",)  # same value on every metric/distribution row of a channel
MERIDIAN_LEVEL = ("confidence_level",)  # not in the export; read if a team adds it
MERIDIAN_DEFAULT_LEVEL = 0.9  # constants.DEFAULT_CONFIDENCE_LEVEL, used when the export does not say
MERIDIAN_TOTALS = ("all channels", "all paid channels")  # constants.ALL_CHANNELS, the sum row, is no channel
MERIDIAN_POSTERIOR = "posterior"  # distribution value of the fitted model (the other is the prior)
MERIDIAN_MEAN = ("mean", "median")  # point estimate: the mean, as Meridian's own summary reports it
MERIDIAN_LOW = ("ci_lo", "ci_low", "ci_lower")  # constants.CI_LO; the docstrings say ci_low
MERIDIAN_HIGH = ("ci_hi", "ci_high", "ci_upper")  # constants.CI_HI

# PyMC-Marketing: ArviZ's az.summary (index `var[coord]`, columns mean, sd, hdi_3%, hdi_97%, ...; ArviZ 1.x
# writes eti89_lb/eti89_ub or hdi94_lb/hdi94_ub) and mmm.summary.roas()/contributions() from
# pymc_marketing/mmm/summary.py (columns channel, mean, median, abs_error_94_lower, abs_error_94_upper).
PYMC_INTERVALS = (  # (regex on a normalised column, bound group meaning lower, interval kind)
    (re.compile(r"^hdi_(\d+(?:\.\d+)?)%$"), None, "highest-density interval"),
    (re.compile(r"^(hdi|eti)(\d+(?:\.\d+)?)_(lb|ub)$"), "lb", None),
    (re.compile(r"^abs_error_(\d+(?:\.\d+)?)_(lower|upper)$"), "lower", "highest-density interval"),
)
PYMC_MEAN = ("mean",)  # every layout above has the posterior mean
PYMC_LABELS = ("", "index", "parameter", "param", "variable", "var_name", "name")  # az.summary's unnamed index
PYMC_CHANNEL = ("channel",)  # mmm.summary frames and az.summary(...).reset_index() with the coordinate split out
PYMC_KIND = ("variable", "var_name", "metric", "kind")  # a column naming what a channel-column frame holds
PYMC_ROAS = ("roas", "roi", "channel_roas", "channel_roi")  # names teams give ROAS = contribution / spend
PYMC_SHARE = ("channel_contribution_share", "channel_contributions_share", "contribution_share", "channel_share")
PYMC_AMOUNT = ("channel_contribution", "channel_contributions", "channel_contribution_original_scale",
               "channel_contributions_original_scale", "contribution", "contributions")  # summed over dates
PYMC_FILE_ROAS = ("roas", "roi")  # mmm.summary.roas() and .contributions() share columns; the file name tells
PYMC_FILE_AMOUNT = ("contribution",)

MISSING = {"", "na", "nan", "n/a", "null", "none", "-", "<na>"}  # R's NA, fwrite's empty cell, pandas' NaN
TRUE_WORDS = {"true", "t", "1", "yes", "y", "x"}  # R writes TRUE; spreadsheets write 1 or yes
Reader = Callable[..., "float | None"]  # read(column, row position, percent=False) -> number or None

LABEL = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*\[\s*([^\],]+?)\s*\]\s*$")  # var[coord], one coordinate only
THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,234,567.8
DECIMAL_COMMA = re.compile(r"^[-+]?\d*,\d+$")  # 0,845 from a European spreadsheet


@dataclass(frozen=True)
class ChannelResult:
    channel: str
    contribution_share: float | None  # fraction 0..1 of the outcome (the method says of which total)
    roi: float | None  # return per unit of spend (ROAS for revenue models; `measure` says which)
    roi_low: float | None  # interval, when the tool gives one
    roi_high: float | None
    contribution: float | None = None  # outcome attributed, when given
    spend: float | None = None


@dataclass(frozen=True)
class ModelResults:
    model: str  # "Robyn", "Meridian", "PyMC-Marketing"
    method: str  # one sentence naming the model, what the numbers are and the interval's level
    measure: str  # "ROI", "ROAS", "return per unit of spend" or "conversions per unit of spend"
    interval: str  # e.g. "90% credible interval", "bootstrap 95% interval (in-cluster)"; "" when none
    channels: list[ChannelResult]


def read_model_results(frame: pd.DataFrame, file: str) -> ModelResults | None:
    """Channel results from a Robyn, Meridian or PyMC-Marketing results table; None for any other table."""
    columns = _columns(frame)
    if _find(columns, ROBYN_MODEL) and _find(columns, ROBYN_VARIABLE) and (
            _find(columns, ROBYN_SHARE) or _find(columns, ROBYN_CONTRIBUTION) or _find(columns, ROBYN_ROI)):
        return _robyn(frame, file, columns)
    if all(_find(columns, (key,)) for key in MERIDIAN_KEYS) and (
            _find(columns, MERIDIAN_ROI) or _find(columns, MERIDIAN_SHARE)):
        return _meridian(frame, file, columns)
    interval = _pymc_interval(columns)
    if interval and _find(columns, PYMC_MEAN) and (
            _find(columns, PYMC_CHANNEL) or _label_column(frame, columns) is not None):
        return _pymc(frame, file, columns, interval)
    return None


# ----------------------------------------------------------------------------------------------- Robyn

def _robyn(frame: pd.DataFrame, file: str, columns: dict[str, str]) -> ModelResults:
    """One Robyn model's paid channels: share of outcome, roi_total and the bootstrap interval of its cluster."""
    if frame.empty:
        raise UnreadableData(file, "has the columns of Robyn's pareto_aggregated.csv but no rows; export it again "
                                   "with robyn_outputs(..., csv_out = \"pareto\") and upload that file")
    spend_col = _find(columns, ROBYN_SPEND)
    if not spend_col:
        raise UnreadableData(file, "looks like Robyn's pareto_aggregated.csv but has no total_spend column, so paid "
                                   "channels cannot be told from intercept, trend and the other variables; upload "
                                   "the file as Robyn wrote it")
    model_col, var_col = _find(columns, ROBYN_MODEL), _find(columns, ROBYN_VARIABLE)
    model, why = _robyn_pick(frame, file, columns)
    rows = [pos for pos in range(len(frame)) if _text(frame[model_col].iat[pos]) == model]
    read = _reader(frame, file, lambda pos: f"model {model}, {_text(frame[var_col].iat[pos])}")
    paid = [pos for pos in rows if (read(spend_col, pos) or 0) > 0]
    if not paid:
        raise UnreadableData(file, f"Robyn model {model} has no paid-media rows (total_spend above 0); export "
                                   f"pareto_aggregated.csv again with paid_media_spends set, without editing it")
    share_col, agg_col = _find(columns, ROBYN_SHARE), _find(columns, ROBYN_CONTRIBUTION)
    shares = (_fractions([read(share_col, pos, percent=True) for pos in rows],
                         [_text(frame[share_col].iat[pos]) for pos in rows]) if share_col else [None] * len(rows))
    share_of = dict(zip(rows, shares))
    roi_col = _find(columns, ROBYN_ROI)
    low_col, up_col, mid_col = (_find(columns, names) for names in ROBYN_CI)
    cpa_col = _find(columns, ROBYN_CPA)
    found = []
    for pos in paid:
        spend, agg = read(spend_col, pos), read(agg_col, pos) if agg_col else None
        roi = read(roi_col, pos) if roi_col else (agg / spend if agg is not None else None)
        low, up = (read(low_col, pos), read(up_col, pos)) if low_col and up_col else (None, None)
        mid = read(mid_col, pos) if mid_col else None
        cpa = read(cpa_col, pos) if cpa_col else None
        found.append((pos, spend, agg, roi, low, up, mid, cpa))
    on_cpa = _robyn_interval_on_cpa(found)
    channels = []
    for pos, spend, agg, roi, low, up, _, _ in found:
        if on_cpa:
            low, up = (1 / up if up else None), (1 / low if low else None)
        channels.append(ChannelResult(_text(frame[var_col].iat[pos]), share_of[pos], roi, low, up, agg, spend))
    has_interval = any(c.roi_low is not None or c.roi_high is not None for c in channels)
    measure = ("conversions per unit of spend" if on_cpa else "ROAS") if has_interval else "return per unit of spend"
    interval = f"bootstrap {ROBYN_CI_LEVEL}% interval (in-cluster)" if has_interval else ""
    what = {"ROAS": "total ROAS (roi_total: attributed revenue / total_spend)",
            "conversions per unit of spend": "conversions per unit of spend (roi_total; Robyn's interval is on "
                                             "CPA, inverted here)",
            "return per unit of spend": "return per unit of spend (roi_total: attributed outcome / total_spend, "
                                        "ROAS when the outcome is revenue)"}[measure]
    level = (f"; interval: Robyn's bootstrap {ROBYN_CI_LEVEL}% interval across the models of its cluster "
             f"(ci_low to ci_up)") if has_interval else "; the file gives no interval"
    method = (f"Robyn (Meta's open-source MMM), model {model} ({why}): each paid channel's share of the modelled "
              f"outcome (xDecompPerc) and {what}{level}.")
    return ModelResults("Robyn", method, measure, interval, channels)


def _robyn_pick(frame: pd.DataFrame, file: str, columns: dict[str, str]) -> tuple[str, str]:
    """The one model to report, and why: a marked pick, the file's name, the only one, or Robyn's error score."""
    model_col = _find(columns, ROBYN_MODEL)
    order = list(dict.fromkeys(t for t in (_text(v) for v in frame[model_col]) if t))
    if not order:
        raise UnreadableData(file, "looks like Robyn's pareto_aggregated.csv but solID is empty in every row; "
                                   "upload the file as Robyn wrote it")
    select_col = _find(columns, ROBYN_SELECTION)
    if select_col:
        cells = [_text(v) for v in frame[select_col]]
        named = {c for c in cells if c in order}
        flagged = {_text(m) for m, c in zip(frame[model_col], cells) if c.lower() in TRUE_WORDS}
        picked = named or flagged
        if len(picked) > 1:
            raise UnreadableData(file, f"column {select_col} selects {len(picked)} Robyn models "
                                       f"({', '.join(sorted(picked))}); mark exactly one")
        if picked:
            return picked.pop(), f"the model marked in {select_col}"
    in_name = [m for m in order if re.search(rf"(?<!\d){re.escape(m)}(?!\d)", PurePath(file).name)]
    if len(in_name) == 1:
        return in_name[0], "the model named in the file name"
    if len(order) == 1:
        return order[0], "the only model in the file"
    read = _reader(frame, file, lambda pos: f"model {_text(frame[model_col].iat[pos])}")
    first = {}
    for pos in range(len(frame)):
        first.setdefault(_text(frame[model_col].iat[pos]), pos)
    winner_col, front_col = _find(columns, ROBYN_WINNER), _find(columns, ROBYN_FRONT)
    winners = [m for m in order if winner_col and _text(frame[winner_col].iat[first[m]]).lower() in TRUE_WORDS]
    fronts = {m: read(front_col, first[m]) for m in order} if front_col else {}
    best_front = min((f for f in fronts.values() if f is not None), default=None)
    if winners:
        candidates, kind = winners, "the cluster winner (top_sol)"
    elif best_front is not None:
        candidates, kind = [m for m in order if fronts[m] == best_front], "the first-Pareto-front model"
    else:
        candidates, kind = order, "the model"
    scores = _robyn_scores(columns, order, first, read)
    if scores is None:
        return candidates[0], f"{kind} listed first; the file has no error columns to rank by"
    return min(candidates, key=lambda m: scores[m]), f"{kind} with the lowest Robyn error score"


def _robyn_scores(columns: dict[str, str], order: list[str], first: dict[str, int],
                  read: Reader) -> dict[str, float] | None:
    """Robyn's errors_scores(): each error min-max normalised over all models, weights 1/3, distance to zero."""
    nrmse_col = next((c for c in (_find(columns, (n,)) for n in ROBYN_NRMSE)
                      if c and any(read(c, first[m]) is not None for m in order)), None)
    rssd_col, mape_col = _find(columns, ROBYN_RSSD), _find(columns, ROBYN_MAPE)
    if not nrmse_col or not rssd_col:
        return None
    parts = []
    for col in (nrmse_col, rssd_col, mape_col):
        values = {m: read(col, first[m]) if col else None for m in order}
        known = [v for v in values.values() if v is not None]
        low, high = (min(known), max(known)) if known else (0.0, 0.0)
        parts.append({m: 0.0 if v is None or high == low else (v - low) / (high - low) for m, v in values.items()})
    return {m: math.sqrt(sum((p[m] / 3) ** 2 for p in parts)) for m in order}


def _robyn_interval_on_cpa(found: list[tuple]) -> bool:
    """True when the bootstrap centre sits nearer cpa_total than roi_total: a conversion model's CPA interval."""
    to_roi = to_cpa = 0.0
    for _, _, _, roi, low, up, mid, cpa in found:
        centre = mid if mid is not None else ((low + up) / 2 if low is not None and up is not None else None)
        if centre and roi and cpa and centre > 0 and roi > 0 and cpa > 0:
            to_roi += abs(math.log(centre / roi))
            to_cpa += abs(math.log(centre / cpa))
    return to_cpa < to_roi


# ----------------------------------------------------------------------------------------------- Meridian

def _meridian(frame: pd.DataFrame, file: str, columns: dict[str, str]) -> ModelResults:
    """Posterior mean share and ROI per paid channel, with the ci_lo/ci_hi credible interval."""
    channel_col, metric_col, dist_col = (_find(columns, (key,)) for key in MERIDIAN_KEYS)
    posterior = [pos for pos in range(len(frame)) if _text(frame[dist_col].iat[pos]).lower() == MERIDIAN_POSTERIOR]
    if not posterior:
        raise UnreadableData(file, "has Meridian's summary_metrics columns but no rows with distribution = "
                                   "posterior; export analyzer.summary_metrics(...) of the fitted model again")
    cell: dict[tuple[str, str], int] = {}
    order: list[str] = []
    for pos in posterior:
        channel = _text(frame[channel_col].iat[pos])
        if not channel or channel.lower() in MERIDIAN_TOTALS:
            continue
        if channel not in order:
            order.append(channel)
        cell.setdefault((channel, _text(frame[metric_col].iat[pos]).lower()), pos)
    if not order:
        raise UnreadableData(file, "has Meridian's summary_metrics columns but no posterior rows for a paid "
                                   "channel; export summary_metrics() with include_non_paid_channels=False")
    read = _reader(frame, file, lambda pos: f"{_text(frame[channel_col].iat[pos])}, "
                                            f"{_text(frame[metric_col].iat[pos])}")

    def at(channel: str, metrics: tuple[str, ...], col: str | None, **kw) -> float | None:
        pos = next((cell[(channel, m)] for m in metrics if (channel, m) in cell), None)
        return read(col, pos, **kw) if col and pos is not None else None

    roi_col, share_col = _find(columns, MERIDIAN_ROI), _find(columns, MERIDIAN_SHARE)
    out_col, spend_col = _find(columns, MERIDIAN_CONTRIBUTION), _find(columns, MERIDIAN_SPEND)
    shares = (_fractions([at(c, MERIDIAN_MEAN, share_col, percent=True) for c in order], [], in_percent=True)
              if share_col else [None] * len(order))
    channels = [ChannelResult(c, share, at(c, MERIDIAN_MEAN, roi_col), at(c, MERIDIAN_LOW, roi_col),
                              at(c, MERIDIAN_HIGH, roi_col), at(c, MERIDIAN_MEAN, out_col),
                              at(c, MERIDIAN_MEAN, spend_col))
                for c, share in zip(order, shares)]
    level_col = _find(columns, MERIDIAN_LEVEL)
    level = read(level_col, posterior[0]) if level_col else None
    stated = level is not None
    level = level if level is not None else MERIDIAN_DEFAULT_LEVEL
    percent = f"{level * 100 if level <= 1 else level:g}%"
    has_interval = any(c.roi_low is not None or c.roi_high is not None for c in channels)
    interval = f"{percent} credible interval" if has_interval else ""
    note = "" if stated else ", Meridian's default confidence_level; the export does not record it"
    level_text = (f"; interval: {percent} equal-tailed posterior credible interval (ci_lo to ci_hi{note})"
                  if has_interval else "; the file gives no interval")
    method = ("Meridian (Google's open-source Bayesian MMM): each paid channel's posterior mean share of the "
              "expected outcome (pct_of_contribution) and ROI (incremental outcome per unit of spend)"
              f"{level_text}.")
    return ModelResults("Meridian", method, "ROI", interval, channels)


# ----------------------------------------------------------------------------------------------- PyMC-Marketing

def _pymc(frame: pd.DataFrame, file: str, columns: dict[str, str],
          interval: tuple[str, str, float, str]) -> ModelResults:
    """Posterior mean ROAS with its interval, and contribution shares, per channel of a PyMC summary frame."""
    low_col, high_col, level, kind = interval
    mean_col = _find(columns, PYMC_MEAN)
    rows = _pymc_rows(frame, file, columns)
    read = _reader(frame, file, lambda pos: f"{rows[pos][0]} of {rows[pos][1]}")
    roas: dict[str, tuple] = {}
    shares: dict[str, float | None] = {}
    amounts: dict[str, float | None] = {}
    order: list[str] = []
    share_rows = []
    for pos, (role, channel) in rows.items():
        if channel not in order:
            order.append(channel)
        if role == "roas":
            roas.setdefault(channel, (read(mean_col, pos), read(low_col, pos), read(high_col, pos)))
        elif role == "share":
            shares.setdefault(channel, read(mean_col, pos, percent=True))
            share_rows.append(pos)
        else:
            amounts.setdefault(channel, read(mean_col, pos))
    if not order:
        raise UnreadableData(file, "is a PyMC/ArviZ summary but has no per-channel ROAS or contribution rows; "
                                   "summarise roas[channel] and channel_contribution[channel] (summed over dates), "
                                   "or upload mmm.summary.roas(frequency=\"all_time\")")
    if shares:
        fractions = _fractions([shares.get(c) for c in order], [_text(frame[mean_col].iat[p]) for p in share_rows])
        share_of, basis = dict(zip(order, fractions)), "posterior mean contribution share as summarised"
    elif amounts and all(amounts.get(c) is not None for c in order):
        total = sum(amounts[c] for c in order)
        share_of = {c: amounts[c] / total if total else None for c in order}
        basis = ("share of the outcome attributed to all channels, from posterior mean contributions "
                 "(PyMC-Marketing's contribution share, not a share of total sales)")
    else:
        share_of, basis = {}, ""
    channels = [ChannelResult(c, share_of.get(c), *roas.get(c, (None, None, None)), amounts.get(c))
                for c in order]
    has_interval = any(c.roi_low is not None or c.roi_high is not None for c in channels)
    percent = f"{level:g}%"
    parts = [p for p in ("posterior mean ROAS (contribution / spend)" if roas else "", basis) if p]
    level_text = f"; interval: {percent} {kind} of ROAS" if has_interval and roas else ""
    method = (f"PyMC-Marketing (PyMC Labs' open-source Bayesian MMM), summary of the fitted posterior: each "
              f"channel's {' and its '.join(parts) or 'contribution'}{level_text}.")
    return ModelResults("PyMC-Marketing", method, "ROAS",
                        f"{percent} {kind}" if has_interval and roas else "", channels)


def _pymc_rows(frame: pd.DataFrame, file: str, columns: dict[str, str]) -> dict[int, tuple[str, str]]:
    """Row position -> (roas | share | amount, channel), from var[channel] labels or a channel column."""
    label_col, channel_col = _label_column(frame, columns), _find(columns, PYMC_CHANNEL)
    rows: dict[int, tuple[str, str]] = {}
    if label_col is not None and not channel_col:
        for pos in range(len(frame)):
            match = LABEL.match(_text(frame[label_col].iat[pos]))
            role = _pymc_role(match.group(1)) if match else None
            if role:
                rows[pos] = (role, match.group(2))
        return rows
    kind_col = _find(columns, PYMC_KIND)
    name = PurePath(file).name.lower()
    default = ("roas" if any(w in name for w in PYMC_FILE_ROAS) else
               "amount" if any(w in name for w in PYMC_FILE_AMOUNT) else None)
    date_col = _find(columns, ("date",))
    seen: dict[tuple[str, str], int] = {}
    for pos in range(len(frame)):
        role = _pymc_role(_text(frame[kind_col].iat[pos])) if kind_col else default
        channel = _text(frame[channel_col].iat[pos])
        if role is None and not kind_col:
            raise UnreadableData(file, "is a PyMC-Marketing summary frame, but its columns do not say whether it "
                                       "holds ROAS or contributions; name the file ..._roas.csv or "
                                       "..._contributions.csv and upload it again")
        if role and channel:
            seen[(role, channel)] = seen.get((role, channel), 0) + 1
            rows[pos] = (role, channel)
    if date_col and any(n > 1 for n in seen.values()):
        raise UnreadableData(file, "is a PyMC-Marketing summary with one row per date; export it for the whole "
                                   "period with frequency=\"all_time\" and upload that")
    return rows


def _pymc_role(variable: str) -> str | None:
    """What a summarised variable is, from the names PyMC-Marketing and teams give it."""
    name = _norm(variable)
    return "roas" if name in PYMC_ROAS else "share" if name in PYMC_SHARE else "amount" if name in PYMC_AMOUNT else None


def _pymc_interval(columns: dict[str, str]) -> tuple[str, str, float, str] | None:
    """(lower column, upper column, level in percent, kind) from hdi_3%/hdi_97%, eti89_lb/ub or abs_error_94_*."""
    hdi = sorted(((float(m.group(1)), c) for n, c in columns.items() if (m := PYMC_INTERVALS[0][0].match(n))))
    if len(hdi) >= 2:
        (low, low_col), (high, high_col) = hdi[0], hdi[-1]
        return low_col, high_col, round(high - low, 6), PYMC_INTERVALS[0][2]
    for pattern, lower_word, kind in PYMC_INTERVALS[1:]:
        bounds: dict[tuple[str, str], dict[bool, str]] = {}
        for n, c in columns.items():
            if m := pattern.match(n):
                *head, side = m.groups()
                bounds.setdefault(tuple(head), {})[side == lower_word] = c
        for head, pair in bounds.items():
            if len(pair) == 2:
                name = kind or ("highest-density interval" if head[0] == "hdi" else "equal-tailed interval")
                return pair[True], pair[False], float(head[-1]), name
    return None


def _label_column(frame: pd.DataFrame, columns: dict[str, str]) -> str | None:
    """az.summary's index column, written unnamed by to_csv, when its cells look like var[coord]."""
    first = frame.columns[0] if len(frame.columns) else None
    if first is None or not (_norm(str(first)) in PYMC_LABELS or _norm(str(first)).startswith("unnamed")):
        return None
    return first if any(LABEL.match(_text(v)) for v in frame[first]) else None


# ----------------------------------------------------------------------------------------------- cells

def _columns(frame: pd.DataFrame) -> dict[str, str]:
    """Normalised column name -> the file's own name (the first, when two normalise alike)."""
    out: dict[str, str] = {}
    for column in frame.columns:
        out.setdefault(_norm(str(column)), column)
    return out


def _norm(name: str) -> str:
    """Case and separators do not matter: 'decomp.rssd', 'Decomp RSSD' and 'decomp-rssd' are one name."""
    return re.sub(r"[\s.\-]+", "_", name.strip().lower()).strip("_")


def _find(columns: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((columns[n] for n in names if n in columns), None)


def _text(cell: object) -> str:
    """A cell as trimmed text; pandas' NaN and None (from .xlsx) as ''."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    return str(cell).strip()


def _number(text: str, percent: bool = False) -> float | None:
    """The number in a cell, None when empty, NA or infinite; ValueError when it is not a number."""
    t = text.replace("\u00a0", "").replace(" ", "")
    if t.lower() in MISSING:
        return None
    if t.endswith("%") and percent:
        t = t[:-1]
    if THOUSANDS.match(t):
        t = t.replace(",", "")
    elif DECIMAL_COMMA.match(t):
        t = t.replace(",", ".")
    value = float(t)
    return value if math.isfinite(value) else None


def _reader(frame: pd.DataFrame, file: str, where: Callable[[int], str]) -> Reader:
    """read(column, row position) -> number, raising UnreadableData that names the cell when it is not one."""
    def read(column: str | None, pos: int, percent: bool = False) -> float | None:
        if column is None:
            return None
        text = _text(frame[column].iat[pos])
        try:
            return _number(text, percent)
        except ValueError:
            raise UnreadableData(file, f"{column} is '{text}' in row {pos + 2} ({where(pos)}), not a number; "
                                       f"export the file again from the modelling tool without editing it") from None
    return read


def _fractions(values: list[float | None], cells: list[str], in_percent: bool = False) -> list[float | None]:
    """Parts of one outcome as fractions: divided by 100 when percent (the rules are in the module docstring)."""
    total = sum(v for v in values if v is not None)
    percent = in_percent or any(c.endswith("%") for c in cells) or abs(total - 100) < abs(total - 1)
    return [None if v is None else v / 100 if percent else v for v in values]
