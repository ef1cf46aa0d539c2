"""The model layer: actors, policies, world state and its dynamics, for R replications at once."""

from sim.model.model import EscalationModel

__all__ = ["EscalationModel"]
