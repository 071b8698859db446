"""Gallery cases of what a cell means (issue 12, items 1-4 and 13).

Run from this folder: `python3 cells.py`. Needs openpyxl and, for the .xls/.ods
copies and the recalculated formulas, LibreOffice (`soffice`) on the PATH.
Every expected results.csv is written from the hand-computed figures of PRODUCT.md
section 4 (and, for `accounting-negatives`, the hand calculation in its HOW.md),
never from the program's output.
"""
import os
import shutil
import subprocess
import tempfile

import openpyxl

import worked

G = worked.GALLERY
HEADER = ("period,staff_id,name,department,role,manager_id,status,score_sales,"
          "score_customer_growth,score_satisfaction,score_complaints,score_collaboration,"
          "score_training,total_score,grade,rank_company,rank_department,rank_role,bonus,adjusted\n")


def worked_csv(ids=("S001", "S002", "S003"), period="2026-10"):
    s1, s2, s3 = ids
    return HEADER + (
        f"{period},{s3},Chen Jing,East,Sales Manager,,ok,120.00,120.00,91.43,60.00,60.00,100.00,95.71,A,1,1,1,14400.00,\n"
        f"{period},{s1},Li Wei,East,Sales Representative,{s3},ok,112.50,90.00,80.00,80.00,80.00,75.00,94.75,B,2,2,1,5000.00,\n"
        f"{period},{s2},Wang Fang,East,Key Account Manager,{s3},ok,0.00,75.00,100.00,100.00,100.00,,60.53,D,3,3,1,0.00,\n"
    )


def incomplete_csv(period="2026-10"):
    """Nobody scored: each person incomplete, in staff_id order, every score empty."""
    return HEADER + (
        f"{period},S001,Li Wei,East,Sales Representative,S003,incomplete,,,,,,,,,,,,,\n"
        f"{period},S002,Wang Fang,East,Key Account Manager,S003,incomplete,,,,,,,,,,,,,\n"
        f"{period},S003,Chen Jing,East,Sales Manager,,incomplete,,,,,,,,,,,,,\n"
    )


def fresh(name):
    d = os.path.join(G, name)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(os.path.join(d, "input"))
    return d


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def expect(d, text, period="2026-10"):
    write(os.path.join(d, "expected", period, "results.csv"), text)


def case(d, exit_code, diagnostics=(), plan=None, absent=()):
    lines = [f"exit = {exit_code}"]
    if plan:
        lines.append(f'plan = "{plan}"')
    if absent:
        lines.append("absent = [" + ", ".join(f'"{a}"' for a in absent) + "]")
    for diag in diagnostics:
        lines.append("\n[[diagnostic]]")
        for k, v in diag.items():
            lines.append(f'{k} = "{v}"')
    write(os.path.join(d, "case.toml"), "\n".join(lines) + "\n")


def how(d, text):
    write(os.path.join(d, "HOW.md"), text.strip() + "\n")


def soffice(src, fmt, outdir):
    """Converts (or, for the same format, recalculates and re-saves) with LibreOffice."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", fmt, "--outdir", outdir, src],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def results_book(rows=None, header=None, fmt=None, sheet="Results"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header or worked.RESULTS_HEADER)
    for row in rows or worked.RESULTS:
        ws.append(row)
    for col, number_format in (fmt or {}).items():
        for r in range(2, ws.max_row + 1):
            ws.cell(row=r, column=col + 1).number_format = number_format
    return wb


def standard_inputs(d):
    worked.write_staff(os.path.join(d, "input"))
    worked.write_targets(os.path.join(d, "input"))


SAT = 3  # satisfaction's column index in RESULTS


def percent_rows():
    rows = [list(r) for r in worked.RESULTS]
    for r in rows:
        r[SAT] = r[SAT] / 100  # 0.88, 0.97, 0.92 as Excel stores 88%
    return rows


# --- 1. percent-formatted satisfaction: xlsx, xls, ods -----------------------
d = fresh("percent-satisfaction-xlsx")
standard_inputs(d)
results_book(percent_rows(), fmt={SAT: "0%"}).save(os.path.join(d, "input", "results-2026-10.xlsx"))
expect(d, worked_csv())
case(d, 0)
how(d, """
# percent-satisfaction-xlsx

Satisfaction typed as `88%` in Excel: the cells hold 0.88, 0.97, 0.92 with the number
format `0%` (written with openpyxl by `make/cells.py`). A percent format means the displayed
percent, so they are read as 88, 97, 92: the worked examples come out exactly.
Before: read as 0.88 → satisfaction score 0, S001's total dropped (exit 0).
""")

for fmt in ("xls", "ods"):
    d = fresh(f"percent-satisfaction-{fmt}")
    src = os.path.join(G, "percent-satisfaction-xlsx", "input")
    for name in ("staff.xlsx", "targets-2026-10.xlsx"):
        shutil.copy(os.path.join(src, name), os.path.join(d, "input", name))
    soffice(os.path.join(src, "results-2026-10.xlsx"), fmt, os.path.join(d, "input"))
    expect(d, worked_csv())
    case(d, 0)
    where = ("the XF/FORMAT records of the cell" if fmt == "xls"
             else 'the cell\'s `office:value-type="percentage"`')
    how(d, f"""
# percent-satisfaction-{fmt}

The results workbook of `percent-satisfaction-xlsx` (satisfaction 0.88 formatted `0%`)
converted to .{fmt} by LibreOffice 7.4 headless (`soffice --convert-to {fmt}`, see
`make/cells.py`). In .{fmt} the percent format is {where}; it is read as 88 like the xlsx.
""")

# --- zero-padded and text-formatted ids -----------------------------------
PAD = {"S001": 1001, "S002": 1002, "S003": 1003}
TXT = {k: f"00{v}" for k, v in PAD.items()}
d = fresh("padded-ids-xlsx")
inp = os.path.join(d, "input")
# Roster: ids typed as text ('001001), as HR systems export them.
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Staff"
ws.append(worked.STAFF_HEADER)
for r in worked.STAFF:
    ws.append([TXT[r[0]], r[1], r[2], r[3], TXT[r[4]] if r[4] else None, r[5]])
for row in ws.iter_rows(min_row=2, max_col=5):
    row[0].number_format = "@"
    row[4].number_format = "@"
wb.save(os.path.join(inp, "staff.xlsx"))
# Targets and results: ids as numbers shown padded by the format 000000.
for name, header, rows in (("targets-2026-10.xlsx", worked.TARGETS_HEADER, worked.TARGETS),
                           ("results-2026-10.xlsx", worked.RESULTS_HEADER, worked.RESULTS)):
    worked.write_table(os.path.join(inp, name), header,
                       [[PAD[r[0]]] + r[1:] for r in rows], "Sheet1", fmt={0: "000000"})
expect(d, worked_csv(ids=(TXT["S001"], TXT["S002"], TXT["S003"])))
case(d, 0)
how(d, """
# padded-ids-xlsx

Employee numbers with leading zeros: the roster holds them as text (`001001`, format `@`);
the targets and results hold the numbers 1001… shown as `001001` by the number format
`000000` (written with openpyxl by `make/cells.py`). An id is matched by what the program
displays, so all three tables name the same people and the worked examples come out.
Before: the numbers were read as `1001` and matched nobody in the roster.
""")

for fmt in ("xls", "ods"):
    d = fresh(f"padded-ids-{fmt}")
    src = os.path.join(G, "padded-ids-xlsx", "input")
    for name in ("staff.xlsx", "targets-2026-10.xlsx", "results-2026-10.xlsx"):
        soffice(os.path.join(src, name), fmt, os.path.join(d, "input"))
    expect(d, worked_csv(ids=(TXT["S001"], TXT["S002"], TXT["S003"])))
    case(d, 0)
    how(d, f"""
# padded-ids-{fmt}

The three workbooks of `padded-ids-xlsx` converted to .{fmt} by LibreOffice 7.4 headless
(`soffice --convert-to {fmt}`, see `make/cells.py`): ids typed as text in the roster, numbers
formatted `000000` in targets and results. Read as shown (`001001`).
""")

# --- date cells as the period ---------------------------------------------
import datetime
d = fresh("date-period-xlsx")
inp = os.path.join(d, "input")
worked.write_staff(inp)
for name, header, rows in (("targets.xlsx", worked.TARGETS_HEADER, worked.TARGETS),
                           ("results.xlsx", worked.RESULTS_HEADER, worked.RESULTS)):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Period"] + header)
    for r in rows:
        ws.append([datetime.date(2026, 10, 1)] + r)
    for row in ws.iter_rows(min_row=2, max_col=1):
        row[0].number_format = "yyyy-mm"
    wb.save(os.path.join(inp, name))
expect(d, worked_csv())
case(d, 0)
how(d, """
# date-period-xlsx

The period as a date cell (2026-10-01 shown as `2026-10` by the format `yyyy-mm`) in a
Period column; the file names carry no month (written with openpyxl by `make/cells.py`).
A date is read by its date: its month is the period.
""")
for fmt in ("xls", "ods"):
    d = fresh(f"date-period-{fmt}")
    src = os.path.join(G, "date-period-xlsx", "input")
    shutil.copy(os.path.join(src, "staff.xlsx"), os.path.join(d, "input", "staff.xlsx"))
    for name in ("targets.xlsx", "results.xlsx"):
        soffice(os.path.join(src, name), fmt, os.path.join(d, "input"))
    expect(d, worked_csv())
    case(d, 0)
    how(d, f"""
# date-period-{fmt}

The targets and results of `date-period-xlsx` (a Period column of dates formatted `yyyy-mm`)
converted to .{fmt} by LibreOffice 7.4 headless (see `make/cells.py`).
""")

# --- formulas --------------------------------------------------------------
def formula_targets(path):
    """Targets whose sales target is a formula of the annual target."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Targets"
    ws.append(worked.TARGETS_HEADER + ["Annual Sales Target"])
    for i, r in enumerate(worked.TARGETS, start=2):
        # The monthly target computed from the annual one.
        ws.append([r[0], f"=E{i}/12", r[2], r[3], r[1] * 12])
    wb.save(path)


d = fresh("formula-without-value")
standard_inputs(d)
os.remove(os.path.join(d, "input", "targets-2026-10.xlsx"))
formula_targets(os.path.join(d, "input", "targets-2026-10.xlsx"))
results_book().save(os.path.join(d, "input", "results-2026-10.xlsx"))
expect(d, incomplete_csv())
case(d, 3, [
    {"code": "formula-without-value", "file": "targets-2026-10.xlsx", "sheet": "Targets", "cell": "B2", "value": "=E2/12"},
    {"code": "formula-without-value", "file": "targets-2026-10.xlsx", "sheet": "Targets", "cell": "B3"},
    {"code": "formula-without-value", "file": "targets-2026-10.xlsx", "sheet": "Targets", "cell": "B4"},
], absent=["missing-value"])
how(d, """
# formula-without-value

The sales targets are formulas (`=E2/12`, the annual target ÷ 12) written by openpyxl,
which stores formulas without a calculated value, as scripts and OA systems do
(`make/cells.py`). No value is stored, so none can be read: each is an error naming the cell
and the formula, with the fix (open and save the file so the value is stored). Before: read
as blank, the sales KPI "did not apply" and its weight moved to the other KPIs.
""")

d = fresh("formula-saved-value")
standard_inputs(d)
os.remove(os.path.join(d, "input", "targets-2026-10.xlsx"))
with tempfile.TemporaryDirectory() as tmp:
    formula_targets(os.path.join(tmp, "targets-2026-10.xlsx"))
    soffice(os.path.join(tmp, "targets-2026-10.xlsx"), "xlsx", os.path.join(d, "input"))
results_book().save(os.path.join(d, "input", "results-2026-10.xlsx"))
expect(d, worked_csv())
case(d, 0)
how(d, """
# formula-saved-value

The same formula targets as `formula-without-value` (`=E2/12`), opened, recalculated and
saved by LibreOffice 7.4 headless (`soffice --convert-to xlsx`, see `make/cells.py`): the
values are stored, and read (the extra column `Annual Sales Target` is listed as info).
""")

# --- scales ------------------------------------------------------------------
def scale_case(name, values, plan_arrives, text):
    rows = [list(r) for r in worked.RESULTS]
    for r, v in zip(rows, values):
        r[SAT] = v
    d = fresh(name)
    standard_inputs(d)
    results_book(rows).save(os.path.join(d, "input", "results-2026-10.xlsx"))
    expect(d, incomplete_csv())
    case(d, 3, [{"code": "wrong-scale", "severity": "error", "file": "results-2026-10.xlsx",
                 "sheet": "Results", "cell": "D1"},
                {"code": "wrong-scale", "cell": "D2"}])
    how(d, text)
    d2 = fresh(name + "-declared")
    standard_inputs(d2)
    results_book(rows).save(os.path.join(d2, "input", "results-2026-10.xlsx"))
    with open(os.path.join(G, "..", "..", "..", "templates", "standard.toml"), encoding="utf-8") as f:
        plan = f.read()
    # The satisfaction column is the only one scored 0-100.
    anchor = 'max = 100\npercent = true\n'
    assert plan.count(anchor) == 1
    plan = plan.replace(anchor, anchor + f"arrives = {plan_arrives}\n")
    write(os.path.join(d2, "plan.toml"), plan)
    expect(d2, worked_csv())
    case(d2, 0, plan="plan.toml", absent=["wrong-scale"])
    how(d2, f"""
# {name}-declared

The workbooks of `{name}`, with a plan (`plan.toml`, the standard plan plus one line) that
declares how satisfaction arrives: `arrives = {plan_arrives}` on the satisfaction column.
The values are converted exactly onto 0–100 and the worked examples come out.
""")


scale_case("five-point-satisfaction", [4.4, 4.85, 4.6], '"out_of_5"', """
# five-point-satisfaction

Satisfaction exported from a survey on a 5-point scale (4.4, 4.85, 4.6 = 88, 97, 92 out of
100), written with openpyxl by `make/cells.py`. The standard plan scores satisfaction on
0–100 and declares no other scale, so the column contradicts it: one error for the column
(header D1, the range found, both fixes) and one per person; nobody is scored on it.
Before: everyone scored 0 on satisfaction, exit 0.
""")
scale_case("fraction-satisfaction", [0.88, 0.97, 0.92], '"fraction"', """
# fraction-satisfaction

Satisfaction as plain fractions 0.88, 0.97, 0.92 (no percent format), written with openpyxl
by `make/cells.py`. On the 0–100 scale of the standard plan the column contradicts its
scale: an error for the column (header D1) and per person; nobody is scored on it.
""")

# --- units -------------------------------------------------------------------
ZH_STAFF = ["工号", "姓名", "部门", "岗位", "直属上级工号", "奖金基数"]
ZH_TARGETS = ["工号", "销售目标（万元）", "新客户目标", "培训学时目标(小时)"]
ZH_RESULTS = ["工号", "实际销售额(元)", "新增客户数(个)", "客户满意度(%)", "客户投诉次数(次)",
              "团队协作评分(1-5分)", "培训学时(小时)"]
d = fresh("wan-yuan-header")
inp = os.path.join(d, "input")
worked.write_table(os.path.join(inp, "员工花名册.xlsx"), ZH_STAFF, worked.STAFF, "花名册")
worked.write_table(os.path.join(inp, "2026年10月目标.xlsx"), ZH_TARGETS,
                   [[r[0], r[1] / 10000, r[2], r[3]] for r in worked.TARGETS], "目标")
worked.write_table(os.path.join(inp, "2026年10月业绩.xlsx"), ZH_RESULTS, worked.RESULTS, "业绩")
expect(d, worked_csv())
case(d, 0, [{"code": "unit-scaled", "severity": "info", "file": "2026年10月目标.xlsx",
             "sheet": "目标", "cell": "B1"}], absent=["unknown-column", "missing-column"])
how(d, """
# wan-yuan-header

Chinese headers with units in brackets, as HR workbooks carry them: `实际销售额(元)`,
`销售目标（万元）` (full-width brackets), `新增客户数(个)`, `客户满意度(%)`,
`客户投诉次数(次)`, `团队协作评分(1-5分)`, `培训学时(小时)`; the sales targets are in 万元
(10, 20, 50). Written with openpyxl by `make/cells.py`. Every header matches; the 万元 column
is multiplied by 10000 exactly and noted once as info.
Before: the bracketed headers did not match and the tables were missing columns.
""")

d = fresh("wan-in-cells")
standard_inputs(d)
rows = [list(r) for r in worked.RESULTS]
for r, text in zip(rows, ["11.25万", "9万", "65万"]):
    r[1] = text
results_book(rows).save(os.path.join(d, "input", "results-2026-10.xlsx"))
expect(d, worked_csv())
case(d, 0, [{"code": "unit-scaled", "severity": "info", "file": "results-2026-10.xlsx",
             "sheet": "Results", "cell": "B2"}])
how(d, """
# wan-in-cells

Sales typed as text with the unit 万 in the cell (`11.25万`, `9万`, `65万`), written with
openpyxl by `make/cells.py`. Each is multiplied by 10000 exactly (112500, 90000, 650000),
noted once as info for the column, and shown in the calculation trail.
""")

d = fresh("unknown-unit-in-cell")
standard_inputs(d)
rows = [list(r) for r in worked.RESULTS]
rows[0][1] = "112500箱"
results_book(rows).save(os.path.join(d, "input", "results-2026-10.xlsx"))
case(d, 3, [{"code": "not-a-number", "file": "results-2026-10.xlsx", "sheet": "Results",
             "cell": "B2", "value": "112500箱"}])
how(d, """
# unknown-unit-in-cell

A sales cell with a unit kpi-report does not know (`112500箱`, boxes), written with openpyxl
by `make/cells.py`: not a number, an error naming the cell; never guessed.
""")

d = fresh("header-range-mismatch")
standard_inputs(d)
rows = [list(r) for r in worked.RESULTS]
for r, v in zip(rows, [4.4, 4.85, 4.6]):
    r[SAT] = v
header = list(worked.RESULTS_HEADER)
header[SAT] = "客户满意度(1-5分)"
results_book(rows, header=header).save(os.path.join(d, "input", "results-2026-10.xlsx"))
expect(d, incomplete_csv())
case(d, 3, [{"code": "wrong-scale", "severity": "error", "file": "results-2026-10.xlsx",
             "sheet": "Results", "cell": "D1", "value": "客户满意度(1-5分)"}])
how(d, """
# header-range-mismatch

The satisfaction header says its scale, `客户满意度(1-5分)`, with values 4.4, 4.85, 4.6;
the standard plan scores satisfaction on 0–100 (written with openpyxl by `make/cells.py`).
The header matches the column, but its range contradicts the plan's scale: an error for the
column naming the header and both fixes; nobody is scored on it.
""")

# --- accounting negatives ----------------------------------------------------
d = fresh("accounting-negatives")
inp = os.path.join(d, "input")
staff = worked.STAFF + [["S004", "Zhao Lei", "East", "Sales Representative", "S003", 4000]]
targets = worked.TARGETS + [["S004", 100000, 10, 8]]
results = [list(r) for r in worked.RESULTS] + [["S004", "(1,200)", 5, 60, 0, 3, 8]]
worked.write_table(os.path.join(inp, "staff.xlsx"), worked.STAFF_HEADER, staff, "Staff")
worked.write_table(os.path.join(inp, "targets-2026-10.xlsx"), worked.TARGETS_HEADER, targets, "Targets")
worked.write_table(os.path.join(inp, "results-2026-10.xlsx"), worked.RESULTS_HEADER, results, "Results")
with open(os.path.join(G, "..", "..", "..", "templates", "standard.toml"), encoding="utf-8") as f:
    plan = f.read()
old = 'gate = 0.5, cap = 120, floor = 0 }'
assert old in plan
write(os.path.join(d, "plan.toml"), plan.replace(old, "cap = 120 }"))
expect(d, HEADER + (
    "2026-10,S003,Chen Jing,East,Sales Manager,,ok,120.00,120.00,91.43,60.00,60.00,100.00,95.71,A,1,1,1,14400.00,\n"
    "2026-10,S001,Li Wei,East,Sales Representative,S003,ok,112.50,90.00,80.00,80.00,80.00,75.00,94.75,B,2,2,1,5000.00,\n"
    "2026-10,S002,Wang Fang,East,Key Account Manager,S003,ok,45.00,75.00,100.00,100.00,100.00,,77.11,C,3,3,1,4800.00\n"
    "2026-10,S004,Zhao Lei,East,Sales Representative,S003,ok,-1.20,50.00,0.00,100.00,60.00,100.00,30.52,D,4,4,2,0.00,\n"
))
case(d, 0, plan="plan.toml")
how(d, """
# accounting-negatives

A return typed the accounting way: S004's sales is the text `(1,200)`, which means −1200
(written with openpyxl by `make/cells.py`). The case's plan is the standard plan with the
sales gate and floor removed (`ratio`, cap 120), so the sign shows in the score.

Hand calculation (weights of PRODUCT.md section 4):
- S004 (Sales Representative, 40/20/15/10/10/5): sales −1200 / 100000 → −1.2; new customers
  5/10 → 50; satisfaction 60 → 0; complaints 0 → 100; collaboration 3 → 60; training 8/8 →
  100. Total (−48 + 1000 + 0 + 1000 + 600 + 500) / 100 = 30.52 → D → bonus 0.00.
  (Read as +1200 it would be 31.48.)
- S002 without the gate: sales 90000/200000 → 45; total (45×35 + 75×10 + 100×25 + 100×15 +
  100×10) / 95 = 7325/95 = 77.105… → 77.11 → C → 8000 × 0.6 = 4800.00.
- S001 and S003 as in PRODUCT.md (94.75 B 5000.00; 95.71 A 14400.00).
""")

# --- hidden and filtered rows ------------------------------------------------
d = fresh("hidden-rows-xlsx")
standard_inputs(d)
wb = results_book()
ws = wb.active
ws.row_dimensions[3].hidden = True  # S002, hidden by hand
ws.auto_filter.ref = "A1:G4"
ws.row_dimensions[4].hidden = True  # S003, filtered out
wb.save(os.path.join(d, "input", "results-2026-10.xlsx"))
expect(d, worked_csv())
case(d, 0, [{"code": "hidden-rows", "severity": "info", "file": "results-2026-10.xlsx",
             "sheet": "Results", "cell": "A3", "value": "2"}])
how(d, """
# hidden-rows-xlsx

The results sheet with S002's row hidden and S003's row filtered out by an autofilter
(written with openpyxl by `make/cells.py`). Hidden rows are data: all three are read and
scored, and one info note for the sheet says how many hidden rows were read.
""")
for fmt in ("xls", "ods"):
    d = fresh(f"hidden-rows-{fmt}")
    src = os.path.join(G, "hidden-rows-xlsx", "input")
    for name in ("staff.xlsx", "targets-2026-10.xlsx"):
        shutil.copy(os.path.join(src, name), os.path.join(d, "input", name))
    soffice(os.path.join(src, "results-2026-10.xlsx"), fmt, os.path.join(d, "input"))
    ext = "results-2026-10." + fmt
    expect(d, worked_csv())
    case(d, 0, [{"code": "hidden-rows", "severity": "info", "file": ext, "sheet": "Results",
                 "cell": "A3", "value": "2"}])
    how(d, f"""
# hidden-rows-{fmt}

The results workbook of `hidden-rows-xlsx` (one row hidden, one filtered out) converted to
.{fmt} by LibreOffice 7.4 headless (see `make/cells.py`). Read like the xlsx.
""")
print("done")
