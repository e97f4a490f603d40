"""Serve a built site on loopback and look at it with headless Chromium (playwright-core)."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from publish.preview import make_server

ROOT = Path(__file__).resolve().parent.parent
PROBE = ROOT / "tests" / "browser" / "probe.mjs"


def browser_available() -> bool:
    return bool(shutil.which("node") and shutil.which("chromium") and (ROOT / "node_modules" / "playwright-core").is_dir())


needs_browser = pytest.mark.skipif(not browser_available(), reason="chromium, node of playwright-core ontbreekt (make test installeert ze)")


class Server:
    def __init__(self, directory: Path):
        self.httpd = make_server(Path(directory), 0, quiet=True)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class NodeServer:
    """The same site behind Node's http server (keep-alive, fast): for benchmarks."""

    def __init__(self, directory: Path):
        self.process = subprocess.Popen(["node", str(ROOT / "tests/browser/serve.mjs"), str(directory)],
                                        stdout=subprocess.PIPE, text=True, cwd=ROOT)
        port = self.process.stdout.readline().strip()
        self.base = f"http://127.0.0.1:{port}/"

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def probe(**options) -> dict:
    result = subprocess.run(["node", str(PROBE), json.dumps(options)], capture_output=True, text=True,
                            timeout=120, cwd=ROOT)
    if result.returncode != 0:
        raise AssertionError(f"browser probe failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout)
