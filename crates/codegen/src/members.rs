//! Docs for the members progenitor and typify leave bare, so that each provider crate can
//! forbid `missing_docs`: struct fields whose schema has no `description` (mostly a `$ref` to
//! another schema: `sender`, `data`, `extra`), enum variants, the methods of typify's type
//! builders and of progenitor's request builders, the modules they sit in, and the httpmock
//! helpers (`mock.rs`).
//!
//! Every sentence is built from what the generated code itself says: a field's doc names its
//! type and takes that type's first sentence; a setter names the field or parameter it sets
//! and links to it. [`document_members`] documents the client, [`document_mock_members`] the
//! mock; each returns what it could not document (nothing, unless a progenitor upgrade adds a
//! new kind of member), and generation fails on any.

use std::collections::BTreeMap;

use heck::ToSnakeCase as _;
use quote::ToTokens as _;

use crate::docs::doc_text;

/// Documents the bare members of the generated client `file`. Returns the members it could
/// not document, as `module::Type::member`.
pub(crate) fn document_members(file: &mut syn::File) -> Vec<String> {
    let summaries = type_summaries(file);
    let mut missed = Vec::new();
    visit(&mut file.items, "", &summaries, &mut missed);
    missed
}

/// Documents the bare members of the generated httpmock helpers `file` (`operations::*When`,
/// `*Then`, `MockServerExt`). `routes` maps each operation id to `METHOD /path`.
pub(crate) fn document_mock_members(
    file: &mut syn::File,
    routes: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut missed = Vec::new();
    for item in &mut file.items {
        match item {
            syn::Item::Trait(ext) if ext.ident == "MockServerExt" => {
                for member in &mut ext.items {
                    let syn::TraitItem::Fn(method) = member else {
                        continue;
                    };
                    if has_doc(&method.attrs) {
                        continue;
                    }
                    let id = method.sig.ident.to_string();
                    let camel = heck::ToUpperCamelCase::to_upper_camel_case(id.as_str());
                    let route = routes
                        .get(&id)
                        .map_or(String::new(), |r| format!(" (`{r}`)"));
                    add_doc(
                        &mut method.attrs,
                        &format!(
                            "Mocks `{id}`{route}: `config_fn` receives what the request must \
                             look like ([`{camel}When`](operations::{camel}When)) and the \
                             answer to give ([`{camel}Then`](operations::{camel}Then))."
                        ),
                    );
                }
            }
            syn::Item::Mod(module) if module.ident == "operations" => {
                let Some((_, items)) = module.content.as_mut() else {
                    continue;
                };
                for item in items {
                    let syn::Item::Impl(block) = item else {
                        continue;
                    };
                    let Some(owner) = self_name(block) else {
                        continue;
                    };
                    for member in &mut block.items {
                        let syn::ImplItem::Fn(method) = member else {
                            continue;
                        };
                        if !is_pub(&method.vis) || has_doc(&method.attrs) {
                            continue;
                        }
                        match mock_method_doc(&owner, method) {
                            Some(doc) => add_doc(&mut method.attrs, &doc),
                            None => missed
                                .push(format!("mock::operations::{owner}::{}", method.sig.ident)),
                        }
                    }
                }
            }
            _ => {}
        }
    }
    missed
}

fn mock_method_doc(owner: &str, method: &syn::ImplItemFn) -> Option<String> {
    let name = method.sig.ident.to_string();
    let when = owner.ends_with("When");
    let inner = if when { "When" } else { "Then" };
    Some(match name.as_str() {
        "new" if when => "Wraps an [`httpmock::When`], matching this operation's method and \
                          path."
            .to_owned(),
        "new" => "Wraps an [`httpmock::Then`].".to_owned(),
        "into_inner" => {
            format!("The wrapped [`httpmock::{inner}`], to match or answer anything else.")
        }
        "body" if when => "Matches a request whose JSON body equals `value`.".to_owned(),
        _ if when => {
            let optional = method
                .sig
                .generics
                .params
                .iter()
                .any(|param| matches!(param, syn::GenericParam::Type(t) if t.ident == "T"));
            let absent = if optional {
                " (`None`: a request without it)"
            } else {
                ""
            };
            format!("Matches a request whose `{name}` parameter is `value`{absent}.")
        }
        _ => {
            let body = method.block.to_token_stream().to_string();
            let status = body
                .split("status (")
                .nth(1)
                .and_then(|rest| rest.split([')', 'u']).next())
                .map(str::trim)
                .filter(|code| code.chars().all(|c| c.is_ascii_digit()) && !code.is_empty());
            let with_body = method.sig.inputs.iter().any(|input| {
                matches!(input, syn::FnArg::Typed(arg) if arg.pat.to_token_stream().to_string() == "value")
            });
            let body = if with_body {
                " and `value` as the JSON body"
            } else {
                ""
            };
            match status {
                Some(code) => format!("Answers HTTP {code}{body}."),
                None => format!("Answers with `status` (in the range `{name}` names){body}."),
            }
        }
    })
}

/// The first sentence of every type's doc in the `types` module, by type name.
fn type_summaries(file: &syn::File) -> BTreeMap<String, String> {
    let mut summaries = BTreeMap::new();
    let Some(types) = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "types" => module.content.as_ref(),
        _ => None,
    }) else {
        return summaries;
    };
    for item in &types.1 {
        let (ident, attrs) = match item {
            syn::Item::Struct(s) => (&s.ident, &s.attrs),
            syn::Item::Enum(e) => (&e.ident, &e.attrs),
            _ => continue,
        };
        if let Some(sentence) = first_sentence(&doc_text(attrs)) {
            summaries.insert(ident.to_string(), sentence);
        }
    }
    summaries
}

/// The doc's first sentence, if it is short enough to repeat (a heading or a long paragraph
/// is not).
fn first_sentence(doc: &str) -> Option<String> {
    let paragraph = doc
        .split("\n\n")
        .next()?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let end = paragraph
        .match_indices(". ")
        .map(|(at, _)| at + 1)
        .find(|&at| {
            // Not the end of "e.g." or "i.e.".
            !paragraph[..at].ends_with("e.g.") && !paragraph[..at].ends_with("i.e.")
        })
        .unwrap_or(paragraph.len());
    let sentence = paragraph[..end].trim();
    let balanced = sentence.matches('(').count() == sentence.matches(')').count()
        && sentence.matches('`').count() % 2 == 0;
    (!sentence.is_empty() && sentence.len() <= 200 && balanced && !sentence.starts_with('#'))
        .then(|| sentence.trim_end_matches('.').to_owned())
}

fn visit(
    items: &mut [syn::Item],
    path: &str,
    summaries: &BTreeMap<String, String>,
    missed: &mut Vec<String>,
) {
    for item in items {
        match item {
            syn::Item::Mod(module) => {
                let name = module.ident.to_string();
                let inner = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}::{name}")
                };
                if is_pub(&module.vis) && !has_doc(&module.attrs) {
                    match module_doc(&inner) {
                        Some(doc) => add_doc(&mut module.attrs, doc),
                        None => missed.push(inner.clone()),
                    }
                }
                if let Some((_, content)) = module.content.as_mut() {
                    visit(content, &inner, summaries, missed);
                }
            }
            syn::Item::Struct(item) if is_pub(&item.vis) => {
                let owner = item.ident.to_string();
                if let syn::Fields::Named(fields) = &mut item.fields {
                    for field in &mut fields.named {
                        if !is_pub(&field.vis) || has_doc(&field.attrs) {
                            continue;
                        }
                        let name = field.ident.as_ref().map(ToString::to_string);
                        let doc =
                            field_doc(&owner, name.as_deref().unwrap_or("?"), field, summaries);
                        add_doc(&mut field.attrs, &doc);
                    }
                }
            }
            syn::Item::Enum(item) if is_pub(&item.vis) => {
                let owner = item.ident.to_string();
                for variant in &mut item.variants {
                    if has_doc(&variant.attrs) {
                        continue;
                    }
                    let doc = variant_doc(&owner, variant, summaries);
                    add_doc(&mut variant.attrs, &doc);
                }
            }
            syn::Item::Impl(block) if block.trait_.is_none() => {
                let Some(owner) = self_name(block) else {
                    continue;
                };
                for member in &mut block.items {
                    let syn::ImplItem::Fn(method) = member else {
                        continue;
                    };
                    if !is_pub(&method.vis) || has_doc(&method.attrs) {
                        continue;
                    }
                    match method_doc(path, &owner, method) {
                        Some(doc) => add_doc(&mut method.attrs, &doc),
                        None => missed.push(format!("{path}::{owner}::{}", method.sig.ident)),
                    }
                }
            }
            _ => {}
        }
    }
}

fn module_doc(path: &str) -> Option<&'static str> {
    Some(match path {
        "types::builder" => {
            "A builder per type of [`types`](super): set fields one by one, then convert \
             with `try_into()` (or pass the builder where the type is expected)."
        }
        "types::error" => "The error of a conversion into a generated type.",
        "builder" => {
            "A request builder per operation, returned by the [`Client`](super::Client) method \
             of the same name: set parameters and body, then `send()`."
        }
        "prelude" => "The [`Client`](super::Client), for a glob import.",
        _ => return None,
    })
}

fn field_doc(
    owner: &str,
    name: &str,
    field: &syn::Field,
    summaries: &BTreeMap<String, String>,
) -> String {
    let flattened = field.attrs.iter().any(|attr| {
        attr.path().is_ident("serde") && attr.to_token_stream().to_string().contains("flatten")
    });
    if flattened {
        return format!(
            "Fields of the `{owner}` that this version does not describe, kept as the provider \
             sent them."
        );
    }
    let (ty, optional) = match option_inner(&field.ty) {
        Some(inner) => (inner, " (optional)"),
        None => (&field.ty, ""),
    };
    let (shape, referenced) = describe_type(ty);
    let summary = referenced
        .as_deref()
        .and_then(|name| summaries.get(name))
        .map(|s| format!(" ({s})"))
        .unwrap_or_default();
    format!("The `{name}` of this `{owner}`{optional}: {shape}{summary}.")
}

fn variant_doc(
    owner: &str,
    variant: &syn::Variant,
    summaries: &BTreeMap<String, String>,
) -> String {
    let name = variant.ident.to_string();
    let renamed = variant.attrs.iter().find_map(|attr| {
        if !attr.path().is_ident("serde") {
            return None;
        }
        let text = attr.to_token_stream().to_string();
        let start = text.find("rename = \"")? + "rename = \"".len();
        let end = text[start..].find('"')?;
        Some(text[start..start + end].to_owned())
    });
    match (&variant.fields, renamed) {
        (syn::Fields::Unit, Some(value)) => format!("The value `{value}`."),
        (syn::Fields::Unit, None) => format!("The value `{name}`."),
        (syn::Fields::Unnamed(fields), _) if fields.unnamed.len() == 1 => {
            let (shape, referenced) = describe_type(&fields.unnamed[0].ty);
            let summary = referenced
                .as_deref()
                .and_then(|name| summaries.get(name))
                .map(|s| format!(" ({s})"))
                .unwrap_or_default();
            format!(
                "{} `{owner}` that is {shape}{summary}.",
                capitalized(article(owner))
            )
        }
        _ => format!("The `{name}` form of a `{owner}`."),
    }
}

/// `T` of `Option<T>`.
fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => args.args.iter().find_map(|arg| match arg {
            syn::GenericArgument::Type(ty) => Some(ty),
            _ => None,
        }),
        _ => None,
    }
}

/// "a [`LocalContact`]", "a list, each a [`Parcel`]", "a string", ..., and the generated type it
/// refers to, if any.
fn describe_type(ty: &syn::Type) -> (String, Option<String>) {
    let path = match ty {
        syn::Type::Path(path) => path,
        syn::Type::Array(array) => {
            let (shape, referenced) = describe_type(&array.elem);
            let len = array.len.to_token_stream().to_string();
            let len = len.trim_end_matches("usize");
            return (format!("a list of {len}, each {shape}"), referenced);
        }
        _ => return (format!("`{}`", ty.to_token_stream()), None),
    };
    let Some(last) = path.path.segments.last() else {
        return ("a value".to_owned(), None);
    };
    let name = last.ident.to_string();
    let argument = |index: usize| match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .nth(index),
        _ => None,
    };
    match name.as_str() {
        "Option" => match argument(0) {
            Some(inner) => {
                let (shape, referenced) = describe_type(inner);
                (format!("{shape}, if present"), referenced)
            }
            None => ("an optional value".to_owned(), None),
        },
        "Vec" => match argument(0) {
            Some(inner) => {
                let (shape, referenced) = describe_type(inner);
                (format!("a list, each {shape}"), referenced)
            }
            None => ("a list".to_owned(), None),
        },
        "BTreeMap" | "HashMap" | "Map" => match argument(1) {
            Some(inner) => {
                let (shape, referenced) = describe_type(inner);
                (
                    format!("a map from names to values, each {shape}"),
                    referenced,
                )
            }
            None => ("a map".to_owned(), None),
        },
        "String" => ("a string".to_owned(), None),
        "bool" => ("`true` or `false`".to_owned(), None),
        "f64" | "f32" => ("a number".to_owned(), None),
        "i64" | "i32" | "u64" | "u32" | "u16" | "u8" | "i16" | "i8" => {
            ("an integer".to_owned(), None)
        }
        "Value" => ("any JSON value".to_owned(), None),
        "Sensitive" => ("a secret (redacted in `Debug`)".to_owned(), None),
        _ if name.starts_with("NonZero") => ("a positive integer".to_owned(), None),
        _ => (format!("{} [`{name}`]", article(&name)), Some(name)),
    }
}

fn method_doc(path: &str, owner: &str, method: &syn::ImplItemFn) -> Option<String> {
    let name = method.sig.ident.to_string();
    match (path, name.as_str()) {
        ("types", "builder") => Some(format!(
            "A [`builder::{owner}`] to set the fields of a `{owner}` one by one."
        )),
        ("types::builder", field) => Some(format!(
            "Sets the [`{field}`](super::{owner}::{field}) of the `{owner}` being built; a value \
             its schema refuses is reported when the builder is converted."
        )),
        ("builder", "new") => Some(format!(
            "A `{owner}` request sent through `client`; [`Client::{op}`](super::Client::{op}) \
             is the usual way to start one.",
            op = owner.to_snake_case()
        )),
        ("builder", "body") => Some(
            "Sets the request body: anything that converts into its type (a builder of it \
             included); a value its schema refuses is reported by `send()`."
                .to_owned(),
        ),
        ("builder", "body_map") => Some(
            "Sets the request body by editing its builder: `.body_map(|body| body.field(..))`."
                .to_owned(),
        ),
        ("builder", "send") => Some(
            "Sends the request and decodes the answer: the success body, or the provider's \
             error body in [`Error::ErrorResponse`](super::Error::ErrorResponse)."
                .to_owned(),
        ),
        ("builder", parameter) => Some(format!(
            "Sets the `{parameter}` parameter (see [`Client::{op}`](super::Client::{op})); a \
             value its schema refuses is reported by `send()`.",
            op = owner.to_snake_case()
        )),
        _ => None,
    }
}

/// "a" or "an" before `word` (a type name: `Order`, `InventoryAnswer`).
fn article(word: &str) -> &'static str {
    if word.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The name of the type an `impl` block is for (`Foo` of `impl<'a> Foo<'a>`).
fn self_name(block: &syn::ItemImpl) -> Option<String> {
    match &*block.self_ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn has_doc(attrs: &[syn::Attribute]) -> bool {
    !doc_text(attrs).trim().is_empty()
}

fn add_doc(attrs: &mut Vec<syn::Attribute>, doc: &str) {
    let doc = format!(" {doc}");
    attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
}
