//! Painting: a thin wrapper over a plotters SVG drawing area in pixel
//! coordinates, and the finished SVG with its `<title>`.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    FONT_FAMILY, INK, LINE_HEIGHT, Marker, Shape, Type, WHITE_BG, WIDTH, shape_points,
    text_block_height,
};

/// A thin wrapper over a plotters drawing area in pixel coordinates.
pub(super) struct Canvas<'a, 'b> {
    pub(super) area: &'b DrawingArea<SVGBackend<'a>, Shift>,
}

/// Drawing into a string cannot fail; plotters still returns a `Result`.
pub(super) const DRAWN: &str = "drawing into a string does not fail";

impl Canvas<'_, '_> {
    /// One line of text whose line box starts at `y` (the text's top).
    pub(super) fn text(&self, text: &str, (x, y): (i32, i32), ty: Type, colour: RGBColor, h: HPos) {
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
    pub(super) fn lines(
        &self,
        lines: &[String],
        (x, y): (i32, i32),
        ty: Type,
        colour: RGBColor,
        h: HPos,
    ) {
        for (i, line) in lines.iter().enumerate() {
            self.text(line, (x, y + i as i32 * LINE_HEIGHT), ty, colour, h);
        }
    }

    /// Wrapped lines centred vertically on `centre_y`.
    pub(super) fn lines_centred(
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
    pub(super) fn rect(&self, from: (i32, i32), to: (i32, i32), colour: RGBColor) {
        self.area
            .draw(&Rectangle::new([from, to], colour.filled()))
            .expect(DRAWN);
    }

    /// A straight line.
    pub(super) fn line(&self, from: (i32, i32), to: (i32, i32), colour: RGBColor, width: u32) {
        self.area
            .draw(&PathElement::new(
                vec![from, to],
                colour.stroke_width(width),
            ))
            .expect(DRAWN);
    }

    /// A rectangle outline.
    pub(super) fn outline(&self, from: (i32, i32), to: (i32, i32), colour: RGBColor, width: u32) {
        let points = vec![from, (to.0, from.1), to, (from.0, to.1), from];
        self.area
            .draw(&PathElement::new(points, colour.stroke_width(width)))
            .expect(DRAWN);
    }

    /// A 95% confidence interval: a horizontal line with end caps.
    pub(super) fn whisker(&self, x0: i32, x1: i32, y: i32, colour: RGBColor) {
        self.line((x0, y), (x1, y), colour, 3);
        self.line((x0, y - 9), (x0, y + 9), colour, 3);
        self.line((x1, y - 9), (x1, y + 9), colour, 3);
    }

    /// The "everyone" marker: a bold black upright bar, unlike any group's shape.
    pub(super) fn everyone_marker(&self, (x, y): (i32, i32)) {
        self.rect((x - 5, y - 16), (x + 5, y + 16), BLACK);
    }

    /// A group marker of about `2 * r` pixels across, filled and outlined in ink.
    pub(super) fn marker(&self, marker: Marker, (x, y): (i32, i32), r: i32) {
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
pub(super) fn plotters_size(px: f64) -> f64 {
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

/// Draws a chart of `height` pixels and returns the SVG with `alt` as its `<title>`.
pub(super) fn render(height: i32, alt: &str, draw: impl FnOnce(&Canvas)) -> String {
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
pub(super) fn with_title(svg: &str, alt: &str) -> String {
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
mod tests {
    use super::super::{LABEL, NOTE, SMALL, STRONG};
    use super::*;

    #[test]
    fn font_size_survives_the_plotters_round_trip() {
        // plotters divides the size by 1.24 when it writes the SVG.
        for px in [LABEL.px, STRONG.px, SMALL.px, NOTE.px] {
            assert_eq!(plotters_size(px) / 1.24, px);
        }
    }
}
