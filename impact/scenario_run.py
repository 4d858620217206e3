"""One scenario for a workforce, start to end: evaluate → site levers → transfer allowance → summary.

The union page (each of its scenarios A and B) and ``roster --scenario`` call `run_scenario`,
so a scenario's figures are computed in one place, the same way on every face.

`ScenarioRun` fields:

    evaluated  the `evaluate()` rows of the scenario, before the site levers (what
               `horizon.evaluate_package` starts from)
    results    `evaluate()` rows with the hub and the shuttle applied (`scenarios.apply_site_levers`):
               the rows every table, chart and export of the scenario shows
    site_costs what the site levers cost ({"shuttle_riders", "shuttle_buses", "shuttle_eur_year",
               "hub_workers", "hub_eur_year", "riders", "at_hub"}) plus "transfer_net_eur" and
               "transfer_cost_eur", the one-off transfer allowance summed over workers [EUR]
    summary    `scenarios.summarise` of the above: the figures taken to the table
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from impact.model import Scenario, evaluate
from impact.params import Parameters
from impact.scenarios import SiteLevers, apply_site_levers, empty_results, summarise, transfer_allowance


@dataclass(frozen=True)
class ScenarioRun:
    """A scenario's rows after every lever, what the site levers and the transfer cost, and its summary."""

    evaluated: pd.DataFrame
    results: pd.DataFrame
    site_costs: dict
    summary: dict


def run_scenario(workers: pd.DataFrame, scenario: Scenario, params: Parameters, on: dt.date, gazetteer, sites,
                 router=None, transit=None, levers: SiteLevers = SiteLevers(), transfer_eur: float = 0.0,
                 modelled: bool = False, run: Callable[[Scenario], pd.DataFrame] | None = None) -> ScenarioRun:
    """`scenario` for `workers`: evaluated, with `levers` applied and a one-off gross transfer allowance
    of `transfer_eur` [EUR] paid to each worker the move costs money, then summarised.

    `run(scenario)` evaluates instead of `evaluate()` (a page's cached evaluation, with its own offices
    and router).
    """
    if not len(workers):
        evaluated = empty_results()
    elif run is not None:
        evaluated = run(scenario)
    else:
        evaluated = evaluate(workers, scenario, params, on, gazetteer, sites, router, transit=transit)
    results, site_costs = apply_site_levers(workers, evaluated, levers, sites, params, on)
    net, cost = transfer_allowance(workers, results, transfer_eur, params, on)
    site_costs.update(transfer_net_eur=float(net.sum()), transfer_cost_eur=float(cost.sum()))
    return ScenarioRun(evaluated, results, site_costs, summarise(results, scenario, modelled, site_costs))
