//! Tables as data: each adapter's status table and error rules are `const` tables that the
//! adapter reads and that `cargo xtask codegen` renders into the crate README (between the
//! `ordergate:tables` markers; `--check` fails when the README has drifted).

use std::fmt::Write as _;

use crate::{ErrorKind, OrderStatus, Provider, ProviderName};

/// What a provider's error says, as an error rule matches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Match {
    /// The provider's error code, exactly (`400201`, `order_not_passive`).
    Code(&'static str),
    /// The provider's secondary reason code, exactly (Fuuffy's `ORDER_NOT_FOUND`).
    Reason(&'static str),
    /// The whole message, trimmed, in any case (for providers whose messages are their codes).
    Message(&'static str),
    /// A message containing this text, in any case, with an HTTP status `4xx`.
    ClientErrorMessageContaining(&'static str),
    /// A message containing this text, in any case, whatever the status.
    MessageContaining(&'static str),
}

/// One row of a provider's error table: what the error says, and the kind it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorRule {
    /// What the provider's error must say.
    pub when: Match,
    /// The kind it is.
    pub kind: ErrorKind,
}

impl ErrorRule {
    /// A rule: errors matching `when` are of kind `kind`.
    pub const fn new(when: Match, kind: ErrorKind) -> Self {
        Self { when, kind }
    }

    /// Whether an error with HTTP `status`, `code`, `reason` and `message` matches.
    pub fn matches(
        &self,
        status: u16,
        code: Option<&str>,
        reason: Option<&str>,
        message: Option<&str>,
    ) -> bool {
        let contains = |needle: &str| {
            message.is_some_and(|m| {
                m.to_ascii_lowercase()
                    .contains(&needle.to_ascii_lowercase())
            })
        };
        match self.when {
            Match::Code(value) => code == Some(value),
            Match::Reason(value) => reason == Some(value),
            Match::Message(value) => message.is_some_and(|m| m.trim().eq_ignore_ascii_case(value)),
            Match::ClientErrorMessageContaining(value) => {
                (400..500).contains(&status) && contains(value)
            }
            Match::MessageContaining(value) => contains(value),
        }
    }
}

/// The kind the first matching rule of `rules` gives, if any (rules are read in order).
pub(crate) fn classify(
    rules: &[ErrorRule],
    status: u16,
    code: Option<&str>,
    reason: Option<&str>,
    message: Option<&str>,
) -> Option<ErrorKind> {
    rules
        .iter()
        .find(|rule| rule.matches(status, code, reason, message))
        .map(|rule| rule.kind)
}

/// The normalized status of raw status `raw` in `table`; [`OrderStatus::Unknown`] when no row
/// has it (never guessed).
#[allow(dead_code)] // used by the adapters of providers that document statuses
pub(crate) fn normalize(table: &[(&str, OrderStatus)], raw: &str) -> OrderStatus {
    table
        .iter()
        .find(|(value, _)| *value == raw)
        .map_or(OrderStatus::Unknown, |(_, status)| *status)
}

/// An adapter's status table, its normalizing function and the statuses its provider
/// documents, from one list of rows:
///
/// ```text
/// status_table! {
///     /// Doc of `STATUSES` (cite the provider's documentation).
///     types::OrderStatus {
///         "DRAFT" => Draft,
///         ...
///     }
/// }
/// ```
///
/// defines `STATUSES`, `normalize_status(&types::OrderStatus)` and `documented_statuses()`
/// (the generated enum's `KNOWN` values). One test, over every provider, checks that each
/// documented status has exactly one row and each row is a documented status. For a provider
/// that documents no statuses, `status_table!(none)` defines an empty table.
#[allow(unused_macros)] // with only providers whose tables are written out (1mg's codes)
macro_rules! status_table {
    (
        $(#[doc = $doc:literal])*
        $status:ty { $($raw:literal => $normalized:ident),+ $(,)? }
    ) => {
        $(#[doc = $doc])*
        pub const STATUSES: &[(&str, $crate::OrderStatus)] = &[
            $(($raw, $crate::OrderStatus::$normalized)),+
        ];

        /// The normalized status of a provider status ([`STATUSES`]); `unknown` for a value no
        /// row has.
        pub fn normalize_status(status: &$status) -> $crate::OrderStatus {
            $crate::tables::normalize(STATUSES, status.as_str())
        }

        /// The statuses the provider documents (its spec's values).
        pub(crate) fn documented_statuses() -> Vec<&'static str> {
            <$status>::KNOWN.iter().map(<$status>::as_str).collect()
        }
    };
    (none $(#[doc = $doc:literal])*) => {
        $(#[doc = $doc])*
        pub const STATUSES: &[(&str, $crate::OrderStatus)] = &[];

        /// The statuses the provider documents: none.
        pub(crate) fn documented_statuses() -> Vec<&'static str> {
            Vec::new()
        }
    };
}
#[allow(unused_imports)]
pub(crate) use status_table;

/// One provider's tables, for rendering and for the completeness test.
#[derive(Debug)]
pub(crate) struct ProviderTables {
    name: ProviderName,
    statuses: &'static [(&'static str, OrderStatus)],
    documented: fn() -> Vec<&'static str>,
    errors: &'static [ErrorRule],
}

impl ProviderTables {
    pub(crate) fn new(
        name: ProviderName,
        statuses: &'static [(&'static str, OrderStatus)],
        documented: fn() -> Vec<&'static str>,
        errors: &'static [ErrorRule],
    ) -> Self {
        Self {
            name,
            statuses,
            documented,
            errors,
        }
    }
}

/// Begins the part of the crate README that [`readme_tables`] writes.
pub const README_BEGIN: &str =
    "<!-- ordergate:tables:begin (written by `cargo xtask codegen`; edit the adapters' tables) -->";
/// Ends it.
pub const README_END: &str = "<!-- ordergate:tables:end -->";

/// The configuration, status and error tables of every compiled-in provider, as Markdown,
/// exactly as the crate README holds them between [`README_BEGIN`] and [`README_END`].
#[doc(hidden)]
pub fn readme_tables() -> String {
    let providers: Vec<ProviderTables> = ProviderName::ALL
        .into_iter()
        .filter_map(Provider::tables)
        .collect();
    let mut out = String::new();
    out.push_str("### Capabilities\n\n");
    out.push_str("What each adapter implements (`Provider::capabilities_of`); every other operation answers `unsupported`, with nothing sent.\n\n| operation |");
    for tables in &providers {
        let _ = write!(out, " {} |", tables.name.title());
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(providers.len()));
    out.push('\n');
    for operation in crate::Operation::PROVIDED {
        let _ = write!(out, "| `{operation}` |");
        for tables in &providers {
            let offered = Provider::capabilities_of(tables.name)
                .is_some_and(|capabilities| capabilities.contains(operation));
            out.push_str(if offered { " yes |" } else { " unsupported |" });
        }
        out.push('\n');
    }
    out.push_str("\n### Settings\n\n");
    out.push_str("Every setting by its environment variable (what `from_env` reads) and its short name (what `from_options` and `with_config` accept, as does the variable's name).\n\n");
    out.push_str("| provider | variable | name | required | secret | what it is |\n|---|---|---|---|---|---|\n");
    for tables in &providers {
        for setting in Provider::settings(tables.name).unwrap_or_default() {
            let _ = writeln!(
                out,
                "| {} | `{}` | `{}` | {} | {} | {} |",
                tables.name,
                setting.env,
                setting.name,
                setting.requirement(),
                yes_no(setting.secret),
                setting.description.trim()
            );
        }
    }
    out.push_str("\n### Status tables\n\n");
    out.push_str("| normalized |");
    for tables in &providers {
        let _ = write!(out, " {} |", tables.name.title());
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(providers.len()));
    out.push('\n');
    for status in OrderStatus::ALL {
        if status == OrderStatus::Unknown {
            continue;
        }
        let _ = write!(out, "| `{status}` |");
        for tables in &providers {
            let raw: Vec<String> = tables
                .statuses
                .iter()
                .filter(|(_, normalized)| *normalized == status)
                .map(|(raw, _)| format!("`{raw}`"))
                .collect();
            let _ = write!(out, " {} |", raw.join(", "));
        }
        out.push('\n');
    }
    out.push_str("| `unknown` |");
    for tables in &providers {
        let cell = if (tables.documented)().is_empty() {
            "(no statuses documented)"
        } else {
            "anything else"
        };
        let _ = write!(out, " {cell} |");
    }
    out.push_str("\n\n### Error rules\n\n");
    out.push_str(
        "Read in order; the first rule that matches decides, otherwise the HTTP status does.\n\n",
    );
    out.push_str("| provider | the provider's error | kind |\n|---|---|---|\n");
    for tables in &providers {
        for rule in tables.errors {
            let when = match rule.when {
                Match::Code(value) => format!("code `{value}`"),
                Match::Reason(value) => format!("reason `{value}`"),
                Match::Message(value) => format!("message \"{value}\""),
                Match::ClientErrorMessageContaining(value) => {
                    format!("HTTP 4xx, message containing \"{value}\"")
                }
                Match::MessageContaining(value) => format!("message containing \"{value}\""),
            };
            let _ = writeln!(out, "| {} | {when} | `{}` |", tables.name, rule.kind);
        }
    }
    out
}

fn yes_no(flag: bool) -> &'static str {
    if flag { "yes" } else { "no" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_match_what_they_say() {
        let code = ErrorRule::new(Match::Code("x1"), ErrorKind::Conflict);
        assert!(code.matches(400, Some("x1"), None, None));
        assert!(!code.matches(400, Some("x12"), None, None));
        let message = ErrorRule::new(Match::Message("Order not found"), ErrorKind::NotFound);
        assert!(message.matches(500, None, None, Some("  order NOT found ")));
        assert!(!message.matches(500, None, None, Some("order not found!")));
        let client = ErrorRule::new(
            Match::ClientErrorMessageContaining("only allowed"),
            ErrorKind::Conflict,
        );
        assert!(client.matches(422, None, None, Some("You are ONLY ALLOWED to ...")));
        assert!(!client.matches(500, None, None, Some("only allowed")));
        let rules = [
            ErrorRule::new(Match::Reason("R"), ErrorKind::NotFound),
            ErrorRule::new(Match::Code("C"), ErrorKind::Unauthorized),
        ];
        assert_eq!(
            classify(&rules, 400, Some("C"), Some("R"), None),
            Some(ErrorKind::NotFound)
        );
        assert_eq!(classify(&rules, 400, Some("D"), None, None), None);
    }

    /// `cargo xtask codegen` writes the tables into the README; this catches a README that
    /// has drifted from the adapters' tables even without the xtask.
    #[test]
    fn the_readme_shows_the_tables() {
        let readme = include_str!("../README.md");
        let expected = format!("{README_BEGIN}\n{}{README_END}", readme_tables());
        if !readme.contains(&expected) {
            println!("{expected}");
            panic!("the README's tables have drifted: run `cargo xtask codegen`");
        }
    }

    /// Every compiled-in provider's status table has exactly one row for each status its
    /// spec documents, and none for anything else (a typo in a row would otherwise never
    /// match); every row maps to a known status.
    #[test]
    fn every_documented_status_has_one_row() {
        let providers: Vec<ProviderTables> = ProviderName::ALL
            .into_iter()
            .filter_map(Provider::tables)
            .collect();
        assert_eq!(providers.is_empty(), !cfg!(feature = "_provider"));
        for tables in providers {
            let documented = (tables.documented)();
            assert_eq!(
                documented.is_empty(),
                tables.statuses.is_empty(),
                "{}: a table without documented statuses, or the reverse",
                tables.name
            );
            for value in &documented {
                let rows = tables
                    .statuses
                    .iter()
                    .filter(|(raw, _)| raw == value)
                    .count();
                assert_eq!(rows, 1, "{}: status {value:?} has {rows} rows", tables.name);
                assert_ne!(normalize(tables.statuses, value), OrderStatus::Unknown);
            }
            for (raw, status) in tables.statuses {
                assert!(
                    documented.contains(raw),
                    "{}: row {raw:?} is not a documented status",
                    tables.name
                );
                assert_ne!(*status, OrderStatus::Unknown, "{}: {raw:?}", tables.name);
            }
        }
    }

    #[test]
    fn unknown_raw_statuses_are_never_guessed() {
        let table = [("A", OrderStatus::Draft)];
        assert_eq!(normalize(&table, "A"), OrderStatus::Draft);
        assert_eq!(normalize(&table, "a"), OrderStatus::Unknown);
    }
}
