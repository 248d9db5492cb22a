//! One site's exports, from files to waves in a history: the library half of
//! `makeitstick report`.
//!
//! [`read_waves`] reads and scores every export of a site as one wave each,
//! naming the wave from `--wave`, the file name or the last completion date;
//! [`put_waves`] puts the waves into the site's history; [`fingerprint`] says
//! whether anything a scheduled report depends on changed. The report command
//! calls each once; a programme run calls them once per site, each site with
//! its own [`Reading`] ([`sites`]: site folders read in parallel, or one
//! combined export routed to its sites).

mod fingerprint;
mod read;
pub mod sites;

pub use fingerprint::{PlanBytes, fingerprint, with_plan};
pub use read::{WaveRun, read_waves};

use std::path::PathBuf;

use crate::colour::Accent;
use crate::ingest::{DateOrderSetting, ReadOptions};
use crate::instrument::{Instrument, MapOptions};
use crate::project::{History, Wave, WaveScheme};
use crate::score::trend::WaveFigures;

/// Settings from the command line, else the project, else defaults.
#[derive(Debug, Clone)]
pub struct Settings {
    /// On the cover.
    pub organisation: Option<String>,
    /// On the cover.
    pub innovation: Option<String>,
    /// The accent colour, checked for contrast.
    pub accent: Accent,
    /// A folder of template files replacing the built-in ones.
    pub template: Option<PathBuf>,
    /// The cover's logo, checked.
    pub logo: Option<PathBuf>,
    /// Quote free-text answers.
    pub include_comments: bool,
    /// The privacy threshold.
    pub min_group_size: usize,
    /// How waves are named from dates.
    pub scheme: WaveScheme,
    /// `date-order` in the project settings (`--date-order` wins over it).
    pub date_order: Option<DateOrderSetting>,
}

/// How one site's exports are read, mapped, scored and named as waves.
#[derive(Debug, Clone, Copy)]
pub struct Reading<'a> {
    /// The questionnaire.
    pub instrument: &'a Instrument,
    /// How to read the exports.
    pub read_options: &'a ReadOptions,
    /// How to map their columns.
    pub map_options: &'a MapOptions,
    /// Privacy, comments and wave naming.
    pub settings: &'a Settings,
    /// `--wave`, for a single export.
    pub wave: Option<Wave>,
    /// True when one export needs no wave: it is the only one and no history is kept.
    pub allow_undated: bool,
    /// In a programme: the site read, whose figures the programme needs
    /// ([`WaveRun::site`]); `None` for a single organisation.
    pub site: Option<SiteName<'a>>,
    /// In a combined programme export: the last published response of any of
    /// its sites, which names every site's wave when neither `--wave` nor the
    /// file name does (one export is one survey round, even when a site's own
    /// answers all came in the quarter before); `None` elsewhere.
    pub export_last: Option<chrono::NaiveDateTime>,
}

/// A programme's site, as its figures name it.
#[derive(Debug, Clone, Copy)]
pub struct SiteName<'a> {
    /// programme.toml's id.
    pub id: &'a str,
    /// The name printed.
    pub name: &'a str,
}

/// Puts this run's waves into the history, replacing any earlier run of the same wave.
pub fn put_waves(history: &mut History, runs: &[WaveRun], instrument: &Instrument) {
    for run in runs {
        let Some(wave) = run.wave else { continue };
        let source = run
            .source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        history.put(WaveFigures::from_scores(
            wave,
            source,
            &run.scores,
            instrument,
            &run.responses.unmatched_statements,
        ));
    }
}
