"""The customer's pages: no login, no JavaScript, one small HTML page per step.

Opening a page never records anything (mail scanners follow links); only the customer's own
submit does. Scripted spam is refused without storing: a honeypot field and a minimum fill time.
QR pages, which anyone can reach, are also limited per client and de-duplicated.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from momentos.core.errors import DomainError
from momentos.surveys import conf, selectors, services
from momentos.surveys.choices import ResponseSource
from momentos.surveys.forms import HONEYPOT, ResponseForm
from momentos.surveys.models import Response, SurveyVersion
from momentos.surveys.services import AlreadyAnswered
from momentos.surveys.tokens import client_fingerprint, seconds_since_form_start, sign_form_start

logger = logging.getLogger(__name__)
LANGUAGES = ("es", "en")


def _language(request: HttpRequest, fallback: str = "es") -> str:
    """The language the customer asked for (link or form), else their browser's, else the branch's."""
    chosen = request.POST.get("lang") or request.GET.get("lang")
    if chosen in LANGUAGES:
        return chosen
    from_browser = (translation.get_language_from_request(request) or "")[:2]
    if request.headers.get("Accept-Language") and from_browser in LANGUAGES:
        return from_browser
    return fallback if fallback in LANGUAGES else "es"


def _page(
    request: HttpRequest, template: str, lang: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {"lang": lang, "other_lang": "en" if lang == "es" else "es", "path": request.path, **context}
    response = render(request, f"surveys/public/{template}", context, status=status)
    response["Content-Language"] = lang
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def client_address(request: HttpRequest) -> str:
    """The client's address: the connection's, or with TRUSTED_PROXY_COUNT = N > 0 the N-th from the
    right of X-Forwarded-For. That is the first address when the client sent no header of its own;
    counting from the right means one it did send (leftmost, forged at will) is never believed.
    """
    proxies = conf.trusted_proxy_count()
    forwarded = request.headers.get("X-Forwarded-For", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-proxies] if len(hops) >= proxies else hops[0]
    return request.META.get("REMOTE_ADDR", "")


def _client_hash(request: HttpRequest) -> str:
    return client_fingerprint(
        address=client_address(request), user_agent=request.headers.get("User-Agent", "")
    )


def _answer_form(
    request: HttpRequest,
    *,
    version: SurveyVersion,
    lang: str,
    title: str,
    submit: Callable[[ResponseForm], Response],
    preview: bool = False,
) -> HttpResponse:
    """Show the questions (GET) or record the customer's submit (POST) through ``submit``."""
    questions = selectors.version_questions(version)
    context: dict[str, Any] = {"title": title, "preview": preview}
    if request.method != "POST" or preview:
        form = ResponseForm(questions=questions, language=lang)
        return _page(request, "respond.html", lang, {**context, "form": form})

    if request.POST.get(HONEYPOT):
        logger.info("survey submit refused: honeypot filled")
        return _page(request, "thanks.html", lang, context)
    with_followups = request.POST.get("step") == "followup"
    form = ResponseForm(request.POST, questions=questions, language=lang, with_followups=with_followups)
    if not form.is_valid():
        return _page(request, "respond.html", lang, {**context, "form": form}, status=400)
    elapsed = seconds_since_form_start(form.cleaned_data.get("started") or "")
    if elapsed is None or elapsed < conf.min_fill_seconds():
        # Too fast for a person (or a forged stamp): nothing is stored; a person just sends again.
        data = request.POST.copy()
        data["started"] = sign_form_start()
        form = ResponseForm(data, questions=questions, language=lang, with_followups=with_followups)
        form.is_valid()
        form.add_error(None, _("That was very quick. Please check your answers and send them again."))
        return _page(request, "respond.html", lang, {**context, "form": form}, status=400)
    if not with_followups and form.pending_followups():
        form = ResponseForm(request.POST, questions=questions, language=lang, with_followups=True)
        form.is_valid()
        return _page(request, "respond.html", lang, {**context, "form": form, "step": "followup"})
    try:
        submit(form)
    except AlreadyAnswered:
        return _page(request, "already_answered.html", lang, context)
    except DomainError as error:
        form.add_error(None, str(error.message))
        return _page(request, "respond.html", lang, {**context, "form": form}, status=400)
    return HttpResponseRedirect(reverse("surveys_public:thanks") + f"?lang={lang}")


@never_cache
def respond(request: HttpRequest, token: str) -> HttpResponse:
    """The page a single-use link opens."""
    link = selectors.link_get_by_token(token)
    if link is None:
        lang = _language(request)
        with translation.override(lang):
            return _page(request, "invalid.html", lang, {}, status=404)
    lang = _language(request, link.interaction.branch.language)
    with translation.override(lang):
        title = link.version.survey.name
        # On a submit the service decides (the link's lock and the one-response constraint): one read less.
        answered_elsewhere = (
            request.method != "POST" and Response.objects.filter(interaction_id=link.interaction_id).exists()
        )
        if link.used_at is not None or answered_elsewhere:
            return _page(request, "already_answered.html", lang, {"title": title})
        if link.is_expired:
            return _page(request, "expired.html", lang, {"title": title}, status=410)
        return _answer_form(
            request,
            version=link.version,
            lang=lang,
            title=title,
            submit=lambda form: services.response_submit(
                version=link.version,
                answers=form.answers(),
                source=link.source,
                language=lang,
                link=link,
                flagged_staff=request.user.is_authenticated,
                client_hash=_client_hash(request),
                questions=form.questions,
            ),
        )


def _over_limit(fingerprint: str) -> bool:
    limit, window = conf.qr_limit()
    key = f"surveys:qr-submits:{fingerprint}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit


def _is_duplicate(fingerprint: str, version: SurveyVersion, form: ResponseForm) -> bool:
    answers = {str(k): [v.value, sorted(v.choice_ids), v.text.strip()] for k, v in form.answers().items()}
    digest = hashlib.sha256(
        json.dumps([fingerprint, str(version.pk), answers], sort_keys=True, default=str).encode()
    ).hexdigest()
    return not cache.add(f"surveys:qr-seen:{digest}", 1, conf.duplicate_window())


@never_cache
def respond_qr(request: HttpRequest, token: str) -> HttpResponse:
    """The page a branch's printed QR code opens, for walk-in customers."""
    qr = selectors.qr_code_get_by_token(token)
    version = qr.survey.current_version if qr else None
    if qr is None or version is None:
        lang = _language(request)
        with translation.override(lang):
            return _page(request, "invalid.html", lang, {}, status=404)
    lang = _language(request, qr.branch.language)
    fingerprint = _client_hash(request)
    with translation.override(lang):
        title = qr.survey.name
        if request.method == "POST" and _over_limit(fingerprint):
            logger.info("QR survey submit refused: rate limit")
            return _page(request, "too_many.html", lang, {"title": title}, status=429)

        def submit(form: ResponseForm) -> Response | None:
            if _is_duplicate(fingerprint, version, form):
                return None  # the same answers again from the same client: already counted once
            return services.response_submit(
                version=version,
                answers=form.answers(),
                source=ResponseSource.QR,
                language=lang,
                branch=qr.branch,
                qr_code=qr,
                flagged_staff=request.user.is_authenticated,
                client_hash=fingerprint,
                questions=form.questions,
            )

        return _answer_form(request, version=version, lang=lang, title=title, submit=submit)  # type: ignore[arg-type]


def thanks(request: HttpRequest) -> HttpResponse:
    lang = _language(request)
    with translation.override(lang):
        return _page(request, "thanks.html", lang, {})


@csrf_exempt
@never_cache
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe link of a survey e-mail: opening it asks, only a POST records.

    The POST is the customer's click on this page, or their mail program's one-click unsubscribe
    (RFC 8058: ``List-Unsubscribe=One-Click`` in the body, no cookie, no CSRF token). The signed token
    in the URL is what authorises it, so CSRF protection would add nothing and is left out.
    """
    lang = _language(request)
    with translation.override(lang):
        data = services.opt_out_read(token)
        if data is None:
            return _page(request, "invalid.html", lang, {}, status=404)
        if request.method != "POST":
            return _page(request, "opt_out.html", lang, {})
        services.opt_out_record(organization_id=data["o"], email_hash=data["h"], customer_ref=data["r"])
        return _page(request, "opt_out.html", lang, {"done": True})
