"""The postcode lookup client against a real HTTP server on 127.0.0.1."""
import socket
import time

import pytest

from directory.geocode import GeocoderUnavailable, PostcodeNotFound, lookup_postcode
from tests.helpers_postcodes import BAD_JSON, SLOW, postcode_server


@pytest.fixture
def server():
    """A postcodes.io-compatible server on a free local port."""
    with postcode_server() as url:
        yield url


def test_a_known_postcode_gives_its_point_asking_without_the_space(server):
    assert lookup_postcode(server, "LE1 5WW") == (52.6344, -1.1314)
    assert lookup_postcode(server + "/", "m1 1ae") == (53.4839, -2.2446)
    assert server.requests == ["/postcodes/LE15WW", "/postcodes/M11AE"]


def test_an_unknown_postcode_is_not_found(server):
    with pytest.raises(PostcodeNotFound):
        lookup_postcode(server, "LE9 9ZZ")


def test_an_answer_that_is_not_json_is_unavailable_not_a_crash(server):
    with pytest.raises(GeocoderUnavailable, match="cannot read"):
        lookup_postcode(server, BAD_JSON)


def test_a_service_too_slow_to_answer_is_unavailable_within_the_timeout(server):
    started = time.monotonic()
    with pytest.raises(GeocoderUnavailable, match="not answering"):
        lookup_postcode(server, SLOW, timeout=0.3)
    assert time.monotonic() - started < 1.2


def test_a_service_that_is_not_there_is_unavailable():
    with socket.socket() as s:  # a port nothing listens on once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(GeocoderUnavailable, match="not answering"):
        lookup_postcode(f"http://127.0.0.1:{port}", "LE1 5WW")


def test_only_web_addresses_are_called():
    with pytest.raises(GeocoderUnavailable, match="http"):
        lookup_postcode("file:///etc", "LE1 5WW")
