//! Comparing the credentials a client sent with the ones a fake accepts (each fake's accepted
//! credentials are constants of its module), and the webhook credentials the fakes send with
//! when [`SandboxOptions::webhook_url`](crate::SandboxOptions::webhook_url) is set. Fake,
//! local-only values, still never printed by the sandbox itself.

/// The secret the Fuuffy fake signs its webhooks with (`X-Fuuffy-Signature`), exported as
/// `FUUFFY_WEBHOOK_SECRET`.
pub(crate) const FUUFFY_WEBHOOK_SECRET: &str = "sandbox-fuuffy-webhook-secret";

/// The HTTP Basic username the Logitrail fake sends its webhooks with, exported as
/// `LOGITRAIL_WEBHOOK_USERNAME`.
pub(crate) const LOGITRAIL_WEBHOOK_USERNAME: &str = "sandbox-webhooks";

/// The HTTP Basic password the Logitrail fake sends its webhooks with, exported as
/// `LOGITRAIL_WEBHOOK_PASSWORD`.
pub(crate) const LOGITRAIL_WEBHOOK_PASSWORD: &str = "sandbox-logitrail-webhook-password";

/// The header the Tata 1mg fake carries its webhook token in: `X-Auth-Token`, the header
/// `ordergate_onemg::merchant::DEFAULT_TOKEN_HEADER` names (1mg's guides say "auth-token"
/// and name no header; the merchant tells 1mg which).
pub(crate) const ONEMG_WEBHOOK_HEADER: &str = "X-Auth-Token";

/// The token the Tata 1mg fake sends in [`ONEMG_WEBHOOK_HEADER`], exported as
/// `ONEMG_WEBHOOK_TOKEN`.
pub(crate) const ONEMG_WEBHOOK_TOKEN: &str = "sandbox-onemg-webhook-token";

/// The webhook credentials of `provider` as environment variables, the names the facade's
/// adapters read them by; empty for a provider whose fake sends no webhooks.
pub(crate) fn webhook_env(provider: &str) -> Vec<(&'static str, String)> {
    let pairs: &[(&'static str, &'static str)] = match provider {
        "fuuffy" => &[("FUUFFY_WEBHOOK_SECRET", FUUFFY_WEBHOOK_SECRET)],
        "logitrail" => &[
            ("LOGITRAIL_WEBHOOK_USERNAME", LOGITRAIL_WEBHOOK_USERNAME),
            ("LOGITRAIL_WEBHOOK_PASSWORD", LOGITRAIL_WEBHOOK_PASSWORD),
        ],
        "onemg" => &[("ONEMG_WEBHOOK_TOKEN", ONEMG_WEBHOOK_TOKEN)],
        _ => &[],
    };
    pairs
        .iter()
        .map(|(name, value)| (*name, (*value).to_owned()))
        .collect()
}

/// Compares a secret the client sent with the expected one without stopping at the first
/// differing byte.
pub(crate) fn secret_matches(sent: &str, expected: &str) -> bool {
    let (sent, expected) = (sent.as_bytes(), expected.as_bytes());
    let mut difference = u8::from(sent.len() != expected.len());
    for (index, byte) in expected.iter().enumerate() {
        difference |= byte ^ sent.get(index).copied().unwrap_or(0);
    }
    difference == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_fake_that_sends_webhooks_has_its_credentials_under_the_adapters_names() {
        let names = |provider| -> Vec<&str> {
            webhook_env(provider)
                .into_iter()
                .map(|(name, _)| name)
                .collect()
        };
        assert_eq!(names("fuuffy"), ["FUUFFY_WEBHOOK_SECRET"]);
        assert_eq!(
            names("logitrail"),
            ["LOGITRAIL_WEBHOOK_USERNAME", "LOGITRAIL_WEBHOOK_PASSWORD"]
        );
        assert_eq!(names("onemg"), ["ONEMG_WEBHOOK_TOKEN"]);
        assert!(names("fastpod").is_empty());
    }

    #[test]
    fn a_webhook_url_sends_each_fake_to_its_own_path_with_those_credentials() {
        let options = crate::SandboxOptions::default().webhook_url("http://127.0.0.1:9/hooks/");
        let fuuffy = options.fuuffy.webhook.as_ref().expect("fuuffy sends");
        assert_eq!(fuuffy.url, "http://127.0.0.1:9/hooks/fuuffy");
        assert_eq!(fuuffy.secret, FUUFFY_WEBHOOK_SECRET);
        let logitrail = options.logitrail.webhook.as_ref().expect("logitrail sends");
        assert_eq!(logitrail.url, "http://127.0.0.1:9/hooks/logitrail");
        assert_eq!(
            (logitrail.username.as_str(), logitrail.password.as_str()),
            (LOGITRAIL_WEBHOOK_USERNAME, LOGITRAIL_WEBHOOK_PASSWORD)
        );
        let onemg = options.onemg.webhook.as_ref().expect("onemg sends");
        assert_eq!(onemg.url, "http://127.0.0.1:9/hooks/onemg");
        assert_eq!(
            (onemg.header, onemg.token.as_str()),
            (ONEMG_WEBHOOK_HEADER, ONEMG_WEBHOOK_TOKEN)
        );
    }

    #[test]
    fn secrets_compare_exactly() {
        assert!(secret_matches("abc", "abc"));
        assert!(!secret_matches("abd", "abc"));
        assert!(!secret_matches("ab", "abc"));
        assert!(!secret_matches("abcd", "abc"));
        assert!(!secret_matches("", "abc"));
    }
}
