//! Issue 11, item 16 (the fonts half): text in any script a respondent or a
//! user writes reaches the PDF, drawn by the fallback fonts the template
//! ships; a character no shipped font draws is replaced visibly and named in
//! a warning, never stopping the report with a PDF/UA error. Real typst.

use std::path::Path;

use crate::common::*;

/// The sample CSV export with the comment (last cell) of data rows 1 to
/// `comments.len()` replaced.
fn with_comments(dir: &Path, comments: &[&str]) -> std::path::PathBuf {
    let mut records: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(sample_csv())
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect();
    for (record, comment) in records.iter_mut().skip(1).zip(comments) {
        let mut cells: Vec<String> = record.iter().map(str::to_string).collect();
        *cells.last_mut().unwrap() = comment.to_string();
        *record = csv::StringRecord::from(cells);
    }
    let path = dir.join("scripts.csv");
    let mut writer = csv::Writer::from_path(&path).unwrap();
    for record in &records {
        writer.write_record(record).unwrap();
    }
    writer.flush().unwrap();
    path
}

/// Runs `report` with the real typst; the PDF, its text and stderr.
fn report(dir: &Path, export: &Path, pdf_name: &str, extra: &[&str]) -> (Vec<u8>, String, String) {
    let pdf = dir.join(pdf_name);
    let (output, stderr) = run(makeitstick()
        .arg("report")
        .arg(export)
        .arg("-o")
        .arg(&pdf)
        .args(extra));
    assert!(output.status.success(), "report failed:\n{stderr}");
    (std::fs::read(&pdf).unwrap(), pdf_text(&pdf), stderr)
}

/// Promise: emoji, Japanese, Welsh, Polish, curly quotes and Arabic in
/// comments and names are typeset (before: a PDF/UA error, "report this as a
/// bug"); a character no shipped font has is shown as � with a warning naming
/// the comment and the code point but not the words around it; the PDF is
/// still byte-reproducible.
#[test]
fn any_script_is_typeset_and_an_undrawable_character_is_replaced_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let comments = [
        "Great project 👍",
        "Diolch yn fawr, roedd y gŵr a’r ŷd yn “wych”",
        "Dziękuję, było świetnie i miło, łatwo",
        "شكرا جزيلا",
        "Linear B 𐀀 private \u{10FFFD} here",
    ];
    let export = with_comments(dir.path(), &comments);
    let extra = [
        "--include-comments",
        "--organisation",
        "東京都",
        "--innovation",
        "Tŷ Łódź",
    ];
    let (first, text, stderr) = report(dir.path(), &export, "a.pdf", &extra);
    let squeezed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "東京都",
        "Tŷ Łódź",
        "👍",
        "gŵr",
        "“wych”",
        "łatwo",
        "\u{FFFD}",
    ] {
        assert!(
            squeezed.contains(expected),
            "{expected:?} not in the PDF:\n{text}"
        );
    }
    // pdftotext gives Arabic in logical or visual order depending on version: look for the letters.
    assert!(
        text.contains("شكرا") || text.contains("جزيلا"),
        "no Arabic in:\n{text}"
    );
    assert!(!text.contains('𐀀') && !text.contains('\u{10FFFD}'));
    assert!(
        // Comments are quoted group by group, so its place among them depends on its group.
        stderr.contains("of those quoted (comments[")
            && stderr.contains(
                ".text) holds characters no font in the report can draw (U+10000, U+10FFFD)"
            ),
        "{stderr}"
    );
    assert!(
        !stderr.contains("Linear B") && !stderr.contains("private"),
        "{stderr}"
    );
    // Only the one comment is warned about: every other text was drawable.
    assert_eq!(
        stderr.matches("no font in the report can draw").count(),
        1,
        "{stderr}"
    );

    let (second, _, _) = report(dir.path(), &export, "b.pdf", &extra);
    assert!(first == second, "the same export gave two different PDFs");
}
