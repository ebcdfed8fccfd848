//! `ordergate create --file ORDER.json`: reading the unified [`NewOrder`] from a file.

use std::io::Read as _;
use std::path::Path;

use ordergate::NewOrder;

use crate::output::{Failure, Output};

/// The largest order file read (1 MiB; an order is a few kilobytes).
pub(crate) const MAX_ORDER_FILE_BYTES: u64 = 1024 * 1024;

/// The [`NewOrder`] in the file at `path`; a file that cannot be read, is too large or does not
/// hold a `NewOrder` is a usage error (exit 2, nothing sent) whose message names the field
/// (`recipient.country: missing field ...`, from serde).
pub(crate) fn read(path: &Path) -> Result<NewOrder, Output> {
    let usage = |message: String| Output::Failure(Failure::usage(&message));
    let file = std::fs::File::open(path)
        .map_err(|error| usage(format!("cannot open {}: {error}", path.display())))?;
    let mut bytes = Vec::new();
    file.take(MAX_ORDER_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| usage(format!("cannot read {}: {error}", path.display())))?;
    if bytes.len() as u64 > MAX_ORDER_FILE_BYTES {
        return Err(usage(format!(
            "{} is larger than {MAX_ORDER_FILE_BYTES} bytes: not an order",
            path.display()
        )));
    }
    parse(&bytes).map_err(|message| usage(format!("{}: {message}", path.display())))
}

/// `bytes` as a [`NewOrder`], or serde's message prefixed by the path of the field at fault.
fn parse(bytes: &[u8]) -> Result<NewOrder, String> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let order: NewOrder = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if path == "." {
            format!("not a NewOrder (see `ordergate schema new-order`): {inner}")
        } else {
            format!("not a NewOrder (see `ordergate schema new-order`): {path}: {inner}")
        }
    })?;
    deserializer
        .end()
        .map_err(|error| format!("trailing characters after the order: {error}"))?;
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_field_is_named_with_its_path() {
        let message = parse(
            br#"{"reference": "R1", "items": [{"sku": "A", "quantity": 1}],
                "recipient": {"first_name": "A", "last_name": "B", "address1": "x",
                              "city": "c", "postal_code": "1"}}"#,
        )
        .expect_err("no country");
        assert!(message.contains("recipient"), "{message}");
        assert!(message.contains("missing field `country`"), "{message}");
        let message = parse(br#"{"reference": "R1", "itemz": []}"#).expect_err("unknown");
        assert!(message.contains("unknown field `itemz`"), "{message}");
        let message = parse(b"{} {}").expect_err("two values");
        assert!(message.contains("missing field"), "{message}");
    }
}
