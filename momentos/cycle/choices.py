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
