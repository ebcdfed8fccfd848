//! The loopback server every measurement talks to: hyper HTTP/1.1 with keep-alive, counting
//! the TCP connections it accepts, answering each request with what its [`Handler`] returns.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// What the server answers to a request, from its head (the body is left to hyper, which
/// discards it, as the confirm benchmark always has): a status and a JSON body.
pub type Handler = Arc<dyn Fn(&http::request::Parts) -> (StatusCode, Bytes) + Send + Sync>;

/// A running benchmark server.
pub struct BenchServer {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    connections: Arc<AtomicUsize>,
}

impl BenchServer {
    /// Starts a server answering every request with `body` (`application/json`, HTTP 200).
    pub async fn start(body: Bytes) -> std::io::Result<Self> {
        Self::with_handler(Arc::new(move |_| (StatusCode::OK, body.clone()))).await
    }

    /// Starts a server answering each request with what `handler` returns for it.
    pub async fn with_handler(handler: Handler) -> std::io::Result<Self> {
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let url = format!("http://{}", listener.local_addr()?);
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = connections.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::Relaxed);
                let handler = handler.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request: Request<hyper::body::Incoming>| {
                        let handler = handler.clone();
                        async move {
                            let (parts, _body) = request.into_parts();
                            let (status, body) = handler(&parts);
                            let mut response = Response::new(Full::new(body));
                            *response.status_mut() = status;
                            response.headers_mut().insert(
                                hyper::header::CONTENT_TYPE,
                                hyper::header::HeaderValue::from_static("application/json"),
                            );
                            Ok::<_, Infallible>(response)
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(Self { url, connections })
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::Relaxed)
    }
}
