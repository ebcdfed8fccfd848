//! The `ordergate` binary against servers that redirect, stall or are given bad input: exit
//! codes, the one deadline of `--timeout`, and requests counted server-side.

use std::process::Output;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use ordergate_tests::flaky::{Behavior, FlakyServer};
use serde_json::Value;

/// Runs the binary with only `env` set, off the async runtime that serves the test servers.
async fn ordergate(env: Env, args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut command = Command::cargo_bin("ordergate").expect("the ordergate binary is built");
        command
            .env_clear()
            .envs(env)
            .args(args)
            .output()
            .expect("runs")
    })
    .await
    .expect("the command ran")
}

fn args(base_url: &str, rest: &[&str]) -> Vec<String> {
    let mut args = vec![
        "--provider".to_owned(),
        "fastpod".to_owned(),
        "--base-url".to_owned(),
        base_url.to_owned(),
        "--json".to_owned(),
    ];
    args.extend(rest.iter().map(|a| (*a).to_owned()));
    args
}

/// Environment variables for the binary.
type Env = Vec<(&'static str, String)>;

fn token() -> Env {
    vec![("FASTPOD_TOKEN", "t".to_owned())]
}

fn error_of(output: &Output) -> Value {
    let json: Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    json["error"].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirected_confirm_is_sent_once_and_reported_with_its_location() {
    let other = FlakyServer::start(vec![Behavior::json(200, "{}")]).await;
    let target = format!("{}/v1/orders/F1/status", other.url);
    let origin = FlakyServer::start(vec![
        Behavior::json(307, "{}").with_header("location", &target),
    ])
    .await;
    let output = ordergate(token(), args(&origin.url, &["confirm", "F1"])).await;
    assert_eq!(output.status.code(), Some(1));
    let error = error_of(&output);
    assert_eq!(error["kind"], "redirected", "{error}");
    assert_eq!(error["http_status"], 307);
    assert_eq!(error["location"], target.as_str());
    assert_eq!(origin.requests().len(), 1);
    assert!(other.requests().is_empty());

    // For people: the location is shown, marked as not followed.
    let mut human = args(&origin.url, &["confirm", "F1"]);
    human.retain(|a| a != "--json");
    let output = ordergate(token(), human).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("redirect location (not followed)"),
        "{stderr}"
    );
    assert!(other.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_input_exits_2_and_sends_nothing() {
    let server = FlakyServer::start(vec![Behavior::json(200, "{}")]).await;
    let long_id = "1".repeat(70_000);
    let cases: Vec<(&str, Env, Vec<String>)> = vec![
        (
            "a base URL with a query",
            token(),
            args(&format!("{}?x=1", server.url), &["get", "F1"]),
        ),
        (
            "a base URL with a password",
            token(),
            args(
                &server.url.replace("http://", "http://user:PASSWORD@"),
                &["get", "F1"],
            ),
        ),
        (
            "a token with a non-ASCII letter",
            vec![("FASTPOD_TOKEN", "t\u{e9}".to_owned())],
            args(&server.url, &["confirm", "F1"]),
        ),
        (
            "an id too long for a URL",
            token(),
            args(&server.url, &["confirm", &long_id]),
        ),
        (
            "a Logitrail merchant id with a colon",
            vec![
                ("LOGITRAIL_MERCHANT_ID", "shop:1".to_owned()),
                ("LOGITRAIL_SECRET", "s".to_owned()),
            ],
            {
                let mut a = args(&server.url, &["confirm", "5c8a1d5b0000000000000001"]);
                a[1] = "logitrail".to_owned();
                a
            },
        ),
    ];
    for (label, env, args) in cases {
        let output = ordergate(env, args).await;
        assert_eq!(output.status.code(), Some(2), "{label}");
        let error = error_of(&output);
        assert_eq!(error["kind"], "invalid_input", "{label}: {error}");
        assert!(!error.to_string().contains("PASSWORD"), "{label}: {error}");
    }
    assert_eq!(server.connections(), 0, "{:?}", server.requests());
}

#[tokio::test(flavor = "multi_thread")]
async fn timeout_is_one_deadline_for_the_whole_call() {
    // A Retry-After beyond the deadline is reported, not slept.
    let server = FlakyServer::start(vec![
        Behavior::json(503, "{}").with_header("retry-after", "10"),
    ])
    .await;
    let started = Instant::now();
    let output = ordergate(token(), args(&server.url, &["--timeout", "2", "get", "F1"])).await;
    let took = started.elapsed();
    assert!(took < Duration::from_millis(1_800), "{took:?}");
    assert_eq!(output.status.code(), Some(1));
    let error = error_of(&output);
    assert_eq!(error["kind"], "server", "{error}");
    assert_eq!(error["retry_after"], 10);
    assert_eq!(server.requests().len(), 1);

    // A server that never answers: retries fit in the one deadline.
    let slow = FlakyServer::start(vec![
        Behavior::json(200, "{}").after(Duration::from_secs(30)),
    ])
    .await;
    let started = Instant::now();
    let output = ordergate(token(), args(&slow.url, &["--timeout", "1", "get", "F1"])).await;
    let took = started.elapsed();
    assert!(took < Duration::from_millis(2_000), "{took:?}");
    assert_eq!(error_of(&output)["kind"], "timeout");
}
