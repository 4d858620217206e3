"""The runs worth counting: a run another one beats is left out.

A run (one journey: leave, then arrive) is beaten by another of the same group (the same
worker, or the same trip) that leaves no earlier and arrives no later: the same train
caught from a farther station, or an earlier train that gets in no sooner. Counted, such
runs would pull an average or a median away from the runs a worker would take. Of runs
that leave and arrive at the same minutes, one is kept.

The INPS average (`impact.routing.inps`), its table of journeys (`impact.routing.evidence`)
and the shift's runs (`impact.routing.shift`) all count the runs this function keeps.
"""

from __future__ import annotations

import numpy as np


def pareto_runs(leave, arrive, group=None) -> np.ndarray:
    """Indices of the runs no other run of their group beats, by group and then by arrival.

    leave, arrive [minutes, in any one time scale]: each run's two ends, one value per run;
    group: whole numbers, the run's group (None: all runs are one group). Within a group the
    runs kept both leave and arrive strictly later one after another, so the order by arrival
    is also the order by leaving.
    """
    leave = np.asarray(leave, dtype=float)
    arrive = np.asarray(arrive, dtype=float)
    group = np.zeros(len(leave), dtype=np.int64) if group is None else np.asarray(group, dtype=np.int64)
    if len(leave) == 0:
        return np.zeros(0, dtype=np.int64)
    # By group, then arrival, the later leaving first: a run is kept when it leaves later than
    # every run of its group before it. One running maximum serves all groups at once, each
    # group lifted above the one before by more than the span of the leaving times.
    order = np.lexsort((-leave, arrive, group))
    lift = (group * (np.ptp(leave) + 1))[order]
    lifted = leave[order] + lift
    before = np.concatenate([[-np.inf], np.maximum.accumulate(lifted)[:-1]])
    before[np.concatenate([[True], group[order][1:] != group[order][:-1]])] = -np.inf
    return order[lifted > before]
