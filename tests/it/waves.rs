//! The quarterly routine end to end: `init`, exports arriving wave by wave,
//! the history, the trend and the safeguards around them. These run the real
//! typst 0.15.1 (on PATH).
//!
//! The fixtures in `tests/fixtures/waves/` answer only the seven "Receptive
//! context" statements, and every respondent gives the same answer to all of
//! them (reverse-worded ones flipped), so each respondent's score is that
//! answer on 0-100: Neither = 50, Agree = 75, Strongly agree = 100 (and so on).
//! The file names sort differently from the waves on purpose.
//!
//! | file              | completed | managers (5)        | frontline (5)       | others            |
//! |-------------------|-----------|---------------------|---------------------|-------------------|
//! | c-winter.csv      | Feb 2026  | 50 50 50 75 75      | 25 50 50 50 75      |                   |
//! | a-spring.csv      | May 2026  | 50 75 75 75 75      | 25 50 50 50 75      |                   |
//! | b-summer.csv      | Aug 2026  | 75 75 75 100 100    | 50 75 75 75 100     | 2 commissioners, 0 |
//!
//! By hand (sd with n - 1):
//! - 2026-Q1: managers mean 60, sd sqrt((3*100 + 2*225)/4) = sqrt(187.5) = 13.69;
//!   frontline mean 50, sd sqrt(1250/4) = 17.68; everyone (10) mean 550/10 = 55,
//!   sd sqrt((900 + 6*25 + 3*400)/9) = sqrt(250) = 15.81.
//! - 2026-Q2: managers mean 70, sd sqrt((400 + 4*25)/4) = sqrt(125) = 11.18;
//!   frontline 50, 17.68; everyone mean 600/10 = 60, sd sqrt((1225 + 4*100 + 5*225)/9)
//!   = sqrt(305.56) = 17.48.
//! - 2026-Q3: the two commissioners are below the privacy threshold of 5, and
//!   alone in the "other groups" pool, so they are left out of every figure.
//!   Managers mean 85, sd 13.69; frontline 75, sd 17.68; everyone (10) mean 80, sd 15.81.
//!
//! Welch 95% intervals, from those rounded figures:
//! - everyone, Q2 → Q3: v1 = 17.48²/10 = 30.555, v2 = 15.81²/10 = 24.996, se = sqrt(55.551)
//!   = 7.4532; df = 55.551² / (30.555²/9 + 24.996²/9) = 17.82; t = 2.1025; half-width
//!   15.67: 20 ± 15.67 = 4.33 to 35.67, above zero: **up**.
//! - everyone, Q1 → Q3: v1 = v2 = 24.996, se = 7.0704, df = 18.00, t = 2.1009, half-width
//!   14.85: 25 ± 14.85 = 10.15 to 39.85: **up**.
//! - everyone, Q1 → Q2: se = 7.4532, df = 17.82, half-width 15.67: 5 ± 15.67 = -10.67 to
//!   20.67: **no clear change**.
//! - managers, Q2 → Q3: v1 = 11.18²/5 = 24.998, v2 = 13.69²/5 = 37.483, se = 7.9045,
//!   df = 62.482² / (24.998²/4 + 37.483²/4) = 7.69; t = 2.3245; half-width 18.37:
//!   15 ± 18.37 = -3.36 to 33.36: **no clear change** (five people each side).
//! - managers, Q1 → Q3: v1 = v2 = 37.483, se = 8.6583, df = 8, t = 2.3060, half-width
//!   19.97: 25 ± 19.97 = 5.03 to 44.97: **up**.
//! - frontline, Q2 → Q3: v1 = v2 = 17.68²/5 = 62.517, se = 11.182, df = 8, half-width
//!   25.79: 25 ± 25.79 = -0.79 to 50.79: **no clear change**.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use super::common::{fixture, makeitstick, run};

/// A fresh project folder made by `makeitstick init`.
fn project() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("project");
    let (output, stderr) = run(makeitstick().arg("init").arg(&dir));
    assert!(output.status.success(), "{stderr}");
    assert!(
        output.stdout.is_empty() && stderr.is_empty(),
        "init is quiet"
    );
    (temp, dir)
}

/// Copies a wave fixture into the project's exports folder.
fn drop_export(dir: &Path, name: &str) {
    std::fs::copy(
        fixture(&format!("waves/{name}")),
        dir.join("exports").join(name),
    )
    .unwrap();
}

/// Runs `makeitstick report` with `args` in the project folder.
fn report(dir: &Path, args: &[&str]) -> (Output, String) {
    run(makeitstick().current_dir(dir).arg("report").args(args))
}

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn history(dir: &Path) -> Value {
    json(&dir.join("makeitstick-history.json"))
}

/// The figures file (the report's data.json) of a wave.
fn figures(dir: &Path, wave: &str) -> Value {
    json(&dir.join(format!("reports/makeitstick-{wave}.json")))
}

fn waves_in(history: &Value) -> Vec<String> {
    history["waves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["wave"].as_str().unwrap().to_string())
        .collect()
}

/// The "Receptive context" trend of a figures file.
fn context_trend(figures: &Value) -> &Value {
    let trend = &figures["trend"];
    assert_eq!(trend["ingredients"][0]["id"], "context");
    &trend["ingredients"][0]
}

fn group<'a>(ingredient: &'a Value, id: &str) -> &'a Value {
    ingredient["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == id)
        .unwrap_or_else(|| panic!("no group {id}"))
}

/// Asserts a change's verdict and figures.
fn assert_change(change: &Value, status: &str, difference: f64, low: f64, high: f64) {
    assert_eq!(change["status"], status, "{change}");
    assert_eq!(change["changed"], status == "up" || status == "down");
    assert_eq!(change["difference"].as_f64(), Some(difference), "{change}");
    assert_eq!(change["ci_low"].as_f64(), Some(low), "{change}");
    assert_eq!(change["ci_high"].as_f64(), Some(high), "{change}");
}

/// Drops the three exports in one at a time, running the scheduled command each time.
fn three_waves(dir: &Path) {
    for (name, wave) in [
        ("c-winter.csv", "2026-Q1"),
        ("a-spring.csv", "2026-Q2"),
        ("b-summer.csv", "2026-Q3"),
    ] {
        drop_export(dir, name);
        let (output, stderr) = report(dir, &[]);
        assert!(output.status.success(), "{name}: {stderr}");
        assert!(
            output.stdout.is_empty() && stderr.is_empty(),
            "a successful run is quiet: {stderr}"
        );
        assert!(
            dir.join(format!("reports/makeitstick-{wave}.pdf"))
                .is_file()
        );
    }
}

#[test]
fn init_then_three_exports_give_the_hand_computed_trend() {
    let (_temp, dir) = project();
    drop_export(&dir, "c-winter.csv");
    let (output, stderr) = report(&dir, &[]);
    assert!(output.status.success(), "{stderr}");
    // The first wave says so: no trend.
    assert_eq!(figures(&dir, "2026-Q1")["trend"], Value::Null);
    assert_eq!(waves_in(&history(&dir)), ["2026-Q1"]);

    drop_export(&dir, "a-spring.csv");
    let (output, stderr) = report(&dir, &[]);
    assert!(output.status.success(), "{stderr}");
    let second = figures(&dir, "2026-Q2");
    assert_change(
        &context_trend(&second)["since_previous"],
        "no-clear-change",
        5.0,
        -10.67,
        20.67,
    );

    drop_export(&dir, "b-summer.csv");
    let (output, stderr) = report(&dir, &[]);
    assert!(output.status.success(), "{stderr}");
    assert!(output.stdout.is_empty() && stderr.is_empty(), "{stderr}");
    let third = figures(&dir, "2026-Q3");
    let trend = &third["trend"];
    assert_eq!(trend["wave"], "2026-Q3");
    assert_eq!(trend["previous_wave"], "2026-Q2");
    assert_eq!(trend["first_wave"], "2026-Q1");
    assert_eq!(trend["instrument_changed"], false);
    assert_eq!(trend["chart"]["path"], "charts/trend.svg");
    assert!(trend["chart"]["alt"].as_str().unwrap().contains(
        "Receptive context: 55 in 2026-Q1, 60 in 2026-Q2, 80 in 2026-Q3; up 20 since 2026-Q2"
    ));
    let context = context_trend(&third);
    let means: Vec<f64> = context["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["mean"].as_f64().unwrap())
        .collect();
    assert_eq!(means, [55.0, 60.0, 80.0]);
    assert_change(&context["since_previous"], "up", 20.0, 4.33, 35.67);
    assert_change(&context["since_first"], "up", 25.0, 10.15, 39.85);
    let managers = group(context, "managers");
    assert_change(
        &managers["since_previous"],
        "no-clear-change",
        15.0,
        -3.36,
        33.36,
    );
    assert_change(&managers["since_first"], "up", 25.0, 5.03, 44.97);
    let frontline = group(context, "frontline");
    assert_change(
        &frontline["since_previous"],
        "no-clear-change",
        25.0,
        -0.79,
        50.79,
    );
    // Every statement moved from 60 to 80 (everyone answered all seven alike).
    let statement = &context["statements"][0];
    assert_eq!(statement["comparable"], true);
    assert_eq!(statement["previous_mean"].as_f64(), Some(60.0));
    assert_eq!(statement["difference"].as_f64(), Some(20.0));
    // An ingredient nobody was asked about is never called a change.
    assert_eq!(
        trend["ingredients"][1]["since_previous"]["status"],
        "not-shown"
    );

    // The history: sorted waves, published aggregates only.
    let history = history(&dir);
    assert_eq!(history["schema_version"], 2);
    assert_eq!(waves_in(&history), ["2026-Q1", "2026-Q2", "2026-Q3"]);
    let q3 = &history["waves"][2];
    assert_eq!(q3["source"], "b-summer.csv");
    assert_eq!(q3["responses"], 10);
    let overall = &q3["ingredients"][0]["overall"];
    assert_eq!(
        (
            overall["n"].as_u64(),
            overall["mean"].as_f64(),
            overall["sd"].as_f64()
        ),
        (Some(10), Some(80.0), Some(15.81))
    );
    let text = std::fs::read_to_string(dir.join("makeitstick-history.json")).unwrap();
    assert!(
        !text.contains("commissioners") && !text.contains("other-groups"),
        "a group below the threshold never reaches the history"
    );
    assert!(!text.contains("\"row\""), "no row-level data");
}

#[test]
fn a_second_run_with_nothing_new_writes_nothing() {
    let (_temp, dir) = project();
    drop_export(&dir, "c-winter.csv");
    assert!(report(&dir, &[]).0.status.success());
    let pdf = dir.join("reports/makeitstick-2026-Q1.pdf");
    let written = std::fs::metadata(&pdf).unwrap().modified().unwrap();
    let history_before = std::fs::read(dir.join("makeitstick-history.json")).unwrap();

    let (output, stderr) = report(&dir, &[]);
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty() && stderr.is_empty(), "{stderr}");
    let (output, stderr) = report(&dir, &["-v"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stderr.contains("report for 2026-Q1 is up to date")
            && stderr.contains("no new export in exports"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::metadata(&pdf).unwrap().modified().unwrap(),
        written
    );
    assert_eq!(
        std::fs::read(dir.join("makeitstick-history.json")).unwrap(),
        history_before
    );
    // --force writes it again.
    let (output, stderr) = report(&dir, &["--force", "-v"]);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("wrote reports/makeitstick-2026-Q1.pdf"),
        "{stderr}"
    );
}

/// A scheduled report is made from the mapping file's contents, not its
/// name: editing the file remakes the report; leaving it alone does not.
#[test]
fn editing_the_mapping_file_remakes_a_scheduled_report() {
    let (_temp, dir) = project();
    drop_export(&dir, "c-winter.csv");
    let mapping = dir.join("mapping.toml");
    let columns = "[columns]\n\"Which of these best describes you?\" = \"group\"\n";
    std::fs::write(&mapping, columns).unwrap();
    let args = ["--mapping", "mapping.toml", "-v"];
    let written = "wrote reports/makeitstick-2026-Q1.pdf";
    let up_to_date = "report for 2026-Q1 is up to date";
    let (output, stderr) = report(&dir, &args);
    assert!(
        output.status.success() && stderr.contains(written),
        "{stderr}"
    );
    let (output, stderr) = report(&dir, &args);
    assert!(
        output.status.success() && stderr.contains(up_to_date),
        "{stderr}"
    );

    // The same file name, other contents.
    std::fs::write(&mapping, format!("# Checked with the team.\n{columns}")).unwrap();
    let (output, stderr) = report(&dir, &args);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains(written) && !stderr.contains(up_to_date),
        "{stderr}"
    );
    let (output, stderr) = report(&dir, &args);
    assert!(
        output.status.success() && stderr.contains(up_to_date),
        "{stderr}"
    );
}

#[test]
fn running_the_middle_wave_again_replaces_it() {
    let (_temp, dir) = project();
    three_waves(&dir);
    let before = history(&dir);

    // The spring export is corrected (its last respondent, frontline, removed) and run
    // on its own. Frontline staff are then 4, below the threshold of 5, and alone in the
    // pool, so they drop out of every figure: 5 responses (the managers) remain.
    let spring = dir.join("exports/a-spring.csv");
    let text = std::fs::read_to_string(&spring).unwrap();
    let corrected: Vec<&str> = text.lines().take(10).collect();
    std::fs::write(&spring, corrected.join("\n") + "\n").unwrap();
    let (output, stderr) = report(&dir, &["exports/a-spring.csv"]);
    assert!(output.status.success(), "{stderr}");

    let after = history(&dir);
    assert_eq!(
        waves_in(&after),
        ["2026-Q1", "2026-Q2", "2026-Q3"],
        "no duplicate"
    );
    assert_eq!(after["waves"][0], before["waves"][0]);
    assert_eq!(after["waves"][2], before["waves"][2]);
    assert_eq!(after["waves"][1]["responses"], 5);
    let groups = after["waves"][1]["ingredients"][0]["groups"].to_string();
    assert!(!groups.contains("frontline"), "{groups}");
    // The report is for the wave run, with the trend up to it.
    let spring = figures(&dir, "2026-Q2");
    assert_eq!(spring["trend"]["wave"], "2026-Q2");
    assert_eq!(spring["trend"]["waves"].as_array().unwrap().len(), 2);

    // The scheduled run then rebuilds the latest report from the corrected history.
    let (output, stderr) = report(&dir, &[]);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(waves_in(&history(&dir)).len(), 3);
    let summer = figures(&dir, "2026-Q3");
    assert_eq!(summer["trend"]["waves"][1]["responses"], 5);
    let context = context_trend(&summer);
    assert_eq!(
        group(context, "frontline")["since_previous"]["status"],
        "not-shown"
    );
    // Managers alone in spring: 50 75 75 75 75, mean 70, as before.
    assert_eq!(context["series"][1]["mean"].as_f64(), Some(70.0));
}

#[test]
fn a_changed_statement_is_not_compared() {
    let (_temp, dir) = project();
    three_waves(&dir);
    // The old exports are archived (only the history remembers them), a statement is
    // reworded in the project's instrument, and the next export uses the new wording.
    let archive = dir.join("archive");
    std::fs::create_dir(&archive).unwrap();
    for name in ["a-spring.csv", "b-summer.csv", "c-winter.csv"] {
        std::fs::rename(dir.join("exports").join(name), archive.join(name)).unwrap();
    }
    let instrument = dir.join("instrument.toml");
    let text = std::fs::read_to_string(&instrument).unwrap();
    let reworded = text.replace(
        "Staff here feel safe to try something new, even if it might not work.",
        "Staff here feel safe to try new things, even when they might not work.",
    );
    assert_ne!(text, reworded);
    std::fs::write(&instrument, reworded).unwrap();
    drop_export(&dir, "d-autumn-reworded.csv");

    let (output, stderr) = report(&dir, &[]);
    assert!(output.status.success(), "{stderr}");
    let autumn = figures(&dir, "2026-Q4");
    let trend = &autumn["trend"];
    assert_eq!(trend["instrument_changed"], true);
    let notes = trend["instrument_notes"].to_string();
    assert!(
        notes.contains("In 2026-Q4 statement context-3 was reworded."),
        "{notes}"
    );
    let context = context_trend(&autumn);
    assert_eq!(context["comparable_with_previous"], false);
    assert_eq!(context["comparable_since"], "2026-Q4");
    assert_eq!(context["since_previous"]["status"], "not-comparable");
    assert_eq!(context["since_previous"]["changed"], false);
    assert_eq!(context["since_first"]["status"], "not-comparable");
    assert_eq!(context["series"][2]["joins_next"], false);
    // The unchanged statements are still compared (80 then 80), the reworded one is not.
    let statements = context["statements"].as_array().unwrap();
    assert_eq!(statements[0]["comparable"], true);
    assert_eq!(statements[0]["difference"].as_f64(), Some(0.0));
    assert_eq!(statements[2]["id"], "context-3");
    assert_eq!(statements[2]["comparable"], false);
    assert_eq!(statements[2]["difference"], Value::Null);
    assert_eq!(waves_in(&history(&dir)).len(), 4);
}

#[test]
fn a_missing_history_starts_again_and_says_so() {
    let (_temp, dir) = project();
    drop_export(&dir, "c-winter.csv");
    assert!(report(&dir, &[]).0.status.success());
    // The history is lost and the old export archived: only the new export is left.
    std::fs::remove_file(dir.join("makeitstick-history.json")).unwrap();
    std::fs::remove_file(dir.join("exports/c-winter.csv")).unwrap();
    drop_export(&dir, "a-spring.csv");

    let (output, stderr) = report(&dir, &[]);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning: there is no history file at makeitstick-history.json")
            && stderr.contains("2026-Q2 is reported as the first wave"),
        "{stderr}"
    );
    assert_eq!(figures(&dir, "2026-Q2")["trend"], Value::Null);
    assert_eq!(waves_in(&history(&dir)), ["2026-Q2"]);
}

#[test]
fn a_corrupt_history_stops_the_run_and_is_kept() {
    let (_temp, dir) = project();
    let path = dir.join("makeitstick-history.json");
    let damaged = "{\"schema_version\": 1, \"waves\": [{\"wave\": \"2026-Q1\"";
    std::fs::write(&path, damaged).unwrap();
    drop_export(&dir, "c-winter.csv");

    let (output, stderr) = report(&dir, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.starts_with(
            "error: the history makeitstick-history.json is damaged, so nothing was written"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: restore makeitstick-history.json from a backup"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), damaged);
    assert_eq!(std::fs::read_dir(dir.join("reports")).unwrap().count(), 0);
    // A history from a newer version is refused the same way.
    std::fs::write(&path, "{\"schema_version\": 7, \"waves\": []}").unwrap();
    let (output, stderr) = report(&dir, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("has schema_version 7"), "{stderr}");
}

#[test]
fn init_refuses_to_overwrite() {
    let (_temp, dir) = project();
    let config = dir.join("makeitstick.toml");
    std::fs::write(&config, "schema-version = 1\norganisation = \"Mine\"\n").unwrap();
    let (output, stderr) = run(makeitstick().arg("init").arg(&dir));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("makeitstick.toml")
            && stderr.contains("already exists; init never overwrites"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: "), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        "schema-version = 1\norganisation = \"Mine\"\n"
    );
}

#[test]
fn exports_on_the_command_line_need_no_project() {
    let temp = tempfile::tempdir().unwrap();
    let pdf = temp.path().join("out.pdf");
    let build = temp.path().join("build");
    let (output, stderr) = run(makeitstick()
        .current_dir(temp.path())
        .arg("report")
        .arg(fixture("waves/b-summer.csv"))
        .arg(fixture("waves/a-spring.csv"))
        .arg(fixture("waves/c-winter.csv"))
        .arg("-o")
        .arg(&pdf)
        .arg("--keep-build")
        .arg(&build));
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert!(pdf.is_file());
    let data = json(&build.join("data.json"));
    assert_change(
        &context_trend(&data)["since_previous"],
        "up",
        20.0,
        4.33,
        35.67,
    );
    assert!(build.join("charts/trend.svg").is_file());
    // No history and no lock file is left behind without a project or --history.
    let left: Vec<String> = std::fs::read_dir(temp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
}

#[test]
fn waves_come_from_flags_file_names_or_financial_quarters() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("fy");
    let (output, stderr) = run(makeitstick()
        .args([
            "init",
            "--waves",
            "financial",
            "--organisation",
            "Northshire",
        ])
        .arg(&dir));
    assert!(output.status.success(), "{stderr}");
    drop_export(&dir, "b-summer.csv");
    let (output, stderr) = report(&dir, &[]);
    assert!(output.status.success(), "{stderr}");
    // August 2026 is in the second quarter of the financial year April 2026 to March 2027.
    assert!(dir.join("reports/makeitstick-2026-27-Q2.pdf").is_file());
    assert_eq!(waves_in(&history(&dir)), ["2026-27 Q2"]);
    assert_eq!(figures(&dir, "2026-27-Q2")["organisation"], "Northshire");

    // A wave in the file name wins over the dates.
    std::fs::copy(
        fixture("waves/c-winter.csv"),
        dir.join("exports/survey-2026-27 Q3.csv"),
    )
    .unwrap();
    let (output, stderr) = report(&dir, &["-v"]);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("wave 2026-27 Q3 (from the file name)"),
        "{stderr}"
    );

    // --wave is for one export only, and must be a quarter.
    let (output, stderr) = report(&dir, &["--wave", "2026-Q3", "a.csv", "b.csv"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("--wave names the wave of a single export"),
        "{stderr}"
    );
    let (output, _) = report(&dir, &["--wave", "autumn", "a.csv"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_second_run_waits_for_the_first() {
    let (_temp, dir) = project();
    drop_export(&dir, "c-winter.csv");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(".makeitstick.lock"))
        .unwrap();
    lock.try_lock().unwrap();
    let (output, stderr) = report(&dir, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("another makeitstick run"), "{stderr}");
    assert!(!dir.join("makeitstick-history.json").exists());
    drop(lock);
    assert!(report(&dir, &[]).0.status.success());
}

/// One mistyped year (2031 for 2026) in an export named without a wave would
/// file it under 2031-Q1, and the history would keep that wave for ever: the
/// run stops, naming the dates and what to do, and writes nothing. With the
/// wave in the file name the same export is reported (with a warning).
#[test]
fn a_mistyped_year_never_names_a_wave() {
    let (_temp, dir) = project();
    let text = std::fs::read_to_string(fixture("waves/c-winter.csv")).unwrap();
    let typo = text.replacen("2026-02-03 09:10:00", "2031-02-03 09:10:00", 1);
    assert_ne!(typo, text);
    std::fs::write(dir.join("exports/winter.csv"), &typo).unwrap();

    let (output, stderr) = report(&dir, &[]);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    for words in [
        "winter.csv run from 2 February 2026 to 3 February 2031, more than a year apart",
        "look for a mistyped year near 3 February 2031",
    ] {
        assert!(stderr.contains(words), "{words:?} in {stderr}");
    }
    assert!(!dir.join("makeitstick-history.json").exists());
    assert_eq!(std::fs::read_dir(dir.join("reports")).unwrap().count(), 0);

    std::fs::rename(
        dir.join("exports/winter.csv"),
        dir.join("exports/winter-2026-Q1.csv"),
    )
    .unwrap();
    let (output, stderr) = report(&dir, &[]);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("more than a year apart"), "{stderr}");
    assert!(dir.join("reports/makeitstick-2026-Q1.pdf").is_file());
}
