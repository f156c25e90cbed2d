"""API shapes of a shop's sales channels."""

from __future__ import annotations

from rest_framework import serializers

from returns_platform.api import StrictSerializer
from tenants.models import ChannelKind


class ChannelOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    consultant = serializers.SerializerMethodField(
        help_text="E-mail of the staff member new requests of this channel are assigned to."
    )

    def get_consultant(self, channel) -> str | None:
        return channel.consultant.email if channel.consultant_id else None


class ChannelInput(StrictSerializer):
    code = serializers.SlugField(max_length=50)
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=ChannelKind.choices, default=ChannelKind.WEBSHOP)
    consultant = serializers.EmailField(required=False, allow_null=True, default=None)
