//! The plan in a project folder, for one report: which file is the team's
//! plan, reading it, and which workbook of suggestions (if any) this run writes.
//!
//! - No `plan.xlsx` nor `plan.csv`: this run writes `plan.xlsx` with this
//!   wave's suggestions; there are no agreed actions to show yet.
//! - A plan exists: it is read (never written), and this wave's suggestions go
//!   to `plan-suggestions-<wave>.xlsx`, unless the plan already holds actions
//!   agreed in this wave (a re-run of the wave that started it) or that file
//!   exists (the team may have edited it; a re-run of the same wave would
//!   write the same suggestions).

use std::path::{Path, PathBuf};

use super::view::{PlanView, Today};
use super::{Plan, read_plan};
use crate::instrument::Instrument;
use crate::log::Log;
use crate::score::trend::WaveFigures;
use crate::wave::Wave;

/// The plan's file names in a project folder, the workbook first.
pub const FILES: [&str; 2] = ["plan.xlsx", "plan.csv"];

/// The team's plan in `dir`: the first of [`FILES`] that exists.
pub fn plan_file(dir: &Path) -> Option<PathBuf> {
    FILES.iter().map(|f| dir.join(f)).find(|p| p.exists())
}

/// What one report does with the project's plan.
#[derive(Debug, Clone)]
pub struct PlanStep {
    /// What the report shows; `None` when the project has no plan yet.
    pub view: Option<PlanView>,
    /// The workbook of suggestions this run writes, when it writes one.
    pub suggestions_file: Option<PathBuf>,
}

/// Reads the plan in `dir` (if there is one) for the report of `wave`, the
/// last of `waves`; each row that cannot be read, and a file that cannot be
/// opened, is a warning naming it.
pub fn plan_step(
    dir: &Path,
    instrument: &Instrument,
    wave: &Wave,
    waves: &[WaveFigures],
    today: Today,
    log: Log,
) -> PlanStep {
    let Some(path) = plan_file(dir) else {
        return PlanStep {
            view: None,
            suggestions_file: Some(dir.join(FILES[0])),
        };
    };
    let read = read_plan(&path, instrument);
    match &read {
        Ok(plan) => {
            for problem in &plan.problems {
                log.warn(&format!(
                    "{problem}; the row is shown as \"could not be read\""
                ));
            }
        }
        Err(error) => log.warn(&format!("{error}; {}", error.hint())),
    }
    let file = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let view = PlanView::build(&file, read.as_ref(), instrument, waves, today);
    let this_wave = wave.to_string();
    let started_here = read.as_ref().is_ok_and(|plan: &Plan| {
        plan.actions
            .iter()
            .any(|a| a.agreed_in.as_deref() == Some(this_wave.as_str()))
    });
    let suggestions = dir.join(format!("plan-suggestions-{}.xlsx", wave.file_stem()));
    PlanStep {
        view: Some(view),
        suggestions_file: (!started_here && !suggestions.exists()).then_some(suggestions),
    }
}
