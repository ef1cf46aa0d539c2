"""Settings shared by every test module.

Hypothesis: the `repeatable` profile, used by the README's `pytest` command and by CI, is
derandomized: each property test draws the same examples on every run and every machine
(seeded from the test itself), and no example database is read or written. Why: a property
test is written to hold for every case its strategy can draw, but if one day it does not, a
fresh clone must fail (or pass) exactly as CI did. With random draws plus the `.hypothesis/`
database, a failing case found once was replayed forever in that one clone and nowhere else,
so two checkouts of the same commit disagreed. To hunt for new counterexamples, use the
`explore` profile: fresh random cases on every run, failures remembered locally:

    pytest -m hypothesis --hypothesis-profile=explore

Markers (registered in pyproject.toml): `slow` marks tests that take more than about two
seconds on a quiet machine; `pytest -m "not slow"` is the quick subset.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("repeatable", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
