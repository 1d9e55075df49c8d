"""The favicon address that browsers ask for on their own."""

from django.test import Client


def test_favicon_redirects_to_the_logo(client: Client) -> None:
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("/static/momentos/img/logo.svg")
