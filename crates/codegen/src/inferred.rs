//! Shapes a spec marks `x-ordergate-inferred`: inferred from the provider's docs, never seen.
//!
//! The mark's text (why the shape is what it is) is carried to the user twice: appended to the
//! schema's or property's `description`, so it ends the generated type's or field's rustdoc
//! ([`mark_descriptions`]), and listed in the crate's `API.md` ([`inferred`]).

use serde_json::Value;

use crate::Spec;

/// The extension that marks a shape as inferred; its value says from what.
pub(crate) const KEY: &str = "x-ordergate-inferred";

/// One inferred shape: a component schema (`RatesData`) or one of its properties
/// (`NewParcel.width`), and the reason the spec gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Inferred {
    pub name: String,
    pub reason: String,
}

/// Every inferred operation (`create_order()`), operation response (`create_order() 200`),
/// component schema and property of `spec`, in spec order.
pub(crate) fn inferred(spec: &Spec) -> Vec<Inferred> {
    let mut found = Vec::new();
    for operation in operations(&spec.raw) {
        let id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if let Some(reason) = reason(operation) {
            found.push(Inferred {
                name: format!("{id}()"),
                reason,
            });
        }
        for (status, response) in responses(operation) {
            if let Some(reason) = reason(response) {
                found.push(Inferred {
                    name: format!("{id}() {status}"),
                    reason,
                });
            }
        }
    }
    for (name, schema) in schemas(&spec.raw) {
        if let Some(reason) = reason(schema) {
            found.push(Inferred {
                name: name.clone(),
                reason,
            });
        }
        for (property, value) in properties(schema) {
            if let Some(reason) = reason(value) {
                found.push(Inferred {
                    name: format!("{name}.{property}"),
                    reason,
                });
            }
        }
    }
    found
}

/// Appends "Inferred, not seen in the provider's documentation: <reason>" to the `description`
/// of every inferred component schema and property of `raw` (the spec as progenitor will see
/// it), so the generated rustdoc says which shapes are guesses. Returns how many it marked.
pub(crate) fn mark_descriptions(raw: &mut Value) -> usize {
    let mut marked = 0;
    if let Some(Value::Object(paths)) = raw.get_mut("paths") {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for (method, operation) in item.iter_mut() {
                if METHODS.contains(&method.as_str()) {
                    marked += mark(operation);
                }
            }
        }
    }
    let Some(Value::Object(schemas)) = raw.pointer_mut("/components/schemas") else {
        return 0;
    };
    for schema in schemas.values_mut() {
        marked += mark(schema);
        if let Some(Value::Object(properties)) = schema.get_mut("properties") {
            for property in properties.values_mut() {
                marked += mark(property);
            }
        }
    }
    marked
}

fn mark(schema: &mut Value) -> usize {
    let Some(reason) = reason(schema) else {
        return 0;
    };
    let Some(object) = schema.as_object_mut() else {
        return 0;
    };
    let description = object
        .get("description")
        .and_then(Value::as_str)
        .map(|d| format!("{}\n\n", d.trim_end()))
        .unwrap_or_default();
    object.insert(
        "description".into(),
        Value::String(format!(
            "{description}**Inferred**, not seen in the provider's documentation: {reason}"
        )),
    );
    1
}

fn reason(schema: &Value) -> Option<String> {
    let text = schema.get(KEY)?.as_str()?.split_whitespace();
    Some(text.collect::<Vec<_>>().join(" "))
}

/// The HTTP methods a path item may hold (its other keys are parameters, servers, ...).
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn operations(raw: &Value) -> impl Iterator<Item = &Value> {
    raw.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(_, item)| item.as_object())
        .flat_map(|item| {
            item.iter()
                .filter(|(method, _)| METHODS.contains(&method.as_str()))
                .map(|(_, operation)| operation)
        })
}

fn responses(operation: &Value) -> impl Iterator<Item = (&String, &Value)> {
    operation
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
}

fn schemas(raw: &Value) -> impl Iterator<Item = (&String, &Value)> {
    raw.pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
}

fn properties(schema: &Value) -> impl Iterator<Item = (&String, &Value)> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
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
      responses:
        '200': {description: Made., x-ordergate-inferred: The body.}
components:
  schemas:
    Seen: {type: object, description: Seen., properties: {a: {type: string, description: A.}}}
    Guess:
      type: object
      description: A guess.
      x-ordergate-inferred: >-
        Never shown;
        modelled on Seen.
      properties:
        b: {type: string, x-ordergate-inferred: Cut off.}
"#;

    #[test]
    fn inferred_shapes_are_listed_and_end_their_description() {
        let spec = Spec::parse(Path::new("specs/t.yaml"), SPEC).expect("parses");
        assert_eq!(
            inferred(&spec),
            [
                Inferred {
                    name: "make_thing()".into(),
                    reason: "The path.".into()
                },
                Inferred {
                    name: "make_thing() 200".into(),
                    reason: "The body.".into()
                },
                Inferred {
                    name: "Guess".into(),
                    reason: "Never shown; modelled on Seen.".into()
                },
                Inferred {
                    name: "Guess.b".into(),
                    reason: "Cut off.".into()
                },
            ]
        );
        let mut raw = spec.raw.clone();
        assert_eq!(mark_descriptions(&mut raw), 3);
        assert_eq!(
            raw.pointer("/paths/~1things/post/description"),
            Some(&Value::from(
                "Makes a thing.\n\n**Inferred**, not seen in the provider's documentation: The path."
            ))
        );
        assert_eq!(
            raw.pointer("/components/schemas/Guess/description"),
            Some(&Value::from(
                "A guess.\n\n**Inferred**, not seen in the provider's documentation: Never shown; modelled on Seen."
            ))
        );
        assert_eq!(
            raw.pointer("/components/schemas/Guess/properties/b/description"),
            Some(&Value::from(
                "**Inferred**, not seen in the provider's documentation: Cut off."
            ))
        );
        assert_eq!(
            raw.pointer("/components/schemas/Seen/description"),
            Some(&Value::from("Seen."))
        );
    }
}
