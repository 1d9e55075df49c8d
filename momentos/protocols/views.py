"""Pages of the protocol studio: documents, drafts, review and publishing, comparison, print and PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from momentos.accounts.decorators import member_required
from momentos.accounts.http import MemberRequest
from momentos.accounts.models import Channel
from momentos.accounts.permissions import Capability
from momentos.core.errors import DomainError
from momentos.core.pagination import paginate, querystring_without_page
from momentos.protocols import hooks, pdf, selectors, services
from momentos.protocols.choices import KIND_BLOCKS, DocumentKind, VersionStatus
from momentos.protocols.diff import version_diff
from momentos.protocols.forms import (
    KIND_HELP,
    DocumentCreateForm,
    PublishForm,
    VersionForm,
    block_formsets,
    blocks_from_formsets,
)
from momentos.protocols.models import DocumentVersion

READ, DESIGN, PUBLISH = Capability.READ_PROTOCOL, Capability.DESIGN_PROTOCOL, Capability.PUBLISH_PROTOCOL
STATUS_FILTERS = [*VersionStatus.choices, ("archived", _("Archived"))]


def _version_context(version: DocumentVersion) -> dict[str, Any]:
    full = selectors.version_with_parts(version=version)
    return {"version": full, "blocks": selectors.blocks_by_kind(full)}


@member_required(READ)
def document_list(request: MemberRequest) -> HttpResponse:
    scope = request.membership
    search = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    channels = list(Channel.objects.for_organization(scope.organization_id).order_by("kind"))
    channel = next((c for c in channels if str(c.pk) == request.GET.get("channel", "")), None)
    documents = selectors.document_list(scope=scope, search=search, kind=kind, status=status, channel=channel)
    facets = []
    for facet in hooks.DOCUMENT_FACETS.values():
        value = request.GET.get(facet.name, "")
        choices = facet.choices(scope)
        if value and value in {v for v, _label in choices}:
            documents = documents.filter(pk__in=facet.document_ids(scope, value))
        else:
            value = ""
        facets.append(
            {
                "name": facet.name,
                "label": facet.label,
                "any_label": facet.any_label,
                "choices": choices,
                "value": value,
            }
        )
    page = paginate(request, documents)
    filtered = bool(
        search or kind in DocumentKind.values or status or channel or any(f["value"] for f in facets)
    )
    return render(
        request,
        "protocols/document_list.html",
        {
            "page": page,
            "search": search,
            "kind": kind,
            "status": status,
            "channel": channel,
            "channels": channels,
            "facets": facets,
            "kinds": DocumentKind.choices,
            "statuses": STATUS_FILTERS if selectors.can_design(scope) else [],
            "filtered": filtered,
            "can_design": selectors.can_design(scope),
            "qs": querystring_without_page(request),
        },
    )


@member_required(DESIGN)
def document_create(request: MemberRequest) -> HttpResponse:
    form = DocumentCreateForm(request.POST or None, initial={"language": request.organization.language})
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_create(
                organization=request.organization,
                actor=request.membership,
                **form.cleaned_data,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("Document created. Write its first draft."))
            return redirect("protocols:version_edit", pk=document.versions.get().pk)
    return render(request, "protocols/document_form.html", {"form": form, "kind_help": KIND_HELP})


@member_required(READ)
def document_detail(request: MemberRequest, pk: Any) -> HttpResponse:
    scope = request.membership
    document = selectors.document_get_for_user(scope=scope, pk=pk)
    history = list(selectors.version_history(document=document, scope=scope))
    current = _version_context(document.current_version) if document.current_version else None
    open_draft = next((v for v in history if v.status in services.EDITABLE), None)
    return render(
        request,
        "protocols/document_detail.html",
        {
            "document": document,
            "current": current,
            "open_draft": open_draft,
            "history": history,
            "links": selectors.document_links(document=document),
            "can_design": selectors.can_design(scope),
            "can_publish": scope.can(PUBLISH),
        },
    )


@require_POST
@member_required(DESIGN)
def document_new_draft(request: MemberRequest, pk: Any) -> HttpResponse:
    document = selectors.document_get_for_user(scope=request.membership, pk=pk)
    try:
        draft = services.version_new_draft(document=document, actor=request.membership)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("protocols:document_detail", pk=document.pk)
    return redirect("protocols:version_edit", pk=draft.pk)


@member_required(READ)
def document_compare(request: MemberRequest, pk: Any) -> HttpResponse:
    """Any two versions of one document; by default the two most recent."""
    scope = request.membership
    document = selectors.document_get_for_user(scope=scope, pk=pk)
    versions = list(selectors.version_history(document=document, scope=scope).prefetch_related("blocks"))
    by_id = {str(v.pk): v for v in versions}
    old = by_id.get(request.GET.get("a", ""))
    new = by_id.get(request.GET.get("b", ""))
    if (request.GET.get("a") and old is None) or (request.GET.get("b") and new is None):
        raise Http404
    if new is None and versions:
        new = versions[0]
    if old is None and len(versions) > 1:
        old = next((v for v in versions if v.number < new.number), versions[-1]) if new else None
    diff = version_diff(old, new) if old and new and old.pk != new.pk else None
    return render(
        request,
        "protocols/document_compare.html",
        {"document": document, "versions": versions, "old": old, "new": new, "diff": diff},
    )


@member_required(READ)
def version_detail(request: MemberRequest, pk: Any) -> HttpResponse:
    scope = request.membership
    version = selectors.version_get_for_user(scope=scope, pk=pk)
    return render(
        request,
        "protocols/version_detail.html",
        {
            **_version_context(version),
            "document": version.document,
            "can_design": selectors.can_design(scope),
        },
    )


def _edit_context(
    scope: Any, version: DocumentVersion, form: VersionForm, formsets: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "version": version,
        "document": version.document,
        "form": form,
        "formsets": formsets,
        "can_publish": scope.can(PUBLISH),
    }


@member_required(DESIGN)
def version_edit(request: MemberRequest, pk: Any) -> HttpResponse:
    scope = request.membership
    version = selectors.version_get_for_user(scope=scope, pk=pk)
    if not version.is_editable:
        messages.info(request, _("A published version never changes. Start a new draft to make changes."))
        return redirect("protocols:document_detail", pk=version.document_id)
    kinds = KIND_BLOCKS[DocumentKind(version.document.kind)]
    if request.method != "POST":
        initial = {
            "revision": version.revision,
            "title": version.title,
            "summary": version.summary,
            "trigger": version.trigger,
            "body": version.body,
            "channels": [vc.channel_id for vc in version.versionchannel_set.all()],
            "branches": [vb.branch_id for vb in version.versionbranch_set.all()],
            "references": [vr.document_id for vr in version.versionreference_set.all()],
        }
        form = VersionForm(initial=initial, version=version)
        formsets = block_formsets(version=version, kinds=kinds)
        return render(request, "protocols/version_form.html", _edit_context(scope, version, form, formsets))

    add = request.POST.get("add", "")
    form = VersionForm(request.POST, version=version)
    formsets = block_formsets(
        version=version, data=request.POST, kinds=kinds, add=add if add in kinds else ""
    )
    if add:
        # "Add a step" only grows the form; nothing is saved until "Save".
        return render(request, "protocols/version_form.html", _edit_context(scope, version, form, formsets))
    if form.is_valid() and all(entry["formset"].is_valid() for entry in formsets):
        data = form.cleaned_data
        try:
            services.version_update(
                version=version,
                actor=scope,
                revision=data["revision"],
                title=data["title"],
                summary=data["summary"],
                trigger=data["trigger"],
                body=data["body"],
                blocks=blocks_from_formsets(formsets),
                channels=list(data["channels"]) if "channels" in data else None,
                branches=list(data["branches"]) if "branches" in data else None,
                references=list(data["references"]) if "references" in data else None,
            )
        except services.VersionConflict as conflict:
            # Keep what this person typed, show what the other person saved, and base the next
            # save on their revision so that saving again is a deliberate choice.
            retry = request.POST.copy()
            retry["revision"] = str(conflict.current.revision)
            form = VersionForm(retry, version=version)
            form.is_valid()
            context = _edit_context(scope, version, form, formsets)
            context["conflict"] = {"message": conflict.message, **_version_context(conflict.current)}
            return render(request, "protocols/version_form.html", context, status=409)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("Draft saved."))
            if request.POST.get("then") == "publish" and scope.can(PUBLISH):
                return redirect("protocols:version_publish", pk=version.pk)
            return redirect("protocols:version_edit", pk=version.pk)
    return render(request, "protocols/version_form.html", _edit_context(scope, version, form, formsets))


@require_POST
@member_required(DESIGN)
def version_submit(request: MemberRequest, pk: Any) -> HttpResponse:
    version = selectors.version_get_for_user(scope=request.membership, pk=pk)
    try:
        services.version_submit_for_review(version=version, actor=request.membership)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Sent to review. A quality manager can now publish it."))
    return redirect("protocols:document_detail", pk=version.document_id)


@member_required(PUBLISH)
def version_publish(request: MemberRequest, pk: Any) -> HttpResponse:
    scope = request.membership
    version = selectors.version_get_for_user(scope=scope, pk=pk)
    if not version.is_editable:
        messages.info(request, _("This version is already published."))
        return redirect("protocols:document_detail", pk=version.document_id)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_publish(
                version=version, actor=scope, change_note=form.cleaned_data["change_note"]
            )
        except services.IncompleteDocument as error:
            for reason in error.reasons:
                form.add_error(None, reason)
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Published. This version is now in force."))
            return redirect("protocols:document_detail", pk=version.document_id)
    missing = services.version_completeness(version=version)
    return render(
        request,
        "protocols/version_publish.html",
        {"version": version, "document": version.document, "form": form, "missing": missing},
    )


@member_required(READ)
def version_print(request: MemberRequest, pk: Any) -> HttpResponse:
    version = selectors.version_get_for_user(scope=request.membership, pk=pk)
    return render(
        request,
        "protocols/version_print.html",
        {**_version_context(version), "document": version.document, "organization": request.organization},
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@member_required(READ)
def version_pdf(request: MemberRequest, pk: Any) -> HttpResponse:
    version = selectors.version_get_for_user(scope=request.membership, pk=pk)
    content = pdf.version_pdf(version=version, organization=request.organization)
    name = slugify(version.title)[:60] or "document"
    return _pdf_response(content, f"{name}-v{version.number}")


@member_required(READ)
def book_pdf(request: MemberRequest) -> HttpResponse:
    organization = request.organization
    language = request.GET.get("language", organization.language)
    if language not in {"es", "en"}:
        language = organization.language
    content = pdf.book_pdf(organization=organization, language=language)
    return _pdf_response(content, slugify(organization.name)[:60] + "-protocol-book")
