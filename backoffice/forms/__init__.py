"""Forms of the back office, one module per area; they validate input, services decide.

The request, warehouse, order and settings forms are re-exported here, so
``from backoffice.forms import PolicyForm`` works; the credits and notifications forms
are imported from their modules.
"""

from backoffice.forms.common import BLANK, MultipleFileField, MultipleFileInput
from backoffice.forms.orders import OrderCancelForm, OrderDelayForm, OrderSearchForm
from backoffice.forms.requests import (
    OPEN,
    PAGE_SIZES,
    BulkActionForm,
    FreeReturnForm,
    MessageForm,
    QueueFilterForm,
    ReassignForm,
    TransitionForm,
)
from backoffice.forms.settings import (
    ApiKeyForm,
    ChannelForm,
    PolicyForm,
    ReasonForm,
    RoleForm,
    TeamMemberForm,
    TenantSettingsForm,
)
from backoffice.forms.warehouse import ReceiptLineForm, ScanForm, scanned_rma

__all__ = [
    "BLANK",
    "OPEN",
    "PAGE_SIZES",
    "ApiKeyForm",
    "BulkActionForm",
    "ChannelForm",
    "FreeReturnForm",
    "MessageForm",
    "MultipleFileField",
    "MultipleFileInput",
    "OrderCancelForm",
    "OrderDelayForm",
    "OrderSearchForm",
    "PolicyForm",
    "QueueFilterForm",
    "ReasonForm",
    "ReassignForm",
    "ReceiptLineForm",
    "RoleForm",
    "ScanForm",
    "TeamMemberForm",
    "TenantSettingsForm",
    "TransitionForm",
    "scanned_rma",
]
