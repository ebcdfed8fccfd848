//! Known codes of an integer schema, as data (`x-ordergate-codes`).
//!
//! A provider that sends a number whose meaning its docs give in a table (Tata 1mg's order
//! status 15 … 180) keeps the number as it is: a new code must still decode. The spec lists
//! the known ones under the schema:
//!
//! ```yaml
//! OrderStatusId:
//!   type: integer
//!   x-ordergate-codes:
//!     - {code: 15, name: placed, meaning: Placed}
//! ```
//!
//! and codegen adds to typify's newtype one constant per code (`OrderStatusId::PLACED`),
//! the whole table (`OrderStatusId::KNOWN`) and lookups (`name()`, `meaning()`), so the table
//! lives in one place: the spec.

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::Spec;

/// The extension that lists an integer schema's known codes.
pub(crate) const EXTENSION: &str = "x-ordergate-codes";

/// One known code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Code {
    pub code: i64,
    pub name: String,
    pub meaning: String,
}

/// A component integer schema with its known codes.
#[derive(Debug, Clone)]
pub(crate) struct Codes {
    pub schema: String,
    pub codes: Vec<Code>,
}

/// Every `components/schemas/<Name>` with `x-ordergate-codes`, or what is wrong with one
/// (`(pointer, message)`, for the house rules).
pub(crate) fn collect(spec: &Spec) -> Result<Vec<Codes>, Vec<(String, String)>> {
    let Some(schemas) = spec
        .raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for (schema, value) in schemas {
        let Some(list) = value.get(EXTENSION) else {
            continue;
        };
        let pointer = format!("/components/schemas/{schema}/{EXTENSION}");
        if value.get("type").and_then(Value::as_str) != Some("integer") {
            problems.push((
                pointer.clone(),
                "only an integer schema can list codes".into(),
            ));
            continue;
        }
        match parse(list) {
            Ok(codes) => found.push(Codes {
                schema: schema.clone(),
                codes,
            }),
            Err(message) => problems.push((pointer, message)),
        }
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}

/// The list, checked: each entry `{code: <integer>, name: <snake_case>, meaning: <text>}`,
/// no code and no name twice.
fn parse(list: &Value) -> Result<Vec<Code>, String> {
    let entries = list
        .as_array()
        .filter(|entries| !entries.is_empty())
        .ok_or("must be a non-empty list of {code, name, meaning}")?;
    let mut codes: Vec<Code> = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let code = entry
            .get("code")
            .and_then(Value::as_i64)
            .ok_or_else(|| format!("entry {index}: `code` must be an integer"))?;
        let name = entry
            .get("name")
            .and_then(Value::as_str)
            .filter(|name| is_snake_case(name))
            .ok_or_else(|| format!("entry {index}: `name` must be snake_case (a-z, 0-9, _)"))?;
        let meaning = entry
            .get("meaning")
            .and_then(Value::as_str)
            .filter(|meaning| !meaning.trim().is_empty())
            .ok_or_else(|| format!("entry {index}: `meaning` must be a non-empty string"))?;
        if let Some(taken) = codes.iter().find(|c| c.code == code || c.name == name) {
            return Err(format!(
                "entry {index}: code {code} or name {name:?} is already listed (as {} {:?})",
                taken.code, taken.name
            ));
        }
        codes.push(Code {
            code,
            name: name.to_owned(),
            meaning: meaning.to_owned(),
        });
    }
    Ok(codes)
}

fn is_snake_case(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl Codes {
    /// The `impl` block added to the schema's newtype.
    pub(crate) fn tokens(&self) -> TokenStream {
        let ty = format_ident!("{}", self.schema);
        let constants = self.codes.iter().map(|code| {
            let ident = format_ident!("{}", code.name.to_shouty_snake_case());
            let value = code.code;
            let doc = format!("`{value}`: {}.", code.meaning.trim_end_matches('.'));
            quote! {
                #[doc = #doc]
                pub const #ident: Self = Self(#value);
            }
        });
        let rows = self.codes.iter().map(|code| {
            let (value, name, meaning) = (code.code, &code.name, &code.meaning);
            quote! { (#value, #name, #meaning) }
        });
        let known_doc = format!(
            "Every code the spec lists for `{}`, as `(code, name, meaning)`, in the spec's order.",
            self.schema
        );
        quote! {
            impl #ty {
                #(#constants)*

                #[doc = #known_doc]
                pub const KNOWN: &'static [(i64, &'static str, &'static str)] = &[#(#rows),*];

                /// This code's `(code, name, meaning)` row of [`Self::KNOWN`]; `None` for a code
                /// the spec does not list (it still decodes).
                pub fn known(&self) -> ::std::option::Option<&'static (i64, &'static str, &'static str)> {
                    Self::KNOWN.iter().find(|(code, _, _)| *code == self.0)
                }

                /// This code's name in the spec (`placed`), when the spec lists it.
                pub fn name(&self) -> ::std::option::Option<&'static str> {
                    self.known().map(|(_, name, _)| *name)
                }

                /// What this code means, as the provider's docs word it, when the spec lists it.
                pub fn meaning(&self) -> ::std::option::Option<&'static str> {
                    self.known().map(|(_, _, meaning)| *meaning)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn parses_a_well_formed_list() {
        let codes = parse(&json!([
            {"code": 15, "name": "placed", "meaning": "Placed"},
            {"code": 99, "name": "cancelled", "meaning": "Cancelled"},
        ]))
        .expect("well formed");
        assert_eq!(codes.len(), 2);
        assert_eq!(codes[1].code, 99);
        let tokens = Codes {
            schema: "OrderStatusId".into(),
            codes,
        }
        .tokens()
        .to_string();
        assert!(
            tokens.contains("pub const PLACED : Self = Self (15i64)"),
            "{tokens}"
        );
        assert!(
            tokens.contains("(99i64 , \"cancelled\" , \"Cancelled\")"),
            "{tokens}"
        );
    }

    #[test]
    fn refuses_what_is_not_a_code_table() {
        for (list, expected) in [
            (json!([]), "non-empty"),
            (json!({"code": 1}), "non-empty"),
            (
                json!([{"code": "15", "name": "a", "meaning": "A"}]),
                "`code` must be an integer",
            ),
            (
                json!([{"code": 15, "name": "Placed", "meaning": "A"}]),
                "snake_case",
            ),
            (
                json!([{"code": 15, "name": "a", "meaning": " "}]),
                "`meaning`",
            ),
            (
                json!([{"code": 15, "name": "a", "meaning": "A"}, {"code": 15, "name": "b", "meaning": "B"}]),
                "already listed",
            ),
            (
                json!([{"code": 15, "name": "a", "meaning": "A"}, {"code": 16, "name": "a", "meaning": "B"}]),
                "already listed",
            ),
        ] {
            let message = parse(&list).expect_err("refused");
            assert!(message.contains(expected), "{list}: {message}");
        }
    }
}
