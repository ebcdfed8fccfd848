//! What one request must be, exactly, for the operation tests' httpmock mocks: its path, every
//! query pair and nothing else, and its JSON body (compared as [`normalized`]) or none.

use httpmock::When;
use serde_json::Value;

use crate::normalized;

/// One expected request. The caller adds the credentials (and the method, when the mock is
/// not a typed one that sets it).
#[derive(Debug, Clone)]
pub struct Sent {
    /// `GET`, `POST`, ... when the mock must check it.
    pub method: Option<&'static str>,
    /// The exact path, ids included.
    pub path: String,
    /// Every query pair, in order for a repeated key; nothing else may be sent.
    pub query: Vec<(String, String)>,
    /// The JSON body, or `None` for no body.
    pub body: Option<Value>,
}

impl Sent {
    /// A request to `path`, by whatever method the typed mock sets.
    pub fn to(path: impl Into<String>) -> Self {
        Self {
            method: None,
            path: path.into(),
            query: Vec::new(),
            body: None,
        }
    }

    /// A `method` request to `path`.
    pub fn new(method: &'static str, path: impl Into<String>) -> Self {
        Self {
            method: Some(method),
            ..Self::to(path)
        }
    }

    /// With this JSON body.
    #[must_use]
    pub fn json(mut self, body: &Value) -> Self {
        self.body = Some(body.clone());
        self
    }

    /// With exactly these query pairs.
    #[must_use]
    pub fn query<'a>(mut self, pairs: impl IntoIterator<Item = (&'a str, String)>) -> Self {
        self.query = pairs
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect();
        self
    }

    /// `when`, matching only this request: method (when set), path, query pairs (no other),
    /// and the JSON body with a JSON content type, or an empty body.
    pub fn matched(&self, when: When) -> When {
        let mut query = self.query.clone();
        query.sort_by(|a, b| a.0.cmp(&b.0));
        let mut when = when
            .path(self.path.as_str())
            .is_true(move |request| query_pairs(request) == query);
        if let Some(method) = self.method {
            when = when.method(method);
        }
        match &self.body {
            Some(body) => {
                let expected = normalized(body);
                when.header("content-type", "application/json")
                    .is_true(move |request| {
                        serde_json::from_slice::<Value>(request.body_ref())
                            .is_ok_and(|sent| normalized(&sent) == expected)
                    })
            }
            None => when.is_true(|request| request.body_ref().is_empty()),
        }
    }
}

/// The decoded query pairs of a request, sorted by key (a repeated key keeps its order).
pub fn query_pairs(request: &httpmock::prelude::HttpMockRequest) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = match request.uri().query() {
        Some(query) => reqwest::Url::parse(&format!("http://loopback/?{query}"))
            .map(|url| url.query_pairs().into_owned().collect())
            .unwrap_or_default(),
        None => Vec::new(),
    };
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs
}
