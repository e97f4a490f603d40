"""A local static server that behaves like the production host: the site's security headers from
``_headers`` on every response and the site's own 404 page for a missing address."""

from __future__ import annotations

import functools
import http.server
from pathlib import Path

from .headers import HEADERS_FILE, read_headers_file


class SiteRequestHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as every real static host does
    site_headers: list[tuple[str, str]] = []
    quiet = False

    def end_headers(self):
        for name, value in self.site_headers:
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, *args):
        if not self.quiet:
            super().log_message(*args)


def make_server(site_dir: Path, port: int, quiet: bool = False) -> http.server.ThreadingHTTPServer:
    headers_path = site_dir / HEADERS_FILE
    headers = read_headers_file(headers_path) if headers_path.is_file() else []
    handler_class = type("Handler", (SiteRequestHandler,), {"site_headers": headers, "quiet": quiet})
    handler = functools.partial(handler_class, directory=str(site_dir))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
