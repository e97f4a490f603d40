#!/usr/bin/env bash
# Installs everything the tests need on a fresh machine, then runs them.
# Python test extras in .venv, npm packages (package-lock.json), Debian chromium and openssh-client when absent.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e ".[test]"

if [ -f package.json ]; then
  if [ -f package-lock.json ]; then npm ci --silent --no-audit --no-fund; else npm install --silent --no-audit --no-fund; fi
fi

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium ontbreekt en kan niet worden geïnstalleerd (geen root); browsertests worden overgeslagen." >&2
  fi
fi

# ssh-keygen signs and verifies approvals (the tests sign with the demonstration key in demo/sleutels/).
if ! command -v ssh-keygen >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-client >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-client >/dev/null
  else
    echo "ssh-keygen (openssh-client) ontbreekt en kan niet worden geïnstalleerd (geen root)." >&2
  fi
fi

exec .venv/bin/python -m pytest "$@"
