//! A lock so that two runs never write the same report or history at once.
//!
//! An exclusive advisory lock ([`std::fs::File::try_lock`]) on a small file in
//! the project (or output) folder. The operating system releases it when the
//! process ends, even after a crash, so a stale lock file is harmless and is
//! left in place: deleting it could let a waiting run lock a different file.
//!
//! The lock file is opened without following a symbolic link (`O_NOFOLLOW`)
//! and must be a regular file with no other name (no hard link): otherwise a
//! link planted in the folder would have the run write its process id into
//! the file it points at. Such a lock file is refused, and nothing is written.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::ProjectError;

/// The lock file's name.
pub const LOCK_FILE: &str = ".makeitstick.lock";

/// A held lock; released when dropped.
#[derive(Debug)]
pub struct Lock {
    _file: File,
    /// The lock file.
    pub path: PathBuf,
}

impl Lock {
    /// Takes the lock at `path` without waiting; an error when another run holds it.
    pub fn acquire(path: &Path) -> Result<Lock, ProjectError> {
        let io = |source: std::io::Error| ProjectError::LockFile {
            path: path.to_path_buf(),
            source,
        };
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).read(true).write(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // Never through a link; and a FIFO planted there must not block the open.
            options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        }
        let not_a_plain_file = |problem: &'static str| ProjectError::LockNotAFile {
            path: path.to_path_buf(),
            problem,
        };
        let mut file = match options.open(path) {
            Ok(file) => file,
            Err(_) if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()) => {
                return Err(not_a_plain_file("a symbolic link"));
            }
            Err(source) => return Err(io(source)),
        };
        let meta = file.metadata().map_err(io)?;
        if !meta.is_file() {
            return Err(not_a_plain_file("not a regular file"));
        }
        #[cfg(unix)]
        if std::os::unix::fs::MetadataExt::nlink(&meta) > 1 {
            return Err(not_a_plain_file("a hard link to another file"));
        }
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = std::fs::read_to_string(path).unwrap_or_default();
                let holder = match holder.trim() {
                    "" => "another process".to_string(),
                    text => text.to_string(),
                };
                return Err(ProjectError::Locked {
                    path: path.to_path_buf(),
                    holder,
                });
            }
            Err(TryLockError::Error(source)) => return Err(io(source)),
        }
        // Who holds it, for the message another run prints.
        file.set_len(0).map_err(io)?;
        write!(file, "process {}", std::process::id()).map_err(io)?;
        Ok(Lock {
            _file: file,
            path: path.to_path_buf(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(LOCK_FILE);
        let first = Lock::acquire(&path).unwrap();
        let error = Lock::acquire(&path).unwrap_err().to_string();
        assert!(
            error.contains(&format!("process {}", std::process::id())),
            "{error}"
        );
        drop(first);
        Lock::acquire(&path).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_that_is_a_link_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "precious").unwrap();
        let path = dir.path().join(LOCK_FILE);
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        let error = Lock::acquire(&path).unwrap_err().to_string();
        assert!(error.contains("symbolic link"), "{error}");
        std::fs::remove_file(&path).unwrap();
        std::fs::hard_link(&victim, &path).unwrap();
        let error = Lock::acquire(&path).unwrap_err().to_string();
        assert!(error.contains("hard link"), "{error}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    }
}
