//! SIGINT and SIGTERM while a run has temporaries: stop cleanly.
//!
//! Once a run starts making temporary files (the build folder, outputs being
//! written), [`watch`] replaces the default "die at once" of SIGINT (Ctrl-C)
//! and SIGTERM (a scheduler stopping the job) with a flag. The run looks at
//! the flag between steps ([`check`]) and while typst runs (which it then
//! stops), and unwinds: temporary files are removed as their owners are
//! dropped, nothing is replaced, and `main` exits 130 (SIGINT) or 143
//! (SIGTERM), as a shell reports a command the signal ended. A second
//! signal of the same kind ends the process at once, with the same code.
//! Outputs already being renamed into place are finished first.

use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use thiserror::Error;

/// The signal received, or 0.
static RECEIVED: OnceLock<Arc<AtomicUsize>> = OnceLock::new();

/// A run stopped by a signal.
#[derive(Debug, Error, Clone, Copy, PartialEq, Eq)]
#[error("stopped by {} before the outputs were replaced; nothing was written and no temporary file is left", name(*.signal))]
pub struct Interrupted {
    /// The signal number.
    pub signal: i32,
}

impl Interrupted {
    /// The exit code a shell gives a command ended by this signal: 128 + its number.
    pub fn exit_code(&self) -> u8 {
        u8::try_from(128 + self.signal).unwrap_or(1)
    }
}

/// The name of a signal for messages.
pub fn name(signal: i32) -> String {
    #[cfg(unix)]
    {
        if signal == libc::SIGINT {
            return "SIGINT (Ctrl-C)".into();
        }
        if signal == libc::SIGTERM {
            return "SIGTERM".into();
        }
    }
    format!("signal {signal}")
}

/// From now on, SIGINT and SIGTERM set a flag instead of ending the process.
/// Called again, does nothing.
pub fn watch() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        if RECEIVED.get().is_some() {
            return Ok(());
        }
        let flag = Arc::new(AtomicUsize::new(0));
        for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
            // Registered first, so it sees the flag as it was: a second signal ends the process.
            let already = Arc::new(std::sync::atomic::AtomicBool::new(false));
            signal_hook::flag::register_conditional_shutdown(
                signal,
                128 + signal,
                already.clone(),
            )?;
            signal_hook::flag::register(signal, already)?;
            signal_hook::flag::register_usize(signal, flag.clone(), signal as usize)?;
        }
        RECEIVED.set(flag).ok();
    }
    Ok(())
}

/// The signal received since [`watch`], if any.
pub fn received() -> Option<i32> {
    let signal = RECEIVED.get()?.load(Ordering::SeqCst);
    (signal != 0).then(|| i32::try_from(signal).unwrap_or(0))
}

/// An error when a signal was received, so the run unwinds and cleans up.
pub fn check() -> Result<(), Interrupted> {
    match received() {
        Some(signal) => Err(Interrupted { signal }),
        None => Ok(()),
    }
}
