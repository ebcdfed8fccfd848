//! Every generated type says what it is.
//!
//! typify documents a type with its schema's `description`, or with its own name when there is
//! none; progenitor's parameter newtypes (`GetOrderId`, made for a `pattern`) take the
//! parameter's *schema*, which rarely has a description of its own, and typify's
//! `types::builder::*` and progenitor's httpmock `*When`/`*Then` wrappers get no doc at all.
//! So:
//!
//! - [`describe_parameters`] gives every inline parameter schema without a `description` one
//!   made from the parameter: "The `id` query parameter of `GET /v1/order` (`get_order`): ..."
//!   followed by the parameter's own `description`;
//! - [`document_builders`] and [`document_mock_wrappers`] document the types progenitor leaves
//!   bare;
//! - [`undocumented_types`] lists whatever is still undocumented, and generation fails on any
//!   ([`crate::CodegenError::Undocumented`]): a component schema without a `description` is a
//!   spec to fix.

use serde_json::Value;
use syn::visit_mut::{self, VisitMut};

use crate::Spec;

/// The extension beside a `description` that holds the reviewer's notes (how the docs were
/// read, where they contradict themselves, which sample is kept verbatim): checked to be a
/// string, never rendered (`specs/README.md`, house rule 12).
pub(crate) const REVIEW_NOTE: &str = "x-ordergate-review-note";

/// Phrases that only a note for the spec's reviewer uses; a generated doc containing one
/// (case-insensitive) fails generation ([`crate::CodegenError::ReviewNoteInDocs`]): the
/// sentence belongs in [`REVIEW_NOTE`].
pub(crate) const REVIEW_PHRASES: [&str; 12] = [
    "verbatim",
    "contradict",
    "mismatch",
    "copy read",
    "copies read",
    "copy of the docs",
    "hand-written",
    "leftover",
    "example wins",
    "examples win",
    "list wins",
    "taken literally",
];

/// Adds a `description` to every inline parameter schema (path-level and operation-level) of
/// `raw` (the spec as progenitor will see it) that has none, so a parameter newtype is
/// documented by what the parameter is. A `$ref` schema keeps its component's description.
pub(crate) fn describe_parameters(spec: &Spec, raw: &mut Value) {
    let mut edits = Vec::new();
    for (method, path, operation) in spec.operations() {
        let id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or("?");
        let escaped = crate::rules::escape_pointer(path);
        let lists = [
            format!("/paths/{escaped}/parameters"),
            format!("/paths/{escaped}/{method}/parameters"),
        ];
        for list in lists {
            let count = spec
                .raw
                .pointer(&list)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for index in 0..count {
                let pointer = format!("{list}/{index}");
                let Some(parameter) = spec.raw.pointer(&pointer) else {
                    continue;
                };
                // A shared parameter (`$ref: '#/components/parameters/..'`) is described where
                // it is defined, without naming one operation.
                let (pointer, operation_text) = match parameter.get("$ref").and_then(Value::as_str)
                {
                    Some(reference) => match reference.strip_prefix('#') {
                        Some(target) => (target.to_owned(), String::new()),
                        None => continue,
                    },
                    None => (
                        pointer,
                        format!(" of `{} {path}` (`{id}`)", method.to_uppercase()),
                    ),
                };
                let Some(parameter) = spec.raw.pointer(&pointer) else {
                    continue;
                };
                let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
                let location = parameter.get("in").and_then(Value::as_str).unwrap_or("?");
                let own = parameter
                    .get("description")
                    .and_then(Value::as_str)
                    .map(|d| format!(": {}", d.trim()))
                    .unwrap_or_else(|| ".".to_owned());
                edits.push((
                    format!("{pointer}/schema"),
                    format!("The `{name}` {location} parameter{operation_text}{own}"),
                ));
            }
        }
    }
    for (pointer, description) in edits {
        if let Some(Value::Object(schema)) = raw.pointer_mut(&pointer)
            && !schema.contains_key("$ref")
            && !schema.contains_key("description")
        {
            schema.insert("description".into(), Value::String(description));
        }
    }
}

/// Documents every struct of typify's `types::builder` module. Returns how many it documented.
pub(crate) fn document_builders(file: &mut syn::File) -> usize {
    let Some(types) = module_mut(&mut file.items, "types") else {
        return 0;
    };
    let Some(builders) = module_mut(types, "builder") else {
        return 0;
    };
    let mut documented = 0;
    for item in builders {
        if let syn::Item::Struct(builder) = item
            && doc_text(&builder.attrs).trim().is_empty()
        {
            let name = builder.ident.to_string();
            let doc = format!(
                " Builder for [`{name}`](super::{name}): start from `{name}::builder()` (or a \
                 `{name}` value), set fields with the methods named after them, then convert \
                 with `try_into()`, or pass it where a `{name}` is expected (a request's \
                 `body(..)` takes it as is). A field that was never set, or set to a value its \
                 schema refuses, is reported by that conversion."
            );
            builder.attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
            documented += 1;
        }
    }
    documented
}

/// Documents progenitor's httpmock `<Operation>When` / `<Operation>Then` wrappers in `file`
/// (the generated `mock.rs`). Returns how many it documented.
pub(crate) fn document_mock_wrappers(spec: &Spec, file: &mut syn::File) -> usize {
    let operations: Vec<(String, String, String)> = spec
        .operations()
        .into_iter()
        .filter_map(|(method, path, operation)| {
            let id = operation.get("operationId")?.as_str()?;
            Some((
                heck::ToUpperCamelCase::to_upper_camel_case(id),
                id.to_owned(),
                format!("{} {path}", method.to_uppercase()),
            ))
        })
        .collect();
    let Some(wrappers) = module_mut(&mut file.items, "operations") else {
        return 0;
    };
    let mut documented = 0;
    for item in wrappers {
        let syn::Item::Struct(wrapper) = item else {
            continue;
        };
        if !doc_text(&wrapper.attrs).trim().is_empty() {
            continue;
        }
        let name = wrapper.ident.to_string();
        // The whole name must be the operation's and a role: `DeleteOrder` is also a prefix
        // of `DeleteOrderByPostWhen`.
        let found = operations.iter().find_map(|(camel, id, route)| {
            let role = name.strip_prefix(camel.as_str())?;
            matches!(role, "When" | "Then").then_some((role, id, route))
        });
        let doc = match found {
            Some(("When", id, route)) => format!(
                " What a request to `{id}` (`{route}`) must look like: the first argument of \
                 the closure given to [`MockServerExt::{id}`](super::MockServerExt::{id}), with \
                 a typed method per parameter and body. `into_inner()` gives the \
                 [`httpmock::When`] to match anything else."
            ),
            Some(("Then", id, route)) => format!(
                " The mocked response to `{id}` (`{route}`): the second argument of the closure \
                 given to [`MockServerExt::{id}`](super::MockServerExt::{id}), with a typed \
                 method per documented status. `into_inner()` gives the [`httpmock::Then`] to \
                 answer anything else."
            ),
            _ => continue,
        };
        wrapper.attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
        documented += 1;
    }
    documented
}

/// Removes progenitor's ```` ```ignore ```` example from every doc of `file` (it cannot compile:
/// progenitor does not know the crate's name, so it marks it `ignore`). Returns how many it
/// removed: one per operation, on the `Client` method.
pub(crate) fn drop_ignored_examples(file: &mut syn::File) -> usize {
    struct Visitor(usize);
    impl VisitMut for Visitor {
        fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
            let Some(text) = doc_literal(attr) else {
                return;
            };
            let Some(start) = text.find("```ignore") else {
                return;
            };
            let rest = &text[start + "```ignore".len()..];
            let end = rest.find("```").map_or(text.len(), |close| {
                start + "```ignore".len() + close + "```".len()
            });
            let kept = format!("{}{}", &text[..start], &text[end..]);
            let kept = kept.trim_end();
            *attr = syn::parse_quote!(#[doc = #kept]);
            self.0 += 1;
        }
    }
    let mut visitor = Visitor(0);
    visitor.visit_file_mut(file);
    visitor.0
}

/// Makes every bare `https://` URL in the docs of `file` a link (`<https://..>`), as rustdoc
/// wants (a spec's `description` cites its source page as plain text). A URL inside a code
/// span, an autolink or a Markdown link is left as it is. Returns how many it linked.
pub(crate) fn link_bare_urls(file: &mut syn::File) -> usize {
    struct Visitor(usize);
    impl VisitMut for Visitor {
        fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
            let Some(text) = doc_literal(attr) else {
                return;
            };
            let (linked, count) = link_urls(&text);
            if count > 0 {
                *attr = syn::parse_quote!(#[doc = #linked]);
                self.0 += count;
            }
        }
    }
    let mut visitor = Visitor(0);
    visitor.visit_file_mut(file);
    visitor.0
}

/// `text` with each bare URL wrapped in `<..>`, and how many.
fn link_urls(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len() + 16);
    let mut count = 0;
    let mut rest = text;
    while let Some(at) = [rest.find("https://"), rest.find("http://")]
        .into_iter()
        .flatten()
        .min()
    {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let end = from
            .find(|c: char| {
                c.is_whitespace() || matches!(c, ')' | '>' | '"' | '`' | ',' | ';' | '<' | '\'')
            })
            .unwrap_or(from.len());
        let url = from[..end].trim_end_matches(['.', ':']);
        let in_code = out.matches('`').count() % 2 == 1;
        let linked_already = out.ends_with('<') || out.ends_with("](");
        if in_code || linked_already || url.len() <= "https://".len() {
            out.push_str(url);
        } else {
            out.push('<');
            out.push_str(url);
            out.push('>');
            count += 1;
        }
        rest = &from[url.len()..];
    }
    out.push_str(rest);
    (out, count)
}

/// Every doc of `file` that contains a [`REVIEW_PHRASES`] phrase, as "`phrase`: ..the words
/// around it..".
pub(crate) fn review_notes(file: &mut syn::File) -> Vec<String> {
    struct Visitor(Vec<String>);
    impl VisitMut for Visitor {
        fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
            let Some(text) = doc_literal(attr) else {
                return;
            };
            let lower = text.to_lowercase();
            for phrase in REVIEW_PHRASES {
                if let Some(at) = lower.find(phrase) {
                    let around: String = lower[..at]
                        .chars()
                        .rev()
                        .take(60)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .chain(lower[at..].chars().take(60))
                        .collect();
                    let around = around.split_whitespace().collect::<Vec<_>>().join(" ");
                    self.0.push(format!("`{phrase}`: ..{around}.."));
                }
            }
            visit_mut::visit_attribute_mut(self, attr);
        }
    }
    let mut visitor = Visitor(Vec::new());
    visitor.visit_file_mut(file);
    visitor.0
}

/// The text of `attr` if it is a `#[doc = ".."]`.
fn doc_literal(attr: &syn::Attribute) -> Option<String> {
    if !attr.path().is_ident("doc") {
        return None;
    }
    match &attr.meta {
        syn::Meta::NameValue(syn::MetaNameValue {
            value:
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }),
            ..
        }) => Some(text.value()),
        _ => None,
    }
}

/// Every public struct, enum, trait or type alias in `file` (nested modules included) whose doc
/// is empty or only repeats its name, as `module::Name`.
pub(crate) fn undocumented_types(file: &syn::File) -> Vec<String> {
    fn visit(items: &[syn::Item], prefix: &str, found: &mut Vec<String>) {
        for item in items {
            let (ident, attrs, vis) = match item {
                syn::Item::Struct(s) => (&s.ident, &s.attrs, &s.vis),
                syn::Item::Enum(e) => (&e.ident, &e.attrs, &e.vis),
                syn::Item::Type(t) => (&t.ident, &t.attrs, &t.vis),
                syn::Item::Trait(t) => (&t.ident, &t.attrs, &t.vis),
                syn::Item::Mod(m) => {
                    if let Some((_, content)) = &m.content {
                        visit(content, &format!("{prefix}{}::", m.ident), found);
                    }
                    continue;
                }
                _ => continue,
            };
            if !matches!(vis, syn::Visibility::Public(_)) {
                continue;
            }
            let words: String = doc_text(attrs)
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if words.is_empty() || words.eq_ignore_ascii_case(&ident.to_string()) {
                found.push(format!("{prefix}{ident}"));
            }
        }
    }
    let mut found = Vec::new();
    visit(&file.items, "", &mut found);
    found
}

/// The text of every `#[doc = ".."]` of `attrs`, one line each.
pub(crate) fn doc_text(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter_map(doc_literal)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The items of the inline module `name` among `items`.
pub(crate) fn module_mut<'a>(
    items: &'a mut [syn::Item],
    name: &str,
) -> Option<&'a mut Vec<syn::Item>> {
    items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == name => {
            module.content.as_mut().map(|(_, items)| items)
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_urls_become_links_and_others_are_left_alone() {
        let (text, count) = link_urls(
            "Source: https://a.test/p (https://a.test/q). See <https://a.test/r>, \
             [s](https://a.test/s) and `https://a.test/t/v1`, https://a.test/u.",
        );
        assert_eq!(
            text,
            "Source: <https://a.test/p> (<https://a.test/q>). See <https://a.test/r>, \
             [s](https://a.test/s) and `https://a.test/t/v1`, <https://a.test/u>."
        );
        assert_eq!(count, 3);
    }

    #[test]
    fn a_name_alone_or_nothing_is_no_doc() {
        let file: syn::File = syn::parse_quote! {
            /// `GetOrderId`
            pub struct GetOrderId(String);
            pub struct Bare;
            /// The `id` query parameter of `GET /v1/order` (`get_order`).
            pub struct Described(String);
            struct Private;
            pub mod builder {
                #[doc = " GetOrder. "]
                pub enum GetOrder {}
            }
        };
        assert_eq!(
            undocumented_types(&file),
            ["GetOrderId", "Bare", "builder::GetOrder"]
        );
    }
}
