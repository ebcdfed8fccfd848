//! The `ordergate` binary against httpmock: every response example of every spec, the JSON it
//! prints, its exit code and the request each provider received.

use assert_cmd::Command;
use httpmock::MockServer;
use ordergate_tests::scenarios::{Expected, FacadeCall, Scenario, scenarios};
use serde_json::Value;

/// The binary with a clean environment plus `env`.
fn ordergate(env: &[(&str, String)]) -> Command {
    let mut command = Command::cargo_bin("ordergate").expect("the ordergate binary is built");
    command.env_clear();
    for (name, value) in env {
        command.env(name, value);
    }
    command
}

fn arguments(scenario: &Scenario, base_url: &str, json: bool) -> Vec<String> {
    let mut args = vec![
        "--provider".to_owned(),
        scenario.provider.as_str().to_owned(),
        "--base-url".to_owned(),
        base_url.to_owned(),
    ];
    if json {
        args.push("--json".to_owned());
    }
    match scenario.call {
        FacadeCall::Confirm => {
            args.extend(["confirm".to_owned(), scenario.order_id.to_owned()]);
            if let Some(id) = scenario.merchant_order_id {
                args.extend(["--merchant-order-id".to_owned(), id.to_owned()]);
            }
        }
        FacadeCall::Get => args.extend(["get".to_owned(), scenario.order_id.to_owned()]),
    }
    args
}

#[test]
fn every_spec_example_through_the_cli_as_json() {
    let schema: Value =
        serde_json::from_slice(&ordergate(&[]).arg("schema").output().expect("runs").stdout)
            .expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let mut checked = 0;
    for scenario in scenarios() {
        for (example, expected) in scenario.cases() {
            let server = MockServer::start();
            let mock = scenario.mock(&server, &example);
            let output = ordergate(&scenario.env())
                .args(arguments(&scenario, &server.base_url(), true))
                .output()
                .expect("runs");
            mock.assert();
            let label = &example.label;
            let stdout: Value = serde_json::from_slice(&output.stdout)
                .unwrap_or_else(|e| panic!("{label}: stdout is not one JSON object ({e})"));
            assert!(
                validator.is_valid(&stdout),
                "{label}: output breaks `ordergate schema`: {stdout}"
            );
            match expected {
                Expected::Order {
                    order_id,
                    status,
                    provider_status,
                    tracking_number,
                    tracking_url,
                } => {
                    assert_eq!(output.status.code(), Some(0), "{label}");
                    assert_eq!(stdout["provider"], scenario.provider.as_str(), "{label}");
                    assert_eq!(stdout["order_id"], order_id, "{label}");
                    assert_eq!(stdout["status"], status.as_str(), "{label}");
                    assert_eq!(
                        stdout["provider_status"],
                        Value::from(provider_status),
                        "{label}"
                    );
                    assert_eq!(
                        stdout["tracking_number"],
                        Value::from(tracking_number),
                        "{label}"
                    );
                    assert_eq!(stdout["tracking_url"], Value::from(tracking_url), "{label}");
                }
                Expected::Error {
                    kind,
                    code,
                    message,
                } => {
                    assert_eq!(output.status.code(), Some(1), "{label}");
                    let error = &stdout["error"];
                    assert_eq!(error["kind"], kind.as_str(), "{label}");
                    assert_eq!(error["provider"], scenario.provider.as_str(), "{label}");
                    assert_eq!(error["http_status"], example.status, "{label}");
                    assert_eq!(error["code"], Value::from(code), "{label}");
                    assert_eq!(error["message"], message, "{label}");
                    assert_eq!(error["retry_after"], Value::Null, "{label}");
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 24);
}

#[test]
fn people_get_lines_on_stdout_and_errors_on_stderr() {
    let scenario = &scenarios()[0]; // Fuuffy confirm
    for (example, expected) in scenario.cases() {
        let server = MockServer::start();
        let _mock = scenario.mock(&server, &example);
        let output = ordergate(&scenario.env())
            .args(arguments(scenario, &server.base_url(), false))
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        match expected {
            Expected::Order { .. } => {
                assert_eq!(output.status.code(), Some(0));
                assert!(
                    stdout.contains("tracking number: SF7444700509270"),
                    "{stdout}"
                );
                assert!(
                    stdout.contains("status:          confirmed (provider status READY_TO_SHIP)"),
                    "{stdout}"
                );
                assert!(stderr.is_empty(), "{stderr}");
            }
            Expected::Error { kind, .. } => {
                assert_eq!(output.status.code(), Some(1));
                assert!(stdout.is_empty(), "{}: {stdout}", example.label);
                assert!(
                    stderr.starts_with(&format!("error: fuuffy: {kind}")),
                    "{stderr}"
                );
            }
        }
    }
}

/// (environment, arguments, a phrase the error message must contain).
type UsageCase<'a> = (Vec<(&'a str, String)>, Vec<&'a str>, &'a str);

#[test]
fn usage_and_invalid_input_exit_2_with_nothing_sent() {
    let server = MockServer::start();
    let anything = server.mock(|_, then| {
        then.status(500);
    });
    let url = server.base_url();
    let token = || vec![("FUUFFY_TOKEN", "t".to_owned())];
    let cases: Vec<UsageCase> = vec![
        (token(), vec!["--json", "confirm", "1"], "no provider"),
        (
            token(),
            vec!["--json", "--provider", "no-such-provider", "confirm", "1"],
            "unknown provider",
        ),
        (
            vec![],
            vec![
                "--json",
                "--provider",
                "fuuffy",
                "--base-url",
                &url,
                "confirm",
                "1",
            ],
            "FUUFFY_TOKEN is not set",
        ),
        (
            token(),
            vec![
                "--json",
                "--provider",
                "fuuffy",
                "--base-url",
                &url,
                "confirm",
                "12a",
            ],
            "Fuuffy order ids are digits",
        ),
        (
            token(),
            vec![
                "--json",
                "--provider",
                "fuuffy",
                "--base-url",
                &url,
                "--timeout",
                "0",
                "get",
                "1",
            ],
            "not between",
        ),
        (
            token(),
            vec![
                "--json",
                "--provider",
                "fuuffy",
                "--base-url",
                "http://orders.example.com",
                "get",
                "1",
            ],
            "plain http://",
        ),
        (
            vec![
                ("LOGITRAIL_MERCHANT_ID", "m".into()),
                ("LOGITRAIL_SECRET", "s".into()),
            ],
            vec![
                "--json",
                "--provider",
                "logitrail",
                "--base-url",
                &url,
                "get",
                "5c8a1d5b0000000000000001",
            ],
            // What else it offers grows with its adapter; get_order is not among it.
            "does not offer get_order through ordergate (it offers ",
        ),
        (
            vec![
                ("ONEMG_TOKEN", "t".into()),
                ("ONEMG_ACCESS_KEY", "k".into()),
                ("ONEMG_MERCHANT_ID", "m".into()),
            ],
            vec![
                "--json",
                "--provider",
                "onemg",
                "--base-url",
                &url,
                "confirm",
                "PO1",
            ],
            "merchant order id",
        ),
    ];
    for (env, args, needle) in cases {
        let output = ordergate(&env).args(&args).output().expect("runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stdout: Value = serde_json::from_slice(&output.stdout).expect("JSON error");
        let kind = stdout["error"]["kind"].as_str().unwrap_or_default();
        assert!(
            matches!(kind, "invalid_input" | "unsupported"),
            "{args:?}: {stdout}"
        );
        let message = stdout["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(needle), "{args:?}: {message}");
    }
    assert_eq!(anything.calls(), 0, "nothing may reach the provider");
}

#[test]
fn the_environment_selects_the_provider_and_base_url_and_the_flag_wins() {
    let scenario = &scenarios()[1]; // Fuuffy get_order
    let (example, _) = scenario.cases().into_iter().next().expect("a case");
    let server = MockServer::start();
    let mock = scenario.mock(&server, &example);
    let mut env = scenario.env();
    env.push(("ORDERGATE_PROVIDER", "fuuffy".into()));
    env.push(("FUUFFY_BASE_URL", server.base_url()));
    let output = ordergate(&env)
        .args(["--json", "get", "3550875"])
        .output()
        .expect("runs");
    assert!(output.status.code().is_some());
    assert_eq!(mock.calls(), 1, "FUUFFY_BASE_URL was used");

    // --base-url wins over FUUFFY_BASE_URL.
    let other = MockServer::start();
    let other_mock = scenario.mock(&other, &example);
    env.retain(|(name, _)| *name != "FUUFFY_BASE_URL");
    env.push(("FUUFFY_BASE_URL", "http://127.0.0.1:9".into()));
    ordergate(&env)
        .args(["--json", "--base-url", &other.base_url(), "get", "3550875"])
        .output()
        .expect("runs");
    assert_eq!(other_mock.calls(), 1);
}

#[test]
fn providers_lists_capabilities() {
    let output = ordergate(&[])
        .args(["--json", "providers"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let list: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let onemg = list
        .as_array()
        .and_then(|l| l.iter().find(|p| p["provider"] == "onemg"))
        .expect("onemg listed");
    // What every build offers; adapters gain operations (`providers_prints_capabilities_as_a_
    // table_for_people` checks the rest against this list).
    let has = |provider: &Value, operation: &str| {
        provider["capabilities"]
            .as_array()
            .is_some_and(|ops| ops.iter().any(|op| op == operation))
    };
    assert!(has(onemg, "confirm_order"), "{onemg}");
    assert_eq!(onemg["confirm_needs_merchant_order_id"], true);
    let fuuffy = list
        .as_array()
        .and_then(|l| l.iter().find(|p| p["provider"] == "fuuffy"))
        .expect("fuuffy listed");
    assert!(
        has(fuuffy, "confirm_order") && has(fuuffy, "get_order"),
        "{fuuffy}"
    );
    assert!(
        !has(fuuffy, "cancel_order"),
        "Fuuffy's API has no cancel: {fuuffy}"
    );
    assert_eq!(fuuffy["confirm_needs_merchant_order_id"], false);
}

/// The table for people (provider by operation) says what `providers --json` says, cell by
/// cell, whatever the adapters of this build implement.
#[test]
fn providers_prints_capabilities_as_a_table_for_people() {
    let json = ordergate(&[])
        .args(["--json", "providers"])
        .output()
        .expect("runs");
    let list: Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let output = ordergate(&[]).arg("providers").output().expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split_whitespace().collect();
    assert_eq!(
        header,
        [
            "provider",
            "create_order",
            "confirm_order",
            "get_order",
            "cancel_order",
            "list_orders",
            "track_order",
            "parse_webhook"
        ]
    );
    let mut rows = 0;
    for line in lines.take_while(|line| !line.is_empty()) {
        let cells: Vec<&str> = line.split_whitespace().collect();
        let info = list
            .as_array()
            .and_then(|l| l.iter().find(|p| p["provider"] == cells[0]))
            .unwrap_or_else(|| panic!("{} in --json", cells[0]));
        let offered = info["capabilities"].as_array().expect("capabilities");
        for (operation, cell) in header[1..].iter().zip(&cells[1..]) {
            let expected = if offered.iter().any(|o| o == operation) {
                "yes"
            } else {
                "-"
            };
            assert_eq!(*cell, expected, "{} {operation}: {text}", cells[0]);
        }
        // Every provider confirms.
        assert_eq!(cells[2], "yes", "{text}");
        rows += 1;
    }
    assert_eq!(rows, list.as_array().expect("a list").len(), "{text}");
    assert!(
        text.contains("onemg: confirm_order needs --merchant-order-id"),
        "{text}"
    );
}

#[test]
fn credentials_never_appear_in_cli_output() {
    let server = MockServer::start();
    server.mock(|_, then| {
        then.status(401)
            .header("content-type", "application/json")
            .body(r#"{"error":{"code":"401000","code_reason":"UNAUTHORIZED","message":"Unauthorized"}}"#);
    });
    let env = vec![
        ("FUUFFY_TOKEN", "tok-SEKRET-1".to_owned()),
        ("LOGITRAIL_MERCHANT_ID", "shop".to_owned()),
        ("LOGITRAIL_SECRET", "sec-SEKRET-2".to_owned()),
        ("ONEMG_TOKEN", "jwt-SEKRET-3".to_owned()),
        ("ONEMG_ACCESS_KEY", "key-SEKRET-4".to_owned()),
        ("ONEMG_MERCHANT_ID", "m".to_owned()),
        ("FASTPOD_TOKEN", "tok-SEKRET-5".to_owned()),
        ("RUST_LOG", "trace".to_owned()),
    ];
    for provider in ["fuuffy", "logitrail", "onemg", "fastpod"] {
        for json in [true, false] {
            let mut args = vec!["--provider", provider, "--base-url", server.url("").leak()];
            if json {
                args.push("--json");
            }
            let id = if provider == "fuuffy" {
                "3550609"
            } else {
                "5c8a1d5b0000000000000001"
            };
            args.extend(["confirm", id, "--merchant-order-id", "MO1"]);
            let output = ordergate(&env).args(&args).output().expect("runs");
            assert_eq!(output.status.code(), Some(1), "{provider}");
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(all.contains("unauthorized"), "{provider}: {all}");
            assert!(!all.contains("SEKRET"), "{provider} leaks: {all}");
        }
    }
}
