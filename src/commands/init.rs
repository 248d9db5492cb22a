//! `makeitstick init`: write a project folder, then load it back.

use anyhow::Result;

use super::Log;
use crate::cli::InitCommand;
use crate::project::init::{InitOptions, init};

/// Runs the init command.
pub fn run(command: InitCommand, log: Log) -> Result<()> {
    let written = init(
        &command.dir,
        &InitOptions {
            organisation: command.organisation,
            innovation: command.innovation,
            waves: command.waves,
        },
    )?;
    log.info(|| {
        let mut text = String::from("wrote:");
        for path in &written {
            text.push_str(&format!("\n  {}", path.display()));
        }
        text.push_str(&format!(
            "\nnext: save survey exports in {} and run `makeitstick report` in {}",
            command.dir.join("exports").display(),
            command.dir.display()
        ));
        text
    });
    Ok(())
}
