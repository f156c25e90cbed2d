"""Customer feedback on a completed return: the invitation mail and the answer.

A completed return gets one invitation (``feedback.requested``, mailed by the
notifications app in the customer's language) ``FEEDBACK_REQUEST_DELAY_HOURS`` after
completion; 0 turns the invitations off. The link opens ``<status page>feedback/``
where the customer gives a 1-5 rating and a comment. One answer per return, which the
customer may change for ``FEEDBACK_EDIT_DAYS`` days after giving it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from returns.models import Feedback, FeedbackRequest, ReturnRequest
from returns.statuses import ReturnStatus
from returns.workflow import return_event_data, status_path
from returns_platform import events
from returns_platform.audit import Actor
from returns_platform.errors import ConflictError, DomainError

FEEDBACK_EDIT_DAYS = 14
BATCH = 200


def feedback_request_delay() -> timedelta | None:
    hours = int(getattr(settings, "FEEDBACK_REQUEST_DELAY_HOURS", 24))
    return timedelta(hours=hours) if hours > 0 else None


def feedback_get(*, return_request: ReturnRequest) -> Feedback | None:
    return Feedback.objects.filter(request=return_request).first()


def feedback_editable(feedback: Feedback | None, *, now=None) -> bool:
    if feedback is None:
        return True
    now = now or timezone.now()
    return now < feedback.created_at + timedelta(days=FEEDBACK_EDIT_DAYS)


@transaction.atomic
def feedback_submit(*, return_request: ReturnRequest, rating: int, comment: str = "") -> Feedback:
    """Store (or change, within the edit window) the customer's answer about a return."""
    locked = ReturnRequest.objects.select_for_update(of=("self",)).get(pk=return_request.pk)
    if locked.status != ReturnStatus.COMPLETED:
        raise ConflictError(code="feedback_not_open")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise DomainError(code="invalid_rating", field="rating")
    now = timezone.now()
    comment = (comment or "").strip()[:2000]
    feedback = Feedback.objects.filter(request=locked).first()
    if feedback is None:
        feedback = Feedback.objects.create(
            request=locked,
            rating=rating,
            comment=comment,
            language=locked.language,
            created_at=now,
            updated_at=now,
        )
        action = "feedback.given"
    else:
        if not feedback_editable(feedback, now=now):
            raise ConflictError(code="feedback_closed", params={"days": FEEDBACK_EDIT_DAYS})
        feedback.rating, feedback.comment, feedback.updated_at = rating, comment, now
        feedback.save(update_fields=["rating", "comment", "updated_at"])
        action = "feedback.changed"
    # Analytics hears of it too: the feedback figures of the request's day follow the answer.
    events.record(
        action,
        actor=Actor.consumer(locked.email),
        subject=locked,
        data={"rating": rating},
        payload={"rma": locked.rma, "rating": rating},
    )
    return feedback


def feedback_due(*, now=None) -> list[int]:
    """Ids of completed returns of the shop in scope whose invitation is due."""
    delay = feedback_request_delay()
    if delay is None:
        return []
    now = now or timezone.now()
    invited = FeedbackRequest.objects.values("request_id")
    return list(
        ReturnRequest.objects.filter(
            status=ReturnStatus.COMPLETED, status_changed_at__lte=now - delay
        )
        .exclude(pk__in=invited)
        .order_by("status_changed_at", "id")
        .values_list("pk", flat=True)[:BATCH]
    )


def feedback_invite(*, return_request_id: int) -> bool:
    """Send the feedback invitation of one completed return, once; False when it was sent."""
    try:
        with transaction.atomic():
            return_request = (
                ReturnRequest.objects.select_related("order", "order__customer", "assignee")
                .select_for_update(of=("self",))
                .get(pk=return_request_id, status=ReturnStatus.COMPLETED)
            )
            FeedbackRequest.objects.create(request=return_request, sent_at=timezone.now())
            data = return_event_data(
                return_request, to=return_request.status, previous=return_request.status
            )
            data["feedback_path"] = status_path(return_request) + "feedback/"
            events.record(
                "feedback.requested",
                actor=Actor.system("feedback"),
                subject=return_request,
                order_number=return_request.order.number,
                data={},
                payload=data,
            )
    except (IntegrityError, ReturnRequest.DoesNotExist):
        return False
    return True
