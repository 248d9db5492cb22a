//! Issue 13 end to end: `makeitstick report` in a copy of the sample
//! programme (`sample-data/programme`, written by
//! `examples/programme_sample.rs`) makes every site's report and the
//! programme's report with the real typst; their words are read back with
//! pdftotext and every output file is searched for what must not be there.
//! Skipped, with a note, when typst 0.15.1 or pdftotext is missing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use makeitstick::programme::ProgrammeConfig;
use serde_json::Value;

use crate::common::*;

/// The sample's sites, as `examples/programme_sample.rs` plans them.
const SITES: usize = 13;
const SMALL_SITE: &str = "Tiny Steps Trust";
const ABOVE: &str = "Brightwater Partnership";
const BELOW: &str = "Greyfield Borough";
const HIDING: &str = "harbourside";
/// The hidden group's name as reports print it.
const YOUNG_PEOPLE: &str = "Care-experienced young people";

/// Whether the real tools are here; says why not on stderr.
fn tools() -> bool {
    let typst = Command::new("typst").arg("--version").output();
    let typst = typst.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("0.15.1"));
    let pdftotext = Command::new("pdftotext").arg("-v").output().is_ok();
    if !(typst && pdftotext) {
        eprintln!(
            "skipped: needs typst 0.15.1 and pdftotext (scripts/ensure-tools.sh --test-tools)"
        );
    }
    typst && pdftotext
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A run of the programme in a copy of `sample-data/<name>`, made once per
/// test binary and shared by the tests that read it.
struct Run {
    /// The copy: programme.toml, sites/ (with each site's history), reports/.
    folder: PathBuf,
    /// The programme report.
    programme: PathBuf,
    /// Each site's report, by site id.
    sites: BTreeMap<String, PathBuf>,
}

fn run_programme(name: &str) -> Run {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("programme-e2e")
        .join(name);
    if folder.exists() {
        std::fs::remove_dir_all(&folder).unwrap();
    }
    copy_dir(&sample(name), &folder);
    let (output, stderr) = report_in(&folder, &[]);
    assert!(
        output.status.success(),
        "the programme run failed:\n{stderr}"
    );
    let reports = folder.join("reports");
    let pdfs = |dir: &Path| -> Vec<PathBuf> {
        files(dir)
            .into_iter()
            .filter(|p| p.parent() == Some(dir) && p.extension().is_some_and(|e| e == "pdf"))
            .collect()
    };
    let programme = pdfs(&reports);
    assert_eq!(programme.len(), 1, "one programme report: {programme:?}");
    // reports/sites/<id>-<wave>.pdf, the wave being 2026-Q3.
    let sites = pdfs(&reports.join("sites"))
        .into_iter()
        .map(|pdf| {
            let stem = pdf.file_stem().unwrap().to_string_lossy().to_string();
            let id = stem.strip_suffix("-2026-Q3").unwrap_or(&stem).to_string();
            (id, pdf)
        })
        .collect();
    Run {
        folder,
        programme: programme[0].clone(),
        sites,
    }
}

/// The folder-sites sample, run once for every test here.
fn folders() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| run_programme("programme"))
}

/// The text of each page of a PDF, each page's lines and spaces flattened.
fn pages(pdf: &Path) -> Vec<String> {
    pdf_text(pdf).split('\u{c}').map(flat).collect()
}

/// Promise: one run with no flags gives every site its report and the
/// programme its report; the small site is listed as having too few
/// responses and is in no funnel plot; the two sites built to lie outside the
/// funnel limits are named on every ingredient's funnel page, and they are
/// the only sites named there.
#[test]
fn the_sample_programme_reports_every_site_and_names_the_sites_outside() {
    if !tools() {
        return;
    }
    let run = folders();
    assert_eq!(run.sites.len(), SITES, "{:?}", run.sites.keys());
    assert!(run.sites.contains_key("tiny-steps") && run.sites.contains_key(HIDING));

    let programme = pages(&run.programme);
    let glance = programme
        .iter()
        .find(|p| p.contains("At a glance"))
        .expect("an At a glance page");
    assert!(
        glance.contains(&format!("Too few responses to include: {SMALL_SITE}.")),
        "{glance}"
    );

    let funnels: Vec<&String> = programme
        .iter()
        .filter(|p| p.contains("Sites outside the limits"))
        .collect();
    assert_eq!(funnels.len(), 5, "one funnel page per ingredient");
    let config = ProgrammeConfig::load(&run.folder.join("programme.toml")).unwrap();
    let others: Vec<&str> = config
        .sites
        .iter()
        .map(|site| site.name.as_str())
        .filter(|name| ![ABOVE, BELOW].contains(name))
        .collect();
    assert_eq!(others.len(), SITES - 2, "{others:?}");
    for page in funnels {
        for (name, words) in [(ABOVE, "well above"), (BELOW, "well below")] {
            let sentence = format!("{name} is {words} the programme: beyond the 99.8% limits.");
            assert!(page.contains(&sentence), "no {sentence:?} in:\n{page}");
        }
        for other in &others {
            assert!(!page.contains(other), "{other} on a funnel page:\n{page}");
        }
    }
}

/// Promise: Harbourside's two young people, hidden in its report, are in no
/// figure of any file the run writes for it (its PDF, JSON, CSV and
/// history), and Harbourside is in no row of the programme report's
/// co-production lens, which compares young people with professionals.
#[test]
fn the_hidden_group_is_in_no_figure_of_any_output() {
    if !tools() {
        return;
    }
    let run = folders();
    let mut checked = 0;
    for file in files(&run.folder) {
        let name = file.to_string_lossy().to_string();
        if !name.contains(HIDING) || name.contains("/exports/") {
            continue;
        }
        checked += 1;
        match file.extension().and_then(|e| e.to_str()) {
            Some("pdf") => {
                for line in pdf_text(&file).lines() {
                    if line.contains(YOUNG_PEOPLE) {
                        let rest = line.replace("fewer than 5", "");
                        assert!(
                            !rest.chars().any(|c| c.is_ascii_digit()),
                            "{name}: a figure beside the hidden group: {line}"
                        );
                    }
                }
            }
            Some("json") => {
                let value: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
                let mut hidden = Vec::new();
                groups_with_id(&value, "young-people", &mut hidden);
                // The report's figures list the group as not shown; the history leaves it out.
                if name.contains("/reports/") {
                    assert!(!hidden.is_empty(), "{name}: the group is not listed at all");
                }
                for group in hidden {
                    assert!(
                        figures(group).is_empty(),
                        "{name}: a figure for the hidden group: {group}"
                    );
                }
            }
            Some("csv") => {
                let mut reader = csv::Reader::from_path(&file).unwrap();
                let headers = reader.headers().unwrap().clone();
                let column = |n: &str| headers.iter().position(|h| h == n).unwrap();
                let (group, measure, value) = (column("group"), column("measure"), column("value"));
                for record in reader.records() {
                    let record = record.unwrap();
                    if &record[group] == "young-people" {
                        assert_eq!(
                            (&record[measure], &record[value]),
                            ("shown", "0"),
                            "{name}: {record:?}"
                        );
                    }
                }
            }
            other => panic!("{name}: an output of unknown kind {other:?}"),
        }
    }
    assert_eq!(checked, 4, "the PDF, JSON, CSV and history of {HIDING}");
    // The same search finds the young people's figures of a site that shows them.
    let shown = run.sites["ashford"].with_extension("json");
    let value: Value = serde_json::from_slice(&std::fs::read(shown).unwrap()).unwrap();
    let mut groups = Vec::new();
    groups_with_id(&value, "young-people", &mut groups);
    assert!(groups.iter().any(|g| figures(g).len() == 7), "{groups:?}");

    for page in pages(&run.programme) {
        if page.contains("Lived experience") {
            assert!(!page.contains("Harbourside"), "{page}");
        }
    }
}

/// Every object in `value` whose `id` is `id`.
fn groups_with_id<'a>(value: &'a Value, id: &str, found: &mut Vec<&'a Value>) {
    match value {
        Value::Object(map) => {
            if map.get("id").and_then(Value::as_str) == Some(id) {
                found.push(value);
            }
            map.values().for_each(|v| groups_with_id(v, id, found));
        }
        Value::Array(items) => items.iter().for_each(|v| groups_with_id(v, id, found)),
        _ => {}
    }
}

/// The figure fields a group's object holds (a count, a score, its range or
/// band); a hidden group's object may hold its id, name and `shown: false`,
/// and be pointed at by position, but no figure.
fn figures(group: &Value) -> Vec<&str> {
    ["n", "mean", "median", "sd", "ci_low", "ci_high", "band"]
        .into_iter()
        .filter(|key| group.get(key).is_some_and(|v| !v.is_null()))
        .collect()
}

/// Promise: one combined export with a site question gives the same reports,
/// byte for byte, as a folder per site holding the same answers: every
/// site's PDF, JSON and CSV, and the programme report.
#[test]
fn a_combined_export_gives_the_same_reports_as_site_folders() {
    if !tools() {
        return;
    }
    let folders = folders();
    let combined = run_programme("programme-combined");
    let outputs = |run: &Run| -> Vec<PathBuf> {
        let reports = run.folder.join("reports");
        files(&reports)
            .into_iter()
            .map(|f| f.strip_prefix(&reports).unwrap().to_path_buf())
            .collect()
    };
    let names = outputs(folders);
    // The programme's PDF, JSON, CSV and history; each site's PDF, JSON and CSV.
    assert_eq!(names.len(), 4 + 3 * SITES, "{names:?}");
    assert_eq!(names, outputs(&combined));
    for name in &names {
        let read = |run: &Run| std::fs::read(run.folder.join("reports").join(name)).unwrap();
        assert!(
            read(folders) == read(&combined),
            "{} differs between the two ways",
            name.display()
        );
    }
}
