"""woo-publicatie: turn approved Woo decision packages into a static publication site."""

__version__ = "0.1.0"
