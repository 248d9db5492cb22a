//! One module per subcommand; [`run`] dispatches.

mod check;
mod report;

use anyhow::Result;

use crate::cli::{Cli, Command};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Report(command) => report::run(command),
        Command::Check(command) => check::run(command),
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
        } else {
            cause
                .downcast_ref::<crate::report::TypstError>()
                .map(|e| e.hint())
        }
    })
}
