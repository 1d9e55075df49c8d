"""Enumerations of the four-step design. Indicator codes are those of PRODUCT.md's definitions table."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    CSAT = "csat", _("CSAT %")
    NPS = "nps", _("NPS")
    CES = "ces", _("CES")
    RESOLUTION_RATE = "resolution_rate", _("Resolution rate")
    FIRST_CONTACT_RESOLUTION = "first_contact_resolution", _("First-contact resolution")
    ATTENTION_TIME = "attention_time", _("Attention time")
    FIRST_RESPONSE_TIME = "first_response_time", _("First response time")
    STANDARD_COMPLIANCE = "standard_compliance", _("Standard compliance")
    CHECKLIST_COMPLIANCE = "checklist_compliance", _("Checklist compliance")
    TRAINING_COVERAGE = "training_coverage", _("Training coverage")


class Comparison(models.TextChoices):
    LTE = "lte", "≤"
    LT = "lt", "<"
    GTE = "gte", "≥"
    GT = "gt", ">"


class Period(models.TextChoices):
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class ExpectationKind(models.TextChoices):
    NEED = "need", _("Need")
    EXPECTATION = "expectation", _("Expectation")


class EvidenceKind(models.TextChoices):
    INTERVIEW = "interview", _("Interview notes")
    SURVEY = "survey", _("Survey results")
    DATA = "data", _("Data analysis")
    OBSERVATION = "observation", _("Observation")


class StandardMetric(models.TextChoices):
    """What a service standard measures on each interaction."""

    FIRST_RESPONSE_TIME = "first_response_time", _("First response time")
    ATTENTION_TIME = "attention_time", _("Attention time")
    WAIT_TIME = "wait_time", _("Waiting time before the moment")
    MOMENT_DURATION = "moment_duration", _("Time spent in the moment")
    CONTACTS = "contacts", _("Contacts needed")
    MOMENT_RATING = "moment_rating", _("Customer rating of the moment")


class Unit(models.TextChoices):
    SECONDS = "seconds", _("seconds")
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")
    COUNT = "count", _("count")
    SCORE = "score", _("score")
    PERCENT = "percent", _("percent")


# The indicators every organisation should set a target for before the protocol is complete (Step 1).
KEY_INDICATORS = (
    Indicator.CSAT,
    Indicator.NPS,
    Indicator.FIRST_RESPONSE_TIME,
    Indicator.RESOLUTION_RATE,
)

# What a target may be, per indicator: (lowest, highest, lowest excluded). None: no bound.
PERCENT_INDICATORS = frozenset(
    {
        Indicator.CSAT,
        Indicator.RESOLUTION_RATE,
        Indicator.FIRST_CONTACT_RESOLUTION,
        Indicator.STANDARD_COMPLIANCE,
        Indicator.CHECKLIST_COMPLIANCE,
        Indicator.TRAINING_COVERAGE,
    }
)
TIME_INDICATORS = frozenset({Indicator.ATTENTION_TIME, Indicator.FIRST_RESPONSE_TIME})
TARGET_RANGES: dict[str, tuple[int | None, int | None, bool]] = {
    **{code: (0, 100, False) for code in PERCENT_INDICATORS},
    Indicator.NPS: (-100, 100, False),
    Indicator.CES: (1, 7, False),
    **{code: (0, None, True) for code in TIME_INDICATORS},
}

# The units a standard's threshold may be given in, per metric.
TIME_UNITS = (Unit.SECONDS, Unit.MINUTES, Unit.HOURS, Unit.DAYS)
METRIC_UNITS: dict[str, tuple[str, ...]] = {
    StandardMetric.FIRST_RESPONSE_TIME: TIME_UNITS,
    StandardMetric.ATTENTION_TIME: TIME_UNITS,
    StandardMetric.WAIT_TIME: TIME_UNITS,
    StandardMetric.MOMENT_DURATION: TIME_UNITS,
    StandardMetric.CONTACTS: (Unit.COUNT,),
    StandardMetric.MOMENT_RATING: (Unit.SCORE, Unit.PERCENT),
}
