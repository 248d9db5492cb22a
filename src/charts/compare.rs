//! "How you compare" (`compare.svg`): per ingredient, the site's score beside
//! the programme mean and the middle half of the programme's sites.
//!
//! The middle half of sites is a grey bar, the programme mean an upright
//! black bar, and the site's score a blue circle with its whole-number score
//! beside it: three shapes, so colour is never the only thing telling them
//! apart. A row the site has no score for says so in words.

use plotters::style::text_anchor::HPos;

use super::{
    Canvas, Chart, INK, LABEL, LINE_HEIGHT, MARGIN, MUTED, Marker, NOTE, PALETTE, RULE, Shape,
    WIDTH, XScale, band_header_height, column_width, draw_scale, render, text_block_height,
    text_width, whole, wrap,
};
use crate::score::BandInfo;

/// One ingredient's row of the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareBar {
    /// The ingredient's name.
    pub name: String,
    /// The site's score; `None` when it has none.
    pub score: Option<f64>,
    /// The programme mean; `None` when no site has a score.
    pub programme_mean: Option<f64>,
    /// The lower and upper quartiles of site scores (the middle half of sites).
    pub middle: Option<(f64, f64)>,
}

/// Widest the ingredient names may be before they wrap.
const LABEL_CAP: i32 = 380;
/// Space above and below a row's content.
const ROW_PAD: i32 = 16;
/// Marker radius.
const RADIUS: i32 = 13;
/// Half the height of the middle-half bar.
const BAR_HALF: i32 = 11;
/// Gap between a marker and its value.
const VALUE_GAP: i32 = 10;
/// Room left of 0 and right of 100 for a value label ("100" at most).
const VALUE_ROOM: i32 = 80;
/// Grey of the middle-half bar: darker than the band shading behind it.
const MIDDLE_GREY: plotters::style::RGBColor = plotters::style::RGBColor(0xAA, 0xAA, 0xAA);

/// The site's own score.
const SITE: Marker = Marker {
    shape: Shape::Circle,
    colour: PALETTE[0],
};

/// The legend's words.
const SITE_NAME: &str = "Your score";
const MEAN_NAME: &str = "Programme mean";
const MIDDLE_NAME: &str = "Middle half of sites";
/// What a row without a score says.
const NO_SCORE: &str = "no score for your site";

/// Draws the chart of `rows` over the score bands `bands`.
pub(super) fn draw(rows: &[CompareBar], bands: &[BandInfo]) -> Chart {
    let label_width = column_width(rows.iter().map(|r| r.name.as_str()), LABEL, LABEL_CAP);
    let lines: Vec<Vec<String>> = rows
        .iter()
        .map(|r| wrap(&r.name, LABEL, label_width))
        .collect();
    let heights: Vec<i32> = lines
        .iter()
        .map(|l| text_block_height(l.len()).max(2 * RADIUS) + 2 * ROW_PAD)
        .collect();
    let scale = XScale {
        left: MARGIN + label_width + 24 + VALUE_ROOM,
        right: WIDTH - MARGIN - VALUE_ROOM,
        room: (MARGIN + label_width + 24, WIDTH - MARGIN),
    };
    let header_top = MARGIN;
    let plot_top = header_top + band_header_height(&scale, bands);
    let plot_bottom = plot_top + heights.iter().sum::<i32>();
    let legend_top = plot_bottom + super::AXIS_HEIGHT + 24;
    let entry_width = |name: &str| 2 * RADIUS + 14 + text_width(name, LABEL);
    let legend_width: i32 = [SITE_NAME, MEAN_NAME, MIDDLE_NAME]
        .iter()
        .map(|n| entry_width(n) + 48)
        .sum();
    let side_by_side = MARGIN + legend_width <= WIDTH - MARGIN;
    let legend_height = if side_by_side {
        LINE_HEIGHT
    } else {
        3 * LINE_HEIGHT + 16
    };
    let height = legend_top + legend_height + MARGIN;

    let alt = alt_text(rows);
    let svg = render(height, &alt, |canvas| {
        draw_scale(canvas, &scale, bands, header_top, plot_top, plot_bottom);
        let mut top = plot_top;
        for (i, (row, height)) in rows.iter().zip(&heights).enumerate() {
            if i > 0 {
                canvas.line((MARGIN, top), (WIDTH - MARGIN, top), RULE, 1);
            }
            let centre = top + height / 2;
            canvas.lines_centred(&lines[i], (MARGIN, centre), LABEL, INK, HPos::Left);
            draw_row(canvas, &scale, row, centre);
            top += height;
        }
        let mut x = MARGIN;
        for (k, name) in [SITE_NAME, MEAN_NAME, MIDDLE_NAME].iter().enumerate() {
            let y = if side_by_side {
                legend_top
            } else {
                legend_top + k as i32 * (LINE_HEIGHT + 8)
            };
            if !side_by_side {
                x = MARGIN;
            }
            let centre = (x + RADIUS, y + 15);
            match k {
                0 => canvas.marker(SITE, centre, RADIUS - 2),
                1 => mean_bar(canvas, centre),
                _ => middle_bar(canvas, (x, x + 2 * RADIUS), centre.1),
            }
            canvas.text(name, (x + 2 * RADIUS + 14, y), LABEL, INK, HPos::Left);
            x += entry_width(name) + 48;
        }
    });
    Chart {
        file_name: "compare.svg".into(),
        svg,
        alt,
    }
}

/// The programme mean's mark: a black upright bar.
fn mean_bar(canvas: &Canvas, (x, y): (i32, i32)) {
    canvas.rect((x - 3, y - 17), (x + 3, y + 17), INK);
}

/// The middle half of sites: a grey bar outlined in muted ink.
fn middle_bar(canvas: &Canvas, (x0, x1): (i32, i32), y: i32) {
    canvas.rect(
        (x0, y - BAR_HALF),
        (x1.max(x0 + 4), y + BAR_HALF),
        MIDDLE_GREY,
    );
    canvas.outline((x0, y - BAR_HALF), (x1.max(x0 + 4), y + BAR_HALF), MUTED, 1);
}

/// One ingredient's bar, mean and score, or the note that it has no score.
fn draw_row(canvas: &Canvas, scale: &XScale, row: &CompareBar, centre: i32) {
    if let Some((q1, q3)) = row.middle {
        middle_bar(canvas, (scale.x(q1), scale.x(q3)), centre);
    }
    if let Some(mean) = row.programme_mean {
        mean_bar(canvas, (scale.x(mean), centre));
    }
    let Some(score) = row.score else {
        canvas.text(
            NO_SCORE,
            (scale.left + 8, centre - 15),
            NOTE,
            MUTED,
            HPos::Left,
        );
        return;
    };
    let x = scale.x(score);
    canvas.marker(SITE, (x, centre), RADIUS);
    // The value goes on the side away from the programme mean and beyond the
    // middle-half bar, so it covers neither.
    let left = row.programme_mean.is_some_and(|m| score < m);
    let text = whole(score);
    let width = text_width(&text, LABEL);
    let (label_x, h, from) = if left {
        let edge = row.middle.map_or(x, |(q1, _)| scale.x(q1).min(x));
        let label_x = edge.min(x - RADIUS) - VALUE_GAP;
        (label_x, HPos::Right, label_x - width)
    } else {
        let edge = row.middle.map_or(x, |(_, q3)| scale.x(q3).max(x));
        let label_x = edge.max(x + RADIUS) + VALUE_GAP;
        (label_x, HPos::Left, label_x)
    };
    canvas.rect(
        (from - 3, centre - 17),
        (from + width + 3, centre + 17),
        super::WHITE_BG,
    );
    canvas.text(&text, (label_x, centre - 15), LABEL, INK, h);
}

/// "How your site compares, scores out of 100: Receptive context: your score
/// 63, programme mean 60, middle half of sites 55 to 66; ..."
fn alt_text(rows: &[CompareBar]) -> String {
    let clauses: Vec<String> = rows
        .iter()
        .map(|row| {
            let mut parts = vec![match row.score {
                Some(score) => format!("your score {}", whole(score)),
                None => NO_SCORE.to_string(),
            }];
            if let Some(mean) = row.programme_mean {
                parts.push(format!("programme mean {}", whole(mean)));
            }
            if let Some((q1, q3)) = row.middle {
                parts.push(format!(
                    "middle half of sites {} to {}",
                    whole(q1),
                    whole(q3)
                ));
            }
            format!("{}: {}", row.name, parts.join(", "))
        })
        .collect();
    format!(
        "How your site compares with the programme, scores out of 100: {}.",
        clauses.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_text_fits, keep, scores};
    use super::*;

    fn rows() -> Vec<CompareBar> {
        let bar = |name: &str, score, mean, middle| CompareBar {
            name: name.into(),
            score,
            programme_mean: mean,
            middle,
        };
        vec![
            bar(
                "Receptive context",
                Some(63.4),
                Some(60.2),
                Some((55.0, 66.0)),
            ),
            bar("Co-production", Some(41.0), Some(52.0), Some((48.0, 57.0))),
            bar("Shared leadership", None, Some(58.0), Some((50.0, 61.0))),
            bar("Outcome measurement", Some(100.0), Some(70.0), None),
            bar("Adaptation", Some(0.0), None, None),
        ]
    }

    #[test]
    fn each_row_shows_the_score_the_mean_and_the_middle_half() {
        let chart = draw(&rows(), &scores().rules.bands);
        keep(&chart);
        assert_eq!(chart.file_name, "compare.svg");
        assert_text_fits(&chart);
        for value in ["63", "41", "100", "0"] {
            assert!(
                chart.svg.contains(&format!(">\n{value}\n</text>")),
                "{value}"
            );
        }
        assert!(!chart.svg.contains("63.4"));
        assert_eq!(
            chart
                .svg
                .matches(">\nno score for your site\n</text>")
                .count(),
            1
        );
        for name in [SITE_NAME, MEAN_NAME, MIDDLE_NAME] {
            assert!(chart.svg.contains(name), "{name}");
        }
    }

    #[test]
    fn alt_text_says_every_row_in_words() {
        let chart = draw(&rows(), &scores().rules.bands);
        assert!(
            chart.alt.starts_with(
                "How your site compares with the programme, scores out of 100: \
                 Receptive context: your score 63, programme mean 60, middle half of sites 55 to 66; \
                 Co-production: your score 41, programme mean 52, middle half of sites 48 to 57; \
                 Shared leadership: no score for your site, programme mean 58"
            ),
            "{}",
            chart.alt
        );
        assert!(
            chart.alt.ends_with("Adaptation: your score 0."),
            "{}",
            chart.alt
        );
    }

    #[test]
    fn the_chart_is_deterministic() {
        let bands = scores().rules.bands;
        assert_eq!(draw(&rows(), &bands).svg, draw(&rows(), &bands).svg);
    }
}
