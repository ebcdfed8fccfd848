//! The spec's model of each answer, for the runtime's drift reports
//! (`ordergate_runtime::drift`): a `Shape` static per component schema, one per operation
//! response, the `drift_shape(operation, status)` lookup and the client's `DRIFT` model.
//!
//! Only what drift needs is kept: the members each object lists (and requires, and whether it
//! is `x-ordergate-inferred`), string enums, code tables (`x-ordergate-codes`), arrays and
//! maps. Compositions (`allOf`, `oneOf`, `anyOf`) and scalars are `Shape::Any`: nothing is
//! reported inside them.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::Spec;
use crate::inferred::KEY as INFERRED;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// The drift items of `spec`'s client.
pub(crate) fn tokens(spec: &Spec) -> TokenStream {
    let mut shapes = Shapes {
        spec,
        components: BTreeMap::new(),
        items: Vec::new(),
    };
    let mut arms = Vec::new();
    for (index, (_, _, operation)) in spec.operations().into_iter().enumerate() {
        let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        let operation_inferred = operation.get(INFERRED).is_some();
        let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
            continue;
        };
        for (status, response) in responses {
            let Ok(code) = status.parse::<u16>() else {
                continue;
            };
            let response_inferred = operation_inferred || response.get(INFERRED).is_some();
            let response = spec.resolve(response);
            let Some(schema) = response.pointer("/content/application~1json/schema") else {
                continue;
            };
            let name = ident(&format!("DRIFT_{index}_{code}"));
            let value = if response_inferred {
                shapes.value(spec.resolve(schema), true, 0)
            } else {
                shapes.value(schema, false, 0)
            };
            shapes.items.push(quote! {
                static #name: ::ordergate_runtime::drift::Shape = #value;
            });
            arms.push(quote! { (#id, #code) => Some(&#name), });
        }
    }
    let items = shapes.items;
    quote! {
        /// What the spec models of each answer, for `ordergate::drift` reports (see
        /// `ordergate_runtime::drift`).
        pub static DRIFT: ::ordergate_runtime::drift::Model = ::ordergate_runtime::drift::Model {
            provider: CONVENTIONS.provider,
            shape_of: drift_shape,
        };

        /// The shape of the answer of `operation` with `status`, when the spec models one.
        fn drift_shape(operation: &str, status: u16) -> Option<&'static ::ordergate_runtime::drift::Shape> {
            match (operation, status) {
                #(#arms)*
                _ => None,
            }
        }

        #(#items)*
    }
}

struct Shapes<'a> {
    spec: &'a Spec,
    /// Component name → the static holding its shape (made on first use).
    components: BTreeMap<String, Ident>,
    items: Vec<TokenStream>,
}

impl Shapes<'_> {
    /// An expression of type `&'static Shape` for `schema`.
    fn reference(&mut self, schema: &Value, depth: usize) -> TokenStream {
        if let Some(name) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix(SCHEMA_PREFIX))
        {
            return self.component(name);
        }
        let value = self.value(schema, false, depth + 1);
        quote!(&#value)
    }

    /// `&NAME`, the static of component schema `name`, made on first use.
    fn component(&mut self, name: &str) -> TokenStream {
        if let Some(ident) = self.components.get(name) {
            return quote!(&#ident);
        }
        let ident = ident(&format!("DRIFT_SCHEMA_{}", self.components.len()));
        // Registered before its value is made, so a schema that refers to itself ends.
        self.components.insert(name.to_owned(), ident.clone());
        let pointer = format!(
            "/components/schemas/{}",
            name.replace('~', "~0").replace('/', "~1")
        );
        let schema = self
            .spec
            .raw
            .pointer(&pointer)
            .cloned()
            .unwrap_or(Value::Null);
        let value = self.value(&schema, false, 0);
        self.items.push(quote! {
            static #ident: ::ordergate_runtime::drift::Shape = #value;
        });
        quote!(&#ident)
    }

    /// An expression of type `Shape` for `schema` (`inferred`: marked inferred from outside).
    fn value(&mut self, schema: &Value, inferred: bool, depth: usize) -> TokenStream {
        if depth > 24 {
            return quote!(::ordergate_runtime::drift::Shape::Any);
        }
        if schema.get("$ref").is_some() {
            let resolved = self.spec.resolve(schema).clone();
            if resolved.get("$ref").is_some() {
                return quote!(::ordergate_runtime::drift::Shape::Any);
            }
            return self.value(&resolved, inferred, depth + 1);
        }
        let inferred = inferred || schema.get(INFERRED).is_some();
        if let Some(codes) = schema
            .get(crate::codes::EXTENSION)
            .and_then(Value::as_array)
        {
            let codes: Vec<i64> = codes
                .iter()
                .filter_map(|entry| entry.get("code").and_then(Value::as_i64))
                .collect();
            return quote!(::ordergate_runtime::drift::Shape::Codes(&[#(#codes),*]));
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let values: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
            if values.is_empty() {
                return quote!(::ordergate_runtime::drift::Shape::Any);
            }
            return quote!(::ordergate_runtime::drift::Shape::Enum(&[#(#values),*]));
        }
        if ["allOf", "oneOf", "anyOf"]
            .iter()
            .any(|key| schema.get(*key).is_some())
        {
            return quote!(::ordergate_runtime::drift::Shape::Any);
        }
        if let Some(items) = schema.get("items") {
            let items = self.reference(items, depth);
            return quote!(::ordergate_runtime::drift::Shape::Array(#items));
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            let mut members = Vec::new();
            for (name, property) in properties {
                let shape = self.reference(property, depth);
                members.push(quote!((#name, #shape)));
            }
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|names| names.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            return quote! {
                ::ordergate_runtime::drift::Shape::Object {
                    properties: &[#(#members),*],
                    required: &[#(#required),*],
                    inferred: #inferred,
                }
            };
        }
        if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
            let values = self.reference(values, depth);
            return quote!(::ordergate_runtime::drift::Shape::Map(#values));
        }
        quote!(::ordergate_runtime::drift::Shape::Any)
    }
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}
