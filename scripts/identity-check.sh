#!/usr/bin/env bash
# Byte-identity check for refactors: runs the binary of a base commit and the
# binary of the working tree on both sample sets under every template, in
# both languages, and compares every file written (CSV, workbooks, manifest)
# byte for byte, plus what `check`, `check --json` and `explain` print, and
# the workbooks `sample` writes.
#
#   scripts/identity-check.sh [BASE]
#
# BASE is a commit (default: main) or the path of an already built binary.
# The only text masked is the run time in the one-line summary on stderr
# ("in 0.07s"), which differs from run to run; files are compared unmasked.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
base=${1:-main}
# The dependencies are compiled once, in the usual target folder.
target=${CARGO_TARGET_DIR:-$repo/target}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -x "$base" ] && [ -f "$base" ]; then
  cp "$base" "$work/base"
else
  echo "== building $base"
  mkdir "$work/src"
  git archive "$base" | tar -x -C "$work/src"
  (cd "$work/src" && CARGO_TARGET_DIR="$target" cargo build --quiet --bin kpi-report)
  cp "$target/debug/kpi-report" "$work/base"
fi
echo "== building the working tree"
CARGO_TARGET_DIR="$target" cargo build --quiet --bin kpi-report
cp "$target/debug/kpi-report" "$work/new"

mask() { sed -E 's/ in [0-9]+\.[0-9]+s$/ in <time>/'; }

# run_all BIN DEST: every output of BIN under DEST.
# Output folders are named relative to DEST, so the summary lines match.
run_all() {
  local bin=$1 dest=$2
  mkdir -p "$dest"
  pushd "$dest" > /dev/null
  for sample in en zh; do
    for plan in $(cd "$repo" && ls templates/*.toml); do
      local name
      name=$(basename "$plan" .toml)
      for lang in en zh; do
        local tag="$sample-$name-$lang"
        set +e
        "$bin" run "$repo/samples/$sample" --out "$tag" --plan "$repo/$plan" --lang "$lang" \
          2> >(mask > "$dest/$tag.run.err") > "$dest/$tag.run.out"
        echo "exit $?" >> "$dest/$tag.run.out"
        "$bin" check "$repo/samples/$sample" --plan "$repo/$plan" --lang "$lang" \
          > "$dest/$tag.check.out" 2> "$dest/$tag.check.err"
        echo "exit $?" >> "$dest/$tag.check.out"
        "$bin" check "$repo/samples/$sample" --plan "$repo/$plan" --json > "$dest/$tag.check.json" 2>/dev/null
        for staff in S001 S002 S003 S009 S017 S030; do
          for period in 2026-10 2026-11 ytd-2026; do
            "$bin" explain "$repo/samples/$sample" --staff "$staff" --period "$period" \
              --plan "$repo/$plan" --lang "$lang" > "$dest/$tag.explain-$staff-$period" 2>&1
            echo "exit $?" >> "$dest/$tag.explain-$staff-$period"
          done
        done
        set -e
      done
    done
  done
  # Sample workbooks in both languages.
  for lang in en zh; do
    "$bin" sample --out "sample-$lang" --staff 60 --months 3 --lang "$lang" --seed 7 2>/dev/null
  done
  # A company large enough for the streamed summary sheets.
  "$bin" sample --out big-input --staff 5200 --months 1 --seed 3 2>/dev/null
  "$bin" run big-input --out big --split none 2>/dev/null || true
  for lang in en zh; do
    "$bin" run "$work/broken" --out "broken-$lang" --lang "$lang" --split staff \
      > "broken-$lang.out" 2> >(mask > "broken-$lang.err") || true
    "$bin" explain "$work/broken" --staff S005 --period 2026-11 --lang "$lang" \
      > "broken-$lang.explain" 2>&1 || true
  done
  # The other review splits, once.
  for split in staff department none; do
    "$bin" run "$repo/samples/en" --out "split-$split" --split "$split" 2>/dev/null || true
  done
  popd > /dev/null
}

# An input with incomplete people (two blank results cells, one unknown
# role), so the review sheets' and summaries' incomplete paths are compared.
mkdir -p "$work/broken"
cp samples/en/* "$work/broken/"
python3 - "$work/broken" <<'PY'
import sys, openpyxl
folder = sys.argv[1]
wb = openpyxl.load_workbook(f"{folder}/sales-2026-11.xlsx")
ws = wb["Results"]
ws["C6"] = None
ws["E9"] = None
wb.save(f"{folder}/sales-2026-11.xlsx")
wb = openpyxl.load_workbook(f"{folder}/staff.xlsx")
ws = wb.active
for row in ws.iter_rows(min_row=2):
    if row[0].value == "S012":
        for cell in row:
            if cell.value == "Sales Representative":
                cell.value = "Sales Wizard"
wb.save(f"{folder}/staff.xlsx")
PY

echo "== running the base binary"
run_all "$work/base" "$work/a"
echo "== running the working tree's binary"
run_all "$work/new" "$work/b"

files=$(find "$work/a" -type f | wc -l)
if diff -r "$work/a" "$work/b" > "$work/diff.txt"; then
  echo "IDENTICAL: $files files compared byte for byte"
else
  echo "DIFFERENT:"
  head -50 "$work/diff.txt"
  exit 1
fi
