//! `makeitstick report` in a programme folder, through the binary: small
//! generated programmes (three sites, one of which hides its young people),
//! as site folders and as one combined export.

use std::path::{Path, PathBuf};

use crate::common::programme::{Exports, ProgrammeFolder, QUESTION, SITES};
use crate::common::{files, pdf_text, report_in};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn folder_sites_and_a_combined_export_give_the_same_figures() {
    let folders = ProgrammeFolder::new(Exports::SiteFolders);
    let combined = ProgrammeFolder::new(Exports::Combined);
    for programme in [&folders, &combined] {
        let (output, stderr) = programme.report(&[]);
        assert!(output.status.success(), "{stderr}");
        assert!(stderr.is_empty(), "silent by default: {stderr}");
        assert!(
            programme
                .dir
                .join("reports/programme-2026-Q3.pdf")
                .is_file()
        );
    }
    let (folders, combined) = (&folders.dir, &combined.dir);
    for (id, _, size, _) in SITES {
        let figures = format!("reports/sites/{id}-2026-Q3.json");
        let json = |dir: &Path| -> serde_json::Value {
            serde_json::from_str(&read(&dir.join(&figures))).unwrap()
        };
        assert_eq!(json(folders), json(combined), "{id}");
        let used = json(folders)["scores"]["responses"]["used"]
            .as_u64()
            .unwrap();
        assert!(used > 0 && used <= size as u64, "{id}: {used}");
        let csv = format!("reports/sites/{id}-2026-Q3.csv");
        assert_eq!(
            read(&folders.join(&csv)),
            read(&combined.join(&csv)),
            "{id}"
        );
        assert!(
            folders
                .join(format!("reports/sites/{id}-2026-Q3.pdf"))
                .is_file()
        );
        let history = format!("sites/{id}/history.json");
        assert!(read(&combined.join(&history)).contains("\"2026-Q3\""));
    }
    for file in ["programme-2026-Q3.json", "programme-2026-Q3.csv"] {
        let path = format!("reports/{file}");
        assert_eq!(
            read(&folders.join(&path)),
            read(&combined.join(&path)),
            "{file}"
        );
    }
    assert!(read(&folders.join("reports/programme-history.json")).contains("\"2026-Q3\""));
}

/// A combined export whose file name names no wave is one survey round:
/// a site whose own answers all came in June is in the same wave as the
/// others, whose last answers came in September, and in the programme figures.
#[test]
fn a_combined_export_without_a_wave_in_its_name_is_one_wave_for_every_site() {
    let programme = ProgrammeFolder::new(Exports::Combined);
    let named = programme.dir.join("exports/programme-2026-q3.csv");
    let mut reader = csv::Reader::from_path(&named).unwrap();
    let headers = reader.headers().unwrap().clone();
    let site = headers.iter().position(|h| h == QUESTION).unwrap();
    let unnamed = programme.dir.join("exports/programme.csv");
    let mut writer = csv::Writer::from_path(&unnamed).unwrap();
    writer.write_record(&headers).unwrap();
    for record in reader.records() {
        let mut cells: Vec<String> = record.unwrap().iter().map(String::from).collect();
        if cells[site] == "Westmoor" {
            cells[1] = "2026-06-10 09:00:00".into();
            cells[2] = "2026-06-10 10:00:00".into();
        }
        writer.write_record(&cells).unwrap();
    }
    writer.flush().unwrap();
    std::fs::remove_file(&named).unwrap();

    let (output, stderr) = programme.report(&[]);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("left out"), "{stderr}");
    let reports = programme.dir.join("reports");
    assert!(reports.join("sites/westmoor-2026-Q3.json").is_file());
    assert!(!reports.join("sites/westmoor-2026-Q2.json").exists());
    let figures: serde_json::Value =
        serde_json::from_str(&read(&reports.join("programme-2026-Q3.json"))).unwrap();
    let westmoor = figures["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "westmoor")
        .unwrap();
    assert!(westmoor["scores"].is_object(), "{westmoor}");
}

#[test]
fn a_site_question_answer_that_is_no_site_fails_the_run_and_writes_nothing() {
    let programme = ProgrammeFolder::new(Exports::Combined);
    let dir = &programme.dir;
    let path = dir.join("exports/programme-2026-q3.csv");
    let text = read(&path).replacen("Westmoor", "Southport", 2);
    std::fs::write(&path, text).unwrap();
    let (output, stderr) = programme.report(&[]);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("programme-2026-q3.csv"), "{stderr}");
    assert!(stderr.contains("belongs to no site"), "{stderr}");
    assert!(stderr.contains("hint: add the answer"), "{stderr}");
    assert!(files(&dir.join("reports")).is_empty());
}

#[test]
fn one_bad_site_is_named_the_others_are_written_and_the_programme_report_is_kept() {
    let programme = ProgrammeFolder::new(Exports::SiteFolders);
    let dir = &programme.dir;
    programme.report_ok();
    let programme_pdf = dir.join("reports/programme-2026-Q3.pdf");
    let before = std::fs::read(&programme_pdf).unwrap();
    let northshire = dir.join("reports/sites/northshire-2026-Q3.pdf");
    let northshire_before = std::fs::read(&northshire).unwrap();
    let eastvale = dir.join("reports/sites/eastvale-2026-Q3.pdf");
    let eastvale_before = std::fs::read(&eastvale).unwrap();

    // Eastvale's export now has no column of the questionnaire.
    std::fs::write(
        programme.export_of("eastvale"),
        "ID,Colour\n1,blue\n2,green\n",
    )
    .unwrap();
    let (output, stderr) = programme.report(&[]);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error: site eastvale:"), "{stderr}");
    assert!(stderr.contains("eastvale-2026-q3.csv"), "{stderr}");
    assert!(stderr.contains("1 of 3 sites"), "{stderr}");
    assert!(stderr.contains("hint: "), "{stderr}");
    assert_eq!(std::fs::read(&programme_pdf).unwrap(), before);
    assert_eq!(std::fs::read(&eastvale).unwrap(), eastvale_before);
    assert_ne!(std::fs::read(&northshire).unwrap(), northshire_before);
    assert!(!stderr.contains("northshire"), "{stderr}");
}

#[test]
fn flags_a_programme_cannot_use_are_usage_errors_and_write_nothing() {
    let programme = ProgrammeFolder::new(Exports::SiteFolders);
    let dir = &programme.dir;
    let export = programme.export_of("northshire");
    let cases: [(&[&str], &str); 3] = [
        (&["--output", "all.pdf"], "--output"),
        (&[export.to_str().unwrap()], "exports on the command line"),
        (&["--scores", "s.json"], "--scores"),
    ];
    for (args, named) in cases {
        let (output, stderr) = programme.report(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("programme folder"), "{stderr}");
        assert!(stderr.contains(named), "{stderr}");
        assert!(!dir.join("reports").exists());
        assert!(!dir.join("all.pdf").exists());
    }
}

#[test]
fn an_empty_site_folder_fails_that_site_and_keeps_the_programme_report_away() {
    let programme = ProgrammeFolder::new(Exports::SiteFolders);
    let dir = &programme.dir;
    std::fs::remove_file(programme.export_of("westmoor")).unwrap();
    let (output, stderr) = programme.report(&[]);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error: site westmoor:"), "{stderr}");
    assert!(stderr.contains("hint: save the survey export"), "{stderr}");
    assert!(dir.join("reports/sites/eastvale-2026-Q3.pdf").is_file());
    assert!(!dir.join("reports/programme-2026-Q3.pdf").exists());
}

/// Young people's counts and scores that would give Westmoor's hidden
/// cell away: its own count, and any total that includes it.
#[test]
fn exactly_one_site_hiding_a_group_shows_nothing_derivable_in_any_output() {
    let programme = ProgrammeFolder::new(Exports::SiteFolders);
    let dir = &programme.dir;
    programme.report_ok();
    let hidden = 2;
    let with_hidden: usize = SITES.iter().map(|s| s.3).sum();
    let written: Vec<PathBuf> = files(dir)
        .into_iter()
        .filter(|p| !p.starts_with(dir.join("sites")) || p.ends_with("history.json"))
        .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "csv"))
        .collect();
    // Per site: figures JSON, CSV and history; the programme's JSON, CSV and history.
    assert_eq!(written.len(), 3 * 3 + 3, "{written:?}");
    for path in &written {
        let text = read(path);
        let westmoor = path.to_string_lossy().contains("westmoor");
        if path.extension().unwrap() == "csv" {
            let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
            let at = header.iter().position(|c| *c == "measure").unwrap();
            for line in text.lines().filter(|l| l.contains(",young-people,")) {
                let value = line.rsplit(',').next().unwrap();
                let measure = line.split(',').nth(at).unwrap();
                if westmoor || line.starts_with("westmoor,") {
                    assert!(
                        measure == "shown" && value == "0",
                        "{}: {line}",
                        path.display()
                    );
                }
                assert_ne!(value, with_hidden.to_string(), "{}: {line}", path.display());
            }
            continue;
        }
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut cells = Vec::new();
        young_people_cells(&json, &mut cells);
        // The walk finds the group wherever a site shows it.
        assert!(westmoor || !cells.is_empty(), "{}", path.display());
        for cell in cells {
            let n = cell.get("n").and_then(|n| n.as_u64());
            if westmoor {
                assert_eq!(n, None, "{}: {cell}", path.display());
                assert_ne!(cell.get("shown"), Some(&serde_json::json!(true)));
            }
            assert_ne!(n, Some(with_hidden as u64), "{}: {cell}", path.display());
            assert_ne!(n, Some(hidden), "{}: {cell}", path.display());
        }
    }
}

/// Every object of `value` that is the young people's group.
fn young_people_cells<'a>(value: &'a serde_json::Value, out: &mut Vec<&'a serde_json::Value>) {
    match value {
        serde_json::Value::Object(map) => {
            if map.get("id").and_then(|v| v.as_str()) == Some("young-people") {
                out.push(value);
            }
            map.values().for_each(|v| young_people_cells(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| young_people_cells(v, out)),
        _ => {}
    }
}

#[test]
fn the_real_typst_makes_every_site_report_and_the_programme_report() {
    let Ok(version) = std::process::Command::new("typst")
        .arg("--version")
        .output()
    else {
        eprintln!("skipped: typst is not installed");
        return;
    };
    assert!(version.status.success());
    let folder = ProgrammeFolder::new(Exports::SiteFolders);
    let dir = &folder.dir;
    let (output, stderr) = report_in(dir, &[]);
    assert!(output.status.success(), "{stderr}");
    let programme = pdf_text(&dir.join("reports/programme-2026-Q3.pdf"));
    assert!(programme.contains("Test Programme"), "{programme}");
    for (_, name, _, _) in SITES {
        assert!(programme.contains(name), "{name}: {programme}");
    }
    let westmoor = pdf_text(&dir.join("reports/sites/westmoor-2026-Q3.pdf"));
    assert!(westmoor.contains("Westmoor"), "{westmoor}");
    assert!(westmoor.contains("Test Programme"), "{westmoor}");
    let young = westmoor
        .lines()
        .find(|l| l.contains("Care-experienced young people"))
        .unwrap();
    assert!(young.contains("fewer than 5"), "{young}");
}

/// A site that has not sent this round's export yet (its folder holds the
/// round before's) is named on the programme report's first page, not only
/// left out of its counts; its own report is for its own latest round.
#[test]
fn a_site_without_this_rounds_answers_is_named_in_the_programme_report() {
    if std::process::Command::new("typst")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: typst is not installed");
        return;
    }
    let folder = ProgrammeFolder::new(Exports::SiteFolders);
    let dir = &folder.dir;
    let export = folder.export_of("westmoor");
    let text = read(&export).replace("2026-09-", "2026-06-");
    std::fs::remove_file(&export).unwrap();
    std::fs::write(export.with_file_name("westmoor-2026-q2.csv"), text).unwrap();
    let (output, stderr) = report_in(dir, &[]);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("site westmoor: its latest wave is not 2026-Q3"),
        "{stderr}"
    );
    assert!(dir.join("reports/sites/westmoor-2026-Q2.pdf").is_file());
    let programme = crate::common::flat(&pdf_text(&dir.join("reports/programme-2026-Q3.pdf")));
    assert!(
        programme.contains("No answers for this survey round: Westmoor."),
        "{programme}"
    );
}

#[test]
fn a_second_run_with_nothing_changed_writes_nothing_until_an_input_changes() {
    let programme = ProgrammeFolder::new(Exports::SiteFolders);
    let dir = &programme.dir;
    programme.report_ok();
    let snapshot = |dir: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        // The lock file says which run holds it; everything else must stay.
        files(dir)
            .into_iter()
            .filter(|p| !p.ends_with(".makeitstick.lock"))
            .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
            .collect()
    };
    let first = snapshot(dir);

    let (output, stderr) = programme.report(&["-v"]);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("up to date"), "{stderr}");
    assert!(
        snapshot(dir) == first,
        "a run with nothing new wrote something"
    );

    // A changed setting in programme.toml remakes every report.
    let toml = dir.join("programme.toml");
    std::fs::write(
        &toml,
        read(&toml).replace("Test Programme", "Test Programme 2"),
    )
    .unwrap();
    let (output, stderr) = programme.report(&[]);
    assert!(output.status.success(), "{stderr}");
    let pdf = dir.join("reports/programme-2026-Q3.pdf");
    let second = std::fs::read(&pdf).unwrap();
    let first_pdf = &first.iter().find(|(p, _)| *p == pdf).unwrap().1;
    assert_ne!(
        &second, first_pdf,
        "a changed programme.toml makes it again"
    );
    let (output, stderr) = programme.report(&["--force"]);
    assert!(output.status.success(), "{stderr}");
    assert_ne!(
        std::fs::read(&pdf).unwrap(),
        second,
        "--force makes it again"
    );
}
