#!/usr/bin/env python
"""Synthetic work reports for scale benchmarks, derived from the real seed report in knowledge/.

The benchmark needs knowledge bases of 1 … 1,000 reports whose answers are known. Inventing prose would
test nothing the engine meets; copying the seed 1,000 times would make every answer identical and
every question ambiguous. So each synthetic report is the seed with three things changed, all
determined by (seed, city, review year) alone — a report is the same whichever size it is part of, and
the first ``n`` reports of a larger base are exactly the base of size ``n``:

* the city: every "苏州" becomes the report's city (苏州/无锡/常州/南通/… — 179 prefecture-level cities);
* the years: the review year becomes 2019 … 2024 and every year mention ("2021 年", "2020 年同期",
  "2022 沪苏同城…", the title and the section headings) shifts by the same offset;
* the numbers: every other Arabic number is multiplied by one seeded factor per report
  (``FACTOR_MIN`` … ``FACTOR_MAX``), rounded to the decimals it was written with. Durations
  ("连续 15 年"), names ("G60") and quoted slogans ("“0 到 1”") are left alone. Reports are not kept
  internally consistent (a share may exceed 100 %, a total may not add up): that is not what is measured.

For every report the generator records the ground truth of ``len(TRUTH_TEMPLATES)`` questions, e.g.
"无锡2020年遴选瞪羚企业多少家" → the number written into that report, and which report must be cited.

Usable as a module (``make_reports``, ``write_knowledge_base``) or as a script::

    python scripts/synth_reports.py --count 10 --out /tmp/kb10     # → /tmp/kb10/knowledge/*.md + ground_truth.jsonl
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_REPORT = ROOT / "knowledge" / "suzhou-keji-2021-summary-2022-plan.md"
SEED_CITY = "苏州"
SEED_YEAR = 2021  # the seed's review year; its plan year is SEED_YEAR + 1
DEFAULT_SEED = 20240601
YEARS: tuple[int, ...] = (2019, 2020, 2021, 2022, 2023, 2024)  # review years of the synthetic reports
YEAR_WINDOW = range(2010, 2031)  # a 4-digit integer in this range in the seed is a year, never a quantity
FACTOR_MIN = 0.5  # per-report multiplier of every quantity, drawn uniformly from [FACTOR_MIN, FACTOR_MAX]
FACTOR_MAX = 2.0
FACTOR_DECIMALS = 3
KNOWLEDGE_SUBDIR = "knowledge"
TRUTH_FILE = "ground_truth.jsonl"

# Prefecture-level cities (江苏, 浙江, 安徽, 福建, 江西, 山东, 河南, 湖北, 湖南, 广东, 河北, 山西, 四川):
# 179 × 6 years = 1,074 distinct (city, year) reports, enough for the 1,000-report base.
CITIES: tuple[str, ...] = (
    *("苏州", "无锡", "常州", "南通", "南京", "扬州", "镇江", "泰州", "盐城", "淮安", "宿迁", "徐州", "连云港"),
    *("杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水"),
    *("合肥", "芜湖", "蚌埠", "淮南", "马鞍山", "淮北", "铜陵", "安庆", "黄山", "滁州", "阜阳", "宿州"),
    *("六安", "亳州", "池州", "宣城"),
    *("福州", "厦门", "莆田", "三明", "泉州", "漳州", "南平", "龙岩", "宁德"),
    *("南昌", "景德镇", "萍乡", "九江", "新余", "鹰潭", "赣州", "吉安", "宜春", "抚州", "上饶"),
    *("济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁", "泰安", "威海", "日照", "临沂"),
    *("德州", "聊城", "滨州", "菏泽"),
    *("郑州", "开封", "洛阳", "平顶山", "安阳", "鹤壁", "新乡", "焦作", "濮阳", "许昌", "漯河", "三门峡"),
    *("南阳", "商丘", "信阳", "周口", "驻马店"),
    *("武汉", "黄石", "十堰", "宜昌", "襄阳", "鄂州", "荆门", "孝感", "荆州", "黄冈", "咸宁", "随州"),
    *("长沙", "株洲", "湘潭", "衡阳", "邵阳", "岳阳", "常德", "张家界", "益阳", "郴州", "永州", "怀化", "娄底"),
    *("广州", "韶关", "深圳", "珠海", "汕头", "佛山", "江门", "湛江", "茂名", "肇庆", "惠州", "梅州"),
    *("汕尾", "河源", "阳江", "清远", "东莞", "中山", "潮州", "揭阳", "云浮"),
    *("石家庄", "唐山", "秦皇岛", "邯郸", "邢台", "保定", "张家口", "承德", "沧州", "廊坊", "衡水"),
    *("太原", "大同", "阳泉", "长治", "晋城", "朔州", "晋中", "运城", "忻州", "临汾", "吕梁"),
    *("成都", "自贡", "攀枝花", "泸州", "德阳", "绵阳", "广元", "遂宁", "内江", "乐山", "南充", "眉山"),
    *("宜宾", "广安", "达州", "雅安", "巴中", "资阳"),
)
MAX_REPORTS = len(CITIES) * len(YEARS)

_FRONT_MATTER = re.compile(r"\A\s*---\s*\n(.*?)\n---\s*\n", re.S)
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")
_QUOTED = re.compile(r"“[^”]*”")
_DURATION_AFTER = re.compile(r"\s*年")  # "连续 15 年": a count of years, kept as written


@dataclass(frozen=True)
class TruthTemplate:
    """A question whose answer is one number of the seed, located by a unique ``anchor`` around it."""

    question: str  # with {city}, {year} (review year) and {plan} (plan year)
    anchor: str  # verbatim seed text containing ``number`` once; must occur exactly once in the seed
    number: str  # the number as written in the seed
    unit: str  # the unit the question asks in (and the gold value is in)


TRUTH_TEMPLATES: tuple[TruthTemplate, ...] = (
    TruthTemplate("{city}{plan}年遴选瞪羚企业多少家", "遴选瞪羚企业350家", "350", "家"),
    TruthTemplate("{city}{year}年高新技术企业申报数是多少家", "达 10252 家", "10252", "家"),
    TruthTemplate("{city}{year}年科贷通解决贷款多少亿元", "解决贷款 84.11 亿元", "84.11", "亿元"),
    TruthTemplate("{city}{plan}年有效高企目标是多少家", "有效高企数达到12000家", "12000", "家"),
    TruthTemplate("{city}{year}年新引进外国人才多少人", "新引进外国人才 3251 人", "3251", "人"),
    TruthTemplate("{city}{year}年认定高企多少家", "认定高企 3755 家", "3755", "家"),
    TruthTemplate("{city}{year}年技术合同成交额是多少亿元", "共登记上报 758 亿元", "758", "亿元"),
    TruthTemplate("{city}{plan}年培育初级技术经纪人不少于多少人", "初级技术经纪人不少于 300 人", "300", "人"),
)


@dataclass(frozen=True)
class Truth:
    """One generated question with its known answer and the report that must be cited."""

    question: str
    value: str  # decimal string, in ``unit``
    unit: str
    doc_id: str
    title: str  # the report's title, which the answer's citation must name
    city: str
    year: int


@dataclass(frozen=True)
class SynthReport:
    doc_id: str
    city: str
    year: int  # review year; the plan year is year + 1
    factor: str  # the quantity multiplier, as a decimal string
    title: str
    text: str  # the full markdown file, front matter included
    truths: tuple[Truth, ...]

    @property
    def filename(self) -> str:
        return f"{self.doc_id}.md"


def report_plan(count: int, seed: int = DEFAULT_SEED) -> list[tuple[str, int]]:
    """The (city, review year) of the first ``count`` reports: a seeded shuffle of all pairs, so sizes nest."""
    if not 0 <= count <= MAX_REPORTS:
        raise ValueError(f"count must be 0 … {MAX_REPORTS} (cities × years), not {count}")
    pairs = list(itertools.product(CITIES, YEARS))
    random.Random(seed).shuffle(pairs)
    return pairs[:count]


def report_factor(city: str, year: int, seed: int = DEFAULT_SEED) -> Decimal:
    """The per-report quantity multiplier; depends only on (seed, city, year)."""
    rng = random.Random(f"{seed}:{city}:{year}")
    return Decimal(str(round(rng.uniform(FACTOR_MIN, FACTOR_MAX), FACTOR_DECIMALS)))


def scale_number(written: str, factor: Decimal) -> str:
    """``written`` × ``factor`` with as many decimals as it was written with; a positive count stays ≥ 1 unit."""
    decimals = len(written.split(".", 1)[1]) if "." in written else 0
    step = Decimal(1).scaleb(-decimals)
    scaled = (Decimal(written) * factor).quantize(step, rounding=ROUND_HALF_UP)
    if scaled == 0 and Decimal(written) != 0:
        scaled = step
    return f"{scaled:f}"


def transform_body(body: str, city: str, year_offset: int, factor: Decimal) -> tuple[str, dict[int, str]]:
    """Shift years, scale quantities, replace the city. Returns the text and {seed offset: new number}."""
    quoted = [m.span() for m in _QUOTED.finditer(body)]
    replaced: dict[int, str] = {}

    def number(match: re.Match[str]) -> str:
        written, start = match.group(0), match.start()
        if "." not in written and len(written) == 4 and int(written) in YEAR_WINDOW:
            new = str(int(written) + year_offset)
        elif (
            (start > 0 and body[start - 1].isascii() and body[start - 1].isalpha())  # "G60": part of a name
            or _DURATION_AFTER.match(body, match.end())
            or any(a < start < b for a, b in quoted)
        ):
            new = written
        else:
            new = scale_number(written, factor)
        replaced[start] = new
        return new

    shifted = _NUMBER.sub(number, body)
    return shifted.replace(SEED_CITY, city), replaced


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    fields = {}
    for line in match.group(1).splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields, text[match.end() :]


def doc_id_for(city: str, year: int) -> str:
    """ASCII, unique per (city, year), stable across sizes: ``synth-c017-2020``."""
    return f"synth-c{CITIES.index(city):03d}-{year}"


def make_report(seed_text: str, city: str, year: int, seed: int = DEFAULT_SEED) -> SynthReport:
    """One synthetic report (see the module docstring for what changes and what stays)."""
    front, body = _split_front_matter(seed_text)
    offset = year - SEED_YEAR
    factor = report_factor(city, year, seed)
    new_body, replaced = transform_body(body, city, offset, factor)
    title, _ = transform_body(front.get("title", ""), city, offset, Decimal(1))
    issuer = front.get("issuer", f"{SEED_CITY}市科学技术局").replace(SEED_CITY, city)
    doc_id = doc_id_for(city, year)
    header = "\n".join(
        (
            "---",
            f"title: {title}",
            f"issuer: {issuer}",
            f"city: {city}",
            f"period: {year}",
            f"plan_year: {year + 1}",
            f"date: {year + 1}-01",
            f"source: synthetic (scripts/synth_reports.py seed={seed} factor={factor}) from {SEED_REPORT.name}",
            "---",
            "",
        )
    )
    truths = []
    for template in TRUTH_TEMPLATES:
        at = body.find(template.anchor)
        if at < 0 or body.find(template.anchor, at + 1) >= 0:
            raise ValueError(f"anchor {template.anchor!r} must occur exactly once in the seed report")
        start = at + template.anchor.index(template.number)
        truths.append(
            Truth(
                question=template.question.format(city=city, year=year, plan=year + 1),
                value=replaced[start],
                unit=template.unit,
                doc_id=doc_id,
                title=title,
                city=city,
                year=year,
            )
        )
    return SynthReport(doc_id, city, year, str(factor), title, header + new_body, tuple(truths))


def make_reports(count: int, seed: int = DEFAULT_SEED, seed_report: Path = SEED_REPORT) -> list[SynthReport]:
    """The first ``count`` synthetic reports for ``seed``."""
    seed_text = seed_report.read_text(encoding="utf-8")
    return [make_report(seed_text, city, year, seed) for city, year in report_plan(count, seed)]


def write_knowledge_base(out_dir: Path, reports: list[SynthReport]) -> tuple[Path, Path]:
    """Write ``out_dir/knowledge/<doc>.md`` and ``out_dir/ground_truth.jsonl``; return both paths."""
    knowledge = out_dir / KNOWLEDGE_SUBDIR
    knowledge.mkdir(parents=True, exist_ok=True)
    for report in reports:
        (knowledge / report.filename).write_text(report.text, encoding="utf-8")
    truth_path = out_dir / TRUTH_FILE
    with truth_path.open("w", encoding="utf-8") as out:
        for report in reports:
            for truth in report.truths:
                out.write(json.dumps(asdict(truth), ensure_ascii=False) + "\n")
    return knowledge, truth_path


def read_truths(path: Path) -> list[Truth]:
    return [Truth(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10, help=f"reports to generate (1 … {MAX_REPORTS})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, required=True, help="folder for knowledge/ and ground_truth.jsonl")
    args = parser.parse_args(argv)
    knowledge, truths = write_knowledge_base(args.out, make_reports(args.count, args.seed))
    print(f"{args.count} reports → {knowledge}; ground truth → {truths}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
