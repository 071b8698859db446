//! Tables -> the dataset: the roster joined with each period's targets and
//! results, every rule-3 problem of the contract reported, and for each
//! person and period the numbers scoring needs, or the verdict `incomplete`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rust_decimal::Decimal;

use std::sync::Arc;

use super::InputError;
use super::roster::{self, Status};
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
    /// Hire and leave dates from the roster, (year, month, day), when given.
    pub hire: Option<(u16, u8, u8)>,
    pub leave: Option<(u16, u8, u8)>,
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

/// Who scoring sees and where their rows are: per period, per person (an
/// index into the people), the targets and the results records.
type Rows = BTreeMap<Period, HashMap<usize, Slot>>;
/// A person's targets records and results records in one period.
type Slot = (Vec<usize>, Vec<usize>);

/// Joins the tables into the dataset; a folder with a roster and no period is accepted when
/// `need_periods` is false (`targets` before the year's first month).
///
/// In steps: the roster; managers; each period's rows by person (unknown
/// ids reported); who is not scored at all; tables doubling each other;
/// each period's cases; who is complete.
pub(super) fn build_with(
    plan: &Plan,
    records: Vec<Record>,
    diags: &mut Vec<Diagnostic>,
    need_periods: bool,
) -> Result<Dataset, InputError> {
    let Roster {
        mut people,
        by_id,
        mut employment,
        role_issues,
    } = read_roster(plan, &records, diags);
    if people.is_empty() {
        return Err(InputError::nothing_to_score(
            "no roster found: the folder needs a sheet whose header row has Staff ID, Name, Department, Role and Bonus Base",
            "未找到花名册：文件夹中需要有一个表头含“工号”“姓名”“部门”“岗位”和“奖金基数”的工作表",
        ));
    }
    resolve_managers(plan, &records, &mut people, &by_id, diags);
    let (mut rows, periods, unknown) = rows_by_period(&records, &people, &by_id, diags);
    if periods.is_empty() && need_periods {
        return Err(InputError::nothing_to_score(
            "no targets or results found: the folder needs sheets with Staff ID and target or result columns, for a month named in a Period column, the file or sheet name or a title row, or given with --period",
            "未找到目标或业绩：文件夹中需要有含“工号”及目标或业绩列的工作表，其月份写在“期间”列、文件名、工作表名或标题行中，或用 --period 给出",
        ));
    }
    for seen in unknown.into_values().filter(|u| u.more > 0) {
        diags.push(seen.diagnostic());
    }
    let keep = who_is_scored(
        &records,
        &people,
        &employment,
        role_issues,
        &rows,
        &periods,
        diags,
    );
    if keep.iter().any(|k| !k) {
        keep_only(&keep, &mut people, &mut employment, &mut rows);
    }
    let blocked_by_pair = block_doubled_tables(&records, &people, &mut rows, diags);
    let mut out = Vec::with_capacity(periods.len());
    let empty = HashMap::new();
    for period in periods {
        let join = Join {
            plan,
            records: &records,
            people: &people,
            employment: &employment,
            blocked_by_pair: &blocked_by_pair,
        };
        let table = rows.get(&period).unwrap_or(&empty);
        out.push((period, join.cases(period, table, diags)));
    }
    mark_complete(&people, &mut out, diags);
    Ok(Dataset {
        people,
        periods: out,
        records,
    })
}

/// The roster as read: people in roster order, each one's index by staff
/// id, and beside each person their employment and the unknown-role error
/// (raised only for a person with data, see [`who_is_scored`]).
struct Roster {
    people: Vec<Person>,
    by_id: HashMap<String, usize>,
    employment: Vec<Employment>,
    role_issues: Vec<Option<Diagnostic>>,
}

/// Reads every roster record into a person; a staff id twice is an error.
fn read_roster(plan: &Plan, records: &[Record], diags: &mut Vec<Diagnostic>) -> Roster {
    let key = plan.key;
    let mut roster = Roster {
        people: Vec::new(),
        by_id: HashMap::new(),
        employment: Vec::new(),
        role_issues: Vec::new(),
    };
    for (ix, rec) in records.iter().enumerate().filter(|(_, r)| r.kinds.staff) {
        if let Some(&first) = roster.by_id.get(&rec.staff_id) {
            let first_loc = records[roster.people[first].record].location();
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
        let employed = roster_employment(plan, rec, diags);
        roster.employment.push(employed);
        roster.role_issues.push(None);
        if role.is_none() && !role_text.is_empty() {
            roster.role_issues[roster.people.len()] = Some(unknown_role(plan, rec, &role_text));
        }
        for (col, c) in plan.columns.iter().enumerate() {
            if c.table == TableKind::Staff && c.required {
                check_present(plan, rec, col, None, diags);
            }
        }
        roster
            .by_id
            .insert(rec.staff_id.clone(), roster.people.len());
        roster.people.push(Person {
            staff_id: rec.staff_id.clone(),
            name: text(key.name),
            department: text(key.department),
            role_name: role.map_or(role_text, |r| plan.roles[r].name.clone()),
            role,
            manager_id: text(key.manager_id),
            record: ix,
            hire: employed.hire,
            leave: employed.leave,
        });
    }
    roster
}

/// A roster row's role that the plan does not know.
fn unknown_role(plan: &Plan, rec: &Record, role_text: &str) -> Diagnostic {
    let known: Vec<&str> = plan.roles.iter().map(|r| r.name.as_str()).collect();
    Diagnostic::error(
        Code::UnknownRole,
        rec.cell(plan.key.role),
        format!(
            "role '{role_text}' is not in the plan ({}); correct it or add it to the plan as an alias",
            known.join(", ")
        ),
    )
    .zh(format!(
        "岗位“{role_text}”不在方案中（{}）；请更正，或在方案中把它加为别名",
        known.join("、")
    ))
    .with_value(role_text.to_owned())
    .for_person(&rec.staff_id, None)
}

/// Every targets and results record by period and person, and the periods
/// found. A row whose staff id is not in the roster is left out with an
/// error (one that differs only in format says so), listed one by one up
/// to [`LISTED_UNKNOWN`] per table and then counted (returned by table).
fn rows_by_period(
    records: &[Record],
    people: &[Person],
    by_id: &HashMap<String, usize>,
    diags: &mut Vec<Diagnostic>,
) -> (Rows, BTreeSet<Period>, BTreeMap<usize, Unlisted>) {
    let loose = roster::loose_index(people.iter().map(|p| p.staff_id.as_str()));
    let loose: HashMap<String, Option<String>> = loose
        .into_iter()
        .map(|(k, v)| (k, v.map(str::to_owned)))
        .collect();
    let mut rows = Rows::new();
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
            let roster_id = loose.get(&roster::loose_id(&rec.staff_id));
            diags.push(unknown_staff(rec, roster_id.and_then(Option::as_deref)));
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
    (rows, periods, unknown)
}

/// A row whose staff id is not in the roster; `roster_id`: the roster id
/// it differs from only in format, if one does.
fn unknown_staff(rec: &Record, roster_id: Option<&str>) -> Diagnostic {
    if let Some(roster_id) = roster_id {
        let (how, how_zh) = roster::how_differs(&rec.staff_id, roster_id);
        return Diagnostic::error(
            Code::IdFormat,
            rec.location(),
            format!(
                "staff id '{}' is not in the roster, but '{roster_id}' is: they differ only in {how}, so the Staff ID columns are formatted differently; give them the same format in every file (text, so that leading zeros stay) and run again. This row is left out",
                rec.staff_id
            ),
        )
        .zh(format!(
            "工号“{}”不在花名册中，但“{roster_id}”在：两者只差{how_zh}，说明各文件的工号列格式不同；请在所有文件中把工号列设为相同格式（设为文本可保留前导零）后重新运行。此行未计入",
            rec.staff_id
        ))
        .with_value(rec.staff_id.clone());
    }
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
    .with_value(rec.staff_id.clone())
}

impl Unlisted {
    /// The one error for the unknown staff ids past the listed ones.
    fn diagnostic(self) -> Diagnostic {
        let (from, to) = (
            self.source.at(self.first, self.col),
            self.source.at(self.last, self.col),
        );
        let cells = |l: &crate::diagnostics::Location| l.cell.clone().unwrap_or_default();
        let (a, b) = (cells(&from), cells(&to));
        Diagnostic::error(
            Code::UnknownStaff,
            from,
            format!(
                "and {} more rows of this table, {a} to {b}, have staff ids that are not in the roster; they are left out (add the people to the roster or correct the ids)",
                self.more
            ),
        )
        .zh(format!(
            "此表另有 {} 行（{a} 至 {b}）的工号不在花名册中；这些行未计入（请把这些人加入花名册或更正工号）",
            self.more
        ))
    }
}

/// Who is evaluated: a person with no targets or results anywhere whose
/// role the plan does not score is noted and left out; so is one who had
/// left or was not yet hired in every period (month by month, see
/// [`Join::cases`]). The unknown-role error of a person with rows is raised
/// here. Returns, per person, whether they stay.
fn who_is_scored(
    records: &[Record],
    people: &[Person],
    employment: &[Employment],
    mut role_issues: Vec<Option<Diagnostic>>,
    rows: &Rows,
    periods: &BTreeSet<Period>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<bool> {
    let has_rows = |pix: usize| {
        rows.values().any(|m| {
            m.get(&pix)
                .is_some_and(|(t, r)| !t.is_empty() || !r.is_empty())
        })
    };
    let mut keep = vec![true; people.len()];
    for (pix, person) in people.iter().enumerate() {
        let issue = role_issues[pix].take();
        if has_rows(pix) {
            diags.extend(issue);
            continue;
        }
        let note = if issue.is_some() {
            Some((
                format!(
                    "{} ({}) is not scored: role '{}' is not in the plan, and there are no targets or results for them",
                    person.staff_id, person.name, person.role_name
                ),
                format!(
                    "{}（{}）不参与评分：岗位“{}”不在方案中，且没有其目标或业绩",
                    person.staff_id, person.name, person.role_name
                ),
            ))
        } else {
            let e = &employment[pix];
            // With no period at all (a roster alone, for `targets`), nobody
            // is outside every period.
            (!periods.is_empty()
                && periods
                    .iter()
                    .all(|p| roster::outside(e.status, e.hire, e.leave, *p).is_some()))
            .then(|| {
                let (why, why_zh) = periods
                    .iter()
                    .find_map(|p| roster::outside(e.status, e.hire, e.leave, *p))
                    .unwrap_or_default();
                (
                    format!(
                        "{} ({}) is not scored: {why}, and there are no targets or results for them",
                        person.staff_id, person.name
                    ),
                    format!(
                        "{}（{}）不参与评分：{why_zh}，且没有其目标或业绩",
                        person.staff_id, person.name
                    ),
                )
            })
        };
        if let Some((en, zh)) = note {
            keep[pix] = false;
            diags.push(
                Diagnostic::info(Code::NotScored, records[person.record].location(), en).zh(zh),
            );
        }
    }
    keep
}

/// Leaves out the people not kept, renumbering the others in `rows`.
fn keep_only(
    keep: &[bool],
    people: &mut Vec<Person>,
    employment: &mut Vec<Employment>,
    rows: &mut Rows,
) {
    let mut new_ix = vec![usize::MAX; people.len()];
    let mut kept = Vec::new();
    let mut kept_employment = Vec::new();
    for (pix, person) in std::mem::take(people).into_iter().enumerate() {
        if keep[pix] {
            new_ix[pix] = kept.len();
            kept.push(person);
            kept_employment.push(employment[pix]);
        }
    }
    *people = kept;
    *employment = kept_employment;
    for table in rows.values_mut() {
        *table = std::mem::take(table)
            .into_iter()
            .filter(|(pix, _)| keep[*pix])
            .map(|(pix, slot)| (new_ix[pix], slot))
            .collect();
    }
}

/// Two tables holding rows for the same people and month: one error per
/// pair of tables, and those people are not scored from either. Returns
/// the (person, period) pairs so blocked.
fn block_doubled_tables(
    records: &[Record],
    people: &[Person],
    rows: &mut Rows,
    diags: &mut Vec<Diagnostic>,
) -> HashSet<(usize, Period)> {
    let mut blocked_by_pair: HashSet<(usize, Period)> = HashSet::new();
    let mut pairs: BTreeMap<(String, String), Pair> = BTreeMap::new();
    for (period, table) in rows.iter_mut() {
        for (pix, (t, r)) in table.iter_mut() {
            for (list, what) in [(t, "targets"), (r, "results")] {
                let mut sources: Vec<&Arc<TableSource>> =
                    list.iter().map(|&ix| &records[ix].source).collect();
                sources.sort_by_key(|s| (s.file.clone(), s.sheet.clone()));
                sources.dedup_by(|a, b| Arc::ptr_eq(a, b));
                if sources.len() < 2 {
                    continue;
                }
                let (a, b) = (sources[0], sources[1]);
                let pair = pairs
                    .entry((place(a), place(b)))
                    .or_insert_with(|| Pair::new(a, b));
                pair.people.insert(people[*pix].staff_id.clone());
                pair.periods.insert(*period);
                pair.kinds.insert(what);
                blocked_by_pair.insert((*pix, *period));
                list.clear();
            }
        }
    }
    for pair in pairs.into_values() {
        diags.push(pair.diagnostic());
    }
    blocked_by_pair
}

/// What a period's cases are joined from.
struct Join<'a> {
    plan: &'a Plan,
    records: &'a [Record],
    people: &'a [Person],
    employment: &'a [Employment],
    blocked_by_pair: &'a HashSet<(usize, Period)>,
}

impl Join<'_> {
    /// One case per person for `period` (`table`: the period's rows by
    /// person): the numbers of their roster, targets and results rows, or
    /// not scored (blocked by doubled tables, or away with no rows).
    fn cases(
        &self,
        period: Period,
        table: &HashMap<usize, Slot>,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<Case> {
        let (plan, records) = (self.plan, self.records);
        let mut cases = Vec::with_capacity(self.people.len());
        for (pix, person) in self.people.iter().enumerate() {
            let (t, r) = table
                .get(&pix)
                .map(|(t, r)| (t.as_slice(), r.as_slice()))
                .unwrap_or((&[], &[]));
            let e = &self.employment[pix];
            let away = if t.is_empty() && r.is_empty() {
                roster::outside(e.status, e.hire, e.leave, period)
            } else {
                None
            };
            if self.blocked_by_pair.contains(&(pix, period)) || away.is_some() {
                if let Some((why, why_zh)) = away {
                    diags.push(away_note(records, person, period, &why, &why_zh));
                }
                cases.push(Case {
                    person: pix,
                    values: vec![None; plan.columns.len()],
                    complete: false,
                    targets: None,
                    results: None,
                });
                continue;
            }
            let targets = single(
                records,
                t,
                person,
                period,
                "targets",
                Code::MissingTargets,
                diags,
            );
            let results = single(
                records,
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
        cases
    }
}

/// A person not scored for a period they were away in, with no rows.
fn away_note(
    records: &[Record],
    person: &Person,
    period: Period,
    why: &str,
    why_zh: &str,
) -> Diagnostic {
    Diagnostic::info(
        Code::NotScored,
        records[person.record].location(),
        format!(
            "{} ({}) is not scored for {period}: {why}, and there are no targets or results for them in it",
            person.staff_id, person.name
        ),
    )
    .zh(format!(
        "{}（{}）在 {period} 不参与评分：{why_zh}，且该期间没有其目标或业绩",
        person.staff_id, person.name
    ))
    .for_person(&person.staff_id, Some(period))
}

/// A person is complete for a period when no error concerns them there
/// (and the plan knows their role).
fn mark_complete(people: &[Person], out: &mut [(Period, Vec<Case>)], diags: &[Diagnostic]) {
    let blocked: HashSet<(&str, Option<Period>)> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .filter_map(|d| d.staff_id.as_deref().map(|id| (id, d.period)))
        .collect();
    for (period, cases) in out {
        for case in cases.iter_mut() {
            let id = people[case.person].staff_id.as_str();
            case.complete = case.complete
                && people[case.person].role.is_some()
                && !blocked.contains(&(id, None))
                && !blocked.contains(&(id, Some(*period)));
        }
    }
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

/// A person's employment as the roster states it.
#[derive(Debug, Clone, Copy, Default)]
struct Employment {
    status: Option<Status>,
    hire: Option<(u16, u8, u8)>,
    leave: Option<(u16, u8, u8)>,
}

/// Reads the optional status, hire date and leave date of a roster row; a
/// value that cannot be read is warned about and not used.
fn roster_employment(plan: &Plan, rec: &Record, diags: &mut Vec<Diagnostic>) -> Employment {
    let text = |id: &str| {
        let ix = plan.column_ix(id)?;
        match &rec.fields[ix].as_ref()?.value {
            FieldValue::Text(t) => Some((ix, t.clone())),
            _ => None,
        }
    };
    let mut out = Employment::default();
    if let Some((ix, t)) = text("status") {
        out.status = roster::status_of(&t);
        if out.status.is_none() {
            diags.push(
                Diagnostic::new(
                    Severity::Warning,
                    Code::BadRosterValue,
                    rec.cell(ix),
                    format!(
                        "status '{t}' is not one kpi-report knows (在职, 试用, 离职, Active, Terminated, …); {} is treated as employed",
                        rec.staff_id
                    ),
                )
                .zh(format!(
                    "状态“{t}”无法识别（在职、试用、离职、Active、Terminated 等）；{} 按在职处理",
                    rec.staff_id
                ))
                .with_value(t),
            );
        }
    }
    for (id, slot) in [("hire_date", &mut out.hire), ("leave_date", &mut out.leave)] {
        if let Some((ix, t)) = text(id) {
            *slot = roster::date_of(&t);
            if slot.is_none() {
                let name = &plan.columns[ix].display;
                diags.push(
                    Diagnostic::new(
                        Severity::Warning,
                        Code::BadRosterValue,
                        rec.cell(ix),
                        format!(
                            "'{name}' of {} is not a date ('{t}'); write it as 2026-10-15 or use a date cell. It is not used",
                            rec.staff_id
                        ),
                    )
                    .zh(format!(
                        "{} 的“{name}”不是日期（“{t}”）；请写成 2026-10-15 或使用日期单元格。此值未使用",
                        rec.staff_id
                    ))
                    .with_value(t),
                );
            }
        }
    }
    out
}

/// Checks every manager id against the roster. A value with no digit is a
/// name: resolved to the id of the one roster person of that name (a note
/// per name), an error when several share it or nobody has it. An id that
/// differs from a roster id only in format is an error saying so; any
/// other unknown id is a warning naming the cell.
fn resolve_managers(
    plan: &Plan,
    records: &[Record],
    people: &mut [Person],
    by_id: &HashMap<String, usize>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (pix, p) in people.iter().enumerate() {
        if !p.name.is_empty() {
            by_name
                .entry(roster::name_key(&p.name))
                .or_default()
                .push(pix);
        }
    }
    let loose = roster::loose_index(people.iter().map(|p| p.staff_id.as_str()));
    let loose: HashMap<String, Option<String>> = loose
        .into_iter()
        .map(|(k, v)| (k, v.map(str::to_owned)))
        .collect();
    // Resolved names: name -> (id, first cell, count).
    let mut resolved: BTreeMap<String, (String, crate::diagnostics::Location, usize)> =
        BTreeMap::new();
    for pix in 0..people.len() {
        let m = people[pix].manager_id.clone();
        if m.is_empty() || by_id.contains_key(&m) {
            continue;
        }
        let person = &people[pix];
        let rec = &records[person.record];
        let cell = rec.cell(plan.key.manager_id);
        let who = person.staff_id.clone();
        // A value without a digit is a name (ids carry digits).
        if !m.chars().any(|c| c.is_ascii_digit()) {
            match by_name.get(&roster::name_key(&m)).map(Vec::as_slice) {
                Some([one]) => {
                    let id = people[*one].staff_id.clone();
                    resolved
                        .entry(m.clone())
                        .or_insert_with(|| (id.clone(), cell.clone(), 0))
                        .2 += 1;
                    people[pix].manager_id = id;
                }
                found => diags.push(manager_name_unknown(people, found, &m, &who, cell)),
            }
            continue;
        }
        let roster_id = loose.get(&roster::loose_id(&m)).and_then(Option::as_deref);
        diags.push(manager_id_unknown(roster_id, m, &who, cell));
    }
    for (name, (id, cell, count)) in resolved {
        let rows = if count == 1 { "row" } else { "rows" };
        diags.push(
            Diagnostic::info(
                Code::ManagerName,
                cell,
                format!(
                    "manager '{name}' is a name, not a staff id; it is read as {id}, the one roster person of that name ({count} {rows})"
                ),
            )
            .zh(format!(
                "上级“{name}”是姓名而非工号；按花名册中唯一同名者读作 {id}（{count} 行）"
            ))
            .with_value(name),
        );
    }
}

/// A manager written as a name that is no one's in the roster
/// (`found`: nobody) or several people's.
fn manager_name_unknown(
    people: &[Person],
    found: Option<&[usize]>,
    m: &str,
    who: &str,
    cell: crate::diagnostics::Location,
) -> Diagnostic {
    let Some(many) = found else {
        return Diagnostic::error(
            Code::UnknownManager,
            cell,
            format!(
                "manager '{m}' of {who} is neither a staff id nor a name in the roster; write the manager's staff id"
            ),
        )
        .zh(format!(
            "{who} 的上级“{m}”既不是花名册中的工号，也不是其中的姓名；请填写上级的工号"
        ))
        .with_value(m.to_owned())
        .for_person(who, None);
    };
    let ids: Vec<&str> = many.iter().map(|&i| people[i].staff_id.as_str()).collect();
    Diagnostic::error(
        Code::AmbiguousManager,
        cell,
        format!(
            "manager '{m}' of {who} is a name several roster people share ({}); write the manager's staff id",
            ids.join(", ")
        ),
    )
    .zh(format!(
        "{who} 的上级“{m}”是花名册中多人同用的姓名（{}）；请填写上级的工号",
        ids.join("、")
    ))
    .with_value(m.to_owned())
    .for_person(who, None)
}

/// A manager id not in the roster: an error where it differs from the
/// roster's `roster_id` only in format, else a warning.
fn manager_id_unknown(
    roster_id: Option<&str>,
    m: String,
    who: &str,
    cell: crate::diagnostics::Location,
) -> Diagnostic {
    if let Some(roster_id) = roster_id {
        let (how, how_zh) = roster::how_differs(&m, roster_id);
        return Diagnostic::error(
            Code::IdFormat,
            cell,
            format!(
                "manager id '{m}' of {who} is not in the roster, but '{roster_id}' is: they differ only in {how}; give the Manager ID and Staff ID columns the same format (text, so that leading zeros stay)"
            ),
        )
        .zh(format!(
            "{who} 的上级工号“{m}”不在花名册中，但“{roster_id}”在：两者只差{how_zh}；请把上级工号列和工号列设为相同格式（设为文本可保留前导零）"
        ))
        .with_value(m.clone())
        .for_person(who, None);
    }
    Diagnostic::new(
        Severity::Warning,
        Code::UnknownManager,
        cell,
        format!(
            "manager id '{m}' of {who} is not in the roster; check it (the review of {who} goes to a workbook for '{m}')"
        ),
    )
    .zh(format!(
        "{who} 的上级工号“{m}”不在花名册中；请核对（{who} 的评估将放入“{m}”的工作簿）"
    ))
    .with_value(m)
}

/// Two tables found holding the same rows.
struct Pair {
    a: Arc<TableSource>,
    b: Arc<TableSource>,
    people: BTreeSet<String>,
    periods: BTreeSet<Period>,
    kinds: BTreeSet<&'static str>,
}

fn periods_of(pair: &Pair) -> Vec<Period> {
    pair.periods.iter().copied().collect()
}

fn place(s: &TableSource) -> String {
    format!("{} › {}", s.file, s.sheet)
}

impl Pair {
    fn new(a: &Arc<TableSource>, b: &Arc<TableSource>) -> Pair {
        Pair {
            a: Arc::clone(a),
            b: Arc::clone(b),
            people: BTreeSet::new(),
            periods: BTreeSet::new(),
            kinds: BTreeSet::new(),
        }
    }

    fn diagnostic(&self) -> Diagnostic {
        let (a, b) = (place(&self.a), place(&self.b));
        let what: Vec<&str> = self.kinds.iter().copied().collect();
        let what_zh: Vec<&str> = what.iter().map(|w| what_zh(w)).collect();
        let periods: Vec<String> = self.periods.iter().map(ToString::to_string).collect();
        let n = self.people.len();
        let shown: Vec<&str> = self.people.iter().take(5).map(String::as_str).collect();
        let more = if n > 5 { ", …" } else { "" };
        let same_file = self.a.file == self.b.file;
        let fix = if same_file {
            "delete the sheet that is out of date"
        } else {
            "keep the file that is right and move the other out of the folder"
        };
        let fix_zh = if same_file {
            "请删除过时的工作表"
        } else {
            "请保留正确的文件，把另一个移出文件夹"
        };
        let people = if n == 1 { "1 person" } else { "people" };
        let people = if n == 1 {
            people.to_owned()
        } else {
            format!("{n} {people}")
        };
        let mut d = Diagnostic::error(
            Code::DuplicateFile,
            crate::diagnostics::Location {
                file: self.b.file.to_string(),
                sheet: Some(self.b.sheet.to_string()),
                cell: None,
            },
            format!(
                "{a} and {b} both hold {} for {} ({people}: {}{more}); {fix}. kpi-report does not choose between them, so they are not scored",
                what.join(" and "),
                periods.join(", "),
                shown.join(", ")
            ),
        )
        .zh(format!(
            "{a} 与 {b} 都含有 {} 的{}（{n} 人：{}{more}）；{fix_zh}。kpi-report 不会替您选择，这些人暂不评分",
            periods.join("、"),
            what_zh.join("和"),
            shown.join("、")
        ));
        if let [only] = periods_of(self).as_slice() {
            d.period = Some(*only);
        }
        d
    }
}
