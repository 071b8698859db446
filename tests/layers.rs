//! The crate's layers, enforced: every module's `crate::…` and `super::…`
//! paths (in `use` lines and inline) may only reach its own layer or the
//! layers below it, and neither the top-level modules nor the files of one
//! folder import each other in a cycle.
//!
//! ```text
//! cli                                    the command line (a front end)
//! workflow                               init, watch: built on runs
//! config, engine, error                  a run: settings, execute, its error
//! report, sample                         files out
//! score                                  arithmetic, evaluate
//! input                                  files in
//! plan                                   the plan
//! lang, period, diagnostics, hash,       the ground floor
//! progress, timings
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module's layer; higher layers may import lower ones.
const LAYERS: &[(&str, u8)] = &[
    ("lang", 0),
    ("hash", 0),
    ("period", 0),
    ("diagnostics", 0),
    ("progress", 0),
    ("timings", 0),
    ("plan", 1),
    ("input", 2),
    ("score", 3),
    ("report", 4),
    ("sample", 4),
    ("config", 5),
    ("engine", 5),
    ("error", 5),
    ("workflow", 6),
    ("cli", 7),
    // The crate root only declares modules and re-exports: nothing in the
    // engine may reach a re-export through it.
    ("", 8),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// The module path of a file: `src/report/review/person.rs` →
/// `["report", "review", "person"]`; `mod.rs` names its folder; `lib.rs` and
/// `main.rs` are the root (empty).
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_owned());
    }
    parts
}

/// The code of a file without comments, string literals and its unit tests
/// (tests may reach anywhere).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod ") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut out = String::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or_default();
        // Drop string literals (messages may mention `crate::…`).
        let mut in_str = false;
        let mut prev = ' ';
        for c in code.chars() {
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            } else if !in_str {
                out.push(c);
            }
            prev = c;
        }
        out.push('\n');
    }
    out
}

/// The module paths a file's code names: `crate::a::b` → `[a, b]`,
/// `crate::{a, b::c}` → `[a]`, `[b, c]`; `super::x` relative to `here`.
/// Each with the line it was found on.
fn imports(code: &str, here: &[String]) -> Vec<(Vec<String>, String)> {
    let mut found = Vec::new();
    for line in code.lines() {
        for (start, _) in line
            .match_indices("crate::")
            .chain(line.match_indices("super::"))
        {
            // `$crate::` inside a macro is the crate root of the macro.
            if start > 0 && line[..start].ends_with('$') {
                continue;
            }
            let rest = &line[start..];
            let (mut base, tail): (Vec<String>, &str) =
                if let Some(t) = rest.strip_prefix("crate::") {
                    (Vec::new(), t)
                } else {
                    // `super` is the parent of this module (a `mod.rs` is its
                    // folder's module, so its `super` is one level up).
                    let mut base = here.to_vec();
                    let mut t = rest;
                    while let Some(after) = t.strip_prefix("super::") {
                        base.pop();
                        t = after;
                    }
                    (base, t)
                };
            if let Some(group) = tail.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or_default();
                for item in inner.split(',') {
                    let mut p = base.clone();
                    p.extend(path_words(item.trim()));
                    found.push((p, line.trim().to_owned()));
                }
            } else {
                base.extend(path_words(tail));
                found.push((base, line.trim().to_owned()));
            }
        }
    }
    found
}

/// `a::b::C` → `[a, b, C]`, stopping at the first character not in a path.
fn path_words(text: &str) -> Vec<String> {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(text.len());
    text[..end]
        .split("::")
        .filter(|w| !w.is_empty() && *w != "self")
        .map(str::to_owned)
        .collect()
}

struct Crate {
    /// Module path → file.
    files: BTreeMap<Vec<String>, PathBuf>,
    /// Module path → (imported module path, line).
    edges: BTreeMap<Vec<String>, Vec<(Vec<String>, String)>>,
}

fn read_crate() -> Crate {
    let src = common::repo().join("src");
    let mut files = BTreeMap::new();
    for rel in common::files_under(&src) {
        if rel.extension().is_some_and(|e| e == "rs") {
            files.insert(
                module_path(&src, &src.join(&rel)),
                Path::new("src").join(&rel),
            );
        }
    }
    let mut edges = BTreeMap::new();
    for (module, file) in &files {
        let text = std::fs::read_to_string(src.join(file.strip_prefix("src").unwrap())).unwrap();
        let mut list = Vec::new();
        for (path, line) in imports(&code_of(&text), module) {
            // The longest prefix of the path that is a module file.
            let target = (0..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|p| files.contains_key(p))
                .unwrap_or_default();
            list.push((target, line));
        }
        edges.insert(module.clone(), list);
    }
    Crate { files, edges }
}

#[test]
fn no_module_imports_from_a_layer_above_it() {
    let krate = read_crate();
    let mut wrong = Vec::new();
    for (module, list) in &krate.edges {
        let top = module.first().map_or("", String::as_str);
        if module.is_empty() {
            continue; // the crate root and main.rs declare and re-export
        }
        let Some(mine) = layer(top) else {
            wrong.push(format!(
                "{}: the top-level module '{top}' has no layer; add it to LAYERS",
                krate.files[module].display()
            ));
            continue;
        };
        for (target, line) in list {
            let to = target.first().map_or("", String::as_str);
            let theirs = layer(to).unwrap_or(u8::MAX);
            if theirs > mine {
                wrong.push(format!(
                    "{} (layer {mine}) imports '{}' (layer {theirs}): {line}",
                    krate.files[module].display(),
                    if to.is_empty() { "the crate root" } else { to }
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports from a layer above:\n{}",
        wrong.join("\n")
    );
}

/// A cycle in `graph`, if any, as the nodes around it.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_owned(), 1);
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let from = stack.iter().position(|n| n == next).unwrap_or(0);
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(next, graph, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if !state.contains_key(node.as_str()) {
            let mut stack = Vec::new();
            if let Some(c) = visit(node, graph, &mut state, &mut stack) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn no_import_cycles_between_top_level_modules() {
    let krate = read_crate();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, list) in &krate.edges {
        let Some(from) = module.first() else { continue };
        for (target, _) in list {
            if let Some(to) = target.first()
                && to != from
            {
                graph.entry(from.clone()).or_default().insert(to.clone());
            }
        }
    }
    assert_eq!(
        find_cycle(&graph),
        None,
        "top-level modules import each other"
    );
}

#[test]
fn no_import_cycles_between_files_of_one_folder() {
    let krate = read_crate();
    // Edges between sibling files (same parent module, neither the parent).
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, list) in &krate.edges {
        for (target, _) in list {
            let siblings = module.len() == target.len()
                && !module.is_empty()
                && module[..module.len() - 1] == target[..target.len() - 1]
                && module != target;
            if siblings {
                graph
                    .entry(module.join("::"))
                    .or_default()
                    .insert(target.join("::"));
            }
        }
    }
    assert_eq!(
        find_cycle(&graph),
        None,
        "files of one folder import each other"
    );
}

#[test]
fn the_checker_sees_imports() {
    // The parser itself: a grouped import, a super path and an inline path.
    let here = vec![
        "report".to_owned(),
        "review".to_owned(),
        "person".to_owned(),
    ];
    let code = "use crate::{lang::Lang, score::Scorecard};\nuse super::text;\nlet x = crate::cli::run();\n";
    let found: Vec<Vec<String>> = imports(code, &here).into_iter().map(|(p, _)| p).collect();
    let words = |s: &str| s.split("::").map(str::to_owned).collect::<Vec<_>>();
    assert!(found.contains(&words("lang::Lang")), "{found:?}");
    assert!(found.contains(&words("score::Scorecard")), "{found:?}");
    assert!(found.contains(&words("report::review::text")), "{found:?}");
    assert!(found.contains(&words("cli::run")), "{found:?}");
    // And the engine really does not reach the command line.
    let krate = read_crate();
    assert!(krate.files.len() > 40, "{} files", krate.files.len());
}
