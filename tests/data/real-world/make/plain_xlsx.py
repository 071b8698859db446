"""plain-xlsx: the worked examples as plain openpyxl workbooks (the baseline every other case reshapes)."""
import os
import worked

d = worked.case_dir("plain-xlsx")
worked.write_staff(d)
worked.write_targets(d)
worked.write_table(os.path.join(d, "results-2026-10.xlsx"), worked.RESULTS_HEADER, worked.RESULTS, "Results")
