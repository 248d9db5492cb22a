//! The report command's plan: the flags and the project's settings turned,
//! once, into checked values, before any export is read.
//!
//! Over 600 lines only through the named list of reading and output flags
//! (the fingerprint hashes each by name, so a new flag must be named here)
//! and the programme folder's plan ([`Programme`]), which shares every check.
//!
//! Building a [`ReportPlan`] finds and checks typst, loads the settings, the
//! questionnaire and the mapping file, checks the template (files only, no
//! links), the logo (its bytes, not only its name) and `--keep-build` (absent
//! or empty), and checks every output that is already known (`--output`,
//! `--scores`, `--history`) against every input and every other output (see
//! [`crate::output::check_targets`]). After this nothing reads a flag. The
//! outputs named after the wave (a project's report and figures) are checked
//! before any export is read when the file names (or `--wave`) give the wave
//! ([`ReportPlan::check_named_outputs`]), and in any case once the exports are
//! read: [`ReportPlan::outputs`] checks the whole set again, before anything
//! is written.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Result, bail};

use super::Log;
use crate::cli::{ReadArgs, ReportCommand, UsageError};
use crate::ingest::ReadOptions;
use crate::instrument::{Instrument, MapOptions};
use crate::output::{Input, OutputError, Target, has_extension};
use crate::pipeline::sites::SiteJob;
use crate::pipeline::{self, Reading, Settings};
use crate::programme::ProgrammeConfig;
use crate::programme::config::PROGRAMME_FILE;
use crate::programme::route::SiteRouter;
use crate::project::exports::{EXPORT_EXTENSIONS, list_exports};
use crate::project::{Project, Wave};
use crate::report::{self, Typst};

/// Settings from the command line, else the project, else defaults.
fn resolve_settings(command: &ReportCommand, project: Option<&Project>) -> Settings {
    let config = project.map(|p| &p.config);
    Settings {
        // Control characters cannot be printed (a PDF/UA file may not
        // hold them): they are dropped at the door, as in cells.
        organisation: command
            .organisation
            .clone()
            .or_else(|| config?.organisation.clone())
            .map(|text| crate::text::strip_unprintable(&text).into_owned()),
        innovation: command
            .innovation
            .clone()
            .or_else(|| config?.innovation.clone())
            .map(|text| crate::text::strip_unprintable(&text).into_owned()),
        accent: command
            .accent
            .or_else(|| Some(config?.accent))
            .unwrap_or_default(),
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
        date_order: config.and_then(|c| c.date_order).map(|order| {
            crate::ingest::DateOrderSetting {
                order,
                from: "date-order in makeitstick.toml",
            }
        }),
    }
}

/// How the run finds its exports and names its outputs.
#[derive(Debug)]
pub enum Mode {
    /// In a project folder with no export named: every export in its exports
    /// folder; nothing is written when nothing changed since the last report.
    Scheduled(Project),
    /// In a project folder, with the exports named on the command line.
    ProjectExports(Project),
    /// Exports and `--output`, outside any project.
    Exports {
        /// `--output`: outside a project the PDF is always named.
        pdf: PathBuf,
    },
    /// In a programme folder (`programme.toml`): every site, and the programme.
    Programme(Box<Programme>),
}

impl Mode {
    /// The project, in either project mode.
    pub fn project(&self) -> Option<&Project> {
        match self {
            Mode::Scheduled(project) | Mode::ProjectExports(project) => Some(project),
            Mode::Exports { .. } | Mode::Programme(_) => None,
        }
    }
}

/// A programme folder's run, checked: its settings, where its sites' answers
/// come from, and every site with its own settings.
#[derive(Debug)]
pub struct Programme {
    /// The folder holding programme.toml; every path in it is relative to this.
    pub dir: PathBuf,
    /// programme.toml, validated.
    pub config: ProgrammeConfig,
    /// Site folders, or one combined export routed by the site question.
    pub source: ProgrammeSource,
    /// Every site, sorted by id, with its cover, accent and threshold (and,
    /// for folder sites, its exports).
    pub sites: Vec<SiteJob>,
}

/// Where a programme's answers come from.
#[derive(Debug)]
pub enum ProgrammeSource {
    /// `sites/<id>/exports/`, one folder per site.
    Folders,
    /// One export per wave in `exports/`, with a site question.
    Combined {
        /// Sends each row to its site.
        router: Box<SiteRouter>,
        /// The combined exports, one per wave.
        exports: Vec<PathBuf>,
    },
}

impl Programme {
    /// A path of programme.toml, relative to the programme folder.
    pub fn path(&self, relative: &Path) -> PathBuf {
        self.dir.join(relative)
    }

    /// The reports folder.
    pub fn reports_dir(&self) -> PathBuf {
        self.path(&self.config.reports)
    }

    /// A site's own folder, which holds its history.
    pub fn site_dir(&self, id: &str) -> PathBuf {
        self.path(&self.config.sites_dir).join(id)
    }

    /// The lock file that keeps two runs from writing at once.
    pub fn lock_path(&self) -> PathBuf {
        self.dir.join(crate::project::lock::LOCK_FILE)
    }

    /// Every export the run reads.
    pub fn exports(&self) -> Vec<PathBuf> {
        match &self.source {
            ProgrammeSource::Folders => self.sites.iter().flat_map(|s| s.exports.clone()).collect(),
            ProgrammeSource::Combined { exports, .. } => exports.clone(),
        }
    }
}

/// The formats `--scores` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoresFormat {
    /// Versioned JSON.
    Json,
    /// The tidy CSV.
    Csv,
}

impl ScoresFormat {
    /// Writes `scores` to `path` in this format.
    pub fn write(self, path: &Path, scores: &crate::score::Scores) -> Result<()> {
        match self {
            ScoresFormat::Json => crate::output::write_json(path, scores),
            ScoresFormat::Csv => {
                let file = std::io::BufWriter::new(std::fs::File::create(path)?);
                Ok(crate::output::tidy::write_csv(scores, file)?)
            }
        }
    }
}

/// One `--scores` file and its format.
#[derive(Debug, Clone)]
pub struct ScoresOutput {
    /// The file.
    pub path: PathBuf,
    /// From its extension.
    pub format: ScoresFormat,
}

/// Every output of one run, with its path settled and checked.
#[derive(Debug)]
pub struct Outputs {
    /// The PDF.
    pub pdf: PathBuf,
    /// A project's figures JSON for the wave, unless switched off.
    pub figures: Option<PathBuf>,
    /// `--scores` files.
    pub scores: Vec<ScoresOutput>,
    /// The history file, in a project or with `--history`.
    pub history: Option<PathBuf>,
}

impl Outputs {
    /// Every output but the PDF: the figures, the scores files and the history.
    pub fn side_files(&self) -> impl Iterator<Item = &PathBuf> {
        self.figures
            .iter()
            .chain(self.scores.iter().map(|s| &s.path))
            .chain(&self.history)
    }
}

/// Everything a report run needs, checked.
#[derive(Debug)]
pub struct ReportPlan {
    /// The checked typst.
    pub typst: Typst,
    /// Project or not, scheduled or not.
    pub mode: Mode,
    /// Cover, template, privacy and wave settings.
    pub settings: Settings,
    /// The questionnaire.
    pub instrument: Instrument,
    /// The exports to read (for a scheduled run, those in the exports folder).
    pub exports: Vec<PathBuf>,
    /// `--wave`, for a single export.
    pub wave: Option<Wave>,
    /// How to read the exports.
    pub read_options: ReadOptions,
    /// How to map their columns.
    pub map_options: MapOptions,
    /// `--output`, when given; otherwise the project names the PDF after the wave.
    pub pdf: Option<PathBuf>,
    /// `--scores` files.
    pub scores: Vec<ScoresOutput>,
    /// The history file.
    pub history: Option<PathBuf>,
    /// `--keep-build`: an absent or empty folder.
    pub keep_build: Option<PathBuf>,
    /// `--force`.
    pub force: bool,
    /// `--typst-timeout`.
    pub typst_timeout: Duration,
    /// The reader flags, and the outputs as given, by name, for the
    /// fingerprint of a scheduled run.
    pub flags_print: Vec<(&'static str, String)>,
    /// The mapping and profile files, by name, whose contents the
    /// fingerprint holds (their paths are among the flags).
    pub read_files: Vec<(&'static str, PathBuf)>,
    /// What no output may overwrite.
    inputs: Vec<Input>,
}

/// A programme's own rules over the settings: its privacy threshold, and its
/// name on the cover when no innovation is named.
fn programme_settings(programme: &Programme, settings: &mut Settings) {
    settings.min_group_size = usize::from(programme.config.min_group_size);
    settings.innovation =
        (settings.innovation.take()).or_else(|| Some(programme.config.name.clone()));
}

/// The exports this run reads: the exports folder of a scheduled project, a
/// programme's sites, else those named on the command line.
fn exports_of(mode: &Mode, command: &ReportCommand, log: Log) -> Result<Vec<PathBuf>> {
    Ok(match mode {
        Mode::Scheduled(project) => list_exports(&project.exports_dir(), log)?,
        Mode::Programme(programme) => programme.exports(),
        _ => command.exports.clone(),
    })
}

/// The files besides the exports whose contents the fingerprint holds.
fn read_files(command: &ReportCommand, mode: &Mode) -> Vec<(&'static str, PathBuf)> {
    let read = &command.scoring.read;
    let mut files: Vec<(&'static str, PathBuf)> =
        (read.mapping.iter().map(|p| ("mapping", p.clone())))
            .chain(read.profile.iter().map(|p| ("profile", p.clone())))
            .collect();
    if let Mode::Programme(programme) = mode {
        // Every site's settings are in it.
        files.push(("programme", programme.dir.join(PROGRAMME_FILE)));
    }
    files
}

impl ReportPlan {
    /// Builds and checks the plan from the command line; an error (a
    /// [`UsageError`] for exit code 2) before any export is read.
    pub fn build(command: ReportCommand, log: Log) -> Result<ReportPlan> {
        let typst = Typst::find(command.typst.path.as_deref())?;
        let mut mode = load_mode(&command, log)?;
        let project = mode.project();
        let mut settings = resolve_settings(&command, project);
        if let Mode::Programme(programme) = &mode {
            programme_settings(programme, &mut settings);
        }
        let instrument = match project {
            Some(project) => project.instrument(command.scoring.instrument.as_deref())?,
            None => Instrument::load(command.scoring.instrument.as_deref())?,
        };
        let template_files = match &settings.template {
            Some(dir) => report::template_files(dir)?,
            None => Vec::new(),
        };
        check_given_files(&command, &settings)?;
        let scores = scores_outputs(&command.scores)?;
        let (mut read_options, map_options) =
            reader_options(&command, project, &instrument, &settings)?;
        if let Mode::Programme(programme) = &mut mode {
            complete_programme(programme, &settings, &mut read_options, log)?;
        }
        let exports = exports_of(&mode, &command, log)?;
        let history =
            (command.history.clone()).or_else(|| mode.project().map(Project::history_path));
        check_waves_and_trial(&command, &exports, &read_options, history.as_deref())?;
        let inputs = inputs(
            &command,
            &mode,
            &settings,
            &template_files,
            &exports,
            &typst,
            history.as_deref(),
        );
        let plan = ReportPlan {
            // First: these borrow what later fields move.
            flags_print: flag_fields(&command),
            read_files: read_files(&command, &mode),
            typst,
            mode,
            settings,
            instrument,
            exports,
            wave: command.wave,
            read_options,
            map_options,
            pdf: command.output,
            scores,
            history,
            keep_build: command.keep_build,
            force: command.force,
            typst_timeout: Duration::from_secs(command.typst.timeout),
            inputs,
        };
        crate::output::check_targets(&plan.known_targets(), &plan.inputs)?;
        Ok(plan)
    }

    /// How this run reads, scores and names its exports.
    pub fn reading(&self) -> Reading<'_> {
        Reading {
            instrument: &self.instrument,
            read_options: &self.read_options,
            map_options: &self.map_options,
            settings: &self.settings,
            wave: self.wave,
            // One export and no history: the report needs no wave.
            allow_undated: self.exports.len() == 1 && self.history.is_none(),
            site: None,
            export_last: None,
        }
    }

    /// The fingerprint of everything this run's report depends on.
    pub fn fingerprint(&self) -> Result<String> {
        pipeline::fingerprint(
            &self.settings,
            &self.flags_print,
            &self.instrument,
            &self.exports,
            &self.read_files,
        )
    }

    /// The lock file that keeps two runs apart, when the run writes a history.
    pub fn lock_path(&self) -> Option<PathBuf> {
        lock_path(self.mode.project(), self.history.as_deref())
    }

    /// The outputs known before the exports are read.
    fn known_targets(&self) -> Vec<Target> {
        let mut targets = Vec::new();
        if let Some(pdf) = &self.pdf {
            targets.push(Target::new("report", pdf));
        }
        targets.extend(self.scores.iter().map(|s| Target::new("scores", &s.path)));
        if let Some(history) = &self.history {
            targets.push(Target {
                read_first: true,
                ..Target::new("history", history)
            });
        }
        targets
    }

    /// True for the scheduled run of a project.
    pub fn scheduled(&self) -> bool {
        matches!(self.mode, Mode::Scheduled(_))
    }

    /// Every output of this run, once the latest wave is known, checked as a
    /// whole (a project's report folder is created here when missing).
    pub fn outputs(&self, wave: Option<Wave>) -> Result<Outputs> {
        if let (None, Some(project)) = (&self.pdf, self.mode.project()) {
            let folder = project.reports_dir();
            std::fs::create_dir_all(&folder).map_err(|source| {
                anyhow::Error::new(source).context(format!(
                    "cannot create the reports folder {}",
                    folder.display()
                ))
            })?;
        }
        let (pdf, figures) = self.paths_for(wave)?;
        crate::output::check_targets(&self.targets_for(&pdf, figures.as_deref()), &self.inputs)?;
        Ok(Outputs {
            pdf,
            figures,
            scores: self.scores.clone(),
            history: self.history.clone(),
        })
    }

    /// The PDF and figures paths for `wave`.
    fn paths_for(&self, wave: Option<Wave>) -> Result<(PathBuf, Option<PathBuf>)> {
        let project = match &self.mode {
            Mode::Exports { pdf } => return Ok((pdf.clone(), None)),
            Mode::Programme(_) => bail!("a programme names its outputs per site"),
            Mode::Scheduled(project) | Mode::ProjectExports(project) => project,
        };
        let figures = wave.and_then(|w| project.figures_path(&w));
        match (&self.pdf, wave) {
            (Some(pdf), _) => Ok((pdf.clone(), figures)),
            (None, Some(wave)) => Ok((project.report_path(&wave), figures)),
            (None, None) => {
                bail!("a project's report is named after its wave, and this export has none")
            }
        }
    }

    /// Every output: the PDF, the figures, then those known from the flags.
    fn targets_for(&self, pdf: &Path, figures: Option<&Path>) -> Vec<Target> {
        let mut targets = vec![Target::new("report", pdf)];
        targets.extend(figures.map(|f| Target::new("figures", f)));
        targets.extend(
            self.known_targets()
                .into_iter()
                .skip(usize::from(self.pdf.is_some())),
        );
        targets
    }

    /// The latest wave, when it is known before reading: from `--wave`, or
    /// when every export names its wave in its file name.
    fn named_wave(&self) -> Option<Wave> {
        if self.wave.is_some() {
            return self.wave;
        }
        let waves: Option<Vec<Wave>> = self
            .exports
            .iter()
            .map(|e| Wave::in_file_name(&e.file_name()?.to_string_lossy()))
            .collect();
        waves?.into_iter().max()
    }

    /// Checks the outputs named after the wave already, when the wave is
    /// known from the names and the reports folder exists; otherwise they are
    /// checked by [`ReportPlan::outputs`] once the exports are read. Called
    /// after the up-to-date check, so that a scheduled run with nothing new
    /// still writes nothing and exits 0 whatever lies in the reports folder.
    pub fn check_named_outputs(&self) -> Result<()> {
        let Some(wave) = self.named_wave() else {
            return Ok(());
        };
        let Some(project) = self.mode.project() else {
            return Ok(());
        };
        if !project.reports_dir().is_dir() {
            return Ok(());
        }
        let (pdf, figures) = self.paths_for(Some(wave))?;
        crate::output::check_targets(&self.targets_for(&pdf, figures.as_deref()), &self.inputs)?;
        Ok(())
    }
}

/// The run's mode, with its project when it has one; a usage error when
/// neither a project nor the exports and `--output` are given.
fn load_mode(command: &ReportCommand, log: Log) -> Result<Mode> {
    if let Some(path) = programme_file(command) {
        return programme_mode(command, &path, log);
    }
    let Some(config_path) = Project::find(command.config.as_deref()) else {
        return exports_mode(command);
    };
    let project = Project::load(&config_path)?;
    log.info(|| format!("settings: {}", project.config_path.display()));
    Ok(if command.exports.is_empty() {
        Mode::Scheduled(project)
    } else {
        Mode::ProjectExports(project)
    })
}

/// The mode outside a project: the exports and `--output` must be given.
fn exports_mode(command: &ReportCommand) -> Result<Mode> {
    if command.exports.is_empty() {
        return Err(UsageError::report(
            "no EXPORT given, and there is no makeitstick.toml in this folder\n\n\
             Give the exports and --output, run in a project folder (see `makeitstick init`), or use --config FILE.",
        )
        .into());
    }
    match &command.output {
        Some(pdf) => Ok(Mode::Exports { pdf: pdf.clone() }),
        None => Err(UsageError::report(
            "--output FILE.pdf is needed outside a project folder (one with a makeitstick.toml)",
        )
        .into()),
    }
}

/// programme.toml, when `--config` names it or, with no `--config`, it is in
/// this folder without a makeitstick.toml (a project's settings come first).
fn programme_file(command: &ReportCommand) -> Option<PathBuf> {
    match &command.config {
        Some(path) => (path.file_name()? == PROGRAMME_FILE).then(|| path.clone()),
        None => {
            let here = Path::new(PROGRAMME_FILE);
            let project = Path::new(crate::project::config::CONFIG_FILE);
            (here.is_file() && !project.is_file()).then(|| here.to_path_buf())
        }
    }
}

/// The flags a programme run refuses, each with why: every output is named
/// after its site and wave, and each site's settings are in programme.toml.
fn programme_misuse(command: &ReportCommand) -> Option<&'static str> {
    let given = [
        (
            !command.exports.is_empty(),
            "exports on the command line: a programme reads every site's exports from its folders (sites/<id>/exports/, or exports/ for a combined export)",
        ),
        (
            command.output.is_some(),
            "--output: a programme writes one report per site and one for the programme, named after the wave in the reports folder",
        ),
        (
            !command.scores.is_empty(),
            "--scores: a programme writes every site's figures beside its report",
        ),
        (
            command.history.is_some(),
            "--history: a programme keeps each site's history in its folder under sites/",
        ),
        (
            command.wave.is_some(),
            "--wave: a programme names each wave from its export's file name or last completion date",
        ),
        (
            command.keep_build.is_some(),
            "--keep-build: a programme makes many reports; run one site alone to keep its build folder",
        ),
        (
            command.organisation.is_some(),
            "--organisation: each site's organisation is set in programme.toml (organisation = ...)",
        ),
        (
            command.scoring.min_group_size.is_some(),
            "--min-group-size: a programme's threshold is min-group-size in programme.toml",
        ),
        (
            command.scoring.read.keep_test_responses,
            "--keep-test-responses: a programme keeps histories, which never hold test responses",
        ),
    ];
    given.into_iter().find(|(on, _)| *on).map(|(_, why)| why)
}

/// The programme mode: programme.toml loaded and checked, and every folder
/// under the sites folder a declared site; a usage error for a flag that
/// makes no sense in a programme. Sites and exports are completed by
/// [`complete_programme`] once the reader's options are known.
fn programme_mode(command: &ReportCommand, path: &Path, log: Log) -> Result<Mode> {
    if let Some(why) = programme_misuse(command) {
        return Err(UsageError::report(&format!(
            "this is a programme folder ({PROGRAMME_FILE}), which takes no {why}\n\n\
             Run `makeitstick report` in the programme folder with no exports, or report on one site outside it."
        ))
        .into());
    }
    let config = ProgrammeConfig::load(path)?;
    log.info(|| format!("programme settings: {}", path.display()));
    let dir = crate::output::parent_folder(path).to_path_buf();
    let sites_dir = dir.join(&config.sites_dir);
    let folders = folder_names(&sites_dir)?;
    config
        .check_site_folders(folders.iter().map(String::as_str))
        .map_err(|problem| crate::programme::ProgrammeError::InvalidConfig {
            path: path.to_path_buf(),
            problem,
        })?;
    let source = match SiteRouter::new(&config).map_err(crate::programme::ProgrammeError::from)? {
        None => ProgrammeSource::Folders,
        Some(router) => ProgrammeSource::Combined {
            router: Box::new(router),
            exports: list_exports(&dir.join(&config.exports), log)?,
        },
    };
    Ok(Mode::Programme(Box::new(Programme {
        dir,
        config,
        source,
        sites: Vec::new(),
    })))
}

/// The names of the folders in `dir` (none when it does not exist).
fn folder_names(dir: &Path) -> Result<Vec<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => {
            return Err(anyhow::Error::new(error)
                .context(format!("cannot read the sites folder {}", dir.display())));
        }
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

/// Every site's settings and exports, the reports folders made and checked
/// writable, and for a combined export the site column kept by the reader.
fn complete_programme(
    programme: &mut Programme,
    base: &Settings,
    read_options: &mut ReadOptions,
    log: Log,
) -> Result<()> {
    let mut sites = Vec::new();
    for site in &programme.config.sites {
        sites.push(site_job(programme, site, base, log)?);
    }
    sites.sort_by(|a, b| a.id.cmp(&b.id));
    programme.sites = sites;
    if let ProgrammeSource::Combined { router, .. } = &programme.source {
        let questions = read_options
            .questions
            .take()
            .expect("reader_options sets the questions");
        read_options.questions = Some(router.questions(questions));
    }
    let sites_reports = programme.reports_dir().join("sites");
    std::fs::create_dir_all(&sites_reports).map_err(|source| {
        anyhow::Error::new(source).context(format!(
            "cannot create the reports folder {}",
            sites_reports.display()
        ))
    })?;
    for folder in [programme.reports_dir(), sites_reports] {
        tempfile::tempfile_in(&folder).map_err(|source| {
            anyhow::Error::new(source).context(format!(
                "cannot write in the reports folder {}; check its permissions",
                folder.display()
            ))
        })?;
    }
    Ok(())
}

/// One site's settings (its cover, accent and threshold over the run's) and, for a folder site, its exports.
fn site_job(
    programme: &Programme,
    site: &crate::programme::config::Site,
    base: &Settings,
    log: Log,
) -> Result<SiteJob> {
    let exports_dir = programme.site_dir(&site.id).join("exports");
    let exports = match &programme.source {
        ProgrammeSource::Folders if exports_dir.is_dir() => list_exports(&exports_dir, log)?,
        _ => Vec::new(),
    };
    let accent = match &site.accent {
        Some(text) => text.parse().map_err(|why: String| {
            anyhow::anyhow!("the programme settings: site {:?}: accent {why}", site.id)
        })?,
        None => base.accent,
    };
    let settings = Settings {
        organisation: Some(
            site.organisation
                .clone()
                .unwrap_or_else(|| site.name.clone()),
        ),
        accent,
        min_group_size: usize::from(site.min_group_size(&programme.config)),
        ..base.clone()
    };
    Ok(SiteJob {
        id: site.id.clone(),
        name: site.name.clone(),
        settings,
        exports,
    })
}

/// What a programme run reads besides the exports: programme.toml and every
/// exports folder, which no output may land in.
fn programme_inputs(programme: &Programme) -> Vec<Input> {
    let mut inputs = vec![Input::file(
        "the programme settings",
        &programme.dir.join(PROGRAMME_FILE),
    )];
    let folders = programme
        .sites
        .iter()
        .map(|site| programme.site_dir(&site.id).join("exports"))
        .chain(std::iter::once(programme.path(&programme.config.exports)));
    inputs
        .extend(folders.map(|dir| Input::folder_of("an exports folder", &dir, &EXPORT_EXTENSIONS)));
    inputs.push(Input::file("the lock file", &programme.lock_path()));
    inputs
}

/// Checks `--output`'s extension, the logo's bytes and that `--keep-build` is absent or empty.
fn check_given_files(command: &ReportCommand, settings: &Settings) -> Result<()> {
    if let Some(pdf) = &command.output
        && !has_extension(pdf, &["pdf"])
    {
        return Err(OutputError::Extension {
            what: "report",
            path: pdf.clone(),
            extension: ".pdf",
        }
        .into());
    }
    if let Some(logo) = &settings.logo {
        report::Logo::check(logo)?;
    }
    if let Some(keep) = &command.keep_build {
        crate::output::check_keep_build(keep)?;
    }
    Ok(())
}

/// How to read the exports and map their columns, from the flags and the project.
fn reader_options(
    command: &ReportCommand,
    project: Option<&Project>,
    instrument: &Instrument,
    settings: &Settings,
) -> Result<(ReadOptions, MapOptions)> {
    // Reads the mapping file, if any, so a bad one fails before the lock is taken.
    let mut map_options = command.scoring.read.map_options()?;
    if command.scoring.read.unknown_groups.is_none()
        && let Some(project) = project
    {
        map_options.unknown_groups = project.config.unknown_groups;
    }
    let mut read_options = command.scoring.read.read_options();
    // The reader never drops a question of the questionnaire for its content.
    read_options.questions = Some(crate::instrument::question_columns(
        instrument,
        &map_options,
    ));
    read_options.date_order = read_options.date_order.or(settings.date_order);
    Ok((read_options, map_options))
}

/// `--wave` names one export's wave; a trial run on previews keeps no history.
fn check_waves_and_trial(
    command: &ReportCommand,
    exports: &[PathBuf],
    read_options: &ReadOptions,
    history: Option<&Path>,
) -> Result<()> {
    if command.wave.is_some() && exports.len() != 1 {
        bail!(
            "--wave names the wave of a single export, but {} exports are being read; \
             put each wave in its file name instead (survey-2026-Q3.xlsx)",
            exports.len()
        );
    }
    // A trial run on previews must never become a wave of the real survey.
    if read_options.keep_test_responses
        && let Some(history) = history
    {
        bail!(
            "--keep-test-responses is for trying a survey out, and test responses never go \
             into a history, but this run keeps one at {}; run it outside the project folder \
             without --history: makeitstick report EXPORT -o trial.pdf --keep-test-responses",
            history.display()
        );
    }
    Ok(())
}

/// Everything the run reads, which no output may overwrite.
fn inputs(
    command: &ReportCommand,
    mode: &Mode,
    settings: &Settings,
    template_files: &[PathBuf],
    exports: &[PathBuf],
    typst: &Typst,
    history: Option<&Path>,
) -> Vec<Input> {
    let project = mode.project();
    let mut inputs: Vec<Input> = exports
        .iter()
        .map(|e| Input::file("the export", e))
        .collect();
    let instrument_file = command
        .scoring
        .instrument
        .clone()
        .or_else(|| project?.instrument_path());
    inputs.extend(instrument_file.map(|p| Input::file("the questionnaire", &p)));
    inputs.extend(settings.logo.as_ref().map(|p| Input::file("the logo", p)));
    if let Some(dir) = &settings.template {
        inputs.push(Input::folder("the template folder", dir));
        inputs.extend(
            template_files
                .iter()
                .map(|f| Input::file("the template file", f)),
        );
    }
    let read = &command.scoring.read;
    inputs.extend(read.mapping.iter().map(|p| Input::file("the mapping", p)));
    inputs.extend(read.profile.iter().map(|p| Input::file("the profile", p)));
    inputs.push(Input::file("the typst program", typst.path()));
    if let Some(project) = project {
        inputs.push(Input::file("the settings", &project.config_path));
        // A file written there would be read as an export next time.
        inputs.push(Input::folder_of(
            "the exports folder",
            &project.exports_dir(),
            &EXPORT_EXTENSIONS,
        ));
    }
    if let Some(keep) = &command.keep_build {
        inputs.push(Input::folder("the --keep-build folder", keep));
    }
    if let Some(lock) = lock_path(project, history) {
        inputs.push(Input::file("the lock file", &lock));
    }
    if let Mode::Programme(programme) = mode {
        inputs.extend(programme_inputs(programme));
    }
    inputs
}

/// The reader flags and the outputs as given, each by name, for the
/// fingerprint: a new reader flag must be named here to compile.
fn flag_fields(command: &ReportCommand) -> Vec<(&'static str, String)> {
    let ReadArgs {
        format,
        encoding,
        delimiter,
        header_rows,
        profile,
        sheet,
        missing_codes,
        mapping,
        date_order,
        unknown_groups,
        keep_incomplete,
        keep_duplicates,
        keep_test_responses,
    } = &command.scoring.read;
    let path = |p: Option<&PathBuf>| p.map(|p| p.to_string_lossy().into_owned());
    let fields = [
        ("format", format.map(|f| format!("{f:?}"))),
        ("encoding", encoding.map(|e| e.name().to_string())),
        ("delimiter", delimiter.map(|d| d.to_string())),
        ("header-rows", header_rows.map(|n| n.to_string())),
        ("profile", path(profile.as_ref())),
        ("sheet", sheet.clone()),
        ("mapping", path(mapping.as_ref())),
        ("date-order", date_order.map(|d| format!("{d:?}"))),
        ("unknown-groups", unknown_groups.map(|u| format!("{u:?}"))),
        ("keep-incomplete", Some(keep_incomplete.to_string())),
        ("keep-duplicates", Some(keep_duplicates.to_string())),
        ("keep-test-responses", Some(keep_test_responses.to_string())),
        ("output", path(command.output.as_ref())),
    ];
    let codes = missing_codes
        .iter()
        .map(|c| ("missing-code", Some(c.clone())));
    let scores = command.scores.iter().map(|p| ("scores", path(Some(p))));
    fields
        .into_iter()
        .chain(codes)
        .chain(scores)
        .map(|(name, value)| (name, value.unwrap_or_default()))
        .collect()
}

/// The `--scores` files, each with the format its extension says.
fn scores_outputs(paths: &[PathBuf]) -> Result<Vec<ScoresOutput>> {
    paths
        .iter()
        .map(|path| {
            let format = if has_extension(path, &["json"]) {
                ScoresFormat::Json
            } else if has_extension(path, &["csv"]) {
                ScoresFormat::Csv
            } else {
                bail!(
                    "--scores {}: the file name must end in .json or .csv, which says the format",
                    path.display()
                );
            };
            Ok(ScoresOutput {
                path: path.clone(),
                format,
            })
        })
        .collect()
}

/// The lock file: the project's, else one beside the history.
fn lock_path(project: Option<&Project>, history: Option<&Path>) -> Option<PathBuf> {
    match (project, history) {
        (Some(project), _) => Some(project.lock_path()),
        (None, Some(history)) => {
            Some(crate::output::parent_folder(history).join(crate::project::lock::LOCK_FILE))
        }
        (None, None) => None,
    }
}
