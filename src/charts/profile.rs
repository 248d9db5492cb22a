//! The profile: every ingredient's score for everyone and by group, as a dot plot.
//!
//! One row per ingredient, in instrument order. The overall score sits on the
//! row's first line as a black bar with its confidence interval, its value in
//! the "Everyone" column on the right. Each group has its own line below, in
//! the same place in every row, so close scores never hide one another.

use plotters::style::text_anchor::HPos;

use super::{
    Canvas, Chart, Frame, INK, LABEL, LINE_HEIGHT, MARGIN, Marker, NOTE, RULE, SMALL, STRONG,
    WIDTH, XScale, band_header_height, column_width, everyone_clause, fewer_than, group_clause,
    render, text_block_height, text_width, whole, wrap,
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

/// Draws the profile chart: [`layout`], then [`paint`].
pub(super) fn draw(scores: &Scores) -> Chart {
    let alt = alt_text(scores);
    Chart {
        file_name: "profile.svg".to_string(),
        svg: paint(&layout(scores), &scores.rules.bands, &alt),
        alt,
    }
}

/// Where everything in the profile goes, in SVG pixels, worked out without drawing.
struct Layout {
    /// Height of the whole chart.
    height: i32,
    /// The scale, the band names and the plot (its top and bottom the rows').
    frame: Frame,
    /// Centre of the column of everyone's scores on the right.
    value_centre: i32,
    /// One row per ingredient, top to bottom.
    rows: Vec<RowLayout>,
    /// The legend's entries, each with its top-left corner.
    legend: Vec<(Entry, (i32, i32))>,
    /// The note under the legend, wrapped, and its top.
    notes: (Vec<String>, i32),
}

/// One ingredient's row, placed.
struct RowLayout {
    /// Top edge.
    top: i32,
    /// Height, padding included.
    height: i32,
    /// The ingredient's name, wrapped.
    lines: Vec<String>,
    /// The overall line's centre.
    overall_y: i32,
    /// Everyone's score, or the note that it is hidden.
    everyone: Everyone,
    /// Each shown group's marker and its centre, in legend order.
    markers: Vec<(Marker, (i32, i32))>,
}

/// Everyone's score in a row.
enum Everyone {
    /// The score: where it lands, its whisker's ends, the bottom of the
    /// faint guide down through the group lines (none without groups) and
    /// its value as printed.
    Shown {
        x: i32,
        whisker: Option<(i32, i32)>,
        guide_bottom: Option<i32>,
        value: String,
    },
    /// "Everyone: fewer than 5 responses".
    Hidden(String),
}

/// Lays the profile out: names in a column, a row per ingredient with a line
/// for everyone and one per drawn group, the legend in two columns below.
fn layout(scores: &Scores) -> Layout {
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
    let mut top = plot_top;
    let rows: Vec<RowLayout> = scores
        .ingredients
        .iter()
        .map(|ingredient| {
            let lines = wrap(&ingredient.name, LABEL, label_width);
            let content =
                (OVERALL_HEIGHT + group_lines * GROUP_STEP).max(text_block_height(lines.len()));
            let row = row_layout(
                ingredient,
                &legend,
                &scale,
                (top, content + 2 * ROW_PAD),
                min,
            );
            top += row.height;
            RowLayout { lines, ..row }
        })
        .collect();
    let plot_bottom = top;

    let legend_top = plot_bottom + super::AXIS_HEIGHT + 28;
    let entries = legend_entries(&legend, min);
    let column_width = (WIDTH - 2 * MARGIN) / 2;
    let entry_height = |e: &Entry| text_block_height(e.lines.len()) + 14;
    let mut placed = Vec::with_capacity(entries.len());
    let mut y = legend_top;
    let mut entries = entries.into_iter().peekable();
    while entries.peek().is_some() {
        let pair: Vec<Entry> = entries.by_ref().take(2).collect();
        let row_height = pair.iter().map(entry_height).max().unwrap_or(0);
        for (k, entry) in pair.into_iter().enumerate() {
            placed.push((entry, (MARGIN + k as i32 * column_width, y)));
        }
        y += row_height;
    }
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
    let notes_top = y + 14;
    Layout {
        height: notes_top + notes.len() as i32 * LINE_HEIGHT + MARGIN,
        frame: Frame {
            scale,
            header_top,
            plot: (plot_top, plot_bottom),
        },
        value_centre,
        rows,
        legend: placed,
        notes: (notes, notes_top),
    }
}

/// One ingredient's row at `top` and `height` (its name's lines are filled
/// in by the caller): the overall line, then one line per drawn group.
fn row_layout(
    ingredient: &IngredientScores,
    legend: &Legend,
    scale: &XScale,
    (top, height): (i32, i32),
    min: usize,
) -> RowLayout {
    let overall_y = top + ROW_PAD + OVERALL_HEIGHT / 2;
    let group_y =
        |j: usize| top + ROW_PAD + OVERALL_HEIGHT + GROUP_STEP * j as i32 + GROUP_STEP / 2;
    let everyone = match &ingredient.overall {
        Some(overall) => Everyone::Shown {
            x: scale.x(overall.mean),
            whisker: overall
                .ci_low
                .zip(overall.ci_high)
                .map(|(low, high)| (scale.x(low), scale.x(high))),
            guide_bottom: (!legend.drawn.is_empty())
                .then(|| group_y(legend.drawn.len() - 1) + MARKER_RADIUS),
            value: whole(overall.mean),
        },
        None => Everyone::Hidden(format!("Everyone: {}", fewer_than(min))),
    };
    let markers = legend
        .drawn
        .iter()
        .enumerate()
        .filter_map(|(j, (id, _, marker))| {
            position(ingredient, id).map(|mean| (*marker, (scale.x(mean), group_y(j))))
        })
        .collect();
    RowLayout {
        top,
        height,
        lines: Vec::new(),
        overall_y,
        everyone,
        markers,
    }
}

/// Paints a laid-out profile on the score `bands`, with `alt` as its title.
fn paint(layout: &Layout, bands: &[crate::score::BandInfo], alt: &str) -> String {
    let plot_top = layout.frame.plot.0;
    render(layout.height, alt, |canvas| {
        layout.frame.paint(canvas, bands);
        canvas.text(
            "Everyone",
            (layout.value_centre, layout.frame.header_top + 4),
            STRONG,
            INK,
            HPos::Center,
        );
        for row in &layout.rows {
            if row.top > plot_top {
                canvas.line((MARGIN, row.top), (WIDTH - MARGIN, row.top), RULE, 1);
            }
            let centre = row.top + row.height / 2;
            canvas.lines_centred(&row.lines, (MARGIN, centre), LABEL, INK, HPos::Left);
            draw_row(canvas, layout, row);
        }
        for (entry, corner) in &layout.legend {
            draw_entry(canvas, entry, *corner);
        }
        let (notes, notes_top) = &layout.notes;
        canvas.lines(notes, (MARGIN, *notes_top), SMALL, INK, HPos::Left);
    })
}

/// One ingredient's row: the overall bar and whisker, then one line per group.
fn draw_row(canvas: &Canvas, layout: &Layout, row: &RowLayout) {
    let overall_y = row.overall_y;
    match &row.everyone {
        Everyone::Shown {
            x,
            whisker,
            guide_bottom,
            value,
        } => {
            if let Some((low, high)) = whisker {
                canvas.whisker(*low, *high, overall_y, INK);
            }
            if let Some(bottom) = guide_bottom {
                // A faint guide down through the group lines, to compare each group with everyone.
                canvas.line((*x, overall_y + 16), (*x, *bottom), RULE, 2);
            }
            canvas.everyone_marker((*x, overall_y));
            canvas.text(
                value,
                (layout.value_centre, overall_y - 15),
                STRONG,
                INK,
                HPos::Center,
            );
        }
        Everyone::Hidden(note) => canvas.text(
            note,
            (layout.frame.scale.left + 12, overall_y - 15),
            NOTE,
            INK,
            HPos::Left,
        ),
    }
    for (marker, centre) in &row.markers {
        canvas.marker(*marker, *centre, MARKER_RADIUS);
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
    fn rows_stack_and_each_group_keeps_its_line() {
        let scores = scores();
        let layout = layout(&scores);
        let (plot_top, plot_bottom) = layout.frame.plot;
        let mut top = plot_top;
        for (row, ingredient) in layout.rows.iter().zip(&scores.ingredients) {
            assert_eq!(row.top, top);
            top += row.height;
            let Everyone::Shown { x, whisker, .. } = &row.everyone else {
                panic!("every ingredient of the fixture has a score");
            };
            let overall = ingredient.overall.as_ref().unwrap();
            assert_eq!(*x, layout.frame.scale.x(overall.mean));
            let (low, high) = whisker.unwrap();
            assert!(low <= *x && *x <= high);
            // Group lines below the overall line, in legend order, each group at its score.
            let ys: Vec<i32> = row.markers.iter().map(|(_, (_, y))| *y).collect();
            assert!(ys.windows(2).all(|p| p[0] < p[1]));
            assert!(
                ys.iter()
                    .all(|y| row.overall_y < *y && *y < row.top + row.height)
            );
        }
        assert_eq!(top, plot_bottom);
        // Four groups are drawn; commissioners (hidden everywhere) never get a line,
        // and the partner organisation (hidden for adaptation) has no marker there.
        assert_eq!(layout.rows[0].markers.len(), 4);
        assert_eq!(layout.rows[4].markers.len(), 3);
        let partner_line = layout.rows[0].markers[3].1.1 - layout.rows[0].top;
        assert!(
            layout.rows[4]
                .markers
                .iter()
                .all(|(_, (_, y))| y - layout.rows[4].top != partner_line)
        );
        // The legend: two columns, a new pair below the tallest of the last.
        assert!(layout.legend.iter().all(|(_, (_, y))| *y > plot_bottom));
        for pair in layout.legend.chunks(2) {
            assert_eq!(pair[0].1.0, MARGIN);
            if let [left, right] = pair {
                assert_eq!(left.1.1, right.1.1);
                assert!(right.1.0 > left.1.0);
            }
        }
        let (notes, notes_top) = &layout.notes;
        assert!(!notes.is_empty() && *notes_top > layout.legend.last().unwrap().1.1);
    }

    #[test]
    fn profile_is_deterministic() {
        let scores = scores();
        assert_eq!(draw(&scores).svg, draw(&scores).svg);
    }
}
