"""The API's shared pieces: one error envelope for every 4xx, pagination, and schema helpers.

Every error body is ``{"error": {"code": "...", "message": "...", "details": ...}}``; codes are stable
and documented in the OpenAPI document, messages are for people and follow the request's language.
A malformed query string or path is a 400 (``invalid_parameters``), a well-formed body that breaks
the schema a 422 (``validation_error``). Requests under /api/ that never reach an operation (an
unknown path, a server error) get the same envelope through the handlers Django calls for them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import PageNumberPagination

from momentos.core.errors import DomainError


class ErrorBody(Schema):
    code: str
    message: str
    details: Any = None


class ErrorEnvelope(Schema):
    error: ErrorBody


ERROR_RESPONSES: dict[int, type[Schema]] = {
    400: ErrorEnvelope,
    401: ErrorEnvelope,
    404: ErrorEnvelope,
    409: ErrorEnvelope,
    413: ErrorEnvelope,
    422: ErrorEnvelope,
}


def error_response(
    api: NinjaAPI, request: HttpRequest, *, status: int, code: str, message: str, details: Any = None
) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details}}, status=status
    )


PARAMETER_LOCATIONS = {"query", "path", "header", "cookie"}
# Names ninja gives to parameter groups; clients know the parameters, not the groups.
_GROUP_NAMES = {"ninja_pagination"}


def _location(err: dict[str, Any]) -> str:
    loc = err.get("loc") or ()
    return str(loc[0]) if loc else ""


def _field_name(err: dict[str, Any]) -> str | None:
    loc = [str(p) for p in (err.get("loc") or ())]
    parts = loc[1:]
    if loc[:1] == ["body"] and len(parts) > 1:
        parts = parts[1:]  # the view's argument name ("payload") means nothing to a client
    return ".".join(p for p in parts if p not in _GROUP_NAMES) or None


def install_error_handlers(api: NinjaAPI) -> None:
    """Route every failure through the envelope."""

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = [{"field": _field_name(err), "message": err.get("msg", "")} for err in exc.errors]
        if all(_location(err) in PARAMETER_LOCATIONS for err in exc.errors):
            return error_response(
                api,
                request,
                status=400,
                code="invalid_parameters",
                message=_("The request has invalid parameters."),
                details=details,
            )
        return error_response(
            api,
            request,
            status=422,
            code="validation_error",
            message=_("The request has invalid fields."),
            details=details,
        )

    @api.exception_handler(AuthenticationError)
    def _auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            api,
            request,
            status=401,
            code="not_authenticated",
            message=_("Send a valid API token as 'Authorization: Bearer <token>'."),
        )

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, status=404, code="not_found", message=_("Not found."))

    @api.exception_handler(DomainError)
    def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        details = exc.details
        if details is None and exc.field:
            # A service's field error names its field, in the same shape as a request validation error.
            details = [{"field": exc.field, "message": str(exc.message)}]
        return error_response(
            api, request, status=exc.status, code=exc.code, message=str(exc.message), details=details
        )

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return error_response(
            api,
            request,
            status=413,
            code="request_too_large",
            message=_("The request body is larger than this server accepts."),
        )

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {
            400: "bad_request",
            401: "not_authenticated",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
            409: "conflict",
            413: "request_too_large",
            429: "too_many_requests",
        }.get(exc.status_code, "error")
        return error_response(api, request, status=exc.status_code, code=code, message=str(exc))


class Pagination(PageNumberPagination):
    """`?page=N&page_size=M` (max 500); the body is {items, count, page, page_size}."""

    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(50, ge=1, le=500)

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        # ninja builds `pagination` from this class's Input; the base class annotates the parameter
        # with its own Input (page_size optional), so it is Any in the signature and typed here.
        page: Pagination.Input = pagination
        if page.page < 1 or page.page_size < 1 or page.page_size > 500:
            raise DomainError(
                _("page must be ≥ 1 and page_size between 1 and 500."), code="invalid_pagination"
            )
        offset = (page.page - 1) * page.page_size
        return {
            "items": queryset[offset : offset + page.page_size],
            "count": self._items_count(queryset),
            "page": page.page,
            "page_size": page.page_size,
        }


# --- Django's error views, answering requests under /api/ with the envelope ------------------------


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _envelope(*, status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "details": None}}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: malformed requests (including a body over DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    if _is_api(request):
        if isinstance(exception, RequestDataTooBig):
            return _envelope(
                status=413,
                code="request_too_large",
                message=_("The request body is larger than this server accepts."),
            )
        return _envelope(status=400, code="bad_request", message=_("The request could not be understood."))
    return defaults.bad_request(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: an API path that matches no operation (or an id that is not a UUID)."""
    if _is_api(request):
        return _envelope(status=404, code="not_found", message=_("Not found."))
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the failure is logged by Django; the client gets the envelope, never a trace."""
    if _is_api(request):
        return _envelope(
            status=500, code="server_error", message=_("Something went wrong on our side. Try again later.")
        )
    return defaults.server_error(request)
