"""Live figures redrawn by blitting: the static part is drawn once, each frame only what moves.

Drawing a whole matplotlib figure (text, ticks, layout) costs ~0.1 s, too slow for a page
that redraws after every simulated day. A `LivePanel` keeps one Figure per model: its static
part (axes, bands, labels, legends) is drawn once into a saved background, and a frame
restores that background and draws only the moving artists on it (matplotlib's documented
blitting technique), then encodes the canvas as PNG. A frame whose `key()` has not changed
since the last one is not drawn at all, and a change of `structure()` (e.g. a new kind of
action needing a legend entry) rebuilds the static part.

`figure()` returns the same Figure fully drawn, for notebooks and tests.
"""

from __future__ import annotations

import io
import threading
from typing import Hashable

import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from PIL import Image

from sim.analysis import style

DPI = 100


class LivePanel:
    """Subclasses build the figure and say which artists move and when a redraw is due."""

    def __init__(self, trace) -> None:
        self.trace = trace
        self.fig: Figure | None = None
        self._structure: Hashable = object()
        self._background = None
        self._key: Hashable = object()
        self._png = b""
        self._lock = threading.Lock()
        self.frames = 0  # frames drawn (a test and the timing log read it)

    # ---- for subclasses -------------------------------------------------------------------
    def structure(self) -> Hashable:
        """What the static part depends on; the figure is rebuilt when it changes."""
        return None

    def key(self) -> Hashable:
        """What the picture depends on; no frame is drawn while it stays the same."""
        raise NotImplementedError

    def build(self) -> Figure:
        """A new figure with its static part and the moving artists (empty)."""
        raise NotImplementedError

    def update(self) -> list[Artist]:
        """Set the moving artists from the model; return them in drawing order."""
        raise NotImplementedError

    # ---- frames ---------------------------------------------------------------------------
    def png(self) -> bytes:
        """The current picture as PNG bytes; the cached bytes object when nothing visible changed."""
        with self._lock:
            key = self.key()
            if key == self._key and self._png:
                return self._png
            with mpl.rc_context(style.RC):
                self._ensure_static()
                moving = self.update()
                canvas = self.fig.canvas
                canvas.restore_region(self._background)
                for artist in moving:
                    self.fig.draw_artist(artist)
                self._png = encode(canvas.buffer_rgba())
            self._key = key
            self.frames += 1
            return self._png

    def figure(self) -> Figure:
        """The figure as it stands, every artist in place (a full draw happens on savefig)."""
        with self._lock, mpl.rc_context(style.RC):
            self._ensure_static()
            self.update()
            return self.fig

    def _ensure_static(self) -> None:
        structure = self.structure()
        if self.fig is not None and structure == self._structure:
            return
        self.fig = self.build()
        moving = self.update()
        for artist in moving:
            artist.set_visible(False)
        self.fig.canvas.draw()  # lays the figure out (constrained) and draws the static part
        self.fig.set_layout_engine("none")  # frozen: the background must stay valid
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        for artist in moving:
            artist.set_visible(True)
        self._structure = structure


def encode(rgba) -> bytes:
    """PNG bytes of an RGBA canvas buffer, compressed lightly (speed matters more than size here)."""
    image = Image.fromarray(np.asarray(rgba)[..., :3])
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()
