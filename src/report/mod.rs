//! Typesetting: `ReportData` → build folder → `typst compile` → PDF.
//!
//! The build folder holds a copy of the template, `data.json` and `charts/`,
//! and is Typst's `--root`, so the template can read nothing else: a
//! `--template` folder may hold only regular files and folders ([`template_files`]),
//! never a link that would bring a file from elsewhere into the root. The PDF
//! is written to a temporary file beside the output (see [`crate::output`]).

pub mod compare;
pub mod data;
pub mod decisions;
pub mod findings;
pub mod glyphs;
pub mod logo;
pub mod programme;
pub mod programme_trend;
pub mod typst;

pub use data::{
    ChartRef, Cover, IngredientPage, OverviewCharts, REPORT_SCHEMA_VERSION, ReportData,
};
pub use logo::{Logo, LogoError};
pub use typst::{Typst, TypstError};

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use thiserror::Error;

use crate::output::parent_folder;
use chrono::{Datelike, NaiveDate};
use include_dir::{Dir, include_dir};

use crate::charts::Chart;

/// The built-in template folder, compiled into the binary.
static TEMPLATE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/report-templates");

/// The template's main file.
pub const MAIN_FILE: &str = "report.typ";

/// Writes the build folder: template (built-in, then `overrides` file by file), data and charts.
///
/// A character no shipped font draws, in `data.json` or in a chart, is
/// replaced (see [`glyphs`]); the returned warnings say where, one per text.
pub fn write_build_folder(
    folder: &Path,
    data: &ReportData,
    charts: &[Chart],
    overrides: Option<&Path>,
) -> Result<Vec<String>> {
    write_build_folder_of(folder, data, data.logo.as_ref(), charts, overrides)
}

/// [`write_build_folder`] for any report's data (the programme report's too),
/// with the logo, if any, to copy into the folder.
pub fn write_build_folder_of<T: serde::Serialize>(
    folder: &Path,
    data: &T,
    logo: Option<&Logo>,
    charts: &[Chart],
    overrides: Option<&Path>,
) -> Result<Vec<String>> {
    let coverage = glyphs::Coverage::shipped();
    let mut warnings = Vec::new();
    TEMPLATE
        .extract(folder)
        .with_context(|| format!("cannot write the build folder {}", folder.display()))?;
    if let Some(dir) = overrides {
        copy_tree(dir, folder)
            .with_context(|| format!("cannot copy the template folder {}", dir.display()))?;
    }
    let charts_dir = folder.join("charts");
    std::fs::create_dir_all(&charts_dir)?;
    for chart in charts {
        // The markup is ASCII, which every font draws: only the chart's words can change.
        let svg = match coverage.replace(&chart.svg) {
            Some((svg, chars)) => {
                let replaced = glyphs::Replaced {
                    place: format!("the chart {}", chart.file_name),
                    chars,
                };
                warnings.push(replaced.message(coverage.replacement()));
                std::borrow::Cow::Owned(svg)
            }
            None => std::borrow::Cow::Borrowed(&chart.svg),
        };
        std::fs::write(charts_dir.join(&chart.file_name), svg.as_bytes())?;
    }
    if let Some(logo) = logo {
        let target = folder.join(&logo.path);
        std::fs::create_dir_all(parent_folder(&target))?;
        std::fs::copy(&logo.source, &target)
            .with_context(|| format!("cannot copy the logo {}", logo.source.display()))?;
    }
    let mut value = serde_json::to_value(data)?;
    let replaced = coverage.replace_in_json(&mut value);
    // Written from `data` itself when nothing changed, so field order stays the struct's.
    let json = if replaced.is_empty() {
        serde_json::to_string_pretty(data)?
    } else {
        serde_json::to_string_pretty(&value)?
    };
    std::fs::write(folder.join("data.json"), json)?;
    // The charts' warnings come after the fields', in the order a reader meets them.
    let mut all: Vec<String> = replaced
        .iter()
        .map(|r| r.message(coverage.replacement()))
        .collect();
    all.append(&mut warnings);
    Ok(all)
}

/// A survey period in words: "1 to 30 September 2026", "28 August to 3 September 2026".
pub fn period_text(first: NaiveDate, last: NaiveDate) -> String {
    let month = |d: NaiveDate| d.format("%B").to_string();
    if first == last {
        format!("{} {} {}", first.day(), month(first), first.year())
    } else if first.year() != last.year() {
        format!(
            "{} {} {} to {} {} {}",
            first.day(),
            month(first),
            first.year(),
            last.day(),
            month(last),
            last.year()
        )
    } else if first.month() != last.month() {
        format!(
            "{} {} to {} {} {}",
            first.day(),
            month(first),
            last.day(),
            month(last),
            last.year()
        )
    } else {
        format!(
            "{} to {} {} {}",
            first.day(),
            last.day(),
            month(last),
            last.year()
        )
    }
}

/// Why a `--template` folder cannot be used.
#[derive(Debug, Error)]
pub enum TemplateError {
    /// The folder is missing or is not a folder.
    #[error("the template folder {0} does not exist")]
    Missing(PathBuf),
    /// It holds a symbolic link, which could bring any file into Typst's root.
    #[error(
        "the template folder holds {path}, a symbolic link{target}; a template may hold only files and folders"
    )]
    Link {
        /// The link.
        path: PathBuf,
        /// " to /etc/passwd", " to nothing (it is broken)".
        target: String,
    },
    /// It holds a FIFO, socket or device.
    #[error(
        "the template folder holds {path}, which is {kind}; a template may hold only files and folders"
    )]
    Special {
        /// The entry.
        path: PathBuf,
        /// What it is.
        kind: &'static str,
    },
    /// It holds more than a template needs.
    #[error(
        "the template folder {dir} holds more than {TEMPLATE_FILES_LIMIT} files; a template needs a handful"
    )]
    TooMany {
        /// The folder.
        dir: PathBuf,
    },
    /// It could not be read.
    #[error("cannot read the template folder {path}")]
    Read {
        /// The folder or file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl TemplateError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            TemplateError::Missing(_) => {
                "check the path given with --template (or `template` in the settings)"
            }
            TemplateError::Link { .. } | TemplateError::Special { .. } => {
                "replace it with a copy of the file itself (or remove it), then run again"
            }
            TemplateError::TooMany { .. } => {
                "give --template a folder holding only the template's own files"
            }
            TemplateError::Read { .. } => "check the folder's permissions",
        }
    }
}

/// The most files a `--template` folder may hold.
pub const TEMPLATE_FILES_LIMIT: usize = 10_000;

/// Every file of a `--template` folder, sorted, after checking that it holds
/// only regular files and folders: a symbolic link (even a broken one), a
/// FIFO, a socket or a device is refused, naming it, so nothing outside the
/// folder can reach Typst's root and nothing can block the copy.
pub fn template_files(dir: &Path) -> Result<Vec<PathBuf>, TemplateError> {
    if !dir.is_dir() {
        return Err(TemplateError::Missing(dir.to_path_buf()));
    }
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let read = |source| TemplateError::Read {
            path: folder.clone(),
            source,
        };
        for entry in std::fs::read_dir(&folder).map_err(read)? {
            let entry = entry.map_err(read)?;
            let path = entry.path();
            // file_type() does not follow links.
            let kind = entry.file_type().map_err(read)?;
            if kind.is_symlink() {
                let target = match std::fs::read_link(&path) {
                    Ok(_) if !path.exists() => " to nothing (it is broken)".to_string(),
                    Ok(target) => format!(" to {}", target.display()),
                    Err(_) => String::new(),
                };
                return Err(TemplateError::Link { path, target });
            } else if kind.is_dir() {
                folders.push(path);
            } else if kind.is_file() {
                files.push(path);
            } else {
                return Err(TemplateError::Special {
                    path,
                    kind: "not a regular file (a FIFO, socket or device)",
                });
            }
            if files.len() + folders.len() > TEMPLATE_FILES_LIMIT {
                return Err(TemplateError::TooMany {
                    dir: dir.to_path_buf(),
                });
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Copies a template folder over the build folder, file by file; only what
/// [`template_files`] accepts is copied, so a link made since is refused too.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    for file in template_files(from)? {
        let relative = file.strip_prefix(from).expect("listed inside the folder");
        let target: PathBuf = to.join(relative);
        std::fs::create_dir_all(parent_folder(&target))?;
        // Opened without following a link, in case one was put there since the check.
        let mut source = open_regular(&file)
            .with_context(|| format!("cannot copy the template file {}", file.display()))?;
        let mut out = std::fs::File::create(&target)?;
        std::io::copy(&mut source, &mut out)
            .with_context(|| format!("cannot copy the template file {}", file.display()))?;
    }
    Ok(())
}

/// Opens a regular file for reading, never through a symbolic link.
fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn periods_read_naturally() {
        assert_eq!(
            period_text(date(2026, 9, 1), date(2026, 9, 30)),
            "1 to 30 September 2026"
        );
        assert_eq!(
            period_text(date(2026, 8, 28), date(2026, 9, 3)),
            "28 August to 3 September 2026"
        );
        assert_eq!(
            period_text(date(2025, 12, 30), date(2026, 1, 2)),
            "30 December 2025 to 2 January 2026"
        );
        assert_eq!(
            period_text(date(2026, 9, 1), date(2026, 9, 1)),
            "1 September 2026"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_template_with_a_link_or_a_fifo_is_refused_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let template = dir.path().join("template");
        std::fs::create_dir_all(template.join("parts")).unwrap();
        std::fs::write(template.join("lib.typ"), "").unwrap();
        std::fs::write(template.join("parts/a.typ"), "").unwrap();
        assert_eq!(template_files(&template).unwrap().len(), 2);
        std::os::unix::fs::symlink("/etc/passwd", template.join("parts/passwd.txt")).unwrap();
        let error = template_files(&template).unwrap_err().to_string();
        assert!(
            error.contains("passwd.txt, a symbolic link to /etc/passwd"),
            "{error}"
        );
        std::fs::remove_file(template.join("parts/passwd.txt")).unwrap();
        std::os::unix::fs::symlink("gone.typ", template.join("sections.typ")).unwrap();
        let error = template_files(&template).unwrap_err().to_string();
        assert!(
            error.contains("sections.typ, a symbolic link to nothing"),
            "{error}"
        );
        std::fs::remove_file(template.join("sections.typ")).unwrap();
        let fifo = std::ffi::CString::new(template.join("pipe.typ").to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        let error = template_files(&template).unwrap_err().to_string();
        assert!(
            error.contains("pipe.typ, which is not a regular file"),
            "{error}"
        );
    }
}
