"""Compatibility shim for branches written before tests/support/ existed; import from support instead.
Remove once no test imports it."""

from support import NodeServer, Server, browser_available, needs_browser, probe  # noqa: F401
