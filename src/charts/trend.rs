//! The trend: every ingredient's overall score, wave by wave, as lines.
//!
//! Waves run left to right, evenly spaced; scores run up the page on the same
//! 0-100 scale and bands as the other charts (band names in their own column on
//! the left). Each ingredient has its own colour, marker shape and line dash,
//! and is named at the end of its line with its latest score, so no legend is
//! needed and colour is never the only signal. A line breaks where the
//! statements changed (the scores either side are not compared) and where a
//! score was hidden by the privacy rule.
//!
//! Longer than 600 lines only through its tests, which check the layout
//! without drawing and the drawn chart beside it.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::{
    BAND_LINE, BAND_SHADE, Canvas, Chart, DRAWN, GRID, INK, LABEL, LINE_HEIGHT, MARGIN, MUTED,
    Marker, NOTE, PALETTE, SMALL, TICKS, WIDTH, column_width, fewer_than, render,
    text_block_height, text_width, whole, wrap,
};
use crate::score::trend::{ChangeStatus, IngredientTrend, Trend};
use crate::score::{BandInfo, Scores};

/// Height of the plot area.
const PLOT_HEIGHT: i32 = 560;
/// Widest a band name may be before it wraps.
const BAND_CAP: i32 = 230;
/// Widest an end-of-line label may be before it wraps.
const LABEL_CAP: i32 = 380;
/// Space for the marker drawn before each end-of-line label.
const GLYPH_WIDTH: i32 = 34;
/// Marker radius.
const MARKER_RADIUS: i32 = 10;
/// Space between the first and last waves and the plot's edges.
const INSET: i32 = 48;
/// Sideways offset between ingredients at the same wave, so equal scores stay visible.
const DODGE: i32 = 7;

/// Dash patterns (dash, gap) per ingredient; `None` is a solid line.
const DASHES: [Option<(u32, u32)>; 5] = [
    None,
    Some((22, 10)),
    Some((4, 9)),
    Some((40, 12)),
    Some((12, 6)),
];

/// Draws the trend chart: [`layout`], then [`paint`].
pub(super) fn draw(trend: &Trend, scores: &Scores) -> Chart {
    draw_over(trend, &scores.rules.bands, scores.rules.min_group_size)
}

/// Draws the trend chart over the score bands `bands`, saying "fewer than
/// `min`" of a hidden score: for a trend that has no one organisation's
/// scores (a programme's).
pub(super) fn draw_over(trend: &Trend, bands: &[BandInfo], min: usize) -> Chart {
    let alt = alt_text(trend, min);
    Chart {
        file_name: "trend.svg".to_string(),
        svg: paint(&layout(trend, bands, min), &alt),
        alt,
    }
}

/// Where everything in the trend chart goes, in SVG pixels, worked out
/// without drawing.
struct Layout {
    /// Height of the whole chart.
    height: i32,
    /// The plot area's left, right and bottom edges.
    plot: (i32, i32, i32),
    /// Shaded bands (every other one): their top and bottom.
    shades: Vec<(i32, i32)>,
    /// Gridlines with their tick labels: height and label.
    ticks: Vec<(i32, String)>,
    /// Boundaries between bands inside the plot: their height.
    boundaries: Vec<i32>,
    /// Band names in their column left of the ticks.
    band_names: Vec<Placed>,
    /// The waves labelled under the plot: centre and wrapped lines.
    wave_labels: Vec<(i32, Vec<String>)>,
    /// Top of the axis title under the wave labels.
    axis_title_top: i32,
    /// One line per ingredient with a score to show.
    series: Vec<Series>,
    /// Left edge of the end-of-line labels' column (the markers before them).
    label_left: i32,
    /// One label per drawn line, pushed apart so none touches another.
    end_labels: Vec<Placed>,
    /// Notes under the chart, wrapped, and the top of the first line.
    notes: (Vec<String>, i32),
}

/// One ingredient's line.
struct Series {
    /// Index of the ingredient in the trend: its colour, marker and dash.
    index: usize,
    /// A marker at each shown score.
    points: Vec<(i32, i32)>,
    /// The segments joining comparable shown scores of neighbouring waves.
    segments: Vec<((i32, i32), (i32, i32))>,
}

/// Lays the chart out: plot and label columns sized to their text, waves
/// spaced evenly, labels thinned and spread so that no text touches other text.
fn layout(trend: &Trend, bands: &[BandInfo], min: usize) -> Layout {
    let drawn: Vec<(usize, &IngredientTrend)> = trend
        .ingredients
        .iter()
        .enumerate()
        .filter(|(_, i)| i.series.iter().any(|p| p.mean.is_some()))
        .collect();
    let never_shown: Vec<&str> = trend
        .ingredients
        .iter()
        .filter(|i| i.series.iter().all(|p| p.mean.is_none()))
        .map(|i| i.name.as_str())
        .collect();

    let band_width = column_width(bands.iter().map(|b| b.name.as_str()), SMALL, BAND_CAP);
    let tick_width = text_width("100", SMALL);
    let plot_left = MARGIN + band_width + 20 + tick_width + 14;
    let label_texts: Vec<(usize, Vec<String>)> = drawn
        .iter()
        .map(|(index, ingredient)| {
            (
                *index,
                wrap(&end_label(trend, ingredient), LABEL, LABEL_CAP),
            )
        })
        .collect();
    let label_width = label_texts
        .iter()
        .flat_map(|(_, lines)| lines.iter().map(|l| text_width(l, LABEL)))
        .max()
        .unwrap_or(0);
    let label_left = WIDTH - MARGIN - label_width - GLYPH_WIDTH;
    let plot_right = label_left - 36;
    // The axis title sits above the tick labels.
    let plot_top = MARGIN + LINE_HEIGHT + 24;
    let plot_bottom = plot_top + PLOT_HEIGHT;
    let y = |score: f64| {
        let share = score.clamp(0.0, 100.0) / 100.0;
        plot_bottom - (share * f64::from(PLOT_HEIGHT)).round() as i32
    };
    let count = trend.waves.len();
    let x = |k: usize| {
        if count < 2 {
            (plot_left + plot_right) / 2
        } else {
            let span = plot_right - plot_left - 2 * INSET;
            plot_left + INSET + (span as f64 * k as f64 / (count - 1) as f64).round() as i32
        }
    };
    let dodge = |index: usize| {
        let middle = (trend.ingredients.len() as i32 - 1) * DODGE / 2;
        index as i32 * DODGE - middle
    };

    // Wave labels: every `step`-th, so no two touch; always the last.
    let wave_lines: Vec<Vec<String>> = trend
        .waves
        .iter()
        .map(|w| wrap(&w.wave, SMALL, 150))
        .collect();
    let widest = wave_lines
        .iter()
        .flatten()
        .map(|l| text_width(l, SMALL))
        .max()
        .unwrap_or(0);
    let spacing = if count < 2 { WIDTH } else { x(1) - x(0) };
    let step = (1..=count.max(1))
        .find(|step| spacing * *step as i32 >= widest + 20)
        .unwrap_or(count.max(1));
    let wave_labels: Vec<(i32, Vec<String>)> = (0..count)
        // The last wave always, and every `step`-th one that keeps clear of it.
        .filter(|k| *k == count - 1 || (k % step == 0 && count - 1 - k >= step))
        .map(|k| (x(k), wave_lines[k].clone()))
        .collect();
    let wave_label_lines = wave_lines.iter().map(Vec::len).max().unwrap_or(1) as i32;
    let axis_title_top = plot_bottom + 12 + wave_label_lines * LINE_HEIGHT + 4;

    // End-of-line labels: at their line's last score, pushed apart where they would touch.
    let mut end_labels: Vec<Placed> = drawn
        .iter()
        .zip(&label_texts)
        .map(|((index, ingredient), (_, lines))| {
            let (k, mean) = last_shown(ingredient).expect("drawn ingredients have a score");
            let height = text_block_height(lines.len());
            Placed {
                index: *index,
                anchor: (x(k) + dodge(*index), y(mean)),
                top: y(mean) - height / 2,
                height,
                lines: lines.clone(),
            }
        })
        .collect();
    spread(&mut end_labels, MARGIN, axis_title_top + LINE_HEIGHT);

    let series = drawn
        .iter()
        .map(|(index, ingredient)| {
            let points: Vec<Option<(i32, i32)>> = ingredient
                .series
                .iter()
                .enumerate()
                .map(|(k, p)| p.mean.map(|m| (x(k) + dodge(*index), y(m))))
                .collect();
            let segments = points
                .windows(2)
                .enumerate()
                .filter_map(|(k, pair)| match (pair[0], pair[1]) {
                    (Some(a), Some(b)) if ingredient.series[k].joins_next => Some((a, b)),
                    _ => None,
                })
                .collect();
            Series {
                index: *index,
                points: points.into_iter().flatten().collect(),
                segments,
            }
        })
        .collect();

    let mut band_names: Vec<Placed> = bands
        .iter()
        .enumerate()
        .map(|(i, band)| {
            let lines = wrap(&band.name, SMALL, band_width);
            let height = text_block_height(lines.len());
            let centre = (y(band.from) + y(band.to)) / 2;
            Placed {
                index: i,
                anchor: (0, centre),
                top: centre - height / 2,
                height,
                lines,
            }
        })
        .collect();
    spread(&mut band_names, plot_top - 15, plot_bottom + 15);

    let note_lines: Vec<String> = notes(trend, &drawn, &never_shown, min)
        .iter()
        .flat_map(|n| wrap(n, NOTE, WIDTH - 2 * MARGIN))
        .collect();
    let labels_bottom = end_labels
        .iter()
        .map(|l| l.top + l.height)
        .max()
        .unwrap_or(0);
    let notes_top = (axis_title_top + LINE_HEIGHT + 24).max(labels_bottom + 16);
    let height = notes_top + note_lines.len() as i32 * LINE_HEIGHT + MARGIN;

    Layout {
        height,
        plot: (plot_left, plot_right, plot_bottom),
        // Alternate shading, so the bands read as areas.
        shades: bands
            .iter()
            .skip(1)
            .step_by(2)
            .map(|band| (y(band.to), y(band.from)))
            .collect(),
        ticks: TICKS.iter().map(|&tick| (y(tick), whole(tick))).collect(),
        boundaries: bands
            .iter()
            .filter(|b| b.from > 0.0 && b.from < 100.0)
            .map(|b| y(b.from))
            .collect(),
        band_names,
        wave_labels,
        axis_title_top,
        series,
        label_left,
        end_labels,
        notes: (note_lines, notes_top),
    }
}

/// What the notes under the chart explain: breaks, gaps, and lines not drawn.
fn notes(
    trend: &Trend,
    drawn: &[(usize, &IngredientTrend)],
    never_shown: &[&str],
    min: usize,
) -> Vec<String> {
    let mut notes = Vec::new();
    if trend.ingredients.iter().any(|i| {
        i.series
            .windows(2)
            .any(|p| p[0].mean.is_some() && p[1].mean.is_some() && !p[0].joins_next)
    }) {
        notes.push(
            "A break in a line marks a change of statements: the scores either side of it are not compared."
                .to_string(),
        );
    }
    if drawn
        .iter()
        .any(|(_, i)| i.series.iter().any(|p| p.mean.is_none()))
    {
        notes.push(format!(
            "A wave with no marker on a line had no score to show ({}, or the ingredient was not asked).",
            fewer_than(min)
        ));
    }
    if !never_shown.is_empty() {
        notes.push(format!(
            "Not drawn, with no score in any wave: {}.",
            never_shown.join(", ")
        ));
    }
    notes
}

/// Paints a laid-out trend chart, with `alt` as its title.
fn paint(layout: &Layout, alt: &str) -> String {
    let (plot_left, plot_right, plot_bottom) = layout.plot;
    render(layout.height, alt, |canvas| {
        for &(top, bottom) in &layout.shades {
            canvas.rect((plot_left, top), (plot_right, bottom), BAND_SHADE);
        }
        for (y, label) in &layout.ticks {
            canvas.line((plot_left, *y), (plot_right, *y), GRID, 2);
            canvas.text(label, (plot_left - 14, y - 15), SMALL, MUTED, HPos::Right);
        }
        for &y in &layout.boundaries {
            canvas.line((plot_left, y), (plot_right, y), BAND_LINE, 2);
        }
        for name in &layout.band_names {
            canvas.lines(&name.lines, (MARGIN, name.top), SMALL, INK, HPos::Left);
        }
        canvas.line(
            (plot_left, plot_bottom),
            (plot_right, plot_bottom),
            MUTED,
            2,
        );
        canvas.text(
            "Score out of 100",
            (plot_left, MARGIN),
            SMALL,
            MUTED,
            HPos::Left,
        );
        for (x, lines) in &layout.wave_labels {
            canvas.lines(lines, (*x, plot_bottom + 12), SMALL, INK, HPos::Center);
        }
        canvas.text(
            "Survey wave",
            ((plot_left + plot_right) / 2, layout.axis_title_top),
            SMALL,
            MUTED,
            HPos::Center,
        );

        for series in &layout.series {
            let colour = PALETTE[series.index % PALETTE.len()];
            let dash = DASHES[series.index % DASHES.len()];
            for &(a, b) in &series.segments {
                segment(canvas, a, b, colour, dash);
            }
            for point in &series.points {
                canvas.marker(Marker::nth(series.index), *point, MARKER_RADIUS);
            }
        }

        let label_left = layout.label_left;
        for label in &layout.end_labels {
            let colour = PALETTE[label.index % PALETTE.len()];
            let centre = label.top + 15;
            let glyph = (label_left + GLYPH_WIDTH / 2 - 4, centre);
            canvas.line(
                (label.anchor.0 + MARKER_RADIUS + 4, label.anchor.1),
                (glyph.0 - MARKER_RADIUS - 4, centre),
                colour,
                2,
            );
            canvas.marker(Marker::nth(label.index), glyph, MARKER_RADIUS);
            canvas.lines(
                &label.lines,
                (label_left + GLYPH_WIDTH, label.top),
                LABEL,
                INK,
                HPos::Left,
            );
        }
        let (note_lines, notes_top) = &layout.notes;
        canvas.lines(note_lines, (MARGIN, *notes_top), NOTE, INK, HPos::Left);
    })
}

/// A block of text placed in a column.
struct Placed {
    /// The ingredient's (or band's) index.
    index: usize,
    /// The point the block belongs to: a line's last marker, a band's middle.
    anchor: (i32, i32),
    /// Top of the first line.
    top: i32,
    /// Height of the block.
    height: i32,
    /// The wrapped text.
    lines: Vec<String>,
}

/// Moves blocks (any order) apart so none touches the next, within `min_top..max_bottom` where possible.
fn spread(blocks: &mut [Placed], min_top: i32, max_bottom: i32) {
    const GAP: i32 = 6;
    blocks.sort_by_key(|b| (b.top + b.height / 2, b.index));
    let mut floor = min_top;
    for block in blocks.iter_mut() {
        block.top = block.top.max(floor);
        floor = block.top + block.height + GAP;
    }
    let mut ceiling = max_bottom;
    for block in blocks.iter_mut().rev() {
        if block.top + block.height > ceiling {
            block.top = ceiling - block.height;
        }
        ceiling = block.top - GAP;
    }
}

/// The wave index and mean of an ingredient's last shown score.
fn last_shown(ingredient: &IngredientTrend) -> Option<(usize, f64)> {
    ingredient
        .series
        .iter()
        .enumerate()
        .rev()
        .find_map(|(k, p)| p.mean.map(|m| (k, m)))
}

/// "Receptive context 60", with the wave when the last score is not the latest wave's.
fn end_label(trend: &Trend, ingredient: &IngredientTrend) -> String {
    match last_shown(ingredient) {
        Some((k, mean)) if k + 1 == ingredient.series.len() => {
            format!("{} {}", ingredient.name, whole(mean))
        }
        Some((k, mean)) => format!(
            "{} {} ({})",
            ingredient.name,
            whole(mean),
            trend.waves[k].wave
        ),
        None => ingredient.name.clone(),
    }
}

/// One line segment, solid or dashed.
fn segment(
    canvas: &Canvas,
    from: (i32, i32),
    to: (i32, i32),
    colour: RGBColor,
    dash: Option<(u32, u32)>,
) {
    let style = colour.stroke_width(4);
    match dash {
        None => canvas.line(from, to, colour, 4),
        Some((length, gap)) => canvas
            .area
            .draw(&DashedPathElement::new(vec![from, to], length, gap, style))
            .expect(DRAWN),
    }
}

/// Says what the chart shows: every score of every ingredient and the verdict since the previous wave.
fn alt_text(trend: &Trend, min: usize) -> String {
    let first = trend.waves.first().map(|w| w.wave.as_str()).unwrap_or("");
    let mut alt = format!(
        "Line chart of each ingredient's score out of 100 for everyone, over {} waves from {first} to {}.",
        trend.waves.len(),
        trend.wave
    );
    for ingredient in &trend.ingredients {
        if ingredient.series.iter().all(|p| p.mean.is_none()) {
            alt.push_str(&format!(
                " {}: no score shown in any wave ({} or not asked).",
                ingredient.name,
                fewer_than(min)
            ));
            continue;
        }
        let points: Vec<String> = ingredient
            .series
            .iter()
            .map(|p| match p.mean {
                Some(mean) => format!("{} in {}", whole(mean), p.wave),
                None => format!("no score shown in {}", p.wave),
            })
            .collect();
        let change = &ingredient.since_previous;
        let from = change.from_wave.as_deref().unwrap_or(&trend.previous_wave);
        let difference = change
            .difference
            .map(|d| whole(d.abs()))
            .unwrap_or_default();
        let verdict = match change.status {
            ChangeStatus::Up => {
                format!("up {difference} since {from}, more than chance would explain")
            }
            ChangeStatus::Down => {
                format!("down {difference} since {from}, more than chance would explain")
            }
            ChangeStatus::NoClearChange => format!("no clear change since {from}"),
            ChangeStatus::NotComparable => format!(
                "asked with different statements from {}, so not compared with {from}",
                ingredient.comparable_since
            ),
            ChangeStatus::NotShown => {
                format!(
                    "not compared with {from}: {} in one of the waves",
                    fewer_than(min)
                )
            }
        };
        alt.push_str(&format!(
            " {}: {}; {verdict}.",
            ingredient.name,
            points.join(", ")
        ));
    }
    alt
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_text_fits, keep, scores};
    use super::*;
    use crate::score::trend::{Change, SeriesPoint, WaveCount};

    /// The layout of the chart [`draw`] makes of `trend` and `scores`.
    fn layout_of(trend: &Trend, scores: &Scores) -> Layout {
        layout(trend, &scores.rules.bands, scores.rules.min_group_size)
    }

    fn change(status: ChangeStatus, difference: f64) -> Change {
        Change {
            from_wave: Some("2026-Q2".into()),
            to_wave: "2026-Q3".into(),
            status,
            changed: matches!(status, ChangeStatus::Up | ChangeStatus::Down),
            from_n: None,
            from_mean: None,
            to_n: None,
            to_mean: None,
            difference: Some(difference),
            ci_low: None,
            ci_high: None,
        }
    }

    /// Five ingredients over `waves` waves: close scores, a hidden point, a break.
    fn trend(waves: usize) -> Trend {
        let names: Vec<String> = (0..waves)
            .map(|k| format!("{}-{:02} Q{}", 2024 + k / 4, (25 + k / 4) % 100, k % 4 + 1))
            .collect();
        let ingredients = scores()
            .ingredients
            .iter()
            .enumerate()
            .map(|(i, ingredient)| IngredientTrend {
                id: ingredient.id.clone(),
                name: ingredient.name.clone(),
                comparable_with_previous: i != 3,
                comparable_since: names[if i == 3 { waves - 1 } else { 0 }].clone(),
                series: (0..waves)
                    .map(|k| SeriesPoint {
                        wave: names[k].clone(),
                        joins_next: !(i == 3 && k == waves - 2) && k + 1 < waves,
                        n: Some(20),
                        // Ingredients 0 and 1 end on the same score; 2 is hidden in wave 1.
                        mean: (!(i == 2 && k == 1)).then_some(
                            50.0 + (i.min(1) as f64) * 0.2 + k as f64 * (i as f64 + 1.0),
                        ),
                    })
                    .collect(),
                since_previous: change(
                    [
                        ChangeStatus::Up,
                        ChangeStatus::NoClearChange,
                        ChangeStatus::NotShown,
                        ChangeStatus::NotComparable,
                        ChangeStatus::Down,
                    ][i],
                    3.0,
                ),
                since_first: change(ChangeStatus::Up, 6.0),
                groups: Vec::new(),
                statements: Vec::new(),
            })
            .collect();
        Trend {
            wave: names[waves - 1].clone(),
            previous_wave: names[waves - 2].clone(),
            first_wave: names[0].clone(),
            waves: names
                .iter()
                .map(|w| WaveCount {
                    wave: w.clone(),
                    responses: Some(40),
                })
                .collect(),
            rechecked_waves: Vec::new(),
            instrument_changed: true,
            instrument_notes: Vec::new(),
            ingredients,
        }
    }

    #[test]
    fn trend_text_fits_and_every_line_is_labelled() {
        for waves in [2, 3, 12] {
            let chart = draw(&trend(waves), &scores());
            if waves == 3 {
                keep(&chart);
            }
            assert_text_fits(&chart);
            for name in ["Receptive context", "Co-production", "Adaptation"] {
                assert!(chart.svg.contains(name), "{name} not labelled");
            }
            assert!(chart.svg.contains("A break in a line"));
        }
    }

    #[test]
    fn trend_alt_text_states_every_score_and_verdict() {
        let chart = draw(&trend(3), &scores());
        assert!(
            chart
                .alt
                .starts_with("Line chart of each ingredient's score")
        );
        assert!(
            chart.alt.contains(
                "Receptive context: 50 in 2024-25 Q1, 51 in 2024-25 Q2, 52 in 2024-25 Q3; \
             up 3 since 2026-Q2, more than chance would explain."
            ),
            "{}",
            chart.alt
        );
        assert!(chart.alt.contains("no score shown in 2024-25 Q2"));
        assert!(
            chart
                .alt
                .contains("not compared with 2026-Q2: fewer than 5 responses")
        );
    }

    #[test]
    fn end_labels_and_band_names_keep_apart_and_on_the_canvas() {
        for waves in [2, 3, 12] {
            let layout = layout_of(&trend(waves), &scores());
            assert_eq!(layout.end_labels.len(), 5);
            for blocks in [&layout.end_labels, &layout.band_names] {
                let mut spans: Vec<(i32, i32)> =
                    blocks.iter().map(|b| (b.top, b.top + b.height)).collect();
                spans.sort();
                assert!(spans.windows(2).all(|p| p[0].1 <= p[1].0), "{spans:?}");
                assert!(spans.iter().all(|s| s.0 >= 0 && s.1 <= layout.height));
            }
            let (plot_left, plot_right, ..) = layout.plot;
            assert!(plot_left < plot_right && plot_right < layout.label_left);
        }
    }

    #[test]
    fn lines_break_at_a_change_of_statements_and_skip_hidden_scores() {
        let layout = layout_of(&trend(3), &scores());
        let by_index = |i: usize| layout.series.iter().find(|s| s.index == i).unwrap();
        // Three shown scores joined twice; the hidden middle score leaves a gap and no segment.
        assert_eq!(by_index(0).points.len(), 3);
        assert_eq!(by_index(0).segments.len(), 2);
        assert_eq!(by_index(2).points.len(), 2);
        assert!(by_index(2).segments.is_empty());
        // Ingredient 3's statements changed before the last wave: no segment into it.
        assert_eq!(by_index(3).segments.len(), 1);
        let notes = layout.notes.0.join(" ");
        assert!(
            notes.contains("A break in a line") && notes.contains("no marker"),
            "{notes}"
        );
    }

    #[test]
    fn wave_labels_are_thinned_but_the_last_is_always_there() {
        let twelve = layout_of(&trend(12), &scores());
        let labelled: Vec<i32> = twelve.wave_labels.iter().map(|(x, _)| *x).collect();
        assert!(labelled.len() < 12 && labelled.len() > 1, "{labelled:?}");
        assert_eq!(*labelled.last().unwrap(), twelve.plot.1 - INSET);
        let widest = twelve
            .wave_labels
            .iter()
            .flat_map(|(_, lines)| lines.iter().map(|l| text_width(l, SMALL)))
            .max()
            .unwrap();
        assert!(labelled.windows(2).all(|p| p[1] - p[0] >= widest));
        assert_eq!(layout_of(&trend(3), &scores()).wave_labels.len(), 3);
    }

    #[test]
    fn trend_is_deterministic() {
        assert_eq!(
            draw(&trend(4), &scores()).svg,
            draw(&trend(4), &scores()).svg
        );
    }
}
