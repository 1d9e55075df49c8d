"""Access helpers: the only door from a view or endpoint into an organisation's data.

An object outside the member's organisation or scope does not exist for them: 404, never 403,
so that nobody can probe another organisation's identifiers.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, TypeVar

from django.http import Http404

if TYPE_CHECKING:
    from momentos.core.models import Scope, TenantModel, TenantQuerySet

M = TypeVar("M", bound="TenantModel")


def scoped_queryset(model: type[M], *, scope: Scope) -> TenantQuerySet:
    """Every row of ``model`` the member may see."""
    return model.objects.visible_to(scope)


def object_get_for_scope(model: type[M], *, scope: Scope, pk: Any, queryset: Any = None) -> M:
    """The row ``pk`` of ``model`` if the member may see it; otherwise Http404."""
    try:
        key = pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))
    except (ValueError, TypeError, AttributeError) as exc:
        raise Http404 from exc
    qs = queryset if queryset is not None else model.objects.all()
    try:
        return qs.visible_to(scope).get(pk=key)
    except model.DoesNotExist as exc:
        raise Http404 from exc


def object_get_for_organization(model: type[M], *, organization: Any, pk: Any, queryset: Any = None) -> M:
    """The row ``pk`` of ``model`` if it belongs to ``organization`` (API tokens see the whole organisation)."""
    try:
        key = pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))
    except (ValueError, TypeError, AttributeError) as exc:
        raise Http404 from exc
    qs = queryset if queryset is not None else model.objects.all()
    try:
        return qs.for_organization(organization).get(pk=key)
    except model.DoesNotExist as exc:
        raise Http404 from exc
