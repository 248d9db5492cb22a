//! What does not fit the questionnaire: answers not on the scale, group
//! answers that belong to no group, and the errors that stop a report
//! ([`MapError`]), each quoting at most a short redacted excerpt ([`excerpt`]).

use std::path::PathBuf;

use serde::Serialize;
use thiserror::Error;

/// An answer that is not on the scale.
#[derive(Debug, Clone, Serialize)]
pub struct OffScaleAnswer {
    /// Column letter.
    pub column: String,
    /// Header text.
    pub header: String,
    /// The value as found (clipped to its first 80 characters when longer).
    pub value: String,
    /// How many cells hold it.
    pub count: usize,
    /// The first row it appears in.
    pub first_row: usize,
}

/// An answer to the group question that belongs to no group.
#[derive(Debug, Clone, Serialize)]
pub struct UnknownGroup {
    /// Column letter.
    pub column: String,
    /// Header text.
    pub header: String,
    /// A short excerpt of the answer, contact details removed ([`excerpt`]);
    /// empty for an answer given by one row only, which is never quoted,
    /// since an "Other: …" answer given once may be a name.
    pub value: String,
    /// How many rows give it.
    pub count: usize,
    /// The first row it appears in.
    pub first_row: usize,
}

/// Why an export's columns or answers do not fit the instrument.
#[derive(Debug, Error)]
pub enum MapError {
    /// The mapping file cannot be read, or does not fit the export or instrument.
    #[error("mapping file {path}: {message}")]
    MappingFile {
        /// The mapping file.
        path: PathBuf,
        /// What is wrong, naming the key.
        message: String,
    },
    /// No column matched any statement.
    #[error(
        "{path}: none of the {columns} columns matches a statement of the instrument (the first headers are {sample})"
    )]
    NoStatements {
        /// The export.
        path: PathBuf,
        /// How many columns were kept.
        columns: usize,
        /// The first few headers, quoted.
        sample: String,
    },
    /// No column matched anything of the questionnaire and no survey platform
    /// was recognised: the file may be anything (a link to a system file, private
    /// notes), so nothing of it is quoted, not even its first line.
    #[error(
        "{path}: this does not look like a survey export: none of its {columns} columns matches the questionnaire and no survey platform was recognised (nothing of the file is quoted, in case it is not meant to be read)"
    )]
    NotAnExport {
        /// The file.
        path: PathBuf,
        /// How many columns were read.
        columns: usize,
    },
    /// Two columns matched the same statement.
    #[error(
        "{path}: columns {first} and {second} both match statement {statement:?}; a statement can come from one column only"
    )]
    DuplicateColumn {
        /// The export.
        path: PathBuf,
        /// The statement.
        statement: String,
        /// The first column letter and header.
        first: String,
        /// The second column letter and header.
        second: String,
    },
    /// Answers that are neither scale points nor declared missing answers.
    #[error("{path}: {}", describe_off_scale(.answers))]
    OffScale {
        /// The export.
        path: PathBuf,
        /// Every distinct bad answer.
        answers: Vec<OffScaleAnswer>,
    },
    /// Answers to the group question that belong to no group.
    #[error(
        "{path}: {} give{} a group answer that belongs to no respondent group; the first is row {row}, column {column} ({:?}): {}",
        crate::text::count(*.rows, "row", "rows"),
        if *.rows == 1 { "s" } else { "" },
        clip(.header),
        quoted(.value)
    )]
    UnknownGroup {
        /// The export.
        path: PathBuf,
        /// First row with one.
        row: usize,
        /// Column letter.
        column: String,
        /// Header text.
        header: String,
        /// The first such answer's excerpt; empty when it is given once (not quoted).
        value: String,
        /// Rows giving any answer that belongs to no group.
        rows: usize,
    },
}

/// An excerpt for a message, or why there is none.
fn quoted(excerpt: &str) -> String {
    if excerpt.is_empty() {
        "the answer is not quoted, since it is given by one row and may be personal (open the export at that row to see it)".to_string()
    } else {
        format!("{excerpt:?}")
    }
}

/// Longest excerpt of an answer a message quotes, in characters.
const EXCERPT: usize = 32;

/// A short, redacted excerpt of an answer, safe to print in an error or in
/// `check`: what follows a colon ("Other: Jane Smith, jane@example.org") is
/// left out as free text, e-mail addresses, phone numbers and links are
/// removed, and the rest is cut to 32 characters. Redaction comes before the
/// cut, so no half address survives it.
pub fn excerpt(answer: &str) -> String {
    let flat = answer.split_whitespace().collect::<Vec<_>>().join(" ");
    let (head, cut) = match flat.split_once(':') {
        Some((head, rest)) if !rest.trim().is_empty() => (head.trim_end().to_string(), true),
        _ => (flat, false),
    };
    let redacted = crate::score::comments::redact(&head);
    let mut out: String = redacted.chars().take(EXCERPT).collect();
    if cut {
        out.push_str(": …");
    } else if out.len() < redacted.len() {
        out.push('…');
    }
    out
}

impl MapError {
    /// A next step for the user.
    pub fn hint(&self) -> &'static str {
        match self {
            MapError::MappingFile { .. } => {
                "each line of [columns] reads COLUMN = \"statement-id\", where COLUMN is a column letter, header or code in the export, and the value is a statement id of the instrument, \"group\" or \"ignore\""
            }
            MapError::NoStatements { .. } => {
                "check that this is the export of the makeitstick survey; if the statements were reworded or the headers are codes, add the wording to `aliases` or the code to `ids` in a copy of the instrument and pass it with --instrument, or map the columns in a file passed with --mapping"
            }
            MapError::NotAnExport { .. } => {
                "if it is not a survey export, move it out of the exports folder (or stop naming it); if it is, run `makeitstick check FILE` on it to list its columns, then add their wording to `aliases` or their codes to `ids` in a copy of the instrument (--instrument), or map them in a file passed with --mapping"
            }
            MapError::DuplicateColumn { .. } => {
                "map the column that is not the statement to \"ignore\" in a mapping file passed with --mapping ([columns] \"H\" = \"ignore\"), or remove it from the export"
            }
            MapError::OffScale { .. } => {
                "correct the answers in the export, or add the wording to the scale's `aliases` (or to `missing` if it means no view; numbers go in `codes`) in a copy of the instrument and pass it with --instrument; --missing-code VALUE treats a value as unanswered"
            }
            MapError::UnknownGroup { .. } => {
                "add the answer to one group's `answers` in a copy of the instrument (--instrument) or to `group-answers` in makeitstick.toml; or count such rows as \"Did not say which group\" with --unknown-groups other (`unknown-groups = \"other\"` in makeitstick.toml); `makeitstick check` lists every such answer"
            }
        }
    }
}

/// At most 80 characters of a cell or header, for a message: a 10 MB cell is
/// named by its start.
pub(super) fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 80;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}… ({} characters)", &text[..end], text.chars().count()).into(),
        None => text.into(),
    }
}

fn describe_off_scale(answers: &[OffScaleAnswer]) -> String {
    let mut text = format!(
        "{} not on the scale:",
        crate::text::count(answers.len(), "answer is", "answers are")
    );
    for answer in answers.iter().take(10) {
        text.push_str(&format!(
            "\n  {:?} in column {} ({:?}), {}, first at row {}",
            answer.value,
            answer.column,
            clip(&answer.header),
            crate::text::count(answer.count, "time", "times"),
            answer.first_row
        ));
    }
    if answers.len() > 10 {
        text.push_str(&format!("\n  and {} more", answers.len() - 10));
    }
    text
}
