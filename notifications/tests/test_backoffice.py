"""Back-office screens: roles, other shops' ids, templates, mail log, re-send, webhooks."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import (
    NotificationTemplate,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    WebhookDelivery,
    WebhookSubscription,
)
from notifications.signing import verify_signature
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from tenants.models import Role
from testing.notifications import BASE, EDIT, queue_mails, return_data
from testing.notifications import member_client as client_for
from testing.orders import create_order

pytestmark = [pytest.mark.django_db, pytest.mark.urls("notifications.tests.urls")]


@pytest.fixture
def admin(shop):
    return client_for(shop, "admin@acme.example")


@pytest.fixture
def agent(shop):
    return client_for(shop, "agent@acme.example", Role.AGENT)


@pytest.fixture
def warehouse(shop):
    return client_for(shop, "dock@acme.example", Role.WAREHOUSE)


@pytest.fixture
def outsider(other_tenant):
    """The admin of another shop."""
    return client_for(other_tenant, "admin@globex.example")


def snapshot(tenant) -> dict:
    with tenant_context(tenant):
        return {
            "templates": list(NotificationTemplate.objects.order_by("pk").values()),
            "outbox": list(OutboxMessage.objects.order_by("pk").values()),
            "subscriptions": list(WebhookSubscription.objects.order_by("pk").values()),
            "audit": AuditEvent.objects.count(),
        }


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


# --- Mail log ---------------------------------------------------------------------------


def test_mail_log_overall_per_order_and_per_return(admin, shop, other_tenant, publish, mailbox):
    with tenant_context(shop):
        create_order("1001")
        create_order("2002")
    with tenant_context(other_tenant):
        create_order("7007")
    publish("return.approved", data=return_data("nl"))
    publish("return.received", data=return_data("en", rma="R-000099", order_number="2002"))
    publish(
        "return.received",
        data=return_data("de", rma="R-000555", email="x@globex.example"),
        tenant=other_tenant,
    )

    overall = admin.get(BASE + "mails/").content.decode()
    assert overall.count('data-status="sent"') == 2
    assert "Je retour R-000042 is goedgekeurd" in overall
    assert "We have received your return R-000099" in overall
    assert "x@globex.example" not in overall

    order_page = admin.get(BASE + "mails/order/1001/").content.decode()
    assert "Je retour R-000042 is goedgekeurd" in order_page and "R-000099" not in order_page
    assert "jan@example.nl" in order_page

    filtered = admin.get(BASE + "mails/", {"q": "R-000099"}).content.decode()
    assert filtered.count('data-status="sent"') == 1


def test_mail_log_of_a_return(admin, shop, publish):
    from testing.returns import file_return

    with tenant_context(shop):
        order = create_order("3003", language="sv")
        request = file_return(order)
    page = admin.get(f"{BASE}mails/return/{request.rma}/").content.decode()
    assert f"Vi har tagit emot din returbegäran {request.rma}" in page
    assert "returns@acme.example" in page  # the shop's own notification


def test_failed_mail_shows_its_error_and_is_resent_and_audited(
    admin, shop, mailbox, django_capture_on_commit_callbacks
):
    [failed] = queue_mails(shop, 1, status=OutboxStatus.FAILED)
    page = admin.get(BASE + "mails/?status=failed").content.decode()
    assert "SMTPServerDisconnected: down" in page
    assert f'action="{BASE}mails/{failed.pk}/resend/"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"{BASE}mails/{failed.pk}/resend/", {"next": BASE + "mails/"})

    assert (response.status_code, response.url) == (302, BASE + "mails/")
    assert [m.subject for m in mailbox] == ["We have received your return R-000042"]
    with tenant_context(shop):
        copy = OutboxMessage.objects.get(resend_of=failed)
        audit = AuditEvent.objects.get(action="outbox.resent")
        original = OutboxMessage.objects.get(pk=failed.pk)
    assert (copy.status, copy.recipient, copy.attempts) == ("sent", "jan@example.nl", 1)
    assert original.status == OutboxStatus.FAILED  # the history stays as it was
    assert (audit.actor_kind, audit.actor_label) == ("staff", "admin@acme.example")
    assert audit.data["new_message"] == copy.pk
    detail = admin.get(f"{BASE}mails/{copy.pk}/").content.decode()
    assert f'href="{BASE}mails/{failed.pk}/"' in detail  # "re-send of"


def test_resend_refuses_an_unfinished_mail_and_an_outside_redirect(admin, shop, mailbox):
    [queued] = queue_mails(shop, 1)
    before = snapshot(shop)
    response = admin.post(
        f"{BASE}mails/{queued.pk}/resend/", {"next": "https://evil.example/"}, follow=True
    )
    assert response.redirect_chain[0][0] == f"{BASE}mails/{queued.pk}/"
    assert "Only a sent or failed message can be sent again" in response.content.decode()
    assert snapshot(shop) == before and mailbox == []


def test_resend_needs_a_post(admin, shop):
    [failed] = queue_mails(shop, 1, status=OutboxStatus.FAILED)
    assert admin.get(f"{BASE}mails/{failed.pk}/resend/").status_code == 405


def test_other_shops_mails_orders_and_returns_are_404_and_change_nothing(
    admin, outsider, shop, other_tenant, mailbox
):
    with tenant_context(shop):
        create_order("1001")
    [failed] = queue_mails(shop, 1, status=OutboxStatus.FAILED)
    with tenant_context(shop):
        webhook_message = OutboxMessage.objects.create(
            kind=OutboxKind.WEBHOOK,
            event="x",
            event_id="e",
            recipient="https://hooks.example.com/",
            next_attempt_at=failed.created_at,
            created_at=failed.created_at,
        )
    before = snapshot(shop)
    for url in (
        f"{BASE}mails/{failed.pk}/",
        f"{BASE}mails/order/1001/",
        f"{BASE}mails/return/R-000042/",
        f"{BASE}mails/order/unknown/",
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(f"{BASE}mails/{failed.pk}/resend/").status_code == 404
    # A webhook message is not a mail, even for its own shop.
    assert admin.get(f"{BASE}mails/{webhook_message.pk}/").status_code == 404
    assert snapshot(shop) == before and mailbox == []


def _count_queries(browser, url) -> int:
    browser.get(url)  # the first request of a session also writes the session
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def test_mail_log_queries_do_not_grow_with_the_rows(
    admin, shop, django_assert_num_queries, mailbox
):
    with tenant_context(shop):
        create_order("1001")
    queue_mails(shop, 2, status=OutboxStatus.FAILED)
    urls = [BASE + "mails/", BASE + "mails/order/1001/", BASE + "mails/?status=failed"]
    baseline = {url: _count_queries(admin, url) for url in urls}
    queue_mails(shop, 28)
    for url in urls:
        with django_assert_num_queries(baseline[url]):
            response = admin.get(url)
        assert response.content.decode().count("<tr data-status=") in (30, 2)


def test_template_list_queries_are_constant(admin, shop, django_assert_num_queries):
    baseline = _count_queries(admin, BASE + "templates/")
    with tenant_context(shop):
        for language in ("en", "nl", "de", "pl", "sv"):
            for event in ("return.approved", "return.received", "order.shipped"):
                NotificationTemplate.objects.create(
                    event=event, language=language, subject="s", body="b"
                )
    with django_assert_num_queries(baseline):
        admin.get(BASE + "templates/")


# --- Webhooks ---------------------------------------------------------------------------


def subscribe(admin, url, events=("*",)) -> tuple[WebhookSubscription, str]:
    response = admin.post(BASE + "webhooks/", {"url": url, "events": list(events)})
    assert response.status_code == 200, response.content.decode()[:2000]
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    return response.context["subscription"], secret


def test_subscribe_shows_the_secret_once(admin, shop, receiver):
    subscription, secret = subscribe(admin, receiver.url, ["return.approved"])
    assert secret.startswith("whsec_")
    with tenant_context(shop):
        stored = WebhookSubscription.objects.get()
        audit = AuditEvent.objects.get(action="webhook_subscription.created")
    assert (stored.url, stored.events, stored.secret) == (
        receiver.url,
        ["return.approved"],
        secret,
    )
    assert audit.actor_label == "admin@acme.example" and secret not in str(audit.data)
    for url in (BASE + "webhooks/", f"{BASE}webhooks/{stored.pk}/"):
        page = admin.get(url).content.decode()
        assert receiver.url.replace("&", "&amp;") in page
        assert secret not in page


def test_rotating_the_secret_shows_the_new_one_once_and_signs_with_it(
    admin, shop, receiver, publish
):
    subscription, old = subscribe(admin, receiver.url)
    response = admin.post(f"{BASE}webhooks/{subscription.pk}/rotate/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    new = response.context["secret"]
    assert new != old and new in response.content.decode()
    assert new not in admin.get(f"{BASE}webhooks/{subscription.pk}/").content.decode()
    with tenant_context(shop):
        assert AuditEvent.objects.filter(action="webhook_subscription.secret_rotated").exists()

    publish("return.approved", data=return_data("en"))
    request = receiver.requests[-1]
    signature = request["headers"]["X-Returns-Signature"]
    assert verify_signature(new, signature, request["body"])
    assert not verify_signature(old, signature, request["body"])


def test_internal_addresses_and_bad_input_are_refused_and_nothing_is_stored(admin, shop):
    before = snapshot(shop)
    for data in (
        {"url": "http://127.0.0.1:8000/hook", "events": ["*"]},
        {"url": "http://10.0.0.7/hook", "events": ["*"]},
        {"url": "http://[::1]/hook", "events": ["*"]},
        {"url": "https://hooks.example.com/x", "events": []},
        {"url": "https://hooks.example.com/x", "events": ["order.exploded"]},
        {"url": "ftp://hooks.example.com/x", "events": ["*"]},
    ):
        response = admin.post(BASE + "webhooks/", data)
        assert response.status_code == 422, data
        assert "whsec_" not in response.content.decode()
    assert (
        "internal address"
        in admin.post(
            BASE + "webhooks/", {"url": "http://127.0.0.1/h", "events": ["*"]}
        ).content.decode()
    )
    assert snapshot(shop) == before


def test_edit_pause_and_remove_a_subscription(admin, shop, receiver, publish):
    subscription, _ = subscribe(admin, receiver.url)
    url = f"{BASE}webhooks/{subscription.pk}/"
    response = admin.post(url, {"url": receiver.url, "events": ["return.received"]})
    assert response.status_code == 302  # "active" unticked: paused
    with tenant_context(shop):
        stored = WebhookSubscription.objects.get()
    assert (stored.events, stored.active) == (["return.received"], False)
    publish("return.received", data=return_data("en"))
    assert receiver.requests == []

    admin.post(url, {"url": receiver.url, "events": ["return.received"], "active": "on"})
    publish("return.received", data=return_data("en"))
    assert len(receiver.requests) == 1

    assert admin.post(url + "delete/").status_code == 302
    with tenant_context(shop):
        assert not WebhookSubscription.objects.exists()
        assert AuditEvent.objects.filter(action="webhook_subscription.deleted").exists()


def test_delivery_log_shows_response_codes_and_resends(
    admin, shop, receiver, publish, django_capture_on_commit_callbacks
):
    subscription, secret = subscribe(admin, receiver.url)
    receiver.status = 503
    publish("return.approved", data=return_data("en"))
    receiver.status = 200
    with tenant_context(shop):
        message = OutboxMessage.objects.get(kind=OutboxKind.WEBHOOK)
        OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED)
        delivery = WebhookDelivery.objects.get()
    page = admin.get(f"{BASE}webhooks/{subscription.pk}/").content.decode()
    assert 'data-status-code="503"' in page and "try later" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"{BASE}webhooks/{subscription.pk}/deliveries/{delivery.pk}/resend/")

    assert response.status_code == 302
    assert len(receiver.requests) == 2
    assert receiver.requests[0]["body"] == receiver.requests[1]["body"]
    assert verify_signature(
        secret, receiver.requests[1]["headers"]["X-Returns-Signature"], receiver.requests[1]["body"]
    )
    page = admin.get(f"{BASE}webhooks/{subscription.pk}/").content.decode()
    assert 'data-status-code="200"' in page
    with tenant_context(shop):
        audit = AuditEvent.objects.get(action="outbox.resent")
    assert audit.actor_label == "admin@acme.example"


def test_other_shops_subscriptions_are_404_and_change_nothing(
    admin, outsider, shop, receiver, publish
):
    subscription, secret = subscribe(admin, receiver.url)
    publish("return.approved", data=return_data("en"))
    with tenant_context(shop):
        delivery = WebhookDelivery.objects.get()
    before = snapshot(shop)
    base = f"{BASE}webhooks/{subscription.pk}/"
    assert outsider.get(base).status_code == 404
    for url, data in (
        (base, {"url": "https://evil.example/", "events": ["*"], "active": "on"}),
        (base + "rotate/", {}),
        (base + "delete/", {}),
        (f"{base}deliveries/{delivery.pk}/resend/", {}),
    ):
        response = outsider.post(url, data)
        assert response.status_code == 404, url
        assert secret not in response.content.decode()
    assert snapshot(shop) == before
    assert len(receiver.requests) == 1


def test_delivery_log_queries_do_not_grow_with_the_deliveries(
    admin, shop, django_assert_num_queries
):
    with tenant_context(shop):
        subscription = WebhookSubscription.objects.create(
            url="https://hooks.example.com/", events=["*"], secret="whsec_x"
        )

    def add_deliveries(count):
        with tenant_context(shop):
            for index in range(count):
                message = OutboxMessage.objects.create(
                    kind=OutboxKind.WEBHOOK,
                    event="return.approved",
                    event_id=str(index),
                    recipient=subscription.url,
                    subscription=subscription,
                    status=OutboxStatus.SENT,
                    next_attempt_at=subscription.created_at,
                    created_at=subscription.created_at,
                )
                WebhookDelivery.objects.create(
                    subscription=subscription,
                    message=message,
                    attempt=1,
                    status_code=200,
                    created_at=subscription.created_at,
                )

    add_deliveries(2)
    url = f"{BASE}webhooks/{subscription.pk}/"
    baseline = _count_queries(admin, url)
    add_deliveries(25)
    with django_assert_num_queries(baseline):
        page = admin.get(url)
    assert page.content.decode().count('data-status-code="200"') == 27

    list_baseline = _count_queries(admin, BASE + "webhooks/")
    with tenant_context(shop):
        for index in range(10):
            WebhookSubscription.objects.create(
                url=f"https://hooks.example.com/{index}", events=["*"], secret="whsec_x"
            )
    with django_assert_num_queries(list_baseline):
        admin.get(BASE + "webhooks/")
