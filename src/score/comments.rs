//! Free-text answers, only when the user opts in (`--include-comments`).
//!
//! Comments are quoted only from groups shown on their own (at or above the
//! privacy threshold), never from hidden or pooled groups. E-mail addresses,
//! phone numbers and web links are replaced before a comment is stored, and
//! quotes are sorted by group and then alphabetically, so their order says
//! nothing about which row, or when, they came from.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::ingest::{Column, Row};
use crate::instrument::Instrument;
use crate::text::normalise;

/// Longest comment quoted, in characters; longer ones are cut with "…".
pub const MAX_CHARS: usize = 600;

/// One quoted comment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Quote {
    /// The name of the respondent's group.
    pub group: String,
    /// The comment, redacted.
    pub text: String,
}

/// Collects comments per group slot while rows stream past.
pub struct Comments {
    /// Positions of the comment columns among the table's kept columns.
    columns: Vec<usize>,
    /// Per slot (instrument groups, then "did not say"): redacted comments.
    by_slot: Vec<Vec<String>>,
}

impl Comments {
    /// Finds the columns holding the instrument's comment questions.
    pub fn new(columns: &[Column], instrument: &Instrument) -> Comments {
        let wanted: Vec<String> = instrument
            .comments
            .iter()
            .flat_map(|c| std::iter::once(&c.question).chain(&c.aliases))
            .map(|w| normalise(w))
            .collect();
        Comments {
            columns: columns
                .iter()
                .enumerate()
                .filter(|(_, c)| wanted.contains(&normalise(&c.header)))
                .map(|(i, _)| i)
                .collect(),
            by_slot: vec![Vec::new(); instrument.group_options().len() + 1],
        }
    }

    /// Stores the row's comments, redacted, under the respondent's group.
    pub fn add(&mut self, row: &Row, group: Option<usize>) {
        let slot = group.unwrap_or(self.by_slot.len() - 1);
        for &column in &self.columns {
            let Some(text) = row.cells.get(column) else {
                continue;
            };
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.chars().any(char::is_alphanumeric) {
                self.by_slot[slot].push(redact(&shorten(&text)));
            }
        }
    }

    /// The quotes that may be published: only from slots marked `shown`.
    pub fn publish(self, names: &[String], shown: &[bool]) -> Vec<Quote> {
        let mut quotes: Vec<Quote> = self
            .by_slot
            .into_iter()
            .enumerate()
            .filter(|(slot, _)| shown.get(*slot).copied().unwrap_or(false))
            .flat_map(|(slot, texts)| {
                let group = names[slot].clone();
                texts.into_iter().map(move |text| Quote {
                    group: group.clone(),
                    text,
                })
            })
            .collect();
        // Group order, then alphabetical: nothing about row order survives.
        quotes.sort_by(|a, b| {
            let position = |q: &Quote| names.iter().position(|n| *n == q.group);
            position(a)
                .cmp(&position(b))
                .then_with(|| a.text.cmp(&b.text))
        });
        quotes
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX_CHARS).collect();
    format!("{}…", cut.trim_end())
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(\.[a-z0-9\-]+)+").expect("valid pattern")
});
static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(https?://|www\.)\S+").expect("valid pattern"));
// Nine or more digits, allowing spaces, dots, dashes and brackets between them and a leading +.
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\+?\(?\d(?:[\s().\-]*\d){8,}").expect("valid pattern"));

/// Replaces e-mail addresses, web links and phone numbers.
pub fn redact(text: &str) -> String {
    let text = EMAIL.replace_all(text, "[e-mail removed]");
    let text = LINK.replace_all(&text, "[link removed]");
    PHONE
        .replace_all(&text, "[phone number removed]")
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_contact_details() {
        assert_eq!(
            redact("Call me on 07700 900123 or mail sam.lee@example.org"),
            "Call me on [phone number removed] or mail [e-mail removed]"
        );
        assert_eq!(
            redact("See https://example.org/page?x=1 and www.example.org"),
            "See [link removed] and [link removed]"
        );
        assert_eq!(redact("+44 (0)20 7946 0958"), "[phone number removed]");
        assert_eq!(redact("We met 3 times in 2026."), "We met 3 times in 2026.");
    }

    #[test]
    fn only_shown_groups_are_quoted_in_a_fixed_order() {
        let names = vec!["A".to_string(), "B".to_string(), "Did not say".to_string()];
        let comments = Comments {
            columns: vec![0],
            by_slot: vec![
                vec!["zebra".into(), "apple".into()],
                vec!["hidden".into()],
                vec![],
            ],
        };
        let quotes = comments.publish(&names, &[true, false, false]);
        let texts: Vec<&str> = quotes.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(texts, ["apple", "zebra"]);
    }

    #[test]
    fn long_comments_are_cut() {
        let long = "word ".repeat(500);
        let short = shorten(long.trim());
        assert!(short.chars().count() <= MAX_CHARS + 1 && short.ends_with('…'));
    }
}
