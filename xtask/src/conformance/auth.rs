//! How schemathesis authenticates against the sandbox: the security schemes of each spec
//! (`components.securitySchemes`, as the first alternative of its top-level `security`
//! requirement names them), filled in with the credentials the sandbox printed (its `export`
//! lines, `Sandbox::env()`):
//!
//! | scheme                           | schemathesis option               | sandbox variables          |
//! |----------------------------------|-----------------------------------|----------------------------|
//! | `http`, `bearer`                 | `-H 'Authorization: Bearer <v>'`  | `<P>_TOKEN`                |
//! | `http`, `basic`                  | `-a '<user>:<password>'`          | `<P>_USERNAME`, `<P>_SECRET` |
//! | `apiKey` in header `X-Access-Key` | `-H 'X-Access-Key: <v>'`         | `<P>_ACCESS_KEY`           |
//!
//! `<P>` is the provider's prefix (`ONEMG`); an `apiKey` header's variable is its name without
//! `X-`, in upper snake case. A basic scheme whose username is made otherwise says how in its
//! `x-ordergate-username` (`prefix` and the `setting` whose variable follows it: Logitrail's
//! `M-` and `<P>_MERCHANT_ID`).
//!
//! Every request also carries `Accept` with the media types the spec's responses use: FastPOD
//! documents `Accept: application/json` as required on every call, which OpenAPI cannot express
//! (an `Accept` header parameter is ignored), so `specs/fastpod.yaml` states it in prose and the
//! clients always send it.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use super::SpecInfo;

/// The schemathesis options that authenticate every request of `spec` against the sandbox
/// whose `export` lines are `sandbox_env`.
pub(super) fn schemathesis_options(
    spec: &SpecInfo,
    sandbox_env: &BTreeMap<String, String>,
) -> Result<Vec<String>> {
    let lookup = |name: &str| {
        sandbox_env
            .get(name)
            .map(String::as_str)
            .with_context(|| format!("the sandbox printed no {name}"))
    };
    let prefix = spec.env_prefix();
    let var = |suffix: &str| lookup(&format!("{prefix}_{suffix}"));
    let mut options = Vec::new();
    for (name, scheme) in security_schemes(spec)? {
        let text = |key: &str| scheme.get(key).and_then(Value::as_str).unwrap_or_default();
        match (
            text("type"),
            text("scheme").to_lowercase().as_str(),
            text("in"),
        ) {
            ("http", "bearer", _) => {
                options.push("-H".to_owned());
                options.push(format!("Authorization: Bearer {}", var("TOKEN")?));
            }
            ("http", "basic", _) => {
                // A username made of a prefix and a setting is described by the spec's
                // `x-ordergate-username` (Logitrail's `M-` and the merchant id); otherwise it
                // is the `USERNAME` setting.
                let made = scheme.get("x-ordergate-username");
                let part = |key: &str| made.and_then(|m| m.get(key)).and_then(Value::as_str);
                let username = match (part("prefix"), part("setting")) {
                    (Some(prefix), Some(setting)) => {
                        format!("{prefix}{}", var(&setting.to_uppercase())?)
                    }
                    _ => var("USERNAME")?.to_owned(),
                };
                options.push("-a".to_owned());
                options.push(format!("{username}:{}", var("SECRET")?));
            }
            ("apiKey", _, "header") => {
                let header = text("name");
                let unprefixed = header
                    .strip_prefix("X-")
                    .or_else(|| header.strip_prefix("x-"))
                    .unwrap_or(header);
                let variable = unprefixed.replace('-', "_").to_uppercase();
                options.push("-H".to_owned());
                options.push(format!("{header}: {}", var(&variable)?));
            }
            _ => bail!(
                "{}: security scheme {name} ({scheme}) has no sandbox credentials; \
                 add its kind to xtask/src/conformance/auth.rs",
                spec.name
            ),
        }
    }
    let accept = response_media_types(spec);
    if !accept.is_empty() {
        options.push("-H".to_owned());
        options.push(format!(
            "Accept: {}",
            accept.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(options)
}

/// The schemes the first alternative of `spec`'s top-level `security` requirement names, with
/// their definitions.
fn security_schemes(spec: &SpecInfo) -> Result<Vec<(&str, &Value)>> {
    let schemes = spec
        .raw
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    let required = spec.raw.get("security").and_then(Value::as_array);
    let mut found = Vec::new();
    for requirement in required.into_iter().flatten().take(1) {
        for name in requirement.as_object().into_iter().flat_map(|r| r.keys()) {
            let scheme = schemes
                .and_then(|s| s.get(name))
                .with_context(|| format!("{}: no security scheme {name}", spec.name))?;
            found.push((name.as_str(), scheme));
        }
    }
    Ok(found)
}

/// Every media type of every response of `spec`.
fn response_media_types(spec: &SpecInfo) -> BTreeSet<&str> {
    let mut types = BTreeSet::new();
    let paths = spec.raw.get("paths").and_then(Value::as_object);
    for item in paths.into_iter().flat_map(|p| p.values()) {
        for operation in item.as_object().into_iter().flat_map(|i| i.values()) {
            let responses = operation.get("responses").and_then(Value::as_object);
            for response in responses.into_iter().flat_map(|r| r.values()) {
                // A response may be a `$ref` to `#/components/responses/...`.
                let response = response
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix('#'))
                    .and_then(|pointer| spec.raw.pointer(pointer))
                    .unwrap_or(response);
                let content = response.get("content").and_then(Value::as_object);
                types.extend(
                    content
                        .into_iter()
                        .flat_map(|c| c.keys().map(String::as_str)),
                );
            }
        }
    }
    types
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{spec_paths, workspace_root};

    /// The options are what the sandbox's fakes expect (as written by hand before they were
    /// derived from the specs).
    #[test]
    fn options_follow_the_security_schemes() {
        let env: BTreeMap<String, String> = [
            ("FUUFFY_TOKEN", "ft"),
            ("LOGITRAIL_MERCHANT_ID", "shop.example"),
            ("LOGITRAIL_SECRET", "ls"),
            ("ONEMG_TOKEN", "ot"),
            ("ONEMG_ACCESS_KEY", "ok"),
            ("FASTPOD_TOKEN", "pt"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let json = ["-H", "Accept: application/json"];
        let expected: BTreeMap<&str, Vec<&str>> = [
            ("fuuffy", vec!["-H", "Authorization: Bearer ft"]),
            ("logitrail", vec!["-a", "M-shop.example:ls"]),
            (
                "onemg",
                vec!["-H", "Authorization: Bearer ot", "-H", "X-Access-Key: ok"],
            ),
            ("fastpod", vec!["-H", "Authorization: Bearer pt"]),
        ]
        .into_iter()
        .collect();
        let root = workspace_root();
        for path in spec_paths(&root).expect("specs/ lists") {
            let spec = SpecInfo::load(path).expect("the spec loads");
            let options = schemathesis_options(&spec, &env).expect("credentials for every scheme");
            if let Some(expected) = expected.get(spec.name.as_str()) {
                let mut expected: Vec<String> = expected.iter().map(|o| (*o).to_owned()).collect();
                expected.extend(json.map(str::to_owned));
                // (option, value) pairs, in any order.
                let pairs = |options: &[String]| {
                    let mut pairs: Vec<Vec<String>> =
                        options.chunks(2).map(<[String]>::to_vec).collect();
                    pairs.sort();
                    pairs
                };
                assert_eq!(pairs(&options), pairs(&expected), "{}", spec.name);
            }
        }
    }
}
