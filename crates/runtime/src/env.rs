//! Settings an application reads from environment variables, with an error that names the
//! variable and where its value comes from.
//!
//! `std::env::var` fails with `NotPresent`, which `main` prints as `Error: NotPresent`: not
//! which variable, nor where to get it. [`var`] fails with a [`MissingVariable`] that says
//! both, in `Display` and in `Debug` (what `main` prints when it returns the error):
//!
//! ```text
//! Error: FUUFFY_CLIENT_ID is not set: `ordergate sandbox` prints it for the local fakes; for production, the client id Fuuffy issued you
//! ```
//!
//! Every provider crate re-exports this module (`ordergate_fuuffy::env`, ...). The value of a
//! variable never appears in an error: it may be a secret.

use std::ffi::OsString;
use std::fmt;

/// Reads the environment variable `name`, one that `ordergate sandbox` prints among its
/// `export` lines (`FUUFFY_CLIENT_ID`, `LOGITRAIL_SECRET`, ...). `production` says where the
/// production value comes from, as a noun phrase ("the client id Fuuffy issued you"); the
/// error shows it after "for production, ".
///
/// Surrounding whitespace is trimmed (a newline from `echo` or a file).
///
/// # Errors
/// [`MissingVariable`] when the variable is not set, is empty (or only whitespace), or is
/// not valid Unicode.
pub fn var(name: &str, production: &str) -> Result<String, MissingVariable> {
    read(name, production, std::env::var_os(name))
}

/// Reads the environment variable `name`, or `default` when it is not set or empty: for a
/// setting with a production default, such as a base URL
/// (`var_or("FUUFFY_BASE_URL", PRODUCTION_BASE_URL)`).
///
/// # Errors
/// [`MissingVariable`] when the variable is set but is not valid Unicode.
pub fn var_or(name: &str, default: &str) -> Result<String, MissingVariable> {
    match read(name, "", std::env::var_os(name)) {
        Err(MissingVariable {
            reason: Reason::NotPresent | Reason::Empty,
            ..
        }) => Ok(default.to_owned()),
        other => other,
    }
}

/// The lookup behind [`var`], on a value already read (so that it is testable without
/// changing the process's environment).
fn read(name: &str, production: &str, value: Option<OsString>) -> Result<String, MissingVariable> {
    let missing = |reason| MissingVariable {
        name: name.to_owned(),
        production: production.to_owned(),
        reason,
    };
    let value = value.ok_or_else(|| missing(Reason::NotPresent))?;
    let value = value
        .into_string()
        .map_err(|_| missing(Reason::NotUnicode))?;
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(missing(Reason::Empty));
    }
    Ok(trimmed.to_owned())
}

/// An environment variable an application needs is not set, is empty, or is not valid
/// Unicode. Its `Display` and `Debug` name the variable and where to get its value; never
/// the value.
#[derive(Clone, PartialEq, Eq)]
pub struct MissingVariable {
    name: String,
    production: String,
    reason: Reason,
}

/// Why a variable could not be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reason {
    NotPresent,
    Empty,
    NotUnicode,
}

impl MissingVariable {
    /// The variable's name (`FUUFFY_CLIENT_ID`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the variable is set at all (it may be set but empty, or not Unicode).
    pub fn is_set(&self) -> bool {
        self.reason != Reason::NotPresent
    }
}

impl fmt::Display for MissingVariable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = &self.name;
        match self.reason {
            Reason::NotPresent => write!(f, "{name} is not set")?,
            Reason::Empty => write!(f, "{name} is empty")?,
            Reason::NotUnicode => write!(f, "{name} is not valid Unicode")?,
        }
        write!(f, ": `ordergate sandbox` prints it for the local fakes")?;
        if !self.production.is_empty() {
            write!(f, "; for production, {}", self.production)?;
        }
        Ok(())
    }
}

/// The same as `Display`: `main` returning this error prints its `Debug`, and should print
/// the sentence, not a struct.
impl fmt::Debug for MissingVariable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for MissingVariable {}

#[cfg(test)]
mod tests {
    use super::*;

    const HINT: &str = "the client id Fuuffy issued you";

    #[test]
    fn a_missing_variable_is_named_with_where_to_get_it() {
        let error = read("FUUFFY_CLIENT_ID", HINT, None).expect_err("refused");
        let expected = "FUUFFY_CLIENT_ID is not set: `ordergate sandbox` prints it for the local \
                        fakes; for production, the client id Fuuffy issued you";
        assert_eq!(error.to_string(), expected);
        // What `fn main() -> Result<(), Box<dyn Error>>` prints is the Debug of the box.
        let boxed: Box<dyn std::error::Error> = error.clone().into();
        assert_eq!(format!("{boxed:?}"), expected);
        assert_eq!(error.name(), "FUUFFY_CLIENT_ID");
        assert!(!error.is_set());
    }

    #[test]
    fn an_empty_or_blank_variable_is_refused_and_a_value_is_trimmed() {
        for blank in ["", "  ", "\n"] {
            let error = read(
                "FASTPOD_TOKEN",
                "your FastPOD API token",
                Some(blank.into()),
            )
            .expect_err("refused");
            assert!(error.is_set());
            assert!(
                error.to_string().starts_with("FASTPOD_TOKEN is empty: "),
                "{error}"
            );
        }
        let value = read("FASTPOD_TOKEN", HINT, Some(" tok-1\n".into()));
        assert_eq!(value, Ok("tok-1".to_owned()));
    }

    #[cfg(unix)]
    #[test]
    fn a_value_that_is_not_unicode_is_refused_without_showing_it() {
        use std::os::unix::ffi::OsStringExt as _;
        let value = OsString::from_vec(b"secret-\xff-value".to_vec());
        let error = read(
            "LOGITRAIL_SECRET",
            "the secret Logitrail issued you",
            Some(value),
        )
        .expect_err("refused");
        let shown = format!("{error} {error:?}");
        assert!(
            shown.starts_with("LOGITRAIL_SECRET is not valid Unicode"),
            "{shown}"
        );
        assert!(!shown.contains("secret-"), "{shown}");
    }

    #[test]
    fn without_a_production_hint_only_the_sandbox_is_named() {
        let error = read("FUUFFY_BASE_URL", "", None).expect_err("refused");
        assert_eq!(
            error.to_string(),
            "FUUFFY_BASE_URL is not set: `ordergate sandbox` prints it for the local fakes"
        );
    }

    #[test]
    fn the_process_environment_is_read() {
        // PATH is set in every test environment; this name in none.
        assert!(var("PATH", HINT).is_ok_and(|path| !path.is_empty()));
        let absent = "ORDERGATE_RUNTIME_ENV_TEST_SURELY_UNSET_7F3A";
        assert_eq!(var(absent, HINT).expect_err("refused").name(), absent);
        assert_eq!(
            var_or(absent, "https://api.example").as_deref(),
            Ok("https://api.example")
        );
        assert_ne!(var_or("PATH", "x").as_deref(), Ok("x"));
    }
}
