#!/usr/bin/env bash
# Sets up everything the tests need (.venv with the test extras; from Debian when run as root: tmux for
# the terminal tests, espeak-ng and sox to make speech, libportaudio2 for the microphone, chromium for
# the screening report), then runs the whole suite with pytest. Arguments go to pytest: ./test.sh -k cli
set -euo pipefail
cd "$(dirname "$0")"
. scripts/venv.sh
missing=()
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
command -v sox >/dev/null 2>&1 || missing+=(sox)
ldconfig -p 2>/dev/null | grep -q libportaudio.so.2 || missing+=(libportaudio2)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  apt_install "${missing[@]}" || echo "missing Debian packages: ${missing[*]}; the tests that need them will fail" >&2
fi
ensure_venv "test"
exec .venv/bin/python -m pytest "$@"
