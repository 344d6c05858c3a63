from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_part_and_answers_200_when_all_are_usable(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert all(body[part]["ok"] for part in ("database", "broker", "storage"))


def test_healthz_answers_503_when_the_broker_is_unreachable(client, settings):
    from config.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False
    assert response.json()["database"]["ok"] is True


def test_healthz_answers_503_when_storage_is_not_writable(client, settings, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocked)},
        },
    }
    from django.core.files.storage import storages

    storages._storages = {}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["storage"]["ok"] is False
