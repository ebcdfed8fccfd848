//! Checks a configured path before it reaches axum's router, which panics on a path it cannot
//! serve.

use super::SetupError;

/// The capture the transaction status path must hold, as one whole segment.
pub(crate) const TRANSACTION_ID_CAPTURE: &str = "{transaction_id}";

/// Accepts `path` when it starts with `/`, holds `capture` (when given) as exactly one whole
/// segment, and has no other capture, wildcard or `:`/`*`-led segment.
pub(crate) fn checked(path: &str, capture: Option<&str>) -> Result<(), SetupError> {
    let invalid = |reason| {
        Err(SetupError::InvalidPath {
            path: path.to_owned(),
            reason,
        })
    };
    let Some(rest) = path.strip_prefix('/') else {
        return invalid("it does not start with `/`");
    };
    let mut captures = 0;
    for segment in rest.split('/') {
        if Some(segment) == capture {
            captures += 1;
        } else if segment.contains(['{', '}']) {
            return invalid("it holds a `{` or `}` that is not the expected capture");
        } else if segment.starts_with([':', '*']) {
            return invalid("a segment starts with `:` or `*`");
        }
    }
    match (capture, captures) {
        (None, _) | (Some(_), 1) => Ok(()),
        (Some(_), 0) => invalid("it lacks the `{transaction_id}` segment"),
        (Some(_), _) => invalid("it holds `{transaction_id}` more than once"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_guides_paths_and_refuses_what_axum_would_panic_on() {
        let id = Some(TRANSACTION_ID_CAPTURE);
        assert!(checked("/transactions/{transaction_id}", id).is_ok());
        assert!(checked("/1mg/{transaction_id}/status", id).is_ok());
        assert!(checked("/update-status/", None).is_ok());
        assert!(checked("/", None).is_ok());
        for (path, capture) in [
            ("transactions/{transaction_id}", id),
            ("/transactions/", id),
            ("/a/{transaction_id}/{transaction_id}", id),
            ("/a/{id}", id),
            ("/a/x{transaction_id}", id),
            ("/update/{id}", None),
            ("/update/:id", None),
            ("/update/*rest", None),
            ("/update/{*rest}", None),
            ("", None),
        ] {
            assert!(
                matches!(checked(path, capture), Err(SetupError::InvalidPath { .. })),
                "{path} was accepted"
            );
        }
    }
}
