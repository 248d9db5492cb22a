//! What the report says about its own figures: why an ingredient has no
//! score, exports of nothing but test responses, and counts and ties in words.
//! Fixtures: `missing-statements/`, `all-preview/` (hand-checked in their READMEs).

use std::path::Path;

use serde_json::Value;

use crate::common::*;

/// Runs `report` on `export` with a stand-in typst; returns the exit code,
/// stderr, the scores JSON (when written) and whether a PDF was written.
fn report_with_fake_typst(
    export: &Path,
    extra: &[&str],
) -> (Option<i32>, String, Option<Value>, bool) {
    let dir = tempfile::tempdir().unwrap();
    let typst = fake_typst(dir.path(), "0.15.1", "touch \"$3\"; exit 0");
    let pdf = dir.path().join("r.pdf");
    let json = dir.path().join("s.json");
    let (output, stderr) = run(makeitstick()
        .current_dir(dir.path())
        .arg("report")
        .arg(export)
        .arg("-o")
        .arg(&pdf)
        .arg("--scores")
        .arg(&json)
        .arg("--typst")
        .arg(&typst)
        .args(extra));
    let scores = std::fs::read_to_string(&json)
        .ok()
        .map(|t| serde_json::from_str(&t).unwrap());
    (output.status.code(), stderr, scores, pdf.exists())
}

/// The `check` text output and exit code.
fn check(export: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let (output, stderr) = run(makeitstick().arg("check").arg(export).args(extra));
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        stderr,
    )
}

#[test]
fn an_ingredient_with_statements_missing_says_which_and_the_share_needed() {
    // Forms: context-1..3 in the export; Qualtrics: context-1, 2 and 5. Eight
    // managers answered every statement there is, so the reason is never "too few responses".
    for (file, missing) in [
        (
            "forms.csv",
            ["context-4", "context-5", "context-6", "context-7"],
        ),
        (
            "qualtrics.csv",
            ["context-3", "context-4", "context-6", "context-7"],
        ),
    ] {
        let export = fixture(&format!("missing-statements/{file}"));
        let (code, stderr, scores, _) = report_with_fake_typst(&export, &[]);
        assert_eq!(code, Some(0), "{stderr}");
        let scores = scores.unwrap();
        let context = &scores["ingredients"][0];
        assert!(context["overall"].is_null());
        let why = &context["no_score"];
        assert_eq!(why["reason"], "statements-missing", "{file}");
        assert_eq!(why["not_in_export"], serde_json::json!(missing), "{file}");
        assert_eq!(why["needed"], 4);
        let sentence = why["sentence"].as_str().unwrap();
        assert!(
            sentence.starts_with(
                "No score: only 3 of its 7 statements are in the survey export, \
                 and a person needs to answer at least 4 of them"
            ),
            "{sentence}"
        );
        assert!(!sentence.contains("fewer than"), "{sentence}");
        assert_eq!(scores["responses"]["used"], 8);

        // check warns, before it says a report can be made.
        let (code, out, _) = check(&export, &[]);
        assert_eq!(code, Some(0));
        let warning = out
            .find("warning:    Receptive context: No score: only 3 of its 7 statements")
            .unwrap_or_else(|| panic!("{out}"));
        let verdict = out.find("report:     yes").unwrap();
        assert!(warning < verdict, "{out}");
        assert!(
            out.contains("but 5 ingredients will have no score"),
            "{out}"
        );
        let (_, json, _) = check(&export, &["--json"]);
        let json: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            json["ingredients_without_score"][0]["not_in_export"],
            serde_json::json!(missing)
        );
    }
    // With every statement there, no warning.
    let (_, out, _) = check(&sample_csv(), &[]);
    assert!(!out.contains("warning:"), "{out}");
    assert!(
        out.contains("report:     yes, a report can be made\n"),
        "{out}"
    );
}

/// The built-in instrument with the numeric group codes of the all-preview
/// Qualtrics export: 1 for care leavers, 2 for frontline staff.
fn numeric_groups_instrument(dir: &Path) -> std::path::PathBuf {
    let text = makeitstick::instrument::BUILT_IN
        .replace("  \"Care leaver\",\n", "  \"Care leaver\",\n  \"1\",\n")
        .replace("  \"Social worker\",\n", "  \"Social worker\",\n  \"2\",\n");
    assert_ne!(text, makeitstick::instrument::BUILT_IN);
    let path = dir.join("instrument.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn an_export_of_only_previews_says_so_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let instrument = numeric_groups_instrument(dir.path());
    let instrument = instrument.to_str().unwrap();
    for (file, extra) in [
        ("qualtrics-text.csv", vec![]),
        ("qualtrics-numeric.csv", vec!["--instrument", instrument]),
    ] {
        let export = fixture(&format!("all-preview/{file}"));
        let (code, stderr, scores, pdf) = report_with_fake_typst(&export, &extra);
        assert_eq!(code, Some(1), "{file}: {stderr}");
        assert!(
            stderr.contains(
                "no response can be used, so there is nothing to report: \
                 6 rows read, 6 left out as survey previews or test responses"
            ),
            "{file}: {stderr}"
        );
        assert!(
            stderr.contains(
                "hint: to try the survey out before it opens, run again with --keep-test-responses"
            ),
            "{stderr}"
        );
        assert!(scores.is_none() && !pdf, "{file}: nothing is written");

        let (code, out, stderr) = check(&export, &extra);
        assert_eq!(code, Some(1));
        assert!(
            out.contains("6 left out as survey previews or test responses"),
            "{out}"
        );
        assert!(stderr.contains("--keep-test-responses"), "{stderr}");

        // Kept on request, and counted as test responses.
        let mut keep = extra.clone();
        keep.push("--keep-test-responses");
        let (code, stderr, scores, pdf) = report_with_fake_typst(&export, &keep);
        assert_eq!(code, Some(0), "{file}: {stderr}");
        let scores = scores.unwrap();
        assert_eq!(scores["responses"]["test_responses"], 6, "{file}");
        assert_eq!(scores["responses"]["used"], 6, "{file}");
        assert_eq!(scores["responses"]["excluded"], serde_json::json!([]));
        assert!(pdf);
        let (code, out, _) = check(&export, &keep);
        assert_eq!(code, Some(0), "{out}");
        assert!(
            out.contains("6  survey previews and test responses kept"),
            "{out}"
        );
    }
}

#[test]
fn test_responses_never_go_into_a_history() {
    let dir = tempfile::tempdir().unwrap();
    let export = fixture("all-preview/qualtrics-text.csv");
    let history = dir.path().join("history.json");
    let (code, stderr, _, pdf) = report_with_fake_typst(
        &export,
        &[
            "--keep-test-responses",
            "--history",
            history.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("test responses never go into a history"),
        "{stderr}"
    );
    assert!(!pdf && !history.exists());
}

#[test]
fn nobody_in_a_group_large_enough_is_nothing_to_report() {
    // The six care leavers of the all-preview export, kept, with a threshold of 7.
    let export = fixture("all-preview/qualtrics-text.csv");
    let (code, stderr, scores, pdf) =
        report_with_fake_typst(&export, &["--keep-test-responses", "--min-group-size", "7"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("6 responses are from groups of fewer than 7, which are never shown"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: wait for more responses"), "{stderr}");
    assert!(scores.is_none() && !pdf);
}

/// Builds a real PDF (typst on PATH) and returns its text on one line.
fn pdf_words(export: &Path, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    let (output, stderr) = run(makeitstick()
        .arg("report")
        .arg(export)
        .arg("-o")
        .arg(&pdf)
        .args(extra));
    assert!(output.status.success(), "{stderr}");
    if let Ok(keep) = std::env::var("MAKEITSTICK_KEEP_REPORTS") {
        let name = export.file_stem().unwrap().to_string_lossy();
        std::fs::copy(&pdf, Path::new(&keep).join(format!("figures-{name}.pdf"))).unwrap();
    }
    pdf_text(&pdf)
        .replace("-\n", "-")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_pdf_gives_the_true_reason_and_flags_test_responses() {
    let words = pdf_words(&fixture("missing-statements/forms.csv"), &[]);
    assert!(
        words.contains(
            "No score: only 3 of its 7 statements are in the survey export, and a person \
             needs to answer at least 4 of them to get a score. Statements 4, 5, 6 and 7 \
             are not in the export."
        ),
        "{words}"
    );
    assert!(
        !words.contains("fewer than 5 people answered enough"),
        "{words}"
    );
    assert!(!words.contains("All one"), "{words}");

    let words = pdf_words(
        &fixture("all-preview/qualtrics-text.csv"),
        &["--keep-test-responses"],
    );
    assert!(
        words.contains(
            "Built from test responses. 6 of the 6 responses used are survey previews or \
             test responses, kept to try the survey out. Do not use these figures to make \
             decisions."
        ),
        "{words}"
    );
}

#[test]
fn check_keeps_the_mapping_table_aligned_with_long_ids_and_counts_read_right() {
    let dir = tempfile::tempdir().unwrap();
    let long = "context-welcomes-new-ways-of-working-in-the-whole-organisation";
    let text = makeitstick::instrument::BUILT_IN
        .replace("id = \"context-1\"\n", &format!("id = \"{long}\"\n"));
    assert_ne!(text, makeitstick::instrument::BUILT_IN);
    let instrument = dir.path().join("instrument.toml");
    std::fs::write(&instrument, text).unwrap();
    let (code, out, stderr) = check(
        &fixture("tiny/export.csv"),
        &["--instrument", instrument.to_str().unwrap()],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let rows: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("mapping:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert_eq!(rows.len(), 7, "{out}");
    let starts: Vec<usize> = rows.iter().map(|r| r.find("(header)").unwrap()).collect();
    assert!(starts.iter().all(|s| *s == starts[0]), "{out}");
    assert!(rows[0].contains(long), "{out}");
    // Counts read right: one statement column matched is "1 column".
    let (_, out, _) = check(&fixture("tiny/export.csv"), &[]);
    assert!(out.contains("mapping:    7 columns\n"), "{out}");
    assert!(out.contains("6 responses\n"), "{out}");
}
