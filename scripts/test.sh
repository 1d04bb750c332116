#!/usr/bin/env bash
# Set up and run every check: lint, format, the unit and in-process tests, and the
# end-to-end Telegram tests against the local Bot API emulator (installed from its lock file).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
if [ ! -d tests/e2e/emulator/node_modules ]; then
  npm ci --prefix tests/e2e/emulator --no-audit --no-fund --loglevel=error
fi
ruff check .
ruff format --check .
# one test process per core (at most TEST_WORKERS, default 4), each starting on its own half of the tests
# (worksteal), so two processes seldom wait for the same index; indexes are built once and shared
python -m pytest -q -n auto --maxprocesses "${TEST_WORKERS:-4}" --dist worksteal "$@"
