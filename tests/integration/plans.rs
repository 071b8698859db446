//! Every shipped template: `plan check` accepts it, it runs on the samples,
//! and its numbers for the worked examples match a hand calculation. A
//! broken plan gets every problem at once with line and column. `explain`
//! prints a trail from which the total and bonus can be recomputed, in
//! Chinese with the same numbers as in English.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::util::{kpi, read_csv, repo, scratch, sheet_text, write};

const TEMPLATES: [&str; 6] = [
    "standard",
    "standard-zh",
    "commission",
    "forced-distribution",
    "pool",
    "extended",
];

fn template(name: &str) -> PathBuf {
    repo().join("templates").join(format!("{name}.toml"))
}

/// Runs `template` on samples/`lang` and returns 2026-10's results.csv as
/// header -> column maps keyed by staff id.
fn run(template_name: &str, lang: &str, out: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let input = repo().join("samples").join(lang);
    kpi(
        &repo(),
        &[
            "run",
            input.to_str().unwrap(),
            "--plan",
            template(template_name).to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ],
    )
    .expect_code(0);
    rows(&out.join("2026-10").join("results.csv"))
}

fn rows(path: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let table = read_csv(path);
    let header = &table[0];
    table[1..]
        .iter()
        .map(|r| {
            let row: BTreeMap<String, String> =
                header.iter().cloned().zip(r.iter().cloned()).collect();
            (row["staff_id"].clone(), row)
        })
        .collect()
}

/// "6355.93" -> 635593 cents.
fn cents(text: &str) -> i64 {
    let (whole, frac) = text.split_once('.').unwrap_or((text, "00"));
    let sign = if whole.starts_with('-') { -1 } else { 1 };
    sign * (whole.trim_start_matches('-').parse::<i64>().unwrap() * 100
        + frac.parse::<i64>().unwrap())
}

#[test]
fn every_template_passes_plan_check() {
    for name in TEMPLATES {
        let path = template(name);
        let out = kpi(&repo(), &["plan", "check", path.to_str().unwrap()]);
        out.expect_code(0);
        assert!(out.stdout.contains("valid"), "{name}: {}", out.stdout);
    }
}

#[test]
fn a_broken_plan_gets_every_problem_with_line_and_column() {
    let dir = scratch();
    let text = std::fs::read_to_string(template("standard"))
        .unwrap()
        .replacen("sales = 40,", "sales = 41,", 1)
        .replacen("training = 10 }", "training = 10, lunch = 0 }", 1)
        .replacen("method = \"deduct\"", "method = \"subtract\"", 1)
        .replacen("min = 95", "min = 110", 1);
    let plan = dir.path().join("plan.toml");
    write(&plan, &text);
    let out = kpi(dir.path(), &["plan", "check", "plan.toml"]);
    out.expect_code(1);
    let line_of = |needle: &str| text[..text.find(needle).unwrap()].matches('\n').count() + 1;
    for (needle, key) in [
        (
            "method = \"subtract\"",
            "kpis[3].score.method: unknown variant `subtract`",
        ),
        (
            "weights = { sales = 41",
            "roles[0].weights: role 'Sales Representative': weights sum to 101, not 100",
        ),
        (
            "lunch = 0",
            "roles[2].weights.lunch: no KPI 'lunch' in [[kpis]]",
        ),
        (
            "min = 110",
            "grades[1].min: thresholds must descend: 110 is not below the grade above",
        ),
    ] {
        let prefix = format!("plan.toml:{}:", line_of(needle));
        assert!(
            out.stderr
                .lines()
                .any(|l| l.starts_with(&prefix) && l.contains(key)),
            "no '{prefix}..{key}' in\n{}",
            out.stderr
        );
    }
    assert!(out.stderr.contains("(4 problems)"), "{}", out.stderr);
}

#[test]
fn a_plan_with_bad_bands_and_quotas_is_refused_with_positions() {
    let dir = scratch();
    let text = std::fs::read_to_string(template("forced-distribution"))
        .unwrap()
        .replacen("share = 70", "share = 75", 1);
    let text = text.replace(
        "# ------------------------------------------------------------------ roles",
        "[[kpis]]\nid = \"collection\"\nlabel = { en = \"C\", zh = \"C\" }\nscore = { method = \"bands\", actual = \"sales\", bands = [{ at = 60, points = 0 }, { at = 50, points = 60 }] }\n\n# roles",
    );
    write(&dir.path().join("plan.toml"), &text);
    let out = kpi(dir.path(), &["plan", "check", "plan.toml"]);
    out.expect_code(1);
    assert!(
        out.stderr
            .contains("grades: quotas sum to 105 %, over 100 %"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("kpis[6].score.bands[1]: bands not monotonic"),
        "{}",
        out.stderr
    );
}

#[test]
fn standard_zh_gives_the_standard_numbers() {
    // Same arithmetic, Chinese names: every score, total, grade, rank and
    // bonus of the Chinese samples is the committed expected result.
    let dir = scratch();
    let got = run("standard-zh", "zh", &dir.path().join("out"));
    let want = rows(&repo().join("tests/expected/zh/2026-10/results.csv"));
    assert_eq!(got.len(), 30);
    for (id, w) in &want {
        let g = &got[id];
        for col in w.keys().filter(|c| *c != "role") {
            assert_eq!(g[col], w[col], "{id} {col}");
        }
    }
    assert_eq!(got["S001"]["role"], "销售代表");
}

#[test]
fn commission_pays_marginal_tiers_with_a_cap() {
    let dir = scratch();
    let got = run("commission", "en", &dir.path().join("out"));
    // S001: sales 112,500 of 100,000:
    //   100,000 × 2 % = 2,000; 12,500 × 4 % = 500      -> 2,500.00
    // S002: 90,000 of 200,000: 90,000 × 2 %           -> 1,800.00
    // S003: 650,000 of 500,000:
    //   500,000 × 2 % = 10,000; 100,000 × 4 % = 4,000;
    //   50,000 × 6 % = 3,000; 17,000 capped at 15,000  -> 15,000.00
    assert_eq!(got["S001"]["bonus"], "2500.00");
    assert_eq!(got["S002"]["bonus"], "1800.00");
    assert_eq!(got["S003"]["bonus"], "15000.00");
    // Scores and grades stay the standard ones.
    assert_eq!(got["S001"]["total_score"], "94.75");
    assert_eq!(got["S002"]["grade"], "D");
}

#[test]
fn forced_distribution_grades_by_quota_within_each_department() {
    let dir = scratch();
    let got = run("forced-distribution", "en", &dir.path().join("out"));
    // Departments of 8 (East, North): A 8 × 0.2 = 1.6 -> 2, C 0.8 -> 1,
    // B 5. Departments of 7 (South, West): A 1.4 -> 1, C 0.7 -> 1, B 5.
    // No totals tie in the samples, so the counts are exact.
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for r in got.values() {
        *counts
            .entry((r["department"].clone(), r["grade"].clone()))
            .or_default() += 1;
    }
    for (dept, a, b, c) in [
        ("East", 2, 5, 1),
        ("North", 2, 5, 1),
        ("South", 1, 5, 1),
        ("West", 1, 5, 1),
    ] {
        let n = |g: &str| {
            counts
                .get(&(dept.to_owned(), g.to_owned()))
                .copied()
                .unwrap_or(0)
        };
        assert_eq!((n("A"), n("B"), n("C")), (a, b, c), "{dept}");
    }
    // East by total: S005 99.44 A, S003 95.71 A, S001 94.75 B, ...,
    // S002 60.53 last: C.
    // S003: 12,000 × 1.2 = 14,400.00; S001: 5,000 × 1.0 = 5,000.00;
    // S002: 8,000 × 0.5 = 4,000.00 (0.00 under the standard thresholds).
    assert_eq!(got["S005"]["grade"], "A");
    assert_eq!(got["S003"]["grade"], "A");
    assert_eq!(got["S001"]["grade"], "B");
    assert_eq!(got["S002"]["grade"], "C");
    assert_eq!(got["S003"]["bonus"], "14400.00");
    assert_eq!(got["S001"]["bonus"], "5000.00");
    assert_eq!(got["S002"]["bonus"], "4000.00");
}

#[test]
fn pool_bonuses_sum_to_each_department_pool_exactly() {
    let dir = scratch();
    let got = run("pool", "en", &dir.path().join("out"));
    // Each department's pool is the sum of its scored people's bases.
    let staff = sheet_text(&repo().join("samples/en/staff.xlsx"), "Staff");
    let mut pools: BTreeMap<String, i64> = BTreeMap::new();
    for row in &staff[1..] {
        *pools.entry(row[2].clone()).or_default() += row[5].parse::<i64>().unwrap() * 100;
    }
    let mut paid: BTreeMap<String, i64> = BTreeMap::new();
    for r in got.values() {
        *paid.entry(r["department"].clone()).or_default() += cents(&r["bonus"]);
    }
    assert_eq!(paid, pools);
    // East: bases 5,000 8,000 12,000 6,000 9,000 3,500 5,000 4,000 = 52,500.
    // Weights base × coefficient: S001 5,000 × 1.0, S002 8,000 × 0,
    // S003 12,000 × 1.2 = 14,400, S004 6,000 × 0.6 = 3,600,
    // S005 9,000 × 1.2 = 10,800, S006 3,500 × 0.6 = 2,100,
    // S007 5,000 × 0.6 = 3,000, S008 4,000 × 0.6 = 2,400; Σ = 41,300.
    // Exact shares 52,500 × weight ÷ 41,300, rounded down to cents, with
    // the remainder in cents after the point:
    //   S001 6,355.93|22  S002 0.00|00       S003 18,305.08|47
    //   S004 4,576.27|12  S005 13,728.81|36  S006 2,669.49|15
    //   S007 3,813.55|93  S008 3,050.84|75
    // Σ rounded down = 52,499.97: 3 cents left, to the largest remainders
    // S007 (.93), S008 (.75), S003 (.47).
    let east: Vec<(&str, &str)> = vec![
        ("S001", "6355.93"),
        ("S002", "0.00"),
        ("S003", "18305.09"),
        ("S004", "4576.27"),
        ("S005", "13728.81"),
        ("S006", "2669.49"),
        ("S007", "3813.56"),
        ("S008", "3050.85"),
    ];
    for (id, bonus) in east {
        assert_eq!(got[id]["bonus"], bonus, "{id}");
    }
    assert_eq!(pools["East"], 5_250_000);
}

#[test]
fn extended_plan_reads_the_extra_columns() {
    let dir = scratch();
    let got = run("extended", "en", &dir.path().join("out"));
    // S001 (Sales Representative), weights 35/15/10/5/15/10/5/5:
    //   sales 112.5 × 35 = 3937.5     customer growth 90 × 15 = 1350
    //   collection 89 % -> 60 + 9/15 × 40 = 84; × 10 = 840
    //   expenses 12 ÷ 10 × 100 = 120 (cap 120); × 5 = 600
    //   satisfaction 80 × 15 = 1200   complaints 80 × 10 = 800
    //   collaboration 80 × 5 = 400    training 75 × 5 = 375
    //   Σ = 9502.5 ÷ 100 = 95.025 -> 95.03 (half away from zero): A
    //   bonus 5,000 × 1.2 = 6,000.00
    let s1 = &got["S001"];
    assert_eq!(s1["score_collection"], "84.00");
    assert_eq!(s1["score_expenses"], "120.00");
    assert_eq!(s1["score_compliance"], "100.00");
    assert_eq!(s1["total_score"], "95.03");
    assert_eq!(s1["grade"], "A");
    assert_eq!(s1["bonus"], "6000.00");
    // S002 (Key Account Manager), training does not apply (weight 5):
    //   0 × 30 + 75 × 10 + 105 × 10 (97.5 % halfway 95..100) + 75 × 5
    //   (12 ÷ 16) + 100 × 25 + 100 × 10 + 100 × 5 = 6175 ÷ 95 = 65.00: C
    //   bonus 8,000 × 0.6 = 4,800.00
    let s2 = &got["S002"];
    assert_eq!(s2["score_collection"], "105.00");
    assert_eq!(s2["score_expenses"], "75.00");
    assert_eq!(s2["total_score"], "65.00");
    assert_eq!(s2["grade"], "C");
    assert_eq!(s2["bonus"], "4800.00");
    // S003 (Sales Manager), compliance breach:
    //   120 × 25 + 120 × 10 + 30 × 10 (70 %: halfway 60..80 of 0..60)
    //   + 100 × 10 + 91.428571… × 15 + 60 × 10 + 60 × 15 + 100 × 5
    //   = 8871.428571… ÷ 100 = 88.71: B by threshold, capped at C
    //   bonus 12,000 × 0.6 = 7,200.00
    let s3 = &got["S003"];
    assert_eq!(s3["score_collection"], "30.00");
    assert_eq!(s3["score_compliance"], "0.00");
    assert_eq!(s3["total_score"], "88.71");
    assert_eq!(s3["grade"], "C");
    assert_eq!(s3["bonus"], "7200.00");
}

#[test]
fn forced_grades_and_pools_do_not_depend_on_the_thread_count() {
    let input = repo().join("samples/en");
    for name in ["forced-distribution", "pool", "extended"] {
        let dir = scratch();
        let mut outputs = Vec::new();
        for jobs in ["1", "2"] {
            let out = dir.path().join(format!("out-{jobs}"));
            kpi(
                &repo(),
                &[
                    "run",
                    input.to_str().unwrap(),
                    "--plan",
                    template(name).to_str().unwrap(),
                    "--out",
                    out.to_str().unwrap(),
                    "--jobs",
                    jobs,
                    "--quiet",
                ],
            )
            .expect_code(0);
            let mut files = Vec::new();
            for period in ["2026-10", "2026-11", "ytd-2026"] {
                files.push(std::fs::read(out.join(period).join("results.csv")).unwrap());
            }
            outputs.push(files);
        }
        assert_eq!(outputs[0], outputs[1], "{name}");
    }
}

#[test]
fn explain_trail_recomputes_the_total_and_bonus() {
    let input = repo().join("samples/en");
    let out = kpi(
        &repo(),
        &[
            "explain",
            input.to_str().unwrap(),
            "--staff",
            "S001",
            "--period",
            "2026-10",
        ],
    );
    out.expect_code(0);
    let text = &out.stdout;
    // Every input names its cell.
    assert!(
        text.contains("actual: Sales = 112500  [sales-2026-10.xlsx › Results › C2]"),
        "{text}"
    );
    assert!(text.contains("target: Sales Target = 100000  [sales-2026-10.xlsx › Targets › C2]"));
    assert!(text.contains("Bonus Base = 5000  [staff.xlsx › Staff › F2]"));
    // Recompute from the "points: score × weight ÷ Σweight = p" lines.
    let mut sum = 0f64;
    let mut divisor = 0f64;
    let mut kpis = 0;
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("points: ") {
            let parts: Vec<&str> = rest.split_whitespace().collect();
            // [score, ×, weight, ÷, Σweight, =, points, ...]
            let score: f64 = parts[0].parse().unwrap();
            let weight: f64 = parts[2].parse().unwrap();
            divisor = parts[4].parse().unwrap();
            sum += score * weight;
            kpis += 1;
        }
    }
    assert_eq!(kpis, 6);
    let total = (sum / divisor * 100.0).round() / 100.0;
    assert_eq!(total, 94.75);
    assert!(text.contains("final total: 94.75"), "{text}");
    assert!(text.contains("grade: B"), "{text}");
    // Bonus: base × coefficient(B) from the trail's own numbers.
    let bonus_line = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("bonus = base × coefficient(B) = "))
        .unwrap();
    let numbers: Vec<f64> = bonus_line
        .rsplit_once(" = ")
        .unwrap()
        .0
        .rsplit_once(" = ")
        .unwrap()
        .1
        .split(" × ")
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(numbers, [5000.0, 1.0]);
    assert!(text.contains("bonus 5000.00"), "{text}");
}

#[test]
fn explain_names_an_unknown_person() {
    let input = repo().join("samples/en");
    let out = kpi(
        &repo(),
        &["explain", input.to_str().unwrap(), "--staff", "s001"],
    );
    out.expect_code(1);
    assert!(
        out.stderr
            .contains("staff id 's001' is not in the roster; did you mean 'S001'?"),
        "{}",
        out.stderr
    );
}

/// Every number of a trail in order (runs of digits and points), leaving
/// out the file › sheet › cell references in brackets, which differ between
/// the English and the Chinese samples.
fn trail_numbers(text: &str) -> Vec<String> {
    let mut unbracketed = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => unbracketed.push(c),
            _ => {}
        }
    }
    unbracketed
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .map(|run| run.trim_matches('.'))
        .filter(|run| !run.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn explain_in_chinese_has_the_same_numbers() {
    let trail = |sample: &str, lang: &str| {
        let input = repo().join("samples").join(sample);
        let out = kpi(
            &repo(),
            &[
                "explain",
                input.to_str().unwrap(),
                "--staff",
                "S001",
                "--period",
                "2026-10",
                "--lang",
                lang,
            ],
        );
        out.expect_code(0);
        out.stdout
    };
    let en = trail("en", "en");
    let zh = trail("zh", "zh");
    for heading in ["人员", "各项指标", "总分", "等级", "排名", "奖金"] {
        assert!(zh.lines().any(|l| l == heading), "{heading}\n{zh}");
    }
    assert!(zh.contains("加权得分：112.5 × 40 ÷ 100 = 45"), "{zh}");
    for english in [
        "Person",
        "KPIs",
        "Total",
        "Grade",
        "Ranks",
        "Bonus",
        "points:",
        "attainment",
        "score",
        "weight",
        "actual",
        "target",
        "total",
        "rounded",
        "grade",
        "company",
        "method",
        "plan:",
    ] {
        assert!(!zh.contains(english), "'{english}' in\n{zh}");
    }
    let numbers = trail_numbers(&en);
    assert!(numbers.len() > 100, "{numbers:?}");
    assert_eq!(numbers, trail_numbers(&zh), "\n{en}\n{zh}");
}

#[test]
fn explain_an_incomplete_person_lists_why() {
    let dir = scratch();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write(
        &input.join("staff.csv"),
        "Staff ID,Name,Department,Role,Manager ID,Bonus Base\nS001,Ann Lee,East,Sales Representative,,5000\n",
    );
    write(
        &input.join("targets-2026-10.csv"),
        "Staff ID,Sales Target,New Customers Target,Training Hours Target\nS001,100000,10,8\n",
    );
    write(
        &input.join("results-2026-10.csv"),
        "Staff ID,Sales,New Customers,Satisfaction,Complaints,Collaboration Rating,Training Hours\nS001,112500,9,,1,4,6\n",
    );
    let out = kpi(dir.path(), &["explain", "in", "--staff", "S001"]);
    out.expect_code(3);
    assert!(
        out.stdout.contains("incomplete: no score"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "results-2026-10.csv › results-2026-10 › D2: 'Satisfaction' is blank for S001"
        ),
        "{}",
        out.stdout
    );
}
