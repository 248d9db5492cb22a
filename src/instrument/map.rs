//! Mapping an export's columns to the instrument's statements, and its cells to answers.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use chrono::NaiveDateTime;
use thiserror::Error;

use super::Instrument;
use crate::ingest::Table;
use crate::text::normalise;

/// One respondent's answers, identified only by the row they came from.
#[derive(Debug, Clone)]
pub struct Respondent {
    /// Row number in the export (for error messages only; never written to an output).
    pub row: usize,
    /// Index into `instrument.groups.options`, or `None` when the group question was left blank.
    pub group: Option<usize>,
    /// One answer per statement, in [`Instrument::statements`] order.
    pub answers: Vec<Answer>,
    /// When the response was completed, if the export says.
    pub completed: Option<NaiveDateTime>,
}

/// One answer to one statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The cell was blank.
    Unanswered,
    /// A "no view" answer: index into `instrument.scale.missing`.
    Missing(usize),
    /// A scored answer: the scale point's value.
    Point(i32),
}

/// Which column feeds which statement.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MappedColumn {
    /// Column letter in the export.
    pub column: String,
    /// Header text.
    pub header: String,
    /// Statement id.
    pub statement: String,
    /// Ingredient id.
    pub ingredient: String,
}

/// An export's answers, keyed to the instrument.
#[derive(Debug, Clone)]
pub struct Responses {
    /// The export file.
    pub source: PathBuf,
    /// One entry per data row that answered at least one statement.
    pub respondents: Vec<Respondent>,
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
}

/// An answer that is not on the scale.
#[derive(Debug, Clone)]
pub struct OffScaleAnswer {
    /// Column letter.
    pub column: String,
    /// Header text.
    pub header: String,
    /// The value as found.
    pub value: String,
    /// How many cells hold it.
    pub count: usize,
    /// The first row it appears in.
    pub first_row: usize,
}

/// Why an export's columns or answers do not fit the instrument.
#[derive(Debug, Error)]
pub enum MapError {
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
    /// An answer to the group question that belongs to no group.
    #[error(
        "{path}: row {row}, column {column} ({header:?}) has the answer {value:?}, which belongs to no respondent group ({count} rows give it)"
    )]
    UnknownGroup {
        /// The export.
        path: PathBuf,
        /// First row with it.
        row: usize,
        /// Column letter.
        column: String,
        /// Header text.
        header: String,
        /// The answer.
        value: String,
        /// Rows giving it.
        count: usize,
    },
}

impl MapError {
    /// A next step for the user.
    pub fn hint(&self) -> &'static str {
        match self {
            MapError::NoStatements { .. } => {
                "check that this is the export of the makeitstick survey; if the statements were reworded, add the new wording to `aliases` in a copy of the instrument and pass it with --instrument"
            }
            MapError::DuplicateColumn { .. } => {
                "remove one of the two columns from the export, or reword one statement in the survey"
            }
            MapError::OffScale { .. } => {
                "correct the answers in the export, or add the wording to the scale's `aliases` (or to `missing` if it means no view) in a copy of the instrument and pass it with --instrument"
            }
            MapError::UnknownGroup { .. } => {
                "add this answer to one group's `answers` in a copy of the instrument and pass it with --instrument"
            }
        }
    }
}

fn describe_off_scale(answers: &[OffScaleAnswer]) -> String {
    let mut text = format!(
        "{} answer{} not on the scale:",
        answers.len(),
        if answers.len() == 1 { " is" } else { "s are" }
    );
    for answer in answers.iter().take(10) {
        text.push_str(&format!(
            "\n  {:?} in column {} ({:?}), {} time{}, first at row {}",
            answer.value,
            answer.column,
            answer.header,
            answer.count,
            if answer.count == 1 { "" } else { "s" },
            answer.first_row
        ));
    }
    if answers.len() > 10 {
        text.push_str(&format!("\n  and {} more", answers.len() - 10));
    }
    text
}

/// Matches a table to an instrument and reads every answer.
pub fn map_table(table: &Table, instrument: &Instrument) -> Result<Responses, MapError> {
    let statements: Vec<_> = instrument.statements().collect();
    let wordings: HashMap<String, usize> = statements
        .iter()
        .enumerate()
        .flat_map(|(index, (_, statement))| {
            std::iter::once(&statement.text)
                .chain(&statement.aliases)
                .map(move |wording| (normalise(wording), index))
        })
        .collect();
    let group_wordings: Vec<String> = std::iter::once(&instrument.groups.question)
        .chain(&instrument.groups.aliases)
        .map(|w| normalise(w))
        .collect();

    // Column index → statement index.
    let mut statement_columns: Vec<Option<usize>> = vec![None; statements.len()];
    let mut group_column = None;
    let mut unmapped = Vec::new();
    for (column_index, column) in table.columns.iter().enumerate() {
        let key = normalise(&column.header);
        if let Some(&statement) = wordings.get(&key) {
            if let Some(previous) = statement_columns[statement] {
                let describe = |i: usize| {
                    format!(
                        "{} ({:?})",
                        table.columns[i].letter, table.columns[i].header
                    )
                };
                return Err(MapError::DuplicateColumn {
                    path: table.source.clone(),
                    statement: statements[statement].1.id.clone(),
                    first: describe(previous),
                    second: describe(column_index),
                });
            }
            statement_columns[statement] = Some(column_index);
        } else if group_column.is_none() && group_wordings.contains(&key) {
            group_column = Some(column_index);
        } else {
            unmapped.push(column.header.clone());
        }
    }
    if statement_columns.iter().all(Option::is_none) {
        let sample = table
            .columns
            .iter()
            .take(4)
            .map(|c| format!("{:?}", c.header))
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

    let labels = AnswerLabels::new(instrument);
    let groups = GroupLabels::new(instrument);
    let mut off_scale: BTreeMap<(usize, String), OffScaleAnswer> = BTreeMap::new();
    let mut unknown_groups: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut respondents = Vec::new();
    let mut rows_without_answers = 0;

    for row in &table.rows {
        let mut answers = Vec::with_capacity(statements.len());
        for column in &statement_columns {
            let cell = column.map(|c| row.cells[c].as_str()).unwrap_or("");
            let answer = match labels.answer(cell) {
                Some(answer) => answer,
                None => {
                    let c = column.expect("a non-blank cell comes from a mapped column");
                    off_scale
                        .entry((c, cell.to_string()))
                        .and_modify(|a| a.count += 1)
                        .or_insert_with(|| OffScaleAnswer {
                            column: table.columns[c].letter.clone(),
                            header: table.columns[c].header.clone(),
                            value: cell.to_string(),
                            count: 1,
                            first_row: row.number,
                        });
                    Answer::Unanswered
                }
            };
            answers.push(answer);
        }
        if answers.iter().all(|a| *a == Answer::Unanswered) {
            rows_without_answers += 1;
            continue;
        }
        let group = match group_column.map(|c| row.cells[c].as_str()) {
            None | Some("") => None,
            Some(value) => match groups.group(value) {
                Some(group) => Some(group),
                None => {
                    unknown_groups
                        .entry(value.to_string())
                        .and_modify(|(_, count)| *count += 1)
                        .or_insert((row.number, 1));
                    None
                }
            },
        };
        respondents.push(Respondent {
            row: row.number,
            group,
            answers,
            completed: row.completed,
        });
    }

    if !off_scale.is_empty() {
        let mut answers: Vec<_> = off_scale.into_values().collect();
        answers.sort_by_key(|a| (a.first_row, a.column.len(), a.column.clone()));
        return Err(MapError::OffScale {
            path: table.source.clone(),
            answers,
        });
    }
    if let Some((value, (row, count))) = unknown_groups.into_iter().min_by_key(|(_, (row, _))| *row)
    {
        let c = group_column.expect("unknown groups come from the group column");
        return Err(MapError::UnknownGroup {
            path: table.source.clone(),
            row,
            column: table.columns[c].letter.clone(),
            header: table.columns[c].header.clone(),
            value,
            count,
        });
    }

    let mapping = statement_columns
        .iter()
        .zip(&statements)
        .filter_map(|(column, (ingredient, statement))| {
            column.map(|c| MappedColumn {
                column: table.columns[c].letter.clone(),
                header: table.columns[c].header.clone(),
                statement: statement.id.clone(),
                ingredient: instrument.ingredients[*ingredient].id.clone(),
            })
        })
        .collect();
    let unmatched_statements = statement_columns
        .iter()
        .zip(&statements)
        .filter(|(column, _)| column.is_none())
        .map(|(_, (_, statement))| statement.id.clone())
        .collect();

    Ok(Responses {
        source: table.source.clone(),
        respondents,
        mapping,
        group_column: group_column.map(|c| table.columns[c].header.clone()),
        unmapped,
        unmatched_statements,
        rows_read: table.rows.len(),
        rows_without_answers,
    })
}

/// Normalised answer spellings → answers.
struct AnswerLabels(HashMap<String, Answer>);

impl AnswerLabels {
    fn new(instrument: &Instrument) -> Self {
        let mut map = HashMap::new();
        for point in &instrument.scale.points {
            for spelling in std::iter::once(&point.label).chain(&point.aliases) {
                map.insert(normalise(spelling), Answer::Point(point.value));
            }
        }
        for (index, missing) in instrument.scale.missing.iter().enumerate() {
            for spelling in std::iter::once(&missing.label).chain(&missing.aliases) {
                map.insert(normalise(spelling), Answer::Missing(index));
            }
        }
        AnswerLabels(map)
    }

    /// The answer a cell holds; `None` when it is not on the scale.
    fn answer(&self, cell: &str) -> Option<Answer> {
        let key = normalise(cell);
        if key.is_empty() {
            return Some(Answer::Unanswered);
        }
        self.0.get(&key).copied()
    }
}

/// Normalised group answers → group index.
struct GroupLabels(HashMap<String, usize>);

impl GroupLabels {
    fn new(instrument: &Instrument) -> Self {
        let map = instrument
            .groups
            .options
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
    use crate::ingest::{Column, Row};

    fn table(headers: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            source: PathBuf::from("export.csv"),
            description: "test".into(),
            columns: headers
                .iter()
                .enumerate()
                .map(|(i, h)| Column {
                    header: h.to_string(),
                    letter: crate::ingest::column_letter(i),
                })
                .collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, cells)| Row {
                    number: i + 2,
                    cells: cells.iter().map(|c| c.to_string()).collect(),
                    completed: None,
                })
                .collect(),
            dropped_identity: vec![],
        }
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
        let responses = map_table(&t, &instrument).unwrap();
        assert_eq!(responses.mapping.len(), 2);
        assert_eq!(responses.mapping[1].statement, "context-2");
        assert_eq!(responses.unmapped, vec!["Favourite colour"]);
        let r = &responses.respondents[0];
        assert_eq!(r.answers[0], Answer::Point(5));
        assert_eq!(r.answers[1], Answer::Missing(0));
        assert_eq!(r.answers[2], Answer::Unanswered);
        assert_eq!(instrument.groups.options[r.group.unwrap()].id, "managers");
    }

    #[test]
    fn off_scale_answers_are_listed_with_count_column_and_first_row() {
        let instrument = Instrument::load(None).unwrap();
        let t = table(
            &["Our organisation welcomes new ways of working."],
            &[&["Agree"], &["Sort of"], &["Sort of"]],
        );
        let error = map_table(&t, &instrument).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("\"Sort of\" in column A"), "{text}");
        assert!(text.contains("2 times, first at row 3"), "{text}");
    }

    #[test]
    fn no_matching_column_is_an_error() {
        let instrument = Instrument::load(None).unwrap();
        let t = table(&["Q1", "Q2"], &[&["a", "b"]]);
        let error = map_table(&t, &instrument).unwrap_err();
        assert!(matches!(error, MapError::NoStatements { columns: 2, .. }));
    }
}
