//! Checking an operation's request bounds ([`crate::Bound`]) before it is sent.

use serde_json::Value;

use crate::{Bound, BoundAt, BoundRule, Operation};

/// Checks every bound of `operation` against `request`; the first one broken is described.
pub(crate) fn check(operation: &Operation, request: &reqwest::Request) -> Result<(), String> {
    let mut body: Option<Option<Value>> = None;
    for bound in operation.bounds {
        match bound.at {
            BoundAt::Query(name) => {
                for (key, value) in request.url().query_pairs() {
                    if key == name {
                        check_query(operation, bound, name, &value)?;
                    }
                }
            }
            BoundAt::Body(pointer) => {
                let parsed = body.get_or_insert_with(|| {
                    request
                        .body()
                        .and_then(reqwest::Body::as_bytes)
                        .and_then(|bytes| serde_json::from_slice(bytes).ok())
                });
                if let Some(parsed) = parsed {
                    check_body(operation, bound, pointer, parsed, &mut String::new())?;
                }
            }
        }
    }
    Ok(())
}

fn check_query(
    operation: &Operation,
    bound: &Bound,
    name: &str,
    value: &str,
) -> Result<(), String> {
    let Ok(number) = value.trim().parse::<i128>() else {
        return Err(refusal(
            operation,
            &format!("the query parameter `{name}`"),
            &format!("is {value:?}, not a whole number"),
        ));
    };
    check_number(
        operation,
        bound,
        &format!("the query parameter `{name}`"),
        number,
    )
}

/// Walks `pointer` (with `*` for every array item) in `value`; `at` is the concrete path so far.
fn check_body(
    operation: &Operation,
    bound: &Bound,
    pointer: &str,
    value: &Value,
    at: &mut String,
) -> Result<(), String> {
    let pointer = pointer.strip_prefix('/').unwrap_or(pointer);
    if pointer.is_empty() {
        return check_value(operation, bound, at, value);
    }
    let (head, rest) = pointer.split_once('/').unwrap_or((pointer, ""));
    let rest = if rest.is_empty() {
        String::new()
    } else {
        format!("/{rest}")
    };
    let depth = at.len();
    match (head, value) {
        ("*", Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                at.push_str(&format!("/{index}"));
                check_body(operation, bound, &rest, item, at)?;
                at.truncate(depth);
            }
        }
        (key, Value::Object(fields)) => {
            let key = key.replace("~1", "/").replace("~0", "~");
            if let Some(field) = fields.get(&key) {
                at.push('/');
                at.push_str(&key);
                check_body(operation, bound, &rest, field, at)?;
                at.truncate(depth);
            }
        }
        _ => {}
    }
    Ok(())
}

fn check_value(
    operation: &Operation,
    bound: &Bound,
    at: &str,
    value: &Value,
) -> Result<(), String> {
    let field = format!("the body field `{}`", if at.is_empty() { "/" } else { at });
    match (bound.rule, value) {
        (BoundRule::MinItems(least), Value::Array(items)) if items.len() < least => Err(refusal(
            operation,
            &field,
            &format!(
                "has {} item(s); the provider requires at least {least}",
                items.len()
            ),
        )),
        (BoundRule::MaxItems(most), Value::Array(items)) if items.len() > most => Err(refusal(
            operation,
            &field,
            &format!(
                "has {} item(s); the provider accepts at most {most}",
                items.len()
            ),
        )),
        (BoundRule::Minimum(_) | BoundRule::Maximum(_), Value::Number(number)) => {
            match number
                .as_i64()
                .map(i128::from)
                .or_else(|| number.as_u64().map(i128::from))
            {
                Some(whole) => check_number(operation, bound, &field, whole),
                None => {
                    // A fraction: compare as a float.
                    let x = number.as_f64().unwrap_or(0.0);
                    let broken = match bound.rule {
                        BoundRule::Minimum(least) => x < least as f64,
                        BoundRule::Maximum(most) => x > most as f64,
                        _ => false,
                    };
                    if broken {
                        Err(number_refusal(
                            operation,
                            bound,
                            &field,
                            &number.to_string(),
                        ))
                    } else {
                        Ok(())
                    }
                }
            }
        }
        _ => Ok(()),
    }
}

fn check_number(
    operation: &Operation,
    bound: &Bound,
    what: &str,
    number: i128,
) -> Result<(), String> {
    let broken = match bound.rule {
        BoundRule::Minimum(least) => number < i128::from(least),
        BoundRule::Maximum(most) => number > i128::from(most),
        _ => false,
    };
    if broken {
        Err(number_refusal(operation, bound, what, &number.to_string()))
    } else {
        Ok(())
    }
}

fn number_refusal(operation: &Operation, bound: &Bound, what: &str, shown: &str) -> String {
    let rule = match bound.rule {
        BoundRule::Minimum(least) => format!("the provider requires at least {least}"),
        BoundRule::Maximum(most) => format!("the provider accepts at most {most}"),
        _ => String::new(),
    };
    refusal(operation, what, &format!("is {shown}; {rule}"))
}

fn refusal(operation: &Operation, what: &str, detail: &str) -> String {
    format!(
        "{} `{}`: {what} {detail} (refused before sending; nothing was sent)",
        operation.conventions.provider, operation.id
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Conventions;

    const PLAIN: Conventions = Conventions::standard("Test");
    const BOUNDS: &[Bound] = &[
        Bound {
            at: BoundAt::Query("limit"),
            rule: BoundRule::Minimum(1),
        },
        Bound {
            at: BoundAt::Query("limit"),
            rule: BoundRule::Maximum(100),
        },
        Bound {
            at: BoundAt::Body("/parcels"),
            rule: BoundRule::MinItems(1),
        },
        Bound {
            at: BoundAt::Body("/parcels/*/dims"),
            rule: BoundRule::MaxItems(3),
        },
        Bound {
            at: BoundAt::Body("/parcels/*/weight"),
            rule: BoundRule::Maximum(70),
        },
    ];
    const LIST: Operation = Operation::new("list_orders", "GET", "/orders", &PLAIN).bounded(BOUNDS);

    fn request(query: &str, body: Option<Value>) -> reqwest::Request {
        let url = reqwest::Url::parse(&format!("https://x.test/orders{query}")).expect("url");
        let mut request = reqwest::Request::new(reqwest::Method::POST, url);
        if let Some(body) = body {
            *request.body_mut() = Some(body.to_string().into());
        }
        request
    }

    #[test]
    fn every_bound_and_one_past_it() {
        for (query, ok) in [
            ("?limit=1", true),
            ("?limit=100", true),
            ("?limit=0", false),
            ("?limit=101", false),
            ("?limit=255", false),
            ("?limit=x", false),
            ("", true),
            ("?page=900", true),
        ] {
            let result = LIST.check_bounds(&request(query, None));
            assert_eq!(result.is_ok(), ok, "{query}: {result:?}");
        }
        let refused = LIST
            .check_bounds(&request("?limit=101", None))
            .expect_err("101");
        assert!(
            refused.contains("`limit`")
                && refused.contains("at most 100")
                && refused.contains("nothing was sent"),
            "{refused}"
        );

        let good = serde_json::json!({"parcels": [{"dims": [1, 2, 3], "weight": 70}]});
        assert!(LIST.check_bounds(&request("", Some(good))).is_ok());
        for (body, expected) in [
            (
                serde_json::json!({"parcels": []}),
                "`/parcels` has 0 item(s)",
            ),
            (
                serde_json::json!({"parcels": [{"dims": [1, 2, 3, 4]}]}),
                "`/parcels/0/dims` has 4",
            ),
            (
                serde_json::json!({"parcels": [{"weight": 1}, {"weight": 70.5}]}),
                "`/parcels/1/weight` is 70.5",
            ),
            (
                serde_json::json!({"parcels": [{"weight": 71}]}),
                "`/parcels/0/weight` is 71",
            ),
        ] {
            let refused = LIST
                .check_bounds(&request("", Some(body.clone())))
                .expect_err("refused");
            assert!(refused.contains(expected), "{body}: {refused}");
        }
        // Absent fields and bodies that are not JSON are left to the provider.
        assert!(
            LIST.check_bounds(&request("", Some(serde_json::json!({"other": 1}))))
                .is_ok()
        );
    }
}
