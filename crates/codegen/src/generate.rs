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
//!   headers, transport policy).
//! - progenitor's output then edited ([`crate::rewrite`]): no `api-version` header, and simple
//!   spec patterns checked without a regex engine.
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
    let open_enums = open_enum::collect(spec);
    let generator_error = |message: String| CodegenError::Generator {
        path: spec.path.clone(),
        message,
    };

    let openapi = tolerant(spec)?;
    let client_tokens = run_progenitor(spec, &open_enums, |generator| {
        generator.generate_tokens(&openapi)
    })?;
    let mut client: syn::File = syn::parse2(client_tokens)
        .map_err(|e| generator_error(format!("generated code does not parse: {e}")))?;
    let mut enum_items = Vec::new();
    for open in &open_enums {
        let tokens = open.tokens().map_err(&generator_error)?;
        let file: syn::File = syn::parse2(tokens)
            .map_err(|e| generator_error(format!("open enum {}: {e}", open.name)))?;
        enum_items.extend(file.items);
    }
    crate::rewrite::simple_patterns(&mut client);
    crate::rewrite::drop_api_version(&mut client);
    crate::rewrite::decode_without_header_copy(&mut client);
    crate::rewrite::parse_base_url_once(&mut client);
    if !crate::rewrite::house_client_new(&mut client) {
        return Err(generator_error(
            "progenitor's `Client::new(baseurl, inner)` no longer has the shape the house rewrite expects".into(),
        ));
    }
    inject_into_types(&mut client, enum_items)
        .ok_or_else(|| generator_error("progenitor emitted no `types` module".into()))?;
    let extras: syn::File =
        syn::parse2(house_items(spec)).map_err(|e| generator_error(format!("house items: {e}")))?;
    client.items.extend(extras.items);

    let mock_tokens = run_progenitor(spec, &open_enums, |generator| {
        generator.httpmock(&openapi, "crate")
    })?;
    let mock: syn::File = syn::parse2(mock_tokens)
        .map_err(|e| generator_error(format!("generated mock does not parse: {e}")))?;

    allow_generated_lints(&mut client);
    let mut mock = mock;
    allow_generated_lints(&mut mock);
    Ok(Generated {
        client: with_header(spec, &prettyplease::unparse(&client)),
        mock: with_header(spec, &prettyplease::unparse(&mock)),
    })
}

/// The spec as progenitor sees it: every optional array or map property is also `nullable`.
///
/// typify turns an optional array into `Vec<T>` with `#[serde(default)]`, which accepts an
/// absent key but fails the whole response on `null`, and providers do send `null` for empty
/// lists. As `Option<Vec<T>>` both decode. The spec file itself is unchanged (and its examples
/// are validated as written).
fn tolerant(spec: &Spec) -> Result<openapiv3::OpenAPI, CodegenError> {
    fn visit(schema: &mut Value) {
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
                visit(property);
            }
        }
        for key in ["items", "additionalProperties"] {
            if let Some(child) = object.get_mut(key) {
                visit(child);
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(children)) = object.get_mut(key) {
                children.iter_mut().for_each(visit);
            }
        }
    }
    let mut raw = spec.raw.clone();
    if let Some(Value::Object(schemas)) = raw.pointer_mut("/components/schemas") {
        schemas.values_mut().for_each(visit);
    }
    serde_json::from_value(raw).map_err(|e| CodegenError::Generator {
        path: spec.path.clone(),
        message: format!("tolerant spec: {e}"),
    })
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
/// `unwrap()` on constant regexes and copies spec descriptions into doc comments verbatim.
fn allow_generated_lints(file: &mut syn::File) {
    let allow: syn::Attribute = syn::parse_quote!(#[allow(clippy::all, clippy::unwrap_used, missing_docs, rustdoc::all, unused_mut)]);
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
fn house_items(spec: &Spec) -> TokenStream {
    let base_urls = base_url_constants(spec);
    quote! {
        impl progenitor_client::ClientHooks<::ordergate_runtime::Transport> for Client {
            // Plain functions returning futures, not `async fn`s: an `async fn` wrapper would
            // hold the request a second time in every call's future.
            fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                _info: &OperationInfo,
            ) -> impl ::std::future::Future<Output = ::std::result::Result<(), Error<E>>> {
                self.inner.prepare(request);
                ::std::future::ready(Ok(()))
            }

            fn exec(
                &self,
                request: reqwest::Request,
                info: &OperationInfo,
            ) -> impl ::std::future::Future<Output = reqwest::Result<reqwest::Response>> {
                self.inner.execute(&self.client, request, info.operation_id)
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
        }

        #base_urls
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
                .map(|d| format!(": {}", d.trim()))
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
