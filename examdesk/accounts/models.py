from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from examdesk.core import languages


def normalize_email(email: str) -> str:
    """One account per e-mail: matched without case, surrounding spaces ignored."""
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=normalize_email(email), **extra)
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """One person, one account, whatever portals and centres they use."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin (board staff only).")
    date_joined = models.DateTimeField(default=timezone.now)
    locked_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set when failures from many clients reach the per-account ceiling; "
        "cleared by a password reset or a centre admin.",
    )
    # The language this person chose with the language switcher ("" until they choose): their pages, and a
    # candidate's documents and e-mails, use it instead of the centre's default (examdesk/core/languages.py).
    language = models.CharField(max_length=10, blank=True, default="", db_default="", choices=languages.CHOICES)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.full_name or self.email
