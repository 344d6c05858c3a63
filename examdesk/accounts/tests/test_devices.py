from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import time_machine
from django.http import HttpResponse
from django.test import RequestFactory

from examdesk.accounts import devices
from examdesk.core.time import now

ANA = SimpleNamespace(pk=7)
BEN = SimpleNamespace(pk=8)


def _request(cookie: str | None = None):
    request = RequestFactory().get("/")
    if cookie is not None:
        request.COOKIES[devices.COOKIE_NAME] = cookie
    return request


def _remember(request, user, **kwargs) -> str:
    response = HttpResponse()
    devices.device_remember(response, user=user, request=request, **kwargs)
    return response.cookies[devices.COOKIE_NAME].value


def test_a_signed_in_browser_is_known_for_that_account_only():
    cookie = _remember(_request(), ANA)
    assert devices.device_known(_request(cookie), user=ANA)
    assert not devices.device_known(_request(cookie), user=BEN)
    assert not devices.device_known(_request(), user=ANA)


def test_the_cookie_is_signed_and_rotated_on_every_sign_in():
    cookie = _remember(_request(), ANA)
    assert not devices.device_known(_request(cookie[:-2] + "xx"), user=ANA)
    again = _remember(_request(cookie), ANA)
    assert devices.device_nonce(_request(again), user=ANA) != devices.device_nonce(_request(cookie), user=ANA)


def test_several_accounts_share_one_browser():
    cookie = _remember(_request(_remember(_request(), ANA)), BEN)
    assert devices.device_known(_request(cookie), user=ANA)
    assert devices.device_known(_request(cookie), user=BEN)
    response = HttpResponse()
    devices.device_forget(response, user=ANA, request=_request(cookie))
    left = response.cookies[devices.COOKIE_NAME].value
    assert not devices.device_known(_request(left), user=ANA)
    assert devices.device_known(_request(left), user=BEN)


def test_the_second_factor_is_remembered_until_its_time_and_kept_across_rotation():
    cookie = _remember(_request(), ANA, second_factor_until=now() + timedelta(days=30))
    assert devices.second_factor_remembered(_request(cookie), user=ANA)
    rotated = _remember(_request(cookie), ANA)
    assert devices.second_factor_remembered(_request(rotated), user=ANA)
    forgotten = _remember(_request(rotated), ANA, second_factor_until=None)
    assert not devices.second_factor_remembered(_request(forgotten), user=ANA)
    with time_machine.travel(now() + timedelta(days=31)):
        assert not devices.second_factor_remembered(_request(rotated), user=ANA)
        assert devices.device_known(_request(rotated), user=ANA)


def test_a_device_is_forgotten_after_a_year():
    cookie = _remember(_request(), ANA)
    with time_machine.travel(now() + devices.DEVICE_AGE + timedelta(days=1)):
        assert not devices.device_known(_request(cookie), user=ANA)
