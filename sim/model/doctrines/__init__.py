"""Role doctrines and the other named policies: small, pure functions from a snapshot to moves.

A policy never draws random numbers: it is handed its role's named draws for the day, so the
same snapshot and draws always give the same moves (tested with tables of expected moves,
one replication per row), and every actor consumes the same draws whatever it does.
"""

from sim.model.doctrines.policies import POLICIES, resolve_policy

__all__ = ["POLICIES", "resolve_policy"]
