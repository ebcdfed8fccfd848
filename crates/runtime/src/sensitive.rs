//! A string field that is a credential (`format: password` in a spec).

use std::fmt;

/// A credential inside a request or response body (a client secret, an access token).
///
/// Generated types use it for every spec schema marked `format: password`. It serializes as
/// the plain string (the provider needs the value) but `Debug` shows `[redacted]`, so printing
/// a whole request or response never leaks it.
///
/// ```
/// let token = ordergate_runtime::Sensitive::from("sk-418e41a7");
/// assert_eq!(format!("{token:?}"), "[redacted]");
/// assert_eq!(token.expose(), "sk-418e41a7");
/// ```
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Sensitive(String);

impl Sensitive {
    /// The value itself. Call it only to hand the value to where it is needed.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Consumes the wrapper, returning the value.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Sensitive {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Sensitive {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl From<Sensitive> for secrecy::SecretString {
    fn from(value: Sensitive) -> Self {
        value.0.into()
    }
}

impl std::str::FromStr for Sensitive {
    type Err = std::convert::Infallible;
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok(Self::from(value))
    }
}

impl schemars::JsonSchema for Sensitive {
    fn schema_name() -> String {
        "Sensitive".to_owned()
    }

    fn json_schema(generator: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        let mut schema = <String as schemars::JsonSchema>::json_schema(generator).into_object();
        schema.format = Some("password".to_owned());
        schema.into()
    }
}
