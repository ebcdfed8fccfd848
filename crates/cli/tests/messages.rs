//! Messages that name the fix, through the binary against loopback fakes (httpmock, a port
//! bound then dropped): an id in the wrong format names the format in words, a missing
//! merchant order id names `--merchant-order-id`, plain HTTP names `--allow-insecure-http`,
//! half of a credential pair names the other half, a provider's JSON body is printed once and
//! a transport error shows its cause. The library's side of each is checked here too: the
//! same error names the field or setting in the library's terms.

mod support;

use std::collections::BTreeSet;
use std::path::Path;
use support::run;

use assert_cmd::Command;
use httpmock::MockServer;
use ordergate::{ConfirmRequest, Fix, OrderProvider, Overrides, Provider, ProviderName};
use ordergate_tests::adapters::test_settings;
use serde_json::Value;

/// The binary with a clean environment holding `provider`'s required settings and `env`.
fn ordergate(provider: ProviderName, env: &[(&str, &str)]) -> Command {
    let mut command = support::configured(provider);
    command.envs(env.iter().copied());
    command
}

/// The `--json` error object printed on stdout.
fn json_error(stdout: &str) -> Value {
    let json: Value = serde_json::from_str(stdout).expect("one JSON object");
    json["error"].clone()
}

/// The spec of `provider`, as JSON.
fn spec(provider: ProviderName) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../specs")
        .join(format!("{provider}.yaml"));
    let text = std::fs::read_to_string(&path).expect("the spec is readable");
    serde_yaml::from_str(&text).expect("the spec is YAML")
}

/// `value`, or what its `$ref` (`#/components/...`) points to.
fn resolved<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').expect("a local $ref");
            resolved(spec, spec.pointer(pointer).expect("the $ref resolves"))
        }
        None => value,
    }
}

/// The `pattern`s the spec documents for the order id operation `operation_id` takes: its
/// path or query parameter named `id` or `order_id`, or its JSON body's `order_id`.
fn order_id_patterns(spec: &Value, operation_id: &str) -> BTreeSet<String> {
    let operation = spec["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|item| item.as_object().into_iter().flat_map(|item| item.values()))
        .find(|operation| operation["operationId"] == operation_id)
        .unwrap_or_else(|| panic!("no operation {operation_id}"));
    let mut patterns = BTreeSet::new();
    for parameter in operation["parameters"].as_array().into_iter().flatten() {
        let parameter = resolved(spec, parameter);
        if matches!(parameter["name"].as_str(), Some("id" | "order_id")) {
            let schema = resolved(spec, &parameter["schema"]);
            if let Some(pattern) = schema["pattern"].as_str() {
                patterns.insert(pattern.to_owned());
            }
        }
    }
    let body = &operation["requestBody"]["content"]["application/json"]["schema"];
    if !body.is_null() {
        let id = resolved(spec, &resolved(spec, body)["properties"]["order_id"]);
        if let Some(pattern) = id["pattern"].as_str() {
            patterns.insert(pattern.to_owned());
        }
    }
    patterns
}

/// Ids of every shape the providers use, and some of none.
const CANDIDATE_IDS: [&str; 12] = [
    "3550875",
    "0",
    "abc",
    "12a",
    "5c8a1d5b0000000000000001",
    "5C8A1D5B000000000000000F",
    "5c8a1d5b00000000000000",
    "5c8a1d5b0000000000000001a",
    "zzzzzzzzzzzzzzzzzzzzzzzz",
    "1.5",
    "1-2",
    "１２",
];

#[test]
fn an_id_in_another_format_gets_the_providers_words_for_its_format() {
    // (provider, CLI command, the spec operation that carries the id)
    let cases = [
        (ProviderName::Fuuffy, "get", "get_order"),
        (ProviderName::Fuuffy, "confirm", "confirm_order"),
        (ProviderName::Fuuffy, "track", "get_tracking"),
        (ProviderName::Logitrail, "confirm", "confirm_order"),
    ];
    let (mut accepted, mut refused) = (0, 0);
    for (provider, command, operation) in cases {
        let words = Provider::order_id_format(provider).expect("the spec documents a format");
        let patterns = order_id_patterns(&spec(provider), operation);
        assert_eq!(patterns.len(), 1, "{provider} {operation}: {patterns:?}");
        let pattern = regex::Regex::new(patterns.first().expect("one")).expect("a regex");
        for id in CANDIDATE_IDS {
            let server = MockServer::start();
            let mock = server.mock(|_, then| {
                then.status(500).body("{}");
            });
            let (code, stdout, stderr) = run(ordergate(provider, &[])
                .args([
                    "--provider",
                    provider.as_str(),
                    "--base-url",
                    &server.base_url(),
                ])
                .args(["--json", "--timeout", "5", command, id]));
            let error = json_error(&stdout);
            let message = error["message"].as_str().unwrap_or_default();
            let label = format!("{provider} {command} {id:?}: {stdout} {stderr}");
            if pattern.is_match(id) {
                assert!(mock.calls() >= 1, "{label}: an id in the format is sent");
                assert!(!message.contains(words), "{label}");
                accepted += 1;
            } else {
                assert_eq!(code, Some(2), "{label}");
                assert_eq!(error["kind"], "invalid_input", "{label}");
                assert_eq!(mock.calls(), 0, "{label}: nothing is sent");
                assert!(message.contains(words), "{label}");
                assert!(message.contains(&format!("{id:?}")), "{label}");
                assert!(!message.contains("conversion to"), "{label}");
                assert!(!message.contains('`'), "{label}: no internal type");
                refused += 1;
            }
        }
        // For people too.
        let (code, _, stderr) = run(ordergate(provider, &[])
            .args([
                "--provider",
                provider.as_str(),
                "--base-url",
                "http://127.0.0.1:9",
            ])
            .args([command, "not-an-id"]));
        assert_eq!(code, Some(2));
        assert!(stderr.contains(words), "{stderr}");
    }
    assert!(
        accepted >= 6 && refused >= 20,
        "{accepted} accepted, {refused} refused"
    );
    assert_eq!(
        Provider::order_id_format(ProviderName::Fuuffy),
        Some("Fuuffy order ids are digits, such as 3550875")
    );
    // No pattern, no words: any id is sent.
    for provider in [ProviderName::Onemg, ProviderName::Fastpod] {
        assert_eq!(Provider::order_id_format(provider), None);
    }
}

#[test]
fn tata_1mg_confirm_without_the_merchant_order_id_names_the_flag_and_the_field() {
    let server = MockServer::start();
    let any = server.mock(|_, then| {
        then.status(200).body("{}");
    });
    let base = ["--provider", "onemg", "--base-url", &server.base_url()];
    let (code, stdout, stderr) = run(ordergate(ProviderName::Onemg, &[])
        .args(base)
        .args(["confirm", "PO123"]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains(
            "Tata 1mg needs the merchant order id to confirm an order; pass --merchant-order-id ID"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("ConfirmRequest"), "{stderr}");
    let (code, stdout, _) = run(ordergate(ProviderName::Onemg, &[])
        .args(base)
        .args(["--json", "confirm", "PO123"]));
    assert_eq!(code, Some(2));
    let error = json_error(&stdout);
    assert_eq!(error["kind"], "invalid_input");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("--merchant-order-id"))
    );
    assert_eq!(any.calls(), 0);

    // The library names the field.
    let adapter = Provider::from_options_with(
        ProviderName::Onemg,
        test_settings(ProviderName::Onemg),
        &Overrides::new(Some(server.base_url()), None),
    )
    .expect("configured");
    let error =
        block_on(adapter.confirm_order(&ConfirmRequest::new("PO123"))).expect_err("refused");
    assert_eq!(error.fix(), Some(Fix::MerchantOrderId));
    assert!(
        error
            .message
            .contains("set `ConfirmRequest::merchant_order_id`"),
        "{}",
        error.message
    );
    assert_eq!(
        error.problem(),
        "Tata 1mg needs the merchant order id to confirm an order"
    );
    assert_eq!(any.calls(), 0);
}

#[test]
fn plain_http_to_another_host_names_the_flag_and_the_variable() {
    let plain = [
        "--provider",
        "fastpod",
        "--base-url",
        "http://api.example.com",
    ];
    let (code, _, stderr) = run(ordergate(ProviderName::Fastpod, &[])
        .args(plain)
        .args(["get", "F1"]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("refusing to send credentials over plain http:// to api.example.com; use https://, or allow plain HTTP with --allow-insecure-http (or ORDERGATE_ALLOW_INSECURE_HTTP=1)"),
        "{stderr}"
    );
    assert!(!stderr.contains("ClientConfig"), "{stderr}");
    // Set to a false value, the variable allows nothing.
    for value in ["0", "false", ""] {
        let (code, _, stderr) = run(ordergate(
            ProviderName::Fastpod,
            &[("ORDERGATE_ALLOW_INSECURE_HTTP", value)],
        )
        .args(plain)
        .args(["get", "F1"]));
        assert_eq!(code, Some(2), "{value:?}: {stderr}");
        assert!(stderr.contains("plain http://"), "{value:?}: {stderr}");
    }

    // Allowed by the flag or the variable, the request is attempted: to a documentation
    // address (TEST-NET-1, RFC 5737) nothing answers, so it is a transport error or a timeout,
    // never the refusal.
    let unroutable = ["--provider", "fastpod", "--base-url", "http://192.0.2.1"];
    let by_flag = run(ordergate(ProviderName::Fastpod, &[])
        .args(unroutable)
        .args([
            "--allow-insecure-http",
            "--timeout",
            "1",
            "--json",
            "get",
            "F1",
        ]));
    let by_variable = run(ordergate(
        ProviderName::Fastpod,
        &[("ORDERGATE_ALLOW_INSECURE_HTTP", "1")],
    )
    .args(unroutable)
    .args(["--timeout", "1", "--json", "get", "F1"]));
    for (code, stdout, _) in [by_flag, by_variable] {
        assert_eq!(code, Some(1), "{stdout}");
        let error = json_error(&stdout);
        assert!(
            matches!(error["kind"].as_str(), Some("transport" | "timeout")),
            "{error}"
        );
    }

    // The library names its setting.
    let options = test_settings(ProviderName::Fastpod);
    let refused = Provider::from_options_with(
        ProviderName::Fastpod,
        options.clone(),
        &Overrides::new(Some("http://api.example.com".to_owned()), None),
    )
    .expect_err("refused");
    assert_eq!(refused.fix(), Some(Fix::AllowInsecureHttp));
    assert!(
        refused
            .message
            .contains("`ClientConfig::with_insecure_http(true)`"),
        "{}",
        refused.message
    );
    Provider::from_options_with(
        ProviderName::Fastpod,
        options,
        &Overrides::new(Some("http://api.example.com".to_owned()), None).with_insecure_http(true),
    )
    .expect("allowed");
}

#[test]
fn half_of_a_credential_pair_names_the_missing_half() {
    let cases = [
        (
            ProviderName::Fuuffy,
            vec![("FUUFFY_CLIENT_ID", "id")],
            "FUUFFY_CLIENT_ID is set but FUUFFY_CLIENT_SECRET is not: set both (or FUUFFY_TOKEN instead of both)",
            "FUUFFY_CLIENT_SECRET",
        ),
        (
            ProviderName::Fuuffy,
            vec![("FUUFFY_CLIENT_SECRET", "secret")],
            "FUUFFY_CLIENT_SECRET is set but FUUFFY_CLIENT_ID is not: set both (or FUUFFY_TOKEN instead of both)",
            "FUUFFY_CLIENT_ID",
        ),
        (
            ProviderName::Logitrail,
            vec![("LOGITRAIL_WEBHOOK_USERNAME", "user")],
            "LOGITRAIL_WEBHOOK_USERNAME is set but LOGITRAIL_WEBHOOK_PASSWORD is not: set both",
            "LOGITRAIL_WEBHOOK_PASSWORD",
        ),
        (
            ProviderName::Logitrail,
            vec![("LOGITRAIL_WEBHOOK_PASSWORD", "password")],
            "LOGITRAIL_WEBHOOK_PASSWORD is set but LOGITRAIL_WEBHOOK_USERNAME is not: set both",
            "LOGITRAIL_WEBHOOK_USERNAME",
        ),
    ];
    for (provider, env, expected, missing) in cases {
        let mut command = Command::cargo_bin("ordergate").expect("built");
        command.env_clear().envs(env.iter().copied());
        if provider == ProviderName::Logitrail {
            command.envs([("LOGITRAIL_MERCHANT_ID", "m"), ("LOGITRAIL_SECRET", "s")]);
        }
        let (code, _, stderr) = run(command.args([
            "--provider",
            provider.as_str(),
            "--base-url",
            "http://127.0.0.1:9",
            "get",
            "1",
        ]));
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
        assert!(!stderr.contains(", nor "), "{stderr}");

        let error = Provider::from_options(
            provider,
            env.iter().copied().chain(
                (provider == ProviderName::Logitrail)
                    .then_some([("LOGITRAIL_MERCHANT_ID", "m"), ("LOGITRAIL_SECRET", "s")])
                    .into_iter()
                    .flatten(),
            ),
        )
        .expect_err("refused");
        assert!(
            matches!(error.fix(), Some(Fix::Setting(setting)) if setting.env == missing),
            "{error:?}"
        );
    }
    // Neither half: the generic message stays.
    let (code, _, stderr) = run(Command::cargo_bin("ordergate")
        .expect("built")
        .env_clear()
        .args(["--provider", "fuuffy", "get", "1"]));
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("FUUFFY_TOKEN is not set, nor FUUFFY_CLIENT_ID and FUUFFY_CLIENT_SECRET"),
        "{stderr}"
    );
}

#[test]
fn a_json_error_body_is_printed_once() {
    let body = r#"{"message": "no \"such\" order", "path": "C:\\orders"}"#;
    let server = MockServer::start();
    let _teapot = server.mock(|_, then| {
        then.status(418)
            .header("content-type", "application/json")
            .body(body);
    });
    // Not Fuuffy's error envelope: the message quotes the body.
    let args = ["--provider", "fuuffy", "--base-url", &server.base_url()];
    let (code, _, stderr) = run(ordergate(ProviderName::Fuuffy, &[])
        .args(args)
        .args(["get", "1"]));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains(body), "{stderr}");
    assert!(!stderr.contains(r#"{\""#), "{stderr}");

    let (code, stdout, _) = run(ordergate(ProviderName::Fuuffy, &[])
        .args(args)
        .args(["--json", "get", "1"]));
    assert_eq!(code, Some(1));
    // JSON-escaped once: decoding the output gives the body as sent.
    let message = json_error(&stdout)["message"]
        .as_str()
        .expect("a message")
        .to_owned();
    assert!(message.contains(body), "{message}");
    assert!(
        stdout.contains(r#"{\"message\": \"no \\\"such\\\" order\""#),
        "{stdout}"
    );

    // Control characters are still escaped for the terminal.
    let server = MockServer::start();
    let _hostile = server.mock(|_, then| {
        then.status(418).body("{\"message\": \"\x1b[2Jgone\"}");
    });
    let (_, _, stderr) = run(ordergate(ProviderName::Fuuffy, &[])
        .args(["--provider", "fuuffy", "--base-url", &server.base_url()])
        .args(["get", "1"]));
    assert!(stderr.contains(r#"{"message": "\x1b[2Jgone"}"#), "{stderr}");
    assert!(!stderr.contains('\x1b'));
}

#[test]
fn a_transport_error_shows_its_cause_on_one_line_once() {
    // A port bound, then dropped: nothing listens there.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
        listener.local_addr().expect("an address").port()
    };
    let url = format!("http://127.0.0.1:{port}");
    for (provider, command) in [
        (ProviderName::Fastpod, "get"),
        (ProviderName::Fuuffy, "get"),
        (ProviderName::Logitrail, "confirm"),
    ] {
        let id = match provider {
            ProviderName::Fuuffy => "1",
            ProviderName::Logitrail => "5c8a1d5b0000000000000001",
            _ => "F1",
        };
        let (code, _, stderr) = run(ordergate(provider, &[]).args([
            "--provider",
            provider.as_str(),
            "--base-url",
            &url,
            command,
            id,
        ]));
        assert_eq!(code, Some(1), "{stderr}");
        let line = stderr.trim_end();
        assert!(!line.contains('\n'), "{line}");
        assert!(line.to_lowercase().contains("connection refused"), "{line}");
        assert!(line.contains("nothing was sent"), "{line}");
        // Each part of the chain once.
        let parts: Vec<&str> = line.split(": ").collect();
        let distinct: BTreeSet<&str> = parts.iter().copied().collect();
        assert_eq!(parts.len(), distinct.len(), "{line}");
        assert_eq!(line.matches("onnection refused").count(), 1, "{line}");
    }
    // Fuuffy's token endpoint (client credentials) the same way.
    let (code, _, stderr) = run(Command::cargo_bin("ordergate")
        .expect("built")
        .env_clear()
        .envs([
            ("FUUFFY_CLIENT_ID", "id"),
            ("FUUFFY_CLIENT_SECRET", "secret"),
        ])
        .args(["--provider", "fuuffy", "--base-url", &url, "get", "1"]));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.to_lowercase().contains("connection refused"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("onnection refused").count(), 1, "{stderr}");
    // The cause without the token endpoint's URL, as for an operation.
    assert!(
        !stderr.contains(&url) && !stderr.contains("for url"),
        "{stderr}"
    );
}

#[test]
fn a_token_answer_over_the_body_cap_is_named_as_such() {
    // 11 MiB, one past the default 10 MiB cap: the token endpoint was reached and answered.
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method("POST").path("/v1/auth/token");
        then.status(200)
            .header("content-type", "application/json")
            .body(vec![b' '; 11 * 1024 * 1024]);
    });
    let (code, stdout, stderr) = run(support::bare()
        .envs([
            ("FUUFFY_CLIENT_ID", "id"),
            ("FUUFFY_CLIENT_SECRET", "secret"),
        ])
        .args(["--provider", "fuuffy", "--base-url", &server.base_url()])
        .args(["--json", "get", "1"]));
    assert_eq!(code, Some(1), "{stderr}");
    let error = json_error(&stdout);
    assert_eq!(error["kind"], "decode", "{error}");
    assert_eq!(error["phase"], "not_sent", "{error}");
    let message = error["message"].as_str().expect("a message");
    assert!(
        message.contains("the token endpoint's answer was refused: the response body exceeds the limit of 10485760 bytes"),
        "{message}"
    );
    assert!(!message.contains("cannot reach"), "{message}");
    assert!(!message.contains("url"), "{message}");
}

/// Runs a facade future to completion.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(future)
}
