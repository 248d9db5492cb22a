//! Charts drawn with plotters as SVG, in the fonts and palette the template ships.
//!
//! Plotters is used for drawing only; layout is worked out here. Without a font
//! engine plotters can only guess how wide text is, so every label is measured
//! with `text_width` (the template font's own advance widths, rounded up) and
//! wrapped before it is placed: no label is ever clipped or drawn over another.
//!
//! Privacy: a group cell that is not shown has no figures, and the charts and
//! their alternative text only ever say "fewer than N responses" about it.

mod dumbbell;
mod ingredient;
mod likert;
mod profile;
mod trend;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::score::{BandInfo, Scores};

/// One chart: its file name in the build folder's `charts/`, the SVG and its alternative text.
#[derive(Debug, Clone)]
pub struct Chart {
    /// File name, such as `profile.svg`.
    pub file_name: String,
    /// The SVG document.
    pub svg: String,
    /// Alternative text generated from the data.
    pub alt: String,
}

/// The five ingredient scores, overall and by group, as one dot plot.
pub fn profile(scores: &Scores) -> Chart {
    profile::draw(scores)
}

/// One ingredient's score by group, with confidence intervals.
///
/// # Panics
/// When `index` is not an index into `scores.ingredients`.
pub fn ingredient(scores: &Scores, index: usize) -> Chart {
    ingredient::draw(scores, index)
}

/// One ingredient's statements as diverging stacked bars (`statements-<id>.svg`):
/// disagreeing answers left of a centre line, agreeing right, "no view" apart.
///
/// # Panics
/// When `index` is not an index into `scores.ingredients`.
pub fn statements(scores: &Scores, index: usize) -> Chart {
    likert::draw(scores, index)
}

/// The co-production lens (`coproduction-lens.svg`): per ingredient, the scores of
/// people with lived experience of care and of professionals, joined by a line.
pub fn coproduction_lens(scores: &Scores) -> Chart {
    dumbbell::draw(scores)
}

/// Every ingredient's overall score wave by wave, as lines labelled at their ends
/// (`trend.svg`). `scores` are the latest wave's, for the bands and privacy threshold.
pub fn trend(trend: &crate::score::trend::Trend, scores: &Scores) -> Chart {
    trend::draw(trend, scores)
}

/// The font every chart uses: the template ships it, and Typst renders the SVG with it.
/// The generic fallback only matters to other SVG viewers.
const FONT_FAMILY: &str = "Atkinson Hyperlegible, sans-serif";

/// Chart width in pixels; the template prints charts 16 cm wide, so 1 px is about 0.32 pt.
const WIDTH: i32 = 1400;
/// Space around the whole chart.
const MARGIN: i32 = 24;
/// Distance between the tops of two lines of wrapped text.
const LINE_HEIGHT: i32 = 34;

/// A text size and weight. Sizes are SVG pixels: 28 px prints at about 9 pt.
/// Not every size survives plotters' rounding exactly (26 and 30 do not; see
/// [`plotters_size`]).
#[derive(Clone, Copy)]
struct Type {
    px: f64,
    style: FontStyle,
}

/// Row labels and values.
const LABEL: Type = Type {
    px: 28.0,
    style: FontStyle::Normal,
};
/// The overall figures.
const STRONG: Type = Type {
    px: 28.0,
    style: FontStyle::Bold,
};
/// Axis ticks, band names and notes: the same size, since 9 pt is the floor.
const SMALL: Type = Type {
    px: 28.0,
    style: FontStyle::Normal,
};
/// "fewer than N responses" in place of a figure.
const NOTE: Type = Type {
    px: 28.0,
    style: FontStyle::Italic,
};

/// Text: near-black on white, well above 4.5:1.
const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Secondary text (notes, ticks): #555 on white is 7.5:1.
const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
const WHITE_BG: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
const RULE: RGBColor = RGBColor(0xBB, 0xBB, 0xBB);
const BAND_LINE: RGBColor = RGBColor(0x88, 0x88, 0x88);
const BAND_SHADE: RGBColor = RGBColor(0xF3, 0xF3, 0xF3);

/// Okabe-Ito colours, in the order groups get them. Black is kept for "everyone".
/// Yellow comes last and, like every marker, is outlined in [`INK`].
const PALETTE: [RGBColor; 7] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0xF0, 0xE4, 0x42), // yellow
];
/// Blue for the "everyone" bar; a light tint of it for group bars.
const BLUE: RGBColor = PALETTE[0];
const BLUE_TINT: RGBColor = RGBColor(0xB8, 0xD8, 0xEE);

/// Marker shapes, so that colour is never the only thing telling groups apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Circle,
    Square,
    TriangleUp,
    Diamond,
    TriangleDown,
    Plus,
    Cross,
    Star,
}

const SHAPES: [Shape; 8] = [
    Shape::Circle,
    Shape::Square,
    Shape::TriangleUp,
    Shape::Diamond,
    Shape::TriangleDown,
    Shape::Plus,
    Shape::Cross,
    Shape::Star,
];

/// How one group is drawn: shape and colour both differ from every other group's
/// (up to 56 groups, far more than any instrument has).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Marker {
    shape: Shape,
    colour: RGBColor,
}

impl Marker {
    /// The marker of the `index`-th group drawn.
    fn nth(index: usize) -> Marker {
        Marker {
            shape: SHAPES[index % SHAPES.len()],
            colour: PALETTE[index % PALETTE.len()],
        }
    }
}

/// The families the template sets text in, in the order it falls back from
/// one to the next for a character the first does not draw (`report.typ`).
const FALLBACK_FAMILIES: [&str; 5] = [
    "Atkinson Hyperlegible",
    "Noto Sans",
    "Noto Sans Arabic",
    "Noto Sans JP",
    "Noto Emoji",
];

/// The advance width of `c` in thousandths of an em, from the first family in
/// [`FALLBACK_FAMILIES`] that draws it: the wider of its upright and italic
/// faces of the same weight (its regular faces when it has no bold). A full em
/// for a character no shipped font draws (the report replaces those before
/// they reach a chart).
fn advance(c: char, bold: bool) -> f64 {
    let fonts = crate::fonts::shipped();
    for family in FALLBACK_FAMILIES {
        let of_family = || fonts.iter().filter(move |f| f.family == family);
        let has_weight = of_family().any(|f| f.bold == bold);
        let widest = of_family()
            .filter(|f| f.bold == bold || !has_weight)
            .filter_map(|f| f.advance(c))
            .reduce(f64::max);
        if let Some(width) = widest {
            return width;
        }
    }
    1000.0
}

/// A slightly generous width in pixels for `text` at size `ty`: the shipped
/// fonts' own advance widths ([`advance`]) plus 3% (room for kerning and
/// renderers' rounding).
fn text_width(text: &str, ty: Type) -> i32 {
    let bold = matches!(ty.style, FontStyle::Bold);
    let thousandths: f64 = text.chars().map(|c| advance(c, bold)).sum();
    (thousandths / 1000.0 * ty.px * 1.03).ceil() as i32
}

/// Splits `text` into lines no wider than `max_width` pixels, breaking at spaces
/// and, for a word too long for a line on its own, inside the word.
fn wrap(text: &str, ty: Type, max_width: i32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let joined = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&joined, ty) <= max_width {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if text_width(&line, ty) > max_width && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::replace(&mut line, c.to_string()));
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The width a column of labels needs: the widest label, but at most `cap`
/// (longer labels are wrapped to `cap`).
fn column_width<'a>(labels: impl IntoIterator<Item = &'a str>, ty: Type, cap: i32) -> i32 {
    labels
        .into_iter()
        .map(|label| text_width(label, ty))
        .max()
        .unwrap_or(0)
        .min(cap)
}

/// A score as printed: a whole number, halves rounded away from zero.
fn whole(value: f64) -> String {
    format!("{}", value.round() as i64)
}

/// What is said instead of a hidden figure.
fn fewer_than(min_group_size: usize) -> String {
    if min_group_size <= 1 {
        "no responses".to_string()
    } else {
        format!("fewer than {min_group_size} responses")
    }
}

/// A name as it reads inside a sentence: "Frontline staff" becomes "frontline
/// staff", but "NHS staff" keeps its capitals.
fn in_sentence(name: &str) -> String {
    let first_word = name.split_whitespace().next().unwrap_or("");
    if first_word.chars().filter(|c| c.is_uppercase()).count() > 1 {
        return name.to_string();
    }
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One group's clause in alternative text; never a number for a hidden cell.
fn group_clause(cell: &crate::score::GroupCell, min_group_size: usize) -> String {
    match (&cell.summary, cell.shown) {
        (Some(summary), true) => format!("{} {}", in_sentence(&cell.name), whole(summary.mean)),
        _ => format!(
            "{}: {}, not shown",
            in_sentence(&cell.name),
            fewer_than(min_group_size)
        ),
    }
}

/// The overall clause in alternative text, with its band and confidence interval.
fn everyone_clause(overall: Option<&crate::score::Summary>, min_group_size: usize) -> String {
    let Some(summary) = overall else {
        return format!("everyone: {}, not shown", fewer_than(min_group_size));
    };
    let band = in_sentence(&summary.band);
    match (summary.ci_low, summary.ci_high) {
        (Some(low), Some(high)) => format!(
            "everyone {} ({band}; 95% confidence interval {} to {})",
            whole(summary.mean),
            whole(low),
            whole(high)
        ),
        _ => format!("everyone {} ({band})", whole(summary.mean)),
    }
}

/// Where 0-100 scores land horizontally.
#[derive(Debug, Clone, Copy)]
struct XScale {
    /// Where 0 lands.
    left: i32,
    /// Where 100 lands.
    right: i32,
    /// Horizontal room that band names above the plot may use.
    room: (i32, i32),
}

impl XScale {
    fn x(&self, score: f64) -> i32 {
        let share = score.clamp(0.0, 100.0) / 100.0;
        self.left + (share * f64::from(self.right - self.left)).round() as i32
    }
}

/// Gridline and tick positions.
const TICKS: [f64; 5] = [0.0, 25.0, 50.0, 75.0, 100.0];

/// Band names placed above the plot.
struct BandHeader {
    /// (centre x, line, name) per band.
    labels: Vec<(i32, usize, String)>,
    /// Lines of names.
    lines: usize,
    /// True when every name fits inside its own band, so boundaries can run up
    /// through the header without crossing a name.
    inside: bool,
}

impl BandHeader {
    /// Lays the names out: inside their bands when they fit; otherwise centred
    /// over their bands, spread over as few lines as keeps them apart.
    fn new(scale: &XScale, bands: &[BandInfo]) -> BandHeader {
        let widths: Vec<i32> = bands.iter().map(|b| text_width(&b.name, SMALL)).collect();
        let spans: Vec<(i32, i32)> = bands
            .iter()
            .map(|b| (scale.x(b.from), scale.x(b.to)))
            .collect();
        let inside = widths
            .iter()
            .zip(&spans)
            .all(|(w, (x0, x1))| *w <= x1 - x0 - 8);
        let centres: Vec<i32> = widths
            .iter()
            .zip(&spans)
            .map(|(w, (x0, x1))| {
                let (lo, hi) = scale.room;
                ((x0 + x1) / 2).min(hi - w / 2).max(lo + w / 2)
            })
            .collect();
        let apart = |i: usize, j: usize| {
            let gap = (centres[j] - centres[i]).abs() - (widths[i] + widths[j]) / 2;
            gap >= 24
        };
        // With one name per line nothing can collide, so this always finds a layout.
        let lines = (1..=bands.len().max(1))
            .find(|&lines| {
                (0..bands.len()).all(|j| (0..j).all(|i| i % lines != j % lines || apart(i, j)))
            })
            .unwrap_or(1);
        BandHeader {
            labels: bands
                .iter()
                .enumerate()
                .map(|(i, b)| (centres[i], i % lines, b.name.clone()))
                .collect(),
            lines,
            inside,
        }
    }

    /// Height of the header.
    fn height(&self) -> i32 {
        self.lines as i32 * LINE_HEIGHT + 10
    }
}

/// Height of the band names above the plot.
fn band_header_height(scale: &XScale, bands: &[BandInfo]) -> i32 {
    BandHeader::new(scale, bands).height()
}

/// Height of the tick labels and axis title below the plot.
const AXIS_HEIGHT: i32 = 12 + LINE_HEIGHT + 4 + LINE_HEIGHT;

/// Draws the scale behind the data: band shading, band boundaries, band names in
/// `header_top..plot_top`, gridlines in `plot_top..plot_bottom`, and tick labels
/// and axis title below `plot_bottom`.
fn draw_scale(
    canvas: &Canvas,
    scale: &XScale,
    bands: &[BandInfo],
    header_top: i32,
    plot_top: i32,
    plot_bottom: i32,
) {
    let header = BandHeader::new(scale, bands);
    // Shading and boundaries run up through the header only when no name crosses them.
    let band_top = if header.inside { header_top } else { plot_top };
    // Every other band is shaded so the bands read as areas, not just lines.
    for (i, band) in bands.iter().enumerate() {
        if i % 2 == 1 {
            canvas.rect(
                (scale.x(band.from), band_top),
                (scale.x(band.to), plot_bottom),
                BAND_SHADE,
            );
        }
    }
    for tick in TICKS {
        let x = scale.x(tick);
        canvas.line((x, plot_top), (x, plot_bottom), GRID, 2);
        canvas.text(
            &whole(tick),
            (x, plot_bottom + 12),
            SMALL,
            MUTED,
            HPos::Center,
        );
    }
    for band in bands.iter().filter(|b| b.from > 0.0 && b.from < 100.0) {
        let x = scale.x(band.from);
        canvas.line((x, band_top), (x, plot_bottom), BAND_LINE, 2);
    }
    for (x, line, name) in &header.labels {
        let y = header_top + 4 + *line as i32 * LINE_HEIGHT;
        canvas.text(name, (*x, y), SMALL, INK, HPos::Center);
    }
    canvas.line(
        (scale.left, plot_bottom),
        (scale.right, plot_bottom),
        MUTED,
        2,
    );
    canvas.text(
        "Score out of 100",
        (
            (scale.left + scale.right) / 2,
            plot_bottom + 12 + LINE_HEIGHT + 4,
        ),
        SMALL,
        MUTED,
        HPos::Center,
    );
}

/// A thin wrapper over a plotters drawing area in pixel coordinates.
struct Canvas<'a, 'b> {
    area: &'b DrawingArea<SVGBackend<'a>, Shift>,
}

/// Drawing into a string cannot fail; plotters still returns a `Result`.
const DRAWN: &str = "drawing into a string does not fail";

impl Canvas<'_, '_> {
    /// One line of text whose line box starts at `y` (the text's top).
    fn text(&self, text: &str, (x, y): (i32, i32), ty: Type, colour: RGBColor, h: HPos) {
        // plotters anchors VPos::Top at 0.76em below `y`: the baseline of a line
        // whose capitals start about 3 px below `y`.
        let font = FontDesc::new(
            FontFamily::Name(FONT_FAMILY),
            plotters_size(ty.px),
            ty.style,
        );
        let style = TextStyle::from(font)
            .color(&colour)
            .pos(Pos::new(h, VPos::Top));
        self.area
            .draw(&Text::new(text.to_string(), (x, y), style))
            .expect(DRAWN);
    }

    /// Wrapped lines, the first line box starting at `y`.
    fn lines(&self, lines: &[String], (x, y): (i32, i32), ty: Type, colour: RGBColor, h: HPos) {
        for (i, line) in lines.iter().enumerate() {
            self.text(line, (x, y + i as i32 * LINE_HEIGHT), ty, colour, h);
        }
    }

    /// Wrapped lines centred vertically on `centre_y`.
    fn lines_centred(
        &self,
        lines: &[String],
        (x, centre_y): (i32, i32),
        ty: Type,
        colour: RGBColor,
        h: HPos,
    ) {
        let top = centre_y - text_block_height(lines.len()) / 2;
        self.lines(lines, (x, top), ty, colour, h);
    }

    /// A filled rectangle.
    fn rect(&self, from: (i32, i32), to: (i32, i32), colour: RGBColor) {
        self.area
            .draw(&Rectangle::new([from, to], colour.filled()))
            .expect(DRAWN);
    }

    /// A straight line.
    fn line(&self, from: (i32, i32), to: (i32, i32), colour: RGBColor, width: u32) {
        self.area
            .draw(&PathElement::new(
                vec![from, to],
                colour.stroke_width(width),
            ))
            .expect(DRAWN);
    }

    /// A rectangle outline.
    fn outline(&self, from: (i32, i32), to: (i32, i32), colour: RGBColor, width: u32) {
        let points = vec![from, (to.0, from.1), to, (from.0, to.1), from];
        self.area
            .draw(&PathElement::new(points, colour.stroke_width(width)))
            .expect(DRAWN);
    }

    /// A 95% confidence interval: a horizontal line with end caps.
    fn whisker(&self, x0: i32, x1: i32, y: i32, colour: RGBColor) {
        self.line((x0, y), (x1, y), colour, 3);
        self.line((x0, y - 9), (x0, y + 9), colour, 3);
        self.line((x1, y - 9), (x1, y + 9), colour, 3);
    }

    /// The "everyone" marker: a bold black upright bar, unlike any group's shape.
    fn everyone_marker(&self, (x, y): (i32, i32)) {
        self.rect((x - 5, y - 16), (x + 5, y + 16), BLACK);
    }

    /// A group marker of about `2 * r` pixels across, filled and outlined in ink.
    fn marker(&self, marker: Marker, (x, y): (i32, i32), r: i32) {
        let fill = marker.colour.filled();
        let edge = INK.stroke_width(2);
        if marker.shape == Shape::Circle {
            self.area.draw(&Circle::new((x, y), r, fill)).expect(DRAWN);
            self.area.draw(&Circle::new((x, y), r, edge)).expect(DRAWN);
            return;
        }
        let r = f64::from(r);
        let points: Vec<(i32, i32)> = shape_points(marker.shape)
            .iter()
            .map(|(dx, dy)| (x + (dx * r).round() as i32, y + (dy * r).round() as i32))
            .collect();
        self.area
            .draw(&Polygon::new(points.clone(), fill))
            .expect(DRAWN);
        let mut closed = points;
        closed.push(closed[0]);
        self.area
            .draw(&PathElement::new(closed, edge))
            .expect(DRAWN);
    }
}

/// The size to give plotters for `px`-pixel text: plotters writes `font-size` as
/// size / 1.24, so this finds the size for which that division gives `px` exactly
/// (and the SVG says `font-size="26"`, not `26.000000000000004`).
fn plotters_size(px: f64) -> f64 {
    let guess = px * 1.24;
    (0..16u64)
        .flat_map(|k| {
            [
                f64::from_bits(guess.to_bits() + k),
                f64::from_bits(guess.to_bits() - k),
            ]
        })
        .find(|size| size / 1.24 == px)
        .unwrap_or(guess)
}

/// Height of `lines` lines of text, from the first line's top to the last line's
/// descenders.
fn text_block_height(lines: usize) -> i32 {
    (lines.max(1) as i32 - 1) * LINE_HEIGHT + 30
}

/// A shape's outline on a unit radius, sized so the shapes look about equally heavy.
fn shape_points(shape: Shape) -> Vec<(f64, f64)> {
    let arm = 0.38;
    let long = 1.1;
    let plus = vec![
        (-arm, -long),
        (arm, -long),
        (arm, -arm),
        (long, -arm),
        (long, arm),
        (arm, arm),
        (arm, long),
        (-arm, long),
        (-arm, arm),
        (-long, arm),
        (-long, -arm),
        (-arm, -arm),
    ];
    match shape {
        Shape::Circle | Shape::Square => {
            vec![(-0.92, -0.92), (0.92, -0.92), (0.92, 0.92), (-0.92, 0.92)]
        }
        Shape::TriangleUp => vec![(0.0, -1.2), (1.15, 0.8), (-1.15, 0.8)],
        Shape::TriangleDown => vec![(0.0, 1.2), (1.15, -0.8), (-1.15, -0.8)],
        Shape::Diamond => vec![(0.0, -1.25), (1.1, 0.0), (0.0, 1.25), (-1.1, 0.0)],
        Shape::Plus => plus,
        Shape::Cross => {
            let turn = std::f64::consts::FRAC_1_SQRT_2;
            plus.iter()
                .map(|(x, y)| ((x - y) * turn, (x + y) * turn))
                .collect()
        }
        Shape::Star => (0..10)
            .map(|i| {
                let radius = if i % 2 == 0 { 1.2 } else { 0.55 };
                let angle = std::f64::consts::PI * f64::from(i) / 5.0;
                (radius * angle.sin(), -radius * angle.cos())
            })
            .collect(),
    }
}

/// Draws a chart of `height` pixels and returns the SVG with `alt` as its `<title>`.
fn render(height: i32, alt: &str, draw: impl FnOnce(&Canvas)) -> String {
    let mut svg = String::new();
    {
        let area =
            SVGBackend::with_string(&mut svg, (WIDTH as u32, height as u32)).into_drawing_area();
        area.fill(&WHITE_BG).expect(DRAWN);
        draw(&Canvas { area: &area });
        area.present().expect(DRAWN);
    }
    with_title(&svg, alt)
}

/// Puts `<title>` right after the opening `<svg>` tag, where screen readers look for it.
fn with_title(svg: &str, alt: &str) -> String {
    let escaped = alt
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    match svg.find(">\n") {
        Some(end) => format!(
            "{}>\n<title>{escaped}</title>\n{}",
            &svg[..end],
            &svg[end + 2..]
        ),
        None => svg.to_string(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::score::{
        GroupCell, IngredientScores, InstrumentInfo, ResponseCounts, Rules, Summary,
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

    #[test]
    fn font_size_survives_the_plotters_round_trip() {
        // plotters divides the size by 1.24 when it writes the SVG.
        for px in [LABEL.px, STRONG.px, SMALL.px, NOTE.px] {
            assert_eq!(plotters_size(px) / 1.24, px);
        }
    }

    #[test]
    fn wrap_keeps_every_line_within_the_width() {
        let name = "Someone from a partner organisation in the voluntary sector";
        let lines = wrap(name, LABEL, 400);
        assert!(lines.len() >= 2);
        assert!(lines.iter().all(|l| text_width(l, LABEL) <= 400));
        assert_eq!(lines.join(" "), name);
        let long_word = wrap("Supercalifragilisticexpialidocious", LABEL, 150);
        assert!(long_word.iter().all(|l| text_width(l, LABEL) <= 150));
        assert_eq!(long_word.concat(), "Supercalifragilisticexpialidocious");
        assert_eq!(wrap("", LABEL, 100), vec![String::new()]);
    }

    #[test]
    fn text_is_measured_in_the_shipped_fonts_beyond_ascii() {
        // Atkinson Hyperlegible has no ŵ or ŷ; Typst falls back to Noto Sans, and so do we.
        assert_eq!(advance('ŵ', false), 786.0);
        assert_eq!(advance('ŷ', false), 510.0);
        assert_eq!(advance('ŵ', true), 862.0);
        // Curly quotes and Polish letters are Atkinson Hyperlegible's own (wider of upright and italic).
        assert_eq!(advance('“', false), 398.0);
        assert_eq!(advance('’', false), 238.0);
        assert_eq!(advance('’', true), 282.0);
        assert_eq!(advance('ł', false), 273.0);
        assert_eq!(advance('東', false), 1000.0);
        // Two Welsh letters are now far less than the two ems once guessed.
        let px = |text: &str| text_width(text, LABEL);
        assert_eq!(
            px("ŵŷ"),
            ((786.0 + 510.0) / 1000.0 * 28.0 * 1.03f64).ceil() as i32
        );
        assert!(px("“Gwŷr”") < px("GwŷrGwŷr"));
        // A character no shipped font draws still counts a full em.
        assert_eq!(advance('\u{10FFFD}', false), 1000.0);
    }

    #[test]
    fn ascii_widths_are_those_of_the_fonts_hmtx() {
        // As the hand-copied tables had them: `W` 844 regular, 889 bold, plus 3%.
        assert_eq!(
            text_width("W", LABEL),
            (0.844f64 * 28.0 * 1.03).ceil() as i32
        );
        assert_eq!(
            text_width("W", STRONG),
            (0.889f64 * 28.0 * 1.03).ceil() as i32
        );
    }

    #[test]
    fn whole_numbers_round_halves_up() {
        assert_eq!(whole(72.33333), "72");
        assert_eq!(whole(72.5), "73");
        assert_eq!(whole(0.0), "0");
    }

    #[test]
    fn names_in_sentences_keep_acronyms() {
        assert_eq!(in_sentence("Frontline staff"), "frontline staff");
        assert_eq!(in_sentence("NHS staff"), "NHS staff");
    }

    #[test]
    fn markers_differ_in_shape_and_colour() {
        for i in 0..8 {
            for j in 0..i {
                assert_ne!(Marker::nth(i).shape, Marker::nth(j).shape);
            }
        }
        for i in 0..7 {
            for j in 0..i {
                assert_ne!(Marker::nth(i).colour, Marker::nth(j).colour);
            }
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
}
