//! `makeitstick report`: exports → scores per wave → history → trend → charts → PDF.
//!
//! Two ways to run it:
//! - in a project folder (`makeitstick.toml` here, or `--config`), with no
//!   arguments: every export in the exports folder is read, the history is
//!   updated, and the latest wave's report goes to the reports folder. When no
//!   input changed since the last report (same exports, settings, instrument,
//!   template and program version), nothing is written;
//! - with exports and `--output`: one export per wave; the report is for the
//!   latest wave, with a trend over the others (and over `--history`, when given).
//!
//! The order of work keeps failures harmless: typst, settings, instrument and
//! output folders are checked, the lock is taken and the history is loaded (a
//! damaged history stops the run here) before any export is read; everything
//! is read and scored before anything is written; the PDF and history are
//! replaced atomically.
//!
//! Quiet by default: a successful run prints nothing unless `-v` is given.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::NaiveDateTime;

use super::Log;
use crate::charts;
use crate::cli::{Cli, ReportCommand};
use crate::ingest;
use crate::instrument::{Instrument, Respondent, Responses, RowMapper};
use crate::project::config::DEFAULT_ACCENT;
use crate::project::history::LastReport;
use crate::project::{
    Fingerprint, History, Lock, Project, ProjectError, Wave, WaveScheme, lock::LOCK_FILE,
};
use crate::report::data::{Cover, TrendSection};
use crate::report::{self, ChartRef, ReportData, Typst};
use crate::score::trend::WaveFigures;
use crate::score::{self, Scores};

/// File extensions read from a project's exports folder.
const EXPORT_EXTENSIONS: [&str; 8] = ["xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "tsv", "txt"];

/// Settings from the command line, else the project, else defaults.
#[derive(Debug)]
struct Settings {
    organisation: Option<String>,
    innovation: Option<String>,
    accent: String,
    template: Option<PathBuf>,
    logo: Option<PathBuf>,
    include_comments: bool,
    min_group_size: usize,
    scheme: WaveScheme,
}

impl Settings {
    fn resolve(command: &ReportCommand, project: Option<&Project>) -> Settings {
        let config = project.map(|p| &p.config);
        Settings {
            organisation: command
                .organisation
                .clone()
                .or_else(|| config?.organisation.clone()),
            innovation: command
                .innovation
                .clone()
                .or_else(|| config?.innovation.clone()),
            accent: command
                .accent
                .clone()
                .or_else(|| Some(config?.accent.to_ascii_lowercase()))
                .unwrap_or_else(|| DEFAULT_ACCENT.to_string()),
            template: command.template.clone().or_else(|| project?.template_dir()),
            min_group_size: usize::from(
                command
                    .scoring
                    .min_group_size
                    .or_else(|| Some(config?.min_group_size))
                    .unwrap_or(5),
            ),
            scheme: command
                .waves
                .or_else(|| Some(config?.waves))
                .unwrap_or_default(),
            logo: command.logo.clone(),
            include_comments: command.include_comments,
        }
    }
}

/// One export, read and scored.
struct WaveRun {
    /// `None` only for a single undated export outside any history, as before waves existed.
    wave: Option<Wave>,
    source: PathBuf,
    /// The mapping and row counts; its respondents were scored as they were read, and are not kept.
    responses: Responses,
    /// The latest completion time of a respondent, if the export says.
    last_completed: Option<NaiveDateTime>,
    scores: Scores,
    /// Quotable comments, only with `--include-comments`.
    comments: Option<Vec<score::comments::Quote>>,
}

/// Runs the report command.
pub fn run(command: ReportCommand, log: Log) -> Result<()> {
    let typst = Typst::find(command.typst.as_deref())?;
    let config_path = Project::find(command.config.as_deref());
    if config_path.is_none() && command.exports.is_empty() {
        usage_error(
            "no EXPORT given, and there is no makeitstick.toml in this folder\n\n\
             Give the exports and --output, run in a project folder (see `makeitstick init`), or use --config FILE.",
        );
    }
    if config_path.is_none() && command.output.is_none() {
        usage_error(
            "--output FILE.pdf is needed outside a project folder (one with a makeitstick.toml)",
        );
    }
    let project = config_path.as_deref().map(Project::load).transpose()?;
    if let Some(project) = &project {
        log.info(|| format!("settings: {}", project.config_path.display()));
    }
    let settings = Settings::resolve(&command, project.as_ref());
    let instrument = match &project {
        Some(project) => project.instrument(command.scoring.instrument.as_deref())?,
        None => Instrument::load(command.scoring.instrument.as_deref())?,
    };
    if let Some(dir) = &settings.template
        && !dir.is_dir()
    {
        bail!("the template folder {} does not exist", dir.display());
    }
    if let Some(output) = &command.output {
        check_output(output, "report")?;
    }
    if let Some(logo) = &command.logo {
        report::Logo::check(logo)?;
    }
    for path in &command.scores {
        check_output(path, "scores")?;
        scores_format(path)?;
    }
    // Reads the mapping file, if any, so a bad one fails before the lock is taken.
    command.scoring.read.map_options()?;

    let scheduled = project.is_some() && command.exports.is_empty();
    let exports = match (&project, command.exports.is_empty()) {
        (Some(project), true) => list_exports(&project.exports_dir())?,
        _ => command.exports.clone(),
    };
    if command.wave.is_some() && exports.len() != 1 {
        bail!(
            "--wave names the wave of a single export, but {} exports are being read; \
             put each wave in its file name instead (survey-2026-Q3.xlsx)",
            exports.len()
        );
    }

    // The lock comes before the history is read, so two runs never interleave.
    let history_path = command
        .history
        .clone()
        .or_else(|| project.as_ref().map(Project::history_path));
    let _lock = match (&project, &history_path) {
        (Some(project), _) => Some(Lock::acquire(&project.lock_path())?),
        (None, Some(history)) => Some(Lock::acquire(
            &report::parent_folder(history).join(LOCK_FILE),
        )?),
        (None, None) => None,
    };
    let stored = match &history_path {
        Some(path) => {
            let stored = History::load(path)?;
            match &stored {
                Some(h) => log
                    .info(|| format!("history: {} with {} wave(s)", path.display(), h.waves.len())),
                None => log.info(|| {
                    format!(
                        "history: {} does not exist yet; it will be started",
                        path.display()
                    )
                }),
            }
            stored
        }
        None => None,
    };

    // A scheduled run with nothing new stops here, writing nothing.
    let fingerprint = if scheduled {
        fingerprint(&command, &settings, &instrument, &exports)?
    } else {
        String::new()
    };
    if let (true, Some(project)) = (scheduled, &project) {
        let last = stored.as_ref().and_then(|h| h.last_report.as_ref());
        if let Some(last) = last
            && project.path(&last.file).is_file()
            && !command.force
            && (last.inputs == fingerprint || exports.is_empty())
        {
            log.info(|| {
                format!(
                    "report for {} is up to date ({}); no new export in {}",
                    last.wave,
                    project.path(&last.file).display(),
                    project.exports_dir().display()
                )
            });
            return Ok(());
        }
        if exports.is_empty() {
            return Err(ProjectError::NoExports {
                dir: project.exports_dir(),
            }
            .into());
        }
    }

    // Read and score every export, one wave each (one undated export is fine without a history).
    let allow_undated = exports.len() == 1 && history_path.is_none();
    let mut runs = read_waves(
        &exports,
        &command,
        &settings,
        &instrument,
        allow_undated,
        log,
    )?;
    runs.sort_by_key(|r| r.wave);
    let latest = runs.last().expect("there is at least one export");

    // The history, with this run's waves put in (replacing any earlier run of the same wave).
    let had_history = stored.is_some();
    let mut history = stored.unwrap_or_default();
    for run in &runs {
        let Some(wave) = run.wave else { continue };
        let source = run
            .source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        history.put(WaveFigures::from_scores(
            &wave.to_string(),
            source,
            &run.scores,
            &instrument,
            &run.responses.unmatched_statements,
        ));
    }
    let trend = latest
        .wave
        .and_then(|wave| score::trend::trend(&history.up_to(&wave)));
    let wave_name = latest
        .wave
        .map(|w| w.to_string())
        .unwrap_or_else(|| "the export".into());
    match &trend {
        Some(t) => log.info(|| {
            format!(
                "trend: {} against {} earlier wave(s), from {}",
                t.wave,
                t.waves.len() - 1,
                t.first_wave
            )
        }),
        None => log.info(|| format!("trend: {wave_name} is the first wave on record")),
    }

    let output = match (&command.output, &project) {
        (Some(output), _) => output.clone(),
        (None, Some(project)) => {
            let folder = project.reports_dir();
            std::fs::create_dir_all(&folder).with_context(|| {
                format!("cannot create the reports folder {}", folder.display())
            })?;
            let wave = latest.wave.expect("a project always knows the wave");
            project.report_path(&wave)
        }
        (None, None) => unreachable!("checked before any export was read"),
    };
    if let (Some(project), Some(path)) = (&project, &history_path)
        && !had_history
        && trend.is_none()
        && earlier_reports(&project.reports_dir(), &output)
    {
        log.warn(&format!(
            "there is no history file at {}, so {} is reported as the first wave, \
             although {} holds earlier reports; restore the history file to show the trend",
            path.display(),
            wave_name,
            project.reports_dir().display()
        ));
    }

    let (data, all_charts) = report_data(&settings, &instrument, latest, trend);

    let build = tempfile::Builder::new()
        .prefix("makeitstick-build-")
        .tempdir()
        .context("cannot create a temporary build folder")?;
    report::write_build_folder(
        build.path(),
        &data,
        &all_charts,
        settings.template.as_deref(),
    )?;
    // The latest completion time dates the document, so the same export gives the same PDF.
    let creation_timestamp = latest
        .last_completed
        .map(|t| t.and_utc().timestamp())
        .unwrap_or(0);
    report::write_atomically(&output, |temp| {
        typst.compile(&report::typst::CompileJob {
            root: build.path(),
            main: &build.path().join(report::MAIN_FILE),
            fonts: &build.path().join("fonts"),
            output: temp,
            creation_timestamp,
            timeout: std::time::Duration::from_secs(command.typst_timeout),
        })?;
        Ok(())
    })
    .with_context(|| {
        format!(
            "the report {} was not written; any earlier report there is unchanged",
            output.display()
        )
    })?;
    log.info(|| {
        format!(
            "wrote {} for {} from {} responses",
            output.display(),
            wave_name,
            data.scores.responses.used
        )
    });
    if let Some(figures) = project
        .as_ref()
        .zip(latest.wave)
        .and_then(|(p, wave)| p.figures_path(&wave))
    {
        write_json(&figures, &data)?;
        log.info(|| format!("wrote {}", figures.display()));
    }
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
        report::write_build_folder(keep, &data, &all_charts, settings.template.as_deref())?;
    }
    if let Some(path) = &history_path {
        // Only a scheduled run may later say "up to date": any other run forgets the fingerprint.
        history.last_report = match &project {
            Some(project) if scheduled => Some(LastReport {
                wave: wave_name.clone(),
                file: output
                    .strip_prefix(&project.dir)
                    .unwrap_or(&output)
                    .to_path_buf(),
                inputs: fingerprint,
            }),
            _ => None,
        };
        history.save(path)?;
        log.info(|| format!("wrote {}", path.display()));
    }
    Ok(())
}

/// Reads and scores every export, each as one wave; an error when two share a wave.
fn read_waves(
    exports: &[PathBuf],
    command: &ReportCommand,
    settings: &Settings,
    instrument: &Instrument,
    allow_undated: bool,
    log: Log,
) -> Result<Vec<WaveRun>> {
    let read_options = command.scoring.read.read_options();
    let map_options = command.scoring.read.map_options()?;
    let mut runs: Vec<WaveRun> = Vec::new();
    for path in exports {
        let read = read_and_tally(
            path,
            &read_options,
            &map_options,
            instrument,
            settings.include_comments,
        )?;
        if read.respondents == 0 {
            bail!(
                "{}: no row answers any statement, so there is nothing to report",
                path.display()
            );
        }
        let wave = match wave_of(path, read.last_completed, command.wave, settings.scheme) {
            Ok((wave, why)) => {
                if let Some(other) = runs.iter().find(|r| r.wave == Some(wave)) {
                    return Err(ProjectError::SameWave {
                        wave: wave.to_string(),
                        first: other.source.clone(),
                        second: path.clone(),
                    }
                    .into());
                }
                log.info(|| {
                    format!(
                        "read {}: {} responses, wave {wave} ({why})",
                        path.display(),
                        read.respondents
                    )
                });
                Some(wave)
            }
            // One export and no history: the report needs no wave.
            Err(_) if allow_undated => None,
            Err(error) => return Err(error.into()),
        };
        let mut scores = score::finish(
            &read.tally,
            instrument,
            settings.min_group_size,
            wave.map(|w| w.to_string()),
        );
        scores.responses.without_answers = read.responses.rows_without_answers;
        scores.responses.excluded = read.responses.excluded.clone();
        let comments = read.comments.map(|comments| {
            let slots = score::privacy::slots(instrument);
            let names: Vec<String> = slots.iter().map(|s| s.name.clone()).collect();
            let respondents: Vec<u64> = read.tally.slots.iter().map(|s| s.respondents).collect();
            let counts =
                score::privacy::publish_counts(&slots, &respondents, settings.min_group_size);
            comments.publish(&names, &counts.shown)
        });
        runs.push(WaveRun {
            wave,
            source: path.clone(),
            responses: read.responses,
            last_completed: read.last_completed,
            scores,
            comments,
        });
    }
    Ok(runs)
}

/// One export read, mapped and tallied in a single pass.
struct Tallied<'a> {
    responses: Responses,
    /// Free-text answers, collected only with `--include-comments`.
    comments: Option<score::comments::Comments>,
    tally: score::tally::Tally<'a>,
    respondents: usize,
    last_completed: Option<NaiveDateTime>,
}

/// Reads an export row by row, mapping each row to a respondent and adding it
/// to the tally at once: a CSV export is never held in memory (see
/// [`ingest::stream`]); answers that fail mapping are reported as
/// [`crate::instrument::map_table`] reports them.
fn read_and_tally<'a>(
    path: &Path,
    read_options: &ingest::ReadOptions,
    map_options: &crate::instrument::MapOptions,
    instrument: &'a Instrument,
    include_comments: bool,
) -> Result<Tallied<'a>> {
    let mut rows = ingest::stream(path, read_options)?;
    let mut mapper = RowMapper::new(rows.table(), instrument, map_options)?;
    let mut comments =
        include_comments.then(|| score::comments::Comments::new(&rows.table().columns, instrument));
    let mut tally = score::tally::Tally::new(instrument);
    let mut respondent = Respondent::default();
    let mut respondents = 0;
    let mut last_completed = None;
    while let Some(row) = rows.next_ref()? {
        if mapper.map(row, &mut respondent) {
            tally.add(&respondent);
            if let Some(comments) = &mut comments {
                comments.add(row, respondent.group);
            }
            respondents += 1;
            last_completed = last_completed.max(respondent.completed);
        }
    }
    let table = rows.finish();
    let responses = mapper
        .finish(Vec::new(), table.rows_read, table.excluded)
        .into_result()?;
    Ok(Tallied {
        responses,
        comments,
        tally,
        respondents,
        last_completed,
    })
}

/// Exits with clap's usage message and code 2, for arguments clap cannot check by itself.
fn usage_error(message: &str) -> ! {
    use clap::CommandFactory;
    let mut cli = Cli::command();
    let report = cli
        .find_subcommand_mut("report")
        .expect("the report subcommand exists")
        .clone();
    let mut report = report.bin_name("makeitstick report");
    report
        .error(clap::error::ErrorKind::MissingRequiredArgument, message)
        .exit()
}

/// The wave of one export, and where it came from: `--wave`, the file name, or the last completion date.
fn wave_of(
    path: &Path,
    last_completed: Option<NaiveDateTime>,
    explicit: Option<Wave>,
    scheme: WaveScheme,
) -> Result<(Wave, &'static str), ProjectError> {
    if let Some(wave) = explicit {
        return Ok((wave, "from --wave"));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(wave) = Wave::in_file_name(&name) {
        return Ok((wave, "from the file name"));
    }
    let last = last_completed.ok_or_else(|| ProjectError::NoWave {
        path: path.to_path_buf(),
    })?;
    Ok((
        Wave::of_date(last.date(), scheme),
        "from the last completion date",
    ))
}

/// The exports in a project's exports folder, sorted by name; hidden and temporary files are skipped.
fn list_exports(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).with_context(|| {
        format!(
            "cannot read the exports folder {}; create it or fix `exports` in the settings",
            dir.display()
        )
    })?;
    let mut exports = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Excel writes "~$name.xlsx" while a workbook is open.
        let hidden = name.starts_with('.') || name.starts_with("~$");
        let known = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXPORT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        if path.is_file() && known && !hidden {
            exports.push(path);
        }
    }
    exports.sort();
    Ok(exports)
}

/// True when `folder` holds a PDF other than `output`: reports from earlier waves.
fn earlier_reports(folder: &Path, output: &Path) -> bool {
    std::fs::read_dir(folder).is_ok_and(|entries| {
        entries.filter_map(|e| e.ok()).any(|e| {
            let path = e.path();
            path.extension().is_some_and(|x| x == "pdf") && path.file_name() != output.file_name()
        })
    })
}

/// A fingerprint of everything a scheduled report depends on.
fn fingerprint(
    command: &ReportCommand,
    settings: &Settings,
    instrument: &Instrument,
    exports: &[PathBuf],
) -> Result<String> {
    let mut print = Fingerprint::default();
    print.add(env!("CARGO_PKG_VERSION").as_bytes());
    print.add(format!("{settings:?}").as_bytes());
    print.add(format!("{:?}", command.scoring.read).as_bytes());
    print.add(format!("{:?} {:?}", command.output, command.scores).as_bytes());
    print.add(
        toml::to_string(instrument)
            .context("cannot fingerprint the instrument")?
            .as_bytes(),
    );
    if let Some(dir) = &settings.template {
        let mut files = Vec::new();
        collect_files(dir, &mut files)
            .with_context(|| format!("cannot read the template folder {}", dir.display()))?;
        files.sort();
        for file in files {
            print.add(file.to_string_lossy().as_bytes());
            print.add(&std::fs::read(&file)?);
        }
    }
    let files = exports.iter().chain(&settings.logo);
    for file in files {
        print.add(file.to_string_lossy().as_bytes());
        // In chunks: exports can be far larger than the memory a run should use.
        let mut reader = std::fs::File::open(file)
            .map(std::io::BufReader::new)
            .with_context(|| format!("cannot read {}", file.display()))?;
        loop {
            let chunk = std::io::BufRead::fill_buf(&mut reader)
                .with_context(|| format!("cannot read {}", file.display()))?;
            if chunk.is_empty() {
                break;
            }
            print.add(chunk);
            let length = chunk.len();
            std::io::BufRead::consume(&mut reader, length);
        }
    }
    Ok(print.finish())
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

/// Everything the template reads, for the latest wave, and every chart it shows.
fn report_data(
    settings: &Settings,
    instrument: &Instrument,
    latest: &WaveRun,
    trend: Option<score::trend::Trend>,
) -> (ReportData, Vec<charts::Chart>) {
    let (mut data, mut all_charts) = ReportData::assemble(
        instrument,
        latest.scores.clone(),
        Cover {
            organisation: settings.organisation.clone(),
            innovation: settings.innovation.clone(),
            accent: settings.accent.clone(),
        },
    );
    if let Some(figures) = trend {
        let chart = charts::trend(&figures, &data.scores);
        data.trend = Some(TrendSection {
            chart: ChartRef::to(&chart),
            figures,
        });
        all_charts.push(chart);
    }
    data.comments = latest.comments.clone();
    (data.with_logo(settings.logo.as_deref()), all_charts)
}

/// Writes `value` as pretty JSON, atomically.
fn write_json(path: &Path, value: &impl serde::Serialize) -> Result<()> {
    report::write_atomically(path, |temp| {
        let mut json = serde_json::to_string_pretty(value)?;
        json.push('\n');
        std::fs::write(temp, json)?;
        Ok(())
    })
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
    // Permissions do not bind root, and a folder can be on a read-only or full
    // disk: only writing a file there tells. Removed again when dropped.
    tempfile::Builder::new()
        .prefix(".makeitstick-")
        .suffix(".part")
        .tempfile_in(folder)
        .with_context(|| {
            format!(
                "cannot write the {what} to {}: nothing can be written in the folder {}",
                path.display(),
                folder.display()
            )
        })?;
    Ok(())
}
