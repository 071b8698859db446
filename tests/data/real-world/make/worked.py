"""The PRODUCT.md worked examples (S001/S002/S003), shared by the gallery's generators.

Every case reshapes these same inputs the way real HR workbooks are made, so each
case's expected results.csv is the hand-computed one of PRODUCT.md section 4:
totals 94.75 / 60.53 / 95.71, grades B / D / A, bonuses 5000.00 / 0.00 / 14400.00.
"""
import os
import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
GALLERY = os.path.dirname(HERE)

STAFF_HEADER = ["Staff ID", "Name", "Department", "Role", "Manager ID", "Bonus Base"]
STAFF = [
    ["S001", "Li Wei", "East", "Sales Representative", "S003", 5000],
    ["S002", "Wang Fang", "East", "Key Account Manager", "S003", 8000],
    ["S003", "Chen Jing", "East", "Sales Manager", None, 12000],
]
TARGETS_HEADER = ["Staff ID", "Sales Target", "New Customers Target", "Training Hours Target"]
TARGETS = [
    ["S001", 100000, 10, 8],
    ["S002", 200000, 4, 0],
    ["S003", 500000, 10, 10],
]
RESULTS_HEADER = ["Staff ID", "Sales", "New Customers", "Satisfaction", "Complaints",
                  "Collaboration Rating", "Training Hours"]
RESULTS = [
    ["S001", 112500, 9, 88, 1, 4, 6],
    ["S002", 90000, 3, 97, 0, 5, 0],
    ["S003", 650000, 12, 92, 2, 3, 12],
]


def case_dir(name):
    d = os.path.join(GALLERY, name, "input")
    os.makedirs(d, exist_ok=True)
    return d


def write_table(path, header, rows, sheet="Sheet1", fmt=None):
    """Writes one table; fmt maps a column index to an openpyxl number format."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    for col, number_format in (fmt or {}).items():
        for r in range(2, len(rows) + 2):
            ws.cell(row=r, column=col + 1).number_format = number_format
    wb.save(path)
    return wb


def write_staff(d, name="staff.xlsx"):
    write_table(os.path.join(d, name), STAFF_HEADER, STAFF, "Staff")


def write_targets(d, name="targets-2026-10.xlsx"):
    write_table(os.path.join(d, name), TARGETS_HEADER, TARGETS, "Targets")
