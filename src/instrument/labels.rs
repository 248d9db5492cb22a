//! Cells to answers. An answer is matched on the scale of its statement (each statement names
//! one; the first by default), after normalising case, spaces and quotes: by a
//! numeric code the instrument declares; by a label or alias; by a number
//! equal to a scale point's value; after removing a leading `N - ` / `N. ` /
//! `N) ` / `N: ` / `N = ` number; by the words in any order ("Agree
//! strongly"); by the text outside or inside a trailing parenthesis
//! ("Unfamiliar (N/A)"). Blanks and the platform's missing codes (Qualtrics
//! `-99`) are unanswered, never zero.

use std::collections::{HashMap, HashSet};

use super::{Answer, Instrument};
use crate::text::normalise;

/// Normalised answer spellings → answers, with the fallbacks in the module documentation.
pub(super) struct AnswerLabels {
    labels: HashMap<String, Answer>,
    /// Sorted words of each label → answer; `None` when two answers share the words.
    words: HashMap<Vec<String>, Option<Answer>>,
    codes: HashMap<i64, Answer>,
    values: HashMap<i64, Answer>,
    unanswered: HashSet<String>,
}

impl AnswerLabels {
    pub(super) fn new(scale: &super::Scale, missing_codes: &[String]) -> Self {
        let mut labels = HashMap::new();
        let mut words: HashMap<Vec<String>, Option<Answer>> = HashMap::new();
        let mut codes = HashMap::new();
        let mut values = HashMap::new();
        let mut add = |spelling: &str, answer: Answer| {
            let key = normalise(spelling);
            let bag = sorted_words(&key);
            words
                .entry(bag)
                .and_modify(|a| {
                    if *a != Some(answer) {
                        *a = None;
                    }
                })
                .or_insert(Some(answer));
            labels.insert(key, answer);
        };
        for point in &scale.points {
            for spelling in std::iter::once(&point.label).chain(&point.aliases) {
                add(spelling, Answer::Point(point.value));
            }
            for code in &point.codes {
                codes.insert(*code, Answer::Point(point.value));
            }
            values.insert(i64::from(point.value), Answer::Point(point.value));
        }
        for (index, missing) in scale.missing.iter().enumerate() {
            for spelling in std::iter::once(&missing.label).chain(&missing.aliases) {
                add(spelling, Answer::Missing(index));
            }
            for code in &missing.codes {
                codes.insert(*code, Answer::Missing(index));
            }
        }
        AnswerLabels {
            labels,
            words,
            codes,
            values,
            unanswered: missing_codes.iter().map(|c| normalise(c)).collect(),
        }
    }

    /// The answer a cell holds; `None` when it is not on the scale.
    pub(super) fn answer(&self, cell: &str) -> Option<Answer> {
        let key = normalise(cell);
        if key.is_empty() || self.unanswered.contains(&key) {
            return Some(Answer::Unanswered);
        }
        let number = parse_number(&key);
        if let Some(answer) = number.and_then(|n| self.codes.get(&n)) {
            return Some(*answer);
        }
        if let Some(answer) = self.labels.get(&key) {
            return Some(*answer);
        }
        if let Some(answer) = number.and_then(|n| self.values.get(&n)) {
            return Some(*answer);
        }
        let stripped = strip_number_prefix(&key);
        if let Some(answer) = stripped.and_then(|s| self.labels.get(s)) {
            return Some(*answer);
        }
        let text = stripped.unwrap_or(&key);
        if let Some(Some(answer)) = self.words.get(&sorted_words(text)) {
            return Some(*answer);
        }
        // "Unfamiliar (N/A)", "Agree (4)": the text outside, then inside, the parenthesis.
        if let Some(open) = text.rfind(" (")
            && text.ends_with(')')
        {
            let outside = normalise(&text[..open]);
            let inside = normalise(&text[open + 2..text.len() - 1]);
            for part in [outside, inside] {
                if let Some(answer) = self.labels.get(&part) {
                    return Some(*answer);
                }
            }
        }
        None
    }
}

/// A whole number, as text or as a spreadsheet float (`4.0`).
fn parse_number(key: &str) -> Option<i64> {
    key.parse::<i64>().ok().or_else(|| {
        key.parse::<f64>()
            .ok()
            .filter(|f| f.fract() == 0.0 && f.abs() < 1e9)
            .map(|f| f as i64)
    })
}

/// The label after a leading answer number: `5 - Strongly agree`, `5. Agree`, `(5) Agree`.
fn strip_number_prefix(key: &str) -> Option<&str> {
    let trimmed = key.trim_start_matches('(');
    let digits = trimmed.find(|c: char| !c.is_ascii_digit() && c != '-')?;
    if digits == 0 || !trimmed[..digits].chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let rest = trimmed[digits..].trim_start();
    let rest = rest
        .strip_prefix(['-', '.', ')', ':', '='])
        .map(str::trim_start)?;
    (!rest.is_empty()).then_some(rest)
}

fn sorted_words(key: &str) -> Vec<String> {
    let mut words: Vec<String> = key.split(' ').map(str::to_string).collect();
    words.sort();
    words
}

/// The first few distinct cells met in one column and what they read as,
/// looked up before any hashing: a Likert column holds a handful of texts,
/// usually each of its own length.
///
/// A cell is looked up by its length first: when one remembered text has
/// that length, only it is compared; when several have, they are scanned.
/// Texts are compared by their [`Probe`] (length and fixed-size words read
/// from them), which for texts of up to 32 bytes is the whole comparison and
/// costs no call to `memcmp`; longer texts are compared in full after it.
#[derive(Debug, Clone)]
pub(super) struct Recent<T> {
    entries: Vec<(Probe, String, T)>,
    /// Per length below [`INDEXED`]: `1 +` the index of the one entry of that
    /// length, 0 when there is none, [`SEVERAL`] when there are more.
    by_length: [u8; INDEXED],
    limit: usize,
}

/// Texts shorter than this are found by their length.
const INDEXED: usize = 64;

/// In [`Recent::by_length`]: more than one entry has this length.
const SEVERAL: u8 = u8::MAX;

impl<T: Copy> Recent<T> {
    /// An empty list remembering up to `limit` texts (fewer than 255).
    pub(super) fn new(limit: usize) -> Self {
        assert!(limit < usize::from(SEVERAL), "too many texts to index");
        Recent {
            entries: Vec::new(),
            by_length: [0; INDEXED],
            limit,
        }
    }

    /// What `cell` was remembered as, if it was.
    pub(super) fn get(&self, cell: &str) -> Option<T> {
        let probe = Probe::new(cell.as_bytes());
        let same =
            |(p, text, _): &&(Probe, String, T)| *p == probe && (!probe.is_long() || text == cell);
        let found = match self.by_length.get(cell.len()) {
            Some(0) => None,
            Some(&SEVERAL) | None => self.entries.iter().find(same),
            Some(&one) => Some(&self.entries[usize::from(one) - 1]).filter(same),
        };
        found.map(|(_, _, value)| *value)
    }

    /// Remembers what `cell` reads as, while there is room.
    pub(super) fn remember(&mut self, cell: &str, value: T) {
        if self.entries.len() >= self.limit {
            return;
        }
        self.entries
            .push((Probe::new(cell.as_bytes()), cell.to_string(), value));
        if let Some(slot) = self.by_length.get_mut(cell.len()) {
            *slot = match *slot {
                0 => u8::try_from(self.entries.len()).expect("fewer than 255 entries"),
                _ => SEVERAL,
            };
        }
    }
}

/// A text's length and four words read from it: two texts of up to 32 bytes
/// are equal exactly when their probes are (the words cover every byte, at
/// fixed places for a given length); longer texts have equal probes when their
/// lengths are, and are then compared in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Probe {
    len: usize,
    words: [u64; 4],
}

impl Probe {
    fn new(bytes: &[u8]) -> Probe {
        let n = bytes.len();
        let word =
            |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
        let words = match n {
            0..8 => {
                let packed = bytes
                    .iter()
                    .enumerate()
                    .fold(0, |packed, (i, b)| packed | (u64::from(*b) << (8 * i)));
                [packed, 0, 0, 0]
            }
            // Bytes 0..8 and n-8..n overlap or meet when n is at most 16.
            8..=16 => [word(0), word(n - 8), 0, 0],
            // Bytes 0..16 and n-16..n overlap or meet when n is at most 32.
            17..=32 => [word(0), word(8), word(n - 16), word(n - 8)],
            _ => [0; 4],
        };
        Probe { len: n, words }
    }

    /// True when the probe alone does not tell the text.
    fn is_long(&self) -> bool {
        self.len > 32
    }
}

/// Normalised group answers → group index.
pub(super) struct GroupLabels(HashMap<String, usize>);

impl GroupLabels {
    pub(super) fn new(instrument: &Instrument) -> Self {
        let map = instrument
            .group_options()
            .iter()
            .enumerate()
            .flat_map(|(index, group)| {
                std::iter::once(&group.name)
                    .chain(&group.answers)
                    .map(move |answer| (normalise(answer), index))
            })
            .collect();
        GroupLabels(map)
    }

    pub(super) fn group(&self, cell: &str) -> Option<usize> {
        self.0.get(&normalise(cell)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_match_case_numbers_prefixes_and_word_order() {
        let instrument = Instrument::load(None).unwrap();
        let labels = AnswerLabels::new(instrument.default_scale(), &["-99".to_string()]);
        for (cell, answer) in [
            ("Strongly Agree", Answer::Point(5)),
            ("STRONGLY DISAGREE", Answer::Point(1)),
            ("5 - Strongly agree", Answer::Point(5)),
            ("4. Agree", Answer::Point(4)),
            ("(2) Disagree", Answer::Point(2)),
            ("Agree strongly", Answer::Point(5)),
            ("Disagree Strongly", Answer::Point(1)),
            ("3", Answer::Point(3)),
            ("3.0", Answer::Point(3)),
            ("N/A", Answer::Missing(1)),
            ("Unfamiliar (N/A)", Answer::Missing(1)),
            ("Agree (4)", Answer::Point(4)),
            ("-99", Answer::Unanswered),
            ("  ", Answer::Unanswered),
        ] {
            assert_eq!(labels.answer(cell), Some(answer), "{cell}");
        }
        for cell in ["-1", "6", "Sort of", "Agree disagree"] {
            assert_eq!(labels.answer(cell), None, "{cell}");
        }
    }

    #[test]
    fn recent_texts_are_told_apart_exactly_at_every_length() {
        // Texts of every length up to 40 bytes, differing from each other in
        // one byte at every place (first, middle, last) or only in length.
        let mut texts: Vec<String> = Vec::new();
        for n in 0..=40usize {
            let base: String = (0..n).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            texts.push(base.clone());
            for at in [0, n / 2, n.saturating_sub(1)] {
                if n > 0 {
                    let mut changed = base.clone().into_bytes();
                    changed[at] = b'#';
                    texts.push(String::from_utf8(changed).unwrap());
                }
            }
        }
        texts.sort();
        texts.dedup();
        let mut recent = Recent::new(texts.len());
        for (i, text) in texts.iter().enumerate() {
            recent.remember(text, i);
        }
        for (i, text) in texts.iter().enumerate() {
            assert_eq!(recent.get(text), Some(i), "{text:?}");
            assert_eq!(recent.get(&format!("{text}!")), None, "{text:?}!");
        }
        // Several texts of one length are told apart too.
        let mut alike = Recent::new(4);
        for (i, text) in ["Agree", "Other", "agree"].iter().enumerate() {
            alike.remember(text, i);
        }
        assert_eq!(alike.get("agree"), Some(2));
        assert_eq!(alike.get("Other"), Some(1));
        assert_eq!(alike.get("Agre!"), None);
        // Remembering stops at the limit.
        let mut small = Recent::new(1);
        small.remember("Agree", 4);
        small.remember("Disagree", 2);
        assert_eq!(small.get("Agree"), Some(4));
        assert_eq!(small.get("Disagree"), None);
    }

    #[test]
    fn declared_codes_come_before_labels() {
        let mut instrument = Instrument::load(None).unwrap();
        instrument.scale.as_mut().unwrap().missing[0].codes = vec![-1, -2];
        let labels = AnswerLabels::new(instrument.default_scale(), &[]);
        assert_eq!(labels.answer("-1"), Some(Answer::Missing(0)));
        assert_eq!(labels.answer("-2"), Some(Answer::Missing(0)));
    }
}
