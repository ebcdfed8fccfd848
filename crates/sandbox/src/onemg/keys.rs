//! The sandbox's RSA key pair, the long-lived token signed with it, and the private key
//! written to a file for tools that sign their own tokens.
//!
//! 1mg issues each merchant an RSA key pair; the merchant signs its bearer JWTs with the
//! private key (RS256, claims `iat` and `exp`; JWT Token Generation Guide,
//! <https://onedoc.1mg.com/public_docs/content/Merchant%20Integration%20Documentation/Phamacy%20API%20Integration/jwt-token-generation-guide>)
//! and 1mg checks them with the public key. The sandbox plays both sides with the one fixed
//! pair below, unless [`OnemgOptions::public_key`](super::OnemgOptions::public_key) names
//! another public key.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// THE SANDBOX'S PUBLIC TEST KEY PAIR, private half: a 2048-bit RSA key made with
/// `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048` for the sandbox alone. It is
/// published with this crate, so it protects nothing: never use it outside the sandbox.
pub const SANDBOX_PRIVATE_KEY_PEM: &str = "\
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDegX0o9sbwzMGc
MXF/VA3QSqrdEx/r3gY4+7p2uRoB6pTyaZ7oOd+aaagVf1+gdO5NH6d6gA2F/B/j
qHcHJEFkP1HMe1UHSbJz7NZBVTe83aTDXQxQIHW0eRJo0Zazbp6a0myjXid1YFN3
SFrWM55wjo6RdoYxVtL0TEmL+RGPZtbxoeMbejWddhZoldRWCRyBOtcW48Pz2ZLd
KgF4VIO8nw2eCmnZnqdUe59zOyMVHsyQ5hS25oLXhnuHKpvKt8sWiWdlHLy/Mg6q
cnMN4FV4aPHm+5P/6wknkQU0+Bxae+/fPdR+5Hejt7+fQXfMSP1Z/iiVUjZcwE4U
pUD8RpD3AgMBAAECggEANdPwoezVYuK+AdnKQcnlT5sIq9PZGJgNPFLVoKwV+Rm1
b9GSck6x4+qkkZLPYQN4tOqv+wgofV3pnwsdxHoGYciZstSxVMKE69uDV6nUgpnC
JssHVAkOQJs7k2UExqK/tueqBXmdJR2pA4XbB8/UCBnMrq8UNrJw9U3RSw31rBF6
0iNzJRlHBA4vSCg1RA36PLOLqN9KNhCYywauW8f45YJGtzhUMQm2BJkzbgwEL3g/
YMD2t6f6l5DM++qi548EBepaUxrqJyujPtKWv/B+0OF5BE5dQbtoLWQkjnMyPTa5
Tm3H5NVk2Yp+f4FsBvVsWo6OVV3unBrodT2ruU84qQKBgQD7nHW1G/v+8zHaVonY
5PD8QMlwiGSVk6dE/TO+39K7Zj7xXal0aVWknT+9E0v/8zxMQ4pns4VzMrcFECSm
+e2UE3ue2yYC4tt3EybNE4rAdK0fWtaBhul1iaTeJAgB8SBoQcuaQRRz8XvmSIgo
XBDrsGFD6Rs9M7oSyEHp3SpfeQKBgQDiYxAD2I5h+0/1ureA0Yb8RhDJy+E7QVW9
oAdrAwnXTDlvYB1YZYqCZFD+7SnNkgzCiVaMt7QuVpSpys6oApBV0jpSDdr3Jxfp
V9MxGToxY/8XgY3tvsICDGC3qusJv91j7ZTfl13H22s3ECW4OaS9f1upbFNT1xx0
7I3zz4wn7wKBgEhoYkdYYlCgU/xtYwYT/HXbfxzvY2LYNw7XfwizCMX9SqfTOGzT
012oEyuqXfiuWu/nj/D/7KuWMK04VBPpYMF4Sd8RWgMCnf3KeSQTN57i9N9NGOX1
mUHF9rgmzlcguR7HsHwXtncXS3yd6vESbZwmChetAbW/KRE2qCFREFyhAoGAQ3Bl
PfAOAkw+NqKHtb01LAOnTqYIk4FUDGgWrZ87GELhvTbxpvqgt1Uw97Aoys9eM7l7
6fFzoHY0VRxQUaZp3tcAfp8YApZHvkBmbnLobfwu6o6yfAdefgO38B7fY4kfZ3xH
5A+QZVAM8VtDEU1CsRy2bpMRg6FKHd62LtI+G0sCgYEA5E5kIAGByUyDVDycK7JF
ZUMDFuJbIl49YRul9oDu3kumwA1xV/L4cNuNyZrx+BWnQTplmj0F5ykd5cE+52j4
5wr2dcdmQRG0/YjE799iPAhj8Ps0t/d1kFUGlfFPM4iyrUO+Xq1ufym+60u77QXQ
MC8ToaF0LyKuYN7FYgrho0I=
-----END PRIVATE KEY-----
";

/// The public half of [`SANDBOX_PRIVATE_KEY_PEM`] (`openssl pkey -pubout`): what the sandbox
/// verifies bearer JWTs with by default.
pub const SANDBOX_PUBLIC_KEY_PEM: &str = "\
-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA3oF9KPbG8MzBnDFxf1QN
0Eqq3RMf694GOPu6drkaAeqU8mme6DnfmmmoFX9foHTuTR+neoANhfwf46h3ByRB
ZD9RzHtVB0myc+zWQVU3vN2kw10MUCB1tHkSaNGWs26emtJso14ndWBTd0ha1jOe
cI6OkXaGMVbS9ExJi/kRj2bW8aHjG3o1nXYWaJXUVgkcgTrXFuPD89mS3SoBeFSD
vJ8Nngpp2Z6nVHufczsjFR7MkOYUtuaC14Z7hyqbyrfLFolnZRy8vzIOqnJzDeBV
eGjx5vuT/+sJJ5EFNPgcWnvv3z3UfuR3o7e/n0F3zEj9Wf4olVI2XMBOFKVA/EaQ
9wIDAQAB
-----END PUBLIC KEY-----
";

/// A bearer JWT signed with [`SANDBOX_PRIVATE_KEY_PEM`] (RS256, header
/// `{"alg":"RS256","typ":"JWT"}`, claims
/// `{"exp":4102444800,"iat":1764547200,"sub":"ordergate-sandbox"}`): it expires on
/// 2100-01-01T00:00:00Z, so curl, schemathesis and long test runs can use it as it is. RS256
/// signatures are deterministic, so signing these claims again with the sandbox key gives
/// this very token. The sandbox accepts it unless another public key is configured.
pub const TOKEN: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTc2NDU0NzIwMCwic3ViIjoib3JkZXJnYXRlLXNhbmRib3gifQ.Au-HYHdUzTSzYlaI4U0ESwklGfLTQk_eTOGlTXz_G8If4qG3ygxKy_8Dk7VKdMhK0rDHYzYMWyFhpdS_txuTEhrLGAwXCsfnThDplGh95dDjGUevF2uDa1MtQOvpYFDwb1FSwHyKNnQ_rtjXqOqb4JqzpuY2sYHd8FUdOQqLl5V_bxw6np2SGuseQ-CJY5mxT1_V-xJXJX-vCduqq0OG2aIwaVZR6rScL1FAMxxSFElRyMFzYSQUroFwEDAcjy0ASsOCIBr7J5-WabpyyNzcUnrCCX81LOsaKfiD733f7KGl6tkEoLx3mKgjMxhTl8TMjDWjq716rcQZGaPeQddcBQ";

/// How every key file's name begins (then the process id, a number and `.pem`).
const PREFIX: &str = "ordergate-sandbox-onemg-";

/// Removes from `directory` the key files of processes that no longer run: a process killed
/// (SIGKILL, as a test harness's timeout does) never drops its [`KeyFile`]. Linux only (it asks
/// `/proc`); elsewhere such files stay until the temporary directory is cleaned.
fn sweep_dead(directory: &Path) {
    if !cfg!(target_os = "linux") {
        return;
    }
    let Ok(entries) = fs::read_dir(directory) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some((pid, number)) = name.to_str().and_then(|name| {
            name.strip_prefix(PREFIX)?
                .strip_suffix(".pem")?
                .split_once('-')
        }) else {
            continue;
        };
        let ours = pid.parse::<u32>().is_ok() && number.parse::<u64>().is_ok();
        if ours && !Path::new("/proc").join(pid).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Numbers the key files of the sandboxes of one process.
static KEY_FILES: AtomicU64 = AtomicU64::new(0);

/// [`SANDBOX_PRIVATE_KEY_PEM`] written to a file of its own in the temporary directory
/// (readable by the owner alone on Unix), removed when dropped.
#[derive(Debug)]
pub(crate) struct KeyFile {
    path: PathBuf,
}

impl KeyFile {
    /// Writes the sandbox private key to a new file; `None` when the temporary directory
    /// does not take it.
    pub(crate) fn write() -> Option<Self> {
        let number = KEY_FILES.fetch_add(1, Ordering::Relaxed);
        let name = format!("{PREFIX}{}-{number}.pem", std::process::id());
        let directory = std::env::temp_dir();
        if number == 0 {
            sweep_dead(&directory);
        }
        let path = directory.join(name);
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options
            .open(&path)
            .and_then(|mut file| file.write_all(SANDBOX_PRIVATE_KEY_PEM.as_bytes()));
        match written {
            Ok(()) => Some(Self { path }),
            Err(_) => {
                let _ = fs::remove_file(&path);
                None
            }
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for KeyFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use ordergate_runtime::inbound::{Rs256Signer, Rs256Verifier};

    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn key_files_of_dead_processes_are_swept_and_others_kept() {
        let directory = std::env::temp_dir().join(format!(
            "ordergate-sandbox-sweep-{}-{:?}",
            std::process::id(),
            std::time::SystemTime::now()
        ));
        fs::create_dir_all(&directory).expect("a directory");
        let mut child = std::process::Command::new("true").spawn().expect("spawns");
        let dead = child.id();
        child.wait().expect("exits");
        let me = std::process::id();
        let names = [
            format!("{PREFIX}{dead}-0.pem"),
            format!("{PREFIX}{dead}-7.pem"),
            format!("{PREFIX}{me}-0.pem"),
            format!("{PREFIX}{dead}-x.pem"),
            format!("{PREFIX}{dead}-0.txt"),
            "unrelated.pem".to_owned(),
        ];
        for name in &names {
            fs::write(directory.join(name), "key").expect("written");
        }
        sweep_dead(&directory);
        let kept: Vec<bool> = names.iter().map(|n| directory.join(n).exists()).collect();
        assert_eq!(kept, [false, false, true, true, true, true]);
        let _ = fs::remove_dir_all(&directory);
    }

    #[test]
    fn the_token_is_the_sandbox_keys_signature_of_its_claims() {
        let signer = Rs256Signer::from_private_key_pem(SANDBOX_PRIVATE_KEY_PEM).expect("a key");
        let claims = serde_json::json!({
            "exp": 4_102_444_800_u64,
            "iat": 1_764_547_200_u64,
            "sub": "ordergate-sandbox",
        });
        assert_eq!(signer.sign(&claims).expect("signed"), TOKEN);
        let verifier = Rs256Verifier::from_public_key_pem(SANDBOX_PUBLIC_KEY_PEM).expect("a key");
        assert_eq!(
            verifier.verify_token(TOKEN).expect("valid")["sub"],
            "ordergate-sandbox"
        );
    }

    #[test]
    fn the_key_file_holds_the_key_and_goes_with_its_owner() {
        let file = KeyFile::write().expect("the temporary directory takes it");
        let path = file.path().to_owned();
        assert_eq!(
            fs::read_to_string(&path).expect("readable"),
            SANDBOX_PRIVATE_KEY_PEM
        );
        drop(file);
        assert!(!path.exists());
    }
}
