//! The profile: every ingredient's score for everyone and by group, as a dot plot.
//!
//! One row per ingredient, in instrument order. The overall score sits on the
//! row's first line as a black bar with its confidence interval, its value in
//! the "Everyone" column on the right. Each group has its own line below, in
//! the same place in every row, so close scores never hide one another.

use plotters::style::text_anchor::HPos;

use super::{
    Canvas, Chart, INK, LABEL, LINE_HEIGHT, MARGIN, Marker, NOTE, RULE, SMALL, STRONG, WIDTH,
    XScale, band_header_height, column_width, draw_scale, everyone_clause, fewer_than,
    group_clause, render, text_block_height, text_width, whole, wrap,
};
use crate::score::{IngredientScores, Scores};

/// Space above and below a row's content.
const ROW_PAD: i32 = 14;
/// Height of the overall line.
const OVERALL_HEIGHT: i32 = 40;
/// Distance between group lines.
const GROUP_STEP: i32 = 24;
/// Group marker radius.
const MARKER_RADIUS: i32 = 10;
/// Widest the ingredient names may be before they wrap.
const LABEL_CAP: i32 = 360;
/// Width of a legend entry's symbol.
const GLYPH_WIDTH: i32 = 56;

/// The groups drawn, with their markers, and the groups never shown.
struct Legend {
    /// (id, name, marker) of each group shown for at least one ingredient.
    drawn: Vec<(String, String, Marker)>,
    /// Names of groups shown for no ingredient.
    never_shown: Vec<String>,
    /// True when a drawn group is missing from some ingredient's row.
    gaps: bool,
}

impl Legend {
    fn of(ingredients: &[IngredientScores]) -> Legend {
        // Group order: as the cells list them, first appearance first.
        let mut all: Vec<(&str, &str)> = Vec::new();
        for cell in ingredients.iter().flat_map(|i| &i.groups) {
            if !all.iter().any(|(id, _)| *id == cell.id) {
                all.push((&cell.id, &cell.name));
            }
        }
        let shown_anywhere = |id: &str| {
            ingredients
                .iter()
                .flat_map(|i| &i.groups)
                .any(|c| c.id == id && c.shown && c.summary.is_some())
        };
        let mut drawn = Vec::new();
        let mut never_shown = Vec::new();
        for (id, name) in all {
            if shown_anywhere(id) {
                drawn.push((id.to_string(), name.to_string(), Marker::nth(drawn.len())));
            } else {
                never_shown.push(name.to_string());
            }
        }
        let gaps = ingredients
            .iter()
            .any(|i| drawn.iter().any(|(id, _, _)| position(i, id).is_none()));
        Legend {
            drawn,
            never_shown,
            gaps,
        }
    }
}

/// The score of group `id` for an ingredient, when shown.
fn position(ingredient: &IngredientScores, id: &str) -> Option<f64> {
    ingredient
        .groups
        .iter()
        .find(|c| c.id == id && c.shown)
        .and_then(|c| c.summary.as_ref())
        .map(|s| s.mean)
}

/// What a legend entry shows beside its text.
enum Glyph {
    Everyone,
    Group(Marker),
    None,
}

/// A legend entry, laid out.
struct Entry {
    glyph: Glyph,
    lines: Vec<String>,
    hidden: bool,
}

/// Draws the profile chart.
pub(super) fn draw(scores: &Scores) -> Chart {
    let min = scores.rules.min_group_size;
    let bands = &scores.rules.bands;
    let legend = Legend::of(&scores.ingredients);

    let label_width = column_width(
        scores.ingredients.iter().map(|i| i.name.as_str()),
        LABEL,
        LABEL_CAP,
    );
    let value_column = text_width("Everyone", STRONG) + 8;
    let value_centre = WIDTH - MARGIN - value_column / 2;
    let right = WIDTH - MARGIN - value_column - 24;
    let scale = XScale {
        left: MARGIN + label_width + 28,
        right,
        // Band names keep clear of the "Everyone" column.
        room: (MARGIN, right + 12),
    };

    let header_top = MARGIN;
    let plot_top = header_top + band_header_height(&scale, bands).max(LINE_HEIGHT + 10);
    let group_lines = legend.drawn.len() as i32;
    let rows: Vec<(Vec<String>, i32)> = scores
        .ingredients
        .iter()
        .map(|i| {
            let lines = wrap(&i.name, LABEL, label_width);
            let content =
                (OVERALL_HEIGHT + group_lines * GROUP_STEP).max(text_block_height(lines.len()));
            (lines, content + 2 * ROW_PAD)
        })
        .collect();
    let plot_bottom = plot_top + rows.iter().map(|(_, h)| h).sum::<i32>();

    let legend_top = plot_bottom + super::AXIS_HEIGHT + 28;
    let entries = legend_entries(&legend, min);
    let column_width = (WIDTH - 2 * MARGIN) / 2;
    let entry_height = |e: &Entry| text_block_height(e.lines.len()) + 14;
    let legend_rows: Vec<i32> = entries
        .chunks(2)
        .map(|pair| pair.iter().map(entry_height).max().unwrap_or(0))
        .collect();
    let notes: Vec<String> = if legend.gaps {
        wrap(
            &format!(
                "A group with no marker in a row had {} for that ingredient.",
                fewer_than(min)
            ),
            SMALL,
            WIDTH - 2 * MARGIN,
        )
    } else {
        Vec::new()
    };
    let notes_top = legend_top + legend_rows.iter().sum::<i32>() + 14;
    let height = notes_top + notes.len() as i32 * LINE_HEIGHT + MARGIN;

    let alt = alt_text(scores);
    let svg = render(height, &alt, |canvas| {
        draw_scale(canvas, &scale, bands, header_top, plot_top, plot_bottom);
        canvas.text(
            "Everyone",
            (value_centre, header_top + 4),
            STRONG,
            INK,
            HPos::Center,
        );
        let mut top = plot_top;
        for (ingredient, (lines, height)) in scores.ingredients.iter().zip(&rows) {
            if top > plot_top {
                canvas.line((MARGIN, top), (WIDTH - MARGIN, top), RULE, 1);
            }
            canvas.lines_centred(lines, (MARGIN, top + height / 2), LABEL, INK, HPos::Left);
            draw_row(canvas, &scale, ingredient, &legend, top, value_centre, min);
            top += height;
        }

        let mut y = legend_top;
        for (pair, row_height) in entries.chunks(2).zip(&legend_rows) {
            for (k, entry) in pair.iter().enumerate() {
                let x = MARGIN + k as i32 * column_width;
                draw_entry(canvas, entry, (x, y));
            }
            y += row_height;
        }
        canvas.lines(&notes, (MARGIN, notes_top), SMALL, INK, HPos::Left);
    });

    Chart {
        file_name: "profile.svg".to_string(),
        svg,
        alt,
    }
}

/// One ingredient's row: the overall bar and whisker, then one line per group.
fn draw_row(
    canvas: &Canvas,
    scale: &XScale,
    ingredient: &IngredientScores,
    legend: &Legend,
    top: i32,
    value_centre: i32,
    min: usize,
) {
    let overall_y = top + ROW_PAD + OVERALL_HEIGHT / 2;
    let group_y =
        |j: usize| top + ROW_PAD + OVERALL_HEIGHT + GROUP_STEP * j as i32 + GROUP_STEP / 2;
    match &ingredient.overall {
        Some(overall) => {
            if let (Some(low), Some(high)) = (overall.ci_low, overall.ci_high) {
                canvas.whisker(scale.x(low), scale.x(high), overall_y, INK);
            }
            let x = scale.x(overall.mean);
            if !legend.drawn.is_empty() {
                // A faint guide down through the group lines, to compare each group with everyone.
                let bottom = group_y(legend.drawn.len() - 1) + MARKER_RADIUS;
                canvas.line((x, overall_y + 16), (x, bottom), RULE, 2);
            }
            canvas.everyone_marker((x, overall_y));
            canvas.text(
                &whole(overall.mean),
                (value_centre, overall_y - 15),
                STRONG,
                INK,
                HPos::Center,
            );
        }
        None => canvas.text(
            &format!("Everyone: {}", fewer_than(min)),
            (scale.left + 12, overall_y - 15),
            NOTE,
            INK,
            HPos::Left,
        ),
    }
    for (j, (id, _, marker)) in legend.drawn.iter().enumerate() {
        if let Some(mean) = position(ingredient, id) {
            canvas.marker(*marker, (scale.x(mean), group_y(j)), MARKER_RADIUS);
        }
    }
}

/// Legend entries: everyone, each drawn group, then groups never shown (no marker).
fn legend_entries(legend: &Legend, min: usize) -> Vec<Entry> {
    let text_width = (WIDTH - 2 * MARGIN) / 2 - GLYPH_WIDTH - 24;
    let mut entries = vec![Entry {
        glyph: Glyph::Everyone,
        lines: wrap("Everyone, with 95% confidence interval", LABEL, text_width),
        hidden: false,
    }];
    entries.extend(legend.drawn.iter().map(|(_, name, marker)| Entry {
        glyph: Glyph::Group(*marker),
        lines: wrap(name, LABEL, text_width),
        hidden: false,
    }));
    entries.extend(legend.never_shown.iter().map(|name| Entry {
        glyph: Glyph::None,
        lines: wrap(&format!("{name}: {}", fewer_than(min)), NOTE, text_width),
        hidden: true,
    }));
    entries
}

fn draw_entry(canvas: &Canvas, entry: &Entry, (x, y): (i32, i32)) {
    // The symbol lines up with the entry's first line of text.
    let glyph_y = y + 15;
    let glyph_x = x + GLYPH_WIDTH / 2;
    match entry.glyph {
        Glyph::Everyone => {
            canvas.whisker(glyph_x - 22, glyph_x + 22, glyph_y, INK);
            canvas.everyone_marker((glyph_x, glyph_y));
        }
        Glyph::Group(marker) => canvas.marker(marker, (glyph_x, glyph_y), MARKER_RADIUS),
        Glyph::None => {}
    }
    let ty = if entry.hidden { NOTE } else { LABEL };
    canvas.lines(&entry.lines, (x + GLYPH_WIDTH + 12, y), ty, INK, HPos::Left);
}

/// One sentence per ingredient: everyone's score, then each group's.
fn alt_text(scores: &Scores) -> String {
    let min = scores.rules.min_group_size;
    let mut alt = "Scores out of 100 for each ingredient, for everyone and by group.".to_string();
    for ingredient in &scores.ingredients {
        let clauses: Vec<String> =
            std::iter::once(everyone_clause(ingredient.overall.as_ref(), min))
                .chain(ingredient.groups.iter().map(|c| group_clause(c, min)))
                .collect();
        alt.push_str(&format!(" {}: {}.", ingredient.name, clauses.join("; ")));
    }
    alt
}

#[cfg(test)]
mod tests {
    use super::super::tests::{keep, scores};
    use super::*;

    #[test]
    fn profile_names_every_group_and_hides_small_ones() {
        let scores = scores();
        let chart = draw(&scores);
        keep(&chart);
        assert_eq!(chart.file_name, "profile.svg");
        assert!(chart.svg.contains("font-family=\"Atkinson Hyperlegible"));
        assert!(!chart.svg.contains("font-family=\"Arial"));
        for name in [
            "Care-experienced young people",
            "Frontline staff",
            "Managers and leaders",
        ] {
            assert!(chart.svg.contains(name), "{name} missing from the legend");
        }
        // The long name is wrapped, so look for its start.
        assert!(chart.svg.contains("Someone from a partner"));
        assert!(chart.svg.contains("Commissioners: fewer than 5 responses"));
        // Overall scores, whole numbers.
        for overall in ["58", "65", "71", "78", "84"] {
            assert!(
                chart.svg.contains(&format!(">\n{overall}\n</text>")),
                "{overall}"
            );
        }
        assert!(!chart.svg.contains("58.33"));
    }

    #[test]
    fn profile_alt_text_has_every_group_and_no_hidden_number() {
        let chart = draw(&scores());
        let alt = &chart.alt;
        assert!(alt.starts_with("Scores out of 100"));
        assert!(alt.contains(
            "Receptive context: everyone 58 (developing; 95% confidence interval 54 to 63); \
             care-experienced young people 48; frontline staff 62; managers and leaders 67; \
             someone from a partner organisation in the voluntary sector 55; \
             commissioners: fewer than 5 responses, not shown."
        ));
        assert!(alt.contains(
            "someone from a partner organisation in the voluntary sector: fewer than 5 responses, not shown"
        ));
        assert_eq!(
            alt.matches("commissioners: fewer than 5 responses").count(),
            5
        );
    }

    #[test]
    fn profile_is_deterministic() {
        let scores = scores();
        assert_eq!(draw(&scores).svg, draw(&scores).svg);
    }
}
