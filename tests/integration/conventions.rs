//! The conventions of a good command line: `run --json` describes exactly
//! the files on disk and prints the same issue objects as `check --json`;
//! `--color` and `NO_COLOR` are honoured (by clap's help too); every
//! command's `--help` has an example; `--version` names the plan format.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::util::{Outcome, kpi, repo, scratch, write};

/// An input with one error (a blank satisfaction) and nothing else odd.
fn input_with_an_error(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    write(
        &dir.join("staff.csv"),
        "staff_id,name,department,role,manager_id,bonus_base\n\
         A1,Ann Lee,East,Sales Representative,,5000\n\
         A2,Bo Chen,East,Sales Representative,A1,5000\n",
    );
    write(
        &dir.join("targets.csv"),
        "staff_id,period,sales_target,new_customers_target,training_hours_target\n\
         A1,2026-10,100000,10,8\n\
         A2,2026-10,100000,10,8\n",
    );
    write(
        &dir.join("results.csv"),
        "staff_id,period,sales,new_customers,satisfaction,complaints,collaboration,training_hours\n\
         A1,2026-10,95000,9,88,1,4,6\n\
         A2,2026-10,95000,9,,1,4,6\n",
    );
}

/// Runs the binary with environment variables set and removed (the shared
/// helper always sets NO_COLOR).
fn kpi_env(args: &[&str], set: &[(&str, &str)], remove: &[&str]) -> Outcome {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kpi-report"));
    cmd.args(args).current_dir(repo());
    for name in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"]
        .iter()
        .chain(remove)
    {
        cmd.env_remove(name);
    }
    for (k, v) in set {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the binary runs");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn files_on_disk(dir: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy();
                out.insert(rel.replace('\\', "/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn run_json_matches_the_files_written_and_checks_issues() {
    let dir = scratch();
    let input = dir.path().join("in");
    input_with_an_error(&input);
    let out = dir.path().join("reports");
    let args = [
        "run",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--json",
    ];
    let o = kpi(&repo(), &args);
    o.expect_code(3);
    assert!(
        !o.stderr.contains("errors ("),
        "no text listing: {}",
        o.stderr
    );
    let doc: Value = serde_json::from_str(&o.stdout).expect("JSON on stdout");
    assert_eq!(doc["exit_code"], 3);
    assert_eq!(doc["periods"], serde_json::json!(["2026-10"]));
    assert_eq!(doc["rebuilt"], serde_json::json!(["2026-10"]));
    assert_eq!(doc["reused"], serde_json::json!([]));
    let counts = &doc["counts"];
    assert_eq!(counts["people"], 2);
    assert_eq!(counts["scored"], 1, "A1 scored");
    assert_eq!(counts["incomplete"], 1, "A2's satisfaction is blank");
    assert_eq!(counts["by_period"]["2026-10"]["scored"], 1);
    assert_eq!(counts["error"], 1);
    assert_eq!(counts["by_code"]["missing-value"], 1);

    // Every file listed is on disk with that size and hash, and every file
    // on disk (but the folder's marker) is listed.
    let mut listed = BTreeSet::new();
    for f in doc["files"].as_array().unwrap() {
        let rel = f["path"].as_str().unwrap();
        let bytes = std::fs::read(out.join(rel)).unwrap();
        assert_eq!(f["bytes"].as_u64().unwrap(), bytes.len() as u64, "{rel}");
        let hex: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(f["sha256"].as_str().unwrap(), hex, "{rel}");
        listed.insert(rel.to_owned());
    }
    let mut on_disk = files_on_disk(&out);
    on_disk.remove(".kpi-report");
    assert_eq!(listed, on_disk);
    assert!(listed.contains("2026-10/managers/A1 Ann Lee.xlsx"));

    // The same issue objects as `check --json`.
    let check = kpi(&repo(), &["check", input.to_str().unwrap(), "--json"]);
    check.expect_code(3);
    let check: Value = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(doc["issues"], check["issues"]);
    assert_eq!(check["exit_code"], 3);
    let issue = &doc["issues"][0];
    assert_eq!(issue["code"], "missing-value");
    assert_eq!(issue["file"], "results.csv");
    assert_eq!(issue["cell"], "E3");
    assert_eq!(issue["staff_id"], "A2");

    // A re-run reuses the period; the document says so.
    let again: Value = serde_json::from_str(&kpi(&repo(), &args).stdout).unwrap();
    assert_eq!(again["reused"], serde_json::json!(["2026-10"]));
    assert_eq!(again["rebuilt"], serde_json::json!([]));
    assert_eq!(again["files"], doc["files"]);
}

#[test]
fn run_json_reports_a_failed_run_too() {
    let dir = scratch();
    let input = dir.path().join("in");
    input_with_an_error(&input);
    let out = dir.path().join("reports");
    let o = kpi(
        &repo(),
        &[
            "run",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--json",
            "--strict",
        ],
    );
    o.expect_code(1);
    let doc: Value = serde_json::from_str(&o.stdout).expect("JSON on stdout");
    assert_eq!(doc["exit_code"], 1);
    assert!(doc["error"].as_str().unwrap().contains("--strict"));
    assert_eq!(doc["files"], serde_json::json!([]));
    assert_eq!(doc["issues"][0]["code"], "missing-value");
    assert!(!out.exists());

    // Before the run starts: a plan that does not exist.
    let o = kpi(
        &repo(),
        &[
            "run",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--json",
            "--plan",
            "no-such-plan.toml",
        ],
    );
    o.expect_code(1);
    let doc: Value = serde_json::from_str(&o.stdout).expect("JSON on stdout");
    assert!(doc["error"].as_str().unwrap().contains("no-such-plan.toml"));
}

const ESC: &str = "\u{1b}[";

#[test]
fn color_follows_the_flag_and_no_color() {
    let dir = scratch();
    let input = dir.path().join("in");
    input_with_an_error(&input);
    let check = ["check", input.to_str().unwrap()];

    // --color always colours the headings, even where NO_COLOR is set.
    let always = kpi(&repo(), &[&["--color", "always"], &check[..]].concat());
    always.expect_code(3);
    assert!(always.stderr.contains(ESC), "{:?}", always.stderr);
    let red_heading = format!(
        "{}errors (1):",
        always.stderr.split("errors (1):").next().unwrap()
    );
    assert!(
        red_heading.contains("31m"),
        "errors in red: {red_heading:?}"
    );
    // The flag is global: after the subcommand too.
    let after = kpi(&repo(), &[&check[..], &["--color=always"]].concat());
    assert!(after.stderr.contains(ESC), "{:?}", after.stderr);

    // auto: CLICOLOR_FORCE stands in for a terminal, and NO_COLOR wins.
    let forced = kpi_env(&check, &[("CLICOLOR_FORCE", "1")], &[]);
    assert!(forced.stderr.contains(ESC), "{:?}", forced.stderr);
    let no_color = kpi_env(&check, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &[]);
    no_color.expect_code(3);
    assert!(!no_color.stderr.contains(ESC), "{:?}", no_color.stderr);
    assert!(no_color.stderr.contains("errors (1):"));
    // Not a terminal, nothing forced: plain.
    let plain = kpi_env(&check, &[], &[]);
    assert!(!plain.stderr.contains(ESC), "{:?}", plain.stderr);
    let never = kpi_env(
        &[&["--color", "never"], &check[..]].concat(),
        &[("CLICOLOR_FORCE", "1")],
        &[],
    );
    assert!(!never.stderr.contains(ESC), "{:?}", never.stderr);

    // clap's help follows the same choice.
    let help = kpi(&repo(), &["--color", "always", "run", "--help"]);
    help.expect_code(0);
    assert!(help.stdout.contains(ESC), "coloured help");
    let help = kpi_env(
        &["run", "--help"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
        &[],
    );
    assert!(!help.stdout.contains(ESC), "{:?}", help.stdout);
}

#[test]
fn every_command_has_an_example_and_the_version_names_the_plan_format() {
    use clap::CommandFactory;
    let cmd = kpi_report::cli::Cli::command();
    let mut paths: Vec<Vec<String>> = vec![vec![]];
    for sub in cmd.get_subcommands() {
        paths.push(vec![sub.get_name().to_owned()]);
        for nested in sub.get_subcommands() {
            paths.push(vec![
                sub.get_name().to_owned(),
                nested.get_name().to_owned(),
            ]);
        }
    }
    assert!(paths.len() >= 12, "{paths:?}");
    for path in &paths {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let o = kpi(&repo(), &args);
        o.expect_code(0);
        assert!(
            o.stdout.contains("Example") && o.stdout.contains("  kpi-report "),
            "{args:?}: no example in\n{}",
            o.stdout
        );
    }
    let help = kpi(&repo(), &["run", "--help"]).stdout;
    for flag in ["--pdf", "--json", "--color <WHEN>"] {
        assert!(help.contains(flag), "run --help lists {flag}");
    }
    let version = kpi(&repo(), &["--version"]);
    version.expect_code(0);
    assert!(
        version.stdout.contains("plan format 1"),
        "{}",
        version.stdout
    );
}
