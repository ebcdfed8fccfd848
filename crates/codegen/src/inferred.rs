//! Shapes a spec marks `x-ordergate-inferred`: inferred from the provider's docs, never seen.
//!
//! The mark's text (why the shape is what it is) is carried to the user twice: appended to the
//! schema's or property's `description`, so it ends the generated type's or field's rustdoc
//! ([`mark_descriptions`]), and listed in the crate's `API.md` ([`inferred`]).
//!
//! That a property is required is a fact of its object's `required` list, so an assumed one
//! is marked on the object: [`REQUIRED_KEY`] lists `{property, reason}` entries. This is also
//! the only place OpenAPI 3.0 allows for a mark about a property that is a `$ref` (a `$ref`'s
//! siblings are ignored), and one place serves every property alike. It is a list, not a map
//! keyed by property: JSON Schema validators walk every key of a schema looking for ids, and
//! would read a map entry for a property named `id` as the schema's id (Redocly did).

use serde_json::Value;

use crate::Spec;

/// The extension that marks a shape as inferred; its value says from what.
pub(crate) const KEY: &str = "x-ordergate-inferred";

/// The extension on an object schema that marks some of its `required` properties as assumed
/// required: a list of `{property, reason}`.
pub(crate) const REQUIRED_KEY: &str = "x-ordergate-inferred-required";

/// One inferred shape: a component schema (`RatesData`) or one of its properties
/// (`NewParcel.width`), and the reason the spec gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Inferred {
    pub name: String,
    pub reason: String,
}

/// Every fact of `spec` marked inferred, wherever the mark sits, in document order: an
/// operation (`create_order()`), its parameters (`list_orders() parameter start_date`), request
/// body, responses (`create_order() 200`), response headers and examples
/// (`create_order() request example intl`), a component schema (`RatesData`), its properties at
/// any depth (`NewParcel.width`, `Tracking.tracking_msg_list[].message`), and the shared
/// responses, parameters and examples under `components`.
pub(crate) fn inferred(spec: &Spec) -> Vec<Inferred> {
    let mut found = Vec::new();
    if let Some(paths) = spec.raw.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (key, value) in item {
                if crate::HTTP_METHODS.contains(&key.as_str()) {
                    let id = value
                        .get("operationId")
                        .and_then(Value::as_str)
                        .map_or_else(|| format!("{} {path}", key.to_uppercase()), str::to_owned);
                    walk(value, &format!("{id}()"), Context::Operation, &mut found);
                } else if key == "parameters" {
                    walk(value, path, Context::Parameters, &mut found);
                }
            }
        }
    }
    if let Some(components) = spec.raw.get("components").and_then(Value::as_object) {
        for (kind, entries) in components {
            let Some(entries) = entries.as_object() else {
                continue;
            };
            for (name, value) in entries {
                let (label, context) = match kind.as_str() {
                    "schemas" => (name.clone(), Context::Schema),
                    "responses" => (format!("response {name}"), Context::Response),
                    "parameters" => (format!("parameter {name}"), Context::Parameter),
                    "examples" => (format!("example {name}"), Context::Example),
                    "headers" => (format!("header {name}"), Context::Parameter),
                    "requestBodies" => (format!("request {name}"), Context::Response),
                    _ => (format!("{kind} {name}"), Context::Other),
                };
                walk(value, &label, context, &mut found);
            }
        }
    }
    found
}

impl Spec {
    /// How many facts of this spec are marked `x-ordergate-inferred` (operations, responses,
    /// parameters, examples, schemas and their properties): the assumptions the spec makes
    /// beyond what the provider's documentation states.
    pub fn inferred_count(&self) -> usize {
        inferred(self).len()
    }
}

/// What kind of OpenAPI object a walked value is, which decides how its children are named.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Operation,
    Parameters,
    Parameter,
    Response,
    Example,
    Schema,
    Other,
}

/// Records `value`'s mark (named `name`) and walks its children.
fn walk(value: &Value, name: &str, context: Context, found: &mut Vec<Inferred>) {
    if context == Context::Parameters {
        for parameter in value.as_array().into_iter().flatten() {
            let label = parameter
                .get("name")
                .and_then(Value::as_str)
                .or_else(|| {
                    parameter
                        .get("$ref")
                        .and_then(Value::as_str)
                        .and_then(|r| r.rsplit('/').next())
                })
                .unwrap_or("?");
            walk(
                parameter,
                &format!("{name} parameter {label}"),
                Context::Parameter,
                found,
            );
        }
        return;
    }
    let Some(object) = value.as_object() else {
        return;
    };
    if let Some(reason) = reason(value) {
        found.push(Inferred {
            name: name.to_owned(),
            reason,
        });
    }
    if context == Context::Schema {
        for (property, reason) in required_marks(value) {
            found.push(Inferred {
                name: format!("{name}.{property} (required)"),
                reason,
            });
        }
    }
    for (key, child) in object {
        // Extensions are the spec's own notes, and example values are data, not facts.
        if key.starts_with("x-") || key == "example" || key == "value" {
            continue;
        }
        match (context, key.as_str()) {
            (Context::Operation, "parameters") => walk(child, name, Context::Parameters, found),
            (Context::Operation, "requestBody") => {
                walk(child, &format!("{name} request"), Context::Response, found);
            }
            (Context::Operation, "responses") => {
                for (status, response) in child.as_object().into_iter().flatten() {
                    walk(
                        response,
                        &format!("{name} {status}"),
                        Context::Response,
                        found,
                    );
                }
            }
            (Context::Response | Context::Parameter, "headers") => {
                for (header, value) in child.as_object().into_iter().flatten() {
                    walk(
                        value,
                        &format!("{name} header {header}"),
                        Context::Parameter,
                        found,
                    );
                }
            }
            (Context::Response | Context::Parameter, "content") => {
                for media in child.as_object().into_iter().flatten().map(|(_, m)| m) {
                    walk(media, name, context, found);
                }
            }
            (_, "examples") => {
                for (example, value) in child.as_object().into_iter().flatten() {
                    walk(
                        value,
                        &format!("{name} example {example}"),
                        Context::Example,
                        found,
                    );
                }
            }
            (Context::Response | Context::Parameter, "schema") => {
                walk(child, name, Context::Schema, found);
            }
            (Context::Schema, "properties") => {
                for (property, value) in child.as_object().into_iter().flatten() {
                    walk(value, &format!("{name}.{property}"), Context::Schema, found);
                }
            }
            (Context::Schema, "items") => walk(child, &format!("{name}[]"), Context::Schema, found),
            (Context::Schema, "additionalProperties") => {
                walk(child, &format!("{name}.*"), Context::Schema, found);
            }
            (Context::Schema, "oneOf" | "anyOf" | "allOf") => {
                for (index, variant) in child.as_array().into_iter().flatten().enumerate() {
                    walk(
                        variant,
                        &format!("{name} {key}[{index}]"),
                        Context::Schema,
                        found,
                    );
                }
            }
            _ => {}
        }
    }
}

/// Appends "Inferred, not seen in the provider's documentation: <reason>" to the `description`
/// of every inferred operation, operation parameter, component schema and property (at any
/// depth) of `raw` (the spec as progenitor will see it), so the generated rustdoc says which
/// facts are assumed. Returns how many it marked.
pub(crate) fn mark_descriptions(raw: &mut Value) -> usize {
    let mut marked = 0;
    if let Some(Value::Object(paths)) = raw.get_mut("paths") {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for (method, operation) in item.iter_mut() {
                if crate::HTTP_METHODS.contains(&method.as_str()) {
                    marked += mark(operation);
                    if let Some(Value::Array(parameters)) = operation.get_mut("parameters") {
                        marked += parameters.iter_mut().map(mark).sum::<usize>();
                    }
                }
            }
        }
    }
    if let Some(Value::Object(schemas)) = raw.pointer_mut("/components/schemas") {
        marked += schemas.values_mut().map(mark_schema).sum::<usize>();
    }
    marked
}

/// Marks `schema` and, below it, every property and array item. An assumed-required property
/// ([`REQUIRED_KEY`]) is named in its object's description, and in its own unless it is a
/// `$ref` (whose siblings progenitor ignores).
fn mark_schema(schema: &mut Value) -> usize {
    let mut marked = mark(schema);
    let required = required_marks(schema);
    if !required.is_empty() {
        let lines: Vec<String> = required
            .iter()
            .map(|(property, reason)| format!("- `{property}`: {reason}"))
            .collect();
        append(
            schema,
            &format!(
                "**Inferred** to be required, not seen in the provider's documentation:\n{}",
                lines.join("\n")
            ),
        );
        marked += required.len();
        for (property, reason) in &required {
            if let Some(property) = schema.pointer_mut(&format!(
                "/properties/{}",
                crate::rules::escape_pointer(property)
            )) && property.get("$ref").is_none()
            {
                append(
                    property,
                    &format!(
                        "**Inferred** to be required, not seen in the provider's documentation: {reason}"
                    ),
                );
            }
        }
    }
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        marked += properties.values_mut().map(mark_schema).sum::<usize>();
    }
    if let Some(items) = schema.get_mut("items") {
        marked += mark_schema(items);
    }
    marked
}

fn mark(schema: &mut Value) -> usize {
    let Some(reason) = reason(schema) else {
        return 0;
    };
    append(
        schema,
        &format!("**Inferred**, not seen in the provider's documentation: {reason}"),
    );
    1
}

/// Appends a paragraph to `schema`'s `description` (makes one if it has none).
fn append(schema: &mut Value, paragraph: &str) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    let description = object
        .get("description")
        .and_then(Value::as_str)
        .map(|d| format!("{}\n\n", d.trim_end()))
        .unwrap_or_default();
    object.insert(
        "description".into(),
        Value::String(format!("{description}{paragraph}")),
    );
}

fn reason(schema: &Value) -> Option<String> {
    Some(one_line(schema.get(KEY)?.as_str()?))
}

/// `text` with every run of whitespace made one space.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The assumed-required properties `schema` marks ([`REQUIRED_KEY`]), with their reasons.
fn required_marks(schema: &Value) -> Vec<(String, String)> {
    schema
        .get(REQUIRED_KEY)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let property = entry.get("property")?.as_str()?;
            Some((
                property.to_owned(),
                one_line(entry.get("reason")?.as_str()?),
            ))
        })
        .collect()
}

/// Where `spec` misplaces a mark: an [`REQUIRED_KEY`] that is not a list of reasons for
/// properties the object both has and requires, or any `x-` extension beside a `$ref` (OpenAPI
/// 3.0 ignores a `$ref`'s siblings, so such a mark would say nothing to any other tool).
pub(crate) fn violations(spec: &Spec) -> Vec<(String, String)> {
    let mut found = Vec::new();
    crate::rules::for_each_object(&spec.raw, "", &mut |object, pointer| {
        misplaced(object, pointer, &mut found);
    });
    found
}

/// The misplaced marks of one object of the spec (at `pointer`).
fn misplaced(
    object: &serde_json::Map<String, Value>,
    pointer: &str,
    found: &mut Vec<(String, String)>,
) {
    if object.contains_key("$ref") {
        for key in object.keys().filter(|key| key.starts_with("x-")) {
            found.push((
                format!("{pointer}/{key}"),
                format!(
                    "`{key}` beside a `$ref` is ignored by OpenAPI 3.0: mark the object that holds the property (`{REQUIRED_KEY}` for an assumed-required one) or the referenced schema"
                ),
            ));
        }
    }
    let Some(marks) = object.get(REQUIRED_KEY) else {
        return;
    };
    let at = format!("{pointer}/{REQUIRED_KEY}");
    if !marks.is_array() {
        found.push((at.clone(), "must be a list of {property, reason}".into()));
    }
    let required: Vec<&str> = object
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for (index, entry) in marks.as_array().into_iter().flatten().enumerate() {
        let at = format!("{at}/{index}");
        let reason = entry.get("reason").and_then(Value::as_str);
        if reason.is_none_or(|r| r.trim().is_empty()) {
            found.push((at.clone(), "the reason must be a non-empty string".into()));
        }
        let Some(property) = entry.get("property").and_then(Value::as_str) else {
            found.push((at, "names no `property`".into()));
            continue;
        };
        if object
            .get("properties")
            .and_then(|p| p.get(property))
            .is_none()
        {
            found.push((at, format!("`{property}` is not a property of this object")));
        } else if !required.contains(&property) {
            found.push((
                at,
                format!("`{property}` is not in this object's `required`"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    post:
      operationId: make_thing
      description: Makes a thing.
      x-ordergate-inferred: The path.
      parameters:
        - {name: size, in: query, schema: {type: integer, minimum: 1}, x-ordergate-inferred: No page gives a minimum.}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Seen'}
            examples:
              made_up: {summary: Illustrative., value: {a: x, x-ordergate-inferred: data}, x-ordergate-inferred: Not from a page.}
      responses:
        '200':
          description: Made.
          x-ordergate-inferred: The body.
          headers:
            X-Left: {schema: {type: integer}, x-ordergate-inferred: Said for errors only.}
components:
  schemas:
    Seen:
      type: object
      description: Seen.
      properties:
        a: {type: string, description: A.}
        list: {type: array, items: {type: object, properties: {when: {type: string, x-ordergate-inferred: A format in prose.}}}}
    Guess:
      type: object
      description: A guess.
      x-ordergate-inferred: >-
        Never shown;
        modelled on Seen.
      required: [b, seen]
      x-ordergate-inferred-required:
        - {property: b, reason: Always in the sample.}
        - {property: seen, reason: Its  only field.}
      properties:
        b: {type: string, x-ordergate-inferred: Cut off.}
        seen: {$ref: '#/components/schemas/Seen'}
"#;

    #[test]
    fn inferred_facts_are_listed_wherever_they_sit_and_end_their_description() {
        let spec = Spec::parse(Path::new("specs/t.yaml"), SPEC).expect("parses");
        assert_eq!(
            inferred(&spec),
            [
                Inferred {
                    name: "make_thing()".into(),
                    reason: "The path.".into()
                },
                Inferred {
                    name: "make_thing() parameter size".into(),
                    reason: "No page gives a minimum.".into()
                },
                Inferred {
                    name: "make_thing() request example made_up".into(),
                    reason: "Not from a page.".into()
                },
                Inferred {
                    name: "make_thing() 200".into(),
                    reason: "The body.".into()
                },
                Inferred {
                    name: "make_thing() 200 header X-Left".into(),
                    reason: "Said for errors only.".into()
                },
                Inferred {
                    name: "Guess".into(),
                    reason: "Never shown; modelled on Seen.".into()
                },
                Inferred {
                    name: "Guess.b (required)".into(),
                    reason: "Always in the sample.".into()
                },
                Inferred {
                    name: "Guess.seen (required)".into(),
                    reason: "Its only field.".into()
                },
                Inferred {
                    name: "Guess.b".into(),
                    reason: "Cut off.".into()
                },
                Inferred {
                    name: "Seen.list[].when".into(),
                    reason: "A format in prose.".into()
                },
            ]
        );
        assert_eq!(spec.inferred_count(), 10);
        assert_eq!(violations(&spec), []);
        let mut raw = spec.raw.clone();
        assert_eq!(mark_descriptions(&mut raw), 7);
        assert_eq!(
            raw.pointer(
                "/components/schemas/Seen/properties/list/items/properties/when/description"
            ),
            Some(&Value::from(
                "**Inferred**, not seen in the provider's documentation: A format in prose."
            ))
        );
        assert_eq!(
            raw.pointer("/paths/~1things/post/description"),
            Some(&Value::from(
                "Makes a thing.\n\n**Inferred**, not seen in the provider's documentation: The path."
            ))
        );
        assert_eq!(
            raw.pointer("/components/schemas/Guess/description"),
            Some(&Value::from(
                "A guess.\n\n**Inferred**, not seen in the provider's documentation: Never shown; modelled on Seen.\n\n**Inferred** to be required, not seen in the provider's documentation:\n- `b`: Always in the sample.\n- `seen`: Its only field."
            ))
        );
        assert_eq!(
            raw.pointer("/components/schemas/Guess/properties/b/description"),
            Some(&Value::from(
                "**Inferred** to be required, not seen in the provider's documentation: Always in the sample.\n\n**Inferred**, not seen in the provider's documentation: Cut off."
            ))
        );
        // A `$ref`'s siblings are ignored, so the referenced property gets no description.
        assert_eq!(
            raw.pointer("/components/schemas/Guess/properties/seen"),
            Some(&serde_json::json!({"$ref": "#/components/schemas/Seen"}))
        );
        assert_eq!(
            raw.pointer("/components/schemas/Seen/description"),
            Some(&Value::from("Seen."))
        );
    }

    #[test]
    fn misplaced_marks_are_refused() {
        let spec = Spec::parse(
            Path::new("specs/t.yaml"),
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Seen: {type: string, description: Seen.}
    Holder:
      type: object
      description: Holds.
      required: [a]
      x-ordergate-inferred-required:
        - {property: a, reason: Fine.}
        - {property: b, reason: Optional here.}
        - {property: c, reason: No such property.}
        - {property: d, reason: ""}
        - {reason: Whose?}
      properties:
        a: {type: string}
        b: {type: string}
        d: {type: string}
        seen:
          $ref: '#/components/schemas/Seen'
          x-ordergate-inferred: Beside a reference.
    Odd:
      type: object
      description: Odd.
      x-ordergate-inferred-required: {a: A map.}
      properties:
        a: {type: string}
"#,
        )
        .expect("parses");
        let found = violations(&spec);
        let at: Vec<&str> = found.iter().map(|(at, _)| at.as_str()).collect();
        assert_eq!(
            at,
            [
                "/components/schemas/Holder/x-ordergate-inferred-required/1",
                "/components/schemas/Holder/x-ordergate-inferred-required/2",
                "/components/schemas/Holder/x-ordergate-inferred-required/3",
                "/components/schemas/Holder/x-ordergate-inferred-required/3",
                "/components/schemas/Holder/x-ordergate-inferred-required/4",
                "/components/schemas/Holder/properties/seen/x-ordergate-inferred",
                "/components/schemas/Odd/x-ordergate-inferred-required",
            ],
            "{found:?}"
        );
        assert!(found[0].1.contains("not in this object's `required`"));
        assert!(found[1].1.contains("not a property"));
        assert!(found[2].1.contains("non-empty"));
        assert!(found[4].1.contains("names no `property`"));
        assert!(found[5].1.contains("beside a `$ref`"));
        assert!(found[6].1.contains("must be a list"));
        // The rules report them too, so generation stops.
        assert!(crate::rules::check(&spec).is_err());
    }
}
