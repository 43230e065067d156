"""The program office's accounts: inviting a person by e-mail, the one-time link to set a
password, changing a role from a day on, deactivating — each change in the audit trail."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from kyoten.accounts.models import Membership, Role
from kyoten.accounts.permissions import may, standing
from kyoten.audit.models import AuditEntry
from kyoten.people.models import Person
from kyoten.registry.models import Center

from .conftest import PASSWORD

NEW_PASSWORD = "a sound new password 2026"
EXPERT = {
    "family_name_en": "Lindqvist",
    "given_name_en": "Astrid",
    "email": "Astrid.Lindqvist@example.org",
    "role": Role.WORKING_GROUP,
}


def invite(client, **fields):
    data = {**EXPERT, "center": Center.objects.get(key="ircn").pk, **fields}
    return client.post("/accounts/invite/", data, HTTP_ACCEPT_LANGUAGE="en")


def link_in(message):
    return re.search(r"http://testserver(/accounts/welcome/\S+/)", message.body).group(1)


def test_an_invitation_makes_the_person_the_account_and_the_role_and_mails_the_link(client_as):
    response = invite(client_as("hana"))
    user = get_user_model().objects.get(username="astrid.lindqvist@example.org")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/{user.pk}/"
    assert not user.has_usable_password()
    assert user.person.name_en == "Astrid Lindqvist"
    [membership] = Membership.objects.filter(person=user.person)
    assert (membership.role, membership.center.key) == (Role.WORKING_GROUP, "ircn")
    assert (membership.starts, membership.ends) == (timezone.localdate(), None)
    [message] = mail.outbox
    assert message.to == ["astrid.lindqvist@example.org"]
    assert message.subject == "[Kyoten] アカウントのご案内 / Your Kyoten account"
    japanese, english = message.body.split("\n----\n")
    assert "役割: IRCNの作業部会委員" in japanese
    assert "Role: Working-group expert (IRCN)" in english
    assert "Dear Astrid Lindqvist," in english
    assert "7 days" in english
    assert link_in(message)
    # who did it is on record, for the account, the person and the role
    made = AuditEntry.objects.filter(action="create", actor__username="hana")
    assert {"auth.User", "people.Person", "accounts.Membership"} <= set(
        made.values_list("model", flat=True)
    )


def test_a_person_already_in_the_registry_is_invited_as_they_are(client_as):
    person = Person.objects.create(
        family_name_en="Hamaguchi",
        given_name_en="Michinari",
        family_name_ja="濱口",
        given_name_ja="道成",
    )
    invite(client_as("hana"), person=person.pk, family_name_en="", role=Role.COMMITTEE, center="")
    person.refresh_from_db()
    assert person.account.email == "astrid.lindqvist@example.org"
    assert Person.objects.filter(family_name_en="Lindqvist").count() == 0
    assert mail.outbox[0].body.startswith("濱口 道成 様")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"family_name_en": ""}, "family_name_en", "Give the family name in English"),
        ({"center": ""}, "center", "Choose the center this role is held for."),
        ({"role": Role.COMMITTEE}, "center", "held for the whole program: leave it empty"),
        ({"email": "hana@"}, "email", "Enter a valid email address."),
        ({"role": "dean"}, "role", "Select a valid choice."),
    ],
)
def test_a_wrong_invitation_names_the_field_and_makes_nothing(client_as, fields, field, message):
    client = client_as("hana")
    before = (get_user_model().objects.count(), Person.objects.count(), AuditEntry.objects.count())
    response = invite(client, **fields)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    after = (get_user_model().objects.count(), Person.objects.count(), AuditEntry.objects.count())
    assert after == before
    assert mail.outbox == []


def test_an_address_in_use_is_refused_in_any_case(client_as):
    client = client_as("hana")
    invite(client)
    response = invite(client, email="ASTRID.lindqvist@EXAMPLE.org")
    assert "exists already" in response.context["form"].errors["email"][0]


def test_the_invitee_sets_a_password_once_and_logs_in(client_as, client):
    invite(client_as("hana"))
    client.logout()
    link = link_in(mail.outbox[0])
    form_page = client.get(link, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert b"astrid.lindqvist@example.org" in form_page.content
    set_url = form_page.redirect_chain[-1][0]  # the token left the address for the session
    assert "set-password" in set_url
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/accounts/login/"
    assert client.login(username="astrid.lindqvist@example.org", password=NEW_PASSWORD)
    client.logout()
    again = client.get(link, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert b"This link no longer works" in again.content


def test_an_invitation_expires(client_as, client):
    invite(client_as("hana"))
    client.logout()
    link = link_in(mail.outbox[0])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        page = client.get(link, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert b"This link no longer works" in page.content


def test_a_deactivated_account_cannot_log_in_nor_use_its_link(client_as, client, personas):
    invite(client_as("hana"))
    astrid = get_user_model().objects.get(username="astrid.lindqvist@example.org")
    client.post(f"/accounts/{astrid.pk}/active/", {"active": "0"})
    client.logout()
    page = client.get(link_in(mail.outbox[0]), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert b"This link no longer works" in page.content
    ken = personas["ken"]
    ken.set_password(PASSWORD)
    ken.save()
    office = client_as("hana")
    office.post(f"/accounts/{ken.pk}/active/", {"active": "0"})
    office.logout()
    assert not office.login(username="ken", password=PASSWORD)
    entry = AuditEntry.objects.filter(model="auth.User", object_pk=str(ken.pk)).first()
    assert (entry.before["is_active"], entry.after["is_active"]) == (True, False)


def test_a_deactivated_account_loses_its_session_at_once(client_as, client, personas):
    ken = client_as("ken")
    assert ken.get("/centers/ircn/reports/").status_code == 200
    from django.test import Client

    office = Client()
    office.force_login(personas["hana"])
    office.post(f"/accounts/{personas['ken'].pk}/active/", {"active": "0"})
    assert ken.get("/centers/ircn/reports/").status_code == 302  # to the login page


def test_no_one_deactivates_their_own_account(client_as, personas):
    hana = personas["hana"]
    response = client_as("hana").post(
        f"/accounts/{hana.pk}/active/", {"active": "0"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    hana.refresh_from_db()
    assert hana.is_active
    assert "You cannot deactivate your own account." in response.content.decode()


def test_a_new_role_starts_today_and_the_old_one_ends(client_as, personas):
    ken = personas["ken"]
    aimec = Center.objects.get(key="aimec")
    client_as("hana").post(
        f"/accounts/{ken.pk}/role/", {"role": Role.CENTER_OFFICE, "center": aimec.pk}
    )
    today = timezone.localdate()
    roles = {(m.center.key, m.starts, m.ends) for m in ken.person.memberships.all()}
    assert roles == {("ircn", today, today), ("aimec", today, None)}
    fresh = get_user_model().objects.get(pk=ken.pk)  # a new request's view of the account
    assert may(fresh, "report.edit", aimec)
    assert not may(fresh, "report.edit", Center.objects.get(key="ircn"))


def test_a_role_kept_alongside_the_current_one(client_as, personas):
    ken = personas["ken"]
    qup = Center.objects.get(key="qup")
    client_as("hana").post(
        f"/accounts/{ken.pk}/role/",
        {"role": Role.WORKING_GROUP, "center": qup.pk, "keep_current": "on"},
    )
    fresh = get_user_model().objects.get(pk=ken.pk)
    assert standing(fresh).roles == {
        (Role.CENTER_OFFICE, Center.objects.get(key="ircn").pk),
        (Role.WORKING_GROUP, qup.pk),
    }


def test_the_same_role_again_changes_nothing(client_as, personas):
    ken = personas["ken"]
    before = AuditEntry.objects.count()
    response = client_as("hana").post(
        f"/accounts/{ken.pk}/role/",
        {"role": Role.CENTER_OFFICE, "center": Center.objects.get(key="ircn").pk},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "The account holds that role already." in response.content.decode()
    assert AuditEntry.objects.count() == before


def test_a_role_that_has_ended_gives_no_rights(personas):
    ken = personas["ken"]
    membership = ken.person.memberships.get()
    membership.ends = timezone.localdate()
    membership.save()
    fresh = get_user_model().objects.get(pk=ken.pk)
    assert not may(fresh, "report.read", Center.objects.get(key="ircn"))
    # and one that starts tomorrow gives none yet
    membership.ends, membership.starts = None, timezone.localdate() + datetime.timedelta(days=1)
    membership.save()
    assert not may(get_user_model().objects.get(pk=ken.pk), "report.read", membership.center)


def test_the_invitation_is_sent_again_until_a_password_is_set(client_as, personas):
    client = client_as("hana")
    invite(client)
    astrid = get_user_model().objects.get(username="astrid.lindqvist@example.org")
    client.post(f"/accounts/{astrid.pk}/invitation/")
    assert len(mail.outbox) == 2
    assert link_in(mail.outbox[1])
    astrid.set_password(NEW_PASSWORD)
    astrid.save()
    response = client.post(
        f"/accounts/{astrid.pk}/invitation/", follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert len(mail.outbox) == 2
    assert "has set its password already" in response.content.decode()


class RefusingBackend:
    """An SMTP server that cannot be reached."""

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


def test_an_invitation_whose_mail_fails_keeps_the_account_and_says_so(client_as, settings):
    settings.EMAIL_BACKEND = "web.test_accounts.RefusingBackend"
    client = client_as("hana")
    response = invite(client)
    assert get_user_model().objects.filter(username="astrid.lindqvist@example.org").exists()
    followed = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    text = followed.content.decode()
    assert "could not be sent" in text
    assert "Send the invitation again" in text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_account_pages_read_in_both_languages(client_as, personas, lang):
    client = client_as("hana")
    invite(client)
    listing = client.get("/accounts/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    detail = client.get(f"/accounts/{personas['emma'].pk}/", HTTP_ACCEPT_LANGUAGE=lang)
    words = {
        "ja": ("アカウント", "招待済み（パスワード未設定）", "作業部会委員"),
        "en": ("Accounts", "invited; no password set yet", "Working-group expert"),
    }[lang]
    for word in words:
        assert word in listing
    assert words[2] in detail.content.decode()


def test_a_new_role_keeps_the_persons_conflicts_of_interest(client_as, personas):
    sato = personas["sato"]
    ircn = Center.objects.get(key="ircn")
    client_as("hana").post(f"/accounts/{sato.pk}/role/", {"role": Role.PROGRAM_DIRECTOR})
    fresh = get_user_model().objects.get(pk=sato.pk)
    assert standing(fresh).roles == {(Role.PROGRAM_DIRECTOR, None)}
    assert not may(fresh, "report.read", ircn)  # his conflict holds in the new role
    assert may(fresh, "report.read", Center.objects.get(key="qup"))
    page = client_as("hana").get(f"/accounts/{sato.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert (
        "IRCN" in page.content.decode().split("<dt>Conflicts of interest</dt>")[1].split("</dd>")[0]
    )


def test_no_one_ends_their_own_program_office_role(client_as, personas):
    hana = personas["hana"]
    response = client_as("hana").post(
        f"/accounts/{hana.pk}/role/",
        {"role": Role.COMMITTEE},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "You cannot end your own program-office role." in response.content.decode()
    assert standing(get_user_model().objects.get(pk=hana.pk)).office


def test_an_address_too_long_for_a_user_name_is_refused(client_as):
    response = invite(client_as("hana"), email="a" * 140 + "@example.org")
    assert "at most 150 characters" in response.context["form"].errors["email"][0]
