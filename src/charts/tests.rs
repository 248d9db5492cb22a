//! Fixtures and checks shared by the chart modules' tests: sample scores, and
//! text boxes read back from the SVG so that no label overlaps another or leaves the canvas.

use super::*;
use crate::score::{
    BandInfo, GroupCell, IngredientScores, InstrumentInfo, ResponseCounts, Rules, Summary,
};

/// A summary with a symmetric confidence interval.
fn summary(n: usize, mean: f64, half: f64) -> Summary {
    Summary {
        n,
        mean,
        median: mean,
        sd: Some(10.0),
        ci_low: Some(mean - half),
        ci_high: Some(mean + half),
        band: if mean >= 70.0 {
            "Established"
        } else if mean >= 50.0 {
            "Developing"
        } else {
            "Needs attention"
        }
        .into(),
    }
}

fn cell(id: &str, name: &str, summary: Option<Summary>) -> GroupCell {
    GroupCell {
        id: id.into(),
        name: name.into(),
        lived_experience: id == "young-people",
        shown: summary.is_some(),
        summary,
    }
}

/// Five ingredients; commissioners are always hidden, the long-named partners
/// are hidden for the last ingredient only.
pub(crate) fn scores() -> Scores {
    let names = [
        ("context", "Receptive context"),
        ("coproduction", "Co-production"),
        ("leadership", "Shared leadership"),
        ("outcomes", "Outcome measurement"),
        ("adaptation", "Adaptation"),
    ];
    let ingredients = names
        .iter()
        .enumerate()
        .map(|(i, (id, name))| {
            let shift = i as f64 * 6.5;
            IngredientScores {
                id: id.to_string(),
                name: name.to_string(),
                rank: None,
                overall: Some(summary(41, 58.33 + shift, 4.2)),
                no_score: None,
                positive_percent: None,
                consistency: crate::score::lens::consistency(&Default::default()),
                gap: None,
                groups: vec![
                    cell(
                        "young-people",
                        "Care-experienced young people",
                        Some(summary(9, 47.62 + shift, 9.0)),
                    ),
                    cell(
                        "frontline",
                        "Frontline staff",
                        Some(summary(14, 61.9 + shift, 6.0)),
                    ),
                    cell(
                        "managers",
                        "Managers and leaders",
                        Some(summary(12, 66.5 + shift, 7.0)),
                    ),
                    cell(
                        "partners",
                        "Someone from a partner organisation in the voluntary sector",
                        (i < 4).then(|| summary(6, 55.25 + shift, 12.0)),
                    ),
                    cell("commissioners", "Commissioners", None),
                ],
                statements: Vec::new(),
                lowest_statements: Vec::new(),
            }
        })
        .collect();
    Scores {
        schema_version: crate::score::SCHEMA_VERSION,
        wave: None,
        correlations: Vec::new(),
        data_quality: crate::score::DataQuality {
            incomplete: Vec::new(),
            straight_lining: 0,
            many_dont_know: Vec::new(),
        },
        instrument: InstrumentInfo {
            name: "Make It Stick ingredients survey".into(),
            version: "1".into(),
        },
        rules: Rules {
            scale: Vec::new(),
            missing_answers: Vec::new(),
            scales: Vec::new(),
            lived_experience_groups: vec!["Care-experienced young people".into()],
            min_share_answered: 0.5,
            min_group_size: 5,
            bands: [
                ("Needs attention", 0.0, 50.0),
                ("Developing", 50.0, 70.0),
                ("Established", 70.0, 100.0),
            ]
            .into_iter()
            .map(|(name, from, to)| BandInfo {
                name: name.into(),
                from,
                to,
            })
            .collect(),
        },
        period: None,
        responses: ResponseCounts {
            used: 41,
            without_answers: 0,
            excluded: Vec::new(),
            test_responses: 0,
            small_groups_left_out: true,
            grouping: crate::score::Grouping::ByGroup,
            groups: Vec::new(),
        },
        ingredients,
        ranking: Vec::new(),
        strongest: Vec::new(),
        weakest: Vec::new(),
    }
}

/// Writes a chart into the folder `MAKEITSTICK_CHART_DIR` names, when set, for looking at.
pub(crate) fn keep(chart: &Chart) {
    if let Ok(dir) = std::env::var("MAKEITSTICK_CHART_DIR") {
        std::fs::write(
            std::path::Path::new(&dir).join(&chart.file_name),
            &chart.svg,
        )
        .unwrap();
    }
}

/// Every `<text>` as (left, top, right, bottom, content), from what plotters wrote.
fn text_boxes(svg: &str) -> Vec<(i32, i32, i32, i32, String)> {
    let attr = |tag: &str, name: &str| -> String {
        let tag = format!(" {tag}");
        let start = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        tag[start..].split('"').next().unwrap().to_string()
    };
    svg.split("<text ")
        .skip(1)
        .map(|rest| {
            let (tag, after) = rest.split_once(">\n").unwrap();
            let content = after
                .split_once("\n</text>")
                .unwrap()
                .0
                .replace("&apos;", "'")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            let x: i32 = attr(tag, "x").parse().unwrap();
            let y: i32 = attr(tag, "y").parse().unwrap();
            assert_eq!(attr(tag, "dy"), "0.76em", "text is placed by its top");
            let ty = if tag.contains("font-weight=\"bold\"") {
                STRONG
            } else {
                LABEL
            };
            let width = text_width(&content, ty);
            let left = match attr(tag, "text-anchor").as_str() {
                "start" => x,
                "middle" => x - width / 2,
                _ => x - width,
            };
            (left, y, left + width, y + 30, content)
        })
        .collect()
}

/// Asserts that no text leaves the canvas or overlaps other text.
pub(crate) fn assert_text_fits(chart: &Chart) {
    let boxes = text_boxes(&chart.svg);
    assert!(!boxes.is_empty());
    for (i, a) in boxes.iter().enumerate() {
        assert!(
            a.0 >= 0 && a.2 <= WIDTH,
            "{} leaves the canvas in {}",
            a.4,
            chart.file_name
        );
        for b in &boxes[..i] {
            let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1;
            assert!(apart, "{:?} overlaps {:?} in {}", a.4, b.4, chart.file_name);
        }
    }
}

/// Everything awkward at once: seven groups, a long ingredient name, an
/// ingredient with nothing shown, scores of 0 and 100, an interval-less
/// figure, and many bands with long names.
fn awkward_scores() -> Scores {
    let mut scores = scores();
    scores.rules.min_group_size = 10;
    scores.rules.bands = [
        ("Not yet started", 0.0, 40.0),
        ("Beginning to take shape", 40.0, 55.0),
        ("Nearly", 55.0, 60.0),
        (
            "Embedded and sustained across the organisation",
            60.0,
            100.0,
        ),
    ]
    .into_iter()
    .map(|(name, from, to)| BandInfo {
        name: name.into(),
        from,
        to,
    })
    .collect();
    scores.ingredients[3].name =
        "Outcome measurement and learning from evidence across the whole system".into();
    for ingredient in &mut scores.ingredients {
        ingredient.groups.push(cell(
            crate::score::NOT_GIVEN_ID,
            "Did not say which group",
            Some(summary(11, 40.0, 8.0)),
        ));
        ingredient.groups.push(cell(
            crate::score::COMBINED_ID,
            "Other groups (combined)",
            Some(summary(12, 52.0, 9.0)),
        ));
    }
    let first = &mut scores.ingredients[0];
    first.overall = None;
    for cell in &mut first.groups {
        cell.shown = false;
        cell.summary = None;
    }
    let second = &mut scores.ingredients[1];
    second.overall = Some(summary(80, 100.0, 0.0));
    second.groups[0].summary = Some(summary(12, 0.0, 0.0));
    second.groups[1].summary = Some(Summary {
        ci_low: None,
        ci_high: None,
        sd: None,
        ..summary(1, 99.5, 0.0)
    });
    scores
}

#[test]
fn normal_charts_keep_text_apart() {
    let scores = scores();
    assert_text_fits(&profile(&scores));
    for index in 0..scores.ingredients.len() {
        assert_text_fits(&ingredient(&scores, index));
    }
}

#[test]
fn awkward_charts_keep_text_apart() {
    let mut scores = awkward_scores();
    for ingredient in &mut scores.ingredients {
        ingredient.id = format!("awkward-{}", ingredient.id);
    }
    let profile = profile(&scores);
    keep(&Chart {
        file_name: "profile-awkward.svg".into(),
        ..profile.clone()
    });
    assert_text_fits(&profile);
    assert!(profile.alt.contains(
        "Receptive context: everyone: fewer than 10 responses, not shown; \
         care-experienced young people: fewer than 10 responses, not shown;"
    ));
    for index in 0..scores.ingredients.len() {
        let chart = ingredient(&scores, index);
        keep(&chart);
        assert_text_fits(&chart);
    }
    let top = ingredient(&scores, 1);
    assert!(top.svg.contains(">\n100 (n=80)\n</text>"));
    assert!(top.svg.contains(">\n0 (n=12)\n</text>"));
    assert!(top.alt.contains("frontline staff 100;"));
}

#[test]
fn a_hidden_cell_never_shows_a_figure_even_if_it_has_one() {
    // Scoring never gives a hidden cell a summary; the charts check `shown` anyway.
    let mut scores = scores();
    for ingredient in &mut scores.ingredients {
        let commissioners = ingredient.groups.last_mut().unwrap();
        assert!(!commissioners.shown);
        commissioners.summary = Some(summary(3, 13.37, 2.0));
    }
    let mut charts = vec![profile(&scores)];
    charts.extend((0..scores.ingredients.len()).map(|i| ingredient(&scores, i)));
    for chart in &charts {
        for (.., text) in text_boxes(&chart.svg) {
            assert!(!text.contains("13") && !text.contains("n=3"), "{text}");
        }
        assert!(!chart.alt.contains("13"), "{}", chart.alt);
        assert!(
            chart
                .alt
                .contains("commissioners: fewer than 5 responses, not shown")
        );
    }
}
