//! One ingredient by group: a horizontal bar per group, everyone first.
//!
//! Each bar carries its whole-number score and n, and a 95% confidence interval
//! whisker. A hidden group keeps its row, with "fewer than N responses" and no
//! bar, so readers see that the group was asked but is too small to show.

use plotters::style::text_anchor::HPos;

use super::{
    BLUE, BLUE_TINT, Canvas, Chart, Frame, INK, LABEL, MARGIN, NOTE, RULE, STRONG, Type, WHITE_BG,
    WIDTH, XScale, band_header_height, column_width, everyone_clause, fewer_than, group_clause,
    render, text_block_height, text_width, whole, wrap,
};
use crate::score::{Scores, Summary};

/// Widest the group names may be before they wrap.
const LABEL_CAP: i32 = 470;
/// Shortest row.
const ROW_HEIGHT: i32 = 60;
/// Bar thickness.
const BAR: i32 = 30;
/// Gap between the end of a bar (or whisker) and its label.
const LABEL_GAP: i32 = 14;
/// Extra space below the "everyone" row, which a rule sets apart from the groups.
const EVERYONE_GAP: i32 = 10;

/// One row of the chart.
struct Row<'a> {
    lines: Vec<String>,
    ty: Type,
    everyone: bool,
    /// The figures, or `None` when the row is hidden.
    summary: Option<&'a Summary>,
    /// "72 (n=35)", or the hidden-row note.
    value: String,
    height: i32,
}

impl Row<'_> {
    /// The score the row's label follows: the bar's end or the whisker's, whichever is further.
    fn reach(&self) -> f64 {
        self.summary
            .map(|s| s.mean.max(s.ci_high.unwrap_or(s.mean)))
            .unwrap_or(0.0)
    }

    fn value_type(&self) -> Type {
        match (self.summary, self.everyone) {
            (None, _) => NOTE,
            (Some(_), true) => STRONG,
            (Some(_), false) => LABEL,
        }
    }
}

/// Draws the chart for `scores.ingredients[index]`: [`layout`], then [`paint`].
pub(super) fn draw(scores: &Scores, index: usize) -> Chart {
    let alt = alt_text(scores, index);
    Chart {
        file_name: format!("ingredient-{}.svg", scores.ingredients[index].id),
        svg: paint(&layout(scores, index), &scores.rules.bands, &alt),
        alt,
    }
}

/// Where everything in the chart goes, in SVG pixels, worked out without drawing.
struct Layout<'a> {
    /// Height of the whole chart.
    height: i32,
    /// The scale, the band names and the plot (its top and bottom the rows').
    frame: Frame,
    /// The rows, top to bottom.
    rows: Vec<Placed<'a>>,
}

/// One row, placed.
struct Placed<'a> {
    row: Row<'a>,
    /// The vertical centre of its bar and label.
    centre: i32,
    /// The bar's right end, for a shown row.
    bar_end: Option<i32>,
    /// The whisker's ends, when the row has a range.
    whisker: Option<(i32, i32)>,
    /// Left edge of the value label.
    label_x: i32,
    /// Where the rule under the "everyone" row goes.
    rule: Option<i32>,
}

/// Lays the chart for `scores.ingredients[index]` out: the group names
/// wrapped in a column, a plot as wide as lets every label fit to the right
/// of its bar, one row per group under "everyone".
fn layout(scores: &Scores, index: usize) -> Layout<'_> {
    let ingredient = &scores.ingredients[index];
    let min = scores.rules.min_group_size;
    let bands = &scores.rules.bands;

    let everyone = ("Everyone", STRONG, true, ingredient.overall.as_ref());
    let groups = ingredient.groups.iter().map(|c| {
        let summary = c.summary.as_ref().filter(|_| c.shown);
        (c.name.as_str(), LABEL, false, summary)
    });
    let entries: Vec<_> = std::iter::once(everyone).chain(groups).collect();

    let label_width = column_width(entries.iter().map(|(name, ..)| *name), LABEL, LABEL_CAP)
        .max(text_width("Everyone", STRONG));
    let rows: Vec<Row> = entries
        .into_iter()
        .map(|(name, ty, everyone, summary)| {
            let lines = wrap(name, ty, label_width);
            let height = ROW_HEIGHT.max(text_block_height(lines.len()) + 20)
                + if everyone { EVERYONE_GAP } else { 0 };
            let value = match summary {
                Some(s) => format!("{} (n={})", whole(s.mean), s.n),
                None => fewer_than(min),
            };
            Row {
                lines,
                ty,
                everyone,
                summary,
                value,
                height,
            }
        })
        .collect();

    // As wide a plot as lets every label fit to the right of its bar.
    let left = MARGIN + label_width + 24;
    let right_edge = WIDTH - MARGIN;
    let mut plot_width = right_edge - 30 - left;
    for row in &rows {
        let room = right_edge - LABEL_GAP - text_width(&row.value, row.value_type()) - left;
        let reach = row.reach();
        if reach > 0.0 {
            plot_width = plot_width.min((f64::from(room) * 100.0 / reach).floor() as i32);
        }
    }
    let scale = XScale {
        left,
        right: left + plot_width,
        room: (MARGIN, right_edge),
    };

    let header_top = MARGIN;
    let plot_top = header_top + band_header_height(&scale, bands);
    let mut top = plot_top;
    let rows: Vec<Placed> = rows
        .into_iter()
        .map(|row| {
            let centre = top + (row.height - if row.everyone { EVERYONE_GAP } else { 0 }) / 2;
            top += row.height;
            let whisker = row
                .summary
                .and_then(|s| Some((scale.x(s.ci_low?), scale.x(s.ci_high?))));
            let label_x = match row.summary {
                Some(_) => scale.x(row.reach()) + LABEL_GAP,
                None => scale.left + LABEL_GAP,
            };
            Placed {
                centre,
                bar_end: row.summary.map(|s| scale.x(s.mean)),
                whisker,
                label_x,
                rule: row.everyone.then_some(top),
                row,
            }
        })
        .collect();
    Layout {
        height: top + super::AXIS_HEIGHT + MARGIN,
        frame: Frame {
            scale,
            header_top,
            plot: (plot_top, top),
        },
        rows,
    }
}

/// Paints a laid-out chart on the score `bands`, with `alt` as its title.
fn paint(layout: &Layout, bands: &[crate::score::BandInfo], alt: &str) -> String {
    let scale = &layout.frame.scale;
    render(layout.height, alt, |canvas| {
        layout.frame.paint(canvas, bands);
        for placed in &layout.rows {
            let row = &placed.row;
            canvas.lines_centred(
                &row.lines,
                (scale.left - 20, placed.centre),
                row.ty,
                INK,
                HPos::Right,
            );
            draw_bar(canvas, scale.left, placed);
            if let Some(y) = placed.rule {
                canvas.line((MARGIN, y), (WIDTH - MARGIN, y), RULE, 2);
            }
        }
    })
}

/// A row's bar (from `left`), whisker and label; for a hidden row, only the note.
fn draw_bar(canvas: &Canvas, left: i32, placed: &Placed) {
    let (row, centre) = (&placed.row, placed.centre);
    if let Some(end) = placed.bar_end {
        let (top, bottom) = (centre - BAR / 2, centre + BAR / 2);
        if row.everyone {
            canvas.rect((left, top), (end, bottom), BLUE);
        } else {
            canvas.rect((left, top), (end, bottom), BLUE_TINT);
            canvas.outline((left, top), (end, bottom), BLUE, 2);
        }
    }
    if let Some((low, high)) = placed.whisker {
        canvas.whisker(low, high, centre, INK);
    }
    let (label_x, ty) = (placed.label_x, row.value_type());
    // A white backing keeps the label clear of gridlines and band lines.
    let width = text_width(&row.value, ty);
    canvas.rect(
        (label_x - 3, centre - 17),
        (label_x + width + 3, centre + 17),
        WHITE_BG,
    );
    canvas.text(&row.value, (label_x, centre - 15), ty, INK, HPos::Left);
}

/// "Receptive context scores by group, out of 100: everyone 68 (...); managers 74; ..."
fn alt_text(scores: &Scores, index: usize) -> String {
    let ingredient = &scores.ingredients[index];
    let min = scores.rules.min_group_size;
    let clauses: Vec<String> = std::iter::once(everyone_clause(ingredient.overall.as_ref(), min))
        .chain(ingredient.groups.iter().map(|c| group_clause(c, min)))
        .collect();
    format!(
        "{} scores by group, out of 100: {}.",
        ingredient.name,
        clauses.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::{keep, scores};
    use super::*;

    #[test]
    fn bars_show_scores_and_n_and_hide_small_groups() {
        let scores = scores();
        let chart = draw(&scores, 0);
        keep(&chart);
        assert_eq!(chart.file_name, "ingredient-context.svg");
        let svg = &chart.svg;
        assert!(svg.contains("font-family=\"Atkinson Hyperlegible"));
        for (name, label) in [
            ("Everyone", "58 (n=41)"),
            ("Care-experienced", "48 (n=9)"),
            ("Frontline staff", "62 (n=14)"),
            ("Managers and leaders", "67 (n=12)"),
        ] {
            assert!(svg.contains(&format!(">\n{name}")), "{name}");
            assert!(svg.contains(&format!(">\n{label}\n</text>")), "{label}");
        }
        assert!(svg.contains("Commissioners"));
        assert!(svg.contains(">\nfewer than 5 responses\n</text>"));
        assert!(!svg.contains("58.33"));
    }

    #[test]
    fn hidden_long_named_group_gets_a_note_not_a_bar() {
        let chart = draw(&scores(), 4);
        keep(&chart);
        assert_eq!(chart.file_name, "ingredient-adaptation.svg");
        assert_eq!(
            chart
                .svg
                .matches(">\nfewer than 5 responses\n</text>")
                .count(),
            2
        );
        assert!(!chart.svg.contains("(n=6)"));
    }

    #[test]
    fn alt_text_reads_as_a_sentence() {
        let chart = draw(&scores(), 0);
        assert_eq!(
            chart.alt,
            "Receptive context scores by group, out of 100: \
             everyone 58 (developing; 95% confidence interval 54 to 63); \
             care-experienced young people 48; frontline staff 62; managers and leaders 67; \
             someone from a partner organisation in the voluntary sector 55; \
             commissioners: fewer than 5 responses, not shown."
        );
        let hidden = draw(&scores(), 4).alt;
        assert!(hidden.contains(
            "someone from a partner organisation in the voluntary sector: \
             fewer than 5 responses, not shown"
        ));
        assert_eq!(
            hidden.matches("fewer than 5 responses, not shown").count(),
            2
        );
    }

    #[test]
    fn rows_stack_and_every_label_clears_its_bar_and_fits() {
        let scores = scores();
        let layout = layout(&scores, 0);
        let (plot_top, plot_bottom) = layout.frame.plot;
        let mut top = plot_top;
        for placed in &layout.rows {
            assert!(top < placed.centre && placed.centre < top + placed.row.height);
            top += placed.row.height;
        }
        assert_eq!(top, plot_bottom);
        assert_eq!(
            layout.height,
            plot_bottom + super::super::AXIS_HEIGHT + MARGIN
        );
        // Only the "everyone" row has a rule under it, at the first group's top.
        let rules: Vec<i32> = layout.rows.iter().filter_map(|p| p.rule).collect();
        assert_eq!(rules, [plot_top + layout.rows[0].row.height]);
        for placed in &layout.rows {
            let value_end = placed.label_x + text_width(&placed.row.value, placed.row.value_type());
            assert!(value_end <= WIDTH - MARGIN, "{} runs off", placed.row.value);
            match (placed.bar_end, placed.row.summary) {
                (Some(end), Some(summary)) => {
                    assert_eq!(end, layout.frame.scale.x(summary.mean));
                    let reach = placed.whisker.map_or(end, |(_, high)| high.max(end));
                    assert_eq!(placed.label_x, reach + LABEL_GAP);
                }
                (None, None) => assert_eq!(placed.label_x, layout.frame.scale.left + LABEL_GAP),
                _ => panic!("a bar exactly for a shown row"),
            }
        }
        // The hidden commissioners keep their row, with no bar and no whisker.
        let hidden = layout.rows.last().unwrap();
        assert!(hidden.bar_end.is_none() && hidden.whisker.is_none());
    }

    #[test]
    fn ingredient_chart_is_deterministic() {
        let scores = scores();
        assert_eq!(draw(&scores, 2).svg, draw(&scores, 2).svg);
    }
}
