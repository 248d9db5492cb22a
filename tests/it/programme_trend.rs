//! The programme's history and trend page: two waves kept in
//! programme-history.json (saved and loaded back), and the real typst
//! building the programme report with its "Since last time" page, read back
//! with pdftotext.

use makeitstick::instrument::Instrument;
use makeitstick::programme::history::{PROGRAMME_HISTORY_FILE, ProgrammeHistory, ProgrammeWave};
use makeitstick::programme::summary::{ProgrammeSummary, summarise};
use makeitstick::report::programme::{
    PROGRAMME_MAIN_FILE, ProgrammeCover, ProgrammeInputs, build, write_build_folder,
};
use makeitstick::report::programme_trend::ProgrammeTrendInputs;

use crate::common::programme::{BIG, MID, site};
use crate::common::{assert_says, pdf_text, typeset};

/// Four sites; every site's co-production score is `coproduction` points off its level.
fn summary(coproduction: f64) -> ProgrammeSummary {
    let offsets = [0.0, coproduction, 0.0, 0.0, 0.0];
    let sites = vec![
        site("oakham", "Oakham Council", MID, 60.0, offsets),
        site("brightwater", "Brightwater Partnership", BIG, 66.0, offsets),
        site("greyfield", "Greyfield Borough", BIG, 55.0, offsets),
        site("westvale", "Westvale", MID, 58.0, offsets),
    ];
    summarise(&sites, &Instrument::load(None).unwrap(), 5, 10)
}

#[test]
fn the_programme_report_shows_how_its_scores_moved() {
    let instrument = Instrument::load(None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(PROGRAMME_HISTORY_FILE);
    // A wave's figures put in `history`, saved to `path`.
    let save = |mut history: ProgrammeHistory, wave: &str, summary: &ProgrammeSummary| {
        let wave = wave.parse().unwrap();
        history.put(ProgrammeWave::from_summary(
            wave,
            summary,
            &instrument,
            5,
            10,
        ));
        history.save(&path).unwrap();
    };
    let earlier = summary(0.0);
    save(ProgrammeHistory::default(), "2026-Q2", &earlier);
    let latest = summary(-9.0);
    save(
        ProgrammeHistory::load(&path).unwrap().unwrap(),
        "2026-Q3",
        &latest,
    );
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
        not_this_wave: Vec::new(),
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
    typeset(&folder, PROGRAMME_MAIN_FILE, &pdf);
    assert_says(
        &pdf_text(&pdf),
        &[
            "Since last time",
            "The survey has run 2 times in this programme: 2026-Q2 and",
            "Co-production went down 9 points since 2026-Q2",
            "more than chance would explain",
            "The programme’s scores over time",
            "Each ingredient since 2026-Q2",
            "No clear change",
        ],
    );
    // One /Alt per figure: the funnel plots and the trend chart.
    let bytes = std::fs::read(&pdf).unwrap();
    let alts = bytes.windows(4).filter(|w| *w == b"/Alt").count();
    assert_eq!(alts, charts.len());
}
