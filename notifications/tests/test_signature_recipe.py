"""The verification recipe of docs/notifications.md, run exactly as documented."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from django.conf import settings

from testing.notifications import return_data, subscribe

pytestmark = pytest.mark.django_db

DOC = Path(settings.BASE_DIR) / "docs" / "notifications.md"


def documented_recipe() -> str:
    section = DOC.read_text().split("### Verifying webhook signatures", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


def load_recipe():
    namespace: dict = {}
    exec(compile(documented_recipe(), str(DOC), "exec"), namespace)  # noqa: S102 - our own doc
    return namespace["verify_webhook"]


def test_the_documented_recipe_verifies_a_real_delivery_and_rejects_replays(
    api, shop, receiver, publish, monkeypatch
):
    verify_webhook = load_recipe()
    secret = subscribe(api, receiver.url, ["return.approved"])["secret"]
    publish("return.approved", data=return_data("en"))
    [request] = receiver.requests
    header, body = request["headers"]["X-Returns-Signature"], request["body"]

    assert verify_webhook(secret, header, body)
    assert not verify_webhook("whsec_someone_else", header, body)
    assert not verify_webhook(secret, header, body.replace(b"R-000042", b"R-000043"))
    signed_at = int(re.search(r"t=(\d+)", header).group(1))
    moved = re.sub(r"t=\d+", f"t={signed_at + 1}", header)  # a new time on an old signature
    assert not verify_webhook(secret, moved, body)
    for broken in ("", "t=", "v1=abc", "t=soon,v1=abc"):
        assert not verify_webhook(secret, broken, body)

    # The same request replayed later: fine within five minutes, refused after.
    monkeypatch.setattr(time, "time", lambda: signed_at + 299)
    assert verify_webhook(secret, header, body)
    monkeypatch.setattr(time, "time", lambda: signed_at + 301)
    assert not verify_webhook(secret, header, body)
    monkeypatch.setattr(time, "time", lambda: signed_at + 3600)
    assert not verify_webhook(secret, header, body)
