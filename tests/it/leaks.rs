//! Issue 11, items 13 and 14: an "Other: …" group answer is never quoted in
//! full, and a file in exports/ that is not a readable export never has its
//! first line printed.

use std::path::Path;

use crate::common::*;

/// An export whose group column holds an "Other: name, e-mail" answer
/// (`times` rows of it) and two "Volunteer" answers.
fn export_with_other(dir: &Path, times: usize) -> std::path::PathBuf {
    let mut text = String::from(
        "Timestamp,Which of these best describes you?,Our organisation welcomes new ways of working.,Senior leaders give time and money to new ideas.\n",
    );
    for (i, group) in [
        "Manager",
        "Social worker",
        "Care leaver",
        "Manager",
        "Partner",
    ]
    .iter()
    .enumerate()
    {
        text.push_str(&format!(
            "2026-09-0{} 10:00:00,{group},Agree,Disagree\n",
            i + 1
        ));
    }
    for i in 0..times {
        text.push_str(&format!(
            "2026-09-10 10:0{i}:00,\"Other: Jane Secretperson, jane.secret@example.org, 07700 900123\",Agree,Agree\n",
        ));
    }
    text.push_str("2026-09-11 10:00:00,Volunteer,Agree,Agree\n");
    text.push_str("2026-09-12 10:00:00,Volunteer,Agree,Agree\n");
    let path = dir.join("export.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn assert_no_secret(text: &str) {
    for secret in [
        "Secretperson",
        "jane.secret",
        "example.org",
        "07700",
        "900123",
    ] {
        assert!(!text.contains(secret), "{secret} in:\n{text}");
    }
}

#[test]
fn an_other_group_answer_is_never_quoted_unredacted() {
    for times in [1, 2] {
        let dir = tempfile::tempdir().unwrap();
        let export = export_with_other(dir.path(), times);
        let typst = fake_typst(dir.path(), "0.15.1", "exit 0");
        let (output, stderr) = run(makeitstick()
            .arg("report")
            .arg(&export)
            .arg("-o")
            .arg(dir.path().join("r.pdf"))
            .arg("--typst")
            .arg(&typst));
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert_no_secret(&stderr);
        // The count of every such row, and the first row.
        assert!(
            stderr.contains(&format!(
                "{} rows give a group answer that belongs to no respondent group; the first is row 7",
                times + 2
            )),
            "{stderr}"
        );
        assert!(stderr.contains("--unknown-groups other"), "{stderr}");
        if times == 1 {
            assert!(stderr.contains("not quoted"), "{stderr}");
        } else {
            assert!(stderr.contains("\"Other: …\""), "{stderr}");
        }
        for args in [&["check"][..], &["check", "--json"][..]] {
            let (output, stderr) = run(makeitstick().args(args).arg(&export));
            assert_eq!(output.status.code(), Some(1));
            assert_no_secret(&String::from_utf8_lossy(&output.stdout));
            assert_no_secret(&stderr);
        }
    }
}

#[test]
fn unknown_groups_other_counts_the_rows_as_did_not_say() {
    let dir = tempfile::tempdir().unwrap();
    let export = export_with_other(dir.path(), 2);
    let (output, stderr) = run(makeitstick()
        .args(["check", "--json", "--unknown-groups", "other"])
        .arg(&export));
    assert!(output.status.success(), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        json["responses"], 9,
        "5 in groups, 2 Other and 2 Volunteer in did-not-say"
    );
    assert_eq!(json["group_answers_not_known"][0]["value"], "Other: …");
    assert_eq!(json["group_answers_not_known"][1]["value"], "Volunteer");

    // The same as a project setting.
    let project = dir.path().join("project");
    let (output, stderr) = run(makeitstick().arg("init").arg(&project));
    assert!(output.status.success(), "{stderr}");
    let config = project.join("makeitstick.toml");
    let settings = std::fs::read_to_string(&config).unwrap();
    assert!(
        settings.contains("unknown-groups = \"error\""),
        "{settings}"
    );
    let (output, _) = run(makeitstick()
        .arg("check")
        .arg(&export)
        .arg("--config")
        .arg(&config));
    assert_eq!(output.status.code(), Some(1));
    std::fs::write(
        &config,
        settings.replace("unknown-groups = \"error\"", "unknown-groups = \"other\""),
    )
    .unwrap();
    let (output, stderr) = run(makeitstick()
        .arg("check")
        .arg(&export)
        .arg("--config")
        .arg(&config));
    assert!(output.status.success(), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("counted in \"Did not say which group\""),
        "{stdout}"
    );
}
