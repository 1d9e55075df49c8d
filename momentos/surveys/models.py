"""Surveys, their versions and questions, how they reach customers, the answers, and the alerts they raise.

A survey's questions live on a version: once a version has responses it never changes, so editing
a survey that has answers starts a new version and the old answers stay tied to the questions they
answered. Tokens of single-use links are stored only as hashes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from momentos.accounts.choices import Language
from momentos.accounts.models import Branch, Channel, Team
from momentos.attention.models import Interaction
from momentos.core.models import TenantModel
from momentos.cycle.models import Moment
from momentos.surveys.choices import (
    CHOICE_KINDS,
    SCALES,
    FollowUpOutcome,
    FollowUpStatus,
    QuestionKind,
    ResponseSource,
)


def _in_language(es: str, en: str, language: str | None = None) -> str:
    lang = (language or get_language() or "es")[:2]
    if lang == "en":
        return en or es
    return es or en


class Survey(TenantModel):
    """A questionnaire and the interactions it applies to (no trigger of a kind means every one of that kind)."""

    name = models.CharField(_("name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    channels: models.ManyToManyField[Channel, SurveyChannel] = models.ManyToManyField(
        Channel, verbose_name=_("channels"), through="SurveyChannel", blank=True, related_name="+"
    )
    branches: models.ManyToManyField[Branch, SurveyBranch] = models.ManyToManyField(
        Branch, verbose_name=_("branches"), through="SurveyBranch", blank=True, related_name="+"
    )
    moments: models.ManyToManyField[Moment, SurveyMoment] = models.ManyToManyField(
        Moment, verbose_name=_("moments of truth"), through="SurveyMoment", blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organization", models.functions.Lower("name"), name="survey_name_unique_per_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def current_version(self) -> SurveyVersion | None:
        return self.versions.order_by("-number").first()


class SurveyChannel(TenantModel):
    """A channel whose interactions the survey applies to."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("survey channel")
        verbose_name_plural = _("survey channels")
        constraints = [models.UniqueConstraint(fields=["survey", "channel"], name="survey_channel_once")]


class SurveyBranch(TenantModel):
    """A branch whose interactions the survey applies to."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE)
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("survey branch")
        verbose_name_plural = _("survey branches")
        constraints = [models.UniqueConstraint(fields=["survey", "branch"], name="survey_branch_once")]


class SurveyMoment(TenantModel):
    """A moment of truth whose interactions (having reached it) the survey applies to."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE)
    moment = models.ForeignKey(Moment, on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("survey moment")
        verbose_name_plural = _("survey moments")
        constraints = [models.UniqueConstraint(fields=["survey", "moment"], name="survey_moment_once")]


class SurveyVersion(TenantModel):
    """One fixed set of questions of a survey; frozen as soon as one response points to it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))

    class Meta:
        verbose_name = _("survey version")
        verbose_name_plural = _("survey versions")
        ordering = ["survey", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="survey_version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="survey_version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} v{self.number}"


class Question(TenantModel):
    """A question of a survey version, in Spanish and English, with an optional follow-up after a low score."""

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text_es = models.CharField(_("question (Spanish)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    moment = models.ForeignKey(
        Moment,
        verbose_name=_("moment of truth"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    followup_es = models.CharField(
        _("follow-up after a low score (Spanish)"),
        max_length=300,
        blank=True,
        help_text=_("Asked only when the answer is low, e.g. “What went wrong?”."),
    )
    followup_en = models.CharField(_("follow-up after a low score (English)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "position"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=QuestionKind.values), name="question_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=QuestionKind.MOMENT_RATING, moment__isnull=False)
                | (~Q(kind=QuestionKind.MOMENT_RATING) & Q(moment__isnull=True)),
                name="question_moment_only_for_moment_rating",
            ),
        ]

    def __str__(self) -> str:
        return self.text_es

    def text(self, language: str | None = None) -> str:
        return _in_language(self.text_es, self.text_en, language)

    def followup(self, language: str | None = None) -> str:
        return _in_language(self.followup_es, self.followup_en, language)

    @property
    def scale(self) -> tuple[int, int, int] | None:
        return SCALES.get(self.kind)

    @property
    def has_choices(self) -> bool:
        return self.kind in CHOICE_KINDS

    def is_low(self, value: int | None) -> bool:
        scale = self.scale
        return scale is not None and value is not None and value <= scale[2]


class Choice(TenantModel):
    """An option of a single- or multiple-choice question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(_("position"), default=0)
    text_es = models.CharField(_("option (Spanish)"), max_length=200)
    text_en = models.CharField(_("option (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "position"]

    def __str__(self) -> str:
        return self.text_es

    def text(self, language: str | None = None) -> str:
        return _in_language(self.text_es, self.text_en, language)


class QrCode(TenantModel):
    """A printed code for walk-in customers of a branch (optionally one moment); its token is public by design."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="qr_codes")
    branch = models.ForeignKey(Branch, verbose_name=_("branch"), on_delete=models.CASCADE, related_name="+")
    moment = models.ForeignKey(
        Moment,
        verbose_name=_("moment of truth"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    scope_branch_field = "branch"

    class Meta:
        verbose_name = _("QR code")
        verbose_name_plural = _("QR codes")
        ordering = ["branch__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "branch"], condition=Q(moment__isnull=True), name="qr_code_once_per_branch"
            ),
            models.UniqueConstraint(
                fields=["survey", "branch", "moment"],
                condition=Q(moment__isnull=False),
                name="qr_code_once_per_branch_moment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} @ {self.branch_id}"


class SurveyLink(TenantModel):
    """A single-use, expiring invitation for the customer of one interaction; only the token's hash is kept."""

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="+")
    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    source = models.CharField(
        _("sent by"), max_length=10, choices=ResponseSource.choices, default=ResponseSource.LINK
    )
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    scope_branch_field = "interaction__branch"
    scope_team_field = "interaction__team"
    scope_agent_field = "interaction__agent"

    class Meta:
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.interaction_id} · {self.expires_at:%Y-%m-%d}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class Response(TenantModel):
    """One customer's submitted answers; tied to its interaction (and so to branch, channel, agent, segment).

    ``flagged_staff`` marks a response sent from a logged-in staff session: kept, never counted.
    ``client_hash`` is a keyed hash of the client's address and browser, for QR de-duplication only.
    """

    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="responses")
    # Looked up through the unique (partial) index of response_once_per_interaction: no second index.
    interaction = models.ForeignKey(
        Interaction,
        verbose_name=_("interaction"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    branch = models.ForeignKey(Branch, verbose_name=_("branch"), on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moment = models.ForeignKey(
        Moment,
        verbose_name=_("moment of truth"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=10, choices=ResponseSource.choices)
    link = models.OneToOneField(
        SurveyLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    qr_code = models.ForeignKey(QrCode, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    flagged_staff = models.BooleanField(
        _("sent by staff"), default=False, help_text=_("Sent from a logged-in staff session; not counted.")
    )
    client_hash = models.CharField(max_length=64, blank=True, editable=False)

    scope_branch_field = "branch"
    scope_team_field = "team"

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["interaction"],
                condition=Q(interaction__isnull=False),
                name="response_once_per_interaction",
            ),
            models.CheckConstraint(
                condition=Q(source__in=ResponseSource.values), name="response_source_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "submitted_at"], name="response_org_submitted"),
            models.Index(fields=["organization", "branch", "submitted_at"], name="response_org_branch"),
        ]

    def __str__(self) -> str:
        return f"{self.version_id} · {self.submitted_at:%Y-%m-%d %H:%M}"


def _score_in_range() -> Q:
    condition = Q(
        kind__in=[QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.FREE_TEXT]
    ) & Q(value__isnull=True)
    for kind, (low, high, _low_mark) in SCALES.items():
        condition |= Q(kind=kind, value__gte=low, value__lte=high)
    return condition


class Answer(TenantModel):
    """The answer to one question: a score, the chosen options, or text; ``kind`` is copied for range checks."""

    # Looked up through answer_once_per_question (response first): no second index.
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", db_index=False)
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices, editable=False)
    value = models.SmallIntegerField(_("score"), null=True, blank=True)
    choice_ids = models.JSONField(_("chosen options"), default=list, blank=True)
    text = models.TextField(_("text"), blank=True)
    followup_text = models.TextField(_("answer to the follow-up"), blank=True)

    scope_branch_field = "response__branch"
    scope_team_field = "response__team"

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once_per_question"),
            models.CheckConstraint(condition=_score_in_range(), name="answer_score_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value if self.value is not None else self.text[:30]}"


class Alert(TenantModel):
    """A low score that someone in the branch or team must act on."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="alerts")
    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="alert")
    branch = models.ForeignKey(Branch, verbose_name=_("branch"), on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    score = models.SmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)

    scope_branch_field = "branch"
    scope_team_field = "team"

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "branch", "created_at"], name="alert_org_branch")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.score}"


class FollowUp(TenantModel):
    """The call-back an alert opens: who, by when, where it stands and how it ended."""

    alert = models.OneToOneField(Alert, on_delete=models.CASCADE, related_name="follow_up")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=FollowUpOutcome.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    scope_branch_field = "alert__branch"
    scope_team_field = "alert__team"

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FollowUpStatus.values), name="follow_up_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=FollowUpStatus.DONE) | ~Q(outcome=""), name="follow_up_done_has_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} · {self.get_status_display()}"


class EmailInvitation(TenantModel):
    """A survey link sent to the customer by e-mail, with at most one reminder.

    The address is kept only until the reminder is due (then, or once answered, it is erased);
    ``email_hash`` stays, to honour an opt-out and to show that the invitation went out.
    """

    link = models.OneToOneField(SurveyLink, on_delete=models.CASCADE, related_name="email_invitation")
    interaction = models.ForeignKey(
        Interaction, verbose_name=_("interaction"), on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    email_hash = models.CharField(max_length=64, editable=False)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    base_url = models.CharField(max_length=200, editable=False)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    scope_branch_field = "interaction__branch"
    scope_team_field = "interaction__team"
    scope_agent_field = "interaction__agent"

    class Meta:
        verbose_name = _("e-mail invitation")
        verbose_name_plural = _("e-mail invitations")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["interaction"], name="email_invitation_once_per_interaction"),
        ]
        indexes = [models.Index(fields=["reminded_at", "sent_at"], name="email_invitation_due")]

    def __str__(self) -> str:
        return f"{self.interaction_id} · {self.sent_at:%Y-%m-%d}"


class SurveyOptOut(TenantModel):
    """A customer who asked for no more survey e-mails: known only by a hash of the address and the
    pseudonymous customer reference of the interaction they were invited for."""

    email_hash = models.CharField(max_length=64, editable=False)
    customer_ref = models.CharField(_("customer reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("survey opt-out")
        verbose_name_plural = _("survey opt-outs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "email_hash"], name="survey_opt_out_once"),
        ]

    def __str__(self) -> str:
        return self.email_hash[:12]
