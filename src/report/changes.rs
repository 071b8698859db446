//! What changed in a month since the report set already in the output
//! folder: per person the old and new status, total, grade, company rank
//! and bonus (read from the previous `results.csv`), and every input cell
//! whose value changed (from the previous `inputs.csv`, see
//! [`super::snapshot`]). Both old files are used only when their bytes
//! still hash to what `manifest.json` recorded.
//!
//! The comparison is symmetric: the new side is the new `results.csv`,
//! rendered the same way and read back by the same reader.

use std::collections::{BTreeMap, BTreeSet};

use super::ReportError;
use super::snapshot::{Snapshot, unescape};
use super::text::csv_safe;

/// The file's name in the period folder.
pub const CHANGES: &str = "changes.csv";

/// The person fields compared, as `results.csv` names them.
pub const FIELDS: [&str; 5] = ["status", "total_score", "grade", "rank_company", "bonus"];

/// One person's line of `results.csv`: name and the compared fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Line {
    pub name: String,
    pub fields: [String; 5],
}

/// Reads the compared fields of a `results.csv` kpi-report wrote, by staff
/// id. None when it is not one.
pub fn read_results(bytes: &[u8]) -> Option<BTreeMap<String, Line>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let header: Vec<String> = r.headers().ok()?.iter().map(str::to_owned).collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let id = col("staff_id")?;
    let name = col("name")?;
    let fields: Vec<usize> = FIELDS.iter().map(|f| col(f)).collect::<Option<_>>()?;
    let mut out = BTreeMap::new();
    for row in r.records() {
        let row = row.ok()?;
        let get = |i: usize| unescape(row.get(i).unwrap_or_default());
        let line = Line {
            name: get(name),
            fields: std::array::from_fn(|k| get(fields[k])),
        };
        out.insert(get(id), line);
    }
    Some(out)
}

/// One changed value: a person field (`grade`) or an input (`input:sales`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub staff_id: String,
    pub name: String,
    /// A name from [`FIELDS`], or `input:<input id>`.
    pub what: String,
    /// For an input: `file › sheet › cell` (the new place; the old one
    /// when the input is gone).
    pub place: String,
    pub old: String,
    pub new: String,
}

/// A month's changes against the previous set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PeriodChanges {
    /// By staff id, the person's fields first, then their inputs.
    pub changes: Vec<Change>,
    /// Whether input cells were compared (the previous set had an
    /// `inputs.csv`).
    pub cells_compared: bool,
}

impl PeriodChanges {
    /// People whose status, total, grade, rank or bonus changed (added
    /// and removed people included).
    pub fn people(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| !c.what.starts_with("input:"))
            .map(|c| c.staff_id.as_str())
            .collect::<BTreeSet<_>>()
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The changed inputs of one person, for a correction's reason:
    /// `sales (results.xlsx › Results › C2) 100000 → 120000`.
    pub fn inputs_of(&self, staff_id: &str) -> Vec<String> {
        self.changes
            .iter()
            .filter(|c| c.staff_id == staff_id && c.what.starts_with("input:"))
            .map(describe_input)
            .collect()
    }
}

/// `sales (file › sheet › cell) old → new`, blanks shown as `(blank)`.
pub fn describe_input(c: &Change) -> String {
    let what = c.what.trim_start_matches("input:");
    let shown = |v: &str| {
        if v.is_empty() {
            "(blank)".to_owned()
        } else {
            v.to_owned()
        }
    };
    let place = if c.place.is_empty() {
        String::new()
    } else {
        format!(" ({})", c.place)
    };
    format!("{what}{place}: {} → {}", shown(&c.old), shown(&c.new))
}

/// Compares two months' lines and, when both snapshots are given, their
/// input cells.
pub fn compare(
    old: &BTreeMap<String, Line>,
    new: &BTreeMap<String, Line>,
    cells: Option<(&Snapshot, &Snapshot)>,
) -> PeriodChanges {
    let mut by_person: BTreeMap<String, Vec<Change>> = BTreeMap::new();
    let empty = Line::default();
    let ids: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for id in ids {
        let o = old.get(id).unwrap_or(&empty);
        let n = new.get(id).unwrap_or(&empty);
        let name = if n.name.is_empty() { &o.name } else { &n.name };
        for (k, field) in FIELDS.iter().enumerate() {
            if o.fields[k] != n.fields[k] {
                by_person.entry(id.clone()).or_default().push(Change {
                    staff_id: id.clone(),
                    name: name.clone(),
                    what: (*field).to_owned(),
                    place: String::new(),
                    old: o.fields[k].clone(),
                    new: n.fields[k].clone(),
                });
            }
        }
    }
    if let Some((old_cells, new_cells)) = cells {
        // Both are sorted by key: walk them side by side.
        let mut a = old_cells.iter().peekable();
        let mut b = new_cells.iter().peekable();
        loop {
            let order = match (a.peek(), b.peek()) {
                (None, None) => break,
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some((ka, _)), Some((kb, _))) => ka.cmp(kb),
            };
            let (key, o, n) = match order {
                std::cmp::Ordering::Less => match a.next() {
                    Some((k, o)) => (k, Some(o), None),
                    None => break,
                },
                std::cmp::Ordering::Greater => match b.next() {
                    Some((k, n)) => (k, None, Some(n)),
                    None => break,
                },
                std::cmp::Ordering::Equal => match (a.next(), b.next()) {
                    (Some((k, o)), Some((_, n))) => (k, Some(o), Some(n)),
                    _ => break,
                },
            };
            if o.map(|c| &c.value) == n.map(|c| &c.value) {
                continue;
            }
            let value = |c: Option<&super::snapshot::Cell>| c.map(|c| c.value.clone());
            let (id, input) = key;
            let name = new
                .get(id)
                .or_else(|| old.get(id))
                .map(|l| l.name.clone())
                .unwrap_or_default();
            by_person.entry(id.clone()).or_default().push(Change {
                staff_id: id.clone(),
                name,
                what: format!("input:{input}"),
                place: n.or(o).map(|c| c.place.clone()).unwrap_or_default(),
                old: value(o).unwrap_or_default(),
                new: value(n).unwrap_or_default(),
            });
        }
    }
    PeriodChanges {
        changes: by_person.into_values().flatten().collect(),
        cells_compared: cells.is_some(),
    }
}

/// `changes.csv`: `staff_id, name, change, place, old, new`, one row per
/// changed value.
///
/// # Errors
/// Only if the CSV writer fails, which writing to memory does not.
pub fn to_csv(changes: &PeriodChanges) -> Result<Vec<u8>, ReportError> {
    let err = |e: csv::Error| ReportError::Format {
        file: CHANGES.into(),
        reason: e.to_string(),
    };
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(["staff_id", "name", "change", "place", "old", "new"])
        .map_err(err)?;
    for c in &changes.changes {
        w.write_record([
            csv_safe(&c.staff_id).as_ref(),
            csv_safe(&c.name).as_ref(),
            c.what.as_str(),
            csv_safe(&c.place).as_ref(),
            csv_safe(&c.old).as_ref(),
            csv_safe(&c.new).as_ref(),
        ])
        .map_err(err)?;
    }
    w.into_inner().map_err(|e| ReportError::Format {
        file: CHANGES.into(),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::snapshot::Cell;

    fn line(name: &str, f: [&str; 5]) -> Line {
        Line {
            name: name.into(),
            fields: f.map(String::from),
        }
    }

    #[test]
    fn changed_added_and_removed_people_and_cells_are_listed() {
        let old = BTreeMap::from([
            (
                "S001".to_owned(),
                line("Ann", ["ok", "94.75", "B", "1", "5000.00"]),
            ),
            (
                "S002".to_owned(),
                line("Bo", ["ok", "60.53", "D", "2", "0.00"]),
            ),
            (
                "S003".to_owned(),
                line("Cy", ["ok", "50.00", "D", "3", "0.00"]),
            ),
        ]);
        let new = BTreeMap::from([
            (
                "S001".to_owned(),
                line("Ann", ["ok", "99.75", "A", "1", "6000.00"]),
            ),
            (
                "S002".to_owned(),
                line("Bo", ["ok", "60.53", "D", "2", "0.00"]),
            ),
            (
                "S004".to_owned(),
                line("Di", ["incomplete", "", "", "", ""]),
            ),
        ]);
        let cell = |place: &str, value: &str| Cell {
            place: place.into(),
            value: value.into(),
        };
        let old_cells = Snapshot::from([
            (
                ("S001".into(), "sales".into()),
                cell("r.csv › r › C2", "100000"),
            ),
            (("S002".into(), "sales".into()), cell("r.csv › r › C3", "1")),
        ]);
        let new_cells = Snapshot::from([
            (
                ("S001".into(), "sales".into()),
                cell("r.csv › r › C2", "120000"),
            ),
            // Moved, same value: not a change.
            (("S002".into(), "sales".into()), cell("r.csv › r › C4", "1")),
        ]);
        let ch = compare(&old, &new, Some((&old_cells, &new_cells)));
        assert_eq!(ch.people(), 3);
        let whats: Vec<(&str, &str)> = ch
            .changes
            .iter()
            .map(|c| (c.staff_id.as_str(), c.what.as_str()))
            .collect();
        assert_eq!(
            whats,
            [
                ("S001", "total_score"),
                ("S001", "grade"),
                ("S001", "bonus"),
                ("S001", "input:sales"),
                ("S003", "status"),
                ("S003", "total_score"),
                ("S003", "grade"),
                ("S003", "rank_company"),
                ("S003", "bonus"),
                ("S004", "status"),
            ]
        );
        assert_eq!(
            ch.inputs_of("S001"),
            ["sales (r.csv › r › C2): 100000 → 120000"]
        );
        let csv = String::from_utf8(to_csv(&ch).unwrap()).unwrap();
        assert!(
            csv.contains("S001,Ann,input:sales,r.csv › r › C2,100000,120000\n"),
            "{csv}"
        );
        assert!(compare(&old, &old, None).is_empty());
    }

    #[test]
    fn results_csv_is_read_by_its_header() {
        let text = "period,staff_id,name,status,score_sales,total_score,grade,rank_company,\
                    rank_department,rank_role,bonus,adjusted\n\
                    2026-10,'-S1,'=Ann,ok,100.00,94.75,B,1,1,1,5000.00,\n";
        let lines = read_results(text.as_bytes()).unwrap();
        let l = &lines["-S1"];
        assert_eq!(l.name, "=Ann");
        assert_eq!(
            l.fields,
            ["ok", "94.75", "B", "1", "5000.00"].map(String::from)
        );
        assert!(read_results(b"a,b\n1,2\n").is_none());
    }
}
