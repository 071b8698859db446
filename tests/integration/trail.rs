//! The calculation trail equals the scorecard: every template (and plan
//! variants for the scoring methods and bonus rule no template uses) on
//! both sample sets; for every person, period and KPI, each figure the
//! trail shows is read back from its text and compared with the figure in
//! the scorecard that the reports print and finance pays. The Chinese trail
//! shows the same figures as the English one, line by line.

use kpi_report::lang::Lang;
use kpi_report::plan::{Method, Plan};
use kpi_report::report::explain::{Explanation, Section, Sources, num, trail};
use kpi_report::score::{BonusDetail, KpiLine, Scorecard, Step};

use crate::util::repo;

/// The plans: every template, and variants covering `add` scoring and the
/// `score_linear` bonus.
fn plans() -> Vec<(String, String)> {
    let mut plans = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(repo().join("templates"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    names.sort();
    for path in names {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        plans.push((name, std::fs::read_to_string(&path).unwrap()));
    }
    let extended = std::fs::read_to_string(repo().join("templates/extended.toml")).unwrap();
    let deduct =
        "method = \"deduct\", actual = \"complaints\", start = 100, per_unit = 20, floor = 0";
    assert!(extended.contains(deduct), "the extended template changed");
    plans.push((
        "extended, complaints added".into(),
        extended.replace(
            deduct,
            "method = \"add\", actual = \"complaints\", start = 50, per_unit = 20, cap = 100",
        ),
    ));
    let standard = std::fs::read_to_string(repo().join("templates/standard.toml")).unwrap();
    let rule = "method = \"grade_coefficient\"\nbase = \"bonus_base\"\ncoefficients = { S = 1.5, A = 1.2, B = 1.0, C = 0.6, D = 0 }";
    assert!(standard.contains(rule), "the standard template changed");
    plans.push((
        "standard, score_linear bonus".into(),
        standard.replace(
            rule,
            "method = \"score_linear\"\nbase = \"bonus_base\"\ncap = 90",
        ),
    ));
    plans
}

/// The figure after the last `= ` (or after `→` when a floor or cap moved
/// it), up to the next space.
fn last_figure(text: &str) -> &str {
    let at = text
        .rfind('→')
        .map(|i| i + '→'.len_utf8())
        .or_else(|| text.rfind("= ").map(|i| i + 2))
        .unwrap_or(0);
    text[at..]
        .trim_start()
        .split([' ', ';'])
        .next()
        .unwrap_or_default()
}

/// Every run of digits and points, in order.
fn numbers(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_digit() && c != '.')
        .map(|run| run.trim_matches('.'))
        .filter(|run| !run.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The lines of `section` in the trail.
fn lines(t: &Explanation, section: Section) -> Vec<&str> {
    t.lines
        .iter()
        .filter(|l| l.section == section)
        .map(|l| l.text.as_str())
        .collect()
}

/// The one line of `section` starting with `prefix`.
#[track_caller]
fn line<'t>(t: &'t Explanation, section: Section, prefix: &str) -> &'t str {
    let found: Vec<&str> = lines(t, section)
        .into_iter()
        .filter(|l| l.starts_with(prefix))
        .collect();
    assert_eq!(found.len(), 1, "one '{prefix}' line in\n{t}");
    found[0]
}

/// Each KPI's lines: the heading `N. …` and the lines under it.
fn kpi_blocks(t: &Explanation) -> Vec<(usize, Vec<&str>)> {
    let mut blocks: Vec<(usize, Vec<&str>)> = Vec::new();
    for l in t.lines.iter().filter(|l| l.section == Section::Kpi) {
        if l.indent == 0 {
            let n: usize = l.text.split('.').next().unwrap().parse().unwrap();
            blocks.push((n - 1, Vec::new()));
        } else {
            blocks.last_mut().unwrap().1.push(&l.text);
        }
    }
    blocks
}

/// One KPI's lines against its scorecard line; returns the method checked.
fn check_kpi(kpi: &kpi_report::plan::Kpi, k: &KpiLine, card: &Scorecard, block: &[&str]) {
    let at = |prefix: &str| block.iter().find(|l| l.starts_with(prefix)).copied();
    let context = format!("{}: {block:#?}", kpi.id);
    if let Some(passed) = k.passed {
        let gate = at("gate (no weight): ").expect(&context);
        assert_eq!(gate.contains("passed"), passed, "{context}");
        return;
    }
    let Some(score) = k.score else {
        let dropped = at("does not apply").expect(&context);
        assert_eq!(
            dropped,
            format!(
                "does not apply (target 0 or blank): weight {} dropped",
                num(k.weight)
            ),
            "{context}"
        );
        return;
    };
    // points: S × W ÷ A = P  (weight W, share SH %)
    let points = at("points: ").expect(&context);
    let expected = format!(
        "points: {} × {} ÷ {} = {}  (weight {}, share {} %)",
        num(score),
        num(k.weight),
        num(card.weight_applied),
        num(k.points.unwrap()),
        num(k.weight),
        num(k.share)
    );
    assert_eq!(points, expected, "{context}");
    if let Some(a) = k.attainment
        && let Some(l) = at("attainment = ").or_else(|| at("lower is better: attainment = "))
    {
        assert_eq!(last_figure(l), num(a), "{context}");
    }
    // The score the method reached, as the trail states it.
    let stated = match &kpi.method {
        Method::PassFail { .. } => unreachable!("gates return above"),
        Method::InverseRatio { .. } if k.attainment.is_none() => at("actual of 0: "),
        Method::Bands { .. } => at("reaches ")
            .or_else(|| at("no band reached"))
            .or_else(|| at("score = ")),
        Method::Rating { .. } => at("rating on a scale"),
        Method::Ratio { .. } => at("score = ").or_else(|| at("below the gate")),
        _ => at("score = "),
    }
    .expect(&context);
    assert_eq!(last_figure(stated), num(score), "{context}");
    // The method's raw result, before floor and cap: `= raw → score` or,
    // untouched, `= raw`.
    if let (Some(raw), Step::Formula) = (k.raw, k.step)
        && !matches!(kpi.method, Method::Rating { .. })
    {
        let shown = match stated.split_once('→') {
            Some((before, _)) => before.trim_end().rsplit(' ').next().unwrap_or_default(),
            None => last_figure(stated),
        };
        assert_eq!(shown, num(raw), "{context}");
    }
}

/// The whole trail of one scored person against the scorecard.
fn check_trail(plan: &Plan, t: &Explanation, card: &Scorecard, methods: &mut Vec<&'static str>) {
    if let Some(year) = &card.year {
        let mean = line(t, Section::Total, "year to date = ");
        assert_eq!(
            mean,
            format!(
                "year to date = mean of the monthly totals = {} ÷ {} = {}",
                num(year.sum),
                year.months.len(),
                num(card.raw_total)
            )
        );
    } else {
        let blocks = kpi_blocks(t);
        for (i, (kpi, k)) in plan.kpis.iter().zip(&card.kpis).enumerate() {
            let Some((_, block)) = blocks.iter().find(|(n, _)| *n == i) else {
                // A KPI with no weight in the role is not listed.
                assert!(k.passed.is_none() && k.weight.is_zero(), "{}\n{t}", kpi.id);
                continue;
            };
            check_kpi(kpi, k, card, block);
            if k.score.is_some() && !methods.contains(&kpi.method.name()) {
                methods.push(kpi.method.name());
            }
        }
        let total = line(t, Section::Total, "total = ");
        assert_eq!(
            total,
            format!(
                "total = Σ score × weight ÷ Σ weight = {} ÷ {} = {}",
                num(card.weighted_sum),
                num(card.weight_applied),
                num(card.raw_total)
            )
        );
    }
    let rounded = line(t, Section::Total, "rounded to ");
    assert_eq!(
        last_figure(&rounded.replace(": ", "= ")),
        card.rounded_total.to_string()
    );
    let fin = line(t, Section::Total, "final total: ");
    assert_eq!(fin, format!("final total: {}", card.total));
    if let Some(quota) = &card.quota {
        let rule = line(t, Section::Grade, "forced distribution within ");
        let counts: Vec<String> = plan
            .grades
            .iter()
            .zip(quota.iter())
            .map(|(g, c)| format!("{} {c}", g.grade))
            .collect();
        assert!(
            rule.contains(&format!("; counts {} (", counts.join(", "))),
            "{rule}"
        );
    }
    let grade = line(t, Section::Grade, "grade: ");
    assert!(
        grade.starts_with(&format!("grade: {} (", plan.grades[card.grade].grade)),
        "{grade}"
    );
    let r = card.ranks;
    let ranks = lines(t, Section::Rank).join("\n");
    let figures = numbers(&ranks);
    let want: Vec<String> = [r.company, r.department, r.role]
        .iter()
        .flat_map(|(rank, of)| [rank.to_string(), of.to_string()])
        .collect();
    assert_eq!(figures, want, "{ranks}");
    check_bonus(t, card);
}

fn check_bonus(t: &Explanation, card: &Scorecard) {
    let bonus = lines(t, Section::Bonus);
    let Some(paid) = card.bonus else {
        return;
    };
    let last = bonus.last().unwrap();
    assert!(
        last.ends_with(&format!("bonus {paid}")) || last.ends_with(&format!("bonus: {paid}")),
        "{last} (paid {paid})"
    );
    match &card.bonus_detail {
        Some(BonusDetail::Coefficient { .. }) => {
            let l = bonus
                .iter()
                .find(|l| l.starts_with("bonus = base × coefficient"))
                .unwrap();
            assert_eq!(last_figure(l), num(card.bonus_unrounded.unwrap()));
        }
        Some(BonusDetail::ScoreLinear { counted, .. }) => {
            let l = bonus
                .iter()
                .find(|l| l.starts_with("bonus = base × total"))
                .unwrap();
            assert_eq!(last_figure(l), num(card.bonus_unrounded.unwrap()));
            assert!(l.contains(&format!(" × {} ÷ 100", num(*counted))), "{l}");
        }
        Some(BonusDetail::Commission { uncapped, .. }) => {
            let l = bonus
                .iter()
                .find(|l| l.starts_with("commission = "))
                .unwrap();
            assert_eq!(last_figure(l), num(*uncapped));
        }
        Some(BonusDetail::Pool {
            exact,
            rounded_down,
            ..
        }) => {
            let l = bonus.iter().find(|l| l.starts_with("share = ")).unwrap();
            assert_eq!(last_figure(l), num(*exact));
            let l = bonus.iter().find(|l| l.starts_with("to cents")).unwrap();
            assert!(
                l.contains(&format!(": {} rounded down", num(*rounded_down))),
                "{l}"
            );
        }
        None => {}
    }
}

#[test]
fn every_figure_in_the_trail_is_the_scorecards() {
    let mut methods: Vec<&'static str> = Vec::new();
    let mut checked = 0;
    for (name, text) in plans() {
        let plan = Plan::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for sample in ["en", "zh"] {
            let eval = kpi_report::evaluate(&repo().join("samples").join(sample), &plan).unwrap();
            let src = Sources::of(&plan, &eval);
            for (period_ix, period) in eval.periods.iter().enumerate() {
                for (person_ix, r) in period.people.iter().enumerate() {
                    let Some(card) = &r.card else { continue };
                    let en = trail(&src, person_ix, period_ix, Lang::En);
                    check_trail(&plan, &en, card, &mut methods);
                    // The Chinese trail: the same figures, line by line.
                    let zh = trail(&src, person_ix, period_ix, Lang::Zh);
                    assert_eq!(en.lines.len(), zh.lines.len(), "{name}\n{en}\n{zh}");
                    for (e, z) in en.lines.iter().zip(&zh.lines) {
                        if e.section != Section::Person {
                            assert_eq!(
                                numbers(&e.text),
                                numbers(&z.text),
                                "{}\n{}",
                                e.text,
                                z.text
                            );
                        }
                    }
                    checked += 1;
                }
            }
        }
    }
    methods.sort_unstable();
    assert_eq!(
        methods,
        [
            "add",
            "bands",
            "deduct",
            "inverse_ratio",
            "linear",
            "pass_fail",
            "rating",
            "ratio"
        ],
        "every scoring method"
    );
    assert!(checked > 1000, "{checked} trails");
}
