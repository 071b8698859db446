#!/usr/bin/env bash
# Lists the functions in src/ longer than a limit (default 80 lines), longest
# first, outside unit-test modules. A function that is long on purpose says
# why in its doc comment, on one line: "Long on purpose: <why>" (or "Longer
# than the house limit on purpose: <why>"); those are listed as explained.
#
#   scripts/long-functions.sh [LIMIT]
#
# Exits 1 when a function over the limit gives no reason.
# It reads rustfmt-formatted code: a function ends at the first line that is
# a lone `}` at the indentation of its `fn` line.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${1:-80}
find src -name '*.rs' | sort | while read -r file; do
  awk -v file="$file" -v limit="$limit" '
    # Unit-test modules (at the end of a file) are not counted.
    /^#\[cfg\(test\)\]/ { cfgtest = 1; next }
    cfgtest && /^mod / { exit }
    { cfgtest = 0 }
    # Comments and attributes above a fn: remember a stated reason.
    /^[[:space:]]*(\/\/|#\[)/ { if ($0 ~ /\/\/.*Long(er)?[^.]* on purpose/) reason = 1; next }
    {
      if (open == "" && match($0, /^[[:space:]]*(pub(\([^)]*\))? )?(const )?(async )?(unsafe )?(extern "[^"]*" )?fn [A-Za-z0-9_]+/)) {
        indent = match($0, /[^ ]/) - 1
        name = $0
        sub(/^.*fn /, "", name); sub(/[^A-Za-z0-9_].*$/, "", name)
        start = NR; open = name; why = reason
        # A function whose body closes on its own line: one line long.
        if ($0 ~ /;[[:space:]]*$/ || $0 ~ /\{.*\}[[:space:]]*$/) open = ""
        close_re = "^" sprintf("%" indent "s", "") "}$"
        if (indent == 0) close_re = "^}$"
      } else if (open != "" && $0 ~ close_re) {
        len = NR - start + 1
        if (len > limit) printf "%d\t%s:%d\t%s\t%s\n", len, file, start, open, (why ? "explained" : "-")
        open = ""
      }
      reason = 0
    }
  ' "$file"
done | sort -t$'\t' -k1,1nr | tee /dev/stderr | awk -F'\t' '$4 == "-" { bad = 1 } END { exit bad }'
