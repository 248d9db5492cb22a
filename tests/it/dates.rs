//! Dates read as the file means them, identical rows, and the survey period
//! of the responses in the figures.
//!
//! - A date column is read day-first or month-first once, from all its values
//!   (issue 10, item 2): fixtures `dates-*` (each with a README.md giving the
//!   period and wave by hand), for Google Sheets (US and UK locale),
//!   SurveyMonkey re-saved by Excel (CSV, .xlsx with text cells, .xlsx with
//!   date cells), a LimeSurvey re-save no value decides, and a column written
//!   both ways.
//! - Identical rows are one submission only when a response id or submission
//!   time repeats too (issue 10, item 9): fixture `identical-rows`.
//! - A group left out of the figures never sets the survey period, the wave or
//!   the PDF's date (issue 11, item 11): fixture `hidden-group-period`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::*;

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

/// `check --json` of one export.
fn check_json(args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let (_, stdout, stderr) = check(&all);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{stderr}"))
}

/// What a report run gave: exit code, stderr, the scores JSON (when written),
/// the arguments typst was given, and whether a PDF was written.
struct Run {
    code: i32,
    stderr: String,
    scores: Option<Value>,
    typst_args: String,
    pdf_written: bool,
}

/// `report EXPORT --scores s.json` with a stand-in for typst that writes a PDF.
fn report(export: &Path, args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let typst = fake_typst(
        dir.path(),
        "0.15.1",
        "for a in \"$@\"; do last=\"$a\"; done; printf '%%PDF-1.7 fake' > \"$last\"",
    );
    let scores = dir.path().join("scores.json");
    let pdf = dir.path().join("r.pdf");
    let (output, stderr) = run(makeitstick()
        .arg("report")
        .arg(export)
        .arg("-o")
        .arg(&pdf)
        .arg("--scores")
        .arg(&scores)
        .arg("--typst")
        .arg(&typst)
        .args(args));
    assert!(!stderr.contains("panicked"), "{stderr}");
    Run {
        code: output.status.code().unwrap_or(-1),
        stderr,
        scores: std::fs::read_to_string(&scores)
            .ok()
            .map(|text| serde_json::from_str(&text).unwrap()),
        typst_args: std::fs::read_to_string(dir.path().join("args.txt")).unwrap_or_default(),
        pdf_written: pdf.exists(),
    }
}

/// The scores of a report run that must succeed.
fn scores(export: &Path, args: &[&str]) -> Value {
    let run = report(export, args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.scores.expect("scores written")
}

/// The period and wave of a scores JSON, as `(first, last, wave)`.
fn period(json: &Value) -> (String, String, String) {
    let text = |v: &Value| v.as_str().unwrap_or("none").to_string();
    (
        text(&json["period"]["first"]),
        text(&json["period"]["last"]),
        text(&json["wave"]),
    )
}

fn expected(first: &str, last: &str, wave: &str) -> (String, String, String) {
    (first.into(), last.into(), wave.into())
}

/// The line of `check`'s text output that starts with `key`.
fn line<'a>(stdout: &'a str, key: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.starts_with(key))
        .unwrap_or_else(|| panic!("no {key:?} line in:\n{stdout}"))
}

// ---------------------------------------------------------------- one order per column

#[test]
fn google_sheets_us_dates_are_read_month_first_for_the_whole_column() {
    let (code, stdout, stderr) = check(&["dates-google-sheets-us/export.csv"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        line(&stdout, "dates:"),
        "dates:      column A \"Timestamp\", read month first (MM/DD/YYYY): row 2 holds 12/13/2019 10:15:32, whose second number is over 12, so it is the day"
    );
    assert_eq!(
        line(&stdout, "period:"),
        "period:     13 December 2019 to 9 January 2020 (first and last response read)"
    );
    let json = check_json(&["dates-google-sheets-us/export.csv"]);
    assert_eq!(json["dates"]["order"], "mdy");
    assert_eq!(json["dates"]["rule"], "values");
    assert_eq!(json["dates"]["first"], "2019-12-13");
    assert_eq!(json["dates"]["last"], "2020-01-09");
    // 1/9/2020 is 9 January, so the wave is the first quarter of 2020, not the third.
    let json = scores(&fixture("dates-google-sheets-us/export.csv"), &[]);
    assert_eq!(
        period(&json),
        expected("2019-12-13", "2020-01-09", "2020-Q1")
    );
}

/// Writes the SurveyMonkey re-save's cells into a workbook: every cell as text
/// (as a re-save in a locale that does not read them as dates leaves them), or
/// the two date columns as true date cells shown `m/d/yy h:mm`.
fn surveymonkey_workbook(dir: &Path, date_cells: bool) -> PathBuf {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(fixture("dates-surveymonkey-resave/export.csv"))
        .unwrap();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let format = Format::new().set_num_format("m/d/yy h:mm");
    for (r, record) in reader.records().enumerate() {
        for (c, cell) in record.unwrap().iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            if date_cells && r >= 2 && (c == 2 || c == 3) {
                // `7/9/14 18:37` in Excel's US locale.
                let (date, time) = cell.split_once(' ').unwrap();
                let d: Vec<u16> = date.split('/').map(|x| x.parse().unwrap()).collect();
                let t: Vec<u16> = time.split(':').map(|x| x.parse().unwrap()).collect();
                let when = ExcelDateTime::from_ymd(2000 + d[2], d[0] as u8, d[1] as u8)
                    .unwrap()
                    .and_hms(t[0], t[1] as u8, 0)
                    .unwrap();
                sheet
                    .write_datetime_with_format(r, c, &when, &format)
                    .unwrap();
            } else if !cell.is_empty() {
                sheet.write_string(r, c, cell).unwrap();
            }
        }
    }
    let path = dir.join(if date_cells {
        "date-cells.xlsx"
    } else {
        "text-cells.xlsx"
    });
    workbook.save(&path).unwrap();
    path
}

#[test]
fn surveymonkey_excel_resaves_are_read_month_first_as_csv_and_as_workbooks() {
    let csv = fixture("dates-surveymonkey-resave/export.csv");
    let dir = tempfile::tempdir().unwrap();
    let text_cells = surveymonkey_workbook(dir.path(), false);
    let date_cells = surveymonkey_workbook(dir.path(), true);
    for (export, rule) in [
        (&csv, "excel-short-date"),
        (&text_cells, "excel-short-date"),
        (&date_cells, "not-needed"),
    ] {
        let export = export.to_str().unwrap();
        let json = check_json(&[export]);
        assert_eq!(json["platform"], "survey-monkey", "{export}");
        assert_eq!(json["dates"]["rule"], rule, "{export}");
        assert_eq!(json["dates"]["header"], "EndDate", "{export}");
        assert_eq!(json["dates"]["first"], "2014-07-09", "{export}");
        assert_eq!(json["dates"]["last"], "2014-07-10", "{export}");
        // Not "7 September to 7 October 2014", in the fourth quarter.
        let json = scores(Path::new(export), &[]);
        assert_eq!(
            period(&json),
            expected("2014-07-09", "2014-07-10", "2014-Q3"),
            "{export}"
        );
    }
    let (_, stdout, _) = check(&["dates-surveymonkey-resave/export.csv"]);
    assert!(
        line(&stdout, "dates:").contains(
            "read month first (MM/DD/YYYY): no date has a number over 12 to decide it; the years have two digits, as Excel writes dates in its US locale (m/d/yy)"
        ),
        "{stdout}"
    );
    assert_eq!(
        line(&stdout, "period:"),
        "period:     9 to 10 July 2014 (first and last response read)"
    );
    // The user knows better: the setting decides when no value does.
    let json = scores(&csv, &["--date-order", "dmy"]);
    assert_eq!(
        period(&json),
        expected("2014-09-07", "2014-10-07", "2014-Q4")
    );
}

#[test]
fn uk_sheets_dates_are_read_day_first_when_one_value_says_so() {
    // Only the last row (13/01/2020) decides; Google's usual order is month first.
    let (code, stdout, stderr) = check(&["dates-uk-sheets/export.csv"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        line(&stdout, "dates:"),
        "dates:      column A \"Timestamp\", read day first (DD/MM/YYYY): row 7 holds 13/01/2020 09:02:11, whose first number is over 12, so it is the day"
    );
    assert_eq!(
        line(&stdout, "period:"),
        "period:     1 December 2019 to 13 January 2020 (first and last response read)"
    );
    let json = scores(&fixture("dates-uk-sheets/export.csv"), &[]);
    assert_eq!(
        period(&json),
        expected("2019-12-01", "2020-01-13", "2020-Q1")
    );
    // A setting a value contradicts is an error naming the value, its row and the setting.
    let (code, _, stderr) = check(&["dates-uk-sheets/export.csv", "--date-order", "mdy"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            "dates-uk-sheets/export.csv: --date-order says dates are month first (MM/DD/YYYY), but row 7 of column A (\"Timestamp\") holds 13/01/2020 09:02:11, which can only be day first (DD/MM/YYYY)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("hint: "), "{stderr}");
}

#[test]
fn a_column_no_value_decides_needs_the_date_order() {
    let export = fixture("dates-undecidable/export.csv");
    let (code, stdout, stderr) = check(&["dates-undecidable/export.csv"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stderr.contains(
            "dates-undecidable/export.csv: cannot tell whether the dates in column B (\"Date submitted\") are day first or month first: no date has a number over 12, and a LimeSurvey export has no usual order"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("hint: pass --date-order dmy"), "{stderr}");
    assert!(
        line(&stdout, "dates:").contains("order unknown"),
        "{stdout}"
    );
    let run = report(&export, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("cannot tell whether"), "{}", run.stderr);
    assert!(!run.pdf_written && run.scores.is_none());

    assert_eq!(
        period(&scores(&export, &["--date-order", "dmy"])),
        expected("2026-03-05", "2026-03-11", "2026-Q1")
    );
    assert_eq!(
        period(&scores(&export, &["--date-order", "mdy"])),
        expected("2026-05-03", "2026-11-03", "2026-Q4")
    );
    let (code, stdout, stderr) = check(&["dates-undecidable/export.csv", "--date-order", "dmy"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        line(&stdout, "dates:").ends_with(
            "read day first (DD/MM/YYYY): no date has a number over 12 to decide it, so --date-order = dmy decides"
        ),
        "{stdout}"
    );

    // In a project, `date-order` in makeitstick.toml settles it; the flag wins over it.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("makeitstick.toml");
    std::fs::write(&config, "schema-version = 1\ndate-order = \"dmy\"\n").unwrap();
    let config = config.to_str().unwrap();
    let export = export.to_str().unwrap();
    let json = check_json(&[export, "--config", config]);
    assert_eq!(json["dates"]["order"], "dmy");
    assert_eq!(json["dates"]["rule"], "setting");
    assert!(
        json["dates"]["why"]
            .as_str()
            .unwrap()
            .contains("date-order in makeitstick.toml = dmy"),
        "{json}"
    );
    let json = check_json(&[export, "--config", config, "--date-order", "mdy"]);
    assert_eq!(json["dates"]["order"], "mdy");
    std::fs::write(
        dir.path().join("makeitstick.toml"),
        "schema-version = 1\ndate-order = \"ymd\"\n",
    )
    .unwrap();
    let (code, _, stderr) = check(&[export, "--config", config]);
    assert_eq!(code, 1);
    assert!(stderr.contains("ymd"), "{stderr}");
    // Not a value clap knows: a usage error.
    let (code, _, _) = check(&[export, "--date-order", "ymd"]);
    assert_eq!(code, 2);
}

#[test]
fn a_column_written_both_ways_is_an_error_naming_two_rows() {
    let message = "dates-conflict/export.csv: the dates in column A (\"Timestamp\") are written both ways: row 3 holds 13/01/2020 11:00:00, which can only be day first, and row 6 holds 01/14/2020 09:00:00, which can only be month first";
    let (code, _, stderr) = check(&["dates-conflict/export.csv"]);
    assert_eq!(code, 1);
    assert!(stderr.contains(message), "{stderr}");
    // The setting does not hide the contradiction.
    let (code, _, stderr) = check(&["dates-conflict/export.csv", "--date-order", "dmy"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("row 6 of column A"), "{stderr}");
    let run = report(&fixture("dates-conflict/export.csv"), &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("are written both ways: row 3"),
        "{}",
        run.stderr
    );
    assert!(!run.pdf_written && run.scores.is_none());
}

/// A JISC export (day first, usually) of `rows` responses on 2/1/2026, then one on 2/13/2026.
fn long_jisc_export(dir: &Path, rows: usize) -> PathBuf {
    let mut text = String::from(
        "UserID,Started,Ended,1. Which of these best describes you?,2.1. Our organisation welcomes new ways of working.,2.2. Senior leaders give time and money to new ideas.\n",
    );
    for i in 0..rows {
        text.push_str(&format!(
            "{i},2/1/2026 10:{:02}:00,2/1/2026 11:{:02}:00,Manager,Agree,Disagree\n",
            i % 60,
            i % 60
        ));
    }
    text.push_str(&format!(
        "{rows},2/13/2026 09:00:00,2/13/2026 09:30:00,Manager,Agree,Agree\n"
    ));
    let path = dir.join("jisc.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_date_that_decides_after_the_streamed_sample_still_decides_every_row() {
    // 2,500 rows read both ways, read from a stream one at a time; the last one
    // proves month first, against the platform's usual day first.
    let dir = tempfile::tempdir().unwrap();
    let export = long_jisc_export(dir.path(), 2500);
    let json = scores(&export, &[]);
    assert_eq!(
        period(&json),
        expected("2026-02-01", "2026-02-13", "2026-Q1")
    );
    let json = check_json(&[export.to_str().unwrap()]);
    assert_eq!(json["platform"], "jisc");
    assert_eq!(json["dates"]["order"], "mdy");
    assert_eq!(json["dates"]["first"], "2026-02-01");
    // Without that row, the platform's order holds: 2 January.
    let export = long_jisc_export(dir.path(), 3);
    let text = std::fs::read_to_string(&export).unwrap();
    let without_last: String = text.lines().take(4).map(|l| format!("{l}\n")).collect();
    std::fs::write(&export, without_last).unwrap();
    let json = check_json(&[export.to_str().unwrap()]);
    assert_eq!(json["dates"]["rule"], "platform");
    assert_eq!(json["dates"]["first"], "2026-01-02");
}

#[test]
fn a_period_of_over_a_year_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("forms.csv");
    std::fs::write(
        &export,
        "Timestamp,Which of these best describes you?,Our organisation welcomes new ways of working.\n\
         2025/01/05 10:00:00 am GMT,Manager,Agree\n\
         2025/01/06 10:00:00 am GMT,Manager,Agree\n\
         2025/01/07 10:00:00 am GMT,Manager,Agree\n\
         2025/01/08 10:00:00 am GMT,Manager,Agree\n\
         2026/03/01 10:00:00 am GMT,Manager,Disagree\n",
    )
    .unwrap();
    let warning =
        "the first and last responses are more than a year apart (5 January 2025 to 1 March 2026)";
    let (output, _) = run(makeitstick().arg("check").arg(&export));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(line(&stdout, "warning:").contains(warning), "{stdout}");
    let json = check_json(&[export.to_str().unwrap()]);
    assert!(json["dates"]["warning"].as_str().unwrap().contains(warning));
    // The report is still made, and says so on stderr.
    let run = report(&export, &["--min-group-size", "2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("warning: {}: {warning}", export.display())),
        "{}",
        run.stderr
    );
    // Within a year: no warning.
    let (_, stdout, _) = check(&["dates-google-sheets-us/export.csv"]);
    assert!(!stdout.contains("more than a year apart"), "{stdout}");
}

// ---------------------------------------------------------------- identical rows

#[test]
fn identical_rows_without_an_id_or_time_are_two_people() {
    // Rows 4 and 5 give the same answers, and nothing else tells them apart.
    let (code, stdout, stderr) = check(&["identical-rows/no-id-or-time.csv"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        line(&stdout, "rows:"),
        "rows:       7 read = 0 excluded + 0 with no answers + 7 responses"
    );
    assert_eq!(
        line(&stdout, "identical:"),
        "identical:  1 row repeats an earlier row in every cell; kept, because the export has no response id or submission time to tell a repeated submission from people who answered alike"
    );
    let json = check_json(&["identical-rows/no-id-or-time.csv"]);
    assert_eq!(json["identical_rows"], 1);
    assert_eq!(json["rows_excluded"], serde_json::json!([]));
    let json = scores(&fixture("identical-rows/no-id-or-time.csv"), &[]);
    assert_eq!(json["responses"]["used"], 7);
    assert_eq!(json["ingredients"][0]["overall"]["n"], 7);
}

#[test]
fn identical_rows_with_a_repeated_response_id_are_one_submission() {
    // Response 118000003 is in the export twice, id and times included.
    let (code, stdout, stderr) = check(&["identical-rows/repeated-response-id.csv"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        line(&stdout, "rows:"),
        "rows:       7 read = 1 excluded + 0 with no answers + 6 responses"
    );
    assert!(
        stdout.contains(
            "     1  repeats of an earlier row, response id or submission time included (keep them with --keep-duplicates)"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("identical:"), "{stdout}");
    let json = check_json(&["identical-rows/repeated-response-id.csv"]);
    assert_eq!(json["identical_rows"], 0);
    assert_eq!(json["rows_excluded"][0]["reason"], "duplicate");
    // The id is read only to compare rows: it is in no output.
    assert!(!serde_json::to_string(&json).unwrap().contains("118000003"));
    let (_, stdout, _) = check(&[
        "identical-rows/repeated-response-id.csv",
        "--keep-duplicates",
    ]);
    assert!(
        stdout.contains("7 read = 0 excluded + 0 with no answers + 7 responses"),
        "{stdout}"
    );
}

// ---------------------------------------------------------------- hidden groups

#[test]
fn a_hidden_groups_dates_set_neither_the_period_nor_the_wave_nor_the_pdf_date() {
    // Five managers answered in September; one commissioner on 1 July and one
    // partner on 2 October are each below the threshold and left out.
    let run = report(&fixture("hidden-group-period/export.csv"), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.scores.unwrap();
    assert_eq!(
        period(&json),
        expected("2026-09-01", "2026-09-30", "2026-Q3")
    );
    assert_eq!(json["responses"]["used"], 5);
    // The PDF is dated by the last response in the figures: 30 September 2026 16:30 UTC.
    let last_shown = chrono::NaiveDate::from_ymd_opt(2026, 9, 30)
        .unwrap()
        .and_hms_opt(16, 30, 0)
        .unwrap()
        .and_utc()
        .timestamp();
    let args: Vec<&str> = run.typst_args.lines().collect();
    let at = args
        .iter()
        .position(|a| *a == "--creation-timestamp")
        .expect("typst is given the creation date");
    assert_eq!(args[at + 1], last_shown.to_string());
    // With a threshold that shows everyone, everyone's dates count.
    let json = scores(
        &fixture("hidden-group-period/export.csv"),
        &["--min-group-size", "2"],
    );
    assert_eq!(json["responses"]["used"], 7);
    assert_eq!(
        period(&json),
        expected("2026-07-01", "2026-10-02", "2026-Q4")
    );
}
