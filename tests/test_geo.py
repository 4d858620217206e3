"""Straight-line distances: the vectorized formula against geopy's exact geodesic."""

import numpy as np
import pytest
from geopy.distance import geodesic

from impact.geo import geodesic_km, geodesic_km_array


def test_vectorized_distance_matches_geopy_over_the_region():
    rng = np.random.default_rng(7)
    a = rng.uniform([44.0, 6.6], [46.5, 9.3], size=(500, 2))
    b = rng.uniform([44.0, 6.6], [46.5, 9.3], size=(500, 2))
    ours = geodesic_km_array(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    exact = np.array([geodesic(tuple(p), tuple(q)).km for p, q in zip(a, b)])
    assert np.abs(ours - exact).max() < 0.01  # 10 m


def test_same_point_is_zero_and_scalars_work():
    assert geodesic_km_array(45.0, 7.0, 45.0, 7.0) == 0.0
    assert float(geodesic_km_array(45.0, 7.0, 46.0, 7.0)) == pytest.approx(111.1, abs=0.2)


def test_one_degree_of_latitude():
    # One degree of latitude at 45° N on WGS84 is 111.13 km.
    assert abs(geodesic_km(44.5, 7.0, 45.5, 7.0) - 111.13) < 0.02

