#!/usr/bin/env bash
# The main job: set up, build the index from knowledge/ if needed, then
#   - with TELEGRAM_BOT_TOKEN set: run the Telegram bot (python -m bot serve, long polling);
#   - without it, in a terminal: a console chat;
#   - without it and without a terminal: answer the sample questions.
# Extra arguments go to `python -m bot serve` (e.g. --webhook-url …).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
python -m bot build --quiet
if [ -n "${TELEGRAM_BOT_TOKEN:-}" ]; then
  exec python -m bot serve "$@"
elif [ -t 0 ]; then
  echo "TELEGRAM_BOT_TOKEN 未设置：进入控制台问答（设置后即运行 Telegram 机器人）。"
  exec python -m bot chat
else
  echo "TELEGRAM_BOT_TOKEN 未设置，也没有终端：回答示例问题。"
  exec python -m bot demo
fi
