from rest_framework import serializers

from conversations.models import AuthorKind, Message
from returns_platform.api import StrictSerializer


class MessageAttachmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class MessageOutput(serializers.ModelSerializer):
    author_kind = serializers.ChoiceField(choices=AuthorKind.choices)
    attachments = MessageAttachmentOutput(many=True, read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "author_kind",
            "author_label",
            "body",
            "is_internal",
            "created_at",
            "attachments",
        ]


class MessageInput(StrictSerializer):
    body = serializers.CharField(max_length=5000, trim_whitespace=True)
    is_internal = serializers.BooleanField(default=False)
