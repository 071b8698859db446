//! The look shared by every workbook: one palette, one set of cell formats,
//! one print setup, so the summary and the review workbooks feel alike.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

/// Dark blue of headings and header rows.
/// Deflate level of every workbook written. Compression is most of the time
/// spent writing an xlsx; level 3 instead of the default 6 writes about 40 %
/// faster for files a few percent larger (measured in benches/README.md).
pub const ZIP_LEVEL: u8 = 3;

/// A new workbook with the reports' settings.
pub fn workbook() -> rust_xlsxwriter::Workbook {
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.set_zip_compression_level(ZIP_LEVEL);
    wb
}

pub const INK: &str = "1F4E79";
/// Light blue of header bands and identity blocks.
pub const BAND: &str = "DDEBF7";
/// Grey of incomplete rows and secondary text.
pub const GREY: &str = "808080";
/// Fill of incomplete rows.
pub const GREY_FILL: &str = "F2F2F2";

/// Background and text colours from the best grade to the worst.
const GRADE_COLOURS: [(&str, &str); 5] = [
    ("63BE7B", "0B3D0B"),
    ("C6EFCE", "006100"),
    ("FFEB9C", "7F6000"),
    ("FCD5B4", "974706"),
    ("FFC7CE", "9C0006"),
];

/// The (fill, font) colours of grade `i` of `n`, best first.
pub fn grade_colours(i: usize, n: usize) -> (&'static str, &'static str) {
    let last = GRADE_COLOURS.len() - 1;
    let ix = if n <= 1 { 0 } else { i * last / (n - 1) };
    GRADE_COLOURS[ix.min(last)]
}

/// Every cell format the reports use.
pub struct Styles {
    pub title: Format,
    pub subtitle: Format,
    pub section: Format,
    pub header: Format,
    pub header_left: Format,
    pub group: Format,
    pub text: Format,
    pub bold: Format,
    pub label: Format,
    pub value: Format,
    pub integer: Format,
    pub score: Format,
    pub score_bold: Format,
    pub percent: Format,
    pub money: Format,
    pub money_bold: Format,
    pub coefficient: Format,
    pub number: Format,
    pub na: Format,
    pub grey: Format,
    pub grey_number: Format,
    pub note: Format,
    pub boxed: Format,
    pub total_label: Format,
    pub total_money: Format,
    pub total_integer: Format,
    pub total_score: Format,
    pub grades: Vec<Format>,
    pub grades_big: Vec<Format>,
    /// The review sheet's formats.
    pub review: ReviewStyles,
}

/// Formats of the review sheet: its big figures, and the wrapped variants
/// that let long names, labels and sentences grow their rows.
pub struct ReviewStyles {
    /// The total, big and centred.
    pub big: Format,
    /// The bonus, big and centred.
    pub big_money: Format,
    /// A sentence over merged cells.
    pub wrap: Format,
    /// An identity value (name, department, …).
    pub value: Format,
    /// A KPI label.
    pub text: Format,
    /// A trend row's label, bold for the total.
    pub bold: Format,
    /// A trail line wider than the page.
    pub wrap_top: Format,
    /// A trail section's heading.
    pub heading: Format,
}

impl ReviewStyles {
    fn new(text: &Format, bold: &Format, value: &Format) -> ReviewStyles {
        let big = Format::new()
            .set_bold()
            .set_font_size(16)
            .set_num_format("0.00")
            .set_font_color(INK)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter);
        ReviewStyles {
            big_money: big.clone().set_num_format("#,##0.00").set_font_size(13),
            big,
            wrap: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            value: value
                .clone()
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            text: text.clone().set_text_wrap(),
            bold: bold.clone().set_text_wrap(),
            wrap_top: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            heading: Format::new().set_bold().set_font_color(INK),
        }
    }
}

impl Styles {
    /// The formats, with one coloured format per grade of the plan.
    /// Long on purpose: one literal per format, nothing else.
    pub fn new(grade_count: usize) -> Styles {
        let thin = |f: Format| f.set_border(FormatBorder::Thin).set_border_color("BFBFBF");
        let grades = (0..grade_count)
            .map(|i| {
                let (fill, font) = grade_colours(i, grade_count);
                thin(Format::new())
                    .set_background_color(fill)
                    .set_font_color(font)
                    .set_bold()
                    .set_align(FormatAlign::Center)
            })
            .collect();
        let grades_big = (0..grade_count)
            .map(|i| {
                let (fill, font) = grade_colours(i, grade_count);
                thin(Format::new())
                    .set_background_color(fill)
                    .set_font_color(font)
                    .set_bold()
                    .set_font_size(16)
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter)
            })
            .collect();
        let text = thin(Format::new());
        let bold = thin(Format::new().set_bold());
        let value = Format::new()
            .set_border_bottom(FormatBorder::Thin)
            .set_border_bottom_color("BFBFBF")
            .set_align(FormatAlign::Left);
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_font_color(INK),
            subtitle: Format::new().set_italic().set_font_color(GREY),
            section: Format::new()
                .set_bold()
                .set_font_size(12)
                .set_font_color(INK)
                .set_border_bottom(FormatBorder::Medium)
                .set_border_bottom_color(INK),
            header: Format::new()
                .set_bold()
                .set_background_color(INK)
                .set_font_color("FFFFFF")
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap()
                .set_border(FormatBorder::Thin)
                .set_border_color("FFFFFF"),
            header_left: Format::new()
                .set_bold()
                .set_background_color(INK)
                .set_font_color("FFFFFF")
                .set_align(FormatAlign::VerticalCenter)
                .set_border(FormatBorder::Thin)
                .set_border_color("FFFFFF"),
            group: Format::new()
                .set_bold()
                .set_background_color(BAND)
                .set_font_color(INK)
                .set_align(FormatAlign::Center)
                .set_border(FormatBorder::Thin)
                .set_border_color("FFFFFF"),
            review: ReviewStyles::new(&text, &bold, &value),
            text,
            bold,
            label: Format::new()
                .set_bold()
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(BAND)
                .set_font_color(INK)
                .set_border(FormatBorder::Thin)
                .set_border_color("FFFFFF"),
            value,
            integer: thin(Format::new().set_num_format("#,##0")),
            score: thin(Format::new().set_num_format("0.00")),
            score_bold: thin(Format::new().set_num_format("0.00").set_bold()),
            percent: thin(Format::new().set_num_format("0.0%")),
            money: thin(Format::new().set_num_format("#,##0.00")),
            money_bold: thin(Format::new().set_num_format("#,##0.00").set_bold()),
            coefficient: thin(Format::new().set_num_format("0.00##")),
            number: thin(Format::new().set_num_format("#,##0.##")),
            na: thin(Format::new())
                .set_font_color(GREY)
                .set_italic()
                .set_align(FormatAlign::Center),
            grey: thin(Format::new())
                .set_font_color(GREY)
                .set_background_color(GREY_FILL),
            grey_number: thin(Format::new().set_num_format("#,##0.##"))
                .set_font_color(GREY)
                .set_background_color(GREY_FILL),
            note: Format::new()
                .set_italic()
                .set_font_color(GREY)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            boxed: Format::new()
                .set_border(FormatBorder::Thin)
                .set_border_color("7F7F7F")
                .set_align(FormatAlign::Top)
                .set_text_wrap()
                .set_font_color(GREY)
                .set_italic(),
            total_label: Format::new()
                .set_bold()
                .set_background_color(BAND)
                .set_border_top(FormatBorder::Thin)
                .set_border_bottom(FormatBorder::Double),
            total_money: Format::new()
                .set_bold()
                .set_num_format("#,##0.00")
                .set_background_color(BAND)
                .set_border_top(FormatBorder::Thin)
                .set_border_bottom(FormatBorder::Double),
            total_integer: Format::new()
                .set_bold()
                .set_num_format("#,##0")
                .set_background_color(BAND)
                .set_border_top(FormatBorder::Thin)
                .set_border_bottom(FormatBorder::Double),
            total_score: Format::new()
                .set_bold()
                .set_num_format("0.00")
                .set_background_color(BAND)
                .set_border_top(FormatBorder::Thin)
                .set_border_bottom(FormatBorder::Double),
            grades,
            grades_big,
        }
    }
}

/// Excel header/footer text is a small language of `&` codes: a literal
/// `&` is written `&&`; the whole field is limited to 255 characters.
/// Each of the two header parts gets at most [`HEADER_PART`] characters,
/// escapes included; longer text ends in "…" (never in half an escape).
pub fn header_text(text: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let cost = if c == '&' { 2 } else { 1 };
        // Room for this character and, unless it is the last, the "…".
        let reserve = usize::from(chars.peek().is_some());
        if len + cost + reserve > HEADER_PART {
            out.push('…');
            break;
        }
        if c == '&' {
            out.push('&');
        }
        out.push(c);
        len += cost;
    }
    out
}

/// Characters of one header part: two parts and their codes stay within
/// Excel's 255.
pub const HEADER_PART: usize = 120;

/// The print setup every sheet gets: A4, fit to the page width, the header
/// rows repeated, the title and period in the header, page numbers below.
///
/// # Errors
/// An [`XlsxError`] for an invalid repeat range.
pub fn print_setup(
    ws: &mut Worksheet,
    landscape: bool,
    repeat_rows: Option<(u32, u32)>,
    left: &str,
    right: &str,
) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    if landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    if let Some((first, last)) = repeat_rows {
        ws.set_repeat_rows(first, last)?;
    }
    let header = format!("&L{}&R{}", header_text(left), header_text(right));
    ws.set_header(crate::report::text::xml_safe(&header).as_ref());
    ws.set_footer("&C&P / &N");
    Ok(())
}

/// Display width of text in Excel's character units: CJK and other wide
/// characters take two.
pub fn text_width(text: &str) -> usize {
    text.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

/// The height in points of a row whose cell, `width` characters wide,
/// wraps `text` (`line` points a line, at least `min`), so printed text is
/// never cut off. Conservative: printing may substitute a wider font.
pub fn wrapped_height(text: &str, width: f64, line: f64, min: f64) -> f64 {
    let per_line = (width * 0.85).floor().max(1.0) as usize;
    let lines: usize = text
        .split('\n')
        .map(|l| text_width(l).div_ceil(per_line).max(1))
        .sum();
    (lines as f64 * line).max(min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_rows_grow_with_their_text() {
        // 20 wide: 17 characters a line.
        assert_eq!(wrapped_height("short", 20.0, 15.0, 18.0), 18.0);
        assert_eq!(wrapped_height(&"x".repeat(17), 20.0, 15.0, 0.0), 15.0);
        assert_eq!(wrapped_height(&"x".repeat(18), 20.0, 15.0, 0.0), 30.0);
        // CJK characters are two wide: 9 of them need two lines.
        assert_eq!(wrapped_height(&"长".repeat(9), 20.0, 15.0, 0.0), 30.0);
        assert_eq!(wrapped_height("a\nb", 20.0, 15.0, 0.0), 30.0);
    }

    #[test]
    fn grade_colours_run_from_best_to_worst() {
        assert_eq!(grade_colours(0, 5), GRADE_COLOURS[0]);
        assert_eq!(grade_colours(4, 5), GRADE_COLOURS[4]);
        assert_eq!(grade_colours(1, 3), GRADE_COLOURS[2]);
        assert_eq!(grade_colours(0, 1), GRADE_COLOURS[0]);
        assert_eq!(grade_colours(9, 10), GRADE_COLOURS[4]);
    }

    #[test]
    fn header_ampersands_are_escaped() {
        assert_eq!(header_text("A&B"), "A&&B");
        let long = header_text(&"&".repeat(200));
        assert!(long.ends_with("&&…") && long.chars().count() <= HEADER_PART);
        assert_eq!(
            header_text(&"x".repeat(HEADER_PART)),
            "x".repeat(HEADER_PART)
        );
        assert_eq!(text_width("East 东区"), 9);
    }
}
