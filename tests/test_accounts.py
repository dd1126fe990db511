"""Sign up, log in, log out and reset a password, with the e-mail as the login."""

import re

from django.contrib.auth import get_user_model
from django.core import mail

from saas.workspaces.models import Membership, Role

from .conftest import make_user

PASSWORD = "a long enough passphrase 42"


def test_the_signup_page_renders(client, db):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert b'name="email"' in response.content and b'name="username"' not in response.content


def test_signup_creates_a_user_with_a_personal_workspace(client, db):
    response = client.post(
        "/accounts/signup/",
        {"email": "New.Seller@Example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = get_user_model().objects.get()
    assert user.email == "new.seller@example.com"
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.OWNER and membership.workspace.personal
    assert client.get("/dashboard/").status_code == 200


def test_signup_refuses_a_taken_email_in_any_case(client, db):
    make_user("taken@example.com")
    response = client.post(
        "/accounts/signup/",
        {"email": "TAKEN@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert get_user_model().objects.count() == 1
    assert b"already" in response.content


def test_login_uses_the_email_and_logout_ends_the_session(client, db):
    make_user("trainer@example.com", password=PASSWORD)
    response = client.post(
        "/accounts/login/", {"login": "Trainer@Example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/dashboard/").status_code == 302


def test_a_wrong_password_does_not_log_in(client, db):
    make_user("trainer@example.com", password=PASSWORD)
    response = client.post("/accounts/login/", {"login": "trainer@example.com", "password": "no"})
    assert response.status_code == 200
    assert client.get("/dashboard/").status_code == 302


def test_password_reset_by_email_link(client, db):
    make_user("forgetful@example.com", password="old password 123!")
    client.post("/accounts/password/reset/", {"email": "forgetful@example.com"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    path = "/" + link.group(0).split("/", 3)[3]
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    new = "a brand new passphrase 7"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    client.logout()
    assert client.login(email="forgetful@example.com", password=new)
    assert not client.login(email="forgetful@example.com", password="old password 123!")
