"""woo-publicatie: turn approved Woo decision packages into a static publication site."""

from importlib.metadata import PackageNotFoundError, version

try:
    # The one version number is in pyproject.toml; the installed package metadata carries it.
    __version__ = version("woo-publicatie")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+onbekend"
