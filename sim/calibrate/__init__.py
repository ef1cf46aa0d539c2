"""Calibration on the observed 2010-2019 record, forecasts and backtests against naive baselines.

Keep this file free of imports: the analysis layer reads `sim.calibrate.observed`, and the
analysis layer must never pull in the model through a package import.

    replay, likelihood   the record replayed through the model; the launch hazard fitted by likelihood
    summaries, simulation, calibrate   summary statistics, the simulation stage, the orchestrator
    observed   the observed DPRK launch record as launch days (daily, monthly, yearly)
    hawkes     the self-exciting process: exact likelihood, MLE with standard errors, thinning
    baselines  climatology, persistence and Hawkes forecasters (the Forecaster protocol)
    scores     CRPS, Brier score and PIT of monthly launch-day forecasts
    backtest   rolling-origin backtests of any forecaster against the record (+ backtest_output)
"""
