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
python -m pytest -q "$@"
