//! Uses each dependency once so that it is compiled and linked like in the workspace.
#[derive(serde::Serialize, serde::Deserialize, schemars::JsonSchema, clap::Parser, Debug)]
struct Args {
    #[arg(long)]
    url: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("baseline")]
struct Failure;

pin_project_lite::pin_project! {
    struct Pinned {
        #[pin]
        inner: std::future::Ready<()>,
    }
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder().build();
    let secret = secrecy::SecretString::from("s");
    let encoded = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, "x");
    let date = httpdate::fmt_http_date(std::time::SystemTime::now());
    let runtime = tokio::runtime::Runtime::new();
    let stream = futures_util::stream::empty::<u8>();
    let header = http::HeaderValue::from_static("x");
    let bytes = bytes::Bytes::from_static(b"x");
    let schema = schemars::schema_for!(Args);
    let json = serde_json::to_string(&schema);
    tracing::info!(fastrand = fastrand::u8(..), "baseline");
    let _: Option<progenitor_client::Error<()>> = None;
    println!(
        "{:?} {secret:?} {encoded} {date} {:?} {header:?} {bytes:?} {:?} {} {}",
        client.is_ok(),
        runtime.is_ok(),
        json.map(|j| j.len()),
        std::mem::size_of_val(&stream) + Failure.to_string().len(),
        std::mem::size_of::<Pinned>(),
    );
}
