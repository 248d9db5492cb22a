//! The report's content and structure, read back from real PDFs: every section,
//! figures taken from the scores JSON, alternative text on every figure, a
//! template error shown with its file, and the smallest and largest reports.
//!
//! Set `MAKEITSTICK_KEEP_REPORTS` to a folder to keep each PDF for looking at.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::*;

/// The sample report, as the README builds it.
fn sample_report(dir: &Path) -> Built {
    build_report(
        dir,
        "sample",
        &sample_xlsx(),
        &[
            "--organisation",
            "Northshire County Council",
            "--innovation",
            "Staying Close Northshire",
        ],
    )
}

/// The sample's `data.json`: the template's whole input, with every decision
/// the report makes (priorities, plan, ranks, largest change) visible to a
/// test. The same input writes the same bytes.
#[test]
fn the_sample_data_json_is_deterministic_and_snapshotted() {
    let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let read = |built: Built| std::fs::read_to_string(built.build.join("data.json")).unwrap();
    let data = read(sample_report(first.path()));
    assert_eq!(
        data,
        read(sample_report(second.path())),
        "data.json differs between runs"
    );
    insta::assert_snapshot!("sample_data_json", data);
}

/// A score as the report prints it: a whole number.
fn whole(value: &Value) -> String {
    format!("{}", value.as_f64().unwrap().round() as i64)
}

/// r or alpha as the report prints it: two decimals.
fn two_decimals(value: &Value) -> String {
    format!("{:.2}", value.as_f64().unwrap())
}

/// The number of pages of a PDF.
fn pages(pdf: &Path) -> usize {
    let info = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// The structure tree's Figure entries, from poppler's `pdfinfo -struct`.
fn figures_in_structure(pdf: &Path) -> usize {
    let output = Command::new("pdfinfo")
        .arg("-struct")
        .arg(pdf)
        .output()
        .expect("pdfinfo is installed (poppler-utils)");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|l| l.trim() == "Figure:" || l.trim_start().starts_with("Figure "))
        .count()
}

/// Alternative texts in the PDF: `/Alt` keys (Typst writes the structure tree uncompressed).
fn alt_keys(pdf: &Path) -> usize {
    let bytes = std::fs::read(pdf).unwrap();
    bytes.windows(4).filter(|w| w == b"/Alt").count()
}

/// The charts a report shows, from its scores: the profile, a chart by group
/// and a statements chart per ingredient with figures, and the co-production
/// lens when any ingredient has a gap.
fn charts_shown(scores: &Value) -> usize {
    let ingredients = scores["ingredients"].as_array().unwrap();
    let by_group = ingredients
        .iter()
        .filter(|i| !i["overall"].is_null())
        .count();
    let statements = ingredients
        .iter()
        .filter(|i| {
            !i["overall"].is_null()
                && i["statements"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|s| s["n"].as_u64() > Some(0))
        })
        .count();
    let lens = ingredients.iter().any(|i| !i["gap"].is_null());
    1 + by_group + statements + usize::from(lens)
}

/// Checks every figure of a report has alternative text, and every chart shown is a figure.
fn assert_every_figure_has_alt_text(report: &Built, other_images: usize) {
    let figures = figures_in_structure(&report.pdf);
    assert_eq!(
        figures,
        charts_shown(&report.scores) + other_images,
        "every chart is a figure in the structure tree"
    );
    assert_eq!(alt_keys(&report.pdf), figures, "every figure has /Alt");
    // The alternative text itself comes from the data, never a placeholder.
    let data: Value =
        serde_json::from_str(&std::fs::read_to_string(report.build.join("data.json")).unwrap())
            .unwrap();
    let mut refs: Vec<&Value> = data["charts"].as_object().unwrap().values().collect();
    for page in data["ingredients"].as_array().unwrap() {
        refs.push(&page["chart"]);
        refs.push(&page["statements_chart"]);
    }
    for chart in refs.into_iter().filter(|c| !c.is_null()) {
        let alt = chart["alt"].as_str().unwrap();
        assert!(alt.len() > 40, "{alt}");
    }
}

#[test]
fn the_sample_report_has_every_section() {
    let dir = tempfile::tempdir().unwrap();
    let report = sample_report(dir.path());
    let flowing = report.flowing();
    let mut headings = vec![
        "Contents".to_string(),
        "How to read this report".into(),
        "At a glance".into(),
        "The five ingredients by group".into(),
        "Every score by group".into(),
        "Co-production lens".into(),
        "What the gaps mean".into(),
        "Statements where the views differ".into(),
        "How the ingredients work together".into(),
        "The profile".into(),
        "Ingredients that move together".into(),
        "Improvement plan".into(),
        "About this report".into(),
        "Appendix: the detail".into(),
        "Data quality".into(),
        "Do the statements hang together?".into(),
        "Every statement".into(),
        "Easy-read summary".into(),
    ];
    for (i, ingredient) in report.ingredients().iter().enumerate() {
        headings.push(format!(
            "{}. {}",
            i + 1,
            ingredient["name"].as_str().unwrap()
        ));
    }
    for heading in &headings {
        assert!(
            report.rows().iter().any(|l| l == heading),
            "no heading line {heading:?}"
        );
    }
    // Every ingredient section has its statements chart and its views compared.
    let count = report.ingredients().len();
    for heading in [
        "How people answered each statement",
        "Care-experienced and professional views",
        "What you could do",
    ] {
        assert_eq!(
            report.rows().iter().filter(|l| *l == heading).count(),
            count,
            "{heading}"
        );
    }
    assert!(!flowing.contains("TODO") && !flowing.contains("Lorem"));
}

#[test]
fn the_sample_report_prints_the_figures_in_the_scores_json() {
    let dir = tempfile::tempdir().unwrap();
    let report = sample_report(dir.path());
    let flowing = report.flowing();
    let rows = report.rows();
    let scores = &report.scores;
    let min = scores["rules"]["min_group_size"].as_u64().unwrap();

    // The heat table: commissioners are hidden for every ingredient.
    let hidden_everywhere = vec![format!("fewer than {min}"); report.ingredients().len()];
    let heat_row = format!("Commissioners {}", hidden_everywhere.join(" "));
    assert!(rows.contains(&heat_row), "no heat-table row {heat_row:?}");
    for ingredient in report.ingredients() {
        let name = ingredient["name"].as_str().unwrap();
        // The co-production lens, in words.
        match ingredient["gap"].as_object() {
            Some(gap) => {
                let phrase = format!(
                    "{name}: people with lived experience {}, professionals {}.",
                    whole(&gap["lived_mean"]),
                    whole(&gap["professional_mean"])
                );
                assert!(flowing.contains(&phrase), "{phrase}");
                let verdict = if gap["differs"].as_bool().unwrap() {
                    "The views differ"
                } else {
                    "No clear difference"
                };
                assert!(flowing.contains(&format!("{phrase} {verdict}")), "{name}");
            }
            None => assert!(flowing.contains(&format!("{name}: not enough responses"))),
        }
        // Internal consistency: the ingredient, n and alpha on one row.
        let consistency = &ingredient["consistency"];
        let row = format!(
            "{name} {} {} {}",
            consistency["n"],
            two_decimals(&consistency["alpha"]),
            capitalise(consistency["verdict"].as_str().unwrap())
        );
        assert!(rows.contains(&row), "no consistency row {row:?}");
        // Every statement's row in the appendix: n, score, % agree and the counts.
        for statement in ingredient["statements"].as_array().unwrap() {
            let numbers: Vec<String> = [
                statement["n"].to_string(),
                whole(&statement["mean"]),
                format!("{}%", whole(&statement["agree_percent"])),
            ]
            .into_iter()
            .chain(
                statement["counts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .chain(statement["missing_counts"].as_array().unwrap())
                    .map(Value::to_string),
            )
            .collect();
            let figures = numbers.join(" ");
            assert!(
                rows.iter().any(|l| l.ends_with(&figures)),
                "no statement row ending {figures:?} for {}",
                statement["id"]
            );
        }
    }
    // Data quality: people without a score, per ingredient.
    for incomplete in scores["data_quality"]["incomplete"].as_array().unwrap() {
        let name = report.ingredient_name(incomplete["ingredient"].as_str().unwrap());
        let row = format!("{name} {}", incomplete["count"]);
        assert!(rows.contains(&row), "no data-quality row {row:?}");
    }
    // How the ingredients move together: each pair with n, r and strength.
    let correlations = scores["correlations"].as_array().unwrap();
    assert!(!correlations.is_empty());
    for pair in correlations {
        let a = report.ingredient_name(pair["a"].as_str().unwrap());
        let b = report.ingredient_name(pair["b"].as_str().unwrap());
        let row = format!(
            "{a} and {} {} {} {}",
            lower_first(&b),
            pair["n"],
            two_decimals(&pair["r"]),
            capitalise(pair["strength"].as_str().unwrap())
        );
        assert!(rows.contains(&row), "no correlation row {row:?}");
    }
    assert!(flowing.contains("does not mean that one ingredient causes the other"));
    // Each easy-read sentence of the strongest and weakest ingredient.
    let data: Value =
        serde_json::from_str(&std::fs::read_to_string(report.build.join("data.json")).unwrap())
            .unwrap();
    let ranking = scores["ranking"].as_array().unwrap();
    for id in [ranking.first().unwrap(), ranking.last().unwrap()] {
        let page = data["ingredients"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == *id)
            .unwrap();
        let easy = page["easy_read"].as_str().unwrap();
        let tail = &easy[1..];
        assert!(
            flowing.contains(tail),
            "easy-read sentence {easy:?} missing"
        );
    }
}

#[test]
fn the_sample_report_is_pdf_ua_with_alt_text_on_every_figure() {
    let dir = tempfile::tempdir().unwrap();
    let report = sample_report(dir.path());
    let bytes = std::fs::read(&report.pdf).unwrap();
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"pdfuaid:part"), "no PDF/UA identification");
    assert!(has(b"/StructTreeRoot"));
    assert_every_figure_has_alt_text(&report, 0);
    // Real headings and marked table headers.
    let output = Command::new("pdfinfo")
        .arg("-struct")
        .arg(&report.pdf)
        .output()
        .unwrap();
    let structure = String::from_utf8_lossy(&output.stdout);
    assert!(structure.contains("H1 \"At a glance\""));
    assert!(structure.contains("H2 \"Every score by group\""));
    assert!(structure.contains("TH"), "table headers are marked");
}

#[test]
fn a_tiny_report_says_why_sections_are_empty() {
    let dir = tempfile::tempdir().unwrap();
    let report = build_report(dir.path(), "tiny", &fixture("tiny/export.csv"), &[]);
    let flowing = report.flowing();
    for sentence in [
        "There are not enough responses from people with lived experience of care, \
         or from professionals, to compare their views on any ingredient.",
        "There are not enough responses to tell which ingredients move together.",
        "Not shown: the figures would come from too few people.",
    ] {
        assert!(flowing.contains(sentence), "{sentence}");
    }
    // The one scored ingredient still has its statements chart.
    assert!(flowing.contains("How people answered each statement"));
    assert_every_figure_has_alt_text(&report, 0);
}

/// Ten groups and their sizes in the large export: 5,000 respondents, one group
/// too small to show.
const TEN_GROUPS: [(&str, usize); 10] = [
    ("Care-experienced young person", 600),
    ("Care-experienced parent", 120),
    ("Frontline staff", 1400),
    ("Personal adviser", 700),
    ("Manager or leader", 500),
    ("Foster carer or host", 800),
    ("Health partner", 400),
    ("Housing services", 300),
    ("School, college or employer", 177),
    ("Commissioner or funder", 3),
];

/// Writes a Microsoft Forms-style export of 5,000 respondents in ten groups for
/// the ten-group instrument, with a fixed pseudo-random generator: each
/// respondent has a general view, each group leans its own way, and some
/// answers are "Don't know", "Not applicable" or blank.
fn large_export(dir: &Path) -> PathBuf {
    use makeitstick::instrument::Instrument;
    let instrument = Instrument::load(Some(&fixture("ten-groups/instrument.toml"))).unwrap();
    let mut state: u64 = 0x2026_0930;
    let mut next = move || {
        // A 64-bit linear congruential generator (Knuth's MMIX constants).
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as f64 / (1u64 << 31) as f64
    };
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut header = vec![
        "ID".to_string(),
        "Start time".into(),
        "Completion time".into(),
        quote(&instrument.groups.as_ref().unwrap().question),
    ];
    header.extend(instrument.statements().map(|(_, s)| quote(&s.text)));
    let mut csv = header.join(",") + "\n";
    let labels: Vec<&str> = instrument
        .default_scale()
        .points
        .iter()
        .map(|p| p.label.as_str())
        .collect();
    let mut id = 0;
    for (g, (answer, size)) in TEN_GROUPS.iter().enumerate() {
        let lean = (g as f64 - 4.5) * 0.12;
        for _ in 0..*size {
            id += 1;
            let view = lean + (next() - 0.5) * 1.6;
            let day = 1 + id % 30;
            let mut row = vec![
                id.to_string(),
                format!("2026-09-{day:02} 09:00:00"),
                format!("2026-09-{day:02} 09:12:00"),
                quote(answer),
            ];
            for (ingredient, statement) in instrument.statements() {
                let roll = next();
                let cell = if roll < 0.03 {
                    "Don't know".to_string()
                } else if roll < 0.04 {
                    "Not applicable".to_string()
                } else if roll < 0.06 {
                    String::new()
                } else {
                    let mut value = 3.3 + view - ingredient as f64 * 0.15 + (next() - 0.5) * 2.2;
                    if statement.reverse {
                        value = 6.0 - value;
                    }
                    let point = value.round().clamp(1.0, labels.len() as f64) as usize;
                    quote(labels[point - 1])
                };
                row.push(cell);
            }
            csv += &(row.join(",") + "\n");
        }
    }
    let path = dir.join("ten-groups.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

#[test]
fn a_report_for_5000_respondents_in_ten_groups_lays_out() {
    let dir = tempfile::tempdir().unwrap();
    let export = large_export(dir.path());
    let instrument = fixture("ten-groups/instrument.toml");
    let report = build_report(
        dir.path(),
        "ten-groups",
        &export,
        &["--instrument", instrument.to_str().unwrap()],
    );
    assert_eq!(report.scores["responses"]["used"], 4997);
    // Every group has a row in the heat table: shown groups with their scores,
    // the hidden one with "fewer than 5" for every ingredient.
    let groups = report.scores["responses"]["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 10);
    // Table cells in reading order (the content stream's order), so that rows
    // whose cells wrap differently still read as one run of text.
    let raw = Command::new("pdftotext")
        .arg("-raw")
        .arg(&report.pdf)
        .arg("-")
        .output()
        .unwrap();
    let raw = String::from_utf8_lossy(&raw.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for group in groups {
        // The group's cells, ingredient by ingredient, as the table prints them.
        let cells: Vec<String> = report
            .ingredients()
            .iter()
            .map(|ingredient| {
                let cell = ingredient["groups"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["id"] == group["id"])
                    .unwrap();
                if cell["shown"].as_bool().unwrap() {
                    format!(
                        "{} {}",
                        whole(&cell["mean"]),
                        cell["band"].as_str().unwrap()
                    )
                } else {
                    "fewer than 5".to_string()
                }
            })
            .collect();
        let row = format!("{} {}", group["name"].as_str().unwrap(), cells.join(" "));
        assert!(raw.contains(&row), "no heat-table row {row:?}");
    }
    assert_every_figure_has_alt_text(&report, 0);
    // Two pages per ingredient at most, plus the rest: nothing runs away.
    assert!(pages(&report.pdf) <= 40, "{} pages", pages(&report.pdf));
}

#[test]
fn a_third_wave_has_a_since_last_time_section() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("project");
    let (output, stderr) = run(makeitstick().arg("init").arg(&dir));
    assert!(output.status.success(), "{stderr}");
    for name in ["c-winter.csv", "a-spring.csv", "b-summer.csv"] {
        std::fs::copy(
            fixture(&format!("waves/{name}")),
            dir.join("exports").join(name),
        )
        .unwrap();
        let (output, stderr) = run(makeitstick().current_dir(&dir).arg("report"));
        assert!(output.status.success(), "{name}: {stderr}");
    }
    let reports = dir.join("reports");
    let data: Value = serde_json::from_str(
        &std::fs::read_to_string(reports.join("makeitstick-2026-Q3.json")).unwrap(),
    )
    .unwrap();
    let text = pdf_text(&reports.join("makeitstick-2026-Q3.pdf"));
    let rows: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let flowing = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let trend = &data["trend"];
    assert!(rows.iter().any(|l| l == "Since last time"));
    let previous = trend["previous_wave"].as_str().unwrap();
    assert!(rows.contains(&format!("Each ingredient since {previous}")));
    for ingredient in trend["ingredients"].as_array().unwrap() {
        let change = &ingredient["since_previous"];
        if change["changed"].as_bool().unwrap() {
            let difference = change["difference"].as_f64().unwrap();
            let row = format!(
                "{} {} {} {}{}",
                ingredient["name"].as_str().unwrap(),
                whole(&change["from_mean"]),
                whole(&change["to_mean"]),
                if difference > 0.0 { "+" } else { "\u{2212}" },
                difference.abs().round()
            );
            assert!(
                rows.iter().any(|l| l.starts_with(&row)),
                "no trend row starting {row:?}"
            );
            // At a glance names the largest change.
            assert!(flowing.contains(&format!(
                "The largest change since {previous}: {} went",
                ingredient["name"].as_str().unwrap()
            )));
        }
    }
}

#[test]
fn a_broken_template_file_is_named_with_typsts_message() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template");
    std::fs::create_dir(&template).unwrap();
    // A file in a subfolder replaces the built-in one too.
    let cover = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates/sections/cover.typ"),
    )
    .unwrap();
    std::fs::create_dir(template.join("sections")).unwrap();
    std::fs::write(
        template.join("sections/cover.typ"),
        cover + "\n#let broken = (1, 2\n",
    )
    .unwrap();
    let pdf = dir.path().join("report.pdf");
    let (output, stderr) = run(makeitstick()
        .current_dir(dir.path())
        .arg("report")
        .arg(fixture("tiny/export.csv"))
        .arg("-o")
        .arg(&pdf)
        .arg("--template")
        .arg(&template));
    assert!(!output.status.success());
    assert!(stderr.contains("cover.typ:"), "{stderr}");
    assert!(stderr.contains("error"), "{stderr}");
    assert!(!pdf.exists());
}

#[test]
fn a_logo_is_on_the_cover_with_its_alt_text() {
    let dir = tempfile::tempdir().unwrap();
    let logo = dir.path().join("logo.svg");
    std::fs::write(
        &logo,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"100\">\
         <rect width=\"100\" height=\"100\" fill=\"#1d4f73\"/></svg>",
    )
    .unwrap();
    let report = build_report(
        dir.path(),
        "logo",
        &fixture("tiny/export.csv"),
        &[
            "--organisation",
            "Northshire County Council",
            "--logo",
            logo.to_str().unwrap(),
        ],
    );
    assert!(report.build.join("assets/logo.svg").is_file());
    let data = std::fs::read_to_string(report.build.join("data.json")).unwrap();
    assert!(data.contains("\"alt\": \"Northshire County Council logo\""));
    assert_every_figure_has_alt_text(&report, 1);
}

/// "good" becomes "Good".
fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// "Co-production" becomes "co-production", as the template writes a second name.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Rank words as a reader sees the scores (bug fix): everyone answering
/// "Agree" to everything gives the ingredients without a reverse-worded
/// statement the same score, and those are "the equal ..." rather than one
/// "the lowest" and the next "the second lowest".
#[test]
fn ingredients_with_the_same_printed_score_are_ranked_equal() {
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(fixture("no-groups/export.csv")).unwrap();
    let header = source.lines().next().unwrap();
    // After ID, the two times, Email and Name: the 33 statements (tests/fixtures/no-groups/README.md).
    let statements = 33;
    let mut export = format!("{header}\n");
    for row in 1..=8 {
        let answers = vec!["Agree"; statements].join(",");
        export.push_str(&format!(
            "{row},9/{row}/26 10:00:11,9/{row}/26 10:10:52,anonymous,,{answers}\n"
        ));
    }
    let file = dir.path().join("all-agree.csv");
    std::fs::write(&file, export).unwrap();
    let instrument = fixture("no-groups/instrument.toml");
    let report = build_report(
        dir.path(),
        "ties",
        &file,
        &["--instrument", instrument.to_str().unwrap()],
    );
    let data: Value =
        serde_json::from_str(&std::fs::read_to_string(report.build.join("data.json")).unwrap())
            .unwrap();
    let printed: Vec<i64> = report.scores["ingredients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["overall"]["mean"].as_f64().unwrap().round() as i64)
        .collect();
    let ranks: Vec<&str> = data["ingredients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["rank"].as_str().unwrap_or(""))
        .collect();
    let mut tied = 0;
    for (a, b) in (0..printed.len()).flat_map(|a| (0..a).map(move |b| (a, b))) {
        if printed[a] == printed[b] {
            tied += 1;
            assert_eq!(ranks[a], ranks[b], "{printed:?} {ranks:?}");
            assert!(ranks[a].contains("equal"), "{printed:?} {ranks:?}");
        } else {
            assert_ne!(ranks[a], ranks[b], "{printed:?} {ranks:?}");
        }
    }
    assert!(tied > 0, "no tie to test: {printed:?}");
    assert!(report.flowing().contains("The equal"), "{ranks:?}");
}
