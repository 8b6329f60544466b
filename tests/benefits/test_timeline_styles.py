"""Each state a claim's timeline step can be in has its marker on the page, but a step still to come
(todo, none: plain): a settled result must not look like a step still to come, nor a late one like one
on time. The words say the state in any case; the marker repeats it."""

import re
from pathlib import Path

from benefits.selectors import STEP_STATES

CSS = Path(__file__).resolve().parents[2] / "benefits/static/benefits/benefits.css"


def test_every_state_of_a_step_but_one_still_to_come_has_its_marker():
    styled = set(re.findall(r"\.timeline__step--(\w+)::before", CSS.read_text()))
    assert set(STEP_STATES) - styled == {"todo", "none"}
    assert styled <= set(STEP_STATES)  # no marker left for a state gone
