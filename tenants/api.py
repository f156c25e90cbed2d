"""Sales channels for shops that configure by API: list, create, read, change."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from returns_platform.api import TenantAPIView, idempotent
from tenants.selectors import sales_channel_get, sales_channel_list, staff_member_by_email
from tenants.serializers import ChannelInput, ChannelOutput
from tenants.services import sales_channel_save


def _consultant(email: str | None):
    return staff_member_by_email(email=email) if email else None


class ChannelListCreateApi(TenantAPIView):
    """The shop's sales channels; orders name one by its code."""

    @extend_schema(operation_id="channels_list", responses=ChannelOutput(many=True))
    def get(self, request):
        return self.paginate(sales_channel_list(), ChannelOutput)

    @extend_schema(
        operation_id="channels_create",
        request=ChannelInput,
        responses={201: ChannelOutput},
        description="Add a sales channel; orders name it by `code` in their `channel` field.",
    )
    @idempotent
    def post(self, request):
        data = ChannelInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["consultant"] = _consultant(values["consultant"])
        channel = sales_channel_save(**values, actor=self.actor)
        return Response(ChannelOutput(channel).data, status=status.HTTP_201_CREATED)


class ChannelDetailApi(TenantAPIView):
    """One sales channel, by its code."""

    @extend_schema(operation_id="channels_retrieve", responses=ChannelOutput)
    def get(self, request, channel: str):
        return Response(ChannelOutput(sales_channel_get(code=channel)).data)

    @extend_schema(
        operation_id="channels_partial_update",
        request=ChannelInput(partial=True),
        responses=ChannelOutput,
        description="Change a channel's name, kind, consultant or code (orders keep theirs).",
    )
    def patch(self, request, channel: str):
        current = sales_channel_get(code=channel)
        data = ChannelInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = {
            "code": current.code,
            "name": current.name,
            "kind": current.kind,
            "consultant": current.consultant,
        }
        changes = dict(data.validated_data)
        if "consultant" in request.data:
            changes["consultant"] = _consultant(changes.get("consultant"))
        else:
            changes.pop("consultant", None)
        values.update(changes)
        updated = sales_channel_save(**values, channel=current, actor=self.actor)
        return Response(ChannelOutput(updated).data)
