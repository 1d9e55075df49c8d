"""The baseline of bench/surveys_submit.py: the smallest Django application that stores one row per POST.

Served by gunicorn exactly like momentos (same workers, same database, same connection reuse), it
answers ``POST /s/<token>/`` by inserting the token and the form body into one table, with no
middleware, no template and no ORM model: what any Django view that records a form costs at least.
bench/surveys_submit.py creates the table (``bench_baseline_row``).
"""

from __future__ import annotations

import os
import uuid

import dj_database_url
import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("SECRET_KEY", "bench-baseline"),
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    USE_TZ=True,
    DATABASES={
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0"))
        )
    },
)
django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402


def insert(request: HttpRequest, token: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_baseline_row (id, token, body) VALUES (%s, %s, %s)",
            [uuid.uuid4(), token, request.body[:2000].decode("utf-8", "replace")],
        )
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("s/<str:token>/", insert)]

application = WSGIHandler()
