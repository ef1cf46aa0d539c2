"""The world at the start of a run: from the scenario's own values, or from the historical record.

A scenario built from the packaged data (``historical_calendar`` with ``state: true``) starts
from the world as the data say it was on its start date; any other scenario starts from the
values it states.
"""

from __future__ import annotations

from types import SimpleNamespace

from sim.model.cast import Cast
from sim.model.setup import Stacker
from sim.model.world import DIALOGUE_STATES


def initial_world(stack: Stacker, cast: Cast, scenarios) -> SimpleNamespace:
    """Per-replication starting values of the world's stocks and policy state."""
    w = lambda attr, dtype=float: stack(lambda sc: getattr(sc.world, attr), dtype)  # noqa: E731
    return SimpleNamespace(
        sanctions=w("sanctions"), cooperation=w("cooperation"), domestic_support=w("domestic_support"),
        public_dialogue_share=w("public_dialogue_share"),
        progressive=stack(lambda sc: sc.world.orientation == "progressive"),
        dialogue=stack(lambda sc: DIALOGUE_STATES.index(sc.world.dialogue_state), int),
        development_line=w("development_line"), hostility_doctrines=w("hostility_doctrines"),
        monitoring=w("monitoring"),
    )
