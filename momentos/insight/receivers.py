"""Keeps the rollups up to date as interactions close and responses arrive.

Each receiver marks the (branch, local day) partitions a write touched and asks for a refresh once the
transaction commits (momentos.insight.tasks). Bulk writers that send no model signals (COPY, bulk
inserts) either send ``interactions_closed`` (the API and imports do) or rebuild the rollups after
(the demo does).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django_tasks.signals import task_finished, task_started

from momentos.accounts.models import Branch, Channel, Organization, Team
from momentos.attention import hooks
from momentos.attention.models import ChecklistTick, Interaction, MomentReached, StandardResult
from momentos.cycle.models import ChecklistItem, Moment, Segment, ServiceStandard
from momentos.insight import rollups, tasks
from momentos.surveys import hooks as surveys_hooks
from momentos.surveys.models import Answer, Response


def _mark(organization_id: Any, keys: set[tuple[Any, Any]]) -> None:
    if keys and rollups.mark_dirty(organization_id, keys):
        tasks.request_refresh(organization_id)


def _deleted_with(kwargs: dict[str, Any], *models: type) -> bool:
    """Whether this deletion is part of deleting one of ``models`` (the ``origin`` Django passes)."""
    origin = kwargs.get("origin")
    return (getattr(origin, "model", None) or type(origin)) in models


def _organization_going(kwargs: dict[str, Any]) -> bool:
    """Whether this deletion is part of deleting a whole organisation (its rollups go with it)."""
    return _deleted_with(kwargs, Organization)


def _branch_or_organization_going(kwargs: dict[str, Any]) -> bool:
    """Whether this deletion comes from deleting a branch or an organisation, whose rollups go with it
    (a mark naming the branch would outlive it)."""
    return _deleted_with(kwargs, Organization, Branch)


@receiver(hooks.interactions_closed, dispatch_uid="insight_interactions_closed")
def interactions_closed(sender: Any, interactions: list[Any], **kwargs: Any) -> None:
    by_org: dict[Any, list[tuple[Any, Any]]] = {}
    for interaction in interactions:
        by_org.setdefault(interaction.organization_id, []).append(
            (interaction.branch_id, interaction.started_at)
        )
    for organization_id, rows in by_org.items():
        _mark(organization_id, rollups.interaction_keys(rows))


@receiver(post_save, sender=Interaction, dispatch_uid="insight_interaction_saved")
def interaction_saved(
    sender: Any, instance: Interaction, created: bool, update_fields: Any, **kwargs: Any
) -> None:
    if created and instance.closed_at is None:
        return  # a new open interaction counts nowhere yet
    if (
        not created
        and instance.first_response_seconds is not None
        and (update_fields is None or "first_response_at" in update_fields)
    ):
        # The first response may have moved: the upkeep computes the business seconds again.
        Interaction.objects.filter(pk=instance.pk).update(first_response_seconds=None)
        instance.first_response_seconds = None
    _mark(instance.organization_id, rollups.interaction_keys([(instance.branch_id, instance.started_at)]))


def _closed_interaction_touched(instance: Any) -> None:
    found = (
        Interaction.objects.filter(pk=instance.interaction_id, closed_at__isnull=False)
        .values_list("branch_id", "started_at")
        .first()
    )
    if found is not None:
        _mark(instance.organization_id, rollups.interaction_keys([found]))


@receiver(post_save, sender=MomentReached, dispatch_uid="insight_moment_reached_saved")
@receiver(post_save, sender=StandardResult, dispatch_uid="insight_standard_result_saved")
@receiver(post_save, sender=ChecklistTick, dispatch_uid="insight_checklist_tick_saved")
def interaction_part_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    _closed_interaction_touched(instance)


def _response_keys(rows: list[tuple[Any, Any]]) -> set[tuple[Any, Any]]:
    """The partitions of responses given as (branch id, submitted_at)."""
    zones = rollups.marking_zones(branch_id for branch_id, _at in rows)
    return {(b, rollups.local_day(at, zones[b])) for b, at in rows if b in zones and at is not None}


@surveys_hooks.register_statement_part
def response_partition_part(response: Response) -> tuple[str, list[Any]] | None:
    """A public submit stored in one statement marks its partition in that same statement."""
    keys = _response_keys([(response.branch_id, response.submitted_at)])
    if not keys:
        return None
    (branch_id, day) = keys.pop()
    return rollups.mark_dirty_part(response.organization_id, branch_id, day, source="response")


@receiver(post_save, sender=Response, dispatch_uid="insight_response_saved")
def response_saved(sender: Any, instance: Response, **kwargs: Any) -> None:
    if response_partition_part in surveys_hooks.parts_done(instance):
        tasks.request_refresh(instance.organization_id)  # marked already, with the response
        return
    _mark(instance.organization_id, _response_keys([(instance.branch_id, instance.submitted_at)]))


# A raw row deleted through the ORM (one object, a queryset, a cascade): its partition is recomputed.
# Not for the parts of an interaction (moments reached, standard results, ticks): those are deleted only
# to be written again by a writer that marks the interaction's day itself, and a receiver would cost
# those bulk deletes one query per row.


@receiver(pre_delete, sender=Interaction, dispatch_uid="insight_interaction_deleting")
def interaction_deleting(sender: Any, instance: Interaction, **kwargs: Any) -> None:
    """Before it goes: its own day (if it counted, i.e. was closed) and its responses' days, which lose
    their link to it (agent, segment) when it is deleted."""
    if _branch_or_organization_going(kwargs):
        return
    keys = set()
    if instance.closed_at is not None:
        keys |= rollups.interaction_keys([(instance.branch_id, instance.started_at)])
    responses = list(
        Response.objects.filter(interaction_id=instance.pk).values_list("branch_id", "submitted_at")
    )
    keys |= _response_keys(responses)
    _mark(instance.organization_id, keys)


@receiver(post_delete, sender=Response, dispatch_uid="insight_response_deleted")
def response_deleted(sender: Any, instance: Response, **kwargs: Any) -> None:
    if not _branch_or_organization_going(kwargs):
        _mark(instance.organization_id, _response_keys([(instance.branch_id, instance.submitted_at)]))


@receiver(post_delete, sender=Answer, dispatch_uid="insight_answer_deleted")
def answer_deleted(sender: Any, instance: Answer, **kwargs: Any) -> None:
    if _branch_or_organization_going(kwargs):
        return
    # Deleted with its response, the response's own receiver marks the day; deleted alone, this does.
    found = list(Response.objects.filter(pk=instance.response_id).values_list("branch_id", "submitted_at"))
    _mark(instance.organization_id, _response_keys(found))


# A dimension deleted: the partitions that name it are recomputed (their raw rows changed or lost it).


@receiver(post_delete, sender=Team, dispatch_uid="insight_team_deleted")
def team_deleted(sender: Any, instance: Team, **kwargs: Any) -> None:
    if _organization_going(kwargs):
        return
    _mark(instance.organization_id, rollups.keys_naming(instance.organization_id, team_id=instance.pk))


@receiver(post_delete, sender=Channel, dispatch_uid="insight_channel_deleted")
def channel_deleted(sender: Any, instance: Channel, **kwargs: Any) -> None:
    if _organization_going(kwargs):
        return
    _mark(instance.organization_id, rollups.keys_naming(instance.organization_id, channel_id=instance.pk))


@receiver(post_delete, sender=Segment, dispatch_uid="insight_segment_deleted")
def segment_deleted(sender: Any, instance: Segment, **kwargs: Any) -> None:
    if _organization_going(kwargs):
        return
    _mark(instance.organization_id, rollups.keys_naming(instance.organization_id, segment_id=instance.pk))


@receiver(post_delete, sender=Moment, dispatch_uid="insight_moment_deleted")
def moment_deleted(sender: Any, instance: Moment, **kwargs: Any) -> None:
    if _organization_going(kwargs):
        return
    _mark(instance.organization_id, rollups.keys_naming(instance.organization_id, moment_id=instance.pk))


@receiver(post_delete, sender=ChecklistItem, dispatch_uid="insight_checklist_item_deleted")
def checklist_item_deleted(sender: Any, instance: ChecklistItem, **kwargs: Any) -> None:
    if _organization_going(kwargs):
        return
    _mark(
        instance.organization_id, rollups.keys_naming(instance.organization_id, moment_id=instance.moment_id)
    )


@receiver(post_delete, sender=ServiceStandard, dispatch_uid="insight_standard_deleted")
def standard_deleted(sender: Any, instance: ServiceStandard, **kwargs: Any) -> None:
    if _organization_going(kwargs):
        return
    _mark(instance.organization_id, rollups.keys_naming(instance.organization_id, standard_id=instance.pk))


@receiver(post_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="insight_agent_deleted")
def agent_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if _organization_going(kwargs):
        return
    for organization_id, keys in rollups.keys_naming_agent(instance.pk).items():
        _mark(organization_id, keys)


@receiver(post_delete, sender=Branch, dispatch_uid="insight_branch_deleted")
def branch_deleted(sender: Any, instance: Branch, **kwargs: Any) -> None:
    if _organization_going(kwargs):
        return
    rollups.forget_zone(instance.pk)
    rollups.forget_branch(instance.organization_id, instance.pk)


@receiver(pre_save, sender=Branch, dispatch_uid="insight_branch_saving")
def branch_saving(sender: Any, instance: Branch, **kwargs: Any) -> None:
    if instance._state.adding:
        return
    instance._insight_old_zone = (  # type: ignore[attr-defined]
        Branch.objects.filter(pk=instance.pk).values_list("time_zone", flat=True).first()
    )


@receiver(post_save, sender=Branch, dispatch_uid="insight_branch_saved")
def branch_saved(sender: Any, instance: Branch, created: bool, **kwargs: Any) -> None:
    rollups.forget_zone(instance.pk)
    old = getattr(instance, "_insight_old_zone", None)
    if not created and old is not None and old != instance.time_zone:
        # Every row of the branch may belong to another local day now.
        _mark(instance.organization_id, rollups.keys_of_branch(instance.organization_id, instance.pk))


@receiver(task_started, dispatch_uid="insight_task_started")
def task_starting(sender: Any, task_result: Any, **kwargs: Any) -> None:
    tasks.defer_during_task(starting=True, task_path=task_result.task.module_path)


@receiver(task_finished, dispatch_uid="insight_task_finished")
def task_ended(sender: Any, task_result: Any, **kwargs: Any) -> None:
    tasks.defer_during_task(starting=False, task_path=task_result.task.module_path)


def _register_demo_step() -> None:
    from momentos.demo import register_demo_step

    # After the surveys (30) and the interactions (40) are written.
    register_demo_step(rollups.demo_step, order=45)


_register_demo_step()
