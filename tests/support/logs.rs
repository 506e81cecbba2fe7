//! The log lines the library writes (through the `log` crate), captured for
//! assertions. Tests of one binary run in parallel: look for lines naming your case.

use std::sync::Mutex;

static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _metadata: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {}", record.level(), record.args());
        LINES
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(line);
    }

    fn flush(&self) {}
}

static LOGGER: Capture = Capture;

/// Starts capturing (once per test binary).
pub(crate) fn capture() {
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(log::LevelFilter::Debug);
    }
}

/// The captured lines that contain every one of `needles`.
pub(crate) fn containing(needles: &[&str]) -> Vec<String> {
    LINES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .iter()
        .filter(|line| needles.iter().all(|needle| line.contains(needle)))
        .cloned()
        .collect()
}
