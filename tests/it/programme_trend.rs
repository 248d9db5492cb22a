//! The programme's history and trend page: two waves kept in
//! programme-history.json (saved and loaded back), and the real typst
//! building the programme report with its "Since last time" page, read back
//! with pdftotext.

use std::time::Duration;

use makeitstick::instrument::Instrument;
use makeitstick::programme::history::{PROGRAMME_HISTORY_FILE, ProgrammeHistory, ProgrammeWave};
use makeitstick::programme::summary::{ProgrammeSummary, summarise};
use makeitstick::report::programme::{
    PROGRAMME_MAIN_FILE, ProgrammeCover, ProgrammeInputs, build, write_build_folder,
};
use makeitstick::report::programme_trend::ProgrammeTrendInputs;
use makeitstick::report::typst::{CompileJob, Typst};

use crate::common::pdf_text;
use crate::programme_report::site;

/// Four sites; every site's co-production score is `coproduction` points off its level.
fn summary(coproduction: f64) -> ProgrammeSummary {
    let big = [20, 40, 30, 10, 10, 0];
    let mid = [6, 12, 8, 6, 0, 0];
    let offsets = [0.0, coproduction, 0.0, 0.0, 0.0];
    let sites = vec![
        site("oakham", "Oakham Council", mid, 60.0, offsets),
        site("brightwater", "Brightwater Partnership", big, 66.0, offsets),
        site("greyfield", "Greyfield Borough", big, 55.0, offsets),
        site("westvale", "Westvale", mid, 58.0, offsets),
    ];
    summarise(&sites, &Instrument::load(None).unwrap(), 5, 10)
}

#[test]
fn the_programme_report_shows_how_its_scores_moved() {
    let instrument = Instrument::load(None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(PROGRAMME_HISTORY_FILE);
    let mut history = ProgrammeHistory::default();
    let earlier = summary(0.0);
    history.put(ProgrammeWave::from_summary(
        "2026-Q2".parse().unwrap(),
        &earlier,
        &instrument,
        5,
        10,
    ));
    history.save(&path).unwrap();
    let latest = summary(-9.0);
    let mut history = ProgrammeHistory::load(&path).unwrap().unwrap();
    history.put(ProgrammeWave::from_summary(
        "2026-Q3".parse().unwrap(),
        &latest,
        &instrument,
        5,
        10,
    ));
    history.save(&path).unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    for site in ["Oakham", "oakham", "Brightwater", "Westvale"] {
        assert!(!saved.contains(site), "{site} in the programme history");
    }

    let figures = ProgrammeHistory::load(&path)
        .unwrap()
        .unwrap()
        .trend("2026-Q3".parse().unwrap())
        .unwrap();
    let (data, charts) = build(ProgrammeInputs {
        summary: &latest,
        cover: ProgrammeCover {
            programme: "Staying Close".into(),
            wave: "2026-Q3".into(),
            period: None,
        },
        site_threshold: 10,
        min_group_size: 5,
        trend: Some(ProgrammeTrendInputs {
            figures,
            bands: makeitstick::score::band_info(&instrument),
        }),
    });
    assert!(charts.iter().any(|c| c.file_name == "trend.svg"));
    let folder = dir.path().join("build");
    let warnings = write_build_folder(&folder, &data, &charts, None).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let pdf = dir.path().join("programme.pdf");
    Typst::find(None)
        .expect("typst 0.15.1 is installed")
        .compile(&CompileJob {
            root: &folder,
            main: &folder.join(PROGRAMME_MAIN_FILE),
            fonts: &folder.join("fonts"),
            output: &pdf,
            creation_timestamp: 1_790_000_000,
            timeout: Duration::from_secs(300),
        })
        .unwrap();
    if let Ok(keep) = std::env::var("MAKEITSTICK_KEEP_PDF") {
        std::fs::copy(&pdf, keep).unwrap();
    }
    let text = pdf_text(&pdf);
    let flowing = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for words in [
        "Since last time",
        "The survey has run 2 times in this programme: 2026-Q2 and",
        "Co-production went down 9 points since 2026-Q2",
        "more than chance would explain",
        "The programme’s scores over time",
        "Each ingredient since 2026-Q2",
        "No clear change",
    ] {
        assert!(flowing.contains(words), "missing {words:?} in:\n{text}");
    }
    // One /Alt per figure: the funnel plots and the trend chart.
    let bytes = std::fs::read(&pdf).unwrap();
    let alts = bytes.windows(4).filter(|w| *w == b"/Alt").count();
    assert_eq!(alts, charts.len());
}
