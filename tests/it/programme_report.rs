//! The programme report through its library function (before the CLI runs
//! it): data.json snapshot of a small deterministic programme, and the real
//! typst building the PDF, read back with pdftotext, byte-identical twice.

use std::path::{Path, PathBuf};

use makeitstick::instrument::Instrument;
use makeitstick::programme::summary::{ProgrammeSummary, summarise};
use makeitstick::report::programme::{
    PROGRAMME_MAIN_FILE, ProgrammeCover, ProgrammeInputs, build, write_build_folder,
};

use crate::common::programme::{BIG, MID, site};
use crate::common::{assert_says, pdf_text, typeset};

/// Seven sites: "Brightwater" well above everyone, "Greyfield" well below,
/// "Tiny Steps" with too few responses.
fn programme() -> ProgrammeSummary {
    let small = [5, 6, 0, 0, 0, 0];
    let large = [10, 20, 20, 10, 0, 0];
    let sites = vec![
        site(
            "oakham",
            "Oakham Council",
            MID,
            60.0,
            [2.0, -8.0, 0.0, -3.0, 1.0],
        ),
        site(
            "brightwater",
            "Brightwater Partnership",
            BIG,
            80.0,
            [0.0; 5],
        ),
        site("greyfield", "Greyfield Borough", BIG, 40.0, [0.0; 5]),
        site(
            "harbourside",
            "Harbourside Council",
            small,
            58.0,
            [-2.0, -6.0, 3.0, 1.0, 0.0],
        ),
        site(
            "tiny",
            "Tiny Steps Trust",
            [0, 7, 0, 0, 0, 0],
            50.0,
            [0.0; 5],
        ),
        site(
            "eastmoor",
            "Eastmoor Trust",
            MID,
            61.0,
            [1.0, -9.0, -2.0, 2.0, -1.0],
        ),
        site(
            "westvale",
            "Westvale",
            large,
            59.0,
            [-1.0, -7.0, 2.0, 0.0, 2.0],
        ),
    ];
    summarise(&sites, &Instrument::load(None).unwrap(), 5, 10)
}

fn inputs(summary: &ProgrammeSummary) -> ProgrammeInputs<'_> {
    ProgrammeInputs {
        summary,
        // A site whose latest answers are from the round before.
        not_this_wave: vec!["Late Council".into()],
        cover: ProgrammeCover {
            programme: "Staying Close".into(),
            wave: "2026-q3".into(),
            period: Some("1 to 30 September 2026".into()),
        },
        site_threshold: 10,
        min_group_size: 5,
        trend: None,
    }
}

#[test]
fn programme_data_json() {
    let summary = programme();
    let (data, charts) = build(inputs(&summary));
    assert_eq!(charts.len(), 5);
    insta::assert_json_snapshot!("programme_data_json", data);
}

/// Builds the PDF into `dir/name.pdf` with the real typst.
fn typeset_programme(dir: &Path, name: &str) -> PathBuf {
    let summary = programme();
    let (data, charts) = build(inputs(&summary));
    let folder = dir.join(format!("{name}-build"));
    let warnings = write_build_folder(&folder, &data, &charts, None).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let pdf = dir.join(format!("{name}.pdf"));
    typeset(&folder, PROGRAMME_MAIN_FILE, &pdf);
    pdf
}

/// The first word of each site's row in the table, in alphabetical order.
const TABLE: [&str; 7] = [
    "Brightwater",
    "Eastmoor",
    "Greyfield",
    "Harbourside",
    "Oakham",
    "Tiny",
    "Westvale",
];

#[test]
fn the_programme_report_typesets_names_sites_outside_and_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = typeset_programme(dir.path(), "a");
    let text = pdf_text(&pdf);
    assert_says(
        &text,
        &[
            "Staying Close: programme report",
            "How to read a funnel plot",
            "Why not a league table?",
            "Brightwater Partnership is well above the programme: beyond the 99.8% limits.",
            "Greyfield Borough is well below the programme: beyond the 99.8% limits.",
            "Too few responses to include: Tiny Steps Trust.",
            "Sites with no answers for this survey round (not in the figures) 1",
            "No answers for this survey round: Late Council. Their latest answers are from another round",
            "hidden groups are pooled only when at least two of them together reach 5 responses",
            "every respondent of the counted sites, pooled",
            "Co-production lens across sites",
            "Which ingredients go together",
        ],
    );
    // The table: alphabetical rows with numbers; the small site has none.
    assert!(TABLE.is_sorted());
    let rows: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| TABLE.iter().any(|n| l.starts_with(n)))
        .collect();
    let order: Vec<&str> = rows
        .iter()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let first_table = order
        .windows(TABLE.len())
        .position(|w| w == TABLE)
        .unwrap_or_else(|| panic!("no alphabetical table in {rows:?}"));
    let numbers = |row: &str| -> Vec<String> {
        row.split_whitespace()
            .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
            .map(String::from)
            .collect()
    };
    assert_eq!(
        numbers(rows[first_table]),
        ["110", "82", "82", "82", "82", "82"]
    );
    // The small site: a dash for every score, and no number at all.
    let tiny = rows[first_table + 5];
    assert_eq!(tiny.matches('–').count(), 5, "{tiny}");
    assert!(!tiny.contains(|c: char| c.is_ascii_digit()), "{tiny}");
    // Alt text on every figure: each funnel's title names the sites outside.
    let build = dir.path().join("a-build");
    for id in [
        "context",
        "coproduction",
        "leadership",
        "outcomes",
        "adaptation",
    ] {
        let svg = std::fs::read_to_string(build.join(format!("charts/funnel-{id}.svg"))).unwrap();
        assert!(svg.contains("<title>Funnel plot of "), "{id}");
        assert!(svg.contains("Brightwater Partnership is above the 99.8% limits."));
    }
    // Every chart is a figure with /Alt (Typst writes the structure tree uncompressed).
    let bytes = std::fs::read(&pdf).unwrap();
    let count = |key: &[u8]| bytes.windows(key.len()).filter(|w| *w == key).count();
    assert_eq!(count(b"/Alt"), 5, "one /Alt per funnel plot");
    let structure = std::process::Command::new("pdfinfo")
        .arg("-struct")
        .arg(&pdf)
        .output()
        .expect("pdfinfo is installed (poppler-utils)");
    let figures = String::from_utf8_lossy(&structure.stdout)
        .lines()
        .filter(|l| l.trim() == "Figure:" || l.trim_start().starts_with("Figure "))
        .count();
    assert_eq!(figures, 5, "one figure per funnel plot");
    let again = typeset_programme(dir.path(), "b");
    assert!(bytes == std::fs::read(again).unwrap(), "not byte-identical");
}
