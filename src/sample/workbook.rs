//! The workbook layout: file names, the roster and each month's workbook,
//! numbers written as numbers or as the text spellings HR's files contain.

use super::*;

pub(super) fn staff_file_name(lang: Lang) -> String {
    lang.t(("staff.xlsx", "员工花名册.xlsx")).to_owned()
}

pub(super) fn month_file_name(lang: Lang, year: i32, month: u32) -> String {
    tr!(
        lang,
        "sales-{year:04}-{month:02}.xlsx",
        "{year}年{month}月销售业绩.xlsx"
    )
}

pub(super) fn save_workbook(
    workbook: Result<Workbook, XlsxError>,
    path: &Path,
) -> Result<(), SampleError> {
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
pub(super) fn new_workbook() -> Result<Workbook, XlsxError> {
    let created = ExcelDateTime::from_ymd(2026, 1, 1)?.and_hms(0, 0, 0)?;
    let properties = DocProperties::new().set_creation_datetime(&created);
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties);
    Ok(workbook)
}

pub(super) struct Formats {
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
pub(super) enum NumberKind {
    Money,
    Percent,
    Plain,
}

/// Writes the sheet title (Zh only) and the header; returns the first data row.
pub(super) fn write_sheet_head(
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
pub(super) fn write_person_cells(
    sheet: &mut Worksheet,
    row: u32,
    person: &SamplePerson,
) -> Result<(), XlsxError> {
    sheet.write_string(row, 0, person.id.as_str())?;
    sheet.write_string(row, 1, person.name.as_str())?;
    Ok(())
}

/// Writes a number, or in the Zh layout now and then the same value as text.
pub(super) fn write_value(
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
pub(super) fn number_as_text(value: f64, kind: NumberKind, variant: bool) -> String {
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

pub(super) fn group_thousands(value: u64) -> String {
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

pub(super) fn build_staff_workbook(data: &SampleData, lang: Lang) -> Result<Workbook, XlsxError> {
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

pub(super) fn build_month_workbook(
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
    let mut workbook = new_workbook()?;
    targets_sheet(
        &mut workbook,
        data,
        month,
        lang,
        &formats,
        text_rng.as_mut(),
    )?;
    results_sheet(
        &mut workbook,
        data,
        month,
        lang,
        &formats,
        text_rng.as_mut(),
    )?;
    Ok(workbook)
}

/// A sheet's columns: header text and width.
type Columns<const N: usize> = [(&'static str, f64); N];

/// Staff ID and name come first; the figures start in this column.
const FIRST_FIGURE: u16 = 2;

const TARGETS_EN: Columns<5> = [
    ("Staff ID", 10.0),
    ("Name", 22.0),
    ("Sales Target", 14.0),
    ("New Customers Target", 22.0),
    ("Training Hours Target", 22.0),
];
const TARGETS_ZH: Columns<5> = [
    ("工号", 10.0),
    ("姓名", 12.0),
    ("目标销售额", 16.0),
    ("目标新增客户数", 16.0),
    ("培训学时目标", 14.0),
];
const RESULTS_EN: Columns<11> = [
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
];
const RESULTS_ZH: Columns<11> = [
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
];

/// The month's targets sheet.
fn targets_sheet(
    workbook: &mut Workbook,
    data: &SampleData,
    month: &SampleMonth,
    lang: Lang,
    formats: &Formats,
    mut text_rng: Option<&mut fastrand::Rng>,
) -> Result<(), XlsxError> {
    let (year, number) = (month.year, month.month);
    let (name, title, headers) = match lang {
        Lang::En => ("Targets", String::new(), TARGETS_EN),
        Lang::Zh => ("目标", format!("{year}年{number}月销售目标"), TARGETS_ZH),
    };
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    let first_row = write_sheet_head(sheet, formats, lang, &title, &headers)?;
    for (offset, (person, record)) in data.people.iter().zip(&month.records).enumerate() {
        let row = first_row + offset as u32;
        write_person_cells(sheet, row, person)?;
        let values = [
            (record.sales_target, NumberKind::Money),
            (f64::from(record.new_customers_target), NumberKind::Plain),
            (f64::from(record.training_hours_target), NumberKind::Plain),
        ];
        for (col, (value, kind)) in values.into_iter().enumerate() {
            let col = col as u16 + FIRST_FIGURE;
            write_value(
                sheet,
                row,
                col,
                value,
                kind,
                formats,
                text_rng.as_deref_mut(),
            )?;
        }
    }
    Ok(())
}

/// The month's results sheet.
fn results_sheet(
    workbook: &mut Workbook,
    data: &SampleData,
    month: &SampleMonth,
    lang: Lang,
    formats: &Formats,
    mut text_rng: Option<&mut fastrand::Rng>,
) -> Result<(), XlsxError> {
    let (year, number) = (month.year, month.month);
    let (name, title, headers) = match lang {
        Lang::En => ("Results", String::new(), RESULTS_EN),
        Lang::Zh => ("业绩", format!("{year}年{number}月销售业绩表"), RESULTS_ZH),
    };
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    let first_row = write_sheet_head(sheet, formats, lang, &title, &headers)?;
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
        let extras_from = FIRST_FIGURE + values.len() as u16;
        for (col, (value, kind)) in values.into_iter().enumerate() {
            let col = col as u16 + FIRST_FIGURE;
            write_value(
                sheet,
                row,
                col,
                value,
                kind,
                formats,
                text_rng.as_deref_mut(),
            )?;
        }
        // Always plain numbers: drawing text spellings for them would shift
        // the text stream of the columns before them.
        let extra_values = [
            extra.collection_rate,
            extra.expense_ratio,
            f64::from(extra.compliance),
        ];
        for (col, value) in extra_values.into_iter().enumerate() {
            sheet.write_number(row, col as u16 + extras_from, value)?;
        }
    }
    Ok(())
}
