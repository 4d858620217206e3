"""The one filter of beaten runs (`impact.routing.pareto`), on runs made by hand (issue 15).

The INPS average, its table of journeys and the shift's runs all count what it keeps.
"""

from __future__ import annotations

import numpy as np

from impact.routing.pareto import pareto_runs


def test_beaten_runs_are_left_out_group_by_group():
    group = [1, 0, 0, 1, 0, 0, 0, 0]
    leave = [420, 420, 400, 410, 430, 440, 440, 435]
    arrive = [480, 480, 480, 490, 470, 500, 500, 510]
    # Group 0: 1 (7:00 -> 8:00) is beaten by 4 (7:10 -> 7:50), 2 leaves earlier for the same
    # arrival, 6 is the same run as 5 (the first listed is kept), 7 leaves earlier than 5 and
    # arrives later. Kept: 4 then 5, by arrival. Group 1: 3 leaves earlier than 0 and arrives later.
    assert pareto_runs(leave, arrive, group).tolist() == [4, 5, 0]


def test_one_group_and_minutes_in_fractions():
    leave = np.array([300.0, 420.5, 420.25, 421.0, 299.0])
    arrive = np.array([360.0, 470.0, 470.0, 480.0, 360.0])
    # 420.25 -> 470 is beaten by 420.5 -> 470 (a quarter of a minute later, same arrival);
    # 299 -> 360 by 300 -> 360.
    assert pareto_runs(leave, arrive).tolist() == [0, 1, 3]


def test_no_runs():
    assert pareto_runs([], [], []).tolist() == []
