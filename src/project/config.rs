//! `makeitstick.toml`: the settings of a project folder.
//!
//! Read strictly (`deny_unknown_fields`, kebab-case keys): a misspelt key is an
//! error naming it. Paths are relative to the folder holding the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::ProjectError;
use crate::colour::Accent;
use crate::ingest::DateOrder;
use crate::wave::{Wave, WaveScheme};

/// The config file's name, looked for in the current folder.
pub const CONFIG_FILE: &str = "makeitstick.toml";

/// The settings in `makeitstick.toml`. Every key but `schema-version` may be left out.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Version of this file format; only 1 exists.
    pub schema_version: u32,
    /// The organisation's name, printed on the cover.
    #[serde(default)]
    pub organisation: Option<String>,
    /// The innovation's name, printed on the cover.
    #[serde(default)]
    pub innovation: Option<String>,
    /// The questionnaire (TOML); the built-in one when left out.
    #[serde(default)]
    pub instrument: Option<PathBuf>,
    /// A folder of template files replacing the built-in ones; the built-in template when left out.
    #[serde(default)]
    pub template: Option<PathBuf>,
    /// Accent colour as #rrggbb, as written (checked into `accent` by [`Config::validate`]).
    #[serde(rename = "accent", default)]
    accent_text: Option<String>,
    /// The accent colour (default #1d4f73).
    #[serde(skip)]
    pub accent: Accent,
    /// Groups with fewer responses than this are never shown (default 5, at least 2).
    #[serde(default = "default_min_group_size")]
    pub min_group_size: u16,
    /// Extra answers to the group question, per group id, added to the instrument's own.
    #[serde(default)]
    pub group_answers: BTreeMap<String, Vec<String>>,
    /// Where exports arrive (default `exports`).
    #[serde(default = "default_exports")]
    pub exports: PathBuf,
    /// Where reports are written (default `reports`).
    #[serde(default = "default_reports")]
    pub reports: PathBuf,
    /// The report's file name; `{wave}` becomes the wave (default `makeitstick-{wave}.pdf`).
    #[serde(default = "default_report_name")]
    pub report_name: String,
    /// The file name of every figure in the report as JSON, trend included (the
    /// report's `data.json`); `{wave}` becomes the wave; `""` writes none
    /// (default `makeitstick-{wave}.json`).
    #[serde(default = "default_figures_name")]
    pub figures_name: String,
    /// The history file (default `makeitstick-history.json`).
    #[serde(default = "default_history")]
    pub history: PathBuf,
    /// How waves are named when inferred from completion dates (default calendar).
    #[serde(default)]
    pub waves: WaveScheme,
    /// Whether `01/02/2026` is 1 February (`dmy`) or 2 January (`mdy`) when no
    /// date in an export decides it; `--date-order` wins over it.
    #[serde(default)]
    pub date_order: Option<DateOrder>,

    /// What a group answer that belongs to no group does: "error" (default)
    /// or "other" (counted in "Did not say which group"); `--unknown-groups` wins.
    #[serde(default)]
    pub unknown_groups: crate::instrument::UnknownGroups,
}

fn default_min_group_size() -> u16 {
    5
}
fn default_exports() -> PathBuf {
    "exports".into()
}
fn default_reports() -> PathBuf {
    "reports".into()
}
fn default_report_name() -> String {
    "makeitstick-{wave}.pdf".into()
}
fn default_figures_name() -> String {
    "makeitstick-{wave}.json".into()
}
fn default_history() -> PathBuf {
    "makeitstick-history.json".into()
}

/// A loaded config and the folder its paths are relative to.
#[derive(Debug, Clone)]
pub struct Project {
    /// The config file.
    pub config_path: PathBuf,
    /// Its folder.
    pub dir: PathBuf,
    /// The settings.
    pub config: Config,
}

impl Project {
    /// Reads and checks the config file at `path`.
    pub fn load(path: &Path) -> Result<Project, ProjectError> {
        let text = std::fs::read_to_string(path).map_err(|source| ProjectError::ReadConfig {
            path: path.to_path_buf(),
            source,
        })?;
        let mut config: Config =
            toml::from_str(&text).map_err(|error| ProjectError::ParseConfig {
                path: path.to_path_buf(),
                message: error.to_string().trim_end().to_string(),
            })?;
        let invalid = |problem: String| ProjectError::InvalidConfig {
            path: path.to_path_buf(),
            problem,
        };
        config.validate().map_err(invalid)?;
        // A bare file name has the empty parent, so paths print as `exports`, not `./exports`.
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(Project {
            config_path: path.to_path_buf(),
            dir,
            config,
        })
    }

    /// The config file to use: `explicit`, else `makeitstick.toml` in the current folder when there is one.
    pub fn find(explicit: Option<&Path>) -> Option<PathBuf> {
        match explicit {
            Some(path) => Some(path.to_path_buf()),
            None => {
                let here = Path::new(CONFIG_FILE);
                here.is_file().then(|| here.to_path_buf())
            }
        }
    }

    /// A path from the config, relative to the project folder.
    pub fn path(&self, relative: &Path) -> PathBuf {
        if relative.is_absolute() {
            relative.to_path_buf()
        } else {
            self.dir.join(relative)
        }
    }

    /// The exports folder.
    pub fn exports_dir(&self) -> PathBuf {
        self.path(&self.config.exports)
    }

    /// The reports folder.
    pub fn reports_dir(&self) -> PathBuf {
        self.path(&self.config.reports)
    }

    /// The history file.
    pub fn history_path(&self) -> PathBuf {
        self.path(&self.config.history)
    }

    /// The instrument file, when the config names one.
    pub fn instrument_path(&self) -> Option<PathBuf> {
        self.config.instrument.as_deref().map(|p| self.path(p))
    }

    /// The template folder, when the config names one.
    pub fn template_dir(&self) -> Option<PathBuf> {
        self.config.template.as_deref().map(|p| self.path(p))
    }

    /// The report for `wave`.
    pub fn report_path(&self, wave: &Wave) -> PathBuf {
        self.reports_dir()
            .join(fill_name(&self.config.report_name, wave))
    }

    /// The figures file for `wave`, unless switched off.
    pub fn figures_path(&self, wave: &Wave) -> Option<PathBuf> {
        (!self.config.figures_name.is_empty()).then(|| {
            self.reports_dir()
                .join(fill_name(&self.config.figures_name, wave))
        })
    }

    /// The lock file that keeps two runs from writing at once.
    pub fn lock_path(&self) -> PathBuf {
        self.dir.join(super::lock::LOCK_FILE)
    }
}

/// A file name pattern with `{wave}` filled in (spaces in the wave become hyphens).
pub fn fill_name(pattern: &str, wave: &Wave) -> String {
    pattern.replace("{wave}", &wave.file_stem())
}

impl Config {
    /// Checks the settings, and reads the accent colour (so it is parsed once, here).
    fn validate(&mut self) -> Result<(), String> {
        if self.schema_version != 1 {
            return Err(format!(
                "schema-version {} is not supported; this version of makeitstick reads schema-version 1",
                self.schema_version
            ));
        }
        if self.min_group_size < 2 {
            return Err(format!(
                "min-group-size is {}; it must be at least 2, or single answers could be read off the report",
                self.min_group_size
            ));
        }
        if let Some(text) = &self.accent_text {
            self.accent = text
                .parse()
                .map_err(|problem| format!("accent: {problem}"))?;
        }
        check_name("report-name", &self.report_name, ".pdf", false)?;
        check_name("figures-name", &self.figures_name, ".json", true)?;
        if !self.figures_name.is_empty() && self.figures_name == self.report_name {
            return Err("figures-name and report-name must differ".into());
        }
        Ok(())
    }
}

/// A name pattern is a plain file name ending in `extension`, whose only placeholder is `{wave}`.
fn check_name(key: &str, pattern: &str, extension: &str, may_be_empty: bool) -> Result<(), String> {
    if pattern.is_empty() && may_be_empty {
        return Ok(());
    }
    if pattern.contains(['/', '\\']) {
        return Err(format!(
            "{key} {pattern:?} must be a file name, not a path; the folder is set by `reports`"
        ));
    }
    if pattern.replace("{wave}", "").contains(['{', '}']) {
        return Err(format!(
            "{key} {pattern:?}: the only placeholder is {{wave}}"
        ));
    }
    if !pattern.to_ascii_lowercase().ends_with(extension) {
        return Err(format!("{key} {pattern:?} must end in {extension}"));
    }
    Ok(())
}

/// The text `init` writes: every key with a comment saying what it does and its default.
pub fn template_text(
    organisation: Option<&str>,
    innovation: Option<&str>,
    waves: WaveScheme,
) -> String {
    let quoted = |text: &str| toml::Value::String(text.to_string()).to_string();
    let name_line = |key: &str, value: Option<&str>, example: &str| match value {
        Some(v) => format!("{key} = {}", quoted(v)),
        None => format!("# {key} = {}", quoted(example)),
    };
    let waves = match waves {
        WaveScheme::Calendar => "calendar",
        WaveScheme::Financial => "financial",
    };
    format!(
        r##"# makeitstick project settings. `makeitstick report`, run in this folder, reads
# every export in `exports`, keeps each wave's published figures in the history
# file and writes the latest wave's report to `reports`. No flags are needed.
#
# Paths are relative to this folder. A misspelt key is an error, never ignored.
# Keys that are commented out use the default shown.

# Version of this file's format. Leave it at 1.
schema-version = 1

# Printed on the report's cover.
{organisation}
{innovation}

# The questionnaire: which statements were asked and how answers are scored.
# `makeitstick init` wrote a copy here to edit (for example to add your
# platform's column ids). Comment it out to use the built-in questionnaire.
# Changing statements between waves is allowed: the trend then compares only
# what was asked the same way.
instrument = "instrument.toml"

# A folder of template files that replace the built-in ones, file by file.
# `makeitstick init` wrote copies to `template/`. Leave this commented out to
# keep the built-in template, which improves with new versions of makeitstick.
# template = "template"

# Accent colour for headings and the cover, as #rrggbb. Default "#1d4f73".
# accent = "#1d4f73"

# Privacy: a group with fewer responses than this is never shown on its own.
# Default 5; at least 2.
min-group-size = 5

# Where survey exports (.xlsx, .xls, .xlsb, .ods, .csv or .tsv) arrive. Each
# export is one wave. Default "exports".
exports = "exports"

# Where reports are written. Default "reports".
reports = "reports"

# The report's file name. {{wave}} becomes the wave, such as 2026-Q3 (spaces in
# a wave name become hyphens). Default "makeitstick-{{wave}}.pdf".
report-name = "makeitstick-{{wave}}.pdf"

# Every figure in the report as JSON, trend included, written beside the
# report. "" writes none. Default "makeitstick-{{wave}}.json".
figures-name = "makeitstick-{{wave}}.json"

# The history of each wave's published figures (never anyone's answers).
# Keep it: trends come from it. Default "makeitstick-history.json".
history = "makeitstick-history.json"

# How a wave is named when it is worked out from the completion dates:
# "calendar" quarters (2026-Q3 is July to September 2026) or UK "financial"
# year quarters, April to March (2026-27 Q2 is July to September 2026).
# A wave in an export's file name ("survey-2026-Q3.xlsx") wins over the dates.
# Default "calendar".
waves = "{waves}"

# How to read dates like 01/02/2026 in the completion column when no date in
# an export decides it (a date such as 13/02/2026 or 02/13/2026 decides it for
# the whole column): "dmy" for day first (UK: 1 February) or "mdy" for month
# first (US: 2 January). Left out, makeitstick goes by what the survey platform
# writes, and `makeitstick check` says which order it used and why.
# date-order = "dmy"

# What an answer to the group question that belongs to no group does (an
# "Other: ..." answer): "error" stops the run, saying how many rows give one
# and the first row; "other" counts those rows in "Did not say which group".
# --unknown-groups wins over this. Default "error".
unknown-groups = "error"

# More answers to the group question ("Which of these best describes you?"),
# per group id, added to the instrument's own. Group ids: young-people,
# frontline, managers, partners, commissioners.
[group-answers]
# frontline = ["Personal adviser", "Support worker"]
# managers = ["Service lead"]
"##,
        organisation = name_line("organisation", organisation, "Northshire Council"),
        innovation = name_line("innovation", innovation, "Staying Close"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        let mut config: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        config.validate()?;
        Ok(config)
    }

    #[test]
    fn the_written_template_parses_with_its_defaults() {
        let text = template_text(
            Some("Northshire \"North\" Council"),
            None,
            WaveScheme::Financial,
        );
        let config = parse(&text).unwrap();
        assert_eq!(
            config.organisation.as_deref(),
            Some("Northshire \"North\" Council")
        );
        assert_eq!(config.innovation, None);
        assert_eq!(config.waves, WaveScheme::Financial);
        assert_eq!(config.min_group_size, 5);
        assert_eq!(config.report_name, "makeitstick-{wave}.pdf");
        assert!(config.group_answers.is_empty());
        // Every commented key, uncommented, is still valid.
        let uncommented = text
            .lines()
            .map(|l| {
                l.strip_prefix("# ")
                    .filter(|r| r.contains(" = "))
                    .unwrap_or(l)
            })
            .collect::<Vec<_>>()
            .join("\n");
        let all = parse(&uncommented).unwrap();
        assert_eq!(all.group_answers["frontline"].len(), 2);
        assert_eq!(all.template.as_deref(), Some(Path::new("template")));
    }

    #[test]
    fn the_minimal_file_is_one_line() {
        let config = parse("schema-version = 1").unwrap();
        assert_eq!(config.exports, Path::new("exports"));
        assert_eq!(config.accent, Accent::DEFAULT);
        assert_eq!(config.waves, WaveScheme::Calendar);
    }

    #[test]
    fn misspelt_keys_and_bad_values_are_errors_naming_them() {
        let error = parse("schema-version = 1\nreport-nme = \"x.pdf\"").unwrap_err();
        assert!(error.contains("report-nme"), "{error}");
        let error = parse("schema-version = 1\nwaves = \"fiscal\"").unwrap_err();
        assert!(error.contains("fiscal"), "{error}");
        let error = parse("schema-version = 1\nmin-group-size = 1").unwrap_err();
        assert!(error.contains("min-group-size"), "{error}");
        let error = parse("schema-version = 1\nreport-name = \"r-{year}.pdf\"").unwrap_err();
        assert!(error.contains("{wave}"), "{error}");
        let error = parse("schema-version = 1\nreport-name = \"out/r.pdf\"").unwrap_err();
        assert!(error.contains("not a path"), "{error}");
        let error = parse("schema-version = 1\ndate-order = \"ymd\"").unwrap_err();
        assert!(error.contains("ymd"), "{error}");
        let config = parse("schema-version = 1\ndate-order = \"mdy\"").unwrap();
        assert_eq!(config.date_order, Some(DateOrder::Mdy));
        let error = parse("schema-version = 2").unwrap_err();
        assert!(error.contains("schema-version 2"), "{error}");
    }

    #[test]
    fn names_fill_in_the_wave() {
        let wave: Wave = "2026-27 Q2".parse().unwrap();
        assert_eq!(
            fill_name("makeitstick-{wave}.pdf", &wave),
            "makeitstick-2026-27-Q2.pdf"
        );
    }
}
