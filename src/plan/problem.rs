//! What is wrong with a plan: every problem, each naming its key (and, once
//! located in the text, its line and column).

use std::fmt;

/// One thing wrong with a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanProblem {
    /// The offending key, e.g. `roles[1].weights` or `kpis[2].score.actual`.
    pub key: String,
    pub message: String,
    /// 1-based line and column of the key in the plan file, when found.
    pub at: Option<(usize, usize)>,
}

impl fmt::Display for PlanProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, column)) = self.at {
            write!(f, "{line}:{column}: ")?;
        }
        write!(f, "{}: {}", self.key, self.message)
    }
}

/// A plan that cannot be used, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    pub problems: Vec<PlanProblem>,
}

impl PlanError {
    /// "1 problem", "3 problems".
    pub fn count(&self) -> String {
        match self.problems.len() {
            1 => "1 problem".to_owned(),
            n => format!("{n} problems"),
        }
    }

    /// One line per problem, `origin:line:column: key: message`, the form
    /// editors jump to.
    pub fn render(&self, origin: &str) -> String {
        let lines: Vec<String> = self
            .problems
            .iter()
            .map(|p| format!("{origin}:{p}"))
            .collect();
        lines.join("\n")
    }
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PlanError {}
