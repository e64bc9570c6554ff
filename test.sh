#!/usr/bin/env bash
# Sets up everything the tests need (.venv with the test extras; tmux from Debian when run as root),
# then runs the whole suite with pytest. Arguments go to pytest: ./test.sh -k cli
set -euo pipefail
cd "$(dirname "$0")"
. scripts/venv.sh
command -v tmux >/dev/null 2>&1 || apt_install tmux || echo "tmux missing: its end-to-end test will be skipped" >&2
ensure_venv "test"
exec .venv/bin/python -m pytest "$@"
