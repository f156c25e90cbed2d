"""The back office's own pages under the ``backoffice`` namespace, without the other
apps' screens (some apps' tests mount it next to theirs). The project mounts
``backoffice.urls``, which includes these and the other apps' screens."""

from backoffice.urls import own as urlpatterns

app_name = "backoffice"

__all__ = ["app_name", "urlpatterns"]
