//! progenitor with the house settings, plus the items progenitor does not generate.
//!
//! House settings, and why:
//! - **Builder interface** (`client.confirm_order().body(..).send()`), not positional: adding an
//!   optional parameter to a spec is then not a breaking change for callers, and a value that
//!   breaks its schema (a non-numeric Fuuffy id) becomes `Error::InvalidRequest` at `send()`,
//!   before anything is sent. It also gives every type a `builder()`.
//! - **Merged tags**: our specs are small; one `Client` is simpler than extension traits.
//! - **Hooks expected**: the generated `Client` carries an `ordergate_runtime::Transport`; the
//!   hook implementation emitted here hands every request to it (credentials as sensitive
//!   headers, a token that renews itself, transport policy).
//! - progenitor's output then edited ([`crate::rewrite`]): simple spec patterns checked without
//!   a regex engine, requests built on the base URL parsed once, responses decoded without
//!   copying headers, the transport's HTTP client; each edit counted against the spec, so a
//!   progenitor upgrade that changes the shape it matches fails generation.
//! - progenitor's `api-version` header (for Dropshot servers) edited out of every operation
//!   ([`crate::rewrite`]); the house rules refuse a spec header parameter of that name.
//! - every generated type documented ([`crate::docs`]); an undocumented one fails generation;
//!   an inferred shape's doc ends with why it is inferred ([`crate::inferred`]). Every field,
//!   variant and method progenitor or typify leaves bare gets a doc ([`crate::members`]), so
//!   the provider crates forbid `missing_docs`; progenitor's `ignore` examples are removed
//!   (they cannot compile), and a doc that reads like a note for the spec's reviewer fails
//!   generation (house rule 12).
//! - every optional array field read as a slice through an accessor ([`crate::lists`]).
//! - **`schemars::JsonSchema`** (schemars 0.8, as progenitor 0.15 needs) and `PartialEq`
//!   derived on every type.
//! - **`BTreeMap`** for maps, so serialization order is deterministic.
//! - every component string enum replaced with a forward-compatible enum ([`crate::open_enum`]).
//! - every optional array or map property nullable (see [`tolerant`]), so `null` decodes.
//! - every component `format: password` string replaced with `ordergate_runtime::Sensitive`,
//!   whose `Debug` is redacted.

use std::panic::{AssertUnwindSafe, catch_unwind};

use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use quote::quote;
use serde_json::Value;

use crate::open_enum::{self, OpenEnum};
use crate::rules::ENVIRONMENTS;
use crate::{CodegenError, Spec, check};

/// The generated Rust sources for one spec.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The client: `types`, `builder`, `Client`, hooks, base-URL constants.
    pub client: String,
    /// progenitor's typed httpmock helpers (`mock::MockServerExt`), for the `mock` feature.
    pub mock: String,
}

/// Checks `spec` against the house rules, then generates its client and mock helpers.
pub fn generate(spec: &Spec) -> Result<Generated, CodegenError> {
    check(spec)?;
    generate_unchecked(spec)
}

/// [`generate`] without the house rules: for a stale spec copy only (see
/// [`crate::build_script`]).
pub(crate) fn generate_unchecked(spec: &Spec) -> Result<Generated, CodegenError> {
    let open_enums = open_enum::collect(spec);
    let generator_error = |message: String| CodegenError::Generator {
        path: spec.path.clone(),
        message,
    };

    let (openapi, optional_arrays) = tolerant(spec)?;
    let mut client = progenitor_client(spec, &open_enums, &openapi)?;
    let mut enum_items = Vec::new();
    for open in &open_enums {
        let tokens = open.tokens().map_err(&generator_error)?;
        let file: syn::File = syn::parse2(tokens)
            .map_err(|e| generator_error(format!("open enum {}: {e}", open.name)))?;
        enum_items.extend(file.items);
    }
    // `check` has refused a malformed code table, so this finds only well-formed ones.
    for codes in crate::codes::collect(spec).unwrap_or_default() {
        let file: syn::File = syn::parse2(codes.tokens())
            .map_err(|e| generator_error(format!("codes of {}: {e}", codes.schema)))?;
        enum_items.extend(file.items);
    }
    crate::rewrite::apply(spec, &mut client)?;
    let accessors = crate::lists::add_accessors(&mut client).map_err(|taken| {
        generator_error(format!(
            "the optional-list accessor {taken} would clash with a generated method of the same name"
        ))
    })?;
    if accessors != optional_arrays {
        return Err(CodegenError::Rewrite {
            path: spec.path.clone(),
            rewrite: "lists::add_accessors",
            sites: "one per optional array property of a component schema",
            expected: optional_arrays,
            found: accessors,
        });
    }
    crate::docs::document_builders(&mut client);
    let dropped = crate::docs::drop_ignored_examples(&mut client);
    if dropped != spec.operations().len() {
        return Err(CodegenError::Rewrite {
            path: spec.path.clone(),
            rewrite: "docs::drop_ignored_examples",
            sites: "progenitor's ```ignore example, one per operation",
            expected: spec.operations().len(),
            found: dropped,
        });
    }
    inject_into_types(&mut client, enum_items)
        .ok_or_else(|| generator_error("progenitor emitted no `types` module".into()))?;
    let described = crate::operations::tokens(spec).map_err(&generator_error)?;
    let extras: syn::File = syn::parse2(house_items(spec, described))
        .map_err(|e| generator_error(format!("house items: {e}")))?;
    client.items.extend(extras.items);

    let mock_tokens = run_progenitor(spec, &open_enums, |generator| {
        generator.httpmock(&openapi, "crate")
    })?;
    let mut mock: syn::File = syn::parse2(mock_tokens)
        .map_err(|e| generator_error(format!("generated mock does not parse: {e}")))?;
    crate::docs::document_mock_wrappers(spec, &mut mock);
    let routes = spec
        .operations()
        .into_iter()
        .filter_map(|(method, path, operation)| {
            let id = operation.get("operationId")?.as_str()?;
            Some((id.to_owned(), format!("{} {path}", method.to_uppercase())))
        })
        .collect();
    let (expected, rewritten) = (
        crate::rewrite::array_query_params(spec),
        crate::rewrite::mock_array_query_params(&mut mock),
    );
    if rewritten != expected {
        return Err(generator_error(format!(
            "mock_array_query_params rewrote {rewritten} setters; the spec has {expected} array query parameters (a progenitor upgrade changed its mock output)"
        )));
    }

    let mut undocumented = crate::members::document_members(&mut client);
    undocumented.extend(
        crate::members::document_mock_members(&mut mock, &routes)
            .into_iter()
            .map(|name| format!("mock::{name}")),
    );
    undocumented.extend(crate::docs::undocumented_types(&client));
    undocumented.extend(
        crate::docs::undocumented_types(&mock)
            .into_iter()
            .map(|name| format!("mock::{name}")),
    );
    if !undocumented.is_empty() {
        return Err(CodegenError::Undocumented {
            path: spec.path.clone(),
            types: undocumented,
        });
    }

    let mut notes = crate::docs::review_notes(&mut client);
    notes.extend(crate::docs::review_notes(&mut mock));
    if !notes.is_empty() {
        return Err(CodegenError::ReviewNoteInDocs {
            path: spec.path.clone(),
            found: notes,
        });
    }

    crate::docs::link_bare_urls(&mut client);
    crate::docs::link_bare_urls(&mut mock);
    allow_generated_lints(&mut client);
    allow_generated_lints(&mut mock);
    Ok(Generated {
        client: with_header(spec, &prettyplease::unparse(&client)),
        mock: with_header(spec, &prettyplease::unparse(&mock)),
    })
}

/// progenitor's client for `openapi` (the spec as progenitor sees it), before the house edits.
fn progenitor_client(
    spec: &Spec,
    open_enums: &[OpenEnum],
    openapi: &openapiv3::OpenAPI,
) -> Result<syn::File, CodegenError> {
    let tokens = run_progenitor(spec, open_enums, |generator| {
        generator.generate_tokens(openapi)
    })?;
    syn::parse2(tokens).map_err(|e| CodegenError::Generator {
        path: spec.path.clone(),
        message: format!("generated code does not parse: {e}"),
    })
}

/// The spec as progenitor sees it: every optional array or map property is also `nullable`,
/// every inline parameter schema has a `description` ([`crate::docs::describe_parameters`]),
/// and every `x-ordergate-inferred` shape's description says it is inferred
/// ([`crate::inferred::mark_descriptions`]).
/// Also returns how many array properties of component schemas become `Option<Vec<T>>` (not
/// required, or nullable), each of which gets a slice accessor ([`crate::lists`]).
///
/// typify turns an optional array into `Vec<T>` with `#[serde(default)]`, which accepts an
/// absent key but fails the whole response on `null`, and providers do send `null` for empty
/// lists. As `Option<Vec<T>>` both decode. The spec file itself is unchanged (and its examples
/// are validated as written).
fn tolerant(spec: &Spec) -> Result<(openapiv3::OpenAPI, usize), CodegenError> {
    fn visit(schema: &mut Value, optional_arrays: &mut usize) {
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        let required: Vec<String> = object
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        if let Some(Value::Object(properties)) = object.get_mut("properties") {
            for (name, property) in properties.iter_mut() {
                let is_collection = match property.get("type").and_then(Value::as_str) {
                    Some("array") => true,
                    Some("object") => property.get("properties").is_none(),
                    _ => false,
                };
                if is_collection
                    && !required.contains(name)
                    && let Some(property) = property.as_object_mut()
                {
                    property.insert("nullable".into(), Value::Bool(true));
                }
                let is_array = property.get("type").and_then(Value::as_str) == Some("array");
                let nullable = property.get("nullable").and_then(Value::as_bool) == Some(true);
                if is_array && nullable {
                    *optional_arrays += 1;
                }
                visit(property, optional_arrays);
            }
        }
        for key in ["items", "additionalProperties"] {
            if let Some(child) = object.get_mut(key) {
                visit(child, optional_arrays);
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(children)) = object.get_mut(key) {
                for child in children {
                    visit(child, optional_arrays);
                }
            }
        }
    }
    let mut raw = spec.raw.clone();
    let mut optional_arrays = 0;
    if let Some(Value::Object(schemas)) = raw.pointer_mut("/components/schemas") {
        for schema in schemas.values_mut() {
            visit(schema, &mut optional_arrays);
        }
    }
    crate::docs::describe_parameters(spec, &mut raw);
    crate::inferred::mark_descriptions(&mut raw);
    let openapi = serde_json::from_value(raw).map_err(|e| CodegenError::Generator {
        path: spec.path.clone(),
        message: format!("tolerant spec: {e}"),
    })?;
    Ok((openapi, optional_arrays))
}

/// The house generation settings (see the module documentation for the reasons).
fn settings(open_enums: &[OpenEnum], sensitive: &[String]) -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote!(::ordergate_runtime::Transport))
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        .with_map_type("::std::collections::BTreeMap");
    for name in sensitive {
        settings.with_replacement(
            name,
            "::ordergate_runtime::Sensitive",
            [TypeImpl::FromStr].into_iter(),
        );
    }
    for open in open_enums {
        settings.with_replacement(
            &open.name,
            format!("crate::types::{}", open.name),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    settings
}

/// Component schemas declared `type: string, format: password`: credentials in bodies, which
/// become `ordergate_runtime::Sensitive` (redacted in `Debug`).
fn sensitive_schemas(spec: &Spec) -> Vec<String> {
    spec.raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, schema)| {
            schema.get("type").and_then(Value::as_str) == Some("string")
                && schema.get("format").and_then(Value::as_str) == Some("password")
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// Runs one progenitor pass; its errors and panics become [`CodegenError::Generator`].
fn run_progenitor(
    spec: &Spec,
    open_enums: &[OpenEnum],
    pass: impl FnOnce(&mut Generator) -> Result<TokenStream, progenitor::Error>,
) -> Result<TokenStream, CodegenError> {
    let mut generator = Generator::new(&settings(open_enums, &sensitive_schemas(spec)));
    // progenitor asserts instead of returning errors on some inputs; the house rules should
    // have caught those, and this keeps any remaining one from aborting the build with a
    // backtrace that names no spec.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = catch_unwind(AssertUnwindSafe(|| pass(&mut generator)));
    std::panic::set_hook(previous_hook);
    match outcome {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(error)) => Err(CodegenError::Generator {
            path: spec.path.clone(),
            message: error.to_string(),
        }),
        Err(panic) => Err(CodegenError::Generator {
            path: spec.path.clone(),
            message: format!(
                "progenitor panicked: {}",
                panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("(no message)")
            ),
        }),
    }
}

/// Generated code is held to the spec, not to the workspace's lints: progenitor's output uses
/// `unwrap()` on constant regexes and copies spec descriptions into doc comments as written.
/// `missing_docs` and the rustdoc lints are not among them: every public item is documented
/// (`crate::members`), each provider crate forbids `missing_docs`, and the docs' bare URLs are
/// made links (`crate::docs::link_bare_urls`), so `cargo doc` with `-D warnings` checks them.
fn allow_generated_lints(file: &mut syn::File) {
    let allow: syn::Attribute =
        syn::parse_quote!(#[allow(clippy::all, clippy::unwrap_used, unused_mut)]);
    for item in &mut file.items {
        let attrs = match item {
            syn::Item::Mod(item) => &mut item.attrs,
            syn::Item::Impl(item) => &mut item.attrs,
            syn::Item::Struct(item) => &mut item.attrs,
            syn::Item::Enum(item) => &mut item.attrs,
            syn::Item::Trait(item) => &mut item.attrs,
            syn::Item::Const(item) => &mut item.attrs,
            syn::Item::Fn(item) => &mut item.attrs,
            syn::Item::Use(item) => &mut item.attrs,
            _ => continue,
        };
        attrs.push(allow.clone());
    }
}

/// Appends `items` to the generated `pub mod types { .. }`.
fn inject_into_types(file: &mut syn::File, items: Vec<syn::Item>) -> Option<()> {
    let types = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "types" => module.content.as_mut(),
        _ => None,
    })?;
    types.1.extend(items);
    Some(())
}

/// What every generated client gets beyond progenitor's output: the hooks that hand requests
/// to the shared transport, a `connect` constructor, and the spec's base URLs.
fn house_items(spec: &Spec, described: TokenStream) -> TokenStream {
    let base_urls = base_url_constants(spec);
    let production = production_constructor(spec);
    let drift = crate::drift::tokens(spec);
    quote! {
        #described

        #drift

        /// The description the transport receives for the operation `id` (every generated
        /// operation has one; an unknown id, which the generated code never passes, is
        /// treated as not idempotent).
        fn described(id: &str) -> &'static ::ordergate_runtime::Operation {
            const UNDESCRIBED: ::ordergate_runtime::Operation =
                ::ordergate_runtime::Operation::new("undescribed", "POST", "", &CONVENTIONS);
            match operations::by_id(id) {
                Some(operation) => operation,
                None => &UNDESCRIBED,
            }
        }

        impl progenitor_client::ClientHooks<::ordergate_runtime::Transport> for Client {
            // Plain functions returning futures, not `async fn`s: an `async fn` wrapper would
            // hold the request a second time in every call's future.
            fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &OperationInfo,
            ) -> impl ::std::future::Future<Output = ::std::result::Result<(), Error<E>>> {
                // The spec's bounds, then the credentials; ready at once unless a token
                // source's token must be fetched.
                self.inner.authorize(request, described(info.operation_id))
            }

            fn exec(
                &self,
                request: reqwest::Request,
                info: &OperationInfo,
            ) -> impl ::std::future::Future<Output = reqwest::Result<reqwest::Response>> {
                self.inner.execute(&self.client, request, described(info.operation_id))
            }
        }

        impl Client {
            /// Builds a client for `base_url` that authenticates with `auth` and applies the
            /// transport policy in `config` (one deadline per call, retries, no redirects,
            /// TLS, plain-HTTP guard). A trailing `/` of `base_url` is ignored.
            ///
            /// # Errors
            /// [`ordergate_runtime::ConfigError`] when the base URL is invalid (or carries a
            /// username, password, query or fragment), when a credential is refused, when
            /// credentials would travel over plain `http://` to a host that is not loopback
            /// (unless `config` allows it), or when the HTTP client cannot be built. Nothing
            /// is sent.
            pub fn connect(
                base_url: &str,
                auth: impl ::std::convert::Into<::ordergate_runtime::Auth>,
                config: &::ordergate_runtime::ClientConfig,
            ) -> ::std::result::Result<Self, ::ordergate_runtime::ConfigError> {
                let transport = ::ordergate_runtime::Transport::build(base_url, auth.into(), config)?;
                let (base_url, http) = (transport.base_url().to_owned(), transport.http_client().clone());
                Ok(Self::new_with_client(&base_url, http, transport))
            }

            /// A client for `base_url` (e.g. [`PRODUCTION_BASE_URL`]) that sends `credentials`
            /// with every request, with the default [`ordergate_runtime::ClientConfig`].
            ///
            /// # Errors
            /// As [`Client::connect`].
            pub fn with_credentials(
                base_url: &str,
                credentials: impl ::std::convert::Into<::ordergate_runtime::Auth>,
            ) -> ::std::result::Result<Self, ::ordergate_runtime::ConfigError> {
                Self::connect(base_url, credentials, &::ordergate_runtime::ClientConfig::default())
            }

            /// The transport this client sends through (credentials redacted in `Debug`).
            pub fn transport(&self) -> &::ordergate_runtime::Transport {
                &self.inner
            }

            #production
        }

        #base_urls
    }
}

/// `Client::production`, for a spec whose servers include a redundant production host
/// (`x-ordergate-environment: production_secondary`): the production URL, failing over to the
/// secondary one.
fn production_constructor(spec: &Spec) -> TokenStream {
    let has_secondary = spec
        .raw
        .get("servers")
        .and_then(Value::as_array)
        .is_some_and(|servers| {
            servers.iter().any(|s| {
                s.get("x-ordergate-environment").and_then(Value::as_str)
                    == Some("production_secondary")
            })
        });
    if !has_secondary {
        return TokenStream::new();
    }
    quote! {
        /// A client for production ([`PRODUCTION_BASE_URL`]) that fails over to the redundant
        /// host ([`PRODUCTION_SECONDARY_BASE_URL`]) unless `config` names another
        /// ([`ClientConfig::failover_base_url`](::ordergate_runtime::ClientConfig::failover_base_url)).
        /// A request goes to the other host only when it would be retried anyway: a read (or
        /// an operation marked idempotent) after a retryable failure, and any operation when
        /// no connection could be made, so that nothing was sent.
        ///
        /// # Errors
        /// As [`Client::connect`].
        pub fn production(
            auth: impl ::std::convert::Into<::ordergate_runtime::Auth>,
            config: &::ordergate_runtime::ClientConfig,
        ) -> ::std::result::Result<Self, ::ordergate_runtime::ConfigError> {
            if config.failover_base_url.is_some() {
                return Self::connect(PRODUCTION_BASE_URL, auth, config);
            }
            let config = config.clone().with_failover_base_url(PRODUCTION_SECONDARY_BASE_URL);
            Self::connect(PRODUCTION_BASE_URL, auth, &config)
        }
    }
}

fn base_url_constants(spec: &Spec) -> TokenStream {
    let servers = spec
        .raw
        .get("servers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let constants = ENVIRONMENTS.iter().filter_map(|environment| {
        let server = servers.iter().find(|s| {
            s.get("x-ordergate-environment").and_then(Value::as_str) == Some(*environment)
        })?;
        let url = server.get("url")?.as_str()?;
        let name = quote::format_ident!("{}_BASE_URL", environment.to_uppercase());
        let doc = format!(
            "The {} base URL, from the spec's `servers`{}.",
            environment.replace('_', " "),
            server
                .get("description")
                .and_then(Value::as_str)
                .map(|d| format!(": {}", d.trim().trim_end_matches('.')))
                .unwrap_or_default()
        );
        Some(quote! {
            #[doc = #doc]
            pub const #name: &str = #url;
        })
    });
    quote! { #(#constants)* }
}

fn with_header(spec: &Spec, code: &str) -> String {
    format!(
        "// Generated by ordergate-codegen from {}; do not edit. Change the spec instead.\n\n{code}",
        spec.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use quote::ToTokens as _;

    use super::*;

    const PROVIDERS: [&str; 4] = ["fuuffy", "logitrail", "onemg", "fastpod"];

    fn spec_path(provider: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../specs")
            .join(format!("{provider}.yaml"))
    }

    fn small_spec(schemas: &str) -> Spec {
        let text = format!(
            r#"
openapi: 3.0.3
info: {{title: t, version: "1"}}
servers:
  - url: https://example.test
    x-ordergate-environment: production
components:
  schemas:
{schemas}
paths:
  /orders:
    get:
      operationId: get_orders
      parameters:
        - {{name: id, in: query, required: true, description: The order's id., schema: {{type: string, pattern: '^[0-9]+$'}}}}
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Orders'}}}}}}}}
        '4XX': {{description: no, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Orders'}}}}}}}}
"#
        );
        Spec::parse(Path::new("specs/test.yaml"), &text)
            .expect("test spec parses")
            .with_sources()
    }

    #[test]
    fn every_spec_generates_with_every_type_documented() {
        for provider in PROVIDERS {
            let spec = Spec::load(&spec_path(provider)).expect("spec loads");
            let generated = generate(&spec).unwrap_or_else(|e| panic!("{provider}: {e}"));
            for code in [&generated.client, &generated.mock] {
                let file: syn::File = syn::parse_str(code).expect("generated code parses");
                assert_eq!(
                    crate::docs::undocumented_types(&file),
                    Vec::<String>::new(),
                    "{provider}"
                );
            }
            assert!(
                !generated.client.contains("::regress::"),
                "{provider}: a pattern kept typify's regex check"
            );
        }
    }

    #[test]
    fn a_parameter_newtype_is_documented_by_its_parameter() {
        let spec = Spec::load(&spec_path("fuuffy")).expect("spec loads");
        let generated = generate(&spec).expect("fuuffy generates");
        let doc = "///The `id` query parameter of `GET /v1/order` (`get_order`): Order ID (numeric string; Get Order page).\n";
        assert!(generated.client.contains(doc), "{}", generated.client);
    }

    #[test]
    fn an_undocumented_component_schema_fails_generation() {
        let spec = small_spec(
            "    Orders: {type: object, properties: {ids: {type: array, items: {type: string}}}}",
        );
        match generate(&spec) {
            Err(CodegenError::Undocumented { types, .. }) => {
                assert_eq!(types, ["types::Orders"]);
            }
            other => panic!("expected Undocumented, got {other:?}"),
        }
        let spec = small_spec(
            "    Orders: {type: object, description: A page of orders., properties: {ids: {type: array, items: {type: string}}}}",
        );
        let generated = generate(&spec).expect("documented spec generates");
        assert!(
            generated.client.contains(
                "///The `id` query parameter of `GET /orders` (`get_orders`): The order's id.\n"
            ),
            "{}",
            generated.client
        );
        assert!(
            generated
                .client
                .contains("pub fn ids(&self) -> &[::std::string::String]"),
            "{}",
            generated.client
        );
    }

    #[test]
    fn no_generated_doc_carries_a_review_note_or_an_ignored_example() {
        for provider in PROVIDERS {
            let spec = Spec::load(&spec_path(provider)).expect("spec loads");
            let generated = generate(&spec).unwrap_or_else(|e| panic!("{provider}: {e}"));
            for code in [&generated.client, &generated.mock] {
                assert!(
                    !code.contains("```ignore"),
                    "{provider}: an ignored example"
                );
                // The provider crates forbid `missing_docs`: an allow would not compile.
                assert!(
                    !code.contains("missing_docs"),
                    "{provider}: a missing_docs allow"
                );
                let mut file: syn::File = syn::parse_str(code).expect("generated code parses");
                assert_eq!(
                    crate::docs::review_notes(&mut file),
                    Vec::<String>::new(),
                    "{provider}"
                );
            }
            // The notes are still in the spec, for the reviewer.
            assert!(
                spec.raw.to_string().contains(crate::docs::REVIEW_NOTE),
                "{provider}: no review note left in the spec"
            );
        }
    }

    #[test]
    fn a_review_note_in_a_description_fails_generation_and_beside_it_is_not_rendered() {
        let note = "The docs' sample answers another order; kept verbatim.";
        let spec = small_spec(&format!(
            "    Orders: {{type: object, description: A page of orders. {note}, properties: {{ids: {{type: array, items: {{type: string}}}}}}}}"
        ));
        match generate(&spec) {
            Err(error @ CodegenError::ReviewNoteInDocs { .. }) => {
                let message = error.to_string();
                assert!(message.contains("`verbatim`"), "{message}");
                assert!(message.contains("x-ordergate-review-note"), "{message}");
            }
            other => panic!("expected ReviewNoteInDocs, got {other:?}"),
        }
        let spec = small_spec(&format!(
            "    Orders: {{type: object, description: A page of orders., x-ordergate-review-note: {note}, properties: {{ids: {{type: array, items: {{type: string}}}}}}}}"
        ));
        let generated = generate(&spec).expect("a review note beside the description generates");
        assert!(
            !generated.client.contains("verbatim"),
            "{}",
            generated.client
        );
        assert!(generated.client.contains("A page of orders."));

        let spec = small_spec(
            "    Orders: {type: object, description: A page of orders., x-ordergate-review-note: {text: no}}",
        );
        match generate(&spec) {
            Err(CodegenError::Rules(found)) => assert!(
                found.iter().any(|v| v.location
                    == "/components/schemas/Orders/x-ordergate-review-note"
                    && v.message.contains("non-empty string")),
                "{found:?}"
            ),
            other => panic!("expected a rule violation, got {other:?}"),
        }
    }

    #[test]
    fn a_field_without_a_description_is_documented_by_its_type() {
        let spec = small_spec(
            "    Orders: {type: object, description: A page of orders., required: [first], properties: {first: {$ref: '#/components/schemas/Order'}, rest: {type: array, items: {$ref: '#/components/schemas/Order'}}, count: {type: integer}}, additionalProperties: {}}\n    Order: {type: object, description: One order of a page. Its id is digits., properties: {id: {type: string}}}",
        );
        let generated = generate(&spec).expect("generates");
        for doc in [
            "/// The `first` of this `Orders`: an [`Order`] (One order of a page).\n",
            "/// The `rest` of this `Orders` (optional): a list, each an [`Order`] (One order of a page).\n",
            "/// The `count` of this `Orders` (optional): an integer.\n",
            "/// The `id` of this `Order` (optional): a string.\n",
            "/// Fields of the `Orders` that this version does not describe, kept as the provider sent them.\n",
        ] {
            assert!(
                generated.client.contains(doc),
                "{doc}\n{}",
                generated.client
            );
        }
        // A request builder's parameter setter links to the operation it belongs to.
        assert!(
            generated.client.contains(
                "/// Sets the `id` parameter (see [`Client::get_orders`](super::Client::get_orders))"
            ),
            "{}",
            generated.client
        );
    }

    /// Simulates a progenitor upgrade that spells an edited site differently: generation must
    /// fail and name the edit, instead of shipping progenitor's version silently.
    #[test]
    fn a_rewrite_that_no_longer_matches_fails_generation() {
        let spec = Spec::load(&spec_path("fuuffy")).expect("spec loads");
        let open_enums = open_enum::collect(&spec);
        let (openapi, _) = tolerant(&spec).expect("tolerant spec");
        let pristine = progenitor_client(&spec, &open_enums, &openapi).expect("progenitor runs");
        crate::rewrite::apply(&spec, &mut pristine.clone()).expect("progenitor 0.15 matches");

        for (from, to, rewrite) in [
            (
                "ResponseValue :: from_response",
                "ResponseValue :: from_response_body",
                "decode_without_header_copy",
            ),
            (
                "client . baseurl",
                "client . base_url",
                "parse_base_url_once",
            ),
            ("static PATTERN", "static RE", "simple_patterns"),
        ] {
            let text = pristine.to_token_stream().to_string();
            assert!(text.contains(from), "{from} not in progenitor's output");
            let mut drifted: syn::File =
                syn::parse_str(&text.replace(from, to)).expect("drifted code parses");
            match crate::rewrite::apply(&spec, &mut drifted) {
                Err(error @ CodegenError::Rewrite { .. }) => {
                    let message = error.to_string();
                    assert!(
                        message.contains(&format!("the `{rewrite}` edit of progenitor's output changed 0 site(s), expected")),
                        "{message}"
                    );
                }
                other => panic!("{rewrite}: expected a Rewrite error, got {other:?}"),
            }
        }
    }
}
