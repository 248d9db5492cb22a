//! `check` when nothing matches (issue 10, item 8): every column with its
//! letter, codes and header; rows that add up; `unmapped_columns` in JSON; and
//! tables that stay aligned whatever the length of an id.

use crate::common::*;

fn check(args: &[&str], export: &std::path::Path) -> (bool, String) {
    let (output, stderr) = run(makeitstick().arg("check").args(args).arg(export));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (output.status.success(), stdout)
}

#[test]
fn check_lists_every_column_when_nothing_matches() {
    let (ok, stdout) = check(&[], &fixture("nothing-matches/export.csv"));
    assert!(!ok);
    assert!(
        stdout.contains(
            "rows:       4 read = 2 excluded + 2 not scored (the columns do not fit the questionnaire) + 0 responses"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("columns:    9 columns read"), "{stdout}");
    let listed: Vec<Vec<&str>> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("columns:"))
        .skip(2)
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.split_whitespace().take(3).collect())
        .collect();
    assert_eq!(
        listed,
        [
            ["A", "StartDate", "startDate"],
            ["B", "EndDate", "endDate"],
            ["C", "Status", "status"],
            ["D", "Progress", "progress"],
            ["E", "Finished", "finished"],
            ["G", "Q1", "QID1"],
            ["H", "Q2_1", "QID2_1"],
            ["I", "Q2_2", "QID2_2"],
            ["J", "Q_very_long_export_tag_for_a_statement_2_3", "QID2_3"],
        ]
    );
    // The headers start in one column, however long a code is.
    let starts: Vec<usize> = stdout
        .lines()
        .filter(|l| l.contains("Hoe eens bent u het?"))
        .map(|l| l.find("Hoe eens").unwrap())
        .collect();
    assert_eq!(starts.len(), 3);
    assert!(starts.windows(2).all(|w| w[0] == w[1]), "{stdout}");
}

#[test]
fn check_json_fills_unmapped_columns_and_counts_that_add_up() {
    let (_, stdout) = check(&["--json"], &fixture("nothing-matches/export.csv"));
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let unmapped = json["unmapped_columns"].as_array().unwrap();
    assert_eq!(unmapped.len(), 9);
    assert_eq!(unmapped[6]["column"], "H");
    assert_eq!(unmapped[6]["code"], "Q2_1");
    assert_eq!(unmapped[6]["import_id"], "QID2_1");
    let excluded: u64 = json["rows_excluded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["count"].as_u64().unwrap())
        .sum();
    let parts = excluded
        + json["rows_without_answers"].as_u64().unwrap()
        + json["rows_not_scored"].as_u64().unwrap()
        + json["responses"].as_u64().unwrap();
    assert_eq!(json["rows_read"].as_u64().unwrap(), parts);
    assert_eq!(json["rows_not_scored"], 2);
}

#[test]
fn check_rows_add_up_when_a_report_can_be_made() {
    for export in [
        sample_csv(),
        fixture("qualtrics-choice-text/export.csv"),
        fixture("limesurvey-text/export.csv"),
    ] {
        let (_, stdout) = check(&["--json"], &export);
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let excluded: u64 = json["rows_excluded"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["count"].as_u64().unwrap())
            .sum();
        let parts = excluded
            + json["rows_without_answers"].as_u64().unwrap()
            + json["rows_not_scored"].as_u64().unwrap()
            + json["responses"].as_u64().unwrap();
        assert_eq!(json["rows_read"].as_u64().unwrap(), parts, "{export:?}");
    }
}

#[test]
fn a_limesurvey_code_and_text_heading_gives_its_code() {
    let (_, stdout) = check(
        &["--json"],
        &fixture("identity-limesurvey-dutch/export.csv"),
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let seed = json["unmapped_columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["column"] == "Q")
        .unwrap()
        .clone();
    assert_eq!(seed["code"], "Q6");
}

#[test]
fn the_mapping_table_stays_aligned_for_long_ids() {
    let dir = tempfile::tempdir().unwrap();
    let builtin = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates/instrument.toml"),
    )
    .unwrap();
    let long = builtin.replace(
        "id = \"context-2\"",
        "id = \"context-2-senior-leaders-give-time-and-money\"",
    );
    assert_ne!(long, builtin);
    let instrument = dir.path().join("instrument.toml");
    std::fs::write(&instrument, long).unwrap();
    let (ok, stdout) = check(
        &["--instrument", instrument.to_str().unwrap()],
        &fixture("tiny/export.csv"),
    );
    assert!(ok, "{stdout}");
    let lines: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("mapping:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert_eq!(lines.len(), 7, "{stdout}");
    for column in ["context", "(header)"] {
        let starts: Vec<usize> = lines.iter().map(|l| l.find(column).unwrap()).collect();
        assert!(starts.windows(2).all(|w| w[0] == w[1]), "{stdout}");
    }
}
