"""seed_demo refuses a production profile unless told the demo's secrets are public."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tenants.models import Tenant

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_to_run_on_a_public_deployment(settings):
    settings.PUBLIC_DEPLOYMENT = True
    with pytest.raises(CommandError, match="--i-know-this-is-public"):
        call_command("seed_demo", "--orders", "5", stdout=StringIO())
    assert not Tenant.objects.filter(slug="demo").exists()


def test_seed_demo_runs_on_a_public_deployment_when_told(settings):
    settings.PUBLIC_DEPLOYMENT = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", "--orders", "5", "--i-know-this-is-public", stdout=StringIO())
    assert Tenant.objects.filter(slug="demo").exists()
