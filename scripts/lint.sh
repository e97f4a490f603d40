#!/usr/bin/env bash
# make lint: ruff (lint + format check) and mypy on publish/, with the tools pinned in the `dev` extra
# of pyproject.toml, installed into .venv-test (the test environment; `make test` makes it too).
#
# The format check covers what [tool.woo-publicatie] format-checked lists in pyproject.toml (the whole tree).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/prereqs.sh

need_python || exit 1
VENV=${LINT_VENV:-.venv-test}
ensure_venv "$VENV"
PY="$VENV/bin/python"
# The runtime dependencies (for mypy) and the dev tools, straight from pyproject.toml.
mapfile -t requirements < <("$PY" - <<'PYTHON'
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
    if not requirement.startswith(project["name"]):
        print(requirement)
PYTHON
)
"$PY" -m pip install --quiet --disable-pip-version-check "${requirements[@]}"
mapfile -t formatted < <("$PY" -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["tool"]["woo-publicatie"]["format-checked"]))')

"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check "${formatted[@]}"
"$VENV/bin/mypy"
