"""Geocode the offices' addresses with geopy's Nominatim and compare them with data/sites.yaml.

Needs a network (the public Nominatim, or a self-hosted one with --domain). It only
prints: a person checks the result and edits data/sites.yaml, recording the method.

    python scripts/geocode_sites.py [--domain nominatim.example.org] [--scheme https]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geopy.geocoders import Nominatim

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from impact.geo import geodesic_km  # noqa: E402
from impact.places import load_sites  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domain", default="nominatim.openstreetmap.org")
    parser.add_argument("--scheme", default="https", choices=["http", "https"])
    args = parser.parse_args()
    geocoder = Nominatim(user_agent="konecta-commute-impact/0.1 (site check)", domain=args.domain,
                         scheme=args.scheme, timeout=5)
    for site in load_sites().values():
        found = geocoder.geocode(site.address, country_codes="it")
        if found is None:
            print(f"{site.id}: '{site.address}' not found")
            continue
        moved = geodesic_km(site.lat, site.lon, found.latitude, found.longitude)
        print(f"{site.id}: {found.latitude:.5f}, {found.longitude:.5f} ({found.address}); "
              f"{moved:.2f} km from the point in sites.yaml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
