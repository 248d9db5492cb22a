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
    Canvas, Chart, Frame, INK, LABEL, LINE_HEIGHT, MARGIN, MUTED, Marker, NOTE, PALETTE, RULE,
    SMALL, Shape, Type, WIDTH, XScale, band_header_height, column_width, render, text_block_height,
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

/// Draws the co-production dumbbell chart: [`layout`], then [`paint`].
pub(super) fn draw(scores: &Scores) -> Chart {
    let alt = alt_text(scores);
    Chart {
        file_name: "coproduction-lens.svg".into(),
        svg: paint(&layout(scores), &scores.rules.bands, &alt),
        alt,
    }
}

/// Where everything in the lens goes, in SVG pixels, worked out without drawing.
struct Layout {
    /// Height of the whole chart.
    height: i32,
    /// The scale, the band names and the plot (its top and bottom the rows').
    frame: Frame,
    /// One row per ingredient, top to bottom.
    rows: Vec<Row>,
    /// The legend's two entries: marker, words and top-left corner.
    legend: Vec<(Marker, &'static str, (i32, i32))>,
}

/// One ingredient's row, placed.
struct Row {
    /// Top edge.
    top: i32,
    /// The row's vertical centre, where the dumbbell goes.
    centre: i32,
    /// The ingredient's name, wrapped, and the top of its first line.
    name: (Vec<String>, i32),
    /// Whether the views differ, in words, with its type and top.
    verdict: Option<(&'static str, Type, i32)>,
    /// The two scores, or `None` when there are not enough responses to compare.
    dumbbell: Option<Dumbbell>,
}

/// Two scores joined by a line.
struct Dumbbell {
    /// The line's ends: people with lived experience, then professionals.
    line: (i32, i32),
    /// Each end (professionals first): its marker and where it lands, and its
    /// value as printed with where the value goes.
    ends: [(Marker, i32, Value); 2],
}

/// A value beside a marker.
struct Value {
    text: String,
    /// The anchor and which side of it the text is on.
    x: i32,
    anchor: HPos,
    /// Left edge and width of the text, for its white backing.
    left: i32,
    width: i32,
}

/// Lays the lens out: names and verdicts in a column, a dumbbell per
/// ingredient with each value on its outer side, and a legend side by side
/// when it fits, one entry under the other when it does not.
fn layout(scores: &Scores) -> Layout {
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
    let left = MARGIN + label_width + 24 + VALUE_ROOM;
    let scale = XScale {
        left,
        right: WIDTH - MARGIN - VALUE_ROOM,
        room: (MARGIN + label_width + 24, WIDTH - MARGIN),
    };
    let header_top = MARGIN;
    let plot_top = header_top + band_header_height(&scale, bands);
    let mut top = plot_top;
    let rows: Vec<Row> = scores
        .ingredients
        .iter()
        .map(|ingredient| {
            let name = wrap(&ingredient.name, LABEL, label_width);
            let gap = ingredient.gap.as_ref();
            let lines = name.len() + usize::from(gap.is_some());
            let height = text_block_height(lines).max(2 * RADIUS) + 2 * ROW_PAD;
            let centre = top + height / 2;
            let label_top = centre - text_block_height(lines) / 2;
            let verdict = gap.map(|gap| {
                let ty = if gap.differs { super::STRONG } else { SMALL };
                let y = label_top + name.len() as i32 * LINE_HEIGHT;
                (verdict(gap), ty, y)
            });
            let row = Row {
                top,
                centre,
                name: (name, label_top),
                verdict,
                dumbbell: gap.map(|gap| dumbbell(&scale, gap)),
            };
            top += height;
            row
        })
        .collect();
    let plot_bottom = top;
    let legend_top = plot_bottom + super::AXIS_HEIGHT + 24;
    // The two entries side by side when they fit, otherwise one under the other.
    let entry_width = |name: &str| 2 * RADIUS + 14 + text_width(name, LABEL);
    let side_by_side =
        MARGIN + entry_width(LIVED_NAME) + 48 + entry_width(PROFESSIONAL_NAME) <= WIDTH - MARGIN;
    let legend = if side_by_side {
        let second = MARGIN + entry_width(LIVED_NAME) + 48;
        vec![
            (LIVED, LIVED_NAME, (MARGIN, legend_top)),
            (PROFESSIONAL, PROFESSIONAL_NAME, (second, legend_top)),
        ]
    } else {
        vec![
            (LIVED, LIVED_NAME, (MARGIN, legend_top)),
            (
                PROFESSIONAL,
                PROFESSIONAL_NAME,
                (MARGIN, legend_top + LINE_HEIGHT + 8),
            ),
        ]
    };
    let legend_height = if side_by_side {
        LINE_HEIGHT
    } else {
        2 * LINE_HEIGHT + 8
    };
    Layout {
        height: legend_top + legend_height + MARGIN,
        frame: Frame {
            scale,
            header_top,
            plot: (plot_top, plot_bottom),
        },
        rows,
        legend,
    }
}

/// One gap's dumbbell: the lower score's value goes left of its marker, the
/// higher's right of it, so the two values never meet.
fn dumbbell(scale: &XScale, gap: &Gap) -> Dumbbell {
    let lived = scale.x(gap.lived_mean);
    let professional = scale.x(gap.professional_mean);
    let lived_lower = gap.lived_mean <= gap.professional_mean;
    let end = |marker: Marker, x: i32, score: f64, lower: bool| {
        let text = whole(score);
        let width = text_width(&text, LABEL);
        let value = if lower {
            let anchor = x - RADIUS - VALUE_GAP;
            Value {
                x: anchor,
                anchor: HPos::Right,
                left: anchor - width,
                width,
                text,
            }
        } else {
            let anchor = x + RADIUS + VALUE_GAP;
            Value {
                x: anchor,
                anchor: HPos::Left,
                left: anchor,
                width,
                text,
            }
        };
        (marker, x, value)
    };
    Dumbbell {
        line: (lived, professional),
        ends: [
            end(
                PROFESSIONAL,
                professional,
                gap.professional_mean,
                !lived_lower,
            ),
            end(LIVED, lived, gap.lived_mean, lived_lower),
        ],
    }
}

/// Paints a laid-out lens on the score `bands`, with `alt` as its title.
fn paint(layout: &Layout, bands: &[crate::score::BandInfo], alt: &str) -> String {
    render(layout.height, alt, |canvas| {
        layout.frame.paint(canvas, bands);
        for (i, row) in layout.rows.iter().enumerate() {
            if i > 0 {
                canvas.line((MARGIN, row.top), (WIDTH - MARGIN, row.top), RULE, 1);
            }
            let (name, label_top) = &row.name;
            canvas.lines(name, (MARGIN, *label_top), LABEL, INK, HPos::Left);
            if let Some((words, ty, y)) = row.verdict {
                canvas.text(words, (MARGIN, y), ty, MUTED, HPos::Left);
            }
            draw_dumbbell(canvas, layout.frame.scale.left, row);
        }
        for (marker, name, (x, y)) in &layout.legend {
            canvas.marker(*marker, (x + RADIUS, y + 15), RADIUS - 2);
            canvas.text(name, (x + 2 * RADIUS + 14, *y), LABEL, INK, HPos::Left);
        }
    })
}

/// One ingredient's two markers and the line between them, or the note
/// (from the plot's `left` edge).
fn draw_dumbbell(canvas: &Canvas, left: i32, row: &Row) {
    let centre = row.centre;
    let Some(dumbbell) = &row.dumbbell else {
        canvas.text(TOO_FEW, (left + 8, centre - 15), NOTE, MUTED, HPos::Left);
        return;
    };
    let (lived, professional) = dumbbell.line;
    canvas.line((lived, centre), (professional, centre), INK, 4);
    for (marker, x, value) in &dumbbell.ends {
        canvas.marker(*marker, (*x, centre), RADIUS);
        // A white backing keeps the value clear of gridlines and band lines.
        canvas.rect(
            (value.left - 3, centre - 17),
            (value.left + value.width + 3, centre + 17),
            super::WHITE_BG,
        );
        canvas.text(
            &value.text,
            (value.x, centre - 15),
            LABEL,
            INK,
            value.anchor,
        );
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
    fn values_sit_outside_their_dumbbell_and_rows_stack() {
        let scores = lens_scores();
        let layout = layout(&scores);
        let (plot_top, plot_bottom) = layout.frame.plot;
        // Rows stack from the top of the plot, each centred between its edges.
        assert_eq!(layout.rows[0].top, plot_top);
        let bottoms = layout
            .rows
            .iter()
            .skip(1)
            .map(|r| r.top)
            .chain([plot_bottom]);
        for (row, bottom) in layout.rows.iter().zip(bottoms) {
            assert!(row.top < bottom);
            assert!((row.centre - (row.top + bottom) / 2).abs() <= 1);
        }
        // Co-production: lived experience 25 (lower, value on the left), professionals 47.
        let co = layout.rows[1].dumbbell.as_ref().unwrap();
        let [(_, professional, high), (_, lived, low)] = &co.ends;
        assert_eq!(co.line, (*lived, *professional));
        assert_eq!(
            (lived, professional),
            (&layout.frame.scale.x(25.43), &layout.frame.scale.x(47.35))
        );
        assert!(low.left + low.width < lived - RADIUS && high.left > professional + RADIUS);
        assert_eq!((low.text.as_str(), high.text.as_str()), ("25", "47"));
        // Equal scores: the lived-experience value goes left, professionals' right.
        let equal = layout.rows[4].dumbbell.as_ref().unwrap();
        assert!(equal.ends[1].2.left < equal.ends[0].2.left);
        // Shared leadership has no gap: no dumbbell and no verdict.
        assert!(layout.rows[2].dumbbell.is_none() && layout.rows[2].verdict.is_none());
        assert_eq!(layout.rows[1].verdict.map(|v| v.0), Some(DIFFER));
        // The legend fits side by side on one line below the axis.
        let [(_, _, (x1, y1)), (_, _, (x2, y2))] = layout.legend[..] else {
            panic!("two legend entries");
        };
        assert!(y1 == y2 && y1 > plot_bottom && x2 > x1);
    }

    #[test]
    fn dumbbell_is_deterministic() {
        let scores = lens_scores();
        assert_eq!(draw(&scores).svg, draw(&scores).svg);
    }
}
