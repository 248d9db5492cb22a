//! The look every chart shares: canvas size and margins, type sizes, the
//! palette, and the marker shapes that tell groups apart without colour.

use plotters::prelude::*;

/// The fonts every chart asks for: the families the template sets text in, in
/// its order ([`super::text::FALLBACK_FAMILIES`]), so that a character
/// Atkinson Hyperlegible does not draw (ŵ, Arabic, Japanese) is drawn from the
/// same Noto font it was measured with. The template ships them all, and Typst
/// renders the SVG with them; the generic fallback only matters to other viewers.
pub(super) const FONT_FAMILY: &str =
    "Atkinson Hyperlegible, Noto Sans, Noto Sans Arabic, Noto Sans JP, Noto Emoji, sans-serif";

/// Chart width in pixels; the template prints charts 16 cm wide, so 1 px is about 0.32 pt.
pub(super) const WIDTH: i32 = 1400;
/// Space around the whole chart.
pub(super) const MARGIN: i32 = 24;
/// Distance between the tops of two lines of wrapped text.
pub(super) const LINE_HEIGHT: i32 = 34;

/// A text size and weight. Sizes are SVG pixels: 28 px prints at about 9 pt.
/// Not every size survives plotters' rounding exactly (26 and 30 do not; see
/// [`plotters_size`]).
#[derive(Clone, Copy)]
pub(super) struct Type {
    pub(super) px: f64,
    pub(super) style: FontStyle,
}

/// Row labels and values.
pub(super) const LABEL: Type = Type {
    px: 28.0,
    style: FontStyle::Normal,
};
/// The overall figures.
pub(super) const STRONG: Type = Type {
    px: 28.0,
    style: FontStyle::Bold,
};
/// Axis ticks, band names and notes: the same size, since 9 pt is the floor.
pub(super) const SMALL: Type = Type {
    px: 28.0,
    style: FontStyle::Normal,
};
/// "fewer than N responses" in place of a figure.
pub(super) const NOTE: Type = Type {
    px: 28.0,
    style: FontStyle::Italic,
};

/// Text: near-black on white, well above 4.5:1.
pub(super) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Secondary text (notes, ticks): #555 on white is 7.5:1.
pub(super) const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub(super) const WHITE_BG: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
pub(super) const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
pub(super) const RULE: RGBColor = RGBColor(0xBB, 0xBB, 0xBB);
pub(super) const BAND_LINE: RGBColor = RGBColor(0x88, 0x88, 0x88);
pub(super) const BAND_SHADE: RGBColor = RGBColor(0xF3, 0xF3, 0xF3);

/// Okabe-Ito colours, in the order groups get them. Black is kept for "everyone".
/// Yellow comes last and, like every marker, is outlined in [`INK`].
pub(super) const PALETTE: [RGBColor; 7] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0xF0, 0xE4, 0x42), // yellow
];
/// Blue for the "everyone" bar; a light tint of it for group bars.
pub(super) const BLUE: RGBColor = PALETTE[0];
pub(super) const BLUE_TINT: RGBColor = RGBColor(0xB8, 0xD8, 0xEE);

/// Marker shapes, so that colour is never the only thing telling groups apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Circle,
    Square,
    TriangleUp,
    Diamond,
    TriangleDown,
    Plus,
    Cross,
    Star,
}

pub(super) const SHAPES: [Shape; 8] = [
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
pub(super) struct Marker {
    pub(super) shape: Shape,
    pub(super) colour: RGBColor,
}

impl Marker {
    /// The marker of the `index`-th group drawn.
    pub(super) fn nth(index: usize) -> Marker {
        Marker {
            shape: SHAPES[index % SHAPES.len()],
            colour: PALETTE[index % PALETTE.len()],
        }
    }
}

/// A shape's outline on a unit radius, sized so the shapes look about equally heavy.
pub(super) fn shape_points(shape: Shape) -> Vec<(f64, f64)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_ask_for_the_fonts_they_are_measured_with_in_the_templates_order() {
        let families = super::super::text::FALLBACK_FAMILIES.join(", ");
        assert_eq!(FONT_FAMILY, format!("{families}, sans-serif"));
        let quoted: Vec<String> = super::super::text::FALLBACK_FAMILIES
            .iter()
            .map(|family| format!("{family:?}"))
            .collect();
        let template = include_str!("../../report-templates/report.typ");
        let list = format!("#set text(font: ({}),", quoted.join(", "));
        assert!(template.contains(&list), "report.typ sets {list}");
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
}
