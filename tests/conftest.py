"""Fixtures and test-run settings; the helpers themselves are in tests/support/."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# tests/ on the path so test modules can `from support import ...` in every import mode; the
# repository root is deliberately NOT put on the path: the tests run against the installed package.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import (  # noqa: F401  (names re-exported for tests written before tests/support existed)
    DEMO_KEY,
    DEMO_SIGNERS,
    HEADER,
    ROOT,
    ROWS,
    PackageMaker,
    approve,
    browser_missing,
    run_cli,
    write_pdf,
)


def pytest_collection_modifyitems(config, items):
    """Browser tests are skipped, with the reason, where node, playwright-core or chromium is missing."""
    reason = browser_missing()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=f"browsertest overgeslagen: {reason}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _private_config_home(tmp_path_factory):
    """The test session (and every build it starts: subprocesses inherit the environment) has its own configuration
    folder, so the default cache key (``$XDG_CONFIG_HOME/woo-publicatie/cachesleutel``, publish/cachestore.py) is never
    read from or written into the real home folder, and no developer's ``WOO_CACHE_KEY_FILE`` leaks into a test.
    Session-wide (like one machine's user), so module-scoped sites stay warm for their tests; a test that changes the
    default key itself takes its own folder (``config_home``)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
        patch.delenv("WOO_CACHE_KEY_FILE", raising=False)
        yield


@pytest.fixture
def config_home(tmp_path_factory, monkeypatch) -> Path:
    """A configuration folder of this test's own ($XDG_CONFIG_HOME): its default cache key starts absent."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    return folder


@pytest.fixture
def decisions(tmp_path) -> Path:
    d = tmp_path / "decisions"
    d.mkdir()
    return d


@pytest.fixture
def make_package(decisions) -> PackageMaker:
    return PackageMaker(decisions)


@pytest.fixture
def cli():
    return run_cli


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: builds whole sites or large inventories (seconds each); skip with -m 'not slow'")
