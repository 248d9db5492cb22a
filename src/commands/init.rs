//! `makeitstick init`: write a project folder, then load it back.

use anyhow::Result;

use super::Log;
use crate::cli::InitCommand;
use crate::project::init::{InitOptions, init, init_programme};

/// Runs the init command.
pub fn run(command: InitCommand, log: Log) -> Result<()> {
    if command.programme {
        return run_programme(command, log);
    }
    let written = init(
        &command.dir,
        &InitOptions {
            organisation: command.organisation,
            innovation: command.innovation,
            waves: command.waves,
        },
    )?;
    log.info(|| {
        let mut text = wrote(&written);
        text.push_str(&format!(
            "\nnext: save survey exports in {} and run `makeitstick report` in {}",
            command.dir.join("exports").display(),
            command.dir.display()
        ));
        text
    });
    Ok(())
}

/// Writes a programme folder; the programme is named after `--innovation`.
fn run_programme(command: InitCommand, log: Log) -> Result<()> {
    let name = command.innovation.as_deref().unwrap_or("Our programme");
    let written = init_programme(&command.dir, name)?;
    log.info(|| {
        let mut text = wrote(&written);
        text.push_str(&format!(
            "\nnext: list the sites in {}, save each site's exports in {} and run `makeitstick report` in {}",
            command.dir.join("programme.toml").display(),
            command.dir.join("sites").join("<id>").join("exports").display(),
            command.dir.display()
        ));
        text
    });
    Ok(())
}

/// "wrote:" and the paths, one a line.
fn wrote(written: &[std::path::PathBuf]) -> String {
    let mut text = String::from("wrote:");
    for path in written {
        text.push_str(&format!("\n  {}", path.display()));
    }
    text
}
