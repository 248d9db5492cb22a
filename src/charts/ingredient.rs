//! One ingredient by group: a horizontal bar per group, everyone first.
//!
//! Each bar carries its whole-number score and n, and a 95% confidence interval
//! whisker. A hidden group keeps its row, with "fewer than N responses" and no
//! bar, so readers see that the group was asked but is too small to show.

use plotters::style::text_anchor::HPos;

use super::{
    BLUE, BLUE_TINT, Canvas, Chart, INK, LABEL, MARGIN, NOTE, RULE, STRONG, Type, WHITE_BG, WIDTH,
    XScale, band_header_height, column_width, draw_scale, everyone_clause, fewer_than,
    group_clause, render, text_block_height, text_width, whole, wrap,
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

/// Draws the chart for `scores.ingredients[index]`.
pub(super) fn draw(scores: &Scores, index: usize) -> Chart {
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
    let plot_bottom = plot_top + rows.iter().map(|r| r.height).sum::<i32>();
    let height = plot_bottom + super::AXIS_HEIGHT + MARGIN;

    let alt = alt_text(scores, index);
    let svg = render(height, &alt, |canvas| {
        draw_scale(canvas, &scale, bands, header_top, plot_top, plot_bottom);
        let mut top = plot_top;
        for row in &rows {
            let centre = top + (row.height - if row.everyone { EVERYONE_GAP } else { 0 }) / 2;
            canvas.lines_centred(
                &row.lines,
                (scale.left - 20, centre),
                row.ty,
                INK,
                HPos::Right,
            );
            draw_bar(canvas, &scale, row, centre);
            top += row.height;
            if row.everyone {
                canvas.line((MARGIN, top), (WIDTH - MARGIN, top), RULE, 2);
            }
        }
    });

    Chart {
        file_name: format!("ingredient-{}.svg", ingredient.id),
        svg,
        alt,
    }
}

/// A row's bar, whisker and label; for a hidden row, only the note.
fn draw_bar(canvas: &Canvas, scale: &XScale, row: &Row, centre: i32) {
    let label_x = match row.summary {
        Some(summary) => {
            let end = scale.x(summary.mean);
            let (top, bottom) = (centre - BAR / 2, centre + BAR / 2);
            if row.everyone {
                canvas.rect((scale.left, top), (end, bottom), BLUE);
            } else {
                canvas.rect((scale.left, top), (end, bottom), BLUE_TINT);
                canvas.outline((scale.left, top), (end, bottom), BLUE, 2);
            }
            if let (Some(low), Some(high)) = (summary.ci_low, summary.ci_high) {
                canvas.whisker(scale.x(low), scale.x(high), centre, INK);
            }
            scale.x(row.reach()) + LABEL_GAP
        }
        None => scale.left + LABEL_GAP,
    };
    let ty = row.value_type();
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
    fn ingredient_chart_is_deterministic() {
        let scores = scores();
        assert_eq!(draw(&scores, 2).svg, draw(&scores, 2).svg);
    }
}
