//! Review workbooks for the feedback talk: one per manager (their direct
//! reports), per person or per department, as `--split` says. Each holds a
//! Team sheet (except per person) and one printable review sheet per
//! person ([`person`]).
//!
//! [`books`] decides which workbooks exist and their safe, unique file
//! names; [`review_xlsx`] builds one in memory. Both are pure, so the
//! workbooks can be built in parallel and come out the same on any number
//! of threads.

mod person;
mod team;

use std::collections::BTreeMap;

use rust_xlsxwriter::XlsxError;

use super::csv::report_order;
use super::lang::{self as l};
use super::names::{NameKind, Namer};
use super::styles::Styles;
use super::summary::properties;
use super::view::PeriodView;

/// How review workbooks are split (`--split`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Split {
    /// One workbook per manager, for their direct reports.
    #[default]
    Manager,
    /// One workbook per person.
    Staff,
    /// One workbook per department.
    Department,
    /// No review workbooks: only the summary and the CSV files.
    None,
}

impl Split {
    /// The subfolder of a period's folder the workbooks go to.
    pub fn folder(self) -> &'static str {
        match self {
            Split::Manager => "managers",
            Split::Staff => "staff",
            Split::Department => "departments",
            Split::None => "",
        }
    }
}

/// One review workbook to write.
#[derive(Debug, Clone)]
pub struct ReviewBook {
    /// Safe, unique file stem (without `.xlsx`).
    pub stem: String,
    /// Whose workbook it is: "S003 Jessica Evans", "East", "No manager".
    pub title: String,
    /// The people reviewed, in report order.
    pub members: Vec<usize>,
    /// A Team sheet first (not for a single person's workbook).
    pub team_sheet: bool,
}

/// "S003 Jessica Evans".
fn id_name(id: &str, name: &str) -> String {
    if name.is_empty() {
        id.to_owned()
    } else {
        format!("{id} {name}")
    }
}

/// The review workbooks of a period under `split`, in file-name order of
/// their keys (manager id, staff id or department), deterministic.
pub fn books(view: &PeriodView<'_>, split: Split) -> Vec<ReviewBook> {
    let lang = view.lang;
    let order: Vec<usize> = report_order(view.people, view.result)
        .iter()
        .map(|r| r.person)
        .collect();
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for &p in &order {
        let person = &view.people[p];
        let key = match split {
            Split::Manager => person.manager_id.clone(),
            Split::Staff => person.staff_id.clone(),
            Split::Department => person.department.clone(),
            Split::None => return Vec::new(),
        };
        groups.entry(key).or_default().push(p);
    }
    let mut namer = Namer::new(NameKind::File);
    groups
        .into_iter()
        .map(|(key, members)| {
            let (title, disambiguator) = match split {
                Split::Manager if key.is_empty() => {
                    (lang.t(l::NO_MANAGER).to_owned(), String::new())
                }
                Split::Manager => {
                    let name = view
                        .person_by_id(&key)
                        .map_or("", |p| view.people[p].name.as_str());
                    (id_name(&key, name), key.clone())
                }
                Split::Staff => {
                    let p = &view.people[members[0]];
                    (id_name(&p.staff_id, &p.name), p.staff_id.clone())
                }
                _ if key.is_empty() => (lang.t(l::NO_DEPARTMENT).to_owned(), String::new()),
                _ => (key.clone(), String::new()),
            };
            ReviewBook {
                stem: namer.name(&title, &disambiguator),
                title,
                members,
                team_sheet: split != Split::Staff,
            }
        })
        .collect()
}

/// Builds one review workbook in memory.
///
/// # Errors
/// An [`XlsxError`] from the writer.
pub fn review_xlsx(view: &PeriodView<'_>, book: &ReviewBook) -> Result<Vec<u8>, XlsxError> {
    let lang = view.lang;
    let mut wb = crate::report::styles::workbook();
    let title = format!(
        "{} — {} — {}",
        lang.t(l::REVIEW_TITLE),
        book.title,
        view.result.period
    );
    wb.set_properties(&properties(view, &title, lang.t(l::REVIEW_TITLE))?);
    let st = Styles::new(view.plan.grades.len());
    let mut sheets = Namer::new(NameKind::Sheet);
    let team_name = lang.t(l::TEAM);
    sheets.reserve(team_name);
    let development_name = lang.t(crate::report::development::SHEET);
    sheets.reserve(development_name);
    let names: Vec<String> = book
        .members
        .iter()
        .map(|&p| {
            let person = &view.people[p];
            sheets.name(&id_name(&person.staff_id, &person.name), &person.staff_id)
        })
        .collect();
    if book.team_sheet {
        team::sheet(wb.add_worksheet(), view, book, team_name, &names, &st)?;
    }
    for (&p, name) in book.members.iter().zip(&names) {
        person::sheet(wb.add_worksheet(), view, p, name, &st)?;
    }
    // A team's workbook ends with the development list of its people, when
    // anyone is on it.
    let list: Vec<_> = view
        .result
        .development
        .iter()
        .filter(|e| book.members.contains(&e.person))
        .collect();
    if book.team_sheet && !list.is_empty() {
        crate::report::development::sheet(wb.add_worksheet(), view, &list, development_name, &st)?;
    }
    wb.save_to_buffer()
}
