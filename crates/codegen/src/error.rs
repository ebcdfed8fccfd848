//! Errors of the generator: unreadable specs, house-rule violations, progenitor failures.

use std::fmt;
use std::path::PathBuf;

/// One broken house rule, located precisely enough to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The spec file.
    pub file: PathBuf,
    /// Where in the spec: `POST /v1/order/confirm (confirm_order)`, or a JSON pointer.
    pub location: String,
    /// What is wrong, and why it matters.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.file.display(),
            self.location,
            self.message
        )
    }
}

/// Everything that can stop generation. Never a panic: progenitor's own panics are caught and
/// reported as [`CodegenError::Generator`].
#[derive(Debug)]
#[non_exhaustive]
pub enum CodegenError {
    /// The spec (or an output file) could not be read or written.
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The spec is not valid YAML or not an OpenAPI 3.0 document.
    Parse {
        /// The spec file.
        path: PathBuf,
        /// What the parser said.
        message: String,
    },
    /// The spec breaks one or more house rules.
    Rules(Vec<Violation>),
    /// progenitor (or typify) refused the spec or panicked on it.
    Generator {
        /// The spec file.
        path: PathBuf,
        /// progenitor's message.
        message: String,
    },
    /// `OUT_DIR` is not set: [`crate::build_script`] was called outside a build script.
    MissingOutDir,
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Self::Parse { path, message } => {
                write!(
                    f,
                    "{}: not an OpenAPI 3.0 document: {message}",
                    path.display()
                )
            }
            Self::Rules(violations) => {
                write!(f, "{} house-rule violation(s):", violations.len())?;
                for violation in violations {
                    write!(f, "\n  {violation}")?;
                }
                Ok(())
            }
            Self::Generator { path, message } => {
                write!(f, "{}: progenitor failed: {message}", path.display())
            }
            Self::MissingOutDir => write!(f, "OUT_DIR is not set (not running in a build script)"),
        }
    }
}

impl std::error::Error for CodegenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
