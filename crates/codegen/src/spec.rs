//! Loading a spec: YAML text -> JSON value (for rules and examples) + typed `openapiv3` document.

use std::path::{Path, PathBuf};

use crate::CodegenError;

/// The HTTP methods an OpenAPI path item may hold, in the order the spec lists them.
pub const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

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
    /// Reads and parses the YAML spec at `path`.
    pub fn load(path: &Path) -> Result<Self, CodegenError> {
        let text = std::fs::read_to_string(path).map_err(|source| CodegenError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Parses YAML `text` as the spec at `path` (the path is only used in messages).
    pub fn parse(path: &Path, text: &str) -> Result<Self, CodegenError> {
        let parse_error = |message: String| CodegenError::Parse {
            path: path.to_path_buf(),
            message,
        };
        let yaml: serde_yaml::Value =
            serde_yaml::from_str(text).map_err(|e| parse_error(e.to_string()))?;
        let raw = yaml_to_json(yaml).map_err(parse_error)?;
        let openapi: openapiv3::OpenAPI =
            serde_json::from_value(raw.clone()).map_err(|e| parse_error(e.to_string()))?;
        Ok(Self {
            path: path.to_path_buf(),
            raw,
            openapi,
        })
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
}

/// YAML allows non-string keys (`200:`); JSON does not. Keys are stringified as written.
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
