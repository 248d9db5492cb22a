//! The accent colour: `#rrggbb`, dark enough to read on white, parsed once
//! from the settings or the flags into an [`Accent`].
//!
//! Headings and the cover's band are drawn in the accent on white paper (and
//! white text on the accent), so an accent must have a contrast ratio of at
//! least 3:1 with white, the WCAG 2.2 minimum for large text and graphics.
//! The ratio is WCAG's: (L1 + 0.05) / (L2 + 0.05) over relative luminance.

use std::fmt;
use std::str::FromStr;

/// The least contrast with white an accent may have.
pub const MIN_CONTRAST: f64 = 3.0;

/// An accent colour with a contrast of at least [`MIN_CONTRAST`] with white;
/// shown as `#rrggbb` in lower case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accent([u8; 3]);

impl Accent {
    /// The default accent, #1d4f73.
    pub const DEFAULT: Accent = Accent([0x1d, 0x4f, 0x73]);

    /// The WCAG contrast ratio of this colour with white (1 to 21).
    pub fn contrast_with_white(self) -> f64 {
        let channel = |value: u8| {
            let value = f64::from(value) / 255.0;
            if value <= 0.04045 {
                value / 12.92
            } else {
                ((value + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.0;
        let luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
        1.05 / (luminance + 0.05)
    }
}

impl Default for Accent {
    fn default() -> Accent {
        Accent::DEFAULT
    }
}

impl FromStr for Accent {
    /// Why the text is no accent, for a message that names the flag or key.
    type Err = String;

    /// Reads `#rrggbb` (either case) with a contrast of at least [`MIN_CONTRAST`] with white.
    fn from_str(text: &str) -> Result<Accent, String> {
        let valid = text.len() == 7
            && text.starts_with('#')
            && text[1..].chars().all(|c| c.is_ascii_hexdigit());
        if !valid {
            return Err(format!("{text:?} is not a colour like #1d4f73"));
        }
        let byte = |at: usize| u8::from_str_radix(&text[at..at + 2], 16).unwrap_or(0);
        let accent = Accent([byte(1), byte(3), byte(5)]);
        let ratio = accent.contrast_with_white();
        if ratio < MIN_CONTRAST {
            return Err(format!(
                "{text} has a contrast of {:.2}:1 with white, below the {MIN_CONTRAST}:1 that headings \
                 on white paper need to be read; choose a darker colour, such as #1d4f73",
                // Rounded down, so a ratio just under the limit never prints as 3.00.
                (ratio * 100.0).floor() / 100.0
            ));
        }
        Ok(accent)
    }
}

impl fmt::Display for Accent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contrast(text: &str) -> f64 {
        let byte = |at: usize| u8::from_str_radix(&text[at..at + 2], 16).unwrap();
        Accent([byte(1), byte(3), byte(5)]).contrast_with_white()
    }

    #[test]
    fn contrast_matches_known_ratios() {
        assert!((contrast("#ffffff") - 1.0).abs() < 1e-9);
        assert!((contrast("#000000") - 21.0).abs() < 1e-9);
        // #767676 is the classic 4.54:1 grey.
        assert!((contrast("#767676") - 4.54).abs() < 0.01);
    }

    #[test]
    fn pale_accents_are_refused_with_their_ratio() {
        let accent: Accent = "#1D4F73".parse().unwrap();
        assert_eq!(accent, Accent::DEFAULT);
        assert_eq!(accent.to_string(), "#1d4f73");
        let error = "#ffffff".parse::<Accent>().unwrap_err();
        assert!(error.contains("1.00:1"), "{error}");
        assert!("#ffff00".parse::<Accent>().is_err());
        // Okabe-Ito orange, 2.0:1: too pale for headings.
        assert!("#e69f00".parse::<Accent>().is_err());
        assert!("#949494".parse::<Accent>().is_ok());
        assert!("blue".parse::<Accent>().is_err());
        // Seven bytes, but not seven characters.
        assert!("#1d4fé".parse::<Accent>().is_err());
    }
}
