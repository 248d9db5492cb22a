//! The programme view: many sites in one run, each compared fairly with the rest.
//!
//! This module is the pure core of a programme run: it reads no export and
//! writes no file (only `programme.toml` is read, by [`config`]):
//!
//! 1. [`config`] reads `programme.toml`: the sites, folder or combined-export
//!    sources, and the thresholds they share;
//! 2. [`route`] sends each row of a combined export to its site, so that one
//!    pass over the export fills one tally per site;
//! 3. [`site`] turns one site's tally into the figures the programme may use,
//!    the site's own privacy rule already applied;
//! 4. [`pool`] builds programme figures across sites without letting a cell a
//!    site hides be worked out by subtraction;
//! 5. [`funnel`] places every site's score in a funnel plot;
//! 6. [`summary`] gives the programme report's tables and each site's "How
//!    you compare" figures, and [`profiles`] how ingredient profiles cluster;
//! 7. [`template`] is the commented `programme.toml` a new programme folder starts from;
//! 8. [`history`] keeps the programme's published figures wave by wave
//!    (`programme-history.json`) and gives the programme's trend.

pub mod config;
pub mod funnel;
pub mod history;
pub mod pool;
pub mod profiles;
pub mod route;
pub mod site;
pub mod summary;
pub mod template;

use std::path::PathBuf;

pub use config::{ConfigProblem, ProgrammeConfig};

/// Errors of the programme layer.
#[derive(Debug, thiserror::Error)]
pub enum ProgrammeError {
    /// `programme.toml` could not be read.
    #[error("cannot read the programme settings {path}: {source}")]
    ReadConfig {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// `programme.toml` is malformed or has an unknown key.
    #[error("the programme settings {path} are not valid: {message}")]
    ParseConfig {
        /// The file.
        path: PathBuf,
        /// The TOML parser's message, which names the line and key.
        message: String,
    },
    /// `programme.toml` parsed but breaks a rule.
    #[error("the programme settings {path}: {problem}")]
    InvalidConfig {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: ConfigProblem,
    },
    /// A combined export's rows could not be sent to sites.
    #[error(transparent)]
    Route(#[from] route::RouteError),
}

impl ProgrammeError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            ProgrammeError::ReadConfig { .. } => {
                "check the path, or run `makeitstick init --programme DIR` to make a programme folder"
            }
            ProgrammeError::InvalidConfig {
                problem: ConfigProblem::UnknownSite { .. },
                ..
            } => {
                "add a [[sites]] table with that id to programme.toml, or rename or remove the folder"
            }
            ProgrammeError::ParseConfig { .. } | ProgrammeError::InvalidConfig { .. } => {
                "fix the key named above in programme.toml"
            }
            ProgrammeError::Route(error) => error.hint(),
        }
    }
}
