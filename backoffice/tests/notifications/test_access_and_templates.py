"""Notifications screens: who sees which page, and the mail template editor."""

from __future__ import annotations

import pytest

from backoffice.tests.notifications.helpers import BASE, EDIT, queue_mails, snapshot
from notifications.models import (
    NotificationTemplate,
    OutboxStatus,
    WebhookSubscription,
)
from notifications.tests.test_mails import return_data
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context

pytestmark = pytest.mark.django_db


# --- Access ---------------------------------------------------------------------------

STAFF_PAGES = [BASE, BASE + "mails/", BASE + "mails/?status=failed&q=jan%40example.nl"]
ADMIN_PAGES = [BASE + "templates/", EDIT, BASE + "webhooks/"]


@pytest.mark.parametrize("url", STAFF_PAGES + ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_the_login(client, shop, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/backoffice/login/")


@pytest.mark.parametrize("url", STAFF_PAGES + ADMIN_PAGES)
def test_admin_sees_every_page(admin, url):
    assert admin.get(url).status_code == 200


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_agents_read_the_mail_log(agent, url):
    assert agent.get(url).status_code == 200


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_agents_may_not_change_templates_or_webhooks(agent, url):
    assert agent.get(url).status_code == 403


@pytest.mark.parametrize("url", STAFF_PAGES + ADMIN_PAGES)
def test_warehouse_staff_see_no_notification_page(warehouse, url):
    assert warehouse.get(url).status_code == 403


def test_agents_cannot_save_templates_or_subscribe(agent, shop):
    before = snapshot(shop)
    assert agent.post(EDIT, {"subject": "x", "body": "y", "action": "save"}).status_code == 403
    response = agent.post(
        BASE + "webhooks/", {"url": "https://hooks.example.com/x", "events": ["*"]}
    )
    assert response.status_code == 403
    assert snapshot(shop) == before


def test_agent_can_resend_a_failed_mail(agent, shop, mailbox, django_capture_on_commit_callbacks):
    [failed] = queue_mails(shop, 1, status=OutboxStatus.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        response = agent.post(f"{BASE}mails/{failed.pk}/resend/")
    assert response.status_code == 302
    assert [m.to for m in mailbox] == [["jan@example.nl"]]


# --- Templates --------------------------------------------------------------------------


def test_template_list_shows_every_event_in_five_languages(admin, shop):
    with tenant_context(shop):
        NotificationTemplate.objects.create(
            event="return.approved", language="nl", subject="s", body="b"
        )
    page = admin.get(BASE + "templates/").content.decode()
    for event in ("order.shipped", "return.approved", "voucher.issued", "feedback.requested"):
        for language in ("en", "nl", "de", "pl", "sv"):
            assert f"{BASE}templates/{event}/{language}/" in page
    assert page.count('data-state="custom"') == 1
    assert f'href="{BASE}templates/return.approved/nl/" data-state="custom"' in page


def test_edit_previews_saves_and_resets_without_javascript(admin, shop, publish, mailbox):
    page = admin.get(EDIT)
    assert page.status_code == 200
    assert "We have received your return {{ rma }}" in page.content.decode()  # the default
    assert "We have received your return R-000123" in page.content.decode()  # its preview

    draft = {
        "subject": "Parcel {{ rma }} arrived at {{ tenant.name }}",
        "body": "Hi {{ customer_name }},\n\nyour parcel {{ rma }} is in.",
    }
    preview = admin.post(EDIT, {**draft, "action": "preview"})
    assert preview.status_code == 200
    assert "Parcel R-000123 arrived at Acme Outdoor" in preview.content.decode()
    with tenant_context(shop):
        assert NotificationTemplate.objects.count() == 0  # a preview never saves

    saved = admin.post(EDIT, {**draft, "action": "save"})
    assert (saved.status_code, saved.url) == (302, EDIT)
    with tenant_context(shop):
        template = NotificationTemplate.objects.get()
        audit = AuditEvent.objects.get(action="notification_template.created")
    assert (template.event, template.language, template.updated_by) == (
        "return.received",
        "en",
        "admin@acme.example",
    )
    assert audit.actor_label == "admin@acme.example"
    publish("return.received", data=return_data("en"))
    assert mailbox[-1].subject == "Parcel R-000042 arrived at Acme Outdoor"
    assert "your parcel R-000042 is in." in mailbox[-1].body

    reset = admin.post(EDIT + "reset/")
    assert reset.status_code == 302
    with tenant_context(shop):
        assert NotificationTemplate.objects.count() == 0
        assert AuditEvent.objects.filter(action="notification_template.deleted").count() == 1
    publish("return.received", data=return_data("en", rma="R-000043"))
    assert mailbox[-1].subject == "We have received your return R-000043"


def test_live_preview_is_an_htmx_fragment_that_saves_nothing(admin, shop):
    response = admin.post(
        EDIT + "preview/",
        {"subject": "Hi {{ customer_name|upper }}", "body": "Order {{ order_number }}"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'data-preview="ok"' in html
    assert "Hi JAN JANSEN" in html and "Order 1001" in html
    assert "srcdoc=" in html and "#c0ffee" in html  # the branded HTML part
    with tenant_context(shop):
        assert NotificationTemplate.objects.count() == 0


def test_edit_page_wires_the_live_preview(admin):
    html = admin.get(EDIT).content.decode()
    assert f'hx-post="{EDIT}preview/"' in html
    assert "django_htmx/htmx-2.min.js" in html


def test_approval_preview_shows_the_qr_code_inline(admin):
    html = admin.get(BASE + "templates/return.approved/en/").content.decode()
    assert "data:image/png;base64," in html and "cid:qr-code" not in html


def test_a_broken_template_is_refused_with_its_line_and_never_saved(admin, shop):
    before = snapshot(shop)
    body = "Hello {{ customer_name }},\n\n{% if rma %}\nno end tag here"
    response = admin.post(EDIT, {"subject": "Fine {{ rma }}", "body": body, "action": "save"})

    assert response.status_code == 422
    html = response.content.decode()
    assert "line 3" in html
    assert 'data-error-line="3"' in html
    assert "endif" in html  # what Django says is missing
    assert body.split("\n")[-1] in html  # the text is kept in the form to be fixed
    assert snapshot(shop) == before

    fragment = admin.post(EDIT + "preview/", {"subject": "{{ rma|nosuch }}", "body": "ok"})
    assert 'data-error-line="1"' in fragment.content.decode()
    assert snapshot(shop) == before


@pytest.mark.parametrize(
    "body",
    [
        "{% load static %}{% static 'x' %}",
        "{% include 'layout.html' %}",
        "{% debug %}",
        "{% csrf_token %}",
        "{% url 'backoffice:dashboard' %}",
    ],
)
def test_tags_that_reach_outside_the_template_are_refused(admin, shop, body):
    response = admin.post(EDIT, {"subject": "s", "body": body, "action": "save"})
    assert response.status_code == 422
    assert 'data-preview="error"' in response.content.decode()
    with tenant_context(shop):
        assert NotificationTemplate.objects.count() == 0


def test_a_template_cannot_read_settings_or_secrets(admin, shop, settings):
    settings.EMAIL_HOST_PASSWORD = "smtp-password-never-leak"
    with tenant_context(shop):
        WebhookSubscription.objects.create(
            url="https://hooks.example.com/x", events=["*"], secret="whsec_never_leak"
        )
    body = (
        "{{ settings.SECRET_KEY }}|{{ SECRET_KEY }}|{{ request.user.password }}|"
        "{{ user.password }}|{{ tenant.webhooksubscription_set.all }}|"
        "{% for s in tenant.webhook_subscriptions %}{{ s.secret }}{% endfor %}|"
        "{{ perms }}|{{ view }}|{{ messages }}|{{ tenant.policy_url.format }}"
    )
    response = admin.post(EDIT, {"subject": "x", "body": body, "action": "save"})
    assert response.status_code == 302  # it renders (to nothing) and may be saved
    with tenant_context(shop):
        template = NotificationTemplate.objects.get()
    html = admin.get(EDIT).content.decode()
    for secret in (
        settings.SECRET_KEY,
        "smtp-password-never-leak",
        "whsec_never_leak",
        "md5$",
        "pbkdf2",
        "<class",
        "Permission",
    ):
        assert secret not in html
    assert template.body == body
    # Python internals are out of reach: such a template does not even parse.
    refused = admin.post(
        EDIT, {"subject": "x", "body": "{{ tenant.__class__.__mro__ }}", "action": "save"}
    )
    assert refused.status_code == 422
    assert "may not begin with underscores" in refused.content.decode()
