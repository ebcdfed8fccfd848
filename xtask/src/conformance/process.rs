//! Processes started for a step (Prism, the sandbox, schemathesis): spawned with their output
//! in a log, waited for until they listen, killed and reaped when dropped.

use std::fs;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// How long a started process may take to listen.
pub(super) const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A process started for a step; killed (and reaped) when dropped, whatever happened.
pub(super) struct Background {
    pub(super) name: String,
    pub(super) child: Child,
    pub(super) log: PathBuf,
}

impl Background {
    /// Starts `command` with its output in `log`.
    pub(super) fn spawn(name: String, mut command: Command, log: PathBuf) -> Result<Self> {
        let file = fs::File::create(&log).with_context(|| format!("creating {}", log.display()))?;
        let stderr = file.try_clone()?;
        let child = command
            .stdin(Stdio::null())
            .stdout(file)
            .stderr(stderr)
            .spawn()
            .with_context(|| format!("starting {name}"))?;
        Ok(Self { name, child, log })
    }

    /// Waits until something accepts connections on `port`; fails if the process exits first.
    pub(super) fn wait_listening(&mut self, port: u16) -> Result<()> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "{} exited ({status}) before listening:\n{}",
                    self.name,
                    log_tail(&self.log)
                );
            }
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!(
                    "{} did not listen on {address} within {}s:\n{}",
                    self.name,
                    START_TIMEOUT.as_secs(),
                    log_tail(&self.log)
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        // Already exited is fine; anything else is killed and reaped.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free loopback port (the OS picks one; the listener is closed at once).
pub(super) fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("binding a free port")?;
    Ok(listener.local_addr()?.port())
}

/// The last lines of a log, for an error message.
pub(super) fn log_tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(30);
    format!("({})\n{}", path.display(), lines[start..].join("\n"))
}
