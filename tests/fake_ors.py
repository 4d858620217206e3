"""A small openrouteservice stand-in on 127.0.0.1 that answers like the real API.

Road km are 1.3 × the geodesic distance and the speed is 60 km/h, so tests know
the answer. `mode` makes it fail the ways the real service does.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from geopy.distance import geodesic

DETOUR = 1.3
SPEED_KMH = 60.0
MODES = ("ok", "401", "403", "429", "429-once", "500", "slow", "garbage")
# The client's timeout per request in the slow-server tests [s]: the mechanism is the same as with
# the production timeout (impact.routing.ors.REQUEST_TIMEOUT_S, 3 s), the wait a third of it.
SHORT_TIMEOUT_S = 1.0


def short_timeout(monkeypatch) -> float:
    """Give up on a request after SHORT_TIMEOUT_S (for routers built after this call); returns it."""
    from impact.routing import ors

    monkeypatch.setattr(ors, "REQUEST_TIMEOUT_S", SHORT_TIMEOUT_S)
    return SHORT_TIMEOUT_S


class FakeOrs:
    def __init__(self) -> None:
        self.mode = "ok"
        self.requests: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "FakeOrs":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(self.path)
                status, answer = fake.answer(self.path, body, self.headers.get("Authorization"))
                payload = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the slow mode): nothing to answer

        return Handler

    def answer(self, path: str, body: dict, authorization: str | None) -> tuple[int, object]:
        mode = self.mode
        if mode == "401":
            return 401, {"error": "Access to this API has been disallowed"}
        if mode == "403":
            return 403, {"error": "Daily quota reached or API key unauthorized"}
        if mode == "429" or (mode == "429-once" and len(self.requests) == 1):
            return 429, {"error": "Rate limit exceeded"}
        if mode == "500":
            return 500, {"error": {"code": 2099, "message": "Unknown internal error"}}
        if mode == "slow":
            time.sleep(8)
        if mode == "garbage":
            return 200, b"<html>maintenance</html>"
        points = body.get("coordinates") or body.get("locations")
        if any(not (5 < lon < 11 and 43 < lat < 47) for lon, lat in points):
            return 400, {"error": {"code": 2003, "message": "coordinates must be [lon, lat] in the area"}}
        if "/v2/directions/" in path:
            return 200, self._directions(points)
        if "/v2/matrix/" in path:
            return 200, self._matrix(points, body["sources"], body["destinations"])
        return 404, {"error": "unknown endpoint"}

    @staticmethod
    def road_km(a: list[float], b: list[float]) -> float:
        return DETOUR * geodesic((a[1], a[0]), (b[1], b[0])).km

    def _directions(self, points: list) -> dict:
        km = self.road_km(points[0], points[1])
        return {"type": "FeatureCollection", "features": [{
            "type": "Feature",
            "properties": {"summary": {"distance": round(km, 3), "duration": round(km / SPEED_KMH * 3600, 1)}},
            "geometry": {"type": "LineString", "coordinates": [points[0], points[1]]},
        }]}

    def _matrix(self, points: list, sources: list[int], destinations: list[int]) -> dict:
        distances = [[round(self.road_km(points[s], points[d]), 2) for d in destinations] for s in sources]
        durations = [[round(km / SPEED_KMH * 3600, 1) for km in row] for row in distances]
        return {"distances": distances, "durations": durations}
