import pytest

from publish.grounds import GROUNDS, lookup, normalise_ground, split_grounds


@pytest.mark.parametrize(
    "written,canonical",
    [
        ("5.1.2.e", "5.1.2.e"),
        ("5.1.2e", "5.1.2.e"),
        ("5.1.2 sub e", "5.1.2.e"),
        ("5.1.2 e", "5.1.2.e"),
        ("art. 5.1, tweede lid, onder e", "5.1.2.e"),
        ("5.1 lid 2 sub e", "5.1.2.e"),
        ("Artikel 5.1.2.i Woo", "5.1.2.i"),
        ("10.2.e", "10.2.e"),
        ("10.2e", "10.2.e"),
        ("10, tweede lid, sub g", "10.2.g"),
        ("11.1", "11.1"),
        ("11, eerste lid", "11.1"),
        ("5.1.4", "5.1.4"),
        ("5.2", "5.2"),
        ("5.2.1", "5.2.1"),
        ("5.1.1.c", "5.1.1.c"),
    ],
)
def test_written_forms_are_one_ground(written, canonical):
    assert normalise_ground(written) == canonical


def test_unrecognisable_ground_is_none():
    assert normalise_ground("privacy") is None


@pytest.mark.parametrize(
    "cell,parts",
    [
        ("5.1.2.e; 5.2.1", ["5.1.2.e", "5.2.1"]),
        ("10.2.e en 11.1", ["10.2.e", "11.1"]),
        ("10.2.e; 10.2.g en 11.1", ["10.2.e", "10.2.g", "11.1"]),
        ("5.1.2.e, 5.1.2.i", ["5.1.2.e", "5.1.2.i"]),
        ("art. 5.1, tweede lid, onder e; 5.1.2.i", ["art. 5.1, tweede lid, onder e", "5.1.2.i"]),
        ("-", []),
        ("", []),
    ],
)
def test_cells_split_into_grounds(cell, parts):
    assert split_grounds(cell) == parts


def test_catalogue_covers_both_laws_with_dutch_meanings():
    woo = {g.id for g in GROUNDS.values() if g.law == "Woo"}
    wob = {g.id for g in GROUNDS.values() if g.law == "Wob"}
    assert {f"5.1.1.{c}" for c in "abcde"} <= woo
    assert {f"5.1.2.{c}" for c in "abcdefghi"} <= woo
    assert {"5.1.4", "5.1.5", "5.2", "5.2.1", "5.2.3"} <= woo
    assert {f"10.1.{c}" for c in "abcd"} | {f"10.2.{c}" for c in "abcdefg"} | {"11.1"} == wob
    assert lookup("Woo", "10.2.e") is None and lookup("Wob", "5.1.2.e") is None
    assert lookup("Woo", "5.1.2.e").meaning == "De eerbiediging van de persoonlijke levenssfeer"
    assert all(g.meaning and g.article for g in GROUNDS.values())
