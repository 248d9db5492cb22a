//! Writing a run's outputs so that nothing is lost.
//!
//! Three promises, each kept here for every output (the PDF, the scores, the
//! figures JSON and the history):
//!
//! - **Checked before any work** ([`check_targets`]): an output's folder must
//!   exist and take a file; an existing output must be a regular file (a
//!   symbolic link is replaced, never followed); and no output may be, or link
//!   to, an input (an export, the questionnaire, the settings, the logo, a
//!   template file, ...) or another output. Files are compared by (device,
//!   inode) and by canonical path, so hard links and symbolic links are caught.
//! - **All or nothing** ([`OutputSet`]): each output is written in full to a
//!   temporary file beside its target, and only when every one is ready are
//!   they renamed into place. Each replaced file is hard-linked aside first,
//!   (copied where the file system has no hard links), so a rename that
//!   fails part-way puts back the ones already replaced.
//! - **Nothing left behind**: temporaries are removed when a run fails or is
//!   interrupted; a run killed outright (SIGKILL, power loss) leaves them,
//!   named with its process id, and the next run removes them
//!   ([`sweep_leftovers`]) once that process has ended.
//!
//! The tidy scores CSV, one of the outputs, is written by [`tidy`].
//!
//! New files get the permissions the umask allows (0644 under the usual
//! 022, 0600 under 077); a replaced file keeps its own.
//!
//! Why one file of over 600 lines: the three promises share one notion of a
//! file (its identity, its temporary, its folder); about 120 lines are tests.

pub mod programme;
pub mod tidy;
pub mod versioned;

use std::ffi::OsStr;
use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use thiserror::Error;

/// How a temporary output file's name starts; the process id and random letters follow.
const TEMP_PREFIX: &str = ".makeitstick-";
/// How a build folder's name starts in the temporary folder.
pub const BUILD_PREFIX: &str = "makeitstick-build-";
/// A leftover younger than this is never swept, even when its process id is
/// free: a run in another PID namespace (a container sharing the folder) may
/// still be using it.
const LEFTOVER_AGE: Duration = Duration::from_secs(60 * 60);

/// Why an output cannot be written.
#[derive(Debug, Error)]
pub enum OutputError {
    /// The output's folder is missing.
    #[error("cannot write the {what} to {path}: the folder {folder} does not exist")]
    NoFolder {
        /// Which output ("report", "scores", ...).
        what: &'static str,
        /// The output.
        path: PathBuf,
        /// Its folder.
        folder: PathBuf,
    },
    /// Nothing can be created in the output's folder (read-only, full, no permission).
    #[error("cannot write the {what} to {path}: nothing can be written in the folder {folder}")]
    NotWritable {
        /// Which output.
        what: &'static str,
        /// The output.
        path: PathBuf,
        /// Its folder.
        folder: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The output is an existing folder.
    #[error("cannot write the {what} to {path}: it is a folder")]
    Folder {
        /// Which output.
        what: &'static str,
        /// The output.
        path: PathBuf,
    },
    /// The output exists and is a device, FIFO or socket.
    #[error("cannot write the {what} to {path}: it is {kind}, not a regular file")]
    NotRegular {
        /// Which output.
        what: &'static str,
        /// The output.
        path: PathBuf,
        /// "a device", "a FIFO (named pipe)", "a socket".
        kind: &'static str,
    },
    /// The output is an input, or another output.
    #[error("cannot write the {what} to {path}: that is {other}")]
    Clash {
        /// Which output.
        what: &'static str,
        /// The output.
        path: PathBuf,
        /// What it would overwrite: "the export e.csv", "also the scores".
        other: String,
    },
    /// The output's path cannot name a file.
    #[error("cannot write the {what} to {path}: {problem}")]
    BadName {
        /// Which output.
        what: &'static str,
        /// The output.
        path: PathBuf,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The output's name does not say its format.
    #[error("cannot write the {what} to {path}: the file name must end in {extension}")]
    Extension {
        /// Which output.
        what: &'static str,
        /// The output.
        path: PathBuf,
        /// ".pdf", ".json or .csv".
        extension: &'static str,
    },
    /// `--keep-build` names something other than an absent or empty folder.
    #[error("--keep-build {path}: {problem}")]
    KeepBuild {
        /// The folder given.
        path: PathBuf,
        /// "it is a file, not a folder", "the folder is not empty".
        problem: &'static str,
    },
    /// Renaming the outputs into place failed; those already replaced were put back.
    #[error("cannot replace {path}; {restored}")]
    Commit {
        /// The output whose rename failed.
        path: PathBuf,
        /// What happened to the others.
        restored: String,
        /// Why.
        source: std::io::Error,
    },
}

impl OutputError {
    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            OutputError::NoFolder { .. } => "create the folder, or choose another output path".into(),
            OutputError::NotWritable { .. } => {
                "choose an output in a folder you can write to (and with room on its disk); nothing was changed".into()
            }
            OutputError::Folder { .. } | OutputError::NotRegular { .. } => {
                "give the path of a file to write (it is created, or replaced when it is a regular file)".into()
            }
            OutputError::Clash { .. } => {
                "give each output its own new file name; outputs never overwrite an input or each other".into()
            }
            OutputError::Extension { .. } => "end the file name in the extension named above".into(),
            OutputError::BadName { .. } => "give the path of a file, with a shorter name".into(),
            OutputError::KeepBuild { .. } => {
                "give --keep-build a folder that does not exist yet (it is created) or an empty one, so nothing in it is overwritten".into()
            }
            OutputError::Commit { .. } => {
                "check the folder named above (permissions, free space, something made in the way) and run again".into()
            }
        }
    }
}

/// The folder a file will be written to (`.` for a bare file name).
pub fn parent_folder(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Something a run reads, which no output may overwrite.
#[derive(Debug, Clone)]
pub struct Input {
    /// How a message names it: "the export survey.csv".
    pub what: String,
    /// The file or folder.
    pub path: PathBuf,
    /// A folder: no output may be written inside it either.
    pub folder: bool,
    /// For a folder, only outputs with these extensions (lower case) are
    /// refused inside it; empty for all.
    pub extensions: &'static [&'static str],
}

impl Input {
    /// An input file.
    pub fn file(what: &str, path: &Path) -> Input {
        Input {
            what: format!("{what} {}", path.display()),
            path: path.to_path_buf(),
            folder: false,
            extensions: &[],
        }
    }

    /// An input folder: nothing may be written in it.
    pub fn folder(what: &str, path: &Path) -> Input {
        Input {
            what: format!("{what} {}", path.display()),
            path: path.to_path_buf(),
            folder: true,
            extensions: &[],
        }
    }

    /// An input folder in which only files with these extensions may not be written.
    pub fn folder_of(what: &str, path: &Path, extensions: &'static [&'static str]) -> Input {
        Input {
            extensions,
            ..Input::folder(what, path)
        }
    }
}

/// One output a run will write.
#[derive(Debug, Clone)]
pub struct Target {
    /// How a message names it: "report", "scores", "history", "figures".
    pub what: &'static str,
    /// The file.
    pub path: PathBuf,
    /// Read before it is replaced (the history): what it resolves to, when
    /// it exists, must be a regular file too, or reading it could block (a
    /// FIFO) or never end (a device).
    pub read_first: bool,
}

impl Target {
    /// An output that is only written.
    pub fn new(what: &'static str, path: &Path) -> Target {
        Target {
            what,
            path: path.to_path_buf(),
            read_first: false,
        }
    }
}

/// Where a path is and what it is, to compare files however they are named.
#[derive(Debug, Default)]
struct Identity {
    /// (device, inode) of what the path resolves to, when it exists.
    file: Option<(u64, u64)>,
    /// The canonical folder joined with the file name: the path itself (a link, not its target).
    location: Option<PathBuf>,
    /// The canonical path of what it resolves to, when it exists.
    resolved: Option<PathBuf>,
}

impl Identity {
    fn of(path: &Path) -> Identity {
        let location = parent_folder(path)
            .canonicalize()
            .ok()
            .zip(path.file_name())
            .map(|(folder, name)| folder.join(name));
        Identity {
            file: std::fs::metadata(path).ok().and_then(|m| file_id(&m)),
            location,
            resolved: path.canonicalize().ok(),
        }
    }

    /// True when both name the same file, by inode or by path.
    fn same(&self, other: &Identity) -> bool {
        if self.file.is_some() && self.file == other.file {
            return true;
        }
        let mine = [&self.location, &self.resolved];
        let theirs = [&other.location, &other.resolved];
        mine.iter()
            .flat_map(|a| theirs.iter().map(move |b| (a, b)))
            .any(|(a, b)| a.is_some() && a == b)
    }

    /// True when this path lies inside the folder `folder` (canonical).
    fn inside(&self, folder: &Path) -> bool {
        [&self.location, &self.resolved]
            .iter()
            .any(|p| p.as_deref().is_some_and(|p| p.starts_with(folder)))
    }
}

#[cfg(unix)]
fn file_id(meta: &Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &Metadata) -> Option<(u64, u64)> {
    None
}

/// What a file that is not regular is, for messages; `None` for a regular file.
fn special_kind(meta: &Metadata) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_block_device() || kind.is_char_device() {
            return Some("a device");
        }
    }
    (!meta.is_file()).then_some("not a regular file")
}

/// Checks every output before any work: each folder takes a file, each
/// existing output is a regular file (or a link, which is replaced), and no
/// output is an input or another output. Nothing is left behind.
pub fn check_targets(targets: &[Target], inputs: &[Input]) -> Result<(), OutputError> {
    let inputs: Vec<(&Input, Identity)> = inputs
        .iter()
        .map(|input| (input, Identity::of(&input.path)))
        .collect();
    let mut seen: Vec<(&Target, Identity)> = Vec::new();
    for target in targets {
        check_one(target)?;
        let identity = Identity::of(&target.path);
        let clash = |other: String| OutputError::Clash {
            what: target.what,
            path: target.path.clone(),
            other,
        };
        for (input, known) in &inputs {
            let extension = target
                .path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .unwrap_or_default();
            let hit = if input.folder {
                (input.extensions.is_empty() || input.extensions.contains(&extension.as_str()))
                    && known
                        .resolved
                        .as_deref()
                        .is_some_and(|folder| identity.inside(folder))
            } else {
                identity.same(known)
            };
            if hit {
                let what = if input.folder {
                    format!("inside {}", input.what)
                } else {
                    input.what.clone()
                };
                return Err(clash(what));
            }
        }
        if let Some((other, _)) = seen.iter().find(|(_, known)| identity.same(known)) {
            return Err(clash(if other.what == target.what {
                format!("given twice for the {}", other.what)
            } else {
                format!("also the {} output", other.what)
            }));
        }
        seen.push((target, identity));
    }
    Ok(())
}

/// One output on its own: its folder, and what is already there.
fn check_one(target: &Target) -> Result<(), OutputError> {
    let (what, path) = (target.what, &target.path);
    let bad_name = |problem| OutputError::BadName {
        what,
        path: path.clone(),
        problem,
    };
    let text = path.as_os_str().as_encoded_bytes();
    if text.ends_with(b"/") || text.ends_with(std::path::MAIN_SEPARATOR_STR.as_bytes()) {
        return Err(bad_name(
            "it ends in a folder separator, so it names a folder",
        ));
    }
    // 255 bytes is the longest file name most file systems take.
    if path.file_name().is_some_and(|n| n.len() > 255) {
        return Err(bad_name("the file name is longer than 255 bytes"));
    }
    let folder = parent_folder(path);
    if !folder.is_dir() {
        return Err(OutputError::NoFolder {
            what,
            path: path.clone(),
            folder: folder.to_path_buf(),
        });
    }
    // A link is replaced, never followed, so what it points at does not matter here.
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => {
            return Err(OutputError::Folder {
                what,
                path: path.clone(),
            });
        }
        Ok(meta) if !meta.file_type().is_symlink() => {
            if let Some(kind) = special_kind(&meta) {
                return Err(OutputError::NotRegular {
                    what,
                    path: path.clone(),
                    kind,
                });
            }
        }
        _ => {}
    }
    if target.read_first
        && let Ok(meta) = std::fs::metadata(path)
        && let Some(kind) = special_kind(&meta)
    {
        return Err(OutputError::NotRegular {
            what,
            path: path.clone(),
            kind: if meta.is_dir() {
                "a link to a folder"
            } else {
                kind
            },
        });
    }
    // Permissions do not bind root, and a folder can be on a read-only or full
    // disk: only writing a file there tells. Removed again when dropped.
    temp_file_in(folder).map_err(|source| OutputError::NotWritable {
        what,
        path: path.clone(),
        folder: folder.to_path_buf(),
        source,
    })?;
    Ok(())
}

/// Checks a `--keep-build` folder: absent (it will be created) or empty.
pub fn check_keep_build(path: &Path) -> Result<(), OutputError> {
    let problem = match std::fs::metadata(path) {
        Err(_) if std::fs::symlink_metadata(path).is_ok() => "it is a link to nothing",
        Err(_) => return Ok(()),
        Ok(meta) if !meta.is_dir() => "it is a file, not a folder",
        Ok(_) => match std::fs::read_dir(path).map(|mut entries| entries.next().is_none()) {
            Ok(true) => return Ok(()),
            Ok(false) => {
                "the folder is not empty, and the build files would overwrite what is in it"
            }
            Err(_) => "the folder cannot be read",
        },
    };
    Err(OutputError::KeepBuild {
        path: path.to_path_buf(),
        problem,
    })
}

/// A new, private temporary file in `folder`, named as ours: `.makeitstick-<pid>-<random>.part`.
fn temp_file_in(folder: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
        .suffix(".part")
        .tempfile_in(folder)
}

/// A new temporary build folder, named as ours: `makeitstick-build-<pid>-<random>`.
pub fn build_folder() -> std::io::Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix(&format!("{BUILD_PREFIX}{}-", std::process::id()))
        .tempdir()
}

/// One output written to its temporary file, waiting to be renamed into place.
struct Staged {
    target: PathBuf,
    temp: tempfile::TempPath,
}

/// The outputs of one run, written first and put in place together.
///
/// Dropping the set without [`OutputSet::commit`] removes every temporary
/// file and replaces nothing.
#[derive(Default)]
pub struct OutputSet {
    staged: Vec<Staged>,
}

impl OutputSet {
    /// An empty set.
    pub fn new() -> OutputSet {
        OutputSet::default()
    }

    /// Writes one output, with `write`, to a temporary file beside `target`;
    /// it replaces `target` only at [`OutputSet::commit`].
    pub fn stage(
        &mut self,
        target: &Path,
        write: impl FnOnce(&Path) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let folder = parent_folder(target);
        let temp = temp_file_in(folder)
            .with_context(|| format!("cannot write in the folder {}", folder.display()))?
            .into_temp_path();
        write(&temp)?;
        set_permissions(&temp, target)?;
        self.staged.push(Staged {
            target: target.to_path_buf(),
            temp,
        });
        Ok(())
    }

    /// Renames every staged output into place. Each existing target is first
    /// hard-linked aside, so that when a rename fails the ones already
    /// replaced are put back: on error, every target is as it was.
    pub fn commit(self) -> Result<(), OutputError> {
        let mut done: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
        for staged in self.staged {
            let result = set_aside(&staged.target, &staged.temp).and_then(|aside| {
                match staged.temp.persist(&staged.target) {
                    Ok(()) => Ok(aside),
                    Err(error) => {
                        if let Some(aside) = &aside {
                            put_back(aside, &staged.target);
                        }
                        Err(error.error)
                    }
                }
            });
            match result {
                Ok(aside) => done.push((staged.target, aside)),
                Err(source) => {
                    let restored = if done.is_empty() {
                        "nothing was replaced".to_string()
                    } else {
                        let mut failed = Vec::new();
                        for (target, aside) in done.iter().rev() {
                            let ok = match aside {
                                Some(aside) => put_back(aside, target),
                                None => std::fs::remove_file(target).is_ok(),
                            };
                            if !ok {
                                failed.push(target.display().to_string());
                            }
                        }
                        if failed.is_empty() {
                            "the outputs already replaced were put back as they were".into()
                        } else {
                            format!("and {} could not be put back", failed.join(", "))
                        }
                    };
                    return Err(OutputError::Commit {
                        path: staged.target,
                        restored,
                        source,
                    });
                }
            }
        }
        for (_, aside) in done {
            if let Some(aside) = aside {
                std::fs::remove_file(aside).ok();
            }
        }
        Ok(())
    }
}

/// Hard-links an existing `target` aside (`.old` beside its `.part`), to put back on failure.
fn set_aside(target: &Path, temp: &Path) -> std::io::Result<Option<PathBuf>> {
    match std::fs::symlink_metadata(target) {
        Err(_) => return Ok(None),
        // Made since the checks: left alone, and the rename fails.
        Ok(meta) if meta.is_dir() => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "a folder is in the way",
            ));
        }
        Ok(_) => {}
    }
    let aside = temp.with_extension("old");
    // A hard link of a link is the link itself (linkat without AT_SYMLINK_FOLLOW).
    match std::fs::hard_link(target, &aside) {
        Ok(()) => Ok(Some(aside)),
        // A file system without hard links: a copy, so that the target stays
        // in place until the rename, and a leftover copy is only ever a spare.
        Err(_) => std::fs::copy(target, &aside).map(|_| Some(aside)),
    }
}

fn put_back(aside: &Path, target: &Path) -> bool {
    std::fs::rename(aside, target).is_ok()
}

/// Gives the temporary file the permissions of the file it replaces (when a
/// regular file), or those the umask allows for a new file.
fn set_permissions(temp: &Path, target: &Path) -> anyhow::Result<()> {
    let permissions = match std::fs::metadata(target) {
        Ok(existing) if existing.is_file() => Some(existing.permissions()),
        _ => new_file_permissions(),
    };
    if let Some(permissions) = permissions {
        std::fs::set_permissions(temp, permissions)
            .with_context(|| format!("cannot set the permissions of {}", temp.display()))?;
    }
    Ok(())
}

/// 0666 less the umask, as any program's new file gets.
#[cfg(unix)]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o666 & !umask()))
}

/// Elsewhere a new file keeps what the system gives it.
#[cfg(not(unix))]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    None
}

/// The process's umask.
#[cfg(unix)]
fn umask() -> u32 {
    // Linux says it without changing it.
    if let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(line) = status.lines().find(|l| l.starts_with("Umask:"))
        && let Ok(mask) = u32::from_str_radix(line["Umask:".len()..].trim(), 8)
    {
        return mask;
    }
    // Elsewhere the only way to read it is to set it, and set it back at once.
    // SAFETY: umask cannot fail and touches no memory.
    let mask = unsafe {
        let mask = libc::umask(0o022);
        libc::umask(mask);
        mask
    };
    // mode_t is u32 on Linux but u16 on macOS.
    #[allow(clippy::useless_conversion)]
    u32::from(mask)
}

/// What a sweep found.
#[derive(Debug, Default)]
pub struct Swept {
    /// Leftovers removed.
    pub removed: Vec<PathBuf>,
}

/// Removes the leftovers of runs that ended without cleaning up (killed
/// outright, or the machine stopped) from `folder`: temporary outputs
/// (`.makeitstick-<pid>-*.part`, `.old`) and build folders
/// (`makeitstick-build-<pid>-*`) whose process no longer runs and which have
/// not changed for an hour. Links are never followed; anything else is left
/// alone. Best effort: what cannot be removed stays.
pub fn sweep_leftovers(folder: &Path) -> Swept {
    let mut swept = Swept::default();
    let Ok(entries) = std::fs::read_dir(folder) else {
        return swept;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some((pid, is_folder)) = leftover_of(&name) else {
            continue;
        };
        let Ok(meta) = entry.metadata() else { continue };
        let kind_fits = if is_folder {
            meta.is_dir()
        } else {
            meta.is_file()
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= LEFTOVER_AGE);
        if !kind_fits || !old || process_exists(pid) {
            continue;
        }
        let path = entry.path();
        let removed = if is_folder {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        if removed.is_ok() {
            swept.removed.push(path);
        }
    }
    swept
}

/// The process id in one of our temporary names, and whether it names a folder.
fn leftover_of(name: &OsStr) -> Option<(u32, bool)> {
    let name = name.to_str()?;
    let (rest, is_folder) = if let Some(rest) = name.strip_prefix(BUILD_PREFIX) {
        (rest, true)
    } else {
        let rest = name.strip_prefix(TEMP_PREFIX)?;
        let rest = rest
            .strip_suffix(".part")
            .or_else(|| rest.strip_suffix(".old"))?;
        (rest, false)
    };
    let (pid, random) = rest.split_once('-')?;
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) || random.is_empty() {
        return None;
    }
    Some((pid.parse().ok()?, is_folder))
}

/// True unless `pid` surely names no running process (ours always runs).
fn process_exists(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return true;
        };
        // SAFETY: signal 0 only asks whether the process exists.
        let answer = unsafe { libc::kill(pid, 0) };
        answer == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// Writes one file through a temporary file beside it, so readers see the
/// old file or the new one, never half of one. For a single output; a run
/// with several uses an [`OutputSet`].
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&Path) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut set = OutputSet::new();
    set.stage(path, write)?;
    set.commit()
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// Writes `value` to `path` as pretty JSON ending in a newline: every JSON
/// file a run writes (scores, figures, history) goes through here.
pub fn write_json(path: &Path, value: &impl serde::Serialize) -> anyhow::Result<()> {
    let mut json = serde_json::to_string_pretty(value)?;
    json.push('\n');
    std::fs::write(path, json)?;
    Ok(())
}

/// True when `path`'s extension is one of `extensions` (lower case), in any case.
pub fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.contains(&e.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn new_files_follow_the_umask_and_replaced_files_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.pdf");
        write_atomically(&new, |temp| Ok(std::fs::write(temp, "x")?)).unwrap();
        assert_eq!(mode(&new), 0o666 & !umask());
        std::fs::set_permissions(&new, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&new, |temp| Ok(std::fs::write(temp, "y")?)).unwrap();
        assert_eq!(mode(&new), 0o640);
        assert_eq!(std::fs::read_to_string(&new).unwrap(), "y");
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.pdf");
        std::fs::write(&path, "old").unwrap();
        let result = write_atomically(&path, |_| anyhow::bail!("typst failed"));
        assert!(result.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_rename_that_fails_part_way_puts_back_what_was_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("report.pdf");
        let history = dir.path().join("history.json");
        let scores = dir.path().join("scores.json");
        std::fs::write(&pdf, "old pdf").unwrap();
        std::fs::write(&scores, "old scores").unwrap();
        let mut set = OutputSet::new();
        set.stage(&pdf, |t| Ok(std::fs::write(t, "new pdf")?))
            .unwrap();
        set.stage(&history, |t| Ok(std::fs::write(t, "new history")?))
            .unwrap();
        set.stage(&scores, |t| Ok(std::fs::write(t, "new scores")?))
            .unwrap();
        // Something makes the last target a folder with a file in it after the checks.
        std::fs::remove_file(&scores).unwrap();
        std::fs::create_dir(&scores).unwrap();
        std::fs::write(scores.join("x"), "").unwrap();
        let error = set.commit().unwrap_err();
        assert!(
            error.to_string().contains("were put back as they were"),
            "{error}"
        );
        assert_eq!(std::fs::read_to_string(&pdf).unwrap(), "old pdf");
        assert!(!history.exists(), "a new file was left in place");
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["report.pdf", "scores.json"]);
    }

    #[test]
    fn a_commit_replaces_every_output_and_removes_what_was_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("report.pdf");
        std::fs::write(&pdf, "old").unwrap();
        let mut set = OutputSet::new();
        set.stage(&pdf, |t| Ok(std::fs::write(t, "new")?)).unwrap();
        set.stage(&dir.path().join("a.json"), |t| Ok(std::fs::write(t, "{}")?))
            .unwrap();
        set.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&pdf).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere.pdf");
        std::fs::write(&elsewhere, "keep").unwrap();
        let link = dir.path().join("report.pdf");
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        write_atomically(&link, |t| Ok(std::fs::write(t, "new")?)).unwrap();
        assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "keep");
        assert!(!std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "new");
    }

    #[test]
    fn only_our_names_with_a_process_id_are_leftovers() {
        let of = |name: &str| leftover_of(OsStr::new(name));
        assert_eq!(of(".makeitstick-123-aBc9.part"), Some((123, false)));
        assert_eq!(of(".makeitstick-123-aBc9.old"), Some((123, false)));
        assert_eq!(of("makeitstick-build-77-xYz"), Some((77, true)));
        for name in [
            ".makeitstick-aBc9.part",
            ".makeitstick-123-.part",
            ".makeitstick-123-abc.pdf",
            ".makeitstick.lock",
            "makeitstick-build-x-1",
            "report.part",
        ] {
            assert_eq!(of(name), None, "{name}");
        }
    }
}
