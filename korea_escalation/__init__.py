"""`korea_escalation`: the notebook API of the korea-escalation package under a unique name.

The implementation is the package `sim`. A notebook with its own `sim.py` (or `sim/`) beside
it would get that file from `import sim`, because the notebook's folder comes first on
sys.path. This alias loads the `sim` package installed beside it, whatever else is called
`sim`, and re-exports its public API::

    import korea_escalation as ke
    run = ke.simulate("baseline", seed=1, overrides={"actors.DPRK.policy.params.drill_response": 0.8})

Python knows one module per name, so in that session `import sim` then gives the package
too (a warning says so); rename your own file to use both.

Valid on old Pythons, so that the version check can say in one line what is wrong.
"""

import sys

if sys.version_info < (3, 12):
    raise SystemExit("korea-escalation needs Python 3.12 or newer; this is %d.%d (%s)"
                     % (sys.version_info[0], sys.version_info[1], sys.executable))

import importlib.machinery
import importlib.util
import os
import warnings

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # site-packages or the checkout


def _same(path_a, path_b):
    return os.path.realpath(path_a) == os.path.realpath(path_b)


def _load_sim():
    """The package `sim` that was installed with this alias, loaded under its own name."""
    ours = importlib.machinery.PathFinder.find_spec("sim", [_ROOT])
    if ours is None:  # an editable install maps `sim` through its own finder, not _ROOT
        ours = importlib.util.find_spec("sim")
    loaded = sys.modules.get("sim")
    if loaded is not None:
        if getattr(loaded, "__file__", None) and _same(loaded.__file__, ours.origin):
            return loaded
        raise ImportError("korea_escalation: the name 'sim' is taken by %s, imported before; "
                          "rename that file to use korea-escalation in this session"
                          % getattr(loaded, "__file__", loaded))
    found = importlib.util.find_spec("sim")
    if found is not None and found.origin and not _same(found.origin, ours.origin):
        if not os.environ.get("KOREA_ESCALATION_SHADOW_WARNED"):
            warnings.warn("korea_escalation: %s is shadowed by the korea-escalation package in this session "
                          "('import sim' now gives the package); rename it to use it" % found.origin, stacklevel=3)
            os.environ["KOREA_ESCALATION_SHADOW_WARNED"] = "1"  # once, not again in worker processes
        module = importlib.util.module_from_spec(ours)
        sys.modules["sim"] = module
        try:
            ours.loader.exec_module(module)
        except BaseException:
            del sys.modules["sim"]
            raise
        return module
    return importlib.import_module("sim")


_sim = _load_sim()
__all__ = list(_sim.__all__)


def __getattr__(name):
    return getattr(_sim, name)


def __dir__():
    return sorted(set(globals()) | set(__all__))
