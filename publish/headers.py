"""Security headers for the static host: a Content-Security-Policy that allows only the site itself.

Scripts run only from the site's own files: ``script-src 'self'``, no 'unsafe-inline' and, for the
project's theme, no hash either (``publish/scriptcheck.py`` replaces mkdocs-material's inline scripts
by files and refuses to publish any other inline script). The only hashes the policy can hold are
those a site lists under ``extra.woo.toegestane_scripts`` for inline scripts of its own templates,
and only when such a script is really on a page. So an injected script is never in the policy.

Outputs: ``_headers`` in the site root (Netlify, Cloudflare Pages and similar hosts read it) and an
nginx snippet (``woo-publish headers``), both from the same header list, each with a comment that
states what the policy allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

HEADERS_FILE = "_headers"

# Comment lines at the top of _headers and the nginx snippet: what the policy allows and why.
POLICY_NOTE = (
    "Content-Security-Policy: scripts, opmaak, lettertypen en verbindingen alleen van deze site zelf, afbeeldingen",
    "ook als data:-adres; geen inline scripts, geen eval, geen andere websites, niet in een frame van een andere site.",
    "script-src is 'self' plus hoogstens de SHA-256 van de eigen inline scripts van de site die onder",
    "extra.woo.toegestane_scripts in mkdocs.yml staan (woo-publish publiceert geen enkel ander inline script).",
)
# The first comment line of the nginx snippet.
NGINX_NOTE = "Gemaakt door woo-publish uit de gebouwde site; neem deze regels op in het server-blok van nginx."


def content_security_policy(script_hashes: Sequence[str] = ()) -> str:
    """``script_hashes``: 'sha256-...' values (without quotes) of the site's allowed inline scripts."""
    directives = [
        ("default-src", ["'none'"]),
        ("script-src", ["'self'", *(f"'{h}'" for h in sorted(set(script_hashes)))]),
        ("style-src", ["'self'"]),
        ("img-src", ["'self'", "data:"]),
        ("font-src", ["'self'"]),
        ("connect-src", ["'self'"]),
        ("manifest-src", ["'self'"]),
        ("frame-src", ["'self'"]),  # browsers that show PDFs inline
        ("object-src", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("form-action", ["'self'"]),
        ("frame-ancestors", ["'none'"]),
    ]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives)


def security_headers(script_hashes: Sequence[str] = ()) -> list[tuple[str, str]]:
    """The headers every response of the site should carry, in a fixed order."""
    return [
        ("Content-Security-Policy", content_security_policy(script_hashes)),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
        ("Strict-Transport-Security", "max-age=31536000"),
    ]


def headers_file(headers: list[tuple[str, str]]) -> str:
    """Netlify / Cloudflare Pages ``_headers`` format: a path pattern, then indented headers."""
    note = "".join(f"# {line}\n" for line in POLICY_NOTE)
    return note + "/*\n" + "".join(f"  {name}: {value}\n" for name, value in headers)


def nginx_snippet(headers: list[tuple[str, str]]) -> str:
    """``add_header`` lines for an nginx ``server`` or ``location`` block."""
    lines = [f"# {NGINX_NOTE}\n"]
    lines += [f"# {line}\n" for line in POLICY_NOTE]
    lines += [f'add_header {name} "{value}" always;\n' for name, value in headers]
    lines.append("error_page 404 /404.html;\n")
    return "".join(lines)


def read_headers_file(path: Path) -> list[tuple[str, str]]:
    """The headers of a ``_headers`` file (used by ``woo-publish serve`` and the tests)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith((" ", "\t")) and ":" in line:
            name, value = line.strip().split(":", 1)
            out.append((name.strip(), value.strip()))
    return out
