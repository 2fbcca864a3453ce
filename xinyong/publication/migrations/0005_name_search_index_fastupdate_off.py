"""PostgreSQL: no GIN pending list for the name-pair index.

With fastupdate on, fresh entries wait in an unsorted pending list that every search must scan until
vacuum merges it; after bulk publication that made name searches 5–10× slower. Publication writes are
few and small, so inserting straight into the index costs little.
"""

from django.db import migrations


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("publication", "0004_publicrecord_objection_note")]
    operations = [
        migrations.RunPython(
            _run("ALTER INDEX publication_subject_pairs_gin SET (fastupdate = off)"),
            _run("ALTER INDEX publication_subject_pairs_gin RESET (fastupdate)"),
        )
    ]
