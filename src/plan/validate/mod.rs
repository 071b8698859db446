//! Plan validation: every problem at once, each naming its key (and, once
//! located in the text, its line and column). [`resolve`] checks the plan
//! section by section, in the order its problems are listed: settings,
//! columns, grades, KPIs (a gate names a grade), roles (weights name KPIs),
//! bonus (coefficients name grades), targets and development.

mod bonus;
mod columns;
mod grades;
mod kpis;
mod roles;
mod settings;

use rust_decimal::Decimal;

use super::file::{PlanFile, TableKind};
use super::parse::Broken;
use super::problem::PlanError;
use super::problem::PlanProblem;
use super::{Grading, Plan};

#[derive(Default)]
struct Problems(Vec<PlanProblem>);

impl Problems {
    fn add(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.0.push(PlanProblem {
            key: key.into(),
            message: message.into(),
            at: None,
        });
    }
}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

pub(super) fn resolve(
    raw: PlanFile,
    broken: &Broken,
    found: Vec<PlanProblem>,
) -> Result<Plan, PlanError> {
    let mut p = Problems(found);
    settings::check(&raw, &mut p);
    let cols = columns::resolve(&raw.columns, broken, &mut p);
    let grades = grades::resolve(&raw.grading, &raw.grades, broken, &mut p);
    let (kpis, kpi_ids) = kpis::resolve(&raw.kpis, &cols, &grades, broken, &mut p);
    let (roles, role_index) = roles::resolve(&raw.roles, &kpis, &kpi_ids, broken, &mut p);
    let bonus = bonus::resolve(raw.bonus.as_ref(), &cols, &grades, broken, &mut p);
    let targets = {
        let named: Vec<(String, Vec<String>)> = raw
            .roles
            .iter()
            .map(|r| (r.name.clone(), r.aliases.clone()))
            .collect();
        let cols: Vec<(String, bool)> = cols
            .columns
            .iter()
            .map(|c| (c.id.clone(), c.table == TableKind::Targets))
            .collect();
        super::cycle::resolve_targets(&raw.targets, &named, &cols, &mut |k, m| p.add(k, m))
    };
    let development = {
        let names: Vec<String> = grades.iter().map(|g| g.grade.clone()).collect();
        super::cycle::resolve_development(&raw.development, &names, &mut |k, m| p.add(k, m))
    };
    if !p.0.is_empty() {
        return Err(PlanError { problems: p.0 });
    }
    let columns::Columns {
        columns,
        header_index,
        key,
        ..
    } = cols;
    Ok(Plan {
        name: raw.name,
        company: raw.company,
        rounding: raw.rounding,
        proration: raw.proration,
        columns,
        kpis,
        roles,
        grading: Grading {
            method: raw.grading.method,
            scope: raw.grading.scope,
        },
        grades,
        bonus,
        targets,
        development,
        source_hash: String::new(),
        header_index,
        role_index,
        key,
    })
}

/// ", did you mean 'x'?" for the closest known name, if close.
fn suggest<'a>(wanted: &str, known: impl Iterator<Item = &'a str>) -> String {
    known
        .map(|k| (strsim::jaro_winkler(wanted, k), k))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| format!("; did you mean '{k}'?"))
        .unwrap_or_default()
}

fn table_name(t: TableKind) -> &'static str {
    match t {
        TableKind::Key => "key",
        TableKind::Staff => "staff",
        TableKind::Targets => "targets",
        TableKind::Results => "results",
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Plan, STANDARD_PLAN};

    #[test]
    fn arrival_scales_convert_exactly_or_are_refused() {
        use rust_decimal::Decimal;
        let with = |arrives: &str| {
            let text = STANDARD_PLAN.replace(
                "max = 100\npercent = true\n",
                &format!("max = 100\npercent = true\narrives = {arrives}\n"),
            );
            Plan::parse(&text)
        };
        let sat = |p: &Plan| {
            p.columns[p.column_ix("satisfaction").unwrap()]
                .arrives
                .unwrap()
        };
        let five = with("\"out_of_5\"").unwrap();
        assert_eq!(sat(&five).factor, Decimal::from(20));
        assert_eq!(
            sat(&five).convert(Decimal::new(44, 1), Decimal::ZERO),
            Some(Decimal::from(88))
        );
        assert_eq!(
            sat(&with("\"fraction\"").unwrap()).factor,
            Decimal::ONE_HUNDRED
        );
        let likert = with("{ from = 1, to = 5 }").unwrap();
        assert_eq!(sat(&likert).factor, Decimal::from(25));
        assert_eq!(
            sat(&likert).convert(Decimal::new(44, 1), Decimal::ZERO),
            Some(Decimal::from(85))
        );
        // 0..3 onto 0..100 has no exact factor; unknown names are refused.
        for bad in ["\"out_of_3\"", "\"percentage\"", "{ from = 5, to = 1 }"] {
            let err = with(bad).unwrap_err();
            assert!(
                err.problems.iter().any(|p| p.key.ends_with(".arrives")),
                "{bad}: {err:?}"
            );
        }
    }

    fn problems(text: &str) -> Vec<String> {
        match Plan::parse(text) {
            Ok(_) => vec![],
            Err(e) => e
                .problems
                .iter()
                .map(|p| format!("{}: {}", p.key, p.message))
                .collect(),
        }
    }

    #[test]
    fn weights_must_sum_to_100() {
        let text = STANDARD_PLAN.replacen("sales = 40,", "sales = 41,", 1);
        assert_eq!(
            problems(&text),
            ["roles[0].weights: role 'Sales Representative': weights sum to 101, not 100"]
        );
    }

    #[test]
    fn weighted_kpi_must_exist() {
        let text = STANDARD_PLAN.replacen("training = 5 }", "training = 5, lunch = 0 }", 1);
        assert_eq!(
            problems(&text),
            ["roles[0].weights.lunch: no KPI 'lunch' in [[kpis]]"]
        );
    }

    #[test]
    fn thresholds_must_descend() {
        let text = STANDARD_PLAN.replacen("min = 95", "min = 110", 1);
        assert_eq!(
            problems(&text),
            ["grades[1].min: thresholds must descend: 110 is not below the grade above"]
        );
    }

    #[test]
    fn unknown_method_names_its_key() {
        let text = STANDARD_PLAN.replacen("method = \"linear\"", "method = \"guess\"", 1);
        let found = problems(&text);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with("kpis[2].score.method: unknown variant `guess`"),
            "{found:?}"
        );
    }

    fn located(text: &str) -> Vec<String> {
        match Plan::parse(text) {
            Ok(_) => vec![],
            Err(e) => e.render("plan.toml").lines().map(String::from).collect(),
        }
    }

    /// Line and column of the first occurrence of `needle` (1-based).
    fn at(text: &str, needle: &str) -> String {
        let offset = text.find(needle).unwrap();
        let (l, c) = super::super::parse::line_col(text, offset);
        format!("{l}:{c}")
    }

    #[test]
    fn problems_carry_line_and_column() {
        let text = STANDARD_PLAN.replacen("sales = 40,", "sales = 41,", 1);
        let weights = text.find("weights = { sales = 41").unwrap() + "weights = ".len();
        let (l, c) = super::super::parse::line_col(&text, weights);
        assert_eq!(
            located(&text),
            [format!(
                "plan.toml:{l}:{c}: roles[0].weights: role 'Sales Representative': weights sum to 101, not 100"
            )]
        );
    }

    #[test]
    fn a_broken_plan_gets_every_problem_with_its_position() {
        let text = STANDARD_PLAN
            // weights not summing to 100
            .replacen("sales = 40,", "sales = 41,", 1)
            // an unknown KPI in a role
            .replacen("training = 10 }", "training = 10, lunch = 0 }", 1)
            // an unknown method
            .replacen("method = \"deduct\"", "method = \"subtract\"", 1)
            // a column declared twice
            .replacen("id = \"new_customers\"\n", "id = \"sales\"\n", 1)
            // an unknown top-level key
            .replacen("format = 1", "format = 1\ncolour = \"blue\"", 1);
        let found = located(&text);
        let t = &text;
        // Each problem at its key: the key itself for a value, the opening
        // brace for an inline table.
        let second_sales = t.match_indices("id = \"sales\"\ntable").nth(1).unwrap().0;
        let (l, c) = super::super::parse::line_col(t, second_sales);
        let weights = t.find("weights = { sales = 41").unwrap() + "weights = ".len();
        let (wl, wc) = super::super::parse::line_col(t, weights);
        let manager = t.rfind("lunch = 0").unwrap();
        let (ml, mc) = super::super::parse::line_col(t, manager);
        let actual = t.find("actual = \"new_customers\"").unwrap();
        let (al, ac) = super::super::parse::line_col(t, actual);
        assert_eq!(
            found,
            [
                format!(
                    "plan.toml:{}: colour: unknown key 'colour'; expected one of format, name, company, rounding, columns, kpis, roles, grading, grades, targets, development, proration, bonus",
                    at(t, "colour")
                ),
                format!(
                    "plan.toml:{}: kpis[3].score.method: unknown variant `subtract`, expected one of `ratio`, `inverse_ratio`, `linear`, `bands`, `deduct`, `add`, `rating`, `pass_fail`",
                    at(t, "method = \"subtract\"")
                ),
                format!(
                    "plan.toml:{l}:{c}: columns[14].id: column 'sales' is declared twice (also columns[13])"
                ),
                format!(
                    "plan.toml:{}:11: columns[14].aliases: header 'sales' already names column 'sales'",
                    l + 3
                ),
                format!(
                    "plan.toml:{al}:{ac}: kpis[1].score.actual: no column 'new_customers' is declared under [[columns]]; did you mean 'new_customers_target'?"
                ),
                format!(
                    "plan.toml:{wl}:{wc}: roles[0].weights: role 'Sales Representative': weights sum to 101, not 100"
                ),
                format!("plan.toml:{ml}:{mc}: roles[2].weights.lunch: no KPI 'lunch' in [[kpis]]"),
            ]
        );
        // The KPI whose method was unknown is not reported again as an
        // unknown KPI in the roles.
        assert!(!found.iter().any(|f| f.contains("no KPI 'complaints'")));
    }

    fn with_extra_kpi(kpi: &str) -> String {
        STANDARD_PLAN.replacen(
            "# ------------------------------------------------------------------ roles",
            &format!("{kpi}\n# roles"),
            1,
        )
    }

    #[test]
    fn bands_must_be_monotonic() {
        let text = with_extra_kpi(
            "[[kpis]]\nid = \"x\"\nlabel = { en = \"X\", zh = \"X\" }\nscore = { method = \"bands\", actual = \"sales\", bands = [{ at = 1, points = 10 }, { at = 3, points = 20 }, { at = 2, points = 30 }] }\n",
        );
        assert_eq!(
            problems(&text),
            [
                "kpis[6].score.bands[2]: bands not monotonic: thresholds must strictly rise (direction = \"ascending\"), but 2 follows 3"
            ]
        );
        let text = with_extra_kpi(
            "[[kpis]]\nid = \"x\"\nlabel = { en = \"X\", zh = \"X\" }\nscore = { method = \"bands\", actual = \"sales\", direction = \"descending\", bands = [{ at = 3, points = 10 }, { at = 2, points = 20 }] }\n",
        );
        assert_eq!(problems(&text), Vec::<String>::new());
    }

    #[test]
    fn inverse_ratio_needs_a_rule_for_zero() {
        let text = with_extra_kpi(
            "[[kpis]]\nid = \"x\"\nlabel = { en = \"X\", zh = \"X\" }\nscore = { method = \"inverse_ratio\", actual = \"complaints\", target = 2 }\n",
        );
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("kpis[6].score.zero_actual: "),
            "{found:?}"
        );
    }

    #[test]
    fn gates_carry_no_weight_and_name_a_grade() {
        let text = with_extra_kpi(
            "[[kpis]]\nid = \"gate\"\nlabel = { en = \"X\", zh = \"X\" }\nscore = { method = \"pass_fail\", actual = \"complaints\", pass_max = 0, on_fail = \"cap_grade\", cap_grade = \"Z\" }\n",
        )
        .replacen("training = 5 }", "training = 5, gate = 0 }", 1)
        .replacen("training = 10 }", "training = 0, gate = 10 }", 1);
        assert_eq!(
            problems(&text),
            [
                "kpis[6].score.cap_grade: no grade 'Z' in [[grades]]",
                "roles[2].weights.gate: 'gate' is a pass_fail gate and carries no weight; remove it here",
            ]
        );
    }

    #[test]
    fn forced_quotas_must_sum_to_100() {
        let text = STANDARD_PLAN
            .replacen(
                "# ----------------------------------------------------------------- grades",
                "[grading]\nmethod = \"forced_distribution\"\nscope = \"department\"\n",
                1,
            )
            .replace("min = 105", "share = 20")
            .replace("min = 95", "share = 30")
            .replace("min = 80", "share = 40")
            .replace("min = 65", "share = 10")
            .replacen("grade = \"D\"\n", "grade = \"D\"\nshare = 5\n", 1);
        assert_eq!(problems(&text), ["grades: quotas sum to 105 %, over 100 %"]);
    }

    #[test]
    fn a_syntax_error_has_a_position() {
        let found = located("format = 1\nname = \"x\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("plan.toml:2:"), "{found:?}");
    }

    #[test]
    fn all_problems_are_reported_at_once() {
        let text = STANDARD_PLAN
            .replacen("sales = 40,", "sales = 41,", 1)
            .replacen("min = 95", "min = 110", 1)
            .replacen("S = 1.5, ", "", 1);
        assert_eq!(problems(&text).len(), 3, "{:?}", problems(&text));
    }
}
