//! A loopback HTTP/1.1 server that misbehaves on cue: it delays, drops connections after
//! reading a request, and counts connections and requests. httpmock cannot drop a connection
//! mid-exchange; this can.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Behavior {
    /// Answer after `delay`.
    Respond {
        /// Wait this long before answering.
        delay: Duration,
        /// HTTP status.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// Read the request, then close the connection without answering.
    Drop,
}

impl Behavior {
    /// Answer at once with `status` and a JSON `body`.
    pub fn json(status: u16, body: &str) -> Self {
        Self::Respond {
            delay: Duration::ZERO,
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// This behaviour, after `delay`.
    pub fn after(self, delay: Duration) -> Self {
        match self {
            Self::Respond {
                status,
                headers,
                body,
                ..
            } => Self::Respond {
                delay,
                status,
                headers,
                body,
            },
            Self::Drop => Self::Drop,
        }
    }

    /// This behaviour with an extra header.
    pub fn with_header(self, name: &str, value: &str) -> Self {
        match self {
            Self::Respond {
                delay,
                status,
                mut headers,
                body,
            } => {
                headers.push((name.into(), value.into()));
                Self::Respond {
                    delay,
                    status,
                    headers,
                    body,
                }
            }
            Self::Drop => Self::Drop,
        }
    }
}

/// A running misbehaving server.
#[derive(Debug)]
pub struct FlakyServer {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    connections: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<String>>>,
    script: Script,
}

/// The behaviours, and the request count at which they start.
type Script = Arc<Mutex<(usize, Vec<Behavior>)>>;

impl FlakyServer {
    /// Starts a server that answers request *n* with `script[n]` (the last entry repeats).
    pub async fn start(script: Vec<Behavior>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let script: Script = Arc::new(Mutex::new((0, script)));
        let (c, r, s) = (connections.clone(), requests.clone(), script.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                c.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(stream, s.clone(), r.clone()));
            }
        });
        Self {
            url,
            connections,
            requests,
            script,
        }
    }

    /// Requests received (request lines: `GET /v1/order?id=1 HTTP/1.1`).
    pub fn requests(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Replaces the script (request *n* from now on gets `script[n - requests so far]`).
    pub fn set_script(&self, script: Vec<Behavior>) {
        let offset = self.requests().len();
        *self.script.lock().unwrap_or_else(PoisonError::into_inner) = (offset, script);
    }

    /// TCP connections accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

async fn serve(mut stream: TcpStream, script: Script, requests: Arc<Mutex<Vec<String>>>) {
    let mut buffer = Vec::new();
    loop {
        let Some(request_line) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        let index = {
            let mut seen = requests.lock().unwrap_or_else(PoisonError::into_inner);
            seen.push(request_line);
            seen.len() - 1
        };
        let behavior = {
            let (offset, steps) = &*script.lock().unwrap_or_else(PoisonError::into_inner);
            let step = index.saturating_sub(*offset);
            steps.get(step).or_else(|| steps.last()).cloned()
        };
        let Some(behavior) = behavior else {
            return;
        };
        match &behavior {
            Behavior::Drop => return,
            Behavior::Respond {
                delay,
                status,
                headers,
                body,
            } => {
                tokio::time::sleep(*delay).await;
                let chunked = headers
                    .iter()
                    .any(|(name, value)| name == "transfer-encoding" && value == "chunked");
                let mut head = format!("HTTP/1.1 {status} X\r\n");
                if !chunked {
                    head.push_str(&format!("content-length: {}\r\n", body.len()));
                }
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                let mut wire = head.into_bytes();
                if chunked {
                    // No length announced: the client only learns the size as chunks arrive.
                    for chunk in body.chunks(1024) {
                        wire.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                        wire.extend_from_slice(chunk);
                        wire.extend_from_slice(b"\r\n");
                    }
                    wire.extend_from_slice(b"0\r\n\r\n");
                } else {
                    wire.extend_from_slice(body);
                }
                if stream.write_all(&wire).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Reads one request (head and `content-length` body); returns its request line.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<String> {
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    buffer.drain(..head_end + length);
    head.lines().next().map(str::to_owned)
}
