//! What the spec says about each operation and about the provider, emitted as constants the
//! transport receives on every call (`ordergate_runtime::Operation`, `Conventions`):
//!
//! - `info.x-ordergate-conventions`: `retryable_statuses` (default 429, 502, 503, 504),
//!   `rate_limit_reset: {header, reads_as: unix_time | seconds_to_wait}` (default none: only
//!   `Retry-After`), `token_rejected` (default 401);
//! - per operation: `x-ordergate-idempotent` (required for every method but `GET`; see
//!   [`crate::check`]), `x-ordergate-pagination` (list operations), `x-ordergate-inferred`
//!   (on the operation, or on the success response's schema or any schema it uses), and the
//!   request bounds the generated types do not check (integer `minimum`/`maximum` of query
//!   parameters and body fields, array `minItems`/`maxItems` of body fields).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::Spec;

/// The extension stating whether a non-`GET` operation is idempotent.
pub(crate) const IDEMPOTENT: &str = "x-ordergate-idempotent";
/// The extension stating how a list operation pages.
pub(crate) const PAGINATION: &str = "x-ordergate-pagination";
/// The `info` extension stating the provider's conventions.
pub(crate) const CONVENTIONS: &str = "x-ordergate-conventions";

/// The pagination styles and the keys each needs (besides `style`).
pub(crate) const PAGINATION_STYLES: [(&str, &[&str], &[&str]); 3] = [
    ("page_number", &["page", "limit", "items"], &["total_pages"]),
    ("offset", &["offset", "count", "items"], &["total"]),
    ("laravel", &["page", "next", "items"], &[]),
];

/// Problems with the extensions of this module, for the house rules: `(location, message)`.
pub(crate) fn violations(spec: &Spec) -> Vec<(String, String)> {
    let mut found = Vec::new();
    if let Some(conventions) = spec.raw.pointer(&format!("/info/{CONVENTIONS}"))
        && let Err(message) = conventions_tokens(conventions, "p")
    {
        found.push((format!("/info/{CONVENTIONS}"), message));
    }
    for (method, path, operation) in spec.operations() {
        let id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or("?");
        let location = format!("{} {path} ({id})", method.to_uppercase());
        match operation.get(IDEMPOTENT) {
            None if method != "get" => found.push((
                location.clone(),
                format!(
                    "a {} operation must state {IDEMPOTENT}: true or false (whether sending it twice has the effect of sending it once); the runtime retries only idempotent operations after they may have arrived",
                    method.to_uppercase()
                ),
            )),
            Some(value) if !value.is_boolean() => found.push((
                location.clone(),
                format!("{IDEMPOTENT} is {value}; expected true or false"),
            )),
            _ => {}
        }
        if let Some(pagination) = operation.get(PAGINATION)
            && let Err(message) = pagination_tokens(pagination)
        {
            found.push((location.clone(), message));
        }
    }
    found
}

/// The `CONVENTIONS` constant and the `operations` module for `spec`.
pub(crate) fn tokens(spec: &Spec) -> Result<TokenStream, String> {
    let stated = spec
        .raw
        .pointer(&format!("/info/{CONVENTIONS}"))
        .unwrap_or(&Value::Null);
    // The provider's name for messages: as the conventions state it, or the title's first word.
    let provider = match stated.get("provider").and_then(Value::as_str) {
        Some(provider) => provider.to_owned(),
        None => spec
            .raw
            .pointer("/info/title")
            .and_then(Value::as_str)
            .and_then(|title| title.split_whitespace().next())
            .map_or_else(|| spec.name(), str::to_owned),
    };
    let conventions = conventions_tokens(stated, &provider)?;
    let mut constants = Vec::new();
    let mut names = Vec::new();
    let mut arms = Vec::new();
    for (method, path, operation) in spec.operations() {
        let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        let name = format_ident!("{}", id.to_uppercase());
        let method_text = method.to_uppercase();
        let mut value = quote! {
            ::ordergate_runtime::Operation::new(#id, #method_text, #path, &super::CONVENTIONS)
        };
        let idempotent = operation
            .get(IDEMPOTENT)
            .and_then(Value::as_bool)
            .unwrap_or(method == "get");
        value = quote! { #value.idempotent(#idempotent) };
        if let Some(pagination) = operation.get(PAGINATION) {
            let pagination = pagination_tokens(pagination)?;
            value = quote! { #value.paginated(#pagination) };
        }
        let inferred = is_inferred(spec, operation);
        if inferred {
            value = quote! { #value.inferred() };
        }
        let bounds: Vec<TokenStream> = bounds(spec, path, operation)
            .iter()
            .map(SpecBound::tokens)
            .collect();
        if !bounds.is_empty() {
            value = quote! { #value.bounded(&[#(#bounds),*]) };
        }
        let doc = format!(
            "`{method_text} {path}` (`{id}`): {}{}{}.",
            if idempotent {
                "idempotent"
            } else {
                "not idempotent (never resent once the provider may have processed it)"
            },
            if operation.get(PAGINATION).is_some() {
                ", paged"
            } else {
                ""
            },
            if inferred {
                ", response shape inferred"
            } else {
                ""
            },
        );
        constants.push(quote! {
            #[doc = #doc]
            pub const #name: ::ordergate_runtime::Operation = #value;
        });
        arms.push(quote! { #id => &#name, });
        names.push(name);
    }
    let conventions_doc = format!(
        "{provider}'s conventions, from its spec: which statuses are retried, how its rate-limit headers read, what a rejected token looks like."
    );
    Ok(quote! {
        #[doc = #conventions_doc]
        pub const CONVENTIONS: ::ordergate_runtime::Conventions = #conventions;

        /// One description per operation of the spec (method, path template, idempotency,
        /// pagination, inferred or documented, request bounds), as the transport receives it
        /// on every call.
        pub mod operations {
            #(#constants)*

            /// Every operation of the spec, by path, then method.
            pub const ALL: &[::ordergate_runtime::Operation] = &[#(#names),*];

            /// The operation whose `operationId` is `id`; `None` for an unknown id.
            pub fn by_id(id: &str) -> ::std::option::Option<&'static ::ordergate_runtime::Operation> {
                Some(match id {
                    #(#arms)*
                    _ => return None,
                })
            }
        }
    })
}

fn conventions_tokens(value: &Value, provider: &str) -> Result<TokenStream, String> {
    let mut tokens = quote! { ::ordergate_runtime::Conventions::standard(#provider) };
    let Some(object) = value.as_object() else {
        return if value.is_null() {
            Ok(tokens)
        } else {
            Err(format!("{CONVENTIONS} must be an object"))
        };
    };
    for key in object.keys() {
        if ![
            "provider",
            "retryable_statuses",
            "rate_limit_reset",
            "token_rejected",
        ]
        .contains(&key.as_str())
        {
            return Err(format!("{CONVENTIONS}: unknown key {key:?}"));
        }
    }
    let statuses = |key: &str| -> Result<Option<Vec<u16>>, String> {
        let Some(list) = object.get(key) else {
            return Ok(None);
        };
        list.as_array()
            .ok_or_else(|| format!("{CONVENTIONS}.{key} must be a list of HTTP statuses"))?
            .iter()
            .map(|status| {
                status
                    .as_u64()
                    .and_then(|s| u16::try_from(s).ok())
                    .filter(|s| (100..=599).contains(s))
                    .ok_or_else(|| format!("{CONVENTIONS}.{key}: {status} is not an HTTP status"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    };
    if let Some(retryable) = statuses("retryable_statuses")? {
        tokens = quote! { #tokens.retrying_on(&[#(#retryable),*]) };
    }
    if let Some(rejected) = statuses("token_rejected")? {
        tokens = quote! { #tokens.token_rejected_by(&[#(#rejected),*]) };
    }
    if let Some(reset) = object.get("rate_limit_reset") {
        let header = reset
            .get("header")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{CONVENTIONS}.rate_limit_reset.header is missing"))?
            .to_ascii_lowercase();
        if reqwest_header_name_is_invalid(&header) {
            return Err(format!(
                "{CONVENTIONS}.rate_limit_reset.header {header:?} is not a header name"
            ));
        }
        let reads_as = match reset.get("reads_as").and_then(Value::as_str) {
            Some("unix_time") => quote! { ::ordergate_runtime::ResetReadsAs::UnixTime },
            Some("seconds_to_wait") => quote! { ::ordergate_runtime::ResetReadsAs::SecondsToWait },
            other => {
                return Err(format!(
                    "{CONVENTIONS}.rate_limit_reset.reads_as is {other:?}; expected unix_time or seconds_to_wait"
                ));
            }
        };
        tokens = quote! {
            #tokens.rate_limit_reset(::ordergate_runtime::RateLimitReset {
                header: #header,
                reads_as: #reads_as,
            })
        };
    }
    Ok(tokens)
}

fn reqwest_header_name_is_invalid(name: &str) -> bool {
    name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn pagination_tokens(value: &Value) -> Result<TokenStream, String> {
    let style = value.get("style").and_then(Value::as_str).ok_or_else(|| {
        format!("{PAGINATION} needs a style: one of page_number, offset, laravel")
    })?;
    let Some((_, keys, optional)) = PAGINATION_STYLES.iter().find(|(name, _, _)| *name == style)
    else {
        return Err(format!(
            "{PAGINATION} style {style:?} is not one of page_number, offset, laravel"
        ));
    };
    let mut fields = Vec::new();
    for key in *keys {
        let text = value
            .get(*key)
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{PAGINATION} ({style}) needs {key:?}"))?;
        let ident = format_ident!("{key}");
        fields.push(quote! { #ident: #text });
    }
    for key in *optional {
        let ident = format_ident!("{key}");
        match value.get(*key) {
            None => fields.push(quote! { #ident: None }),
            Some(Value::String(text)) => fields.push(quote! { #ident: Some(#text) }),
            Some(other) => {
                return Err(format!(
                    "{PAGINATION} ({style}): {key} is {other}, not a JSON pointer"
                ));
            }
        }
    }
    for key in value.as_object().into_iter().flat_map(|o| o.keys()) {
        if key != "style" && !keys.contains(&key.as_str()) && !optional.contains(&key.as_str()) {
            return Err(format!("{PAGINATION} ({style}): unknown key {key:?}"));
        }
    }
    let variant = match style {
        "page_number" => quote! { PageNumber },
        "offset" => quote! { Offset },
        _ => quote! { Laravel },
    };
    Ok(quote! { ::ordergate_runtime::Pagination::#variant { #(#fields),* } })
}

/// Whether the operation, or the schema of its success response (or a schema that one uses),
/// is marked `x-ordergate-inferred`.
fn is_inferred(spec: &Spec, operation: &Value) -> bool {
    if operation.get(crate::inferred::KEY).is_some() {
        return true;
    }
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
        return false;
    };
    let mut seen = BTreeSet::new();
    responses
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .any(|(_, response)| {
            let response = spec.resolve(response);
            response.get(crate::inferred::KEY).is_some()
                || response
                    .get("content")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flat_map(|content| content.values())
                    .filter_map(|media| media.get("schema"))
                    .any(|schema| marked(spec, schema, &mut seen))
        })
}

/// Whether `schema`, or a component schema it reaches, is marked inferred as a whole. A mark
/// on an inline property (an assumed `nullable`, `required` or bound) is one fact about a
/// documented shape, not an inferred shape, so it does not make the answer inferred.
fn marked(spec: &Spec, schema: &Value, seen: &mut BTreeSet<String>) -> bool {
    let reference = schema.get("$ref").and_then(Value::as_str);
    if let Some(reference) = reference
        && !seen.insert(reference.to_owned())
    {
        return false;
    }
    let schema = spec.resolve(schema);
    if reference.is_some() && schema.get(crate::inferred::KEY).is_some() {
        return true;
    }
    let children = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|p| p.values())
        .chain(schema.get("items"))
        .chain(
            ["allOf", "oneOf", "anyOf"]
                .iter()
                .filter_map(|key| schema.get(*key).and_then(Value::as_array))
                .flatten(),
        )
        .collect::<Vec<_>>();
    children.into_iter().any(|child| marked(spec, child, seen))
}

/// A request bound the spec states, before it becomes code or text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct SpecBound {
    /// A query parameter's name (`query`) or a body JSON pointer with `*` for array items.
    pub at: String,
    pub query: bool,
    /// `Minimum`, `Maximum`, `MinItems` or `MaxItems`.
    pub rule: &'static str,
    pub value: i64,
}

impl SpecBound {
    fn tokens(&self) -> TokenStream {
        let at = &self.at;
        let at = if self.query {
            quote! { ::ordergate_runtime::BoundAt::Query(#at) }
        } else {
            quote! { ::ordergate_runtime::BoundAt::Body(#at) }
        };
        let rule = format_ident!("{}", self.rule);
        let value = self.value;
        let value = if self.rule.ends_with("Items") {
            let count = usize::try_from(value).unwrap_or(0);
            quote! { #count }
        } else {
            quote! { #value }
        };
        quote! {
            ::ordergate_runtime::Bound { at: #at, rule: ::ordergate_runtime::BoundRule::#rule(#value) }
        }
    }

    /// `limit <= 100`, `/parcels: at least 1 item`.
    pub(crate) fn describe(&self) -> String {
        let at = if self.query {
            format!("`{}`", self.at)
        } else {
            format!("body `{}`", self.at)
        };
        match self.rule {
            "Minimum" => format!("{at} >= {}", self.value),
            "Maximum" => format!("{at} <= {}", self.value),
            "MinItems" => format!("{at} has at least {} item(s)", self.value),
            _ => format!("{at} has at most {} item(s)", self.value),
        }
    }
}

/// The bounds of the operation's query parameters and JSON body that the generated types do
/// not check: integer `minimum`/`maximum`, array `minItems`/`maxItems`.
pub(crate) fn bounds(spec: &Spec, path: &str, operation: &Value) -> Vec<SpecBound> {
    let mut found = Vec::new();
    let shared = spec
        .raw
        .pointer(&format!(
            "/paths/{}/parameters",
            crate::rules::escape_pointer(path)
        ))
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    let own = operation
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    for parameter in shared.chain(own) {
        let parameter = spec.resolve(parameter);
        if parameter.get("in").and_then(Value::as_str) != Some("query") {
            continue;
        }
        let Some(name) = parameter.get("name").and_then(Value::as_str) else {
            continue;
        };
        let schema = parameter.get("schema").map(|s| spec.resolve(s));
        for (rule, value) in number_rules(schema) {
            found.push(SpecBound {
                at: name.to_owned(),
                query: true,
                rule,
                value,
            });
        }
    }
    let body = operation
        .get("requestBody")
        .map(|body| spec.resolve(body))
        .and_then(|body| body.pointer("/content/application~1json/schema"));
    if let Some(schema) = body {
        let mut seen = BTreeSet::new();
        body_bounds(spec, schema, String::new(), &mut seen, &mut found);
    }
    // The variants of a `oneOf` can state the same bound at the same place.
    let mut unique = BTreeSet::new();
    found.retain(|bound| unique.insert(bound.clone()));
    found
}

fn number_rules(schema: Option<&Value>) -> Vec<(&'static str, i64)> {
    let Some(schema) = schema else {
        return Vec::new();
    };
    if !matches!(
        schema.get("type").and_then(Value::as_str),
        Some("integer" | "number")
    ) {
        return Vec::new();
    }
    let mut rules = Vec::new();
    if let Some(least) = schema.get("minimum").and_then(Value::as_i64) {
        rules.push(("Minimum", least));
    }
    if let Some(most) = schema.get("maximum").and_then(Value::as_i64) {
        rules.push(("Maximum", most));
    }
    rules
}

fn body_bounds(
    spec: &Spec,
    schema: &Value,
    pointer: String,
    seen: &mut BTreeSet<String>,
    found: &mut Vec<SpecBound>,
) {
    let reference = schema
        .get("$ref")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(reference) = &reference
        && !seen.insert(reference.clone())
    {
        return;
    }
    let resolved = spec.resolve(schema);
    let at = if pointer.is_empty() {
        "/".to_owned()
    } else {
        pointer.clone()
    };
    let mut push = |rule: &'static str, value: i64| {
        found.push(SpecBound {
            at: at.clone(),
            query: false,
            rule,
            value,
        });
    };
    for (rule, value) in number_rules(Some(resolved)) {
        push(rule, value);
    }
    if resolved.get("type").and_then(Value::as_str) == Some("array") {
        if let Some(least) = resolved.get("minItems").and_then(Value::as_i64) {
            push("MinItems", least);
        }
        if let Some(most) = resolved.get("maxItems").and_then(Value::as_i64) {
            push("MaxItems", most);
        }
        if let Some(items) = resolved.get("items") {
            body_bounds(spec, items, format!("{pointer}/*"), seen, found);
        }
    }
    if let Some(properties) = resolved.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            let escaped = name.replace('~', "~0").replace('/', "~1");
            body_bounds(spec, property, format!("{pointer}/{escaped}"), seen, found);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for child in resolved
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            body_bounds(spec, child, pointer.clone(), seen, found);
        }
    }
    // A schema used twice along different paths is walked for each path.
    if let Some(reference) = reference {
        seen.remove(&reference);
    }
}
