//! The improvement plan comes back (issue 14, part 2), end to end with the
//! real typst: `init`, a first report writes `plan.xlsx`, the team fills it
//! (cells written here with rust_xlsxwriter, a LibreOffice re-save when
//! `soffice` is installed), and the next report shows the actions, their
//! statuses, what is overdue and the change since the actions were agreed.
//!
//! The wave fixtures (see `waves.rs`): 2026-Q1 (c-winter.csv) scores
//! "Receptive context" 55, 2026-Q3 (b-summer.csv, last response 11 August 2026)
//! scores it 80, a change that is **up** (10.15 to 39.85).

use std::path::{Path, PathBuf};
use std::process::Output;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use super::common::{fixture, makeitstick, run};

/// Hostile text the team might type: it must reach the PDF as written.
const HOSTILE: &str = r#"#read("/etc/passwd") $x$ ] \ =cmd|"#;

fn project() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("project");
    let (output, stderr) = run(makeitstick().arg("init").arg(&dir));
    assert!(output.status.success(), "{stderr}");
    (temp, dir)
}

fn drop_export(dir: &Path, name: &str) {
    std::fs::copy(
        fixture(&format!("waves/{name}")),
        dir.join("exports").join(name),
    )
    .unwrap();
}

fn report(dir: &Path, args: &[&str]) -> (Output, String) {
    run(makeitstick().current_dir(dir).arg("report").args(args))
}

/// The team's filled plan: four readable rows (one hostile, one overdue, one
/// done, one with a typed UK date) and two bad ones (rows 6 and 7).
fn fill_plan(path: &Path) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Plan").unwrap();
    let header = [
        "Ingredient",
        "Action",
        "Owner",
        "By when",
        "Status",
        "How we will know",
        "Agreed in wave",
        "Notes",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let rows: [[&str; 8]; 6] = [
        [
            "Receptive context",
            "Name a senior sponsor",
            "Priya Shah",
            "",
            "in progress",
            "Sponsor in minutes",
            "2026-Q1",
            "",
        ],
        [
            "context",
            HOSTILE,
            HOSTILE,
            "30/06/2026",
            "Done",
            HOSTILE,
            "2026-Q1",
            HOSTILE,
        ],
        [
            "Receptive context",
            "Monthly catch-up",
            "Sam Okafor",
            "31 Dec 2026",
            "",
            "",
            "2026-Q1",
            "",
        ],
        [
            "receptive context",
            "Share what was learned",
            "Ana",
            "",
            "dropped",
            "",
            "2026-Q1",
            "",
        ],
        [
            "Receptive context",
            "Write it down",
            "Jo",
            "",
            "finished",
            "",
            "2026-Q1",
            "",
        ],
        ["Cake", "Bake", "Jo", "next week", "done", "", "2026-Q1", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r as u32 + 1, c as u16, *cell).unwrap();
            }
        }
    }
    // An Excel date cell, as a UK user's typed "01/03/2026" becomes: before 11 August, so overdue.
    let march = ExcelDateTime::from_ymd(2026, 3, 1).unwrap();
    sheet
        .write_datetime_with_format(1, 3, &march, &date)
        .unwrap();
    book.save(path).unwrap();
}

/// The PDF's words in reading order (pdftotext without `-layout`, so that a
/// table cell's words stay together), on one line.
fn words(pdf: &Path) -> String {
    let output = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is installed");
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_plan_is_written_once_filled_in_and_reported_on() {
    let (_temp, dir) = project();
    drop_export(&dir, "c-winter.csv");
    let (output, stderr) = report(&dir, &[]);
    assert!(output.status.success(), "{stderr}");
    let plan = dir.join("plan.xlsx");
    assert!(plan.is_file(), "the first report writes plan.xlsx");
    assert!(!dir.join("plan-suggestions-2026-Q1.xlsx").exists());

    // A re-run of the same wave leaves the plan alone and writes no suggestions:
    // the plan already holds this wave's actions.
    let first = read(&plan);
    let (output, stderr) = report(&dir, &["--force"]);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(read(&plan), first);
    assert!(!dir.join("plan-suggestions-2026-Q1.xlsx").exists());

    fill_plan(&plan);
    let filled = read(&plan);
    drop_export(&dir, "b-summer.csv");
    let (output, stderr) = report(&dir, &[]);
    assert!(
        output.status.success(),
        "a typo in the plan never stops the report: {stderr}"
    );
    assert_eq!(read(&plan), filled, "the team's plan is never written");
    for named in [
        r#"plan.xlsx, sheet "Plan", row 6, column "Status": "finished" is not a status"#,
        r#"plan.xlsx, sheet "Plan", row 7, column "Ingredient": "Cake" is not an ingredient"#,
        r#"plan.xlsx, sheet "Plan", row 7, column "By when": "next week" is not a date"#,
    ] {
        assert!(stderr.contains(named), "{named} in {stderr}");
    }
    let suggestions = dir.join("plan-suggestions-2026-Q3.xlsx");
    assert!(suggestions.is_file());

    let pdf = dir.join("reports/makeitstick-2026-Q3.pdf");
    let flowing = words(&pdf);
    let text = &flowing;
    for expected in [
        "How your agreed actions stand",
        "Priya Shah",
        "in progress, overdue",
        "1 March 2026",
        "31 December 2026",
        "before 11 August 2026",
        "Since the actions were agreed in 2026-Q1: +25 points, from 55 to 80. Up: more than chance",
        "Rows that could not be read",
        "Row 6, column “Status”",
        "Of the 4 actions in your improvement plan, 1 is done, 1 is in progress and 1 is overdue.",
        "Suggested actions for this round",
        "Our own action:",
    ] {
        assert!(flowing.contains(expected), "{expected:?} in\n{text}");
    }
    let hostile_lines = flowing.matches("=cmd|").count();
    assert!(
        hostile_lines >= 3,
        "hostile text printed as written:\n{text}"
    );
    assert!(!flowing.contains("root:"), "no file was read into the PDF");

    // Owners appear in the report only: never in the history or the data outputs.
    for file in [
        dir.join("makeitstick-history.json"),
        dir.join("reports/makeitstick-2026-Q3.json"),
        dir.join("reports/makeitstick-2026-Q1.json"),
    ] {
        let bytes = String::from_utf8(read(&file)).unwrap();
        for owner in ["Priya", "Okafor", "=cmd|"] {
            assert!(!bytes.contains(owner), "{owner} in {}", file.display());
        }
    }

    // A re-run of the wave never replaces suggestions the team may have edited.
    std::fs::write(&suggestions, b"edited by the team").unwrap();
    let (output, stderr) = report(&dir, &["--force"]);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(read(&suggestions), b"edited by the team");

    // A plan that cannot be opened: a warning, the report still written, and it says so.
    std::fs::write(&plan, b"not a workbook").unwrap();
    let before = read(&pdf);
    let (output, stderr) = report(&dir, &["--force"]);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("the plan") && stderr.contains("cannot be opened"),
        "{stderr}"
    );
    assert_ne!(read(&pdf), before);
    let text = words(&pdf);
    assert!(text.contains("Your plan could not be read"), "{text}");
    assert!(
        text.contains(
            "could not be read, so this report does not show how your agreed actions stand"
        ),
        "{text}"
    );
}

#[test]
fn a_csv_plan_is_read_and_a_libreoffice_resave_still_reads() {
    let (_temp, dir) = project();
    drop_export(&dir, "c-winter.csv");
    drop_export(&dir, "b-summer.csv");
    std::fs::write(
        dir.join("plan.csv"),
        "Ingredient,Action,Owner,By when,Status,How we will know,Agreed in wave,Notes\n\
         Receptive context,Phone every leaver,Dee,01/09/2026,In Progress,,2026-Q3,\n\
         Receptive context,Old habit,Dee,1/2/26,not started,,2026-Q3,\n",
    )
    .unwrap();
    let (output, stderr) = report(&dir, &[]);
    assert!(output.status.success(), "{stderr}");
    assert!(
        !dir.join("plan.xlsx").exists(),
        "plan.csv is the team's plan"
    );
    assert!(
        !dir.join("plan-suggestions-2026-Q3.xlsx").exists(),
        "agreed this wave"
    );
    let flowing = words(&dir.join("reports/makeitstick-2026-Q3.pdf"));
    let text = &flowing;
    assert!(
        flowing.contains("Agreed in this survey round (2026-Q3)"),
        "{text}"
    );
    assert!(flowing.contains("1 is overdue"), "{text}");

    let Ok(status) = std::process::Command::new("soffice")
        .arg("--version")
        .output()
    else {
        println!(
            "note: soffice is not installed; the LibreOffice re-save of plan.xlsx is not tested"
        );
        return;
    };
    assert!(status.status.success());
    std::fs::remove_file(dir.join("plan.csv")).unwrap();
    let filled = dir.join("filled");
    std::fs::create_dir(&filled).unwrap();
    fill_plan(&filled.join("plan.xlsx"));
    let resaved = dir.join("resaved");
    let profile = format!("-env:UserInstallation=file://{}/lo-profile", dir.display());
    let convert = std::process::Command::new("soffice")
        .args([
            &profile,
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
        ])
        .arg(&resaved)
        .arg(filled.join("plan.xlsx"))
        .output()
        .unwrap();
    assert!(
        convert.status.success(),
        "{}",
        String::from_utf8_lossy(&convert.stderr)
    );
    std::fs::copy(resaved.join("plan.xlsx"), dir.join("plan.xlsx")).unwrap();
    let (output, stderr) = report(&dir, &["--force"]);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains(r#"row 6, column "Status""#), "{stderr}");
    let flowing = words(&dir.join("reports/makeitstick-2026-Q3.pdf"));
    assert!(
        flowing.contains("Priya Shah") && flowing.contains("1 March 2026"),
        "{flowing}"
    );
    assert!(flowing.contains("in progress, overdue"), "{flowing}");
}

/// A scheduled run is up to date only while the team's plan is as it was:
/// the plan the first report writes counts as unchanged, and filling it in
/// remakes the report without `--force`.
#[test]
fn filling_in_the_plan_remakes_a_scheduled_report() {
    let (_temp, dir) = project();
    drop_export(&dir, "c-winter.csv");
    drop_export(&dir, "b-summer.csv");
    let (output, stderr) = report(&dir, &[]);
    assert!(output.status.success(), "{stderr}");
    let plan = dir.join("plan.xlsx");
    assert!(plan.is_file(), "the first report writes plan.xlsx");
    let pdf = dir.join("reports/makeitstick-2026-Q3.pdf");
    let first = read(&pdf);

    let (output, stderr) = report(&dir, &["-v"]);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("report for 2026-Q3 is up to date"),
        "the plan this run wrote is not a change: {stderr}"
    );

    fill_plan(&plan);
    let (output, stderr) = report(&dir, &["-v"]);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("wrote reports/makeitstick-2026-Q3.pdf"),
        "{stderr}"
    );
    assert_ne!(read(&pdf), first);
    assert!(words(&pdf).contains("How your agreed actions stand"));

    let (output, stderr) = report(&dir, &["-v"]);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("is up to date"), "{stderr}");
}

/// A plan that is not a regular file (a FIFO left where plan.xlsx was) is a
/// warning and a changed plan: the scheduled run neither blocks reading it
/// for the fingerprint nor stops, and the next run is up to date.
#[cfg(unix)]
#[test]
fn a_plan_that_is_a_fifo_never_blocks_a_scheduled_run() {
    let (_temp, dir) = project();
    drop_export(&dir, "c-winter.csv");
    let (output, stderr) = report(&dir, &[]);
    assert!(output.status.success(), "{stderr}");
    let plan = dir.join("plan.xlsx");
    std::fs::remove_file(&plan).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&plan).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo makes the FIFO");

    let (output, stderr) = report(&dir, &["-v"]);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("it is not a regular file"), "{stderr}");
    assert!(
        stderr.contains("wrote reports/makeitstick-2026-Q1.pdf"),
        "{stderr}"
    );
    let (output, stderr) = report(&dir, &["-v"]);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("is up to date"), "{stderr}");
}
