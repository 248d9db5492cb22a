//! Reading real export layouts: one fixture per platform and variant (see
//! EXPORT-FORMATS.md), each with the mapping, exclusions and answers it must
//! give, and a corpus of broken inputs with the message each must give.
//!
//! Workbook fixtures are generated here with rust_xlsxwriter rather than
//! committed as opaque binaries; text fixtures are committed as the platform
//! writes them (encoding, line endings and all).

use std::path::{Path, PathBuf};

use makeitstick::ingest::{self, ExclusionReason, Platform, ReadOptions};
use makeitstick::instrument::{
    Answer, Instrument, MapOptions, MappingFile, MatchedBy, Origin, Responses,
};

use crate::common::*;

// ---------------------------------------------------------------- helpers

fn built_in() -> Instrument {
    Instrument::load(None).unwrap()
}

fn read(path: &Path) -> ReadExport {
    read_with(path, &ReadOptions::default())
}

fn read_with(path: &Path, options: &ReadOptions) -> ReadExport {
    read_export(path, options).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn map(table: &ReadExport, instrument: &Instrument) -> Mapped {
    map_export(table, instrument, &MapOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", table.source.display()))
}

/// (column letter, statement id) pairs of a mapping.
fn mapping(responses: &Responses) -> Vec<(String, String)> {
    responses
        .mapping
        .iter()
        .map(|m| (m.column.clone(), m.statement.clone()))
        .collect()
}

/// The expected mapping: consecutive columns from `first`, statements `context-1..`.
fn context_columns(first: &str, n: usize) -> Vec<(String, String)> {
    let start = letter_index(first);
    (0..n)
        .map(|i| {
            (
                ingest::column_letter(start + i),
                format!("context-{}", i + 1),
            )
        })
        .collect()
}

fn letter_index(letter: &str) -> usize {
    letter
        .bytes()
        .fold(0, |n, b| n * 26 + usize::from(b - b'A' + 1))
        - 1
}

fn excluded(table_or_responses: &[ingest::Excluded]) -> Vec<(ExclusionReason, usize)> {
    table_or_responses
        .iter()
        .map(|e| (e.reason, e.count))
        .collect()
}

/// The answers of a respondent to the first `n` statements.
fn answers(responses: &Mapped, respondent: usize, n: usize) -> Vec<Answer> {
    responses.respondents[respondent].answers[..n].to_vec()
}

fn group_id(instrument: &Instrument, responses: &Mapped, respondent: usize) -> Option<String> {
    responses.respondents[respondent]
        .group
        .map(|g| instrument.group_options()[g].id.clone())
}

use Answer::{Missing, Point, Unanswered};
const DONT_KNOW: Answer = Missing(0);
const NOT_APPLICABLE: Answer = Missing(1);

/// Runs `check` from the fixtures folder, so that paths in its output are stable.
fn check(args: &[&str]) -> (i32, String, String) {
    let (output, _) = run(makeitstick()
        .current_dir(fixture(""))
        .arg("check")
        .args(args));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (output.status.code().unwrap_or(-1), stdout, stderr)
}

// ---------------------------------------------------------------- Google Forms

#[test]
fn google_forms_csv_grid_headers_and_email_column() {
    let instrument = built_in();
    let table = read(&fixture("google-forms-csv/export.csv"));
    assert_eq!(table.profile.platform, Platform::GoogleForms);
    assert_eq!(table.delimiter, Some(ingest::Delimiter::Comma));
    assert_eq!(table.dropped_headers(), vec!["Email Address"]);
    let responses = map(&table, &instrument);
    let mut expected = context_columns("D", 7);
    // ` [Row]`: a grid with an empty title leaves a leading space.
    expected.push(("K".into(), "coproduction-1".into()));
    assert_eq!(mapping(&responses), expected);
    assert_eq!(responses.respondents.len(), 3);
    assert_eq!(
        answers(&responses, 0, 7),
        [
            Point(5),
            Point(4),
            Point(4),
            Point(2),
            Point(3),
            Point(5),
            Point(1)
        ]
    );
    assert_eq!(responses.respondents[1].answers[4], Unanswered);
    assert_eq!(responses.respondents[1].answers[7], DONT_KNOW);
    assert_eq!(
        group_id(&instrument, &responses, 0).as_deref(),
        Some("young-people")
    );
    assert_eq!(
        responses.respondents[0]
            .completed
            .unwrap()
            .exact_time()
            .unwrap()
            .to_string(),
        "2026-09-01 15:16:40"
    );
    // Two columns share the header "Any comments?": both are kept, neither mapped.
    assert_eq!(
        responses
            .unmapped
            .iter()
            .filter(|h| *h == "Any comments?")
            .count(),
        2
    );
}

#[test]
fn google_sheets_tsv_with_commas_in_headers_and_linear_scale_numbers() {
    let instrument = built_in();
    let table = read(&fixture("google-sheets-tsv/export.tsv"));
    assert_eq!(table.profile.platform, Platform::GoogleForms);
    assert_eq!(table.delimiter, Some(ingest::Delimiter::Tab));
    let responses = map(&table, &instrument);
    assert_eq!(mapping(&responses), context_columns("C", 4));
    assert_eq!(
        answers(&responses, 0, 4),
        [Point(5), Point(4), Point(3), Point(2)]
    );
    assert_eq!(
        answers(&responses, 1, 4),
        [Point(1), Point(2), Unanswered, Point(4)]
    );
    assert_eq!(
        group_id(&instrument, &responses, 2).as_deref(),
        Some("commissioners")
    );
}

#[test]
fn google_sheets_xlsx_form_responses_sheet_with_datetime_cells() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("responses.xlsx");
    let mut workbook = Workbook::new();
    // A notes sheet first: the responses sheet is found by its name.
    workbook.add_worksheet().set_name("Notes").unwrap();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Form Responses 1").unwrap();
    let headers = [
        "Timestamp",
        "Email address",
        "Which of these best describes you?",
        "Our organisation welcomes new ways of working.",
        "Senior leaders give time and money to new ideas.",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let format = Format::new().set_num_format("m/d/yyyy h:mm:ss");
    let when = ExcelDateTime::from_ymd(2026, 9, 1)
        .unwrap()
        .and_hms_milli(15, 16, 40, 250)
        .unwrap();
    sheet
        .write_datetime_with_format(1, 0, &when, &format)
        .unwrap();
    for (c, v) in ["x@example.org", "Manager", "Agree", "Strongly agree"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, c as u16 + 1, *v).unwrap();
    }
    sheet
        .write_datetime_with_format(2, 0, &when, &format)
        .unwrap();
    sheet.write_string(2, 2, "Partner").unwrap();
    sheet.write_number(2, 3, 2).unwrap();
    workbook.save(&path).unwrap();

    let instrument = built_in();
    let table = read(&path);
    assert_eq!(table.profile.platform, Platform::GoogleForms);
    assert_eq!(table.sheet.as_deref(), Some("Form Responses 1"));
    assert_eq!(table.dropped_headers(), vec!["Email address"]);
    let responses = map(&table, &instrument);
    assert_eq!(mapping(&responses), context_columns("D", 2));
    assert_eq!(answers(&responses, 0, 2), [Point(4), Point(5)]);
    assert_eq!(answers(&responses, 1, 2), [Point(2), Unanswered]);
    assert_eq!(
        responses.respondents[0]
            .completed
            .unwrap()
            .exact_time()
            .unwrap()
            .to_string(),
        "2026-09-01 15:16:40"
    );
}

// ---------------------------------------------------------------- Microsoft Forms

#[test]
fn microsoft_forms_japanese_workbook_with_an_excel_table() {
    use rust_xlsxwriter::{Table as XlTable, TableColumn, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("フォーム.xlsx");
    let headers = [
        "ID",
        "開始時刻",
        "完了時刻",
        "メール",
        "名前",
        "Which of these best describes you?",
        "Our organisation welcomes new ways of working.",
        "Senior leaders give time and money to new ideas.",
        "Points - Senior leaders give time and money to new ideas.",
    ];
    let rows = [
        [
            "1",
            "2026-09-01 10:00:00",
            "2026-09-01 10:05:00",
            "anonymous",
            "",
            "Care leaver",
            "Strongly agree",
            "Disagree",
            "1",
        ],
        [
            "2",
            "2026-09-02 10:00:00",
            "2026-09-02 10:05:00",
            "anonymous",
            "",
            "Manager",
            "Agree",
            "Neither agree nor disagree",
            "0",
        ],
    ];
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Sheet1").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *cell).unwrap();
        }
    }
    let columns: Vec<TableColumn> = headers
        .iter()
        .map(|h| TableColumn::new().set_header(*h))
        .collect();
    let table = XlTable::new().set_name("Table1").set_columns(&columns);
    sheet
        .add_table(0, 0, 2, headers.len() as u16 - 1, &table)
        .unwrap();
    workbook.save(&path).unwrap();

    let instrument = built_in();
    let table = read(&path);
    assert_eq!(table.profile.platform, Platform::MicrosoftForms);
    assert_eq!(table.dropped_headers(), vec!["ID", "メール", "名前"]);
    let responses = map(&table, &instrument);
    // The quiz's `Points - ` column is never taken for the statement.
    assert_eq!(mapping(&responses), context_columns("G", 2));
    assert_eq!(answers(&responses, 0, 2), [Point(5), Point(2)]);
    assert_eq!(answers(&responses, 1, 2), [Point(4), Point(3)]);
    assert_eq!(
        responses.respondents[1]
            .completed
            .unwrap()
            .exact_time()
            .unwrap()
            .to_string(),
        "2026-09-02 10:05:00"
    );
}

// ---------------------------------------------------------------- SurveyMonkey

#[test]
fn surveymonkey_two_header_rows_statements_in_row_two() {
    let instrument = built_in();
    let table = read(&fixture("surveymonkey-csv/export.csv"));
    assert_eq!(table.profile.platform, Platform::SurveyMonkey);
    assert_eq!(table.profile.header_rows, 2);
    assert_eq!(
        table.dropped_headers(),
        [
            "Respondent ID",
            "Collector ID",
            "IP Address",
            "Email Address",
            "First Name",
            "Last Name",
            "Custom Data 1"
        ]
    );
    let responses = map(&table, &instrument);
    assert_eq!(mapping(&responses), context_columns("K", 7));
    assert_eq!(
        responses.group_column.as_deref(),
        Some("Which of these best describes you?")
    );
    assert_eq!(
        responses.respondents[0].row, 3,
        "two header rows come first"
    );
    assert_eq!(
        answers(&responses, 0, 7),
        [
            Point(5),
            Point(4),
            Point(3),
            Point(2),
            Point(4),
            Point(4),
            NOT_APPLICABLE
        ]
    );
    // Quit early: the trailing cells are missing from the row altogether.
    assert_eq!(
        answers(&responses, 2, 7),
        [
            Point(2),
            Point(1),
            Unanswered,
            Unanswered,
            Unanswered,
            Unanswered,
            Unanswered
        ]
    );
}

#[test]
fn surveymonkey_via_excel_for_mac_is_macroman() {
    let instrument = built_in();
    let table = read(&fixture("surveymonkey-macroman/export.csv"));
    assert_eq!(table.encoding.as_deref(), Some("MacRoman"));
    assert_eq!(table.dropped_headers(), vec!["RespondentID", "CollectorID"]);
    let responses = map(&table, &instrument);
    assert_eq!(mapping(&responses), context_columns("F", 4));
    // `Strongly\u{A0}agree` (0xCA), `Don’t know` (0xD5), `Agree strongly`.
    assert_eq!(
        answers(&responses, 0, 4),
        [Point(5), DONT_KNOW, Point(4), Point(2)]
    );
    assert_eq!(answers(&responses, 1, 2), [Point(4), Point(5)]);
    assert_eq!(
        group_id(&instrument, &responses, 0).as_deref(),
        Some("young-people")
    );
}

#[test]
fn surveymonkey_expanded_single_choice_is_folded_into_one_column() {
    let instrument = built_in();
    let table = read(&fixture("surveymonkey-expanded/export.csv"));
    assert_eq!(table.profile.platform, Platform::SurveyMonkey);
    let responses = map(&table, &instrument);
    // Five option columns E..I become one; the letters after them stay true to the file.
    assert_eq!(
        responses.group_column.as_deref(),
        Some("Which of these best describes you?")
    );
    assert_eq!(mapping(&responses), context_columns("J", 3));
    assert_eq!(
        group_id(&instrument, &responses, 0).as_deref(),
        Some("young-people")
    );
    assert_eq!(
        group_id(&instrument, &responses, 1).as_deref(),
        Some("partners")
    );
    assert_eq!(
        group_id(&instrument, &responses, 2),
        None,
        "no option chosen"
    );
    assert_eq!(answers(&responses, 1, 3), [Point(2), Point(3), Point(1)]);
}

#[test]
fn surveymonkey_workbook_with_a_merged_question_cell() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Data_All.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, h) in [
        "Respondent ID",
        "Collector ID",
        "Which of these best describes you?",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet
        .merge_range(0, 3, 0, 5, "How much do you agree?", &Format::new())
        .unwrap();
    sheet.write_string(1, 2, "Response").unwrap();
    let statements = [
        "Our organisation welcomes new ways of working.",
        "Senior leaders give time and money to new ideas.",
        "Staff here feel safe to try something new, even if it might not work.",
    ];
    for (c, s) in statements.iter().enumerate() {
        sheet.write_string(1, c as u16 + 3, *s).unwrap();
    }
    for (c, v) in ["11", "22", "Partner", "Agree", "Disagree", "Strongly agree"]
        .iter()
        .enumerate()
    {
        sheet.write_string(2, c as u16, *v).unwrap();
    }
    workbook.save(&path).unwrap();

    let instrument = built_in();
    let table = read(&path);
    assert_eq!(table.profile.platform, Platform::SurveyMonkey);
    let responses = map(&table, &instrument);
    assert_eq!(mapping(&responses), context_columns("D", 3));
    assert_eq!(answers(&responses, 0, 3), [Point(4), Point(2), Point(5)]);
    assert_eq!(
        group_id(&instrument, &responses, 0).as_deref(),
        Some("partners")
    );
}

// ---------------------------------------------------------------- Qualtrics

#[test]
fn qualtrics_choice_text_spam_preview_unfinished_and_seen_but_unanswered() {
    let instrument = built_in();
    let table = read(&fixture("qualtrics-choice-text/export.csv"));
    assert_eq!(table.profile.platform, Platform::Qualtrics);
    assert_eq!(table.profile.header_rows, 3);
    assert_eq!(table.rows_read, 6);
    assert_eq!(
        excluded(&table.excluded),
        [
            (ExclusionReason::Spam, 1),
            (ExclusionReason::Preview, 1),
            (ExclusionReason::Incomplete, 1)
        ]
    );
    assert_eq!(
        table.dropped_headers(),
        [
            "IP Address",
            "Response ID",
            "Recipient Last Name",
            "Recipient First Name",
            "Recipient Email",
            "External Data Reference",
            "Location Latitude",
            "Location Longitude"
        ]
    );
    let column = table.columns.iter().find(|c| c.letter == "S").unwrap();
    assert_eq!(column.code.as_deref(), Some("Q2_1"));
    assert_eq!(column.import_id.as_deref(), Some("QID2_1"));
    let responses = map(&table, &instrument);
    assert_eq!(mapping(&responses), context_columns("S", 7));
    assert_eq!(responses.respondents.len(), 3);
    assert_eq!(responses.excluded, table.excluded);
    // `Strongly Disagree` next to `Strongly agree`; -99 is seen but unanswered.
    assert_eq!(
        answers(&responses, 0, 7),
        [
            Point(5),
            Point(4),
            Point(3),
            Point(1),
            Point(4),
            Point(5),
            Point(2)
        ]
    );
    assert_eq!(responses.respondents[1].answers[4], Unanswered);
    assert_eq!(responses.respondents[2].answers[2], Point(3), "Neutral");
    assert_eq!(
        group_id(&instrument, &responses, 2).as_deref(),
        Some("frontline")
    );

    let keep = ReadOptions {
        keep_incomplete: true,
        ..ReadOptions::default()
    };
    let table = read_with(&fixture("qualtrics-choice-text/export.csv"), &keep);
    assert_eq!(
        excluded(&table.excluded),
        [(ExclusionReason::Spam, 1), (ExclusionReason::Preview, 1)]
    );
    assert_eq!(map(&table, &instrument).respondents.len(), 4);
}

#[test]
fn qualtrics_workbook_three_header_rows_and_excel_booleans() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("qualtrics.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let header: [[&str; 5]; 3] = [
        ["Status", "Finished", "ResponseId", "Q1", "Q2_1"],
        [
            "Response Type",
            "Finished",
            "Response ID",
            "Which of these best describes you?",
            "Agree? - Our organisation welcomes new ways of working.",
        ],
        [
            "{\"ImportId\":\"status\"}",
            "{\"ImportId\":\"finished\"}",
            "{\"ImportId\":\"_recordId\"}",
            "{\"ImportId\":\"QID1\"}",
            "{\"ImportId\":\"QID2_1\"}",
        ],
    ];
    for (r, row) in header.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    // Re-saved in Excel: Finished became a boolean cell.
    for (r, (status, finished, id, group, answer)) in [
        ("IP Address", true, "R_1", "Manager", "Agree"),
        ("IP Address", false, "R_2", "Partner", "Disagree"),
        ("Spam", true, "R_3", "Partner", "Agree"),
    ]
    .into_iter()
    .enumerate()
    {
        let r = r as u32 + 3;
        sheet.write_string(r, 0, status).unwrap();
        sheet.write_boolean(r, 1, finished).unwrap();
        sheet.write_string(r, 2, id).unwrap();
        sheet.write_string(r, 3, group).unwrap();
        sheet.write_string(r, 4, answer).unwrap();
    }
    workbook.save(&path).unwrap();

    let table = read(&path);
    assert_eq!(table.profile.platform, Platform::Qualtrics);
    assert_eq!(table.dropped_headers(), ["Response ID"]);
    assert_eq!(
        excluded(&table.excluded),
        [(ExclusionReason::Spam, 1), (ExclusionReason::Incomplete, 1)]
    );
    let responses = map(&table, &built_in());
    assert_eq!(mapping(&responses), context_columns("E", 1));
    assert_eq!(responses.respondents.len(), 1);
    assert_eq!(responses.respondents[0].row, 4);
    assert_eq!(answers(&responses, 0, 1), [Point(4)]);
}

/// The built-in instrument with Qualtrics ImportIds, a numeric group answer and -1 as N/A.
fn instrument_for_german_numeric_export(with_codes: bool) -> Instrument {
    let mut text = makeitstick::instrument::BUILT_IN.to_string();
    for i in 1..=4 {
        text = text.replace(
            &format!("id = \"context-{i}\"\n"),
            &format!("id = \"context-{i}\"\nids = [\"QID2_{i}\"]\n"),
        );
    }
    text = text.replace(
        "question = \"Which of these best describes you?\"\n",
        "question = \"Which of these best describes you?\"\nids = [\"QID1\"]\n",
    );
    text = text.replace(
        "answers = [\"A manager or leader\",",
        "answers = [\"3\", \"A manager or leader\",",
    );
    if with_codes {
        text = text.replace(
            "{ label = \"Not applicable\", aliases",
            "{ label = \"Not applicable\", codes = [-1], aliases",
        );
    }
    Instrument::parse(&text, Origin::BuiltIn).unwrap()
}

#[test]
fn qualtrics_numeric_export_with_german_display_row_maps_by_import_id() {
    let path = fixture("qualtrics-numeric-german/export.csv");
    let table = read(&path);
    assert_eq!(
        excluded(&table.excluded),
        [
            (ExclusionReason::Spam, 1),
            (ExclusionReason::Preview, 2),
            (ExclusionReason::Incomplete, 1)
        ]
    );
    // Row 2 is translated, so without ids nothing matches.
    let error = map_export(&table, &built_in(), &MapOptions::default())
        .unwrap_err()
        .to_string();
    assert!(error.contains("none of the 14 columns matches"), "{error}");

    let instrument = instrument_for_german_numeric_export(true);
    let responses = map(&table, &instrument);
    assert_eq!(mapping(&responses), context_columns("S", 4));
    assert!(
        responses
            .mapping
            .iter()
            .all(|m| m.matched_by == MatchedBy::PlatformId)
    );
    assert_eq!(responses.respondents.len(), 2);
    assert_eq!(
        answers(&responses, 0, 4),
        [Point(5), Point(4), NOT_APPLICABLE, Point(2)]
    );
    assert_eq!(
        answers(&responses, 1, 4),
        [Point(1), Point(2), Point(3), NOT_APPLICABLE]
    );
    assert_eq!(
        group_id(&instrument, &responses, 0).as_deref(),
        Some("managers")
    );

    // Without `codes = [-1]`, -1 is off the scale: every distinct value, column and first row.
    let error = map_export(
        &table,
        &instrument_for_german_numeric_export(false),
        &MapOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("2 answers are not on the scale"), "{error}");
    assert!(error.contains("\"-1\" in column U"), "{error}");
    assert!(error.contains("first at row 4"), "{error}");
}

#[test]
fn qualtrics_legacy_two_rows_bom_trailing_comma_and_truncated_questions() {
    let instrument = built_in();
    let table = read(&fixture("qualtrics-legacy/export.csv"));
    assert_eq!(table.profile.platform, Platform::QualtricsLegacy);
    assert_eq!(table.profile.header_rows, 2);
    assert_eq!(table.encoding.as_deref(), Some("UTF-8 with BOM"));
    // The trailing comma's empty column is gone; the last kept column is Q2_5.
    assert_eq!(table.columns.last().unwrap().letter, "P");
    assert_eq!(
        table.dropped_headers(),
        [
            "ResponseID",
            "Name",
            "ExternalDataReference",
            "EmailAddress",
            "IPAddress",
            "LocationLatitude",
            "LocationLongitude",
            "LocationAccuracy"
        ]
    );
    assert_eq!(
        excluded(&table.excluded),
        [(ExclusionReason::Incomplete, 1)]
    );
    let responses = map(&table, &instrument);
    assert_eq!(mapping(&responses), context_columns("L", 5));
    assert_eq!(
        answers(&responses, 0, 5),
        [Point(4), Point(4), Point(5), Point(1), Point(4)]
    );
    assert_eq!(
        responses.respondents[1].answers[1],
        Point(3),
        "Neither agree or disagree"
    );
    assert_eq!(
        group_id(&instrument, &responses, 1).as_deref(),
        Some("frontline")
    );
}

#[test]
fn qualtrics_2016_python_repr_import_ids() {
    let table = read(&fixture("qualtrics-2016/export.csv"));
    assert_eq!(table.profile.platform, Platform::Qualtrics);
    // Six identity columns are dropped before Q1 (column L).
    let ids: Vec<Option<&str>> = table.columns[5..]
        .iter()
        .map(|c| c.import_id.as_deref())
        .collect();
    assert_eq!(
        ids,
        [
            Some("QID1"),
            Some("QID2-1"),
            Some("QID2-2"),
            Some("QID2-3"),
            Some("QID2--1")
        ]
    );
    let responses = map(&table, &built_in());
    assert_eq!(mapping(&responses), context_columns("M", 3));
    assert_eq!(answers(&responses, 0, 3), [Point(4), Point(5), Point(2)]);

    // `QID2-1` in the file matches `QID2_1` in the instrument.
    let text = makeitstick::instrument::BUILT_IN.replace(
        "id = \"context-1\"\n",
        "id = \"context-1\"\nids = [\"QID2_1\"]\n",
    );
    let instrument = Instrument::parse(&text, Origin::BuiltIn).unwrap();
    let responses = map(&table, &instrument);
    assert_eq!(responses.mapping[0].matched_by, MatchedBy::PlatformId);
    assert_eq!(responses.mapping[0].column, "M");
}

// ---------------------------------------------------------------- LimeSurvey

#[test]
fn limesurvey_codes_semicolons_unsubmitted_rows_and_a_mapping_file() {
    let table = read(&fixture("limesurvey-codes/export.csv"));
    assert_eq!(table.profile.platform, Platform::LimeSurvey);
    assert_eq!(table.delimiter, Some(ingest::Delimiter::Semicolon));
    assert_eq!(table.dropped_headers(), ["id", "ipaddr", "refurl", "token"]);
    assert_eq!(
        excluded(&table.excluded),
        [(ExclusionReason::Incomplete, 1)]
    );
    let options = MapOptions {
        mapping: Some(MappingFile::load(&fixture("limesurvey-codes/mapping.toml")).unwrap()),
        ..MapOptions::default()
    };
    let instrument = built_in();
    let responses = map_export(&table, &instrument, &options).unwrap();
    assert_eq!(mapping(&responses), context_columns("L", 4));
    assert!(
        responses
            .mapping
            .iter()
            .all(|m| m.matched_by == MatchedBy::MappingFile)
    );
    assert_eq!(responses.group_column.as_deref(), Some("G1"));
    assert_eq!(
        answers(&responses, 0, 4),
        [Point(5), Point(4), Point(3), Point(2)]
    );
    assert_eq!(
        answers(&responses, 1, 4),
        [Point(1), Point(2), NOT_APPLICABLE, Point(5)]
    );
    assert_eq!(
        group_id(&instrument, &responses, 1).as_deref(),
        Some("partners")
    );
}

#[test]
fn limesurvey_code_and_text_headings_with_no_answer() {
    let instrument = built_in();
    let table = read(&fixture("limesurvey-text/export.csv"));
    assert_eq!(table.profile.platform, Platform::LimeSurvey);
    assert_eq!(table.dropped_headers(), ["Response ID"]);
    assert_eq!(
        excluded(&table.excluded),
        [(ExclusionReason::Incomplete, 1)]
    );
    let responses = map(&table, &instrument);
    assert_eq!(mapping(&responses), context_columns("G", 3));
    // "No answer" is LimeSurvey's own choice not to answer.
    assert_eq!(answers(&responses, 0, 3), [Point(5), Point(4), Unanswered]);
    assert_eq!(
        group_id(&instrument, &responses, 0).as_deref(),
        Some("young-people")
    );
    assert_eq!(
        group_id(&instrument, &responses, 1).as_deref(),
        Some("commissioners")
    );
}

// ---------------------------------------------------------------- KoboToolbox, Typeform, JISC

#[test]
fn kobo_labels_export_with_group_paths_and_semicolons() {
    let instrument = built_in();
    let table = read(&fixture("kobo-labels/export.csv"));
    assert_eq!(table.profile.platform, Platform::Kobo);
    assert_eq!(
        table.dropped_headers(),
        ["deviceid", "_id", "_uuid", "_submitted_by", "_index"]
    );
    let responses = map(&table, &instrument);
    assert_eq!(mapping(&responses), context_columns("F", 4));
    assert_eq!(
        answers(&responses, 0, 4),
        [Point(4), Point(4), Point(2), Point(1)]
    );
    assert_eq!(
        responses.respondents[1]
            .completed
            .unwrap()
            .exact_time()
            .unwrap()
            .to_string(),
        "2026-09-02 10:00:00"
    );
}

#[test]
fn typeform_html_headers_numbered_answers_and_partial_responses() {
    let instrument = built_in();
    let table = read(&fixture("typeform/export.csv"));
    assert_eq!(table.profile.platform, Platform::Typeform);
    assert_eq!(table.dropped_headers(), ["#", "Network ID"]);
    assert_eq!(
        excluded(&table.excluded),
        [(ExclusionReason::Incomplete, 1)]
    );
    let responses = map(&table, &instrument);
    assert_eq!(mapping(&responses), context_columns("C", 4));
    assert_eq!(
        answers(&responses, 0, 4),
        [Point(4), Point(5), Point(3), Point(1)]
    );
    assert_eq!(
        group_id(&instrument, &responses, 0).as_deref(),
        Some("commissioners")
    );
}

#[test]
fn jisc_and_smartsurvey_numbered_headers() {
    let instrument = built_in();
    let table = read(&fixture("jisc/export.csv"));
    assert_eq!(table.profile.platform, Platform::Jisc);
    assert_eq!(
        table.dropped_headers(),
        [
            "UserID",
            "UserNo",
            "Name",
            "Email",
            "IP Address",
            "Unique ID"
        ]
    );
    let responses = map(&table, &instrument);
    assert_eq!(mapping(&responses), context_columns("J", 4));
    assert_eq!(
        responses.group_column.as_deref(),
        Some("1. Which of these best describes you?")
    );
    assert_eq!(
        answers(&responses, 1, 4),
        [Point(1), Point(2), Point(3), Point(5)]
    );
    assert_eq!(
        responses.respondents[0]
            .completed
            .unwrap()
            .exact_time()
            .unwrap()
            .to_string(),
        "2026-09-01 10:06:00"
    );
}

// ---------------------------------------------------------------- bytes

#[test]
fn windows_1252_with_a_trailing_delimiter() {
    let instrument = built_in();
    let table = read(&fixture("generic-windows-1252/export.csv"));
    assert_eq!(table.profile.platform, Platform::Generic);
    assert_eq!(table.encoding.as_deref(), Some("windows-1252"));
    assert_eq!(
        table.columns.len(),
        5,
        "the empty trailing column is dropped"
    );
    let responses = map(&table, &instrument);
    assert_eq!(answers(&responses, 0, 3), [Point(4), DONT_KNOW, Point(5)]);
    assert_eq!(answers(&responses, 1, 2), [Point(2), NOT_APPLICABLE]);
}

#[test]
fn utf16_with_a_byte_order_mark_and_tabs() {
    let instrument = built_in();
    let table = read(&fixture("generic-utf16/export.tsv"));
    assert_eq!(table.encoding.as_deref(), Some("UTF-16LE with BOM"));
    assert_eq!(table.delimiter, Some(ingest::Delimiter::Tab));
    let responses = map(&table, &instrument);
    assert_eq!(mapping(&responses), context_columns("B", 3));
    assert_eq!(answers(&responses, 1, 3), [Point(2), Point(5), Point(3)]);
}

#[test]
fn a_forced_encoding_and_format_are_used_and_reported() {
    // MacRoman read as Windows-1252 garbles `Don’t know` into `DonÕt know`.
    let (code, stdout, stderr) = check(&[
        "surveymonkey-macroman/export.csv",
        "--encoding",
        "windows-1252",
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("encoding:   windows-1252 (chosen with --encoding)"),
        "{stdout}"
    );
    assert!(
        stderr.contains("\"Don\u{D5}t know\" in column G"),
        "{stderr}"
    );

    // Read as a generic one-header-row file, SurveyMonkey's row 2 becomes a response.
    let (_, stdout, _) = check(&["surveymonkey-csv/export.csv", "--format", "generic"]);
    assert!(
        stdout.contains(
            "platform:   generic (no known platform) (chosen with --format or --profile)"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("header:     1 row"), "{stdout}");
}

#[test]
fn delimiter_and_header_rows_flags_override_the_profile() {
    let (code, stdout, stderr) = check(&["google-sheets-tsv/export.tsv", "--delimiter", "tab"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("delimiter:  tab"), "{stdout}");
    // Read with commas, the tab-separated header splits at the commas inside a question.
    let (code, _, _) = check(&["google-sheets-tsv/export.tsv", "--delimiter", "comma"]);
    assert_eq!(code, 1);
    let (code, _, stderr) = check(&["tiny/export.csv", "--delimiter", "x"]);
    assert_eq!(code, 2, "{stderr}");
    // SurveyMonkey read as a generic export with two header rows still finds the matrix.
    let (code, stdout, stderr) = check(&[
        "surveymonkey-csv/export.csv",
        "--format",
        "generic",
        "--header-rows",
        "2",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("header:     2 rows"), "{stdout}");
    assert!(stdout.contains("mapping:    7 columns"), "{stdout}");
}

#[test]
fn a_profile_file_reads_an_export_from_an_unknown_platform() {
    let options = ReadOptions {
        profile_file: Some(fixture("unknown-two-header-rows/profile.toml")),
        ..ReadOptions::default()
    };
    let table = read_with(&fixture("unknown-two-header-rows/export.csv"), &options);
    assert_eq!(table.profile.platform, Platform::Generic);
    assert_eq!(table.profile.header_rows, 2);
    assert_eq!(table.profile.missing_codes, ["-9"]);
    let instrument = built_in();
    let responses = map(&table, &instrument);
    assert_eq!(mapping(&responses), context_columns("D", 4));
    assert_eq!(
        answers(&responses, 0, 4),
        [Point(4), Point(5), Unanswered, Point(2)]
    );
    assert_eq!(
        answers(&responses, 1, 4),
        [Point(1), Unanswered, Point(3), Point(5)]
    );
    assert_eq!(
        group_id(&instrument, &responses, 1).as_deref(),
        Some("young-people")
    );

    // Without the profile, row 2 is read as a response and nothing fits.
    let (code, _, _) = check(&["unknown-two-header-rows/export.csv"]);
    assert_eq!(code, 1);
    // A flag wins over the profile.
    let (code, stdout, _) = check(&[
        "unknown-two-header-rows/export.csv",
        "--profile",
        "unknown-two-header-rows/profile.toml",
        "--header-rows",
        "1",
    ]);
    assert_eq!(code, 1);
    assert!(stdout.contains("header:     1 row"), "{stdout}");

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("profile.toml");
    std::fs::write(&bad, "header-row = 2\n").unwrap();
    let (code, _, stderr) = check(&["tiny/export.csv", "--profile", bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("unknown field `header-row`"), "{stderr}");
    assert!(stderr.contains("hint: "), "{stderr}");
}

#[test]
fn a_missing_code_flag_makes_a_value_unanswered() {
    let instrument = instrument_for_german_numeric_export(false);
    let options = ReadOptions {
        missing_codes: vec!["-1".into()],
        ..ReadOptions::default()
    };
    let table = read_with(&fixture("qualtrics-numeric-german/export.csv"), &options);
    let responses = map(&table, &instrument);
    assert_eq!(
        answers(&responses, 0, 4),
        [Point(5), Point(4), Unanswered, Point(2)]
    );
}

// ---------------------------------------------------------------- check

#[test]
fn check_explains_what_it_read_for_every_platform_fixture() {
    for (file, platform, header_rows) in [
        ("google-forms-csv/export.csv", "Google Forms", 1),
        ("google-sheets-tsv/export.tsv", "Google Forms", 1),
        ("surveymonkey-csv/export.csv", "SurveyMonkey", 2),
        ("surveymonkey-macroman/export.csv", "SurveyMonkey", 2),
        ("surveymonkey-expanded/export.csv", "SurveyMonkey", 2),
        ("qualtrics-choice-text/export.csv", "Qualtrics", 3),
        (
            "qualtrics-legacy/export.csv",
            "Qualtrics (legacy export)",
            2,
        ),
        ("qualtrics-2016/export.csv", "Qualtrics", 3),
        ("limesurvey-text/export.csv", "LimeSurvey", 1),
        ("kobo-labels/export.csv", "KoboToolbox", 1),
        ("typeform/export.csv", "Typeform", 1),
        ("jisc/export.csv", "JISC Online Surveys / SmartSurvey", 1),
        (
            "generic-windows-1252/export.csv",
            "generic (no known platform)",
            1,
        ),
        ("generic-utf16/export.tsv", "generic (no known platform)", 1),
    ] {
        let (code, stdout, stderr) = check(&[file, "--json"]);
        assert_eq!(code, 0, "{file}: {stderr}");
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(json["platform_name"], platform, "{file}");
        assert_eq!(json["header_rows"], header_rows, "{file}");
        assert_eq!(json["report_possible"], true, "{file}");
        assert!(json["mapping"].as_array().unwrap().len() >= 3, "{file}");
    }
}

#[test]
fn check_json_for_a_qualtrics_export() {
    let (code, stdout, stderr) = check(&["qualtrics-choice-text/export.csv", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    insta::assert_json_snapshot!(json);
}

#[test]
fn check_text_for_a_surveymonkey_export() {
    let (code, stdout, stderr) = check(&["surveymonkey-csv/export.csv"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn check_lists_answers_not_on_the_scale_and_exits_1() {
    let (code, stdout, stderr) = check(&["off-scale/export.csv", "--json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["report_possible"], false);
    assert_eq!(json["answers_not_on_scale"][0]["value"], "Sort of");
    assert_eq!(json["answers_not_on_scale"][0]["column"], "H");
    assert_eq!(json["answers_not_on_scale"][0]["first_row"], 3);
    assert!(stderr.contains("hint: "), "{stderr}");
}

#[test]
fn check_takes_several_exports_and_fails_when_one_cannot_make_a_report() {
    let (code, stdout, stderr) = check(&[
        "tiny/export.csv",
        "typeform/export.csv",
        "broken/empty.csv",
        "--json",
    ]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let files = json.as_array().unwrap();
    assert_eq!(files.len(), 3);
    assert_eq!(files[0]["report_possible"], true);
    assert_eq!(files[1]["report_possible"], true);
    assert_eq!(files[2]["report_possible"], false);
    assert!(
        stderr.contains("1 of 3 exports cannot make a report: broken/empty.csv"),
        "{stderr}"
    );
}

#[test]
fn a_mapping_file_from_the_command_line() {
    let (code, stdout, stderr) = check(&[
        "limesurvey-codes/export.csv",
        "--mapping",
        "limesurvey-codes/mapping.toml",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("(mapping file)"), "{stdout}");
    assert!(stdout.contains("mapping:    4 columns"), "{stdout}");

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("mapping.toml");
    std::fs::write(&bad, "[colums]\n\"Q1\" = \"context-1\"\n").unwrap();
    let (code, _, stderr) = check(&[
        "limesurvey-codes/export.csv",
        "--mapping",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("unknown field `colums`"), "{stderr}");
}

// ---------------------------------------------------------------- broken inputs

/// A zip archive with one stored file, written by hand: not a workbook.
fn zip_with(name: &str, content: &[u8]) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let crc = crc32(content).to_le_bytes();
    let size = (content.len() as u32).to_le_bytes();
    let name_len = (name.len() as u16).to_le_bytes();
    let mut out = Vec::new();
    out.extend(b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0");
    out.extend(crc);
    out.extend(size);
    out.extend(size);
    out.extend(name_len);
    out.extend([0, 0]);
    out.extend(name.as_bytes());
    out.extend(content);
    let central = out.len() as u32;
    out.extend(b"PK\x01\x02\x14\0\x14\0\0\0\0\0\0\0\0\0");
    out.extend(crc);
    out.extend(size);
    out.extend(size);
    out.extend(name_len);
    out.extend([0; 12]);
    out.extend(0u32.to_le_bytes());
    out.extend(name.as_bytes());
    let central_size = out.len() as u32 - central;
    out.extend(b"PK\x05\x06\0\0\0\0\x01\0\x01\0");
    out.extend(central_size.to_le_bytes());
    out.extend(central.to_le_bytes());
    out.extend([0, 0]);
    out
}

/// The start of an OLE compound file holding an `EncryptedPackage` stream,
/// which is how Office stores a password-protected .xlsx.
fn encrypted_workbook() -> Vec<u8> {
    let mut out = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    out.resize(512, 0);
    for name in ["EncryptionInfo", "EncryptedPackage"] {
        out.extend(name.encode_utf16().flat_map(u16::to_le_bytes));
        out.resize(out.len() + 64, 0);
    }
    out.resize(4096, 0);
    out
}

fn valid_workbook() -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for c in 0..20u16 {
        sheet.write_string(0, c, format!("Question {c}")).unwrap();
        sheet.write_string(1, c, "Agree").unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

#[test]
fn broken_inputs_give_a_clear_error_naming_the_file_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| -> PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let workbook = valid_workbook();
    let generated = [
        (
            write("truncated.xlsx", &workbook[..workbook.len() / 2]),
            "it is incomplete",
        ),
        (
            write("not-a-workbook.xlsx", &zip_with("notes.txt", b"just notes")),
            "it is a zip archive, but it holds no Excel or OpenDocument workbook",
        ),
        (
            write("encrypted.xlsx", &encrypted_workbook()),
            "it is password-protected",
        ),
        (
            write("garbage.xlsx", b"\x00\x13\x37 garbage, not a spreadsheet"),
            "it is not a workbook",
        ),
        (
            write("report.pdf", b"%PDF-1.7"),
            "is not a file type makeitstick reads",
        ),
        (dir.path().join("missing.csv"), "cannot read"),
    ];
    let committed = [
        ("broken/empty.csv", "is empty: it has no header row"),
        (
            "broken/headers-only.csv",
            "has 1 header row but no responses",
        ),
        (
            "broken/ragged.csv",
            "row 3 has 5 cells, but the header has 3 columns (the first extra cell, in column D, is not empty)",
        ),
        (
            "broken/mixed-encodings.csv",
            "mixes two text encodings: line 2 is UTF-8, but line 3 holds the byte 0x92, which is not",
        ),
        (
            "broken/binary.csv",
            "is not a text export: it holds binary data",
        ),
    ];
    let cases = generated
        .iter()
        .map(|(path, message)| (path.to_str().unwrap().to_string(), *message))
        .chain(committed.iter().map(|(f, m)| (f.to_string(), *m)));
    for (file, message) in cases {
        let (code, _, stderr) = check(&[&file]);
        assert_eq!(code, 1, "{file}: {stderr}");
        assert!(stderr.starts_with("error: "), "{file}: {stderr}");
        assert!(stderr.contains(&file), "{file} is not named: {stderr}");
        assert!(stderr.contains(message), "{file}: {stderr}");
        assert!(stderr.contains("\nhint: "), "{file}: {stderr}");
    }
}

#[test]
fn identity_values_never_reach_check_output() {
    for file in [
        "qualtrics-choice-text/export.csv",
        "surveymonkey-csv/export.csv",
        "limesurvey-codes/export.csv",
        "kobo-labels/export.csv",
        "typeform/export.csv",
    ] {
        let (_, stdout, stderr) = check(&[file, "--json"]);
        for secret in [
            "203.0.113",
            "R_1a",
            "114000001",
            "tok1",
            "192.0.2.1",
            "uuid-1",
            "enumerator1",
            "odwdp4nzj1xg6m9l36odwdp4nzlv2gcw",
            "3f2a1b",
        ] {
            assert!(!stdout.contains(secret), "{file}: {secret} in {stdout}");
            assert!(!stderr.contains(secret), "{file}: {secret} in {stderr}");
        }
    }
}
