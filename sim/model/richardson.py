"""Richardson's arms-race model as a linear map: the analytic check on the tension dynamics.

On the flattened tension matrix the deterministic step is ``x <- L x + dt*g``; the model steps
it elementwise (``sim.model.dynamics``), and these functions give the stability test and the
equilibrium the tests compare it with (REFERENCE.md, section 3).
"""

from __future__ import annotations

import numpy as np


def linear_map(K: np.ndarray, m: np.ndarray, dt: float) -> np.ndarray:
    """L such that vec(T + dt*(K o T^T - m o T)) = L @ vec(T), diagonal pairs held at zero."""
    n = len(m)
    L = np.eye(n * n)
    for i in range(n):
        for j in range(n):
            if i == j:
                L[i * n + j, i * n + j] = 0.0
                continue
            L[i * n + j, i * n + j] -= dt * m[i]
            L[i * n + j, j * n + i] += dt * K[i, j]
    return L


def stable(K: np.ndarray, m: np.ndarray, dt: float) -> bool:
    """Every eigenvalue of the discrete map inside the unit circle."""
    return bool(np.max(np.abs(np.linalg.eigvals(linear_map(K, m, dt)))) < 1.0)


def equilibrium(K: np.ndarray, m: np.ndarray, G: np.ndarray) -> np.ndarray:
    """Fixed point of the deterministic dynamics, x* = (I - L)^-1 g (independent of dt)."""
    n = len(m)
    A = np.eye(n * n) - linear_map(K, m, 1.0)
    off = [k for k in range(n * n) if k // n != k % n]
    sol = np.zeros(n * n)
    sol[off] = np.linalg.solve(A[np.ix_(off, off)], G.ravel()[off])
    return sol.reshape(n, n)
