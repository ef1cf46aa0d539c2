"""Agent-based simulation of escalation on the Korean peninsula, on Mesa.

Notebook use::

    from sim import load_scenario, simulate
    result = simulate(load_scenario("baseline"), seed=1)
    result.daily.plot(x="date", y="escalation_index")
"""

from sim.schema.loader import ScenarioError, bundled_scenarios, load_scenario, scenario_hash


def simulate(scenario, seed=None, days=None):
    """Run one scenario (a Scenario, a path or a bundled name) and return its RunResult."""
    from sim.run.single import simulate as _simulate

    if not hasattr(scenario, "actors"):
        scenario = load_scenario(scenario)
    return _simulate(scenario, seed=seed, days=days)


__all__ = ["ScenarioError", "bundled_scenarios", "load_scenario", "scenario_hash", "simulate"]
