//! Identity columns decided by header and content together (issue 10, item 3):
//! each fixture in `tests/fixtures/identity-*` is built like a real export,
//! its README says which columns go and why, and `identities.txt` lists every
//! identifying value in it. No such value may reach any output byte.

use std::path::{Path, PathBuf};

use makeitstick::ingest::{IdentityReason, ReadOptions};
use makeitstick::instrument::{Instrument, MapOptions, question_columns};

use crate::common::*;

/// The identity fixtures, with the extra arguments each is read with.
const FIXTURES: &[(&str, &[&str])] = &[
    ("identity-limesurvey-dutch", &[]),
    ("identity-qualtrics-generic", &[]),
    (
        "identity-qualtrics-generic",
        &["--format", "generic", "--header-rows", "3"],
    ),
    ("identity-prolific", &[]),
    ("identity-google-forms", &[]),
    ("identity-unlabelled", &[]),
];

fn export(case: &str) -> PathBuf {
    fixture(&format!("{case}/export.csv"))
}

fn secrets(case: &str) -> Vec<String> {
    let text = std::fs::read_to_string(fixture(&format!("{case}/identities.txt"))).unwrap();
    let secrets: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    assert!(secrets.len() >= 10, "{case}: {} secrets", secrets.len());
    secrets
}

/// Reads an export as `check` and `report` do: the built-in questionnaire tells
/// the reader which columns are its questions.
fn read_with(path: &Path, options: ReadOptions) -> ReadExport {
    let instrument = Instrument::load(None).unwrap();
    let options = ReadOptions {
        questions: Some(question_columns(&instrument, &MapOptions::default())),
        ..options
    };
    read_export(path, &options).unwrap()
}

fn read(path: &Path) -> ReadExport {
    read_with(path, ReadOptions::default())
}

/// (letter, header, "header" or "content") of each dropped column.
fn dropped(table: &ReadExport) -> Vec<(String, String, &'static str)> {
    table
        .dropped_identity
        .iter()
        .map(|c| {
            let why = match c.reason {
                IdentityReason::Header { .. } => "header",
                IdentityReason::Content { .. } => "content",
            };
            (c.column.clone(), c.header.clone(), why)
        })
        .collect()
}

fn expect(list: &[(&str, &str, &'static str)]) -> Vec<(String, String, &'static str)> {
    list.iter()
        .map(|(l, h, w)| (l.to_string(), h.to_string(), *w))
        .collect()
}

#[test]
fn a_dutch_limesurvey_export_loses_its_ip_address_and_naam_but_keeps_its_mailing_list_question() {
    let table = read(&export("identity-limesurvey-dutch"));
    assert_eq!(
        dropped(&table),
        expect(&[
            ("A", "Respons ID", "header"),
            ("H", "IP-adres", "header"),
            ("I", "Verwijzende URL", "header"),
            ("N", "Q5[SQ001]. [Naam]", "header"),
            ("O", "Q5[SQ002]. [E-mailadres]", "header"),
            ("P", "Q5[SQ003]. [Telefoonnummer]", "header"),
        ])
    );
    // "mailinglijst" holds "e-mail"; its answers are Ja/Nee, so it is a question.
    assert_eq!(table.kept_yes_no.len(), 1);
    assert_eq!(table.kept_yes_no[0].column, "Q");
    assert!(table.columns.iter().any(|c| c.letter == "Q"));
}

#[test]
fn a_qualtrics_export_read_generically_still_loses_its_metadata() {
    let expected = [
        ("D", "IPAddress"),
        ("I", "ResponseId"),
        ("J", "RecipientLastName"),
        ("K", "RecipientFirstName"),
        ("L", "RecipientEmail"),
        ("M", "ExternalReference"),
        ("N", "LocationLatitude"),
        ("O", "LocationLongitude"),
    ];
    let detected = read(&export("identity-qualtrics-generic"));
    let generic = read_with(
        &export("identity-qualtrics-generic"),
        ReadOptions {
            format: Some(makeitstick::ingest::Platform::Generic),
            header_rows: Some(3),
            ..ReadOptions::default()
        },
    );
    for table in [&detected, &generic] {
        let letters: Vec<&str> = table
            .dropped_identity
            .iter()
            .map(|c| c.column.as_str())
            .collect();
        assert_eq!(
            letters,
            expected.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
            "{}",
            table.description
        );
    }
    // Read generically, the row-1 tag starts each header; the ImportId row is an id, not words.
    for (column, (_, tag)) in generic.dropped_identity.iter().zip(expected) {
        assert!(column.header.starts_with(tag), "{column:?}");
    }
    let q2 = generic.columns.iter().find(|c| c.letter == "S").unwrap();
    assert_eq!(q2.import_id.as_deref(), Some("QID2_1"));
    assert!(!q2.header.contains("ImportId"), "{}", q2.header);
}

#[test]
fn prolific_ids_are_dropped_whether_asked_or_passed_in_the_link() {
    let table = read(&export("identity-prolific"));
    assert_eq!(
        dropped(&table),
        expect(&[
            ("M", "Please enter your Prolific ID", "header"),
            ("N", "PROLIFIC_PID", "header"),
            ("P", "SESSION_ID", "header"),
        ])
    );
    // The study's id is the same for everyone: it identifies no one.
    assert!(table.columns.iter().any(|c| c.header == "STUDY_ID"));
}

#[test]
fn a_google_form_drops_names_and_numbers_but_keeps_yes_no_questions() {
    let table = read(&export("identity-google-forms"));
    assert_eq!(
        dropped(&table),
        expect(&[
            ("B", "Email address", "header"),
            ("C", "Your name (optional)", "header"),
            ("H", "Contact number", "header"),
        ])
    );
    let kept: Vec<&str> = table.columns.iter().map(|c| c.letter.as_str()).collect();
    assert!(
        kept.contains(&"I"),
        "mailing list question dropped: {kept:?}"
    );
    assert!(
        kept.contains(&"J"),
        "e-mail list question dropped: {kept:?}"
    );
    assert_eq!(table.kept_yes_no.len(), 1, "{:?}", table.kept_yes_no);
}

#[test]
fn unlabelled_columns_of_contact_details_are_dropped_by_content() {
    let table = read(&export("identity-unlabelled"));
    assert_eq!(
        dropped(&table),
        expect(&[
            ("G", "", "content"),
            ("H", "Q9", "content"),
            ("I", "Q10", "content"),
            ("J", "Q11", "content"),
        ])
    );
    let kinds: Vec<String> = table
        .dropped_identity
        .iter()
        .map(|c| c.reason.describe())
        .collect();
    assert_eq!(
        kinds,
        [
            "content: 9 of 10 answers are e-mail addresses",
            "content: 10 of 10 answers are postcodes",
            "content: 10 of 10 answers are IP addresses",
            "content: 9 of 10 answers are phone numbers",
        ]
    );
    // No kept cell holds a value of a dropped column.
    for secret in secrets("identity-unlabelled") {
        for row in &table.rows {
            assert!(!row.cells.contains(&secret), "{secret} kept");
        }
    }
}

#[test]
fn a_question_of_the_questionnaire_is_never_dropped_for_its_content() {
    // The comment question's answers are mostly e-mail addresses: it is still
    // the comment question, and its answers are only ever quoted redacted.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    std::fs::write(
        &path,
        "Which of these best describes you?,Our organisation welcomes new ways of working.,Any other comments?,Extra\n\
         Manager,Agree,a@example.org,b@example.org\n\
         Manager,Agree,c@example.org,d@example.org\n",
    )
    .unwrap();
    let table = read(&path);
    assert_eq!(dropped(&table), expect(&[("D", "Extra", "content")]));
    // Without the questionnaire's word, the reader drops both.
    let table = read_export(&path, &ReadOptions::default()).unwrap();
    assert_eq!(
        dropped(&table),
        expect(&[
            ("C", "Any other comments?", "content"),
            ("D", "Extra", "content")
        ])
    );
}

#[test]
fn check_lists_each_dropped_column_with_its_reason() {
    let (output, stderr) = run(makeitstick()
        .arg("check")
        .arg(export("identity-unlabelled")));
    assert!(output.status.success(), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("dropped:    4 identity columns, never read"),
        "{stdout}"
    );
    assert!(
        stdout.contains("H  Q9   content: 10 of 10 answers are postcodes"),
        "{stdout}"
    );
    let (output, _) = run(makeitstick()
        .args(["check", "--json"])
        .arg(export("identity-google-forms")));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let first = &json["identity_columns_dropped"][0];
    assert_eq!(first["column"], "B");
    assert_eq!(first["reason"], "header");
    assert_eq!(first["rule"], "name-or-contact");
    assert_eq!(json["identity_columns_kept_yes_no"][0]["column"], "J");
}

/// Every file under `dir`, with its bytes.
fn files(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
}

#[test]
fn no_identity_value_from_the_fixtures_reaches_any_output_byte() {
    for (case, extra) in FIXTURES {
        let secrets = secrets(case);
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let mut outputs: Vec<(String, Vec<u8>)> = Vec::new();
        let (report, stderr) = run(makeitstick()
            .arg("report")
            .arg(export(case))
            .args(*extra)
            .arg("-v")
            .arg("--include-comments")
            .arg("--min-group-size")
            .arg("2")
            .arg("-o")
            .arg(out.join("report.pdf"))
            .arg("--scores")
            .arg(out.join("scores.json"))
            .arg("--scores")
            .arg(out.join("scores.csv"))
            .arg("--keep-build")
            .arg(out.join("build")));
        assert!(report.status.success(), "{case}: {stderr}");
        outputs.push(("report stdout".into(), report.stdout));
        outputs.push(("report stderr".into(), stderr.into_bytes()));
        for args in [&["check"][..], &["check", "--json"][..]] {
            let (checked, stderr) = run(makeitstick().args(args).arg(export(case)).args(*extra));
            assert!(checked.status.success(), "{case}: {stderr}");
            outputs.push((format!("{args:?} stdout"), checked.stdout));
            outputs.push((format!("{args:?} stderr"), stderr.into_bytes()));
        }
        files(&out, &mut outputs);
        let pdf = out.join("report.pdf");
        outputs.push(("report.pdf (text)".into(), pdf_text(&pdf).into_bytes()));
        outputs.push((
            "report.pdf (streams)".into(),
            inflated_streams(&std::fs::read(&pdf).unwrap()),
        ));
        for (name, bytes) in &outputs {
            let text = String::from_utf8_lossy(bytes).to_lowercase();
            for secret in &secrets {
                assert!(
                    !text.contains(&secret.to_lowercase()),
                    "{case}: {name} contains {secret:?}"
                );
            }
        }
    }
}
