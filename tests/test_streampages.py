"""The streamed pages' places without mkdocs' File (issue 19, mkdocs13): the warm path works a page's place in the site
out of its source path; it must be the place mkdocs gives it, or the page would be linked or written elsewhere."""

from __future__ import annotations

import os

import pytest
from mkdocs.structure.files import File

from publish.build import _present, _with_parents
from publish.streampages import fast_dest_uri

SOURCES = [
    "index.md",
    "woo-besluiten/2024/w-000250/index.md",
    "woo-besluiten/2024/w-000250/document/12/index.md",
    "woo-besluiten/2024/w-000250/inventaris/2/index.md",
    "onderwerpen/ruimtelijke-ordening/pagina/3/index.md",
    "zoeken/index.md",
    "ë-ingetrokken/ß/index.md",
    "a/README.md",
    "a/pagina.md",
    "a/b.md/index.md",
    "a//index.md",
    "./a/index.md",
    "a/./index.md",
    "a/../index.md",
    "/a/index.md",
    "a/index.markdown",
    "a/index.html",
    "a/Index.md",
]


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("source", SOURCES)
def test_the_fast_place_is_mkdocs_place_or_left_to_mkdocs(source, directory_urls, tmp_path):
    fast = fast_dest_uri(source)
    file = File(source, str(tmp_path / "src"), str(tmp_path / "site"), directory_urls)
    if fast is not None:
        assert fast == file.dest_uri
        assert os.path.normpath(os.path.join(str(tmp_path / "site"), fast)) == file.abs_dest_path


def test_only_plain_generated_sources_take_the_fast_way():
    assert fast_dest_uri("woo-besluiten/2024/w-1/index.md") == "woo-besluiten/2024/w-1/index.html"
    assert fast_dest_uri("index.md") == "index.html"
    for source in ("a/README.md", "a/pagina.md", "a//index.md", "./a/index.md", "a/../index.md", "/a/index.md"):
        assert fast_dest_uri(source) is None, source


def test_present_lists_every_file_and_folder_as_exists_would(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "index.md").write_text("x")
    (tmp_path / "c.css").write_text("x")
    found = _present(tmp_path)
    assert found == {"a", "a/b", "a/b/index.md", "c.css"}
    for rel in ["a", "a/b", "a/b/index.md", "c.css", "a/index.md", "b", "a/b/index"]:
        assert (rel in found) == (tmp_path / rel).exists(), rel
    assert _with_parents("x/y/index.md") == ["x", "x/y", "x/y/index.md"]
