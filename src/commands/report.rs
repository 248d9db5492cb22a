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

use anyhow::{Context, Result};
use chrono::NaiveDateTime;

use super::Log;
use super::plan::{Outputs, ReportPlan, ScoresFormat};
use crate::charts;
use crate::ingest;
use crate::instrument::{Instrument, Responses, RowMapper};
use crate::output::{self, OutputSet};
use crate::project::history::LastReport;
use crate::project::{Fingerprint, History, Lock, ProjectError, Wave, WaveScheme};
use crate::report::data::{Cover, ReportInputs};
use crate::report::{self, ReportData};
use crate::score::trend::WaveFigures;
use crate::score::{self, Scores};

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
pub fn run(command: crate::cli::ReportCommand, log: Log) -> Result<()> {
    let plan = ReportPlan::build(command, log)?;

    // The lock comes before the history is read, so two runs never interleave.
    let _lock = plan
        .lock_path()
        .map(|path| Lock::acquire(&path))
        .transpose()?;
    let stored = load_history(&plan, log)?;

    // A scheduled run with nothing new stops here, writing nothing.
    let fingerprint = if plan.scheduled() {
        fingerprint(&plan)?
    } else {
        String::new()
    };
    if up_to_date(&plan, stored.as_ref(), &fingerprint, log)? {
        return Ok(());
    }
    plan.check_named_outputs()?;

    // Read and score every export, one wave each (one undated export is fine without a history).
    let mut runs = read_waves(&plan, log)?;
    runs.sort_by_key(|r| r.wave);
    let latest = runs.last().expect("there is at least one export");

    let had_history = stored.is_some();
    let mut history = stored.unwrap_or_default();
    put_waves(&mut history, &runs, &plan.instrument);
    let trend = latest
        .wave
        .and_then(|wave| score::trend::trend(&history.up_to(&wave)));
    let wave_name = latest
        .wave
        .map(|w| w.to_string())
        .unwrap_or_else(|| "the export".into());
    log_trend(trend.as_ref(), &wave_name, log);

    // Every output, now that the wave names them, checked again as a whole before anything is written.
    let outputs = plan.outputs(latest.wave)?;
    if !had_history && trend.is_none() {
        warn_without_history(&plan, &outputs, &wave_name, log);
    }
    // Only a scheduled run may later say "up to date": any other run forgets the fingerprint.
    history.last_report = match plan.mode.project() {
        Some(project) if plan.scheduled() => Some(LastReport {
            wave: wave_name.clone(),
            file: outputs
                .pdf
                .strip_prefix(&project.dir)
                .unwrap_or(&outputs.pdf)
                .to_path_buf(),
            inputs: fingerprint,
        }),
        _ => None,
    };

    let (data, all_charts) = report_data(&plan, latest, trend);
    write_outputs(&plan, &outputs, &data, &all_charts, latest, &history, log)?;
    log.info(|| {
        format!(
            "wrote {} for {} from {}",
            outputs.pdf.display(),
            wave_name,
            crate::text::count(data.scores.responses.used, "response", "responses")
        )
    });
    for path in outputs
        .figures
        .iter()
        .chain(outputs.scores.iter().map(|s| &s.path))
        .chain(&outputs.history)
    {
        log.info(|| format!("wrote {}", path.display()));
    }
    Ok(())
}

/// Puts this run's waves into the history, replacing any earlier run of the same wave.
fn put_waves(history: &mut History, runs: &[WaveRun], instrument: &Instrument) {
    for run in runs {
        let Some(wave) = run.wave else { continue };
        let source = run
            .source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        history.put(WaveFigures::from_scores(
            &wave.to_string(),
            source,
            &run.scores,
            instrument,
            &run.responses.unmatched_statements,
        ));
    }
}

/// Says (with `-v`) what the trend compares.
fn log_trend(trend: Option<&score::trend::Trend>, wave_name: &str, log: Log) {
    match trend {
        Some(t) => log.info(|| {
            format!(
                "trend: {} against {}, from {}",
                t.wave,
                crate::text::count(t.waves.len() - 1, "earlier wave", "earlier waves"),
                t.first_wave
            )
        }),
        None => log.info(|| format!("trend: {wave_name} is the first wave on record")),
    }
}

/// Warns when a project reports its first wave although earlier reports exist: the history was lost.
fn warn_without_history(plan: &ReportPlan, outputs: &Outputs, wave_name: &str, log: Log) {
    if let (Some(project), Some(path)) = (plan.mode.project(), &plan.history)
        && earlier_reports(&project.reports_dir(), &outputs.pdf)
    {
        log.warn(&format!(
            "there is no history file at {}, so {} is reported as the first wave, \
             although {} holds earlier reports; restore the history file to show the trend",
            path.display(),
            wave_name,
            project.reports_dir().display()
        ));
    }
}

/// Reads the history, when there is one; a damaged one stops the run here.
fn load_history(plan: &ReportPlan, log: Log) -> Result<Option<History>> {
    let Some(path) = &plan.history else {
        return Ok(None);
    };
    let stored = History::load(path)?;
    match &stored {
        Some(h) => log.info(|| {
            format!(
                "history: {} with {}",
                path.display(),
                crate::text::count(h.waves.len(), "wave", "waves")
            )
        }),
        None => log.info(|| {
            format!(
                "history: {} does not exist yet; it will be started",
                path.display()
            )
        }),
    }
    Ok(stored)
}

/// True when a scheduled run has nothing new to report (and says so with `-v`);
/// an error when a project has no export at all.
fn up_to_date(
    plan: &ReportPlan,
    stored: Option<&History>,
    fingerprint: &str,
    log: Log,
) -> Result<bool> {
    let super::plan::Mode::Scheduled(project) = &plan.mode else {
        return Ok(false);
    };
    let last = stored.and_then(|h| h.last_report.as_ref());
    if let Some(last) = last
        && project.path(&last.file).is_file()
        && !plan.force
        && (last.inputs == fingerprint || plan.exports.is_empty())
    {
        log.info(|| {
            format!(
                "report for {} is up to date ({}); no new export in {}",
                last.wave,
                project.path(&last.file).display(),
                project.exports_dir().display()
            )
        });
        return Ok(true);
    }
    if plan.exports.is_empty() {
        return Err(ProjectError::NoExports {
            dir: project.exports_dir(),
        }
        .into());
    }
    Ok(false)
}

/// Makes the PDF and every other output, all of them first as temporary
/// files, then puts them in place together: on any failure, or SIGINT/SIGTERM,
/// none is replaced and no temporary file is left.
fn write_outputs(
    plan: &ReportPlan,
    outputs: &Outputs,
    data: &ReportData,
    all_charts: &[charts::Chart],
    latest: &WaveRun,
    history: &History,
    log: Log,
) -> Result<()> {
    // From here on there are temporaries to remove if the run is stopped.
    crate::interrupt::watch().context("cannot set up the handling of Ctrl-C")?;
    // Leftovers of runs that were killed outright (their process has ended).
    let mut folders = vec![std::env::temp_dir()];
    for path in [&outputs.pdf]
        .into_iter()
        .chain(&outputs.figures)
        .chain(outputs.scores.iter().map(|s| &s.path))
        .chain(&outputs.history)
    {
        folders.push(output::parent_folder(path).to_path_buf());
    }
    folders.sort();
    folders.dedup();
    for folder in &folders {
        for path in output::sweep_leftovers(folder).removed {
            log.info(|| format!("removed {}, left by a run that was stopped", path.display()));
        }
    }

    let build = output::build_folder().context("cannot create a temporary build folder")?;
    let replaced = report::write_build_folder(
        build.path(),
        data,
        all_charts,
        plan.settings.template.as_deref(),
    )?;
    for warning in &replaced {
        log.warn(warning);
    }
    crate::interrupt::check()?;
    // The latest completion time dates the document, so the same export gives the same PDF.
    let creation_timestamp = latest
        .last_completed
        .map(|t| t.and_utc().timestamp())
        .unwrap_or(0);
    let mut set = OutputSet::new();
    set.stage(&outputs.pdf, |temp| {
        plan.typst.compile(&report::typst::CompileJob {
            root: build.path(),
            main: &build.path().join(report::MAIN_FILE),
            fonts: &build.path().join("fonts"),
            output: temp,
            creation_timestamp,
            timeout: plan.typst_timeout,
        })?;
        Ok(())
    })
    .with_context(|| {
        format!(
            "the report {} was not written; any earlier report there is unchanged",
            outputs.pdf.display()
        )
    })?;
    let not_written = |path: &Path| {
        format!(
            "{} was not written, so no output was replaced (the report {} included)",
            path.display(),
            outputs.pdf.display()
        )
    };
    if let Some(figures) = &outputs.figures {
        set.stage(figures, |temp| write_json(temp, data))
            .with_context(|| not_written(figures))?;
    }
    for scores in &outputs.scores {
        set.stage(&scores.path, |temp| {
            let file = std::io::BufWriter::new(std::fs::File::create(temp)?);
            match scores.format {
                ScoresFormat::Json => {
                    let mut file = file;
                    serde_json::to_writer_pretty(&mut file, &data.scores)?;
                    std::io::Write::write_all(&mut file, b"\n")?;
                    std::io::Write::flush(&mut file)?;
                }
                ScoresFormat::Csv => score::tidy::write_csv(&data.scores, file)?,
            }
            Ok(())
        })
        .with_context(|| not_written(&scores.path))?;
    }
    if let Some(path) = &outputs.history {
        set.stage(path, |temp| write_json(temp, history))
            .with_context(|| not_written(path))?;
    }
    if let Some(keep) = &plan.keep_build {
        // Checked again: something may have been put there since the start.
        output::check_keep_build(keep)?;
        std::fs::create_dir_all(keep)
            .with_context(|| format!("cannot create the --keep-build folder {}", keep.display()))?;
        // Its warnings were printed when the build folder was written above.
        report::write_build_folder(keep, data, all_charts, plan.settings.template.as_deref())?;
    }
    // The last moment a signal stops the run; the renames that follow are finished whatever comes.
    crate::interrupt::check()?;
    set.commit()?;
    Ok(())
}

/// Reads and scores every export, each as one wave; an error when two share a wave.
fn read_waves(plan: &ReportPlan, log: Log) -> Result<Vec<WaveRun>> {
    let (instrument, settings) = (&plan.instrument, &plan.settings);
    // One export and no history: the report needs no wave.
    let allow_undated = plan.exports.len() == 1 && plan.history.is_none();
    let mut runs: Vec<WaveRun> = Vec::new();
    for path in &plan.exports {
        let read = read_and_tally(
            path,
            &plan.read_options,
            &plan.map_options,
            instrument,
            settings.include_comments,
        )?;
        let nothing = |hidden: usize| score::empty::NothingToReport {
            path: path.clone(),
            rows_read: read.responses.rows_read,
            excluded: read.responses.excluded.clone(),
            without_answers: read.responses.rows_without_answers,
            hidden,
            min_group_size: settings.min_group_size,
        };
        if read.respondents == 0 {
            return Err(nothing(0).into());
        }
        // The responses in the figures date the wave, the period and the PDF:
        // a hidden group's late answer must not show through any of them.
        let period = score::published_period(&read.tally, instrument, settings.min_group_size);
        if let Some(warning) =
            period.and_then(|(first, last)| ingest::long_period_warning(first, last))
        {
            log.warn(&format!("{}: {warning}", path.display()));
        }
        let last_completed = period.map(|(_, last)| last);
        let wave = match wave_of(path, last_completed, plan.wave, settings.scheme) {
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
                        "read {}: {}, wave {wave} ({why})",
                        path.display(),
                        crate::text::count(read.respondents, "response", "responses")
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
        scores.set_group_column_found(read.responses.group_column.is_some());
        scores.responses.without_answers = read.responses.rows_without_answers;
        scores.responses.excluded = read.responses.excluded.clone();
        scores.responses.test_responses = read.test_responses;
        if scores.responses.used == 0 {
            return Err(nothing(read.respondents).into());
        }
        let by_group = scores.responses.grouping.by_group();
        let comments = read.comments.map(|comments| {
            let slots = score::privacy::slots(instrument);
            let mut names: Vec<String> = slots.iter().map(|s| s.name.clone()).collect();
            if !by_group {
                // Nobody's group is known: the one slot in use is everyone.
                *names.last_mut().expect("there is a \"did not say\" slot") =
                    "Everyone".to_string();
            }
            let respondents: Vec<u64> = read.tally.slots.iter().map(|s| s.respondents).collect();
            let counts =
                score::privacy::publish_counts(&slots, &respondents, settings.min_group_size);
            comments.publish(&names, &counts.shown)
        });
        runs.push(WaveRun {
            wave,
            source: path.clone(),
            responses: read.responses,
            last_completed,
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
    /// Previews and test responses kept with `--keep-test-responses`.
    test_responses: usize,
}

/// Reads an export row by row, mapping each row to a respondent and adding it
/// to the tally at once ([`score::read::tally_rows`]): a CSV export is never
/// held in memory (see [`ingest::stream`]).
fn read_and_tally<'a>(
    path: &Path,
    read_options: &ingest::ReadOptions,
    map_options: &crate::instrument::MapOptions,
    instrument: &'a Instrument,
    include_comments: bool,
) -> Result<Tallied<'a>> {
    let rows = ingest::stream(path, read_options)?;
    let mapper = RowMapper::new(rows.summary(), instrument, map_options)?;
    let read = score::read::tally_rows(rows, mapper, instrument, include_comments)?;
    let mut tally = read.tally;
    // Only now, every date seen, is the date column's order known.
    tally.date_order = read.summary.date_order()?;
    let analysis = read.analysis;
    let unknown: usize = analysis.unknown_groups.iter().map(|g| g.count).sum();
    if unknown > 0 && !analysis.unknown_groups_are_errors {
        // Counts only: the answers themselves may be personal.
        super::Log { verbose: false }.warn(&format!(
            "{}: {unknown} row{} gave a group answer that belongs to no group (first at row {}); counted in \"Did not say which group\" (--unknown-groups other)",
            path.display(),
            if unknown == 1 { "" } else { "s" },
            analysis.unknown_groups[0].first_row
        ));
    }
    Ok(Tallied {
        responses: analysis.into_result()?,
        comments: read.comments,
        tally,
        respondents: read.respondents,
        test_responses: read.summary.test_responses,
    })
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
    let wave = Wave::of_date(last.date(), scheme).ok_or_else(|| ProjectError::DateOutOfRange {
        path: path.to_path_buf(),
        date: last.date(),
    })?;
    Ok((wave, "from the last completion date"))
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
fn fingerprint(plan: &ReportPlan) -> Result<String> {
    let mut print = Fingerprint::default();
    print.add(env!("CARGO_PKG_VERSION").as_bytes());
    print.add(format!("{:?}", plan.settings).as_bytes());
    for flags in &plan.flags_print {
        print.add(flags.as_bytes());
    }
    print.add(
        toml::to_string(&plan.instrument)
            .context("cannot fingerprint the instrument")?
            .as_bytes(),
    );
    if let Some(dir) = &plan.settings.template {
        // Only regular files: a link or a FIFO in the template is refused, never read.
        for file in report::template_files(dir)? {
            print.add(file.to_string_lossy().as_bytes());
            add_file(&mut print, &file)?;
        }
    }
    let files = plan.exports.iter().chain(&plan.settings.logo);
    for file in files {
        print.add(file.to_string_lossy().as_bytes());
        add_file(&mut print, file)?;
    }
    Ok(print.finish())
}

/// Adds a file's bytes to a fingerprint, in chunks: exports (or a file in a
/// template folder) can be far larger than the memory a run should use.
fn add_file(print: &mut Fingerprint, file: &Path) -> Result<()> {
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
    Ok(())
}

/// Everything the template reads, for the latest wave, and every chart it shows.
fn report_data(
    plan: &ReportPlan,
    latest: &WaveRun,
    trend: Option<score::trend::Trend>,
) -> (ReportData, Vec<charts::Chart>) {
    let settings = &plan.settings;
    ReportData::build(ReportInputs {
        instrument: &plan.instrument,
        scores: latest.scores.clone(),
        cover: Cover {
            organisation: settings.organisation.clone(),
            innovation: settings.innovation.clone(),
            accent: settings.accent.clone(),
            logo: settings.logo.clone(),
        },
        trend,
        comments: latest.comments.clone(),
    })
}

/// Writes `value` as pretty JSON to `path`.
fn write_json(path: &Path, value: &impl serde::Serialize) -> Result<()> {
    let mut json = serde_json::to_string_pretty(value)?;
    json.push('\n');
    std::fs::write(path, json)?;
    Ok(())
}
