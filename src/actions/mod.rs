//! The improvement plan the team keeps in the project folder (`plan.xlsx`, or
//! `plan.csv` for people who prefer it): written once with the suggested
//! actions ([`write`]), read back by every later report ([`read`]), and turned
//! into what the report shows ([`view`]). Named `actions` because `plan` is
//! the report's checked plan of work (`commands::plan`).
//!
//! makeitstick never edits the team's file: a row it cannot read is named on
//! stderr and shown as "could not be read", and a file it cannot open at all
//! is a warning; neither stops a scheduled report.

mod dates;
pub mod project;
pub mod read;
pub mod view;
pub mod write;

pub use dates::parse_date;
pub use project::{PlanStep, plan_file, plan_step};
pub use read::{PlanError, read_plan};
pub use view::{PlanView, Today};
pub use write::{Suggestion, plan_workbook, suggestions};

use chrono::NaiveDate;
use serde::Serialize;

/// The sheet holding the actions.
pub const SHEET: &str = "Plan";

/// The columns of the plan, in the order they are written.
pub const COLUMNS: [&str; 8] = [
    "Ingredient",
    "Action",
    "Owner",
    "By when",
    "Status",
    "How we will know",
    "Agreed in wave",
    "Notes",
];

/// Where an action stands, as the team writes it in the Status column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Agreed, not begun (also a blank status).
    NotStarted,
    /// Begun.
    InProgress,
    /// Finished.
    Done,
    /// Agreed, then not taken forward.
    Dropped,
}

impl Status {
    /// Every status, in the order of the drop-down list.
    pub const ALL: [Status; 4] = [
        Status::NotStarted,
        Status::InProgress,
        Status::Done,
        Status::Dropped,
    ];

    /// The words in the drop-down list and the report.
    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "not started",
            Status::InProgress => "in progress",
            Status::Done => "done",
            Status::Dropped => "dropped",
        }
    }

    /// The status a cell names, in any case and spacing ("In Progress",
    /// "in-progress"); a blank cell is "not started".
    pub fn parse(text: &str) -> Option<Status> {
        let words: String = text
            .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if words.is_empty() {
            return Some(Status::NotStarted);
        }
        Status::ALL.into_iter().find(|s| s.label() == words)
    }

    /// True when an action with this status is still to be done.
    pub fn open(self) -> bool {
        matches!(self, Status::NotStarted | Status::InProgress)
    }
}

/// One action the team wrote in the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// The spreadsheet row (1-based, the header is row 1).
    pub row: usize,
    /// The ingredient's id.
    pub ingredient: String,
    /// What will be done.
    pub action: String,
    /// Who owns it: a staff name, shown in the report and nowhere else.
    pub owner: String,
    /// When it should be done by.
    pub by_when: Option<NaiveDate>,
    /// Where it stands.
    pub status: Status,
    /// How the team will know it worked.
    pub how: String,
    /// The wave in which it was agreed, as written.
    pub agreed_in: Option<String>,
    /// Anything else the team wrote.
    pub notes: String,
}

/// A row of the plan that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// The file's name ("plan.xlsx").
    pub file: String,
    /// The sheet, for a workbook.
    pub sheet: Option<String>,
    /// The spreadsheet row (1-based).
    pub row: usize,
    /// The column's heading.
    pub column: String,
    /// What is wrong and what to write instead.
    pub problem: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, ", sheet {sheet:?}")?;
        }
        write!(
            f,
            ", row {}, column {:?}: {}",
            self.row, self.column, self.problem
        )
    }
}

/// What the plan file holds: the actions read and the rows that could not be.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// Every row read, in file order.
    pub actions: Vec<Action>,
    /// Every row that could not be read, in file order (one entry per bad cell).
    pub problems: Vec<RowProblem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_read_in_any_case_and_spacing() {
        assert_eq!(Status::parse("In Progress"), Some(Status::InProgress));
        assert_eq!(Status::parse(" in-progress "), Some(Status::InProgress));
        assert_eq!(Status::parse("DONE"), Some(Status::Done));
        assert_eq!(Status::parse(""), Some(Status::NotStarted));
        assert_eq!(Status::parse("finished"), None);
        assert!(Status::InProgress.open() && !Status::Dropped.open());
    }
}
