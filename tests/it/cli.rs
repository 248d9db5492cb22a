//! CLI tests on the built binary: arguments, messages and exit codes. A fake
//! typst stands in where only the arguments matter.

use crate::common::*;

#[test]
fn check_lists_mapping_and_dropped_identity_columns_without_values() {
    let (output, stderr) = run(makeitstick().arg("check").arg(fixture("tiny/export.csv")));
    assert!(output.status.success(), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("dropped:    3 identity columns, never read"),
        "{stdout}"
    );
    for (letter, header) in [("A", "ID"), ("D", "Email"), ("E", "Name")] {
        assert!(
            stdout
                .lines()
                .any(|l| l.split_whitespace().take(2).eq([letter, header])),
            "{stdout}"
        );
    }
    assert!(stdout.contains("context-1"), "{stdout}");
    assert!(stdout.contains("7 columns"), "{stdout}");
    assert!(!stdout.contains("tiny.person1@example.org"), "{stdout}");
    assert!(!stdout.contains("Tiny Person1"), "{stdout}");
}

#[test]
fn check_json_is_machine_readable() {
    let (output, stderr) = run(makeitstick()
        .args(["check", "--json"])
        .arg(fixture("tiny/export.csv")));
    assert!(output.status.success(), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["responses"], 6);
    assert_eq!(json["mapping"].as_array().unwrap().len(), 7);
    assert_eq!(json["mapping"][0]["column"], "G");
    assert_eq!(
        json["statements_without_column"].as_array().unwrap().len(),
        26
    );
}

#[test]
fn a_missing_export_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let typst = fake_typst(dir.path(), "0.15.1", "exit 0");
    let (output, stderr) = run(makeitstick()
        .args(["report", "no-such-export.xlsx", "-o"])
        .arg(dir.path().join("report.pdf"))
        .arg("--typst")
        .arg(&typst));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.starts_with("error: cannot read no-such-export.xlsx"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: "), "{stderr}");
    assert!(!dir.path().join("report.pdf").exists());
}

#[test]
fn an_answer_off_the_scale_names_file_row_column_and_value_and_keeps_the_old_report() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.pdf");
    std::fs::write(&report, "last quarter's report").unwrap();
    let typst = fake_typst(dir.path(), "0.15.1", "exit 0");
    let (output, stderr) = run(makeitstick()
        .arg("report")
        .arg(fixture("off-scale/export.csv"))
        .arg("-o")
        .arg(&report)
        .arg("--typst")
        .arg(&typst));
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("off-scale/export.csv"), "{stderr}");
    assert!(
        stderr.contains("\"Sort of\" in column H (\"When something goes wrong, we learn from it without blaming people.\"), 1 time, first at row 3"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: "), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&report).unwrap(),
        "last quarter's report"
    );
    assert!(!dir.path().join("args.txt").exists(), "typst must not run");
}

#[test]
fn an_export_without_statements_says_what_it_found() {
    let (output, stderr) = run(makeitstick()
        .arg("check")
        .arg(fixture("no-statements/export.csv")));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("none of the 3 columns matches a statement"),
        "{stderr}"
    );
    assert!(
        stderr.contains("\"How did you hear about us?\""),
        "{stderr}"
    );
    assert!(stderr.contains("--instrument"), "{stderr}");
}

#[test]
fn an_unreadable_workbook_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("export.xlsx");
    std::fs::write(&bad, b"this is not a zip file").unwrap();
    let (output, stderr) = run(makeitstick().arg("check").arg(&bad));
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("cannot read the workbook"), "{stderr}");
    assert!(stderr.contains("export.xlsx"), "{stderr}");
    assert!(stderr.contains("hint: "), "{stderr}");
}

#[test]
fn missing_typst_prints_the_install_command() {
    let dir = tempfile::tempdir().unwrap();
    let (output, stderr) = run(makeitstick()
        .arg("report")
        .arg(fixture("tiny/export.csv"))
        .arg("-o")
        .arg(dir.path().join("r.pdf"))
        .arg("--typst")
        .arg(dir.path().join("no-typst-here")));
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("typst was not found"), "{stderr}");
    assert!(
        stderr.contains("cargo install typst-cli --locked --version 0.15.1"),
        "{stderr}"
    );
}

#[test]
fn typst_on_path_is_the_first_one_that_can_be_run() {
    // A file named typst that cannot be run (a download not yet made
    // executable) is passed over, as the shell would, not reported as typst.
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    std::fs::create_dir_all(&first).unwrap();
    std::fs::create_dir_all(&second).unwrap();
    std::fs::write(first.join("typst"), "not a program").unwrap();
    fake_typst(
        &second,
        "0.15.1",
        "echo '%PDF-fake' > \"$(eval echo \\${$#})\"",
    );
    let (output, stderr) = run(makeitstick()
        .arg("report")
        .arg(fixture("tiny/export.csv"))
        .arg("-o")
        .arg(dir.path().join("r.pdf"))
        .env_remove("TYPST")
        .env("PATH", std::env::join_paths([&first, &second]).unwrap()));
    assert!(output.status.success(), "{stderr}");
    assert!(
        second.join("args.txt").exists(),
        "the second typst was not run"
    );
}

#[test]
fn the_wrong_typst_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let typst = fake_typst(dir.path(), "0.11.0", "exit 0");
    let (output, stderr) = run(makeitstick()
        .arg("report")
        .arg(fixture("tiny/export.csv"))
        .arg("-o")
        .arg(dir.path().join("r.pdf"))
        .env("TYPST", &typst));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("is typst 0.11.0, but makeitstick needs typst 0.15.1"),
        "{stderr}"
    );
}

#[test]
fn typst_gets_a_sealed_reproducible_accessible_build() {
    let dir = tempfile::tempdir().unwrap();
    let typst = fake_typst(
        dir.path(),
        "0.15.1",
        "echo '%PDF-fake' > \"$(eval echo \\${$#})\"",
    );
    let report = dir.path().join("r.pdf");
    let (output, stderr) = run(makeitstick()
        .arg("report")
        .arg(fixture("tiny/export.csv"))
        .arg("-o")
        .arg(&report)
        .arg("--typst")
        .arg(&typst));
    assert!(output.status.success(), "{stderr}");
    let args = std::fs::read_to_string(dir.path().join("args.txt")).unwrap();
    let args: Vec<&str> = args.lines().collect();
    for flag in [
        "--root",
        "--font-path",
        "--ignore-system-fonts",
        "--creation-timestamp",
    ] {
        assert!(args.contains(&flag), "{flag} missing from {args:?}");
    }
    let after = |flag: &str| args[args.iter().position(|a| *a == flag).unwrap() + 1];
    assert_eq!(after("--pdf-standard"), "ua-1");
    // The last completion time in the fixture is 2026-06-07 09:10:00 UTC.
    assert_eq!(after("--creation-timestamp"), "1780823400");
    assert!(after("--font-path").starts_with(after("--root")));
    assert_eq!(
        std::fs::read_to_string(&report).unwrap().trim(),
        "%PDF-fake"
    );
}

#[test]
fn a_typst_failure_shows_its_diagnostics_and_keeps_the_old_report() {
    let dir = tempfile::tempdir().unwrap();
    let typst = fake_typst(
        dir.path(),
        "0.15.1",
        "echo 'report.typ:3:1: error: unknown variable: oops' >&2; exit 1",
    );
    let report = dir.path().join("r.pdf");
    std::fs::write(&report, "previous").unwrap();
    let (output, stderr) = run(makeitstick()
        .arg("report")
        .arg(fixture("tiny/export.csv"))
        .arg("-o")
        .arg(&report)
        .arg("--typst")
        .arg(&typst));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("report.typ:3:1: error: unknown variable: oops"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&report).unwrap(), "previous");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn usage_errors_exit_with_2() {
    let (output, _) = run(makeitstick().args(["report"]));
    assert_eq!(output.status.code(), Some(2));
    let (output, _) = run(makeitstick().args(["check", "x.csv", "--min-group-size", "1"]));
    assert_eq!(output.status.code(), Some(2));
}
