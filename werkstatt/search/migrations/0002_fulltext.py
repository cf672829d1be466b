"""The full-text side of the search index, by database vendor (docs/search.md).

PostgreSQL: the ``unaccent`` extension (trusted since PostgreSQL 13), the configuration ``werkstatt_german``
(``german`` with ``unaccent`` before ``german_stem``), two generated, weighted ``tsvector`` columns and a GIN index.
SQLite: the FTS5 table ``search_fts`` and a trigger that removes its row with the entry.
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'werkstatt_german') THEN
        CREATE TEXT SEARCH CONFIGURATION werkstatt_german (COPY = german);
        ALTER TEXT SEARCH CONFIGURATION werkstatt_german
          ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
          WITH unaccent, german_stem;
      END IF;
    END $$
    """,
    """
    ALTER TABLE search_searchentry ADD COLUMN vector tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('werkstatt_german'::regconfig, search_title), 'A')
      || setweight(to_tsvector('werkstatt_german'::regconfig, search_body), 'B')
      || setweight(to_tsvector('werkstatt_german'::regconfig, search_restricted), 'C')
    ) STORED
    """,
    """
    ALTER TABLE search_searchentry ADD COLUMN vector_open tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('werkstatt_german'::regconfig, search_title), 'A')
      || setweight(to_tsvector('werkstatt_german'::regconfig, search_body), 'B')
    ) STORED
    """,
    "CREATE INDEX search_entry_vector_idx ON search_searchentry USING GIN (vector)",
    "CREATE INDEX search_entry_vector_open_idx ON search_searchentry USING GIN (vector_open)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_vector_open_idx",
    "DROP INDEX IF EXISTS search_entry_vector_idx",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS vector_open",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS werkstatt_german",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, restricted, tokenize = 'unicode61 remove_diacritics 2')",
    """
    CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_searchentry
    BEGIN DELETE FROM search_fts WHERE rowid = old.id; END
    """,
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS search_entry_fts_delete", "DROP TABLE IF EXISTS search_fts"]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
