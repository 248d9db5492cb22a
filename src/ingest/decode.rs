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

/// Why bytes could not be turned into text.
#[derive(Debug, Clone, Copy, PartialEq)]
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

/// Why an export's encoding was chosen: the step of the rule above that
/// decided it. `check` prints and serialises it as its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingRule {
    /// `--encoding` (or the profile) named it.
    Forced,
    /// Rule 1: a byte-order mark.
    ByteOrderMark,
    /// Rule 2: NUL bytes in every other position.
    Utf16WithoutBom,
    /// Rule 4: the bytes are valid UTF-8.
    ValidUtf8,
    /// Rule 6, MacRoman scored higher.
    MacRoman,
    /// Rule 6, Windows-1252 scored higher or tied.
    Windows1252,
    /// Records handed over as text, never bytes ([`super::stream_records`]).
    InMemory,
}

impl EncodingRule {
    /// The rule in words, as `check` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            EncodingRule::Forced => "chosen with --encoding",
            EncodingRule::ByteOrderMark => "byte-order mark",
            EncodingRule::Utf16WithoutBom => {
                "NUL bytes in every other position (UTF-16 without a byte-order mark)"
            }
            EncodingRule::ValidUtf8 => "valid UTF-8",
            EncodingRule::MacRoman => {
                "not UTF-8; its accented letters and punctuation read as MacRoman"
            }
            EncodingRule::Windows1252 => {
                "not UTF-8; its accented letters and punctuation read as Windows-1252"
            }
            EncodingRule::InMemory => "text in memory",
        }
    }
}

impl std::fmt::Display for EncodingRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for EncodingRule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
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

/// An encoding decided from a file's bytes (all of them, or a prefix).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Detected {
    /// The encoding.
    pub encoding: &'static Encoding,
    /// Bytes of byte-order mark to skip (0 when there is none).
    pub bom_length: usize,
    /// Why this encoding was chosen, for `check`.
    pub rule: EncodingRule,
    /// How a streaming reader treats the rest of the file, which the rule has not seen.
    pub rest: Rest,
}

/// What the bytes after a detection prefix may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rest {
    /// Anything: decoded with replacement characters (a byte-order mark, UTF-16,
    /// or `--encoding` decided).
    Anything,
    /// Valid UTF-8 and no NUL: the prefix was valid UTF-8, so a later byte that
    /// is not sends the reader back to rule 5 and 6 over the whole file.
    Utf8,
    /// No NUL and no valid multi-byte UTF-8 (rule 5): the prefix was read as a
    /// single-byte encoding.
    SingleByte,
}

/// Decides the encoding by the rule in the module documentation, or takes
/// `forced`. With `complete` false, `bytes` is the start of a longer file:
/// it is read up to its last line break, so no character is cut in two.
pub(crate) fn detect(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
    complete: bool,
) -> Result<Detected, DecodeProblem> {
    let bom = Encoding::for_bom(bytes);
    if let Some(encoding) = forced {
        // A BOM of the forced encoding is still not text.
        let skip = match bom {
            Some((e, length)) if e == encoding => length,
            _ => 0,
        };
        return Ok(Detected {
            encoding,
            bom_length: skip,
            rule: EncodingRule::Forced,
            rest: Rest::Anything,
        });
    }
    if let Some((encoding, length)) = bom {
        return Ok(Detected {
            encoding,
            bom_length: length,
            rule: EncodingRule::ByteOrderMark,
            rest: Rest::Anything,
        });
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return Ok(Detected {
            encoding,
            bom_length: 0,
            rule: EncodingRule::Utf16WithoutBom,
            rest: Rest::Anything,
        });
    }
    if let Some(offset) = bytes.iter().position(|b| *b == 0) {
        return Err(DecodeProblem::Binary { offset });
    }
    let bytes = match bytes.iter().rposition(|b| *b == b'\n') {
        Some(end) if !complete => &bytes[..=end],
        _ => bytes,
    };
    if std::str::from_utf8(bytes).is_ok() {
        return Ok(Detected {
            encoding: UTF_8,
            bom_length: 0,
            rule: EncodingRule::ValidUtf8,
            rest: Rest::Utf8,
        });
    }
    let mut scan = Scan::default();
    scan.feed(bytes, true);
    if let Some(problem) = scan.problem() {
        return Err(problem);
    }
    Ok(single_byte(scan.choice()))
}

/// The detection result for a single-byte encoding chosen by rule 6.
fn single_byte(encoding: &'static Encoding) -> Detected {
    Detected {
        encoding,
        bom_length: 0,
        rule: if encoding == MACINTOSH {
            EncodingRule::MacRoman
        } else {
            EncodingRule::Windows1252
        },
        rest: Rest::SingleByte,
    }
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

/// Rule 5 and 6 over the whole file, when a streaming reader meets a byte
/// that is not UTF-8 after a prefix that was: the first NUL (rule 3), then a
/// mix of UTF-8 and other bytes (rule 5), else the single-byte encoding the
/// whole file reads as (rule 6). Reads the file again in blocks.
pub(crate) fn detect_whole(
    mut file: impl std::io::Read,
) -> std::io::Result<Result<Detected, DecodeProblem>> {
    let mut scan = Scan::default();
    let mut block = vec![0; 64 * 1024];
    let mut offset = 0;
    let mut nul = None;
    loop {
        let n = file.read(&mut block)?;
        if n == 0 {
            break;
        }
        if nul.is_none() {
            nul = block[..n].iter().position(|b| *b == 0).map(|p| offset + p);
        }
        scan.feed(&block[..n], false);
        offset += n;
    }
    scan.feed(&[], true);
    if let Some(offset) = nul {
        return Ok(Err(DecodeProblem::Binary { offset }));
    }
    if let Some(problem) = scan.problem() {
        return Ok(Err(problem));
    }
    Ok(Ok(single_byte(scan.choice())))
}

/// Rules 5 and 6 fed block by block: where valid multi-byte UTF-8 and other
/// high bytes first appear, and each high byte's plausibility in Windows-1252
/// and MacRoman given its neighbours. Holds at most three bytes between blocks.
#[derive(Debug)]
pub(crate) struct Scan {
    line: usize,
    utf8_line: Option<usize>,
    other: Option<(usize, u8)>,
    /// The start of a multi-byte sequence cut by the end of the last block.
    carry: Vec<u8>,
    /// The byte before the next one, and a high byte waiting for its right neighbour.
    previous: Option<u8>,
    pending: Option<(u8, Option<u8>)>,
    mac: i64,
    windows: i64,
}

impl Default for Scan {
    fn default() -> Self {
        Scan {
            line: 1,
            utf8_line: None,
            other: None,
            carry: Vec::new(),
            previous: None,
            pending: None,
            mac: 0,
            windows: 0,
        }
    }
}

impl Scan {
    /// Scans the next block; `last` says no block follows.
    pub(crate) fn feed(&mut self, block: &[u8], last: bool) {
        self.score(block, last);
        let joined;
        let bytes = if self.carry.is_empty() {
            block
        } else {
            joined = [std::mem::take(&mut self.carry).as_slice(), block].concat();
            &joined
        };
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'\n' {
                self.line += 1;
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
            if width > 0 && bytes.len() < i + width && !last {
                self.carry = bytes[i..].to_vec();
                return;
            }
            let valid = width > 0
                && bytes.len() >= i + width
                && std::str::from_utf8(&bytes[i..i + width]).is_ok();
            if valid {
                self.utf8_line.get_or_insert(self.line);
                i += width;
            } else {
                self.other.get_or_insert((self.line, b));
                i += 1;
            }
        }
    }

    /// Adds each high byte's plausibility, once its right neighbour is known.
    fn score(&mut self, block: &[u8], last: bool) {
        for &b in block {
            if let Some((high, before)) = self.pending.take() {
                self.add(high, before, Some(b));
            }
            if b >= 0x80 {
                self.pending = Some((b, self.previous));
            }
            self.previous = Some(b);
        }
        if last && let Some((high, before)) = self.pending.take() {
            self.add(high, before, None);
        }
    }

    fn add(&mut self, byte: u8, before: Option<u8>, after: Option<u8>) {
        self.mac += plausibility(decode_byte(MACINTOSH, byte), before, after);
        self.windows += plausibility(decode_byte(WINDOWS_1252, byte), before, after);
    }

    /// Valid multi-byte UTF-8 on one line and other high bytes on another (rule 5).
    pub(crate) fn problem(&self) -> Option<DecodeProblem> {
        match (self.utf8_line, self.other) {
            (Some(utf8_line), Some((other_line, byte))) => Some(DecodeProblem::Mixed {
                utf8_line,
                other_line,
                byte,
            }),
            _ => None,
        }
    }

    /// Windows-1252 or MacRoman by the plausibility score (rule 6); a tie is Windows-1252.
    fn choice(&self) -> &'static Encoding {
        if self.mac > self.windows {
            MACINTOSH
        } else {
            WINDOWS_1252
        }
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

    /// Text decoded from bytes, with the encoding and the reason it was chosen.
    #[derive(Debug)]
    struct Decoded {
        text: String,
        encoding: &'static Encoding,
        rule: EncodingRule,
    }

    /// Decodes bytes by the rule in the module documentation, or with `forced` when given.
    fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, DecodeProblem> {
        let detected = detect(bytes, forced, true)?;
        let (text, _) = detected
            .encoding
            .decode_without_bom_handling(&bytes[detected.bom_length..]);
        Ok(Decoded {
            text: text.into_owned(),
            encoding: detected.encoding,
            rule: detected.rule,
        })
    }

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
        assert_eq!(d.rule, EncodingRule::Forced);
        assert_eq!(d.rule.to_string(), "chosen with --encoding");
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
