"""Issue 19: within a build's validation (``paths.listing_scope``) each package folder is listed once and every check
sees that one listing; since mem13 it is kept as ``marshal`` bytes (a few hundred bytes a package, not Python lists
and dicts of every file), with the same answers."""

from __future__ import annotations

import os

from publish import paths


def _package(root, name: str, files: int):
    folder = root / name
    (folder / "documenten").mkdir(parents=True)
    (folder / "besluit.md").write_text("---\n---\n", encoding="utf-8")
    for i in range(files):
        (folder / "documenten" / f"{i}.pdf").write_bytes(b"%PDF" + bytes(i))
    return folder


def test_a_listing_is_made_once_kept_compact_and_the_same_for_every_check(tmp_path):
    a, b = _package(tmp_path, "a", 3), _package(tmp_path, "b", 2)
    os.mkfifo(a / "pijp")
    with paths.listing_scope():
        first = paths.package_files(a), paths.file_sizes(a), paths.special_files(a)
        assert first[0] == (["besluit.md", "documenten/0.pdf", "documenten/1.pdf", "documenten/2.pdf"], [])
        assert first[1] == {"documenten/0.pdf": 4, "documenten/1.pdf": 5, "documenten/2.pdf": 6, "besluit.md": 8}
        assert list(first[2]) == ["pijp"]
        assert paths.package_files(b)[0] == ["besluit.md", "documenten/0.pdf", "documenten/1.pdf"]
        (a / "documenten" / "3.pdf").write_bytes(b"%PDF later")  # added during the build: not in this build's view
        (a / "documenten" / "0.pdf").unlink()
        again = paths.package_files(a), paths.file_sizes(a), paths.special_files(a)
        assert again == first
        again[0][0].append("mutated by a caller")  # every caller gets its own copy
        again[1]["x"] = 1
        assert (paths.package_files(a), paths.file_sizes(a)) == first[:2]
        scope = paths._SCOPE.get()
        assert scope is not None and all(type(v) is bytes for v in scope["files"].values()) and len(scope["files"]) == 2
        assert all(len(v) < 400 for v in scope["files"].values())
    assert "documenten/3.pdf" in paths.package_files(a)[0] and "documenten/0.pdf" not in paths.package_files(a)[0]
