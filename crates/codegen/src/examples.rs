//! Every example in a spec, and a JSON-Schema validator for the spec's schemas.
//!
//! OpenAPI 3.0 schemas are not quite JSON Schema: `nullable: true` must become a `null` type,
//! `#/components/schemas/X` references must resolve, and OpenAPI-only keywords (`example`,
//! `discriminator`, `readOnly`, ...) must go. [`SchemaValidator`] does that translation once per
//! spec and validates against draft 4 (whose `exclusiveMinimum` matches OpenAPI 3.0's).
//!
//! Used by `cargo xtask codegen` (every example must validate), by `ordergate-tests` (every
//! example is a fixture) and by the sandbox tests (every sandbox response must validate).

use serde_json::{Map, Value, json};

use crate::{Spec, Violation};

/// Where an example sits in the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExampleKind {
    /// A request body example.
    Request,
    /// A response body example for this status key (`"200"`, `"4XX"`).
    Response(String),
    /// A parameter example, for the parameter of this name.
    Parameter(String),
    /// A component schema's own `example`.
    Schema(String),
}

/// One example value with the schema it must satisfy.
#[derive(Debug, Clone)]
pub struct Example {
    /// The operation it belongs to (empty for component schema examples).
    pub operation_id: String,
    /// `GET`, `POST`, ... (empty for component schema examples).
    pub method: String,
    /// The path template (empty for component schema examples).
    pub path: String,
    /// Request, response (with status), parameter or schema.
    pub kind: ExampleKind,
    /// The example's key in its `examples` map (`"example"` for a singular `example`).
    pub name: String,
    /// The example value.
    pub value: Value,
    /// The OpenAPI schema the value must satisfy (may be a `$ref`).
    pub schema: Value,
}

impl Example {
    /// The HTTP status of a response example (`"4XX"` gives 400), if it is one.
    pub fn status(&self) -> Option<u16> {
        match &self.kind {
            ExampleKind::Response(status) => status.parse().ok().or_else(|| {
                status
                    .get(..1)
                    .and_then(|d| d.parse::<u16>().ok())
                    .map(|d| d * 100)
            }),
            _ => None,
        }
    }

    /// A one-line label: `confirm_order 400 bad_request`.
    pub fn label(&self) -> String {
        let kind = match &self.kind {
            ExampleKind::Request => "request".to_owned(),
            ExampleKind::Response(status) => status.clone(),
            ExampleKind::Parameter(name) => format!("parameter {name}"),
            ExampleKind::Schema(name) => format!("schema {name}"),
        };
        format!("{} {kind} {}", self.operation_id, self.name)
            .trim()
            .to_owned()
    }
}

/// Every example in `spec`: request bodies, responses, parameters and component schemas.
pub fn examples(spec: &Spec) -> Vec<Example> {
    let mut found = Vec::new();
    for (method, path, operation) in spec.operations() {
        let operation_id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let mut push = |kind: ExampleKind, holder: &Value, schema: Option<&Value>| {
            let schema = schema.cloned().unwrap_or(Value::Bool(true));
            for (name, value) in holder_examples(spec, holder) {
                found.push(Example {
                    operation_id: operation_id.clone(),
                    method: method.to_uppercase(),
                    path: path.to_owned(),
                    kind: kind.clone(),
                    name,
                    value,
                    schema: schema.clone(),
                });
            }
        };
        if let Some(body) = operation.get("requestBody") {
            for media in media_types(spec.resolve(body)) {
                push(ExampleKind::Request, media, media.get("schema"));
            }
        }
        for parameter in operation
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let parameter = spec.resolve(parameter);
            let name = parameter
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            push(
                ExampleKind::Parameter(name.to_owned()),
                parameter,
                parameter.get("schema"),
            );
        }
        for (status, response) in operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for media in media_types(spec.resolve(response)) {
                push(
                    ExampleKind::Response(status.clone()),
                    media,
                    media.get("schema"),
                );
            }
        }
    }
    for (name, schema) in spec
        .raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(value) = schema.get("example") {
            found.push(Example {
                operation_id: String::new(),
                method: String::new(),
                path: String::new(),
                kind: ExampleKind::Schema(name.clone()),
                name: "example".to_owned(),
                value: value.clone(),
                schema: json!({ "$ref": format!("#/components/schemas/{name}") }),
            });
        }
    }
    found
}

fn media_types(holder: &Value) -> impl Iterator<Item = &Value> {
    holder
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|content| content.values())
}

/// `example` and every `examples.<name>.value` of a media type or parameter object.
fn holder_examples(spec: &Spec, holder: &Value) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    if let Some(value) = holder.get("example") {
        found.push(("example".to_owned(), value.clone()));
    }
    for (name, example) in holder
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(value) = spec.resolve(example).get("value") {
            found.push((name.clone(), value.clone()));
        }
    }
    found
}

/// Validates values against the schemas of one spec (OpenAPI 3.0 translated to draft 4).
#[derive(Debug, Clone)]
pub struct SchemaValidator {
    definitions: Value,
}

impl SchemaValidator {
    /// Translates the component schemas of `spec` once.
    pub fn new(spec: &Spec) -> Self {
        let definitions = spec
            .raw
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|schemas| {
                schemas
                    .iter()
                    .map(|(name, schema)| (name.clone(), to_json_schema(schema)))
                    .collect::<Map<_, _>>()
            })
            .unwrap_or_default();
        Self {
            definitions: Value::Object(definitions),
        }
    }

    /// Checks `value` against the OpenAPI `schema`; the error lists every violation.
    pub fn validate(&self, schema: &Value, value: &Value) -> Result<(), String> {
        let root = json!({
            "definitions": self.definitions,
            "allOf": [to_json_schema(schema)],
        });
        let validator = jsonschema::draft4::new(&root).map_err(|e| format!("bad schema: {e}"))?;
        let errors: Vec<String> = validator
            .iter_errors(value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("; "))
        }
    }

    /// Checks a response body of `operation_id` with HTTP `status` against the spec's schema
    /// for that status (an explicit code wins over its `4XX`-style range).
    pub fn validate_response(
        &self,
        spec: &Spec,
        operation_id: &str,
        status: u16,
        body: &Value,
    ) -> Result<(), String> {
        let (_, _, operation) = spec
            .operations()
            .into_iter()
            .find(|(_, _, op)| op.get("operationId").and_then(Value::as_str) == Some(operation_id))
            .ok_or_else(|| format!("no operation {operation_id}"))?;
        let responses = operation.get("responses").and_then(Value::as_object);
        let responses = responses.ok_or_else(|| format!("{operation_id} has no responses"))?;
        let range = format!("{}XX", status / 100);
        let response = responses
            .get(&status.to_string())
            .or_else(|| responses.get(&range))
            .ok_or_else(|| format!("{operation_id} documents no response {status}"))?;
        let schema = media_types(spec.resolve(response))
            .next()
            .and_then(|m| m.get("schema"))
            .ok_or_else(|| format!("{operation_id} {status} has no body schema"))?;
        self.validate(schema, body)
    }
}

/// Validates every example of `spec`; returns how many were checked.
pub fn validate_examples(spec: &Spec) -> Result<usize, Vec<Violation>> {
    let validator = SchemaValidator::new(spec);
    let all = examples(spec);
    let failures: Vec<Violation> = all
        .iter()
        .filter_map(|example| {
            validator
                .validate(&example.schema, &example.value)
                .err()
                .map(|message| Violation {
                    file: spec.path.clone(),
                    location: format!("example {}", example.label()),
                    message,
                })
        })
        .collect();
    if failures.is_empty() {
        Ok(all.len())
    } else {
        Err(failures)
    }
}

/// OpenAPI 3.0 schema object -> JSON Schema draft 4.
fn to_json_schema(schema: &Value) -> Value {
    let Value::Object(object) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in object {
        let converted = match key.as_str() {
            "$ref" => match value.as_str() {
                Some(r) => Value::String(r.replace("#/components/schemas/", "#/definitions/")),
                None => value.clone(),
            },
            "properties" | "patternProperties" => Value::Object(
                value
                    .as_object()
                    .map(|props| {
                        props
                            .iter()
                            .map(|(name, s)| (name.clone(), to_json_schema(s)))
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            "items" | "additionalProperties" | "not" => to_json_schema(value),
            "allOf" | "anyOf" | "oneOf" => Value::Array(
                value
                    .as_array()
                    .map(|items| items.iter().map(to_json_schema).collect())
                    .unwrap_or_default(),
            ),
            "nullable" | "example" | "examples" | "discriminator" | "readOnly" | "writeOnly"
            | "xml" | "externalDocs" | "deprecated" => continue,
            k if k.starts_with("x-") => continue,
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    if object.get("nullable") == Some(&Value::Bool(true)) {
        if let Some(Value::Array(values)) = out.get_mut("enum") {
            values.push(Value::Null);
        }
        match out.get("type").cloned() {
            Some(Value::String(t)) => {
                out.insert("type".into(), json!([t, "null"]));
            }
            Some(_) => {}
            None => {
                return json!({ "anyOf": [Value::Object(out), { "type": "null" }] });
            }
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "https://x.test", x-ordergate-environment: production}]
components:
  schemas:
    Order:
      type: object
      required: [id]
      properties:
        id: {type: string}
        note: {type: string, nullable: true}
        parent: {allOf: [{$ref: '#/components/schemas/Order'}], nullable: true}
paths:
  /orders:
    get:
      operationId: get_order
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
              examples:
                good: {value: {id: "1", note: null, parent: null}}
                bad: {value: {note: 5}}
"#;

    #[test]
    fn nullable_and_refs_are_translated_and_bad_examples_are_named() {
        let spec = Spec::parse(Path::new("t.yaml"), SPEC).expect("parses");
        let all = examples(&spec);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].status(), Some(200));
        let failures = validate_examples(&spec).expect_err("the bad example fails");
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].location, "example get_order 200 bad");
        assert!(
            failures[0]
                .message
                .contains("\"id\" is a required property"),
            "{}",
            failures[0].message
        );
    }
}
