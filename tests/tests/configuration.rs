//! Configuration keys: every provider built from key/value options (short names or
//! environment variable names), refusals that name the key and never the value, the
//! configuration error kept as the source, and the sandbox's settings and variables named as
//! the facade's keys name them. Every case iterates the provider registry.

use std::error::Error as _;

use ordergate::{ErrorKind, OrderProvider, Provider, ProviderName, UnknownConfigKey};
use ordergate_runtime::ConfigError;
use ordergate_tests::adapters::test_settings;

const BASE: &str = "http://127.0.0.1:9";

fn settings(name: ProviderName) -> &'static [ordergate::Setting] {
    Provider::settings(name).expect("every provider is compiled into the tests")
}

#[test]
fn every_provider_builds_from_short_names_and_from_variable_names() {
    for name in ProviderName::ALL {
        let short = test_settings(name);
        assert!(!short.is_empty(), "{name} requires no setting?");
        let built = Provider::from_options(
            name,
            short.iter().cloned().chain([("base_url", BASE.to_owned())]),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(built.provider(), name);
        // The same settings by their environment variables, in lower case.
        let by_variable: Vec<(String, String)> = short
            .iter()
            .map(|(key, value)| {
                let setting = settings(name)
                    .iter()
                    .find(|s| s.name == *key)
                    .expect("a key");
                (setting.env.to_ascii_lowercase(), value.clone())
            })
            .collect();
        Provider::from_options(name, by_variable).unwrap_or_else(|e| panic!("{name}: {e}"));
        // Every key has a variable named after the provider, and the names are unique.
        for setting in settings(name) {
            let prefix = format!("{}_", name.env_prefix());
            assert!(setting.env.starts_with(&prefix), "{name}: {}", setting.env);
            assert_eq!(
                settings(name)
                    .iter()
                    .filter(|s| s.name == setting.name)
                    .count(),
                1,
                "{name}: {}",
                setting.name
            );
            assert!(
                !setting.description.trim().is_empty(),
                "{name}: {}",
                setting.name
            );
        }
    }
}

#[test]
fn an_unknown_key_is_refused_by_name_without_its_value() {
    for name in ProviderName::ALL {
        let mut options = test_settings(name);
        options.push(("tokne", "s3cr3t-value".to_owned()));
        let error = Provider::from_options(name, options).expect_err("an unknown key");
        assert_eq!(error.kind, ErrorKind::InvalidInput, "{name}");
        assert!(error.nothing_was_sent());
        assert!(
            error.message.contains("\"tokne\""),
            "{name}: {}",
            error.message
        );
        assert!(
            !error.message.contains("s3cr3t"),
            "{name}: {}",
            error.message
        );
        for setting in settings(name) {
            assert!(
                error.message.contains(setting.env),
                "{name}: {}",
                error.message
            );
        }
        let source = error.source().expect("the unknown key is the source");
        let unknown = source
            .downcast_ref::<UnknownConfigKey>()
            .expect("an UnknownConfigKey");
        assert_eq!(unknown.provider, name);
        assert_eq!(unknown.key, "tokne");
    }
}

#[test]
fn each_missing_required_setting_is_named() {
    for name in ProviderName::ALL {
        let all = test_settings(name);
        for (missing, value) in &all {
            let options = all.iter().filter(|(key, _)| key != missing).cloned();
            let error = Provider::from_options(name, options).expect_err("a setting is missing");
            let setting = settings(name)
                .iter()
                .find(|s| s.name == *missing)
                .expect("a key");
            assert_eq!(error.kind, ErrorKind::InvalidInput, "{name} {missing}");
            assert!(
                error.message.contains(setting.env),
                "{name} {missing}: {}",
                error.message
            );
            assert!(!error.message.contains(value.as_str()), "{}", error.message);
        }
    }
}

#[test]
fn a_refused_base_url_keeps_the_configuration_error_as_its_source() {
    for name in ProviderName::ALL {
        let options = test_settings(name)
            .into_iter()
            .chain([("base_url", "https://user:pw@example.com/".to_owned())]);
        let error = Provider::from_options(name, options).expect_err("userinfo is refused");
        assert_eq!(error.kind, ErrorKind::InvalidInput, "{name}");
        assert!(!error.to_string().contains(":pw@"), "{error}");
        let source = error.source().expect("a source");
        assert!(
            matches!(
                source.downcast_ref::<ConfigError>(),
                Some(ConfigError::InvalidBaseUrl { .. })
            ),
            "{name}: {source:?}"
        );
    }
}

/// The sandbox names its settings as the facade's keys do, so a client built from
/// `Sandbox::settings` and a shell given `Sandbox::env` configure the same adapter.
#[tokio::test]
async fn the_sandbox_speaks_the_facade_keys() {
    let sandbox = ordergate_sandbox::start()
        .await
        .expect("the sandbox starts");
    let mut expected_variables = Vec::new();
    for name in ProviderName::ALL {
        let offered = sandbox
            .settings(name)
            .expect("the sandbox plays every provider");
        for (key, value) in &offered {
            let setting = settings(name)
                .iter()
                .find(|s| s.is_named(key))
                .unwrap_or_else(|| panic!("{name}: the sandbox's {key:?} is no facade key"));
            expected_variables.push((setting.env.to_owned(), value.clone()));
        }
        // Every required setting, or all the settings that stand in for it (Fuuffy's
        // client id and secret for its token), or one of those any of which does (1mg's
        // private key or its file for its token).
        let is_offered = |setting: &str| offered.iter().any(|(key, _)| *key == setting);
        for required in settings(name).iter().filter(|s| s.required) {
            let instead = (!required.instead.is_empty()
                && required.instead.iter().all(|s| is_offered(s)))
                || required.instead_any.iter().any(|s| is_offered(s));
            assert!(
                offered.iter().any(|(key, _)| required.is_named(key)) || instead,
                "{name}: the sandbox does not offer {}",
                required.env
            );
        }
        let provider = Provider::from_options(name, offered).expect("builds");
        assert_eq!(provider.provider(), name);
    }
    assert_eq!(sandbox.env(), expected_variables);
    let played: Vec<&str> = sandbox.providers();
    let known: Vec<&str> = ProviderName::ALL.iter().map(|name| name.as_str()).collect();
    assert_eq!(played, known);
}

/// The builders' settings and setters are generated from each adapter's key table: every key
/// given as an option is stored (a non-secret value shows in the builder's `Debug`), and no
/// secret value ever shows.
#[test]
fn every_key_is_stored_by_its_generated_setter_and_secrets_never_show() {
    use ordergate::{FastpodAdapter, FuuffyAdapter, LogitrailAdapter, OnemgAdapter};
    for name in ProviderName::ALL {
        let options: Vec<(&str, String)> = settings(name)
            .iter()
            // Ended by a dot, so that no value is found inside another (`private_key` in
            // `private_key_file`).
            .map(|setting| (setting.name, format!("value-of-{}.", setting.name)))
            .collect();
        let debug = match name {
            ProviderName::Fuuffy => {
                format!("{:?}", FuuffyAdapter::builder_from_options(options.clone()))
            }
            ProviderName::Logitrail => {
                format!(
                    "{:?}",
                    LogitrailAdapter::builder_from_options(options.clone())
                )
            }
            ProviderName::Onemg => {
                format!("{:?}", OnemgAdapter::builder_from_options(options.clone()))
            }
            ProviderName::Fastpod => {
                format!(
                    "{:?}",
                    FastpodAdapter::builder_from_options(options.clone())
                )
            }
            other => panic!("no builder for {other}"),
        };
        assert!(debug.starts_with("Ok("), "{name}: {debug}");
        for setting in settings(name) {
            let value = format!("value-of-{}.", setting.name);
            assert_eq!(
                debug.contains(&value),
                !setting.secret,
                "{name} {}: {debug}",
                setting.name
            );
        }
    }
}

/// A required setting others can stand in for says which, in the README's words and in the
/// error when none is set: all of Fuuffy's client credentials, or any one of 1mg's key
/// settings.
#[test]
fn settings_that_stand_in_for_a_required_one_are_named() {
    for name in ProviderName::ALL {
        for setting in settings(name) {
            for stand_in in setting.instead.iter().chain(setting.instead_any) {
                let other = settings(name).iter().find(|s| s.name == *stand_in);
                assert!(other.is_some_and(|s| !s.required), "{name}: {stand_in}");
                assert!(setting.requirement().contains(stand_in), "{name}");
            }
        }
    }
    let token = |name| {
        settings(name)
            .iter()
            .find(|s| s.name == "token")
            .expect("a token setting")
    };
    assert_eq!(
        token(ProviderName::Fuuffy).requirement(),
        "yes, unless `client_id` and `client_secret` are set"
    );
    let onemg = token(ProviderName::Onemg);
    assert_eq!(
        onemg.requirement(),
        "yes, unless `private_key` or `private_key_file` is set"
    );
    assert_eq!(
        onemg.instead_any_envs(settings(ProviderName::Onemg)),
        ["ONEMG_PRIVATE_KEY", "ONEMG_PRIVATE_KEY_FILE"]
    );
    let private_key = settings(ProviderName::Onemg)
        .iter()
        .find(|s| s.env == "ONEMG_PRIVATE_KEY")
        .expect("ONEMG_PRIVATE_KEY");
    assert!(private_key.secret, "the PEM is a secret");
}
