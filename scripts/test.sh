#!/usr/bin/env bash
# The test command (`make test`; `.ci/run` calls it with CI=true). On a fresh machine it:
#   1. checks the prerequisites, saying in one line what is missing (installs Debian packages as root);
#   2. builds the wheel and installs it NON-editable, with the test extras, into .venv-test;
#   3. installs the npm packages (package-lock.json) when Node.js 20+ is there;
#   4. builds the demo packages (decisions/) with that install from a new `woo-publish init` folder;
#   5. runs pytest against the installed package, on every core (pytest-xdist): PYTHONSAFEPATH and
#      --import-mode=importlib keep the source tree off sys.path, and WOO_TEST_INSTALLED makes
#      tests/test_packaging.py assert it.
# Arguments go to pytest, e.g. `bash scripts/test.sh -m "not slow and not browser"`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
. scripts/prereqs.sh

need_python || exit 1
want_node
want_chromium
need_ssh_keygen || exit 1

VENV=${TEST_VENV:-.venv-test}
ensure_venv "$VENV"
PIP=("$VENV/bin/python" -m pip --quiet --disable-pip-version-check)

# Build from a clean tree: setuptools would otherwise pack stale files left in build/lib.
rm -rf build/lib build/bdist.* build/wheel
"${PIP[@]}" wheel --no-deps --wheel-dir build/wheel . >/dev/null
wheel=$(ls build/wheel/woo_publicatie-*.whl)
# A venv that already holds woo-publicatie (same version number) would keep the old files: force the fresh wheel in
# then (without reinstalling dependencies). On a fresh machine (CI) the one install below is enough.
installed=0
"$VENV/bin/python" -c 'import importlib.metadata as m; m.version("woo-publicatie")' 2>/dev/null && installed=1
"${PIP[@]}" install "${wheel}[test,cluster]"  # cluster: the Dask engine's tests (tests/test_cluster.py)
if [ "$installed" = 1 ]; then
  "${PIP[@]}" install --force-reinstall --no-deps "$wheel"
fi

if [ "${NODE_OK:-0}" != "0" ] && [ -f package-lock.json ]; then
  npm ci --silent --no-audit --no-fund >/dev/null
fi

# The demo site, built by the installed package from a site folder made by `woo-publish init`.
demo=$(mktemp -d)
"$VENV/bin/woo-publish" init "$demo/site" >/dev/null
cp -R decisions/. "$demo/site/decisions/"
# The demo packages are signed with the demonstration key: trust it in this throw-away site only.
cp demo/sleutels/toegestane-ondertekenaars "$demo/site/ondertekenaars.txt"
expected=$(find decisions -mindepth 1 -maxdepth 1 -type d | wc -l)
# Its own configuration folder: the default cache key (~/.config/woo-publicatie/cachesleutel) is not made in the real home.
(cd "$demo/site" && XDG_CONFIG_HOME="$demo/config" "$ROOT/$VENV/bin/woo-publish" build --report rapport.json)
published=$("$VENV/bin/python" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["published"]))' "$demo/site/rapport.json")
if [ "$published" != "$expected" ] || [ ! -f "$demo/site/site/index.html" ]; then
  echo "demo: $published van / of $expected besluiten gepubliceerd vanuit een init-map / published from an init folder" >&2
  exit 1
fi
rm -rf "$demo"
echo "demo: $published besluiten gepubliceerd vanuit een nieuwe init-map met het geïnstalleerde wiel / decisions published from a new init folder with the installed wheel"

export WOO_TEST_INSTALLED=1 WOO_TEST_WHEEL="$ROOT/$wheel" PYTHONSAFEPATH=1 PYTHONDONTWRITEBYTECODE=1
# -n auto: one worker per core (pytest-xdist); --dist loadfile keeps a test file on one worker, so a module's
# shared site is built once. Every test writes only below its own tmp_path (or the content-addressed cache).
exec "$VENV/bin/python" -m pytest --import-mode=importlib -p no:cacheprovider -n auto --dist loadfile "$@"
