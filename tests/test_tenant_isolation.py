"""Tenant isolation, enumerated: every organisation-owned model and every route with an object id.

A member of organisation A asks for each of B's objects through every page and API route that takes
an id: the answer is 404, never 403 and never data. The same routes answer A's own objects, so the
check is not vacuous. A scoped supervisor gets 404 for rows of branches outside their scope.
New models and routes are picked up without editing this file.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from momentos.accounts import services
from momentos.accounts.choices import Role
from momentos.accounts.tests.factories import admin_of, make_branch, make_member, make_organization
from momentos.core.models import TenantModel
from momentos.core.testing import load_all_factories

NOT_TENANT_OWNED = {"accounts.User", "accounts.Organization"}


def tenant_models() -> list[type[TenantModel]]:
    return [m for m in apps.get_models() if issubclass(m, TenantModel)]


# Django's admin is for the operators of an installation (superusers), outside any organisation.
OPERATOR_PREFIXES = ("/django-admin/",)


def is_uuid(converter: Any) -> bool:
    return "uuid" in converter.__class__.__name__.lower()


def object_routes() -> list[tuple[str, list[str]]]:
    """(route template, names of its UUID arguments) for every URL that takes an object id."""
    found: list[tuple[str, list[str]]] = []

    def walk(patterns: Any, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if (prefix + str(p.pattern)).startswith(OPERATOR_PREFIXES):
                    continue
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                converters = getattr(p.pattern, "converters", {})
                uuid_args = [name for name, conv in converters.items() if is_uuid(conv)]
                if uuid_args:
                    found.append((prefix + str(p.pattern), uuid_args))

    walk(get_resolver().url_patterns, "/")
    return found


def fill(route: str, args: list[str], value: Any) -> str:
    path = route
    for name in args:
        path = path.replace(f"<uuid:{name}>", str(value)).replace(f"<uuidstr:{name}>", str(value))
    return path.replace("^", "").replace("$", "")


def request(client: Client, path: str, headers: dict[str, str]) -> int:
    status = client.get(path, headers=headers).status_code
    if status == 405:
        status = client.post(path, headers=headers).status_code
    if status == 405:
        status = client.put(path, data="{}", content_type="application/json", headers=headers).status_code
    return status


def test_object_ids_in_routes_are_typed_as_uuids() -> None:
    """A route that names an id with a plain string converter would escape the enumeration above."""
    untyped = []

    def walk(patterns: Any, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if (prefix + str(p.pattern)).startswith(OPERATOR_PREFIXES):
                    continue
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                for name, conv in getattr(p.pattern, "converters", {}).items():
                    if (name in {"pk", "id"} or name.endswith("_id") or name.endswith("_pk")) and not is_uuid(
                        conv
                    ):
                        untyped.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "/")
    assert not untyped, f"use <uuid:…> (or {{uuid:…}} in the API) for: {untyped}"


def test_every_app_model_is_tenant_owned_or_declared_global() -> None:
    for model in apps.get_models():
        label = model._meta.label
        if not model.__module__.startswith("momentos."):
            continue
        assert issubclass(model, TenantModel) or label in NOT_TENANT_OWNED, (
            f"{label} holds no organisation: make it a TenantModel or declare why it is global"
        )


def test_every_tenant_model_has_a_factory() -> None:
    factories = load_all_factories()
    missing = [m._meta.label for m in tenant_models() if m not in factories]
    assert not missing, f"register a tenant_factory for: {', '.join(missing)}"


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    factories = load_all_factories()
    a = make_organization(name="A")
    b = make_organization(name="B")
    objects: dict[str, list[Any]] = {"a": [], "b": []}
    for model in tenant_models():
        objects["a"].append(factories[model](a))
        objects["b"].append(factories[model](b))
    a_admin = admin_of(a)
    _token, a_key = services.api_token_create(organization=a, created_by=a_admin.user, name="isolation")
    return {"a": a, "b": b, "objects": objects, "a_admin": a_admin, "a_key": a_key}


def _client(member: Any) -> Client:
    client = Client()
    client.force_login(member.user)
    session = client.session
    session["momentos_organization"] = str(member.organization_id)
    session.save()
    return client


def test_member_of_a_gets_404_for_every_object_of_b_on_every_route(world: dict[str, Any]) -> None:
    client = _client(world["a_admin"])
    headers = {"Authorization": f"Bearer {world['a_key']}"}
    routes = object_routes()
    assert routes, "no route takes an object id: the test would prove nothing"
    leaks = []
    for route, args in routes:
        for obj in world["objects"]["b"]:
            status = request(client, fill(route, args, obj.pk), headers)
            if status != 404:
                leaks.append(f"{route} with {obj._meta.label} of B → {status}")
    assert not leaks, "\n".join(leaks)


def test_every_object_route_answers_for_own_objects(world: dict[str, Any]) -> None:
    """The positive control: each route finds at least one of A's objects, so its 404s above mean something."""
    client = _client(world["a_admin"])
    headers = {"Authorization": f"Bearer {world['a_key']}"}
    dead = []
    for route, args in object_routes():
        if len(args) != 1:
            continue
        statuses = {request(client, fill(route, args, obj.pk), headers) for obj in world["objects"]["a"]}
        if not any(s < 400 for s in statuses):
            dead.append(f"{route}: {sorted(statuses)}")
    assert not dead, "routes that never answer an object of their own organisation:\n" + "\n".join(dead)


def test_unknown_and_malformed_ids_are_404(world: dict[str, Any]) -> None:
    client = _client(world["a_admin"])
    headers = {"Authorization": f"Bearer {world['a_key']}"}
    for route, args in object_routes():
        assert request(client, fill(route, args, uuid.uuid4()), headers) == 404, route


def test_scoped_supervisor_gets_404_outside_their_branches(world: dict[str, Any]) -> None:
    a = world["a"]
    mine, other = make_branch(a, name="Mine"), make_branch(a, name="Other")
    supervisor = make_member(a, role=Role.SUPERVISOR, branches=[mine])
    client = _client(supervisor)
    outside = [other]
    for model in tenant_models():
        field = model.scope_branch_field
        if field and field != "pk":
            outside.extend(model.objects.for_organization(a).filter(**{field: other.pk}))
    for route, args in object_routes():
        if route.startswith("/api/"):
            continue  # API tokens act for the whole organisation; scopes are for people
        for obj in outside:
            status = request(client, fill(route, args, obj.pk), {})
            assert status == 404, f"{route} with {obj._meta.label} outside scope → {status}"
