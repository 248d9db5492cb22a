//! Mapping an export's columns to the instrument's statements ([`super::columns`]),
//! and its cells to answers ([`super::labels`]), one row at a time ([`RowMapper`]);
//! what does not fit is collected ([`super::problems`]).
//!
//! Over 600 lines only with its unit tests (about 190).
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Instrument;
use super::columns::{MatchedBy, Target, match_columns};
use super::labels::{AnswerLabels, GroupLabels, Recent};
use super::problems::{MapError, OffScaleAnswer, UnknownGroup, clip, excerpt};
use crate::ingest::{Excluded, ExportSummary, Platform, Row};

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
    /// Which rule matched it (serialised as "mapping file", "platform id",
    /// "header" or "statement part of header").
    pub matched_by: MatchedBy,
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
    statement_columns: Vec<Option<(usize, MatchedBy)>>,
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
    recent: Vec<Recent<Option<Answer>>>,
    /// Cell texts held in `cache`, over every scale.
    cached: usize,
    group_cache: HashMap<String, Option<usize>>,
    /// The first few distinct group answers met, compared before any hashing.
    recent_groups: Recent<Option<usize>>,
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

        let mut statement_columns: Vec<Option<(usize, MatchedBy)>> = vec![None; statements.len()];
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
                    statement_columns[*statement] = Some((column_index, *rule));
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
            recent: vec![Recent::new(RECENT); statements.len()],
            group_cache: HashMap::new(),
            recent_groups: Recent::new(RECENT),
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
            let answer = match recent.get(cell) {
                Some(answer) => answer,
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
                    recent.remember(cell, answer);
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
        if let Some(group) = self.recent_groups.get(value) {
            return group;
        }
        let group = match self.group_cache.get(value) {
            Some(group) => *group,
            None => {
                let group = self.groups.group(value);
                if self.group_cache.len() < ANSWER_CACHE {
                    self.group_cache.insert(value.to_string(), group);
                }
                group
            }
        };
        self.recent_groups.remember(value, group);
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
                ("E", "context-1", MatchedBy::PlatformId),
                ("F", "context-2", MatchedBy::MappingFile)
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
