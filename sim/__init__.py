"""Agent-based simulation of escalation on the Korean peninsula, on Mesa.

Notebook use (the same API is importable as `korea_escalation`, which a notebook's own
`sim.py` cannot shadow)::

    import korea_escalation as ke
    run = ke.simulate("baseline", seed=1)
    run.daily.plot(x="date", y="escalation_index")

Names are imported on first use (PEP 562), so `import sim` and the `escalation` command's
quick paths (--help, scenarios, validate) do not pay for Mesa, pandas or matplotlib.

This file must stay valid on old Pythons (no newer syntax) so that the version check below
can run and say, in one line, what is wrong.
"""

import sys

if sys.version_info < (3, 12):
    raise SystemExit("korea-escalation needs Python 3.12 or newer; this is %d.%d (%s)"
                     % (sys.version_info[0], sys.version_info[1], sys.executable))

_LAZY = {
    "ScenarioError": "sim.schema.loader",
    "bundled_scenarios": "sim.schema.loader",
    "load_scenario": "sim.schema.loader",
    "scenario_hash": "sim.schema.loader",
    "APIError": "sim.api",
    "Batch": "sim.api",
    "Run": "sim.api",
    "Sweep": "sim.api",
    "batch": "sim.api",
    "simulate": "sim.api",
    "sweep": "sim.api",
    "variant": "sim.api",
}

__all__ = sorted(_LAZY) + ["__version__"]


def _version():
    """The installed distribution's version; a checkout that was never installed says so."""
    from importlib import metadata

    try:
        return metadata.version("korea-escalation")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def __getattr__(name):
    if name == "__version__":
        value = _version()
    elif name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        raise AttributeError("module 'sim' has no attribute %r" % name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
