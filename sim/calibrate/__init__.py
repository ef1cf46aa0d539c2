"""Calibration on the observed 2010-2019 record, forecasts and backtests against naive baselines."""
