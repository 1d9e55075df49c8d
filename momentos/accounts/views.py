"""Pages of the accounts app: log-in and invitations, and the organisation settings."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from momentos.accounts import selectors, services
from momentos.accounts.choices import Role
from momentos.accounts.decorators import member_required
from momentos.accounts.forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    BranchForm,
    ChannelsForm,
    HolidayForm,
    InvitationForm,
    LoginForm,
    MembershipForm,
    OpeningHoursForm,
    ProfileForm,
    QueuedPasswordResetForm,
    TeamForm,
    membership_initial,
)
from momentos.accounts.http import MemberRequest
from momentos.accounts.middleware import SESSION_KEY
from momentos.accounts.models import ApiToken, Branch, Holiday, Invitation, Membership, Team
from momentos.accounts.permissions import Capability
from momentos.core.access import object_get_for_scope
from momentos.core.errors import DomainError
from momentos.core.pagination import paginate, querystring_without_page

MANAGE = Capability.MANAGE_ORGANIZATION


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST, even an empty one (clearing every field is a real submission)."""
    return request.POST if request.method == "POST" else None


def _apply_error(form: Any, error: DomainError) -> None:
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, str(error.message))


# --- log-in, password reset, invitations, organisation switch, profile ---------------------------


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_get_by_token(token=token)
    except DomainError as error:
        return render(request, "accounts/invitation_invalid.html", {"error": error.message}, status=410)
    existing_user = request.user if request.user.is_authenticated else None
    context: dict[str, Any] = {"invitation": invitation, "existing_user": existing_user, "errors": []}
    if existing_user is not None:
        # A logged-in person accepts with one click, if the invitation is addressed to them.
        context["wrong_user"] = existing_user.email.lower() != invitation.email.lower()
        if request.method == "POST" and not context["wrong_user"]:
            try:
                membership = services.invitation_accept(token=token, user=existing_user)
            except DomainError as error:
                context["errors"].append(error.message)
            else:
                return _welcome(request, membership)
        return render(request, "accounts/invitation_accept.html", context)
    if selectors.user_exists(email=invitation.email):
        context["login_url"] = f"{reverse('accounts:login')}?{urlencode({'next': request.path})}"
        return render(request, "accounts/invitation_accept.html", context)
    form = AcceptInvitationForm(_posted(request), email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.invitation_accept(
                token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            login(request, membership.user, backend="momentos.accounts.backends.EmailBackend")
            return _welcome(request, membership)
    context["form"] = form
    return render(request, "accounts/invitation_accept.html", context)


def _welcome(request: HttpRequest, membership: Membership) -> HttpResponse:
    request.session[SESSION_KEY] = str(membership.organization_id)
    messages.success(request, _("Welcome to %(org)s.") % {"org": membership.organization.name})
    return redirect("core:home")


@require_POST
@member_required()
def organization_switch(request: MemberRequest) -> HttpResponse:
    try:
        organization_id = uuid.UUID(request.POST.get("organization", ""))
    except ValueError as exc:
        raise Http404 from exc
    target = selectors.memberships_of_user(user=request.user).filter(organization_id=organization_id).first()
    if target is None:
        raise Http404
    request.session[SESSION_KEY] = str(target.organization_id)
    messages.success(request, _("You are now working in %(org)s.") % {"org": target.organization.name})
    return redirect("core:home")


@member_required()
def profile(request: MemberRequest) -> HttpResponse:
    form = ProfileForm(_posted(request), instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        response = redirect("accounts:profile")
        lang = form.cleaned_data["language"]
        if lang:
            response.set_cookie("django_language", lang, max_age=60 * 60 * 24 * 365, samesite="Lax")
        else:
            response.delete_cookie("django_language")
        messages.success(request, _("Your profile was saved."))
        return response
    return render(request, "accounts/profile.html", {"form": form})


# --- branches ----------------------------------------------------------------------------------


@member_required(MANAGE)
def branch_list(request: MemberRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    page = paginate(request, selectors.branch_list(scope=request.membership, search=search))
    return render(
        request,
        "accounts/branch_list.html",
        {"page": page, "search": search, "qs": querystring_without_page(request)},
    )


@member_required(MANAGE)
def branch_create(request: MemberRequest) -> HttpResponse:
    form = BranchForm(
        _posted(request),
        initial={"time_zone": request.organization.time_zone, "language": request.organization.language},
    )
    if request.method == "POST" and form.is_valid():
        try:
            branch = services.branch_save(organization=request.organization, **form.cleaned_data)
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(
                request, _("Branch “%(name)s” created. Now set its opening hours.") % {"name": branch.name}
            )
            return redirect("accounts:branch_detail", pk=branch.pk)
    return render(request, "accounts/branch_form.html", {"form": form})


@member_required(MANAGE)
def branch_detail(request: MemberRequest, pk: Any) -> HttpResponse:
    branch = object_get_for_scope(Branch, scope=request.membership, pk=pk)
    return render(
        request,
        "accounts/branch_detail.html",
        {
            "branch": branch,
            "days": selectors.weekly_hours(branch=branch),
            "holidays": branch.holidays.order_by("date"),
            "holiday_form": HolidayForm(),
        },
    )


@member_required(MANAGE)
def branch_edit(request: MemberRequest, pk: Any) -> HttpResponse:
    branch = object_get_for_scope(Branch, scope=request.membership, pk=pk)
    form = BranchForm(_posted(request), instance=branch)
    if request.method == "POST" and form.is_valid():
        try:
            services.branch_save(organization=request.organization, branch=branch, **form.cleaned_data)
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Branch saved."))
            return redirect("accounts:branch_detail", pk=branch.pk)
    return render(request, "accounts/branch_form.html", {"form": form, "branch": branch})


@member_required(MANAGE)
def branch_hours(request: MemberRequest, pk: Any) -> HttpResponse:
    branch = object_get_for_scope(Branch, scope=request.membership, pk=pk)
    form = OpeningHoursForm(_posted(request), initial_spans=selectors.opening_hours_by_weekday(branch=branch))
    if request.method == "POST" and form.is_valid():
        try:
            services.opening_hours_replace(branch=branch, spans=form.cleaned_data["spans"])
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Opening hours saved."))
            return redirect("accounts:branch_detail", pk=branch.pk)
    return render(request, "accounts/branch_hours.html", {"form": form, "branch": branch})


@member_required(MANAGE)
def branch_delete(request: MemberRequest, pk: Any) -> HttpResponse:
    branch = object_get_for_scope(Branch, scope=request.membership, pk=pk)
    if request.method == "POST":
        name = branch.name
        try:
            services.branch_delete(branch=branch)
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect("accounts:branch_detail", pk=branch.pk)
        messages.success(request, _("Branch “%(name)s” deleted.") % {"name": name})
        return redirect("accounts:branch_list")
    return render(
        request,
        "core/confirm_delete.html",
        {
            "object": branch,
            "cancel_url": reverse("accounts:branch_detail", kwargs={"pk": branch.pk}),
            "warning": _("Its opening hours and holidays are deleted with it."),
        },
    )


@member_required(MANAGE)
def holiday_create(request: MemberRequest, pk: Any) -> HttpResponse:
    branch = object_get_for_scope(Branch, scope=request.membership, pk=pk)
    form = HolidayForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.holiday_add(branch=branch, **form.cleaned_data)
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Holiday added."))
            return redirect("accounts:branch_detail", pk=branch.pk)
    return render(request, "accounts/holiday_form.html", {"form": form, "branch": branch})


@member_required(MANAGE)
def holiday_delete(request: MemberRequest, pk: Any) -> HttpResponse:
    holiday = object_get_for_scope(Holiday, scope=request.membership, pk=pk)
    if request.method == "POST":
        branch_pk = holiday.branch_id
        holiday.delete()
        messages.success(request, _("Holiday removed."))
        return redirect("accounts:branch_detail", pk=branch_pk)
    return render(
        request,
        "core/confirm_delete.html",
        {
            "object": holiday,
            "cancel_url": reverse("accounts:branch_detail", kwargs={"pk": holiday.branch_id}),
        },
    )


# --- teams -------------------------------------------------------------------------------------


@member_required(MANAGE)
def team_list(request: MemberRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    page = paginate(request, selectors.team_list(scope=request.membership, search=search))
    return render(
        request,
        "accounts/team_list.html",
        {"page": page, "search": search, "qs": querystring_without_page(request)},
    )


@member_required(MANAGE)
def team_create(request: MemberRequest) -> HttpResponse:
    return _team_form(request, None)


@member_required(MANAGE)
def team_edit(request: MemberRequest, pk: Any) -> HttpResponse:
    return _team_form(request, object_get_for_scope(Team, scope=request.membership, pk=pk))


def _team_form(request: MemberRequest, team: Team | None) -> HttpResponse:
    form = TeamForm(_posted(request), instance=team, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.team_save(organization=request.organization, team=team, **form.cleaned_data)
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Team “%(name)s” saved.") % {"name": saved.name})
            return redirect("accounts:team_list")
    return render(request, "accounts/team_form.html", {"form": form, "team": team})


@member_required(MANAGE)
def team_delete(request: MemberRequest, pk: Any) -> HttpResponse:
    team = object_get_for_scope(Team, scope=request.membership, pk=pk)
    if request.method == "POST":
        try:
            services.team_delete(team=team)
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect("accounts:team_list")
        messages.success(request, _("Team deleted."))
        return redirect("accounts:team_list")
    return render(
        request, "core/confirm_delete.html", {"object": team, "cancel_url": reverse("accounts:team_list")}
    )


# --- members and invitations -------------------------------------------------------------------


@member_required(MANAGE)
def member_list(request: MemberRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    if role not in Role.values:
        role = ""
    page = paginate(request, selectors.member_list(scope=request.membership, search=search, role=role))
    invitations = [
        i for i in selectors.invitation_list(scope=request.membership)[:50] if i.status == "pending"
    ]
    return render(
        request,
        "accounts/member_list.html",
        {
            "page": page,
            "search": search,
            "role": role,
            "roles": Role.choices,
            "invitations": invitations,
            "qs": querystring_without_page(request),
        },
    )


@member_required(MANAGE)
def member_edit(request: MemberRequest, pk: Any) -> HttpResponse:
    member = object_get_for_scope(Membership, scope=request.membership, pk=pk)
    form = MembershipForm(
        _posted(request), organization=request.organization, initial=membership_initial(member)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                membership=member,
                actor=request.membership,
                role=form.cleaned_data["role"],
                branches=list(form.cleaned_data["branches"]),
                teams=list(form.cleaned_data["teams"]),
                is_active=form.cleaned_data["is_active"],
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("%(name)s was updated.") % {"name": member.user})
            return redirect("accounts:member_list")
    return render(request, "accounts/member_form.html", {"form": form, "member": member})


@member_required(MANAGE)
def invitation_create(request: MemberRequest) -> HttpResponse:
    form = InvitationForm(_posted(request), organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                organization=request.organization,
                invited_by=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                branches=list(form.cleaned_data["branches"]),
                teams=list(form.cleaned_data["teams"]),
                base_url=request.build_absolute_uri("/")[:-1],
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("accounts:member_list")
    return render(request, "accounts/invitation_form.html", {"form": form})


@require_POST
@member_required(MANAGE)
def invitation_revoke(request: MemberRequest, pk: Any) -> HttpResponse:
    invitation = object_get_for_scope(Invitation, scope=request.membership, pk=pk)
    try:
        services.invitation_revoke(invitation=invitation)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Invitation to %(email)s revoked.") % {"email": invitation.email})
    return redirect("accounts:member_list")


# --- channels ----------------------------------------------------------------------------------


@member_required(MANAGE)
def channel_list(request: MemberRequest) -> HttpResponse:
    channels = selectors.channel_list(organization=request.organization)
    form = ChannelsForm(_posted(request), initial={"kinds": [c.kind for c in channels if c.is_active]})
    if request.method == "POST" and form.is_valid():
        try:
            services.channels_set_active(organization=request.organization, kinds=form.cleaned_data["kinds"])
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Channels saved."))
            return redirect("accounts:channel_list")
    return render(request, "accounts/channel_list.html", {"form": form, "channels": channels})


# --- API tokens --------------------------------------------------------------------------------


@member_required(MANAGE)
def api_token_list(request: MemberRequest) -> HttpResponse:
    form = ApiTokenForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            token, raw_key = services.api_token_create(
                organization=request.organization, created_by=request.user, name=form.cleaned_data["name"]
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(
                request,
                _("Token “%(name)s” created. Copy it now: it will not be shown again.")
                % {"name": token.name},
            )
            # Post/redirect/get: a reload must not create a second token. The key waits in the
            # session for exactly one page view.
            request.session[NEW_TOKEN_SESSION_KEY] = raw_key
            return redirect("accounts:api_token_list")
    new_key = request.session.pop(NEW_TOKEN_SESSION_KEY, None) if request.method == "GET" else None
    page = paginate(request, selectors.api_token_list(scope=request.membership))
    response = render(
        request, "accounts/api_token_list.html", {"form": form, "page": page, "new_key": new_key}
    )
    if new_key:
        add_never_cache_headers(response)  # the only copy of the key must not stay in a cache
    return response


NEW_TOKEN_SESSION_KEY = "momentos_new_api_token"


@member_required(MANAGE)
def api_token_revoke(request: MemberRequest, pk: Any) -> HttpResponse:
    token = object_get_for_scope(ApiToken, scope=request.membership, pk=pk)
    if request.method == "POST":
        services.api_token_revoke(token=token)
        messages.success(
            request,
            _("Token “%(name)s” revoked. Programs using it can no longer reach the API.")
            % {"name": token.name},
        )
        return redirect("accounts:api_token_list")
    return render(
        request,
        "core/confirm_delete.html",
        {
            "object": token,
            "cancel_url": reverse("accounts:api_token_list"),
            "action_label": _("Revoke"),
            "warning": _("Programs that use this token will stop working at once."),
        },
    )
