//! A real `redis-server` for the Redis tests: started on a free loopback port without
//! persistence, stopped and restarted on demand, always killed on drop; plus a tiny
//! RESP client to look at the keys the blocklist writes.

use std::{
    io::{BufRead, BufReader, Write},
    net::{TcpListener, TcpStream},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// Set to `1` (as CI does) to fail instead of skipping when `redis-server` is missing.
const REQUIRE_ENV: &str = "ACTIX_JWT_EXTENDED_REQUIRE_REDIS";

/// A `redis-server` child process on `127.0.0.1:<port>`.
#[derive(Debug)]
pub(crate) struct RedisServer {
    port: u16,
    child: Option<Child>,
}

impl RedisServer {
    /// Starts a server on a free port, or returns `None` (after printing why) when
    /// `redis-server` is not installed and [`REQUIRE_ENV`] is not `1`.
    pub(crate) fn start() -> Option<Self> {
        if let Err(error) = Command::new("redis-server")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
        {
            if std::env::var(REQUIRE_ENV).as_deref() == Ok("1") {
                panic!("redis-server is required ({REQUIRE_ENV}=1) but cannot be run: {error}");
            }
            println!("SKIPPED redis tests: redis-server not found");
            return None;
        }
        let port = TcpListener::bind(("127.0.0.1", 0))
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let mut server = RedisServer { port, child: None };
        server.restart();
        Some(server)
    }

    /// `redis://127.0.0.1:<port>/0`.
    pub(crate) fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// Kills the server (as a crash would) and waits until the port refuses connections.
    pub(crate) fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
            assert!(Instant::now() < deadline, "redis-server did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Starts the server again on the same port (empty: nothing is persisted) and waits
    /// until it answers `PING`.
    pub(crate) fn restart(&mut self) {
        self.stop();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let child = Command::new("redis-server")
                .args(["--port", &self.port.to_string()])
                .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn redis-server");
            self.child = Some(child);
            if self.wait_for_ping(Duration::from_secs(3)) {
                return;
            }
            // The port may still be held for a moment after a kill: try again.
            self.stop();
            assert!(
                Instant::now() < deadline,
                "redis-server did not answer PING on port {}",
                self.port
            );
        }
    }

    fn wait_for_ping(&mut self, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Some(child) = &mut self.child
                && let Ok(Some(_exit)) = child.try_wait()
            {
                return false;
            }
            if self.command(&["PING"]).ok().as_deref() == Some("PONG") {
                return true;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        false
    }

    /// Runs one command and returns its reply as text (integers in decimal, a nil bulk
    /// string as `(nil)`).
    pub(crate) fn command(&self, args: &[&str]) -> std::io::Result<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(2)))?;
        let mut request = format!("*{}\r\n", args.len());
        for arg in args {
            request.push_str(&format!("${}\r\n{arg}\r\n", arg.len()));
        }
        stream.write_all(request.as_bytes())?;
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        let (kind, rest) = line.split_at(1.min(line.len()));
        match kind {
            "+" | ":" => Ok(rest.to_owned()),
            "-" => Err(std::io::Error::other(rest.to_owned())),
            "$" if rest == "-1" => Ok("(nil)".to_owned()),
            "$" => {
                let mut value = String::new();
                reader.read_line(&mut value)?;
                Ok(value.trim_end().to_owned())
            }
            _ => Err(std::io::Error::other(format!("unexpected reply {line:?}"))),
        }
    }

    /// A command that must succeed.
    #[track_caller]
    pub(crate) fn query(&self, args: &[&str]) -> String {
        self.command(args)
            .unwrap_or_else(|error| panic!("redis {args:?}: {error}"))
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
