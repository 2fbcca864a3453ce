"""The n-gram index for public name search (DESIGN.md §7).

Each public subject's searchable name is stored pre-split into overlapping character pairs
(`name_pairs`, "韶山 山市 市食 …"). SQLite indexes the pairs with FTS5 (unicode61 tokens), kept in
step by triggers; PostgreSQL with a GIN index over the array of pairs. A query of n ≥ 2 characters is
its n − 1 pairs: an FTS5 phrase, or array containment followed by a substring check.
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE publication_subject_fts USING fts5(name_pairs, content='publication_publicsubject', "
    "content_rowid='subject_id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER publication_subject_fts_ai AFTER INSERT ON publication_publicsubject BEGIN "
    "INSERT INTO publication_subject_fts(rowid, name_pairs) VALUES (new.subject_id, new.name_pairs); END",
    "CREATE TRIGGER publication_subject_fts_ad AFTER DELETE ON publication_publicsubject BEGIN "
    "INSERT INTO publication_subject_fts(publication_subject_fts, rowid, name_pairs) "
    "VALUES ('delete', old.subject_id, old.name_pairs); END",
    "CREATE TRIGGER publication_subject_fts_au AFTER UPDATE OF name_pairs ON publication_publicsubject BEGIN "
    "INSERT INTO publication_subject_fts(publication_subject_fts, rowid, name_pairs) "
    "VALUES ('delete', old.subject_id, old.name_pairs); "
    "INSERT INTO publication_subject_fts(rowid, name_pairs) VALUES (new.subject_id, new.name_pairs); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS publication_subject_fts_au",
    "DROP TRIGGER IF EXISTS publication_subject_fts_ad",
    "DROP TRIGGER IF EXISTS publication_subject_fts_ai",
    "DROP TABLE IF EXISTS publication_subject_fts",
]
POSTGRES_UP = [
    "CREATE INDEX publication_subject_pairs_gin ON publication_publicsubject "
    "USING gin ((string_to_array(name_pairs, ' ')))",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS publication_subject_pairs_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("publication", "0002_seed_policies")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
