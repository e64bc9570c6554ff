#!/usr/bin/env bash
# Sets up .venv on first use, then opens the csrpractice app. Arguments go to csrpractice:
#   ./run.sh                 the app
#   ./run.sh score "TEXT"    any sub-command
set -euo pipefail
cd "$(dirname "$0")"
. scripts/venv.sh
ensure_venv ""
exec .venv/bin/csrpractice "$@"
