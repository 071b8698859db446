//! Closing a paid month: `closed.json` in the output folder records, per
//! closed month, the SHA-256 of the `bonus.csv` finance paid, who closed it
//! and when, and the input cells it was computed from; a log keeps every
//! close and reopen with who, when and why.
//!
//! `closed.json` is kpi-report's own file and `manifest.json` records its
//! hash, so a run refuses a record changed or removed outside kpi-report
//! instead of treating a paid month as open. [`close`] writes it under the
//! output folder's lock: the new record under a working name, then the
//! manifest naming its hash, then the rename into place; a run repairs a
//! close killed between the steps ([`recover`]).
//!
//! A run over a closed month keeps the paid `bonus.csv` byte for byte and
//! writes `payroll-corrections-PERIOD.csv` when the new bonuses differ from
//! the paid ones ([`corrections`]). The year to date shows, per person,
//! the bonus due against the bonus paid ([`paid_vs_due`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::Path;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::ReportError;
use super::changes::{self, Line};
use super::manifest::{MANIFEST, Manifest, sha256_hex};
use super::output::{self, OutputLock, open_regular};
use super::snapshot::{self, Snapshot, unescape};
use super::text::{csv_safe, two};
use crate::period::Period;

pub use super::manifest::CLOSED;
/// The new record while [`close`] writes it.
const PENDING: &str = ".closed.json.new";
/// The new manifest while [`close`] writes it.
const PENDING_MANIFEST: &str = ".manifest.json.new";
/// The largest record read.
const MAX_LEDGER_BYTES: u64 = 256 * 1024 * 1024;

/// `closed.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    /// By month (`2026-10`).
    pub closed: BTreeMap<String, Closing>,
    /// Every close and reopen, oldest first.
    pub log: Vec<Event>,
}

/// One closed month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    /// The paid file, relative to the output folder.
    pub bonus_csv: String,
    pub sha256: String,
    pub closed_at: String,
    pub closed_by: String,
    /// People paid and the total, as the paid file lists them.
    pub people: usize,
    pub total: String,
    /// The input cells the paid bonuses came from (`staff_id, input,
    /// place, value`); None when the month's reports had no `inputs.csv`.
    pub inputs: Option<Vec<[String; 4]>>,
}

/// A close or a reopen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// `close` or `reopen`.
    pub action: String,
    pub period: String,
    pub at: String,
    pub by: String,
    /// Why (required for a reopen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The paid file's SHA-256.
    pub sha256: String,
}

impl Ledger {
    /// The record as written: pretty JSON, keys in a fixed order.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text.into_bytes()
    }

    /// The inputs recorded at close, as a snapshot.
    pub fn inputs_at_close(&self, period: &str) -> Option<Snapshot> {
        let rows = self.closed.get(period)?.inputs.as_ref()?;
        Some(
            rows.iter()
                .map(|[id, input, place, value]| {
                    (
                        (id.clone(), input.clone()),
                        snapshot::Cell {
                            place: place.clone(),
                            value: value.clone(),
                        },
                    )
                })
                .collect(),
        )
    }
}

fn refuse(path: &Path, reason: impl Into<String>) -> ReportError {
    ReportError::Refused {
        path: path.display().to_string(),
        reason: reason.into(),
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Reads a regular file (never through a link) up to `max` bytes.
fn read_regular(path: &Path, max: u64) -> Result<Option<Vec<u8>>, ReportError> {
    let Some(file) = open_regular(path, false)? else {
        return Ok(None);
    };
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(io(path))?;
    if bytes.len() as u64 > max {
        return Err(refuse(path, format!("it is larger than {max} bytes")));
    }
    Ok(Some(bytes))
}

/// A file of a period, read only when every folder on the way is a real
/// folder, it is a regular file, and its bytes hash to `hash`. `Ok(None)`:
/// missing, not a plain file, or changed.
///
/// # Errors
/// I/O errors naming the path.
pub fn read_verified(out: &Path, rel: &str, hash: &str) -> Result<Option<Vec<u8>>, ReportError> {
    let mut at = out.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        match fs::symlink_metadata(&at) {
            Ok(m) if i + 1 < parts.len() && m.file_type().is_dir() => {}
            Ok(m) if i + 1 == parts.len() && m.file_type().is_file() => {}
            _ => return Ok(None),
        }
    }
    let bytes = match read_regular(&at, MAX_LEDGER_BYTES) {
        Ok(Some(b)) => b,
        Ok(None) | Err(ReportError::Refused { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok((sha256_hex(&bytes) == hash).then_some(bytes))
}

/// Finishes or undoes a [`close`] that was stopped between its steps: the
/// new record is put in place when the manifest already names its hash,
/// and removed otherwise. Call with the output folder's lock held.
///
/// # Errors
/// I/O errors naming the path.
pub fn recover(out: &Path, manifest: Option<&Manifest>) -> Result<(), ReportError> {
    // Only files in kpi-report's own formats are touched under these
    // working names; anything else is the user's and stops the run.
    let not_ours = |path: &Path| {
        refuse(
            path,
            "kpi-report uses this name for its own working file, and this one is not              kpi-report's; move it out of the output folder and run again",
        )
    };
    let pending = out.join(PENDING);
    if let Some(bytes) = read_regular(&pending, MAX_LEDGER_BYTES)? {
        if serde_json::from_slice::<Ledger>(&bytes).is_err() {
            return Err(not_ours(&pending));
        }
        let wanted = manifest.and_then(|m| m.closed_sha256.as_deref());
        if wanted == Some(sha256_hex(&bytes).as_str()) {
            fs::rename(&pending, out.join(CLOSED)).map_err(io(&pending))?;
        } else {
            fs::remove_file(&pending).map_err(io(&pending))?;
        }
    }
    let pending_manifest = out.join(PENDING_MANIFEST);
    if let Some(bytes) = read_regular(&pending_manifest, super::manifest::MAX_MANIFEST_BYTES)? {
        if serde_json::from_slice::<Manifest>(&bytes).is_err() {
            return Err(not_ours(&pending_manifest));
        }
        fs::remove_file(&pending_manifest).map_err(io(&pending_manifest))?;
    }
    Ok(())
}

/// The record of closed months, checked against the hash `manifest.json`
/// recorded: empty when there is none and the manifest names none.
///
/// # Errors
/// [`ReportError::Refused`] when the record is missing though the manifest
/// names one, changed outside kpi-report, or unreadable.
pub fn load(
    out: &Path,
    manifest: Option<&Manifest>,
) -> Result<(Ledger, Option<Vec<u8>>), ReportError> {
    let path = out.join(CLOSED);
    let wanted = manifest.and_then(|m| m.closed_sha256.clone());
    let Some(bytes) = read_regular(&path, MAX_LEDGER_BYTES)? else {
        if wanted.is_some() {
            return Err(refuse(
                &path,
                "it recorded which months were closed (paid), and it is missing. Put the \
                 file back from a backup; kpi-report will not treat a paid month as open",
            ));
        }
        return Ok((Ledger::default(), None));
    };
    let hash = sha256_hex(&bytes);
    if wanted.as_deref() != Some(hash.as_str()) {
        return Err(refuse(
            &path,
            format!(
                "it was changed outside kpi-report (its SHA-256 {hash} is not the one \
                 {MANIFEST} recorded); it records which months were paid, so nothing was \
                 written. Put back the file kpi-report wrote"
            ),
        ));
    }
    let ledger = serde_json::from_slice::<Ledger>(&bytes).map_err(|e| {
        refuse(
            &path,
            format!(
                "it is not a record kpi-report wrote ({e}); put back the file kpi-report wrote"
            ),
        )
    })?;
    Ok((ledger, Some(bytes)))
}

/// One row of a paid `bonus.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidLine {
    pub name: String,
    pub department: String,
    pub bonus: Decimal,
}

/// Reads a `bonus.csv` kpi-report wrote, by staff id. None when it is not
/// one (a bonus that is not a number, a missing column).
pub fn read_bonus(bytes: &[u8]) -> Option<BTreeMap<String, PaidLine>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let header: Vec<String> = r.headers().ok()?.iter().map(str::to_owned).collect();
    if header != ["staff_id", "name", "department", "bonus"] {
        return None;
    }
    let mut out = BTreeMap::new();
    for row in r.records() {
        let row = row.ok()?;
        let get = |i: usize| unescape(row.get(i).unwrap_or_default());
        let bonus: Decimal = row.get(3)?.parse().ok()?;
        out.insert(
            get(0),
            PaidLine {
                name: get(1),
                department: get(2),
                bonus,
            },
        );
    }
    Some(out)
}

/// What [`close`] recorded.
#[derive(Debug, Clone)]
pub struct Closed {
    pub period: String,
    pub bonus_csv: String,
    pub sha256: String,
    pub people: usize,
    pub total: Decimal,
}

/// `kpi-report close PERIOD`: records the month's `bonus.csv` as paid, with
/// its SHA-256, who closed it (`by`) and when (`at`).
///
/// # Errors
/// [`ReportError::Refused`] when the folder holds no reports of kpi-report,
/// the month has no reports or no `bonus.csv`, the file was changed outside
/// kpi-report, or the month is already closed; [`ReportError::Locked`]
/// while a run writes the folder; I/O errors.
pub fn close(out: &Path, period: Period, by: &str, at: &str) -> Result<Closed, ReportError> {
    let given = out;
    if !matches!(period, Period::Month { .. }) {
        return Err(refuse(
            given,
            format!("{period} is not a month; only a month's payroll can be closed"),
        ));
    }
    if !given.is_dir() {
        return Err(refuse(
            given,
            "there is no reports folder here; run kpi-report run … --out with this folder first",
        ));
    }
    let out = &output::resolve(given)?;
    let lock = OutputLock::acquire(out, false).map_err(|e| match e {
        ReportError::Locked { .. } => ReportError::Locked {
            path: given.display().to_string(),
        },
        e => e,
    })?;
    let mut notes = Vec::new();
    let Some(mut manifest) = lock.previous_manifest(&mut notes)? else {
        return Err(refuse(
            given,
            format!(
                "it holds no {MANIFEST} kpi-report can read, so no payroll it wrote can be \
                 verified; run kpi-report run … --out with this folder first"
            ),
        ));
    };
    recover(out, Some(&manifest))?;
    let (mut ledger, _) = load(out, Some(&manifest))?;
    let key = period.folder();
    let rel = format!("{key}/bonus.csv");
    if let Some(c) = ledger.closed.get(&key) {
        return Err(refuse(
            &out.join(&rel),
            format!(
                "{key} is already closed (by {} at {}, SHA-256 {}); to replace its payroll, \
                 run with --reopen {key} --reason \"…\"",
                c.closed_by, c.closed_at, c.sha256
            ),
        ));
    }
    let Some(entry) = manifest.periods.get(&key) else {
        return Err(refuse(
            given,
            format!(
                "it holds no reports for {key}; run kpi-report run with that month's workbooks first"
            ),
        ));
    };
    let Some(hash) = entry
        .sha256
        .get(&rel)
        .filter(|_| entry.files.contains(&rel))
    else {
        return Err(refuse(
            &out.join(&rel),
            format!("the reports of {key} have no bonus.csv kpi-report wrote; run again first"),
        ));
    };
    let Some(bytes) = read_verified(out, &rel, hash)? else {
        return Err(refuse(
            &out.join(&rel),
            "it is missing or was changed outside kpi-report since it was written (its bytes \
             no longer match manifest.json); run kpi-report run again to rebuild it, check it, \
             then close",
        ));
    };
    let Some(paid) = read_bonus(&bytes) else {
        return Err(refuse(
            &out.join(&rel),
            "it is not a bonus.csv kpi-report wrote",
        ));
    };
    let total: Decimal = paid.values().map(|l| l.bonus).sum();
    let inputs_rel = format!("{key}/{}", snapshot::INPUTS);
    let inputs = match entry.sha256.get(&inputs_rel) {
        Some(h) => read_verified(out, &inputs_rel, h)?
            .and_then(|b| snapshot::from_csv(&b))
            .map(|s| {
                s.into_iter()
                    .map(|((id, input), c)| [id, input, c.place, c.value])
                    .collect()
            }),
        None => None,
    };
    ledger.closed.insert(
        key.clone(),
        Closing {
            bonus_csv: rel.clone(),
            sha256: hash.clone(),
            closed_at: at.to_owned(),
            closed_by: by.to_owned(),
            people: paid.len(),
            total: two(total),
            inputs,
        },
    );
    ledger.log.push(Event {
        action: "close".into(),
        period: key.clone(),
        at: at.to_owned(),
        by: by.to_owned(),
        reason: None,
        sha256: hash.clone(),
    });
    let closed = Closed {
        period: key,
        bonus_csv: rel,
        sha256: hash.clone(),
        people: paid.len(),
        total,
    };
    let new = ledger.to_bytes();
    manifest.closed_sha256 = Some(sha256_hex(&new));
    // The record under its working name, then the manifest naming it,
    // then the record into place: a stop between the steps is repaired
    // by `recover`.
    output::write_file(&out.join(PENDING), &new)?;
    let pending_manifest = out.join(PENDING_MANIFEST);
    output::write_file(&pending_manifest, &manifest.to_bytes())?;
    fs::rename(&pending_manifest, out.join(MANIFEST)).map_err(io(&pending_manifest))?;
    fs::rename(out.join(PENDING), out.join(CLOSED)).map_err(io(&out.join(CLOSED)))?;
    if let Ok(d) = fs::File::open(out) {
        let _ = d.sync_all();
    }
    Ok(closed)
}

/// The moment as `YYYY-MM-DDTHH:MM:SSZ` (UTC), for the record.
pub fn timestamp(time: std::time::SystemTime) -> String {
    let secs = time
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// One row of `payroll-corrections-PERIOD.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub staff_id: String,
    pub name: String,
    pub department: String,
    /// What the paid payroll paid (None: not in it).
    pub paid: Option<Decimal>,
    /// The bonus now due (None: no final bonus now).
    pub due: Option<Decimal>,
    pub reason: String,
}

impl Correction {
    /// Due − paid, when both are known (a person not paid counts 0 paid).
    pub fn amount(&self) -> Option<Decimal> {
        Some(self.due? - self.paid.unwrap_or_default())
    }
}

/// The corrections of a closed month: every person whose bonus now differs
/// from the paid one, by staff id, with the reason. `new` are the month's
/// new `results.csv` lines; `people` gives each person's department.
pub fn corrections(
    paid: &BTreeMap<String, PaidLine>,
    new: &BTreeMap<String, Line>,
    departments: &BTreeMap<String, String>,
    at_close: Option<&Snapshot>,
    now: &Snapshot,
) -> Vec<Correction> {
    let diff =
        at_close.map(|old| changes::compare(&BTreeMap::new(), &BTreeMap::new(), Some((old, now))));
    let ids: BTreeSet<&String> = paid.keys().chain(new.keys()).collect();
    let mut rows = Vec::new();
    for id in ids {
        let p = paid.get(id);
        let n = new.get(id);
        let ok = n.is_some_and(|l| l.fields[0] == "ok");
        let due: Option<Decimal> = n.filter(|_| ok).and_then(|l| l.fields[4].parse().ok());
        let paid_amount = p.map(|l| l.bonus);
        if due.is_some() && due == paid_amount {
            continue;
        }
        if p.is_none() && !ok {
            continue; // neither paid nor due
        }
        let inputs = diff.as_ref().map(|d| d.inputs_of(id)).unwrap_or_default();
        let mut why: Vec<String> = Vec::new();
        match (p, n, ok) {
            (Some(_), None, _) => {
                why.push("paid, but no longer in this month's inputs: settle by hand".into())
            }
            (Some(_), Some(_), false) => why.push(
                "paid, but now incomplete (see the Data Issues): no amount until the data is fixed"
                    .into(),
            ),
            (None, _, true) => {
                why.push("not in the paid payroll (incomplete when it was closed)".into())
            }
            _ => {}
        }
        if !inputs.is_empty() {
            why.push(format!(
                "inputs changed since the close: {}",
                inputs.join("; ")
            ));
        } else if at_close.is_none() {
            why.push("the inputs at the close were not recorded".into());
        } else if due.is_some() && p.is_some() {
            why.push(
                "no input of this person changed since the close: the plan, other people's \
                 results (ranks, pools) or the program changed"
                    .into(),
            );
        }
        let name = n
            .map(|l| l.name.clone())
            .or_else(|| p.map(|l| l.name.clone()))
            .unwrap_or_default();
        let department = departments
            .get(id)
            .cloned()
            .or_else(|| p.map(|l| l.department.clone()))
            .unwrap_or_default();
        rows.push(Correction {
            staff_id: id.clone(),
            name,
            department,
            paid: paid_amount,
            due,
            reason: why.join("; "),
        });
    }
    rows
}

/// `payroll-corrections-PERIOD.csv`: `staff_id, name, department, paid,
/// due, correction, reason`, one row per person, then a row with an empty
/// staff id, `TOTAL` as the name and the sums of the rows that have an
/// amount (rows without one are counted in its reason).
///
/// # Errors
/// Only if the CSV writer fails.
pub fn corrections_csv(
    rows: &[Correction],
    file: &str,
    paid_file: &str,
    paid_hash: &str,
) -> Result<Vec<u8>, ReportError> {
    let err = |e: csv::Error| ReportError::Format {
        file: file.into(),
        reason: e.to_string(),
    };
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record([
        "staff_id",
        "name",
        "department",
        "paid",
        "due",
        "correction",
        "reason",
    ])
    .map_err(err)?;
    let (mut paid, mut due, mut amount) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let mut open = 0usize;
    for r in rows {
        let a = r.amount();
        match a {
            Some(a) => {
                paid += r.paid.unwrap_or_default();
                due += r.due.unwrap_or_default();
                amount += a;
            }
            None => open += 1,
        }
        w.write_record([
            csv_safe(&r.staff_id).as_ref(),
            csv_safe(&r.name).as_ref(),
            csv_safe(&r.department).as_ref(),
            r.paid.map(two).unwrap_or_default().as_str(),
            r.due.map(two).unwrap_or_default().as_str(),
            a.map(two).unwrap_or_default().as_str(),
            csv_safe(&r.reason).as_ref(),
        ])
        .map_err(err)?;
    }
    let counted = rows.len() - open;
    let mut note = format!(
        "{counted} {} with an amount: correction = due − paid against the paid payroll \
         {paid_file} (SHA-256 {paid_hash}); pay a positive amount, recover a negative one",
        if counted == 1 { "person" } else { "people" }
    );
    if open > 0 {
        note.push_str(&format!(
            "; {open} without an amount, not in this total (settle by hand)"
        ));
    }
    w.write_record([
        "",
        "TOTAL",
        "",
        two(paid).as_str(),
        two(due).as_str(),
        two(amount).as_str(),
        note.as_str(),
    ])
    .map_err(err)?;
    w.into_inner().map_err(|e| ReportError::Format {
        file: file.into(),
        reason: e.to_string(),
    })
}

/// One person's year: bonus due against bonus paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidVsDue {
    pub staff_id: String,
    pub name: String,
    pub department: String,
    /// Σ of the year's current bonuses (adjustments and proration
    /// included), over the months with a final bonus.
    pub due: Decimal,
    /// Σ of the bonuses in the paid payrolls of the year's closed months.
    pub paid: Decimal,
    /// Months without a final bonus for this person (incomplete).
    pub open_months: Vec<String>,
}

/// The file's name in the year-to-date folder.
pub const PAID_VS_DUE: &str = "paid-vs-due.csv";

/// `paid-vs-due.csv`: `staff_id, name, department, due, paid, difference,
/// closed_months, months_without_bonus`, then a `TOTAL` row.
///
/// # Errors
/// Only if the CSV writer fails.
pub fn paid_vs_due_csv(rows: &[PaidVsDue], closed: &[String]) -> Result<Vec<u8>, ReportError> {
    let err = |e: csv::Error| ReportError::Format {
        file: PAID_VS_DUE.into(),
        reason: e.to_string(),
    };
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record([
        "staff_id",
        "name",
        "department",
        "due",
        "paid",
        "difference",
        "months_without_bonus",
    ])
    .map_err(err)?;
    let (mut due, mut paid) = (Decimal::ZERO, Decimal::ZERO);
    for r in rows {
        due += r.due;
        paid += r.paid;
        w.write_record([
            csv_safe(&r.staff_id).as_ref(),
            csv_safe(&r.name).as_ref(),
            csv_safe(&r.department).as_ref(),
            two(r.due).as_str(),
            two(r.paid).as_str(),
            two(r.due - r.paid).as_str(),
            r.open_months.join(" ").as_str(),
        ])
        .map_err(err)?;
    }
    let note = format!("closed: {}", closed.join(" "));
    w.write_record([
        "",
        "TOTAL",
        "",
        two(due).as_str(),
        two(paid).as_str(),
        two(due - paid).as_str(),
        note.as_str(),
    ])
    .map_err(err)?;
    w.into_inner().map_err(|e| ReportError::Format {
        file: PAID_VS_DUE.into(),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        let t = |s: u64| timestamp(std::time::UNIX_EPOCH + std::time::Duration::from_secs(s));
        assert_eq!(t(0), "1970-01-01T00:00:00Z");
        // 2026-11-30 01:02:03 UTC.
        assert_eq!(t(1_796_000_523), "2026-11-30T01:02:03Z");
        // 2024-02-29 23:59:59 UTC (a leap day).
        assert_eq!(t(1_709_251_199), "2024-02-29T23:59:59Z");
    }

    #[test]
    fn corrections_are_due_minus_paid_with_reasons() {
        let paid = BTreeMap::from([
            (
                "S001".to_owned(),
                PaidLine {
                    name: "Ann".into(),
                    department: "East".into(),
                    bonus: d("5000.00"),
                },
            ),
            (
                "S002".to_owned(),
                PaidLine {
                    name: "Bo".into(),
                    department: "East".into(),
                    bonus: d("1200.00"),
                },
            ),
            (
                "S003".to_owned(),
                PaidLine {
                    name: "Cy".into(),
                    department: "East".into(),
                    bonus: d("700.00"),
                },
            ),
        ]);
        let line = |status: &str, bonus: &str| Line {
            name: "x".into(),
            fields: [status, "", "", "", bonus].map(String::from),
        };
        let new = BTreeMap::from([
            ("S001".to_owned(), line("ok", "6000.00")),
            ("S002".to_owned(), line("ok", "1200.00")),
            ("S003".to_owned(), line("incomplete", "")),
            ("S004".to_owned(), line("ok", "300.50")),
        ]);
        let cell = |v: &str| snapshot::Cell {
            place: "r.csv › r › C2".into(),
            value: v.into(),
        };
        let old = Snapshot::from([(("S001".into(), "sales".into()), cell("100000"))]);
        let now = Snapshot::from([(("S001".into(), "sales".into()), cell("120000"))]);
        let rows = corrections(&paid, &new, &BTreeMap::new(), Some(&old), &now);
        let ids: Vec<&str> = rows.iter().map(|r| r.staff_id.as_str()).collect();
        assert_eq!(ids, ["S001", "S003", "S004"]);
        assert_eq!(rows[0].amount(), Some(d("1000.00")));
        assert!(
            rows[0]
                .reason
                .contains("sales (r.csv › r › C2): 100000 → 120000")
        );
        assert_eq!(rows[1].amount(), None);
        assert!(rows[1].reason.contains("now incomplete"));
        assert_eq!(rows[2].amount(), Some(d("300.50")));
        let csv =
            String::from_utf8(corrections_csv(&rows, "f", "2026-10/bonus.csv", "ab").unwrap())
                .unwrap();
        let last = csv.lines().last().unwrap();
        assert!(
            last.starts_with(",TOTAL,,5000.00,6300.50,1300.50,"),
            "{last}"
        );
        assert!(last.contains("1 without an amount"), "{last}");
    }

    #[test]
    fn a_close_stopped_between_its_steps_is_finished_or_undone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let ledger = Ledger::default().to_bytes();
        let named = Manifest {
            closed_sha256: Some(sha256_hex(&ledger)),
            ..Manifest::default()
        };
        // Stopped after the manifest named the new record: finished.
        fs::write(out.join(PENDING), &ledger).unwrap();
        recover(out, Some(&named)).unwrap();
        assert_eq!(fs::read(out.join(CLOSED)).unwrap(), ledger);
        assert!(!out.join(PENDING).exists());
        // Stopped before: undone, the record in place untouched.
        fs::write(out.join(PENDING), b"{\"closed\":{},\"log\":[]}").unwrap();
        fs::write(out.join(PENDING_MANIFEST), Manifest::default().to_bytes()).unwrap();
        recover(out, Some(&Manifest::default())).unwrap();
        assert!(!out.join(PENDING).exists());
        assert!(!out.join(PENDING_MANIFEST).exists());
        assert_eq!(fs::read(out.join(CLOSED)).unwrap(), ledger);
        // A file of the user's under the working name is never removed.
        fs::write(out.join(PENDING), b"my notes").unwrap();
        assert!(matches!(
            recover(out, Some(&named)),
            Err(ReportError::Refused { .. })
        ));
        assert_eq!(fs::read(out.join(PENDING)).unwrap(), b"my notes");
    }

    #[test]
    fn a_bonus_csv_is_read_back_exactly() {
        let b = read_bonus(b"staff_id,name,department,bonus\n'-S1,Ann,East,1234.56\n").unwrap();
        assert_eq!(b["-S1"].bonus, d("1234.56"));
        assert!(read_bonus(b"staff_id,name,department,bonus\nS1,Ann,East,n/a\n").is_none());
    }
}
