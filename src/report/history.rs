//! The output folder's history as a run sees it: the report set already
//! there (to say what changed) and the record of closed months (to keep a
//! paid payroll and price its corrections). Loaded under the output
//! folder's lock before anything is built; the build asks it, month by
//! month, for the extra files of a rebuilt month ([`Books::month`]) and of
//! a year to date ([`Books::year`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::changes::{self, PeriodChanges};
use super::close::{self, CLOSED, Event, Ledger, PaidLine, PaidVsDue};
use super::manifest::{Manifest, PeriodEntry, sha256_hex};
use super::output::write_file;
use super::snapshot::{self, Snapshot};
use super::{ReportError, ReportSet, csv};
use crate::period::Period;

/// `run --reopen PERIOD --reason …`: replace a closed month's payroll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reopen {
    pub period: Period,
    pub reason: String,
    /// Who reopens, for the record.
    pub by: String,
    /// When, as [`close::timestamp`] writes it.
    pub at: String,
}

/// A closed month's paid payroll, verified.
struct Paid {
    bytes: Vec<u8>,
    sha256: String,
    lines: BTreeMap<String, PaidLine>,
    inputs: Option<Snapshot>,
}

/// The history of the output folder.
pub struct Books {
    out: PathBuf,
    ledger: Ledger,
    /// The record to carry into the new set (None: there is none).
    ledger_bytes: Option<Vec<u8>>,
    paid: BTreeMap<String, Paid>,
    /// Months reopened by this run.
    pub reopened: Vec<String>,
}

/// What a rebuilt month adds to its folder.
#[derive(Debug, Default)]
pub struct MonthExtra {
    /// Files by name in the month's folder: `inputs.csv`, and when they
    /// apply `changes.csv` and `payroll-corrections-PERIOD.csv`.
    pub files: Vec<(String, Vec<u8>)>,
    /// The changes, when there are any (the Changes sheet).
    pub changes: Option<PeriodChanges>,
    /// People changed since the previous set, when it was compared.
    pub changed_people: Option<usize>,
    /// The corrections file written, relative to the output folder.
    pub corrections: Option<String>,
}

/// What a year to date adds: paid against due, once a month of the year
/// is closed.
#[derive(Debug, Default)]
pub struct YearExtra {
    pub rows: Vec<PaidVsDue>,
    pub closed: Vec<String>,
}

impl Books {
    /// Reads the record of closed months and checks every paid payroll
    /// against it; applies `reopen`.
    ///
    /// # Errors
    /// [`ReportError::Refused`] when the record was changed or removed
    /// outside kpi-report, a paid `bonus.csv` was changed since its close
    /// (and is not being reopened), a closed month is missing from the
    /// inputs (unless `keep_vanished`: its reports are then kept as they
    /// are), or `reopen` names a month that is not closed.
    pub fn load(
        out: &Path,
        previous: Option<&Manifest>,
        reopen: Option<&Reopen>,
        keep_vanished: bool,
        set: &ReportSet<'_>,
    ) -> Result<Books, ReportError> {
        let (mut ledger, bytes) = if out.is_dir() {
            close::recover(out, previous)?;
            close::load(out, previous)?
        } else {
            (Ledger::default(), None)
        };
        let months: BTreeSet<String> = set
            .periods
            .iter()
            .filter(|p| matches!(p.period, Period::Month { .. }))
            .map(|p| p.period.folder())
            .collect();
        let mut reopened = Vec::new();
        if let Some(r) = reopen {
            let key = r.period.folder();
            if !ledger.closed.contains_key(&key) {
                return Err(ReportError::Refused {
                    path: out.join(CLOSED).display().to_string(),
                    reason: format!(
                        "--reopen {key}: {key} is not closed, so there is no paid payroll to \
                         replace; run without --reopen"
                    ),
                });
            }
        }
        let mut paid = BTreeMap::new();
        for (key, closing) in ledger.closed.clone() {
            let path = out.join(&closing.bonus_csv);
            let refuse = |reason: String| ReportError::Refused {
                path: path.display().to_string(),
                reason,
            };
            let verified = close::read_verified(out, &closing.bonus_csv, &closing.sha256)?;
            if let Some(r) = reopen.filter(|r| r.period.folder() == key) {
                ledger.closed.remove(&key);
                ledger.log.push(Event {
                    action: "reopen".into(),
                    period: key.clone(),
                    at: r.at.clone(),
                    by: r.by.clone(),
                    reason: Some(if verified.is_some() {
                        r.reason.clone()
                    } else {
                        format!(
                            "{} (the paid file had been changed outside kpi-report)",
                            r.reason
                        )
                    }),
                    sha256: closing.sha256.clone(),
                });
                reopened.push(key);
                continue;
            }
            if !months.contains(&key) && !keep_vanished {
                return Err(refuse(format!(
                    "{key} is closed (paid), and the inputs hold no {key}; put its workbooks \
                     back in the input folder, since a paid month's reports are kept only \
                     with the inputs they came from"
                )));
            }
            let Some(bytes) = verified else {
                return Err(refuse(format!(
                    "{key} was closed (paid) by {} at {}, and this file was changed outside \
                     kpi-report since: its bytes no longer hash to the SHA-256 {CLOSED} \
                     recorded ({}). Nothing was written. Put back the paid file; to replace \
                     the payroll on purpose, run with --reopen {key} --reason \"…\"",
                    closing.closed_by, closing.closed_at, closing.sha256
                )));
            };
            let Some(lines) = close::read_bonus(&bytes) else {
                return Err(refuse(format!(
                    "{key} is closed, and its paid file is not a bonus.csv kpi-report wrote"
                )));
            };
            paid.insert(
                key.clone(),
                Paid {
                    bytes,
                    sha256: closing.sha256.clone(),
                    lines,
                    inputs: ledger.inputs_at_close(&key),
                },
            );
        }
        let ledger_bytes = if reopened.is_empty() {
            bytes
        } else {
            Some(ledger.to_bytes())
        };
        Ok(Books {
            out: out.to_path_buf(),
            ledger,
            ledger_bytes,
            paid,
            reopened,
        })
    }

    /// A period's fingerprint with what closing adds to its files: a
    /// closed month's paid file, a year's closed months. Unchanged when
    /// nothing is closed, so manifests of earlier runs stay valid.
    pub fn fold_print(&self, period: Period, print: String) -> String {
        let closed: Vec<(&String, &String)> = self
            .paid
            .iter()
            .filter(|(key, _)| match period {
                Period::Month { .. } => **key == period.folder(),
                Period::YearToDate { year } => key.starts_with(&format!("{year:04}-")),
            })
            .map(|(k, p)| (k, &p.sha256))
            .collect();
        if closed.is_empty() {
            return print;
        }
        sha256_hex(format!("{print} closed {closed:?}").as_bytes())
    }

    /// The extra files of rebuilt month `ix`: its inputs snapshot, what
    /// changed against `previous` (the month's entry in the previous
    /// manifest), and a closed month's corrections (its paid payroll is
    /// [`Books::paid_bytes`]). A previous set whose files no longer match
    /// the manifest is not compared against; a note in `warnings` says so.
    ///
    /// # Errors
    /// I/O errors reading the previous files; writer errors.
    pub fn month(
        &self,
        set: &ReportSet<'_>,
        ix: usize,
        previous: Option<&PeriodEntry>,
        warnings: &mut Vec<String>,
    ) -> Result<MonthExtra, ReportError> {
        let result = &set.periods[ix];
        let key = result.period.folder();
        let snap = snapshot::of_month(set, ix);
        let new_lines = changes::read_results(&csv::results_csv(set.plan, set.people, result)?)
            .unwrap_or_default();
        let mut extra = MonthExtra::default();
        extra
            .files
            .push((snapshot::INPUTS.to_owned(), snapshot::to_csv(&snap)?));
        if let Some(entry) = previous {
            match self.previous_set(&key, entry)? {
                Ok((old_lines, old_snap)) => {
                    let ch = changes::compare(
                        &old_lines,
                        &new_lines,
                        old_snap.as_ref().map(|o| (o, &snap)),
                    );
                    extra.changed_people = Some(ch.people());
                    if !ch.is_empty() {
                        extra
                            .files
                            .push((changes::CHANGES.to_owned(), changes::to_csv(&ch)?));
                        extra.changes = Some(ch);
                    }
                }
                Err(why) => warnings.push(format!(
                    "{key}: the previous reports were not compared against, so no Changes \
                     are listed: {why}"
                )),
            }
        }
        if let Some(paid) = self.paid.get(&key) {
            let departments: BTreeMap<String, String> = set
                .people
                .iter()
                .map(|p| (p.staff_id.clone(), p.department.clone()))
                .collect();
            let rows = close::corrections(
                &paid.lines,
                &new_lines,
                &departments,
                paid.inputs.as_ref(),
                &snap,
            );
            if !rows.is_empty() {
                let name = format!("payroll-corrections-{key}.csv");
                let bonus = format!("{key}/bonus.csv");
                let bytes = close::corrections_csv(&rows, &name, &bonus, &paid.sha256)?;
                extra.corrections = Some(format!("{key}/{name}"));
                extra.files.push((name, bytes));
            }
        }
        Ok(extra)
    }

    /// [`Books::month`] for each of the months `ixs`, in parallel, with
    /// their entries of the previous manifest; the notes go to `warnings`
    /// in month order.
    ///
    /// # Errors
    /// The first month's error.
    pub fn months(
        &self,
        set: &ReportSet<'_>,
        ixs: &[usize],
        previous: Option<&Manifest>,
        warnings: &mut Vec<String>,
    ) -> Result<Vec<(usize, MonthExtra)>, ReportError> {
        use rayon::prelude::*;
        type Found = Result<(usize, MonthExtra, Vec<String>), ReportError>;
        let found: Vec<Found> = ixs
            .par_iter()
            .map(|&i| {
                let key = set.periods[i].period.folder();
                let entry = previous.and_then(|m| m.periods.get(&key));
                let mut notes = Vec::new();
                let extra = self.month(set, i, entry, &mut notes)?;
                Ok((i, extra, notes))
            })
            .collect();
        let mut out = Vec::new();
        for r in found {
            let (i, extra, notes) = r?;
            warnings.extend(notes);
            out.push((i, extra));
        }
        Ok(out)
    }

    /// The paid `bonus.csv` of closed month `key`, verified.
    pub fn paid_bytes(&self, key: &str) -> Option<Vec<u8>> {
        self.paid.get(key).map(|p| p.bytes.clone())
    }

    /// The previous set's `results.csv` lines and `inputs.csv` snapshot of
    /// month `key`, each only if its bytes hash to what the manifest
    /// recorded. `Ok(Err(why))`: not to be compared against.
    #[allow(clippy::type_complexity)]
    fn previous_set(
        &self,
        key: &str,
        entry: &PeriodEntry,
    ) -> Result<Result<(BTreeMap<String, changes::Line>, Option<Snapshot>), String>, ReportError>
    {
        let read = |name: &str| -> Result<Option<Option<Vec<u8>>>, ReportError> {
            let rel = format!("{key}/{name}");
            match entry
                .sha256
                .get(&rel)
                .filter(|_| entry.files.contains(&rel))
            {
                None => Ok(None),
                Some(h) => Ok(Some(close::read_verified(&self.out, &rel, h)?)),
            }
        };
        let results = match read("results.csv")? {
            None => return Ok(Err("they carry no file hashes (an earlier version)".into())),
            Some(None) => {
                return Ok(Err(format!(
                    "{key}/results.csv was changed outside kpi-report"
                )));
            }
            Some(Some(b)) => b,
        };
        let Some(lines) = changes::read_results(&results) else {
            return Ok(Err(format!(
                "{key}/results.csv is not one kpi-report wrote"
            )));
        };
        let snap = match read(snapshot::INPUTS)? {
            // Written by a version without inputs.csv: people only.
            None => None,
            Some(None) => {
                return Ok(Err(format!(
                    "{key}/{} was changed outside kpi-report",
                    snapshot::INPUTS
                )));
            }
            Some(Some(b)) => match snapshot::from_csv(&b) {
                Some(s) => Some(s),
                None => {
                    return Ok(Err(format!(
                        "{key}/{} is not one kpi-report wrote",
                        snapshot::INPUTS
                    )));
                }
            },
        };
        Ok(Ok((lines, snap)))
    }

    /// Paid against due for the year to date `ix`, once a month of its
    /// year is closed.
    pub fn year(&self, set: &ReportSet<'_>, ix: usize) -> Option<YearExtra> {
        let Period::YearToDate { year } = set.periods[ix].period else {
            return None;
        };
        let prefix = format!("{year:04}-");
        let closed: Vec<String> = self
            .paid
            .keys()
            .filter(|k| k.starts_with(&prefix))
            .cloned()
            .collect();
        if closed.is_empty() {
            return None;
        }
        let mut rows: BTreeMap<String, PaidVsDue> = BTreeMap::new();
        for p in set.people {
            rows.insert(
                p.staff_id.clone(),
                PaidVsDue {
                    staff_id: p.staff_id.clone(),
                    name: p.name.clone(),
                    department: p.department.clone(),
                    due: rust_decimal::Decimal::ZERO,
                    paid: rust_decimal::Decimal::ZERO,
                    open_months: Vec::new(),
                },
            );
        }
        for month in set
            .periods
            .iter()
            .filter(|r| matches!(r.period, Period::Month { .. }) && r.period.year() == year)
        {
            for r in &month.people {
                let Some(p) = set.people.get(r.person) else {
                    continue;
                };
                let Some(row) = rows.get_mut(&p.staff_id) else {
                    continue;
                };
                match r.card.as_ref().and_then(|c| c.bonus) {
                    Some(b) => row.due += b,
                    None => row.open_months.push(month.period.folder()),
                }
            }
        }
        for key in &closed {
            for (id, line) in &self.paid[key].lines {
                let row = rows.entry(id.clone()).or_insert_with(|| PaidVsDue {
                    staff_id: id.clone(),
                    name: line.name.clone(),
                    department: line.department.clone(),
                    due: rust_decimal::Decimal::ZERO,
                    paid: rust_decimal::Decimal::ZERO,
                    open_months: Vec::new(),
                });
                row.paid += line.bonus;
            }
        }
        Some(YearExtra {
            rows: rows.into_values().collect(),
            closed,
        })
    }

    /// Writes the record of closed months into the new set, as it is or
    /// as a reopen changed it.
    ///
    /// # Errors
    /// I/O errors naming the path.
    pub fn stage(&self, staging: &Path) -> Result<(), ReportError> {
        if let Some(bytes) = &self.ledger_bytes {
            write_file(&staging.join(CLOSED), bytes)?;
        }
        Ok(())
    }

    /// The hash the new manifest records for the record of closed months.
    pub fn ledger_sha256(&self) -> Option<String> {
        self.ledger_bytes.as_deref().map(sha256_hex)
    }

    /// Whether `key` is a closed month.
    pub fn is_closed(&self, key: &str) -> bool {
        self.ledger.closed.contains_key(key)
    }
}
