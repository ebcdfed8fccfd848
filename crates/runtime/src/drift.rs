//! Spec drift, reported: where a provider's answer carries what our hand-written spec does not
//! model.
//!
//! Each generated client holds a [`Model`] of its spec's answers (a [`Shape`] per operation and
//! status, made by `ordergate-codegen`), and decodes every answer through [`response_value`].
//! When a subscriber listens to the target `ordergate::drift` (level `INFO`), the raw answer is
//! compared with its shape and each difference is one event, at most once per process for
//! each provider, operation and JSON path:
//!
//! - [`DriftKind::UnknownEnumValue`]: a value outside a documented enum or code table (it
//!   decoded as the open enum's `Unknown(raw)`);
//! - [`DriftKind::UnmodeledField`]: a member the schema does not list (kept in an `extra` map,
//!   or dropped);
//! - [`DriftKind::InferredSchemaContradicted`]: a schema the spec marks `x-ordergate-inferred`
//!   (a shape guessed, not seen in the docs) has a member it does not list, or lacks one it
//!   requires.
//!
//! An event names the provider, the operation, the JSON path (`$.data.orders[].status`, array
//! indices folded) and the kind, never a value. It tells a maintainer where the spec is wrong.
//! With no subscriber listening, nothing is compared: decoding costs what it did.
//!
//! Bounds: member names longer than [`MAX_NAME_CHARS`] are cut, the walk stops at depth
//! [`MAX_DEPTH`], and after [`MAX_REPORTS`] distinct paths (a server inventing new member
//! names on every answer) one last event says reports stop.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::future::Future;
use std::sync::{Mutex, OnceLock, PoisonError};

use progenitor_client::{Error, ResponseValue};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The most distinct (provider, operation, path) reports a process makes.
pub const MAX_REPORTS: usize = 4096;
/// The longest member name a path shows, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// How deep into an answer the comparison goes.
pub const MAX_DEPTH: usize = 32;

/// What the spec says a JSON value looks like, as far as drift is concerned.
#[derive(Debug)]
#[non_exhaustive]
pub enum Shape {
    /// Anything (scalars, and compositions the comparison does not follow).
    Any,
    /// An object with these members.
    Object {
        /// The members the schema lists, each with its shape.
        properties: &'static [(&'static str, &'static Shape)],
        /// The members it requires.
        required: &'static [&'static str],
        /// Whether the schema is marked `x-ordergate-inferred`.
        inferred: bool,
    },
    /// An object whose members are all of one shape (`additionalProperties: {schema}`).
    Map(&'static Shape),
    /// An array of items of one shape.
    Array(&'static Shape),
    /// A string from this list.
    Enum(&'static [&'static str]),
    /// An integer from this code table (`x-ordergate-codes`).
    Codes(&'static [i64]),
}

/// Where a client's shapes are: generated with the client.
#[derive(Debug)]
pub struct Model {
    /// The provider, as the events name it.
    pub provider: &'static str,
    /// The shape of the answer of an operation with a status, if the spec models one.
    pub shape_of: fn(&str, u16) -> Option<&'static Shape>,
}

/// How an answer differs from its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum DriftKind {
    /// A value outside a documented enum or code table.
    UnknownEnumValue,
    /// A member the schema does not list.
    UnmodeledField,
    /// An inferred schema contradicted: a member it does not list, or one it requires missing.
    InferredSchemaContradicted,
}

impl DriftKind {
    /// The name events carry (`unknown_enum_value`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnknownEnumValue => "unknown_enum_value",
            Self::UnmodeledField => "unmodeled_field",
            Self::InferredSchemaContradicted => "inferred_schema_contradicted",
        }
    }
}

/// What [`crate::response_value`] does (decode the answer, headers moved), and then, when the
/// `ordergate::drift` target is listened to, the comparison of the raw answer with `model`'s
/// shape for `operation` and the answer's status. `ordergate-codegen` makes every generated
/// operation call this.
///
/// # Errors
/// As [`crate::response_value`]; drift is never an error.
// The error type is progenitor's, as the generated code expects it.
#[allow(clippy::result_large_err)]
pub fn response_value<T: DeserializeOwned, E>(
    response: reqwest::Response,
    model: &'static Model,
    operation: &'static str,
) -> impl Future<Output = Result<ResponseValue<T>, Error<E>>> {
    crate::decode::decoded(response, move |status, body| {
        if tracing::enabled!(target: "ordergate::drift", tracing::Level::INFO) {
            check(model, operation, status, body);
        }
    })
}

/// Compares `body`, the answer of `operation` with `status`, with its shape in `model`, and
/// reports each difference not reported before.
pub fn check(model: &Model, operation: &str, status: u16, body: &[u8]) {
    let Some(shape) = (model.shape_of)(operation, status) else {
        return;
    };
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let mut path = String::from("$");
    walk(shape, &value, &mut path, 0, false, &mut |path, kind| {
        report(model.provider, operation, path, kind);
    });
}

/// The differences between `value` and `shape`, each given to `found` with its path.
/// `inferred`: inside a schema marked inferred.
fn walk(
    shape: &Shape,
    value: &Value,
    path: &mut String,
    depth: usize,
    inferred: bool,
    found: &mut dyn FnMut(&str, DriftKind),
) {
    if depth >= MAX_DEPTH {
        return;
    }
    let at = path.len();
    match (shape, value) {
        (
            Shape::Object {
                properties,
                required,
                inferred: marked,
            },
            Value::Object(members),
        ) => {
            let inferred = inferred || *marked;
            for (name, member) in members {
                push_name(path, name);
                match properties.iter().find(|(known, _)| *known == name.as_str()) {
                    Some((_, shape)) => walk(shape, member, path, depth + 1, inferred, found),
                    None if inferred => found(path, DriftKind::InferredSchemaContradicted),
                    None => found(path, DriftKind::UnmodeledField),
                }
                path.truncate(at);
            }
            if inferred {
                for name in required.iter().filter(|name| !members.contains_key(**name)) {
                    push_name(path, name);
                    found(path, DriftKind::InferredSchemaContradicted);
                    path.truncate(at);
                }
            }
        }
        (Shape::Map(shape), Value::Object(members)) => {
            path.push_str(".*");
            for member in members.values() {
                walk(shape, member, path, depth + 1, inferred, found);
            }
            path.truncate(at);
        }
        (Shape::Array(shape), Value::Array(items)) => {
            path.push_str("[]");
            for item in items {
                walk(shape, item, path, depth + 1, inferred, found);
            }
            path.truncate(at);
        }
        (Shape::Enum(values), Value::String(text)) if !values.contains(&text.as_str()) => {
            found(path, DriftKind::UnknownEnumValue);
        }
        (Shape::Codes(codes), Value::Number(number))
            if number.as_i64().is_none_or(|code| !codes.contains(&code)) =>
        {
            found(path, DriftKind::UnknownEnumValue);
        }
        _ => {}
    }
}

/// `.name`, cut to [`MAX_NAME_CHARS`] characters with control characters escaped, or
/// `["name"]` when it is not a plain identifier.
fn push_name(path: &mut String, name: &str) {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let cut: String = name.chars().take(MAX_NAME_CHARS).collect();
    if plain {
        path.push('.');
        path.push_str(&cut);
    } else {
        let _ = write!(path, "[{cut:?}]");
    }
}

/// A (provider, operation, path) reported.
type Reported = (&'static str, String, String);

/// Emits the event for `(provider, operation, path)` unless it was emitted before.
fn report(provider: &'static str, operation: &str, path: &str, kind: DriftKind) {
    static SEEN: OnceLock<Mutex<HashSet<Reported>>> = OnceLock::new();
    let mut seen = SEEN
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if seen.len() > MAX_REPORTS {
        return;
    }
    if seen.len() == MAX_REPORTS {
        seen.insert((provider, String::new(), String::new()));
        tracing::info!(target: "ordergate::drift", max = MAX_REPORTS, "spec drift: report limit reached; no more drift is reported in this process");
        return;
    }
    if seen.insert((provider, operation.to_owned(), path.to_owned())) {
        tracing::info!(
            target: "ordergate::drift",
            provider,
            operation,
            path,
            kind = kind.as_str(),
            "spec drift: the answer carries what the spec does not model"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static STATUS: Shape = Shape::Enum(&["DRAFT", "DELIVERED"]);
    static CODE: Shape = Shape::Codes(&[15, 40]);
    static ITEM: Shape = Shape::Object {
        properties: &[("status", &STATUS), ("code", &CODE)],
        required: &[],
        inferred: false,
    };
    static GUESSED: Shape = Shape::Object {
        properties: &[("id", &Shape::Any)],
        required: &["id", "state"],
        inferred: true,
    };
    static PAGE: Shape = Shape::Object {
        properties: &[
            ("orders", &Shape::Array(&ITEM)),
            ("meta", &Shape::Map(&STATUS)),
            ("guess", &GUESSED),
        ],
        required: &[],
        inferred: false,
    };

    fn differences(value: Value) -> Vec<(String, DriftKind)> {
        let mut found = Vec::new();
        let mut path = String::from("$");
        walk(&PAGE, &value, &mut path, 0, false, &mut |path, kind| {
            found.push((path.to_owned(), kind));
        });
        found
    }

    #[test]
    fn every_kind_is_found_with_its_path_and_nothing_else() {
        let found = differences(serde_json::json!({
            "orders": [
                {"status": "DRAFT", "code": 15},
                {"status": "RETURNED", "code": 99, "color": "red"},
                {"status": null, "code": "x"}
            ],
            "meta": {"a": "DELIVERED", "b": "LOST"},
            "guess": {"id": 1, "extra one": true},
            "new_member": {"deep": [1]}
        }));
        use DriftKind::*;
        let mut expected = vec![
            ("$.orders[].status".to_owned(), UnknownEnumValue),
            ("$.orders[].code".to_owned(), UnknownEnumValue),
            ("$.orders[].color".to_owned(), UnmodeledField),
            ("$.meta.*".to_owned(), UnknownEnumValue),
            (
                "$.guess[\"extra one\"]".to_owned(),
                InferredSchemaContradicted,
            ),
            ("$.guess.state".to_owned(), InferredSchemaContradicted),
            ("$.new_member".to_owned(), UnmodeledField),
        ];
        // Members are visited in name order.
        expected.sort();
        let mut found = found;
        found.sort();
        assert_eq!(found, expected);
        assert!(
            differences(serde_json::json!({"orders": [{"status": "DELIVERED", "code": 40}]}))
                .is_empty()
        );
    }

    #[test]
    fn names_are_bounded_and_depth_is_bounded() {
        let long = "x".repeat(10_000);
        let found = differences(serde_json::json!({ long.clone(): 1, "a\u{7}b": 2 }));
        assert!(
            found
                .iter()
                .any(|(path, _)| path.len() == 2 + MAX_NAME_CHARS && path.starts_with("$.xxx")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|(path, _)| path == "$[\"a\\u{7}b\"]"),
            "{found:?}"
        );
        let mut deep = serde_json::json!(1);
        for _ in 0..100 {
            deep = serde_json::json!([deep]);
        }
        static NESTED: Shape = Shape::Array(&NESTED);
        let mut count = 0;
        walk(&NESTED, &deep, &mut String::new(), 0, false, &mut |_, _| {
            count += 1
        });
        assert_eq!(count, 0);
    }
}
