"""Payment provider keys become Fernet tokens at rest; rows stored in plain text are
encrypted in place (a value that already decrypts is left as it is)."""

from django.db import migrations, models

import returns_platform.secrets
from returns_platform.tenancy import unscoped_context


def encrypt_plain_keys(apps, schema_editor):
    from returns_platform.secrets import SecretUnreadable, decrypt, encrypt

    connection = schema_editor.connection
    with unscoped_context(), connection.cursor() as cursor:
        cursor.execute("SELECT id, api_key FROM credits_paymentprovideraccount")
        for pk, value in cursor.fetchall():
            if not value:
                continue
            try:
                decrypt(value)
            except SecretUnreadable:
                cursor.execute(
                    "UPDATE credits_paymentprovideraccount SET api_key = %s WHERE id = %s",
                    [encrypt(value), pk],
                )


class Migration(migrations.Migration):
    dependencies = [
        ("credits", "0005_cancellation_credit_note_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="paymentprovideraccount",
            name="check_ok",
            field=models.BooleanField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="paymentprovideraccount",
            name="checked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="paymentprovideraccount",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AlterField(
            model_name="paymentprovideraccount",
            name="api_key",
            field=returns_platform.secrets.EncryptedTextField(),
        ),
        migrations.RunPython(encrypt_plain_keys, migrations.RunPython.noop),
    ]
