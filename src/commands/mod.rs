//! One module per subcommand; [`run`] dispatches.

mod check;
mod init;
mod report;

use anyhow::Result;

use crate::cli::{Cli, Command};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let log = Log {
        verbose: cli.verbose,
    };
    match cli.command {
        Command::Report(command) => report::run(command, log),
        Command::Check(command) => check::run(command),
        Command::Init(command) => init::run(command, log),
    }
}

/// The hint to print under an error, found by walking its chain for our typed errors.
pub fn hint(error: &anyhow::Error) -> Option<String> {
    error.chain().find_map(|cause| {
        if let Some(e) = cause.downcast_ref::<crate::ingest::IngestError>() {
            Some(e.hint().to_string())
        } else if let Some(e) = cause.downcast_ref::<crate::instrument::MapError>() {
            Some(e.hint().to_string())
        } else if let Some(e) = cause.downcast_ref::<crate::instrument::InstrumentError>() {
            Some(match e {
                crate::instrument::InstrumentError::Read { .. } => {
                    "check the path given with --instrument".to_string()
                }
                _ => "fix the instrument file at the place named above, or leave out --instrument to use the built-in one".to_string(),
            })
        } else if let Some(e) = cause.downcast_ref::<crate::project::ProjectError>() {
            Some(e.hint())
        } else {
            cause
                .downcast_ref::<crate::report::TypstError>()
                .map(|e| e.hint())
        }
    })
}

/// Progress messages: on stderr with `-v`, otherwise nothing, so a scheduled
/// run that succeeds is silent.
#[derive(Debug, Clone, Copy)]
pub struct Log {
    /// True with `-v`.
    pub verbose: bool,
}

impl Log {
    /// Prints `message` when verbose.
    pub fn info(&self, message: impl FnOnce() -> String) {
        if self.verbose {
            eprintln!("{}", message());
        }
    }

    /// Prints a warning whatever the verbosity: something worked but needs a person's eyes.
    pub fn warn(&self, message: &str) {
        eprintln!("warning: {message}");
    }
}
