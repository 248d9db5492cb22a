//! `makeitstick report` in a programme folder: every site's report, and the
//! programme report for the funder, for the latest wave.
//!
//! The order of work keeps failures harmless, as for one organisation: the
//! plan checked typst, the questionnaire, programme.toml, the folders under
//! `sites/` and the reports folder before this runs. Here the lock is taken,
//! the sites are read and scored in parallel ([`pipeline::sites`]), each
//! site's history is loaded and its waves put in, the programme figures are
//! made from the sites' published figures, and then every report is typeset,
//! at most as many typst processes at once as the machine has cores, each in
//! its own build folder. Each site's outputs (PDF, figures JSON and CSV,
//! history) are put in place together; the programme's only when every site
//! succeeded, so a failure never replaces the last good programme report with
//! a partial one. A failing site is named with its error and the run exits 1.
//!
//! Like a project's scheduled run, a run with nothing changed since the last
//! one (the same exports, programme.toml, questionnaire, template and program
//! version, every site's report and the programme report still there) writes
//! nothing: each site's history remembers the fingerprint of the run that
//! wrote it, and forgets it when the programme report could not be written.
//! `--force` makes every report again.
//!
//! Silent when it succeeds, like a project's run; `-v` says each site as it is
//! read, scored and written; on a terminal without `-v`, a progress bar counts
//! the reports typeset (a scheduled run has no terminal, so it stays silent).
//!
//! Over 600 lines because it is the one place the run's order is written:
//! reading, the up-to-date check, typesetting and putting outputs in place,
//! each in a function of at most 60 lines; the work itself is in the library
//! (`pipeline::sites`, `programme`, `report`, `output`).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use indicatif::{ProgressBar, ProgressStyle};

use super::Log;
use super::plan::{Programme, ProgrammeSource, ReportPlan};
use crate::charts::Chart;
use crate::output::programme::{ProgrammeOutput, SiteScores};
use crate::output::{self, OutputSet};
use crate::pipeline::sites::{self, SiteJob, SiteRead};
use crate::pipeline::{self, WaveRun};
use crate::programme::history::{PROGRAMME_HISTORY_FILE, ProgrammeHistory, ProgrammeWave};
use crate::programme::site::SiteFigures;
use crate::programme::summary::{ProgrammeSummary, how_you_compare, summarise};
use crate::project::history::LastReport;
use crate::project::{History, Lock, ProjectError, Wave};
use crate::report::compare::SiteComparison;
use crate::report::data::{Cover, ReportInputs};
use crate::report::programme::{
    PROGRAMME_MAIN_FILE, ProgrammeCover, ProgrammeInputs, ProgrammeReportData,
};
use crate::report::programme_trend::ProgrammeTrendInputs;
use crate::report::{self, ReportData};
use crate::score;

/// A site read and scored, its history brought up to date, ready to typeset.
struct SiteDone<'a> {
    job: &'a SiteJob,

    latest: WaveRun,
    history: History,
    trend: Option<score::trend::Trend>,
    paths: SitePaths,
}

/// Where one site's outputs go.
struct SitePaths {
    pdf: PathBuf,
    figures: PathBuf,
    csv: PathBuf,
    history: PathBuf,
}

/// A site that failed, with why.
struct Failure {
    id: String,
    error: anyhow::Error,
}

/// One report to typeset: its data written into a build folder, then typst.
struct Typeset<'a> {
    report: Report<'a>,
    pdf: PathBuf,
    main: &'static str,
    creation_timestamp: i64,
}

/// Which report a job makes. A site's data is made by the worker that
/// typesets it, so that at most one build folder per core exists at once.
enum Report<'a> {
    /// A site's report, with how the site compares when it is in the programme figures.
    Site(&'a SiteDone<'a>, Option<SiteComparison>),
    /// The programme report, its data made once.
    Programme(Box<ProgrammeMade<'a>>),
}

/// The programme report's data and charts, its figures files and its history.
struct ProgrammeMade<'a> {
    data: ProgrammeReportData,
    charts: Vec<Chart>,
    name: String,
    wave: String,
    sites: Vec<SiteScores<'a>>,
    summary: &'a ProgrammeSummary,
    history: ProgrammeHistory,
    history_path: PathBuf,
}

impl<'a> Typeset<'a> {
    /// The site, or `None` for the programme report.
    fn site(&self) -> Option<&'a SiteDone<'a>> {
        match self.report {
            Report::Site(site, _) => Some(site),
            Report::Programme(_) => None,
        }
    }
}

/// Runs a programme: every site, then the programme.
pub fn run(plan: &ReportPlan, programme: &Programme, log: Log) -> Result<()> {
    let _lock = Lock::acquire(&programme.lock_path())?;
    let fingerprint = plan.fingerprint()?;
    if !plan.force && up_to_date(programme, &fingerprint, log)? {
        return Ok(());
    }
    let reads = read_sites(plan, programme, log)?;
    let (mut done, mut failures) = prepare_sites(plan, programme, reads, log);
    for site in &mut done {
        site.history.last_report = Some(last_report(programme, site, &fingerprint));
    }
    let Some(wave) = done.iter().filter_map(|s| s.latest.wave).max() else {
        return finish(failures, programme.sites.len(), log);
    };
    let (summary, figures) = programme_summary(plan, programme, &done, wave, log);
    let compare = |site: &SiteDone| {
        let figures = how_you_compare(
            &summary,
            &figures,
            &site.job.id,
            programme.config.name_other_sites,
        )?;
        Some(SiteComparison {
            figures,
            site_threshold: u64::from(programme.config.site_threshold),
        })
    };
    let mut jobs: Vec<Typeset> = done.iter().map(|s| site_job(s, compare(s))).collect();
    if failures.is_empty() {
        jobs.push(programme_job(plan, programme, &summary, &done, wave)?);
    }
    let programme_set = typeset(plan, &jobs, &mut failures, log);
    match programme_set {
        Some((job, Ok(set))) if failures.is_empty() => {
            set.commit().inspect_err(|_| forget_run(&done))?;
            log.info(|| format!("wrote {} for {wave}", job.pdf.display()));
        }
        Some((_, Err(error))) if failures.is_empty() => {
            forget_run(&done);
            return Err(error);
        }
        _ => {}
    }
    finish(failures, programme.sites.len(), log)
}

/// What a site's history remembers of this run.
fn last_report(programme: &Programme, site: &SiteDone, fingerprint: &str) -> LastReport {
    let pdf = &site.paths.pdf;
    LastReport {
        wave: site.latest.wave.map(|w| w.to_string()).unwrap_or_default(),
        file: pdf
            .strip_prefix(&programme.dir)
            .unwrap_or(pdf)
            .to_path_buf(),
        inputs: fingerprint.to_string(),
    }
}

/// Makes the sites' histories forget this run's fingerprint when the
/// programme report was not written, so that the next run makes it.
fn forget_run(done: &[SiteDone]) {
    for site in done {
        let mut history = site.history.clone();
        history.last_report = None;
        if let Err(error) = output::write_atomically(&site.paths.history, |temp| {
            output::write_json(temp, &history)
        }) {
            Log { verbose: false }.warn(&format!(
                "{}: {error:#}; the next run may say the reports are up to date: run it with --force",
                site.paths.history.display()
            ));
        }
    }
}

/// True when every site's history says its report was made from these very
/// inputs, and that report and the programme report for the latest wave are
/// still there (said with `-v`).
fn up_to_date(programme: &Programme, fingerprint: &str, log: Log) -> Result<bool> {
    let mut latest: Option<Wave> = None;
    for site in &programme.sites {
        let history = History::load(&programme.site_dir(&site.id).join("history.json"))?;
        let Some(last) = history.and_then(|h| h.last_report) else {
            return Ok(false);
        };
        let Ok(wave) = last.wave.parse::<Wave>() else {
            return Ok(false);
        };
        if last.inputs != fingerprint || !programme.path(&last.file).is_file() {
            return Ok(false);
        }
        latest = latest.max(Some(wave));
    }
    let Some(wave) = latest else { return Ok(false) };
    let pdf = programme_pdf(programme, wave);
    if !pdf.is_file() {
        return Ok(false);
    }
    log.info(|| {
        format!(
            "every report for {wave} is up to date ({}); nothing changed since the last run",
            pdf.display()
        )
    });
    Ok(true)
}

/// The programme report of `wave`.
fn programme_pdf(programme: &Programme, wave: Wave) -> PathBuf {
    programme
        .reports_dir()
        .join(format!("programme-{}.pdf", wave.file_stem()))
}

/// Every site read put into its history, or its failure.
fn prepare_sites<'a>(
    plan: &ReportPlan,
    programme: &'a Programme,
    reads: Vec<SiteRead>,
    log: Log,
) -> (Vec<SiteDone<'a>>, Vec<Failure>) {
    let mut failures = Vec::new();
    let mut done = Vec::new();
    for (job, read) in programme.sites.iter().zip(reads) {
        match prepare_site(plan, programme, job, read.runs, log) {
            Ok(site) => done.push(site),
            Err(error) => failures.push(Failure { id: read.id, error }),
        }
    }
    (done, failures)
}

/// Typesets every job in parallel and puts each site's outputs in place (a
/// failure is added to `failures`); the programme's staged outputs are
/// returned, not yet committed.
fn typeset<'j>(
    plan: &ReportPlan,
    jobs: &'j [Typeset<'j>],
    failures: &mut Vec<Failure>,
    log: Log,
) -> Option<(&'j Typeset<'j>, Result<OutputSet>)> {
    let progress = progress_bar(jobs.len(), log);
    let staged = sites::in_parallel(jobs, |job| {
        let staged = stage(plan, job);
        progress.inc(1);
        staged
    });
    progress.finish_and_clear();
    let mut programme_set = None;
    for (job, result) in jobs.iter().zip(staged) {
        match (job.site(), result) {
            (Some(site), Ok(set)) => match set.commit() {
                Ok(()) => log_site(site, log),
                Err(error) => failures.push(failure(site, error.into())),
            },
            (Some(site), Err(error)) => failures.push(failure(site, error)),
            (None, result) => programme_set = Some((job, result)),
        }
    }
    programme_set
}

/// A progress bar of the reports typeset on stderr (indicatif), drawn only
/// when stderr is a terminal (indicatif hides it otherwise, so a scheduled
/// run stays silent) and `-v` is not printing a line per site instead.
fn progress_bar(total: usize, log: Log) -> ProgressBar {
    if log.verbose || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total as u64);
    bar.set_style(
        ProgressStyle::with_template("typesetting reports {bar:30} {pos} of {len}")
            .expect("the template is valid"),
    );
    bar
}

/// A failure of `site`.
fn failure(site: &SiteDone, error: anyhow::Error) -> Failure {
    Failure {
        id: site.job.id.clone(),
        error,
    }
}

/// Says (with `-v`) what was written for a site.
fn log_site(site: &SiteDone, log: Log) {
    let wave = site.latest.wave.map(|w| w.to_string()).unwrap_or_default();
    log.info(|| {
        format!(
            "site {}: wrote {} for {wave} from {}",
            site.job.id,
            site.paths.pdf.display(),
            crate::text::count(site.latest.scores.responses.used, "response", "responses")
        )
    });
}

/// Reads every site, from its folder or from the combined export.
fn read_sites(plan: &ReportPlan, programme: &Programme, log: Log) -> Result<Vec<SiteRead>> {
    let base = plan.reading();
    match &programme.source {
        ProgrammeSource::Folders => Ok(sites::read_folder_sites(&programme.sites, &base, log)),
        ProgrammeSource::Combined { router, exports } => {
            if exports.is_empty() {
                return Err(ProjectError::NoExports {
                    dir: programme.path(&programme.config.exports),
                }
                .into());
            }
            sites::read_combined_sites(exports, router, &programme.sites, &base, log)
        }
    }
}

/// A site's waves put into its history, and the trend of its latest wave.
fn prepare_site<'a>(
    plan: &ReportPlan,
    programme: &Programme,
    job: &'a SiteJob,
    runs: Result<Vec<WaveRun>>,
    log: Log,
) -> Result<SiteDone<'a>> {
    let mut runs = runs?;
    let site_dir = programme.site_dir(&job.id);
    let Some(latest) = runs.pop() else {
        return Err(ProjectError::NoExports {
            dir: site_dir.join("exports"),
        }
        .into());
    };
    let wave = latest
        .wave
        .ok_or_else(|| anyhow!("a programme's reports are named after their wave"))?;
    let history_path = site_dir.join("history.json");
    let mut history = History::load(&history_path)?.unwrap_or_default();
    runs.push(latest);
    pipeline::put_waves(&mut history, &runs, &plan.instrument);
    let latest = runs.pop().expect("the latest wave was put back");
    let trend = score::trend::trend(&history.up_to(&wave));
    log.info(|| format!("site {}: read and scored, latest wave {wave}", job.id));
    let reports = programme.reports_dir().join("sites");
    let stem = format!("{}-{}", job.id, wave.file_stem());
    Ok(SiteDone {
        job,
        latest,
        history,
        trend,
        paths: SitePaths {
            pdf: reports.join(format!("{stem}.pdf")),
            figures: reports.join(format!("{stem}.json")),
            csv: reports.join(format!("{stem}.csv")),
            history: history_path,
        },
    })
}

/// The programme figures from the sites whose latest wave is the programme's.
fn programme_summary(
    plan: &ReportPlan,
    programme: &Programme,
    done: &[SiteDone],
    wave: Wave,
    log: Log,
) -> (ProgrammeSummary, Vec<SiteFigures>) {
    let mut figures: Vec<SiteFigures> = Vec::new();
    for site in done {
        if site.latest.wave == Some(wave) {
            figures.extend(site.latest.site.clone());
        } else {
            log.warn(&format!(
                "site {}: its latest wave is not {wave}, so it is left out of the programme figures",
                site.job.id
            ));
        }
    }
    let config = &programme.config;
    let summary = summarise(
        &figures,
        &plan.instrument,
        u64::from(config.min_group_size),
        u64::from(config.site_threshold),
    );
    (summary, figures)
}

/// A site's report, to be typeset.
fn site_job<'a>(site: &'a SiteDone<'a>, compare: Option<SiteComparison>) -> Typeset<'a> {
    Typeset {
        report: Report::Site(site, compare),
        pdf: site.paths.pdf.clone(),
        main: report::MAIN_FILE,
        creation_timestamp: timestamp(&site.latest),
    }
}

/// A site's report data (with its figures file) written into `build`.
fn write_site_job(
    plan: &ReportPlan,
    site: &SiteDone,
    compare: Option<SiteComparison>,
    build: &Path,
) -> Result<()> {
    let settings = &site.job.settings;
    let (data, charts) = ReportData::build(ReportInputs {
        instrument: &plan.instrument,
        scores: site.latest.scores.clone(),
        cover: Cover {
            organisation: settings.organisation.clone(),
            innovation: settings.innovation.clone(),
            accent: settings.accent.to_string(),
            logo: settings.logo.clone(),
        },
        trend: site.trend.clone(),
        comments: site.latest.comments.clone(),
        actions: None,
        compare,
    });
    write_site_build(plan, build, &data, &charts)?;
    output::write_json(&build.join("figures.json"), &data.for_figures_file())
}

/// Writes a site report's build folder, saying the template's warnings.
fn write_site_build(
    plan: &ReportPlan,
    build: &Path,
    data: &ReportData,
    charts: &[Chart],
) -> Result<()> {
    let template = plan.settings.template.as_deref();
    for warning in &report::write_build_folder(build, data, charts, template)? {
        Log { verbose: false }.warn(warning);
    }
    Ok(())
}

/// The programme report, its data, figures files and history made, to be typeset.
fn programme_job<'a>(
    plan: &ReportPlan,
    programme: &Programme,
    summary: &'a ProgrammeSummary,
    done: &'a [SiteDone],
    wave: Wave,
) -> Result<Typeset<'a>> {
    let (in_figures, other_waves): (Vec<&SiteDone>, Vec<&SiteDone>) =
        done.iter().partition(|s| s.latest.wave == Some(wave));
    let config = &programme.config;
    let (min, threshold) = (config.min_group_size, u64::from(config.site_threshold));
    let (history, history_path) = programme_history(plan, programme, summary, wave)?;
    let trend = history.trend(wave).map(|figures| ProgrammeTrendInputs {
        figures,
        bands: score::band_info(&plan.instrument),
    });
    let (data, charts) = report::programme::build(ProgrammeInputs {
        summary,
        not_this_wave: other_waves.iter().map(|s| s.job.name.clone()).collect(),
        cover: programme_cover(&config.name, wave, &in_figures),
        site_threshold: threshold,
        min_group_size: u64::from(min),
        trend,
    });
    let scores: Vec<SiteScores> = (in_figures.iter())
        .map(|s| SiteScores {
            id: &s.job.id,
            name: &s.job.name,
            scores: &s.latest.scores,
        })
        .collect();
    let made = ProgrammeMade {
        data,
        charts,
        name: config.name.clone(),
        wave: wave.to_string(),
        sites: scores,
        summary,
        history,
        history_path,
    };
    Ok(Typeset {
        report: Report::Programme(Box::new(made)),
        pdf: programme_pdf(programme, wave),
        main: PROGRAMME_MAIN_FILE,
        creation_timestamp: in_figures
            .iter()
            .map(|s| timestamp(&s.latest))
            .max()
            .unwrap_or(0),
    })
}

/// The programme report's cover: its name, the wave, and the survey period
/// from the first to the last response of the sites in its figures.
fn programme_cover(name: &str, wave: Wave, in_figures: &[&SiteDone]) -> ProgrammeCover {
    let periods: Vec<_> = (in_figures.iter())
        .filter_map(|s| s.latest.scores.period.as_ref())
        .collect();
    let first = periods.iter().map(|p| p.first).min();
    let last = periods.iter().map(|p| p.last).max();
    ProgrammeCover {
        programme: name.to_string(),
        wave: wave.to_string(),
        period: first.zip(last).map(|(f, l)| report::period_text(f, l)),
    }
}

/// The programme's history with this wave's published figures put in (not
/// yet saved: it is saved with the programme report), and where it lives.
fn programme_history(
    plan: &ReportPlan,
    programme: &Programme,
    summary: &ProgrammeSummary,
    wave: Wave,
) -> Result<(ProgrammeHistory, PathBuf)> {
    let config = &programme.config;
    let path = programme.reports_dir().join(PROGRAMME_HISTORY_FILE);
    let mut history = ProgrammeHistory::load(&path)?.unwrap_or_default();
    history.put(ProgrammeWave::from_summary(
        wave,
        summary,
        &plan.instrument,
        usize::from(config.min_group_size),
        u64::from(config.site_threshold),
    ));
    Ok((history, path))
}

/// The creation date of a wave's PDF: its last response in the figures, so
/// the same exports give the same PDF.
fn timestamp(run: &WaveRun) -> i64 {
    run.last_completed
        .map(|t| t.and_utc().timestamp())
        .unwrap_or(0)
}

/// Typesets one report and stages it with its side files; nothing is
/// replaced until the set is committed.
fn stage(plan: &ReportPlan, job: &Typeset) -> Result<OutputSet> {
    let folder = output::build_folder().context("cannot create a temporary build folder")?;
    let build = folder.path();
    let template = plan.settings.template.as_deref();
    match &job.report {
        Report::Site(site, compare) => write_site_job(plan, site, compare.clone(), build)?,
        Report::Programme(made) => {
            let (data, charts) = (&made.data, &made.charts);
            for warning in &report::programme::write_build_folder(build, data, charts, template)? {
                Log { verbose: false }.warn(warning);
            }
        }
    }
    let mut set = OutputSet::new();
    let main = build.join(job.main);
    super::report::stage_typeset(
        &mut set,
        plan,
        build,
        &main,
        &job.pdf,
        job.creation_timestamp,
    )?;
    match &job.report {
        Report::Site(site, _) => stage_site_files(&mut set, site, build)?,
        Report::Programme(made) => stage_programme_files(&mut set, made, &job.pdf)?,
    }
    Ok(set)
}

/// Stages the programme's figures JSON and CSV (beside its PDF) and its history.
fn stage_programme_files(set: &mut OutputSet, made: &ProgrammeMade, pdf: &Path) -> Result<()> {
    let figures = ProgrammeOutput::new(&made.name, &made.wave, &made.sites, made.summary)?;
    set.stage(&pdf.with_extension("json"), |temp| {
        Ok(figures.write_json(temp)?)
    })?;
    set.stage(&pdf.with_extension("csv"), |temp| {
        let file = std::io::BufWriter::new(std::fs::File::create(temp)?);
        Ok(figures.write_csv(file)?)
    })?;
    set.stage(&made.history_path, |temp| {
        output::write_json(temp, &made.history)
    })?;
    Ok(())
}

/// Stages a site's figures JSON, tidy CSV and history.
fn stage_site_files(set: &mut OutputSet, site: &SiteDone, build: &Path) -> Result<()> {
    let paths = &site.paths;
    std::fs::create_dir_all(output::parent_folder(&paths.history)).with_context(|| {
        format!(
            "cannot create the site folder for {}",
            paths.history.display()
        )
    })?;
    set.stage(&paths.figures, |temp| {
        std::fs::copy(build.join("figures.json"), temp)?;
        Ok(())
    })?;
    set.stage(&paths.csv, |temp| {
        let file = std::io::BufWriter::new(std::fs::File::create(temp)?);
        Ok(output::tidy::write_csv(&site.latest.scores, file)?)
    })?;
    set.stage(&paths.history, |temp| {
        output::write_json(temp, &site.history)
    })?;
    Ok(())
}

/// Names every failed site on stderr; an error (exit 1) when any failed.
fn finish(mut failures: Vec<Failure>, sites: usize, log: Log) -> Result<()> {
    failures.sort_by(|a, b| a.id.cmp(&b.id));
    if failures.is_empty() {
        log.info(|| format!("every site's report is written ({sites} sites)"));
        return Ok(());
    }
    for failure in &failures {
        eprintln!(
            "error: site {}: {}",
            failure.id,
            super::bounded_message(&format!("{:#}", failure.error))
        );
        if let Some(hint) = super::hint(&failure.error) {
            eprintln!("hint: {hint}");
        }
    }
    Err(anyhow!(
        "{} of {sites} sites could not be reported (named above); the other sites' reports were written, and the programme report was not replaced",
        failures.len()
    ))
}
