//! `makeitstick init`: a new project folder, written without questions, then
//! read back to prove it works.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use include_dir::{Dir, include_dir};

use super::config::{CONFIG_FILE, Project, template_text};
use super::{ProjectError, WaveScheme};
use crate::instrument::{self, Instrument, Origin};

/// The template files, embedded so `init` can write copies to customise.
static TEMPLATE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/report-templates");

/// The instrument copy's name.
pub const INSTRUMENT_FILE: &str = "instrument.toml";
/// The template copies' folder.
pub const TEMPLATE_DIR: &str = "template";
/// The folder's README.
pub const README_FILE: &str = "README.md";

/// What `init` puts in the settings.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    /// The organisation's name.
    pub organisation: Option<String>,
    /// The innovation's name.
    pub innovation: Option<String>,
    /// How waves are named.
    pub waves: WaveScheme,
}

/// Writes a project folder at `dir` (created when missing) and loads it back.
/// Refuses, writing nothing, when any file it would write already exists.
/// Returns the files and folders written.
pub fn init(dir: &Path, options: &InitOptions) -> Result<Vec<PathBuf>> {
    let template_files = typst_files(&TEMPLATE);
    // The template's subfolders (sections/), each once, after the template folder.
    let mut template_folders: Vec<PathBuf> = Vec::new();
    for file in &template_files {
        if let Some(parent) = file.path().parent().filter(|p| !p.as_os_str().is_empty()) {
            let folder = dir.join(TEMPLATE_DIR).join(parent);
            if !template_folders.contains(&folder) {
                template_folders.push(folder);
            }
        }
    }
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (
            dir.join(CONFIG_FILE),
            template_text(
                options.organisation.as_deref(),
                options.innovation.as_deref(),
                options.waves,
            )
            .into_bytes(),
        ),
        (
            dir.join(INSTRUMENT_FILE),
            instrument::BUILT_IN.as_bytes().to_vec(),
        ),
        (dir.join(README_FILE), README.as_bytes().to_vec()),
    ];
    for file in template_files {
        files.push((
            dir.join(TEMPLATE_DIR).join(file.path()),
            file.contents().to_vec(),
        ));
    }
    let folders = [
        dir.to_path_buf(),
        dir.join("exports"),
        dir.join("reports"),
        dir.join(TEMPLATE_DIR),
    ]
    .into_iter()
    .chain(template_folders)
    .collect();
    let written = write_new(folders, files)?;

    // Read back what was written, exactly as `report` will.
    let project = Project::load(&dir.join(CONFIG_FILE))?;
    project
        .instrument(None)
        .context("the folder was written, but its instrument does not load")?;
    Ok(written)
}

/// Writes a programme folder at `dir` (created when missing): a commented
/// `programme.toml` naming the programme `name`, `reports/`, and `sites/` with
/// an exports folder for each example site; then loads it back as `report`
/// will. Refuses, writing nothing, when `programme.toml` already exists.
pub fn init_programme(dir: &Path, name: &str) -> Result<Vec<PathBuf>> {
    let config_path = dir.join(crate::programme::config::PROGRAMME_FILE);
    let config = crate::programme::template::template_text(name);
    // The name is the only thing from outside: a name the template cannot
    // hold is refused before anything is written.
    let parsed = crate::programme::ProgrammeConfig::parse(&config, &config_path)?;
    let sites = dir.join("sites");
    // Folders already under sites/ must be sites of the new file, or the
    // folder would be written and then fail to load.
    if sites.is_dir() {
        check_sites(&parsed, &sites, &config_path)?;
    }
    let mut folders = vec![dir.to_path_buf(), dir.join("reports"), sites.clone()];
    for id in crate::programme::template::EXAMPLE_SITES {
        folders.push(sites.join(id).join("exports"));
    }
    let written = write_new(folders, vec![(config_path.clone(), config.into_bytes())])?;
    let loaded = crate::programme::ProgrammeConfig::load(&config_path)?;
    check_sites(&loaded, &sites, &config_path)?;
    Ok(written)
}

/// Checks that every folder in `sites` is a site of `config` (read from `path`).
fn check_sites(
    config: &crate::programme::ProgrammeConfig,
    sites: &Path,
    path: &Path,
) -> Result<()> {
    let names = site_folders(sites)?;
    config
        .check_site_folders(names.iter().map(String::as_str))
        .map_err(|problem| crate::programme::ProgrammeError::InvalidConfig {
            path: path.to_path_buf(),
            problem,
        })?;
    Ok(())
}

/// The names of the folders in `dir`.
pub fn site_folders(dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the folder {}", dir.display()))?
    {
        let entry = entry.with_context(|| format!("cannot read the folder {}", dir.display()))?;
        if entry.path().is_dir() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

/// Creates `folders`, then writes `files`; refuses, writing nothing, when
/// any of the files exists. Returns the folders and files written.
fn write_new(folders: Vec<PathBuf>, files: Vec<(PathBuf, Vec<u8>)>) -> Result<Vec<PathBuf>> {
    let taken: Vec<PathBuf> = files
        .iter()
        .map(|(path, _)| path.clone())
        // A link counts as taken, even a broken one: writing would create its target.
        .filter(|path| std::fs::symlink_metadata(path).is_ok())
        .collect();
    if !taken.is_empty() {
        return Err(ProjectError::AlreadyExists { paths: taken }.into());
    }
    let mut written = Vec::new();
    for folder in folders {
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("cannot create the folder {}", folder.display()))?;
        written.push(folder);
    }
    for (path, bytes) in files {
        // create_new: never through a link, never over a file made since the check.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut file| std::io::Write::write_all(&mut file, &bytes))
            .with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// Every `.typ` file of the built-in template, in its subfolders too.
fn typst_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<_> = dir
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "typ"))
        .collect();
    for sub in dir.dirs() {
        files.extend(typst_files(sub));
    }
    files
}

impl Project {
    /// The instrument to use: `explicit` (a `--instrument` flag), else the
    /// config's, else the built-in one; with the config's extra group answers added.
    pub fn instrument(&self, explicit: Option<&Path>) -> Result<Instrument> {
        let path = explicit
            .map(Path::to_path_buf)
            .or_else(|| self.instrument_path());
        let mut instrument = Instrument::load(path.as_deref())?;
        if self.config.group_answers.is_empty() {
            return Ok(instrument);
        }
        for (id, answers) in &self.config.group_answers {
            let Some(group) = instrument
                .groups
                .as_mut()
                .and_then(|g| g.options.iter_mut().find(|g| g.id == *id))
            else {
                let known: Vec<&str> = instrument
                    .group_options()
                    .iter()
                    .map(|g| g.id.as_str())
                    .collect();
                if known.is_empty() {
                    return Err(ProjectError::InvalidConfig {
                        path: self.config_path.clone(),
                        problem: format!(
                            "group-answers names the group {id:?}, but the instrument has no [groups]"
                        ),
                    }
                    .into());
                }
                return Err(ProjectError::InvalidConfig {
                    path: self.config_path.clone(),
                    problem: format!(
                        "group-answers names the group {id:?}, which the instrument does not have; its groups are {}",
                        known.join(", ")
                    ),
                }
                .into());
            };
            group.answers.extend(answers.iter().cloned());
        }
        // Parse the extended instrument again, so the instrument's own checks (an
        // answer may belong to one group only) apply to the added answers too.
        let text = toml::to_string(&instrument)
            .context("cannot combine the instrument with group-answers")?;
        Ok(Instrument::parse(
            &text,
            Origin::File(self.config_path.clone()),
        )?)
    }
}

/// The folder's README: the routine in plain English.
const README: &str = r#"# Make It Stick reports

This folder makes the Make It Stick improvement report every quarter.

## Every quarter

1. Download the survey responses from your survey platform (Microsoft Forms,
   Google Forms, SurveyMonkey, Qualtrics, ...) as Excel or CSV.
2. Save the file in the `exports` folder. One file per survey round (wave).
   Put the quarter in the file name if you like, such as `survey-2026-Q3.xlsx`;
   otherwise the quarter is worked out from when people finished the survey.
3. Run `makeitstick report` in this folder (or let the scheduled task run it).
4. The report appears in the `reports` folder, named after the quarter.

The report compares this quarter with the earlier ones. A change is only
called a change when it is bigger than what chance alone could explain.

## What is in this folder

- `makeitstick.toml`: the settings (organisation name, privacy threshold,
  folders, file names). Each setting is explained inside the file.
- `instrument.toml`: the questionnaire. Edit it if your survey uses different
  wording or extra answers. If you change a statement, earlier quarters are
  only compared on the statements that stayed the same.
- `template/`: copies of the report layout, for people who know Typst. They are
  only used if you switch them on in `makeitstick.toml`.
- `exports/`: survey downloads. These hold people's answers: keep this folder
  private and delete old exports when your data policy says so. Reports and the
  history do not need them any more once a quarter's report is made.
- `reports/`: the reports, and the same figures as JSON for anyone who wants
  to use them elsewhere.
- `makeitstick-history.json`: each quarter's published figures, kept so that
  trends can be drawn. It holds no one's answers, and leaves out any group
  smaller than the privacy threshold. Keep it, and back it up: if it is lost,
  quarters whose exports have been deleted drop out of the trend.

## If something goes wrong

`makeitstick report` prints nothing when all is well. When something is wrong
it prints a message starting `error:` and a `hint:` saying what to do.
Run `makeitstick report -v` to see what it is doing.
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_writes_a_folder_that_loads_and_refuses_to_overwrite_it() {
        let dir = tempfile::tempdir().unwrap();
        let project_dir = dir.path().join("project");
        let written = init(&project_dir, &InitOptions::default()).unwrap();
        assert!(written.contains(&project_dir.join(CONFIG_FILE)));
        assert!(project_dir.join("template/report.typ").is_file());
        assert!(project_dir.join("exports").is_dir());
        let before = std::fs::read(project_dir.join(CONFIG_FILE)).unwrap();
        let error = init(&project_dir, &InitOptions::default()).unwrap_err();
        assert!(error.to_string().contains("makeitstick.toml"), "{error}");
        assert_eq!(
            std::fs::read(project_dir.join(CONFIG_FILE)).unwrap(),
            before
        );
    }

    #[test]
    fn init_programme_writes_a_folder_that_loads_and_refuses_to_overwrite_it() {
        let dir = tempfile::tempdir().unwrap();
        let written = init_programme(dir.path(), "Staying Close").unwrap();
        let config = dir.path().join("programme.toml");
        assert!(written.contains(&config));
        assert!(dir.path().join("reports").is_dir());
        assert!(dir.path().join("sites/first-site/exports").is_dir());
        let before = std::fs::read(&config).unwrap();
        let error = init_programme(dir.path(), "Other").unwrap_err();
        assert!(error.to_string().contains("programme.toml"), "{error}");
        assert_eq!(std::fs::read(&config).unwrap(), before);
        let unknown = dir.path().join("unknown");
        std::fs::create_dir_all(unknown.join("sites/typo")).unwrap();
        let error = init_programme(&unknown, "Staying Close").unwrap_err();
        assert!(error.to_string().contains("\"typo\""), "{error}");
        assert!(!unknown.join("programme.toml").exists());
        let error = init_programme(&dir.path().join("blank"), " ").unwrap_err();
        assert!(error.to_string().contains("name is blank"), "{error}");
        assert!(!dir.path().join("blank").exists());
    }

    #[test]
    fn group_answers_are_added_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path(), &InitOptions::default()).unwrap();
        let config = dir.path().join(CONFIG_FILE);
        let text = std::fs::read_to_string(&config).unwrap();
        let with = |extra: &str| {
            std::fs::write(
                &config,
                text.replace("[group-answers]\n", &format!("[group-answers]\n{extra}\n")),
            )
            .unwrap();
            Project::load(&config).unwrap().instrument(None)
        };
        let instrument = with("frontline = [\"Personal adviser\"]").unwrap();
        let frontline = instrument
            .group_options()
            .iter()
            .find(|g| g.id == "frontline");
        assert!(
            frontline
                .unwrap()
                .answers
                .contains(&"Personal adviser".to_string())
        );
        let error = with("front-line = [\"x\"]").unwrap_err().to_string();
        assert!(
            error.contains("\"front-line\"") && error.contains("frontline"),
            "{error}"
        );
        let error = with("frontline = [\"Manager\"]").unwrap_err().to_string();
        assert!(error.contains("Manager"), "{error}");
    }
}
