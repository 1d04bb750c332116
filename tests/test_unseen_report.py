"""Reports the engine was not developed on, each written from scratch in another city's style.

``tests/data/unseen*/`` hold a report and 50 phone-style questions about it, both written by a helper
that saw neither the code nor the other question files. A report's first-look score is the honest
measure of how the engine carries over to new reports; what it showed is fixed by general rules
(never a rule for one of its sentences), and the floors below are a ratchet.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from answer_support import assert_value

from bot.embed import Embedder
from bot.engine import Engine
from bot.evaluate import QAEvaluator, Report

DATA = Path(__file__).resolve().parent / "data"
# 常州 2023 (Jiangsu style). First look: 58.0 % (29/50) — lookup 80 % (12/15), calc 32 % (8/25), refusal 90 %
# (9/10; 22年国家级孵化器 was back-computed with 众创空间's increment). After the rules it prompted (a change
# naming another subject, 离…目标 against the latest actual, a district's figure below the city's, 创新类 as
# one word, decimals of counts kept, 多少万 as money, an earlier share from 个百分点, 翻了一番 against a named
# year, a plan's level from its growth rate or multiple, 平均一项): 88 %.
# 嘉兴 2024 (Zhejiang style), written after those rules: first look 58.0 % (29/50) — lookup 73 % (11/15), calc
# 32 % (8/25), refusal 100 %, and five wrong numbers (a share of 827 %, an average over another indicator's
# count, R&D split into r and d …). After the rules it prompted (R&D, a share above its whole refused, one
# figure for both sides refused, counts not taken across a ；, 今年 absolute, a target named in a review, 382 名
# counts people, 创新券 as one word): 80 %.
# 合肥 2024 (Anhui style; thousands grouped with a space: "13 560 家"), written after all the rules above: first
# look 58.0 % (29/50) — lookup 67 % (10/15), calc 36 % (9/25), refusal 100 % — most misses one bug: "13 560" read
# as 560. With space-grouped thousands read whole, a year's new ones ranked below the stock, 占比 no comparison
# (占比23年 asks 2023), 同比分别增长 a% 和 b% paired in order with the levels before it, and “科技贷” one word:
# 80 % (lookup 14/15, calc 16/25), four wrong numbers left (a stock read as the year's 新增, a share of 新增 over
# the total, a completion rate of the wrong target, a hypothetical total).
# 青岛 2023 (Shandong style), written after every rule above and looked at once: first look 76.0 % (38/50) —
# lookup 80 % (12/15), calc 64 % (16/25), refusal 100 % — with one wrong number (今年…要是增长8%，得到多少亿
# answered with 2023's level: a given's 今年 was dropped). With the givens' relative years kept: 78 %.
# 无锡 2024 (Jiangsu style: districts listed with their figures, "1.xxx。" run-in paragraph titles), written after
# every rule above: first look 50.0 % (25/50) — lookup 27 % (4/15), calc 44 % (11/25), refusal 100 % — with eleven
# wrong numbers (新吴区's 高企 answered with the city's 6,512; "江阴市分别净增132家" read as 132 for 江阴; a 新增
# count for 国家级孵化器). 成都 2023 (Sichuan style), looked at together with 无锡: first look 70.0 % (35/50) —
# lookup 73 % (11/15), calc 56 % (14/25), refusal 100 % — eight wrong numbers. After the rules they prompted (分别
# lists paired in order, listed districts as words, a district never answered by another's figure, 其中-parts of a
# whole, thousands commas inside clauses, GDP = 地区生产总值, 今年 never "corrected" to 近年, the whole of a share
# is everything (占全市, 占全部…), a completion rate against the same year's target, a rate naming its own subject
# borrows none, a plan year's level from what it adds, a target from its 完成…目标任务的 share): 无锡 78 % (calc 80 %),
# 成都 90 % (calc 84 %).
# 武汉 2024 (Hubei style), written after every rule above and looked at once: first look 86.0 % (43/50) — lookup
# 90 % (9/10), calc 80 % (24/30), refusal 100 % — with four wrong numbers (全省十家 for the city's 八家; one figure
# stated twice taken for both sides of a ratio; "…目标1200家 还差多少" with no 离; 高企 of 去年 read as a narrower
# 营业收入超过1亿元的 group). With a wider scope counted at a figure never the city's, a quantity stated twice read
# once, and the gap to a target named first: 92 % (calc 87 %), one wrong number left (the narrower group).
# 西安 2023 (Shaanxi style), written after every rule above and looked at once: first look 60.0 % (30/50) — lookup
# 70 % (7/10), calc 50 % (15/30), refusal 80 % (8/10) — the refusals lost to 大前年 read as 前年 and a district the
# report never names (鄠邑区) answered with the city's 12,418. With 大前年, a district asked never answered by a
# figure that does not name it, a group narrowed by a clause ("在本地转化的…") ranked below the whole, 不在…的 as
# "all but", a stated quantity back-computed from where the report states its change, 全社会研发投入 =
# 全社会研发经费投入 and the four contract types as words: 82 % (calc 77 %), refusals 100 %.
# 郑州 2022 (Henan style), 厦门 2025 (Fujian style) and 长沙 2024 (Hunan style: "1.科技企业梯队持续壮大。" run-in
# leads, "（一）" headings as plain paragraphs), written together after every rule above and looked at once: first
# looks 郑州 62.0 % (calc 47 %), 厦门 50.0 % (calc 33 %; its index build failed on "全球百强" until a bare 百 was
# read as 100), 长沙 60.0 % (calc 50 %). Staff abbreviate (技合额 for 技术合同成交额), name districts by their short
# form (金水, 思明) in lists that hold only places ("从区域分布看，高新区、金水区…分别达到…", the indicator in the
# sentence before), ask "去年比前年增长了多少" (both years counted from today) and "今年目标比去年高几个点" of
# a rate level. After the rules they prompted (typed abbreviations expanded against the report's phrases, a
# breakdown sentence of places borrowing the sentence before, a level dated in its own words "比2023年的35.7亿元"
# / "上年为503件", 完成年度计划/净增任务的 as a completion, 个百分点 between rate levels and targets, a per-head figure
# no total, an amount a programme drew in no total, a count of those that did something no count of all, the part
# stated with its whole, a county named after its city a district, a target said before 还差, 增加值 a name, not an
# increase): 郑州 98 % (calc 97 %), 厦门 90 % (calc 90 %), 长沙 86 % (calc 87 %).
# 广州 2024 (Guangdong), 南昌 2023 (Jiangxi, a run-in "主要指标完成情况：…" paragraph) and 沈阳 2025 (Liaoning), written
# after every rule above and looked at once: first looks 广州 66 % (calc 53 %), 南昌 70 % (calc 63 %), 沈阳 78 % (calc
# 73 %), refusals 80-90 %. What they showed: a number alone in an aside ("约占全省有效高企（7.56万家）") is what
# the words before it name, and the province's; "全省…覆盖率达到45.1%" is the province's though a share; a
# 覆盖率/强度 question asks a rate; a net increase belongs to the level right after it, not one a completion rate
# later; a stated share answers "占全省百分之几" only when it is a share of something. Derived answers (a target
# behind its completion rate, a plan's level) settle in the lexical pass when their figures were chosen plainly.
# Then 广州 82 % (calc 70 %), 南昌 78 % (calc 70 %), 沈阳 84 % (calc 80 %); 厦门 92 % (calc 93 %).
# 昆明, 济南, 宁波 (round 3, written by helpers that saw no code, looked at once after round 2's rules): first
# look 84 % (calc 83 %), 80 % (calc 77 %), 86 % (calc 83 %). What they showed: a narrowing word inside the asked
# words (每万人口[高价值]发明专利拥有量) names another indicator; "…其中技术交易额98.6亿元" makes 技术交易额 a part
# of 技术合同成交额 in that report, though a synonym in others; a list "A区净增146家、B区78家" counts 净增 in every
# item; "等一批龙头企业", "部分县（市）区" are no city figure; 全省 alone names no operand. Now 昆明 90 % (calc
# 90 %), 济南 80 % (calc 77 %), 宁波 86 % (calc 83 %); 南昌 84 % (calc 77 %), 长沙 90 %, 广州 84 %.
# 福州, 贵阳, 佛山, 太原 (round 4, written by helpers that saw no code, looked at once after round 3's rules): first
# look 70 % (calc 63 %), 86 % (calc 80 %), 84 % (calc 77 %), 74 % (calc 63 %). What they showed: a measure or
# total borrows the noun of the clause before ("登记技术合同…，成交额…", "新增…9家，累计达到92家"); an aside joins a
# name ("闽侯县（含高新区）203家", "研究与试验发展（R&D）经费投入"); a list's 新增 or 全省 is every item's; a change
# (净增) is no stock and a stock is compared with a stock; a comparison's second side naming its own thing is that
# thing; a group's measure ("科技小巨人企业研发投入强度") and a programme's amount ("促成…") are not the city's.
# Then 福州 92 % (calc 87 %), 贵阳 98 % (calc 97 %), 佛山 88 % (calc 83 %), 太原 92 % (calc 87 %).
# 温州, 南宁, 大连, 石家庄 (round 5, written by helpers that saw no code, looked at once after round 4's rules): first
# look 76 % (calc 73 %), 66 % (calc 57 %), 78 % (calc 67 %), 90 % (calc 83 %). What they showed: 全区 is an
# autonomous region's scope; a count followed by its share of 全市 is a part; a whole written apart (登记技术合同…，
# 成交额…) names the compound, so "其中输出技术合同成交额" is the part; a plan's level set as a net increase is last
# year's stock plus it; a wider scope's level after 高于 ("高于全省2.19%的平均水平") borrows the measure before;
# names may end the clause before 分别; 争取…资助 in a review was secured; a clause "不是…的" after the question is
# no part of it. Then 温州 94 % (calc 93 %), 南宁 94 % (calc 90 %), 大连 92 % (calc 87 %), 石家庄 96 % (calc 93 %).
# 兰州, 呼和浩特, 徐州, 洛阳 (round 6, written by helpers that saw no code, looked at once after round 5's rules at
# 22578fa): first look 88 % (calc 87 %), 86 % (calc 83 %), 68 % (calc 63 %), 72 % (calc 67 %). What they showed: a
# district's figure naming the indicator as typed must not outrank the city's named by a synonym; "其中，" leading a
# sentence makes its measures parts of the sentence before; a plan's number not asked for yields to what is; a year's
# amount is compared with a year's (not 累计); "A在B里占比"; "23年到24年" puts the later year last. Then 兰州 92 %
# (calc 90 %), 呼和浩特 88 % (calc 87 %), 徐州 72 % (calc 67 %), 洛阳 86 % (calc 87 %).
# 哈尔滨, 南通, 泉州, 绵阳 (round 7, written by helpers that saw no code, looked at once after round 6's rules at
# c8a1d98): first look 86 % (calc 87 %), 88 % (calc 83 %), 86 % (calc 80 %), 76 % (calc 63 %). What they showed:
# places joined by 和 share the words after the last ("南岗和松北科小入库"), as do the words after 一共 or after the
# comparison ("高新区比涪城区去年多认定了几家高企"); a list of places adding up to a stock before it breaks that
# stock down (no 新认定 of a district); "在2023年净增506家的基础上再净增412家" dates the 506 only; a year in an aside
# or said mid-sentence dates its aside or ；-part only; a completion, rank or share clause borrows its subject;
# "上年这一比重仅为20.1%" is the year before's; a growth of another measure ("瞪羚企业平均营业收入增速", "成交额…
# 增长15.3%" for 项数) is no growth asked; an abbreviation may lead a phrase's own words (国重+研发计划); 从X到Y
# orders a comparison; 多放 is 多 + a verb; "按目标增速算" grows last year's actual by the plan's rate though the plan
# states a level too. Then 哈尔滨 100 %, 南通 96 % (calc 93 %), 泉州 98 % (calc 97 %), 绵阳 100 %.
# 东莞, 长春, 芜湖, 宜昌 (round 8, written by helpers that saw no code, each looked at once as it arrived, at d1d55ef,
# 74f6ad3 and 32a0dbd after this round's first rules): first look 80 % (calc 77 %), 80 % (calc 77 %), 82 % (calc 70 %),
# 80 % (calc 77 %). What they showed: towns (镇) and subdistricts (街道) are places, written without their suffix in
# lists ("松山湖、长安、塘厦…分别"); the whole of a share named by its scope alone is the whole of the same thing (all
# 新认定 ones); a net increase is not the province's total after it; 研究与试验发展（R&D） is R&D; a stated share
# answers only when it is of the whole asked; a clause saying how to compute ("去年净增那个倒推一下") asks nothing.
REFUSAL_FLOOR = 0.97  # share of each report's unanswerable questions refused (where a report measured 100 %)


def _unseen(
    folder: str, report: str, questions: str, *, lookup: float, calc: float, refusal: float = REFUSAL_FLOOR
) -> tuple[Path, Path, dict]:
    """A report, its question file and its accuracy floors per question type."""
    floors = {"lookup": lookup, "calc": calc, "refusal": refusal}
    return DATA / folder / report, DATA / folder / questions, floors


UNSEEN = {
    "changzhou": _unseen(
        "unseen", "changzhou-keji-2023-summary-2024-plan.md", "changzhou_qa.jsonl", lookup=1.0, calc=0.8
    ),
    "hefei": _unseen("unseen3", "hefei-kjj-2024-summary-2025-plan.md", "hefei_qa.jsonl", lookup=1.0, calc=0.88),
    "qingdao": _unseen("unseen4", "qingdao-kjj-2023-summary-2024-plan.md", "qingdao_qa.jsonl", lookup=0.8, calc=0.76),
    "jiaxing": _unseen("unseen2", "jiaxing-kjj-2024-work-summary.md", "jiaxing_qa.jsonl", lookup=0.93, calc=0.84),
    "wuxi": _unseen("unseen5", "wuxi-kjj-2024-summary-2025-plan.md", "wuxi_qa.jsonl", lookup=0.8, calc=0.84),
    "chengdu": _unseen("unseen6", "chengdu-kjj-2023-summary-2024-plan.md", "chengdu_qa.jsonl", lookup=0.93, calc=0.92),
    "wuhan": _unseen("unseen7", "wuhan-kjj-2024-summary-2025-plan.md", "wuhan_qa.jsonl", lookup=0.97, calc=0.93),
    "xian": _unseen("unseen8", "xian-kjj-2023-summary-2024-plan.md", "xian_qa.jsonl", lookup=0.9, calc=0.86),
    "zhengzhou": _unseen(
        "unseen9", "zhengzhou-kjj-2022-summary-2023-plan.md", "zhengzhou_qa.jsonl", lookup=1.0, calc=0.96
    ),
    "xiamen": _unseen("unseen10", "xiamen-kjj-2025-summary-2026-plan.md", "xiamen_qa.jsonl", lookup=0.9, calc=0.93),
    "changsha": _unseen(
        "unseen11", "changsha-kjj-2024-summary-2025-plan.md", "changsha_qa.jsonl", lookup=0.9, calc=0.96
    ),
    "guangzhou": _unseen(
        "unseen12", "guangzhou-kjj-2024-summary-2025-plan.md", "guangzhou_qa.jsonl", lookup=1.0, calc=0.76
    ),
    "nanchang": _unseen(
        "unseen13", "nanchang-kjj-2023-summary-2024-plan.md", "nanchang_qa.jsonl", lookup=0.9, calc=0.86
    ),
    "shenyang": _unseen(
        "unseen14", "shenyang-kjj-2025-summary-2026-plan.md", "shenyang_qa.jsonl", lookup=1.0, calc=0.83, refusal=0.9
    ),
    # round 3, floors one question under what each measured (the order of the reports' names taught to jieba)
    "kunming": _unseen(
        "unseen15", "kunming-kjj-2022-summary-2023-plan.md", "kunming_qa.jsonl", lookup=0.9, calc=0.9, refusal=0.9
    ),
    "jinan": _unseen(
        "unseen16", "jinan-kjj-2024-summary-2025-plan.md", "jinan_qa.jsonl", lookup=0.9, calc=0.86, refusal=0.9
    ),
    "ningbo": _unseen(
        "unseen17", "ningbo-kjj-2023-summary-2024-plan.md", "ningbo_qa.jsonl", lookup=0.9, calc=0.93, refusal=0.9
    ),
    # round 4, floors one question under what each measured
    "fuzhou": _unseen(
        "unseen18", "fuzhou-kjj-2024-summary-2025-plan.md", "fuzhou_qa.jsonl", lookup=0.9, calc=0.86, refusal=0.9
    ),
    "guiyang": _unseen(
        "unseen19", "guiyang-kjj-2023-summary-2024-plan.md", "guiyang_qa.jsonl", lookup=0.9, calc=0.93, refusal=0.9
    ),
    "foshan": _unseen(
        "unseen20", "foshan-kjj-2025-summary-2026-plan.md", "foshan_qa.jsonl", lookup=0.8, calc=0.9, refusal=0.9
    ),
    "taiyuan": _unseen(
        "unseen21", "taiyuan-kjj-2022-summary-2023-plan.md", "taiyuan_qa.jsonl", lookup=0.9, calc=0.9, refusal=0.9
    ),
    # round 5, floors one question under what each measured
    "wenzhou": _unseen(
        "unseen22", "wenzhou-kjj-2024-summary-2025-plan.md", "wenzhou_qa.jsonl", lookup=0.9, calc=0.9, refusal=0.8
    ),
    "nanning": _unseen(
        "unseen23", "nanning-kjj-2023-summary-2024-plan.md", "nanning_qa.jsonl", lookup=0.9, calc=0.93, refusal=0.9
    ),
    "dalian": _unseen(
        "unseen24", "dalian-kjj-2024-summary-2025-plan.md", "dalian_qa.jsonl", lookup=0.9, calc=0.96, refusal=0.9
    ),
    "shijiazhuang": _unseen(
        "unseen25",
        "shijiazhuang-kjj-2022-summary-2023-plan.md",
        "shijiazhuang_qa.jsonl",
        lookup=0.9,
        calc=0.9,
        refusal=0.9,
    ),
    # round 6 (兰州, 呼和浩特, 徐州, 洛阳): floors one question under what each measured
    "lanzhou": _unseen(
        "unseen26", "lanzhou-kjj-2023-summary-2024-plan.md", "lanzhou_qa.jsonl", lookup=0.9, calc=0.9, refusal=0.9
    ),
    "huhehaote": _unseen(
        "unseen27", "huhehaote-kjj-2024-summary-2025-plan.md", "huhehaote_qa.jsonl", lookup=0.8, calc=0.93, refusal=0.8
    ),
    "xuzhou": _unseen(
        "unseen28", "xuzhou-kjj-2022-summary-2023-plan.md", "xuzhou_qa.jsonl", lookup=0.7, calc=0.76, refusal=0.9
    ),
    "luoyang": _unseen(
        "unseen29", "luoyang-kjj-2024-summary-2025-plan.md", "luoyang_qa.jsonl", lookup=0.8, calc=0.93, refusal=0.8
    ),
    # round 7 (哈尔滨, 南通, 泉州, 绵阳): floors one question under what each measured
    "harbin": _unseen(
        "unseen30", "harbin-kjj-2023-summary-2024-plan.md", "harbin_qa.jsonl", lookup=0.9, calc=0.96, refusal=0.9
    ),
    "nantong": _unseen(
        "unseen31", "nantong-kjj-2024-summary-2025-plan.md", "nantong_qa.jsonl", lookup=0.9, calc=0.96, refusal=0.9
    ),
    "quanzhou": _unseen(
        "unseen32", "quanzhou-kjj-2022-summary-2023-plan.md", "quanzhou_qa.jsonl", lookup=0.9, calc=0.93, refusal=0.9
    ),
    "mianyang": _unseen(
        "unseen33", "mianyang-kjj-2025-summary-2026-plan.md", "mianyang_qa.jsonl", lookup=0.9, calc=0.96, refusal=0.9
    ),
    # round 8 (东莞, 长春, 芜湖, 宜昌): floors one question under what each measured
    "dongguan": _unseen(
        "unseen34", "dongguan-kjj-2022-summary-2023-plan.md", "dongguan_qa.jsonl", lookup=0.9, calc=0.93, refusal=0.7
    ),
    "changchun": _unseen(
        "unseen35", "changchun-kjj-2024-summary-2025-plan.md", "changchun_qa.jsonl", lookup=0.8, calc=0.83, refusal=0.7
    ),
    "wuhu": _unseen(
        "unseen36", "wuhu-kjj-2023-summary-2024-plan.md", "wuhu_qa.jsonl", lookup=0.9, calc=0.73, refusal=0.9
    ),
    "yichang": _unseen(
        "unseen37", "yichang-kjj-2025-summary-2026-plan.md", "yichang_qa.jsonl", lookup=0.9, calc=0.9, refusal=0.7
    ),
    # round 9 (烟台, 株洲, 湖州, 柳州, 银川): floors one question under what each measured
    "yantai": _unseen(
        "unseen38", "yantai-kjj-2023-summary-2024-plan.md", "yantai_qa.jsonl", lookup=0.9, calc=0.93, refusal=0.9
    ),
    "zhuzhou": _unseen(
        "unseen39", "zhuzhou-kjj-2022-summary-2023-plan.md", "zhuzhou_qa.jsonl", lookup=0.9, calc=0.86, refusal=0.9
    ),
    "huzhou": _unseen(
        "unseen40", "huzhou-kjj-2024-summary-2025-plan.md", "huzhou_qa.jsonl", lookup=0.9, calc=0.9, refusal=0.9
    ),
    "liuzhou": _unseen(
        "unseen41", "liuzhou-kjj-2023-summary-2024-plan.md", "liuzhou_qa.jsonl", lookup=0.9, calc=0.96, refusal=0.9
    ),
    "yinchuan": _unseen(
        "unseen42", "yinchuan-kjj-2022-summary-2023-plan.md", "yinchuan_qa.jsonl", lookup=0.9, calc=0.93, refusal=0.9
    ),
    # round 10 (台州, 包头): floors one question under what each measures
    "taizhou": _unseen(
        "unseen43", "taizhou-kjj-2024-summary-2025-plan.md", "taizhou_qa.jsonl", lookup=0.9, calc=0.9, refusal=0.9
    ),
    "baotou": _unseen(
        "unseen44", "baotou-kjj-2024-summary-2025-plan.md", "baotou_qa.jsonl", lookup=0.9, calc=0.86, refusal=0.9
    ),
}
# found answers with a different number, per report (refusals are not counted): the most either of two runs measured
# last — one report after another, and every report's names taught to jieba first. A figure stated twice is now
# cited in both places, and 名/位 are read as the judge should, so 无锡's, 成都's, 长沙's and 南通's are gone. 常州's
# second: "申报通过律" (率 typed as 律) is answered with 申报 2151 家 — a rate question read as a lookup.
MAX_WRONG = {"changzhou": 2, "jiaxing": 0, "hefei": 1, "qingdao": 0, "wuxi": 0, "chengdu": 0, "wuhan": 0, "xian": 1}
MAX_WRONG |= {"zhengzhou": 0, "xiamen": 0, "changsha": 0, "guangzhou": 3, "nanchang": 1, "shenyang": 0}
MAX_WRONG |= {"kunming": 1, "jinan": 0, "ningbo": 0, "fuzhou": 0, "guiyang": 0, "foshan": 1, "taiyuan": 0}
MAX_WRONG |= {"wenzhou": 1, "nanning": 0, "dalian": 0, "shijiazhuang": 1}
MAX_WRONG |= {"lanzhou": 0, "huhehaote": 1, "xuzhou": 6, "luoyang": 1}
# 泉州's: the plan's 4,500 for the province's 任务 behind "完成省下达任务的127.5%"
MAX_WRONG |= {"harbin": 0, "nantong": 0, "quanzhou": 1, "mianyang": 0}
MAX_WRONG |= {"dongguan": 3, "changchun": 3, "wuhu": 3, "yichang": 2}
# 株洲's: 约21家 (counts rounded) where 20.87 is asked, and 国家级项目 46 项 for 国家级 资金; 烟台's: a field's
# (海洋科技项目) 平均每项; 湖州's: the plan's 新认定 target for a 年度目标 the review's completion rate implies
MAX_WRONG |= {"yantai": 1, "zhuzhou": 2, "huzhou": 1, "liuzhou": 0, "yinchuan": 0}
# 台州's: "领雁" alone for the 尖兵领雁 projects; the fund's 总规模 for its 投资金额
# 包头's: the stated share (占全区的20.6%) answered without the 有效高企 it is of; a plan's 稀土高新区 target summed
MAX_WRONG |= {"taizhou": 2, "baotou": 2}


@pytest.fixture(scope="module")
def engines(build_once: Callable[[str, Path], Path], embedder: Embedder) -> Callable[[str], Engine]:
    """The engine over one unseen report alone: its index built once per test run, loaded once per process."""
    built: dict[str, Engine] = {}

    def engine_for(name: str) -> Engine:
        if name not in built:
            built[name] = Engine.load(build_once(f"unseen-{name}", UNSEEN[name][0]), embedder)
        return built[name]

    return engine_for


@pytest.fixture(scope="module", params=list(UNSEEN))
def unseen(request: pytest.FixtureRequest, engines: Callable[[str], Engine]):
    engine = engines(request.param)
    _, qa_file, floors = UNSEEN[request.param]
    return request.param, engine, QAEvaluator.from_file(qa_file)(engine.ask), floors


@pytest.mark.slow
def test_accuracy_on_reports_never_developed_on(unseen: tuple[str, Engine, Report, dict[str, float]]) -> None:
    name, _, report, floors = unseen
    by_type = report.by_type()
    for kind, floor in floors.items():
        right, total = by_type[kind]
        assert right / total >= floor, f"{name} {kind}: {right}/{total}\n{report.format()}"


@pytest.mark.slow
def test_refusals_and_wrong_numbers(unseen: tuple[str, Engine, Report, dict[str, float]]) -> None:
    """A question the report cannot answer is refused; a found answer is rarely a different number."""
    name, _, report, _ = unseen
    wrong = [o for o in report.outcomes if o.answer["found"] and not o.correct and o.item["type"] != "fact"]
    assert len(wrong) <= MAX_WRONG[name], [(o.item["question"], o.answer["answer"]) for o in wrong]


# What each report's questions taught, pinned: (report, question, value, unit) — the comment says the rule
ANSWERS = [
    ("changzhou", "离24年高企6000家目标还差多少家", 764, "家"),  # the latest actual 有效高企, not 新认定
    ("changzhou", "万人发明专利离24年目标还差多少件", 7.7, "件"),  # 62.3 件 keeps its decimal
    ("changzhou", "领军人才创新类是创业类的几倍", 2.48, "倍"),  # 创新类 312 (stated), not the whole 438
    ("changzhou", "22年高新技术产业产值占规上比重是多少", 48.6, "%"),  # 50.2%，较上年提高 1.6 个百分点
    ("changzhou", "20年的时候新型研发机构有几家", 56, "家"),  # 112 家，较 2020 年翻了一番
    ("changzhou", "市级重点研发平均每个项目给了多少万", 104.92, "万元/项"),  # 多少万 is money: 3.2 亿元 ÷ 305 项
    ("changzhou", "24年市级财政科技支出最少要到多少亿", 50.54, "亿元"),  # 46.8 亿元 grown by the plan's 不低于 8%
    ("changzhou", "龙城科技贷24年要翻一番，那是多少亿", 116.8, "亿元"),  # 58.4 亿元，力争较 2023 年翻一番
    ("changzhou", "技术合同平均一项成交多少万", 631.54, "万元/项"),  # 平均一项: 386.5 亿元 ÷ 6120 项
    ("changzhou", "研发投入强度23年到多少了", 3.35, "%"),  # the level, not its change (多少了 ≠ 少了)
    ("jiaxing", "23年R&D占GDP比重是多少", 3.83, "%"),  # R&D is 研发: 3.95%，较上年提高 0.12 个百分点
    ("jiaxing", "技术交易额离今年目标还差多少亿", 31.5, "亿元"),  # 今年 is the plan year 2025, not the other side's
    ("jiaxing", "去年技术交易额完成年度目标的百分之几", 107.4, "%"),  # "超额完成 250 亿元的年度目标" is a target
    ("jiaxing", "23年底高企总数是多少", 4163, "家"),  # 总数达 4865 家，净增 702 家 (not 新认定 1126 家)
    ("hefei", "24年科小入库了几家", 13560, "家"),  # "13 560 家": thousands grouped with a space
    ("hefei", "科技贷23年投放多少亿", 332.22, "亿元"),
    ("hefei", "技合额多少亿", 1086.3, "亿元"),  # the report says 技术合同登记额: 技合额 abbreviates its listed name
    ("hefei", "科技贷去年一共放了多少钱", 386.7, "亿元"),  # “科技贷” is one word; 钱 asks money, names nothing
    ("wuxi", "新吴区高企有多少家", 1799, "家"),  # "从区域分布看，新吴区1,799家、…": not the city's 6,512
    ("wuxi", "江阴研发投入占比是多少", 3.62, "%"),  # 新吴区、江阴市、滨湖区…分别达4.85%、3.62%和3.98%
    ("wuxi", "新吴区高企比江阴多多少家", 671, "家"),
    ("wuxi", "江阴和宜兴的高企加起来多少家", 1810, "家"),
    ("wuxi", "国家级孵化器有几家", 36, "家"),  # 孵化器98家，其中国家级36家 — not 新增国家级…4家
    ("wuxi", "国家级孵化器占全部孵化器的比例多少", 36.73, "%"),  # the whole is every 孵化器, not the 国家级 ones
    ("wuxi", "新吴区高企占全市的比重是多少", 27.63, "%"),
    ("wuxi", "24年无锡R&D占GDP比重多少", 3.45, "%"),  # 研发投入占地区生产总值比重
    ("wuxi", "国家级专精特新小巨人总数多少", 208, "家"),  # "总数达208家", not the year's 新增 37 家
    ("wuxi", "25年底新型研发机构计划达到多少家", 96, "家"),  # 累计达86家 + 2025年新增…10家, never the 10 alone
    ("wuxi", "高企离7000家的目标还差多少家", 488, "家"),  # the number names the target, whatever its year
    ("wuxi", "24年技术合同额年度目标定的多少亿", 599.91, "亿元"),  # 684.5 ÷ 114.1%, beside its completion
    ("chengdu", "高企年度目标完成率是多少", 110.07, "%"),  # 13,208 ÷ 2023's 1.2万家, not ÷ 2024's 1.5万家
    ("chengdu", "科小入库24年目标比23年要增长多少%", 15.95, "%"),  # not 技术合同成交额增长8% (its own subject)
    ("chengdu", "今年研发强度目标定的多少", 3.7, "%"),  # 今年 stays 今年 (the report writes 近年, never 今年)
    ("chengdu", "高新区高企占全市高企的比重是多少", 34.16, "%"),  # not ÷ "全市高企…过百亿元的企业21家"
    ("chengdu", "技术转让和技术咨询合同成交额加起来多少亿", 211.4, "亿元"),  # the i-th name of a 分别 list
    ("chengdu", "高新区天府新区武侯双流郫都成华这6个区高企加起来多少家", 8979, "家"),  # no 和 or 、
    ("chengdu", "国家级孵化载体现在累计有几家", 76, "家"),  # 累计达到268家，其中国家级76家
    ("chengdu", "去年技术合同成交额的年度目标任务是多少亿元", 1399.91, "亿元"),  # 完成年度目标任务的109.1%
    ("wuhan", "湖北实验室在武汉的有几家", 8, "家"),  # 全省十家湖北实验室中有八家布局在汉: 十家 is the province's
    ("wuhan", "科小入库数是高企总数的几倍", 1.21, "倍"),  # 18,523 is stated twice: never both sides of the ratio
    ("wuhan", "蹬羚企业今年目标1200家 还差多少家", 93, "家"),  # no 离: the target first, then now
    ("wuhan", "今年高企要突破1.6万家 跟去年比还差多少家", 673, "家"),  # not 营业收入超过1亿元的 1,862 家
    ("chengdu", "22年底高企总数是多少家", 11332, "家"),  # 13,208 stated twice; its 净增 beside one of them
    ("xian", "前年全市高企一共多少家", 10472, "家"),  # 12,418 − 1,946 (前年 = 2022)
    ("xian", "前年全社会研发投入有多少亿", 573.78, "亿元"),  # 全社会研发经费投入 621.4 亿元, +8.3 %
    ("xian", "技术合同额里不在本地转化的有多少亿", 2204.16, "亿元"),  # all but the 在本地转化的 part
    ("xian", "技术服务合同成交额占全部技术合同额的比重是多少", 55.24, "%"),
    ("xian", "去年技术合同额一共多少亿", 3386.52, "亿元"),  # the whole, not 在本地转化的 1,182.36
    ("zhengzhou", "去年全市技合额多少亿", 412.5, "亿元"),  # 技合额 = 技术合同成交额; 全市, not 金水区's 72.6
    ("zhengzhou", "高新区高企比金水区多多少家", 418, "家"),  # "从区域分布看，高新区、金水区…": the sentence before's
    ("zhengzhou", "高新区 金水 郑东新区三个地方高企一共多少家", 2607, "家"),
    ("zhengzhou", "新型研发机构去年比前年增长了百分之多少", 20.99, "%"),  # 总数达到98家 ← 新增17家: 98 ÷ 81
    ("zhengzhou", "国家级的孵化器现在有几家", 36, "家"),  # not "14家国家级孵化器获评优秀"; not a part of 增加9家
    ("zhengzhou", "按计划增速 今年技合额至少要到多少亿", 474.38, "亿元"),  # 412.5 × (1 + 15%): a level, no rate
    ("zhengzhou", "今年有效发明专利按目标增速大概要到多少件", 41650.7, "件"),  # not 每万人口高价值… 13.5 件
    ("zhengzhou", "规上工业企业研发活动覆盖率 今年目标比去年要高几个点", 11.4, "个百分点"),
    ("zhengzhou", "科技贷今年要突破25亿 比去年还差多少万元", 65300, "万元"),  # “科技贷” quoted: one word
    ("zhengzhou", "去年技合额的年度目标原本是多少亿", 300, "亿元"),  # 完成年度目标的137.5%
    ("xiamen", "发明专利授权量去年比前年涨了百分之几", 12.7, "%"),  # "上年为6,071件" is 2024's
    ("xiamen", "国家级孵化器占全市孵化器的比例", 27.94, "%"),  # 68家（其中国家级19家）, not 当年新增…2家
    ("xiamen", "技合额 思明比湖里多多少亿", 7.18, "亿元"),  # "思明、湖里、集美分别达到…": the sentence before names it
    ("xiamen", "去年高企净增任务原定多少家", 400, "家"),  # 完成年度净增任务的121.5%
    ("xiamen", "高企今年要破5100 离目标还差多少家", 488, "家"),  # the target said first, 离目标 points back
    ("xiamen", "24年研发强度我们比全省高多少个百分点", 1.44, "个百分点"),  # "R&D经费投入…，投入强度3.62%"
    ("xiamen", "科技信贷今年目标过百亿 跟去年比还差多少万元", 214000, "万元"),  # 百亿 is a number, not a word
    ("changsha", "市本级财政科技投入去年增长了百分之几", 8.12, "%"),  # "比2023年的35.7亿元增加2.9亿元"
    ("changsha", "长沙去年有效高企一共多少家", 8432, "家"),  # the city, not 长沙高新区's 2,315
    ("changsha", "高新区 经开区 湘江新区高企合计多少家", 4409, "家"),  # "湘江新区（不含长沙高新区）": an aside
    ("changsha", "长沙县 浏阳 宁乡三个地方技合额加起来多少", 145.2, "亿元"),  # 长沙县 is a county, not the city
    ("changsha", "前年底有效高企有多少家", 7716, "家"),  # 8,432 − 716, not a district's figure
    ("changsha", "今年研发强度目标比23年高几个百分点", 0.1, "个百分点"),  # the city's 3.25%, not 长沙县's 3.92%
    ("changsha", "科小今年按目标至少要到多少家", 13923.8, "家"),  # 12,658 × 1.1, not the summary's 近1.3万
    ("zhengzhou", "去年科技贷放款年度计划是多少亿", 15, "亿元"),  # 完成年度计划的123.1%
    ("zhengzhou", "巩义 新郑 荥阳 新密四个县市的高企加起来多少", 638, "家"),  # 新密 (rare in jieba) as listed
    ("xiamen", "高技术制造业占规上工业比重多少", 42.3, "%"),  # "…增加值占…比重达42.3%" is a share
    ("guangzhou", "前年底有效高企有多少家", 12234, "家"),  # 13,286 − 净增1,052, never the province's 7.56万
    ("guangzhou", "广州研发经费投入占全省百分之几", 24.33, "%"),  # "（同期全省研发经费投入5,082.6亿元…）"
    # round 9: each a rule learned from 烟台, 株洲, 湖州, 柳州 or 银川
    ("yinchuan", "22年技合额多少亿", 38.67, "亿元"),  # not 企业吸纳技术合同成交额 41.25 (one direction of the trade)
    ("yinchuan", "研发强度离今年目标还差几个百分点", 0.15, "个百分点"),  # not 灵武市's 1.94% (a county-led sentence)
    ("yinchuan", "去年知识产权质押融资比前年增长了百分之几", 103.16, "%"),  # 较上年（3.16亿元）: 2021's level
    ("yinchuan", "每万人发明专利是全区的几倍", 1.99, "倍"),  # 是全区平均水平（6.85件）
    ("yinchuan", "市级科技计划项目一共安排了多少万", 13600, "万元"),  # 安排财政科技资金1.36亿元: the projects' funding
    ("yinchuan", "自治区科技奖一等奖占我市获奖的比重", 13.16, "%"),  # 自治区 is no district
    ("yantai", "科创贷平均每家多少万", 777.17, "万元/家"),  # "烟台科创贷" is 科创贷 to staff
    ("yantai", "有效高企去年增长了百分之几", 20.93, "%"),  # not "总量较2020年增长78.1%"
    ("yantai", "省级新研机构去年增长了百分之几", 27.27, "%"),  # 新增9家，完成…112.5%，累计达到42家
    ("yantai", "21年全社会研发投入大概多少亿", 171.63, "亿元"),  # 193.6亿元（较上年增长12.8%）
    ("liuzhou", "去年柳州有效高企一共多少家", 1012, "家"),  # "五个县有效高企合计46家": 五个 is no figure
    ("liuzhou", "研发奖补资金平均每家企业拿了多少万", 16.52, "万元/家"),  # 奖补 is a word
    ("liuzhou", "今年科小入库目标比去年增长百分之几", 13.15, "%"),  # not 县域's 20% nor 5个县's 168 家
    ("liuzhou", "市级科技计划项目资金合多少万", 12600, "万元"),  # not 农业领域's 1,560 万元
    ("liuzhou", "今年专精特新小巨人目标至少多少家", 47, "家"),  # 截至年底…42家 + 新增5家以上
    ("liuzhou", "技合额完成率124.6%那自治区给的目标是多少亿", 54.99, "亿元"),  # the stated rate's target
    ("huzhou", "科小要完成今年目标得增长百分之几", 9.32, "%"),  # not 贷款余额's 增长20%以上
    ("guangzhou", "25年技合额目标比24年实际要增长百分之多少", 8, "%"),  # not 技术合同数's 增长6%以上 (a count)
    ("taizhou", "23年研发强度比全省低几个百分点", 0.18, "个百分点"),  # "…首次突破3%，但仍低于全省3.20%的平均水平"
    ("taizhou", "温岭临海椒江三地技合额加起来多少亿", 187.5, "亿元"),  # a place list after a parts sentence
    ("taizhou", "去年省市县三级科特派一共选派了多少名", 826, "人"),  # 省市县 is no place; 科特派 = 科技特派员
    ("changzhou", "按研发经费和强度倒推，23年全市GDP大概多少亿", 10107.46, "亿元"),  # 338.6 ÷ 3.35%
    ("taizhou", "按研发投入和研发强度倒推23年GDP多少亿", 6245.03, "亿元"),  # found by the words that say how
    ("baotou", "去年高企一共多少家", 612, "家"),  # not "在孵企业中高新技术企业和科技型中小企业合计405家"
    ("huzhou", "湖科贷去年是前年的几倍", 2.02, "倍"),  # 湖科贷 lends money; 前年 from the plan year
    ("zhuzhou", "技合额是20年的几倍", 2.15, "倍"),  # "成交额较2020年的86.7亿元": 成交额 named in full before
    ("zhuzhou", "技术开发合同占技合额多少", 52.93, "%"),  # A占B多少: a share
    ("zhuzhou", "新认定高企里首次认定的占多少", 63.83, "%"),
    ("zhuzhou", "省科技奖一等奖二等奖一共几项", 19, "项"),  # kinds typed side by side
    ("zhuzhou", "前年每万人发明专利拥有量多少件", 18.2, "件"),  # 21.6件（全省为12.9件），较上年增加3.4件
    ("zhuzhou", "高企净增按完成率算 去年目标定的多少家", 150, "家"),
    # places picked by rank: the list after the city's total ("入库数分别达到…"), its first three added
    ("nanchang", "科小入库前三的区一共多少家", 2281, "家"),
    ("taiyuan", "科小入库前三的区一共多少家", 3381, "家"),  # 综改示范区、小店区… no dictionary knows the first
    ("shenyang", "技合额前三的区加一起多少亿", 399, "亿元"),
    ("shenyang", "高企排前五的那几个区加起来占全市高企百分之几", 68.6, "%"),  # summed, then divided
    ("foshan", "高企最多的两个区一共多少家", 6041, "家"),
    ("harbin", "新认定高企前两名的区一共几家", 493, "家"),  # of three listed, the two largest
    ("nanchang", "省重点实验室去年增幅多少", 8.22, "%"),  # 新增12家，累计达到158家: 158 over 146
    ("nanchang", "去年高企里面第一次认定的有多少", 693, "家"),  # 第一次认定 = 首次认定; 里面 says where
    ("guangzhou", "每万人口高价值发明专利 去年比23年涨了百分之多少", 13.91, "%"),  # 由2023年的45.3件提高到51.6件
    ("shenyang", "去年科技贷放款额换成万元是多少", 284400, "万元"),  # 放款额 (科技贷/放款额, never 款额)
    ("shenyang", "科小今年要破1万 得比去年增长百分之多少才行", 11.91, "%"),  # a number given: computed
    ("shenyang", "高企占全省比重去年提高了几个点", 0.8, "个百分点"),  # 由上年的43.9%提高到44.7%
    ("guangzhou", "基础研究占研发经费的比重 去年比前年提高了几个点", 0.9, "个百分点"),  # 由2023年的5.9%提升至6.8%
    ("guangzhou", "黄埔天河两个区高企加起来占全市多少", 41.76, "%"),  # the districts' sum over the city's 13,286
    ("xiamen", "湖里 思明 集美三个区科小入库加起来 占全市百分之多少", 60.33, "%"),  # over 2025's 6,358, not 2024's
    ("nanchang", "高新区 红谷滩 经开区三个地方净增高企加起来多少", 288, "家"),  # "南昌高新区净增146家、红谷滩区78家…"
    ("nanchang", "青山湖 小蓝 南昌县净增高企合计", 152, "家"),  # 小蓝 of 小蓝经开区, 青山湖 of 青山湖区
    ("nanchang", "红谷滩净增高企多少", 78, "家"),  # the list item counts what its first item counts: 净增
    ("changsha", "去年技合额多少亿", 1126.4, "亿元"),  # not "；其中技术交易额468.5亿元", a part of it here
    ("changsha", "去年技术交易额多少亿", 468.5, "亿元"),
    ("kunming", "研发强度多少", 2.58, "%"),  # not "…等一批龙头企业…超过5%" nor "部分县（市）区…低于1%"
    ("kunming", "研发强度比20年提高了几个点", 0.13, "个百分点"),
    # a stated gap to a wider scope is read, never 超过5% − 占全省获奖总数的62.3% ("高于全省平均水平0.62个百分点")
    ("kunming", "咱们研发强度比全省平均高几个点", 0.62, "个百分点"),
    ("zhengzhou", "研发强度比全省高多少个百分点", 0.84, "个百分点"),  # "高于全省平均水平（1.73%）0.84个百分点"
    # "（同期全省研发经费投入5,082.6亿元、研发投入强度3.58%）": 3.58% is the province's, not a coverage rate's
    ("guangzhou", "广州研发强度跟全省比 差几个百分点", 0.06, "个百分点"),
    ("guangzhou", "全省研发强度多少", 3.58, "%"),
    # a side naming its own thing is that thing: 105 against 孵化器68家, not "新增国家级科技企业孵化器2家"
    ("nanchang", "众创空间比孵化器多几家", 37, "家"),
    # round 4
    ("taiyuan", "22年技合额多少亿", 186.35, "亿元"),  # "登记技术合同5862项，成交额达到…", not 促成技术交易额
    ("taiyuan", "省级新型研发机构到去年底总共几家", 46, "家"),  # "总数由2021年的37家增至46家" borrows its noun
    ("taiyuan", "新型研发机构22年比21年增长百分之多少", 24.32, "%"),  # stock over stock, not 新认定9 over 37
    ("taiyuan", "众创空间比孵化器多几家", 68, "家"),  # not "对评价优秀的15家孵化器和众创空间"
    ("taiyuan", "市级以上孵化器今年要完成目标还得再增加几家", 7, "家"),  # 还得: a gap to the target
    ("guiyang", "高企今年目标跟去年底比还差多少家", 238, "家"),  # against 有效1,862, not "较上年净增261家"
    ("guiyang", "高企离今年目标还差多少家", 238, "家"),  # the level named first: still target − level
    ("guiyang", "观山湖高企比高新区多几家", 26, "家"),  # not "两地高企数量均突破380家"
    ("guiyang", "贵阳高企占全省比重多少", 64.3, "%"),  # 高企 are counted; a stock's part is a stock
    ("guiyang", "高企有多少家", 1862, "家"),  # a change ranks below the stock
    ("jinan", "有效高企总量在全省排第几", 1, "名"),  # "全市有效高新技术企业…，总量稳居全省第1位": the city's own rank
    ("jinan", "新型研发机构全市一共多少家了", 112, "家"),  # 一共 is the total, not "累计孵化企业236家"
    ("jinan", "全国重点实验室咱们有几家", 15, "家"),  # "新增全国重点实验室2家、总数达到15家": the level
    ("wuxi", "无锡现在独角兽企业几家", 9, "家"),  # not "潜在独角兽企业46家"
    # the whole of a share named by its scope alone is the whole of the same thing: all 新认定 ones, not the stock
    ("ningbo", "鄞州北仑慈溪余姚海曙这五个地方新认定高企占全市多少比例", 71, "%"),
    ("luoyang", "去年一共引进了多少高层次人才", 1236, "人"),  # not "全职引进高层次人才近400人"
    ("dongguan", "今年高企要到1万家还差多少", 714, "家"),  # not 10,000 − 长安's 812 ("松山湖、长安、塘厦…分别")
    ("dongguan", "松山湖新认定高企占全市百分之几", 11.58, "%"),  # of all 新认定 (2,815), not of the stock
    ("dongguan", "21年底有效高企大概多少家", 8534, "家"),  # 净增752 is the city's, not the province's 6.9万's
    ("dongguan", "20年全社会研发投入大概多少亿", 373.67, "亿元"),  # "全社会研究与试验发展（R&D）经费投入434.21亿元"
    ("dongguan", "去年科特派有多少人", 268, "人"),  # not "全年共有96名科技特派员入驻制造业企业"
    ("dongguan", "市本级科技支出占全市财政科技支出多少", 52.98, "%"),  # not "占一般公共预算支出的比重12.6%"
    ("changchun", "市本级科技支出占全市科技支出比重", 42.76, "%"),
    ("changchun", "23年底有效高企是多少家 去年净增那个倒推一下", 2858, "家"),
    # the plan grows 科技型中小企业 by 12 %; its only level is "孵化科技型企业150家以上", named worse
    ("changchun", "今年科小入库目标大概多少家", 7655.2, "家"),
    ("yichang", "25年技合额多少亿", 412.36, "亿元"),  # "其中，…，技术交易额达到186.54亿元" is a part
    ("wuhu", "经开区和高新区新认定高企占全市的比例", 42.7, "%"),  # places within the city: 全市 narrows none
    ("wuhu", "有效高企现在是2020年的几倍", 2.2, "倍"),  # "…2,386家，净增412家，比2020年（1,085家）翻了一番多"
    ("yichang", "高企数量是20年的几倍", 2.29, "倍"),  # "…1,326家（上年为1,208家），…，较2020年（578家）增长1.29倍"
    # "…达到1,326家…。全省…。从区域分布看，宜昌高新区318家、…，合计1,326家": the list breaks down the city's stock
    # stated two sentences before, and is found by its words
    ("yichang", "高新区高企有多少家", 318, "家"),
    ("yichang", "高新区高企占全市比重多少", 23.98, "%"),
    ("changchun", "高新区经开区净月三个区技合额加起来多少亿", 359.29, "亿元"),  # 技合额 cut across 区技合|额加
    ("ningbo", "去年新认定高企比22年多了多少家", 239, "家"),  # 新认定 1,645 − 1,406, not the stock's "净增812家"
    ("yichang", "24年研发强度比全省低几个百分点", 0.21, "个百分点"),  # "…，与全省平均水平（2.48%）的差距进一步缩小"
    ("huhehaote", "经开区 金山高新区 和林格尔新区 这三个园区高企一共几家", 268, "家"),  # 和林格尔: no 和 to split at
    ("xuzhou", "铜山新认定高企比经开区多几家", 17, "家"),  # 经开区's 新认定 121, not its stock 358
    ("guiyang", "前年全市研发经费投了多少钱", 80.62, "亿元"),  # "研究与试验发展（R&D）经费投入"
    ("guiyang", "研发经费投入多少亿", 80.62, "亿元"),  # not the later "研发投入后补助资金1.26亿元"
    ("guiyang", "每万人口高价值发明专利 去年涨了百分之几", 22.58, "%"),  # "较上年的7.44件" is the density too
    ("fuzhou", "鼓楼去年新认定高企比仓山多几家", 42, "家"),  # "闽侯县（含高新区）203家" is 闽侯县's
    ("fuzhou", "鼓楼 仓山 台江三个区去年新认定高企一共多少家", 456, "家"),  # "分县（市）区看，…"
    ("fuzhou", "众创空间数量大概是孵化器的几倍", 2.09, "倍"),  # 孵化器 alone, not "省级众创空间11家"
    ("fuzhou", "国家级众创空间现在有几个", 26, "家"),  # a part takes its whole's item, not the whole list
    ("fuzhou", "去年高企新认定任务数是多少", 1000, "家"),  # "完成年度任务的112.6%" is no 任务
    ("fuzhou", "每万人口高价值发明专利要到今年目标还差几件", 2.2, "件"),  # the latest actual, 17.8
    ("fuzhou", "高企有多少家", 4186, "家"),  # "新认定（含重新认定）高新技术企业1,126家" is a flow
    ("fuzhou", "众创空间多少家", 142, "家"),  # "全年新增省级孵化器5家、省级众创空间11家": 11 are new
    ("fuzhou", "新型研发机构多少家", 92, "家"),  # "新增…9家，累计达到92家"
    ("foshan", "在孵企业一年增长了百分之多少", 13.8, "%"),  # 在孵企业 is a word
    ("foshan", "南海顺德两个区高企加起来占全市多少", 64.13, "%"),  # the parts added, then divided by 全市 (no 中南海)
    ("foshan", "市科技专项资金25年比24年涨了多少%", 16.87, "%"),  # 9.6% is the whole's, not the 其中-part's
    ("xiamen", "研发强度多少", 3.7, "%"),  # not "科技小巨人企业研发投入强度平均超过6%"
    ("jiaxing", "技合额多少亿", 268.5, "亿元"),  # 技术交易总额
    ("kunming", "研发经费投入多少亿", 186.52, "亿元"),  # not "…专项带动企业研发投入约4.2亿元"
    ("changsha", "长沙技合额占全省百分之多少", 31.55, "%"),  # 长沙 names the city; only 长沙县 names the county
    ("hefei", "去年技合额同比增长多少", 32.7, "%"),  # 成交额 names a money measure; its growth is a rate
    ("nanning", "23年南宁有效高企一共多少家", 2186, "家"),  # not the region's "占全区有效高企总数（5,986家）"
    ("wenzhou", "去年有效高企一共多少家", 4872, "家"),  # not "走廊内集聚有效高企1,436家，占全市29.5%"
    ("wenzhou", "去年财政科技支出大概多少亿", 52.8, "亿元"),  # not 52.8 ÷ its 5.4% share of the budget
    ("wenzhou", "科技贷去年一共放了多少", 48.7, "亿元"),  # 放了多少 asks money, not the 1,286 firms
    ("dalian", "24年技合额是多少", 428.7, "亿元"),  # not "其中输出技术合同成交额312.4亿元"
    ("dalian", "技合额去年比23年多了多少亿", 75.9, "亿元"),  # the stated 2023 value, not back-computed 75.86
    ("nanning", "去年技合额折成万元是多少", 1863500, "万元"),  # the whole before its rates, not 其中技术交易额
    ("shijiazhuang", "今年有效高企目标是多少家", 2550, "家"),  # 2,210 + the plan's 净增340家以上
    ("wenzhou", "瑞安新认定高企比乐清多几家", 13, "家"),  # "瑞安、乐清、温州湾新区…居前三位，分别达到268家、255家…"
    ("wenzhou", "瑞安乐清温州湾新区新认定高企一共多少家", 695, "家"),
    ("dalian", "科技特派员人数比上年涨了多少 按百分比算", 21.15, "%"),  # 由上年的520名扩大到630名
    ("shijiazhuang", "新认定高企 高新区长安裕华三个加起来多少家", 448, "家"),  # 新认定高企 is every place's
    ("dalian", "23年咱们研发强度比全省平均高几个百分点", 0.59, "个百分点"),  # "…，高于全省2.19%的平均水平"
    ("nanning", "每万人口高价值发明专利要到10件 还差多少", 1.38, "件"),  # 要到 names the plan's 10 件
    ("nanning", "全区有效高企总数是多少 不是南宁的", 5986, "家"),  # what is not meant is no word of the question
    ("wenzhou", "市重大攻关项目资助比省尖兵领雁多多少万", 4400, "万元"),  # 争取省财政资助 was secured
    ("wenzhou", "尖兵领雁项目平均一个省里给多少万元", 505.26, "万元/项"),
    ("wenzhou", "财政科技支出占比今年要提高几个百分点", 0.4, "个百分点"),  # 5.8% planned over 5.4%
    ("nanning", "青秀 西乡塘 良庆 江南四个城区去年新认定高企一共几家", 253, "家"),  # 四个城区 counts them
    # 经开区 named on its own beside 东盟经开区; 三个开发区 counts them, 开发区 is no place
    ("nanning", "三个开发区 高新区经开区东盟经开区 去年新认定高企加起来占全市新认定的多少", 52.67, "%"),
    ("nanning", "前年输出到东盟的技合额是多少亿", 3.93, "亿元"),  # 8.65亿元，增长1.2倍: over the year before
    ("nanning", "高企平均每家营收多少万元", 14302.38, "万元/家"),  # 营业总收入 and the 有效高企 count apart
    ("nanning", "去年新认定高企712家 但净增才268 中间差了多少家", 444, "家"),  # both sides stated by the asker
    ("dalian", "高新 金普 甘井子三个区高企加起来占全市多少", 70.53, "%"),  # 高新 typed for 高新区: 3 names, 三个
    ("dalian", "今年科技贷按目标增速至少要放多少万元", 463200, "万元"),  # 38.6亿元 × 1.2, in the unit asked
    (
        "xuzhou",
        "去年底有效高企一共多少家",
        2386,
        "家",
    ),  # not the district's "有效高企数分别达到486家…" (words as typed)
    ("hefei", "科小今年要到15000家的话得涨百分之几", 10.62, "%"),  # …over last year's actual 13,560
    ("nanning", "南宁每万人口高价值发明专利比全区平均多多少件", 4.76, "件"),  # "远高于全区3.86件的平均水平"
    ("shijiazhuang", "今年有效高企目标比去年增长百分之几", 15.38, "%"),  # on 2,550, not 340 as a level
    ("harbin", "南岗和松北科小入库加起来多少家", 2525, "家"),  # places joined by 和 share the words after the last
    ("mianyang", "高新区加涪城区 去年一共认定多少家高企", 150, "家"),  # the words after 一共 are every part's
    ("mianyang", "高新 涪城 游仙三个地方科小加起来一共多少家", 1619, "家"),  # a counted 高新 is 高新区
    ("mianyang", "高新区比涪城区去年多认定了几家高企", 22, "家"),  # …and the words after the comparison
    ("harbin", "哈科贷今年目标25亿 比去年实际多放多少亿", 6.3, "亿元"),  # 多放 is 多 + a verb
    ("harbin", "今年新型研发机构按计划总数至少多少家", 93, "家"),  # 总数达到83家 + 新增…10家以上 (按计划: the plan)
    ("harbin", "瞪羚去年涨了百分之几", 30.36, "%"),  # 112 → 146 家, not "瞪羚企业平均营业收入增速超过30%"
    ("mianyang", "技术合同项数去年比前年增长多少%", 14.23, "%"),  # 3,412 over 2,987 项, not 成交额's 15.3%
    ("nantong", "23年底有效高企有多少家", 3774, "家"),  # 4,186 − "在2023年净增506家的基础上再净增412家"
    ("mianyang", "有效高企去年同比涨了百分之多少", 11.71, "%"),  # 净增118家 is 1,126's, not the part 其中…213家's
    ("mianyang", "22年的时候新型研发机构有几家", 16, "家"),  # "达到32家，其中省级12家，数量较2022年翻一番"
    ("nantong", "从23年到今年目标 研发强度一共要提高多少个百分点", 0.17, "个百分点"),  # 从 2023 (2.86 − 0.08)
    ("nantong", "国重研发计划国拨经费合多少万元", 21400, "万元"),  # 国重 + 研发计划 → 国家重点研发计划
    ("nantong", "去年省双创人才进了几个人", 68, "人"),  # 省"双创计划"人才: 计划 names the programme
    ("quanzhou", "去年技合额增速比全省快了几个点", 15.3, "个百分点"),  # "成交额…，完成年度目标的108.1%，同比增长42.8%"
    ("quanzhou", "市级科技计划项目 平均每个项目给了多少万", 67.61, "万元/项"),  # the amount beside its count
    ("mianyang", "创新券平均每家中小企业拿到多少万", 7.91, "万元/家"),  # "发放科技创新券3,260万元，支持412家中小企业"
    ("quanzhou", "有研发活动的规上企业占比 去年比前年提高了几个百分点", 18.5, "个百分点"),  # 上年这一比重仅为20.1%
    ("mianyang", "有研发活动的规上工业企业占比 去年比前年提高了多少", 3.7, "个百分点"),  # 2024年这一比例 (its ；-part)
    ("mianyang", "孵化器数量25年比24年涨了百分之几？", 13.51, "%"),  # "42家（2024年为37家）": the aside's year only
    (
        "mianyang",
        "研发强度比全省平均高出几个百分点",
        4.99,
        "个百分点",
    ),  # "…，居全省第1位…，远高于全省平均水平（2.32%）"
    ("quanzhou", "23年技合额按目标增速算 至少要到多少亿", 103.74, "亿元"),  # 86.45 × 1.2, not 突破100亿元
    ("quanzhou", "科技贷今年按目标增长的话 要放到多少亿", 30.81, "亿元"),  # 23.7 × 1.3
    ("luoyang", "洛龙 涧西 高新三个区高企加起来占全市百分之多少", 58.56, "%"),  # a name before the count: 高新区
    ("xuzhou", "邳州新沂沛县科小入库合计多少", 1596, "家"),  # 沛县, not 沂沛县 (沂 ends 新沂)
    ("huhehaote", "有效发明专利 24年底比23年底增长百分之几", 19.18, "%"),  # "比2023年末的5,812件" is 2023's
    ("huhehaote", "今年科技贷计划投放额 比去年实际放的增长百分之几", 27.12, "%"),  # 投放 is 发放
    ("luoyang", "今年省级新型研发机构要到几家", 51, "家"),  # 46 + "新增…平台50家、省级新型研发机构5家"
    ("luoyang", "今年研发强度目标跟23年实际比 高几个百分点", 0.08, "个百分点"),  # A跟B比: B is the other side
]


@pytest.mark.parametrize(("name", "question", "value", "unit"), ANSWERS)
def test_calculations_on_reports_never_developed_on(
    engines: Callable[[str], Engine], name: str, question: str, value: float, unit: str
) -> None:
    assert_value(engines(name).ask(question), value, unit)


@pytest.mark.parametrize(
    ("name", "question"),
    [
        ("changzhou", "22年国家级孵化器有几家"),  # 国家级孵化器累计23家；新增国家级众创空间4家: 23 − 4 is no 2022 count
        ("wuxi", "宜兴市高企24年净增了多少家"),  # only 新吴区 and 江阴市 state a 净增: never another district's
        ("jiaxing", "这三地新认定高企占全市百分之多少"),  # 这三地 was in an earlier message: it asks which
        ("xian", "鄠邑区高企有多少家"),  # a district the report never names: not the city's 12,418
        ("nanning", "南宁每万人口发明专利拥有量多少件 不是高价值的那个"),  # only the 高价值 figure is stated
        ("xuzhou", "去年每万人口发明专利拥有量多少件 不是高价值那个"),  # the same, typed without 的
        ("xian", "大前年技术合同额多少亿"),  # 大前年 is 2021, not 前年's 2022 (back-computable from +22.7 %)
        ("zhengzhou", "去年全市研发经费投入一共多少亿"),  # only 2021's; "带动企业研发投入21.6亿元" is no total
        ("zhengzhou", "上街区高企有多少家"),  # a district the report never names
        ("changsha", "去年研发经费投入多少亿"),  # only 2023's 465.8 亿元
        ("guangzhou", "广州规上工业企业研发机构覆盖率到多少了"),  # only the province's 45.1%; not 新增…312家
        ("guangzhou", "前年全省有效高企一共多少家"),  # the province's 7.56万 is 2024's; the 净增 is the city's
        ("nanchang", "南昌规上工业企业研发机构覆盖率是多少"),  # "同期全省…覆盖率为38.6%" is the province's
        ("nanchang", "南昌每万人口发明专利拥有量多少件"),  # only 每万人口高价值…; 25,147 件 is a count
        ("changsha", "长沙每万人口发明专利拥有量多少件"),  # only 每万人口高价值发明专利拥有量 36.2 件
        ("kunming", "去年技术交易额同比增长了多少"),  # "其中技术交易额98.6亿元": 31.5 % is the whole's
        ("fuzhou", "我们市规上工业企业有研发活动的占比多少"),  # "2024年全省…，规模以上工业企业中…45.6%": 全省's
        ("fuzhou", "前年国家级孵化器有几家"),  # no 2023 count; not back-computed from another part
        ("shenyang", "去年全市研发经费投入多少亿"),  # not 2024's grown by 高企营业收入's 9.6 %
        ("xian", "每万人口高价值发明专利多少件"),  # only 每万人口发明专利拥有量 52.7 件
        ("qingdao", "每万人口高价值发明专利多少件"),
        ("ningbo", "宁波规上工业企业研发活动覆盖率多少"),  # only the province's; "研发费用支出…增长11.6%" is no 覆盖率
        ("harbin", "今年全社会研发经费要达到多少亿"),  # no 2023 level to grow by 12%; 研发投入后补助资金 is a subsidy
        ("harbin", "前年哈尔滨技合额占全省比重多少"),  # 2022's part is no part of 2023's 全省 553.7 亿元
        ("harbin", "平房区去年新认定高企几家"),  # "从区域分布看，…平房区312家" breaks down the 有效 stock
        ("mianyang", "咱们市一共培育了多少技术经理人"),  # 技术经理人 are people; "培训班6期" counts sessions
        ("quanzhou", "22年全市研发经费投入总共多少亿"),  # only 2021's; "研发经费投入分段补助资金1.46亿元" is a subsidy
        ("shenyang", "国家级孵化器里在孵企业多少家"),  # "…孵化器达到86家，其中国家级21家" counts incubators
        ("xuzhou", "咱们市规上工业企业研发机构建有率现在多少"),  # a rate: not "新建企业研发机构286家"
        ("lanzhou", "咱市综合科技创新水平指数多少"),  # no index; not 科技创新券 1,850 万元
        # no 2023 target: never 2023's actual back-computed and divided by itself (a bogus "完成率约100%")
        ("changchun", "23年技合额完成年度目标百分之几"),
        ("jinan", "济南科小入库数量在全国排第几"),
        # places picked by rank where the report lists none for what is asked (only 科小 and 高企 by district)
        ("dongguan", "科特派工作站今年新增10个后一共多少个"),  # no count today to add the planned 10 to
        ("huzhou", "今年新建5家概念验证中心后全市一共几家"),  # no count of them today
        ("taizhou", "24年全市研发强度到多少了"),  # 全市 asked: never "山区县研发投入强度普遍低于2%"
        ("nanchang", "技合额前三的区一共多少亿"),
        (
            "nanchang",
            "新型研发机构最多的两个区一共几家",
        ),  # "全省入库科技型中小企业4.85万家，居全国第3位" ranks the province
    ],
)
def test_refusals_on_reports_never_developed_on(engines: Callable[[str], Engine], name: str, question: str) -> None:
    answer = engines(name).ask(question)
    assert not answer.found and answer.value is None, answer.text


def test_a_question_pointing_back_asks_for_the_names(engines: Callable[[str], Engine]) -> None:
    assert "这三地" in engines("jiaxing").ask("这三地新认定高企占全市百分之多少").text


@pytest.mark.parametrize(
    "question",
    [
        "这三地新认定高企占全市百分之多少",  # once 1126 ÷ 136 = 827 %: a part above its whole is no share
        "创新券平均每家企业拿到多少万",  # once 1680 万元 ÷ the 18 科创飞地 of the clause before the ；
    ],
)
def test_no_number_from_operands_that_do_not_belong_together(engines: Callable[[str], Engine], question: str) -> None:
    answer = engines("jiaxing").ask(question)
    assert answer.value is None or Decimal(100) >= answer.value, answer.text
    assert "827" not in answer.text and "93.33" not in answer.text


def test_two_rates_of_one_year_differ_by_higher_or_lower_not_by_a_rise(engines: Callable[[str], Engine]) -> None:
    answer = engines("guangzhou").ask("广州研发强度跟全省比 差几个百分点")
    assert answer.text.startswith("低约0.06个百分点"), answer.text
    assert "全省研发投入强度3.58%" in answer.text  # the operand says whose it is


@pytest.mark.parametrize(
    ("name", "question", "lead"),
    [
        ("wuhan", "蹬羚企业今年目标1200家 还差多少家", "还差93家"),
        ("guiyang", "高企离今年目标还差多少家", "还差238家"),  # the level named first
    ],
)
def test_a_gap_to_a_target_says_how_much_is_left(
    engines: Callable[[str], Engine], name: str, question: str, lead: str
) -> None:
    assert engines(name).ask(question).text.startswith(lead)


@pytest.mark.parametrize(
    ("name", "question", "value", "unit", "stated"),
    [
        # the plan's line and the summary's "主要预期目标" both say 4,600; the level is in two places as well
        ("nantong", "有效高企离今年目标还差多少家", 414, "家", ["高企总数达到4,600家", "高新技术企业力争达到4,600家"]),
        ("wuxi", "今年高企的目标是多少家", 7000, "家", ["高新技术企业力争突破7000家", "力争高企突破7000家"]),
        # "登记技术合同…，成交额684.5亿元" is the same amount as "技术合同成交额684.5亿元"
        ("wuxi", "2023年技术合同成交额是多少亿元", 577.15, "亿元", ["技术合同成交额684.5亿元", "成交额684.5亿元"]),
    ],
)
def test_a_figure_the_report_states_twice_is_cited_in_both_places(
    engines: Callable[[str], Engine], name: str, question: str, value: float, unit: str, stated: list[str]
) -> None:
    answer = engines(name).ask(question)
    assert_value(answer, value, unit)
    texts = [c.text.replace(" ", "") for c in answer.citations]
    assert all(any(s.replace(" ", "") in t for t in texts) for s in stated), texts
    assert answer.citations[0].restates is False and any(c.restates for c in answer.citations)


def test_a_refusal_names_the_district_asked_about(engines: Callable[[str], Engine]) -> None:
    """jieba cannot cut 鄠邑区, yet the refusal says what was asked: "报告中没有“鄠邑区高企”的数据"."""
    assert "鄠邑区高企" in engines("xian").ask("鄠邑区高企有多少家").text


def test_a_place_another_report_taught_is_no_place_of_this_one(engines: Callable[[str], Engine], real_engine) -> None:
    """绵阳's report lists 科创区, so jieba learns 科创 as a place; the seed's 科创平台 asks no district."""
    engines("mianyang")
    assert_value(real_engine.ask("21年沪苏一起建的科创平台签约金额一共多少？"), 97.5, "亿元")
