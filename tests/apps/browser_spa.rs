//! The SPA example in a real browser: starts the example's server in-process on a free
//! loopback port, then runs `node tests/browser/spa.test.mjs <url>`, which drives the
//! page in headless Chromium (Debian's `/usr/bin/chromium` through `playwright-core`)
//! and checks what the page shows: login, a protected GET, a POST with and without the
//! CSRF header, HttpOnly token cookies, refresh and logout.
//!
//! Needs `node`, `npm` and Chromium. The test installs `tests/browser/node_modules`
//! itself (`npm ci --no-audit --no-fund` there) when it is missing or was installed from
//! another `package-lock.json`. When a prerequisite is missing (or `npm ci` fails) the
//! test prints `SKIPPED browser_spa: <what>` (to stderr, uncaptured) and passes, unless
//! `ACTIX_JWT_EXTENDED_REQUIRE_BROWSER=1` is set (as in CI), when it fails.
//! `CHROMIUM_PATH` overrides the browser's path; `SPA_SCREENSHOT=<file.png>` saves a
//! screenshot of the page at the end.

#[path = "../../examples/spa/server.rs"]
mod server;

use std::{
    io::{Read, Write as _},
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::mpsc,
    thread,
    time::{Duration, Instant},
};

use actix_web::{App, HttpServer, dev::ServerHandle, web};

/// How long the browser script may take, start-up included.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(180);

#[test]
fn browser_spa() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = root.join("tests/browser");
    let chromium = std::env::var_os("CHROMIUM_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if let Some(missing) = missing_prerequisite(&browser_dir, &chromium) {
        let required = std::env::var("ACTIX_JWT_EXTENDED_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "browser_spa: {missing}, and ACTIX_JWT_EXTENDED_REQUIRE_BROWSER=1 requires the browser test"
        );
        // Straight to stderr, past the test harness's capture, so the skip shows in
        // every log.
        let _ = writeln!(std::io::stderr(), "SKIPPED browser_spa: {missing}");
        return;
    }

    let (url, server) = start_server();
    let outcome = run_script(&browser_dir, &chromium, &url);
    stop_server(server);
    let (success, output) = outcome;
    println!("{output}");
    assert!(success, "the browser checks failed:\n{output}");
}

/// What is missing to run the browser, if anything; installs the script's
/// `node_modules` first when they are missing or stale.
fn missing_prerequisite(browser_dir: &Path, chromium: &Path) -> Option<String> {
    if !runs(Command::new("node").arg("--version")) {
        return Some("`node` is not installed".to_owned());
    }
    if !chromium.is_file() {
        return Some(format!(
            "{} is missing (install Debian's `chromium` package)",
            chromium.display()
        ));
    }
    if let Err(why) = install_node_modules(browser_dir) {
        return Some(why);
    }
    if !browser_dir
        .join("node_modules/playwright-core/package.json")
        .is_file()
    {
        return Some(format!(
            "{} has no node_modules/playwright-core after `npm ci`",
            browser_dir.display()
        ));
    }
    None
}

/// Whether `command` starts and exits successfully (its output is dropped).
fn runs(command: &mut Command) -> bool {
    command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Where a successful install records the `package-lock.json` it installed from.
const INSTALLED_LOCK: &str = "node_modules/.installed-package-lock.json";

/// Runs `npm ci --no-audit --no-fund` in `browser_dir` unless `node_modules` was already
/// installed from the current `package-lock.json`.
fn install_node_modules(browser_dir: &Path) -> Result<(), String> {
    let lock = std::fs::read(browser_dir.join("package-lock.json"))
        .map_err(|error| format!("cannot read tests/browser/package-lock.json: {error}"))?;
    let installed = std::fs::read(browser_dir.join(INSTALLED_LOCK)).ok();
    if installed.as_deref() == Some(lock.as_slice()) {
        return Ok(());
    }
    if !runs(Command::new("npm").arg("--version")) {
        return Err("`npm` is not installed (needed for `npm ci` in tests/browser)".to_owned());
    }
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(browser_dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("cannot run `npm ci` in tests/browser: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "`npm ci` in tests/browser failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    std::fs::write(browser_dir.join(INSTALLED_LOCK), &lock)
        .map_err(|error| format!("cannot write tests/browser/{INSTALLED_LOCK}: {error}"))
}

/// Starts the example's server on a free loopback port in its own thread; answers its
/// URL and handle.
fn start_server() -> (String, ServerHandle) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    let url = format!(
        "http://{}/",
        listener.local_addr().expect("a bound address")
    );
    let (handle_tx, handle_rx) = mpsc::channel();
    thread::spawn(move || {
        let manager = web::Data::new(server::manager("browser-test-secret"));
        actix_web::rt::System::new().block_on(async move {
            let server = HttpServer::new(move || {
                App::new()
                    .app_data(manager.clone())
                    .configure(server::configure)
            })
            .workers(1)
            .disable_signals()
            .listen(listener)
            .expect("listen on the bound port")
            .run();
            handle_tx
                .send(server.handle())
                .expect("the test waits for the handle");
            server.await.expect("the server runs");
        });
    });
    let handle = handle_rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the server starts");
    (url, handle)
}

fn stop_server(handle: ServerHandle) {
    actix_web::rt::System::new().block_on(handle.stop(true));
}

/// Runs the browser script against `url`; answers whether it passed, and its output.
fn run_script(browser_dir: &Path, chromium: &Path, url: &str) -> (bool, String) {
    let mut child = Command::new("node")
        .arg(browser_dir.join("spa.test.mjs"))
        .arg(url)
        .current_dir(browser_dir)
        .env("CHROMIUM_PATH", chromium)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start node");
    let stdout = read_in_background(child.stdout.take());
    let stderr = read_in_background(child.stderr.take());

    let deadline = Instant::now() + SCRIPT_TIMEOUT;
    let status = loop {
        match child.try_wait().expect("wait for node") {
            Some(status) => break Some(status),
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => thread::sleep(Duration::from_millis(100)),
        }
    };
    let mut output = stdout.join().unwrap_or_default();
    let errors = stderr.join().unwrap_or_default();
    if !errors.trim().is_empty() {
        output.push_str("\n[stderr]\n");
        output.push_str(&errors);
    }
    match status {
        Some(status) => (status.success(), output),
        None => {
            output.push_str(&format!("\n[killed after {SCRIPT_TIMEOUT:?}]"));
            (false, output)
        }
    }
}

fn read_in_background(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_string(&mut text);
        }
        text
    })
}
