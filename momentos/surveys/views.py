"""Staff pages of the surveys app: design surveys, print QR codes, hand out links, follow up on alerts."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from momentos.accounts.decorators import member_required
from momentos.accounts.http import MemberRequest
from momentos.accounts.permissions import Capability
from momentos.attention.models import Interaction
from momentos.core.access import object_get_for_scope
from momentos.core.errors import DomainError
from momentos.core.pagination import paginate
from momentos.surveys import exporting, selectors, services
from momentos.surveys.forms import (
    FollowUpForm,
    InvitationForm,
    LinkForm,
    QrCodeForm,
    QuestionForm,
    QuestionFormSet,
    ResponseForm,
    SurveyForm,
)
from momentos.surveys.models import Alert, EmailInvitation, QrCode, Response, Survey

DESIGN = Capability.DESIGN_PROTOCOL


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@member_required(DESIGN)
def survey_list(request: MemberRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    page = paginate(request, selectors.survey_list(scope=request.membership, search=search))
    return render(request, "surveys/survey_list.html", {"page": page, "search": search})


@member_required(DESIGN)
def survey_create(request: MemberRequest) -> HttpResponse:
    return _survey_form(request, None)


@member_required(DESIGN)
def survey_edit(request: MemberRequest, pk: Any) -> HttpResponse:
    return _survey_form(request, object_get_for_scope(Survey, scope=request.membership, pk=pk))


def _survey_form(request: MemberRequest, survey: Survey | None) -> HttpResponse:
    form = SurveyForm(_posted(request), instance=survey, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        triggers = {"channels": data["channels"], "branches": data["branches"], "moments": data["moments"]}
        try:
            if survey is None:
                saved = services.survey_create(
                    organization=request.organization,
                    name=data["name"],
                    is_active=data["is_active"],
                    **triggers,
                )
            else:
                saved = services.survey_update(
                    survey=survey, name=data["name"], is_active=data["is_active"], **triggers
                )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("Survey “%(name)s” saved.") % {"name": saved.name})
            if survey is None:
                return redirect("surveys:survey_questions", pk=saved.pk)
            return redirect("surveys:survey_list")
    return render(request, "surveys/survey_form.html", {"form": form, "survey": survey})


@member_required(DESIGN)
def survey_questions(request: MemberRequest, pk: Any) -> HttpResponse:
    survey = object_get_for_scope(Survey, scope=request.membership, pk=pk)
    version = survey.current_version
    questions = selectors.version_questions(version) if version else []
    form_kwargs = {"organization": request.organization}
    if request.method == "POST":
        formset = QuestionFormSet(request.POST, form_kwargs=form_kwargs, prefix="questions")
        if formset.is_valid():
            data = [
                f.to_data() for f in formset.forms if f.has_changed() and not f.cleaned_data.get("DELETE")
            ]
            try:
                saved = services.survey_questions_save(survey=survey, questions=data)
            except DomainError as error:
                # Formsets have no add_error for the whole set; this is where Django keeps those errors.
                cast(Any, formset)._non_form_errors = formset.error_class([str(error.message)])  # noqa: SLF001
            else:
                if version and saved.pk != version.pk:
                    messages.success(
                        request,
                        _("The survey already had answers: version %(n)s started.") % {"n": saved.number},
                    )
                else:
                    messages.success(request, _("Questions saved."))
                return redirect("surveys:survey_questions", pk=survey.pk)
    else:
        formset = QuestionFormSet(
            initial=[QuestionForm.initial_for(q) for q in questions],
            form_kwargs=form_kwargs,
            prefix="questions",
        )
    has_answers = bool(version and version.responses.exists())
    return render(
        request,
        "surveys/survey_questions.html",
        {"survey": survey, "version": version, "formset": formset, "has_answers": has_answers},
    )


@member_required(DESIGN)
def survey_preview(request: MemberRequest, pk: Any) -> HttpResponse:
    survey = object_get_for_scope(Survey, scope=request.membership, pk=pk)
    version = survey.current_version
    lang = request.GET.get("lang", "es")
    if lang not in {"es", "en"}:
        lang = "es"
    with translation.override(lang):
        form = ResponseForm(questions=selectors.version_questions(version) if version else [], language=lang)
        return render(
            request,
            "surveys/public/respond.html",
            {
                "form": form,
                "preview": True,
                "title": survey.name,
                "lang": lang,
                "other_lang": "en" if lang == "es" else "es",
                "path": request.path,
            },
        )


@member_required(DESIGN)
def survey_export(request: MemberRequest, pk: Any) -> HttpResponse:
    """The survey's responses that the member may see, as CSV (``?format=csv``) or XLSX (``?format=xlsx``)."""
    survey = object_get_for_scope(Survey, scope=request.membership, pk=pk)
    file_format = request.GET.get("format", "csv")
    if file_format not in exporting.FORMATS:
        messages.error(request, _("Unknown format: use csv or xlsx."))
        return redirect("surveys:survey_list")
    include_flagged = request.GET.get("include_flagged") in {"1", "true", "on"}
    selected = exporting.responses_filtered(
        Response.objects.visible_to(request.membership),
        exporting.ExportFilters(survey_id=survey.pk, include_flagged=include_flagged),
    )
    # A streamed (CSV) or file (XLSX) response: a response all the same, though not an HttpResponse.
    return cast(
        HttpResponse,
        exporting.export_response(
            exporting.ResponseSheet(selected, include_flagged=include_flagged),
            file_format=file_format,
            filename=exporting.export_filename(f"responses-{slugify(survey.name) or survey.pk}"),
        ),
    )


@member_required(DESIGN)
def survey_qr_codes(request: MemberRequest, pk: Any) -> HttpResponse:
    survey = object_get_for_scope(Survey, scope=request.membership, pk=pk)
    form = QrCodeForm(_posted(request), scope=request.membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.qr_code_for_branch(
                survey=survey, branch=form.cleaned_data["branch"], moment=form.cleaned_data["moment"]
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("QR code ready."))
            return redirect("surveys:survey_qr_codes", pk=survey.pk)
    codes = [
        {"code": code, "url": _qr_url(request, code), "svg": services.qr_svg(_qr_url(request, code))}
        for code in selectors.qr_codes_for_survey(scope=request.membership, survey=survey)
    ]
    return render(request, "surveys/survey_qr_codes.html", {"survey": survey, "form": form, "codes": codes})


def _qr_url(request: MemberRequest, code: QrCode) -> str:
    return request.build_absolute_uri(reverse("surveys_public:respond_qr", kwargs={"token": code.token}))


def _qr_download(request: MemberRequest, pk: Any, kind: str) -> HttpResponse:
    code = object_get_for_scope(
        QrCode,
        scope=request.membership,
        pk=pk,
        queryset=QrCode.objects.select_related("branch", "moment", "survey"),
    )
    url = _qr_url(request, code)
    if kind == "png":
        response = HttpResponse(services.qr_png(url), content_type="image/png")
    elif kind == "pdf":
        from momentos.surveys.poster import qr_poster_pdf

        response = HttpResponse(qr_poster_pdf(code, url=url), content_type="application/pdf")
    else:
        svg = services.qr_svg(url)
        response = HttpResponse(
            '<?xml version="1.0" encoding="utf-8"?>\n' + svg, content_type="image/svg+xml"
        )
    response["Content-Disposition"] = f'attachment; filename="qr-{code.token}.{kind}"'
    return response


@member_required(DESIGN)
def qr_code_png(request: MemberRequest, pk: Any) -> HttpResponse:
    return _qr_download(request, pk, "png")


@member_required(DESIGN)
def qr_code_pdf(request: MemberRequest, pk: Any) -> HttpResponse:
    return _qr_download(request, pk, "pdf")


@member_required(DESIGN)
def qr_code_svg(request: MemberRequest, pk: Any) -> HttpResponse:
    return _qr_download(request, pk, "svg")


@member_required(Capability.ATTEND)
def interaction_survey_link(request: MemberRequest, pk: Any) -> HttpResponse:
    """Hand the customer of an interaction a single-use link: shown as a URL and a QR code to scan."""
    interaction = object_get_for_scope(Interaction, scope=request.membership, pk=pk)
    form = LinkForm(_posted(request), organization=request.organization)
    url = svg = ""
    if request.method == "POST" and form.is_valid():
        try:
            url, svg = services.survey_link_for_interaction(
                interaction, base_url=request.build_absolute_uri("/")[:-1], survey=form.cleaned_data["survey"]
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
    return render(
        request,
        "surveys/interaction_link.html",
        {"interaction": interaction, "form": form, "url": url, "svg": svg},
    )


@member_required(Capability.AUDIT)
def alert_list(request: MemberRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    page = paginate(request, selectors.alert_list(scope=request.membership, status=status))
    return render(request, "surveys/alert_list.html", {"page": page, "status": status})


@member_required(Capability.AUDIT)
def alert_detail(request: MemberRequest, pk: Any) -> HttpResponse:
    alert = object_get_for_scope(
        Alert,
        scope=request.membership,
        pk=pk,
        queryset=Alert.objects.select_related("branch", "team", "follow_up", "response__interaction"),
    )
    follow_up = alert.follow_up
    initial = {
        "owner": follow_up.owner_id,
        "due_date": follow_up.due_date,
        "status": follow_up.status,
        "outcome": follow_up.outcome,
        "notes": follow_up.notes,
    }
    form = FollowUpForm(_posted(request), initial=initial, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_update(follow_up=follow_up, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("Follow-up saved."))
            return redirect("surveys:alert_detail", pk=alert.pk)
    return render(
        request,
        "surveys/alert_detail.html",
        {"alert": alert, "follow_up": follow_up, "form": form, **selectors.alert_context(alert)},
    )


@member_required(Capability.ATTEND)
def interaction_invite(request: MemberRequest, pk: Any) -> HttpResponse:
    """E-mail the customer of an interaction a single-use survey link (one reminder follows if unanswered)."""
    interaction = object_get_for_scope(Interaction, scope=request.membership, pk=pk)
    form = InvitationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.email_invitation_send(
                interaction=interaction,
                email=form.cleaned_data["email"],
                language=form.cleaned_data["language"],
                base_url=request.build_absolute_uri("/")[:-1],
            )
        except DomainError as error:
            form.add_error("email" if error.field == "email" else None, str(error.message))
        else:
            messages.success(request, _("The invitation is on its way."))
            return redirect("surveys:interaction_invite", pk=interaction.pk)
    invitation = EmailInvitation.objects.filter(interaction=interaction).select_related("link").first()
    return render(
        request,
        "surveys/interaction_invite.html",
        {"interaction": interaction, "form": form, "invitation": invitation},
        status=400 if request.method == "POST" else 200,
    )
