//! Typesetting: `ReportData` → build folder → `typst compile` → PDF.
//!
//! The build folder holds a copy of the template, `data.json` and `charts/`,
//! and is Typst's `--root`, so the template can read nothing else. The PDF is
//! written to a temporary file beside the output and renamed into place only
//! when Typst succeeds: a failed run never replaces a good report.

pub mod data;
pub mod typst;

pub use data::{
    ChartRef, Cover, IngredientPage, Logo, LogoError, OverviewCharts, REPORT_SCHEMA_VERSION,
    ReportData,
};
pub use typst::{Typst, TypstError};

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{Datelike, NaiveDate};
use include_dir::{Dir, include_dir};

use crate::charts::Chart;

/// The built-in template folder, compiled into the binary.
static TEMPLATE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/report-templates");

/// The template's main file.
pub const MAIN_FILE: &str = "report.typ";

/// Writes the build folder: template (built-in, then `overrides` file by file), data and charts.
pub fn write_build_folder(
    folder: &Path,
    data: &ReportData,
    charts: &[Chart],
    overrides: Option<&Path>,
) -> Result<()> {
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
        std::fs::write(charts_dir.join(&chart.file_name), &chart.svg)?;
    }
    if let Some(logo) = &data.logo {
        let target = folder.join(&logo.path);
        std::fs::create_dir_all(parent_folder(&target))?;
        std::fs::copy(&logo.source, &target)
            .with_context(|| format!("cannot copy the logo {}", logo.source.display()))?;
    }
    let json = serde_json::to_string_pretty(data)?;
    std::fs::write(folder.join("data.json"), json)?;
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file in the same folder, so
/// readers see the old file or the new one, never half of one.
pub fn write_atomically(path: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let folder = parent_folder(path);
    let temp = tempfile::Builder::new()
        .prefix(".makeitstick-")
        .suffix(".part")
        .tempfile_in(folder)
        .with_context(|| format!("cannot write in the folder {}", folder.display()))?;
    write(temp.path())?;
    // A temporary file is private (0600); a report is a document to share. Keep the
    // permissions of the file being replaced, or give a new one the usual 0644.
    let permissions = match std::fs::metadata(path) {
        Ok(existing) => Some(existing.permissions()),
        Err(_) => default_permissions(),
    };
    if let Some(permissions) = permissions {
        std::fs::set_permissions(temp.path(), permissions)
            .with_context(|| format!("cannot set the permissions of {}", temp.path().display()))?;
    }
    temp.persist(path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

/// Elsewhere a new file keeps what the system gives it.
#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}

/// The folder a file will be written to (`.` for a bare file name).
pub fn parent_folder(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
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

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target: PathBuf = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            std::fs::create_dir_all(&target)?;
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
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
    fn atomic_writes_give_shareable_files_and_keep_existing_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.pdf");
        write_atomically(&new, |temp| Ok(std::fs::write(temp, "x")?)).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&new), 0o644);
        std::fs::set_permissions(&new, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&new, |temp| Ok(std::fs::write(temp, "y")?)).unwrap();
        assert_eq!(mode(&new), 0o640);
    }

    #[test]
    fn atomic_write_keeps_the_old_file_when_writing_fails() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.pdf");
        std::fs::write(&path, "old").unwrap();
        let result = write_atomically(&path, |_| anyhow::bail!("typst failed"));
        assert!(result.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }
}
