"""The model layer: actors, policies, world state and its dynamics."""

from sim.model.model import EscalationModel

__all__ = ["EscalationModel"]
