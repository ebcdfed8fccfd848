//! How schemathesis authenticates against the sandbox: the credentials the sandbox expects,
//! as schemathesis options.

use anyhow::{Result, bail};

use super::SpecInfo;
use super::sandbox::Sandbox;

/// The credentials the sandbox expects, as schemathesis options, from the `export` lines the
/// sandbox printed. FastPOD also gets `Accept: application/json`: FastPOD documents it as a
/// required header of every call, which OpenAPI cannot express (an `Accept` header parameter
/// is ignored), so `specs/fastpod.yaml` states it in prose and the clients always send it.
pub(super) fn schemathesis_options(spec: &SpecInfo, sandbox: &Sandbox) -> Result<Vec<String>> {
    let bearer = |name: &str| -> Result<Vec<String>> {
        Ok(vec![
            "-H".to_owned(),
            format!("Authorization: Bearer {}", sandbox.var(name)?),
        ])
    };
    Ok(match spec.name.as_str() {
        "fuuffy" => bearer("FUUFFY_TOKEN")?,
        "logitrail" => vec![
            "-a".to_owned(),
            format!(
                "M-{}:{}",
                sandbox.var("LOGITRAIL_MERCHANT_ID")?,
                sandbox.var("LOGITRAIL_SECRET")?
            ),
        ],
        "onemg" => {
            let mut options = bearer("ONEMG_TOKEN")?;
            options.push("-H".to_owned());
            options.push(format!(
                "X-Access-Key: {}",
                sandbox.var("ONEMG_ACCESS_KEY")?
            ));
            options
        }
        "fastpod" => {
            let mut options = bearer("FASTPOD_TOKEN")?;
            options.push("-H".to_owned());
            options.push("Accept: application/json".to_owned());
            options
        }
        other => bail!(
            "no sandbox credentials known for {other}; add them to auth::schemathesis_options"
        ),
    })
}
