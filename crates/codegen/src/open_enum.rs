//! Forward-compatible string enums (the async-stripe / smithy-rs design).
//!
//! typify turns `type: string, enum: [...]` into a closed Rust enum, so one new value from a
//! provider fails the whole response. Codegen replaces every component string enum with a
//! `#[non_exhaustive]` enum that has an `Unknown(String)` variant keeping the raw value.

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::Spec;

/// A component string enum, as the spec declares it.
#[derive(Debug, Clone)]
pub(crate) struct OpenEnum {
    pub name: String,
    pub description: Option<String>,
    pub values: Vec<String>,
}

/// Every `components/schemas/<Name>` that is a string enum.
pub(crate) fn collect(spec: &Spec) -> Vec<OpenEnum> {
    let Some(schemas) = spec
        .raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    schemas
        .iter()
        .filter_map(|(name, schema)| {
            let values = schema.get("enum")?.as_array()?;
            Some(OpenEnum {
                name: name.clone(),
                description: schema
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                values: values
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
            })
        })
        .collect()
}

/// The Rust variant name for a wire value: `READY_TO_SHIP` -> `ReadyToShip`.
pub(crate) fn variant_name(value: &str) -> String {
    let name = value.to_upper_camel_case();
    if name.starts_with(|c: char| c.is_ascii_digit()) || name.is_empty() {
        format!("V{name}")
    } else {
        name
    }
}

impl OpenEnum {
    /// Variant names, or a message when two values collide or one collides with `Unknown`.
    pub(crate) fn variants(&self) -> Result<Vec<String>, String> {
        let mut names: Vec<String> = Vec::with_capacity(self.values.len());
        for value in &self.values {
            let name = variant_name(value);
            if name == "Unknown" || names.contains(&name) {
                return Err(format!(
                    "enum {}: value {value:?} maps to the Rust variant {name}, which is taken",
                    self.name
                ));
            }
            names.push(name);
        }
        Ok(names)
    }

    /// The Rust items for this enum (placed into the generated `types` module).
    pub(crate) fn tokens(&self) -> Result<TokenStream, String> {
        let name = format_ident!("{}", self.name);
        let name_str = &self.name;
        let variants: Vec<_> = self
            .variants()?
            .iter()
            .map(|v| format_ident!("{v}"))
            .collect();
        let values = &self.values;
        let known_list = values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let doc = match &self.description {
            Some(description) => format!("{description}\n\nKnown values: {known_list}."),
            None => format!("Known values: {known_list}."),
        };
        let doc = format!(
            "{doc}\n\nForward-compatible: a value this version does not know decodes as \
             [`{name_str}::Unknown`] with the raw string kept."
        );
        let schema_description = doc.clone();
        let variant_docs = values.iter().map(|v| format!("`{v}`"));

        Ok(quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            pub enum #name {
                #( #[doc = #variant_docs] #variants, )*
                /// A value the spec does not document; the provider's raw string is kept.
                Unknown(::std::string::String),
            }

            impl #name {
                /// Every value the spec documents, in spec order.
                pub const KNOWN: &'static [Self] = &[ #( Self::#variants ),* ];

                /// The value exactly as the provider spells it.
                pub fn as_str(&self) -> &str {
                    match self {
                        #( Self::#variants => #values, )*
                        Self::Unknown(raw) => raw.as_str(),
                    }
                }

                /// Whether the provider sent a value the spec does not document.
                pub fn is_unknown(&self) -> bool {
                    matches!(self, Self::Unknown(_))
                }
            }

            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    match value {
                        #( #values => Self::#variants, )*
                        other => Self::Unknown(other.to_owned()),
                    }
                }
            }

            impl ::std::convert::From<::std::string::String> for #name {
                fn from(value: ::std::string::String) -> Self {
                    match value.as_str() {
                        #( #values => Self::#variants, )*
                        _ => Self::Unknown(value),
                    }
                }
            }

            impl ::std::convert::From<&::std::string::String> for #name {
                fn from(value: &::std::string::String) -> Self {
                    Self::from(value.as_str())
                }
            }

            impl ::std::str::FromStr for #name {
                type Err = ::std::convert::Infallible;
                fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                    Ok(Self::from(value))
                }
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    let raw = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                    Ok(Self::from(raw))
                }
            }

            impl ::schemars::JsonSchema for #name {
                fn schema_name() -> ::std::string::String {
                    #name_str.to_owned()
                }

                fn json_schema(_: &mut ::schemars::r#gen::SchemaGenerator) -> ::schemars::schema::Schema {
                    ::schemars::schema::SchemaObject {
                        instance_type: Some(::schemars::schema::InstanceType::String.into()),
                        metadata: Some(Box::new(::schemars::schema::Metadata {
                            description: Some(#schema_description.to_owned()),
                            examples: vec![ #( ::serde_json::Value::from(#values) ),* ],
                            ..Default::default()
                        })),
                        ..Default::default()
                    }
                    .into()
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_values_become_rust_variants() {
        assert_eq!(variant_name("READY_TO_SHIP"), "ReadyToShip");
        assert_eq!(variant_name("new_order"), "NewOrder");
        assert_eq!(variant_name("Y"), "Y");
        assert_eq!(variant_name("1"), "V1");
    }

    #[test]
    fn colliding_values_are_refused() {
        let open = OpenEnum {
            name: "Status".into(),
            description: None,
            values: vec!["on_hold".into(), "ON_HOLD".into()],
        };
        assert!(open.variants().is_err_and(|e| e.contains("OnHold")));
        let unknown = OpenEnum {
            name: "Status".into(),
            description: None,
            values: vec!["unknown".into()],
        };
        assert!(unknown.variants().is_err());
    }
}
