//! `makeitstick report`: exports → scores per wave → history → trend → charts → PDF.
//!
//! Two ways to run it:
//! - in a project folder (`makeitstick.toml` here, or `--config`), with no
//!   arguments: every export in the exports folder is read, the history is
//!   updated, and the latest wave's report goes to the reports folder. When no
//!   input changed since the last report (same exports, settings, instrument,
//!   template, the team's plan and program version), nothing is written;
//! - with exports and `--output`: one export per wave; the report is for the
//!   latest wave, with a trend over the others (and over `--history`, when given);
//! - in a programme folder (`programme.toml`): every site's report and the
//!   programme's ([`super::programme`]).
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

use super::Log;
use super::plan::{Mode, Outputs, ReportPlan};
use crate::actions;
use crate::charts;
use crate::output::{self, OutputSet};
use crate::pipeline::{self, PlanBytes, WaveRun, with_plan};
use crate::project::history::LastReport;
use crate::project::{History, Lock, ProjectError};
use crate::report::data::{Cover, ReportInputs};
use crate::report::{self, ReportData};
use crate::score;

/// Runs the report command.
pub fn run(command: crate::cli::ReportCommand, log: Log) -> Result<()> {
    let plan = ReportPlan::build(command, log)?;
    if let Mode::Programme(programme) = &plan.mode {
        return super::programme::run(&plan, programme, log);
    }

    // The lock comes before the history is read, so two runs never interleave.
    let _lock = plan
        .lock_path()
        .map(|path| Lock::acquire(&path))
        .transpose()?;
    let stored = load_history(&plan, log)?;

    // A scheduled run with nothing new (exports, settings, the team's plan) stops here, writing nothing.
    let prints = Prints::take(&plan)?;
    if up_to_date(&plan, stored.as_ref(), &prints.current, log)? {
        return Ok(());
    }
    plan.check_named_outputs()?;

    // Read and score every export, one wave each (one undated export is fine without a history).
    let runs = pipeline::read_waves(&plan.exports, &plan.reading(), log)?;
    let latest = runs.last().expect("there is at least one export");

    let had_history = stored.is_some();
    let mut history = stored.unwrap_or_default();
    pipeline::put_waves(&mut history, &runs, &plan.instrument);
    let (trend, wave_name) = trend_of(&history, latest, log);

    // Every output, now that the wave names them, checked again as a whole before anything is written.
    let outputs = plan.outputs(latest.wave)?;
    if !had_history && trend.is_none() {
        warn_without_history(&plan, &outputs, &wave_name, log);
    }

    let plan_step = plan_step(&plan, latest, &history, log);
    let actions = plan_step.as_ref().and_then(|s| s.view.clone());
    let (data, all_charts) = report_data(&plan, latest, trend, actions);
    let suggestions = suggestions(&plan, plan_step, &data, latest)?;
    let fingerprint = prints.stored(suggestions.as_ref());
    history.last_report = last_report(&plan, &outputs, &wave_name, fingerprint);
    write_outputs(
        &plan,
        &outputs,
        &data,
        &all_charts,
        latest,
        &history,
        suggestions.as_ref(),
        log,
    )?;
    let suggestions = suggestions.as_ref().map(|s| s.path.as_path());
    log_written(&outputs, &wave_name, &data, suggestions, log);
    Ok(())
}

/// A scheduled run's fingerprints; empty for any other run, which keeps none
/// and so never reads its inputs twice.
struct Prints {
    /// Everything but the team's plan ([`ReportPlan::fingerprint`]).
    inputs: String,
    /// With the plan as it is now: what "up to date" compares.
    current: String,
    /// The team's plan file, when the project has one.
    team_plan: Option<PathBuf>,
}

impl Prints {
    fn take(plan: &ReportPlan) -> Result<Prints> {
        let team_plan = plan.mode.project().and_then(|p| actions::plan_file(&p.dir));
        if !plan.scheduled() {
            return Ok(Prints {
                inputs: String::new(),
                current: String::new(),
                team_plan,
            });
        }
        let inputs = plan.fingerprint()?;
        let bytes = team_plan
            .as_deref()
            .map_or(PlanBytes::None, PlanBytes::File);
        let current = with_plan(&inputs, bytes);
        Ok(Prints {
            inputs,
            current,
            team_plan,
        })
    }

    /// What the history keeps: the next run finds the plan this run writes
    /// when there was none, so that plan counts as written.
    fn stored(self, written: Option<&PlanWorkbook>) -> String {
        match (&self.team_plan, written) {
            (None, Some(written)) if !self.inputs.is_empty() => {
                with_plan(&self.inputs, PlanBytes::Written(&written.bytes))
            }
            _ => self.current,
        }
    }
}

/// What the history remembers of this report. Only a scheduled run may later
/// say "up to date": any other run forgets the fingerprint.
fn last_report(
    plan: &ReportPlan,
    outputs: &Outputs,
    wave_name: &str,
    fingerprint: String,
) -> Option<LastReport> {
    match plan.mode.project() {
        Some(project) if plan.scheduled() => Some(LastReport {
            wave: wave_name.to_string(),
            file: outputs
                .pdf
                .strip_prefix(&project.dir)
                .unwrap_or(&outputs.pdf)
                .to_path_buf(),
            inputs: fingerprint,
        }),
        _ => None,
    }
}

/// Says (with `-v`) what was written.
fn log_written(
    outputs: &Outputs,
    wave_name: &str,
    data: &ReportData,
    suggestions: Option<&Path>,
    log: Log,
) {
    log.info(|| {
        format!(
            "wrote {} for {} from {}",
            outputs.pdf.display(),
            wave_name,
            crate::text::count(data.scores.responses.used, "response", "responses")
        )
    });
    for path in outputs.side_files() {
        log.info(|| format!("wrote {}", path.display()));
    }
    if let Some(path) = suggestions {
        log.info(|| {
            format!(
                "wrote {} with this wave's suggested actions",
                path.display()
            )
        });
    }
}

/// The latest wave's trend over the history, and the wave's name in words (said with `-v`).
fn trend_of(
    history: &History,
    latest: &WaveRun,
    log: Log,
) -> (Option<score::trend::Trend>, String) {
    let trend = latest
        .wave
        .and_then(|wave| score::trend::trend(&history.up_to(&wave)));
    let wave_name = latest
        .wave
        .map(|w| w.to_string())
        .unwrap_or_else(|| "the export".into());
    log_trend(trend.as_ref(), &wave_name, log);
    (trend, wave_name)
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
    let Mode::Scheduled(project) = &plan.mode else {
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

/// Reads the project's improvement plan for the latest wave (a project run with a wave only).
fn plan_step(
    plan: &ReportPlan,
    latest: &WaveRun,
    history: &History,
    log: Log,
) -> Option<actions::PlanStep> {
    let project = plan.mode.project()?;
    let wave = latest.wave?;
    let today = actions::Today(latest.last_completed.map(|t| t.date()));
    let waves = history.up_to(&wave);
    Some(actions::plan_step(
        &project.dir,
        &plan.instrument,
        &wave,
        &waves,
        today,
        log,
    ))
}

/// A workbook of suggested actions this run writes: the team's plan the first
/// time, else `plan-suggestions-<wave>.xlsx`.
struct PlanWorkbook {
    path: PathBuf,
    bytes: Vec<u8>,
}

/// The workbook of this wave's suggestions, when the plan step writes one.
fn suggestions(
    plan: &ReportPlan,
    step: Option<actions::PlanStep>,
    data: &ReportData,
    latest: &WaveRun,
) -> Result<Option<PlanWorkbook>> {
    let Some(path) = step.and_then(|s| s.suggestions_file) else {
        return Ok(None);
    };
    let rows = actions::suggestions(&plan.instrument, &data.plan);
    let wave = latest.wave.map(|w| w.to_string()).unwrap_or_default();
    let bytes = actions::plan_workbook(&rows, &wave)
        .with_context(|| format!("cannot make {}", path.display()))?;
    Ok(Some(PlanWorkbook { path, bytes }))
}

/// Makes the PDF and every other output, all of them first as temporary
/// files, then puts them in place together: on any failure, or SIGINT/SIGTERM,
/// none is replaced and no temporary file is left.
#[expect(
    clippy::too_many_arguments,
    reason = "the outputs of one run, staged together; a struct would only rename them"
)]
fn write_outputs(
    plan: &ReportPlan,
    outputs: &Outputs,
    data: &ReportData,
    all_charts: &[charts::Chart],
    latest: &WaveRun,
    history: &History,
    suggestions: Option<&PlanWorkbook>,
    log: Log,
) -> Result<()> {
    // From here on there are temporaries to remove if the run is stopped.
    crate::interrupt::watch().context("cannot set up the handling of Ctrl-C")?;
    sweep_leftovers(outputs, log);
    let build = output::build_folder().context("cannot create a temporary build folder")?;
    let template = plan.settings.template.as_deref();
    for warning in &report::write_build_folder(build.path(), data, all_charts, template)? {
        log.warn(warning);
    }
    crate::interrupt::check()?;
    let mut set = OutputSet::new();
    stage_pdf(&mut set, plan, outputs, build.path(), latest)?;
    stage_side_outputs(&mut set, outputs, data, history)?;
    if let Some(workbook) = suggestions {
        let path = &workbook.path;
        set.stage(path, |temp| Ok(std::fs::write(temp, &workbook.bytes)?))
            .with_context(|| {
                format!(
                    "{} was not written, so no output was replaced",
                    path.display()
                )
            })?;
    }
    if let Some(keep) = &plan.keep_build {
        // Checked again: something may have been put there since the start.
        output::check_keep_build(keep)?;
        std::fs::create_dir_all(keep)
            .with_context(|| format!("cannot create the --keep-build folder {}", keep.display()))?;
        // Its warnings were printed when the build folder was written above.
        report::write_build_folder(keep, data, all_charts, template)?;
    }
    // The last moment a signal stops the run; the renames that follow are finished whatever comes.
    crate::interrupt::check()?;
    set.commit()?;
    Ok(())
}

/// Removes leftovers of runs that were killed outright (their process has
/// ended) from the temporary folder and every output's folder.
fn sweep_leftovers(outputs: &Outputs, log: Log) {
    let mut folders = vec![std::env::temp_dir()];
    for path in std::iter::once(&outputs.pdf).chain(outputs.side_files()) {
        folders.push(output::parent_folder(path).to_path_buf());
    }
    folders.sort();
    folders.dedup();
    for folder in &folders {
        for path in output::sweep_leftovers(folder).removed {
            log.info(|| format!("removed {}, left by a run that was stopped", path.display()));
        }
    }
}

/// Runs typst on the build folder into the PDF's temporary file.
fn stage_pdf(
    set: &mut OutputSet,
    plan: &ReportPlan,
    outputs: &Outputs,
    build: &Path,
    latest: &WaveRun,
) -> Result<()> {
    // The latest completion time dates the document, so the same export gives the same PDF.
    let creation_timestamp = latest
        .last_completed
        .map(|t| t.and_utc().timestamp())
        .unwrap_or(0);
    let main = build.join(report::MAIN_FILE);
    stage_typeset(set, plan, build, &main, &outputs.pdf, creation_timestamp)
}

/// Stages `pdf`: typst run on `main` in the build folder, dated
/// `creation_timestamp`, into the PDF's temporary file.
pub(super) fn stage_typeset(
    set: &mut OutputSet,
    plan: &ReportPlan,
    build: &Path,
    main: &Path,
    pdf: &Path,
    creation_timestamp: i64,
) -> Result<()> {
    set.stage(pdf, |temp| {
        plan.typst.compile(&report::typst::CompileJob {
            root: build,
            main,
            fonts: &build.join("fonts"),
            output: temp,
            creation_timestamp,
            timeout: plan.typst_timeout,
        })?;
        Ok(())
    })
    .with_context(|| {
        format!(
            "the report {} was not written; any earlier report there is unchanged",
            pdf.display()
        )
    })
}

/// Writes the figures, scores and history files to their temporary files.
fn stage_side_outputs(
    set: &mut OutputSet,
    outputs: &Outputs,
    data: &ReportData,
    history: &History,
) -> Result<()> {
    let not_written = |path: &Path| {
        format!(
            "{} was not written, so no output was replaced (the report {} included)",
            path.display(),
            outputs.pdf.display()
        )
    };
    if let Some(figures) = &outputs.figures {
        set.stage(figures, |temp| {
            output::write_json(temp, &data.for_figures_file())
        })
        .with_context(|| not_written(figures))?;
    }
    for scores in &outputs.scores {
        set.stage(&scores.path, |temp| scores.format.write(temp, &data.scores))
            .with_context(|| not_written(&scores.path))?;
    }
    if let Some(path) = &outputs.history {
        set.stage(path, |temp| output::write_json(temp, history))
            .with_context(|| not_written(path))?;
    }
    Ok(())
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

/// Everything the template reads, for the latest wave, and every chart it shows.
fn report_data(
    plan: &ReportPlan,
    latest: &WaveRun,
    trend: Option<score::trend::Trend>,
    actions: Option<actions::PlanView>,
) -> (ReportData, Vec<charts::Chart>) {
    let settings = &plan.settings;
    ReportData::build(ReportInputs {
        instrument: &plan.instrument,
        scores: latest.scores.clone(),
        cover: Cover {
            organisation: settings.organisation.clone(),
            innovation: settings.innovation.clone(),
            accent: settings.accent.to_string(),
            logo: settings.logo.clone(),
        },
        trend,
        comments: latest.comments.clone(),
        actions,
        compare: None,
    })
}
