//! Issue 11, items 16 to 18: nothing the reader or the typesetter is handed
//! may lose rows silently, stop the report over a character, or take memory
//! without bound. Each test states the promise it guards.

use std::path::{Path, PathBuf};

use crate::common::*;

/// The sample CSV export's records, each as the csv writer writes it.
fn sample_lines() -> Vec<String> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(sample_csv())
        .unwrap()
        .records()
        .map(|record| {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(&record.unwrap()).unwrap();
            String::from_utf8(writer.into_inner().unwrap()).unwrap()
        })
        .collect()
}

/// The sample CSV export with a quote mark put at the start of the last cell
/// (the free-text comment) of row `row`, as a careless edit leaves it; with
/// `copies` copies of its rows, each with its own id.
fn with_stray_quote(dir: &Path, row: usize, copies: usize) -> PathBuf {
    let mut lines = sample_lines();
    let header = lines.remove(0);
    let mut body = Vec::new();
    for copy in 0..copies {
        for line in &lines {
            body.push(format!("{}{line}", "9".repeat(copy)));
        }
    }
    let target = &mut body[row - 2];
    let at = target.rfind(',').unwrap() + 1;
    assert_ne!(
        &target[at..at + 1],
        "\"",
        "the comment is not quoted already"
    );
    target.insert(at, '"');
    let path = dir.join("survey-2026-Q3.csv");
    std::fs::write(&path, format!("{header}{}", body.concat())).unwrap();
    path
}

/// Promise: a stray quote that a later quote closes never swallows rows
/// silently. Before, `check` said "130 read" of 147 and `report` exited 0.
#[test]
fn a_stray_quote_that_swallows_rows_is_an_error_naming_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let export = with_stray_quote(dir.path(), 61, 1);
    let expected = "row 61, column AO: a cell starts with a quote mark";
    let (output, stderr) = run(makeitstick().arg("check").arg(&export));
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    assert!(stderr.contains("survey-2026-Q3.csv"), "{stderr}");
    assert!(
        stderr.contains("16 of them shaped like whole rows"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: open the file in a text editor"),
        "{stderr}"
    );

    let pdf = dir.path().join("report.pdf");
    let typst_dir = tempfile::tempdir().unwrap();
    let typst = fake_typst(typst_dir.path(), "0.15.1", "exit 1");
    let (output, stderr) = run(makeitstick()
        .arg("report")
        .arg(&export)
        .arg("-o")
        .arg(&pdf)
        .arg("--typst")
        .arg(&typst));
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    assert!(!pdf.exists());
}

/// Promise: the streaming reader finds a swallowing quote far past the part
/// of the file it decides the encoding from, naming the same row.
#[test]
fn a_stray_quote_deep_in_a_long_export_is_found_while_streaming() {
    let dir = tempfile::tempdir().unwrap();
    // About 3 MB: the quote opens well past the first mebibyte.
    let export = with_stray_quote(dir.path(), 147 * 30 + 61, 40);
    assert!(std::fs::metadata(&export).unwrap().len() > 2 << 20);
    let typst_dir = tempfile::tempdir().unwrap();
    let typst = fake_typst(typst_dir.path(), "0.15.1", "exit 1");
    let (output, stderr) = run(makeitstick()
        .arg("report")
        .arg(&export)
        .arg("-o")
        .arg(dir.path().join("report.pdf"))
        .arg("--typst")
        .arg(&typst));
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("row {}, column AO", 147 * 30 + 61)),
        "{stderr}"
    );
}

/// Promise: a comment written in paragraphs, commas and all, is one cell and
/// no error: only lines shaped like whole rows give a stray quote away.
#[test]
fn a_comment_in_paragraphs_is_read_as_one_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = sample_lines();
    let target = &mut lines[60];
    let at = target.rfind(',').unwrap() + 1;
    target.truncate(at);
    target.push_str(
        "\"What worked, for me:\n\n- the worker, the visits, the phone calls, the trips\n\
         - being asked, and listened to\n\nThanks, all of you.\"\n",
    );
    let export = dir.path().join("paragraphs.csv");
    std::fs::write(&export, lines.concat()).unwrap();
    let (output, stderr) = run(makeitstick().arg("check").arg(&export));
    assert!(output.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("147 read"), "{stdout}");
}
