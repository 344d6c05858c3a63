from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from examdesk.accounts.models import User
from examdesk.centres.models import BoardMembership, Centre, Membership

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_create_centre_and_staff_with_a_password_file(tmp_path):
    call_command("create_centre", "10001", "Riverside Academy", country="gb", time_zone="Europe/London")
    call_command(
        "create_centre",
        "30003",
        "Prep School",
        country="ES",
        time_zone="Europe/Madrid",
        kind="preparation",
        exam_centre=["10001"],
    )
    secret = tmp_path / "password"
    secret.write_text(" spaces kept on purpose \n")
    call_command(
        "create_staff",
        centre="10001",
        email="Officer@Example.org",
        role="exams_officer",
        password_file=secret,
    )

    prep = Centre.objects.get(number="30003")
    assert list(prep.exam_centres.values_list("number", flat=True)) == ["10001"]
    user = User.objects.get(email="officer@example.org")
    assert user.check_password(" spaces kept on purpose ")
    assert Membership.objects.filter(user=user, centre__number="10001", role="exams_officer").exists()

    call_command("create_staff", email="officer@example.org", role="board_staff")
    assert BoardMembership.objects.filter(user=user).exists() and User.objects.get(pk=user.pk).is_staff


@pytest.mark.django_db
def test_commands_explain_bad_input():
    with pytest.raises(CommandError, match="time zone"):
        call_command("create_centre", "10001", "X", country="GB", time_zone="Mars/Olympus")
    call_command("create_centre", "10001", "X", country="GB", time_zone="Europe/London")
    with pytest.raises(CommandError, match="already in use"):
        call_command("create_centre", "10001", "Y", country="GB", time_zone="Europe/London")
    with pytest.raises(CommandError, match="no centre"):
        call_command("create_staff", centre="99999", email="a@example.org", role="teacher")


@pytest.mark.django_db
def test_a_weak_password_from_a_file_is_refused(tmp_path):
    call_command("create_centre", "10001", "X", country="GB", time_zone="Europe/London")
    secret = tmp_path / "password"
    secret.write_text("short\n")
    with pytest.raises(CommandError, match="at least 12"):
        call_command("create_staff", centre="10001", email="a@example.org", role="teacher", password_file=secret)
    assert not User.objects.exists()


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "EXAMDESK_MODE": "production",
        "EXAMDESK_SECRET_KEY": "x9!Kq2#vB7$mN4&pL8*rT1^wZ6@yH3%jF5(cD0)sG" * 2,
        "EXAMDESK_SITE_URL": "https://examdesk.example.org",
        "EXAMDESK_ALLOWED_HOSTS": "examdesk.example.org",
        "EXAMDESK_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "-m", "examdesk.manage", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {
        **os.environ,
        "EXAMDESK_MODE": "production",
        "EXAMDESK_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
    }
    env.pop("EXAMDESK_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "examdesk.manage", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "EXAMDESK_SECRET_KEY must be set" in result.stderr
