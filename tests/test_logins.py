"""Logins: failed ones throttled per user and per address, sessions that end when idle and after a day, and a
password change that logs every other session out."""

import re
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from workbench.sessions import LOGGED_IN_AT, SEEN_AT

PASSWORD = "correct horse battery staple"
HOME = reverse("home")  # where a login leads: the desk


def log_in(client, username, password=PASSWORD, url=None, **extra):
    return client.post(url or reverse("login"), {"username": username, "password": password}, **extra)


def fail(client, username, times, **extra):
    for _ in range(times):
        log_in(client, username, "wrong password", **extra)


# --- Throttling ----------------------------------------------------------------------------------------


def test_the_fifth_wrong_password_locks_the_user_out_with_a_page_that_says_until_when(client, editor):
    fail(client, editor.username, 3)
    assert b"Please enter a correct username and password" in log_in(client, editor.username, "wrong").content
    assert log_in(client, editor.username, "wrong").status_code == 429
    # Even the right password is refused now, with the lock-out page.
    response = log_in(client, editor.username)
    page = response.content.decode()
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    alert = re.search(r'role="alert">(.*?)</div>', page, re.DOTALL)[1]
    until = timezone.localtime(timezone.now() + timedelta(minutes=15))
    assert "Too many failed logins" in page and "until <strong><time datetime=" in alert
    assert until.strftime("%H:%M") in alert or (until - timedelta(minutes=1)).strftime("%H:%M") in alert
    assert "ask an admin of this workbench to unlock" in page


def test_failures_during_a_lock_out_do_not_extend_it(client, editor):
    fail(client, editor.username, 5)
    attempt = AccessAttempt.objects.get(username=editor.username)
    attempt.attempt_time -= timedelta(minutes=10)
    attempt.save()
    fail(client, editor.username, 3)
    assert AccessAttempt.objects.get(pk=attempt.pk).attempt_time == attempt.attempt_time


def test_the_lock_out_ends_after_the_cool_off(client, editor):
    fail(client, editor.username, 5)
    assert log_in(client, editor.username).status_code == 429
    attempt = AccessAttempt.objects.get(username=editor.username)
    attempt.attempt_time -= timedelta(minutes=15, seconds=1)
    attempt.save()
    assert log_in(client, editor.username)["Location"] == HOME


def test_a_user_locked_out_at_one_address_logs_in_from_another(client, editor):
    fail(client, editor.username, 5, REMOTE_ADDR="198.51.100.7")
    assert log_in(client, editor.username, REMOTE_ADDR="198.51.100.7").status_code == 429
    assert log_in(client, editor.username, REMOTE_ADDR="203.0.113.9")["Location"] == HOME


def test_five_failures_for_one_user_leave_colleagues_at_the_same_address_alone(client, editor, viewer):
    fail(client, editor.username, 5)
    assert log_in(client, viewer.username)["Location"] == HOME


def test_an_address_is_locked_out_after_twenty_failures_over_any_usernames(client, editor):
    for n in range(19):
        log_in(client, f"guess-{n}", "wrong password")
    assert log_in(Client(), editor.username)["Location"] == HOME  # 19: still open
    log_in(client, "guess-19", "wrong password")
    assert log_in(Client(), editor.username).status_code == 429
    assert log_in(Client(), editor.username, REMOTE_ADDR="203.0.113.9")["Location"] == HOME


def test_the_admin_login_is_throttled_too(client, admin_user):
    admin_login = reverse("admin:login")
    for _ in range(5):
        log_in(client, admin_user.username, "wrong password", url=admin_login)
    response = log_in(client, admin_user.username, url=admin_login)
    assert response.status_code == 429 and b"Too many failed logins" in response.content
    assert log_in(client, admin_user.username).status_code == 429  # and on our login page alike


def test_a_forwarded_for_header_changes_nothing_unless_it_comes_from_a_trusted_proxy(client, editor):
    for n in range(5):
        log_in(client, editor.username, "wrong password", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert log_in(client, editor.username, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_saw(client, editor, settings):
    settings.WORKBENCH_TRUSTED_PROXIES = ["10.0.0.2"]
    behind_proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # The client may write anything left of the address our proxy appended: only that one counts.
    for n in range(5):
        log_in(client, editor.username, "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.7", **behind_proxy)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    assert log_in(client, editor.username, HTTP_X_FORWARDED_FOR="198.51.100.7", **behind_proxy).status_code == 429
    assert log_in(client, editor.username, HTTP_X_FORWARDED_FOR="203.0.113.9", **behind_proxy)["Location"] == HOME


@pytest.fixture
def admin_client_(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def test_an_admin_sees_who_is_locked_out_and_unlocks_them(client, editor, admin_client_):
    fail(client, editor.username, 5)
    changelist = reverse("admin:axes_accessattempt_changelist")
    listed = admin_client_.get(changelist, {"locked_out": "yes"}).content.decode()
    assert editor.username in listed and "Locked Out" in listed
    attempt = AccessAttempt.objects.get(username=editor.username)
    response = admin_client_.post(changelist, {"action": "unlock", "_selected_action": [attempt.pk]}, follow=True)
    assert f"Unlocked {editor.username} at 127.0.0.1: they may log in again." in response.content.decode()
    assert log_in(client, editor.username)["Location"] == HOME


def test_only_admins_see_the_failed_logins(client, editor):
    client.force_login(UserFactory(username="staff-editor", role="editor", is_staff=True))
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


# --- Idle expiry and the day's cap -----------------------------------------------------------------------


@pytest.fixture
def logged_in(client, editor):
    """A client logged in through the login page: a real session, stored in the database."""
    assert log_in(client, editor.username)["Location"] == HOME
    return client


def stored(client) -> Session:
    return Session.objects.get(pk=client.session.session_key)


def edit_session(client, **changes) -> None:
    store = SessionStore(client.session.session_key)
    for key, value in changes.items():
        store[key] = value
    store.save()


def test_a_session_lasts_eight_hours_without_a_request(logged_in):
    assert int(logged_in.cookies["sessionid"]["max-age"]) == 8 * 3600
    expiry = stored(logged_in).expire_date
    assert timedelta(hours=8) - timedelta(minutes=1) < expiry - timezone.now() <= timedelta(hours=8)


def test_a_session_idle_past_its_expiry_is_logged_out(logged_in):
    session = stored(logged_in)
    session.expire_date = timezone.now() - timedelta(seconds=1)  # eight hours later
    session.save()
    response = logged_in.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_request_pushes_the_expiry_forward_once_it_was_last_pushed_minutes_ago(logged_in):
    edit_session(logged_in, **{SEEN_AT: int(time.time()) - 301})
    session = stored(logged_in)
    session.expire_date = timezone.now() + timedelta(hours=7, minutes=55)  # as it was five minutes ago
    session.save()
    assert logged_in.get(HOME).status_code == 200
    assert stored(logged_in).expire_date - timezone.now() > timedelta(hours=7, minutes=59)


def test_a_request_soon_after_the_last_push_writes_nothing(logged_in):
    edit_session(logged_in, **{SEEN_AT: int(time.time()) - 60})
    session = stored(logged_in)
    session.expire_date = earlier = timezone.now() + timedelta(hours=7, minutes=59)
    session.save()
    assert logged_in.get(HOME).status_code == 200
    assert stored(logged_in).expire_date == earlier


def test_a_busy_session_still_ends_a_day_after_its_login(logged_in):
    key = logged_in.session.session_key
    edit_session(logged_in, **{LOGGED_IN_AT: int(time.time()) - 24 * 3600 - 1, SEEN_AT: int(time.time())})
    response = logged_in.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Session.objects.filter(pk=key).exists()


def test_a_new_login_starts_a_new_day(logged_in, editor):
    edit_session(logged_in, **{LOGGED_IN_AT: int(time.time()) - 23 * 3600})
    log_in(logged_in, editor.username)
    assert int(time.time()) - logged_in.session[LOGGED_IN_AT] < 5


# --- Password change ---------------------------------------------------------------------------------------


def change_password(client, old=PASSWORD, new="a new and longer passphrase"):
    data = {"old_password": old, "new_password1": new, "new_password2": new}
    return client.post(reverse("password_change"), data)


def test_the_user_menu_links_to_the_password_change(editor_client):
    page = editor_client.get(HOME).content.decode()
    assert f'href="{reverse("password_change")}"' in page and "Change password" in page


def test_changing_ones_password_keeps_this_session_and_logs_out_every_other(editor):
    here, elsewhere = Client(), Client()
    log_in(here, editor.username)
    log_in(elsewhere, editor.username)
    response = change_password(here)
    assert response["Location"] == reverse("password_change_done")
    assert "Every other session of yours has been logged out" in here.get(response["Location"]).content.decode()
    assert here.get(HOME).status_code == 200
    assert elsewhere.get(HOME)["Location"].startswith(reverse("login"))
    assert log_in(Client(), editor.username, "a new and longer passphrase")["Location"] == HOME


def test_a_wrong_old_password_is_refused_in_an_alert(editor_client):
    response = change_password(editor_client, old="not it")
    page = response.content.decode()
    alert = re.search(r'role="alert">(.*?)</div>', page, re.DOTALL)[1]
    assert response.status_code == 200 and "Old password: Your old password was entered incorrectly" in alert
    assert 'aria-invalid="true"' in page
    # Each field's help and errors are read out with it: what its aria-describedby names is on the page.
    described = {name for names in re.findall(r'aria-describedby="([^"]+)"', page) for name in names.split()}
    assert "id_old_password_error" in described and "id_new_password1_helptext" in described
    assert all(f'id="{name}"' in page for name in described)


def test_an_admin_changing_a_users_password_logs_them_out_everywhere(editor, admin_client_):
    elsewhere = Client()
    log_in(elsewhere, editor.username)
    new = "set by the admin, long enough"
    url = reverse("admin:auth_user_password_change", args=[editor.pk])
    response = admin_client_.post(url, {"password1": new, "password2": new, "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert elsewhere.get(HOME)["Location"].startswith(reverse("login"))
    assert admin_client_.get(HOME).status_code == 200


def test_the_admins_own_change_password_link_opens_the_same_page(admin_client_):
    page = admin_client_.get(reverse("admin:password_change")).content.decode()
    assert "Change your password" in page and "every other session of yours is logged out" in page
