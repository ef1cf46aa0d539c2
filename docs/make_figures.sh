#!/usr/bin/env bash
# Regenerate the example figures of the README (docs/figures/*.png) from the bundled scenarios.
#
#   bash docs/make_figures.sh [WORKDIR]
#
# Results go to WORKDIR (default: a fresh temporary directory) and are kept there; only the
# figures are written into the repository. Seeds are fixed, so a rerun gives the same figures.
# Takes about ten minutes on two cores (the calibration and the backtest are most of it).
# Pass an existing calibration folder as CALIBRATION=DIR to reuse it.
set -euo pipefail

cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d -t escalation-figures.XXXXXX)}"
figs=docs/figures
mkdir -p "$work" "$figs"

if command -v escalation >/dev/null 2>&1; then
  esc() { escalation "$@"; }
else
  esc() { "${PYTHON:-python}" -m sim "$@"; }
fi

echo "results in $work"

# One run of the baseline year, and a ten-year run on the real 2010-2019 calendar.
esc run baseline --seed 1 --out "$work/run" --no-plot
esc run historical_2010_2019 --seed 1 --out "$work/historical" --no-plot

# 100 replications of the 2010-2019 history (the DPRK free), for launch days against the record.
esc batch historical_2010_2019 --replications 100 --seed 0 --out "$work/history" --no-progress

# The 2020-2025 forecast: the record replayed to 2019, then the real calendar with the DPRK free.
esc batch historical_2020_2025 --replications 100 --seed 0 --out "$work/forecast" --no-progress

# The calibration's posterior predictive check, and the rolling-origin backtest.
calibration="${CALIBRATION:-$work/calibration}"
[ -f "$calibration/targets.csv" ] || esc calibrate --workers 2 --out "$calibration"
esc backtest --out "$work/backtest" --no-progress

# 20 replications of the baseline and of the drills-suspended year, common random numbers.
esc batch baseline drills_suspended --replications 20 --seed 0 --out "$work/batch" --no-progress

# A Sobol' design over the drill channel (as experiments/drill_sensitivity.yaml, smaller).
esc sweep drills_then_launches --design sobol --samples 32 --replications 2 --seed 20240304 \
  --param actors.DPRK.policy.params.drill_response=0.5:2.5 \
  --param calendar.0.scale+calendar.1.scale=0.5:2.0 \
  --param actors.US.policy.params.response_rate+actors.ROK.policy.params.response_rate=0.1:0.8 \
  --outcome peak_escalation --outcome test_days --out "$work/sweep" --no-progress

esc plot "$work/batch" --kind curve --scenario baseline --out "$figs/escalation_curve.png"
esc plot "$work/batch" --kind compare --reference baseline --out "$figs/compare_drills.png"
esc plot "$work/history" --kind curve --out "$figs/historical_curve.png"
esc plot "$work/run" --kind timeline --out "$figs/timeline.png"
esc plot "$work/batch" --kind tension --scenario baseline --out "$figs/tension.png"
esc plot "$work/batch" --kind network --scenario baseline \
  --dates 2023-01-02,2023-03-20,2023-06-15,2023-08-28 --out "$figs/network.png"
esc plot "$work/sweep" --kind sweep --outcome peak_escalation --out "$figs/sweep.png"
esc plot "$work/sweep" --kind heatmap --outcome peak_escalation --out "$figs/sweep_heatmap.png"
esc plot "$work/sweep" --kind sensitivity --outcome peak_escalation --out "$figs/sensitivity.png"
esc plot "$work/history" --kind years --out "$figs/launch_years.png"
esc plot "$work/history" --kind months --out "$figs/launch_months.png"
esc plot "$work/forecast" --kind years --out "$figs/forecast_years.png"
esc plot "$work/forecast" --kind months --out "$figs/forecast_months.png"
for f in check_years check_season check_exercises; do cp "$calibration/$f.png" "$figs/calibration_$f.png"; done
cp "$work/backtest/figures/backtest_fan_2015-12-31.png" "$figs/backtest_fan_2015.png"
cp "$work/backtest/figures/backtest_pit_model.png" "$figs/backtest_pit_model.png"

# Scenario discovery on the sweep: which parameter combinations give the top fifth of peaks?
top=$("${PYTHON:-python}" -c "import sys; from sim.run.store import read_table; print(round(float(read_table(sys.argv[1], 'summary')['peak_escalation'].quantile(0.8)), 1))" "$work/sweep")
esc discover "$work/sweep" --outcome peak_escalation --above "$top" --out "$work/discovery"
cp "$work/discovery/peeling.png" "$figs/discovery_peeling.png"
cp "$work/discovery/box.png" "$figs/discovery_box.png"

echo "figures in $figs"
