//! `ordergate webhook verify`, `ordergate listen` and the sandbox → listen loop, through the
//! binary, with Fuuffy webhooks signed here with `ordergate_fuuffy::webhook::WebhookSecret`
//! over the spec's `WebhookEvent` example.
//!
//! The tests named `merged_...` need the Fuuffy adapter's `parse_webhook` (issue 21): on a
//! build whose Fuuffy adapter does not offer it (`ordergate --json providers`), they check
//! that the CLI answers `unsupported`, exit 2, instead.

use std::io::{BufRead, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command as StdCommand, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use assert_cmd::Command;
use assert_cmd::cargo::CommandCargoExt as _;
use ordergate_fuuffy::webhook::WebhookSecret;
use serde_json::Value;

const SECRET: &str = "whsec-test-4c1d";

/// The spec's `WebhookEvent` example, as the bytes sent.
fn fuuffy_body() -> Vec<u8> {
    let spec = ordergate_tests::spec("fuuffy");
    let example = &spec.raw["components"]["schemas"]["WebhookEvent"]["example"];
    assert!(example.is_object(), "the spec has the example");
    serde_json::to_vec(example).expect("JSON")
}

fn sign(secret: &str, body: &[u8]) -> String {
    WebhookSecret::new(secret).expect("a secret").sign(body)
}

/// `ordergate --provider fuuffy --json webhook verify` with `secret` configured (or not),
/// `headers`, and `body` on stdin: (exit code, stdout as JSON, everything printed).
fn verify(secret: Option<&str>, headers: &[String], body: &[u8]) -> (Option<i32>, Value, String) {
    let mut command = Command::cargo_bin("ordergate").expect("built");
    command.env_clear().env("FUUFFY_TOKEN", "test-token");
    if let Some(secret) = secret {
        command.env("FUUFFY_WEBHOOK_SECRET", secret);
    }
    command.args(["--provider", "fuuffy", "--json", "webhook", "verify"]);
    for header in headers {
        command.args(["--header", header]);
    }
    let output = command.write_stdin(body.to_vec()).output().expect("runs");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !printed.contains(SECRET),
        "the secret is printed: {printed}"
    );
    let json = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output.status.code(), json, printed)
}

/// The event of the spec's example, normalized.
fn assert_is_the_example_event(event: &Value) {
    assert_eq!(event["provider"], "fuuffy", "{event}");
    assert_eq!(event["event_type"], "order.in_transit", "{event}");
    assert_eq!(event["order_id"], "order_1a2b3c4d5e6f", "{event}");
    assert_eq!(event["status"], "shipped", "{event}");
    assert_eq!(event["provider_status"], "in_transit", "{event}");
    assert_eq!(event["tracking_number"], "FUF123456789", "{event}");
    assert_eq!(event["occurred_at"], "2024-01-16T08:15:00Z", "{event}");
    assert!(
        event["event_id"].as_str().is_some_and(|id| !id.is_empty()),
        "{event}"
    );
}

#[test]
fn webhook_verify_a_good_signature_prints_the_events() {
    let body = fuuffy_body();
    let header = format!("X-Fuuffy-Signature: {}", sign(SECRET, &body));
    let (code, json, _) = verify(Some(SECRET), &[header], &body);
    assert_eq!(code, Some(0), "{json}");
    let events = json["events"].as_array().expect("events");
    assert_eq!(events.len(), 1, "{json}");
    assert_is_the_example_event(&events[0]);
    let schema: Value = serde_json::from_slice(
        &Command::cargo_bin("ordergate")
            .expect("built")
            .arg("schema")
            .output()
            .expect("runs")
            .stdout,
    )
    .expect("a schema");
    let validator = jsonschema::validator_for(&schema).expect("valid");
    assert!(validator.is_valid(&json), "{json}");
}

#[test]
fn webhook_verify_a_tampered_body_is_unauthorized_exit_1() {
    let body = fuuffy_body();
    let header = format!("X-Fuuffy-Signature: {}", sign(SECRET, &body));
    let mut tampered = body.clone();
    let at = tampered.len() / 2;
    tampered[at] ^= 0x01;
    let (code, json, _) = verify(Some(SECRET), &[header], &tampered);
    assert_eq!(code, Some(1), "{json}");
    assert_eq!(json["error"]["kind"], "unauthorized", "{json}");
}

#[test]
fn webhook_verify_a_missing_signature_is_unauthorized_exit_1() {
    let (code, json, _) = verify(Some(SECRET), &[], &fuuffy_body());
    assert_eq!(code, Some(1), "{json}");
    assert_eq!(json["error"]["kind"], "unauthorized", "{json}");
    assert!(
        json["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("X-Fuuffy-Signature")),
        "{json}"
    );
}

#[test]
fn webhook_verify_a_wrong_secret_is_unauthorized_exit_1() {
    let body = fuuffy_body();
    let header = format!("X-Fuuffy-Signature: {}", sign("another-secret", &body));
    let (code, json, _) = verify(Some(SECRET), &[header], &body);
    assert_eq!(code, Some(1), "{json}");
    assert_eq!(json["error"]["kind"], "unauthorized", "{json}");
}

#[test]
fn webhook_verify_without_a_configured_secret_is_invalid_input_exit_2() {
    let body = fuuffy_body();
    let header = format!("X-Fuuffy-Signature: {}", sign(SECRET, &body));
    let (code, json, _) = verify(None, &[header], &body);
    assert_eq!(code, Some(2), "{json}");
    assert_eq!(json["error"]["kind"], "invalid_input", "{json}");
    assert!(
        json["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("FUUFFY_WEBHOOK_SECRET")),
        "{json}"
    );
}

/// A malformed `--header`, or a body over 1 MiB on stdin, is a usage error (the value of a
/// header, which may be a credential, is not quoted back).
#[test]
fn webhook_verify_refuses_bad_headers_and_oversized_bodies_as_usage() {
    let (code, json, printed) = verify(Some(SECRET), &["X-Fuuffy-Signature".to_owned()], b"{}");
    assert_eq!(code, Some(2), "{json}");
    assert_eq!(json["error"]["kind"], "invalid_input", "{json}");
    assert!(printed.contains("X-Fuuffy-Signature"), "{printed}");
    let (code, json, printed) = verify(
        Some(SECRET),
        &["Authorization: Basic c2Vj\u{1}cmV0".to_owned()],
        b"{}",
    );
    assert_eq!(code, Some(2), "{json}");
    assert_eq!(json["error"]["kind"], "invalid_input", "{json}");
    assert!(!printed.contains("c2Vj"), "{printed}");
    let big = vec![b' '; 1024 * 1024 + 1];
    let (code, json, _) = verify(Some(SECRET), &[], &big);
    assert_eq!(code, Some(2), "{json}");
    assert!(
        json["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("larger than")),
        "{json}"
    );
}

/// A running `ordergate` (killed, by its own id, when dropped) and its stdout lines.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Running {
    fn start(env: &[(String, String)], args: &[&str]) -> Self {
        let mut child = StdCommand::cargo_bin("ordergate")
            .expect("built")
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        let stdout = child.stdout.take().expect("piped");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Self { child, lines }
    }

    fn next_line(&self, what: &str) -> String {
        self.lines
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("{what} within 30 s"))
    }

    /// Waits for the process to end (it was expected to); its exit code and stderr.
    fn finished(mut self) -> (Option<i32>, String) {
        let status = self.child.wait().expect("waits");
        let mut stderr = String::new();
        if let Some(mut err) = self.child.stderr.take() {
            let _ = err.read_to_string(&mut stderr);
        }
        (status.code(), stderr)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A POST of `body` to `url` (`http://127.0.0.1:port/path`) with `headers`: the status code
/// and the body of the answer.
fn post(url: &str, headers: &[(&str, String)], body: &[u8]) -> (u16, String) {
    let rest = url.strip_prefix("http://").expect("http");
    let (addr, path) = rest.split_once('/').expect("a path");
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a timeout");
    let mut request = format!(
        "POST /{path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).expect("sent");
    stream.write_all(body).expect("sent");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// With no provider configured, `listen` serves nothing: exit 2, and one stderr line per
/// provider saying why it is left out.
#[test]
fn listen_with_no_provider_ready_exits_2_saying_why_for_each() {
    let running = Running::start(&[], &["--json", "listen", "--port", "0"]);
    let (code, stderr) = running.finished();
    assert_eq!(code, Some(2), "{stderr}");
    for provider in ["fuuffy", "logitrail", "onemg", "fastpod"] {
        assert!(
            stderr
                .lines()
                .any(|line| line.starts_with(&format!("listen: no /{provider}: "))),
            "{provider}: {stderr}"
        );
    }
}

/// `listen` with Fuuffy configured: the address first, then each verified event as one
/// OrderEvent JSON line; a refused signature is answered 401 and prints no event; a signed
/// body that is not an event is answered 400.
#[test]
fn listen_receives_a_signed_fuuffy_webhook_and_prints_the_event() {
    let configured = env(&[
        ("FUUFFY_TOKEN", "test-token"),
        ("FUUFFY_WEBHOOK_SECRET", SECRET),
    ]);
    let forwarded_to = httpmock::MockServer::start();
    let forwarded = forwarded_to.mock(|when, then| {
        when.method(httpmock::Method::POST)
            .path("/events")
            .header("content-type", "application/json")
            .body_includes(r#""event_type":"order.in_transit""#)
            .body_includes(r#""order_id":"order_1a2b3c4d5e6f""#);
        then.status(204);
    });
    let forward = forwarded_to.url("/events");
    let running = Running::start(
        &configured,
        &["--json", "listen", "--port", "0", "--forward", &forward],
    );
    let first: Value = serde_json::from_str(&running.next_line("a line of listen")).expect("JSON");
    let url = first["listening"].as_str().expect("the address").to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{first}");
    assert_eq!(first["providers"], serde_json::json!(["fuuffy"]), "{first}");

    let body = fuuffy_body();
    let (status, _) = post(
        &format!("{url}/fuuffy"),
        &[("X-Fuuffy-Signature", sign(SECRET, &body))],
        &body,
    );
    assert_eq!(status, 200);
    let event: Value =
        serde_json::from_str(&running.next_line("a line of listen")).expect("one OrderEvent");
    assert_is_the_example_event(&event);

    let (status, _) = post(
        &format!("{url}/fuuffy"),
        &[("X-Fuuffy-Signature", sign("another-secret", &body))],
        &body,
    );
    assert_eq!(status, 401);
    let not_an_event = br#"{"hello": "world"}"#;
    let (status, _) = post(
        &format!("{url}/fuuffy"),
        &[("X-Fuuffy-Signature", sign(SECRET, not_an_event))],
        not_an_event,
    );
    assert_eq!(status, 400);
    let (status, _) = post(&format!("{url}/logitrail"), &[], b"[]");
    assert_eq!(status, 404, "an unconfigured provider has no route");
    // Nothing was printed for the refused ones: the next event is the next good delivery.
    let (status, _) = post(
        &format!("{url}/fuuffy"),
        &[("X-Fuuffy-Signature", sign(SECRET, &body))],
        &body,
    );
    assert_eq!(status, 200);
    let again: Value =
        serde_json::from_str(&running.next_line("a line of listen")).expect("one OrderEvent");
    assert_eq!(
        again["event_id"], event["event_id"],
        "the same delivery, the same id"
    );
    // Each verified event was also forwarded, in the background.
    let started = std::time::Instant::now();
    while forwarded.calls() < 2 && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(forwarded.calls(), 2, "both good deliveries were forwarded");
}

/// A free loopback port (bound, then released).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free port")
}

/// The sandbox with `--webhook-url` pointing at `listen`, `listen` run with the sandbox's
/// exports, a Fuuffy order confirmed and moved along the sandbox's clock: `listen` prints the
/// fake's signed webhook as a normalized event.
#[test]
fn sandbox_webhooks_reach_listen_and_print_the_event() {
    let port = free_port();
    let listen_url = format!("http://127.0.0.1:{port}");
    let sandbox = Running::start(
        &[],
        &[
            "--json",
            "sandbox",
            "--port",
            "0",
            "--webhook-url",
            &listen_url,
        ],
    );
    let settings: Value =
        serde_json::from_str(&sandbox.next_line("the sandbox's settings")).expect("one object");
    let exports: Vec<(String, String)> = settings["env"]
        .as_object()
        .expect("env")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
        .collect();
    assert!(
        exports.iter().any(|(k, _)| k == "FUUFFY_WEBHOOK_SECRET"),
        "{settings}"
    );
    let listen = Running::start(&exports, &["--json", "listen", "--port", &port.to_string()]);
    let first: Value = serde_json::from_str(&listen.next_line("a line of listen")).expect("JSON");
    assert_eq!(first["listening"], listen_url.as_str());
    let providers = first["providers"].as_array().expect("providers");
    assert!(providers.iter().any(|p| p == "fuuffy"), "{first}");

    let confirmed = Command::cargo_bin("ordergate")
        .expect("built")
        .env_clear()
        .envs(exports.iter().map(|(k, v)| (k, v)))
        .args(["--provider", "fuuffy", "--json", "confirm", "3550609"])
        .output()
        .expect("runs");
    assert!(confirmed.status.success(), "{confirmed:?}");
    let sandbox_url = settings["url"].as_str().expect("a url");
    // READY_TO_SHIP → PENDING_PICKUP → PICKUP_COMPLETED: Fuuffy sends `order.picked_up` for
    // the second step (it has no event for the first).
    let (status, _) = post(
        &format!("{sandbox_url}/_sandbox/advance"),
        &[],
        br#"{"steps": 2}"#,
    );
    assert_eq!(status, 200);
    // The first Fuuffy event about the order (other seeded orders move too).
    let event = loop {
        let event: Value =
            serde_json::from_str(&listen.next_line("a line of listen")).expect("one OrderEvent");
        if event["provider"] == "fuuffy" && event["order_id"] == "3550609" {
            break event;
        }
    };
    assert_eq!(event["event_type"], "order.picked_up", "{event}");
    drop(sandbox);
}

/// `--forward` takes an http(s) URL; anything else is a usage error before anything listens.
#[test]
fn listen_refuses_a_forward_url_that_is_not_http() {
    for url in ["not a url", "ftp://127.0.0.1/events", "file:///tmp/events"] {
        let running = Running::start(
            &env(&[
                ("FUUFFY_TOKEN", "test-token"),
                ("FUUFFY_WEBHOOK_SECRET", SECRET),
            ]),
            &["--json", "listen", "--port", "0", "--forward", url],
        );
        let error: Value =
            serde_json::from_str(&running.next_line("the error")).expect("one JSON object");
        assert_eq!(error["error"]["kind"], "invalid_input", "{url}: {error}");
        assert!(
            error["error"]["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("--forward: ")),
            "{url}: {error}"
        );
        let (code, stderr) = running.finished();
        assert_eq!(code, Some(2), "{url}: {stderr}");
    }
}

/// A sender that stalls inside its body holds nothing up: others are answered meanwhile, and
/// the stalled one is answered 408 once the body timeout (10 s) has passed.
#[test]
fn listen_answers_others_while_a_body_stalls_then_gives_up_on_it() {
    let configured = env(&[
        ("FUUFFY_TOKEN", "test-token"),
        ("FUUFFY_WEBHOOK_SECRET", SECRET),
    ]);
    let running = Running::start(&configured, &["--json", "listen", "--port", "0"]);
    let first: Value = serde_json::from_str(&running.next_line("a line of listen")).expect("JSON");
    let url = first["listening"].as_str().expect("the address").to_owned();
    let addr = url.strip_prefix("http://").expect("http").to_owned();

    let started = std::time::Instant::now();
    let mut stalled = TcpStream::connect(&addr).expect("connects");
    stalled
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("a timeout");
    let head = format!(
        "POST /fuuffy HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{{\"event\":"
    );
    stalled.write_all(head.as_bytes()).expect("sent");

    let body = fuuffy_body();
    let (status, _) = post(
        &format!("{url}/fuuffy"),
        &[("X-Fuuffy-Signature", sign(SECRET, &body))],
        &body,
    );
    assert_eq!(status, 200, "answered while another body stalls");
    running.next_line("the event");

    let mut answer = String::new();
    let _ = stalled.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(9) && waited < Duration::from_secs(25),
        "{waited:?}"
    );
}
