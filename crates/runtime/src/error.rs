//! Errors raised while building a client (nothing has been sent when one occurs).

use reqwest::header::HeaderName;

/// A client could not be built. Never contains a credential value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The base URL does not parse, is not `http`/`https`, or carries a username, password,
    /// query or fragment.
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl {
        /// The URL as given, with any `user:password@` replaced by `***@` and cut to a few
        /// hundred characters.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// Credentials would travel in clear text to a host that is not loopback.
    #[error(
        "refusing to send credentials over plain http:// to {host}; use https://, or allow plain HTTP with `ClientConfig::with_insecure_http(true)`"
    )]
    InsecureTransport {
        /// The host that was refused.
        host: String,
    },
    /// A credential was refused (see [`Auth`](crate::Auth) for the rules); the value is not
    /// shown.
    #[error("the credential for header `{header}` {reason}")]
    InvalidCredential {
        /// The header that would have carried it.
        header: HeaderName,
        /// Why it was refused, without the value.
        reason: &'static str,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}

/// `error` and its sources on one line, `outer: inner: innermost`, each message once: a
/// source whose message the line already holds (a wrapper that repeats its cause) is not
/// repeated. For a transport error this shows the cause (`connection refused`, `dns error:
/// ...`) that the outermost message alone (`error sending request`) hides.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut current = error.source();
    while let Some(source) = current {
        let shown = source.to_string();
        if !shown.is_empty() && !text.contains(&shown) {
            text.push_str(": ");
            text.push_str(&shown);
        }
        current = source.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Layer(&'static str, Option<Box<Layer>>);

    impl std::fmt::Display for Layer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl std::error::Error for Layer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref().map(|e| e as _)
        }
    }

    #[test]
    fn the_chain_is_one_line_each_message_once() {
        let error = Layer(
            "error sending request",
            Some(Box::new(Layer(
                "client error (Connect)",
                Some(Box::new(Layer(
                    "tcp connect error: Connection refused (os error 111)",
                    Some(Box::new(Layer("Connection refused (os error 111)", None))),
                ))),
            ))),
        );
        assert_eq!(
            error_chain(&error),
            "error sending request: client error (Connect): tcp connect error: Connection refused (os error 111)"
        );
        assert_eq!(error_chain(&Layer("alone", None)), "alone");
    }
}
