//! Ranking: every person, best first, with per KPI the target, actual,
//! attainment, score, weight share and weighted points, then the total,
//! grade, ranks and bonus. Two header rows: the KPI groups, then columns.
//!
//! Column layout (0-based): 0 company rank, 1 staff id, 2 name,
//! 3 department, 4 role, 5 manager id, 6 status, 7 total, 8 grade,
//! 9 department rank, 10 role rank, 11 bonus, then six columns per KPI from
//! 12: target, actual, attainment, score, weight %, points.

use crate::report::text::WriteText;
use rust_xlsxwriter::{
    ConditionalFormat3ColorScale, ConditionalFormatDataBar, Format, Worksheet, XlsxError,
};

use super::page_header;
use crate::report::csv::report_order;
use crate::report::lang::{self as l};
use crate::report::styles::{Styles, print_setup, text_width};
use crate::report::text::{shown, to_f64};
use crate::report::view::PeriodView;

/// First KPI column.
pub const KPI_COL: u16 = 12;
/// Columns per KPI.
pub const PER_KPI: u16 = 6;
/// Header rows.
pub const HEADER_ROWS: u32 = 2;

pub fn sheet(ws: &mut Worksheet, view: &PeriodView<'_>, st: &Styles) -> Result<(), XlsxError> {
    let lang = view.lang;
    let plan = view.plan;
    let name = lang.t(l::RANKING);
    ws.set_name(name)?;
    let rescaled = Format::new()
        .set_num_format("0.0")
        .set_font_color("2F75B5")
        .set_bold()
        .set_border(rust_xlsxwriter::FormatBorder::Thin)
        .set_border_color("BFBFBF");
    let weight_fmt = Format::new()
        .set_num_format("0.0")
        .set_border(rust_xlsxwriter::FormatBorder::Thin)
        .set_border_color("BFBFBF");
    let ident = [
        l::RANK,
        l::STAFF_ID,
        l::NAME,
        l::DEPARTMENT,
        l::ROLE,
        l::MANAGER_ID,
        l::STATUS,
        l::TOTAL,
        l::GRADE,
        l::RANK_DEPARTMENT,
        l::RANK_ROLE,
        l::BONUS,
    ];
    let sub = [
        l::TARGET,
        l::ACTUAL,
        l::ATTAINMENT,
        l::SCORE,
        l::WEIGHT,
        l::POINTS,
    ];
    let last_col = KPI_COL + PER_KPI * plan.kpis.len() as u16 - 1;
    let mut widths: Vec<usize> = vec![8; last_col as usize + 1];
    for (c, h) in ident.iter().enumerate() {
        let c = c as u16;
        ws.merge_text((0, c), (1, c), lang.t(*h), &st.header)?;
        widths[c as usize] = text_width(lang.t(*h)).clamp(6, 14);
    }
    // Every cell of row 0 before any of row 1: a streamed sheet cannot go
    // back to a row once the next one is written.
    for (k, kpi) in plan.kpis.iter().enumerate() {
        let c0 = KPI_COL + PER_KPI * k as u16;
        ws.merge_text(
            (0, c0),
            (0, c0 + PER_KPI - 1),
            lang.label(&kpi.label),
            &st.group,
        )?;
    }
    for k in 0..plan.kpis.len() {
        let c0 = KPI_COL + PER_KPI * k as u16;
        for (j, h) in sub.iter().enumerate() {
            let c = c0 + j as u16;
            ws.write_text(1, c, lang.t(*h), &st.header)?;
            widths[c as usize] = text_width(lang.t(*h)).clamp(7, 12);
        }
    }
    // Rows are written in order (the sheet may stream in constant-memory
    // mode): the header's height before the first person.
    ws.set_row_height(1, 30)?;
    let mut row = HEADER_ROWS;
    let mut any_rescaled = false;
    for r in report_order(view.people, view.result) {
        let p = &view.people[r.person];
        let ok = r.card.is_some();
        let text_fmt = if ok { &st.text } else { &st.grey };
        let status = lang.t(if ok { l::OK } else { l::INCOMPLETE });
        let texts = [
            (1u16, p.staff_id.as_str()),
            (2, p.name.as_str()),
            (3, p.department.as_str()),
            (4, view.role_label(r.person)),
            (5, p.manager_id.as_str()),
            (6, status),
        ];
        for (c, text) in texts {
            // Text from the inputs is written as text, never as a formula.
            ws.write_text(row, c, text, text_fmt)?;
            let w = &mut widths[c as usize];
            *w = (*w).max(text_width(text).min(40));
        }
        match &r.card {
            Some(card) => {
                ws.write_number_with_format(row, 0, f64::from(card.ranks.company.0), &st.integer)?;
                ws.write_number_with_format(row, 7, to_f64(card.total), &st.score_bold)?;
                ws.write_text(
                    row,
                    8,
                    &plan.grades[card.grade].grade,
                    &st.grades[card.grade],
                )?;
                ws.write_number_with_format(
                    row,
                    9,
                    f64::from(card.ranks.department.0),
                    &st.integer,
                )?;
                ws.write_number_with_format(row, 10, f64::from(card.ranks.role.0), &st.integer)?;
                match card.bonus {
                    Some(b) => ws.write_number_with_format(row, 11, to_f64(b), &st.money)?,
                    None => ws.write_blank(row, 11, &st.text)?,
                };
                for (k, line) in card.kpis.iter().enumerate() {
                    let c0 = KPI_COL + PER_KPI * k as u16;
                    let (target, actual) = view.target_actual(r.person, k);
                    for (j, v) in [target, actual].into_iter().enumerate() {
                        match v {
                            Some(v) => ws.write_number_with_format(
                                row,
                                c0 + j as u16,
                                to_f64(v),
                                &st.number,
                            )?,
                            None => ws.write_blank(row, c0 + j as u16, &st.text)?,
                        };
                    }
                    match line.attainment {
                        Some(a) => {
                            ws.write_number_with_format(row, c0 + 2, to_f64(a), &st.percent)?
                        }
                        None => ws.write_blank(row, c0 + 2, &st.text)?,
                    };
                    match line.score {
                        Some(s) => {
                            ws.write_number_with_format(
                                row,
                                c0 + 3,
                                to_f64(shown(s, 2)),
                                &st.score,
                            )?;
                            let moved = line.share != line.weight;
                            any_rescaled |= moved;
                            let fmt = if moved { &rescaled } else { &weight_fmt };
                            ws.write_number_with_format(row, c0 + 4, to_f64(line.share), fmt)?;
                        }
                        None => {
                            ws.write_text(row, c0 + 3, lang.t(l::NOT_APPLICABLE), &st.na)?;
                            ws.write_text(row, c0 + 4, lang.t(l::NOT_APPLICABLE), &st.na)?;
                        }
                    }
                    match line.points {
                        Some(pt) => {
                            ws.write_number_with_format(row, c0 + 5, to_f64(pt), &st.score)?
                        }
                        None => ws.write_blank(row, c0 + 5, &st.text)?,
                    };
                }
            }
            None => {
                for c in [0u16, 7, 8, 9, 10, 11] {
                    ws.write_blank(row, c, &st.grey)?;
                }
                for k in 0..plan.kpis.len() {
                    let c0 = KPI_COL + PER_KPI * k as u16;
                    let (target, actual) = view.target_actual(r.person, k);
                    for (j, v) in [target, actual].into_iter().enumerate() {
                        match v {
                            Some(v) => ws.write_number_with_format(
                                row,
                                c0 + j as u16,
                                to_f64(v),
                                &st.grey_number,
                            )?,
                            None => ws.write_blank(row, c0 + j as u16, &st.grey)?,
                        };
                    }
                    for j in 2..PER_KPI {
                        ws.write_blank(row, c0 + j, &st.grey)?;
                    }
                }
            }
        }
        row += 1;
    }
    let last_row = row.saturating_sub(1).max(HEADER_ROWS);
    if row > HEADER_ROWS {
        ws.add_conditional_format(
            HEADER_ROWS,
            7,
            last_row,
            7,
            &ConditionalFormat3ColorScale::new()
                .set_minimum_color("F8696B")
                .set_midpoint_color("FFEB84")
                .set_maximum_color("63BE7B"),
        )?;
        for k in 0..plan.kpis.len() {
            let c = KPI_COL + PER_KPI * k as u16 + 2;
            ws.add_conditional_format(
                HEADER_ROWS,
                c,
                last_row,
                c,
                &ConditionalFormatDataBar::new().set_fill_color("5B9BD5"),
            )?;
        }
    }
    if any_rescaled {
        ws.write_text(row + 1, 1, lang.t(l::RESCALED_NOTE), &st.subtitle)?;
    }
    widths[11] = widths[11].max(11);
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w + 2) as f64)?;
    }
    ws.set_freeze_panes(HEADER_ROWS, 3)?;
    ws.autofilter(1, 0, last_row, last_col)?;
    print_setup(
        ws,
        true,
        Some((0, HEADER_ROWS - 1)),
        &page_header(view, name),
        &view.result.period.to_string(),
    )?;
    // 12 identity columns and 6 per KPI: A3 keeps the page-wide print legible.
    ws.set_paper_size(8);
    Ok(())
}
