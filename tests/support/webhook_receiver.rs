//! A webhook receiver on loopback, run as an application would run one (hyper, HTTP/1): each
//! request's body is read up to 1 MiB (larger: 413) and answered with what `answer` makes of
//! its headers and raw bytes. Shared by the provider crates' webhook tests, which include this
//! file with `#[path]` (a provider crate cannot depend on the workspace's test crate).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper::service::service_fn;
use hyper::{HeaderMap, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// The largest body the receiver reads.
const MAX_BODY: usize = 1 << 20;

/// Starts the receiver and returns its URL, `http://127.0.0.1:<port><path>`.
pub async fn start<F>(path: &str, answer: F) -> String
where
    F: Fn(&HeaderMap, &[u8]) -> (StatusCode, String) + Send + Sync + 'static,
{
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("bind");
    let url = format!("http://{}{path}", listener.local_addr().expect("addr"));
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let answer = answer.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    let answer = answer.clone();
                    async move {
                        let (parts, body) = request.into_parts();
                        let (status, text) = match Limited::new(body, MAX_BODY).collect().await {
                            Ok(body) => answer(&parts.headers, &body.to_bytes()),
                            Err(_) => (StatusCode::PAYLOAD_TOO_LARGE, "too large".to_owned()),
                        };
                        let mut response = Response::new(Full::new(Bytes::from(text)));
                        *response.status_mut() = status;
                        Ok::<_, Infallible>(response)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    url
}
