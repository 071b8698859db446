//! `results.csv` and `bonus.csv`: the machine-readable and payroll exports.

use rust_decimal::Decimal;

use super::ReportError;
use super::text::{csv_safe, two};
use crate::input::Person;
use crate::plan::Plan;
use crate::score::{PeriodResult, PersonResult};

/// The rows of a period in report order: scored people by company rank,
/// then staff id; then incomplete people by staff id.
pub fn report_order<'a>(people: &[Person], result: &'a PeriodResult) -> Vec<&'a PersonResult> {
    let mut rows: Vec<&PersonResult> = result.people.iter().collect();
    rows.sort_by(|a, b| {
        let key = |r: &PersonResult| {
            (
                r.card.as_ref().map_or(u32::MAX, |c| c.ranks.company.0),
                r.person,
            )
        };
        let (ra, pa) = key(a);
        let (rb, pb) = key(b);
        ra.cmp(&rb)
            .then_with(|| people[pa].staff_id.cmp(&people[pb].staff_id))
    });
    rows
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>, file: &str) -> Result<Vec<u8>, ReportError> {
    w.into_inner().map_err(|e| ReportError::Format {
        file: file.to_owned(),
        reason: e.to_string(),
    })
}

/// `results.csv`: one row per person, columns as the contract lists them.
///
/// # Errors
/// Only if the CSV writer fails, which writing to memory does not.
pub fn results_csv(
    plan: &Plan,
    people: &[Person],
    result: &PeriodResult,
) -> Result<Vec<u8>, ReportError> {
    let mut w = writer();
    let mut header: Vec<String> = [
        "period",
        "staff_id",
        "name",
        "department",
        "role",
        "manager_id",
        "status",
    ]
    .map(String::from)
    .to_vec();
    header.extend(plan.kpis.iter().map(|k| format!("score_{}", k.id)));
    header.extend(
        [
            "total_score",
            "grade",
            "rank_company",
            "rank_department",
            "rank_role",
            "bonus",
            // Last, so readers of the earlier columns by position still
            // work: "yes" when an adjustment changed the person's result.
            "adjusted",
        ]
        .map(String::from),
    );
    let err = |e: csv::Error| ReportError::Format {
        file: "results.csv".into(),
        reason: e.to_string(),
    };
    w.write_record(&header).map_err(err)?;
    let period = result.period.to_string();
    let mut row: Vec<String> = Vec::with_capacity(header.len());
    for r in report_order(people, result) {
        let p = &people[r.person];
        row.clear();
        row.push(period.clone());
        for text in [
            &p.staff_id,
            &p.name,
            &p.department,
            &p.role_name,
            &p.manager_id,
        ] {
            row.push(csv_safe(text).into_owned());
        }
        match &r.card {
            Some(c) => {
                row.push("ok".into());
                row.extend(c.kpis.iter().map(|k| k.score.map(two).unwrap_or_default()));
                row.push(two(c.total));
                row.push(csv_safe(&plan.grades[c.grade].grade).into_owned());
                row.push(c.ranks.company.0.to_string());
                row.push(c.ranks.department.0.to_string());
                row.push(c.ranks.role.0.to_string());
                row.push(c.bonus.map(two).unwrap_or_default());
                row.push(if c.adjustments.is_empty() { "" } else { "yes" }.into());
            }
            None => {
                row.push("incomplete".into());
                row.resize(header.len(), String::new());
            }
        }
        w.write_record(&row).map_err(err)?;
    }
    finish(w, "results.csv")
}

/// `bonus.csv`: the payroll export. Only people whose bonus is final (status
/// ok) are listed, by staff id, so every row can be paid as it stands; the
/// people left out are in results.csv and the Data Issues sheet.
///
/// # Errors
/// Only if the CSV writer fails.
pub fn bonus_csv(
    people: &[Person],
    result: &PeriodResult,
) -> Result<(Vec<u8>, Decimal), ReportError> {
    let mut w = writer();
    let err = |e: csv::Error| ReportError::Format {
        file: "bonus.csv".into(),
        reason: e.to_string(),
    };
    w.write_record(["staff_id", "name", "department", "bonus"])
        .map_err(err)?;
    let mut rows: Vec<&PersonResult> = result.people.iter().filter(|r| r.card.is_some()).collect();
    rows.sort_by(|a, b| people[a.person].staff_id.cmp(&people[b.person].staff_id));
    let mut sum = Decimal::ZERO;
    for r in rows {
        let p = &people[r.person];
        let bonus = r.card.as_ref().and_then(|c| c.bonus).unwrap_or_default();
        sum += bonus;
        w.write_record([
            csv_safe(&p.staff_id).as_ref(),
            csv_safe(&p.name).as_ref(),
            csv_safe(&p.department).as_ref(),
            two(bonus).as_str(),
        ])
        .map_err(err)?;
    }
    Ok((finish(w, "bonus.csv")?, sum))
}
