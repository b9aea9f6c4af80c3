"""Write the three media-mix-model results samples in this folder (fixed numbers, no randomness).

Run from the repository root:  .venv/bin/python corpus/samples/make_model_results.py
The files are committed; this script documents exactly how they were made and
README.md ("Media-mix-model results samples") states each one's ground truth. Layouts follow the tools' own
writers: Robyn's robyn_csv() -> pareto_aggregated.csv (fwrite, NA as empty),
Meridian's Analyzer.summary_metrics(...).to_dataframe().reset_index().to_csv(),
and ArviZ's az.summary(...).to_csv() over a PyMC-Marketing posterior.
"""
from __future__ import annotations

import csv
import math
from pathlib import Path

HERE = Path(__file__).resolve().parent

# --------------------------------------------------------------------------- Robyn

ROBYN_PAID = {  # spend variable -> (total_spend over the window, weeks with spend > 0)
    "tv_S": (2_815_000.0, 46), "ooh_S": (1_240_000.0, 60), "print_S": (612_000.0, 40),
    "facebook_S": (1_408_000.0, 92), "search_S": (905_000.0, 92),
}
ROBYN_OTHER = {  # non-paid variables -> attributed revenue over the window (same in every model, scaled per model)
    "intercept": 98_400_000.0, "trend": 41_200_000.0, "season": -1_350_000.0, "holiday": 3_900_000.0,
    "competitor_sales_B": 27_600_000.0, "events": 2_150_000.0, "newsletter": 1_480_000.0,
}
ROBYN_ORDER = ["intercept", "trend", "season", "holiday", "competitor_sales_B", "events",
               "tv_S", "ooh_S", "print_S", "facebook_S", "search_S", "newsletter"]
ROBYN_CLUSTER_ROAS = {  # each cluster's typical ROAS per channel
    1: {"tv_S": 1.55, "ooh_S": 1.10, "print_S": 0.70, "facebook_S": 2.80, "search_S": 3.40},
    2: {"tv_S": 1.85, "ooh_S": 0.92, "print_S": 1.30, "facebook_S": 2.45, "search_S": 3.10},
    3: {"tv_S": 2.30, "ooh_S": 0.60, "print_S": 1.05, "facebook_S": 2.10, "search_S": 2.75},
}
ROBYN_MODELS = [  # solID, cluster, nrmse_train, decomp.rssd (mape is 0: an uncalibrated run)
    ("1_12_6", 1, 0.081, 0.112), ("1_45_2", 1, 0.089, 0.140), ("2_7_1", 1, 0.094, 0.128),
    ("3_88_5", 1, 0.101, 0.099), ("2_38_4", 2, 0.084, 0.061), ("1_71_3", 2, 0.092, 0.070),
    ("3_20_1", 2, 0.097, 0.066), ("2_95_6", 2, 0.110, 0.058), ("3_54_2", 3, 0.072, 0.205),
    ("1_30_5", 3, 0.079, 0.185), ("2_61_3", 3, 0.088, 0.176), ("3_9_4", 3, 0.105, 0.150),
]
ROBYN_WIGGLE = [0.0, 0.07, -0.05, 0.11, -0.09]  # a model's ROAS = cluster ROAS x (1 + wiggle[(member + k) % 5])
T_975 = {3: 3.182446305284263}  # qt(0.975, df) for 4 models per cluster, as Robyn's .bootci uses
ROBYN_HEADER = ["solID", "rn", "coef", "xDecompAgg", "xDecompPerc", "xDecompMeanNon0", "xDecompMeanNon0Perc",
                "pos", "rsq_train", "nrmse_train", "nrmse_val", "nrmse_test", "nrmse", "decomp.rssd", "mape",
                "lambda", "trial", "iterations", "robynPareto", "total_spend", "mean_spend", "spend_share",
                "effect_share", "roi_mean", "roi_total", "cpa_total", "mean_response", "cluster", "top_sol",
                "boot_mean", "boot_se", "ci_low", "ci_up"]


def _error_scores() -> dict[str, float]:
    """Robyn's errors_scores(): min-max normalised NRMSE, DECOMP.RSSD and MAPE, weights 1/3, Euclidean."""
    def norm(values: list[float]) -> list[float]:
        low, high = min(values), max(values)
        return [0.0 if high == low else (v - low) / (high - low) for v in values]
    nrmse = norm([m[2] for m in ROBYN_MODELS])
    rssd = norm([m[3] for m in ROBYN_MODELS])
    return {m[0]: math.sqrt((n / 3) ** 2 + (r / 3) ** 2) for m, n, r in zip(ROBYN_MODELS, nrmse, rssd)}


def _pareto_fronts() -> dict[str, int]:
    """Non-dominated sorting on (nrmse, decomp.rssd), as robyn_pareto() assigns robynPareto."""
    left, fronts, front = {m[0]: (m[2], m[3]) for m in ROBYN_MODELS}, {}, 1
    while left:
        best = [s for s, (a, b) in left.items()
                if not any(a2 <= a and b2 <= b and (a2, b2) != (a, b) for a2, b2 in left.values())]
        for s in best:
            fronts[s] = front
            del left[s]
        front += 1
    return fronts


def _robyn_roas() -> dict[str, dict[str, float]]:
    """Each model's ROAS per channel, rounded as roi_total is written (xDecompAgg to cents / spend)."""
    out: dict[str, dict[str, float]] = {}
    members: dict[int, int] = {}
    for sol, cluster, _, _ in ROBYN_MODELS:
        member = members.get(cluster, 0)
        members[cluster] = member + 1
        out[sol] = {}
        for k, (rn, base) in enumerate(ROBYN_CLUSTER_ROAS[cluster].items()):
            spend = ROBYN_PAID[rn][0]
            agg = round(spend * base * (1 + ROBYN_WIGGLE[(member + k) % 5]), 2)
            out[sol][rn] = agg / spend
    return out


def robyn_pareto_aggregated() -> None:
    """12 Pareto models in 3 clusters of 4; per model 5 paid channels and 7 non-paid variables."""
    scores, fronts, roas = _error_scores(), _pareto_fronts(), _robyn_roas()
    winners = {c: min((m[0] for m in ROBYN_MODELS if m[1] == c), key=scores.get) for c in ROBYN_CLUSTER_ROAS}
    ci = {}
    for cluster in ROBYN_CLUSTER_ROAS:
        sols = [m[0] for m in ROBYN_MODELS if m[1] == cluster]
        for rn in ROBYN_PAID:
            sample = [roas[s][rn] for s in sols]
            n, mean = len(sample), sum(sample) / len(sample)
            boot_se = math.sqrt(sum((x - mean) ** 2 for x in sample) / n) / math.sqrt(n)  # se of bootstrap means
            half = T_975[n - 1] * boot_se * math.sqrt(n)  # .bootci's margin "adapted for the sample"
            ci[(cluster, rn)] = (mean, boot_se, max(mean - half, 0.0), mean + half)
    spend_total = sum(s for s, _ in ROBYN_PAID.values())
    rows = []
    for i, (sol, cluster, nrmse, rssd) in enumerate(ROBYN_MODELS):
        scale = 1 + 0.01 * ((i % 4) - 1.5)
        agg = {rn: round(v * scale, 2) for rn, v in ROBYN_OTHER.items()}
        agg.update({rn: round(roas[sol][rn] * ROBYN_PAID[rn][0], 2) for rn in ROBYN_PAID})
        total = sum(agg.values())
        paid_effect = sum(agg[rn] for rn in ROBYN_PAID)
        mean_non0 = {rn: agg[rn] / (ROBYN_PAID[rn][1] if rn in ROBYN_PAID else 92) for rn in agg}
        mean_non0_total = sum(mean_non0.values())
        trial, iteration = sol.split("_")[0], sol.split("_")[1]
        for rn in ROBYN_ORDER:
            paid = rn in ROBYN_PAID
            row = {"solID": sol, "rn": rn, "coef": f"{abs(agg[rn]) / 1e7:.6f}", "xDecompAgg": f"{agg[rn]:.2f}",
                   "xDecompPerc": f"{agg[rn] / total:.6f}", "xDecompMeanNon0": f"{mean_non0[rn]:.2f}",
                   "xDecompMeanNon0Perc": f"{mean_non0[rn] / mean_non0_total:.6f}", "pos": "TRUE",
                   "rsq_train": f"{0.93 - nrmse:.4f}", "nrmse_train": f"{nrmse:.4f}", "nrmse_val": "",
                   "nrmse_test": "", "nrmse": f"{nrmse:.4f}", "decomp.rssd": f"{rssd:.4f}", "mape": "0",
                   "lambda": f"{0.0021 + 0.0003 * i:.4f}", "trial": trial, "iterations": iteration,
                   "robynPareto": str(fronts[sol]), "cluster": str(cluster),
                   "top_sol": "TRUE" if winners[cluster] == sol else "FALSE"}
            if paid:
                spend, weeks = ROBYN_PAID[rn]
                mean, se, low, up = ci[(cluster, rn)]
                row.update({"total_spend": f"{spend:.2f}", "mean_spend": f"{spend / weeks:.2f}",
                            "spend_share": f"{spend / spend_total:.6f}",
                            "effect_share": f"{agg[rn] / paid_effect:.6f}",
                            "roi_mean": f"{roas[sol][rn] * 0.93:.6f}", "roi_total": f"{roas[sol][rn]:.6f}",
                            "cpa_total": f"{1 / roas[sol][rn]:.6f}",
                            "mean_response": f"{roas[sol][rn] * 0.93 * spend / weeks:.2f}",
                            "boot_mean": f"{mean:.6f}", "boot_se": f"{se:.6f}", "ci_low": f"{low:.6f}",
                            "ci_up": f"{up:.6f}"})
            rows.append([row.get(column, "") for column in ROBYN_HEADER])
    _write("robyn_pareto_aggregated.csv", ROBYN_HEADER, rows)


# --------------------------------------------------------------------------- Meridian

MERIDIAN_CHANNELS = {  # spend, impressions, posterior ROI (mean, median, ci_lo, ci_hi) at the 90% level
    "tv": (4_200_000.0, 310_000_000.0, (1.42, 1.38, 0.91, 2.03)),
    "radio": (950_000.0, 120_000_000.0, (0.86, 0.81, 0.35, 1.47)),
    "search": (2_100_000.0, 85_000_000.0, (3.25, 3.19, 2.40, 4.21)),
    "social": (1_650_000.0, 240_000_000.0, (1.95, 1.90, 1.18, 2.84)),
    "ooh": (700_000.0, 60_000_000.0, (0.64, 0.58, 0.12, 1.30)),
}
MERIDIAN_PRIOR_ROI = (math.exp(0.2 + 0.9 ** 2 / 2), math.exp(0.2), math.exp(0.2 - 1.6448536 * 0.9),
                      math.exp(0.2 + 1.6448536 * 0.9))  # Meridian's default roi_m prior LogNormal(0.2, 0.9)
MERIDIAN_EXPECTED_OUTCOME = {"posterior": 120_000_000.0, "prior": 118_000_000.0}  # mean expected revenue
MERIDIAN_REVENUE_PER_KPI = 80.0  # so cpik = spend / (incremental revenue / 80)
METRICS = ["mean", "median", "ci_lo", "ci_hi"]
MERIDIAN_HEADER = ["", "channel", "metric", "distribution", "impressions", "pct_of_impressions", "spend",
                   "pct_of_spend", "cpm", "incremental_outcome", "pct_of_contribution", "roi", "effectiveness",
                   "mroi", "cpik"]


def meridian_summary_metrics() -> None:
    """summary_metrics() in long form: 5 channels + 'All Channels' x 4 metrics x prior/posterior."""
    spend_all = sum(c[0] for c in MERIDIAN_CHANNELS.values())
    impr_all = sum(c[1] for c in MERIDIAN_CHANNELS.values())
    roi_all = {d: sum(s * (MERIDIAN_PRIOR_ROI if d == "prior" else p)[0] for s, _, p in MERIDIAN_CHANNELS.values())
               / spend_all for d in ("prior", "posterior")}
    table = {c: (s, i, {"prior": MERIDIAN_PRIOR_ROI, "posterior": p}) for c, (s, i, p) in MERIDIAN_CHANNELS.items()}
    table["All Channels"] = (spend_all, impr_all,  # the total: ROI of all paid spend, interval +-20% of its mean
                             {d: (r, 0.97 * r, 0.8 * r, 1.2 * r) for d, r in roi_all.items()})
    rows = []
    for channel, (spend, impressions, roi_by) in table.items():
        paid_total = channel == "All Channels"
        for m, metric in enumerate(METRICS):
            for distribution in ("prior", "posterior"):
                stats = roi_by[distribution]
                roi = stats[m]
                incremental = roi * spend
                cpik = MERIDIAN_REVENUE_PER_KPI / stats[(0, 1, 3, 2)[m]]  # cpik's interval bounds swap ROI's
                rows.append([str(len(rows)), channel, metric, distribution, f"{impressions:.1f}",
                             f"{impressions / impr_all * 100:.6f}", f"{spend:.1f}", f"{spend / spend_all * 100:.6f}",
                             f"{spend / impressions * 1000:.6f}", f"{incremental:.2f}",
                             f"{incremental / MERIDIAN_EXPECTED_OUTCOME[distribution] * 100:.6f}", f"{roi:.6f}",
                             "" if paid_total else f"{incremental / impressions:.8f}",
                             "" if paid_total else f"{roi * 0.62:.6f}", f"{cpik:.6f}"])
    _write("meridian_summary_metrics.csv", MERIDIAN_HEADER, rows)


# --------------------------------------------------------------------------- PyMC-Marketing

PYMC_CHANNELS = {  # contribution summed over dates (mean, sd, hdi_3%, hdi_97%), ROAS (mean, sd, hdi_3%, hdi_97%)
    "tv": ((412_000.0, 98_500.0, 236_400.0, 596_200.0), (1.62, 0.36, 0.98, 2.31)),
    "radio": ((119_000.0, 36_100.0, 43_500.0, 199_000.0), (0.85, 0.30, 0.31, 1.42)),
    "facebook": ((204_000.0, 39_800.0, 131_700.0, 280_400.0), (2.40, 0.47, 1.55, 3.30)),
    "search": ((265_000.0, 37_300.0, 192_000.0, 340_600.0), (3.05, 0.45, 2.21, 3.92)),
}
PYMC_PARAMETERS = [  # the model's own parameters, which az.summary lists first; none is a channel result
    ("intercept", (0.352, 0.021, 0.313, 0.391)), ("adstock_alpha[tv]", (0.612, 0.081, 0.459, 0.757)),
    ("adstock_alpha[radio]", (0.281, 0.102, 0.095, 0.468)), ("adstock_alpha[facebook]", (0.198, 0.071, 0.071, 0.330)),
    ("adstock_alpha[search]", (0.104, 0.052, 0.012, 0.199)), ("saturation_lam[tv]", (2.914, 0.811, 1.462, 4.432)),
    ("saturation_lam[radio]", (3.402, 1.021, 1.601, 5.311)), ("saturation_lam[facebook]", (4.118, 0.954, 2.390, 5.902)),
    ("saturation_lam[search]", (3.771, 0.902, 2.133, 5.466)), ("saturation_beta[tv]", (0.281, 0.067, 0.161, 0.407)),
    ("saturation_beta[radio]", (0.092, 0.028, 0.034, 0.154)),
    ("saturation_beta[facebook]", (0.139, 0.027, 0.090, 0.191)),
    ("saturation_beta[search]", (0.181, 0.025, 0.131, 0.232)), ("gamma_control[holiday]", (0.071, 0.012, 0.049, 0.093)),
    ("gamma_control[price_index]", (-0.043, 0.011, -0.064, -0.022)), ("y_sigma", (0.048, 0.002, 0.044, 0.052)),
]
PYMC_HEADER = ["", "mean", "sd", "hdi_3%", "hdi_97%", "mcse_mean", "mcse_sd", "ess_bulk", "ess_tail", "r_hat"]


def pymc_marketing_summary() -> None:
    """az.summary over the MMM's parameters plus channel_contribution and roas summed over dates."""
    def line(label: str, stats: tuple[float, float, float, float], decimals: int, k: int) -> list[str]:
        mean, sd, low, high = stats
        return [label, f"{mean:.{decimals}f}", f"{sd:.{decimals}f}", f"{low:.{decimals}f}", f"{high:.{decimals}f}",
                f"{sd / 40:.{decimals}f}", f"{sd / 55:.{decimals}f}", f"{3100 + 97 * k:.1f}", f"{2600 + 61 * k:.1f}",
                "1.0"]
    rows = [line(label, stats, 3, k) for k, (label, stats) in enumerate(PYMC_PARAMETERS)]
    rows += [line(f"channel_contribution[{c}]", v[0], 1, k) for k, (c, v) in enumerate(PYMC_CHANNELS.items())]
    rows += [line(f"roas[{c}]", v[1], 3, k) for k, (c, v) in enumerate(PYMC_CHANNELS.items())]
    _write("pymc_marketing_summary.csv", PYMC_HEADER, rows)


def _write(name: str, header: list[str], rows: list[list[str]]) -> None:
    with open(HERE / name, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


if __name__ == "__main__":
    robyn_pareto_aggregated()
    meridian_summary_metrics()
    pymc_marketing_summary()
