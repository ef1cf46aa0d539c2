"""The explorer: an interactive page (Solara, on Mesa's model) that runs one scenario day by day.

`escalation explore [SCENARIO]` serves it (sim.explore.app). The page builds the model from
its sliders on Reset (sim.explore.model.ExplorerModel) and, after each Step or Play frame,
redraws only what changed: the escalation curve, the event timeline and the relations
network are live figures (sim.explore.blit, panels, timeline) fed by an incremental reader
of the run (sim.explore.trace). This is the one place outside sim.run that drives the model.
Its browser assets are installed by `escalation explore --install-assets` (sim.explore.assets).
"""
