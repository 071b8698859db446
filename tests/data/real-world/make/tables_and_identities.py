"""Gallery cases for table shapes, periods, totals, identities, rosters and files.

Each case reshapes the PRODUCT.md worked examples (see worked.py) the way HR
workbooks are really made. Run from anywhere: `python3 make/tables_and_identities.py`
(needs openpyxl; LibreOffice `soffice` for the .xls/.et conversions).
"""
import datetime
import os
import shutil
import subprocess
import tempfile

import openpyxl
from openpyxl.worksheet.table import Table

import worked

ZH_RESULTS = ["工号", "姓名", "实际销售额", "新增客户数", "客户满意度", "客户投诉次数", "团队协作评分", "培训学时"]
ZH_TARGETS = ["工号", "姓名", "销售目标", "新客户目标", "培训学时目标"]
NAMES = {row[0]: row[1] for row in worked.STAFF}


def fresh(name):
    d = os.path.join(worked.GALLERY, name, "input")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def soffice_convert(src, fmt, out_dir):
    """Converts with LibreOffice headless; returns the converted file's path."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", fmt, "--outdir", out_dir, src],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stem = os.path.splitext(os.path.basename(src))[0]
    return os.path.join(out_dir, stem + "." + fmt.split(":")[0])


def two_row(ws, group_label, columns, rows, group_from=3):
    """A two-row header: 工号/姓名 merged down, a group label merged across the rest."""
    n = len(columns)
    ws.cell(row=1, column=1, value=columns[0])
    ws.cell(row=1, column=2, value=columns[1])
    ws.merge_cells(start_row=1, start_column=1, end_row=2, end_column=1)
    ws.merge_cells(start_row=1, start_column=2, end_row=2, end_column=2)
    ws.cell(row=1, column=group_from, value=group_label)
    ws.merge_cells(start_row=1, start_column=group_from, end_row=1, end_column=n)
    for c, name in enumerate(columns[2:], start=3):
        ws.cell(row=2, column=c, value=name)
    for r, row in enumerate(rows, start=3):
        for c, v in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=v)


def with_names(rows):
    return [[row[0], NAMES[row[0]]] + row[1:] for row in rows]


def two_row_header():
    d = fresh("two-row-header")
    worked.write_staff(d)
    wb = openpyxl.Workbook()
    two_row(wb.active, "目标", ZH_TARGETS, with_names(worked.TARGETS))
    wb.active.title = "目标"
    wb.save(os.path.join(d, "targets-2026-10.xlsx"))
    wb = openpyxl.Workbook()
    two_row(wb.active, "业绩指标", ZH_RESULTS, with_names(worked.RESULTS))
    wb.active.title = "业绩"
    wb.save(os.path.join(d, "results-2026-10.xlsx"))
    # The same, as Excel 97-2003 files saved by LibreOffice.
    x = fresh("two-row-header-xls")
    shutil.copy(os.path.join(d, "staff.xlsx"), x)
    for name in ["targets-2026-10.xlsx", "results-2026-10.xlsx"]:
        soffice_convert(os.path.join(d, name), "xls", x)


def merged_text_cells():
    d = fresh("merged-text-cells")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(worked.STAFF_HEADER)
    for row in worked.STAFF:
        ws.append(row)
    # Department "East" merged down all three rows, Manager ID "S003" down
    # the first two: the top cell holds the value, the others are empty.
    for r in (3, 4):
        ws.cell(row=r, column=3, value=None)
    ws.cell(row=3, column=5, value=None)
    ws.merge_cells("C2:C4")
    ws.merge_cells("E2:E3")
    wb.save(os.path.join(d, "staff.xlsx"))
    worked.write_targets(d)
    worked.write_table(os.path.join(d, "results-2026-10.xlsx"), worked.RESULTS_HEADER,
                       worked.RESULTS, "Results")


def merged_number_cells():
    d = fresh("merged-number-cells")
    worked.write_staff(d)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Targets"
    ws.append(worked.TARGETS_HEADER)
    for row in worked.TARGETS:
        ws.append(row)
    # Training Hours Target 8 typed once over S001 and S002: for S002 the
    # value is 0 (does not apply), so reading it either way would be a guess.
    ws["D3"] = None
    ws.merge_cells("D2:D3")
    wb.save(os.path.join(d, "targets-2026-10.xlsx"))
    worked.write_table(os.path.join(d, "results-2026-10.xlsx"), worked.RESULTS_HEADER,
                       worked.RESULTS, "Results")


def merged_cells_ods():
    """The merged-text and merged-number workbooks saved as .ods by LibreOffice."""
    d = fresh("merged-cells-ods")
    with tempfile.TemporaryDirectory() as tmp:
        merged_text = os.path.join(worked.GALLERY, "merged-text-cells", "input", "staff.xlsx")
        merged_number = os.path.join(worked.GALLERY, "merged-number-cells", "input", "targets-2026-10.xlsx")
        for src in (merged_text, merged_number):
            shutil.copy(soffice_convert(src, "ods", tmp), d)
    worked.write_table(os.path.join(d, "results-2026-10.xlsx"), worked.RESULTS_HEADER,
                       worked.RESULTS, "Results")


def month_sheets(path, header, rows, extra_sheet=True, title=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "10月"
    if title:
        ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    if extra_sheet:
        notes = wb.create_sheet("说明")
        notes["A1"] = "本表由人力资源部维护"
    wb.save(path)


def period_from_workbook_year():
    d = fresh("period-from-workbook-year")
    worked.write_staff(d)
    month_sheets(os.path.join(d, "2026年销售目标.xlsx"), worked.TARGETS_HEADER, worked.TARGETS)
    month_sheets(os.path.join(d, "销售业绩.xlsx"), worked.RESULTS_HEADER, worked.RESULTS,
                 title="2026年度销售业绩")


def month_sheets_and_leaver():
    """2026年销售业绩.xlsx with sheets 9月 and 10月; S004 left on 2026-09-30."""
    d = fresh("month-sheets-and-leaver")
    header = worked.STAFF_HEADER + ["Status", "Leave Date"]
    staff = [r + ["Active", None] for r in worked.STAFF]
    staff.append(["S004", "Zhao Lei", "East", "Sales Representative", "S003", 5000,
                  "Terminated", datetime.date(2026, 9, 30)])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Staff"
    ws.append(header)
    for row in staff:
        ws.append(row)
    ws.cell(row=5, column=8).number_format = "yyyy-mm-dd"
    wb.save(os.path.join(d, "staff.xlsx"))
    s004_targets = ["S004"] + worked.TARGETS[0][1:]
    s004_results = ["S004"] + worked.RESULTS[0][1:]
    for name, header, rows, extra in [
        ("2026年销售目标.xlsx", worked.TARGETS_HEADER, worked.TARGETS, s004_targets),
        ("2026年销售业绩.xlsx", worked.RESULTS_HEADER, worked.RESULTS, s004_results),
    ]:
        wb = openpyxl.Workbook()
        for i, month in enumerate(["9月", "10月"]):
            ws = wb.active if i == 0 else wb.create_sheet()
            ws.title = month
            ws.append(header)
            for row in rows:
                ws.append(row)
            if month == "9月":
                ws.append(extra)
        wb.save(os.path.join(d, name))


def month_without_year():
    d = fresh("month-without-year")
    worked.write_staff(d)
    month_sheets(os.path.join(d, "销售目标.xlsx"), worked.TARGETS_HEADER, worked.TARGETS)
    month_sheets(os.path.join(d, "销售业绩.xlsx"), worked.RESULTS_HEADER, worked.RESULTS)


def period_flag():
    d = fresh("period-flag")
    worked.write_staff(d)
    worked.write_targets(d, "targets.xlsx")
    worked.write_table(os.path.join(d, "results.xlsx"), worked.RESULTS_HEADER,
                       worked.RESULTS, "Results")


def totals_rows():
    d = fresh("totals-rows")
    worked.write_staff(d)
    # Targets as an Excel table with its totals row (SUBTOTAL formulas),
    # recalculated and saved by LibreOffice so the totals hold values.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Targets"
    ws.append(worked.TARGETS_HEADER)
    for row in worked.TARGETS:
        ws.append(row)
    ws.append(["Total", "=SUBTOTAL(109,B2:B4)", "=SUBTOTAL(109,C2:C4)", "=SUBTOTAL(109,D2:D4)"])
    table = Table(displayName="Targets", ref="A1:D5", totalsRowCount=1)
    ws.add_table(table)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "targets-2026-10.xlsx")
        wb.save(src)
        out = os.path.join(tmp, "out")
        os.makedirs(out)
        shutil.copy(soffice_convert(src, "xlsx", out), os.path.join(d, "targets-2026-10.xlsx"))
    # Results with a regional subtotal, a blank-id subtotal and a grand total.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Results"
    ws.append(worked.RESULTS_HEADER + ["Region"])
    r = worked.RESULTS
    ws.append(r[0] + ["华东"])
    ws.append(r[1] + ["华东"])
    ws.append(["华东小计"] + [a + b for a, b in zip(r[0][1:], r[1][1:])] + [None])
    ws.append(r[2] + ["华北"])
    ws.append([None, 650000, 12, 92, 2, 3, 12, "华北 小计"])
    ws.append(["合计"] + [a + b + c for a, b, c in zip(r[0][1:], r[1][1:], r[2][1:])] + [None])
    ws.append(["Grand Total", 852500, 24, None, 3, None, 18, None])
    wb.save(os.path.join(d, "results-2026-10.xlsx"))


def roster(path, header, rows, sheet="Staff"):
    worked.write_table(path, header, rows, sheet)


def manager_names():
    d = fresh("manager-names")
    header = ["工号", "姓名", "部门", "岗位", "直属上级", "奖金基数"]
    rows = [
        ["S001", "Li Wei", "East", "销售代表", "Chen Jing", 5000],
        ["S002", "Wang Fang", "East", "大客户经理", "chen  jing", 8000],
        ["S003", "Chen Jing", "East", "销售经理", None, 12000],
    ]
    roster(os.path.join(d, "staff.xlsx"), header, rows)
    worked.write_targets(d)
    worked.write_table(os.path.join(d, "results-2026-10.xlsx"), worked.RESULTS_HEADER,
                       worked.RESULTS, "Results")


def manager_problems():
    d = fresh("manager-problems")
    rows = [
        ["S001", "Li Wei", "East", "Sales Representative", "Zhang Min", 5000],
        ["S002", "Wang Fang", "East", "Key Account Manager", "Chen Jing", 8000],
        ["S003", "Chen Jing", "East", "Sales Manager", "S099", 12000],
        ["S004", "Chen Jing", "Admin", "Office Assistant", None, 3000],
    ]
    roster(os.path.join(d, "staff.xlsx"), worked.STAFF_HEADER, rows)
    worked.write_targets(d)
    worked.write_table(os.path.join(d, "results-2026-10.xlsx"), worked.RESULTS_HEADER,
                       worked.RESULTS, "Results")


def id_format_mismatch():
    d = fresh("id-format-mismatch")
    # The roster keeps ids as text with leading zeros; the results export
    # wrote them as plain numbers, which drops the zeros.
    ids = {"S001": "0101", "S002": "0102", "S003": "0103"}
    staff = [[ids[r[0]]] + r[1:4] + [ids.get(r[4]) if r[4] else None] + r[5:] for r in worked.STAFF]
    wb = worked.write_table(os.path.join(d, "staff.xlsx"), worked.STAFF_HEADER, staff, "Staff",
                            fmt={0: "@", 4: "@"})
    targets = [[ids[r[0]]] + r[1:] for r in worked.TARGETS]
    worked.write_table(os.path.join(d, "targets-2026-10.xlsx"), worked.TARGETS_HEADER, targets,
                       "Targets", fmt={0: "@"})
    results = [[int(ids[r[0]])] + r[1:] for r in worked.RESULTS]
    worked.write_table(os.path.join(d, "results-2026-10.xlsx"), worked.RESULTS_HEADER, results,
                       "Results")


def hr_roster_status():
    d = fresh("hr-roster-status")
    header = ["工号", "姓名", "部门", "岗位", "直属上级", "直属上级工号", "奖金基数", "在职状态", "入职日期", "离职日期"]
    day = datetime.date
    rows = [
        ["S001", "Li Wei", "East", "销售代表", "Chen Jing", "S003", 5000, "在职", day(2024, 3, 1), None],
        ["S002", "Wang Fang", "East", "大客户经理", "Chen Jing", "S003", 8000, "试用", day(2026, 8, 17), None],
        ["S003", "Chen Jing", "East", "销售经理", None, None, 12000, "在职", day(2019, 7, 1), None],
        ["S004", "Zhao Lei", "East", "销售代表", "Chen Jing", "S003", 5000, "离职", day(2023, 5, 4), day(2026, 9, 15)],
        ["S005", "Sun Yue", "East", "销售代表", "Chen Jing", "S003", 5000, "待入职", day(2026, 11, 2), None],
        ["S006", "Zhou Min", "East", "行政助理", "Chen Jing", "S003", 3000, "在职", day(2025, 1, 6), None],
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "员工花名册"
    ws.append(["导出时间：2026-11-03 09:12"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    for r in range(3, len(rows) + 3):
        for c in (9, 10):
            ws.cell(row=r, column=c).number_format = "yyyy-mm-dd"
    wb.save(os.path.join(d, "花名册导出.xlsx"))
    worked.write_targets(d)
    worked.write_table(os.path.join(d, "results-2026-10.xlsx"), worked.RESULTS_HEADER,
                       worked.RESULTS, "Results")


def file_content():
    d = fresh("file-content")
    with tempfile.TemporaryDirectory() as tmp:
        # The roster as WPS saves it: an Excel 97-2003 file named .et
        # (LibreOffice writes the .xls; WPS's .et is the same container).
        worked.write_staff(tmp, "staff.xlsx")
        shutil.copy(soffice_convert(os.path.join(tmp, "staff.xlsx"), "xls", tmp),
                    os.path.join(d, "staff.et"))
        # The results: an xlsx an OA system named .xls.
        src = os.path.join(tmp, "results.xlsx")
        worked.write_table(src, worked.RESULTS_HEADER, worked.RESULTS, "Results")
        shutil.copy(src, os.path.join(d, "results-2026-10.xls"))
    # The targets: a tab-separated GB18030 text export named .xls.
    lines = ["\t".join(["工号", "销售目标", "新客户目标", "培训学时目标"])]
    lines += ["\t".join(str(v) for v in row) for row in worked.TARGETS]
    with open(os.path.join(d, "targets-2026-10.xls"), "wb") as f:
        f.write(("\r\n".join(lines) + "\r\n").encode("gb18030"))


def html_named_xls():
    d = fresh("html-named-xls")
    worked.write_staff(d)
    worked.write_targets(d)
    cells = "".join(f"<th>{h}</th>" for h in worked.RESULTS_HEADER)
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in worked.RESULTS)
    html = f"<html><head><meta charset=\"utf-8\"></head><body><table><tr>{cells}</tr>{body}</table></body></html>\n"
    with open(os.path.join(d, "results-2026-10.xls"), "w", encoding="utf-8") as f:
        f.write(html)


def duplicate_files():
    d = fresh("duplicate-files")
    worked.write_staff(d)
    worked.write_targets(d)
    first = [list(r) for r in worked.RESULTS]
    first[0][1] = 110000  # corrected to 112500 in -v2
    worked.write_table(os.path.join(d, "results-2026-10.xlsx"), worked.RESULTS_HEADER, first, "Results")
    worked.write_table(os.path.join(d, "results-2026-10-v2.xlsx"), worked.RESULTS_HEADER,
                       worked.RESULTS, "Results")


def nothing_found():
    d = fresh("nothing-found")
    worked.write_staff(d)
    worked.write_table(os.path.join(d, "targets.xlsx"), worked.TARGETS_HEADER, worked.TARGETS, "Targets")
    worked.write_table(os.path.join(d, "results.xlsx"), worked.RESULTS_HEADER, worked.RESULTS, "Results")
    with open(os.path.join(d, "readme.txt"), "w") as f:
        f.write("October figures\n")


if __name__ == "__main__":
    for make in [two_row_header, merged_text_cells, merged_number_cells, merged_cells_ods,
                 period_from_workbook_year, month_sheets_and_leaver,
                 month_without_year, period_flag, totals_rows, manager_names, manager_problems,
                 id_format_mismatch, hr_roster_status, file_content, html_named_xls,
                 duplicate_files, nothing_found]:
        make()
        print("made", make.__name__)
