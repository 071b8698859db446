//! Deterministic sample workbooks for trying out and testing kpi-report.
//!
//! `write_samples` writes a small, realistic company into `.xlsx` files: a
//! staff roster (ids, names, departments, roles, reporting lines, bonus
//! bases) and one sales workbook per month with a targets sheet and a
//! results sheet (sales, new customers, satisfaction, complaints,
//! collaboration rating, training hours).
//!
//! Why: users get something to run the tool on before they have their own
//! data, and the tests and docs get fixtures that never change. Everything is
//! derived from the seed alone: the same options give byte-identical files
//! (the workbook creation time is pinned to 2026-01-01 00:00:00, nothing reads
//! the clock, and nothing depends on hash iteration order).
//!
//! Two layouts are produced from the same numbers:
//!
//! * [`Lang::En`]: `staff.xlsx` and `sales-YYYY-MM.xlsx`, clean tables
//!   with the header in row 1 and every number stored as a number.
//! * [`Lang::Zh`]: `员工花名册.xlsx` and `YYYY年M月销售业绩.xlsx`, laid out
//!   the way such sheets often arrive in practice: a merged title in row 1,
//!   two blank rows, the header in row 4, and about one numeric cell in five
//!   stored as text (`¥112,500.00`, `112,500.00`, `88%`, ` 88 `, `9`), so
//!   that the reader's lenient parsing gets exercised.
//!
//! Numbers come from one random stream and names from another, so the two
//! languages describe the same people with the same numbers; only names and
//! labels differ. The 2026-10 values of S001–S003 are fixed worked examples
//! that the documentation can refer to.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::lang::{Lang, tr};

mod names;
mod numbers;
mod workbook;

use names::*;
use numbers::*;
use workbook::*;

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};

/// What to generate and where.
#[derive(Debug, Clone)]
pub struct SampleOptions {
    /// Output directory; created if missing.
    pub out: PathBuf,
    /// Number of staff, at least 3.
    pub staff: usize,
    /// Number of months, 1..=24.
    pub months: u32,
    /// Language (and layout) of the sample workbooks.
    pub lang: Lang,
    pub seed: u64,
}

/// Why sample workbooks could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    #[error("invalid sample options: {0}")]
    InvalidOptions(String),
    #[error("cannot write {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot create workbook {}: {source}", .path.display())]
    Xlsx {
        path: PathBuf,
        #[source]
        source: XlsxError,
    },
}

/// Largest supported staff count: the Zh monthly sheets put data from row 5,
/// and a worksheet has 1,048,576 rows.
const MAX_STAFF: usize = 1_000_000;
const MAX_MONTHS: u32 = 24;

/// The month that always exists and holds the worked examples.
const EXAMPLE_MONTH: (i32, u32) = (2026, 10);

/// Writes the workbooks; returns the paths written, in order.
///
/// The roster comes first, then one workbook per month, oldest first.
pub fn write_samples(opts: &SampleOptions) -> Result<Vec<PathBuf>, SampleError> {
    let data = generate(opts)?;
    std::fs::create_dir_all(&opts.out).map_err(|source| SampleError::Io {
        path: opts.out.clone(),
        source,
    })?;

    let mut written = Vec::with_capacity(data.months.len() + 1);

    let path = opts.out.join(staff_file_name(opts.lang));
    let workbook = build_staff_workbook(&data, opts.lang);
    save_workbook(workbook, &path)?;
    written.push(path);

    for (index, month) in data.months.iter().enumerate() {
        let path = opts
            .out
            .join(month_file_name(opts.lang, month.year, month.month));
        let text_seed = derive_seed(opts.seed, STREAM_TEXT_CELLS, index as u64);
        let workbook = build_month_workbook(&data, month, opts.lang, text_seed);
        save_workbook(workbook, &path)?;
        written.push(path);
    }
    Ok(written)
}

// ---------------------------------------------------------------------------
// Generated data (pure)
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SampleRole {
    SalesRepresentative,
    KeyAccountManager,
    SalesManager,
}

impl SampleRole {
    fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::SalesRepresentative, Lang::En) => "Sales Representative",
            (Self::KeyAccountManager, Lang::En) => "Key Account Manager",
            (Self::SalesManager, Lang::En) => "Sales Manager",
            (Self::SalesRepresentative, Lang::Zh) => "销售代表",
            (Self::KeyAccountManager, Lang::Zh) => "大客户经理",
            (Self::SalesManager, Lang::Zh) => "销售经理",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct SamplePerson {
    id: String,
    name: String,
    /// Index into the department name lists.
    department: usize,
    role: SampleRole,
    /// `None` only for the head of sales (S003).
    manager_id: Option<String>,
    bonus_base: u32,
}

/// One person's targets and results for one month.
#[derive(Debug, Clone, PartialEq)]
struct SampleRecord {
    sales_target: f64,
    /// Rounded to cents.
    sales: f64,
    new_customers_target: u32,
    new_customers: u32,
    training_hours_target: u32,
    /// Whole or half hours.
    training_hours: f64,
    /// 0–100, at most one decimal.
    satisfaction: f64,
    complaints: u32,
    collaboration: u32,
}

/// One person's values for the extended plan's extra columns.
#[derive(Debug, Clone, Copy, PartialEq)]
struct SampleExtra {
    /// Collection rate in percent, 60–100, at most one decimal.
    collection_rate: f64,
    /// Expenses as a percent of sales, 6–18, at most one decimal.
    expense_ratio: f64,
    /// 1 compliant, 0 a compliance breach.
    compliance: u32,
}

#[derive(Debug, Clone, PartialEq)]
struct SampleMonth {
    year: i32,
    month: u32,
    /// Parallel to `SampleData::people`.
    records: Vec<SampleRecord>,
    /// Parallel to `SampleData::people`.
    extras: Vec<SampleExtra>,
}

#[derive(Debug, Clone)]
struct SampleData {
    people: Vec<SamplePerson>,
    months: Vec<SampleMonth>,
}

fn validate(opts: &SampleOptions) -> Result<(), SampleError> {
    if opts.staff < 3 {
        return Err(SampleError::InvalidOptions(format!(
            "staff must be at least 3 (S001-S003 are fixed examples), got {}",
            opts.staff
        )));
    }
    if opts.staff > MAX_STAFF {
        return Err(SampleError::InvalidOptions(format!(
            "staff must be at most {MAX_STAFF} to fit in a worksheet, got {}",
            opts.staff
        )));
    }
    if opts.months == 0 || opts.months > MAX_MONTHS {
        return Err(SampleError::InvalidOptions(format!(
            "months must be between 1 and {MAX_MONTHS}, got {}",
            opts.months
        )));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Workbook writers
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn options(staff: usize, months: u32, lang: Lang, seed: u64) -> SampleOptions {
        SampleOptions {
            out: PathBuf::new(),
            staff,
            months,
            lang,
            seed,
        }
    }

    /// A fresh, unique directory under the system temp dir; removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> Self {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let n = COUNTER.fetch_add(1, Ordering::SeqCst);
            let path = std::env::temp_dir().join(format!(
                "kpi-report-sample-test-{}-{tag}-{n}",
                std::process::id()
            ));
            let _ = std::fs::remove_dir_all(&path);
            TempDir(path)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn write_and_read(staff: usize, months: u32, lang: Lang, seed: u64) -> Vec<Vec<u8>> {
        let dir = TempDir::new("det");
        let mut opts = options(staff, months, lang, seed);
        opts.out = dir.0.join("nested");
        let paths = write_samples(&opts).unwrap();
        assert_eq!(paths.len(), months as usize + 1);
        paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
    }

    #[test]
    fn same_seed_gives_identical_bytes() {
        for lang in [Lang::En, Lang::Zh] {
            let first = write_and_read(30, 3, lang, 7);
            let second = write_and_read(30, 3, lang, 7);
            assert_eq!(first, second, "{lang:?}");
        }
    }

    #[test]
    fn different_seeds_differ() {
        let first = write_and_read(30, 1, Lang::Zh, 1);
        let second = write_and_read(30, 1, Lang::Zh, 2);
        assert_ne!(first[1], second[1]);
    }

    #[test]
    fn file_names_in_order() {
        let dir = TempDir::new("names");
        let mut opts = options(5, 4, Lang::Zh, 3);
        opts.out = dir.0.clone();
        let names: Vec<String> = write_samples(&opts)
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "员工花名册.xlsx",
                "2026年9月销售业绩.xlsx",
                "2026年10月销售业绩.xlsx",
                "2026年11月销售业绩.xlsx",
                "2026年12月销售业绩.xlsx",
            ]
        );
        assert_eq!(month_file_name(Lang::En, 2026, 1), "sales-2026-01.xlsx");
        assert_eq!(staff_file_name(Lang::En), "staff.xlsx");
    }

    #[test]
    fn invalid_options_are_rejected() {
        let dir = TempDir::new("invalid");
        for (staff, months) in [(2, 1), (0, 1), (3, 0), (3, 25), (MAX_STAFF + 1, 1)] {
            let mut opts = options(staff, months, Lang::En, 0);
            opts.out = dir.0.clone();
            let err = write_samples(&opts).unwrap_err();
            assert!(matches!(err, SampleError::InvalidOptions(_)), "{err}");
        }
        assert!(!dir.0.exists(), "nothing is created for invalid options");
        assert!(
            write_samples(&options(2, 1, Lang::En, 0))
                .unwrap_err()
                .to_string()
                .contains("at least 3")
        );
    }

    #[test]
    fn io_error_names_the_path() {
        let dir = TempDir::new("io");
        std::fs::create_dir_all(&dir.0).unwrap();
        let blocker = dir.0.join("file");
        std::fs::write(&blocker, b"x").unwrap();
        let mut opts = options(3, 1, Lang::En, 0);
        opts.out = blocker.join("out");
        let err = write_samples(&opts).unwrap_err();
        assert!(matches!(err, SampleError::Io { .. }));
        assert!(err.to_string().contains("out"), "{err}");
    }

    #[test]
    fn months_are_consecutive_and_include_october_2026() {
        assert_eq!(month_list(1), [(2026, 10)]);
        assert_eq!(month_list(3), [(2026, 10), (2026, 11), (2026, 12)]);
        assert_eq!(
            month_list(4),
            [(2026, 9), (2026, 10), (2026, 11), (2026, 12)]
        );
        let year: Vec<_> = (1..=12).map(|m| (2026, m)).collect();
        assert_eq!(month_list(12), year);
        assert_eq!(month_list(15).first(), Some(&(2025, 10)));
        assert_eq!(month_list(24).first(), Some(&(2025, 1)));
        for months in 1..=MAX_MONTHS {
            let list = month_list(months);
            assert_eq!(list.len(), months as usize);
            assert!(list.contains(&EXAMPLE_MONTH));
            for pair in list.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                assert_eq!(b.0 * 12 + b.1 as i32, a.0 * 12 + a.1 as i32 + 1);
            }
        }
    }

    fn record<'a>(data: &'a SampleData, id: &str, month: (i32, u32)) -> &'a SampleRecord {
        let index = data.people.iter().position(|p| p.id == id).unwrap();
        let month = data
            .months
            .iter()
            .find(|m| (m.year, m.month) == month)
            .unwrap();
        &month.records[index]
    }

    #[test]
    fn worked_examples_in_october_2026() {
        for lang in [Lang::En, Lang::Zh] {
            let data = generate(&options(30, 12, lang, 42)).unwrap();
            let s1 = record(&data, "S001", EXAMPLE_MONTH);
            assert_eq!((s1.sales, s1.sales_target), (112_500.0, 100_000.0));
            assert_eq!((s1.new_customers, s1.new_customers_target), (9, 10));
            assert_eq!(
                (s1.satisfaction, s1.complaints, s1.collaboration),
                (88.0, 1, 4)
            );
            assert_eq!((s1.training_hours, s1.training_hours_target), (6.0, 8));
            let s2 = record(&data, "S002", EXAMPLE_MONTH);
            assert_eq!((s2.sales, s2.sales_target), (90_000.0, 200_000.0));
            assert_eq!((s2.new_customers, s2.new_customers_target), (3, 4));
            assert_eq!(
                (s2.satisfaction, s2.complaints, s2.collaboration),
                (97.0, 0, 5)
            );
            assert_eq!((s2.training_hours, s2.training_hours_target), (0.0, 0));
            let s3 = record(&data, "S003", EXAMPLE_MONTH);
            assert_eq!((s3.sales, s3.sales_target), (650_000.0, 500_000.0));
            assert_eq!((s3.new_customers, s3.new_customers_target), (12, 10));
            assert_eq!(
                (s3.satisfaction, s3.complaints, s3.collaboration),
                (92.0, 2, 3)
            );
            assert_eq!((s3.training_hours, s3.training_hours_target), (12.0, 10));

            let people = &data.people;
            assert_eq!(people[0].role, SampleRole::SalesRepresentative);
            assert_eq!(people[1].role, SampleRole::KeyAccountManager);
            assert_eq!(people[2].role, SampleRole::SalesManager);
            assert_eq!(
                people[..3].iter().map(|p| p.bonus_base).collect::<Vec<_>>(),
                [5_000, 8_000, 12_000]
            );
            assert_eq!(people[0].manager_id.as_deref(), Some("S003"));
            assert_eq!(people[1].manager_id.as_deref(), Some("S003"));
            assert_eq!(people[2].manager_id, None);
            assert!(people[..3].iter().all(|p| p.department == 0));

            // Other months hold ordinary values for S001.
            let september = record(&data, "S001", (2026, 9));
            assert_ne!(september, s1);
        }
    }

    #[test]
    fn languages_share_all_numbers() {
        for staff in [3, 30, 1000] {
            let en = generate(&options(staff, 6, Lang::En, 9)).unwrap();
            let zh = generate(&options(staff, 6, Lang::Zh, 9)).unwrap();
            assert_eq!(en.months, zh.months);
            assert_eq!(en.people.len(), zh.people.len());
            for (a, b) in en.people.iter().zip(&zh.people) {
                assert_eq!(
                    (&a.id, a.department, a.role, &a.manager_id, a.bonus_base),
                    (&b.id, b.department, b.role, &b.manager_id, b.bonus_base)
                );
                assert!(a.name.is_ascii() && a.name.contains(' '));
                assert!(!b.name.is_ascii() && !b.name.contains(' '));
            }
        }
    }

    fn check_structure(data: &SampleData, staff: usize, departments: usize) {
        let people = &data.people;
        assert_eq!(people.len(), staff);
        for (index, person) in people.iter().enumerate() {
            assert_eq!(person.id, format!("S{:03}", index + 1));
        }
        // Every department has a leader reporting to S003 (or is led by
        // S003); everyone else reports to a manager of their department,
        // and no manager has more than 16 direct reports.
        for department in 0..departments {
            let leaders = people
                .iter()
                .filter(|p| p.department == department && p.role == SampleRole::SalesManager)
                .filter(|p| p.manager_id.as_deref() == Some("S003") || p.id == "S003")
                .count();
            assert!(leaders >= 1, "department {department}");
        }
        for person in people.iter().filter(|p| p.id != "S003") {
            let boss_id = person.manager_id.as_deref().unwrap_or("");
            let boss = people.iter().find(|p| p.id == boss_id).unwrap();
            assert_eq!(boss.role, SampleRole::SalesManager, "{}", person.id);
            if boss.id != "S003" {
                assert_eq!(boss.department, person.department, "{}", person.id);
            }
        }
        let mut reports: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for p in people {
            *reports
                .entry(p.manager_id.as_deref().unwrap_or(""))
                .or_default() += 1;
        }
        for (boss, n) in &reports {
            assert!(
                boss.is_empty() || *n <= 16 + departments,
                "{boss} has {n} direct reports"
            );
        }
        assert!(people.iter().all(|p| p.department < departments));
        for person in people {
            assert_eq!(person.bonus_base % 500, 0);
            let range = match person.role {
                SampleRole::SalesRepresentative => 3_000..=6_000,
                SampleRole::KeyAccountManager => 6_000..=10_000,
                SampleRole::SalesManager => 10_000..=15_000,
            };
            assert!(range.contains(&person.bonus_base), "{person:?}");
        }
    }

    #[test]
    fn departments_and_managers() {
        let data = generate(&options(30, 1, Lang::En, 5)).unwrap();
        assert_eq!(department_count(30), 4);
        check_structure(&data, 30, 4);
        let data = generate(&options(1000, 2, Lang::Zh, 5)).unwrap();
        assert_eq!(department_count(1000), 8);
        check_structure(&data, 1000, 8);
        assert_eq!(data.people[999].id, "S1000");
        for staff in 3..=70 {
            let data = generate(&options(staff, 1, Lang::En, staff as u64)).unwrap();
            check_structure(&data, staff, department_count(staff));
        }
        let kams = data
            .people
            .iter()
            .filter(|p| p.role == SampleRole::KeyAccountManager)
            .count();
        assert!((150..350).contains(&kams), "{kams}");
    }

    #[test]
    fn every_value_is_in_range() {
        let data = generate(&options(1000, 24, Lang::En, 11)).unwrap();
        let mut on_leave = 0;
        let mut total = 0;
        for month in &data.months {
            assert_eq!(month.records.len(), data.people.len());
            for (person, r) in data.people.iter().zip(&month.records) {
                total += 1;
                let target_range = match person.role {
                    SampleRole::SalesRepresentative => 80_000.0..=150_000.0,
                    SampleRole::KeyAccountManager => 150_000.0..=300_000.0,
                    SampleRole::SalesManager => 400_000.0..=600_000.0,
                };
                let example = (month.year, month.month) == EXAMPLE_MONTH
                    && ["S001", "S002", "S003"].contains(&person.id.as_str());
                if !example {
                    assert!(target_range.contains(&r.sales_target), "{person:?} {r:?}");
                    let ratio = r.sales / r.sales_target;
                    assert!((0.399..=1.401).contains(&ratio), "{r:?}");
                    assert!((3..=12).contains(&r.new_customers_target));
                    assert!(r.new_customers <= 17);
                    assert!((60.0..=100.0).contains(&r.satisfaction));
                    assert!(r.complaints <= 4);
                }
                assert_eq!(r.sales_target % 5_000.0, 0.0);
                assert_eq!(round_cents(r.sales), r.sales);
                assert!(r.sales > 0.0);
                assert!((0.0..=100.0).contains(&r.satisfaction));
                assert_eq!((r.satisfaction * 10.0).round() / 10.0, r.satisfaction);
                assert!((1..=5).contains(&r.collaboration));
                assert_eq!((r.training_hours * 2.0).fract(), 0.0);
                assert!(r.training_hours >= 0.0);
                assert!(r.training_hours <= f64::from(r.training_hours_target + 4));
                if r.training_hours_target == 0 {
                    on_leave += 1;
                    assert_eq!(r.training_hours, 0.0);
                } else {
                    assert!([4, 6, 8, 10, 12, 16].contains(&r.training_hours_target));
                }
            }
        }
        let share = f64::from(on_leave) / f64::from(total);
        assert!((0.03..0.07).contains(&share), "{share}");
    }

    #[test]
    fn extra_columns_are_in_range_and_fixed_for_the_worked_examples() {
        let data = generate(&options(300, 3, Lang::En, 5)).unwrap();
        let mut breaches = 0;
        for month in &data.months {
            assert_eq!(month.extras.len(), data.people.len());
            for e in &month.extras {
                assert!((60.0..=100.0).contains(&e.collection_rate), "{e:?}");
                assert!((6.0..=18.0).contains(&e.expense_ratio), "{e:?}");
                assert_eq!((e.expense_ratio * 10.0).round() / 10.0, e.expense_ratio);
                assert!(e.compliance <= 1);
                breaches += usize::from(e.compliance == 0);
            }
        }
        assert!(breaches > 0 && breaches < 60, "{breaches}");
        let october = data
            .months
            .iter()
            .find(|m| (m.year, m.month) == EXAMPLE_MONTH)
            .unwrap();
        assert_eq!(october.extras[0].collection_rate, 89.0);
        assert_eq!(october.extras[2].compliance, 0);
    }

    #[test]
    fn text_spellings_parse_back_exactly() {
        assert_eq!(
            number_as_text(104_237.55, NumberKind::Money, true),
            "¥104,237.55"
        );
        assert_eq!(
            number_as_text(112_500.0, NumberKind::Money, false),
            "112,500.00"
        );
        assert_eq!(number_as_text(999.5, NumberKind::Money, false), "999.50");
        assert_eq!(number_as_text(88.0, NumberKind::Percent, true), "88%");
        assert_eq!(number_as_text(88.0, NumberKind::Percent, false), " 88 ");
        assert_eq!(number_as_text(87.5, NumberKind::Percent, true), "87.5%");
        assert_eq!(number_as_text(9.0, NumberKind::Plain, false), "9");
        assert_eq!(number_as_text(6.5, NumberKind::Plain, true), "6.5");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(group_thousands(0), "0");

        let data = generate(&options(200, 2, Lang::Zh, 3)).unwrap();
        for month in &data.months {
            for r in &month.records {
                for (value, kind) in [
                    (r.sales, NumberKind::Money),
                    (r.sales_target, NumberKind::Money),
                    (r.satisfaction, NumberKind::Percent),
                    (r.training_hours, NumberKind::Plain),
                ] {
                    for variant in [false, true] {
                        let text = number_as_text(value, kind, variant);
                        let cleaned: String = text
                            .chars()
                            .filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
                            .collect();
                        assert_eq!(cleaned.parse::<f64>().unwrap(), value, "{text}");
                    }
                }
            }
        }
    }
}
