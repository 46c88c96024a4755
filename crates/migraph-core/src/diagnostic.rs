//! Soft errors as data: what was wrong with an input, where, and what to do.
//!
//! Stages return `Diagnostic`s next to their results instead of failing the run
//! (ripgrep and rust-analyzer do the same); the binary counts and prints them and
//! turns them into a failure only under `--strict`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something was dropped or guessed, but the input was processed.
    Warning,
    /// An input (a file, a dictionary line) was skipped.
    Error,
}

/// One problem with one input, with the file and line when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The input file, as the user named it.
    pub path: Option<String>,
    /// 1-based line number in that file.
    pub line: Option<usize>,
    /// How bad it is.
    pub severity: Severity,
    /// Lowercase message without trailing period, saying what to do where possible.
    pub message: String,
}

impl Diagnostic {
    /// A warning about `path`.
    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            path: Some(path.into()),
            line: None,
            severity: Severity::Warning,
            message: message.into(),
        }
    }

    /// An error (the input was skipped) about `path`.
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            path: Some(path.into()),
            line: None,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    /// The same diagnostic at a line of its file.
    pub fn at_line(mut self, line: usize) -> Diagnostic {
        self.line = Some(line);
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        match (&self.path, self.line) {
            (Some(p), Some(l)) => write!(f, "{level}: {p}:{l}: {}", self.message),
            (Some(p), None) => write!(f, "{level}: {p}: {}", self.message),
            (None, _) => write!(f, "{level}: {}", self.message),
        }
    }
}
