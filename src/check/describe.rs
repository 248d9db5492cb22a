//! The findings of `check` in words, as it prints them without `--json`.

use super::{Findings, ReadFindings};
use crate::ingest::DateRule;
use crate::text::count;

impl Findings {
    /// The findings in words, as `check` prints them.
    pub fn describe(&self) -> String {
        let mut out = format!("file:       {}\n", self.file);
        if let Some(r) = &self.read {
            describe_reader(r, &mut out);
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
        describe_verdict(self, &mut out);
        out
    }
}

/// A list of items, or "none".
fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

/// What the reader decided: format, platform, encoding, delimiter, sheet,
/// header rows and the codes read as unanswered.
fn describe_reader(r: &ReadFindings, out: &mut String) {
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
        (Some(encoding), Some(rule)) => out.push_str(&format!("encoding:   {encoding} ({rule})\n")),
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
}

/// The ingredients that will have no score, and whether a report can be made.
fn describe_verdict(f: &Findings, out: &mut String) {
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
    describe_answers(r, out);
}

/// The answers that do not fit: off the scale, or in no known group.
fn describe_answers(r: &ReadFindings, out: &mut String) {
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
