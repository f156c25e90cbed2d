"""The portal's own refusals (photos kept until confirmation), in the consumer's language."""

from django.utils.translation import gettext_lazy as _

from returns_platform.errors import register

register("too_large", 422, _("%(name)s is larger than 10 MB."))
register("attachment_too_large.photo", 422, _("%(name)s is larger than 10 MB."))
register("invalid_attachment.photo", 422, _("%(name)s is not a JPEG, PNG or WebP photo."))
register("too_many_photos", 422, _("At most %(count)d photos per item."))
register("too_many_attachments.photos", 422, _("At most %(count)d photos per return in all."))
