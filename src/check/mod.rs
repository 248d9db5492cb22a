//! What `check` finds in one export: the reader's, the mapper's and the
//! tally's decisions ([`Findings`], printed as JSON with `--json`) and their
//! description in words ([`Findings::describe`]).
//!
//! The export is read by the same path as `report` (`ingest::stream` →
//! [`RowMapper`] → [`tally_rows`]), so what `check` says is what `report` would read.

mod describe;

use std::path::Path;

use serde::Serialize;

use crate::ingest::{self, DateOrder, DateRule, ExclusionReason, ExportSummary, Platform};
use crate::instrument::{
    Instrument, MapOptions, MappedColumn, OffScaleAnswer, RowMapper, UnknownGroup,
};
use crate::score::read::{Tallied, tally_rows};
use crate::score::tally::Tally;

/// What `check` found in one export, as printed with `--json`.
#[derive(Debug, Serialize)]
pub struct Findings {
    file: String,
    /// Whether a report could be made from this export.
    report_possible: bool,
    /// Why not, when it could not.
    problem: Option<String>,
    #[serde(flatten)]
    read: Option<ReadFindings>,
}

/// What reading and mapping found; absent when the file could not be read.
#[derive(Debug, Serialize)]
struct ReadFindings {
    format: String,
    platform: Platform,
    platform_name: &'static str,
    platform_detected: bool,
    encoding: Option<String>,
    encoding_rule: Option<ingest::EncodingRule>,
    delimiter: Option<ingest::Delimiter>,
    sheet: Option<String>,
    header_rows: usize,
    missing_codes: Vec<String>,
    rows_read: usize,
    rows_excluded: Vec<ExcludedRows>,
    rows_without_answers: usize,
    /// Rows kept by the reader but never read for answers, because the
    /// columns could not be matched to the questionnaire; so that
    /// `rows_read` = excluded + without answers + not scored + responses.
    rows_not_scored: usize,
    responses: usize,
    identity_columns_dropped: Vec<ingest::IdentityColumn>,
    /// Columns whose header looked like identity but whose answers are all Yes or No.
    identity_columns_kept_yes_no: Vec<ingest::IdentityColumn>,
    group_column: Option<String>,
    mapping: Vec<MappedColumn>,
    unmapped_columns: Vec<UnmappedColumn>,
    statements_without_column: Vec<String>,
    answers_not_on_scale: Vec<OffScaleAnswer>,
    group_answers_not_known: Vec<UnknownGroup>,
    /// The completion-date column and how its dates were read.
    dates: Option<DateFindings>,
    /// Rows kept although they repeat an earlier row in every cell (no
    /// response id or submission time to tell a repeat from people who answered alike).
    identical_rows: usize,
    /// False with `--unknown-groups other`: such rows count as "did not say".
    unknown_groups_are_errors: bool,
    /// Survey previews and test responses kept with `--keep-test-responses`.
    test_responses_kept: usize,
    /// Ingredients that can have no score from this export, and why.
    ingredients_without_score: Vec<IngredientWarning>,
    /// False when mapping failed, so the mapping fields say nothing.
    #[serde(skip)]
    mapped: bool,
    /// The questionnaire's group question; `None` when it has no `[groups]`.
    #[serde(skip)]
    group_question: Option<String>,
}

/// How the dates were read, as `--json` prints it.
#[derive(Debug, Serialize)]
struct DateFindings {
    /// The column's letter and header.
    column: String,
    header: String,
    /// `dmy`, `mdy`, or null when no order is needed (or none is known).
    order: Option<DateOrder>,
    /// How the order was decided, and why in words.
    rule: DateRule,
    why: String,
    /// First and last completion dates of the rows kept.
    first: Option<chrono::NaiveDate>,
    last: Option<chrono::NaiveDate>,
    /// Cells that are not blank and not a date, and the first such row.
    not_dates: usize,
    first_not_date_row: Option<usize>,
    /// A period of over a year, said in words.
    warning: Option<String>,
}

impl DateFindings {
    fn new(dates: &ingest::DateReading) -> DateFindings {
        DateFindings {
            column: dates.letter.clone(),
            header: dates.column.clone(),
            order: dates.order,
            rule: dates.rule,
            why: dates.why.clone(),
            first: dates.first.map(|t| t.date()),
            last: dates.last.map(|t| t.date()),
            not_dates: dates.unreadable,
            first_not_date_row: dates.first_unreadable_row,
            warning: dates
                .first
                .zip(dates.last)
                .and_then(|(first, last)| ingest::long_period_warning(first, last)),
        }
    }
}

#[derive(Debug, Serialize)]
struct ExcludedRows {
    reason: ExclusionReason,
    count: usize,
    why: &'static str,
}

/// An ingredient nobody can get a score for, because of missing statements.
#[derive(Debug, Serialize)]
struct IngredientWarning {
    ingredient: String,
    #[serde(flatten)]
    reason: crate::score::coverage::NoScore,
}

/// A column no statement or group question was matched to, with everything a
/// user can name it by in a mapping file or in the questionnaire's `ids`.
#[derive(Debug, Serialize)]
struct UnmappedColumn {
    column: String,
    header: String,
    /// The platform's column code (Qualtrics export tag, LimeSurvey question code).
    code: Option<String>,
    /// The platform's stable id (Qualtrics ImportId).
    import_id: Option<String>,
}

impl UnmappedColumn {
    fn of(column: &ingest::Column) -> UnmappedColumn {
        UnmappedColumn {
            column: column.letter.clone(),
            header: column.header.clone(),
            code: column.code.clone(),
            import_id: column.import_id.clone(),
        }
    }
}

impl Findings {
    /// The export, as named.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Whether a report could be made from this export.
    pub fn report_possible(&self) -> bool {
        self.report_possible
    }
}

/// Reads, maps and tallies one export, as `report` does; the error is why no
/// report could be made.
pub fn check_export(
    export: &Path,
    instrument: &Instrument,
    read_options: &ingest::ReadOptions,
    map_options: &MapOptions,
    min_group_size: usize,
) -> (Findings, Option<anyhow::Error>) {
    let file = export.display().to_string();
    let failed = |error: anyhow::Error, read: Option<ReadFindings>| {
        let findings = Findings {
            file: file.clone(),
            report_possible: false,
            problem: Some(error.to_string()),
            read,
        };
        (findings, Some(error))
    };
    let rows = match ingest::stream(export, read_options) {
        Ok(rows) => rows,
        Err(error) => return failed(error.into(), None),
    };
    let mapper = match RowMapper::new(rows.summary(), instrument, map_options) {
        Ok(mapper) => mapper,
        // The columns fit no questionnaire: the rows are still read and counted.
        Err(error) => {
            return match rows.skip_to_end() {
                Ok(summary) => failed(error.into(), Some(read_findings(&summary))),
                Err(error) => failed(error.into(), None),
            };
        }
    };
    let tallied = match tally_rows(rows, mapper, instrument, false) {
        Ok(tallied) => tallied,
        Err(error) => return failed(error.into(), None),
    };
    let read = mapped_findings(&tallied, instrument);
    let error = report_error(tallied, min_group_size);
    let findings = Findings {
        file,
        report_possible: error.is_none(),
        problem: error.as_ref().map(|e| e.to_string()),
        read: Some(read),
    };
    (findings, error)
}

/// What reading, mapping and tallying decided, once the columns were matched.
fn mapped_findings(tallied: &Tallied<'_>, instrument: &Instrument) -> ReadFindings {
    let summary = &tallied.summary;
    let analysis = &tallied.analysis;
    let responses = &analysis.responses;
    let mut read = read_findings(summary);
    read.mapped = true;
    read.rows_excluded = excluded_rows(&responses.excluded);
    read.rows_without_answers = responses.rows_without_answers;
    read.rows_not_scored = 0;
    read.responses = tallied.respondents;
    read.group_column = responses.group_column.clone();
    read.group_question = instrument.groups.as_ref().map(|g| g.question.clone());
    read.mapping = responses.mapping.clone();
    read.unmapped_columns = summary
        .columns
        .iter()
        .filter(|c| {
            !responses.mapping.iter().any(|m| m.column == c.letter)
                && responses.group_column.as_deref() != Some(c.header.as_str())
        })
        .map(UnmappedColumn::of)
        .collect();
    read.statements_without_column = responses.unmatched_statements.clone();
    read.ingredients_without_score = without_score(&tallied.tally);
    read.answers_not_on_scale = analysis.off_scale.clone();
    read.group_answers_not_known = analysis.unknown_groups.clone();
    read.unknown_groups_are_errors = analysis.unknown_groups_are_errors;
    read
}

/// Why no report could be made from what was tallied, if it could not: an
/// answer that does not fit, no response to report, or dates of unknown order.
fn report_error(tallied: Tallied<'_>, min_group_size: usize) -> Option<anyhow::Error> {
    let respondents = tallied.respondents;
    match tallied.analysis.into_result() {
        Err(error) => Some(anyhow::Error::from(error)),
        Ok(responses) if respondents == 0 => {
            Some(anyhow::Error::from(crate::score::empty::NothingToReport {
                path: responses.source.clone(),
                rows_read: responses.rows_read,
                excluded: responses.excluded.clone(),
                without_answers: responses.rows_without_answers,
                hidden: 0,
                min_group_size,
            }))
        }
        Ok(_) => tallied.summary.date_order().err().map(anyhow::Error::from),
    }
}

/// What the reader alone decided.
fn read_findings(table: &ExportSummary) -> ReadFindings {
    ReadFindings {
        format: table.description.clone(),
        platform: table.profile.platform,
        platform_name: table.profile.platform.title(),
        platform_detected: table.platform_detected,
        encoding: table.encoding.clone(),
        encoding_rule: table.encoding_rule,
        delimiter: table.delimiter,
        sheet: table.sheet.clone(),
        header_rows: table.profile.header_rows,
        missing_codes: table.profile.missing_codes.clone(),
        rows_read: table.rows_read,
        rows_excluded: excluded_rows(&table.excluded),
        rows_without_answers: 0,
        // Until mapping reads them, every row kept is not scored.
        rows_not_scored: table.rows_read - table.excluded.iter().map(|e| e.count).sum::<usize>(),
        responses: 0,
        identity_columns_dropped: table.dropped_identity.clone(),
        identity_columns_kept_yes_no: table.kept_yes_no.clone(),
        group_column: None,
        group_question: None,
        mapping: Vec::new(),
        unmapped_columns: table.columns.iter().map(UnmappedColumn::of).collect(),
        statements_without_column: Vec::new(),
        answers_not_on_scale: Vec::new(),
        group_answers_not_known: Vec::new(),
        dates: table.dates.as_ref().map(DateFindings::new),
        identical_rows: table.identical_rows,
        unknown_groups_are_errors: true,
        test_responses_kept: table.test_responses,
        ingredients_without_score: Vec::new(),
        mapped: false,
    }
}

/// Ingredients whose statements are so far missing (or unanswered) that nobody can get a score.
fn without_score(tally: &Tally) -> Vec<IngredientWarning> {
    let instrument = tally.instrument();
    (0..instrument.ingredients.len())
        .filter_map(|i| {
            let reason = crate::score::coverage::statements_missing_in(tally, i)?;
            Some(IngredientWarning {
                ingredient: instrument.ingredients[i].name.clone(),
                reason,
            })
        })
        .collect()
}

fn excluded_rows(excluded: &[ingest::Excluded]) -> Vec<ExcludedRows> {
    excluded
        .iter()
        .map(|e| ExcludedRows {
            reason: e.reason,
            count: e.count,
            why: e.reason.describe(),
        })
        .collect()
}
