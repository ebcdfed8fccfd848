//! The `ordergate` binary against a hostile provider (httpmock on loopback): what it prints for
//! people has every control character escaped and every provider string bounded, and `--json`
//! stays one JSON object with bounded strings.

use assert_cmd::Command;
use httpmock::MockServer;
use serde_json::{Value, json};

/// A message that, printed raw, sets the terminal title, clears the screen, forges a line of
/// ordergate's output, reverses text with a bidi override and starts a C1 CSI sequence; it also
/// holds a literal backslash, printed as sent (only control characters are escaped, so that a
/// provider's JSON body is printed once, not with its backslashes doubled).
const HOSTILE: &str = "\x1b]0;pwned\x07\x1b[2JOrder not found\n[ok] confirmed\r\u{202e}gpj.exe\u{9b}31m\u{85}\\x1b \u{2066}end\u{2069}";

/// What the binary printed.
struct Printed {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// `ordergate --provider fuuffy --base-url <server> [--json] get 3550875`.
fn get_order(server: &MockServer, json: bool) -> Printed {
    let mut command = Command::cargo_bin("ordergate").expect("the ordergate binary is built");
    command.env_clear().env("FUUFFY_TOKEN", "t").args([
        "--provider",
        "fuuffy",
        "--base-url",
        &server.base_url(),
    ]);
    if json {
        command.arg("--json");
    }
    let output = command.args(["get", "3550875"]).output().expect("runs");
    Printed {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// Fuuffy answers every request with `status` and `body` (JSON).
fn provider_answers(status: u16, body: &Value) -> MockServer {
    let server = MockServer::start();
    let body = body.to_string();
    server.mock(|when, then| {
        when.method("GET").path("/v1/order");
        then.status(status)
            .header("content-type", "application/json")
            .body(body);
    });
    server
}

/// A Fuuffy error body (spec `ErrorResponse`).
fn fuuffy_error(code: &str, message: &str) -> Value {
    json!({"error": {"code": code, "code_reason": "ORDER_NOT_FOUND", "message": message}})
}

/// A Fuuffy get_order body (spec example `get_order`, with the given fields).
fn fuuffy_order(order_id: &str, status: &str, tracking: &str, price: &str) -> Value {
    json!({"data": {
        "order_id": order_id,
        "ship_type": "local",
        "status": status,
        "quote_price": price,
        "tracking_number": tracking,
        "message": "OK",
    }})
}

/// Characters that must never reach a terminal raw. `\n` is allowed only as ordergate's own
/// line separator (forged lines are checked separately).
fn unsafe_chars(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(
                    c,
                    '\u{61c}'
                        | '\u{200e}'
                        | '\u{200f}'
                        | '\u{202a}'..='\u{202e}'
                        | '\u{2066}'..='\u{2069}'
                        | '\u{2028}'
                        | '\u{2029}'
                )
        })
        .collect()
}

fn assert_safe(what: &str, text: &str) {
    assert!(
        !text.as_bytes().contains(&0x1b),
        "{what}: raw ESC in {text:?}"
    );
    let leaked = unsafe_chars(text);
    assert!(leaked.is_empty(), "{what}: raw {leaked:?} in {text:?}");
    assert!(
        !text.lines().any(|line| line.starts_with("[ok]")),
        "{what}: a forged line in {text:?}"
    );
}

#[test]
fn a_hostile_error_message_is_escaped_for_people() {
    let server = provider_answers(400, &fuuffy_error("400\x1b[31m201", HOSTILE));
    let printed = get_order(&server, false);
    assert_eq!(printed.code, Some(1));
    assert!(printed.stdout.is_empty(), "{}", printed.stdout);
    assert_safe("stderr", &printed.stderr);
    assert_eq!(
        printed.stderr.trim_end(),
        r"error: fuuffy: not_found (HTTP 400) [400\x1b[31m201]: \x1b]0;pwned\x07\x1b[2JOrder not found\n[ok] confirmed\r\u{202e}gpj.exe\u{9b}31m\u{85}\x1b \u{2066}end\u{2069}",
    );
}

#[test]
fn a_hostile_error_message_keeps_its_value_in_json() {
    let server = provider_answers(400, &fuuffy_error("400\x1b[31m201", HOSTILE));
    let printed = get_order(&server, true);
    assert_eq!(printed.code, Some(1));
    assert!(printed.stderr.is_empty(), "{}", printed.stderr);
    // JSON escapes everything, so the raw text is one safe line.
    assert_safe("stdout", &printed.stdout);
    assert_eq!(printed.stdout.trim_end().lines().count(), 1);
    let stdout: Value = serde_json::from_str(&printed.stdout).expect("stdout is JSON");
    assert_eq!(stdout["error"]["message"], HOSTILE);
    assert_eq!(stdout["error"]["code"], "400\x1b[31m201");
    assert_eq!(stdout["error"]["kind"], "not_found");
}

/// A failure printed for people: exit 1, safe, under 8 KiB, and stating the original length
/// (in bytes) of a message of `size` bytes, whether the CLI or the library cut it.
fn assert_cut_for_people(printed: &Printed, size: usize) {
    assert_eq!(printed.code, Some(1));
    assert_safe("stderr", &printed.stderr);
    assert!(
        printed.stderr.len() < 8 * 1024,
        "{} bytes printed",
        printed.stderr.len()
    );
    assert!(
        printed.stderr.contains(&format!("{size} bytes")),
        "{}",
        printed.stderr
    );
}

#[test]
fn an_enormous_error_message_is_cut_for_people() {
    let size = 5 * 1024 * 1024;
    let message = format!("{HOSTILE}{}", "A".repeat(size - HOSTILE.len()));
    let server = provider_answers(500, &fuuffy_error("500000", &message));
    let printed = get_order(&server, false);
    assert_cut_for_people(&printed, size);
    assert!(
        printed.stderr.contains(r"\x1b]0;pwned"),
        "{}",
        printed.stderr
    );
}

#[test]
fn an_enormous_message_of_escapes_is_cut_once_escaped() {
    // Each ESC is printed as four characters: the bound holds for the escaped text. (3 MiB: in
    // JSON, where each ESC takes six bytes, the body stays under the 10 MiB response cap.)
    let size = 3 * 1024 * 1024;
    let message = "\x1b[2J".repeat(size / 4);
    let server = provider_answers(500, &fuuffy_error("500000", &message));
    let printed = get_order(&server, false);
    assert_cut_for_people(&printed, size);
    assert!(
        printed
            .stderr
            .starts_with(r"error: fuuffy: not_found (HTTP 500) [500000]: \x1b[2J\x1b[2J"),
        "{}",
        printed.stderr
    );
}

#[test]
fn an_enormous_error_message_is_cut_in_json() {
    let size = 5 * 1024 * 1024;
    let message = format!("{HOSTILE}{}", "A".repeat(size - HOSTILE.len()));
    let server = provider_answers(500, &fuuffy_error("500000", &message));
    let printed = get_order(&server, true);
    assert_eq!(printed.code, Some(1));
    assert_safe("stdout", &printed.stdout);
    assert!(
        printed.stdout.len() < 8 * 1024,
        "{} bytes printed",
        printed.stdout.len()
    );
    let stdout: Value = serde_json::from_str(&printed.stdout).expect("stdout is JSON");
    let printed_message = stdout["error"]["message"].as_str().expect("a message");
    assert!(printed_message.len() <= 4096, "{}", printed_message.len());
    assert!(printed_message.starts_with(HOSTILE));
    assert!(
        printed_message.contains(&format!("{size} bytes")),
        "{printed_message}"
    );
}

#[test]
fn hostile_order_fields_are_escaped_for_people() {
    let server = provider_answers(
        200,
        &fuuffy_order(
            "3550875\n[ok] confirmed",
            "READY\x1b[2J\u{9b}1m",
            "SF\u{202e}123\x1b]8;;https://evil.example\x07",
            "28.50\r\u{200f}",
        ),
    );
    let printed = get_order(&server, false);
    assert_eq!(printed.code, Some(0), "{}", printed.stderr);
    assert_safe("stdout", &printed.stdout);
    for line in [
        r"order id:        3550875\n[ok] confirmed",
        r"status:          unknown (provider status READY\x1b[2J\u{9b}1m)",
        r"tracking number: SF\u{202e}123\x1b]8;;https://evil.example\x07",
        r"price:           28.50\r\u{200f}",
    ] {
        assert!(
            printed.stdout.lines().any(|l| l == line),
            "{line:?} not in {}",
            printed.stdout
        );
    }
}

#[test]
fn hostile_order_fields_keep_their_values_in_json() {
    let (id, status, tracking, price) = (
        "3550875\n[ok] confirmed",
        "READY\x1b[2J\u{9b}1m",
        "SF\u{202e}123\x1b]8;;https://evil.example\x07",
        "28.50\r\u{200f}",
    );
    let server = provider_answers(200, &fuuffy_order(id, status, tracking, price));
    let printed = get_order(&server, true);
    assert_eq!(printed.code, Some(0), "{}", printed.stdout);
    assert_safe("stdout", &printed.stdout);
    let stdout: Value = serde_json::from_str(&printed.stdout).expect("stdout is JSON");
    assert_eq!(stdout["order_id"], id);
    assert_eq!(stdout["provider_status"], status);
    assert_eq!(stdout["tracking_number"], tracking);
    assert_eq!(stdout["price"]["amount"], price);
}

#[test]
fn an_enormous_order_field_is_cut_for_people_and_in_json() {
    let size = 5 * 1024 * 1024;
    let tracking = "\u{202e}".repeat(size / 3);
    let server = provider_answers(
        200,
        &fuuffy_order("3550875", "READY_TO_SHIP", &tracking, "28.50"),
    );

    let printed = get_order(&server, false);
    assert_eq!(printed.code, Some(0), "{}", printed.stderr);
    assert_safe("stdout", &printed.stdout);
    assert!(printed.stdout.len() < 8 * 1024, "{}", printed.stdout.len());
    assert!(
        printed.stdout.contains(&format!(
            "(tracking number cut: {} bytes in all)",
            tracking.len()
        )),
        "{}",
        printed.stdout
    );
    assert!(printed.stdout.contains("order id:        3550875\n"));

    let printed = get_order(&server, true);
    assert_eq!(printed.code, Some(0), "{}", printed.stdout);
    assert_safe("stdout", &printed.stdout);
    // The value is bounded to 4096 bytes; escaped in JSON (`\u202e`), it takes twice that.
    assert!(printed.stdout.len() < 12 * 1024, "{}", printed.stdout.len());
    let stdout: Value = serde_json::from_str(&printed.stdout).expect("stdout is JSON");
    let cut = stdout["tracking_number"]
        .as_str()
        .expect("a tracking number");
    assert!(cut.len() <= 4096, "{}", cut.len());
    assert!(cut.starts_with("\u{202e}\u{202e}"));
    assert!(
        cut.ends_with(&format!(
            "(tracking number cut: {} bytes in all)",
            tracking.len()
        )),
        "{cut}"
    );
    assert_eq!(stdout["order_id"], "3550875");
}

#[test]
fn json_output_still_matches_the_schema() {
    let schema_out = Command::cargo_bin("ordergate")
        .expect("the ordergate binary is built")
        .env_clear()
        .arg("schema")
        .output()
        .expect("runs");
    let schema: Value = serde_json::from_slice(&schema_out.stdout).expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let size = 5 * 1024 * 1024;
    let message = format!("{HOSTILE}{}", "A".repeat(size - HOSTILE.len()));
    for body in [
        (400, fuuffy_error("400\x1b[31m201", HOSTILE)),
        (500, fuuffy_error("500000", &message)),
        (
            200,
            fuuffy_order(
                "3550875\n[ok] confirmed",
                "READY\x1b[2J",
                &"\u{202e}".repeat(size / 3),
                "28.50\r",
            ),
        ),
    ] {
        let server = provider_answers(body.0, &body.1);
        let printed = get_order(&server, true);
        let stdout: Value = serde_json::from_str(&printed.stdout).expect("stdout is JSON");
        assert!(validator.is_valid(&stdout), "{stdout}");
    }
}
