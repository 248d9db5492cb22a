//! The fonts the built-in template ships (`report-templates/fonts`), parsed once
//! per run and shared: [`crate::report`] asks which characters they draw, and
//! [`crate::charts`] how wide a label set in them is.
//!
//! The files are compiled into the binary; the release build stores their bytes
//! once, however many modules include the folder.

use std::sync::OnceLock;

use include_dir::{Dir, include_dir};

static FONT_FILES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/report-templates/fonts");

/// One shipped font file, parsed.
pub struct Font {
    /// The family from the font's `name` table, such as `Noto Sans`: the name
    /// the template and the charts ask for.
    pub family: String,
    /// True for a bold face (weight 600 or more).
    pub bold: bool,
    /// True for an italic or oblique face.
    pub italic: bool,
    /// The parsed font, for its `cmap`, `hmtx` and other tables.
    pub face: ttf_parser::Face<'static>,
}

impl Font {
    /// The advance width of `c` in thousandths of an em, or `None` when this
    /// font has no glyph for it. Thousandths, because most fonts have 1,000
    /// units to the em: their widths are then whole numbers, and sums of them exact.
    pub fn advance(&self, c: char) -> Option<f64> {
        let glyph = self.face.glyph_index(c).filter(|g| g.0 != 0)?;
        let advance = self.face.glyph_hor_advance(glyph)?;
        Some(f64::from(advance) * 1000.0 / f64::from(self.face.units_per_em()))
    }
}

/// Every shipped `.ttf` or `.otf` font, in file-name order, parsed on first use.
///
/// A shipped font that does not parse is a build mistake the tests catch
/// (`every_shipped_font_parses`); at run time it is simply left out.
pub fn shipped() -> &'static [Font] {
    static FONTS: OnceLock<Vec<Font>> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut files: Vec<&'static include_dir::File<'static>> = FONT_FILES
            .files()
            .filter(|file| is_font_file(file.path()))
            .collect();
        files.sort_by_key(|file| file.path());
        files
            .into_iter()
            .filter_map(|file| ttf_parser::Face::parse(file.contents(), 0).ok())
            .map(|face| Font {
                family: family_name(&face),
                bold: face.weight().to_number() >= 600,
                italic: face.is_italic() || face.is_oblique(),
                face,
            })
            .collect()
    })
}

/// True for a file name ending in `.ttf` or `.otf` (licences sit beside the fonts).
fn is_font_file(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ttf") || e.eq_ignore_ascii_case("otf"))
}

/// The typographic family name (`Noto Sans`, not `Noto Sans Bold`), falling
/// back to the legacy family name; empty when the font names neither.
fn family_name(face: &ttf_parser::Face) -> String {
    use ttf_parser::name_id::{FAMILY, TYPOGRAPHIC_FAMILY};
    let named = |id: u16| {
        face.names()
            .into_iter()
            .filter(|name| name.name_id == id && name.is_unicode())
            .find_map(|name| name.to_string())
    };
    named(TYPOGRAPHIC_FAMILY)
        .or_else(|| named(FAMILY))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_font_parses() {
        let files = FONT_FILES
            .files()
            .filter(|file| is_font_file(file.path()))
            .count();
        assert_eq!(shipped().len(), files);
    }

    #[test]
    fn families_and_styles_come_from_the_fonts() {
        let styles: Vec<(&str, bool, bool)> = shipped()
            .iter()
            .map(|font| (font.family.as_str(), font.bold, font.italic))
            .collect();
        for expected in [
            ("Atkinson Hyperlegible", false, false),
            ("Atkinson Hyperlegible", false, true),
            ("Atkinson Hyperlegible", true, false),
            ("Atkinson Hyperlegible", true, true),
            ("Noto Sans", false, false),
            ("Noto Sans", true, false),
            ("Noto Sans Arabic", false, false),
            ("Noto Sans JP", false, false),
            ("Noto Emoji", false, false),
        ] {
            assert!(styles.contains(&expected), "{expected:?} in {styles:?}");
        }
    }

    #[test]
    fn advances_are_in_thousandths_and_missing_glyphs_are_none() {
        let regular = shipped()
            .iter()
            .find(|f| f.family == "Atkinson Hyperlegible" && !f.bold && !f.italic)
            .unwrap();
        assert_eq!(regular.advance(' '), Some(280.0));
        assert_eq!(regular.advance('@'), Some(780.0));
        assert_eq!(regular.advance('東'), None);
    }
}
