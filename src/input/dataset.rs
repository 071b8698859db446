//! Tables -> the dataset: the roster joined with each period's targets and
//! results, every rule-3 problem of the contract reported, and for each
//! person and period the numbers scoring needs, or the verdict `incomplete`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rust_decimal::Decimal;

use std::sync::Arc;

use super::InputError;
use super::table::{FieldValue, Record, TableSource};

/// Unknown staff ids listed one by one per table; the rest are counted in
/// one issue (a table of a million strangers must not print for ever).
const LISTED_UNKNOWN: usize = 1_000;

/// The unknown staff ids of one table.
struct Unlisted {
    source: Arc<TableSource>,
    listed: usize,
    more: usize,
    first: u32,
    last: u32,
    col: u32,
}
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::period::Period;
use crate::plan::{ColumnIx, Plan, TableKind};

/// A roster entry.
#[derive(Debug, Clone)]
pub struct Person {
    pub staff_id: String,
    pub name: String,
    pub department: String,
    /// The plan's role name where the plan knows the role, else as written.
    pub role_name: String,
    pub role: Option<usize>,
    pub manager_id: String,
    /// Index of the roster record.
    pub record: usize,
}

/// One person in one period: the numbers to score, or incomplete.
#[derive(Debug, Clone)]
pub struct Case {
    pub person: usize,
    /// One slot per plan column; None for a blank cell.
    pub values: Vec<Option<Decimal>>,
    /// False when any error concerns this person in this period.
    pub complete: bool,
    pub targets: Option<usize>,
    pub results: Option<usize>,
}

/// Everything the scoring stage needs.
#[derive(Debug)]
pub struct Dataset {
    /// Roster order: by staff id.
    pub people: Vec<Person>,
    /// Months found in the targets and results tables, ascending, each with
    /// one case per person (in `people` order).
    pub periods: Vec<(Period, Vec<Case>)>,
    /// The records the cases point into, kept for explanations.
    pub records: Vec<Record>,
}

/// Joins the tables into the dataset; a folder with a roster and no period is accepted when
/// `need_periods` is false (`targets` before the year's first month).
pub(super) fn build_with(
    plan: &Plan,
    records: Vec<Record>,
    diags: &mut Vec<Diagnostic>,
    need_periods: bool,
) -> Result<Dataset, InputError> {
    let key = plan.key;
    // Roster.
    let mut people: Vec<Person> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (ix, rec) in records.iter().enumerate().filter(|(_, r)| r.kinds.staff) {
        if let Some(&first) = by_id.get(&rec.staff_id) {
            let first_loc = records[people[first].record].location();
            diags.push(
                Diagnostic::error(
                    Code::DuplicateRow,
                    rec.location(),
                    format!(
                        "staff id '{}' is in the roster twice (also {}); keep one row",
                        rec.staff_id, first_loc
                    ),
                )
                .zh(format!(
                    "工号“{}”在花名册中出现两次（另见 {}）；请只保留一行",
                    rec.staff_id, first_loc
                ))
                .with_value(rec.staff_id.clone())
                .for_person(&rec.staff_id, None),
            );
            continue;
        }
        let text = |col: ColumnIx| match &rec.fields[col] {
            Some(f) => match &f.value {
                FieldValue::Text(t) => t.clone(),
                _ => String::new(),
            },
            None => String::new(),
        };
        let role_text = text(key.role);
        let role = plan.role_for_name(&role_text);
        if role.is_none() && !role_text.is_empty() {
            let known: Vec<&str> = plan.roles.iter().map(|r| r.name.as_str()).collect();
            diags.push(
                Diagnostic::error(
                    Code::UnknownRole,
                    rec.cell(key.role),
                    format!(
                        "role '{role_text}' is not in the plan ({}); correct it or add it to the plan as an alias",
                        known.join(", ")
                    ),
                )
                .zh(format!(
                    "岗位“{role_text}”不在方案中（{}）；请更正，或在方案中把它加为别名",
                    known.join("、")
                ))
                .with_value(role_text.clone())
                .for_person(&rec.staff_id, None),
            );
        }
        for (col, c) in plan.columns.iter().enumerate() {
            if c.table == TableKind::Staff && c.required {
                check_present(plan, rec, col, None, diags);
            }
        }
        by_id.insert(rec.staff_id.clone(), people.len());
        people.push(Person {
            staff_id: rec.staff_id.clone(),
            name: text(key.name),
            department: text(key.department),
            role_name: role.map_or(role_text, |r| plan.roles[r].name.clone()),
            role,
            manager_id: text(key.manager_id),
            record: ix,
        });
    }
    if people.is_empty() {
        return Err(InputError::NothingToScore(
            "no roster found: the folder needs a sheet whose header row has Staff ID, Name, Department, Role and Bonus Base".to_owned(),
        ));
    }

    // Targets and results per period and person.
    type Slot = (Vec<usize>, Vec<usize>);
    let mut rows: BTreeMap<Period, HashMap<usize, Slot>> = BTreeMap::new();
    let mut periods: BTreeSet<Period> = BTreeSet::new();
    let mut unknown: BTreeMap<usize, Unlisted> = BTreeMap::new();
    for (ix, rec) in records.iter().enumerate() {
        if rec.kinds.staff {
            continue;
        }
        let Some(period) = rec.period else { continue };
        periods.insert(period);
        let Some(&person) = by_id.get(&rec.staff_id) else {
            // Listed one by one up to a point per table, then counted.
            let seen = unknown
                .entry(Arc::as_ptr(&rec.source) as usize)
                .or_insert_with(|| Unlisted {
                    source: Arc::clone(&rec.source),
                    listed: 0,
                    more: 0,
                    first: rec.row,
                    last: rec.row,
                    col: rec.staff_col,
                });
            if seen.listed >= LISTED_UNKNOWN {
                if seen.more == 0 {
                    seen.first = rec.row;
                }
                seen.more += 1;
                seen.last = rec.row;
                continue;
            }
            seen.listed += 1;
            diags.push(
                Diagnostic::error(
                    Code::UnknownStaff,
                    rec.location(),
                    format!(
                        "staff id '{}' is not in the roster; this row is left out (add the person to the roster or correct the id)",
                        rec.staff_id
                    ),
                )
                .zh(format!(
                    "工号“{}”不在花名册中；此行未计入（请把此人加入花名册或更正工号）",
                    rec.staff_id
                ))
                .with_value(rec.staff_id.clone()),
            );
            continue;
        };
        let slot = rows.entry(period).or_default().entry(person).or_default();
        if rec.kinds.targets {
            slot.0.push(ix);
        }
        if rec.kinds.results {
            slot.1.push(ix);
        }
    }
    if periods.is_empty() && need_periods {
        return Err(InputError::NothingToScore(
            "no targets or results found: the folder needs sheets with Staff ID and target or result columns, for a month named in a Period column or the file name".to_owned(),
        ));
    }

    for seen in unknown.into_values().filter(|u| u.more > 0) {
        let (from, to) = (
            seen.source.at(seen.first, seen.col),
            seen.source.at(seen.last, seen.col),
        );
        let cells = |l: &crate::diagnostics::Location| l.cell.clone().unwrap_or_default();
        let (a, b) = (cells(&from), cells(&to));
        diags.push(
            Diagnostic::error(
                Code::UnknownStaff,
                from,
                format!(
                    "and {} more rows of this table, {a} to {b}, have staff ids that are not in the roster; they are left out (add the people to the roster or correct the ids)",
                    seen.more
                ),
            )
            .zh(format!(
                "此表另有 {} 行（{a} 至 {b}）的工号不在花名册中；这些行未计入（请把这些人加入花名册或更正工号）",
                seen.more
            )),
        );
    }
    let mut out = Vec::with_capacity(periods.len());
    let empty = HashMap::new();
    for period in periods {
        let table = rows.get(&period).unwrap_or(&empty);
        let mut cases = Vec::with_capacity(people.len());
        for (pix, person) in people.iter().enumerate() {
            let (t, r) = table
                .get(&pix)
                .map(|(t, r)| (t.as_slice(), r.as_slice()))
                .unwrap_or((&[], &[]));
            let targets = single(
                &records,
                t,
                person,
                period,
                "targets",
                Code::MissingTargets,
                diags,
            );
            let results = single(
                &records,
                r,
                person,
                period,
                "results",
                Code::MissingResults,
                diags,
            );
            let mut values: Vec<Option<Decimal>> = vec![None; plan.columns.len()];
            for ix in [Some(person.record), targets, results]
                .into_iter()
                .flatten()
            {
                for (col, field) in records[ix].fields.columns() {
                    if let FieldValue::Number(v) = &field.value {
                        values[col] = Some(*v);
                    }
                }
            }
            if let (Some(_), Some(res)) = (targets, results) {
                check_actuals(plan, &records[res], &values, period, diags);
            }
            cases.push(Case {
                person: pix,
                values,
                complete: true,
                targets,
                results,
            });
        }
        out.push((period, cases));
    }

    // A person is complete for a period when no error concerns them there.
    let blocked: HashSet<(&str, Option<Period>)> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .filter_map(|d| d.staff_id.as_deref().map(|id| (id, d.period)))
        .collect();
    for (period, cases) in &mut out {
        for case in cases.iter_mut() {
            let id = people[case.person].staff_id.as_str();
            case.complete = people[case.person].role.is_some()
                && !blocked.contains(&(id, None))
                && !blocked.contains(&(id, Some(*period)));
        }
    }
    Ok(Dataset {
        people,
        periods: out,
        records,
    })
}

fn what_zh(what: &str) -> &'static str {
    if what == "targets" {
        "目标"
    } else {
        "业绩"
    }
}

/// The one targets (or results) row of a person for a period; a missing or
/// doubled row is an error.
fn single(
    records: &[Record],
    found: &[usize],
    person: &Person,
    period: Period,
    what: &str,
    missing: Code,
    diags: &mut Vec<Diagnostic>,
) -> Option<usize> {
    match found {
        [one] => Some(*one),
        [] => {
            diags.push(
                Diagnostic::error(
                    missing,
                    records[person.record].location(),
                    format!(
                        "{} ({}) has no {what} row for {period}; add one, or remove the person from the roster",
                        person.staff_id, person.name
                    ),
                )
                .zh(format!(
                    "{}（{}）在 {period} 没有{}行；请补上，或把此人移出花名册",
                    person.staff_id,
                    person.name,
                    what_zh(what)
                ))
                .for_person(&person.staff_id, Some(period)),
            );
            None
        }
        [first, rest @ ..] => {
            for &dup in rest {
                diags.push(
                    Diagnostic::error(
                        Code::DuplicateRow,
                        records[dup].location(),
                        format!(
                            "{} has two {what} rows for {period} (also {}); keep one",
                            person.staff_id,
                            records[*first].location()
                        ),
                    )
                    .zh(format!(
                        "{} 在 {period} 有两行{}（另见 {}）；请只保留一行",
                        person.staff_id,
                        what_zh(what),
                        records[*first].location()
                    ))
                    .with_value(person.staff_id.clone())
                    .for_person(&person.staff_id, Some(period)),
                );
            }
            None
        }
    }
}

/// Every KPI's actual must be filled in, unless its target (0 or blank)
/// makes the KPI not apply.
fn check_actuals(
    plan: &Plan,
    results: &Record,
    values: &[Option<Decimal>],
    period: Period,
    diags: &mut Vec<Diagnostic>,
) {
    for kpi in &plan.kpis {
        if kpi.applies(values) {
            check_present(plan, results, kpi.actual, Some(period), diags);
        }
    }
}

/// A blank cell where a value is needed is an error for the row's person.
fn check_present(
    plan: &Plan,
    rec: &Record,
    col: ColumnIx,
    period: Option<Period>,
    diags: &mut Vec<Diagnostic>,
) {
    let column = &plan.columns[col];
    match rec.fields[col].as_ref().map(|f| &f.value) {
        Some(FieldValue::Blank) => diags.push(
            Diagnostic::error(
                Code::MissingValue,
                rec.cell(col),
                format!(
                    "'{}' is blank for {}; fill it in",
                    column.display, rec.staff_id
                ),
            )
            .zh(format!(
                "{} 的“{}”为空；请填写",
                rec.staff_id, column.display
            ))
            .for_person(&rec.staff_id, period),
        ),
        // No such column: the table's missing-column error already says so,
        // but the person still cannot be scored.
        None => diags.push(
            Diagnostic::error(
                Code::MissingValue,
                rec.location(),
                format!(
                    "no '{}' for {}: the table has no such column",
                    column.display, rec.staff_id
                ),
            )
            .zh(format!(
                "{} 没有“{}”：表中没有这一列",
                rec.staff_id, column.display
            ))
            .for_person(&rec.staff_id, period),
        ),
        _ => {}
    }
}
