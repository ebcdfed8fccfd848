//! The `ordergate` binary with Fuuffy client credentials (`FUUFFY_CLIENT_ID` +
//! `FUUFFY_CLIENT_SECRET`): one run asks for exactly one token, a static `FUUFFY_TOKEN` wins,
//! and a refused client is `unauthorized` with nothing else sent. Requests counted server-side.

use assert_cmd::Command;
use httpmock::MockServer;
use serde_json::{Value, json};

const CLIENT_ID: &str = "cli-client-4d1";
const CLIENT_SECRET: &str = "cli-secret-SEKRET-9a7";
const ISSUED: &str = "sk-cli-issued-SEKRET-3c2";

fn run(server: &MockServer, env: &[(&str, &str)], args: &[&str]) -> (Option<i32>, Value, String) {
    let mut command = Command::cargo_bin("ordergate").expect("the ordergate binary is built");
    command
        .env_clear()
        .envs(env.iter().copied())
        .args([
            "--provider",
            "fuuffy",
            "--base-url",
            &server.base_url(),
            "--json",
        ])
        .args(args);
    let output = command.output().expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let printed: Value = serde_json::from_str(stdout.trim())
        .or_else(|_| serde_json::from_str(stderr.trim()))
        .unwrap_or(Value::Null);
    (output.status.code(), printed, format!("{stdout}{stderr}"))
}

fn token_endpoint(server: &MockServer) -> httpmock::Mock<'_> {
    server.mock(|when, then| {
        when.method("POST")
            .path("/v1/auth/token")
            .form_urlencoded_tuple("grant_type", "client_credentials")
            .form_urlencoded_tuple("client_id", CLIENT_ID)
            .form_urlencoded_tuple("client_secret", CLIENT_SECRET);
        then.status(200)
            .header("content-type", "application/json")
            .body(
            json!({"data": {"access_token": ISSUED, "token_type": "Bearer", "expires_in": 3600}})
                .to_string(),
        );
    })
}

fn credentials() -> [(&'static str, &'static str); 2] {
    [
        ("FUUFFY_CLIENT_ID", CLIENT_ID),
        ("FUUFFY_CLIENT_SECRET", CLIENT_SECRET),
    ]
}

#[test]
fn a_confirm_run_asks_for_exactly_one_token() {
    let server = MockServer::start();
    let token = token_endpoint(&server);
    let confirm = server.mock(|when, then| {
        when.method("POST")
            .path("/v1/order/confirm")
            .header("authorization", format!("Bearer {ISSUED}"))
            .json_body(json!({"order_id": "3550609"}));
        then.status(200)
            .header("content-type", "application/json")
            .body(json!({"data": {"confirmed_orders": [{"order_id": "3550609", "order_status": "READY_TO_SHIP", "tracking_number": "SF7444700509270"}], "message": "OK"}}).to_string());
    });
    let (code, printed, all) = run(&server, &credentials(), &["confirm", "3550609"]);
    assert_eq!(code, Some(0), "{all}");
    assert_eq!(printed["status"], "confirmed", "{all}");
    assert_eq!(token.calls(), 1);
    assert_eq!(confirm.calls(), 1);
    for secret in [CLIENT_SECRET, ISSUED] {
        assert!(!all.contains(secret), "{all}");
    }
}

#[test]
fn a_static_token_wins_and_no_token_is_asked_for() {
    let server = MockServer::start();
    let token = token_endpoint(&server);
    let get = server.mock(|when, then| {
        when.method("GET")
            .path("/v1/order")
            .header("authorization", "Bearer static-token-1");
        then.status(200)
            .header("content-type", "application/json")
            .body(json!({"data": {"order_id": "3550875", "status": "READY_TO_SHIP"}}).to_string());
    });
    let mut env = credentials().to_vec();
    env.push(("FUUFFY_TOKEN", "static-token-1"));
    let (code, _, all) = run(&server, &env, &["get", "3550875"]);
    assert_eq!(code, Some(0), "{all}");
    assert_eq!(token.calls(), 0);
    assert_eq!(get.calls(), 1);
}

#[test]
fn a_refused_client_is_unauthorized_and_nothing_else_is_sent() {
    let server = MockServer::start();
    let token = server.mock(|when, then| {
        when.method("POST").path("/v1/auth/token");
        then.status(401)
            .header("content-type", "application/json")
            .body(
                r#"{"error":{"code":"invalid_client","message":"Client authentication failed"}}"#,
            );
    });
    let anything_else = server.mock(|when, then| {
        when.is_true(|request| request.uri().path() != "/v1/auth/token");
        then.status(200);
    });
    let (code, printed, all) = run(&server, &credentials(), &["confirm", "3550609"]);
    assert_eq!(code, Some(1), "{all}");
    assert_eq!(printed["error"]["kind"], "unauthorized", "{all}");
    assert_eq!(printed["error"]["phase"], "not_sent", "{all}");
    assert_eq!(printed["error"]["code"], "invalid_client", "{all}");
    assert_eq!(token.calls(), 1);
    assert_eq!(anything_else.calls(), 0);
    assert!(!all.contains(CLIENT_SECRET), "{all}");
}
