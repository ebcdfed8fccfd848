//! The `ordergate` binary with Fuuffy client credentials against a token endpoint that
//! misbehaves: it times out, drops the connection, stalls mid-body, answers more than the
//! response cap or something that is not a token, refuses with 401, 429 or 500 (JSON or not),
//! redirects, or issues a token too large for a header. In every case the operation itself is
//! never sent (counted by the fake), and the error says so (`phase` `not_sent`), keeps what
//! the token endpoint said (status, `Retry-After`, `Location`) and never prints the secret.
//! The inputs a token path must read as a user means them (a secret ending in a newline,
//! `expires_in` as a string or a fraction) succeed.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::{Value, json};

const CLIENT_ID: &str = "cli-client-7f3";
const CLIENT_SECRET: &str = "cli-secret-SEKRET-51d";
const ISSUED: &str = "sk-path-issued-SEKRET-a90";

/// How long a fake that stalls holds its connection (longer than any run here).
const STALL: Duration = Duration::from_secs(10);

/// The `--timeout` of the runs whose token endpoint never answers in full.
const TIMEOUT: &str = "0.5";

/// What the fake token endpoint does with a token request.
#[derive(Clone)]
enum TokenAnswer {
    /// Answers `status` with these headers and `body`.
    Answer {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// Reads the request and never answers.
    Silent,
    /// Reads the request and closes the connection.
    Drop,
    /// Sends the status line, headers and half the announced body, then nothing.
    StallInBody,
    /// Announces a body larger than the client's 10 MiB response cap.
    Oversized,
}

impl TokenAnswer {
    /// How many token requests one run makes: the token request is idempotent
    /// (`x-ordergate-idempotent: true`), so the runtime tries it up to 3 times (the default
    /// retry policy) when the connection dropped, the body stalled or was cut, or Fuuffy
    /// answered 502, 503 or 504 (or 429 with a `Retry-After` of at most 10 s; this file's 429
    /// asks for 30 s, which is reported, not waited out); once for any other answer. A stall
    /// until the deadline
    /// leaves no time for another attempt. It is still one token load: every caller waiting
    /// shares its result.
    fn requests_per_run(&self) -> usize {
        match self {
            Self::Answer {
                status: 502..=504, ..
            }
            | Self::Drop => 3,
            _ => 1,
        }
    }

    fn json(status: u16, body: &Value) -> Self {
        Self::Answer {
            status,
            headers: vec![("content-type", "application/json".to_owned())],
            body: body.to_string().into_bytes(),
        }
    }

    fn text(status: u16, content_type: &str, body: &str) -> Self {
        Self::Answer {
            status,
            headers: vec![("content-type", content_type.to_owned())],
            body: body.as_bytes().to_vec(),
        }
    }

    fn with_header(self, name: &'static str, value: &str) -> Self {
        match self {
            Self::Answer {
                status,
                mut headers,
                body,
            } => {
                headers.push((name, value.to_owned()));
                Self::Answer {
                    status,
                    headers,
                    body,
                }
            }
            other => other,
        }
    }

    /// A token answer with this `expires_in` (raw JSON).
    fn issuing(token: &str, expires_in: &str) -> Self {
        let body = format!(
            r#"{{"data":{{"access_token":"{token}","token_type":"Bearer","expires_in":{expires_in}}}}}"#
        );
        Self::text(200, "application/json", &body)
    }
}

/// A loopback Fuuffy: `POST /v1/auth/token` does what it is told (and records the form
/// bodies it receives); confirm and get answer a confirmed order (counted: in the failure
/// cases they must never be reached).
struct Fake {
    url: String,
    token_bodies: Arc<Mutex<Vec<String>>>,
    operations: Arc<AtomicUsize>,
}

impl Fake {
    fn start(answer: TokenAnswer) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let token_bodies = Arc::new(Mutex::new(Vec::new()));
        let operations = Arc::new(AtomicUsize::new(0));
        let (bodies, counted) = (Arc::clone(&token_bodies), Arc::clone(&operations));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (answer, bodies, counted) =
                    (answer.clone(), Arc::clone(&bodies), Arc::clone(&counted));
                std::thread::spawn(move || serve(stream, &answer, &bodies, &counted));
            }
        });
        Self {
            url,
            token_bodies,
            operations,
        }
    }

    fn token_requests(&self) -> Vec<String> {
        self.token_bodies
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn operations(&self) -> usize {
        self.operations.load(Ordering::SeqCst)
    }
}

fn serve(
    mut stream: TcpStream,
    answer: &TokenAnswer,
    bodies: &Mutex<Vec<String>>,
    operations: &AtomicUsize,
) {
    while let Some((path, body)) = read_request(&mut stream) {
        if !path.starts_with("/v1/auth/token") {
            operations.fetch_add(1, Ordering::SeqCst);
            let order = if path.starts_with("/v1/order/confirm") {
                json!({"data": {"message": "OK", "confirmed_orders": [{"order_id": "3550609", "order_status": "READY_TO_SHIP", "tracking_number": "SF7444700509270"}]}})
            } else {
                json!({"data": {"order_id": "3550875", "status": "READY_TO_SHIP"}})
            };
            let body = order.to_string();
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            );
            if stream
                .write_all(format!("{head}{body}").as_bytes())
                .is_err()
            {
                return;
            }
            continue;
        }
        bodies
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(String::from_utf8_lossy(&body).into_owned());
        let wire = match answer {
            TokenAnswer::Answer {
                status,
                headers,
                body,
            } => {
                let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                let mut wire = head.into_bytes();
                wire.extend_from_slice(body);
                wire
            }
            TokenAnswer::Silent => {
                std::thread::sleep(STALL);
                return;
            }
            TokenAnswer::Drop => return,
            TokenAnswer::StallInBody => {
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 64\r\n\r\n{\"data\":{\"access_token\":\"sk-";
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.flush();
                std::thread::sleep(STALL);
                return;
            }
            TokenAnswer::Oversized => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{{\"data\":",
                    11 * 1024 * 1024
                );
                let _ = stream.write_all(head.as_bytes());
                std::thread::sleep(STALL);
                return;
            }
        };
        if stream.write_all(&wire).is_err() {
            return;
        }
    }
}

/// Reads one request (head and `content-length` body): its path and body.
fn read_request(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut received = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let read = stream.read(&mut chunk).ok().filter(|n| *n > 0)?;
        received.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&received[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while received.len() < head_end + length {
        let read = stream.read(&mut chunk).ok().filter(|n| *n > 0)?;
        received.extend_from_slice(&chunk[..read]);
    }
    let path = head.split_whitespace().nth(1)?.to_owned();
    Some((path, received[head_end..head_end + length].to_vec()))
}

/// One run of the binary.
struct Run {
    code: Option<i32>,
    /// What `--json` printed.
    printed: Value,
    /// stdout and stderr.
    all: String,
    elapsed: Duration,
}

impl Run {
    fn error(&self) -> &Value {
        &self.printed["error"]
    }
}

/// `ordergate --provider fuuffy --base-url <fake> --json <args>` with client credentials
/// `secret` and nothing else in the environment.
fn run(fake: &Fake, secret: &str, args: &[&str]) -> Run {
    let mut command = Command::cargo_bin("ordergate").expect("the ordergate binary is built");
    command
        .env_clear()
        .env("FUUFFY_CLIENT_ID", CLIENT_ID)
        .env("FUUFFY_CLIENT_SECRET", secret)
        .args(["--provider", "fuuffy", "--base-url", &fake.url, "--json"])
        .args(args);
    let started = Instant::now();
    let output = command.output().expect("runs");
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let printed = serde_json::from_str(stdout.trim()).unwrap_or(Value::Null);
    Run {
        code: output.status.code(),
        printed,
        all: format!("{stdout}{stderr}"),
        elapsed,
    }
}

/// The confirm and the get of one order each, as the binary's arguments.
const OPERATIONS: [[&str; 2]; 2] = [["confirm", "3550609"], ["get", "3550875"]];

/// Runs a confirm and a get against a token endpoint answering `answer` and checks what every
/// failed token path shares: exit 1, the operation never sent, `phase` `not_sent`, the
/// operation named, the secret never printed, and one token load per run
/// ([`TokenAnswer::requests_per_run`]). Returns the two
/// runs for the case's own checks.
fn failing_token_path(answer: &TokenAnswer, extra: &[&str]) -> Vec<Run> {
    let fake = Fake::start(answer.clone());
    let mut runs = Vec::new();
    for operation in OPERATIONS {
        let mut args = extra.to_vec();
        args.extend_from_slice(&operation);
        let run = run(&fake, CLIENT_SECRET, &args);
        // Both runs' answers are shown when an assertion fails.
        eprintln!("{operation:?} ({:?}): {}", run.elapsed, run.all.trim());
        runs.push(run);
    }
    assert_eq!(fake.operations(), 0, "an operation was sent");
    assert_eq!(
        fake.token_requests().len(),
        2 * answer.requests_per_run(),
        "token requests for two runs"
    );
    for (run, operation) in runs.iter().zip(OPERATIONS) {
        let context = format!("{operation:?}: {}", run.all);
        assert_eq!(run.code, Some(1), "{context}");
        let expected = if operation[0] == "confirm" {
            "confirm_order"
        } else {
            "get_order"
        };
        assert_eq!(run.error()["operation"], expected, "{context}");
        assert!(!run.all.contains(CLIENT_SECRET), "{context}");
        assert!(!run.all.contains("SEKRET"), "{context}");
        assert_eq!(run.error()["phase"], "not_sent", "{context}");
    }
    runs
}

/// The runs of a token endpoint that never answers in full: each ends by about `--timeout`.
fn assert_bounded(runs: &[Run]) {
    for run in runs {
        assert!(
            run.elapsed < Duration::from_millis(2500),
            "took {:?}: {}",
            run.elapsed,
            run.all
        );
    }
}

#[test]
fn a_token_request_that_times_out_is_a_timeout_and_nothing_was_sent() {
    let runs = failing_token_path(&TokenAnswer::Silent, &["--timeout", TIMEOUT]);
    assert_bounded(&runs);
    for run in &runs {
        assert_eq!(run.error()["kind"], "timeout", "{}", run.all);
        assert_eq!(run.error()["http_status"], Value::Null, "{}", run.all);
    }
}

#[test]
fn a_token_answer_that_stalls_mid_body_is_a_timeout_and_nothing_was_sent() {
    let runs = failing_token_path(&TokenAnswer::StallInBody, &["--timeout", TIMEOUT]);
    assert_bounded(&runs);
    for run in &runs {
        assert_eq!(run.error()["kind"], "timeout", "{}", run.all);
    }
}

#[test]
fn a_dropped_token_connection_is_a_transport_failure_and_nothing_was_sent() {
    for run in failing_token_path(&TokenAnswer::Drop, &[]) {
        assert_eq!(run.error()["kind"], "transport", "{}", run.all);
        assert_eq!(run.error()["http_status"], Value::Null, "{}", run.all);
    }
}

#[test]
fn a_token_answer_over_the_response_cap_is_refused_and_nothing_was_sent() {
    for run in failing_token_path(&TokenAnswer::Oversized, &["--timeout", "5"]) {
        // Refused from its announced length, without waiting for the body.
        assert!(run.elapsed < Duration::from_secs(3), "{:?}", run.elapsed);
        let message = run.error()["message"].as_str().unwrap_or_default();
        assert!(message.contains("exceeds the limit"), "{}", run.all);
    }
}

#[test]
fn a_token_answer_that_is_not_a_token_is_reported_and_nothing_was_sent() {
    let html = TokenAnswer::text(200, "text/html", "<html><body>SEKRET portal</body></html>");
    let tokenless = TokenAnswer::json(200, &json!({"data": {"token_type": "Bearer"}}));
    for answer in [html, tokenless] {
        for run in failing_token_path(&answer, &[]) {
            let message = run.error()["message"].as_str().unwrap_or_default();
            assert!(message.contains("not a token"), "{}", run.all);
        }
    }
}

#[test]
fn a_token_too_large_for_a_header_is_refused_before_the_operation_is_sent() {
    let token = format!("sk-SEKRET-{}", "x".repeat(9 * 1024));
    for run in failing_token_path(&TokenAnswer::issuing(&token, "3600"), &[]) {
        let message = run.error()["message"].as_str().unwrap_or_default();
        assert!(message.contains("8 KiB"), "{}", run.all);
    }
}

#[test]
fn a_401_from_the_token_endpoint_is_unauthorized_whatever_its_body() {
    let html = TokenAnswer::text(
        401,
        "text/html",
        "<html><h1>401 Authorization Required</h1></html>",
    );
    let json = TokenAnswer::json(
        401,
        &json!({"error": {"code": "invalid_client", "message": "Client authentication failed"}}),
    );
    for answer in [html, json] {
        for run in failing_token_path(&answer, &[]) {
            assert_eq!(run.error()["kind"], "unauthorized", "{}", run.all);
            assert_eq!(run.error()["http_status"], 401, "{}", run.all);
        }
    }
}

#[test]
fn a_429_from_the_token_endpoint_is_rate_limited_with_its_retry_after() {
    let text = TokenAnswer::text(429, "text/plain", "slow down").with_header("retry-after", "30");
    let json = TokenAnswer::json(
        429,
        &json!({"error": {"code": "429000", "message": "Too Many Requests"}}),
    )
    .with_header("retry-after", "30");
    for answer in [text, json] {
        for run in failing_token_path(&answer, &[]) {
            assert_eq!(run.error()["kind"], "rate_limited", "{}", run.all);
            assert_eq!(run.error()["http_status"], 429, "{}", run.all);
            assert_eq!(run.error()["retry_after"], 30, "{}", run.all);
        }
    }
}

#[test]
fn a_500_from_the_token_endpoint_is_a_server_error_with_a_text_or_html_body() {
    let text = TokenAnswer::text(500, "text/plain", "internal error");
    let html = TokenAnswer::text(
        500,
        "text/html",
        "<html><body>500 Internal Server Error</body></html>",
    );
    let empty = TokenAnswer::text(503, "text/plain", "");
    for answer in [text, html, empty] {
        for run in failing_token_path(&answer, &[]) {
            assert_eq!(run.error()["kind"], "server", "{}", run.all);
            let status = run.error()["http_status"].as_u64().unwrap_or_default();
            assert!(status == 500 || status == 503, "{}", run.all);
        }
    }
}

#[test]
fn a_redirect_from_the_token_endpoint_is_redirected_with_its_location() {
    let location = "https://login.example.com/oauth/token";
    let answer = TokenAnswer::text(302, "text/html", "").with_header("location", location);
    for run in failing_token_path(&answer, &[]) {
        assert_eq!(run.error()["kind"], "redirected", "{}", run.all);
        assert_eq!(run.error()["http_status"], 302, "{}", run.all);
        assert_eq!(run.error()["location"], location, "{}", run.all);
        // A redirect says nothing about the credentials.
        let message = run.error()["message"].as_str().unwrap_or_default();
        assert!(!message.contains("credentials"), "{}", run.all);
    }
}

/// The exact form body of a token request with the trimmed credentials.
fn exact_form() -> String {
    format!("client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}&grant_type=client_credentials")
}

/// A run that gets its token and sends its operation once.
fn assert_succeeded(fake: &Fake, run: &Run, operations: usize) {
    assert_eq!(run.code, Some(0), "{}", run.all);
    assert_eq!(fake.operations(), operations, "{}", run.all);
    for secret in [CLIENT_SECRET, ISSUED] {
        assert!(!run.all.contains(secret), "{}", run.all);
    }
}

#[test]
fn a_secret_ending_in_a_newline_is_sent_without_it() {
    let fake = Fake::start(TokenAnswer::issuing(ISSUED, "3600"));
    for (i, secret) in [
        format!("{CLIENT_SECRET}\n"),
        format!("{CLIENT_SECRET}\r\n"),
        format!(" {CLIENT_SECRET} "),
    ]
    .iter()
    .enumerate()
    {
        let run = run(&fake, secret, &["confirm", "3550609"]);
        assert_succeeded(&fake, &run, i + 1);
        assert_eq!(run.printed["status"], "confirmed", "{}", run.all);
    }
    let sent = fake.token_requests();
    assert_eq!(sent.len(), 3);
    for body in &sent {
        assert_eq!(*body, exact_form(), "no %0A, no space");
    }
}

#[test]
fn expires_in_as_a_string_or_a_fraction_is_read() {
    for expires_in in [r#""3600""#, "3600.5"] {
        let fake = Fake::start(TokenAnswer::issuing(ISSUED, expires_in));
        for (i, operation) in OPERATIONS.iter().enumerate() {
            let run = run(&fake, CLIENT_SECRET, operation);
            assert_succeeded(&fake, &run, i + 1);
        }
        assert_eq!(fake.token_requests().len(), 2, "one per run");
    }
}
