//! What the header rows say: one header per column (folded from a platform's
//! header rows, [`header_columns`]), SurveyMonkey's expanded columns folded
//! back ([`collapse_expanded`]), and the columns that decide about rows: the
//! platform's exclusion rule, the response id and submission time columns,
//! and the completion-date column.

use super::{ExclusionReason, HeaderRule, Platform, Record, clean_cell, header_rule, import_id};
use crate::text::normalise;

/// A column as the header rows describe it, before identity columns are dropped.
#[derive(Clone, Default)]
pub(super) struct HeaderColumn {
    pub(super) header: String,
    pub(super) code: Option<String>,
    pub(super) import_id: Option<String>,
    /// SurveyMonkey: the row-1 question and the row-2 text under it, when row 2
    /// names a choice or statement rather than `Response`.
    pub(super) choice: Option<(String, String)>,
    /// The column's own cell in every header row, for the identity rules: a
    /// platform read generically still has its metadata names in one of them.
    pub(super) rows: Vec<String>,
}

impl HeaderColumn {
    /// The rule by which a header row names this column as identity: a
    /// strong rule in any row wins over a weak one.
    pub(super) fn identity_rule(&self) -> Option<HeaderRule> {
        let texts = [
            Some(&self.header),
            self.code.as_ref(),
            self.import_id.as_ref(),
        ]
        .into_iter()
        .flatten()
        .chain(&self.rows);
        let mut weak = None;
        let mut seen: Vec<&String> = Vec::new();
        for text in texts {
            // The header is usually one of the rows: each text is judged once.
            if text.is_empty() || seen.contains(&text) {
                continue;
            }
            seen.push(text);
            // A Qualtrics ImportId row read generically: the id inside names the column.
            let id = import_id(text);
            for text in std::iter::once(text.as_str()).chain(id.as_deref()) {
                match header_rule(text) {
                    Some(rule) if !rule.is_weak() => return Some(rule),
                    Some(rule) => weak = Some(rule),
                    None => {}
                }
            }
        }
        weak
    }

    /// True when the header or code, normalised, is one of `names`.
    pub(super) fn is_named(&self, names: &[&str]) -> bool {
        let header = normalise(&self.header);
        let code = self.code.as_deref().map(normalise).unwrap_or_default();
        names.iter().any(|n| *n == header || *n == code)
    }
}

/// The header a person would recognise: the header, or the code when it has none.
pub(super) fn display_header(column: &HeaderColumn) -> String {
    if column.header.is_empty() {
        column.code.clone().unwrap_or_default()
    } else {
        column.header.clone()
    }
}

/// Folds a platform's header rows into one header per column.
pub(super) fn header_columns(platform: Platform, rows: &[Record]) -> Vec<HeaderColumn> {
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let cell = |row: usize, column: usize| -> String {
        rows.get(row)
            .and_then(|r| r.cells.get(column))
            .map(|c| clean_cell(c))
            .unwrap_or_default()
    };
    let mut columns = header_texts(platform, rows, width, &cell);
    for (i, column) in columns.iter_mut().enumerate() {
        column.rows = (0..rows.len()).map(|r| cell(r, i)).collect();
    }
    columns
}

/// The header, code and ids of each column, by the platform's rule.
fn header_texts(
    platform: Platform,
    rows: &[Record],
    width: usize,
    cell: &dyn Fn(usize, usize) -> String,
) -> Vec<HeaderColumn> {
    match platform {
        // The data-entry workbook has the same two rows: codes, then wording.
        Platform::Qualtrics | Platform::QualtricsLegacy | Platform::DataEntry => (0..width)
            .map(|i| {
                let (code, text) = (cell(0, i), cell(1, i));
                HeaderColumn {
                    header: if text.is_empty() { code.clone() } else { text },
                    code: Some(code),
                    import_id: import_id(&cell(2, i)),
                    ..HeaderColumn::default()
                }
            })
            .collect(),
        Platform::SurveyMonkey => {
            // Row 1 names a question once; its other columns are blank (a merged cell).
            let mut question = String::new();
            (0..width)
                .map(|i| {
                    let (top, sub) = (cell(0, i), cell(1, i));
                    if !top.is_empty() {
                        question = top.clone();
                    }
                    let generic = matches!(
                        normalise(&sub).as_str(),
                        "" | "response" | "open-ended response"
                    );
                    let (header, choice) = if generic {
                        let header = if top.is_empty() {
                            question.clone()
                        } else {
                            top
                        };
                        (header, None)
                    } else if question.is_empty() {
                        (sub, None)
                    } else {
                        (format!("{question} - {sub}"), Some((question.clone(), sub)))
                    };
                    HeaderColumn {
                        header,
                        choice,
                        ..HeaderColumn::default()
                    }
                })
                .collect()
        }
        // LimeSurvey's "Question code & question text" headings: `Q2[SQ001]. [Text]`.
        Platform::LimeSurvey if rows.len() <= 1 => (0..width)
            .map(|i| {
                let header = cell(0, i);
                HeaderColumn {
                    code: limesurvey_code(&header).map(str::to_string),
                    header,
                    ..HeaderColumn::default()
                }
            })
            .collect(),
        _ if rows.len() <= 1 => (0..width)
            .map(|i| HeaderColumn {
                header: cell(0, i),
                ..HeaderColumn::default()
            })
            .collect(),
        _ => {
            // Several header rows on a platform without its own rule (`--header-rows`):
            // each row's text carries on over the blank cells to its right (merged
            // cells), and a column's header joins its rows with " - ", so that the
            // statement in the last row is found as a matrix header's statement part.
            let mut carried = vec![String::new(); rows.len()];
            (0..width)
                .map(|i| {
                    let mut parts: Vec<String> = Vec::new();
                    let mut id = None;
                    for (r, carry) in carried.iter_mut().enumerate() {
                        let text = cell(r, i);
                        // A Qualtrics ImportId row is the column's id, not words to show.
                        if let Some(found) = import_id(&text) {
                            id = Some(found);
                            continue;
                        }
                        if !text.is_empty() {
                            *carry = text;
                        } else if r + 1 == rows.len() {
                            continue;
                        }
                        if !carry.is_empty() && parts.last() != Some(carry) {
                            parts.push(carry.clone());
                        }
                    }
                    HeaderColumn {
                        header: parts.join(" - "),
                        import_id: id,
                        ..HeaderColumn::default()
                    }
                })
                .collect()
        }
    }
}

/// The question code in front of a LimeSurvey "code & text" heading
/// (`Q2[SQ001]` in `Q2[SQ001]. [Our organisation…]`, `G1` in `G1. Your role`).
fn limesurvey_code(header: &str) -> Option<&str> {
    let (code, text) = header.split_once(". ")?;
    let mut chars = code.chars();
    let plain = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '[' | ']'));
    (plain && !text.trim().is_empty()).then_some(code)
}

/// Folds SurveyMonkey's "expanded" single-choice columns back into one column.
///
/// The expanded export gives each option of a question its own column, headed
/// with the option in row 2, holding the option when chosen and nothing
/// otherwise. A run of two or more columns under one question where every
/// non-blank cell equals its column's row-2 text is such a group (a matrix's
/// cells hold scale labels, never the statement); it becomes one column headed
/// with the question, holding the chosen option (options joined with `, ` when
/// several are chosen, as in a multi-select).
///
/// Gives the runs folded, in order, each as `start..end` of a row as folded
/// by the runs before it, for [`fold_row`] to fold rows read later.
pub(super) fn collapse_expanded(
    headers: &mut Vec<HeaderColumn>,
    positions: &mut Vec<usize>,
    rows: &mut [(usize, Vec<String>)],
) -> Vec<(usize, usize)> {
    let mut folds = Vec::new();
    let mut start = 0;
    while start < headers.len() {
        let Some((question, _)) = headers[start].choice.clone() else {
            start += 1;
            continue;
        };
        let end = (start..headers.len())
            .find(|&i| {
                headers[i]
                    .choice
                    .as_ref()
                    .is_none_or(|(q, _)| *q != question)
            })
            .unwrap_or(headers.len());
        let holds_own_option = |i: usize| {
            let option = normalise(&headers[i].choice.as_ref().expect("in the run").1);
            rows.iter().all(|(_, cells)| {
                cells
                    .get(i)
                    .is_none_or(|c| c.is_empty() || normalise(c) == option)
            })
        };
        let any_answer = rows
            .iter()
            .any(|(_, cells)| (start..end).any(|i| cells.get(i).is_some_and(|c| !c.is_empty())));
        if end - start >= 2 && any_answer && (start..end).all(holds_own_option) {
            for (_, cells) in rows.iter_mut() {
                fold_row(cells, start, end);
            }
            folds.push((start, end));
            headers.drain(start + 1..end);
            positions.drain(start + 1..end);
            headers[start] = HeaderColumn {
                header: question,
                ..HeaderColumn::default()
            };
            start += 1;
        } else {
            start = end;
        }
    }
    folds
}

/// Folds one row's expanded columns `start..end` into the cell at `start`:
/// the options chosen, joined with `, `.
pub(super) fn fold_row(cells: &mut Vec<String>, start: usize, end: usize) {
    let chosen: Vec<String> = (start..end)
        .filter_map(|i| cells.get(i).filter(|c| !c.is_empty()).cloned())
        .collect();
    let end_in_row = end.min(cells.len());
    if start < end_in_row {
        cells.drain(start + 1..end_in_row);
        cells[start] = chosen.join(", ");
    }
}

/// Which rows a platform marks as spam, previews or incomplete, and how.
pub(super) struct ExclusionRule {
    status: Option<usize>,
    finished: Option<usize>,
    submitted: Option<usize>,
    response_type: Option<usize>,
}

impl ExclusionRule {
    pub(super) fn new(platform: Platform, headers: &[HeaderColumn]) -> Self {
        let find = |names: &[&str]| headers.iter().position(|h| h.is_named(names));
        let none = ExclusionRule {
            status: None,
            finished: None,
            submitted: None,
            response_type: None,
        };
        match platform {
            Platform::Qualtrics | Platform::QualtricsLegacy => ExclusionRule {
                status: find(&["status"]),
                finished: find(&["finished"]),
                ..none
            },
            Platform::LimeSurvey => ExclusionRule {
                submitted: find(&["submitdate", "date submitted", "datum verstuurd"]),
                ..none
            },
            Platform::Typeform => ExclusionRule {
                submitted: find(&["submit date (utc)"]),
                response_type: find(&["response type"]),
                ..none
            },
            _ => none,
        }
    }

    pub(super) fn reason(&self, cells: &[String]) -> Option<ExclusionReason> {
        let value = |column: Option<usize>| {
            column.map(|i| normalise(cells.get(i).map(String::as_str).unwrap_or("")))
        };
        match value(self.status).as_deref() {
            Some("spam" | "8") => return Some(ExclusionReason::Spam),
            Some("survey preview" | "survey test" | "preview" | "test" | "1" | "2") => {
                return Some(ExclusionReason::Preview);
            }
            _ => {}
        }
        if matches!(value(self.finished).as_deref(), Some("false" | "0")) {
            return Some(ExclusionReason::Incomplete);
        }
        if value(self.submitted).is_some_and(|v| v.is_empty()) {
            return Some(ExclusionReason::Incomplete);
        }
        if value(self.response_type).is_some_and(|v| v == "partial") {
            return Some(ExclusionReason::Incomplete);
        }
        None
    }
}

/// Headers that hold when a response was completed, most specific first.
const COMPLETION_HEADERS: &[&str] = &[
    "completion time",
    "完了時刻",
    "submit date (utc)",
    "date submitted",
    "submitdate",
    "end date",
    "enddate",
    "recorded date",
    "_submission_time",
    "ended",
    "timestamp",
];

/// Headers of the columns that tell one submission from another: response
/// ids and submission times. Columns shared by many people's submissions
/// (collector, device, IP address) are not among them.
const SUBMISSION_KEY_HEADERS: &[&str] = &[
    // Response ids.
    "id",
    "respondent id",
    "respondentid",
    "response id",
    "responseid",
    "_recordid",
    "recordeddate",
    "userno",
    "_id",
    "_uuid",
    "instanceid",
    "meta/instanceid",
    "#",
    "token",
    "userid",
    "unique id",
    "submission id",
    // Submission times.
    "start time",
    "開始時刻",
    "last modified time",
    "start date",
    "startdate",
    "start date (utc)",
    "stage date (utc)",
    "datestamp",
    "date started",
    "date last action",
    "started",
    "start",
    "end",
];

/// The indices of the response id and submission time columns (the
/// completion column among them).
pub(super) fn submission_key_columns(headers: &[HeaderColumn]) -> Vec<usize> {
    headers
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            h.is_named(SUBMISSION_KEY_HEADERS)
                || h.is_named(COMPLETION_HEADERS)
                || h.import_id.as_deref().is_some_and(|id| {
                    let id = normalise(id);
                    SUBMISSION_KEY_HEADERS
                        .iter()
                        .chain(COMPLETION_HEADERS)
                        .any(|k| *k == id)
                })
        })
        .map(|(i, _)| i)
        .collect()
}

/// The index of the column that says when each response was completed.
pub(super) fn completion_column(headers: &[HeaderColumn]) -> Option<usize> {
    COMPLETION_HEADERS
        .iter()
        .find_map(|wanted| headers.iter().position(|h| h.is_named(&[wanted])))
}
