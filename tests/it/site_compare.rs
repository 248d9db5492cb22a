//! A site's report in a programme: the sample export as one site among
//! others, its "How you compare" section in data.json (snapshot, and no other
//! site's name unless programme.toml allows it), and the real typst building
//! the PDF, read back with pdftotext.

use std::path::{Path, PathBuf};

use makeitstick::instrument::{Instrument, MapOptions, RowMapper, question_columns};
use makeitstick::programme::site::SiteFigures;
use makeitstick::programme::summary::{how_you_compare, summarise};
use makeitstick::report::compare::SiteComparison;
use makeitstick::report::data::{Cover, ReportInputs};
use makeitstick::report::{MAIN_FILE, ReportData, write_build_folder};
use makeitstick::score::{self, Scores};

use crate::common::programme::{BIG, MID, site};
use crate::common::{assert_says, flat, pdf_text, sample_csv, typeset};

/// The other sites' names: none may reach a report that may not name them.
const OTHERS: [&str; 4] = ["Brightwater", "Greyfield", "Oakham", "Tiny Steps"];

/// The sample export's scores and its figures as the site "northshire".
fn sample_site(instrument: &Instrument) -> (Scores, SiteFigures) {
    let options = makeitstick::ingest::ReadOptions {
        questions: Some(question_columns(instrument, &MapOptions::default())),
        ..Default::default()
    };
    let rows = makeitstick::ingest::stream(&sample_csv(), &options).unwrap();
    let mapper = RowMapper::new(rows.summary(), instrument, &MapOptions::default()).unwrap();
    let read = score::read::tally_rows(rows, mapper, instrument, false).unwrap();
    let mut tally = read.tally;
    tally.date_order = read.summary.date_order().unwrap();
    let site = SiteFigures::from_tally("northshire", "Northshire", &tally, instrument, 5);
    let scores = score::finish(
        &tally,
        instrument,
        5,
        Some("2026-Q3".into()),
        score::ReadCounts {
            group_column_found: true,
            without_answers: 0,
            excluded: Vec::new(),
            test_responses: 0,
        },
    );
    (scores, site)
}

/// The site report of the sample in a programme of five sites, one of them too small.
fn site_report(named: bool) -> (ReportData, Vec<makeitstick::charts::Chart>) {
    let instrument = Instrument::load(None).unwrap();
    let (scores, own) = sample_site(&instrument);
    let sites = vec![
        own,
        site("brightwater", "Brightwater", BIG, 85.0, [0.0; 5]),
        site("greyfield", "Greyfield", BIG, 35.0, [0.0; 5]),
        site("oakham", "Oakham", MID, 60.0, [2.0, -8.0, 0.0, -3.0, 1.0]),
        site("tiny", "Tiny Steps", [0, 7, 0, 0, 0, 0], 50.0, [0.0; 5]),
    ];
    let summary = summarise(&sites, &instrument, 5, 10);
    let figures = how_you_compare(&summary, &sites, "northshire", named).unwrap();
    ReportData::build(ReportInputs {
        instrument: &instrument,
        scores,
        cover: Cover {
            organisation: Some("Northshire".into()),
            innovation: Some("Staying Close".into()),
            accent: makeitstick::colour::Accent::DEFAULT.to_string(),
            logo: None,
        },
        trend: None,
        comments: None,
        actions: None,
        compare: Some(SiteComparison {
            figures,
            site_threshold: 10,
        }),
    })
}

/// Writes the build folder into `dir/name-build`; its data.json as text.
fn build_folder(dir: &Path, name: &str, named: bool) -> (PathBuf, String) {
    let (data, charts) = site_report(named);
    let folder = dir.join(format!("{name}-build"));
    let warnings = write_build_folder(&folder, &data, &charts, None).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let json = std::fs::read_to_string(folder.join("data.json")).unwrap();
    (folder, json)
}

#[test]
fn the_site_report_data_names_no_other_site_and_is_snapshotted() {
    let dir = tempfile::tempdir().unwrap();
    let (folder, json) = build_folder(dir.path(), "a", false);
    for other in OTHERS.iter().chain(&["brightwater", "greyfield", "oakham"]) {
        assert!(!json.contains(other), "{other} in data.json");
    }
    assert!(folder.join("charts/compare.svg").is_file());
    let data: serde_json::Value = serde_json::from_str(&json).unwrap();
    insta::assert_json_snapshot!("site_compare_section", data["compare"]);

    let (_, named) = build_folder(dir.path(), "b", true);
    for other in ["Brightwater", "Greyfield", "Oakham"] {
        assert!(
            named.contains(other),
            "{other} missing when sites may be named"
        );
    }
    // A site too small to be compared is listed by no report, named or not.
    assert!(!named.contains("Tiny Steps"));
}

#[test]
fn the_single_report_has_no_compare_key() {
    let instrument = Instrument::load(None).unwrap();
    let (scores, _) = sample_site(&instrument);
    let (data, charts) = ReportData::build(ReportInputs {
        instrument: &instrument,
        scores,
        cover: Cover::default(),
        trend: None,
        comments: None,
        actions: None,
        compare: None,
    });
    let json = serde_json::to_value(&data).unwrap();
    assert!(json.get("compare").is_none());
    assert!(!charts.iter().any(|c| c.file_name == "compare.svg"));
}

#[test]
fn the_site_report_typesets_how_you_compare() {
    let dir = tempfile::tempdir().unwrap();
    let (folder, _) = build_folder(dir.path(), "a", false);
    let pdf = dir.path().join("site.pdf");
    typeset(&folder, MAIN_FILE, &pdf);
    let text = pdf_text(&pdf);
    assert_says(
        &text,
        &[
            "How you compare",
            "sites in the programme that had 10 or more responses this time: 4 sites in all.",
            "Your scores beside the programme",
            "Where your scores sit",
            "Middle half of sites",
            "for a site of your size",
            "How you compare: the sites of the programme with 10 or more responses",
        ],
    );
    let flowing = flat(&text);
    for other in OTHERS {
        assert!(!flowing.contains(other), "{other} in the PDF");
    }
    // The contents list has the section.
    let contents = flowing.split("How to read this report").next().unwrap();
    assert!(contents.contains("How you compare"), "{contents}");
}
