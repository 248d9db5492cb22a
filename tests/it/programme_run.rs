//! `makeitstick report` in a programme folder, through the binary: small
//! generated programmes (three sites, one of which hides its young people),
//! as site folders and as one combined export.

use std::path::{Path, PathBuf};

use makeitstick::instrument::Instrument;

use crate::common::{fake_typst, makeitstick, pdf_text, run};

/// The site question of the combined export.
const QUESTION: &str = "Which organisation are you from?";

/// id, name, respondents, young people among them. Westmoor's 2 young people
/// are the one hidden young-people cell of the programme.
const SITES: [(&str, &str, usize, usize); 3] = [
    ("eastvale", "Eastvale Trust", 40, 8),
    ("northshire", "Northshire", 60, 10),
    ("westmoor", "Westmoor", 30, 2),
];

/// Every respondent: their site and their cells after the site column
/// (ID, start, completion, group, then one answer per statement).
fn respondents(instrument: &Instrument) -> Vec<(usize, Vec<String>)> {
    let labels: Vec<String> = (instrument.default_scale().points.iter())
        .map(|p| p.label.clone())
        .collect();
    let groups = instrument.group_options();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut rows = Vec::new();
    for (site, &(_, _, size, young)) in SITES.iter().enumerate() {
        for k in 0..size {
            let group = if k < young {
                0
            } else {
                1 + next(groups.len() - 1)
            };
            let mut cells = vec![
                (rows.len() + 1).to_string(),
                format!("2026-09-{:02} 09:00:00", 2 + next(20)),
                format!("2026-09-{:02} 10:{:02}:00", 2 + next(20), next(60)),
                groups[group].name.clone(),
            ];
            for _ in instrument.statements() {
                let level = (next(5) + site + usize::from(group == 0)).min(labels.len() - 1);
                cells.push(labels[level].clone());
            }
            rows.push((site, cells));
        }
    }
    rows
}

fn headers(instrument: &Instrument, site_column: bool) -> Vec<String> {
    let mut headers: Vec<String> = ["ID", "Start time", "Completion time"]
        .map(String::from)
        .to_vec();
    if site_column {
        headers.push(QUESTION.into());
    }
    headers.push(instrument.groups.as_ref().unwrap().question.clone());
    headers.extend(instrument.statements().map(|(_, s)| s.text.clone()));
    headers
}

fn write_csv(path: &Path, records: &[Vec<String>]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut writer = csv::Writer::from_path(path).unwrap();
    for record in records {
        writer.write_record(record).unwrap();
    }
    writer.flush().unwrap();
}

/// programme.toml: the three sites, with the site question for a combined export.
fn programme_toml(combined: bool) -> String {
    let mut text = String::from("schema-version = 1\nname = \"Test Programme\"\n");
    if combined {
        text.push_str(&format!("\n[site-question]\nquestion = \"{QUESTION}\"\n"));
    }
    for (id, name, _, _) in SITES {
        text.push_str(&format!("\n[[sites]]\nid = \"{id}\"\nname = \"{name}\"\n"));
    }
    text
}

/// A programme folder with one export per site in `sites/<id>/exports/`.
fn folder_programme(dir: &Path) {
    let instrument = Instrument::load(None).unwrap();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("programme.toml"), programme_toml(false)).unwrap();
    let rows = respondents(&instrument);
    for (s, (id, _, _, _)) in SITES.iter().enumerate() {
        let mut records = vec![headers(&instrument, false)];
        records.extend(rows.iter().filter(|(r, _)| *r == s).map(|(_, c)| c.clone()));
        write_csv(&export_of(dir, id), &records);
    }
}

/// A site's export in a folder programme.
fn export_of(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("sites/{id}/exports/{id}-2026-q3.csv"))
}

/// A programme folder with one combined export in `exports/`.
fn combined_programme(dir: &Path) {
    let instrument = Instrument::load(None).unwrap();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("programme.toml"), programme_toml(true)).unwrap();
    let mut records = vec![headers(&instrument, true)];
    for (site, cells) in respondents(&instrument) {
        let mut record = cells[..3].to_vec();
        record.push(SITES[site].1.to_string());
        record.extend(cells[3..].iter().cloned());
        records.push(record);
    }
    write_csv(&dir.join("exports/programme-2026-q3.csv"), &records);
}

/// A stand-in typst writing a PDF that differs every run (its nanoseconds).
fn typst(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    fake_typst(
        dir,
        "0.15.1",
        "echo \"%PDF-fake $(date +%s%N)\" > \"$(eval echo \\${$#})\"",
    )
}

/// `makeitstick report` in `dir` with extra arguments.
fn report(dir: &Path, typst: &Path, extra: &[&str]) -> (std::process::Output, String) {
    run(makeitstick()
        .arg("report")
        .args(extra)
        .arg("--typst")
        .arg(typst)
        .current_dir(dir))
}

/// Every file under `dir`, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files(&path));
        } else {
            found.push(path);
        }
    }
    found.sort();
    found
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn folder_sites_and_a_combined_export_give_the_same_figures() {
    let temp = tempfile::tempdir().unwrap();
    let typst = typst(&temp.path().join("bin"));
    let (folders, combined) = (temp.path().join("folders"), temp.path().join("combined"));
    folder_programme(&folders);
    combined_programme(&combined);
    for dir in [&folders, &combined] {
        let (output, stderr) = report(dir, &typst, &[]);
        assert!(output.status.success(), "{stderr}");
        assert!(stderr.is_empty(), "silent by default: {stderr}");
        assert!(dir.join("reports/programme-2026-Q3.pdf").is_file());
    }
    for (id, _, size, _) in SITES {
        let figures = format!("reports/sites/{id}-2026-Q3.json");
        let json = |dir: &Path| -> serde_json::Value {
            serde_json::from_str(&read(&dir.join(&figures))).unwrap()
        };
        assert_eq!(json(&folders), json(&combined), "{id}");
        let used = json(&folders)["scores"]["responses"]["used"]
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

#[test]
fn a_site_question_answer_that_is_no_site_fails_the_run_and_writes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let typst = typst(&temp.path().join("bin"));
    let dir = temp.path().join("combined");
    combined_programme(&dir);
    let path = dir.join("exports/programme-2026-q3.csv");
    let text = read(&path).replacen("Westmoor", "Southport", 2);
    std::fs::write(&path, text).unwrap();
    let (output, stderr) = report(&dir, &typst, &[]);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("programme-2026-q3.csv"), "{stderr}");
    assert!(stderr.contains("belongs to no site"), "{stderr}");
    assert!(stderr.contains("hint: add the answer"), "{stderr}");
    assert!(files(&dir.join("reports")).is_empty());
}

#[test]
fn one_bad_site_is_named_the_others_are_written_and_the_programme_report_is_kept() {
    let temp = tempfile::tempdir().unwrap();
    let typst = typst(&temp.path().join("bin"));
    let dir = temp.path().join("programme");
    folder_programme(&dir);
    let (output, stderr) = report(&dir, &typst, &[]);
    assert!(output.status.success(), "{stderr}");
    let programme_pdf = dir.join("reports/programme-2026-Q3.pdf");
    let before = std::fs::read(&programme_pdf).unwrap();
    let northshire = dir.join("reports/sites/northshire-2026-Q3.pdf");
    let northshire_before = std::fs::read(&northshire).unwrap();
    let eastvale = dir.join("reports/sites/eastvale-2026-Q3.pdf");
    let eastvale_before = std::fs::read(&eastvale).unwrap();

    // Eastvale's export now has no column of the questionnaire.
    std::fs::write(export_of(&dir, "eastvale"), "ID,Colour\n1,blue\n2,green\n").unwrap();
    let (output, stderr) = report(&dir, &typst, &[]);
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
    let temp = tempfile::tempdir().unwrap();
    let typst = typst(&temp.path().join("bin"));
    let dir = temp.path().join("programme");
    folder_programme(&dir);
    let export = export_of(&dir, "northshire");
    let cases: [(&[&str], &str); 3] = [
        (&["--output", "all.pdf"], "--output"),
        (&[export.to_str().unwrap()], "exports on the command line"),
        (&["--scores", "s.json"], "--scores"),
    ];
    for (args, named) in cases {
        let (output, stderr) = report(&dir, &typst, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("programme folder"), "{stderr}");
        assert!(stderr.contains(named), "{stderr}");
        assert!(!dir.join("reports").exists());
        assert!(!dir.join("all.pdf").exists());
    }
}

#[test]
fn an_empty_site_folder_fails_that_site_and_keeps_the_programme_report_away() {
    let temp = tempfile::tempdir().unwrap();
    let typst = typst(&temp.path().join("bin"));
    let dir = temp.path().join("programme");
    folder_programme(&dir);
    std::fs::remove_file(export_of(&dir, "westmoor")).unwrap();
    let (output, stderr) = report(&dir, &typst, &[]);
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
    let temp = tempfile::tempdir().unwrap();
    let typst = typst(&temp.path().join("bin"));
    let dir = temp.path().join("programme");
    folder_programme(&dir);
    let (output, stderr) = report(&dir, &typst, &[]);
    assert!(output.status.success(), "{stderr}");
    let hidden = 2;
    let with_hidden: usize = SITES.iter().map(|s| s.3).sum();
    let written: Vec<PathBuf> = files(&dir)
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
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("programme");
    folder_programme(&dir);
    let (output, stderr) = run(makeitstick().arg("report").current_dir(&dir));
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

#[test]
fn a_second_run_with_nothing_changed_writes_nothing_until_an_input_changes() {
    let temp = tempfile::tempdir().unwrap();
    let typst = typst(&temp.path().join("bin"));
    let dir = temp.path().join("programme");
    folder_programme(&dir);
    let (output, stderr) = report(&dir, &typst, &[]);
    assert!(output.status.success(), "{stderr}");
    let snapshot = |dir: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        // The lock file says which run holds it; everything else must stay.
        files(dir)
            .into_iter()
            .filter(|p| !p.ends_with(".makeitstick.lock"))
            .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
            .collect()
    };
    let first = snapshot(&dir);

    let (output, stderr) = report(&dir, &typst, &["-v"]);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("up to date"), "{stderr}");
    assert!(
        snapshot(&dir) == first,
        "a run with nothing new wrote something"
    );

    // A changed setting in programme.toml remakes every report.
    let toml = dir.join("programme.toml");
    std::fs::write(
        &toml,
        read(&toml).replace("Test Programme", "Test Programme 2"),
    )
    .unwrap();
    let (output, stderr) = report(&dir, &typst, &[]);
    assert!(output.status.success(), "{stderr}");
    let pdf = dir.join("reports/programme-2026-Q3.pdf");
    let second = std::fs::read(&pdf).unwrap();
    let first_pdf = &first.iter().find(|(p, _)| *p == pdf).unwrap().1;
    assert_ne!(
        &second, first_pdf,
        "a changed programme.toml makes it again"
    );
    let (output, stderr) = report(&dir, &typst, &["--force"]);
    assert!(output.status.success(), "{stderr}");
    assert_ne!(
        std::fs::read(&pdf).unwrap(),
        second,
        "--force makes it again"
    );
}
