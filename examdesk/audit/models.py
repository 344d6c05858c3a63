from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.db import models
from django.utils import timezone

APPEND_ONLY = "The audit log is append-only: events are never changed or deleted."


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError(APPEND_ONLY)

    def delete(self) -> NoReturn:
        raise PermissionError(APPEND_ONLY)


class AuditEvent(models.Model):
    """Something that happened, who did it, from where; kept for ever, never changed.

    People and centres are stored as snapshots (id and e-mail or number), not foreign keys, so the
    log outlives anything it mentions and no cascade can ever touch it. Database triggers refuse
    UPDATE and DELETE (migration 0002, examdesk.core.append_only), on PostgreSQL and SQLite alike.

    `action` holds one of `Action`'s values, but the column has no `choices`: the names live in Python
    only (as Zulip's RealmAuditLog keeps its event types), so a new action needs no migration.
    `get_action_display()` and the admin's filter still show the names.
    """

    class Action(models.TextChoices):
        LOGIN_SUCCEEDED = "login.succeeded", "Signed in"
        LOGIN_FAILED = "login.failed", "Sign-in failed"
        LOGIN_REFUSED = "login.refused", "Sign-in refused (locked)"
        LOCK_CLIENT = "lock.client", "Sign-in paused on one device"
        LOCK_ACCOUNT = "lock.account", "Account locked (too many failures)"
        UNLOCK = "lock.lifted", "Lock lifted"
        LOGOUT = "logout", "Signed out"
        RESET_REQUESTED = "password.reset_requested", "Password reset asked for"
        RESET_USED = "password.reset_used", "Password reset used"
        PASSWORD_CHANGED = "password.changed", "Password changed"
        SECOND_FACTOR_ADDED = "second_factor.added", "Two-step sign-in set up"
        SECOND_FACTOR_REMOVED = "second_factor.removed", "Two-step sign-in turned off"
        SECOND_FACTOR_RESET = "second_factor.reset", "Two-step sign-in reset by a centre admin"
        SECOND_FACTOR_FAILED = "second_factor.failed", "Wrong two-step sign-in code"
        SECOND_FACTOR_RECOVERY_USED = "second_factor.recovery_used", "Signed in with a recovery code"
        SECOND_FACTOR_CODES_RENEWED = "second_factor.codes_renewed", "New recovery codes made"
        INVITATION_SENT = "invitation.sent", "Invitation sent"
        INVITATION_ACCEPTED = "invitation.accepted", "Invitation accepted"
        INVITATION_REVOKED = "invitation.revoked", "Invitation withdrawn"
        MEMBERSHIP_ADDED = "membership.added", "Role given"
        MEMBERSHIP_REMOVED = "membership.removed", "Role removed"
        CENTRE_CREATED = "centre.created", "Centre created"
        CENTRE_UPDATED = "centre.updated", "Centre updated"
        EXPORT_REQUESTED = "export.requested", "Export asked for"
        CANDIDATE_CREATED = "candidate.created", "Candidate added"
        CANDIDATE_UPDATED = "candidate.updated", "Candidate updated"
        CANDIDATE_ID_CHANGED = "candidate.id_changed", "Candidate's unique ID changed"
        CANDIDATE_DEACTIVATED = "candidate.deactivated", "Candidate deactivated"
        CANDIDATE_REACTIVATED = "candidate.reactivated", "Candidate reactivated"
        IMPORT_COMMITTED = "import.committed", "Import applied"
        VALUE_MAPPED = "import.value_mapped", "A file value mapped to a list entry"
        DOWNLOAD = "download", "File downloaded"
        CATALOGUE_CHANGED = "catalogue.changed", "Qualifications or release times changed"
        RESULTS_IMPORTED = "results.imported", "Results file imported"
        RESULTS_PREVIEWED = "results.previewed", "Results looked at before release (board preview)"
        REGISTRATION_LETTER = "registration.letter", "Registration letter issued"
        SECRET_REISSUED = "registration.secret_reissued", "New Secret Number issued"
        REGISTERED = "registration.completed", "Registered for Results Online"
        CANDIDATE_EMAIL_CHANGED = "registration.email_changed", "Candidate's sign-in e-mail corrected"
        STATEMENT_DOWNLOADED = "statement.downloaded", "Statement of results downloaded"
        VERIFICATION = "verification.checked", "Result verification looked up"
        CREDITS_ALLOCATED = "credits.allocated", "Credits allocated"
        SITTING_CREATED = "sitting.created", "Sitting created"
        SITTING_UPDATED = "sitting.updated", "Sitting changed"
        MEASURES_RECORDED = "sitting.measures", "Extra measures recorded"
        ATTEMPT_VOIDED = "attempt.voided", "Attempt voided and re-credited"
        CANDIDATE_ARRANGEMENTS = "candidate.arrangements", "Candidate's access arrangements changed"
        ATTEMPT_ARRANGEMENTS = "attempt.arrangements", "Access arrangements for one sitting changed"
        ATTEMPT_PAUSED = "attempt.paused", "Attempt paused by the invigilator"
        ATTEMPT_RESUMED = "attempt.resumed", "Attempt resumed"
        ATTEMPT_REST_BREAK = "attempt.rest_break", "Rest break started or ended"
        ATTEMPT_TIME_ADDED = "attempt.time_added", "Time added to an attempt"
        ATTEMPT_IRREGULARITY = "attempt.irregularity", "Irregularity recorded"
        MARKED_AGAIN = "marking.again", "Marked again"
        MARK_OVERRIDDEN = "marking.override", "Mark changed by staff"
        RESPONSE_CODE = "marking.response_code", "Response code entered"
        API_KEY_CREATED = "api.key_created", "API key created"
        API_KEY_REVOKED = "api.key_revoked", "API key revoked"
        API_WRITE = "api.write", "Written through the API"
        WEBHOOK_CREATED = "api.webhook_created", "Webhook added"
        WEBHOOK_REMOVED = "api.webhook_removed", "Webhook removed"

    #: When it happened: now for an event written at once, the time of the request for one drained from the
    #: outbox (examdesk.audit.outbox) a few seconds later.
    at = models.DateTimeField(default=timezone.now, db_index=True)
    #: One of `Action`'s values; deliberately without `choices` (see the class's docstring).
    action = models.CharField(max_length=40)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_email = models.CharField(max_length=254, blank=True)
    centre_id = models.BigIntegerField(null=True, blank=True)
    centre_number = models.CharField(max_length=20, blank=True)
    subject_user_id = models.BigIntegerField(null=True, blank=True)
    subject_email = models.CharField(max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects: ClassVar[models.Manager[AuditEvent]] = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["centre_id", "at"], name="audit_centre_at_idx"),
            models.Index(fields=["subject_user_id", "at"], name="audit_subject_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.actor_email}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError(APPEND_ONLY)

    def get_action_display(self) -> str:
        """The action's name, as Django would show a field with choices (its value if it has none)."""
        return action_label(self.action)


def action_label(value: str) -> str:
    """The name of an action value; an unknown value (an action since removed) shows as itself."""
    try:
        return str(AuditEvent.Action(value).label)
    except ValueError:
        return value


class PendingAuditEvent(models.Model):
    """An audit event written by a request on the results-day hot path and not yet in the log
    (examdesk.audit.outbox): one narrow insert in the request, moved into AuditEvent by a Celery task.

    `fields` holds the AuditEvent's column values, `at` included, so the event keeps the time of its request."""

    fields = models.JSONField()

    def __str__(self) -> str:
        return f"pending {self.fields.get('action', '')} {self.fields.get('at', '')}"
