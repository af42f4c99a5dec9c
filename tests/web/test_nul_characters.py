"""A NUL character anywhere in a request is a 400 with a message, on SQLite and PostgreSQL alike.

PostgreSQL cannot store or compare text holding one, so before this check such a request was a 500 there.
"""
import pytest

from directory.guards import NUL_MESSAGE
from tests.helpers import csrf_token, login, logout


@pytest.mark.parametrize("path", [
    "/areas/a%00b", "/areas/a%00b/map", "/directory?q=a%00b", "/directory?area=a%00b",
    "/map?area=x%00", "/research/partners?topics=peer%00support", "/research/researchers?interests=%00",
    "/directory?%00=1", "/areas/demo-soarbridge/analysis?sort=%00",
])
def test_a_nul_in_an_address_is_a_400_with_a_message(client, demo, path):
    r = client.get(path)
    assert r.status_code == 400
    assert NUL_MESSAGE.split(" (")[0] in r.text
    assert "Sector engagement directory" in r.text  # the site's own error page


def test_a_nul_in_a_form_is_refused_and_nothing_is_saved(client, make):
    area = make.area()
    service = make.actor(area=area, name="Nul Free Service")
    make.user("owner@example.org", manages=[service])
    login(client, "owner@example.org")
    token = csrf_token(client, f"/actors/{service.id}/barriers/new")
    r = client.post(f"/actors/{service.id}/barriers/new", data={
        "csrf_token": token, "category": "funding", "stage": "", "since": "", "visibility": "public",
        "description": "Short\x00term grants"})
    assert r.status_code == 400 and NUL_MESSAGE.split(" (")[0] in r.text
    assert "Short" not in client.get(f"/actors/{service.id}/barriers").text
    logout(client)
    r = client.post("/account/sign-in", data={"csrf_token": csrf_token(client, "/account/sign-in"),
                                              "email": "owner\x00@example.org", "password": "x"})
    assert r.status_code == 400
