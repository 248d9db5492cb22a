//! How wide text is and where it breaks: labels are measured with the fonts
//! the template ships ([`crate::fonts`]) and wrapped before they are placed.

use plotters::prelude::FontStyle;

use super::{LINE_HEIGHT, Type};

/// The families the template sets text in, in the order it falls back from
/// one to the next for a character the first does not draw (`report.typ`).
pub(super) const FALLBACK_FAMILIES: [&str; 5] = [
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
pub(super) fn advance(c: char, bold: bool) -> f64 {
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
pub(super) fn text_width(text: &str, ty: Type) -> i32 {
    let bold = matches!(ty.style, FontStyle::Bold);
    let thousandths: f64 = text.chars().map(|c| advance(c, bold)).sum();
    (thousandths / 1000.0 * ty.px * 1.03).ceil() as i32
}

/// Splits `text` into lines no wider than `max_width` pixels, breaking at spaces
/// and, for a word too long for a line on its own, inside the word.
pub(super) fn wrap(text: &str, ty: Type, max_width: i32) -> Vec<String> {
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
pub(super) fn column_width<'a>(
    labels: impl IntoIterator<Item = &'a str>,
    ty: Type,
    cap: i32,
) -> i32 {
    labels
        .into_iter()
        .map(|label| text_width(label, ty))
        .max()
        .unwrap_or(0)
        .min(cap)
}

/// Height of `lines` lines of text, from the first line's top to the last line's
/// descenders.
pub(super) fn text_block_height(lines: usize) -> i32 {
    (lines.max(1) as i32 - 1) * LINE_HEIGHT + 30
}

#[cfg(test)]
mod tests {
    use super::super::{LABEL, STRONG};
    use super::*;

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
}
