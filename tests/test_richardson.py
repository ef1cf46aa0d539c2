"""With actions off and no noise, tension follows Richardson's arms-race model (REFERENCE §3)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from sim.model import EscalationModel
from sim.model.world import equilibrium, stable
from tests.helpers import two_actor


def _final(sc, days):
    m = EscalationModel(sc, days=days, rng=0).run()
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
def test_equilibrium_matches_formula(a, b, m, n, g, h):
    x_star, y_star = richardson_equilibrium(a, b, m, n, g, h)
    x, y = _final(two_actor(a, b, m, n, g, h, days=4000), 4000)
    assert x == pytest.approx(x_star, rel=1e-6)
    assert y == pytest.approx(y_star, rel=1e-6)
    K = np.array([[0, a], [b, 0]])
    assert equilibrium(K, np.array([m, n]), np.array([[0, g], [h, 0]]))[0, 1] == pytest.approx(x_star)


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


@settings(max_examples=60, deadline=None)
@given(a=st.floats(0.0, 0.3), b=st.floats(0.0, 0.3), m=st.floats(0.01, 0.3), n=st.floats(0.01, 0.3))
def test_stability_boundary_is_mn_greater_than_ab(a, b, m, n):
    """Stable iff m*n > a*b (dt small enough that dt*|lambda| < 2, as here)."""
    if abs(m * n - a * b) < 1e-3:
        return  # too close to the boundary to tell in finite time
    assert stable(np.array([[0, a], [b, 0]]), np.array([m, n]), 1.0) == (m * n > a * b)
    x, y = _final(two_actor(a, b, m, n, 0.01, 0.01, x0=0.3, y0=0.3, days=3000), 3000)
    if m * n > a * b:
        x_star, y_star = richardson_equilibrium(a, b, m, n, 0.01, 0.01)
        assert x == pytest.approx(x_star, rel=1e-3, abs=1e-6)
    else:
        assert max(x, y) > 50.0
