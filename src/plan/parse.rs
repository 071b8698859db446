//! Reading a plan's text: every section deserialized on its own so one bad
//! entry does not hide the others' problems, and every problem's key located
//! at a line and column of the file.

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

use super::cycle::{DevelopmentFile, TargetsFile};
use super::file::{
    BonusRule, ColumnFile, GradeFile, GradingFile, KpiFile, PlanFile, Proration, RoleFile, Rounding,
};
use super::problem::{PlanError, PlanProblem};

/// Ids of entries that exist but could not be read: references to them are
/// not reported again as unknown.
#[derive(Debug, Default)]
pub(super) struct Broken {
    pub columns: Vec<String>,
    pub kpis: Vec<String>,
    pub grades: Vec<String>,
    pub bonus: bool,
}

impl Broken {
    pub fn column(&self, id: &str) -> bool {
        self.columns.iter().any(|c| c == id)
    }
    pub fn kpi(&self, id: &str) -> bool {
        self.kpis.iter().any(|c| c == id)
    }
    pub fn grade(&self, id: &str) -> bool {
        self.grades.iter().any(|c| c == id)
    }
}

const TOP_KEYS: [&str; 12] = [
    "format",
    "name",
    "company",
    "rounding",
    "columns",
    "kpis",
    "roles",
    "grading",
    "grades",
    "targets",
    "development",
    "proration",
];

/// Splits the document into sections and entries, deserializing each alone.
///
/// # Errors
/// A syntax error (the file is not TOML) stops here, with its position.
pub(super) fn read(text: &str) -> Result<(PlanFile, Broken, Vec<PlanProblem>), PlanError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| syntax(&e, text))?;
    let mut p = Vec::new();
    let mut broken = Broken::default();
    for key in table.keys() {
        if !TOP_KEYS.contains(&key.as_str()) && key != "bonus" {
            p.push(problem(
                key,
                format!(
                    "unknown key '{key}'; expected one of {}, bonus",
                    TOP_KEYS.join(", ")
                ),
            ));
        }
    }
    let format = match table.get("format") {
        Some(v) => one::<u32>(v.clone(), "format", &mut p).unwrap_or(1),
        None => {
            p.push(problem("format", "format = 1 is missing"));
            1
        }
    };
    let name = match table.get("name") {
        Some(v) => one::<String>(v.clone(), "name", &mut p).unwrap_or_default(),
        None => {
            p.push(problem("name", "name = \"...\" is missing"));
            String::new()
        }
    };
    let company = table
        .get("company")
        .and_then(|v| one::<String>(v.clone(), "company", &mut p))
        .unwrap_or_default();
    let rounding = table
        .get("rounding")
        .and_then(|v| one::<Rounding>(v.clone(), "rounding", &mut p))
        .unwrap_or_default();
    let proration = table
        .get("proration")
        .and_then(|v| one::<Proration>(v.clone(), "proration", &mut p))
        .unwrap_or_default();
    let grading = table
        .get("grading")
        .and_then(|v| one::<GradingFile>(v.clone(), "grading", &mut p))
        .unwrap_or_default();
    let targets = table
        .get("targets")
        .and_then(|v| one::<TargetsFile>(v.clone(), "targets", &mut p))
        .unwrap_or_default();
    let development = table
        .get("development")
        .and_then(|v| one::<DevelopmentFile>(v.clone(), "development", &mut p))
        .unwrap_or_default();
    let columns = many::<ColumnFile>(&table, "columns", &mut p, &mut broken.columns, "id");
    let kpis = many::<KpiFile>(&table, "kpis", &mut p, &mut broken.kpis, "id");
    let roles = many::<RoleFile>(&table, "roles", &mut p, &mut Vec::new(), "name");
    let grades = many::<GradeFile>(&table, "grades", &mut p, &mut broken.grades, "grade");
    let bonus = match table.get("bonus") {
        Some(v) => {
            let b = one::<BonusRule>(v.clone(), "bonus", &mut p);
            broken.bonus = b.is_none();
            b
        }
        None => None,
    };
    Ok((
        PlanFile {
            format,
            name,
            company,
            rounding,
            proration,
            columns,
            kpis,
            roles,
            grading,
            grades,
            bonus,
            targets,
            development,
        },
        broken,
        p,
    ))
}

fn problem(key: &str, message: impl Into<String>) -> PlanProblem {
    PlanProblem {
        key: key.to_owned(),
        message: message.into(),
        at: None,
    }
}

/// A syntax error, at its position.
pub(super) fn syntax(err: &toml::de::Error, text: &str) -> PlanError {
    PlanError {
        problems: vec![PlanProblem {
            key: "(file)".to_owned(),
            message: err.message().trim_end().to_owned(),
            at: err.span().map(|s| line_col(text, s.start)),
        }],
    }
}

fn one<T: DeserializeOwned>(value: toml::Value, key: &str, p: &mut Vec<PlanProblem>) -> Option<T> {
    match T::deserialize(value.clone()) {
        Ok(v) => Some(v),
        Err(e) => {
            let message = e.message().trim_end().to_owned();
            p.push(PlanProblem {
                key: refine(key, &value, &message),
                message,
                at: None,
            });
            None
        }
    }
}

/// Each entry of an array of tables, deserialized alone; the ids of the
/// entries that fail go to `broken`.
fn many<T: DeserializeOwned>(
    table: &toml::Table,
    section: &str,
    p: &mut Vec<PlanProblem>,
    broken: &mut Vec<String>,
    id_field: &str,
) -> Vec<T> {
    let Some(value) = table.get(section) else {
        return Vec::new();
    };
    let Some(items) = value.as_array() else {
        p.push(problem(
            section,
            format!("'{section}' must be an array of tables: write [[{section}]] entries"),
        ));
        return Vec::new();
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match one::<T>(item.clone(), &format!("{section}[{i}]"), p) {
            Some(v) => out.push(v),
            None => {
                if let Some(id) = item.get(id_field).and_then(|v| v.as_str()) {
                    broken.push(id.to_owned());
                }
            }
        }
    }
    out
}

/// Points a serde message at the offending key where it names one: an
/// unknown field, or an unknown variant (the string value that holds it).
fn refine(key: &str, value: &toml::Value, message: &str) -> String {
    let quoted = |prefix: &str| {
        let rest = message.split_once(prefix)?.1;
        let name = rest.strip_prefix('`')?.split('`').next()?;
        Some(name.to_owned())
    };
    if let Some(field) = quoted("unknown field ") {
        if let Some(path) = find_key(value, &field) {
            return format!("{key}{path}");
        }
        return format!("{key}.{field}");
    }
    if let Some(variant) = quoted("unknown variant ")
        && let Some(path) = find_string(value, &variant)
    {
        return format!("{key}{path}");
    }
    key.to_owned()
}

fn find_key(value: &toml::Value, name: &str) -> Option<String> {
    let t = value.as_table()?;
    if t.contains_key(name) {
        return Some(format!(".{name}"));
    }
    t.iter()
        .find_map(|(k, v)| find_key(v, name).map(|rest| format!(".{k}{rest}")))
}

fn find_string(value: &toml::Value, wanted: &str) -> Option<String> {
    match value {
        toml::Value::Table(t) => t.iter().find_map(|(k, v)| match v {
            toml::Value::String(s) if s == wanted => Some(format!(".{k}")),
            _ => find_string(v, wanted).map(|rest| format!(".{k}{rest}")),
        }),
        _ => None,
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(super) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// Gives each problem the position of its key (the deepest part of the key
/// path found in the document).
pub(super) fn locate(text: &str, problems: &mut [PlanProblem]) {
    let Ok(doc) = DeTable::parse(text) else {
        return;
    };
    for pr in problems.iter_mut().filter(|pr| pr.at.is_none()) {
        if let Some(offset) = find_span(doc.get_ref(), &pr.key) {
            pr.at = Some(line_col(text, offset));
        }
    }
}

fn find_span(root: &DeTable<'_>, key: &str) -> Option<usize> {
    let mut table = Some(root);
    let mut value: Option<&DeValue<'_>> = None;
    let mut found: Option<usize> = None;
    for segment in key.split('.') {
        let (name, index) = match segment.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (segment, None),
        };
        let t = match (table, value) {
            (Some(t), None) => t,
            (_, Some(DeValue::Table(t))) => t,
            _ => break,
        };
        table = None;
        let Some((k, v)) = t.iter().find(|(k, _)| k.get_ref().as_ref() == name) else {
            break;
        };
        // A table or array is shown where its value starts, a scalar at its
        // key.
        found = Some(match v.get_ref() {
            DeValue::Table(_) | DeValue::Array(_) => v.span().start,
            _ => k.span().start,
        });
        value = Some(v.get_ref());
        if let Some(ix) = index {
            let Some(DeValue::Array(items)) = value else {
                break;
            };
            let Some(item) = items.get(ix) else {
                break;
            };
            found = Some(item.span().start);
            value = Some(item.get_ref());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = "a = 1\n名称 = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        // After "名称 " (two 3-byte characters and a space).
        assert_eq!(line_col(text, 6 + 7), (2, 4));
    }

    #[test]
    fn keys_are_found_in_arrays_of_tables_and_inline_tables() {
        let text =
            "[[roles]]\nname = \"x\"\n\n[[roles]]\nname = \"y\"\nweights = { a = 60, b = 41 }\n";
        let mut problems = vec![
            problem("roles[1].weights", "m"),
            problem("roles[1].weights.b", "m"),
            problem("roles[1].nothing", "m"),
        ];
        locate(text, &mut problems);
        assert_eq!(problems[0].at, Some((6, 11)));
        assert_eq!(problems[1].at, Some((6, 21)));
        assert!(problems[2].at.is_some());
    }
}
