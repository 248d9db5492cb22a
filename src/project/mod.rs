//! The project folder: `makeitstick.toml`, the exports folder, the history of
//! waves (named by [`crate::wave`]) and the lock that keeps scheduled runs apart.
//!
//! A project folder holds everything a quarterly routine needs, so that
//! `makeitstick report` run in it needs no flags:
//!
//! ```text
//! makeitstick.toml          settings (see [`config`])
//! instrument.toml           the questionnaire, to customise
//! template/                 copies of the report template, to customise
//! exports/                  survey exports arrive here, one per wave
//! reports/                  reports are written here
//! makeitstick-history.json  each wave's published figures (see [`history`])
//! README.md                 the routine in plain English
//! ```

pub mod config;
pub mod exports;
pub mod history;
pub mod init;
pub mod lock;

pub use crate::wave::{Wave, WaveScheme};
pub use config::{CONFIG_FILE, Config, Project};
pub use history::History;
pub use lock::Lock;

use std::path::PathBuf;

use thiserror::Error;

/// Why a project folder could not be used.
#[derive(Debug, Error)]
pub enum ProjectError {
    /// The config file could not be read.
    #[error("cannot read the settings {path}: {source}")]
    ReadConfig {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The config file is malformed or has an unknown key.
    #[error("the settings {path} are not valid: {message}")]
    ParseConfig {
        /// The file.
        path: PathBuf,
        /// The TOML parser's message, which names the line and key.
        message: String,
    },
    /// The config file parsed but breaks a rule.
    #[error("the settings {path}: {problem}")]
    InvalidConfig {
        /// The file.
        path: PathBuf,
        /// What is wrong, naming the key.
        problem: String,
    },
    /// `init` would overwrite files.
    #[error("{} already exists; init never overwrites", .paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    AlreadyExists {
        /// The files in the way.
        paths: Vec<PathBuf>,
    },
    /// The history file could not be read.
    #[error("cannot read the history {path}: {source}")]
    ReadHistory {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The history file is damaged.
    #[error("the history {path} is damaged, so nothing was written: {message}")]
    CorruptHistory {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The history file was written by a newer version.
    #[error(
        "the history {path} has schema_version {version}, which this version of makeitstick cannot read"
    )]
    HistoryVersion {
        /// The file.
        path: PathBuf,
        /// Its version.
        version: u64,
    },
    /// Another run holds the lock.
    #[error("another makeitstick run ({holder}) is writing reports here; lock file {path}")]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// What the lock file says about its holder.
        holder: String,
    },
    /// A project's exports folder is empty and no report was made before.
    #[error("there is no export in {dir}")]
    NoExports {
        /// The exports folder.
        dir: PathBuf,
    },
    /// Two exports belong to the same wave.
    #[error("{first} and {second} are both wave {wave}; a wave has one export")]
    SameWave {
        /// The wave.
        wave: String,
        /// The first export.
        first: PathBuf,
        /// The second.
        second: PathBuf,
    },
    /// An export's wave cannot be told.
    #[error(
        "cannot tell which wave {path} belongs to: it has no completion dates and no wave in its file name"
    )]
    NoWave {
        /// The export.
        path: PathBuf,
    },
    /// An export's wave would be named from dates more than a year apart.
    #[error(
        "the responses in {path} run from {} to {}, more than a year apart, so its wave cannot be named from its last date",
        first.format("%-d %B %Y"),
        last.format("%-d %B %Y")
    )]
    LongPeriod {
        /// The export.
        path: PathBuf,
        /// The first published response's date.
        first: chrono::NaiveDate,
        /// The last's, which would name the wave.
        last: chrono::NaiveDate,
    },
    /// An export's last completion date is outside the years a wave may name.
    #[error(
        "the last completion date in {path} is {date}, outside the years a wave can name (1900 to 2999)"
    )]
    DateOutOfRange {
        /// The export.
        path: PathBuf,
        /// The date.
        date: chrono::NaiveDate,
    },
    /// The lock file is a link or not a regular file: writing it would write elsewhere.
    #[error("the lock file {path} is {problem}, so it was not used and nothing was written")]
    LockNotAFile {
        /// The lock file.
        path: PathBuf,
        /// "a symbolic link", "a hard link to another file", "not a regular file".
        problem: &'static str,
    },
    /// The lock file could not be opened.
    #[error("cannot use the lock file {path}: {source}")]
    LockFile {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl ProjectError {
    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            ProjectError::ReadConfig { .. } => {
                "check the path given with --config, or run `makeitstick init DIR` to make a project folder".into()
            }
            ProjectError::ParseConfig { .. } | ProjectError::InvalidConfig { .. } => {
                "fix the key named above; the comments in a fresh `makeitstick init` folder list every key".into()
            }
            ProjectError::AlreadyExists { .. } => {
                "this folder is already set up: run `makeitstick report` in it, or init a new folder".into()
            }
            ProjectError::ReadHistory { .. } => "check the file's permissions".into(),
            ProjectError::CorruptHistory { path, .. } => format!(
                "restore {} from a backup, or correct the value the message names; or move it away to start a new history from the exports in the exports folder (earlier waves without an export are then lost)",
                path.display()
            ),
            ProjectError::HistoryVersion { .. } => {
                "use the version of makeitstick that wrote it, or a newer one".into()
            }
            ProjectError::Locked { .. } => {
                "wait for the other run to finish and try again; the lock is released when it ends".into()
            }
            ProjectError::NoExports { .. } => {
                "save the survey export (.xlsx or .csv) in that folder and run again".into()
            }
            ProjectError::SameWave { .. } => {
                "remove one of them, or put each one's wave in its file name (survey-2026-Q3.xlsx)".into()
            }
            ProjectError::NoWave { .. } => {
                "put the wave in the file name (survey-2026-Q3.csv), or give --wave 2026-Q3 for a single export".into()
            }
            ProjectError::LockFile { .. } => "check that the folder can be written to".into(),
            ProjectError::LongPeriod { last, .. } => format!(
                "look for a mistyped year near {} in the completion dates, or put the wave in the file name (survey-2026-Q3.csv) if the survey really ran that long",
                last.format("%-d %B %Y")
            ),
            ProjectError::DateOutOfRange { .. } => {
                "check the completion dates in the export, or give the wave with --wave 2026-Q3 (or in the file name)".into()
            }
            ProjectError::LockNotAFile { path, .. } => format!(
                "remove {} (makeitstick makes its own lock file there) and run again",
                path.display()
            ),
        }
    }
}

/// A 64-bit FNV-1a fingerprint of many inputs, to tell whether anything changed
/// since the last report. Not a security measure: only equal-or-not matters.
#[derive(Debug, Clone)]
pub struct Fingerprint(u64);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(0xcbf2_9ce4_8422_2325)
    }
}

impl Fingerprint {
    /// Adds `bytes`, with their length so that ("ab", "c") and ("a", "bc") differ.
    pub fn add(&mut self, bytes: &[u8]) {
        for byte in (bytes.len() as u64).to_le_bytes().iter().chain(bytes) {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// The fingerprint as text.
    pub fn finish(&self) -> String {
        format!("fnv1a64:{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_see_boundaries() {
        let of = |parts: &[&str]| {
            let mut f = Fingerprint::default();
            for p in parts {
                f.add(p.as_bytes());
            }
            f.finish()
        };
        assert_eq!(of(&["ab", "c"]), of(&["ab", "c"]));
        assert_ne!(of(&["ab", "c"]), of(&["a", "bc"]));
    }
}
