"""The observed record as launch days, and the three baseline forecasters: climatology and
persistence rates against hand counts, the Hawkes likelihood's derivatives, its maximum
likelihood recovering known parameters, and its thinning simulation against theory."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from scipy.optimize import approx_fprime

from sim.calibrate import hawkes
from sim.calibrate.baselines import Climatology, Forecaster, Hawkes, Persistence, baselines, days_in_months
from sim.calibrate.observed import LaunchRecord, observed_launch_days, observed_record

D = dt.date.fromisoformat
# Launch days per year in the packaged record (sim/data/observed_dprk_missile_tests_2010_2019.csv).
YEARS = {2010: 0, 2011: 0, 2012: 2, 2013: 3, 2014: 11, 2015: 7, 2016: 16, 2017: 15, 2018: 0, 2019: 14}


# ---- the record --------------------------------------------------------------------------------
def test_record_counts_launch_days_with_zeros_kept():
    record = observed_record()
    assert len(record.dates) == 68 and record.n_days == 3652
    assert record.counts("year").to_dict() == YEARS
    months = record.counts("month")
    assert len(months) == 120 and months.sum() == 68 and (months == 0).sum() > 60
    daily = record.daily()
    assert len(daily) == 3652 and set(daily.unique()) == {0, 1} and daily.sum() == 68
    assert observed_launch_days("year").to_dict() == YEARS  # the analysis layer's helper, same numbers


def test_record_view_ends_at_its_cutoff_and_refuses_later_days():
    record = observed_record()
    seen = record.upto(D("2015-12-31"))
    assert seen.end == D("2015-12-31") and max(seen.dates) <= D("2015-12-31") and len(seen.dates) == 23
    with pytest.raises(ValueError, match="nothing is known"):
        record.upto(D("2020-01-01"))
    with pytest.raises(ValueError, match="nothing is known"):
        seen.upto(D("2016-01-01"))


# ---- climatology and persistence ----------------------------------------------------------------
@pytest.mark.parametrize("until, clim, pers", [
    ("2013-12-31", (0 + 0 + 2 + 3, 365 * 4 + 1), (3, 365)),
    ("2015-12-31", (23, 365 * 6 + 1), (7, 365)),
    ("2017-12-31", (54, 365 * 8 + 2), (15, 365)),
    ("2016-12-31", (39, 365 * 7 + 2), (16, 366)),  # a leap year's 12 months have 366 days
])
def test_constant_rates_equal_hand_counts(until, clim, pers):
    assert Climatology().fit(D(until)).rate == clim[0] / clim[1]
    assert Persistence().fit(D(until)).rate == pers[0] / pers[1]


def test_persistence_window_is_the_twelve_months_before_the_origin():
    # 2014-07-01 .. 2015-06-30: launch days of the second half of 2014 and the first of 2015
    record = observed_record()
    hand = sum(1 for d in record.dates if D("2014-07-01") <= d <= D("2015-06-30"))
    assert Persistence().fit(D("2015-06-30")).rate == hand / 365
    with pytest.raises(ValueError, match="12 months"):
        Persistence().fit(D("2010-11-30"))


def test_constant_rate_samples_are_binomial_days_per_month():
    fitted = Climatology().fit(D("2015-12-31"))
    draws = fitted.sample(D("2016-01-01"), 24, 4000, np.random.default_rng(5))
    days = days_in_months(D("2016-01-01"), 24)
    assert draws.shape == (4000, 24) and (draws >= 0).all() and (draws <= days).all()
    expected = days * fitted.rate
    se = np.sqrt(days * fitted.rate * (1 - fitted.rate) / 4000)
    assert np.all(np.abs(draws.mean(axis=0) - expected) < 5 * se)
    again = Climatology().fit(D("2015-12-31")).sample(D("2016-01-01"), 24, 4000, np.random.default_rng(5))
    assert np.array_equal(draws, again)


def test_forecasts_start_after_the_training_data_on_a_first():
    for forecaster in baselines():
        assert isinstance(forecaster, Forecaster)
        with pytest.raises(RuntimeError, match="fit"):
            forecaster.sample(D("2016-01-01"), 3, 10, np.random.default_rng(0))
        forecaster.fit(D("2015-12-31"))
        with pytest.raises(ValueError, match="overlap"):
            forecaster.sample(D("2015-12-01"), 3, 10, np.random.default_rng(0))
        with pytest.raises(ValueError, match="first of a month"):
            forecaster.sample(D("2016-01-02"), 3, 10, np.random.default_rng(0))


# ---- Hawkes: likelihood, estimation, simulation -------------------------------------------------
TRUTH = np.array([0.02, 0.05, 0.1])  # mu, alpha, beta per day: branching ratio 0.5, half-life ~7 days


def test_hawkes_gradient_and_hessian_match_finite_differences():
    _, times = hawkes.simulate(TRUTH, 0.0, 3000.0, 1, np.random.default_rng(11))
    theta = np.array([0.015, 0.06, 0.12])
    value, grad, hess = hawkes.loglik(times, 3000.0, theta, order=2)
    assert value == pytest.approx(hawkes.loglik(times, 3000.0, theta))
    numeric = approx_fprime(theta, lambda th: hawkes.loglik(times, 3000.0, th), 1e-8)
    assert grad == pytest.approx(numeric, rel=1e-4, abs=1e-3)
    for k in range(3):
        row = approx_fprime(theta, lambda th: hawkes.loglik(times, 3000.0, th, order=1)[1][k], 1e-8)
        assert hess[k] == pytest.approx(row, rel=1e-4, abs=1e-1)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_hawkes_mle_recovers_simulated_parameters_within_three_standard_errors(seed):
    # Fixed seeds make this deterministic; ~400 events per path keep the MLE near-normal.
    horizon = 10_000.0
    _, times = hawkes.simulate(TRUTH, 0.0, horizon, 1, np.random.default_rng(seed))
    fit = hawkes.fit_hawkes(times, horizon)
    assert fit.converged and np.all(np.isfinite(fit.se)) and np.all(fit.se > 0)
    assert np.all(np.abs(fit.theta - TRUTH) < 3 * fit.se), (fit.theta, fit.se)
    assert abs(fit.branching - 0.5) < 3 * fit.branching_se


def test_hawkes_simulation_matches_the_expected_count():
    # From excitation E0 the mean intensity m(t) solves m' = -(beta - alpha) (m - m_inf):
    # m(t) = m_inf + (m0 - m_inf) exp(-(beta - alpha) t), m_inf = mu beta / (beta - alpha).
    mu, alpha, beta = TRUTH
    e0, span, n = 3.0, 60.0, 4000
    m_inf, m0, k = mu * beta / (beta - alpha), mu + alpha * e0, beta - alpha
    expected = m_inf * span + (m0 - m_inf) * (1 - math.exp(-k * span)) / k
    path, _ = hawkes.simulate(TRUTH, 100.0, 100.0 + span, n, np.random.default_rng(7), excitation0=e0)
    counts = np.bincount(path, minlength=n)
    assert abs(counts.mean() - expected) < 4 * counts.std() / math.sqrt(n)


def test_hawkes_excitation_counts_only_the_past():
    assert hawkes.excitation(np.array([1.0, 2.0, 5.0]), 3.0, 0.5) == pytest.approx(math.exp(-1) + math.exp(-0.5))


def test_hawkes_needs_two_events():
    with pytest.raises(ValueError, match="at least 2 events"):
        hawkes.fit_hawkes(np.array([3.0]), 100.0)


def test_hawkes_forecaster_counts_launch_days_per_month():
    record = observed_record()
    forecaster = Hawkes(record).fit(D("2017-12-31"))
    assert forecaster.fitted.n_events == sum(YEARS[y] for y in range(2010, 2018))
    assert 0 < forecaster.fitted.branching <= 1
    draws = forecaster.sample(D("2018-03-01"), 6, 500, np.random.default_rng(3))  # two months' gap simulated
    assert draws.shape == (500, 6) and (draws >= 0).all()
    assert (draws <= days_in_months(D("2018-03-01"), 6)).all()
    assert np.array_equal(draws, forecaster.sample(D("2018-03-01"), 6, 500, np.random.default_rng(3)))


def test_hawkes_on_a_synthetic_record_reads_days_as_mid_day_events():
    record = LaunchRecord.from_dates(["2000-01-01", "2000-01-03", "2000-01-04"], "2000-01-01", "2000-01-31")
    forecaster = Hawkes(record).fit(D("2000-01-31"))
    assert np.array_equal(forecaster._times, [0.5, 2.5, 3.5]) and forecaster.fitted.horizon == 31.0
    rows = dict((name, value) for name, value, _ in forecaster.params())
    assert set(rows) == {"mu", "alpha", "beta", "branching"} and rows["branching"] < 1
