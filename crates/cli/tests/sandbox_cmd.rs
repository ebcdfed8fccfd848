//! `ordergate sandbox` and `ordergate demo`, as a user runs them: the exports (Fuuffy's client
//! credentials, so the CLI fetches its own tokens; the static token only as a `# curl:`
//! comment), the `--json` forms, and the CLI pointed at the sandbox by the printed lines.

use std::io::{BufRead, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command as StdCommand, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use assert_cmd::Command;
use assert_cmd::cargo::CommandCargoExt as _;
use serde_json::Value;

/// `ordergate` with a clean environment plus `env`.
fn ordergate(env: &[(String, String)]) -> Command {
    let mut command = Command::cargo_bin("ordergate").expect("the ordergate binary is built");
    command.env_clear();
    for (name, value) in env {
        command.env(name, value);
    }
    command
}

/// `ordergate [args] sandbox --port 0` running, with the lines it printed up to the first
/// line `done` accepts. Killed (by its own id) when dropped.
struct Serving {
    child: Child,
    lines: Vec<String>,
}

impl Serving {
    fn start(args: &[&str], done: fn(&str) -> bool) -> Self {
        let mut child = StdCommand::cargo_bin("ordergate")
            .expect("the ordergate binary is built")
            .env_clear()
            .args(args)
            .args(["sandbox", "--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the sandbox starts");
        let stdout = child.stdout.take().expect("piped");
        let (sender, received) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut serving = Self {
            child,
            lines: Vec::new(),
        };
        loop {
            let line = received
                .recv_timeout(Duration::from_secs(30))
                .expect("the sandbox prints its settings");
            let last = done(&line);
            serving.lines.push(line);
            if last {
                return serving;
            }
        }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A GET of `path` on `addr` (`127.0.0.1:port`) with a bearer token, as curl would send it;
/// the status line.
fn curl_status(addr: &str, path: &str, token: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    )
    .expect("sent");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.lines().next().unwrap_or_default().to_owned()
}

#[test]
fn the_printed_exports_make_the_cli_fetch_its_own_tokens() {
    let serving = Serving::start(&[], |line| line.starts_with("# Ctrl-C"));
    let exports: Vec<(String, String)> = serving
        .lines
        .iter()
        .filter_map(|line| line.strip_prefix("export ")?.split_once('='))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    let names: Vec<&str> = exports.iter().map(|(name, _)| name.as_str()).collect();
    assert!(names.contains(&"FUUFFY_CLIENT_ID"), "{names:?}");
    assert!(names.contains(&"FUUFFY_CLIENT_SECRET"), "{names:?}");
    for webhook in [
        "FUUFFY_WEBHOOK_SECRET",
        "LOGITRAIL_WEBHOOK_USERNAME",
        "LOGITRAIL_WEBHOOK_PASSWORD",
        "ONEMG_WEBHOOK_TOKEN",
    ] {
        assert!(names.contains(&webhook), "{webhook}: {names:?}");
    }
    assert!(!names.contains(&"FUUFFY_TOKEN"), "{names:?}");
    let curl = serving
        .lines
        .iter()
        .find_map(|line| line.strip_prefix("# curl: export FUUFFY_TOKEN="))
        .expect("the static token, as a comment");
    let token = curl.split_whitespace().next().expect("a token");
    assert!(
        serving
            .lines
            .iter()
            .any(|line| line.starts_with("# fuuffy orders: 3550609"))
    );

    // The CLI, given exactly the exported lines, gets a token with the client credentials and
    // looks the order up.
    let output = ordergate(&exports)
        .args(["--provider", "fuuffy", "--json", "get", "3550875"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let order: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(order["order_id"], "3550875");
    // Wrong client credentials are refused: the CLI did use them.
    let mut wrong = exports.clone();
    for (name, value) in &mut wrong {
        if name == "FUUFFY_CLIENT_SECRET" {
            *value = "not-the-secret".to_owned();
        }
    }
    let refused = ordergate(&wrong)
        .args(["--provider", "fuuffy", "--json", "get", "3550875"])
        .output()
        .expect("runs");
    assert_eq!(refused.status.code(), Some(1), "{refused:?}");

    // The commented token works as curl sends it.
    let base = exports
        .iter()
        .find(|(name, _)| name == "FUUFFY_BASE_URL")
        .map(|(_, value)| value.clone())
        .expect("a base URL");
    let addr = base
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .expect("a loopback address");
    assert!(curl_status(addr, "/fuuffy/v1/order?id=3550875", token).contains(" 200 "));
    assert!(curl_status(addr, "/fuuffy/v1/order?id=3550875", "sk-wrong").contains(" 401 "));
}

#[test]
fn json_sandbox_prints_one_object_on_one_line() {
    let serving = Serving::start(&["--json"], |_| true);
    let object: Value = serde_json::from_str(&serving.lines[0]).expect("one JSON object");
    let url = object["url"].as_str().expect("a url");
    assert!(url.starts_with("http://127.0.0.1:"), "{object}");
    assert_eq!(object["env"]["FUUFFY_BASE_URL"], format!("{url}/fuuffy"));
    assert!(object["env"]["FUUFFY_CLIENT_ID"].is_string(), "{object}");
    assert!(object["env"].get("FUUFFY_TOKEN").is_none(), "{object}");
    assert!(object["static_env"]["FUUFFY_TOKEN"].is_string(), "{object}");
    assert!(object["env"]["LOGITRAIL_SECRET"].is_string(), "{object}");
    for webhook in [
        "FUUFFY_WEBHOOK_SECRET",
        "LOGITRAIL_WEBHOOK_USERNAME",
        "LOGITRAIL_WEBHOOK_PASSWORD",
        "ONEMG_WEBHOOK_TOKEN",
    ] {
        assert!(object["env"][webhook].is_string(), "{webhook}: {object}");
    }
    for provider in ["fuuffy", "logitrail", "onemg", "fastpod"] {
        let orders = object["orders"][provider].as_array().expect("ids");
        assert!(!orders.is_empty(), "{provider}");
    }
}

/// What `ordergate --json providers` says `provider` offers.
fn capabilities(provider: &str) -> Vec<String> {
    let output = ordergate(&[])
        .args(["--json", "providers"])
        .output()
        .expect("runs");
    let list: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    list.as_array()
        .and_then(|l| l.iter().find(|p| p["provider"] == provider))
        .and_then(|p| p["capabilities"].as_array())
        .expect("listed")
        .iter()
        .filter_map(|op| op.as_str().map(str::to_owned))
        .collect()
}

/// The demo walks each provider through create, confirm, track, webhooks and delivered, one
/// JSON object per step; a step the provider does not offer is `skipped` and says so, one it
/// offers is done. Fuuffy's order, confirmed, moves to DELIVERED on the sandbox's clock.
#[test]
fn demo_tells_each_providers_story_step_by_step() {
    let output = ordergate(&[])
        .args(["--json", "demo"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let steps: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line one JSON object"))
        .collect();
    let providers = ["fuuffy", "logitrail", "onemg", "fastpod"];
    let order = ["create", "confirm", "track", "webhooks", "delivered"];
    assert_eq!(steps.len(), providers.len() * order.len(), "{stdout}");
    for (index, step) in steps.iter().enumerate() {
        let provider = providers[index / order.len()];
        assert_eq!(step["provider"], provider, "{step}");
        assert_eq!(step["step"], order[index % order.len()], "{step}");
        assert_ne!(step["outcome"], "failed", "{step}");
        assert!(step["order_id"].is_string(), "{step}");
    }
    for provider in providers {
        let offered = capabilities(provider);
        let of = |step: &str| {
            steps
                .iter()
                .find(|s| s["provider"] == provider && s["step"] == step)
                .expect("the step")
        };
        for (step, operation) in [
            ("create", "create_order"),
            ("confirm", "confirm_order"),
            ("track", "track_order"),
        ] {
            let report = of(step);
            if offered.iter().any(|o| o == operation) {
                assert_eq!(report["outcome"], "done", "{report}");
            } else {
                assert_eq!(report["outcome"], "skipped", "{report}");
                let message = report["message"].as_str().expect("a message");
                assert!(
                    message.contains(&format!("does not offer {operation}")),
                    "{message}"
                );
            }
        }
        let webhooks = of("webhooks");
        if offered.iter().any(|o| o == "parse_webhook") {
            assert_eq!(webhooks["outcome"], "done", "{webhooks}");
        } else {
            assert_eq!(webhooks["outcome"], "skipped", "{webhooks}");
            assert_eq!(webhooks["events"], serde_json::json!([]), "{webhooks}");
        }
        assert_eq!(of("confirm")["status"], "confirmed", "{provider}");
    }
    let fuuffy = |step: &str| {
        steps
            .iter()
            .find(|s| s["provider"] == "fuuffy" && s["step"] == step)
            .expect("the step")
    };
    assert!(
        fuuffy("confirm")["tracking_number"]
            .as_str()
            .is_some_and(|t| t.starts_with("SF"))
    );
    assert!(
        fuuffy("webhooks")["message"].as_str().is_some_and(
            |m| m.contains("PENDING_PICKUP → PICKUP_COMPLETED → IN_TRANSIT → DELIVERED")
        )
    );
    assert_eq!(fuuffy("delivered")["outcome"], "done");
    assert_eq!(fuuffy("delivered")["status"], "delivered");
}

/// For people: an introduction, the numbered steps per provider (skipped ones saying so), and
/// what to try next.
#[test]
fn demo_reads_as_a_story_and_ends_with_what_to_try_next() {
    let output = ordergate(&[]).arg("demo").output().expect("runs");
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(text.starts_with("ordergate demo: "), "{text}");
    for title in [
        "Fuuffy (fuuffy) offers: ",
        "Logitrail (logitrail) offers: ",
        "Tata 1mg (onemg) offers: ",
        "FastPOD (fastpod) offers: ",
    ] {
        assert!(text.contains(title), "{title}: {text}");
    }
    assert!(
        text.contains(" is confirmed: confirmed (READY_TO_SHIP)"),
        "{text}"
    );
    if !capabilities("fuuffy").iter().any(|o| o == "track_order") {
        assert!(
            text.contains(
                "  3. track      skipped: Fuuffy does not offer track_order through ordergate yet"
            ),
            "{text}"
        );
    }
    assert!(text.contains(" is delivered (DELIVERED)"), "{text}");
    let next = text.find("What to try next").expect("what to try next");
    assert!(text[next..].contains("ordergate listen"), "{text}");
    assert!(
        text[next..].contains("ordergate sandbox --webhook-url"),
        "{text}"
    );
}
