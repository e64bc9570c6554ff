# Sourced by run.sh and test.sh: makes .venv with the project installed, reinstalling when pyproject.toml changes.
# Usage: ensure_venv EXTRAS   (e.g. ensure_venv "" or ensure_venv "test")

find_python() {
  for py in python3.11 python3.12 python3.13 python3 python; do
    if command -v "$py" >/dev/null 2>&1 &&
       "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$py"; return 0
    fi
  done
  echo "csrpractice needs Python 3.11 or newer; none was found on PATH." >&2
  return 1
}

apt_install() {
  # Debian packages, only when we are root and apt-get exists; otherwise say what is missing.
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "note: please install these Debian packages: $*" >&2
    return 1
  fi
}

ensure_venv() {
  local extras="$1" py stamp
  py=$(find_python) || return 1
  if [ ! -x .venv/bin/python ]; then
    if ! "$py" -c 'import ensurepip, venv' 2>/dev/null; then
      apt_install python3-venv || return 1
    fi
    "$py" -m venv .venv || return 1
  fi
  stamp=".venv/.installed-$(cat pyproject.toml | cksum | cut -d' ' -f1)-${extras:-base}"
  if [ ! -f "$stamp" ]; then
    echo "Setting up .venv (first run, or pyproject.toml changed)..." >&2
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras:+[$extras]}" || return 1
    rm -f .venv/.installed-* && touch "$stamp"
  fi
}
