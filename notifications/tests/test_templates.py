"""Tenant templates: checked on save (line of the error), restricted context, preview, use."""

from __future__ import annotations

import pytest

from notifications.models import NotificationTemplate
from notifications.services import template_delete, template_preview, template_save
from returns_platform.audit import Actor
from returns_platform.errors import DomainError
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from testing.notifications import return_data

pytestmark = pytest.mark.django_db

ACTOR = Actor.system("editor")


def save(**fields):
    values = {
        "event": "return.received",
        "language": "en",
        "subject": "Parcel {{ rma }} is in",
        "body": "Hi {{ customer_name }},\nwe have your parcel.",
        "actor": ACTOR,
    }
    values.update(fields)
    return template_save(**values)


def test_a_broken_template_is_refused_with_its_line(shop):
    with tenant_context(shop), pytest.raises(DomainError) as refused:
        save(body="Hello {{ customer_name }},\n\nline three\n{% if rma %}never closed\nend")
    error = refused.value
    assert error.code == "template_error"
    assert error.field == "body"
    assert error.extra["line"] == 4
    assert "line 4" in error.message
    with tenant_context(shop):
        assert NotificationTemplate.objects.count() == 0


def test_a_broken_subject_is_refused_too(shop):
    with tenant_context(shop), pytest.raises(DomainError) as refused:
        save(subject="Parcel {{ rma|nosuchfilter }}")
    assert refused.value.field == "subject"
    assert refused.value.extra["line"] == 1


@pytest.mark.parametrize(
    "tag",
    [
        "{% load static %}",
        '{% include "layout.html" %}',
        '{% extends "layout.html" %}',
        '{% ssi "/etc/passwd" %}',
        "{% debug %}",
        "{%load i18n%}",
    ],
)
def test_tags_that_load_libraries_or_files_are_refused(shop, tag):
    with tenant_context(shop), pytest.raises(DomainError) as refused:
        save(body=f"Hello,\n{tag}\nbye")
    assert refused.value.code == "template_error"
    assert refused.value.extra["line"] == 2
    assert "not allowed" in refused.value.message


def test_other_unknown_tags_do_not_parse(shop):
    with tenant_context(shop), pytest.raises(DomainError) as refused:
        save(body="Hello\n{% url 'admin:index' %}")
    assert refused.value.extra["line"] == 2
    with tenant_context(shop), pytest.raises(DomainError):
        save(body="{% csrf_token %}")
    with tenant_context(shop), pytest.raises(DomainError):
        save(body="{{ customer_name|safe }}")


def test_a_template_cannot_read_settings_or_secrets(shop, settings):
    body = (
        "[{{ settings.SECRET_KEY }}][{{ request.user }}][{{ tenant.secret }}]"
        "[{{ tenant.pk }}][{{ user.password }}][{{ perms }}][{{ csrf_token }}]"
    )
    with tenant_context(shop):
        preview = template_preview(
            event="return.received", language="en", subject="{{ settings.DEBUG }}", body=body
        )
    assert preview.text.strip() == "[][][][][][][]"
    assert preview.subject == ""
    assert settings.SECRET_KEY not in preview.html


def test_a_template_cannot_change_its_context(shop):
    with tenant_context(shop):
        preview = template_preview(
            event="return.received",
            language="en",
            subject="{{ tenant.clear }}{{ tenant.name }}",
            body="{{ tenant.popitem }}{{ tenant.name }}",
        )
    assert preview.subject == "Acme Outdoor"
    assert preview.text.strip() == "Acme Outdoor"


def test_preview_renders_sample_data_with_branding(shop):
    with tenant_context(shop):
        preview = template_preview(
            event="return.approved",
            language="nl",
            subject="Retour {{ rma }} akkoord",
            body="Beste {{ customer_name }},\n{{ method_instructions }}\n{{ label_url }}",
        )
    assert preview.subject == "Retour R-000123 akkoord"
    assert "Beste Jan Jansen," in preview.text
    assert "servicepunt" in preview.text
    assert "http://127.0.0.1:8000/r/shop/s/sample-token/" in preview.text
    assert "#c0ffee" in preview.html and "Acme Outdoor" in preview.html


def test_unknown_event_or_language_is_refused(shop):
    with tenant_context(shop), pytest.raises(DomainError) as refused:
        save(event="return.teleported")
    assert refused.value.code == "unknown_event"
    with tenant_context(shop), pytest.raises(DomainError) as refused:
        save(language="fr")
    assert refused.value.code == "unknown_language"


def test_saved_template_is_used_for_that_event_and_language_only(publish, shop, mailbox):
    with tenant_context(shop):
        save(language="en")
        save(language="en", subject="Got it: {{ rma }}")  # an update, not a second row
        assert NotificationTemplate.objects.count() == 1
        actions = list(
            AuditEvent.objects.filter(subject_type="notification_template").values_list(
                "action", flat=True
            )
        )
    assert actions == ["notification_template.created", "notification_template.updated"]

    publish("return.received", data=return_data("en"))
    publish("return.received", data=return_data("nl", rma="R-000050"))

    subjects = sorted(m.subject for m in mailbox)
    assert subjects == ["Got it: R-000042", "We hebben je retour R-000050 ontvangen"]
    tenant_mail = next(m for m in mailbox if m.subject.startswith("Got it"))
    assert tenant_mail.body.startswith("Hi Jan Jansen,\nwe have your parcel.")
    assert "#c0ffee" in tenant_mail.alternatives[0][0]

    with tenant_context(shop):
        assert template_delete(event="return.received", language="en", actor=ACTOR)
    publish("return.received", data=return_data("en", rma="R-000051"))
    assert mailbox[-1].subject == "We have received your return R-000051"


def test_templates_are_per_tenant(publish, shop, other_tenant, mailbox):
    with tenant_context(other_tenant):
        save(subject="Globex got {{ rma }}")
    publish("return.received", data=return_data("en"))
    assert mailbox[0].subject == "We have received your return R-000042"
