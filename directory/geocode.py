"""Postcode to point through a postcodes.io-compatible service, with the standard library only.

The service answers `GET {base}/postcodes/<postcode without spaces>` with
`{"status": 200, "result": {"latitude": .., "longitude": ..}}`, or a 404 for a postcode it does not know.
"""
from __future__ import annotations

import http.client
import json
import math
import urllib.error
import urllib.request
from urllib.parse import quote, urlsplit

TIMEOUT_SECONDS = 2.0
MAX_ANSWER_BYTES = 64 * 1024


class PostcodeNotFound(LookupError):
    """The service does not know the postcode (or knows it without a point)."""


class GeocoderUnavailable(RuntimeError):
    """The service did not answer in time, failed, or answered something we cannot read."""


def lookup_postcode(base_url: str, postcode: str, timeout: float = TIMEOUT_SECONDS) -> tuple[float, float]:
    """The (latitude, longitude) of a UK postcode; raises PostcodeNotFound or GeocoderUnavailable."""
    if urlsplit(base_url).scheme not in ("http", "https"):
        raise GeocoderUnavailable(f"the postcode service address must start with http:// or https://: {base_url}")
    url = f"{base_url.rstrip('/')}/postcodes/{quote(postcode.replace(' ', '').upper(), safe='')}"
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise PostcodeNotFound(postcode) from exc
        raise GeocoderUnavailable(f"the postcode service answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:  # refused, timed out, cut off
        raise GeocoderUnavailable(f"the postcode service is not answering: {exc}") from exc
    return _point_from(body, postcode)


def _point_from(body: bytes, postcode: str) -> tuple[float, float]:
    """Read the point out of the service's JSON answer."""
    try:
        answer = json.loads(body)
        if answer.get("status") == 404:
            raise PostcodeNotFound(postcode)
        result = answer["result"]
        if result is None or result.get("latitude") is None or result.get("longitude") is None:
            raise PostcodeNotFound(postcode)  # postcodes.io gives no point for a few (e.g. Channel Islands)
        lat, lon = float(result["latitude"]), float(result["longitude"])
    except PostcodeNotFound:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise GeocoderUnavailable("the postcode service gave an answer we cannot read") from exc
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise GeocoderUnavailable("the postcode service gave a point off the globe")
    return lat, lon
