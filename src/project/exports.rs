//! The exports folder: which of its entries are read as exports, and why
//! the others are skipped (said with `-v`).

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::log::Log;
use crate::output::has_extension;

/// File extensions read from a project's exports folder.
pub const EXPORT_EXTENSIONS: [&str; 8] =
    ["xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "tsv", "txt"];

/// The exports in a project's exports folder, sorted by name; hidden and temporary files are skipped.
pub fn list_exports(dir: &Path, log: Log) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|source| {
        anyhow::Error::new(source).context(format!(
            "cannot read the exports folder {}; create it or fix `exports` in the settings",
            dir.display()
        ))
    })?;
    let mut exports = Vec::new();
    let mut notes = Vec::new();
    for entry in entries {
        let path = entry?.path();
        match export_entry(&path) {
            Ok(note) => {
                if let Some(note) = note {
                    notes.push(format!("exports folder: {}: {note}", path.display()));
                }
                exports.push(path);
            }
            Err(why) => notes.push(format!("exports folder: skipped {}: {why}", path.display())),
        }
    }
    // Sorted so that -v reads the same on every run.
    notes.sort();
    for note in notes {
        log.info(|| note);
    }
    exports.sort();
    Ok(exports)
}

/// Whether an entry of the exports folder is read as an export: `Ok` with an
/// optional note (a followed link), or `Err` with why it is skipped.
///
/// Only regular files are ever opened: a FIFO would block the run forever, a
/// device or socket is no export, and a link is followed only to a regular
/// file. The type is read from the entry itself (`symlink_metadata`) so that
/// nothing is opened to find out.
fn export_entry(path: &Path) -> Result<Option<String>, String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Hidden files, LibreOffice's ".~lock.x.xlsx#", Excel's "~$x.xlsx" (written
    // while a workbook is open), vim's ".x.swp" and editors' "x.csv~" backups.
    if name.starts_with('.') || name.starts_with("~$") {
        return Err("a hidden or lock file, not an export".into());
    }
    if name.ends_with('~') || name.ends_with('#') {
        return Err("an editor's backup or lock file, not an export".into());
    }
    let own = std::fs::symlink_metadata(path).map_err(|e| format!("cannot be looked at ({e})"))?;
    let mut note = None;
    let kind = if own.file_type().is_symlink() {
        let target = std::fs::metadata(path).map_err(|_| {
            "a link to nothing (its target does not exist or cannot be reached)".to_string()
        })?;
        if !target.is_file() {
            return Err(format!(
                "a link to {}, not to a file; only links to regular files are followed",
                describe_type(&target.file_type())
            ));
        }
        note = Some("a link, followed to a regular file".to_string());
        target
    } else {
        own
    };
    if !kind.is_file() {
        return Err(format!(
            "{}, not a regular file; it is not opened",
            describe_type(&kind.file_type())
        ));
    }
    if !has_extension(path, &EXPORT_EXTENSIONS) {
        return Err(format!(
            "not an export type ({})",
            EXPORT_EXTENSIONS.join(", ")
        ));
    }
    // A regular file can be opened without blocking: find out now whether it
    // can be read, so an unreadable one is reported rather than failing later.
    std::fs::File::open(path).map_err(|e| format!("cannot be read ({e})"))?;
    Ok(note)
}

/// Names a file type in plain words.
fn describe_type(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_symlink() {
        "a link"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "something that is not a file"
    }
}
