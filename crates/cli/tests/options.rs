//! Commands take only what they use: every command against every global option, each either
//! honoured or refused (exit 2, saying why, nothing run); help that promises the provider
//! names lists them.

mod support;

use assert_cmd::Command;
use ordergate::{Provider, ProviderName};
use support::run;

/// The binary with a clean environment plus `env`.
fn ordergate(env: &[(&str, &str)]) -> Command {
    let mut command = support::bare();
    command.envs(env.iter().copied());
    command
}

/// Each global option as given on a command line.
const GLOBALS: [(&str, &[&str]); 5] = [
    ("--provider", &["--provider", "fastpod"]),
    ("--base-url", &["--base-url", "http://127.0.0.1:9"]),
    ("--timeout", &["--timeout", "3"]),
    ("--json", &["--json"]),
    ("--allow-insecure-http", &["--allow-insecure-http"]),
];

/// The options every command that talks to a provider uses.
const ALL: &[&str] = &[
    "--provider",
    "--base-url",
    "--timeout",
    "--json",
    "--allow-insecure-http",
];

/// Each command's name, its arguments, and the global options it uses (the others are
/// refused).
const COMMANDS: [(&str, &[&str], &[&str]); 12] = [
    ("create", &["create", "--file", "ORDER.json"], ALL),
    ("confirm", &["confirm", "F1"], ALL),
    ("get", &["get", "F1"], ALL),
    ("cancel", &["cancel", "F1"], ALL),
    ("list", &["list"], ALL),
    ("track", &["track", "F1"], ALL),
    (
        "webhook verify",
        &["webhook", "verify"],
        &["--provider", "--json", "--allow-insecure-http"],
    ),
    (
        "listen",
        &["listen"],
        &["--provider", "--json", "--allow-insecure-http"],
    ),
    ("providers", &["providers"], &["--json"]),
    ("schema", &["schema"], &["--json"]),
    ("sandbox", &["sandbox"], &["--json"]),
    ("demo", &["demo"], &["--provider", "--timeout", "--json"]),
];

#[test]
fn every_command_honours_or_refuses_every_global_option() {
    let mut refused = 0;
    for (name, command, uses) in COMMANDS {
        for (option, given) in GLOBALS {
            if uses.contains(&option) {
                continue;
            }
            // Before the command, and after it (the options are global).
            for (before, after) in [(given, &[][..]), (&[][..], given)] {
                let label = format!("{before:?} {command:?} {after:?}");
                let (code, stdout, stderr) = run(ordergate(&[])
                    .args(before)
                    .args(command)
                    .args(after)
                    .timeout(std::time::Duration::from_secs(20)));
                assert_eq!(code, Some(2), "{label}: {stdout} {stderr}");
                assert!(stdout.is_empty(), "{label}: nothing ran: {stdout}");
                assert!(
                    stderr.contains(&format!(
                        "error: invalid_input: `{name}` does not use {option} ("
                    )),
                    "{label}: {stderr}"
                );
                refused += 1;
            }
        }
    }
    // Each of the 6 commands that talk to a provider uses all 5; webhook verify, listen and
    // demo refuse 2 each, providers, schema and sandbox 4 each: 18 refusals, each tried
    // before and after the command.
    assert_eq!(refused, 36);

    // With --json, the refusal is the JSON error.
    let (code, stdout, _) = run(ordergate(&[]).args(["--json", "sandbox", "--base-url", "x"]));
    assert_eq!(code, Some(2));
    let error: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(error["error"]["kind"], "invalid_input");
    assert!(
        error["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("`sandbox` does not use --base-url ("))
    );
}

#[test]
fn a_variable_is_a_default_never_a_refusal() {
    // ORDERGATE_PROVIDER and ORDERGATE_ALLOW_INSECURE_HTTP set in the environment do not make
    // the commands that do not use them fail.
    let env = [
        ("ORDERGATE_PROVIDER", "fuuffy"),
        ("ORDERGATE_ALLOW_INSECURE_HTTP", "1"),
    ];
    for command in [&["providers"][..], &["schema"], &["schema", "event"]] {
        let (code, stdout, stderr) = run(ordergate(&env).args(command));
        assert_eq!(code, Some(0), "{command:?}: {stderr}");
        assert!(!stdout.is_empty());
    }
}

#[test]
fn demo_shows_the_provider_named_alone_and_refuses_an_unknown_one() {
    let (code, stdout, stderr) =
        run(ordergate(&[("ORDERGATE_PROVIDER", "fuuffy")]).args(["demo", "--provider", "nope"]));
    assert_eq!(code, Some(2), "{stdout}");
    assert!(
        stderr.contains("unknown provider \"nope\"")
            && stderr.contains("fuuffy, logitrail, onemg, fastpod"),
        "{stderr}"
    );

    let (code, stdout, stderr) = run(ordergate(&[])
        .args(["--json", "--provider", "fastpod", "--timeout", "10", "demo"])
        .timeout(std::time::Duration::from_secs(120)));
    assert_eq!(code, Some(0), "{stderr}");
    let providers: std::collections::BTreeSet<String> = stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|step| step["provider"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        providers.into_iter().collect::<Vec<_>>(),
        ["fastpod"],
        "{stdout}"
    );
}

#[test]
fn help_that_promises_the_provider_names_lists_them() {
    let names = Provider::compiled_in()
        .iter()
        .map(|name| name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    assert_eq!(names, "fuuffy, logitrail, onemg, fastpod");
    let commands: [&[&str]; 14] = [
        &[],
        &["create"],
        &["confirm"],
        &["get"],
        &["cancel"],
        &["list"],
        &["track"],
        &["webhook"],
        &["webhook", "verify"],
        &["listen"],
        &["providers"],
        &["schema"],
        &["sandbox"],
        &["demo"],
    ];
    for command in commands {
        for flag in ["-h", "--help"] {
            let (code, help, _) = run(ordergate(&[]).args(command).arg(flag));
            assert_eq!(code, Some(0), "{command:?} {flag}");
            let label = format!("{command:?} {flag}");
            assert!(help.contains(&names), "{label}: {help}");
            for (line, text) in help.lines().enumerate() {
                if text.contains("listed below") {
                    let below = help.lines().skip(line + 1).collect::<Vec<_>>().join("\n");
                    for provider in ProviderName::ALL {
                        let settings = Provider::settings(provider).expect("compiled in");
                        let first = settings.first().expect("a setting").env;
                        assert!(below.contains(first), "{label}: {first} not below");
                    }
                }
            }
        }
    }
}
