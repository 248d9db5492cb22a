//! One ingredient's statements as diverging stacked bars.
//!
//! One bar per statement, its wording wrapped on the left. Disagreeing answers
//! run left of a centre line and agreeing answers right of it; the middle
//! answer (when the scale has one) is split across the line. Percentages are of
//! the people who gave a scored answer, printed inside a segment when they fit.
//! "No view" answers ("Don't know", "Not applicable") are never scored, so they
//! sit apart in a column on the right, as a count with its share of all answers.
//!
//! Statement counts are over the respondents the privacy rule included, so
//! every figure here is safe to print.
//!
//! Longer than 600 lines only through its tests (a third of the file), which
//! check the layout without drawing and the drawn chart beside it.

use plotters::prelude::RGBColor;
use plotters::style::text_anchor::HPos;

use super::{
    Canvas, Chart, INK, LABEL, LINE_HEIGHT, MARGIN, MUTED, NOTE, RULE, SMALL, STRONG, WHITE_BG,
    WIDTH, column_width, in_sentence, render, text_block_height, text_width, whole, wrap,
};
use crate::score::{ScalePointInfo, Scores, StatementScores};

/// Widest the statement wording may be before it wraps.
const LABEL_CAP: i32 = 500;
/// Bar thickness.
const BAR: i32 = 36;
/// Space above and below a row's content.
const ROW_PAD: i32 = 14;
/// Narrowest the "no view" column may be; it widens to fit its longest label.
const NO_VIEW_WIDTH: i32 = 190;
/// Length of the "no view" bar per percentage point.
const NO_VIEW_PER_POINT: f64 = 0.6;
/// Gap between columns.
const GUTTER: i32 = 24;
/// Room a percentage needs inside its segment, beyond its own width.
const LABEL_ROOM: i32 = 10;
/// Legend swatch size.
const SWATCH: i32 = 26;

/// "No view" answers: a mid grey, darker than the middle answer's, off the
/// scale's blue-orange axis.
const NO_VIEW: RGBColor = RGBColor(0x9A, 0x9A, 0x9A);
/// The middle answer of an odd scale.
const NEUTRAL: RGBColor = RGBColor(0xD9, 0xD9, 0xD9);
/// Disagreeing answers, strongest first: Okabe-Ito vermillion darkened for white
/// text, then lighter tints (lightness tells them apart in greyscale too).
const DISAGREE: [RGBColor; 3] = [
    RGBColor(0xA3, 0x48, 0x00),
    RGBColor(0xEE, 0x9A, 0x5C),
    RGBColor(0xF8, 0xCF, 0xB0),
];
/// Agreeing answers, strongest first: Okabe-Ito blue darkened, then tints.
const AGREE: [RGBColor; 3] = [
    RGBColor(0x00, 0x5A, 0x8E),
    RGBColor(0x6C, 0xAE, 0xDB),
    RGBColor(0xBF, 0xDD, 0xF1),
];

/// How the answers on the scale are drawn, lowest point first.
fn scale_colours(points: usize) -> Vec<RGBColor> {
    let side = points / 2;
    let ramp = |palette: &[RGBColor; 3]| -> Vec<RGBColor> {
        // The strongest colour for the end point, lighter towards the middle.
        (0..side)
            .map(|i| palette[(i * 3 / side.max(1)).min(2)])
            .collect()
    };
    let mut colours = ramp(&DISAGREE);
    if points % 2 == 1 {
        colours.push(NEUTRAL);
    }
    let mut agree = ramp(&AGREE);
    agree.reverse();
    colours.extend(agree);
    colours
}

/// WCAG relative luminance of a colour.
fn luminance(c: RGBColor) -> f64 {
    let channel = |v: u8| {
        let x = f64::from(v) / 255.0;
        if x <= 0.04045 {
            x / 12.92
        } else {
            ((x + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.0) + 0.7152 * channel(c.1) + 0.0722 * channel(c.2)
}

/// WCAG contrast ratio of two colours.
fn contrast(a: RGBColor, b: RGBColor) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The text colour for a label on `fill`: white or ink, whichever contrasts more.
fn text_on(fill: RGBColor) -> RGBColor {
    if contrast(fill, WHITE_BG) > contrast(fill, INK) {
        WHITE_BG
    } else {
        INK
    }
}

/// The points and "no view" answers of a statement's scale (the default
/// scale when `rules.scales` does not name it).
fn scale_of<'a>(
    scores: &'a Scores,
    statement: &StatementScores,
) -> (&'a [ScalePointInfo], &'a [String]) {
    match scores.rules.scales.iter().find(|s| s.id == statement.scale) {
        Some(scale) => (&scale.points, &scale.missing_answers),
        None => (&scores.rules.scale, &scores.rules.missing_answers),
    }
}

/// One statement's row, laid out.
struct Row {
    /// Colours of its scale's points, lowest first.
    colours: Vec<RGBColor>,
    lines: Vec<String>,
    /// Shares of the scored answers per scale point, in percent.
    shares: Vec<f64>,
    /// "No view" answers.
    no_view: usize,
    /// All answers, scored and "no view".
    answers: usize,
    height: i32,
}

/// Where percentages land: 0 on the centre line, disagreeing answers negative.
struct Axis {
    centre: i32,
    /// Pixels per percentage point.
    per_point: f64,
}

impl Axis {
    fn x(&self, percent: f64) -> i32 {
        self.centre + (percent * self.per_point).round() as i32
    }
}

/// Draws the statements chart for `scores.ingredients[index]`: [`layout`], then [`paint`].
pub(super) fn draw(scores: &Scores, index: usize) -> Chart {
    let alt = alt_text(scores, index);
    Chart {
        file_name: format!("statements-{}.svg", scores.ingredients[index].id),
        svg: paint(&layout(scores, index), &alt),
        alt,
    }
}

/// Where everything in the statements chart goes, in SVG pixels, worked out
/// without drawing.
struct Layout {
    /// Height of the whole chart.
    height: i32,
    /// Legend entries: left, top, text, and the swatch colour (none for a heading).
    legend: Vec<(i32, i32, String, Option<RGBColor>)>,
    /// Where percentages land.
    axis: Axis,
    /// Top of the "Disagree" and "Agree" headings either side of the centre line.
    sides_top: i32,
    /// Left edge of the "no view" column.
    no_view_left: i32,
    /// The "no view" column's heading, wrapped, and the top of its first line.
    no_view_header: (Vec<String>, i32),
    /// Gridlines every 25 points: where, and the label when it has one.
    ticks: Vec<(i32, Option<String>)>,
    /// Right edge of the statements' wording.
    labels_right: i32,
    /// Top and bottom of the rows.
    plot: (i32, i32),
    /// The rows, top to bottom, each with its top and its bar's segments.
    rows: Vec<(i32, Row, Vec<Segment>)>,
}

/// One answer's part of a bar.
struct Segment {
    /// Left and right edges.
    x: (i32, i32),
    colour: RGBColor,
    /// The percentage printed inside, when it fits, and its colour.
    label: Option<(String, RGBColor)>,
}

/// Lays the statements chart for `scores.ingredients[index]` out: a column of
/// wrapped wording, bars around a centre line scaled to the furthest bar, the
/// "no view" column sized to its longest text, and a legend wrapped to the width.
fn layout(scores: &Scores, index: usize) -> Layout {
    let ingredient = &scores.ingredients[index];
    // The scales this ingredient's statements use, in order of first use: a
    // legend for each, and one "no view" column for all their "no view" answers.
    let mut used: Vec<(&[ScalePointInfo], &[String])> = Vec::new();
    for statement in &ingredient.statements {
        let scale = scale_of(scores, statement);
        if !used.iter().any(|u| std::ptr::eq(u.0, scale.0)) {
            used.push(scale);
        }
    }
    let mut no_view_labels: Vec<String> = Vec::new();
    for label in used.iter().flat_map(|(_, missing)| missing.iter()) {
        if !no_view_labels.contains(label) {
            no_view_labels.push(label.clone());
        }
    }
    let no_view_labels = &no_view_labels;

    let label_width = column_width(
        ingredient.statements.iter().map(|s| s.text.as_str()),
        LABEL,
        LABEL_CAP,
    )
    .max(text_width("(reverse-worded)", LABEL));
    let rows: Vec<Row> = ingredient
        .statements
        .iter()
        .map(|statement| {
            let mut lines = wrap(&statement.text, LABEL, label_width);
            if statement.reverse {
                lines.push("(reverse-worded)".into());
            }
            let no_view: usize = statement.missing_counts.iter().sum();
            Row {
                colours: scale_colours(scale_of(scores, statement).0.len()),
                height: text_block_height(lines.len()).max(BAR) + 2 * ROW_PAD,
                lines,
                shares: shares(statement),
                no_view,
                answers: statement.n + no_view,
            }
        })
        .collect();

    // Each side reaches as far as its furthest bar, rounded up to 25 points,
    // so that one long side does not squeeze every bar.
    let half = |row: &Row| row.shares.len() / 2;
    let neutral = |row: &Row| {
        if row.shares.len() % 2 == 1 {
            row.shares[half(row)] / 2.0
        } else {
            0.0
        }
    };
    let extent = |side: &dyn Fn(&Row) -> f64| {
        let furthest = rows.iter().map(side).fold(0.0_f64, f64::max);
        ((furthest / 25.0).ceil() * 25.0).clamp(25.0, 100.0)
    };
    let mut left_extent = extent(&|row| row.shares[..half(row)].iter().sum::<f64>() + neutral(row));
    let mut right_extent = extent(&|row| {
        row.shares[row.shares.len() - half(row)..]
            .iter()
            .sum::<f64>()
            + neutral(row)
    });
    while left_extent + right_extent < 100.0 {
        if left_extent <= right_extent {
            left_extent += 25.0;
        } else {
            right_extent += 25.0;
        }
    }
    let plot_left = MARGIN + label_width + GUTTER;
    let no_view_width = rows
        .iter()
        .map(|row| no_view_bar(row) + 8 + text_width(&no_view_text(row), SMALL))
        .fold(NO_VIEW_WIDTH, i32::max);
    let no_view_left = WIDTH - MARGIN - no_view_width;
    let plot_right = no_view_left - GUTTER - 20;
    let per_point = f64::from(plot_right - plot_left) / (left_extent + right_extent);
    let axis = Axis {
        centre: plot_left + (left_extent * per_point).round() as i32,
        per_point,
    };

    // The legend: one entry per answer, wrapped into lines as wide as the
    // chart; with more than one scale, each scale's answers start a line.
    let mut entries: Vec<(String, Option<RGBColor>)> = Vec::new();
    for (points, _) in &used {
        if used.len() > 1 {
            let (low, high) = (&points[0].label, &points[points.len() - 1].label);
            entries.push((format!("Answers from {low} to {high}:"), None));
        }
        let colours = scale_colours(points.len());
        entries.extend(
            points
                .iter()
                .zip(colours)
                .map(|(point, colour)| (point.label.clone(), Some(colour))),
        );
    }
    if !no_view_labels.is_empty() {
        if used.len() > 1 {
            entries.push(("Not scored:".into(), None));
        }
        entries.push((no_view_labels.join(" or "), Some(NO_VIEW)));
    }
    let legend = legend_layout(&entries);
    let legend_height = legend.iter().map(|(_, y, _)| *y).max().unwrap_or(0) + LINE_HEIGHT;

    let header_top = MARGIN + legend_height + 16;
    let no_view_header = wrap(&no_view_heading(no_view_labels), SMALL, no_view_width);
    let header_height = text_block_height(no_view_header.len().max(1)) + 12;
    let plot_top = header_top + header_height;
    let plot_bottom = plot_top + rows.iter().map(|r| r.height).sum::<i32>();
    let height = plot_bottom + 12 + LINE_HEIGHT + MARGIN;

    // Gridlines every 25 points, labelled below; every 50 when labels 25 apart would touch.
    // Room for a label and a clear gap before the next one.
    let label_room = text_width("100%", SMALL) + 48;
    let label_step = if axis.x(25.0) - axis.x(0.0) < label_room {
        50.0
    } else {
        25.0
    };
    let mut ticks = Vec::new();
    let mut tick = -left_extent;
    while tick <= right_extent + 1e-9 {
        let label =
            ((tick / label_step).fract().abs() < 1e-9).then(|| format!("{}%", whole(tick.abs())));
        ticks.push((axis.x(tick), label));
        tick += 25.0;
    }
    let mut top = plot_top;
    let rows = rows
        .into_iter()
        .map(|row| {
            let segments = segments(&axis, &row);
            let placed = (top, row, segments);
            top += placed.1.height;
            placed
        })
        .collect();

    Layout {
        height,
        legend: legend
            .iter()
            .zip(entries)
            .map(|((x, y, _), (text, colour))| (*x, MARGIN + y, text, colour))
            .collect(),
        axis,
        sides_top: header_top + header_height - LINE_HEIGHT - 6,
        no_view_left,
        no_view_header: (
            no_view_header.clone(),
            header_top + header_height - 6 - text_block_height(no_view_header.len()),
        ),
        ticks,
        labels_right: plot_left - GUTTER,
        plot: (plot_top, plot_bottom),
        rows,
    }
}

/// Paints a laid-out statements chart, with `alt` as its title.
fn paint(layout: &Layout, alt: &str) -> String {
    let (plot_top, plot_bottom) = layout.plot;
    let centre_x = layout.axis.centre;
    render(layout.height, alt, |canvas| {
        for (x, y, text, colour) in &layout.legend {
            match colour {
                Some(colour) => {
                    canvas.rect((*x, y + 2), (x + SWATCH, y + 2 + SWATCH), *colour);
                    canvas.outline((*x, y + 2), (x + SWATCH, y + 2 + SWATCH), INK, 1);
                    canvas.text(text, (x + SWATCH + 10, *y), SMALL, INK, HPos::Left);
                }
                None => canvas.text(text, (*x, *y), SMALL, MUTED, HPos::Left),
            }
        }
        // Which way is which, above the bars.
        let sides_top = layout.sides_top;
        canvas.text(
            "Disagree",
            (centre_x - 16, sides_top),
            STRONG,
            INK,
            HPos::Right,
        );
        canvas.text("Agree", (centre_x + 16, sides_top), STRONG, INK, HPos::Left);
        let (header, header_top) = &layout.no_view_header;
        canvas.lines(
            header,
            (layout.no_view_left, *header_top),
            SMALL,
            INK,
            HPos::Left,
        );
        for (x, label) in &layout.ticks {
            canvas.line((*x, plot_top), (*x, plot_bottom), super::GRID, 2);
            if let Some(label) = label {
                canvas.text(label, (*x, plot_bottom + 12), SMALL, MUTED, HPos::Center);
            }
        }
        // The centre line goes under the bars, so it never crosses a label.
        canvas.line((centre_x, plot_top), (centre_x, plot_bottom), INK, 3);
        for (i, (top, row, segments)) in layout.rows.iter().enumerate() {
            if i > 0 {
                canvas.line((MARGIN, *top), (WIDTH - MARGIN, *top), RULE, 1);
            }
            let centre = top + row.height / 2;
            canvas.lines_centred(
                &row.lines,
                (layout.labels_right, centre),
                LABEL,
                INK,
                HPos::Right,
            );
            draw_bar(canvas, centre_x, segments, centre);
            draw_no_view(canvas, row, layout.no_view_left, centre);
        }
    })
}

/// The heading over the "no view" column: its answers' own words.
fn no_view_heading(labels: &[String]) -> String {
    if labels.is_empty() {
        "No view".into()
    } else {
        labels.join(" or ")
    }
}

/// Each scale point's share of the scored answers, in percent.
fn shares(statement: &StatementScores) -> Vec<f64> {
    let n = statement.n.max(1) as f64;
    statement
        .counts
        .iter()
        .map(|c| *c as f64 / n * 100.0)
        .collect()
}

/// Lays legend entries out left to right, wrapping: (x, y offset, width) each.
/// An entry without a colour is a heading: it starts a line and has no swatch.
fn legend_layout(entries: &[(String, Option<RGBColor>)]) -> Vec<(i32, i32, i32)> {
    let mut out = Vec::new();
    let (mut x, mut y) = (MARGIN, 0);
    for (text, colour) in entries {
        let width = if colour.is_some() {
            SWATCH + 10 + text_width(text, SMALL)
        } else {
            text_width(text, SMALL)
        };
        if x > MARGIN && (x + width > WIDTH - MARGIN || colour.is_none()) {
            x = MARGIN;
            y += LINE_HEIGHT + 8;
        }
        out.push((x, y, width));
        x += width + 36;
    }
    out
}

/// A statement's bar around the centre line: one segment per
/// answer with any share, left to right, each labelled with its percentage
/// where that fits inside. Empty when the statement has no scored answers.
fn segments(axis: &Axis, row: &Row) -> Vec<Segment> {
    let points = row.shares.len();
    let half = points / 2;
    let neutral = if points % 2 == 1 {
        row.shares[half] / 2.0
    } else {
        0.0
    };
    // Start at the far left of the disagreeing side and stack rightwards.
    let mut at = -(row.shares[..half].iter().sum::<f64>() + neutral);
    let mut segments = Vec::new();
    for (share, colour) in row.shares.iter().zip(&row.colours) {
        let (x0, x1) = (axis.x(at), axis.x(at + share));
        at += share;
        if x1 <= x0 {
            continue;
        }
        let text = format!("{}%", whole(*share));
        let fits = text_width(&text, SMALL) + LABEL_ROOM <= x1 - x0 && whole(*share) != "0";
        segments.push(Segment {
            x: (x0, x1),
            colour: *colour,
            label: fits.then(|| (text, text_on(*colour))),
        });
    }
    segments
}

/// Paints a bar's segments at height `centre`, or says there were no scored
/// answers when it has none.
fn draw_bar(canvas: &Canvas, centre_x: i32, segments: &[Segment], centre: i32) {
    if segments.is_empty() {
        canvas.text(
            "no scored answers",
            (centre_x + 16, centre - 15),
            NOTE,
            MUTED,
            HPos::Left,
        );
        return;
    }
    let (top, bottom) = (centre - BAR / 2, centre + BAR / 2);
    for segment in segments {
        let (x0, x1) = segment.x;
        canvas.rect((x0, top), (x1, bottom), segment.colour);
        // Thin white seams keep neighbouring segments apart.
        canvas.line((x1, top), (x1, bottom), WHITE_BG, 2);
        if let Some((text, colour)) = &segment.label {
            canvas.text(
                text,
                ((x0 + x1) / 2, centre - 15),
                SMALL,
                *colour,
                HPos::Center,
            );
        }
    }
}

/// The share of all answers that were "no view", in percent.
fn no_view_share(row: &Row) -> f64 {
    if row.answers == 0 {
        0.0
    } else {
        row.no_view as f64 / row.answers as f64 * 100.0
    }
}

/// Length of a row's "no view" bar in pixels.
fn no_view_bar(row: &Row) -> i32 {
    (no_view_share(row) * NO_VIEW_PER_POINT).round() as i32
}

/// "4 (3%)": the "no view" count and its share of every answer.
fn no_view_text(row: &Row) -> String {
    format!("{} ({}%)", row.no_view, whole(no_view_share(row)))
}

/// The "no view" count and its share of every answer, with a small bar.
fn draw_no_view(canvas: &Canvas, row: &Row, left: i32, centre: i32) {
    let length = no_view_bar(row);
    if length > 0 {
        canvas.rect((left, centre - 12), (left + length, centre + 12), NO_VIEW);
        canvas.outline((left, centre - 12), (left + length, centre + 12), MUTED, 1);
    }
    canvas.text(
        &no_view_text(row),
        (left + length + 8, centre - 15),
        SMALL,
        INK,
        HPos::Left,
    );
}

/// "Receptive context, answers to each statement, as a share of scored answers: ..."
fn alt_text(scores: &Scores, index: usize) -> String {
    let ingredient = &scores.ingredients[index];
    let clauses: Vec<String> = ingredient
        .statements
        .iter()
        .map(|s| {
            let (points, labels) = scale_of(scores, s);
            let wording = s.text.trim_end_matches(['.', '!', '?']);
            let reverse = if s.reverse { " (reverse-worded)" } else { "" };
            let answered = if s.n == 0 {
                "no scored answers".to_string()
            } else {
                points
                    .iter()
                    .zip(shares(s))
                    .map(|(p, share)| format!("{} {}%", in_sentence(&p.label), whole(share)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let no_view: Vec<String> = labels
                .iter()
                .zip(&s.missing_counts)
                .map(|(l, c)| format!("{} {c}", in_sentence(l)))
                .collect();
            let no_view = if no_view.is_empty() {
                String::new()
            } else {
                format!("; {}", no_view.join(", "))
            };
            format!(
                "\u{201C}{wording}\u{201D}{reverse}: {answered} of {} scored answers{no_view}",
                s.n
            )
        })
        .collect();
    if clauses.is_empty() {
        return format!("{} has no statements.", ingredient.name);
    }
    format!(
        "{}, how people answered each statement: {}.",
        ingredient.name,
        clauses.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_text_fits, keep, scores};
    use super::*;

    fn statement(id: &str, text: &str, reverse: bool, counts: &[usize]) -> StatementScores {
        StatementScores {
            id: id.into(),
            text: text.into(),
            reverse,
            scale: "agreement".into(),
            n: counts.iter().sum(),
            mean: Some(50.0),
            agree_percent: Some(40.0),
            counts: counts.to_vec(),
            missing_counts: vec![3, 1],
            gap: None,
        }
    }

    /// The chart scores with a five-point scale and three statements on the first ingredient.
    pub(crate) fn likert_scores() -> Scores {
        let mut scores = scores();
        scores.rules.scale = [
            "Strongly disagree",
            "Disagree",
            "Neither agree nor disagree",
            "Agree",
            "Strongly agree",
        ]
        .iter()
        .enumerate()
        .map(|(i, label)| ScalePointInfo {
            value: i as i32 + 1,
            label: (*label).into(),
            score: i as f64 * 25.0,
        })
        .collect();
        scores.rules.missing_answers = vec!["Don't know".into(), "Not applicable".into()];
        for ingredient in &mut scores.ingredients {
            ingredient.statements = vec![
                statement(
                    "a",
                    "Our organisation welcomes new ways of working.",
                    false,
                    &[2, 8, 20, 70, 20],
                ),
                statement(
                    "b",
                    "New ideas here are usually dropped when the first funding ends, however well they worked.",
                    true,
                    &[30, 50, 20, 15, 5],
                ),
                statement("c", "Nobody agreed.", false, &[0, 0, 0, 0, 0]),
            ];
        }
        scores
    }

    #[test]
    fn bars_diverge_with_labels_legend_and_no_view_apart() {
        let scores = likert_scores();
        let chart = draw(&scores, 0);
        keep(&chart);
        assert_eq!(chart.file_name, "statements-context.svg");
        assert_text_fits(&chart);
        let svg = &chart.svg;
        for label in [
            "Strongly disagree",
            "Neither agree nor disagree",
            "Strongly agree",
        ] {
            assert!(svg.contains(&format!(">\n{label}\n</text>")), "{label}");
        }
        // The legend entry for "no view" answers, and the column's heading.
        assert!(svg.contains(">\nDon&apos;t know or Not applicable\n</text>"));
        // 70 of 120 agree: 58%; the reverse-worded statement is marked in words.
        assert!(svg.contains(">\n58%\n</text>"));
        assert!(svg.contains(">\n(reverse-worded)\n</text>"));
        assert!(
            svg.contains(">\n4 (3%)\n</text>"),
            "no-view count and share of all answers"
        );
        assert!(svg.contains(">\nno scored answers\n</text>"));
        // 2 of 120 (2%) does not fit inside its segment, so it is not printed there.
        assert!(!svg.contains(">\n2%\n</text>"));
    }

    #[test]
    fn alt_text_gives_every_share_and_no_view_count() {
        let chart = draw(&likert_scores(), 0);
        assert!(
            chart.alt.starts_with(
                "Receptive context, how people answered each statement: \
             \u{201C}Our organisation welcomes new ways of working\u{201D}: \
             strongly disagree 2%, disagree 7%, neither agree nor disagree 17%, \
             agree 58%, strongly agree 17% of 120 scored answers; don't know 3, not applicable 1;"
            ),
            "{}",
            chart.alt
        );
        assert!(chart.alt.contains("(reverse-worded)"));
        assert!(
            chart
                .alt
                .contains("\u{201C}Nobody agreed\u{201D}: no scored answers")
        );
    }

    #[test]
    fn label_colours_reach_4_5_to_1() {
        for colour in DISAGREE.iter().chain(&AGREE).chain([&NEUTRAL, &NO_VIEW]) {
            assert!(contrast(*colour, text_on(*colour)) >= 4.5, "{colour:?}");
        }
        assert_eq!(scale_colours(5).len(), 5);
        assert_eq!(scale_colours(4)[1], DISAGREE[1]);
        assert_eq!(scale_colours(7)[3], NEUTRAL);
    }

    #[test]
    fn a_seven_point_scale_with_long_labels_still_fits() {
        let mut scores = likert_scores();
        scores.rules.scale = (1..=7)
            .map(|value| ScalePointInfo {
                value,
                label: format!("Point {value} on a long and wordy scale"),
                score: f64::from(value - 1) / 6.0 * 100.0,
            })
            .collect();
        scores.rules.missing_answers = vec![
            "Don't know".into(),
            "Not applicable".into(),
            "Prefer not to say".into(),
        ];
        scores.ingredients[0].statements = (0..15)
            .map(|i| StatementScores {
                missing_counts: vec![i, 1, 0],
                ..statement(
                    &format!("s{i}"),
                    "A statement long enough that it has to wrap over several lines \
                     of the label column, with Supercalifragilisticexpialidocious in it.",
                    i % 4 == 0,
                    &[i, 2, 3, 40, 3, 2, 15 - i],
                )
            })
            .collect();
        let chart = draw(&scores, 0);
        keep(&Chart {
            file_name: "statements-awkward.svg".into(),
            ..chart.clone()
        });
        assert_text_fits(&chart);
        assert_eq!(chart.svg.matches(">\n(reverse-worded)\n</text>").count(), 4);
    }

    #[test]
    fn bars_are_laid_out_around_the_centre_line() {
        let layout = layout(&likert_scores(), 0);
        let centre = layout.axis.centre;
        let (plot_top, plot_bottom) = layout.plot;
        // Rows stack from the top of the plot to its bottom without gaps.
        let mut top = plot_top;
        for (row_top, row, _) in &layout.rows {
            assert_eq!(*row_top, top);
            top += row.height;
        }
        assert_eq!(top, plot_bottom);
        // 2, 8, 20 (split), 70, 20 of 120: the middle segment straddles the centre line,
        // and the bar spans 100% (to a pixel's rounding) without gaps between segments.
        let (_, _, bar) = &layout.rows[0];
        assert_eq!(bar.len(), 5);
        assert!(bar[2].x.0 < centre && centre < bar[2].x.1);
        assert!(bar.windows(2).all(|p| p[0].x.1 == p[1].x.0));
        let full = layout.axis.x(100.0) - layout.axis.x(0.0);
        assert!((bar[4].x.1 - bar[0].x.0 - full).abs() <= 1, "rounding only");
        // Narrow segments go unlabelled; 70 of 120 is labelled 58%.
        assert!(bar[0].label.is_none());
        assert_eq!(bar[3].label.as_ref().unwrap().0, "58%");
        // A statement nobody scored has no bar.
        assert!(layout.rows[2].2.is_empty());
        // Gridlines 25 points apart, the centre one labelled 0%, within the plot.
        assert!(layout.ticks.contains(&(centre, Some("0%".into()))));
        assert!(layout.ticks.windows(2).all(|p| p[0].0 < p[1].0));
        assert!(layout.labels_right < layout.ticks[0].0);
        assert!(layout.ticks.last().unwrap().0 < layout.no_view_left);
    }

    #[test]
    fn statements_chart_is_deterministic() {
        let scores = likert_scores();
        assert_eq!(draw(&scores, 1).svg, draw(&scores, 1).svg);
    }
}
