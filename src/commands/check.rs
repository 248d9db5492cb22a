//! `makeitstick check`: read exports and say what was found and every decision
//! made on the way, writing nothing.
//!
//! With one export, `--json` prints one object; with several, an array of them
//! in the order given. The exit code is 0 when every export could make a report.
//! What is found, and how it is said, is [`crate::check`]'s.

use anyhow::{Result, anyhow};

use crate::check::{Findings, check_export};
use crate::cli::CheckCommand;
use crate::ingest::{self, ReadOptions};
use crate::instrument::{Instrument, MapOptions};
use crate::project::Project;

/// Runs the check command.
pub fn run(command: CheckCommand) -> Result<()> {
    let (instrument, read_options, map_options, min_group_size) = settle(&command)?;
    let mut all = Vec::new();
    let mut failures: Vec<anyhow::Error> = Vec::new();
    for export in &command.exports {
        let (findings, error) = check_export(
            export,
            &instrument,
            &read_options,
            &map_options,
            min_group_size,
        );
        failures.extend(error);
        all.push(findings);
    }
    print(&all, command.json)?;
    match failures.len() {
        0 => Ok(()),
        1 if command.exports.len() == 1 => Err(failures.remove(0)),
        n => Err(anyhow!(
            "{n} of {} exports cannot make a report: {}",
            command.exports.len(),
            all.iter()
                .filter(|f| !f.report_possible())
                .map(Findings::file)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The questionnaire, reader and mapping options and privacy threshold
/// `report` would use: the project's, in a project folder, under the flags.
fn settle(command: &CheckCommand) -> Result<(Instrument, ReadOptions, MapOptions, usize)> {
    let project = Project::find(command.config.as_deref())
        .map(|config| Project::load(&config))
        .transpose()?;
    let config = project.as_ref().map(|p| &p.config);
    let instrument = match &project {
        Some(project) => project.instrument(command.scoring.instrument.as_deref())?,
        None => Instrument::load(command.scoring.instrument.as_deref())?,
    };
    let mut map_options = command.scoring.read.map_options()?;
    // `check` reads only files the user named: their headers may be quoted.
    map_options.quote_unrecognised = true;
    if command.scoring.read.unknown_groups.is_none()
        && let Some(config) = config
    {
        map_options.unknown_groups = config.unknown_groups;
    }
    let min_group_size = command
        .scoring
        .min_group_size
        .map(usize::from)
        .or(config.map(|c| usize::from(c.min_group_size)))
        .unwrap_or(5);
    let mut read_options = command.scoring.read.read_options();
    read_options.questions = Some(crate::instrument::question_columns(
        &instrument,
        &map_options,
    ));
    let date_order = config
        .and_then(|c| c.date_order)
        .map(|order| ingest::DateOrderSetting {
            order,
            from: "date-order in makeitstick.toml",
        });
    read_options.date_order = read_options.date_order.or(date_order);
    Ok((instrument, read_options, map_options, min_group_size))
}

/// Prints the findings: as JSON (one object for one export) or in words.
fn print(all: &[Findings], json: bool) -> Result<()> {
    if json {
        let json = if all.len() == 1 {
            serde_json::to_string_pretty(&all[0])?
        } else {
            serde_json::to_string_pretty(all)?
        };
        println!("{json}");
    } else {
        let texts: Vec<String> = all.iter().map(Findings::describe).collect();
        print!("{}", texts.join("\n"));
    }
    Ok(())
}
