"""Likelihood where the model allows it: the launch hazard, the class and the salvo.

With launches replayed, the daily launch probability 1 - exp(-base_rate * exp(sum_k w_k f_k))
is a binomial model with the complementary log-log link in the known drivers f_k. The plain
maximum-likelihood fit is a GLM (statsmodels), reported as is. Some drivers barely move over
2010-2019 (allied readiness) or are mostly the model's own noise (patron cooperation before
2019), so their weights are not informed by the record; the estimates used are therefore the
posterior mode under independent normal priors centred on the documented hand-set values
(sd ``PRIOR_SD`` on the log-hazard scale): where the record is informative it decides, where it
is not the prior does, and the note says which. Intervals are profile intervals of the
penalised likelihood. A driver that never varies in the window keeps its default and says so.
The class of each launch is a conditional logit in the class propensities, the salvo a capped
geometric count (scipy).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass
from types import SimpleNamespace

import numpy as np
from scipy import optimize, stats

from sim.calibrate.replay import Replay
from sim.model.hazard import SALVO_CAP, TERM_NAMES, TERMS
from sim.schema.params import MISSILE_CLASSES, ProvocateurParams

LEVEL = 0.95
CHI2 = stats.chi2.ppf(LEVEL, 1)  # profile-likelihood cut-off: deviance rises by 3.84
Z = stats.norm.ppf(0.5 + LEVEL / 2)
PRIOR_SD = 1.0  # prior sd of a log-hazard weight around its hand-set value (a factor e per unit driver)
FLAT = 1e-9  # a driver whose standard deviation over the window is below this never varied


def approx_hess(x, f):
    """statsmodels' numerical Hessian, imported on first use: statsmodels costs seconds to import."""
    from statsmodels.tools.numdiff import approx_hess as hess

    return hess(x, f)


@dataclass
class Estimate:
    path: str            # scenario path the value goes to, e.g. actors.DPRK.policy.params.drill_response
    mechanism: str
    estimate: float
    se: float
    low: float
    high: float
    method: str
    note: str = ""
    mle: float = math.nan      # the plain maximum-likelihood estimate (hazard weights), for comparison
    mle_se: float = math.nan

    def row(self) -> dict:
        return asdict(self)


def _prefix(provocateur: str | None, rp=None) -> str:
    """The provocateur's parameter paths: the replayed scenario's own provocateur by default."""
    if provocateur is None:
        sc = getattr(rp, "scenario", None)
        provocateur = sc.provocateur if sc is not None else "DPRK"
    return f"actors.{provocateur}.policy.params."


def fit_hazard(rp: Replay, provocateur: str | None = None, prior_sd: float = PRIOR_SD) -> tuple[list[Estimate], dict]:
    """The launch hazard's base rate and term weights: posterior mode, profile intervals, and the MLE."""
    import statsmodels.api as sm  # here, not at the top: seconds to import, needed only for this fit

    keep = rp.free | rp.launched
    X, y = rp.features[keep], rp.launched[keep].astype(float)
    varied = [k for k in range(X.shape[1]) if X[:, k].std() > FLAT]
    design = np.column_stack([np.ones(len(y)), X[:, varied]])
    defaults = ProvocateurParams()
    prior = np.array([getattr(defaults, TERMS[TERM_NAMES[k]][0]) for k in varied])
    post = Posterior(y, design, prior, prior_sd)
    start = np.r_[math.log(max(y.mean(), 1e-4)), prior]
    best = optimize.minimize(post.nll_and_grad, start, jac=True, method="BFGS").x
    cov = np.linalg.inv(post.hessian(best))
    family = sm.families.Binomial(link=sm.families.links.CLogLog())
    mle = _mle(sm, y, design, family)
    out, prefix = [], _prefix(provocateur, rp)
    lo, hi = post.profile(best, cov, 0)
    b0, se0 = float(best[0]), math.sqrt(cov[0, 0])
    m0 = math.exp(mle.params[0])
    out.append(Estimate(prefix + "base_rate", "core", math.exp(b0), math.exp(b0) * se0, math.exp(lo), math.exp(hi),
                        METHOD, "exp(intercept)" + mle.note, m0, m0 * mle.bse[0]))
    for k, name in enumerate(TERM_NAMES):
        param, mech = TERMS[name]
        if k not in varied:
            out.append(Estimate(prefix + param, mech, getattr(defaults, param), math.nan, math.nan, math.nan, "default",
                                "not informed by the record: its driver never varies in the window"))
            continue
        j = varied.index(k) + 1
        lo, hi = post.profile(best, cov, j)
        note = "the record decides" if mle.bse[j] < prior_sd else "weakly informed: the prior weighs as much"
        if lo <= 0 <= hi:
            note += "; no clear effect in the record (the interval spans zero)"
        out.append(Estimate(prefix + param, mech, float(best[j]), math.sqrt(cov[j, j]), lo, hi, METHOD, note + mle.note,
                            float(mle.params[j]), float(mle.bse[j])))
    names = ["log_base_rate"] + [prefix + TERMS[TERM_NAMES[k]][0] for k in varied]
    info = {"loglike": -post.loglike_neg(best), "mle_loglike": mle.llf, "days": int(len(y)),
            "launch_days": int(y.sum()), "null_loglike": _mle(sm, y, design[:, :1], family).llf,
            "prior_sd": prior_sd, "posterior": (names, best.tolist(), cov.tolist()), "base_rate_path": prefix + "base_rate"}
    return out, info


METHOD = "likelihood: cloglog on the replayed record, posterior mode (normal prior at the hand-set value)"
NO_MLE = "; no finite MLE on this record (a driver separates launch days from the rest), so mle is empty"
MLE_BOUND = 50.0     # |coefficient| past which the unpenalised fit has run off (a daily rate of e^50)
MLE_SE_BOUND = 1e3   # ... or its standard error: the likelihood is flat out there (real fits: under 20)


def _mle(sm, y: np.ndarray, design: np.ndarray, family) -> SimpleNamespace:
    """The plain maximum-likelihood fit, shown beside the posterior mode, or NaNs where it does
    not exist: on a short record a driver can separate launch days from the rest, and the
    unpenalised coefficients then run off to infinity (the prior keeps the mode finite)."""
    k = design.shape[1]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            fit = sm.GLM(y, design, family=family).fit()
            params, bse, llf = np.asarray(fit.params, float), np.asarray(fit.bse, float), float(fit.llf)
        except (ValueError, OverflowError, np.linalg.LinAlgError, sm.tools.sm_exceptions.PerfectSeparationError):
            params = bse = np.full(k, np.inf)
            llf = math.nan
    if np.all(np.isfinite(params) & np.isfinite(bse)) and np.abs(params).max() < MLE_BOUND and bse.max() < MLE_SE_BOUND:
        return SimpleNamespace(params=params.tolist(), bse=bse.tolist(), llf=llf, note="")
    return SimpleNamespace(params=[math.nan] * k, bse=[math.nan] * k, llf=math.nan, note=NO_MLE)


class Posterior:
    """Negative log posterior of the cloglog launch model; the intercept has a flat prior."""

    def __init__(self, y: np.ndarray, X: np.ndarray, prior: np.ndarray, sd: float) -> None:
        self.y, self.X, self.prior, self.sd = y, X, prior, sd

    def _rate(self, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        """Each day's hazard rate (and its floor-clipped copy) and the negative log-likelihood."""
        rate = np.exp(np.minimum(self.X @ b, 30.0))
        clipped = np.maximum(rate, 1e-300)
        return rate, clipped, -float((self.y * np.log(-np.expm1(-clipped)) - (1 - self.y) * rate).sum())

    def loglike_neg(self, b: np.ndarray) -> float:
        return self._rate(b)[2]

    def _penalty(self, b: np.ndarray) -> float:
        return float(((b[1:] - self.prior) ** 2).sum()) / (2 * self.sd ** 2)

    def nll(self, b: np.ndarray) -> float:
        return self.loglike_neg(b) + self._penalty(b)

    def nll_and_grad(self, b: np.ndarray) -> tuple[float, np.ndarray]:
        """Both from one pass over the days: the optimisers ask for both at each point."""
        rate, clipped, loglike_neg = self._rate(b)
        # d/d eta of y log(1 - exp(-rate)) - (1 - y) rate, with rate = exp(eta)
        with np.errstate(over="ignore"):  # a huge rate makes the first term vanish, as it should
            score = self.y * rate / np.expm1(clipped) - (1 - self.y) * rate
        g = -(self.X.T @ score)
        g[1:] += (b[1:] - self.prior) / self.sd ** 2
        return loglike_neg + self._penalty(b), g

    def hessian(self, b: np.ndarray) -> np.ndarray:
        return approx_hess(b, self.nll)

    def profile(self, best: np.ndarray, cov: np.ndarray, j: int) -> tuple[float, float]:
        """Where the penalised deviance, minimised over the other coefficients, rises by CHI2."""
        floor = self.nll(best)
        rest_start = np.delete(best, j)

        def excess(v: float) -> float:
            def rest(r: np.ndarray) -> tuple[float, np.ndarray]:
                value, g = self.nll_and_grad(np.insert(r, j, v))
                return value, np.delete(g, j)

            r = optimize.minimize(rest, rest_start, jac=True, method="BFGS")
            return 2 * (r.fun - floor) - CHI2

        se = max(math.sqrt(cov[j, j]), 1e-3)
        bounds = []
        for sign in (-1.0, 1.0):
            step, edge = 2 * se, math.nan
            for _ in range(10):
                far = best[j] + sign * step
                if excess(far) > 0:
                    edge = optimize.brentq(excess, *sorted((best[j], far)), xtol=1e-4)
                    break
                step *= 2
            bounds.append(edge)
        return bounds[0], bounds[1]


def fit_classes(rp: Replay, provocateur: str | None = None) -> list[Estimate]:
    """Class weights relative to SRBM (fixed at 1), by a conditional logit on the class propensities."""
    seen = sorted(set(rp.choices.tolist()) - {0})
    prefix = _prefix(provocateur, rp) + "class_weights."
    defaults = ProvocateurParams().class_weights
    if not len(rp.choices):
        return []
    if 0 not in set(rp.choices.tolist()):  # weights relative to SRBM need short-range launches to compare with
        return [Estimate(prefix + k, "core", getattr(defaults, k), math.nan, math.nan, math.nan, "default",
                         "not informed by the record: no short-range launch to compare with")
                for k in MISSILE_CLASSES]

    def nll(logw: np.ndarray) -> float:
        w = np.ones(len(MISSILE_CLASSES))
        w[seen] = np.exp(logw)
        util = rp.reach * w
        p = util[np.arange(len(rp.choices)), rp.choices] / util.sum(axis=1)
        return -float(np.log(np.maximum(p, 1e-300)).sum())

    res = optimize.minimize(nll, np.zeros(len(seen)), method="L-BFGS-B", bounds=[(-10.0, 10.0)] * len(seen))
    cov = np.linalg.pinv(approx_hess(res.x, nll))
    out = [Estimate(prefix + "SRBM", "core", 1.0, 0.0, 1.0, 1.0, "reference", "the other weights are relative to it")]
    for i, k in enumerate(seen):
        se = math.sqrt(max(cov[i, i], 0.0))
        est = math.exp(res.x[i])
        out.append(Estimate(prefix + MISSILE_CLASSES[k], "core", est, est * se, math.exp(res.x[i] - Z * se),
                            math.exp(res.x[i] + Z * se), "likelihood (conditional logit on the replayed record)"))
    for k in range(1, len(MISSILE_CLASSES)):
        if k not in seen:
            name = MISSILE_CLASSES[k]
            out.append(Estimate(prefix + name, "core", getattr(defaults, name), math.nan, math.nan, math.nan, "default",
                                "not informed by the record: no launch of this class in the window"))
    return out


def fit_salvo(rp: Replay, provocateur: str | None = None) -> Estimate:
    """The short-range salvo scale: 1 + a geometric count capped at SALVO_CAP - 1 (its MLE)."""
    extra = np.minimum(rp.salvos[rp.choices == 0] - 1, SALVO_CAP - 1)
    if not len(extra) or not extra.any():
        default = ProvocateurParams().salvo_mean
        return Estimate(_prefix(provocateur, rp) + "salvo_mean", "core", default, math.nan, math.nan, math.nan,
                        "default", f"not informed by the record: {len(extra)} short-range launch days, no salvo")

    def nll(q: float) -> float:
        capped = extra == SALVO_CAP - 1
        return -float((np.where(capped, extra * np.log(q), np.log1p(-q) + extra * np.log(q))).sum())

    res = optimize.minimize_scalar(nll, bounds=(1e-6, 1 - 1e-6), method="bounded")
    q = float(res.x)
    se_q = math.sqrt(1.0 / max(float(approx_hess(np.array([q]), lambda v: nll(float(v[0])))[0, 0]), 1e-12))
    mean = lambda q: 1.0 - 1.0 / math.log(q)  # noqa: E731  (q = exp(-1 / (salvo_mean - 1)))
    lo, hi = max(q - Z * se_q, 1e-6), min(q + Z * se_q, 1 - 1e-6)
    return Estimate(_prefix(provocateur, rp) + "salvo_mean", "core", mean(q), se_q / (q * math.log(q) ** 2),
                    mean(lo), mean(hi), "likelihood (capped geometric salvo on the replayed record)",
                    f"{len(extra)} short-range launch days")
