//! Edits to progenitor's output that its settings cannot express. Each one removes per-call
//! work the benchmark profile (`cargo xtask bench`, BENCHMARKS.md) attributed to it.
//!
//! - [`decode_without_header_copy`]: responses decoded by
//!   `ordergate_runtime::drift::response_value`, which moves the headers into the
//!   `ResponseValue` instead of copying them (and compares the answer with the spec's model
//!   when `ordergate::drift` is listened to).
//! - [`parse_base_url_once`]: requests built on the base URL parsed once, not by parsing
//!   `base + path` on every call.
//! - [`house_client_new`]: progenitor's `Client::new` builds its own `reqwest` client, which
//!   follows redirects and panics if it cannot be built; it uses the transport's instead.
//! - [`simple_patterns`]: a spec `pattern` of the form `^[class]{n,m}$` is checked by
//!   `ordergate_runtime::CharClassPattern` instead of the `regress` backtracking engine.
//! - [`mock_array_query_params`] (in the httpmock helpers): progenitor matches an array query
//!   parameter with `value.to_string()`, which a `Vec` does not have; each item is matched
//!   instead.
//!
//! Each edit matches progenitor's token spellings (`client.baseurl`, `client.client.get(url)`,
//! `static PATTERN`, ...), which a progenitor upgrade may change. So each one counts the sites
//! it changed, [`apply`] compares every count with the number the spec implies (one per
//! operation, one per typed response, one per `pattern`, one `Client::new`), and generation
//! fails with [`CodegenError::Rewrite`] on any difference: an upgrade breaks the build instead
//! of quietly undoing an edit.
//!
//! - [`no_api_version_header`]: progenitor's `api-version` header (meant for Dropshot servers,
//!   unwanted by every provider) is not added to each request (it cost a header map per call,
//!   removed again before sending). The house rules refuse a spec header parameter of that
//!   name.
//! - [`retry_by_rebuilding`]: a request is built by a closure that the transport calls again
//!   for a retry (`Transport::execute_rebuilding`), instead of the transport copying every
//!   request (URL, header map, body) before its first attempt in case it is retried.
//! - [`builder_errors_borrowed`]: a typify builder's "no value supplied for `field`" is a
//!   borrowed `Cow`, not a `String` made by every `builder()` and every request builder's
//!   `new` (an allocation per call).

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use serde_json::Value;
use syn::visit_mut::{self, VisitMut};

use crate::{CodegenError, Spec};

/// Runs every edit on `file`, the client progenitor generated from `spec`, and fails unless
/// each changed exactly the number of sites the spec implies.
pub(crate) fn apply(spec: &Spec, file: &mut syn::File) -> Result<(), CodegenError> {
    let operations = spec.operations().len();
    let (builder_fields, builder_setters) = builder_errors_borrowed(file);
    let edits: [(&'static str, &'static str, usize, usize); 7] = [
        (
            "simple_patterns",
            "one per `pattern` in the spec",
            spec_patterns(&spec.raw),
            simple_patterns(file),
        ),
        (
            "decode_without_header_copy",
            "one per 2xx/4xx/5xx response with a body",
            typed_responses(spec),
            decode_without_header_copy(file),
        ),
        (
            "parse_base_url_once",
            "one per operation",
            operations,
            parse_base_url_once(file),
        ),
        (
            "no_api_version_header",
            "one per operation",
            operations,
            no_api_version_header(file),
        ),
        (
            "retry_by_rebuilding",
            "one per operation (rebuilt, or left with the copy when not replayable)",
            operations,
            retry_by_rebuilding(file),
        ),
        (
            "builder_errors_borrowed",
            "one setter per builder field",
            builder_fields,
            builder_setters,
        ),
        (
            "house_client_new",
            "progenitor's `Client::new(baseurl, inner)`",
            1,
            house_client_new(file),
        ),
    ];
    for (rewrite, sites, expected, found) in edits {
        if found != expected {
            return Err(CodegenError::Rewrite {
                path: spec.path.clone(),
                rewrite,
                sites,
                expected,
                found,
            });
        }
    }
    Ok(())
}

/// How many schemas of `value` carry a `pattern` (examples and extensions are data, skipped).
fn spec_patterns(value: &Value) -> usize {
    match value {
        Value::Object(object) => {
            usize::from(object.get("pattern").is_some_and(Value::is_string))
                + object
                    .iter()
                    .filter(|(key, _)| {
                        !(*key == "example" || *key == "examples" || key.starts_with("x-"))
                    })
                    .map(|(_, child)| spec_patterns(child))
                    .sum::<usize>()
        }
        Value::Array(items) => items.iter().map(spec_patterns).sum(),
        _ => 0,
    }
}

/// How many responses progenitor decodes with `ResponseValue::from_response`: every 2xx, 4xx
/// and 5xx response (code or range) that has a body schema, one match arm each.
fn typed_responses(spec: &Spec) -> usize {
    spec.operations()
        .into_iter()
        .filter_map(|(_, _, operation)| operation.get("responses")?.as_object())
        .flatten()
        .filter(|(status, _)| status.starts_with(['2', '4', '5']))
        .filter(|(_, response)| {
            spec.resolve(response)
                .get("content")
                .and_then(Value::as_object)
                .is_some_and(|content| content.values().any(|media| media.get("schema").is_some()))
        })
        .count()
}

/// Every operation builds its request through `Transport::request`, which reuses the base URL
/// parsed once instead of parsing `format!("{}/path", client.baseurl)` on every call:
///
/// ```text
/// let url = format!("{}/v1/orders/{}", client.baseurl, encode_path(&id.to_string()));
/// client.client.get(url)
/// ```
/// becomes
/// ```text
/// let url = format!("/v1/orders/{}", encode_path(&id.to_string()));
/// client.inner.request(&client.client, ::reqwest::Method::GET, &client.baseurl, &url)
/// ```
/// A block that does not have exactly this shape is left as progenitor wrote it. Returns the
/// number of blocks rewritten.
pub(crate) fn parse_base_url_once(file: &mut syn::File) -> usize {
    struct Visitor(usize);
    impl VisitMut for Visitor {
        fn visit_block_mut(&mut self, block: &mut syn::Block) {
            let path_only = block.stmts.iter().find_map(|stmt| {
                let syn::Stmt::Local(local) = stmt else {
                    return None;
                };
                let syn::Pat::Ident(name) = &local.pat else {
                    return None;
                };
                if name.ident != "url" {
                    return None;
                }
                let syn::Expr::Macro(mac) = &*local.init.as_ref()?.expr else {
                    return None;
                };
                path_format(&mac.mac)
            });
            if let Some(path_only) = path_only {
                let mut chain = RequestThroughTransport { replaced: false };
                let mut rewritten = block.clone();
                for stmt in &mut rewritten.stmts {
                    chain.visit_stmt_mut(stmt);
                }
                if chain.replaced {
                    for stmt in &mut rewritten.stmts {
                        if let syn::Stmt::Local(local) = stmt
                            && matches!(&local.pat, syn::Pat::Ident(name) if name.ident == "url")
                            && let Some(init) = &mut local.init
                        {
                            *init.expr = syn::parse_quote!(#path_only);
                        }
                    }
                    *block = rewritten;
                    self.0 += 1;
                }
            }
            visit_mut::visit_block_mut(self, block);
        }
    }
    let mut visitor = Visitor(0);
    visitor.visit_file_mut(file);
    visitor.0
}

/// `format!("{}/rest", client.baseurl, args..)` as `format!("/rest", args..)`, or as the
/// literal `"/rest"` when there are no `args` (no allocation per call).
fn path_format(mac: &syn::Macro) -> Option<syn::Expr> {
    use syn::parse::Parser;
    if !mac.path.is_ident("format") {
        return None;
    }
    let args = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated
        .parse2(mac.tokens.clone())
        .ok()?;
    let mut args = args.into_iter();
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(template),
        ..
    }) = args.next()?
    else {
        return None;
    };
    let rest = template.value().strip_prefix("{}")?.to_owned();
    if !rest.starts_with('/') {
        return None;
    }
    let base = args.next()?;
    if base.to_token_stream().to_string().replace(' ', "") != "client.baseurl" {
        return None;
    }
    let args: Vec<syn::Expr> = args.collect();
    if args.is_empty() && !rest.contains(['{', '}']) {
        // A path with no parameter (`/v1/order/confirm`) is a `&'static str`: no `String`
        // is formatted per call.
        let rest = syn::LitStr::new(&rest, template.span());
        return Some(syn::parse_quote!(#rest));
    }
    let rest = syn::LitStr::new(&rest, template.span());
    Some(syn::parse_quote!(format!(#rest #(, #args)*)))
}

/// `client.client.<method>(url)` as `client.inner.request(&client.client, Method, ..)`.
struct RequestThroughTransport {
    replaced: bool,
}

impl VisitMut for RequestThroughTransport {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::MethodCall(call) = expr {
            let on_http_client =
                call.receiver.to_token_stream().to_string().replace(' ', "") == "client.client";
            let takes_url = call.args.len() == 1
                && matches!(&call.args[0], syn::Expr::Path(p) if p.path.is_ident("url"));
            let method = match call.method.to_string().as_str() {
                "get" => Some(quote!(GET)),
                "post" => Some(quote!(POST)),
                "put" => Some(quote!(PUT)),
                "patch" => Some(quote!(PATCH)),
                "delete" => Some(quote!(DELETE)),
                "head" => Some(quote!(HEAD)),
                _ => None,
            };
            if let (true, true, Some(method)) = (on_http_client, takes_url, method) {
                *expr = syn::parse_quote! {
                    client.inner.request(&client.client, ::reqwest::Method::#method, &client.baseurl, &url)
                };
                self.replaced = true;
                return;
            }
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// Every `ResponseValue::from_response(response)` becomes
/// `::ordergate_runtime::drift::response_value(response, &crate::DRIFT, info.operation_id)`,
/// which moves the headers instead of copying them and reports spec drift when listened to
/// (`drift.rs` makes `DRIFT`). Returns the number of calls rewritten.
pub(crate) fn decode_without_header_copy(file: &mut syn::File) -> usize {
    struct Visitor(usize);
    impl VisitMut for Visitor {
        fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
            if let syn::Expr::Path(path) = &*call.func {
                let names: Vec<String> = path
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                if names.ends_with(&["ResponseValue".to_owned(), "from_response".to_owned()]) {
                    *call.func = syn::parse_quote!(::ordergate_runtime::drift::response_value);
                    call.args.push(syn::parse_quote!(&crate::DRIFT));
                    call.args.push(syn::parse_quote!(info.operation_id));
                    self.0 += 1;
                }
            }
            visit_mut::visit_expr_call_mut(self, call);
        }
    }
    let mut visitor = Visitor(0);
    visitor.visit_file_mut(file);
    visitor.0
}

/// Replaces typify's `regress` check of every pattern of the form `^[class]{n,m}$` with an
/// `ordergate_runtime::CharClassPattern`. The house rules refuse other patterns (the provider
/// crates do not depend on `regress`); one that got here anyway would keep typify's check.
/// Returns the number of patterns replaced.
pub(crate) fn simple_patterns(file: &mut syn::File) -> usize {
    struct Visitor(usize);
    impl VisitMut for Visitor {
        fn visit_block_mut(&mut self, block: &mut syn::Block) {
            let replaced = block.stmts.iter_mut().any(|stmt| {
                let syn::Stmt::Item(syn::Item::Static(item)) = stmt else {
                    return false;
                };
                if item.ident != "PATTERN" {
                    return false;
                }
                let Some(pattern) = regress_pattern(&item.expr.to_token_stream()) else {
                    return false;
                };
                let Some(simple) = CharClass::parse(&pattern) else {
                    return false;
                };
                let init = simple.tokens();
                *stmt = syn::parse_quote! {
                    const PATTERN: ::ordergate_runtime::CharClassPattern = #init;
                };
                true
            });
            if replaced {
                let mut is_match = FindToIsMatch(0);
                for stmt in &mut block.stmts {
                    is_match.visit_stmt_mut(stmt);
                }
                // The constant and its one use change together, or the pattern does not count
                // (a `CharClassPattern` has no `find`, so the code would not compile anyway).
                if is_match.0 == 1 {
                    self.0 += 1;
                }
            }
            visit_mut::visit_block_mut(self, block);
        }
    }
    let mut visitor = Visitor(0);
    visitor.visit_file_mut(file);
    visitor.0
}

/// `PATTERN.find(value).is_none()` becomes `!PATTERN.is_match(value)`; counts the uses changed.
struct FindToIsMatch(usize);

impl VisitMut for FindToIsMatch {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::MethodCall(is_none) = expr
            && is_none.method == "is_none"
            && let syn::Expr::MethodCall(find) = &*is_none.receiver
            && find.method == "find"
            && matches!(&*find.receiver, syn::Expr::Path(p) if p.path.is_ident("PATTERN"))
            && find.args.len() == 1
        {
            let value = &find.args[0];
            *expr = syn::parse_quote!(!PATTERN.is_match(#value));
            self.0 += 1;
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// The string given to `regress::Regex::new(..)` in `tokens`, if any.
fn regress_pattern(tokens: &TokenStream) -> Option<String> {
    let text = tokens.to_string();
    if !text.contains("regress") {
        return None;
    }
    fn find(tokens: TokenStream) -> Option<String> {
        let mut after_new = false;
        for tree in tokens {
            match tree {
                proc_macro2::TokenTree::Ident(ident) => after_new = ident == "new",
                proc_macro2::TokenTree::Group(group) => {
                    if after_new
                        && group.delimiter() == proc_macro2::Delimiter::Parenthesis
                        && let Ok(literal) = syn::parse2::<syn::LitStr>(group.stream())
                    {
                        return Some(literal.value());
                    }
                    if let Some(found) = find(group.stream()) {
                        return Some(found);
                    }
                    after_new = false;
                }
                _ => {}
            }
        }
        None
    }
    find(tokens.clone())
}

/// A pattern `^[class]quantifier$` whose class holds only ASCII letters, digits and `_`,
/// single or as ranges (`a-f`), and whose quantifier is `+`, `*`, `?`, `{n}`, `{n,}` or
/// `{n,m}`. Anything else (escapes, negation, alternation, flags) is not simple.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CharClass {
    pub(crate) ranges: Vec<(char, char)>,
    pub(crate) min: usize,
    pub(crate) max: Option<usize>,
}

impl CharClass {
    pub(crate) fn parse(pattern: &str) -> Option<Self> {
        let body = pattern.strip_prefix("^[")?.strip_suffix('$')?;
        let (class, quantifier) = body.split_once(']')?;
        let plain = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let chars: Vec<char> = class.chars().collect();
        let mut ranges = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let low = chars[i];
            if !plain(low) {
                return None;
            }
            if chars.get(i + 1) == Some(&'-') {
                let high = *chars.get(i + 2)?;
                if !plain(high) || high < low {
                    return None;
                }
                ranges.push((low, high));
                i += 3;
            } else {
                ranges.push((low, low));
                i += 1;
            }
        }
        if ranges.is_empty() {
            return None;
        }
        let (min, max) = match quantifier {
            "+" => (1, None),
            "*" => (0, None),
            "?" => (0, Some(1)),
            _ => {
                let bounds = quantifier.strip_prefix('{')?.strip_suffix('}')?;
                let number = |s: &str| -> Option<usize> {
                    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                        .then(|| s.parse().ok())
                        .flatten()
                };
                match bounds.split_once(',') {
                    None => {
                        let n = number(bounds)?;
                        (n, Some(n))
                    }
                    Some((low, "")) => (number(low)?, None),
                    Some((low, high)) => {
                        let (low, high) = (number(low)?, number(high)?);
                        if high < low {
                            return None;
                        }
                        (low, Some(high))
                    }
                }
            }
        };
        Some(Self { ranges, min, max })
    }

    fn tokens(&self) -> TokenStream {
        let ranges = self.ranges.iter().map(|(low, high)| quote!((#low, #high)));
        let min = self.min;
        let max = match self.max {
            Some(max) => quote!(::std::option::Option::Some(#max)),
            None => quote!(::std::option::Option::None),
        };
        quote! {
            ::ordergate_runtime::CharClassPattern::new(&[#(#ranges),*], #min, #max)
        }
    }
}

/// progenitor's `Client::new(baseurl, inner)` builds a `reqwest` client of its own, with
/// reqwest's default redirect policy (a confirm answered `307` would be resent to wherever
/// `Location` points) and an `unwrap()`. It becomes
/// `Self::new_with_client(baseurl, inner.http_client().clone(), inner)`: the transport's
/// client, with the house policy. Returns the number of functions rewritten (one).
pub(crate) fn house_client_new(file: &mut syn::File) -> usize {
    let mut rewritten = 0;
    for item in &mut file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let is_client = block.trait_.is_none()
            && matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
        if !is_client {
            continue;
        }
        for member in &mut block.items {
            if let syn::ImplItem::Fn(function) = member
                && function.sig.ident == "new"
                && function.sig.inputs.len() == 2
            {
                function.block = syn::parse_quote!({
                    Self::new_with_client(baseurl, inner.http_client().clone(), inner)
                });
                rewritten += 1;
            }
        }
    }
    rewritten
}

/// In progenitor's httpmock `When` wrappers, a setter for an array query parameter matches
/// `value.to_string()`, which does not compile for a `Vec`. It becomes one `query_param` per
/// item (the request repeats the parameter once per item). Returns the number of setters
/// rewritten: one per array query parameter in the spec.
pub(crate) fn mock_array_query_params(file: &mut syn::File) -> usize {
    struct Visitor(usize);
    impl VisitMut for Visitor {
        fn visit_impl_item_fn_mut(&mut self, method: &mut syn::ImplItemFn) {
            let bounds = method
                .sig
                .generics
                .where_clause
                .to_token_stream()
                .to_string();
            let body = method.block.to_token_stream();
            let matches_query = body.to_string().contains("query_param");
            if bounds.contains(":: std :: vec :: Vec <")
                && matches_query
                && let Some(name) = first_string_literal(body)
            {
                method.block = syn::parse_quote!({
                    if let Some(value) = value.into() {
                        let mut when = self.0;
                        for item in value {
                            when = when.query_param(#name, item.to_string());
                        }
                        Self(when)
                    } else {
                        Self(self.0.query_param_missing(#name))
                    }
                });
                self.0 += 1;
            }
            visit_mut::visit_impl_item_fn_mut(self, method);
        }
    }
    let mut visitor = Visitor(0);
    visitor.visit_file_mut(file);
    visitor.0
}

/// The first string literal in `tokens`, searching nested groups.
fn first_string_literal(tokens: TokenStream) -> Option<syn::LitStr> {
    tokens.into_iter().find_map(|tree| match tree {
        proc_macro2::TokenTree::Literal(literal) => {
            syn::parse2::<syn::LitStr>(literal.into_token_stream()).ok()
        }
        proc_macro2::TokenTree::Group(group) => first_string_literal(group.stream()),
        _ => None,
    })
}

/// The number of query parameters of array type in `spec`.
pub(crate) fn array_query_params(spec: &Spec) -> usize {
    spec.operations()
        .into_iter()
        .flat_map(|(_, _, operation)| {
            operation
                .get("parameters")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .map(|parameter| spec.resolve(&parameter).clone())
        .filter(|parameter| {
            parameter.get("in").and_then(Value::as_str) == Some("query")
                && parameter
                    .get("schema")
                    .map(|schema| spec.resolve(schema))
                    .and_then(|schema| schema.get("type"))
                    .and_then(Value::as_str)
                    == Some("array")
        })
        .count()
}

/// progenitor adds `header_map.append("api-version", <the spec's info.version>)` to every
/// operation (meant for Dropshot servers; no provider wants it). The statement is removed and
/// the map's capacity lowered by one, so an operation without header parameters builds an
/// empty map, which allocates nothing. Returns the number of operations edited.
pub(crate) fn no_api_version_header(file: &mut syn::File) -> usize {
    struct Visitor(usize);
    impl VisitMut for Visitor {
        fn visit_block_mut(&mut self, block: &mut syn::Block) {
            let is_api_version = |stmt: &syn::Stmt| {
                let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else {
                    return false;
                };
                call.method == "append"
                    && matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("header_map"))
                    && call.args.first().is_some_and(|name| {
                        name.to_token_stream()
                            .to_string()
                            .contains("\"api-version\"")
                    })
            };
            let before = block.stmts.len();
            block.stmts.retain(|stmt| !is_api_version(stmt));
            if block.stmts.len() + 1 == before {
                let mut lowered = false;
                for stmt in &mut block.stmts {
                    if let syn::Stmt::Local(local) = stmt
                        && matches!(&local.pat, syn::Pat::Ident(name) if name.ident == "header_map")
                        && let Some(init) = &mut local.init
                        && let syn::Expr::Call(call) = &mut *init.expr
                        && call
                            .func
                            .to_token_stream()
                            .to_string()
                            .replace(' ', "")
                            .ends_with("HeaderMap::with_capacity")
                        && let Some(syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Int(capacity),
                            ..
                        })) = call.args.first()
                        && let Ok(capacity) = capacity.base10_parse::<usize>()
                        && capacity > 0
                    {
                        let capacity = capacity - 1;
                        call.args[0] = syn::parse_quote!(#capacity);
                        lowered = true;
                    }
                }
                if lowered {
                    self.0 += 1;
                }
            }
            visit_mut::visit_block_mut(self, block);
        }
    }
    let mut visitor = Visitor(0);
    visitor.visit_file_mut(file);
    visitor.0
}

/// typify's builders (`types::builder`) hold each field as `Result<T, String>`, and a required
/// field starts as `Err("no value supplied for order_id".to_string())`: every `builder()` of a
/// type with a required field, and every request builder's `new` (which starts its body from
/// the body type's builder), allocated that message, and a call threw it away. The error
/// becomes `Cow<'static, str>`: that message is borrowed, a setter's conversion error (rare)
/// is `Cow::Owned`, and `ConversionError` converts from it. Returns (builder fields, setters
/// edited): a builder has one setter per field, so the two must match.
pub(crate) fn builder_errors_borrowed(file: &mut syn::File) -> (usize, usize) {
    let Some(types) = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "types" => module.content.as_mut(),
        _ => None,
    }) else {
        return (0, 0);
    };
    let Some(builder) = types.1.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "builder" => module.content.as_mut(),
        _ => None,
    }) else {
        return (0, 0);
    };
    let (mut fields, mut setters, mut defaults, mut missing) = (0, 0, 0, 0);
    for item in &mut builder.1 {
        match item {
            syn::Item::Struct(structure) => {
                for field in &mut structure.fields {
                    if let Some(error) = string_error_of_result(&mut field.ty) {
                        *error = syn::parse_quote!(::std::borrow::Cow<'static, str>);
                        fields += 1;
                    }
                }
            }
            syn::Item::Impl(block)
                if block.trait_.as_ref().is_some_and(|(_, path, _)| {
                    path.segments.last().is_some_and(|s| s.ident == "Default")
                }) =>
            {
                struct Missing(usize, usize);
                impl VisitMut for Missing {
                    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
                        if matches!(&*call.func, syn::Expr::Path(p) if p.path.is_ident("Err"))
                            && call.args.len() == 1
                        {
                            self.1 += 1;
                            if let syn::Expr::MethodCall(to_string) = &call.args[0]
                                && to_string.method == "to_string"
                                && let syn::Expr::Lit(syn::ExprLit {
                                    lit: syn::Lit::Str(message),
                                    ..
                                }) = &*to_string.receiver
                            {
                                let message = message.clone();
                                call.args[0] =
                                    syn::parse_quote!(::std::borrow::Cow::Borrowed(#message));
                                self.0 += 1;
                            }
                        }
                        visit_mut::visit_expr_call_mut(self, call);
                    }
                }
                let mut visitor = Missing(0, 0);
                visitor.visit_item_impl_mut(block);
                defaults += visitor.0;
                missing += visitor.1;
            }
            syn::Item::Impl(block) if block.trait_.is_none() => {
                for member in &mut block.items {
                    let syn::ImplItem::Fn(setter) = member else {
                        continue;
                    };
                    struct Owned(usize);
                    impl VisitMut for Owned {
                        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
                            if call.method == "map_err"
                                && let Some(syn::Expr::Closure(closure)) = call.args.first_mut()
                            {
                                let body = &closure.body;
                                *closure.body = syn::parse_quote!(::std::borrow::Cow::Owned(#body));
                                self.0 += 1;
                            }
                            visit_mut::visit_expr_method_call_mut(self, call);
                        }
                    }
                    let mut visitor = Owned(0);
                    visitor.visit_impl_item_fn_mut(setter);
                    setters += visitor.0;
                }
            }
            _ => {}
        }
    }
    if fields > 0 {
        types.1.push(syn::parse_quote! {
            impl ::std::convert::From<::std::borrow::Cow<'static, str>> for error::ConversionError {
                fn from(value: ::std::borrow::Cow<'static, str>) -> Self {
                    match value {
                        ::std::borrow::Cow::Borrowed(message) => message.into(),
                        ::std::borrow::Cow::Owned(message) => message.into(),
                    }
                }
            }
        });
    }
    // Every `Err(..)` a `Default` starts a field with must have been a message made borrowed;
    // one that was not would no longer compile, but count it as a setter short anyway.
    (fields, setters - (missing - defaults).min(setters))
}

/// The `String` in a `Result<T, ::std::string::String>` type.
fn string_error_of_result(ty: &mut syn::Type) -> Option<&mut syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last_mut()?;
    if last.ident != "Result" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &mut last.arguments else {
        return None;
    };
    if args.args.len() != 2 {
        return None;
    }
    let syn::GenericArgument::Type(error) = &mut args.args[1] else {
        return None;
    };
    (error.to_token_stream().to_string().replace(' ', "") == "::std::string::String")
        .then_some(error)
}

/// Each operation's request is built by a closure, `build`, which the transport calls again
/// for a retry (`Transport::execute_rebuilding`), instead of copying every request before its
/// first attempt. progenitor's
///
/// ```text
/// let mut header_map = ::reqwest::header::HeaderMap::with_capacity(0usize);
/// let mut request = client.inner.request(..).header(..).json(&body).headers(header_map).build()?;
/// ..
/// let result = client.exec(request, &info).await;
/// ```
/// becomes
/// ```text
/// let build = || client.inner.request(..).header(..).json(&body).build();
/// let mut request = build()?;
/// ..
/// let result = client.inner.execute_rebuilding(&client.client, request, crate::described(info.operation_id), &build).await;
/// ```
/// An operation whose request cannot be built twice from borrowed values (header parameters
/// moved into the header map, a `?` inside the chain, a body passed by value) keeps `exec` and
/// the transport's copy. Returns the number of operations handled either way (all of them,
/// unless progenitor's output changed shape).
pub(crate) fn retry_by_rebuilding(file: &mut syn::File) -> usize {
    struct Visitor(usize);
    impl VisitMut for Visitor {
        fn visit_block_mut(&mut self, block: &mut syn::Block) {
            let request_at = block.stmts.iter().position(|stmt| {
                matches!(stmt, syn::Stmt::Local(local)
                    if matches!(&local.pat, syn::Pat::Ident(name) if name.ident == "request")
                    && local.init.as_ref().is_some_and(|init| matches!(&*init.expr, syn::Expr::Try(_))))
            });
            let exec_at = block.stmts.iter().position(|stmt| {
                stmt.to_token_stream()
                    .to_string()
                    .replace(' ', "")
                    .contains("client.exec(request,&info)")
            });
            if let (Some(request_at), Some(exec_at)) = (request_at, exec_at) {
                // Rewritten, or deliberately left with the copy; not a shape this edit misread.
                if let Ok(()) | Err(Replay::NotReplayable) = rebuild(block, request_at, exec_at) {
                    self.0 += 1;
                }
            }
            visit_mut::visit_block_mut(self, block);
        }
    }
    let mut visitor = Visitor(0);
    visitor.visit_file_mut(file);
    visitor.0
}

/// Why [`rebuild`] left a block as it was.
enum Replay {
    /// The request cannot be built twice from borrowed values: it keeps the transport's copy.
    NotReplayable,
    /// progenitor's output does not have the shape the edit expects.
    Unmatched,
}

/// [`retry_by_rebuilding`] on one operation's block (untouched on `Err`).
fn rebuild(block: &mut syn::Block, request_at: usize, exec_at: usize) -> Result<(), Replay> {
    let syn::Stmt::Local(local) = &block.stmts[request_at] else {
        return Err(Replay::Unmatched);
    };
    let Some(syn::Expr::Try(built)) = local.init.as_ref().map(|init| &*init.expr) else {
        return Err(Replay::Unmatched);
    };
    let mut chain = (*built.expr).clone();
    // `.headers(header_map)`, for a map that is empty (no header parameter), is dropped.
    let header_map_at = block.stmts.iter().position(|stmt| {
        matches!(stmt, syn::Stmt::Local(local)
            if matches!(&local.pat, syn::Pat::Ident(name) if name.ident == "header_map"))
    });
    if let Some(at) = header_map_at {
        let empty = block.stmts[at]
            .to_token_stream()
            .to_string()
            .replace(' ', "")
            .ends_with("HeaderMap::with_capacity(0usize);");
        if !empty {
            return Err(Replay::NotReplayable);
        }
        if !drop_headers_call(&mut chain) {
            return Err(Replay::Unmatched);
        }
    }
    let text = chain.to_token_stream().to_string();
    // Built twice only from borrowed values: no `?` inside, nothing moved into a body, no
    // header map left.
    if text.contains('?') || text.contains("header_map") || text.contains(". body (") {
        return Err(Replay::NotReplayable);
    }
    let exec = &mut block.stmts[exec_at];
    let mut replaced = false;
    struct Exec<'a>(&'a mut bool);
    impl VisitMut for Exec<'_> {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            if let syn::Expr::MethodCall(call) = expr
                && call.method == "exec"
                && call.receiver.to_token_stream().to_string() == "client"
            {
                *expr = syn::parse_quote! {
                    client.inner.execute_rebuilding(&client.client, request, crate::described(info.operation_id), &build)
                };
                *self.0 = true;
                return;
            }
            visit_mut::visit_expr_mut(self, expr);
        }
    }
    Exec(&mut replaced).visit_stmt_mut(exec);
    if !replaced {
        return Err(Replay::Unmatched);
    }
    if let syn::Stmt::Local(local) = &mut block.stmts[request_at]
        && let Some(init) = &mut local.init
    {
        *init.expr = syn::parse_quote!(build()?);
    }
    block
        .stmts
        .insert(request_at, syn::parse_quote!(let build = || #chain;));
    if let Some(at) = header_map_at {
        block.stmts.remove(at);
    }
    Ok(())
}

/// Removes `.headers(header_map)` from a builder chain; whether it was there.
fn drop_headers_call(expr: &mut syn::Expr) -> bool {
    let syn::Expr::MethodCall(call) = expr else {
        return false;
    };
    if call.method == "headers"
        && matches!(call.args.first(), Some(syn::Expr::Path(p)) if p.path.is_ident("header_map"))
    {
        *expr = (*call.receiver).clone();
        return true;
    }
    drop_headers_call(&mut call.receiver)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_simple_form_only() {
        assert_eq!(
            CharClass::parse("^[0-9]+$"),
            Some(CharClass {
                ranges: vec![('0', '9')],
                min: 1,
                max: None
            })
        );
        assert_eq!(
            CharClass::parse("^[0-9a-fA-F]{24}$"),
            Some(CharClass {
                ranges: vec![('0', '9'), ('a', 'f'), ('A', 'F')],
                min: 24,
                max: Some(24)
            })
        );
        assert_eq!(
            CharClass::parse("^[A-Z_]{2,5}$").map(|c| (c.min, c.max)),
            Some((2, Some(5)))
        );
        assert_eq!(
            CharClass::parse("^[a]{3,}$").map(|c| (c.min, c.max)),
            Some((3, None))
        );
        for other in [
            "[0-9]+",
            "^[0-9]+",
            "^[^0-9]+$",
            "^[\\d]+$",
            "^[0-9]+|x$",
            "^[9-0]+$",
            "^[0-9]{5,2}$",
            "^[0-9]{,2}$",
            "^[a-]+$",
            "^[é]+$",
            "^[]+$",
            "^[0-9]+?$",
            "^[0-9][a-z]$",
        ] {
            assert_eq!(CharClass::parse(other), None, "{other}");
        }
    }

    #[test]
    fn rewrites_typify_checks_and_counts_what_they_changed() {
        let mut file: syn::File = syn::parse_quote! {
            impl ::std::str::FromStr for Id {
                type Err = self::error::ConversionError;
                fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                    static PATTERN: ::std::sync::LazyLock<::regress::Regex> =
                        ::std::sync::LazyLock::new(|| { ::regress::Regex::new("^[0-9]+$").unwrap() });
                    if PATTERN.find(value).is_none() {
                        return Err("doesn't match pattern \"^[0-9]+$\"".into());
                    }
                    Ok(Self(value.to_string()))
                }
            }
            impl ::std::str::FromStr for Other {
                type Err = self::error::ConversionError;
                fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                    static PATTERN: ::std::sync::LazyLock<::regress::Regex> =
                        ::std::sync::LazyLock::new(|| { ::regress::Regex::new("^(a|b)$").unwrap() });
                    if PATTERN.find(value).is_none() {
                        return Err("no".into());
                    }
                    Ok(Self(value.to_string()))
                }
            }
            async fn send() {
                let url = format!("{}/v1/orders/{}", client.baseurl, encode_path(&id.to_string()),);
                let request = client.client.get(url).build()?;
                let decoded = ResponseValue::from_response(response).await;
                let error = ResponseValue::from_response(response).await?;
            }
            async fn drifted() {
                let url = format!("{}/v1/orders", client.base_url);
                let request = client.http.get(url).build()?;
                let decoded = ResponseValue::decode(response).await;
            }
        };
        assert_eq!(simple_patterns(&mut file), 1);
        assert_eq!(decode_without_header_copy(&mut file), 2);
        assert_eq!(parse_base_url_once(&mut file), 1);
        assert_eq!(house_client_new(&mut file), 0);
        let code = prettyplease::unparse(&file);
        assert!(
            code.contains("const PATTERN: ::ordergate_runtime::CharClassPattern"),
            "{code}"
        );
        assert!(code.contains("!PATTERN.is_match(value)"), "{code}");
        assert_eq!(
            code.matches("regress::Regex::new(\"^(a|b)$\")").count(),
            1,
            "{code}"
        );
        assert_eq!(
            code.matches("PATTERN.find(value).is_none()").count(),
            1,
            "{code}"
        );
        let unspaced: String = code.split_whitespace().collect();
        assert_eq!(
            unspaced
                .matches(
                    "::ordergate_runtime::drift::response_value(response,&crate::DRIFT,info.operation_id,)"
                )
                .count(),
            2,
            "{code}"
        );
        assert!(!code.contains("from_response"), "{code}");
        assert!(
            code.contains("let url = format!(\"/v1/orders/{}\", encode_path("),
            "{code}"
        );
        assert!(
            code.contains(
                ".request(&client.client, ::reqwest::Method::GET, &client.baseurl, &url)"
            ),
            "{code}"
        );
        // The drifted shape is left alone, and the counts show it.
        assert!(code.contains("client.http.get(url)"), "{code}");
    }

    #[test]
    fn spec_counts_cover_patterns_and_typed_responses() {
        let spec = Spec::parse(
            std::path::Path::new("specs/test.yaml"),
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
components:
  schemas:
    Id: {type: string, pattern: '^[0-9]+$', example: {pattern: x}}
    Error: {type: object, properties: {code: {type: string, pattern: '^[a-z]+$'}}}
  responses:
    NotFound: {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
paths:
  /orders/{id}:
    get:
      operationId: get_order
      parameters: [{name: id, in: path, required: true, schema: {type: string, pattern: '^[0-9]+$'}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Id'}}}}
        '404': {$ref: '#/components/responses/NotFound'}
        '5XX': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
    delete:
      operationId: delete_order
      responses:
        '204': {description: gone}
        '4XX': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
"#,
        )
        .expect("test spec parses");
        assert_eq!(spec_patterns(&spec.raw), 3);
        assert_eq!(typed_responses(&spec), 4);
    }
}
