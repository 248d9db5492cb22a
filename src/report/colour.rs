//! The accent colour: `#rrggbb`, dark enough to read on white.
//!
//! Headings and the cover's band are drawn in the accent on white paper (and
//! white text on the accent), so an accent must have a contrast ratio of at
//! least 3:1 with white, the WCAG 2.2 minimum for large text and graphics.
//! The ratio is WCAG's: (L1 + 0.05) / (L2 + 0.05) over relative luminance.

/// The least contrast with white an accent may have.
pub const MIN_CONTRAST: f64 = 3.0;

/// Checks an accent colour: `#rrggbb` (returned in lower case) with a
/// contrast of at least [`MIN_CONTRAST`] with white. The error says why, for
/// a message that names the flag or key.
pub fn check_accent(text: &str) -> Result<String, String> {
    let valid = text.len() == 7
        && text.starts_with('#')
        && text[1..].chars().all(|c| c.is_ascii_hexdigit());
    if !valid {
        return Err(format!("{text:?} is not a colour like #1d4f73"));
    }
    let ratio = contrast_with_white(text);
    if ratio < MIN_CONTRAST {
        return Err(format!(
            "{text} has a contrast of {:.2}:1 with white, below the {MIN_CONTRAST}:1 that headings \
             on white paper need to be read; choose a darker colour, such as #1d4f73",
            // Rounded down, so a ratio just under the limit never prints as 3.00.
            (ratio * 100.0).floor() / 100.0
        ));
    }
    Ok(text.to_ascii_lowercase())
}

/// The WCAG contrast ratio of a `#rrggbb` colour with white (1 to 21).
pub fn contrast_with_white(hex: &str) -> f64 {
    let channel = |at: usize| {
        let value = f64::from(u8::from_str_radix(&hex[at..at + 2], 16).unwrap_or(0)) / 255.0;
        if value <= 0.04045 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    1.05 / (luminance + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_known_ratios() {
        assert!((contrast_with_white("#ffffff") - 1.0).abs() < 1e-9);
        assert!((contrast_with_white("#000000") - 21.0).abs() < 1e-9);
        // #767676 is the classic 4.54:1 grey.
        assert!((contrast_with_white("#767676") - 4.54).abs() < 0.01);
    }

    #[test]
    fn pale_accents_are_refused_with_their_ratio() {
        assert_eq!(check_accent("#1D4F73"), Ok("#1d4f73".into()));
        let error = check_accent("#ffffff").unwrap_err();
        assert!(error.contains("1.00:1"), "{error}");
        assert!(check_accent("#ffff00").is_err());
        // Okabe-Ito orange, 2.0:1: too pale for headings.
        assert!(check_accent("#e69f00").is_err());
        assert!(check_accent("#949494").is_ok());
        assert!(check_accent("blue").is_err());
    }
}
