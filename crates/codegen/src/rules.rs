//! The house rules (`specs/README.md`): constructs progenitor 0.15 panics on or mishandles,
//! found before progenitor sees them and reported with file, path and operation.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::{CodegenError, Spec, Violation};

/// Request media types progenitor 0.15 turns into typed bodies.
const REQUEST_MEDIA_TYPES: [&str; 2] = ["application/json", "application/x-www-form-urlencoded"];

/// `x-ordergate-environment` values; each becomes a `<VALUE>_BASE_URL` constant.
pub(crate) const ENVIRONMENTS: [&str; 3] = ["production", "production_secondary", "testing"];

/// Checks every house rule; returns all violations at once.
pub fn check(spec: &Spec) -> Result<(), CodegenError> {
    let mut found = Vec::new();
    let mut report = |location: String, message: String| {
        found.push(Violation {
            file: spec.path.clone(),
            location,
            message,
        })
    };

    let version = spec
        .raw
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !version.starts_with("3.0.") {
        report(
            "/openapi".into(),
            format!("version {version:?}: progenitor 0.15 accepts only OpenAPI 3.0.x"),
        );
    }
    check_servers(spec, &mut report);
    check_operations(spec, &mut report);
    check_schemas(&spec.raw, "", &mut report);
    check_review_notes(&spec.raw, "", &mut report);
    for (location, message) in crate::operations::violations(spec) {
        report(location, message);
    }
    for (location, message) in crate::sources::violations(spec) {
        report(location, message);
    }
    for (location, message) in crate::inferred::violations(spec) {
        report(location, message);
    }
    if let Err(problems) = crate::codes::collect(spec) {
        for (location, message) in problems {
            report(location, message);
        }
    }

    if found.is_empty() {
        Ok(())
    } else {
        Err(CodegenError::Rules(found))
    }
}

fn check_servers(spec: &Spec, report: &mut impl FnMut(String, String)) {
    let servers = spec.raw.get("servers").and_then(Value::as_array);
    let Some(servers) = servers.filter(|s| !s.is_empty()) else {
        report(
            "/servers".into(),
            "no servers: the production base URL must be in the spec".into(),
        );
        return;
    };
    let mut seen = BTreeSet::new();
    for (index, server) in servers.iter().enumerate() {
        let environment = server
            .get("x-ordergate-environment")
            .and_then(Value::as_str);
        match environment {
            Some(env) if ENVIRONMENTS.contains(&env) => {
                if !seen.insert(env) {
                    report(
                        format!("/servers/{index}"),
                        format!("a second server for environment {env:?}"),
                    );
                }
            }
            other => report(
                format!("/servers/{index}"),
                format!("x-ordergate-environment is {other:?}; expected one of {ENVIRONMENTS:?}"),
            ),
        }
    }
    if !seen.contains("production") {
        report(
            "/servers".into(),
            "no server has x-ordergate-environment: production".into(),
        );
    }
}

fn check_operations(spec: &Spec, report: &mut impl FnMut(String, String)) {
    let mut operation_ids: BTreeMap<String, String> = BTreeMap::new();
    for (method, path, operation) in spec.operations() {
        let id = operation.get("operationId").and_then(Value::as_str);
        let location = format!("{} {path} ({})", method.to_uppercase(), id.unwrap_or("?"));
        let mut say = |message: String| report(location.clone(), message);

        match id {
            None => say("no operationId: progenitor names methods after it".into()),
            Some(id) => {
                if !is_snake_case(id) {
                    say(format!("operationId {id:?} is not snake_case"));
                }
                if let Some(previous) = operation_ids.insert(id.to_owned(), location.clone()) {
                    say(format!("operationId {id:?} is also used by {previous}"));
                }
            }
        }

        let parameters = spec
            .raw
            .pointer(&format!("/paths/{}/parameters", escape_pointer(path)))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .chain(
                operation
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            );
        for parameter in parameters {
            let parameter = spec.resolve(parameter);
            let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
            if parameter.get("in").and_then(Value::as_str) == Some("cookie") {
                say(format!(
                    "cookie parameter {name:?}: progenitor rejects cookie parameters"
                ));
            }
            if parameter.get("in").and_then(Value::as_str) == Some("header")
                && name.eq_ignore_ascii_case("api-version")
            {
                say(format!(
                    "header parameter {name:?}: the generated client removes progenitor's own `api-version` header from every request, so this one would never be sent"
                ));
            }
            if parameter.get("style").and_then(Value::as_str) == Some("deepObject") {
                say(format!(
                    "parameter {name:?} uses style deepObject: unsupported"
                ));
            }
        }

        if let Some(body) = operation.get("requestBody") {
            let content = spec.resolve(body).get("content").and_then(Value::as_object);
            let media: Vec<&String> = content.into_iter().flat_map(|c| c.keys()).collect();
            if media.len() != 1 {
                say(format!(
                    "request body has {} media types {media:?}; exactly one is allowed (progenitor panics on more)",
                    media.len()
                ));
            }
            for media_type in media {
                if !REQUEST_MEDIA_TYPES.contains(&media_type.as_str()) {
                    say(format!(
                        "request media type {media_type:?} is not one of {REQUEST_MEDIA_TYPES:?}"
                    ));
                }
            }
        }

        let responses = operation.get("responses").and_then(Value::as_object);
        let Some(responses) = responses else {
            say("no responses".into());
            continue;
        };
        if responses.contains_key("default") {
            say("a `default` response counts as success and error at once in progenitor 0.15 (it panics); use explicit codes or 4XX/5XX".into());
        }
        let mut success: BTreeMap<String, Vec<&String>> = BTreeMap::new();
        let mut error_bodies: BTreeMap<String, Vec<&String>> = BTreeMap::new();
        for (status, response) in responses {
            let response = spec.resolve(response);
            let content = response.get("content").and_then(Value::as_object);
            let media_count = content.map_or(0, |c| c.len());
            if media_count > 1 {
                say(format!(
                    "response {status} has {media_count} media types; exactly one is allowed"
                ));
            }
            let schema = content
                .and_then(|c| c.values().next())
                .and_then(|m| m.get("schema"))
                .map_or_else(|| "no body".to_owned(), Value::to_string);
            match status.chars().next() {
                Some('2') => success.entry(schema).or_default().push(status),
                Some('4' | '5') => error_bodies.entry(schema).or_default().push(status),
                _ => {}
            }
        }
        // Several success statuses may share one body (Logitrail's upsert answers 200 or 201
        // with the same document): progenitor keeps one type per distinct schema.
        if success.len() != 1 {
            let statuses: Vec<&Vec<&String>> = success.values().collect();
            say(format!(
                "{} success bodies (statuses grouped by body: {statuses:?}); exactly one is allowed (progenitor panics on several)",
                success.len()
            ));
        }
        if error_bodies.len() > 1 {
            let groups: Vec<&Vec<&String>> = error_bodies.values().collect();
            say(format!(
                "error responses use {} different bodies (statuses grouped by body: {groups:?}); all must share one schema (progenitor panics otherwise)",
                error_bodies.len()
            ));
        }
    }
}

/// A tag: the single-value string `enum` of a property that tells a `oneOf`'s variants apart
/// (a constant, not a set that can grow; typify makes the `oneOf` an internally tagged enum).
fn is_tag(object: &serde_json::Map<String, Value>, values: &[Value], pointer: &str) -> bool {
    values.len() == 1
        && object.get("type").and_then(Value::as_str) == Some("string")
        && pointer.starts_with("/components/schemas/")
        && pointer.contains("/properties/")
}

/// Every `enum` must be a named string schema under `components/schemas`, because codegen
/// replaces exactly those with forward-compatible enums. No string `format` may need a crate
/// the SDKs do not depend on (chrono, uuid: left out to keep builds small), and every
/// `pattern` must be one codegen checks without a regex engine (no `regress` dependency).
fn check_schemas(value: &Value, pointer: &str, report: &mut impl FnMut(String, String)) {
    for_each_object(value, pointer, &mut |object, pointer| {
        if let Some(format @ ("date" | "date-time" | "uuid")) =
            object.get("format").and_then(Value::as_str)
        {
            report(
                pointer.to_owned(),
                format!(
                    "`format: {format}` would need chrono or uuid, which the SDK crates do not depend on: describe the format in `description` and keep the string"
                ),
            );
        }
        if let Some(pattern) = object.get("pattern").and_then(Value::as_str)
            && crate::rewrite::CharClass::parse(pattern).is_none()
        {
            report(
                pointer.to_owned(),
                format!(
                    "pattern {pattern:?} is not of the form `^[class]{{n,m}}$` (letters, digits, `_` and ranges): the SDK crates check patterns without a regex engine"
                ),
            );
        }
        if let Some(Value::Array(values)) = object.get("enum")
            && !is_tag(object, values, pointer)
        {
            let is_component = pointer
                .strip_prefix("/components/schemas/")
                .is_some_and(|rest| !rest.contains('/'));
            if !is_component {
                report(
                pointer.to_owned(),
                "inline enum: every enum must be a named schema under components/schemas so codegen can make it forward-compatible".into(),
            );
            } else if object.get("type").and_then(Value::as_str) != Some("string") {
                report(
                    pointer.to_owned(),
                    "enum without `type: string`: only string enums are supported".into(),
                );
            }
        }
    });
}

/// Calls `f` with every object of `value` (at any depth, `value` included) and its JSON
/// pointer (below `pointer`), in document order. Examples are data and extensions are the
/// spec's own notes, so neither is entered.
pub(crate) fn for_each_object(
    value: &Value,
    pointer: &str,
    f: &mut impl FnMut(&serde_json::Map<String, Value>, &str),
) {
    match value {
        Value::Object(object) => {
            f(object, pointer);
            for (key, child) in object {
                if key == "example" || key == "examples" || key.starts_with("x-") {
                    continue;
                }
                for_each_object(child, &format!("{pointer}/{}", escape_pointer(key)), f);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                for_each_object(item, &format!("{pointer}/{index}"), f);
            }
        }
        _ => {}
    }
}

/// Every `x-ordergate-review-note` is a non-empty string (a note for the reviewer, which
/// codegen never renders; house rule 12).
fn check_review_notes(value: &Value, pointer: &str, report: &mut impl FnMut(String, String)) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                let child_pointer = format!("{pointer}/{}", escape_pointer(key));
                if key == crate::docs::REVIEW_NOTE {
                    if child.as_str().is_none_or(|note| note.trim().is_empty()) {
                        report(
                            child_pointer,
                            format!("{key} must be a non-empty string (a note for the reviewer)"),
                        );
                    }
                } else if key != "example" && key != "examples" {
                    check_review_notes(child, &child_pointer, report);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                check_review_notes(item, &format!("{pointer}/{index}"), report);
            }
        }
        _ => {}
    }
}

fn is_snake_case(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// JSON-pointer escaping of one reference token (RFC 6901).
pub(crate) fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const BASE: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
servers:
  - url: https://example.test
    x-ordergate-environment: production
components:
  schemas:
    Status: {type: string, enum: [a, b]}
    Error: {type: object, properties: {code: {type: string}}}
    Other: {type: object, properties: {x: {type: string}}}
paths:
"#;

    fn violations(paths: &str) -> Vec<String> {
        let text = format!("{BASE}{paths}");
        let spec = Spec::parse(Path::new("specs/test.yaml"), &text)
            .expect("test spec parses")
            .with_sources();
        match check(&spec) {
            Ok(()) => Vec::new(),
            Err(CodegenError::Rules(found)) => found.iter().map(ToString::to_string).collect(),
            Err(other) => panic!("unexpected error {other}"),
        }
    }

    #[test]
    fn a_conforming_spec_passes() {
        let found = violations(
            r#"
  /orders/{id}:
    get:
      operationId: get_order
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Status'}}}}
        '404': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
        '5XX': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
"#,
        );
        assert_eq!(found, Vec::<String>::new());
    }

    #[test]
    fn default_response_is_named_with_file_path_and_operation() {
        let found = violations(
            r#"
  /orders:
    post:
      operationId: create_order
      x-ordergate-idempotent: false
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Status'}}}}
        default: {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
"#,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .starts_with("specs/test.yaml: POST /orders (create_order): a `default` response")
        );
    }

    #[test]
    fn several_error_bodies_and_success_bodies_are_refused() {
        let found = violations(
            r#"
  /orders:
    post:
      operationId: create_order
      x-ordergate-idempotent: false
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Status'}}}}
        '201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Other'}}}}
        '400': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
        '500': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Other'}}}}
"#,
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("2 success bodies"));
        assert!(found[1].contains("2 different bodies"));
    }

    #[test]
    fn several_success_statuses_sharing_one_body_are_accepted() {
        let found = violations(
            r#"
  /products:
    post:
      operationId: upsert_product
      x-ordergate-idempotent: true
      responses:
        '200': {description: updated, content: {application/json: {schema: {$ref: '#/components/schemas/Status'}}}}
        '201': {description: created, content: {application/json: {schema: {$ref: '#/components/schemas/Status'}}}}
"#,
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn several_media_types_inline_enums_and_missing_ids_are_refused() {
        let found = violations(
            r#"
  /orders:
    post:
      requestBody:
        content:
          application/json: {schema: {$ref: '#/components/schemas/Other'}}
          application/xml: {schema: {$ref: '#/components/schemas/Other'}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string, enum: [x]}}}}
"#,
        );
        let joined = found.join("\n");
        assert!(
            joined.contains("POST /orders (?): no operationId"),
            "{joined}"
        );
        assert!(joined.contains("2 media types"), "{joined}");
        assert!(
            joined.contains("\"application/xml\" is not one of"),
            "{joined}"
        );
        assert!(joined.contains("inline enum"), "{joined}");
    }

    /// A single-value enum on a component's property is a tag (a `oneOf` variant's constant)
    /// and allowed inline; two values make a set that can grow, which must be a named schema.
    #[test]
    fn a_single_value_tag_property_is_allowed_inline() {
        let text = BASE.replace(
            "    Other: {type: object, properties: {x: {type: string}}}",
            "    Other: {type: object, properties: {kind: {type: string, enum: [local]}, size: {type: string, enum: [s, m]}}}",
        );
        let text = text.replace("paths:\n", "paths: {}\n");
        let spec = Spec::parse(Path::new("specs/test.yaml"), &text)
            .expect("test spec parses")
            .with_sources();
        let found: Vec<String> = match check(&spec) {
            Err(CodegenError::Rules(found)) => found.iter().map(ToString::to_string).collect(),
            other => panic!("expected violations, got {other:?}"),
        };
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("/components/schemas/Other/properties/size: inline enum"),
            "{found:?}"
        );
    }

    #[test]
    fn an_api_version_header_parameter_is_refused() {
        let found = violations(
            r#"
  /orders:
    parameters: [{name: Api-Version, in: header, schema: {type: string}}]
    get:
      operationId: get_orders
      parameters:
        - {name: api-version, in: query, schema: {type: string}}
        - {name: x-api-version, in: header, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Status'}}}}
"#,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with(
                "specs/test.yaml: GET /orders (get_orders): header parameter \"Api-Version\": the generated client removes progenitor's own `api-version` header"
            ),
            "{found:?}"
        );
    }

    #[test]
    fn formats_and_patterns_needing_extra_crates_are_refused() {
        for (schema, expected) in [
            (
                "{type: string, format: date-time}",
                "`format: date-time` would need chrono",
            ),
            (
                "{type: string, format: date}",
                "`format: date` would need chrono",
            ),
            (
                "{type: string, format: uuid}",
                "`format: uuid` would need chrono or uuid",
            ),
            ("{type: string, pattern: '^(a|b)$'}", "is not of the form"),
        ] {
            let found = violations(&format!(
                r#"
  /orders:
    get:
      operationId: get_orders
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {schema}}}}}}}
"#
            ));
            assert!(
                found.iter().any(|v| v.contains(expected)),
                "{schema}: {found:?}"
            );
        }
    }

    #[test]
    fn a_state_changing_operation_must_state_whether_it_is_idempotent() {
        let operation = |method: &str, extra: &str| {
            format!(
                r#"
  /orders/{{id}}/confirm:
    {method}:
      operationId: confirm_order{extra}
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Status'}}}}}}}}
"#
            )
        };
        for method in ["post", "put", "delete", "patch"] {
            let found = violations(&operation(method, ""));
            assert_eq!(found.len(), 1, "{method}: {found:?}");
            assert!(
                found[0].contains("(confirm_order)")
                    && found[0].contains("must state x-ordergate-idempotent: true or false"),
                "{found:?}"
            );
            for flag in ["true", "false"] {
                let extra = format!("\n      x-ordergate-idempotent: {flag}");
                assert_eq!(violations(&operation(method, &extra)), Vec::<String>::new());
            }
            let extra = "\n      x-ordergate-idempotent: yes please";
            let found = violations(&operation(method, extra));
            assert!(found[0].contains("expected true or false"), "{found:?}");
        }
        // A GET is idempotent by its method.
        assert_eq!(violations(&operation("get", "")), Vec::<String>::new());
    }

    #[test]
    fn pagination_and_conventions_are_checked() {
        let list = |pagination: &str| {
            format!(
                r#"
  /orders:
    get:
      operationId: list_orders
      x-ordergate-pagination: {pagination}
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Status'}}}}}}}}
"#
            )
        };
        for accepted in [
            "{style: page_number, page: page, limit: limit, items: /data}",
            // No total: a page shorter than the page size is the last.
            "{style: offset, offset: offset, count: limit, items: ''}",
        ] {
            assert_eq!(
                violations(&list(accepted)),
                Vec::<String>::new(),
                "{accepted}"
            );
        }
        for (pagination, expected) in [
            (
                "{style: cursor}",
                "is not one of page_number, offset, laravel",
            ),
            ("{style: offset, offset: o, items: /i}", "needs \"count\""),
            (
                "{style: offset, offset: o, count: c, total: 3, items: /i}",
                "total is 3, not a JSON pointer",
            ),
            (
                "{style: laravel, page: p, next: /n, items: /i, extra: 1}",
                "unknown key \"extra\"",
            ),
            ("{page: p}", "needs a style"),
        ] {
            let found = violations(&list(pagination));
            assert!(
                found.len() == 1 && found[0].contains(expected),
                "{pagination}: {found:?}"
            );
        }
        let text = BASE.replace(
            "info: {title: t, version: \"1\"}",
            "info: {title: t, version: \"1\", x-ordergate-conventions: {retryable_statuses: [429, 700], rate_limit_reset: {header: X-Reset, reads_as: minutes}}}",
        );
        let spec = Spec::parse(Path::new("specs/test.yaml"), &format!("{text}  {{}}\n"))
            .expect("parses")
            .with_sources();
        let Err(CodegenError::Rules(found)) = check(&spec) else {
            panic!("bad conventions pass");
        };
        assert!(
            found[0].to_string().contains("700 is not an HTTP status"),
            "{found:?}"
        );
    }
}
