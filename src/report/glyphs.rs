//! Which characters the shipped fonts can draw, and what happens to the rest.
//!
//! Typst falls back from the main font to the Noto fonts in
//! `report-templates/fonts` character by character. A character none of them
//! draws would reach the PDF as an empty box, which a PDF/UA file may not hold:
//! Typst stops. So every text bound for `data.json` and every chart passes
//! through [`Coverage::replace`] first, which swaps such a character for a
//! visible U+FFFD (�), or `?` when no font draws that either.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::fonts::Font;

/// Characters below this are looked up once and remembered (Latin, Greek,
/// Cyrillic, Arabic, punctuation, arrows: most of what a report holds).
const REMEMBERED: usize = 0x3000;

/// The characters the fonts of the built-in template map to a glyph.
pub struct Coverage {
    /// The shipped fonts, asked character by character.
    fonts: &'static [Font],
    /// For each character below [`REMEMBERED`]: 0 not asked yet, 1 drawn, 2 not.
    known: Box<[AtomicU8]>,
    /// What a character with no glyph becomes.
    replacement: char,
}

/// True when a Unicode table of some font in `fonts` maps `code` to a real glyph.
fn mapped(fonts: &[Font], code: u32) -> bool {
    fonts.iter().any(|font| {
        font.face.tables().cmap.is_some_and(|cmap| {
            cmap.subtables
                .into_iter()
                .any(|t| t.is_unicode() && t.glyph_index(code).is_some_and(|g| g.0 != 0))
        })
    })
}

/// One text in which characters were replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    /// Where: a field of `data.json` (`organisation`, `comments[3].text`) or a chart file.
    pub place: String,
    /// The characters replaced, each once, in order of first appearance.
    pub chars: Vec<char>,
}

impl Replaced {
    /// The warning printed on stderr. It names the place and the characters'
    /// code points, never the text around them (which may be a young person's words).
    pub fn message(&self, replacement: char) -> String {
        let codes: Vec<String> = self
            .chars
            .iter()
            .map(|c| format!("U+{:04X}", u32::from(*c)))
            .collect();
        format!(
            "{} holds {} no font in the report can draw ({}); shown as {replacement} in the report",
            describe(&self.place),
            if self.chars.len() == 1 {
                "a character"
            } else {
                "characters"
            },
            codes.join(", "),
        )
    }
}

/// A place in words a user can find: "the comment 4 quoted (comments[3].text)".
fn describe(place: &str) -> String {
    if let Some(rest) = place.strip_prefix("comments[")
        && let Some((index, _)) = rest.split_once(']')
        && let Ok(index) = index.parse::<usize>()
    {
        return format!("comment {} of those quoted ({place})", index + 1);
    }
    match place {
        "organisation" => "--organisation (organisation)".to_string(),
        "innovation" => "--innovation (innovation)".to_string(),
        _ => place.to_string(),
    }
}

impl Coverage {
    /// The coverage of the built-in template's fonts ([`crate::fonts::shipped`]), worked out once per run.
    pub fn shipped() -> &'static Coverage {
        static COVERAGE: OnceLock<Coverage> = OnceLock::new();
        COVERAGE.get_or_init(|| {
            let fonts = crate::fonts::shipped();
            let replacement = if mapped(fonts, 0xFFFD) {
                '\u{FFFD}'
            } else {
                '?'
            };
            Coverage {
                fonts,
                known: (0..REMEMBERED).map(|_| AtomicU8::new(0)).collect(),
                replacement,
            }
        })
    }

    /// True when some shipped font maps `code` to a glyph: asked of the
    /// fonts' tables once per character (they are a binary search each),
    /// remembered below [`REMEMBERED`].
    fn has_glyph(&self, code: u32) -> bool {
        let Some(known) = self.known.get(code as usize) else {
            return mapped(self.fonts, code);
        };
        match known.load(Ordering::Relaxed) {
            1 => true,
            2 => false,
            _ => {
                let drawn = mapped(self.fonts, code);
                known.store(if drawn { 1 } else { 2 }, Ordering::Relaxed);
                drawn
            }
        }
    }

    /// What a character no font draws becomes.
    pub fn replacement(&self) -> char {
        self.replacement
    }

    /// True when some shipped font draws `c`, or `c` needs no glyph (white
    /// space, and the invisible joiners and selectors Typst's shaping consumes).
    pub fn draws(&self, c: char) -> bool {
        c.is_whitespace() || needs_no_glyph(c) || self.has_glyph(u32::from(c))
    }

    /// `text` with every character no font draws replaced; the replaced
    /// characters, each once, or `None` when nothing changed.
    pub fn replace(&self, text: &str) -> Option<(String, Vec<char>)> {
        if text.chars().all(|c| self.draws(c)) {
            return None;
        }
        let mut missing = Vec::new();
        let out = text
            .chars()
            .map(|c| {
                if self.draws(c) {
                    c
                } else {
                    if !missing.contains(&c) {
                        missing.push(c);
                    }
                    self.replacement
                }
            })
            .collect();
        Some((out, missing))
    }

    /// Replaces, in place, what no font draws in every string of `value`
    /// (keys are the template's own and are left alone); lists where.
    pub fn replace_in_json(&self, value: &mut serde_json::Value) -> Vec<Replaced> {
        let mut found = Vec::new();
        self.walk(value, &mut String::new(), &mut found);
        found
    }

    fn walk(&self, value: &mut serde_json::Value, place: &mut String, found: &mut Vec<Replaced>) {
        use serde_json::Value;
        match value {
            Value::String(text) => {
                if let Some((out, chars)) = self.replace(text) {
                    *text = out;
                    found.push(Replaced {
                        place: place.clone(),
                        chars,
                    });
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter_mut().enumerate() {
                    let length = place.len();
                    place.push_str(&format!("[{index}]"));
                    self.walk(item, place, found);
                    place.truncate(length);
                }
            }
            Value::Object(map) => {
                for (key, item) in map.iter_mut() {
                    let length = place.len();
                    if !place.is_empty() {
                        place.push('.');
                    }
                    place.push_str(key);
                    self.walk(item, place, found);
                    place.truncate(length);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

/// Characters that are shaped away rather than drawn: zero-width (non-)joiners
/// and marks, word joiner and invisible operators, variation selectors.
fn needs_no_glyph(c: char) -> bool {
    matches!(u32::from(c),
        0x200B..=0x200F | 0x2060..=0x2064 | 0xFE00..=0xFE0F | 0xE0100..=0xE01EF | 0xFEFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_fonts_draw_the_scripts_users_write_and_not_private_use() {
        let coverage = Coverage::shipped();
        for c in "Great project 👍 東京都 ŵŷ ł “quotes” ‘x’ – … مرحبا é ß €".chars()
        {
            assert!(coverage.draws(c), "{c:?} (U+{:04X})", u32::from(c));
        }
        for c in ['\u{10FFFD}', '\u{E000}', '𐀀'] {
            assert!(!coverage.draws(c), "U+{:04X}", u32::from(c));
        }
        assert_eq!(coverage.replacement(), '\u{FFFD}');
    }

    #[test]
    fn replacing_names_the_field_and_not_the_text() {
        let coverage = Coverage::shipped();
        let mut value = serde_json::json!({
            "organisation": "Ysgol ŵ",
            "comments": [{"group": "Staff", "text": "ok"}, {"group": "Staff", "text": "secret 𐀀 words 𐀀\u{10FFFD}"}],
        });
        let found = coverage.replace_in_json(&mut value);
        assert_eq!(
            found,
            vec![Replaced {
                place: "comments[1].text".into(),
                chars: vec!['𐀀', '\u{10FFFD}'],
            }]
        );
        assert_eq!(
            value["comments"][1]["text"],
            "secret \u{FFFD} words \u{FFFD}\u{FFFD}"
        );
        assert_eq!(value["organisation"], "Ysgol ŵ");
        let message = found[0].message(coverage.replacement());
        assert!(message.contains("comment 2 of those quoted"), "{message}");
        assert!(
            message.contains("U+10000") && message.contains("U+10FFFD"),
            "{message}"
        );
        assert!(!message.contains("secret"), "{message}");
    }
}
