"""Publication types: the registry, the declarative schemas and what they drive."""

from __future__ import annotations

from conftest import ROOT

from publish.schema import all_docs_tables, replace_docs_blocks


def test_docs_field_tables_are_generated_from_the_schemas():
    """docs/pakketformaat.md and docs/beheer.md carry the tables the schemas produce, never drifting."""
    tables = all_docs_tables()
    for doc in ("docs/pakketformaat.md", "docs/beheer.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        assert replace_docs_blocks(text, tables) == text, f"{doc} is verouderd: draai python -m publish.schema"
    text = (ROOT / "docs/pakketformaat.md").read_text(encoding="utf-8") + (ROOT / "docs/beheer.md").read_text(encoding="utf-8")
    for key in tables:
        assert f"<!-- velden:{key} " in text, f"de tabel voor {key} ontbreekt in de documentatie"
