# Drops the index on CreditRecord.created_by: nothing reads records by their creator, and every import
# row paid for it. The schema editor would rebuild the whole table on SQLite (and leave the index on
# PostgreSQL), so the database side is one DROP INDEX on both.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0006_drop_raw_digest_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "records_creditrecord_created_by_id_10784754"',
                    reverse_sql=(
                        'CREATE INDEX "records_creditrecord_created_by_id_10784754" '
                        'ON "records_creditrecord" ("created_by_id")'
                    ),
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="creditrecord",
                    name="created_by",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
    ]
