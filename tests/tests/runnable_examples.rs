//! Every crate's runnable example, run as a user runs it: a separate process, configured only
//! by the variables the sandbox prints, against the in-process sandbox after the root README's
//! walk-through has used its seeded orders.
//!
//! The examples are built by `cargo test --workspace` and `cargo nextest run --workspace`
//! into `target/<profile>/examples/`, next to this test's `deps/`; a missing one fails the test
//! with the command that builds it.

use std::path::PathBuf;
use std::process::{Command, Output};

use ordergate::{ConfirmRequest, OrderProvider, Provider, ProviderName};
use ordergate_sandbox::Sandbox;

/// The path of the example binary `name`, built next to this test binary.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("the test binary is in target/<profile>/deps");
    let path = profile
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "the example `{name}` is not built at {}: run the workspace's tests (`cargo nextest run \
         --workspace`, which builds every example) or `cargo build --workspace --examples` first",
        path.display()
    );
    path
}

/// Runs example `name` with `args`, with only the sandbox's variables (and `extra`) in its
/// environment, less those named in `unset`.
async fn run(
    sandbox: &Sandbox,
    name: &str,
    args: &[&str],
    extra: &[(&str, &str)],
    unset: &[&str],
) -> Output {
    let mut command = Command::new(example(name));
    command.args(args).env_clear();
    for (variable, value) in sandbox.env() {
        if !unset.contains(&variable.as_str()) {
            command.env(variable, value);
        }
    }
    command.envs(extra.iter().copied());
    tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the example's process is waited for")
        .expect("the example starts")
}

/// The example's standard output, after asserting that it succeeded.
fn succeeded(name: &str, output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{name} failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    stdout
}

/// The word after `prefix` on the line of `stdout` that starts with it.
fn word_after(stdout: &str, prefix: &str) -> String {
    stdout
        .lines()
        .find_map(|line| line.strip_prefix(prefix))
        .and_then(|rest| rest.split([' ', ':', ',']).next())
        .unwrap_or_else(|| panic!("no line starting {prefix:?} in:\n{stdout}"))
        .to_owned()
}

/// What the root README's walk-through does first: confirm a seeded order at every provider.
async fn walk_through(sandbox: &Sandbox) {
    for name in ProviderName::ALL {
        let provider = Provider::from_options(name, sandbox.settings(name).expect("settings"))
            .expect("an adapter on the sandbox");
        let id = sandbox.confirmable_orders(name)[0].clone();
        let mut request = ConfirmRequest::new(&id);
        if let Some(merchant_order_id) = sandbox.merchant_order_id(name, &id) {
            request = request.with_merchant_order_id(merchant_order_id);
        }
        provider
            .confirm_order(&request)
            .await
            .unwrap_or_else(|error| panic!("{name}: the walk-through's confirm: {error}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_provider_example_creates_its_own_order_and_runs_twice_after_the_walk_through() {
    let sandbox = ordergate_sandbox::start()
        .await
        .expect("the sandbox starts");
    walk_through(&sandbox).await;
    let mut ids = Vec::new();
    for _ in 0..2 {
        let name = "fuuffy_create_confirm";
        let stdout = succeeded(name, &run(&sandbox, name, &[], &[], &[]).await);
        let id = word_after(&stdout, "created order ");
        assert!(id.bytes().all(|b| b.is_ascii_digit()), "{stdout}");
        assert!(
            stdout.contains(&format!("confirmed {id} (READY_TO_SHIP), tracking Some(")),
            "{stdout}"
        );
        assert!(
            stdout.contains(&format!("order {id} is READY_TO_SHIP")),
            "{stdout}"
        );
        assert_eq!(
            sandbox.order_status("fuuffy", &id).as_deref(),
            Some("READY_TO_SHIP")
        );
        ids.push(id);

        let name = "logitrail_create_confirm";
        let stdout = succeeded(name, &run(&sandbox, name, &[], &[], &[]).await);
        let id = word_after(&stdout, "created order ");
        assert_eq!(id.len(), 24, "{stdout}");
        assert!(
            stdout.contains(&format!("confirmed {id}, tracking ")),
            "{stdout}"
        );
        assert_eq!(
            sandbox.order_status("logitrail", &id).as_deref(),
            Some("confirmed")
        );
        ids.push(id);

        let name = "onemg_create_confirm";
        let stdout = succeeded(name, &run(&sandbox, name, &[], &[], &[]).await);
        let id = word_after(&stdout, "created order ");
        assert!(id.starts_with("PO"), "{stdout}");
        assert!(
            stdout.contains(&format!("confirmed {id}: true")),
            "{stdout}"
        );
        assert_eq!(sandbox.order_status("onemg", &id).as_deref(), Some("15"));
        ids.push(id);

        let name = "fastpod_create_submit";
        let stdout = succeeded(name, &run(&sandbox, name, &[], &[], &[]).await);
        let id = word_after(&stdout, "created order ");
        assert!(
            stdout.contains(&format!("created order {id}: draft")),
            "{stdout}"
        );
        assert!(
            stdout.contains(&format!("{id} is now new_order")),
            "{stdout}"
        );
        assert!(
            stdout.contains(&format!("{id} has 1 line item(s)")),
            "{stdout}"
        );
        assert_eq!(
            sandbox.order_status("fastpod", &id).as_deref(),
            Some("new_order")
        );
        ids.push(id);
    }
    // The facade's first program, twice as well.
    for _ in 0..2 {
        let name = "create_and_confirm";
        let stdout = succeeded(name, &run(&sandbox, name, &[], &[], &[]).await);
        let id = word_after(&stdout, "created ");
        assert!(
            stdout.contains(&format!("created {id} (pending_confirmation)")),
            "{stdout}"
        );
        assert!(
            stdout.contains(&format!(
                "fuuffy {id} is confirmed (provider says Some(\"READY_TO_SHIP\"))"
            )),
            "{stdout}"
        );
        assert_eq!(
            sandbox.order_status("fuuffy", &id).as_deref(),
            Some("READY_TO_SHIP")
        );
        ids.push(id);
    }
    // Each run made its own orders.
    let distinct: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(distinct.len(), 10, "{ids:?}");
    sandbox.shutdown().await.expect("the sandbox stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_example_without_a_variable_names_it_and_where_to_get_it_and_sends_nothing() {
    let sandbox = ordergate_sandbox::start()
        .await
        .expect("the sandbox starts");
    for (name, variable, production) in [
        (
            "fuuffy_create_confirm",
            "FUUFFY_CLIENT_ID",
            "the client id Fuuffy issued you",
        ),
        (
            "fuuffy_create_confirm",
            "FUUFFY_BASE_URL",
            "https://api-gateway.fuuffy.com",
        ),
        (
            "logitrail_create_confirm",
            "LOGITRAIL_SECRET",
            "the shared secret Logitrail issued you",
        ),
        (
            "onemg_create_confirm",
            "ONEMG_PRIVATE_KEY_FILE",
            "the path of the private key (PEM) 1mg issued you",
        ),
        (
            "fastpod_create_submit",
            "FASTPOD_TOKEN",
            "your FastPOD API token",
        ),
    ] {
        sandbox.clear_responses();
        let output = run(&sandbox, name, &[], &[], &[variable]).await;
        assert_eq!(output.status.code(), Some(1), "{name} without {variable}");
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            format!(
                "Error: {variable} is not set: `ordergate sandbox` prints it for the local fakes; \
                 for production, {production}\n"
            ),
            "{name} without {variable}"
        );
        assert!(output.stdout.is_empty(), "{name}");
        assert!(sandbox.responses().is_empty(), "{name} sent a request");
    }
    // Set but empty is said so.
    let output = run(
        &sandbox,
        "fastpod_create_submit",
        &[],
        &[("FASTPOD_TOKEN", " ")],
        &["FASTPOD_TOKEN"],
    )
    .await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("Error: FASTPOD_TOKEN is empty: "),
        "{stderr}"
    );
    sandbox.shutdown().await.expect("the sandbox stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_facade_confirm_example_confirms_at_every_provider() {
    let sandbox = ordergate_sandbox::start()
        .await
        .expect("the sandbox starts");
    for name in ProviderName::ALL {
        let id = sandbox.confirmable_orders(name)[0].clone();
        let merchant_order_id = sandbox.merchant_order_id(name, &id);
        let mut args = vec![id.as_str()];
        args.extend(merchant_order_id.as_deref());
        let output = run(
            &sandbox,
            "confirm",
            &args,
            &[("ORDERGATE_PROVIDER", name.as_str())],
            &[],
        )
        .await;
        let stdout = succeeded("confirm", &output);
        assert!(
            stdout.starts_with(&format!("confirming {id} at ")),
            "{stdout}"
        );
        assert!(
            stdout.contains(&format!("{id} is confirmed")),
            "{name}: {stdout}"
        );
        assert!(!sandbox.confirmable_orders(name).contains(&id), "{name}");
    }
    // An order the walk-through (or the loop above) confirmed already: said, exit 0.
    let id = "3550609";
    let output = run(
        &sandbox,
        "confirm",
        &[id],
        &[("ORDERGATE_PROVIDER", "fuuffy")],
        &[],
    )
    .await;
    let stdout = succeeded("confirm", &output);
    assert!(
        stdout.contains(&format!("{id} cannot be confirmed now: No orders found")),
        "{stdout}"
    );
    // Without an order id: the usage, exit 1.
    let output = run(
        &sandbox,
        "confirm",
        &[],
        &[("ORDERGATE_PROVIDER", "fuuffy")],
        &[],
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("usage: confirm <ORDER_ID>"),
        "{output:?}"
    );
    sandbox.shutdown().await.expect("the sandbox stops");
}
