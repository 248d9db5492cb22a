//! Mapping an export's columns to the instrument's statements, and its cells to answers.
//!
//! A column is matched by the first rule that fits, in this order:
//!
//! 1. the mapping file (`--mapping`): column letter, header or code → statement id;
//! 2. a platform id listed in the instrument (`ids`: Qualtrics ImportId or tag,
//!    LimeSurvey code, Kobo name), for exports whose headers are codes or translated;
//! 3. the whole header, normalised, equals a statement's wording or alias;
//! 4. the statement part of a grid or matrix header: the text after a separator
//!    (`Question [Statement]`, `Question - Statement`, `Question-Statement`,
//!    `Question.Statement`, `1.1. Statement`, `group/Statement`), which also
//!    covers Qualtrics' truncated `Question text...-Statement`.
//!
//! An answer is matched on the scale of its statement (each statement names
//! one; the first by default), after normalising case, spaces and quotes: by a
//! numeric code the instrument declares; by a label or alias; by a number
//! equal to a scale point's value; after removing a leading `N - ` / `N. ` /
//! `N) ` / `N: ` / `N = ` number; by the words in any order ("Agree
//! strongly"); by the text outside or inside a trailing parenthesis
//! ("Unfamiliar (N/A)"). Blanks and the platform's missing codes (Qualtrics
//! `-99`) are unanswered, never zero.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::Instrument;
use crate::ingest::{Column, Excluded, ExportSummary, Platform, Row};
use crate::text::normalise;

/// One respondent's answers, identified only by the row they came from.
#[derive(Debug, Clone, Default)]
pub struct Respondent {
    /// Row number in the export (for error messages only; never written to an output).
    pub row: usize,
    /// Index into [`Instrument::group_options`], or `None` when the group question
    /// was left blank, is not in the export, or the instrument has no groups.
    pub group: Option<usize>,
    /// One answer per statement, in [`Instrument::statements`] order.
    pub answers: Vec<Answer>,
    /// When the response was completed, if the export says (both readings of
    /// a date like `1/9/2020` until the column's order is decided, see
    /// [`crate::ingest::Stamp`]).
    pub completed: Option<crate::ingest::Stamp>,
}

/// One answer to one statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The cell was blank.
    Unanswered,
    /// A "no view" answer: index into the `missing` answers of the statement's scale.
    Missing(usize),
    /// A scored answer: the value of a point of the statement's scale.
    Point(i32),
}

/// Which column feeds which statement.
#[derive(Debug, Clone, Serialize)]
pub struct MappedColumn {
    /// Column letter in the export.
    pub column: String,
    /// Header text.
    pub header: String,
    /// Statement id.
    pub statement: String,
    /// Ingredient id.
    pub ingredient: String,
    /// Which rule matched it: "mapping file", "platform id", "header" or "statement part of header".
    pub matched_by: &'static str,
}

/// An export's answers, keyed to the instrument.
#[derive(Debug, Clone)]
pub struct Responses {
    /// The export file.
    pub source: PathBuf,
    /// Columns matched to statements.
    pub mapping: Vec<MappedColumn>,
    /// The column holding the group question, if found.
    pub group_column: Option<String>,
    /// Headers of kept columns that matched nothing.
    pub unmapped: Vec<String>,
    /// Statement ids no column matched.
    pub unmatched_statements: Vec<String>,
    /// Rows read from the export.
    pub rows_read: usize,
    /// Rows left out because they answered no statement.
    pub rows_without_answers: usize,
    /// Rows set aside before scoring, by reason: spam, previews, incomplete
    /// responses and duplicates (counts only, never which rows).
    pub excluded: Vec<Excluded>,
}

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
        plural(*.rows, "row", "rows"),
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

/// "1 row", "3 rows".
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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
fn clip(text: &str) -> std::borrow::Cow<'_, str> {
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

/// Options for mapping a table.
#[derive(Debug, Clone, Default)]
pub struct MapOptions {
    /// Explicit column → statement pairs (`--mapping`).
    pub mapping: Option<MappingFile>,
    /// What a group answer that belongs to no group does (`--unknown-groups`).
    pub unknown_groups: UnknownGroups,
    /// True when the user named the file on the command line to inspect it
    /// (`check FILE`): its first headers may then be quoted when nothing
    /// matches. False for `report`, whose files may come from the exports
    /// folder through a link: an unrecognised file is then quoted nowhere.
    pub quote_unrecognised: bool,
}

/// What a group answer that belongs to no group does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum UnknownGroups {
    /// Stop with an error giving how many rows and the first row.
    #[default]
    Error,
    /// Count those rows in "Did not say which group".
    Other,
}

/// A mapping file: which column holds which statement, for exports nothing else matches.
///
/// ```toml
/// [columns]
/// "Q2_1" = "context-1"          # a column code or header
/// "H" = "context-2"             # a column letter
/// "Your job" = "group"          # the group question
/// "Q2_8" = "ignore"             # never map this column
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MappingFile {
    /// Column letter, header or code → statement id, `group` or `ignore`.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// The file it was read from.
    #[serde(skip)]
    pub path: PathBuf,
}

impl MappingFile {
    /// Reads and parses a mapping file (strictly: an unknown key is an error).
    pub fn load(path: &Path) -> Result<MappingFile, MapError> {
        let fail = |message: String| MapError::MappingFile {
            path: path.to_path_buf(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
        let mut file: MappingFile =
            toml::from_str(&text).map_err(|e| fail(e.to_string().trim_end().to_string()))?;
        file.path = path.to_path_buf();
        Ok(file)
    }
}

/// The key a platform id is compared by: lowercase, `-` read as `_`, outer space trimmed.
pub fn id_key(id: &str) -> String {
    id.trim().to_lowercase().replace('-', "_")
}

/// What a column feeds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Target {
    Statement(usize),
    Group,
    Ignore,
}

/// Everything mapping found: the responses, and the answers that do not fit.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The responses (off-scale answers read as unanswered, unknown groups as none).
    pub responses: Responses,
    /// Every distinct answer not on the scale, in order of first appearance.
    pub off_scale: Vec<OffScaleAnswer>,
    /// Every distinct group answer that belongs to no group, in order of first appearance.
    pub unknown_groups: Vec<UnknownGroup>,
    /// True unless `--unknown-groups other` counts those rows as "did not say".
    pub unknown_groups_are_errors: bool,
}

impl Analysis {
    /// The responses, or the error that stops a report being made.
    pub fn into_result(self) -> Result<Responses, MapError> {
        if !self.off_scale.is_empty() {
            return Err(MapError::OffScale {
                path: self.responses.source,
                answers: self.off_scale,
            });
        }
        if self.unknown_groups_are_errors
            && let Some(first) = self.unknown_groups.first()
        {
            return Err(MapError::UnknownGroup {
                path: self.responses.source,
                row: first.first_row,
                column: first.column.clone(),
                header: first.header.clone(),
                value: first.value.clone(),
                rows: self.unknown_groups.iter().map(|g| g.count).sum(),
            });
        }
        Ok(self.responses)
    }
}

/// Reads rows into answers, one row at a time, for columns matched once.
///
/// Built from the columns of an export's summary
/// ([`crate::ingest::RowStream::summary`]); [`map`](RowMapper::map) reads one
/// row; [`finish`](RowMapper::finish) gives the [`Analysis`]. What it keeps
/// while rows go by: each distinct answer not on the scale and each distinct
/// group answer that belongs to no group, with its count and first row, and
/// the answer (and group) of up to [`ANSWER_CACHE`] distinct cell texts, so
/// that a repeated label is matched once.
pub struct RowMapper<'a> {
    instrument: &'a Instrument,
    source: PathBuf,
    columns: Vec<crate::ingest::Column>,
    /// Statement index → (column index, rule).
    statement_columns: Vec<Option<(usize, &'static str)>>,
    group_column: Option<usize>,
    unmapped: Vec<String>,
    /// Per scale (in [`Instrument::scales`] order): its answers' spellings.
    labels: Vec<AnswerLabels>,
    /// Per statement: the index of its scale.
    statement_scales: Vec<usize>,
    groups: GroupLabels,
    /// Per scale: cell text → answer, for up to [`ANSWER_CACHE`] texts in all.
    cache: Vec<HashMap<String, Option<Answer>>>,
    /// Per statement: the first few distinct cells met and their answers,
    /// compared before any hashing (a Likert column has a handful).
    recent: Vec<Vec<(String, Option<Answer>)>>,
    /// Cell texts held in `cache`, over every scale.
    cached: usize,
    group_cache: HashMap<String, Option<usize>>,
    off_scale: BTreeMap<(usize, String), OffScaleAnswer>,
    unknown_groups: BTreeMap<String, UnknownGroup>,
    unknown_groups_are_errors: bool,
    rows_without_answers: usize,
}

/// How many distinct cell texts a [`RowMapper`] remembers the answer of.
pub const ANSWER_CACHE: usize = 4096;

/// How many distinct cells per statement a [`RowMapper`] compares directly.
const RECENT: usize = 8;

impl<'a> RowMapper<'a> {
    /// Matches the export's columns to the instrument's statements.
    pub fn new(
        table: &ExportSummary,
        instrument: &'a Instrument,
        options: &MapOptions,
    ) -> Result<RowMapper<'a>, MapError> {
        let statements: Vec<_> = instrument.statements().collect();
        let targets = match_columns(&table.columns, &table.source, instrument, options)?;

        let mut statement_columns: Vec<Option<(usize, &'static str)>> =
            vec![None; statements.len()];
        let mut group_column = None;
        let mut unmapped = Vec::new();
        for (column_index, target) in targets.iter().enumerate() {
            match target {
                Some((Target::Statement(statement), rule)) => {
                    if let Some((previous, _)) = statement_columns[*statement] {
                        let describe = |i: usize| {
                            format!(
                                "{} ({:?})",
                                table.columns[i].letter,
                                clip(&table.columns[i].header)
                            )
                        };
                        return Err(MapError::DuplicateColumn {
                            path: table.source.clone(),
                            statement: statements[*statement].1.id.clone(),
                            first: describe(previous),
                            second: describe(column_index),
                        });
                    }
                    statement_columns[*statement] = Some((column_index, rule));
                }
                Some((Target::Group, _)) if group_column.is_none() => {
                    group_column = Some(column_index);
                }
                _ => unmapped.push(table.columns[column_index].header.clone()),
            }
        }
        if statement_columns.iter().all(Option::is_none) {
            // Headers are quoted only from a file that is recognisably a survey
            // export: a known platform was detected, or some column matched the
            // group question or the mapping file. Anything else may be a secret
            // (a link in exports/ to a password file, private notes).
            let recognised = (table.platform_detected
                && table.profile.platform != Platform::Generic)
                || targets.iter().any(Option::is_some);
            if !recognised && !options.quote_unrecognised {
                return Err(MapError::NotAnExport {
                    path: table.source.clone(),
                    columns: table.columns.len(),
                });
            }
            let sample = table
                .columns
                .iter()
                .take(4)
                .map(|c| format!("{:?}", clip(&c.header)))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(MapError::NoStatements {
                path: table.source.clone(),
                columns: table.columns.len(),
                sample: if sample.is_empty() {
                    "none".into()
                } else {
                    sample
                },
            });
        }
        Ok(RowMapper {
            instrument,
            source: table.source.clone(),
            columns: table.columns.clone(),
            statement_columns,
            group_column,
            unmapped,
            labels: instrument
                .scales()
                .map(|scale| AnswerLabels::new(scale, &table.profile.missing_codes))
                .collect(),
            statement_scales: statements
                .iter()
                .map(|(_, s)| instrument.scale_index(s))
                .collect(),
            groups: GroupLabels::new(instrument),
            cache: vec![HashMap::new(); instrument.scales().count()],
            cached: 0,
            recent: vec![Vec::new(); statements.len()],
            group_cache: HashMap::new(),
            off_scale: BTreeMap::new(),
            unknown_groups: BTreeMap::new(),
            unknown_groups_are_errors: options.unknown_groups == UnknownGroups::Error,
            rows_without_answers: 0,
        })
    }

    /// Reads one row into `respondent` (its buffers are reused); false when the
    /// row answers no statement, which is counted and should be left out.
    /// Answers not on the scale are read as unanswered, and a group answer
    /// that belongs to no group as none; both are collected for [`finish`](RowMapper::finish).
    pub fn map(&mut self, row: &Row, respondent: &mut Respondent) -> bool {
        respondent.answers.clear();
        for (k, column) in self.statement_columns.iter().enumerate() {
            let cell = column.map(|(c, _)| row.cells[c].as_str()).unwrap_or("");
            let recent = &mut self.recent[k];
            let answer = match recent.iter().find(|(text, _)| text == cell) {
                Some((_, answer)) => *answer,
                None => {
                    let scale = self.statement_scales[k];
                    let answer = match self.cache[scale].get(cell) {
                        Some(answer) => *answer,
                        None => {
                            let answer = self.labels[scale].answer(cell);
                            if self.cached < ANSWER_CACHE {
                                self.cache[scale].insert(cell.to_string(), answer);
                                self.cached += 1;
                            }
                            answer
                        }
                    };
                    if recent.len() < RECENT {
                        recent.push((cell.to_string(), answer));
                    }
                    answer
                }
            };
            let answer = match answer {
                Some(answer) => answer,
                None => {
                    let (c, _) = column.expect("a non-blank cell comes from a mapped column");
                    let columns = &self.columns;
                    self.off_scale
                        .entry((c, cell.to_string()))
                        .and_modify(|a| a.count += 1)
                        .or_insert_with(|| OffScaleAnswer {
                            column: columns[c].letter.clone(),
                            header: columns[c].header.clone(),
                            value: excerpt(cell),
                            count: 1,
                            first_row: row.number,
                        });
                    Answer::Unanswered
                }
            };
            respondent.answers.push(answer);
        }
        if respondent.answers.iter().all(|a| *a == Answer::Unanswered) {
            self.rows_without_answers += 1;
            return false;
        }
        let group = match self.group_column.map(|c| row.cells[c].as_str()) {
            None | Some("") => None,
            Some(value) => match self.group_of(value) {
                Some(group) => Some(group),
                None => {
                    let c = self
                        .group_column
                        .expect("the value came from the group column");
                    let columns = &self.columns;
                    self.unknown_groups
                        .entry(value.to_string())
                        .and_modify(|g| g.count += 1)
                        .or_insert_with(|| UnknownGroup {
                            column: columns[c].letter.clone(),
                            header: columns[c].header.clone(),
                            value: excerpt(value),
                            count: 1,
                            first_row: row.number,
                        });
                    None
                }
            },
        };
        respondent.row = row.number;
        respondent.group = group;
        respondent.completed = row.completed;
        true
    }

    /// Per statement in instrument order: whether a column of the export was
    /// matched to it (for [`crate::score::tally::Tally::new`]).
    pub fn in_export(&self) -> Vec<bool> {
        self.statement_columns.iter().map(Option::is_some).collect()
    }

    /// The group a group answer names, remembered for up to [`ANSWER_CACHE`] answers.
    fn group_of(&mut self, value: &str) -> Option<usize> {
        if let Some(group) = self.group_cache.get(value) {
            return *group;
        }
        let group = self.groups.group(value);
        if self.group_cache.len() < ANSWER_CACHE {
            self.group_cache.insert(value.to_string(), group);
        }
        group
    }

    /// The analysis, with the reader's counts of rows read and set aside.
    pub fn finish(self, rows_read: usize, excluded: Vec<Excluded>) -> Analysis {
        let statements: Vec<_> = self.instrument.statements().collect();
        let mut off_scale: Vec<_> = self.off_scale.into_values().collect();
        off_scale.sort_by_key(|a| (a.first_row, a.column.len(), a.column.clone()));
        let mut unknown_groups: Vec<_> = self.unknown_groups.into_values().collect();
        unknown_groups.sort_by_key(|g| g.first_row);
        // An answer given once is never quoted: "Other: …" may be a name.
        for group in &mut unknown_groups {
            if group.count == 1 {
                group.value.clear();
            }
        }

        let columns = &self.columns;
        let mapping = self
            .statement_columns
            .iter()
            .zip(&statements)
            .filter_map(|(column, (ingredient, statement))| {
                column.map(|(c, rule)| MappedColumn {
                    column: columns[c].letter.clone(),
                    header: columns[c].header.clone(),
                    statement: statement.id.clone(),
                    ingredient: self.instrument.ingredients[*ingredient].id.clone(),
                    matched_by: rule,
                })
            })
            .collect();
        let unmatched_statements = self
            .statement_columns
            .iter()
            .zip(&statements)
            .filter(|(column, _)| column.is_none())
            .map(|(_, (_, statement))| statement.id.clone())
            .collect();

        Analysis {
            responses: Responses {
                source: self.source,
                mapping,
                group_column: self.group_column.map(|c| columns[c].header.clone()),
                unmapped: self.unmapped,
                unmatched_statements,
                rows_read,
                rows_without_answers: self.rows_without_answers,
                excluded,
            },
            off_scale,
            unknown_groups,
            unknown_groups_are_errors: self.unknown_groups_are_errors,
        }
    }
}

/// Which of these columns the questionnaire reads as questions: statements,
/// the group question and comment questions, by the same rules as mapping.
///
/// The reader asks this before it judges columns by their content, so that a
/// question is never dropped for holding, say, e-mail addresses. A mapping file
/// that does not fit the columns answers "no question" here; mapping reports it.
pub fn question_columns(instrument: &Instrument, options: &MapOptions) -> crate::ingest::Questions {
    let instrument = instrument.clone();
    let options = options.clone();
    crate::ingest::Questions(std::sync::Arc::new(move |columns: &[Column]| {
        let comments: Vec<String> = instrument
            .comments
            .iter()
            .flat_map(|c| std::iter::once(&c.question).chain(&c.aliases))
            .map(|w| normalise(w))
            .collect();
        let targets = match_columns(columns, Path::new(""), &instrument, &options)
            .unwrap_or_else(|_| vec![None; columns.len()]);
        columns
            .iter()
            .zip(targets)
            .map(|(column, target)| {
                matches!(target, Some((Target::Statement(_) | Target::Group, _)))
                    || comments.contains(&normalise(&column.header))
            })
            .collect()
    }))
}

/// Decides what each column feeds, by the rules in the module documentation.
fn match_columns(
    columns: &[Column],
    source: &Path,
    instrument: &Instrument,
    options: &MapOptions,
) -> Result<Vec<Option<(Target, &'static str)>>, MapError> {
    let statements: Vec<_> = instrument.statements().collect();
    let mut targets: Vec<Option<(Target, &'static str)>> = vec![None; columns.len()];

    // 1. The mapping file.
    if let Some(file) = &options.mapping {
        let fail = |message: String| MapError::MappingFile {
            path: file.path.clone(),
            message,
        };
        for (key, value) in &file.columns {
            let target = match value.trim() {
                "group" => Target::Group,
                "ignore" => Target::Ignore,
                id => Target::Statement(
                    statements
                        .iter()
                        .position(|(_, s)| s.id == id)
                        .ok_or_else(|| {
                            fail(format!(
                                "{value:?} (for column {key:?}) is not a statement id of the instrument, nor \"group\" or \"ignore\""
                            ))
                        })?,
                ),
            };
            let column = find_column(columns, key).ok_or_else(|| {
                fail(format!(
                    "the column {key:?} is not in {}: give a column letter, header or code from it",
                    source.display()
                ))
            })?;
            targets[column] = Some((target, "mapping file"));
        }
    }

    // 2. Platform ids listed in the instrument.
    let mut ids: HashMap<String, Target> = HashMap::new();
    for (index, (_, statement)) in statements.iter().enumerate() {
        for id in &statement.ids {
            ids.insert(id_key(id), Target::Statement(index));
        }
    }
    for id in instrument.groups.iter().flat_map(|g| &g.ids) {
        ids.insert(id_key(id), Target::Group);
    }
    if !ids.is_empty() {
        for (index, column) in columns.iter().enumerate() {
            if targets[index].is_some() {
                continue;
            }
            let found = column_ids(column)
                .iter()
                .find_map(|key| ids.get(key).copied());
            if let Some(target) = found {
                targets[index] = Some((target, "platform id"));
            }
        }
    }

    // 3 and 4. Wordings: the whole header, then the statement part of a grid header.
    let mut wordings: HashMap<String, Target> = HashMap::new();
    for (index, (_, statement)) in statements.iter().enumerate() {
        for wording in std::iter::once(&statement.text).chain(&statement.aliases) {
            wordings.insert(normalise(wording), Target::Statement(index));
        }
    }
    let group_wordings: Vec<String> = instrument
        .groups
        .iter()
        .flat_map(|g| std::iter::once(&g.question).chain(&g.aliases))
        .map(|w| normalise(w))
        .collect();
    for (index, column) in columns.iter().enumerate() {
        if targets[index].is_some() {
            continue;
        }
        let key = normalise(&column.header);
        if let Some(target) = wordings.get(&key) {
            targets[index] = Some((*target, "header"));
        } else if group_wordings.contains(&key) {
            targets[index] = Some((Target::Group, "header"));
        }
    }
    let group_found = targets
        .iter()
        .any(|t| matches!(t, Some((Target::Group, _))));
    for (index, column) in columns.iter().enumerate() {
        if targets[index].is_some() {
            continue;
        }
        for part in statement_parts(&column.header) {
            if let Some(target) = wordings.get(&part) {
                targets[index] = Some((*target, "statement part of header"));
                break;
            }
            if !group_found && group_wordings.contains(&part) {
                targets[index] = Some((Target::Group, "statement part of header"));
                break;
            }
        }
    }
    Ok(targets)
}

/// The column a mapping-file key names: its letter, header or code.
fn find_column(columns: &[Column], key: &str) -> Option<usize> {
    let trimmed = key.trim();
    if !trimmed.is_empty()
        && trimmed.len() <= 3
        && trimmed.chars().all(|c| c.is_ascii_uppercase())
        && let Some(i) = columns.iter().position(|c| c.letter == trimmed)
    {
        return Some(i);
    }
    let by = |f: &dyn Fn(&Column) -> bool| columns.iter().position(f);
    by(&|c| c.header.trim() == trimmed)
        .or_else(|| by(&|c| c.code.as_deref().is_some_and(|code| code.trim() == trimmed)))
        .or_else(|| {
            by(&|c| {
                c.import_id
                    .as_deref()
                    .is_some_and(|id| id_key(id) == id_key(trimmed))
            })
        })
        .or_else(|| {
            let key = normalise(trimmed);
            by(&|c| normalise(&c.header) == key)
        })
}

/// The ids a column can be known by: its import id, code, and a header that is a code.
fn column_ids(column: &crate::ingest::Column) -> Vec<String> {
    let mut keys = Vec::new();
    for id in [column.import_id.as_deref(), column.code.as_deref()]
        .into_iter()
        .flatten()
    {
        keys.push(id_key(id));
    }
    let header = column.header.trim();
    if !header.is_empty() && !header.contains(char::is_whitespace) {
        keys.push(id_key(header));
        // Kobo and ODK put the group in front: `context/welcomes` or `context.welcomes`.
        if let Some((_, last)) = header.rsplit_once(['/', '.'])
            && !last.is_empty()
        {
            keys.push(id_key(last));
        }
    }
    keys
}

/// Characters after which a grid or matrix header's statement part can start.
const SEPARATORS: &[char] = &['-', '.', ':', '[', '|', '/', '?', ')', ']', ';', '>', '\n'];

/// The longest statement part of a header that is looked for, in bytes.
const MAX_PART: usize = 2_000;

/// Candidate statement parts of a header, longest first: the normalised text
/// after each separator, without a closing `]`.
///
/// Microsoft Forms quiz columns (`Points - Question`, `Feedback - Question`)
/// give none: they hold marks, not answers.
pub(crate) fn statement_parts(header: &str) -> Vec<String> {
    let full = normalise(header);
    if full.starts_with("points - ") || full.starts_with("feedback - ") {
        return Vec::new();
    }
    // A part is compared with statement wordings, which are short: parts longer
    // than MAX_PART can never match, and looking for them in a 10 MB header
    // would take hours. Only separators in the last MAX_PART bytes are tried.
    let mut window = full.len().saturating_sub(MAX_PART);
    while !full.is_char_boundary(window) {
        window += 1;
    }
    let mut parts: Vec<String> = Vec::new();
    for (i, ch) in full[window..].char_indices() {
        let i = window + i;
        if !SEPARATORS.contains(&ch) {
            continue;
        }
        let rest = full[i + ch.len_utf8()..]
            .trim_start_matches(|c: char| SEPARATORS.contains(&c) || c.is_whitespace())
            .trim_end();
        let rest = rest.strip_suffix(']').unwrap_or(rest);
        let part = normalise(rest);
        if !part.is_empty() && part != full && !parts.contains(&part) {
            parts.push(part);
        }
    }
    parts
}

/// Normalised answer spellings → answers, with the fallbacks in the module documentation.
struct AnswerLabels {
    labels: HashMap<String, Answer>,
    /// Sorted words of each label → answer; `None` when two answers share the words.
    words: HashMap<Vec<String>, Option<Answer>>,
    codes: HashMap<i64, Answer>,
    values: HashMap<i64, Answer>,
    unanswered: HashSet<String>,
}

impl AnswerLabels {
    fn new(scale: &super::Scale, missing_codes: &[String]) -> Self {
        let mut labels = HashMap::new();
        let mut words: HashMap<Vec<String>, Option<Answer>> = HashMap::new();
        let mut codes = HashMap::new();
        let mut values = HashMap::new();
        let mut add = |spelling: &str, answer: Answer| {
            let key = normalise(spelling);
            let bag = sorted_words(&key);
            words
                .entry(bag)
                .and_modify(|a| {
                    if *a != Some(answer) {
                        *a = None;
                    }
                })
                .or_insert(Some(answer));
            labels.insert(key, answer);
        };
        for point in &scale.points {
            for spelling in std::iter::once(&point.label).chain(&point.aliases) {
                add(spelling, Answer::Point(point.value));
            }
            for code in &point.codes {
                codes.insert(*code, Answer::Point(point.value));
            }
            values.insert(i64::from(point.value), Answer::Point(point.value));
        }
        for (index, missing) in scale.missing.iter().enumerate() {
            for spelling in std::iter::once(&missing.label).chain(&missing.aliases) {
                add(spelling, Answer::Missing(index));
            }
            for code in &missing.codes {
                codes.insert(*code, Answer::Missing(index));
            }
        }
        AnswerLabels {
            labels,
            words,
            codes,
            values,
            unanswered: missing_codes.iter().map(|c| normalise(c)).collect(),
        }
    }

    /// The answer a cell holds; `None` when it is not on the scale.
    fn answer(&self, cell: &str) -> Option<Answer> {
        let key = normalise(cell);
        if key.is_empty() || self.unanswered.contains(&key) {
            return Some(Answer::Unanswered);
        }
        let number = parse_number(&key);
        if let Some(answer) = number.and_then(|n| self.codes.get(&n)) {
            return Some(*answer);
        }
        if let Some(answer) = self.labels.get(&key) {
            return Some(*answer);
        }
        if let Some(answer) = number.and_then(|n| self.values.get(&n)) {
            return Some(*answer);
        }
        let stripped = strip_number_prefix(&key);
        if let Some(answer) = stripped.and_then(|s| self.labels.get(s)) {
            return Some(*answer);
        }
        let text = stripped.unwrap_or(&key);
        if let Some(Some(answer)) = self.words.get(&sorted_words(text)) {
            return Some(*answer);
        }
        // "Unfamiliar (N/A)", "Agree (4)": the text outside, then inside, the parenthesis.
        if let Some(open) = text.rfind(" (")
            && text.ends_with(')')
        {
            let outside = normalise(&text[..open]);
            let inside = normalise(&text[open + 2..text.len() - 1]);
            for part in [outside, inside] {
                if let Some(answer) = self.labels.get(&part) {
                    return Some(*answer);
                }
            }
        }
        None
    }
}

/// A whole number, as text or as a spreadsheet float (`4.0`).
fn parse_number(key: &str) -> Option<i64> {
    key.parse::<i64>().ok().or_else(|| {
        key.parse::<f64>()
            .ok()
            .filter(|f| f.fract() == 0.0 && f.abs() < 1e9)
            .map(|f| f as i64)
    })
}

/// The label after a leading answer number: `5 - Strongly agree`, `5. Agree`, `(5) Agree`.
fn strip_number_prefix(key: &str) -> Option<&str> {
    let trimmed = key.trim_start_matches('(');
    let digits = trimmed.find(|c: char| !c.is_ascii_digit() && c != '-')?;
    if digits == 0 || !trimmed[..digits].chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let rest = trimmed[digits..].trim_start();
    let rest = rest
        .strip_prefix(['-', '.', ')', ':', '='])
        .map(str::trim_start)?;
    (!rest.is_empty()).then_some(rest)
}

fn sorted_words(key: &str) -> Vec<String> {
    let mut words: Vec<String> = key.split(' ').map(str::to_string).collect();
    words.sort();
    words
}

/// Normalised group answers → group index.
struct GroupLabels(HashMap<String, usize>);

impl GroupLabels {
    fn new(instrument: &Instrument) -> Self {
        let map = instrument
            .group_options()
            .iter()
            .enumerate()
            .flat_map(|(index, group)| {
                std::iter::once(&group.name)
                    .chain(&group.answers)
                    .map(move |answer| (normalise(answer), index))
            })
            .collect();
        GroupLabels(map)
    }

    fn group(&self, cell: &str) -> Option<usize> {
        self.0.get(&normalise(cell)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An export of `headers` and `rows`, ready to map.
    fn table(headers: &[&str], rows: &[&[&str]]) -> Vec<Vec<String>> {
        std::iter::once(headers)
            .chain(rows.iter().copied())
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    /// Maps every row of `records` as `report` does, keeping the respondents.
    fn map_table(
        records: &[Vec<String>],
        instrument: &Instrument,
        options: &MapOptions,
    ) -> Result<(Responses, Vec<Respondent>), MapError> {
        let read = crate::ingest::ReadOptions {
            keep_duplicates: true,
            ..Default::default()
        };
        let mut rows =
            crate::ingest::stream_records(Path::new("export.csv"), records.to_vec(), &read)
                .unwrap();
        let mut mapper = RowMapper::new(rows.summary(), instrument, options)?;
        let mut respondents = Vec::new();
        while let Some(row) = rows.next_row().unwrap() {
            let mut respondent = Respondent::default();
            if mapper.map(&row, &mut respondent) {
                respondents.push(respondent);
            }
        }
        let summary = rows.finish();
        let responses = mapper
            .finish(summary.rows_read, summary.excluded)
            .into_result()?;
        Ok((responses, respondents))
    }

    #[test]
    fn matches_columns_by_normalised_text_and_reads_answers() {
        let instrument = Instrument::load(None).unwrap();
        let t = table(
            &[
                "Which best describes you?",
                "our organisation WELCOMES new ways of working",
                "Senior leaders make time and money available for new ideas",
                "Favourite colour",
            ],
            &[&["Manager", "strongly  agree", "Don\u{2019}t know", "blue"]],
        );
        let (responses, respondents) = map_table(&t, &instrument, &MapOptions::default()).unwrap();
        assert_eq!(responses.mapping.len(), 2);
        assert_eq!(responses.mapping[1].statement, "context-2");
        assert_eq!(responses.unmapped, vec!["Favourite colour"]);
        let r = &respondents[0];
        assert_eq!(r.answers[0], Answer::Point(5));
        assert_eq!(r.answers[1], Answer::Missing(0));
        assert_eq!(r.answers[2], Answer::Unanswered);
        assert_eq!(instrument.group_options()[r.group.unwrap()].id, "managers");
    }

    #[test]
    fn off_scale_answers_are_listed_with_count_column_and_first_row() {
        let instrument = Instrument::load(None).unwrap();
        let t = table(
            &["Our organisation welcomes new ways of working."],
            &[&["Agree"], &["Sort of"], &["Sort of"]],
        );
        let error = map_table(&t, &instrument, &MapOptions::default()).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("\"Sort of\" in column A"), "{text}");
        assert!(text.contains("2 times, first at row 3"), "{text}");
    }

    #[test]
    fn grid_and_matrix_headers_give_their_statement_part() {
        let parts = |h: &str| statement_parts(h);
        let wanted = "our organisation welcomes new ways of working".to_string();
        for header in [
            "How much do you agree? [Our organisation welcomes new ways of working.]",
            " [Our organisation welcomes new ways of working.]",
            "How much do you agree? - Our organisation welcomes new ways of working.",
            "How much do you agree with each statement below? Please answer hon...-Our organisation welcomes new ways of working.",
            "How much do you agree.Our organisation welcomes new ways of working.",
            "2.1. Our organisation welcomes new ways of working.",
            "context/Our organisation welcomes new ways of working.",
            "Q2[SQ001]. [Our organisation welcomes new ways of working.]",
        ] {
            assert!(
                parts(header).contains(&wanted),
                "{header}: {:?}",
                parts(header)
            );
        }
        assert!(parts("Points - Our organisation welcomes new ways of working.").is_empty());
    }

    #[test]
    fn answers_match_case_numbers_prefixes_and_word_order() {
        let instrument = Instrument::load(None).unwrap();
        let labels = AnswerLabels::new(instrument.default_scale(), &["-99".to_string()]);
        for (cell, answer) in [
            ("Strongly Agree", Answer::Point(5)),
            ("STRONGLY DISAGREE", Answer::Point(1)),
            ("5 - Strongly agree", Answer::Point(5)),
            ("4. Agree", Answer::Point(4)),
            ("(2) Disagree", Answer::Point(2)),
            ("Agree strongly", Answer::Point(5)),
            ("Disagree Strongly", Answer::Point(1)),
            ("3", Answer::Point(3)),
            ("3.0", Answer::Point(3)),
            ("N/A", Answer::Missing(1)),
            ("Unfamiliar (N/A)", Answer::Missing(1)),
            ("Agree (4)", Answer::Point(4)),
            ("-99", Answer::Unanswered),
            ("  ", Answer::Unanswered),
        ] {
            assert_eq!(labels.answer(cell), Some(answer), "{cell}");
        }
        for cell in ["-1", "6", "Sort of", "Agree disagree"] {
            assert_eq!(labels.answer(cell), None, "{cell}");
        }
    }

    #[test]
    fn declared_codes_come_before_labels() {
        let mut instrument = Instrument::load(None).unwrap();
        instrument.scale.as_mut().unwrap().missing[0].codes = vec![-1, -2];
        let labels = AnswerLabels::new(instrument.default_scale(), &[]);
        assert_eq!(labels.answer("-1"), Some(Answer::Missing(0)));
        assert_eq!(labels.answer("-2"), Some(Answer::Missing(0)));
    }

    #[test]
    fn platform_ids_and_mapping_files_map_code_headers() {
        let mut instrument = Instrument::load(None).unwrap();
        instrument.ingredients[0].statements[0].ids = vec!["Q2[SQ001]".into()];
        let t = table(
            &[
                "id",
                "submitdate",
                "lastpage",
                "Q1",
                "Q2[SQ001]",
                "Q2[SQ002]",
            ],
            &[&["1", "2026-01-01 10:00:00", "3", "Manager", "5", "4"]],
        );
        let mapping = MappingFile {
            columns: [
                ("Q1".to_string(), "group".to_string()),
                ("F".to_string(), "context-2".to_string()),
            ]
            .into_iter()
            .collect(),
            path: PathBuf::from("mapping.toml"),
        };
        let options = MapOptions {
            mapping: Some(mapping),
            ..MapOptions::default()
        };
        let (responses, respondents) = map_table(&t, &instrument, &options).unwrap();
        let mapped: Vec<_> = responses
            .mapping
            .iter()
            .map(|m| (m.column.as_str(), m.statement.as_str(), m.matched_by))
            .collect();
        assert_eq!(
            mapped,
            vec![
                ("E", "context-1", "platform id"),
                ("F", "context-2", "mapping file")
            ]
        );
        assert_eq!(responses.group_column.as_deref(), Some("Q1"));
        let r = &respondents[0];
        assert_eq!(&r.answers[..2], &[Answer::Point(5), Answer::Point(4)]);
    }

    #[test]
    fn kobo_xml_names_match_ids_with_or_without_their_group() {
        let mut instrument = Instrument::load(None).unwrap();
        instrument.ingredients[0].statements[0].ids = vec!["welcomes_new".into()];
        instrument.ingredients[0].statements[1].ids = vec!["context/time_money".into()];
        let t = table(
            &[
                "start",
                "context/welcomes_new",
                "context.time_money",
                "_uuid",
            ],
            &[&["2026-01-01", "agree", "disagree", "u-1"]],
        );
        let (responses, _) = map_table(&t, &instrument, &MapOptions::default()).unwrap();
        let mapped: Vec<_> = responses
            .mapping
            .iter()
            .map(|m| (m.column.as_str(), m.statement.as_str()))
            .collect();
        assert_eq!(mapped, vec![("B", "context-1")]);
        // `context.time_money` is not `context/time_money`: only the last segment is tried.
        assert_eq!(responses.unmatched_statements[0], "context-2");
    }

    #[test]
    fn a_mapping_file_naming_an_unknown_statement_or_column_is_an_error() {
        let instrument = Instrument::load(None).unwrap();
        let t = table(&["Q1"], &[&["Agree"]]);
        for (key, value, expected) in [
            (
                "Q1",
                "context-99",
                "\"context-99\" (for column \"Q1\") is not a statement id",
            ),
            ("Q7", "context-1", "the column \"Q7\" is not in export.csv"),
        ] {
            let options = MapOptions {
                mapping: Some(MappingFile {
                    columns: [(key.to_string(), value.to_string())].into_iter().collect(),
                    path: PathBuf::from("mapping.toml"),
                }),
                ..MapOptions::default()
            };
            let error = map_table(&t, &instrument, &options)
                .unwrap_err()
                .to_string();
            assert!(error.starts_with("mapping file mapping.toml: "), "{error}");
            assert!(error.contains(expected), "{error}");
        }
    }

    #[test]
    fn no_matching_column_is_an_error() {
        let instrument = Instrument::load(None).unwrap();
        let t = table(&["Q1", "Q2"], &[&["a", "b"]]);
        // A file that is not recognisably a survey export is quoted nowhere...
        let error = map_table(&t, &instrument, &MapOptions::default()).unwrap_err();
        assert!(matches!(error, MapError::NotAnExport { columns: 2, .. }));
        assert!(!error.to_string().contains("Q1"), "{error}");
        // ...unless the user named it to `check` it.
        let options = MapOptions {
            quote_unrecognised: true,
            ..MapOptions::default()
        };
        let error = map_table(&t, &instrument, &options).unwrap_err();
        assert!(matches!(error, MapError::NoStatements { columns: 2, .. }));
        assert!(error.to_string().contains("\"Q1\""), "{error}");
    }
}
