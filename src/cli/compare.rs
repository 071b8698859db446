//! `kpi-report compare`: two plans on the same inputs, summarised on one
//! screen (or printed whole as JSON).

use std::io::Write;
use std::path::Path;

use crate::cli::{CompareArgs, code_for_issues, settings};
use crate::config::load_plan;
use crate::error::Error;
use crate::lang::{Lang, tr};
use crate::plan::Plan;
use crate::report::text::two;
use crate::score::compare::Comparison;
use crate::workflow::compare::run;
use crate::workflow::side::SideError;

/// How many gainers and losers the screen shows.
const SHOWN: usize = 3;

/// `standard` is the built-in plan; anything else a plan file.
fn plan(arg: &str) -> Result<Plan, Error> {
    if arg == "standard" {
        load_plan(None)
    } else {
        load_plan(Some(Path::new(arg)))
    }
}

/// Runs the comparison and prints it. Exit 0, or 3 when the input has data
/// issues under either plan.
///
/// # Errors
/// A bad plan, unreadable input, an unknown period, an output folder that
/// is not kpi-report's to write into, or not exactly two `--plan`s.
pub fn command(args: &CompareArgs) -> Result<u8, SideError> {
    let [a, b] = args.plan.as_slice() else {
        return Err(SideError::Usage(format!(
            "compare needs exactly two --plan options (A then B; `standard` is the built-in plan), got {}",
            args.plan.len()
        )));
    };
    let (a, b) = (plan(a)?, plan(b)?);
    let lang = settings::lang(args.lang);
    let done = run(
        &args.input_dir,
        (&a, &b),
        args.period.as_deref(),
        &args.out,
        lang,
    )?;
    if args.json {
        let doc = serde_json::json!({
            "comparison": done.comparison,
            "file": done.file.display().to_string(),
            "issues": { "plan_a": done.issues.0, "plan_b": done.issues.1 },
        });
        let _ = writeln!(
            std::io::stdout().lock(),
            "{}",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        );
    } else {
        let _ = write!(
            std::io::stdout().lock(),
            "{}{}",
            screen(&done.comparison, lang),
            tr!(lang, "written: {}\n", "已写入：{}\n", done.file.display())
        );
    }
    Ok(code_for_issues(done.issues.0 + done.issues.1))
}

/// The one-screen summary.
pub fn screen(c: &Comparison, lang: Lang) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "{}: A = {}, B = {}", c.period, c.plan_a, c.plan_b);
    let _ = writeln!(
        s,
        "{}",
        tr!(
            lang,
            "{} people scored under both; {} change grade",
            "{} 人在两个方案下均已评分；{} 人等级变化",
            c.scored_both,
            c.grade_changes
        )
    );
    let _ = writeln!(
        s,
        "{}",
        lang.t((
            "grade migration (rows A, columns B):",
            "等级迁移（行：方案 A，列：方案 B）："
        ))
    );
    let _ = writeln!(
        s,
        "  {:>4} {}",
        "",
        c.grades_b
            .iter()
            .map(|g| format!("{g:>5}"))
            .collect::<String>()
    );
    for (i, g) in c.grades_a.iter().enumerate() {
        let row: String = c.migration[i].iter().map(|n| format!("{n:>5}")).collect();
        let _ = writeln!(s, "  {g:>4} {row}");
    }
    let _ = writeln!(
        s,
        "{}",
        tr!(
            lang,
            "bonus cost: A {}  B {}  difference {}",
            "奖金成本：A {}  B {}  差额 {}",
            two(c.company.a),
            two(c.company.b),
            two(c.company.change)
        )
    );
    for (title, list) in [
        (lang.t(("gain most", "增加最多")), &c.gainers),
        (lang.t(("lose most", "减少最多")), &c.losers),
    ] {
        let names: Vec<String> = list
            .iter()
            .take(SHOWN)
            .map(|&i| {
                let p = &c.people[i];
                let signed = |d: rust_decimal::Decimal| {
                    if d.is_sign_negative() {
                        two(d)
                    } else {
                        format!("+{}", two(d))
                    }
                };
                let bonus = p
                    .bonus_change
                    .map(|d| tr!(lang, "bonus {}, ", "奖金 {}，", signed(d)))
                    .unwrap_or_default();
                let total = p.total_change.map(signed).unwrap_or_default();
                tr!(
                    lang,
                    "{} {} ({bonus}total {total})",
                    "{} {}（{bonus}总分 {total}）",
                    p.staff_id,
                    p.name
                )
            })
            .collect();
        if !names.is_empty() {
            let _ = writeln!(
                s,
                "{title}{}{}",
                lang.t((": ", "：")),
                names.join(lang.t((", ", "，")))
            );
        }
    }
    s
}
