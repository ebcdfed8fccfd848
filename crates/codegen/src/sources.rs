//! Where each fact of a spec comes from: every operation and every component schema names the
//! provider's documentation page it is taken from, in `x-ordergate-source` (a public `https://`
//! URL, or a list of them when a shape is documented on several pages).
//!
//! The check is a house rule ([`crate::check`]): a spec with an operation or a component schema
//! that names no page does not generate.
//!
//! What a page mentions but the spec leaves out (a path only a curl example or a diagram calls,
//! a page never found) is listed at the top level under `x-ordergate-excluded`: each entry names
//! the `operation`, the `source` page and the `reason`; `API.md` lists them.

use serde_json::Value;

use crate::Spec;

/// The extension that names the documentation page(s) of an operation or a component schema.
pub(crate) const KEY: &str = "x-ordergate-source";

/// The pages `value` names in `x-ordergate-source`, or why they are not acceptable.
fn pages(value: &Value) -> Result<Vec<&str>, String> {
    let Some(source) = value.get(KEY) else {
        return Err(format!(
            "no {KEY}: name the provider's documentation page this comes from (a public https:// URL)"
        ));
    };
    let pages: Vec<&Value> = match source {
        Value::Array(items) => items.iter().collect(),
        single => vec![single],
    };
    if pages.is_empty() {
        return Err(format!("{KEY} is an empty list"));
    }
    pages
        .into_iter()
        .map(|page| match page.as_str() {
            Some(url) if is_public_url(url) => Ok(url),
            _ => Err(format!(
                "{KEY} must be a public https:// URL or a list of them, not {page}"
            )),
        })
        .collect()
}

fn is_public_url(url: &str) -> bool {
    url.strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace))
}

/// The top-level list of what the spec leaves out.
pub(crate) const EXCLUDED: &str = "x-ordergate-excluded";

/// One operation a documentation page mentions that the spec leaves out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Excluded {
    pub operation: String,
    pub source: String,
    pub reason: String,
}

/// The well-formed entries of `spec`'s `x-ordergate-excluded`, in order.
pub(crate) fn excluded(spec: &Spec) -> Vec<Excluded> {
    excluded_entries(spec)
        .into_iter()
        .filter_map(|(_, entry)| entry.ok())
        .collect()
}

fn excluded_entries(spec: &Spec) -> Vec<(usize, Result<Excluded, String>)> {
    let Some(list) = spec.raw.get(EXCLUDED) else {
        return Vec::new();
    };
    let Some(list) = list.as_array() else {
        return vec![(0, Err(format!("{EXCLUDED} must be a list")))];
    };
    list.iter()
        .enumerate()
        .map(|(index, entry)| {
            let text = |key: &str| {
                entry
                    .get(key)
                    .and_then(Value::as_str)
                    .map(crate::inferred::one_line)
                    .filter(|t| !t.is_empty())
                    .ok_or_else(|| format!("an entry of {EXCLUDED} needs a non-empty `{key}`"))
            };
            let entry = (|| {
                let source = text("source")?;
                if !is_public_url(&source) {
                    return Err(format!(
                        "the `source` of an entry of {EXCLUDED} must be a public https:// URL, not {source:?}"
                    ));
                }
                Ok(Excluded {
                    operation: text("operation")?,
                    source,
                    reason: text("reason")?,
                })
            })();
            (index, entry)
        })
        .collect()
}

/// Every operation and component schema of `spec` without an acceptable source, and every
/// malformed `x-ordergate-excluded` entry, as (location, message) pairs.
pub(crate) fn violations(spec: &Spec) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (index, entry) in excluded_entries(spec) {
        if let Err(message) = entry {
            found.push((format!("/{EXCLUDED}/{index}"), message));
        }
    }
    for (method, path, operation) in spec.operations() {
        if let Err(message) = pages(operation) {
            let id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or("?");
            found.push((format!("{} {path} ({id})", method.to_uppercase()), message));
        }
    }
    let schemas = spec
        .raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten();
    for (name, schema) in schemas {
        if let Err(message) = pages(schema) {
            found.push((format!("/components/schemas/{name}"), message));
        }
    }
    found
}

#[cfg(test)]
impl Spec {
    /// This test spec with a placeholder page on every operation and component schema that
    /// names none, for tests about other rules.
    pub(crate) fn with_sources(mut self) -> Self {
        let page = Value::from("https://docs.example.test/page");
        if let Some(Value::Object(paths)) = self.raw.get_mut("paths") {
            for item in paths.values_mut().filter_map(Value::as_object_mut) {
                for (method, operation) in item.iter_mut() {
                    if let (true, Some(operation)) = (
                        crate::HTTP_METHODS.contains(&method.as_str()),
                        operation.as_object_mut(),
                    ) {
                        operation.entry(KEY).or_insert_with(|| page.clone());
                    }
                }
            }
        }
        if let Some(Value::Object(schemas)) = self.raw.pointer_mut("/components/schemas") {
            for schema in schemas.values_mut().filter_map(Value::as_object_mut) {
                schema.entry(KEY).or_insert_with(|| page.clone());
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn found(spec: &str) -> Vec<(String, String)> {
        violations(&Spec::parse(Path::new("specs/t.yaml"), spec).expect("parses"))
    }

    #[test]
    fn every_operation_and_component_schema_names_a_public_page() {
        let found = found(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    get:
      operationId: list_things
      x-ordergate-source: https://docs.example.test/things/list
      responses: {'200': {description: ok}}
    post:
      operationId: make_thing
      responses: {'200': {description: ok}}
components:
  schemas:
    Seen: {type: string, x-ordergate-source: [https://docs.example.test/a, https://docs.example.test/b]}
    Unsourced: {type: string}
    Local: {type: string, x-ordergate-source: "the List Orders page"}
    Empty: {type: string, x-ordergate-source: []}
"#,
        );
        let locations: Vec<&str> = found.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            locations,
            [
                "POST /things (make_thing)",
                "/components/schemas/Empty",
                "/components/schemas/Local",
                "/components/schemas/Unsourced",
            ],
            "{found:?}"
        );
        assert!(found[0].1.starts_with("no x-ordergate-source"));
        assert!(found[1].1.contains("empty list"));
        assert!(found[2].1.contains("public https:// URL"));
    }

    #[test]
    fn left_out_operations_name_their_page_and_reason() {
        let text = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
x-ordergate-excluded:
  - {operation: GET /v1/orders, source: https://docs.example.test/auth, reason: Only a curl example calls it.}
  - {operation: POST /oauth/token, source: https://docs.example.test/auth}
paths: {}
"#;
        let spec = Spec::parse(Path::new("specs/t.yaml"), text).expect("parses");
        assert_eq!(
            excluded(&spec),
            [Excluded {
                operation: "GET /v1/orders".into(),
                source: "https://docs.example.test/auth".into(),
                reason: "Only a curl example calls it.".into(),
            }]
        );
        assert_eq!(
            violations(&spec),
            [(
                "/x-ordergate-excluded/1".to_owned(),
                "an entry of x-ordergate-excluded needs a non-empty `reason`".to_owned()
            )]
        );
    }
}
