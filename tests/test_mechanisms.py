"""Direction of effect of every mechanism M1-M13, and its switch as a meta-test.

Each claim (tests/claims.py) compares the same seeds with and without the mechanism's driver.
With the mechanism on, every effect must be clearly positive (over three standard errors);
with ``mechanisms: {Mn: false}`` in both arms, none may be: switching a mechanism off removes
every path it has, so the test that shows it must fail. Seeds are fixed, so both are exact.
Both settings are measured in one test, stepped together as one ensemble (tests/effects.py
``measure``); each effect is the one its setting gives alone, bit for bit.
"""

from __future__ import annotations

import pytest

from tests.claims import CLAIMS
from tests.effects import Z, measure

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("mid", list(CLAIMS))
def test_mechanism_has_its_claimed_direction_and_switching_it_off_makes_the_test_fail(mid):
    on, off = measure(CLAIMS[mid], True, False)
    weak = {name: e for name, e in on.items() if not e.z > Z}
    assert not weak, f"{mid}: not clearly positive with the mechanism on: {weak}"
    kept = {name: e for name, e in off.items() if e.z > Z}
    assert not kept, f"{mid}: still clearly positive with the mechanism off: {kept}"
