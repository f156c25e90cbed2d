"""A return's message thread for the shop's systems (replies as the API key)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from conversations.selectors import conversation_thread
from conversations.serializers import MessageInput, MessageOutput
from conversations.services import conversation_post
from returns.selectors import return_get
from returns_platform.api import TenantAPIView, idempotent


class ReturnMessagesApi(TenantAPIView):
    pagination_class = None  # answers the whole list

    @extend_schema(
        operation_id="returns_messages_list",
        responses=MessageOutput(many=True),
        description="The whole thread, oldest first, internal notes included.",
    )
    def get(self, request, rma: str):
        return_request = return_get(rma=rma)
        thread = conversation_thread(return_request=return_request, include_internal=True)
        return Response(MessageOutput(thread, many=True).data)

    @extend_schema(
        operation_id="returns_messages_create",
        request=MessageInput,
        responses={201: MessageOutput},
        description="Reply to the customer (mailed to them) or add an internal note. "
        "Refused with `empty_message` or `message_too_long`.",
    )
    @idempotent
    def post(self, request, rma: str):
        return_request = return_get(rma=rma)
        data = MessageInput(data=request.data)
        data.is_valid(raise_exception=True)
        message = conversation_post(
            return_request=return_request,
            body=data.validated_data["body"],
            is_internal=data.validated_data["is_internal"],
            actor=self.actor,
        )
        return Response(MessageOutput(message).data, status=status.HTTP_201_CREATED)
