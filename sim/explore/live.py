"""One model on the page with everything drawn from it, stepped under a lock and timed.

A Step (or a Play frame) advances the model and draws the panels' new frames right away, in
the handler, so the page's render only picks up bytes already made and the time a Step costs
on the server is measured in one place (`Live.last`, shown on the page). Panels whose picture
has not changed (see their `key()`) are not drawn and keep the same bytes, so the browser is
sent nothing new for them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from sim.explore.panels import CurvePanel, NetworkPanel
from sim.explore.timeline import TimelinePanel
from sim.explore.trace import Trace


@dataclass
class Timing:
    """What the last Step or Play frame cost on the server."""

    days: int = 0
    model_ms: float = 0.0
    draw_ms: float = 0.0
    drawn: list[str] = field(default_factory=list)

    def text(self) -> str:
        if not self.days:
            return f"Figures drawn in {self.draw_ms:.0f} ms."
        what = ", ".join(self.drawn) if self.drawn else "nothing"
        return (f"Last {'step' if self.days == 1 else f'frame ({self.days} days)'}: model {self.model_ms:.1f} ms, "
                f"figures {self.draw_ms:.0f} ms (redrawn: {what}).")


class Live:
    """The page's model, its trace and its three live panels."""

    def __init__(self, model) -> None:
        self.model = model
        self.trace = Trace(model)
        self.panels = {"curve": CurvePanel(self.trace), "network": NetworkPanel(self.trace),
                       "timeline": TimelinePanel(self.trace)}
        self.lock = threading.Lock()
        self.last = Timing()
        self.draw()

    def advance(self, days: int = 1) -> int:
        """Step up to `days` days (fewer at the end of the horizon), then draw; return days stepped."""
        with self.lock:
            start = time.perf_counter()
            done = 0
            while done < days and self.model.running:
                self.model.step()
                done += 1
            model_ms = 1000 * (time.perf_counter() - start)
            self.draw()
            self.last.days, self.last.model_ms = done, model_ms
        return done

    def draw(self) -> dict[str, bytes]:
        """Every panel's current picture (drawn only where it changed); timed into `last`."""
        start = time.perf_counter()
        before = {name: p.frames for name, p in self.panels.items()}
        out = {name: p.png() for name, p in self.panels.items()}
        self.last = Timing(draw_ms=1000 * (time.perf_counter() - start),
                           drawn=[name for name, p in self.panels.items() if p.frames != before[name]])
        return out

    def png(self, name: str) -> bytes:
        return self.panels[name].png()
