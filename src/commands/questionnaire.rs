//! `makeitstick questionnaire`: the instrument → paper form (PDF), data-entry
//! workbook, XLSForm and Forms text, in one folder.
//!
//! Typst, the instrument and every output path are checked before anything is
//! written; all files are written to temporary files first and renamed into
//! place together, so a failure leaves the folder as it was.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

use super::Log;
use crate::cli::QuestionnaireCommand;
use crate::instrument::Instrument;
use crate::output::{OutputSet, Target, check_targets};
use crate::project::Project;
use crate::questionnaire::forms_text::{self, Platform};
use crate::questionnaire::{Form, QuestionnaireError, pdf, workbook, xlsform};
use crate::report::Typst;

/// The files written, each with how a message names it.
struct Files {
    pdf: PathBuf,
    workbook: PathBuf,
    xlsform: PathBuf,
    microsoft: PathBuf,
    google: PathBuf,
}

impl Files {
    fn in_folder(dir: &Path, easy_read: bool) -> Files {
        Files {
            pdf: dir.join(if easy_read {
                "questionnaire-easy-read.pdf"
            } else {
                "questionnaire.pdf"
            }),
            workbook: dir.join("data-entry.xlsx"),
            xlsform: dir.join("xlsform.xlsx"),
            microsoft: dir.join("microsoft-forms.txt"),
            google: dir.join("google-forms.txt"),
        }
    }

    fn targets(&self) -> Vec<Target> {
        vec![
            Target::new("printable questionnaire", &self.pdf),
            Target::new("data-entry workbook", &self.workbook),
            Target::new("XLSForm", &self.xlsform),
            Target::new("Microsoft Forms text", &self.microsoft),
            Target::new("Google Forms text", &self.google),
        ]
    }
}

/// Runs the questionnaire command.
pub fn run(command: QuestionnaireCommand, log: Log) -> Result<()> {
    // The plan: the questionnaire, typst and every output checked before any work.
    let instrument = instrument(&command)?;
    let typst = Typst::find(command.typst.path.as_deref())?;
    let files = Files::in_folder(&command.output, command.easy_read);
    let targets = files.targets();
    std::fs::create_dir_all(&command.output)
        .with_context(|| format!("cannot make the folder {}", command.output.display()))?;
    check_targets(&targets, &[])?;

    // Everything is made in a folder beside the outputs, then compared with
    // what is there: a file that would not change is left alone, so the
    // easy-read run after the standard one (or any re-run) needs no --force,
    // while a data-entry workbook that holds typed-in forms is never replaced
    // without it.
    let staging = tempfile::Builder::new()
        .prefix(".makeitstick-questionnaire-")
        .tempdir_in(&command.output)
        .with_context(|| format!("cannot write in the folder {}", command.output.display()))?;
    let staged = |path: &Path| staging.path().join(path.file_name().expect("a file name"));
    make(&command, &instrument, &typst, &files, &staged, log)?;
    replace_changed(&targets, &staged, command.force, log)
}

/// The questionnaire in use: the project's, `--instrument`, or the built-in one.
fn instrument(command: &QuestionnaireCommand) -> Result<Instrument> {
    let project = Project::find(command.config.as_deref())
        .map(|config| Project::load(&config))
        .transpose()?;
    Ok(match &project {
        Some(project) => project.instrument(command.instrument.as_deref())?,
        None => Instrument::load(command.instrument.as_deref())?,
    })
}

/// Writes every file into the staging folder (`staged` names each one there).
fn make(
    command: &QuestionnaireCommand,
    instrument: &Instrument,
    typst: &Typst,
    files: &Files,
    staged: &dyn Fn(&Path) -> PathBuf,
    log: Log,
) -> Result<()> {
    // Only the paper form has an easy-read version; the others always ask the standard wording.
    let form = Form::new(instrument, false);
    let paper = Form::new(instrument, command.easy_read);
    let timeout = Duration::from_secs(command.typst.timeout);
    for warning in pdf::compile(typst, &paper, &staged(&files.pdf), timeout)? {
        log.warn(&warning);
    }
    workbook::write(&form, &staged(&files.workbook))?;
    xlsform::write(&form, &staged(&files.xlsform))?;
    std::fs::write(
        staged(&files.microsoft),
        forms_text::text(&form, Platform::MicrosoftForms),
    )?;
    std::fs::write(
        staged(&files.google),
        forms_text::text(&form, Platform::GoogleForms),
    )?;
    Ok(())
}

/// Puts in place, all or nothing, each staged file that differs from the one
/// there; a file that exists and would change needs `--force`.
fn replace_changed(
    targets: &[Target],
    staged: &dyn Fn(&Path) -> PathBuf,
    force: bool,
    log: Log,
) -> Result<()> {
    let mut changed = Vec::new();
    let mut differing = Vec::new();
    for target in targets {
        let new = std::fs::read(staged(&target.path))?;
        match std::fs::read(&target.path) {
            Ok(old) if old == new => {
                log.info(|| format!("{} is unchanged", target.path.display()));
                continue;
            }
            Ok(_) => differing.push(target.path.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(_) => differing.push(target.path.clone()),
        }
        changed.push(target);
    }
    if !force && !differing.is_empty() {
        return Err(QuestionnaireError::Exists { paths: differing }.into());
    }
    let mut set = OutputSet::new();
    for target in &changed {
        set.stage(&target.path, |temp| {
            std::fs::copy(staged(&target.path), temp)?;
            Ok(())
        })?;
    }
    set.commit()?;
    for target in changed {
        log.info(|| format!("wrote the {} to {}", target.what, target.path.display()));
    }
    Ok(())
}
