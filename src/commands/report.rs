//! `makeitstick report`: export → scores → charts → PDF.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::cli::ReportCommand;
use crate::ingest;
use crate::instrument::{Instrument, map_table};
use crate::report::{self, ReportData, Typst};
use crate::score;

/// Runs the report command. Everything that can be checked is checked before any row is read.
pub fn run(command: ReportCommand) -> Result<()> {
    let typst = Typst::find(command.typst.as_deref())?;
    let instrument = Instrument::load(command.scoring.instrument.as_deref())?;
    check_output(&command.output, "report")?;
    for path in &command.scores {
        check_output(path, "scores")?;
        scores_format(path)?;
    }
    if let Some(dir) = &command.template
        && !dir.is_dir()
    {
        bail!("the template folder {} does not exist", dir.display());
    }

    let table = ingest::read(&command.export, &command.scoring.read.read_options())?;
    let responses = map_table(&table, &instrument, &command.scoring.read.map_options()?)?;
    if responses.respondents.is_empty() {
        bail!(
            "{}: no row answers any statement, so there is nothing to report",
            command.export.display()
        );
    }
    let min_group_size = usize::from(command.scoring.min_group_size);
    let wave = command.wave.clone().or_else(|| {
        let last = responses
            .respondents
            .iter()
            .filter_map(|r| r.completed)
            .max()?;
        Some(score::quarter(last.date()))
    });
    let scores = score::score(&responses, &instrument, min_group_size, wave);

    let cover = report::Cover {
        organisation: command.organisation.clone(),
        innovation: command.innovation.clone(),
        accent: command.accent.clone(),
    };
    let (data, all_charts) = ReportData::assemble(&instrument, scores, cover);

    let build = tempfile::Builder::new()
        .prefix("makeitstick-build-")
        .tempdir()
        .context("cannot create a temporary build folder")?;
    report::write_build_folder(
        build.path(),
        &data,
        &all_charts,
        command.template.as_deref(),
    )?;
    // The latest completion time dates the document, so the same export gives the same PDF.
    let creation_timestamp = responses
        .respondents
        .iter()
        .filter_map(|r| r.completed)
        .max()
        .map(|t| t.and_utc().timestamp())
        .unwrap_or(0);
    report::write_atomically(&command.output, |temp| {
        typst.compile(&report::typst::CompileJob {
            root: build.path(),
            main: &build.path().join(report::MAIN_FILE),
            fonts: &build.path().join("fonts"),
            output: temp,
            creation_timestamp,
        })?;
        Ok(())
    })?;
    for path in &command.scores {
        report::write_atomically(path, |temp| {
            let file = std::io::BufWriter::new(std::fs::File::create(temp)?);
            match scores_format(path)? {
                ScoresFormat::Json => {
                    let mut file = file;
                    serde_json::to_writer_pretty(&mut file, &data.scores)?;
                    std::io::Write::write_all(&mut file, b"\n")?;
                }
                ScoresFormat::Csv => score::tidy::write_csv(&data.scores, file)?,
            }
            Ok(())
        })?;
    }
    if let Some(keep) = &command.keep_build {
        std::fs::create_dir_all(keep)?;
        report::write_build_folder(keep, &data, &all_charts, command.template.as_deref())?;
    }
    eprintln!(
        "wrote {} from {} responses",
        command.output.display(),
        data.scores.responses.used
    );
    Ok(())
}

/// The formats `--scores` writes.
enum ScoresFormat {
    Json,
    Csv,
}

/// The format of a `--scores` file, from its extension.
fn scores_format(path: &Path) -> Result<ScoresFormat> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("json") => Ok(ScoresFormat::Json),
        Some("csv") => Ok(ScoresFormat::Csv),
        _ => bail!(
            "--scores {}: the file name must end in .json or .csv, which says the format",
            path.display()
        ),
    }
}

/// Checks that an output's folder exists before any work is done.
fn check_output(path: &Path, what: &str) -> Result<()> {
    let folder = report::parent_folder(path);
    if !folder.is_dir() {
        bail!(
            "cannot write the {what} to {}: the folder {} does not exist",
            path.display(),
            folder.display()
        );
    }
    if path.is_dir() {
        bail!(
            "cannot write the {what} to {}: it is a folder",
            path.display()
        );
    }
    Ok(())
}
