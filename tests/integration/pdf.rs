//! `run --pdf`: a PDF beside every review workbook and summary (the team
//! page, and per person a review page and a calculation page), made inside the staging folder (a failed
//! conversion writes nothing), reused with its period, and a clear error
//! before any work when LibreOffice is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Reader, open_workbook_auto};

use crate::common::{available, files_under};
use crate::util::{Outcome, calibri_metrics, copy_dir, kpi, read_csv, repo, scratch};

/// Every file under `dir`, relative, as `/`-separated text.
fn names_under(dir: &Path) -> Vec<String> {
    files_under(dir)
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect()
}

fn samples() -> PathBuf {
    repo().join("samples/en")
}

/// Runs the binary with `PATH` replaced.
fn kpi_with_path(path: &Path, args: &[&str]) -> Outcome {
    let out = Command::new(env!("CARGO_BIN_EXE_kpi-report"))
        .args(args)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .env("PATH", path)
        .output()
        .expect("the binary runs");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn has(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A PDF's page count, by pdfinfo.
fn pages(pdf: &Path) -> usize {
    let o = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&o.stdout);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|p| p.trim().parse().unwrap())
        .unwrap_or_else(|| panic!("{}: no page count in {info}", pdf.display()))
}

#[test]
fn pdf_has_one_page_per_person_and_the_team_page() {
    let tools = has("soffice", "--version") && has("pdfinfo", "-v");
    if !available(tools, "LibreOffice (soffice) or pdfinfo") {
        return;
    }
    let dir = scratch();
    let out = dir.path().join("reports");
    let o = kpi(
        &repo(),
        &[
            "run",
            samples().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--pdf",
        ],
    );
    o.expect_code(0);
    let csv = read_csv(&out.join("2026-11/results.csv"));
    let manager_col = csv[0].iter().position(|h| h == "manager_id").unwrap();
    let mut checked = 0;
    let metrics = calibri_metrics();
    for period in ["2026-10", "2026-11", "ytd-2026"] {
        let summary = out.join(period).join("summary.pdf");
        assert!(
            std::fs::read(&summary).unwrap().starts_with(b"%PDF"),
            "{}",
            summary.display()
        );
    }
    for period in ["2026-10", "2026-11"] {
        for entry in std::fs::read_dir(out.join(period).join("managers")).unwrap() {
            let book = entry.unwrap().path();
            if book.extension().is_none_or(|e| e != "xlsx") {
                continue;
            }
            let sheets = open_workbook_auto(&book).unwrap().sheet_names();
            // The workbook's title: "S003 Jessica Evans" or "No manager".
            let stem = book.file_stem().unwrap().to_string_lossy().into_owned();
            let manager = if stem == "No manager" {
                ""
            } else {
                stem.split(' ').next().unwrap()
            };
            let team = csv[1..]
                .iter()
                .filter(|r| r[manager_col] == manager)
                .count();
            assert!(team > 0, "{stem}: a team");
            assert_eq!(
                sheets.len(),
                team + 1,
                "{stem}: team sheet + one per person"
            );
            // A scored person's calculation prints on a page of its own.
            let scored = csv[1..]
                .iter()
                .filter(|r| r[manager_col] == manager && r[6] == "ok")
                .count();
            let pdf = book.with_extension("pdf");
            if !metrics {
                checked += 1;
                continue;
            }
            assert_eq!(
                pages(&pdf),
                1 + team + scored,
                "{}: the team page, one review page per person and one calculation page per scored person",
                pdf.display()
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 10, "five manager workbooks a month");

    // The PDFs belong to their period: listed in the manifest, reused as
    // they are by a re-run with --pdf, rebuilt away without it.
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("2026-11/managers/S003 Jessica Evans.pdf"));
    assert!(manifest.contains("ytd-2026/summary.pdf"));
    let before = names_under(&out);
    let again = kpi(
        &repo(),
        &[
            "run",
            samples().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--pdf",
        ],
    );
    again.expect_code(0);
    assert!(again.stderr.contains("3 unchanged"), "{}", again.stderr);
    assert_eq!(names_under(&out), before);
    kpi(
        &repo(),
        &[
            "run",
            samples().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .expect_code(0);
    assert!(names_under(&out).iter().all(|f| !f.ends_with(".pdf")));
}

#[test]
fn pdf_without_libreoffice_fails_before_writing_anything() {
    // Only where LibreOffice is not installed under /opt, which is searched
    // besides PATH.
    let in_opt = std::fs::read_dir("/opt").is_ok_and(|d| {
        d.flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("libreoffice"))
    });
    if in_opt {
        eprintln!("NOTICE: LibreOffice in /opt; skipping the missing-LibreOffice test");
        return;
    }
    let dir = scratch();
    let empty = dir.path().join("empty-path");
    std::fs::create_dir_all(&empty).unwrap();
    let out = dir.path().join("reports");
    let o = kpi_with_path(
        &empty,
        &[
            "run",
            samples().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--pdf",
        ],
    );
    o.expect_code(1);
    assert!(
        o.stderr.contains("apt-get install libreoffice-calc-nogui")
            && o.stderr.contains("libreoffice.org"),
        "{}",
        o.stderr
    );
    assert!(!out.exists(), "nothing written");
    assert!(
        !o.stderr.contains("notes ("),
        "detected before reading: {}",
        o.stderr
    );
}

/// A stand-in `soffice` that fails like a broken installation.
#[cfg(unix)]
fn broken_soffice(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let soffice = bin.join("soffice");
    std::fs::write(
        &soffice,
        "#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 81\n",
    )
    .unwrap();
    std::fs::set_permissions(&soffice, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

#[cfg(unix)]
#[test]
fn a_failed_conversion_writes_nothing() {
    let dir = scratch();
    let input = dir.path().join("in");
    copy_dir(&samples(), &input);
    let out = dir.path().join("reports");
    let args = [
        "run",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    kpi(&repo(), &args).expect_code(0);
    let before: Vec<(String, Vec<u8>)> = names_under(&out)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(out.join(&f)).unwrap();
            (f, bytes)
        })
        .collect();
    let bin = broken_soffice(dir.path());
    let o = kpi_with_path(&bin, &[&args[..], &["--pdf", "--force"]].concat());
    o.expect_code(1);
    assert!(
        o.stderr.contains("cannot convert") && o.stderr.contains("could not be loaded"),
        "{}",
        o.stderr
    );
    let after: Vec<(String, Vec<u8>)> = names_under(&out)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(out.join(&f)).unwrap();
            (f, bytes)
        })
        .collect();
    assert_eq!(after, before, "the previous reports are untouched");
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains("previous"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Whether LibreOffice and poppler are here; in CI their absence fails.
fn pdf_tools(test: &str) -> bool {
    let ok = has("soffice", "--version") && has("pdffonts", "-v") && has("fc-list", "--version");
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "{test}: soffice, pdffonts or fc-list missing in CI"
        );
        eprintln!("NOTICE: soffice, pdffonts or fc-list not found; skipping {test}");
    }
    ok
}

/// `s` lower-cased without spaces (font names in PDFs drop the spaces).
fn squeezed(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

#[test]
fn a_chinese_review_pdf_embeds_a_font_that_has_its_characters() {
    if !pdf_tools("the Chinese PDF font test") {
        return;
    }
    let dir = scratch();
    let out = dir.path().join("reports");
    let zh = repo().join("samples/zh");
    kpi(
        &repo(),
        &[
            "run",
            zh.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--lang",
            "zh",
            "--pdf",
        ],
    )
    .expect_code(0);
    let csv = read_csv(&out.join("2026-10/results.csv"));
    let name_col = csv[0].iter().position(|h| h == "name").unwrap();
    let id_col = csv[0].iter().position(|h| h == "staff_id").unwrap();
    let manager_col = csv[0].iter().position(|h| h == "manager_id").unwrap();
    // A manager's review PDF, and the Chinese name of the manager.
    let manager = csv
        .iter()
        .skip(1)
        .find_map(|r| {
            let m = &r[manager_col];
            csv.iter().find(|p| &p[id_col] == m && !m.is_empty())
        })
        .unwrap();
    let name = &manager[name_col];
    assert!(
        name.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{name}"
    );
    let pdf = out
        .join("2026-10/managers")
        .join(format!("{} {name}.pdf", manager[id_col]));
    // The fonts that have the name's characters, as fontconfig knows them.
    let charset: Vec<String> = name.chars().map(|c| format!("{:x}", c as u32)).collect();
    let families = Command::new("fc-list")
        .arg(format!(":charset={}", charset.join(" ")))
        .arg("family")
        .output()
        .unwrap();
    let families: Vec<String> = String::from_utf8_lossy(&families.stdout)
        .lines()
        .flat_map(|l| l.split(','))
        .map(squeezed)
        .filter(|f| !f.is_empty())
        .collect();
    assert!(!families.is_empty(), "no font has {name}");
    let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout).into_owned();
    let embedded = fonts.lines().skip(2).any(|l| {
        let cols: Vec<&str> = l.split_whitespace().collect();
        let font = cols
            .first()
            .map(|n| n.split_once('+').map_or(*n, |(_, f)| f));
        let emb = cols.iter().rev().nth(4) == Some(&"yes");
        font.is_some_and(|f| {
            families
                .iter()
                .any(|fam| squeezed(f).starts_with(fam.as_str()))
        }) && emb
    });
    assert!(
        embedded,
        "{} embeds no font of {families:?}:\n{fonts}",
        pdf.display()
    );
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&text.stdout).contains(name.as_str()),
        "the name {name} is not in the PDF's text"
    );
}

#[test]
fn pdf_without_a_chinese_font_fails_before_writing_anything() {
    if !pdf_tools("the missing-font test") {
        return;
    }
    let dir = scratch();
    let d = dir.path();
    // fontconfig that knows only a Latin font folder.
    let latin = [
        "/usr/share/fonts/truetype/crosextra",
        "/usr/share/fonts/truetype/dejavu",
    ]
    .into_iter()
    .find(|p| Path::new(p).is_dir())
    .expect("a Latin font folder");
    std::fs::create_dir(d.join("cache")).unwrap();
    std::fs::write(
        d.join("fonts.conf"),
        format!(
            "<?xml version=\"1.0\"?>\n<fontconfig><dir>{latin}</dir><cachedir>{}</cachedir></fontconfig>\n",
            d.join("cache").display()
        ),
    )
    .unwrap();
    let out = d.join("reports");
    let zh = repo().join("samples/zh");
    let o = Command::new(env!("CARGO_BIN_EXE_kpi-report"))
        .args([
            "run",
            zh.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--pdf",
        ])
        .env("NO_COLOR", "1")
        .env("FONTCONFIG_FILE", d.join("fonts.conf"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no installed font has Chinese (Han) characters"),
        "{stderr}"
    );
    assert!(stderr.contains("fonts-noto-cjk"), "{stderr}");
    assert!(!out.exists(), "something was written");
}
