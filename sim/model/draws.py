"""Named random draws in a fixed daily layout, one generator per replication.

Every replication consumes the same numbers every day whatever it does: a world block, one
block per actor (its role names the slots), and the tension noise. So two scenarios with the
same actors run on common random numbers, replication i of an ensemble equals a single run
with the same seed bit for bit, and a longer horizon extends a shorter one's stream.
Each replication's generator is read ``BLOCK`` days at a time (uniforms, then normals): one
call per block rather than one per number, in a layout that does not depend on R.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np

BLOCK = 32  # days drawn per generator call; fixed, so the stream layout never depends on the ensemble
GROUP = 128  # replications drawn into one scratch block before it is transposed (about 0.5 MB: stays in cache)

WORLD = ("success", "clash", "election")


class ProvocateurDraws(NamedTuple):
    launch: np.ndarray         # does the provocateur launch today
    missile_class: np.ndarray  # which class
    salvo: np.ndarray          # how many missiles
    escalate: np.ndarray       # a nuclear test or, failing that, a threat
    dialogue: np.ndarray       # its move in talks (accept, walk out)


class AllyDraws(NamedTuple):
    answer: np.ndarray         # answer a launch (M5)
    answer_kind: np.ndarray    # trilateral drill or show of force
    readiness: np.ndarray      # raise readiness out of fear (M11)
    sponsor: np.ndarray        # table UN sanctions after a major provocation (M8)
    tempo: np.ndarray          # make a policy move today (M8)
    choice: np.ndarray         # sanctions or dialogue (M8)


class PatronDraws(NamedTuple):
    veto: np.ndarray           # veto today's UN vote (M9)
    cooperation: np.ndarray    # military cooperation with the provocateur (M9)


class WorldDraws(NamedTuple):
    success: np.ndarray        # does today's launch succeed
    clash: np.ndarray          # armed clash (M13)
    election: np.ndarray       # the front-line ally's presidential election result (M12)


ROLE_DRAWS: dict[str, type[NamedTuple]] = {"provocateur": ProvocateurDraws, "ally": AllyDraws, "patron": PatronDraws}
SLOTS = max(len(t._fields) for t in ROLE_DRAWS.values())  # every actor gets this many, whatever its role


class DrawStream:
    """Per-replication generators read in blocks of days; ``day(t)`` names the day's draws."""

    def __init__(self, rngs: Sequence[np.random.Generator], roles: Sequence[str]) -> None:
        self.rngs, self.roles = list(rngs), tuple(roles)
        n = len(self.roles)
        self.n_uniform = len(WORLD) + n * SLOTS
        self.n_normal = n * (n - 1)
        self._start = -BLOCK
        self._u = self._z = None

    def _refill(self, t: int) -> None:
        """Draw the next block for every replication into buffers laid out by day, then slot, then
        replication: each named draw of a day is one contiguous (R,) row, and each day's normals
        one contiguous (R, n * n) block, the normal of pair (i, j) at i * n + j (zero on the
        diagonal), so the noise adds to the tensions in one pass. Replications are drawn
        ``GROUP`` at a time into a small scratch block and transposed from there, so the
        transpose works in cache at any R. The buffers are reused block after block: a day's
        draws are read only on their day."""
        R = len(self.rngs)
        n = len(self.roles)
        if self._u is None:
            self._u = np.empty((BLOCK, self.n_uniform, R))
            self._z = np.zeros((BLOCK, R, n * n))  # the diagonal (an actor toward itself) stays zero
            g = min(R, GROUP)
            self._su, self._sz = np.empty((g, BLOCK, self.n_uniform)), np.empty((g, BLOCK, self.n_normal))
        for first in range(0, R, GROUP):
            rngs = self.rngs[first:first + GROUP]
            su, sz = self._su[:len(rngs)], self._sz[:len(rngs)]
            for i, rng in enumerate(rngs):  # drawn in place: the same numbers as rng.random((BLOCK, n))
                rng.random(out=su[i])
                rng.standard_normal(out=sz[i])
            self._u[:, :, first:first + len(rngs)] = su.transpose(1, 2, 0)
            # the off-diagonal cells in row-major order: after the first cell, every run of n + 1
            # cells is n off-diagonal ones and then a diagonal one
            cells = self._z[:, first:first + len(rngs), 1:].reshape(BLOCK, len(rngs), n - 1, n + 1)[..., :n]
            cells[...] = sz.transpose(1, 0, 2).reshape(BLOCK, len(rngs), n - 1, n)
        self._start = t

    def day(self, t: int) -> "Day":
        if t >= self._start + BLOCK:
            self._refill(t)
        k = t - self._start
        return Day(self._u[k], self._z[k], self.roles)


class Day:
    """One day's draws: ``world`` and ``actor(i)`` give named (R,) arrays; ``noise`` the normals
    as (R, n * n), one per directed pair and zero on the diagonal."""

    __slots__ = ("_u", "noise", "world", "_roles")

    def __init__(self, u: np.ndarray, z: np.ndarray, roles: tuple[str, ...]) -> None:
        self._u, self.noise, self._roles = u, z, roles  # u: (slots, R); z: (R, n * n)
        self.world = WorldDraws(*u[:len(WORLD)])

    def actor(self, i: int):
        kind = ROLE_DRAWS[self._roles[i]]
        start = len(WORLD) + i * SLOTS
        return kind(*self._u[start:start + len(kind._fields)])
