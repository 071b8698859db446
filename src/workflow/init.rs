//! `kpi-report init DIR`: a workspace HR can use without reading anything
//! else: `inbox/`, `reports/`, `plan.toml` and a short README.

use std::fs;
use std::path::{Path, PathBuf};

use crate::lang::Lang;
use crate::plan::{self, Plan};

/// Why a workspace could not be created.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// Only shipped templates can be copied.
    #[error("unknown template '{name}'; choose one of: {known}")]
    UnknownTemplate { name: String, known: String },
    /// An existing workspace is never overwritten.
    #[error("{path} already exists; choose a new folder or remove it first")]
    Exists { path: String },
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Creates the workspace; returns the paths created.
///
/// # Errors
/// [`InitError`] for an unknown template, an existing plan.toml, or I/O.
pub fn init(dir: &Path, template: &str, lang: Lang) -> Result<Vec<PathBuf>, InitError> {
    let text = plan::template(template).ok_or_else(|| InitError::UnknownTemplate {
        name: template.to_owned(),
        known: plan::TEMPLATES
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", "),
    })?;
    // The shipped templates are valid (a unit test checks each), so this
    // only guards against a broken build.
    if let Err(e) = Plan::parse(text) {
        return Err(InitError::UnknownTemplate {
            name: format!("{template} ({e})"),
            known: String::new(),
        });
    }
    let plan_path = dir.join("plan.toml");
    if plan_path.exists() {
        return Err(InitError::Exists {
            path: plan_path.display().to_string(),
        });
    }
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| InitError::Io { path, source }
    };
    let mut created = Vec::new();
    for sub in ["inbox", "reports"] {
        let p = dir.join(sub);
        fs::create_dir_all(&p).map_err(io(&p))?;
        created.push(p);
    }
    fs::write(&plan_path, text).map_err(io(&plan_path))?;
    created.push(plan_path);
    let readme = dir.join("README.md");
    if !readme.exists() {
        fs::write(&readme, workspace_readme(lang)).map_err(io(&readme))?;
        created.push(readme);
    }
    Ok(created)
}

fn workspace_readme(lang: Lang) -> &'static str {
    match lang {
        Lang::En => include_str!("readme_en.md"),
        Lang::Zh => include_str!("readme_zh.md"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_template_is_valid() {
        for (name, text) in plan::TEMPLATES {
            assert!(Plan::parse(text).is_ok(), "template {name}");
        }
    }

    #[test]
    fn creates_a_workspace_and_refuses_to_overwrite_it() {
        let dir = std::env::temp_dir().join(format!("kpi-init-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let made = init(&dir, "standard", Lang::Zh).unwrap();
        assert_eq!(made.len(), 4);
        assert!(dir.join("inbox").is_dir());
        assert_eq!(
            fs::read_to_string(dir.join("plan.toml")).unwrap(),
            plan::STANDARD_PLAN
        );
        assert!(
            fs::read_to_string(dir.join("README.md"))
                .unwrap()
                .contains("inbox")
        );
        assert!(matches!(
            init(&dir, "standard", Lang::En),
            Err(InitError::Exists { .. })
        ));
        assert!(matches!(
            init(&dir.join("x"), "nope", Lang::En),
            Err(InitError::UnknownTemplate { .. })
        ));
        fs::remove_dir_all(&dir).unwrap();
    }
}
