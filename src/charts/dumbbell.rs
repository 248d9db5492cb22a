//! The co-production lens: per ingredient, the score of people with lived
//! experience of care and of professionals, joined by a line.
//!
//! People with lived experience are a blue circle, professionals a vermillion
//! square, each with its whole-number score beside it (lower score on the
//! left, higher on the right, so the labels never meet). Under each ingredient's
//! name the chart says whether the two views differ, from the gap's 95%
//! interval; an ingredient without a gap says there are not enough responses
//! to compare.

use plotters::style::text_anchor::HPos;

use super::{
    Canvas, Chart, INK, LABEL, LINE_HEIGHT, MARGIN, MUTED, Marker, NOTE, PALETTE, RULE, SMALL,
    Shape, WIDTH, XScale, band_header_height, column_width, draw_scale, render, text_block_height,
    text_width, whole, wrap,
};
use crate::score::{Gap, Scores};

/// Widest the ingredient names may be before they wrap.
const LABEL_CAP: i32 = 380;
/// Space above and below a row's content.
const ROW_PAD: i32 = 16;
/// Marker radius.
const RADIUS: i32 = 13;
/// Gap between a marker and its value.
const VALUE_GAP: i32 = 10;
/// Room left of 0 and right of 100 for a value label ("100" at most).
const VALUE_ROOM: i32 = 80;

/// People with lived experience of care.
const LIVED: Marker = Marker {
    shape: Shape::Circle,
    colour: PALETTE[0],
};
/// Professionals: everyone else in a shown group.
const PROFESSIONAL: Marker = Marker {
    shape: Shape::Square,
    colour: PALETTE[1],
};

/// The legend's words for each side.
const LIVED_NAME: &str = "People with lived experience of care";
const PROFESSIONAL_NAME: &str = "Professionals (everyone else)";
/// What a row says about its gap.
const DIFFER: &str = "Views differ";
const NO_CLEAR: &str = "No clear difference";
const TOO_FEW: &str = "not enough responses to compare";

/// Says whether a gap shows a difference, in the chart's words.
fn verdict(gap: &Gap) -> &'static str {
    if gap.differs { DIFFER } else { NO_CLEAR }
}

struct Row<'a> {
    lines: Vec<String>,
    gap: Option<&'a Gap>,
    height: i32,
}

/// Draws the co-production dumbbell chart.
pub(super) fn draw(scores: &Scores) -> Chart {
    let bands = &scores.rules.bands;
    let label_width = column_width(
        scores
            .ingredients
            .iter()
            .map(|i| i.name.as_str())
            .chain([DIFFER, NO_CLEAR]),
        LABEL,
        LABEL_CAP,
    );
    let rows: Vec<Row> = scores
        .ingredients
        .iter()
        .map(|ingredient| {
            let mut lines = wrap(&ingredient.name, LABEL, label_width);
            let gap = ingredient.gap.as_ref();
            if let Some(gap) = gap {
                lines.push(verdict(gap).to_string());
            }
            Row {
                height: text_block_height(lines.len()).max(2 * RADIUS) + 2 * ROW_PAD,
                lines,
                gap,
            }
        })
        .collect();

    let left = MARGIN + label_width + 24 + VALUE_ROOM;
    let scale = XScale {
        left,
        right: WIDTH - MARGIN - VALUE_ROOM,
        room: (MARGIN + label_width + 24, WIDTH - MARGIN),
    };
    let header_top = MARGIN;
    let plot_top = header_top + band_header_height(&scale, bands);
    let plot_bottom = plot_top + rows.iter().map(|r| r.height).sum::<i32>();
    let legend_top = plot_bottom + super::AXIS_HEIGHT + 24;
    let legend = [(LIVED, LIVED_NAME), (PROFESSIONAL, PROFESSIONAL_NAME)];
    // The two entries side by side when they fit, otherwise one under the other.
    let entry_width = |name: &str| 2 * RADIUS + 14 + text_width(name, LABEL);
    let side_by_side =
        MARGIN + entry_width(LIVED_NAME) + 48 + entry_width(PROFESSIONAL_NAME) <= WIDTH - MARGIN;
    let legend_height = if side_by_side {
        LINE_HEIGHT
    } else {
        2 * LINE_HEIGHT + 8
    };
    let height = legend_top + legend_height + MARGIN;

    let alt = alt_text(scores);
    let svg = render(height, &alt, |canvas| {
        draw_scale(canvas, &scale, bands, header_top, plot_top, plot_bottom);
        let mut top = plot_top;
        for (i, row) in rows.iter().enumerate() {
            if i > 0 {
                canvas.line((MARGIN, top), (WIDTH - MARGIN, top), RULE, 1);
            }
            let centre = top + row.height / 2;
            let label_top = centre - text_block_height(row.lines.len()) / 2;
            let name_lines = row.lines.len() - usize::from(row.gap.is_some());
            canvas.lines(
                &row.lines[..name_lines],
                (MARGIN, label_top),
                LABEL,
                INK,
                HPos::Left,
            );
            if let Some(gap) = row.gap {
                let y = label_top + name_lines as i32 * LINE_HEIGHT;
                let ty = if gap.differs { super::STRONG } else { SMALL };
                canvas.text(verdict(gap), (MARGIN, y), ty, MUTED, HPos::Left);
            }
            draw_dumbbell(canvas, &scale, row.gap, centre);
            top += row.height;
        }
        let mut x = MARGIN;
        for (k, (marker, name)) in legend.iter().enumerate() {
            let y = if side_by_side || k == 0 {
                legend_top
            } else {
                legend_top + LINE_HEIGHT + 8
            };
            if !side_by_side {
                x = MARGIN;
            }
            canvas.marker(*marker, (x + RADIUS, y + 15), RADIUS - 2);
            canvas.text(name, (x + 2 * RADIUS + 14, y), LABEL, INK, HPos::Left);
            x += entry_width(name) + 48;
        }
    });

    Chart {
        file_name: "coproduction-lens.svg".into(),
        svg,
        alt,
    }
}

/// One ingredient's two markers and the line between them, or the note.
fn draw_dumbbell(canvas: &Canvas, scale: &XScale, gap: Option<&Gap>, centre: i32) {
    let Some(gap) = gap else {
        canvas.text(
            TOO_FEW,
            (scale.left + 8, centre - 15),
            NOTE,
            MUTED,
            HPos::Left,
        );
        return;
    };
    let lived = scale.x(gap.lived_mean);
    let professional = scale.x(gap.professional_mean);
    canvas.line((lived, centre), (professional, centre), INK, 4);
    // The lower score's label goes left of it, the higher's right of it.
    let lived_lower = gap.lived_mean <= gap.professional_mean;
    for (marker, x, value, lower) in [
        (
            PROFESSIONAL,
            professional,
            gap.professional_mean,
            !lived_lower,
        ),
        (LIVED, lived, gap.lived_mean, lived_lower),
    ] {
        canvas.marker(marker, (x, centre), RADIUS);
        let (label_x, h) = if lower {
            (x - RADIUS - VALUE_GAP, HPos::Right)
        } else {
            (x + RADIUS + VALUE_GAP, HPos::Left)
        };
        // A white backing keeps the value clear of gridlines and band lines.
        let text = whole(value);
        let width = text_width(&text, LABEL);
        let left = if lower { label_x - width } else { label_x };
        canvas.rect(
            (left - 3, centre - 17),
            (left + width + 3, centre + 17),
            super::WHITE_BG,
        );
        canvas.text(&text, (label_x, centre - 15), LABEL, INK, h);
    }
}

/// "Co-production lens, scores out of 100: Receptive context: people with lived
/// experience of care 63, professionals 68, no clear difference; ..."
fn alt_text(scores: &Scores) -> String {
    let clauses: Vec<String> = scores
        .ingredients
        .iter()
        .map(|ingredient| match &ingredient.gap {
            Some(gap) => format!(
                "{}: people with lived experience of care {}, professionals {}, {}",
                ingredient.name,
                whole(gap.lived_mean),
                whole(gap.professional_mean),
                if gap.differs {
                    "the views differ"
                } else {
                    "no clear difference"
                }
            ),
            None => format!("{}: {TOO_FEW}", ingredient.name),
        })
        .collect();
    format!(
        "Co-production lens, scores out of 100 of people with lived experience of care \
         and of professionals: {}.",
        clauses.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_text_fits, keep, scores};
    use super::*;

    fn gap(lived: f64, professional: f64, differs: bool) -> Gap {
        Gap {
            lived_n: 14,
            lived_mean: lived,
            professional_n: 120,
            professional_mean: professional,
            difference: lived - professional,
            ci_low: lived - professional - 8.0,
            ci_high: lived - professional + 8.0,
            differs,
        }
    }

    fn lens_scores() -> Scores {
        let mut scores = scores();
        let gaps = [
            Some(gap(62.87, 67.51, false)),
            Some(gap(25.43, 47.35, true)),
            None,
            Some(gap(100.0, 0.0, true)),
            Some(gap(55.0, 55.0, false)),
        ];
        for (ingredient, gap) in scores.ingredients.iter_mut().zip(gaps) {
            ingredient.gap = gap;
        }
        scores
    }

    #[test]
    fn dumbbells_label_both_ends_and_say_whether_views_differ() {
        let chart = draw(&lens_scores());
        keep(&chart);
        assert_eq!(chart.file_name, "coproduction-lens.svg");
        assert_text_fits(&chart);
        let svg = &chart.svg;
        for value in ["63", "68", "25", "47", "100", "0"] {
            assert!(svg.contains(&format!(">\n{value}\n</text>")), "{value}");
        }
        assert_eq!(svg.matches(">\nViews differ\n</text>").count(), 2);
        assert_eq!(svg.matches(">\nNo clear difference\n</text>").count(), 2);
        assert!(svg.contains(">\nnot enough responses to compare\n</text>"));
        assert!(svg.contains(LIVED_NAME) && svg.contains(PROFESSIONAL_NAME));
        assert!(!svg.contains("62.87"));
    }

    #[test]
    fn alt_text_names_every_ingredient() {
        let chart = draw(&lens_scores());
        assert!(chart.alt.contains(
            "Receptive context: people with lived experience of care 63, professionals 68, \
             no clear difference; Co-production: people with lived experience of care 25, \
             professionals 47, the views differ; Shared leadership: not enough responses to compare;"
        ), "{}", chart.alt);
    }

    #[test]
    fn dumbbell_is_deterministic() {
        let scores = lens_scores();
        assert_eq!(draw(&scores).svg, draw(&scores).svg);
    }
}
