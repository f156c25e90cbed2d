"""Every model of the project has a factory in ``testing.factories``, and it saves."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings

from returns_platform.tenancy import tenant_context
from testing import factories

PROJECT_APPS = [
    app.label
    for app in apps.get_app_configs()
    if app.path.startswith(str(settings.BASE_DIR)) and ".venv" not in app.path
]
MODELS = [
    model
    for label in PROJECT_APPS
    for model in apps.get_app_config(label).get_models()
    if not model._meta.abstract and not model._meta.proxy
]


def test_every_model_of_the_project_has_a_factory():
    assert len(MODELS) >= 35
    missing = [
        model._meta.label for model in MODELS if not hasattr(factories, f"{model.__name__}Factory")
    ]
    assert missing == [], "add a factory to testing/factories.py"


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_each_factory_saves_a_row_of_its_model(model, tenant):
    factory_class = getattr(factories, f"{model.__name__}Factory")
    with tenant_context(tenant):
        row = factory_class()
        assert isinstance(row, model) and row.pk is not None
        assert model._base_manager.filter(pk=row.pk).exists()
        if hasattr(row, "tenant_id") and model is not factories.Tenant:
            assert row.tenant_id == tenant.pk


def test_a_factory_reuses_the_parent_it_is_given(tenant):
    with tenant_context(tenant):
        order = factories.OrderFactory(number="2001")
        line = factories.ReturnLineFactory(
            request=factories.ReturnRequestFactory(order=order),
        )
    assert line.order_line.order == order and line.request.order == order
    assert line.unit_price == line.order_line.unit_price
