//! Loading a spec: YAML or JSON text -> JSON value (for rules and examples) + typed `openapiv3`
//! document.
//!
//! The specs are written in YAML (`specs/<provider>.yaml`); a provider crate's build script reads
//! the JSON copy `cargo xtask codegen` writes beside it (`crates/<provider>/openapi.json`), so
//! that an application building the crate compiles no YAML parser. YAML needs the `yaml`
//! feature (`validate` implies it). The JSON copy records the FNV-1a hash of the YAML it was made
//! from ([`COPY_KEY`]), which the build script checks when that YAML is at hand.

use std::path::{Path, PathBuf};

use crate::CodegenError;

/// The HTTP methods an OpenAPI path item may hold, in the order the spec lists them.
pub const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The top-level key of a JSON copy that names the YAML it was made from and that file's hash:
/// `{"spec": "../../specs/fuuffy.yaml", "fnv1a64": "…"}` (the path relative to the copy's
/// directory). [`Spec::parse`] removes it, so the copy loads as the very document the YAML does.
pub const COPY_KEY: &str = "x-ordergate-copy-of";

/// A loaded spec: its path, the raw document and the typed document.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Where the spec was read from.
    pub path: PathBuf,
    /// The document as JSON (YAML keys stringified), for the house rules and examples.
    pub raw: serde_json::Value,
    /// The typed document progenitor consumes.
    pub openapi: openapiv3::OpenAPI,
}

impl Spec {
    /// Reads and parses the spec at `path`: JSON if its name ends in `.json`, YAML otherwise.
    pub fn load(path: &Path) -> Result<Self, CodegenError> {
        let text = std::fs::read_to_string(path).map_err(|source| CodegenError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Parses `text` as the spec at `path`: JSON if the path ends in `.json` (a [`COPY_KEY`]
    /// is removed), YAML otherwise (with the `yaml` feature). The path is only used in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Self, CodegenError> {
        Ok(Self::parse_copy(path, text)?.0)
    }

    /// [`Spec::parse`], and the [`COPY_KEY`] record it removed from a JSON copy.
    pub(crate) fn parse_copy(
        path: &Path,
        text: &str,
    ) -> Result<(Self, Option<serde_json::Value>), CodegenError> {
        let parse_error = |message: String| CodegenError::Parse {
            path: path.to_path_buf(),
            message,
        };
        let mut copy_of = None;
        let raw = if path.extension().is_some_and(|ext| ext == "json") {
            let mut raw: serde_json::Value =
                serde_json::from_str(text).map_err(|e| parse_error(e.to_string()))?;
            if let Some(object) = raw.as_object_mut() {
                copy_of = object.remove(COPY_KEY);
            }
            raw
        } else {
            parse_yaml(text).map_err(parse_error)?
        };
        let openapi: openapiv3::OpenAPI =
            serde_json::from_value(raw.clone()).map_err(|e| parse_error(e.to_string()))?;
        let spec = Self {
            path: path.to_path_buf(),
            raw,
            openapi,
        };
        Ok((spec, copy_of))
    }

    /// The spec's file name without extension (`fuuffy` for `specs/fuuffy.yaml`).
    pub fn name(&self) -> String {
        self.path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// Resolves a local `$ref` (`#/components/...`) to the value it points at.
    pub fn resolve<'a>(&'a self, value: &'a serde_json::Value) -> &'a serde_json::Value {
        let mut current = value;
        // A chain of references is followed a bounded number of times (cycles end the loop).
        for _ in 0..16 {
            match current.get("$ref").and_then(|r| r.as_str()) {
                Some(reference) => match reference
                    .strip_prefix('#')
                    .and_then(|pointer| self.raw.pointer(pointer))
                {
                    Some(target) => current = target,
                    None => return current,
                },
                None => return current,
            }
        }
        current
    }

    /// Every operation: (method, path, operation object), in document order.
    pub fn operations(&self) -> Vec<(&str, &str, &serde_json::Value)> {
        let mut operations = Vec::new();
        let Some(paths) = self.raw.get("paths").and_then(|p| p.as_object()) else {
            return operations;
        };
        for (path, item) in paths {
            for method in HTTP_METHODS {
                if let Some(operation) = item.get(method) {
                    operations.push((method, path.as_str(), operation));
                }
            }
        }
        operations
    }

    /// The JSON copy of this spec that a build script reads: the document as loaded, plus a
    /// [`COPY_KEY`] naming `source` (the YAML's path relative to the copy's directory) and
    /// the hash of `source_text` (the YAML's bytes).
    pub fn json_copy(&self, source: &str, source_text: &[u8]) -> Result<String, CodegenError> {
        let mut copy = self.raw.clone();
        if let Some(object) = copy.as_object_mut() {
            object.insert(
                COPY_KEY.to_owned(),
                serde_json::json!({ "spec": source, "fnv1a64": fnv1a64_hex(source_text) }),
            );
        }
        let mut text = serde_json::to_string_pretty(&copy).map_err(|e| CodegenError::Parse {
            path: self.path.clone(),
            message: e.to_string(),
        })?;
        text.push('\n');
        Ok(text)
    }
}

/// The source a JSON copy records, if the text is such a copy (see [`recorded_source_of`]).
#[cfg(test)]
pub(crate) fn recorded_source(json_text: &str) -> Option<(String, String)> {
    let value: serde_json::Value = serde_json::from_str(json_text).ok()?;
    recorded_source_of(value.get(COPY_KEY)?)
}

/// The source a JSON copy's [`COPY_KEY`] record names: the YAML's path relative to the copy's
/// directory and its hash.
pub(crate) fn recorded_source_of(source: &serde_json::Value) -> Option<(String, String)> {
    Some((
        source.get("spec")?.as_str()?.to_owned(),
        source.get("fnv1a64")?.as_str()?.to_owned(),
    ))
}

/// The 64-bit FNV-1a hash of `bytes`, in hex: a staleness check, not a security measure.
pub(crate) fn fnv1a64_hex(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(any(feature = "yaml", test))]
fn parse_yaml(text: &str) -> Result<serde_json::Value, String> {
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    yaml_to_json(yaml)
}

#[cfg(not(any(feature = "yaml", test)))]
fn parse_yaml(_text: &str) -> Result<serde_json::Value, String> {
    Err(
        "a YAML spec needs ordergate-codegen's `yaml` feature; a build script reads the JSON \
         copy that `cargo xtask codegen` writes (openapi.json)"
            .to_owned(),
    )
}

/// YAML allows non-string keys (`200:`); JSON does not. Keys are stringified as written.
#[cfg(any(feature = "yaml", test))]
fn yaml_to_json(value: serde_yaml::Value) -> Result<serde_json::Value, String> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => serde_json::Value::Null,
        Y::Bool(b) => serde_json::Value::Bool(b),
        Y::Number(n) => serde_json::to_value(&n).map_err(|e| e.to_string())?,
        Y::String(s) => serde_json::Value::String(s),
        Y::Sequence(items) => serde_json::Value::Array(
            items
                .into_iter()
                .map(yaml_to_json)
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut object = serde_json::Map::new();
            for (key, value) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => return Err(format!("unsupported mapping key {other:?}")),
                };
                object.insert(key, yaml_to_json(value)?);
            }
            serde_json::Value::Object(object)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value)?,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const YAML: &str = "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths: {}\n";

    #[test]
    fn the_json_copy_loads_as_the_yaml_and_names_its_source() {
        let spec = Spec::parse(Path::new("specs/t.yaml"), YAML).expect("YAML parses");
        let copy = spec
            .json_copy("../../specs/t.yaml", YAML.as_bytes())
            .expect("copy");
        let loaded = Spec::parse(Path::new("crates/t/openapi.json"), &copy).expect("JSON parses");
        assert_eq!(loaded.raw, spec.raw, "the source key is removed");
        assert_eq!(
            recorded_source(&copy),
            Some((
                "../../specs/t.yaml".to_owned(),
                fnv1a64_hex(YAML.as_bytes())
            ))
        );
        assert_ne!(fnv1a64_hex(b"a"), fnv1a64_hex(b"b"));
        assert_eq!(recorded_source(YAML), None);
    }
}
