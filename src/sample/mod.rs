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

use crate::lang::Lang;

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

const DEPARTMENTS_EN: [&str; 8] = [
    "East", "North", "South", "West", "Central", "Coastal", "Inland", "Metro",
];
const DEPARTMENTS_ZH: [&str; 8] = [
    "华东", "华北", "华南", "西部", "华中", "沿海", "内陆", "都市",
];

const FIRST_NAMES_EN: [&str; 40] = [
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Daniel",
    "Karen",
    "Matthew",
    "Nancy",
    "Anthony",
    "Lisa",
    "Mark",
    "Emily",
    "Steven",
    "Olivia",
    "Andrew",
    "Sophia",
    "Paul",
    "Grace",
    "Kevin",
    "Laura",
    "Brian",
    "Rachel",
    "George",
    "Hannah",
    "Peter",
    "Chloe",
];
const LAST_NAMES_EN: [&str; 40] = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark",
    "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker",
    "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans",
    "Turner", "Parker", "Collins",
];
const SURNAMES_ZH: [&str; 30] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
];
const GIVEN_NAMES_ZH: [&str; 40] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "霞", "平", "刚", "秀英", "桂英", "建华", "志强", "晓东", "海燕", "婷婷", "浩然", "子涵",
    "欣怡", "宇轩", "思远", "雨萱", "俊杰", "佳怡", "文博", "梓萱", "嘉豪", "一鸣", "诗涵",
];

/// Random streams, each derived from the seed, so that drawing from one
/// never shifts another.
const STREAM_NUMBERS: u64 = 1;
const STREAM_NAMES: u64 = 2;
const STREAM_TEXT_CELLS: u64 = 3;
/// The columns only the extended plan reads (collection rate, expense
/// ratio, compliance): a stream of their own, so adding them changed no
/// other value.
const STREAM_EXTRA: u64 = 4;

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

/// Builds all people and month records from the options. Names depend on
/// `opts.lang`; everything else depends only on `staff`, `months` and `seed`.
fn generate(opts: &SampleOptions) -> Result<SampleData, SampleError> {
    validate(opts)?;
    let mut numbers = fastrand::Rng::with_seed(derive_seed(opts.seed, STREAM_NUMBERS, 0));
    let mut names = fastrand::Rng::with_seed(derive_seed(opts.seed, STREAM_NAMES, 0));

    let people = generate_people(opts.staff, opts.lang, &mut numbers, &mut names);
    let months = month_list(opts.months)
        .into_iter()
        .enumerate()
        .map(|(index, (year, month))| {
            let mut records: Vec<SampleRecord> = people
                .iter()
                .map(|person| random_record(person.role, &mut numbers))
                .collect();
            let mut extra_rng =
                fastrand::Rng::with_seed(derive_seed(opts.seed, STREAM_EXTRA, index as u64));
            let mut extras: Vec<SampleExtra> = people
                .iter()
                .map(|_| random_extra(&mut extra_rng))
                .collect();
            if (year, month) == EXAMPLE_MONTH {
                apply_worked_examples(&mut records);
                apply_worked_extras(&mut extras);
            }
            SampleMonth {
                year,
                month,
                records,
                extras,
            }
        })
        .collect();
    Ok(SampleData { people, months })
}

/// `months` consecutive (year, month) pairs. Up to 3 months start at 2026-10;
/// longer runs end at 2026-12. Either way 2026-10 is included.
fn month_list(months: u32) -> Vec<(i32, u32)> {
    let months = months.clamp(1, MAX_MONTHS);
    // Months counted from year 0: index = year * 12 + (month - 1).
    let start = if months <= 3 {
        2026 * 12 + 9
    } else {
        2026 * 12 + 11 - (months as i32 - 1)
    };
    (0..months as i32)
        .map(|offset| {
            let index = start + offset;
            (index / 12, (index % 12) as u32 + 1)
        })
        .collect()
}

/// Number of departments: about 8 people each, between 1 and 8 departments.
fn department_count(staff: usize) -> usize {
    staff.div_ceil(8).clamp(1, DEPARTMENTS_EN.len())
}

fn staff_id(index: usize) -> String {
    format!("S{:03}", index + 1)
}

fn generate_people(
    staff: usize,
    lang: Lang,
    numbers: &mut fastrand::Rng,
    names: &mut fastrand::Rng,
) -> Vec<SamplePerson> {
    let departments = department_count(staff);
    // Teams of about 8, contiguous blocks of ids as even as possible, and
    // contiguous runs of teams per department. Team 0 starts with S001, so
    // S001-S003 are in it, led by S003, the head of sales. A department's
    // first team leader reports to S003; its other team leaders form a tree
    // of at most 8 per leader, so no manager has more than ~16 direct
    // reports at any company size. With 64 people or fewer there is one
    // team per department.
    let teams = staff.div_ceil(8).max(departments);
    let base = staff / teams;
    let extra = staff % teams;
    let head_index = 2; // S003
    let mut used_names = HashSet::new();
    let mut people = Vec::with_capacity(staff);
    let mut leaders: Vec<usize> = Vec::with_capacity(teams);
    let mut start = 0;
    for team in 0..teams {
        let size = base + usize::from(team < extra);
        let department = team * departments / teams;
        let first_team = (department * teams).div_ceil(departments);
        let manager_index = if team == 0 { head_index } else { start };
        leaders.push(manager_index);
        let manager_id = staff_id(manager_index);
        let leader_boss = if team == first_team {
            head_index
        } else {
            leaders[first_team + (team - first_team - 1) / 8]
        };
        for index in start..start + size {
            let role = if index == manager_index {
                SampleRole::SalesManager
            } else if index == 0 {
                SampleRole::SalesRepresentative
            } else if index == 1 || numbers.u32(0..4) == 0 {
                SampleRole::KeyAccountManager
            } else {
                SampleRole::SalesRepresentative
            };
            let bonus_base = match index {
                0 => 5_000,
                1 => 8_000,
                2 => 12_000,
                _ => match role {
                    SampleRole::SalesRepresentative => 3_000 + 500 * numbers.u32(0..=6),
                    SampleRole::KeyAccountManager => 6_000 + 500 * numbers.u32(0..=8),
                    SampleRole::SalesManager => 10_000 + 500 * numbers.u32(0..=10),
                },
            };
            let reports_to = if index == head_index {
                None
            } else if role == SampleRole::SalesManager {
                Some(staff_id(leader_boss))
            } else {
                Some(manager_id.clone())
            };
            people.push(SamplePerson {
                id: staff_id(index),
                name: random_name(lang, names, &mut used_names),
                department,
                role,
                manager_id: reports_to,
                bonus_base,
            });
        }
        start += size;
    }
    people
}

/// Draws a name, avoiding repeats while the lists allow it.
fn random_name(lang: Lang, rng: &mut fastrand::Rng, used: &mut HashSet<(usize, usize)>) -> String {
    let (first_len, second_len) = match lang {
        Lang::En => (FIRST_NAMES_EN.len(), LAST_NAMES_EN.len()),
        Lang::Zh => (SURNAMES_ZH.len(), GIVEN_NAMES_ZH.len()),
    };
    let mut pick = (rng.usize(0..first_len), rng.usize(0..second_len));
    for _ in 0..8 {
        if !used.contains(&pick) {
            break;
        }
        pick = (rng.usize(0..first_len), rng.usize(0..second_len));
    }
    used.insert(pick);
    match lang {
        Lang::En => format!("{} {}", FIRST_NAMES_EN[pick.0], LAST_NAMES_EN[pick.1]),
        Lang::Zh => format!("{}{}", SURNAMES_ZH[pick.0], GIVEN_NAMES_ZH[pick.1]),
    }
}

/// Picks a value from `(weight, value)` pairs.
fn weighted(rng: &mut fastrand::Rng, choices: &[(u32, u32)]) -> u32 {
    let total: u32 = choices.iter().map(|&(weight, _)| weight).sum();
    let mut roll = rng.u32(0..total.max(1));
    for &(weight, value) in choices {
        if roll < weight {
            return value;
        }
        roll -= weight;
    }
    choices.last().map_or(0, |&(_, value)| value)
}

fn uniform(rng: &mut fastrand::Rng, low: f64, high: f64) -> f64 {
    low + (high - low) * rng.f64()
}

/// Rounds to cents so that the value prints and parses back exactly.
fn round_cents(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// One ordinary month for one person, drawn from the numbers stream only.
fn random_record(role: SampleRole, rng: &mut fastrand::Rng) -> SampleRecord {
    let target_steps = match role {
        SampleRole::SalesRepresentative => rng.u32(16..=30),
        SampleRole::KeyAccountManager => rng.u32(30..=60),
        SampleRole::SalesManager => rng.u32(80..=120),
    };
    let sales_target = f64::from(target_steps * 5_000);
    let attainment = match rng.u32(0..100) {
        0..=74 => uniform(rng, 0.80, 1.15),
        75..=84 => uniform(rng, 0.60, 0.80),
        85..=92 => uniform(rng, 1.15, 1.30),
        _ => uniform(rng, 0.40, 1.40),
    };
    let sales = round_cents(sales_target * attainment);

    let new_customers_target = rng.u32(3..=12);
    let new_customers = (f64::from(new_customers_target) * uniform(rng, 0.5, 1.4)).round() as u32;

    let on_leave = rng.u32(0..100) < 5;
    let (training_hours_target, training_hours) = if on_leave {
        (0, 0.0)
    } else {
        let target = [4, 6, 8, 10, 12, 16][rng.usize(0..6)];
        let max_half_hours = (target + 4) * 2;
        let half_hours = if rng.u32(0..10) == 0 {
            rng.u32(0..=max_half_hours)
        } else {
            let actual = f64::from(target) * uniform(rng, 0.5, 1.25);
            let whole = rng.u32(0..10) < 7;
            let half_hours = if whole {
                actual.round() * 2.0
            } else {
                (actual * 2.0).round()
            };
            (half_hours as u32).min(max_half_hours)
        };
        (target, f64::from(half_hours) / 2.0)
    };

    let base = match rng.u32(0..100) {
        0..=79 => rng.u32(75..=98),
        _ => rng.u32(60..=100),
    };
    let tenths = if base < 100 && rng.u32(0..5) == 0 {
        rng.u32(1..=9)
    } else {
        0
    };
    let satisfaction = f64::from(base * 10 + tenths) / 10.0;

    let complaints = weighted(rng, &[(50, 0), (30, 1), (12, 2), (5, 3), (3, 4)]);
    let collaboration = weighted(rng, &[(3, 1), (7, 2), (25, 3), (40, 4), (25, 5)]);

    SampleRecord {
        sales_target,
        sales,
        new_customers_target,
        new_customers,
        training_hours_target,
        training_hours,
        satisfaction,
        complaints,
        collaboration,
    }
}

/// The fixed 2026-10 values of S001-S003 that the docs walk through.
fn apply_worked_examples(records: &mut [SampleRecord]) {
    let examples = [
        (112_500.0, 100_000.0, 9, 10, 88.0, 1, 4, 6.0, 8),
        (90_000.0, 200_000.0, 3, 4, 97.0, 0, 5, 0.0, 0),
        (650_000.0, 500_000.0, 12, 10, 92.0, 2, 3, 12.0, 10),
    ];
    for (record, example) in records.iter_mut().zip(examples) {
        let (sales, target, new, new_target, satisfaction, complaints, collab, hours, hours_target) =
            example;
        *record = SampleRecord {
            sales_target: target,
            sales,
            new_customers_target: new_target,
            new_customers: new,
            training_hours_target: hours_target,
            training_hours: hours,
            satisfaction,
            complaints,
            collaboration: collab,
        };
    }
}

/// One month's extra values for one person.
fn random_extra(rng: &mut fastrand::Rng) -> SampleExtra {
    let collection_rate = if rng.u32(0..10) < 8 {
        f64::from(rng.u32(800..=1000)) / 10.0
    } else {
        f64::from(rng.u32(600..=800)) / 10.0
    };
    let expense_ratio = f64::from(rng.u32(60..=180)) / 10.0;
    let compliance = u32::from(rng.u32(0..100) >= 3);
    SampleExtra {
        collection_rate,
        expense_ratio,
        compliance,
    }
}

/// The fixed 2026-10 extra values of S001-S003 (templates/README.md walks
/// through them with the extended plan).
fn apply_worked_extras(extras: &mut [SampleExtra]) {
    let examples = [(89.0, 10.0, 1), (97.5, 16.0, 1), (70.0, 12.0, 0)];
    for (extra, (collection_rate, expense_ratio, compliance)) in extras.iter_mut().zip(examples) {
        *extra = SampleExtra {
            collection_rate,
            expense_ratio,
            compliance,
        };
    }
}

/// SplitMix64 of (seed, stream, index): independent seeds for the streams.
fn derive_seed(seed: u64, stream: u64, index: u64) -> u64 {
    let mut z = seed
        ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

// ---------------------------------------------------------------------------
// Workbook writers
// ---------------------------------------------------------------------------

fn staff_file_name(lang: Lang) -> String {
    match lang {
        Lang::En => "staff.xlsx".to_string(),
        Lang::Zh => "员工花名册.xlsx".to_string(),
    }
}

fn month_file_name(lang: Lang, year: i32, month: u32) -> String {
    match lang {
        Lang::En => format!("sales-{year:04}-{month:02}.xlsx"),
        Lang::Zh => format!("{year}年{month}月销售业绩.xlsx"),
    }
}

fn save_workbook(workbook: Result<Workbook, XlsxError>, path: &Path) -> Result<(), SampleError> {
    workbook
        .and_then(|mut workbook| workbook.save(path))
        .map_err(|error| match error {
            XlsxError::IoError(source) => SampleError::Io {
                path: path.to_path_buf(),
                source,
            },
            source => SampleError::Xlsx {
                path: path.to_path_buf(),
                source,
            },
        })
}

/// A workbook whose properties carry a fixed creation time, so that saving
/// twice gives the same bytes.
fn new_workbook() -> Result<Workbook, XlsxError> {
    let created = ExcelDateTime::from_ymd(2026, 1, 1)?.and_hms(0, 0, 0)?;
    let properties = DocProperties::new().set_creation_datetime(&created);
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties);
    Ok(workbook)
}

struct Formats {
    header: Format,
    title: Format,
    money: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            header: Format::new().set_bold(),
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center),
            money: Format::new().set_num_format("#,##0.00"),
        }
    }
}

/// How a numeric cell is shown and, in the Zh layout, how it may be
/// spelled when stored as text.
#[derive(Clone, Copy)]
enum NumberKind {
    Money,
    Percent,
    Plain,
}

/// Writes the sheet title (Zh only) and the header; returns the first data row.
fn write_sheet_head(
    sheet: &mut Worksheet,
    formats: &Formats,
    lang: Lang,
    title: &str,
    headers: &[(&str, f64)],
) -> Result<u32, XlsxError> {
    let header_row = match lang {
        Lang::En => 0,
        Lang::Zh => {
            let last_col = headers.len().saturating_sub(1) as u16;
            sheet.merge_range(0, 0, 0, last_col, title, &formats.title)?;
            3
        }
    };
    for (col, &(header, width)) in headers.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(header_row, col, header, &formats.header)?;
        sheet.set_column_width(col, width)?;
    }
    Ok(header_row + 1)
}

/// Writes the id and name columns of one data row.
fn write_person_cells(
    sheet: &mut Worksheet,
    row: u32,
    person: &SamplePerson,
) -> Result<(), XlsxError> {
    sheet.write_string(row, 0, person.id.as_str())?;
    sheet.write_string(row, 1, person.name.as_str())?;
    Ok(())
}

/// Writes a number, or in the Zh layout now and then the same value as text.
fn write_value(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: f64,
    kind: NumberKind,
    formats: &Formats,
    text_rng: Option<&mut fastrand::Rng>,
) -> Result<(), XlsxError> {
    // About one cell in five, and then one of two spellings.
    let text_variant = text_rng.and_then(|rng| (rng.u32(0..5) == 0).then(|| rng.bool()));
    if let Some(variant) = text_variant {
        sheet.write_string(row, col, number_as_text(value, kind, variant))?;
        return Ok(());
    }
    match kind {
        NumberKind::Money => sheet.write_number_with_format(row, col, value, &formats.money)?,
        NumberKind::Percent | NumberKind::Plain => sheet.write_number(row, col, value)?,
    };
    Ok(())
}

/// Text spelling of a value as found in hand-made sheets; parsing it back
/// (dropping `¥`, `,`, `%` and spaces) gives exactly `value`.
fn number_as_text(value: f64, kind: NumberKind, variant: bool) -> String {
    match kind {
        NumberKind::Money => {
            let cents = (value * 100.0).round() as i64;
            let sign = if cents < 0 { "-" } else { "" };
            let cents = cents.unsigned_abs();
            let amount = format!("{sign}{}.{:02}", group_thousands(cents / 100), cents % 100);
            if variant {
                format!("¥{amount}")
            } else {
                amount
            }
        }
        NumberKind::Percent => {
            if variant {
                format!("{value}%")
            } else {
                format!(" {value} ")
            }
        }
        NumberKind::Plain => format!("{value}"),
    }
}

fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn build_staff_workbook(data: &SampleData, lang: Lang) -> Result<Workbook, XlsxError> {
    let formats = Formats::new();
    let (sheet_name, headers): (&str, [(&str, f64); 6]) = match lang {
        Lang::En => (
            "Staff",
            [
                ("Staff ID", 10.0),
                ("Name", 22.0),
                ("Department", 12.0),
                ("Role", 22.0),
                ("Manager ID", 12.0),
                ("Bonus Base", 12.0),
            ],
        ),
        Lang::Zh => (
            "花名册",
            [
                ("工号", 10.0),
                ("姓名", 12.0),
                ("部门", 10.0),
                ("岗位", 14.0),
                ("直属上级工号", 14.0),
                ("奖金基数", 12.0),
            ],
        ),
    };
    let departments = match lang {
        Lang::En => &DEPARTMENTS_EN,
        Lang::Zh => &DEPARTMENTS_ZH,
    };

    let mut workbook = new_workbook()?;
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name)?;
    // The roster always has its header in row 1, in both layouts.
    for (col, &(header, width)) in headers.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, header, &formats.header)?;
        sheet.set_column_width(col, width)?;
    }
    for (offset, person) in data.people.iter().enumerate() {
        let row = offset as u32 + 1;
        write_person_cells(sheet, row, person)?;
        let department = departments.get(person.department).copied().unwrap_or("");
        sheet.write_string(row, 2, department)?;
        sheet.write_string(row, 3, person.role.label(lang))?;
        sheet.write_string(row, 4, person.manager_id.as_deref().unwrap_or(""))?;
        sheet.write_number_with_format(row, 5, person.bonus_base, &formats.money)?;
    }
    Ok(workbook)
}

fn build_month_workbook(
    data: &SampleData,
    month: &SampleMonth,
    lang: Lang,
    text_seed: u64,
) -> Result<Workbook, XlsxError> {
    let formats = Formats::new();
    // Only the Zh layout stores some numbers as text.
    let mut text_rng = match lang {
        Lang::En => None,
        Lang::Zh => Some(fastrand::Rng::with_seed(text_seed)),
    };
    let (year, number) = (month.year, month.month);
    let mut workbook = new_workbook()?;

    // Targets sheet.
    let (name, title, headers) = match lang {
        Lang::En => (
            "Targets",
            String::new(),
            [
                ("Staff ID", 10.0),
                ("Name", 22.0),
                ("Sales Target", 14.0),
                ("New Customers Target", 22.0),
                ("Training Hours Target", 22.0),
            ],
        ),
        Lang::Zh => (
            "目标",
            format!("{year}年{number}月销售目标"),
            [
                ("工号", 10.0),
                ("姓名", 12.0),
                ("目标销售额", 16.0),
                ("目标新增客户数", 16.0),
                ("培训学时目标", 14.0),
            ],
        ),
    };
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    let first_row = write_sheet_head(sheet, &formats, lang, &title, &headers)?;
    for (offset, (person, record)) in data.people.iter().zip(&month.records).enumerate() {
        let row = first_row + offset as u32;
        write_person_cells(sheet, row, person)?;
        let values = [
            (record.sales_target, NumberKind::Money),
            (f64::from(record.new_customers_target), NumberKind::Plain),
            (f64::from(record.training_hours_target), NumberKind::Plain),
        ];
        for (col, (value, kind)) in values.into_iter().enumerate() {
            let col = col as u16 + 2;
            write_value(sheet, row, col, value, kind, &formats, text_rng.as_mut())?;
        }
    }

    // Results sheet.
    let (name, title, headers) = match lang {
        Lang::En => (
            "Results",
            String::new(),
            [
                ("Staff ID", 10.0),
                ("Name", 22.0),
                ("Sales", 14.0),
                ("New Customers", 15.0),
                ("Satisfaction", 13.0),
                ("Complaints", 12.0),
                ("Collaboration Rating", 21.0),
                ("Training Hours", 15.0),
                ("Collection Rate", 16.0),
                ("Expense Ratio", 14.0),
                ("Compliance", 12.0),
            ],
        ),
        Lang::Zh => (
            "业绩",
            format!("{year}年{number}月销售业绩表"),
            [
                ("工号", 10.0),
                ("姓名", 12.0),
                ("实际销售额", 16.0),
                ("新增客户数", 12.0),
                ("客户满意度", 12.0),
                ("客户投诉次数", 14.0),
                ("团队协作评分", 14.0),
                ("培训学时", 10.0),
                ("回款率", 10.0),
                ("费用率", 10.0),
                ("合规", 8.0),
            ],
        ),
    };
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    let first_row = write_sheet_head(sheet, &formats, lang, &title, &headers)?;
    for (offset, ((person, record), extra)) in data
        .people
        .iter()
        .zip(&month.records)
        .zip(&month.extras)
        .enumerate()
    {
        let row = first_row + offset as u32;
        write_person_cells(sheet, row, person)?;
        let values = [
            (record.sales, NumberKind::Money),
            (f64::from(record.new_customers), NumberKind::Plain),
            (record.satisfaction, NumberKind::Percent),
            (f64::from(record.complaints), NumberKind::Plain),
            (f64::from(record.collaboration), NumberKind::Plain),
            (record.training_hours, NumberKind::Plain),
        ];
        for (col, (value, kind)) in values.into_iter().enumerate() {
            let col = col as u16 + 2;
            write_value(sheet, row, col, value, kind, &formats, text_rng.as_mut())?;
        }
        // Always plain numbers: drawing text spellings for them would shift
        // the text stream of the columns before them.
        let extra_values = [
            extra.collection_rate,
            extra.expense_ratio,
            f64::from(extra.compliance),
        ];
        for (col, value) in extra_values.into_iter().enumerate() {
            sheet.write_number(row, col as u16 + 8, value)?;
        }
    }
    Ok(workbook)
}

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
