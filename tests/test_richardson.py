"""With actions off and no noise, tension follows Richardson's arms-race model (REFERENCE §3)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, example, given, settings, strategies as st

from sim.model import EscalationModel
from sim.model.world import equilibrium, stable
from tests.helpers import two_actor


def _final(sc, days):
    m = EscalationModel(sc, days=days, rng=0, daily=False, events=False).run()
    T = m.world.tension_matrix()
    return T[0, 1], T[1, 0]


def richardson_equilibrium(a, b, m, n, g, h):
    den = m * n - a * b
    return (a * h + n * g) / den, (b * g + m * h) / den


@pytest.mark.parametrize("a,b,m,n,g,h", [
    (0.02, 0.015, 0.05, 0.05, 0.015, 0.01),
    (0.1, 0.05, 0.2, 0.1, 0.03, 0.02),
    (0.0, 0.0, 0.1, 0.2, 0.05, 0.01),
])
@pytest.mark.slow
def test_equilibrium_matches_formula(a, b, m, n, g, h):
    x_star, y_star = richardson_equilibrium(a, b, m, n, g, h)
    x, y = _final(two_actor(a, b, m, n, g, h, days=4000), 4000)
    assert x == pytest.approx(x_star, rel=1e-6)
    assert y == pytest.approx(y_star, rel=1e-6)
    K = np.array([[0, a], [b, 0]])
    assert equilibrium(K, np.array([m, n]), np.array([[0, g], [h, 0]]))[0, 1] == pytest.approx(x_star)


@pytest.mark.slow
def test_unstable_when_reaction_beats_restraint():
    a, b, m, n = 0.08, 0.06, 0.05, 0.05  # a*b = 0.0048 > m*n = 0.0025
    x, y = _final(two_actor(a, b, m, n, 0.01, 0.01, x0=0.5, y0=0.5, days=3000), 3000)
    assert x > 1e3 and y > 1e3
    assert not stable(np.array([[0, a], [b, 0]]), np.array([m, n]), 1.0)


def test_first_step_is_one_euler_step():
    a, b, m, n, g, h, x0, y0 = 0.1, 0.2, 0.3, 0.4, 0.05, 0.06, 0.7, 0.2
    x, y = _final(two_actor(a, b, m, n, g, h, x0=x0, y0=y0, days=1), 1)
    assert x == pytest.approx(x0 + a * y0 - m * x0 + g)
    assert y == pytest.approx(y0 + b * x0 - n * y0 + h)


def _richardson_map(a, b, m, n):
    """One day of REFERENCE §3 with dt = 1: X(t+1) = J X(t) + G, J = I + K - M."""
    return np.array([[1.0 - m, a], [b, 1.0 - n]])


def _horizon(J, dev0, offset, done, ratio):
    """Days until the exact state J^t dev0 + offset satisfies `done`.

    A deviation shrinks or grows like rho^t (rho: the spectral radius of J), so the first
    guess is the t with rho^t = ratio. A non-normal J (a or b near 0 with m near n) adds a
    factor t, so the exact matrix power decides, lengthening the guess by 20% at a time.
    """
    rho = max(abs(np.linalg.eigvals(J)))
    t = max(1, math.ceil(math.log(ratio) / abs(math.log(rho))))
    while not done(np.linalg.matrix_power(J, t) @ dev0 + offset):
        t = math.ceil(t * 1.2)
    return t


@pytest.mark.slow
@example(a=0.28125, b=0.27734, m=0.28125, n=0.28125)  # rho = 0.998: 3,000 days were not enough
@example(a=0.29816, b=0.29816, m=0.3, n=0.3)  # rho = 0.998
@example(a=0.3, b=0.0, m=0.05, n=0.05)  # defective J: the deviation decays like t * rho^t
@example(a=0.3, b=0.3, m=0.01, n=0.01)  # the fastest runaway, rho = 1.29
@settings(max_examples=20, deadline=None)
@given(a=st.floats(0.0, 0.3), b=st.floats(0.0, 0.3), m=st.floats(0.01, 0.3), n=st.floats(0.01, 0.3))
def test_stability_boundary_is_mn_greater_than_ab(a, b, m, n):
    """Stable iff m*n > a*b, checked by running for a horizon derived from the eigenvalues.

    Within these ranges the eigenvalues of J are real and positive (a*b >= 0, m + n <= 0.6),
    so dt*|lambda| < 2 holds and stability is rho < 1. A deviation changes like rho^t, so a
    horizon of about ln(1/tol)/|1 - rho| days tells the two cases apart: at most ~17,000 days
    (0.2 s) here. The `assume` leaves out cases within 1e-3 of the unit circle, where that
    horizon grows without bound; it is a limit of finite runs, not of the model.
    """
    J, G = _richardson_map(a, b, m, n), np.array([0.01, 0.01])
    X0 = np.array([0.3, 0.3])
    rho = max(abs(np.linalg.eigvals(J)))
    assume(abs(1.0 - rho) >= 1e-3)
    assert (rho < 1.0) == (m * n > a * b)
    assert stable(np.array([[0, a], [b, 0]]), np.array([m, n]), 1.0) == (m * n > a * b)
    if m * n > a * b:
        x_star = np.array(richardson_equilibrium(a, b, m, n, *G))
        tol = 1e-6 * max(1.0, float(np.max(np.abs(x_star))))
        dev0 = X0 - x_star
        days = _horizon(J, dev0, 0.0, lambda dev: np.max(np.abs(dev)) <= tol / 10,
                        ratio=max(2.0, 10 * np.max(np.abs(dev0)) / tol))
        x, y = _final(two_actor(a, b, m, n, *G, x0=X0[0], y0=X0[1], days=days), days)
        assert abs(x - x_star[0]) <= tol and abs(y - x_star[1]) <= tol
    else:
        fixed = np.linalg.solve(np.eye(2) - J, G)  # the unstable fixed point (negative here)
        days = _horizon(J, X0 - fixed, fixed, lambda state: np.min(state) >= 100.0,
                        ratio=100.0 / np.min(X0 - fixed))
        x, y = _final(two_actor(a, b, m, n, *G, x0=X0[0], y0=X0[1], days=days), days)
        assert min(x, y) > 50.0
