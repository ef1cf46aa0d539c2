"""The explorer: an interactive page (Mesa SolaraViz) that runs one scenario day by day.

`escalation explore [SCENARIO]` serves it (sim.explore.app). The page re-creates the model
from its sliders on Reset (sim.explore.model.ExplorerModel) and redraws the escalation
curve, the event timeline and the relations network after each step
(sim.explore.components). This is the one place outside sim.run that drives the model.
"""
