# Prerequisite checks for `make demo`, `make test` and `make lint`; sourced, not run.
# Each check says in one line (Dutch / English) what is missing and how to get it; as root it
# installs the Debian package itself. Minimum versions (also in README.md): Python 3.11 with venv,
# Node.js 20 with npm (browser tests only), Debian chromium (browser tests only), openssh-client
# (ssh-keygen: signs and verifies approvals; needed by the demo and the tests).

PYTHON=${PYTHON:-python3}
MIN_NODE=20

say() { echo "woo-publicatie: $*" >&2; }

_apt_install() {
  # Installs Debian packages when we are root (or have sudo without a password); returns 1 otherwise.
  command -v apt-get >/dev/null 2>&1 || return 1
  local run=""
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then run="sudo -n"; else return 1; fi
  fi
  say "installeren / installing: $* (apt-get)"
  if [ -z "${_APT_UPDATED:-}" ]; then $run apt-get update -qq >/dev/null 2>&1 || true; _APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive $run apt-get install -y -qq "$@" >/dev/null 2>&1
}

need_python() {
  if ! command -v "$PYTHON" >/dev/null 2>&1; then
    say "python3 ontbreekt / missing: installeer Python 3.11 of nieuwer / install Python 3.11+ (Debian: apt-get install python3 python3-venv)"
    return 1
  fi
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    say "$("$PYTHON" --version 2>&1) is te oud / too old: Python 3.11 of nieuwer nodig / needed (of zet / or set PYTHON=python3.11)"
    return 1
  fi
  if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    local pkg
    pkg="python$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')-venv"
    _apt_install "$pkg" || _apt_install python3-venv || true
    if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
      say "python3-venv ontbreekt / missing: sudo apt-get install $pkg"
      return 1
    fi
  fi
}

# Sets NODE_OK=1 when Node.js 20+ with npm is there; otherwise says the browser tests will be skipped.
want_node() {
  NODE_OK=0
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    _apt_install nodejs npm || true
  fi
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    say "node/npm ontbreekt / missing: browser- en lunr.js-tests worden overgeslagen / skipped (installeer / install Node.js $MIN_NODE+ met npm, bijv. / e.g. NodeSource or nvm)"
    return 0
  fi
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$major" -lt "$MIN_NODE" ]; then
    say "node $(node --version) is te oud / too old voor / for playwright-core: browsertests overgeslagen / browser tests skipped (installeer / install Node.js $MIN_NODE+)"
    NODE_OK=2  # old node: npm packages still install, the lunr.js tests still run
    return 0
  fi
  NODE_OK=1
}

want_chromium() {
  command -v chromium >/dev/null 2>&1 && return 0
  _apt_install chromium || true
  command -v chromium >/dev/null 2>&1 && return 0
  say "chromium ontbreekt / missing: browsertests overgeslagen / browser tests skipped (sudo apt-get install chromium)"
}

need_ssh_keygen() {
  command -v ssh-keygen >/dev/null 2>&1 && return 0
  _apt_install openssh-client || true
  command -v ssh-keygen >/dev/null 2>&1 && return 0
  say "ssh-keygen ontbreekt / missing: nodig voor ondertekende goedkeuringen / needed for signed approvals (sudo apt-get install openssh-client)"
  return 1
}

# A virtual environment at $1 made with $PYTHON, pip up to date.
ensure_venv() {
  if [ ! -x "$1/bin/python" ]; then
    "$PYTHON" -m venv "$1"
  fi
  "$1/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
}
