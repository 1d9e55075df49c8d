"""What an event says: the response or alert as stored, without the customer's contact details."""

from __future__ import annotations

from typing import Any

from momentos.surveys.models import Alert, Answer, FollowUp, Response


def _branch(branch: Any) -> dict[str, Any]:
    return {"id": str(branch.pk), "name": branch.name}


def _id(value: Any) -> str | None:
    return str(value) if value is not None else None


def response_data(response_id: Any) -> dict[str, Any] | None:
    response = Response.objects.select_related("branch", "version", "channel").filter(pk=response_id).first()
    if response is None:
        return None
    answers = (
        Answer.objects.filter(response_id=response.pk)
        .select_related("question")
        .order_by("question__position")
    )
    return {
        "response_id": str(response.pk),
        "survey_id": str(response.version.survey_id),
        "survey_version_id": str(response.version_id),
        "branch": _branch(response.branch),
        "channel": response.channel.kind if response.channel else None,
        "interaction_id": _id(response.interaction_id),
        "language": response.language,
        "submitted_at": response.submitted_at.isoformat(),
        "answers": [
            {
                "question_id": str(a.question_id),
                "kind": a.kind,
                "value": a.value,
                "choices": list(a.choice_ids or []),
                "text": a.text,
                "followup_text": a.followup_text,
            }
            for a in answers
        ],
    }


def alert_data(alert_id: Any) -> dict[str, Any] | None:
    alert = Alert.objects.select_related("branch").filter(pk=alert_id).first()
    if alert is None:
        return None
    follow_up = FollowUp.objects.filter(alert_id=alert.pk).only("pk", "due_date").first()
    return {
        "alert_id": str(alert.pk),
        "response_id": str(alert.response_id),
        "kind": alert.kind,
        "score": alert.score,
        "comment": alert.comment,
        "branch": _branch(alert.branch),
        "follow_up": {"id": str(follow_up.pk), "due_date": follow_up.due_date.isoformat()}
        if follow_up
        else None,
    }
