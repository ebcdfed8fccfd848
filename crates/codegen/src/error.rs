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
    /// An edit of progenitor's output (`rewrite.rs`, or an addition such as the optional-list
    /// accessors) changed another number of sites than the
    /// spec implies: progenitor's output no longer has the shape the edit matches (typically
    /// after a progenitor upgrade), and the generated code would silently lose the edit.
    Rewrite {
        /// The spec file.
        path: PathBuf,
        /// The edit, named as its function in `crates/codegen/src` (mostly `rewrite.rs`).
        rewrite: &'static str,
        /// What the edit must match, e.g. "one per operation".
        sites: &'static str,
        /// How many sites the spec implies.
        expected: usize,
        /// How many the edit changed.
        found: usize,
    },
    /// A generated type has no documentation of its own (empty, or only its name), or a
    /// generated member (field, variant, method) is of a kind `members.rs` cannot document.
    Undocumented {
        /// The spec file.
        path: PathBuf,
        /// The items, with the module they sit in (`types::GetOrderId`,
        /// `builder::GetOrder::id`).
        types: Vec<String>,
    },
    /// A generated doc reads like a note for the spec's reviewer (it contains a phrase of
    /// house rule 12, e.g. "kept verbatim"): the sentence belongs in the spec's
    /// `x-ordergate-review-note`, not in its `description`.
    ReviewNoteInDocs {
        /// The spec file.
        path: PathBuf,
        /// Each phrase found, with the words around it.
        found: Vec<String>,
    },
    /// `OUT_DIR` is not set: [`crate::build_script`] was called outside a build script.
    MissingOutDir,
    /// A build script's JSON copy of a spec was made from another version of the YAML spec
    /// it names (in the workspace, after the YAML was edited): `cargo xtask codegen` rewrites it.
    StaleCopy {
        /// The JSON copy the build script reads.
        copy: PathBuf,
        /// The YAML spec it was made from.
        spec: PathBuf,
    },
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
            Self::Rewrite {
                path,
                rewrite,
                sites,
                expected,
                found,
            } => write!(
                f,
                "{}: the `{rewrite}` edit of progenitor's output changed {found} site(s), expected {expected} ({sites}): progenitor's output no longer has the shape the edit matches; update that function in crates/codegen/src (or drop the edit) for this progenitor version",
                path.display()
            ),
            Self::Undocumented { path, types } => write!(
                f,
                "{}: generated items without a doc of their own (give the schema or parameter a `description`; a member `module::Type::member` is a kind crates/codegen/src/members.rs does not document yet): {}",
                path.display(),
                types.join(", ")
            ),
            Self::ReviewNoteInDocs { path, found } => {
                write!(
                    f,
                    "{}: generated docs carry notes for the reviewer; move these sentences from the `description` to an `x-ordergate-review-note` beside it (house rule 12):",
                    path.display()
                )?;
                for site in found {
                    write!(f, "\n  {site}")?;
                }
                Ok(())
            }
            Self::MissingOutDir => write!(f, "OUT_DIR is not set (not running in a build script)"),
            Self::StaleCopy { copy, spec } => write!(
                f,
                "{} was made from another version of {}: run `cargo xtask codegen` to rewrite it",
                copy.display(),
                spec.display()
            ),
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
