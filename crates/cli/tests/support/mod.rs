//! What the CLI's test files share: the `ordergate` binary with a clean environment, and its
//! outcome as text.

#![allow(dead_code)] // each test file uses its own part

use assert_cmd::Command;
use ordergate::{Provider, ProviderName};
use ordergate_tests::adapters::test_settings;

/// The binary with a clean environment: nothing of the caller's leaks in.
pub fn bare() -> Command {
    let mut command = Command::cargo_bin("ordergate").expect("the ordergate binary is built");
    command.env_clear();
    command
}

/// The binary with a clean environment holding `provider`'s required settings (`test-<name>`).
pub fn configured(provider: ProviderName) -> Command {
    let mut command = bare();
    let settings = Provider::settings(provider).expect("compiled in");
    for (name, value) in test_settings(provider) {
        let setting = settings.iter().find(|s| s.name == name).expect("a setting");
        command.env(setting.env, value);
    }
    command
}

/// (exit code, stdout, stderr).
pub fn run(command: &mut Command) -> (Option<i32>, String, String) {
    let output = command.output().expect("runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}
