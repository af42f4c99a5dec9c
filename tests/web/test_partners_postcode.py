"""Partner search "Distance from" a UK postcode: records here first, then the postcode service (GEOCODER_URL)."""
import pytest

from tests.helpers import field_error, parse
from tests.helpers_postcodes import BAD_JSON, postcode_server

SEARCH = "/research/partners"


@pytest.fixture
def world(make):
    """Two services open to research: one in Leicester city centre, one in Manchester."""
    area = make.area(name="Midshire", slug="midshire", centre_lat=52.9, centre_lon=-1.4)
    make.actor(area=area, name="Clock Tower Hostel", open_to_research=True, latitude=52.6360, longitude=-1.1330)
    make.actor(area=area, name="Piccadilly Project", open_to_research=True, latitude=53.4800, longitude=-2.2400)
    return area


@pytest.fixture
def geocoder(app):
    """GEOCODER_URL pointing at a real local postcodes.io-compatible server."""
    with postcode_server() as url:
        app.config["GEOCODER_URL"] = url
        yield url


def error_beside_near(html: str) -> str:
    """The message shown beside the "Distance from" field."""
    return field_error(parse(html), "near")


def test_a_postcode_is_looked_up_and_measured_from(client, world, geocoder):
    r = client.get(SEARCH, query_string={"near": "le1 5ww", "within_km": "10"})
    assert r.status_code == 200
    assert "Clock Tower Hostel" in r.text and "Piccadilly Project" not in r.text
    assert "under 1 km away" in r.text
    assert geocoder.requests == ["/postcodes/LE15WW"]
    assert "a UK postcode such as LE1 5WW" in r.text  # the hint says what can be typed


@pytest.mark.parametrize("postcode, message", [
    ("LE9 9ZZ", "We could not find that postcode"),
    (BAD_JSON, "The postcode lookup is not answering; enter coordinates instead"),
])
def test_a_postcode_the_service_cannot_place_is_a_400_with_the_message_beside_the_field(
        client, world, geocoder, postcode, message):
    r = client.get(SEARCH, query_string={"near": postcode, "within_km": "10"})
    assert r.status_code == 400
    assert error_beside_near(r.text) == message
    assert f'value="{postcode}"' in r.text  # kept to correct


def test_a_postcode_service_that_is_not_there_says_so(app, client, world):
    with postcode_server() as url:
        pass  # the server is gone: nothing answers on its port
    app.config["GEOCODER_URL"] = url
    r = client.get(SEARCH, query_string={"near": "LE1 5WW"})
    assert r.status_code == 400
    assert error_beside_near(r.text) == "The postcode lookup is not answering; enter coordinates instead"


def test_a_postcode_of_a_record_here_needs_no_service(app, client, world, make):
    make.actor("forum", area=world, postcode="le1 6zz", latitude=52.6345, longitude=-1.1310)
    assert not app.config.get("GEOCODER_URL")
    r = client.get(SEARCH, query_string={"near": "LE16ZZ", "within_km": "5"})
    assert r.status_code == 200
    assert "Clock Tower Hostel" in r.text and "Piccadilly Project" not in r.text
    assert "the postcode of a service or forum listed here" in r.text


def test_the_records_here_are_asked_before_the_service(client, world, geocoder, make):
    make.actor(area=world, postcode="M1 1AE", latitude=53.4801, longitude=-2.2401)
    r = client.get(SEARCH, query_string={"near": "M1 1AE", "within_km": "5"})
    assert r.status_code == 200 and "Piccadilly Project" in r.text
    assert geocoder.requests == []


def test_confidential_archived_and_pending_records_never_place_a_postcode(app, client, world, make):
    make.actor(area=world, postcode="NG1 1AA", latitude=52.95, longitude=-1.15, confidential=True)
    for status in ("archived", "pending"):
        make.actor(area=world, postcode="NG1 1AA", latitude=52.95, longitude=-1.15, status=status)
    r = client.get(SEARCH, query_string={"near": "NG1 1AA"})
    assert r.status_code == 400
    assert error_beside_near(r.text) == ("We could not find that postcode among the records here; "
                                         "enter an area or a latitude and longitude instead")
    assert "52.95" not in r.text


def test_text_that_is_neither_area_postcode_nor_point_says_what_to_type(client, world):
    r = client.get(SEARCH, query_string={"near": "Atlantis"})
    assert r.status_code == 400
    assert error_beside_near(r.text) == ("Enter the name of an area in the list, a UK postcode such as LE1 5WW, "
                                         "or a latitude and longitude such as 52.63, -1.14")


def test_a_postcode_asked_again_is_not_sent_again(client, world, geocoder):
    for typed in ("LE1 5WW", "le15ww", "Le1 5wW"):
        r = client.get(SEARCH, query_string={"near": typed, "within_km": "10"})
        assert r.status_code == 200 and "Clock Tower Hostel" in r.text
    assert geocoder.requests == ["/postcodes/LE15WW"]


def test_new_postcodes_sent_to_the_service_are_limited_per_address(app, client, world, geocoder):
    app.config["LIMIT_POSTCODE_LOOKUPS"] = "2 per minute"
    here = {"REMOTE_ADDR": "10.0.0.1"}
    assert client.get(SEARCH, query_string={"near": "M1 1AE"}, environ_base=here).status_code == 200
    assert client.get(SEARCH, query_string={"near": "LE9 9ZZ"}, environ_base=here).status_code == 400
    r = client.get(SEARCH, query_string={"near": "LE1 5WW"}, environ_base=here)
    assert r.status_code == 400
    assert error_beside_near(r.text) == ("You have looked up many postcodes in a short time: wait a minute, "
                                         "or enter coordinates instead")
    assert 'value="LE1 5WW"' in r.text
    assert geocoder.requests == ["/postcodes/M11AE", "/postcodes/LE99ZZ"]  # the third was never sent
    # A postcode already known still works; someone at another address is not held up.
    assert client.get(SEARCH, query_string={"near": "M1 1AE"}, environ_base=here).status_code == 200
    there = client.get(SEARCH, query_string={"near": "LE1 5WW"}, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert there.status_code == 200 and "Clock Tower Hostel" in there.text
