//! Edits to progenitor's output that its settings cannot express. Each one removes per-call
//! work the benchmark profile (`cargo xtask bench`, BENCHMARKS.md) attributed to it.
//!
//! - [`drop_api_version`]: progenitor adds an `api-version` header (meant for Dropshot servers)
//!   to every request; no provider wants it, and building then removing it cost a header map
//!   allocation, an insert and a lookup per call.
//! - [`decode_without_header_copy`]: responses decoded by `ordergate_runtime::response_value`,
//!   which moves the headers into the `ResponseValue` instead of copying them.
//! - [`parse_base_url_once`]: requests built on the base URL parsed once, not by parsing
//!   `base + path` on every call.
//! - [`house_client_new`]: progenitor's `Client::new` builds its own `reqwest` client, which
//!   follows redirects and panics if it cannot be built; it uses the transport's instead.
//! - [`simple_patterns`]: a spec `pattern` of the form `^[class]{n,m}$` is checked by
//!   `ordergate_runtime::CharClassPattern` instead of the `regress` backtracking engine.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::visit_mut::{self, VisitMut};

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
/// A block that does not have exactly this shape is left as progenitor wrote it.
pub(crate) fn parse_base_url_once(file: &mut syn::File) {
    struct Visitor;
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
                }
            }
            visit_mut::visit_block_mut(self, block);
        }
    }
    Visitor.visit_file_mut(file);
}

/// `format!("{}/rest", client.baseurl, args..)` as `format!("/rest", args..)`.
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
    let rest = syn::LitStr::new(&rest, template.span());
    let args: Vec<syn::Expr> = args.collect();
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

/// Every `ResponseValue::from_response(..)` becomes `::ordergate_runtime::response_value(..)`,
/// which moves the headers instead of copying them.
pub(crate) fn decode_without_header_copy(file: &mut syn::File) {
    struct Visitor;
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
                    *call.func = syn::parse_quote!(::ordergate_runtime::response_value);
                }
            }
            visit_mut::visit_expr_call_mut(self, call);
        }
    }
    Visitor.visit_file_mut(file);
}

/// Removes progenitor's `api-version` header from every generated request.
pub(crate) fn drop_api_version(file: &mut syn::File) {
    struct Visitor;
    impl VisitMut for Visitor {
        fn visit_block_mut(&mut self, block: &mut syn::Block) {
            let before = block.stmts.len();
            block.stmts.retain(|stmt| {
                !stmt
                    .to_token_stream()
                    .to_string()
                    .contains("\"api-version\"")
            });
            if block.stmts.len() < before {
                for stmt in &mut block.stmts {
                    shrink_header_map_capacity(stmt);
                }
            }
            visit_mut::visit_block_mut(self, block);
        }
    }
    Visitor.visit_file_mut(file);
}

/// `HeaderMap::with_capacity(N)` sized for the removed header becomes `with_capacity(N - 1)`
/// (no allocation at all when no other header is sent).
fn shrink_header_map_capacity(stmt: &mut syn::Stmt) {
    let syn::Stmt::Local(local) = stmt else {
        return;
    };
    let Some(init) = &mut local.init else {
        return;
    };
    let syn::Expr::Call(call) = &mut *init.expr else {
        return;
    };
    let is_with_capacity = matches!(&*call.func, syn::Expr::Path(path)
        if path.path.segments.last().is_some_and(|s| s.ident == "with_capacity")
            && path.path.segments.iter().any(|s| s.ident == "HeaderMap"));
    if !is_with_capacity {
        return;
    }
    if let Some(syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Int(n),
        ..
    })) = call.args.first_mut()
        && let Ok(value) = n.base10_parse::<usize>()
    {
        let smaller = value.saturating_sub(1);
        *n = syn::LitInt::new(&format!("{smaller}usize"), n.span());
    }
}

/// Replaces typify's `regress` check of every pattern of the form `^[class]{n,m}$` with an
/// `ordergate_runtime::CharClassPattern`. The house rules refuse other patterns (the provider
/// crates do not depend on `regress`); one that got here anyway would keep typify's check.
pub(crate) fn simple_patterns(file: &mut syn::File) {
    struct Visitor;
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
                for stmt in &mut block.stmts {
                    FindToIsMatch.visit_stmt_mut(stmt);
                }
            }
            visit_mut::visit_block_mut(self, block);
        }
    }
    Visitor.visit_file_mut(file);
}

/// `PATTERN.find(value).is_none()` becomes `!PATTERN.is_match(value)`.
struct FindToIsMatch;

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
/// client, with the house policy. Returns whether the function was found and rewritten.
pub(crate) fn house_client_new(file: &mut syn::File) -> bool {
    let mut rewritten = false;
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
                rewritten = true;
            }
        }
    }
    rewritten
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
    fn rewrites_typify_checks_and_drops_api_version() {
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
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                header_map.append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                );
                header_map.append("x-other", value);
            }
        };
        simple_patterns(&mut file);
        drop_api_version(&mut file);
        decode_without_header_copy(&mut file);
        parse_base_url_once(&mut file);
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
        assert!(!code.contains("api-version"), "{code}");
        assert!(code.contains("with_capacity(1usize)"), "{code}");
        assert!(code.contains("\"x-other\""), "{code}");
        assert!(
            code.contains("::ordergate_runtime::response_value(response)"),
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
    }
}
