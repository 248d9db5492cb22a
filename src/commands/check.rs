//! `makeitstick check`: read exports and say what was found and every decision
//! made on the way, writing nothing.
//!
//! With one export, `--json` prints one object; with several, an array of them
//! in the order given. The exit code is 0 when every export could make a report.

use anyhow::{Result, anyhow};
use serde::Serialize;

use crate::cli::CheckCommand;
use crate::ingest::{self, DateOrder, DateRule, ExclusionReason, ExportSummary, Platform};
use crate::instrument::{
    Instrument, MapOptions, MappedColumn, OffScaleAnswer, RowMapper, UnknownGroup,
};
use crate::project::Project;
use crate::score::read::tally_rows;
use crate::score::tally::Tally;
use crate::text::count;

/// What `check` found in one export, as printed with `--json`.
#[derive(Debug, Serialize)]
struct Findings {
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

/// Runs the check command.
pub fn run(command: CheckCommand) -> Result<()> {
    // The same questionnaire `report` would use: the project's, in a project folder.
    let project = Project::find(command.config.as_deref())
        .map(|config| Project::load(&config))
        .transpose()?;
    let instrument = match &project {
        Some(project) => project.instrument(command.scoring.instrument.as_deref())?,
        None => Instrument::load(command.scoring.instrument.as_deref())?,
    };
    let date_order = project
        .as_ref()
        .and_then(|p| p.config.date_order)
        .map(|order| ingest::DateOrderSetting {
            order,
            from: "date-order in makeitstick.toml",
        });
    let mut map_options = command.scoring.read.map_options()?;
    // `check` reads only files the user named: their headers may be quoted.
    map_options.quote_unrecognised = true;
    if command.scoring.read.unknown_groups.is_none()
        && let Some(project) = &project
    {
        map_options.unknown_groups = project.config.unknown_groups;
    }
    let project_min = project
        .as_ref()
        .map(|p| usize::from(p.config.min_group_size));
    let min_group_size = command
        .scoring
        .min_group_size
        .map(usize::from)
        .or(project_min)
        .unwrap_or(5);
    let mut read_options = command.scoring.read.read_options();
    read_options.questions = Some(crate::instrument::question_columns(
        &instrument,
        &map_options,
    ));
    read_options.date_order = read_options.date_order.or(date_order);
    let mut all = Vec::new();
    let mut failures: Vec<anyhow::Error> = Vec::new();
    for export in &command.exports {
        let (findings, error) = check_one(
            export,
            &instrument,
            &read_options,
            &map_options,
            min_group_size,
        );
        if let Some(error) = error {
            failures.push(error);
        }
        all.push(findings);
    }
    if command.json {
        let json = if all.len() == 1 {
            serde_json::to_string_pretty(&all[0])?
        } else {
            serde_json::to_string_pretty(&all)?
        };
        println!("{json}");
    } else {
        let texts: Vec<String> = all.iter().map(describe).collect();
        print!("{}", texts.join("\n"));
    }
    match failures.len() {
        0 => Ok(()),
        1 if command.exports.len() == 1 => Err(failures.remove(0)),
        n => Err(anyhow!(
            "{n} of {} exports cannot make a report: {}",
            command.exports.len(),
            all.iter()
                .filter(|f| !f.report_possible)
                .map(|f| f.file.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Reads, maps and tallies one export, as `report` does; the error is why no
/// report could be made.
fn check_one(
    export: &std::path::Path,
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
    let summary = &tallied.summary;
    let analysis = tallied.analysis;
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
    let error = match analysis.into_result() {
        Err(error) => Some(anyhow::Error::from(error)),
        Ok(responses) if tallied.respondents == 0 => {
            Some(anyhow::Error::from(crate::score::empty::NothingToReport {
                path: responses.source.clone(),
                rows_read: responses.rows_read,
                excluded: responses.excluded.clone(),
                without_answers: responses.rows_without_answers,
                hidden: 0,
                min_group_size,
            }))
        }
        Ok(_) => summary.date_order().err().map(anyhow::Error::from),
    };
    let findings = Findings {
        file,
        report_possible: error.is_none(),
        problem: error.as_ref().map(|e| e.to_string()),
        read: Some(read),
    };
    (findings, error)
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

fn describe(f: &Findings) -> String {
    let mut out = String::new();
    let list = |items: &[String]| {
        if items.is_empty() {
            "none".to_string()
        } else {
            items.join(", ")
        }
    };
    out.push_str(&format!("file:       {}\n", f.file));
    if let Some(r) = &f.read {
        out.push_str(&format!("format:     {}\n", r.format));
        out.push_str(&format!(
            "platform:   {} ({})\n",
            r.platform_name,
            if r.platform_detected {
                "detected from the header rows; --format overrides"
            } else {
                "chosen with --format or --profile"
            }
        ));
        match (&r.encoding, &r.encoding_rule) {
            (Some(encoding), Some(rule)) => {
                out.push_str(&format!("encoding:   {encoding} ({rule})\n"))
            }
            _ => out.push_str("encoding:   workbook (no text encoding)\n"),
        }
        if let Some(delimiter) = &r.delimiter {
            out.push_str(&format!("delimiter:  {delimiter}\n"));
        }
        if let Some(sheet) = &r.sheet {
            out.push_str(&format!("sheet:      {sheet}\n"));
        }
        out.push_str(&format!(
            "header:     {}\n",
            count(r.header_rows, "row", "rows")
        ));
        if !r.missing_codes.is_empty() {
            out.push_str(&format!(
                "unanswered: cells holding {} count as unanswered\n",
                list(&r.missing_codes)
            ));
        }
        describe_rows(r, &mut out);
        for e in &r.rows_excluded {
            out.push_str(&format!("  {:>4}  {}\n", e.count, e.why));
        }
        if r.test_responses_kept > 0 {
            out.push_str(&format!(
                "  {:>4}  survey previews and test responses kept (--keep-test-responses): \
                 the report will say so on its cover\n",
                r.test_responses_kept
            ));
        }
        describe_dates_and_repeats(r, &mut out);
        describe_identity(r, &mut out);
        if r.mapped {
            describe_mapping(r, &mut out);
        } else {
            describe_columns(r, &mut out);
        }
    }
    let unscored = f
        .read
        .as_ref()
        .map_or(0, |r| r.ingredients_without_score.len());
    if let Some(r) = &f.read {
        for w in &r.ingredients_without_score {
            out.push_str(&format!(
                "warning:    {}: {}\n",
                w.ingredient, w.reason.sentence
            ));
        }
    }
    match &f.problem {
        None if unscored > 0 => out.push_str(&format!(
            "report:     yes, a report can be made, but {} no score (see the {} above)\n",
            count(unscored, "ingredient will have", "ingredients will have"),
            crate::text::plural(unscored, "warning", "warnings"),
        )),
        None => out.push_str("report:     yes, a report can be made\n"),
        Some(problem) => out.push_str(&format!(
            "report:     no: {}\n",
            problem.lines().next().unwrap_or("").trim_end_matches(':')
        )),
    }
    out
}

/// How many rows were read, and where each went: the parts add up to the rows read.
fn describe_rows(r: &ReadFindings, out: &mut String) {
    let excluded: usize = r.rows_excluded.iter().map(|e| e.count).sum();
    let mut parts = vec![format!("{excluded} excluded")];
    if r.mapped {
        parts.push(format!("{} with no answers", r.rows_without_answers));
    }
    if r.rows_not_scored > 0 || !r.mapped {
        parts.push(format!(
            "{} not scored (the columns do not fit the questionnaire)",
            r.rows_not_scored
        ));
    }
    parts.push(count(r.responses, "response", "responses"));
    out.push_str(&format!(
        "rows:       {} read = {}\n",
        r.rows_read,
        parts.join(" + ")
    ));
}

/// Every column read, when none could be matched: its letter, the codes a
/// mapping file or the questionnaire's `ids` can name it by, and its header.
fn describe_columns(r: &ReadFindings, out: &mut String) {
    out.push_str(&format!(
        "columns:    {} read (name them in a mapping file passed with --mapping, by letter, code or header, or add their codes to `ids` in the questionnaire)\n",
        count(r.unmapped_columns.len(), "column", "columns")
    ));
    let dash = |text: Option<&str>| match text {
        Some(text) if !text.is_empty() => text.to_string(),
        _ => "-".to_string(),
    };
    let mut rows: Vec<[String; 4]> = vec![[
        "column".into(),
        "code".into(),
        "import id".into(),
        "header".into(),
    ]];
    rows.extend(r.unmapped_columns.iter().map(|c| {
        [
            c.column.clone(),
            dash(c.code.as_deref()),
            dash(c.import_id.as_deref()),
            if c.header.is_empty() {
                "(no header)".to_string()
            } else {
                one_line(&c.header)
            },
        ]
    }));
    table(&rows, out);
}

/// The identity columns dropped, each with its letter, header and reason, and
/// the columns kept although their header looked like identity.
fn describe_identity(r: &ReadFindings, out: &mut String) {
    let dropped = &r.identity_columns_dropped;
    if dropped.is_empty() {
        out.push_str("dropped:    none (no column identifies people)\n");
    } else {
        out.push_str(&format!(
            "dropped:    {} identity column{}, never read\n",
            dropped.len(),
            if dropped.len() == 1 { "" } else { "s" }
        ));
        let rows: Vec<[String; 3]> = dropped
            .iter()
            .map(|c| [c.column.clone(), one_line(&c.header), c.reason.describe()])
            .collect();
        table(&rows, out);
    }
    if !r.identity_columns_kept_yes_no.is_empty() {
        out.push_str("kept:       header looks like identity, but every answer is Yes or No\n");
        let rows: Vec<[String; 3]> = r
            .identity_columns_kept_yes_no
            .iter()
            .map(|c| {
                [
                    c.column.clone(),
                    one_line(&c.header),
                    "answers Yes/No".into(),
                ]
            })
            .collect();
        table(&rows, out);
    }
}

/// Rows of cells as an aligned table, two spaces in, each column as wide as its widest cell.
fn table<const N: usize>(rows: &[[String; N]], out: &mut String) {
    let mut widths = [0usize; N];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in rows {
        let mut line = String::from("  ");
        for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
            if i + 1 == N {
                line.push_str(cell);
            } else if i == 0 {
                // Letters right-aligned, as spreadsheets number them.
                line.push_str(&format!("{cell:>w$}  ", w = width.max(4)));
            } else {
                line.push_str(&format!("{cell:<width$}  "));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// The dates and identical-rows part of the text output.
fn describe_dates_and_repeats(r: &ReadFindings, out: &mut String) {
    if r.identical_rows > 0 {
        let n = r.identical_rows;
        out.push_str(&format!(
            "identical:  {n} row{} repeat{} an earlier row in every cell; kept, because the export has no response id or submission time to tell a repeated submission from people who answered alike\n",
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" },
        ));
    }
    let Some(d) = &r.dates else {
        out.push_str(
            "dates:      no completion-date column found; the wave comes from the file name or --wave\n",
        );
        return;
    };
    let how = match (d.order, &d.rule) {
        (Some(order), _) => format!("read {}", order.describe()),
        (None, DateRule::Unknown) => "order unknown".to_string(),
        (None, _) => "read as written".to_string(),
    };
    out.push_str(&format!(
        "dates:      column {} {:?}, {how}: {}\n",
        d.column,
        one_line(&d.header),
        d.why
    ));
    if d.not_dates > 0 {
        out.push_str(&format!(
            "  {:>4}  cell{} not a date (first at row {}): {} no completion date\n",
            d.not_dates,
            if d.not_dates == 1 { "" } else { "s" },
            d.first_not_date_row.unwrap_or(0),
            if d.not_dates == 1 {
                "that response has"
            } else {
                "those responses have"
            }
        ));
    }
    match (d.first, d.last) {
        (Some(first), Some(last)) => out.push_str(&format!(
            "period:     {} (first and last response read)\n",
            crate::report::period_text(first, last)
        )),
        _ if d.rule == DateRule::Unknown => out.push_str(
            "period:     unknown until the date order is set (--date-order dmy or mdy)\n",
        ),
        _ => out.push_str("period:     no dates read\n"),
    }
    if let Some(warning) = &d.warning {
        out.push_str(&format!("warning:    {warning}\n"));
    }
}

/// The mapping part of the text output: columns, statements and answers.
fn describe_mapping(r: &ReadFindings, out: &mut String) {
    let list = |items: &[String]| {
        if items.is_empty() {
            "none".to_string()
        } else {
            items.join(", ")
        }
    };
    {
        let group = match (&r.group_column, &r.group_question) {
            (Some(column), _) => column.clone(),
            (None, None) => "the questionnaire has no [groups]: the report is for everyone, with no figures by group and no co-production lens".into(),
            (None, Some(question)) => format!(
                "no column matches the group question {question:?}: the report is for everyone, with no figures by group and no co-production lens (if the export has the question, add its header to `aliases` or its code to `ids` in [groups])"
            ),
        };
        out.push_str(&format!("group:      {group}\n"));
        out.push_str(&format!(
            "mapping:    {}\n",
            count(r.mapping.len(), "column", "columns")
        ));
        let rows: Vec<[String; 5]> = r
            .mapping
            .iter()
            .map(|m| {
                [
                    m.column.clone(),
                    m.statement.clone(),
                    m.ingredient.clone(),
                    format!("({})", m.matched_by),
                    one_line(&m.header),
                ]
            })
            .collect();
        table(&rows, out);
        let unmapped: Vec<String> = r
            .unmapped_columns
            .iter()
            .map(|c| {
                if c.header.is_empty() {
                    format!("{} (no header)", c.column)
                } else {
                    format!("{} {}", c.column, one_line(&c.header))
                }
            })
            .collect();
        out.push_str(&format!("unmapped:   {}\n", list(&unmapped)));
        out.push_str(&format!(
            "missing:    {}\n",
            list(&r.statements_without_column)
        ));
        if r.answers_not_on_scale.is_empty() {
            out.push_str("off-scale:  none\n");
        } else {
            let n = r.answers_not_on_scale.len();
            out.push_str(&format!(
                "off-scale:  {} not on the scale\n",
                count(n, "answer", "answers")
            ));
            for a in &r.answers_not_on_scale {
                out.push_str(&format!(
                    "  {:>4}  {:?}, {}, first at row {}\n",
                    a.column,
                    a.value,
                    count(a.count, "time", "times"),
                    a.first_row
                ));
            }
        }
        for g in &r.group_answers_not_known {
            let answer = if g.value.is_empty() {
                "an answer given once (not quoted: it may be personal)".to_string()
            } else {
                format!("{:?}", g.value)
            };
            out.push_str(&format!(
                "unknown group answer: {answer} in column {}, {}, first at row {}{}\n",
                g.column,
                count(g.count, "time", "times"),
                g.first_row,
                if r.unknown_groups_are_errors {
                    ""
                } else {
                    "; counted in \"Did not say which group\""
                }
            ));
        }
    }
}

/// A header on one line, at most 80 characters: long ones keep their start and
/// their end, where a matrix header's statement is.
fn one_line(header: &str) -> String {
    let flat: Vec<char> = header
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    if flat.len() > 80 {
        let head: String = flat[..24].iter().collect();
        let tail: String = flat[flat.len() - 54..].iter().collect();
        format!("{} … {}", head.trim_end(), tail.trim_start())
    } else {
        flat.into_iter().collect()
    }
}
