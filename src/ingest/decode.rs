//! Bytes to text: which encoding a delimited export is in, and why we think so.
//!
//! The detection rule, in order:
//!
//! 1. a byte-order mark decides (UTF-8, UTF-16 LE, UTF-16 BE);
//! 2. without one, NUL bytes in every other position mean UTF-16 (LE or BE by
//!    where the NULs fall);
//! 3. any other NUL byte means the file is binary, not a text export;
//! 4. valid UTF-8 is UTF-8;
//! 5. a file holding both valid multi-byte UTF-8 sequences and bytes that are
//!    not UTF-8 was pasted together from two files: that is an error, because
//!    any single reading garbles half of it (`--encoding` forces one);
//! 6. otherwise it is a single-byte encoding, Windows-1252 or MacRoman (Excel
//!    for Mac saves CSV as MacRoman). Each high byte is decoded both ways and
//!    scored by its neighbours: a lowercase accented letter or a quote inside
//!    a word, or a dash or no-break space beside a space or letter, is
//!    plausible (+1); a capital accented letter inside a lowercase word
//!    (`DonÕt`, `StronglyÊagree`, `cafŽ`) is implausible (−2); a control
//!    character or an unassigned byte is very implausible (−5); other symbols
//!    (`∑`, `¶`) are unlikely (−1). The higher total wins; a tie is
//!    Windows-1252, the commoner of the two.

use encoding_rs::{Encoding, MACINTOSH, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Text decoded from a file, with the encoding and the reason it was chosen.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    /// True when the file started with a byte-order mark.
    pub bom: bool,
    /// Why this encoding was chosen, for `check`.
    pub rule: &'static str,
}

/// Why bytes could not be turned into text.
#[derive(Debug, PartialEq)]
pub(crate) enum DecodeProblem {
    /// A NUL byte outside UTF-16: binary data.
    Binary { offset: usize },
    /// Valid UTF-8 on one line, other bytes on another.
    Mixed {
        utf8_line: usize,
        other_line: usize,
        byte: u8,
    },
}

/// A readable name: encoding_rs calls MacRoman "macintosh".
pub fn encoding_name(encoding: &'static Encoding) -> &'static str {
    if encoding == MACINTOSH {
        "MacRoman"
    } else {
        encoding.name()
    }
}

/// Looks an encoding up by a name a user types (`utf-8`, `utf-16le`, `windows-1252`, `cp1252`, `macroman`).
pub fn encoding_for_name(name: &str) -> Option<&'static Encoding> {
    let key: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    match key.as_str() {
        "macroman" | "mac" | "macintosh" | "xmacroman" => Some(MACINTOSH),
        "cp1252" | "windows1252" | "win1252" | "ansi" => Some(WINDOWS_1252),
        "utf16" | "utf16le" => Some(UTF_16LE),
        "utf16be" => Some(UTF_16BE),
        "utf8" => Some(UTF_8),
        _ => Encoding::for_label(name.trim().as_bytes()),
    }
}

/// Decodes bytes by the rule in the module documentation, or with `forced` when given.
pub(crate) fn decode(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
) -> Result<Decoded, DecodeProblem> {
    let bom = Encoding::for_bom(bytes);
    if let Some(encoding) = forced {
        // A BOM of the forced encoding is still not text.
        let skip = match bom {
            Some((e, length)) if e == encoding => length,
            _ => 0,
        };
        let (text, _) = encoding.decode_without_bom_handling(&bytes[skip..]);
        return Ok(Decoded {
            text: text.into_owned(),
            encoding,
            bom: skip > 0,
            rule: "chosen with --encoding",
        });
    }
    if let Some((encoding, length)) = bom {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[length..]);
        return Ok(Decoded {
            text: text.into_owned(),
            encoding,
            bom: true,
            rule: "byte-order mark",
        });
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return Ok(Decoded {
            text: text.into_owned(),
            encoding,
            bom: false,
            rule: "NUL bytes in every other position (UTF-16 without a byte-order mark)",
        });
    }
    if let Some(offset) = bytes.iter().position(|b| *b == 0) {
        return Err(DecodeProblem::Binary { offset });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_string(),
            encoding: UTF_8,
            bom: false,
            rule: "valid UTF-8",
        });
    }
    if let Some(problem) = mixed_utf8(bytes) {
        return Err(problem);
    }
    let encoding = single_byte_guess(bytes);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Ok(Decoded {
        text: text.into_owned(),
        encoding,
        bom: false,
        rule: if encoding == MACINTOSH {
            "not UTF-8; its accented letters and punctuation read as MacRoman"
        } else {
            "not UTF-8; its accented letters and punctuation read as Windows-1252"
        },
    })
}

/// UTF-16 without a BOM: most even (BE) or odd (LE) bytes of the start are NUL.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    if odd * 10 >= pairs * 7 && even * 10 <= pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 7 && odd * 10 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Finds a file that holds both valid multi-byte UTF-8 and bytes that are not UTF-8.
fn mixed_utf8(bytes: &[u8]) -> Option<DecodeProblem> {
    let mut utf8_line = None;
    let mut other = None;
    let mut line = 1;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            line += 1;
        }
        if b < 0x80 {
            i += 1;
            continue;
        }
        let width = match b {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 0,
        };
        let valid = width > 0
            && bytes.len() >= i + width
            && std::str::from_utf8(&bytes[i..i + width]).is_ok();
        if valid {
            utf8_line.get_or_insert(line);
            i += width;
        } else {
            other.get_or_insert((line, b));
            i += 1;
        }
    }
    match (utf8_line, other) {
        (Some(utf8_line), Some((other_line, byte))) => Some(DecodeProblem::Mixed {
            utf8_line,
            other_line,
            byte,
        }),
        _ => None,
    }
}

/// Windows-1252 or MacRoman, by the plausibility score in the module documentation.
fn single_byte_guess(bytes: &[u8]) -> &'static Encoding {
    let score = |encoding: &'static Encoding| -> i64 {
        let mut total = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if b < 0x80 {
                continue;
            }
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + 1).copied();
            total += plausibility(decode_byte(encoding, b), before, after);
        }
        total
    };
    if score(MACINTOSH) > score(WINDOWS_1252) {
        MACINTOSH
    } else {
        WINDOWS_1252
    }
}

fn decode_byte(encoding: &'static Encoding, byte: u8) -> char {
    let buffer = [byte];
    let (text, _) = encoding.decode_without_bom_handling(&buffer);
    text.chars().next().unwrap_or('\u{FFFD}')
}

/// How plausible `ch` is between the ASCII bytes `before` and `after`.
fn plausibility(ch: char, before: Option<u8>, after: Option<u8>) -> i64 {
    let lower = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_lowercase());
    let letter = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphabetic() || b >= 0x80);
    let space = |b: Option<u8>| b.is_none_or(|b| b.is_ascii_whitespace() || b == b',');
    match ch {
        '\u{FFFD}' => -5,
        c if c.is_control() => -5,
        '\u{00A0}' if (letter(before) || space(before)) && (letter(after) || space(after)) => 1,
        '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' | '\u{2013}' | '\u{2014}'
        | '\u{2026}' => 1,
        c if c.is_lowercase() => {
            if letter(before) || letter(after) {
                1
            } else {
                0
            }
        }
        c if c.is_uppercase() => {
            if lower(before) || (lower(after) && before.is_some_and(|b| b.is_ascii_uppercase())) {
                -2
            } else {
                0
            }
        }
        _ => -1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> (String, &'static str) {
        let d = decode(bytes, None).unwrap();
        (d.text, encoding_name(d.encoding))
    }

    #[test]
    fn byte_order_marks_decide() {
        assert_eq!(
            decoded(b"\xEF\xBB\xBFcaf\xC3\xA9"),
            ("café".into(), "UTF-8")
        );
        assert_eq!(decoded(b"\xFF\xFEh\0i\0"), ("hi".into(), "UTF-16LE"));
        assert_eq!(decoded(b"\xFE\xFF\0h\0i"), ("hi".into(), "UTF-16BE"));
    }

    #[test]
    fn utf16_without_bom_is_found_by_its_nuls() {
        assert_eq!(decoded(b"a\0,\0b\0\n\0"), ("a,b\n".into(), "UTF-16LE"));
    }

    #[test]
    fn windows_1252_and_macroman_are_told_apart() {
        assert_eq!(
            decoded(b"caf\xE9, don\x92t").1,
            "windows-1252",
            "é and a curly quote in Windows-1252"
        );
        assert_eq!(
            decoded(b"Strongly\xCAagree,Don\xD5t know,caf\x8E").0,
            "Strongly\u{A0}agree,Don\u{2019}t know,café"
        );
        assert_eq!(decoded(b"Don\xD5t know").1, "MacRoman");
    }

    #[test]
    fn binary_and_mixed_files_are_refused() {
        assert_eq!(
            decode(b"PK\x03\x04\0\0garbage", None).unwrap_err(),
            DecodeProblem::Binary { offset: 4 }
        );
        assert_eq!(
            decode(b"caf\xC3\xA9\ncaf\xE9\n", None).unwrap_err(),
            DecodeProblem::Mixed {
                utf8_line: 1,
                other_line: 2,
                byte: 0xE9
            }
        );
    }

    #[test]
    fn a_forced_encoding_wins() {
        let d = decode(b"caf\xC3\xA9\ncaf\xE9\n", Some(WINDOWS_1252)).unwrap();
        assert_eq!(d.rule, "chosen with --encoding");
        assert!(d.text.starts_with("caf\u{C3}\u{A9}"));
    }

    #[test]
    fn encoding_names_users_type() {
        assert_eq!(encoding_for_name("MacRoman"), Some(MACINTOSH));
        assert_eq!(encoding_for_name("cp1252"), Some(WINDOWS_1252));
        assert_eq!(encoding_for_name("UTF-16"), Some(UTF_16LE));
        assert_eq!(encoding_for_name("latin1"), Some(WINDOWS_1252));
        assert_eq!(encoding_for_name("klingon"), None);
    }
}
