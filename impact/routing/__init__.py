"""Journeys between a worker's home and an office, by car and by public transport.

Every trip carries the name of what produced it, so the page and the CLI can say
whether a figure is a routed one or an estimate:
"""

from __future__ import annotations

SOURCE_ORS = "openrouteservice"
SOURCE_ESTIMATE = "estimate"
SOURCE_TIMETABLE_MODEL = "timetable-model"
SOURCE_GTFS = "gtfs"
SOURCES = (SOURCE_ORS, SOURCE_ESTIMATE, SOURCE_TIMETABLE_MODEL, SOURCE_GTFS)
