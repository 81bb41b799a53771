"""Indexes for the catalogue search, PostgreSQL only (SQLite uses the simple fallback).

- trigram GIN indexes on the names serve the ``%>`` (word similarity) operator;
- a GIN index on the weighted ``russian`` document of an enterprise serves ``@@``; its
  expression is exactly what ``mosprom.registry.selectors._enterprise_document`` compiles to,
  so keep the two in step;
- a GIN index on the ``russian`` document of a product name.
"""

from django.db import migrations

ENTERPRISE_DOCUMENT = (
    "((setweight(to_tsvector('russian'::regconfig, COALESCE(short_name, '')), 'A')"
    " || setweight(to_tsvector('russian'::regconfig, COALESCE(legal_name, '')), 'B'))"
    " || setweight(to_tsvector('russian'::regconfig, COALESCE(description, '')), 'C'))"
)

CREATE = [
    "CREATE INDEX IF NOT EXISTS registry_enterprise_short_name_trgm "
    "ON registry_enterprise USING gin (short_name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS registry_enterprise_legal_name_trgm "
    "ON registry_enterprise USING gin (legal_name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS registry_enterprise_search_ru "
    f"ON registry_enterprise USING gin (({ENTERPRISE_DOCUMENT}))",
    "CREATE INDEX IF NOT EXISTS registry_product_name_search_ru "
    "ON registry_product USING gin ((to_tsvector('russian'::regconfig, COALESCE(name, ''))))",
]

DROP = [
    "DROP INDEX IF EXISTS registry_product_name_search_ru",
    "DROP INDEX IF EXISTS registry_enterprise_search_ru",
    "DROP INDEX IF EXISTS registry_enterprise_legal_name_trgm",
    "DROP INDEX IF EXISTS registry_enterprise_short_name_trgm",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_importbatch")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
