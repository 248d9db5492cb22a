//! Why an ingredient has no score, in words that are true.
//!
//! A person gets an ingredient score only when they gave a scored answer to at
//! least `min-share-answered` of its statements. When statements are missing
//! from the export (or nobody gave them a scored answer), nobody can reach that
//! share, however many people answered: the reason is the missing statements,
//! never "too few responses". `check` uses the same rule to warn before a
//! report is made.

use serde::Serialize;

use super::tally::Tally;
use crate::instrument::Instrument;
use crate::text::{count, plural};

/// Why an ingredient has no overall score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoScore {
    /// `statements-missing` (nobody could reach the share needed) or
    /// `too-few-people` (fewer than the threshold have a score, once groups
    /// too small to show are left out).
    pub reason: NoScoreReason,
    /// Ids of its statements with no column in the export.
    pub not_in_export: Vec<String>,
    /// Ids of its statements in the export that nobody gave a scored answer to.
    pub not_answered: Vec<String>,
    /// How many of its statements a person must answer for a score.
    pub needed: usize,
    /// How many statements it has.
    pub statements: usize,
    /// The reason as a sentence for the report ("No score: ...").
    pub sentence: String,
    /// The reason as a short clause, after the ingredient's name in a list.
    pub short: String,
}

/// The kind of [`NoScore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoScoreReason {
    /// Too few of its statements can be answered for anyone to reach the share.
    StatementsMissing,
    /// Enough statements, but fewer people with a score than the threshold.
    TooFewPeople,
}

/// How many of `total` statements a person must give a scored answer to,
/// with the same tolerance as scoring (0.5 of 7 is 4, 0.5 of 6 is 3).
pub fn needed(share: f64, total: usize) -> usize {
    ((share * total as f64 - 1e-9).ceil().max(1.0) as usize).min(total.max(1))
}

/// For ingredient `index`: why nobody can have a score, when statements are
/// missing (`in_export(k)` false, `k` its position in the ingredient) or have
/// no scored answer (`answered(k)` false). `None` when enough can be answered.
pub fn statements_missing(
    instrument: &Instrument,
    index: usize,
    in_export: &dyn Fn(usize) -> bool,
    answered: &dyn Fn(usize) -> bool,
) -> Option<NoScore> {
    let ingredient = &instrument.ingredients[index];
    let total = ingredient.statements.len();
    let needed = needed(instrument.scoring.min_share_answered, total);
    let mut not_in_export = Vec::new();
    let mut not_answered = Vec::new();
    let mut numbers_out = Vec::new();
    let mut numbers_blank = Vec::new();
    for (k, statement) in ingredient.statements.iter().enumerate() {
        if !in_export(k) {
            not_in_export.push(statement.id.clone());
            numbers_out.push(k + 1);
        } else if !answered(k) {
            not_answered.push(statement.id.clone());
            numbers_blank.push(k + 1);
        }
    }
    let available = total - not_in_export.len() - not_answered.len();
    if available >= needed {
        return None;
    }
    let in_file = total - not_in_export.len();
    let short = if in_file == 0 {
        format!(
            "none of its {} {} in the survey export",
            count(total, "statement", "statements"),
            plural(total, "is", "are")
        )
    } else if not_in_export.is_empty() {
        format!(
            "nobody gave a scored answer to {} of its {} statements",
            numbers(&numbers_blank),
            total
        )
    } else {
        format!(
            "only {in_file} of its {} {} in the survey export",
            count(total, "statement", "statements"),
            plural(in_file, "is", "are")
        )
    };
    let mut sentence = format!("No score: {short}");
    if in_file > 0 {
        sentence.push_str(&format!(
            ", and a person needs to answer at least {needed} of them to get a score"
        ));
        if !numbers_out.is_empty() {
            sentence.push_str(&format!(
                ". {} not in the export",
                capitalise(&statement_numbers(&numbers_out))
            ));
            if !numbers_blank.is_empty() {
                sentence.push_str(&format!(
                    ", and nobody gave a scored answer to {}",
                    numbers(&numbers_blank)
                ));
            }
        }
    }
    sentence.push('.');
    Some(NoScore {
        reason: NoScoreReason::StatementsMissing,
        not_in_export,
        not_answered,
        needed,
        statements: total,
        sentence,
        short,
    })
}

/// [`statements_missing`] for ingredient `index`, from a tally: a statement is
/// in the export when the export has a column for it, and answered when
/// anyone in any group gave it a scored answer.
pub fn statements_missing_in(tally: &Tally, index: usize) -> Option<NoScore> {
    let instrument = tally.instrument();
    let offset: usize = instrument.ingredients[..index]
        .iter()
        .map(|i| i.statements.len())
        .sum();
    let answered = |k: usize| tally.answered(offset + k);
    statements_missing(
        instrument,
        index,
        &|k| tally.in_export[offset + k],
        &answered,
    )
}

/// The reason when enough statements can be answered but too few people have a score.
pub fn too_few_people(instrument: &Instrument, index: usize, min_group_size: usize) -> NoScore {
    let total = instrument.ingredients[index].statements.len();
    let needed = needed(instrument.scoring.min_share_answered, total);
    let short = format!(
        "fewer than {min_group_size} people answered at least {needed} of its {total} statements"
    );
    NoScore {
        reason: NoScoreReason::TooFewPeople,
        not_in_export: Vec::new(),
        not_answered: Vec::new(),
        needed,
        statements: total,
        sentence: format!(
            "No score: {short}, once groups too small to show on their own were left out."
        ),
        short,
    }
}

/// "statement 4", "statements 4 and 5 are", "statements 4, 5 and 6 are".
fn statement_numbers(numbers_out: &[usize]) -> String {
    format!(
        "{} {}",
        numbers(numbers_out),
        plural(numbers_out.len(), "is", "are")
    )
}

/// "statement 4", "statements 4 and 5", "statements 4, 5 and 6".
fn numbers(list: &[usize]) -> String {
    let words: Vec<String> = list.iter().map(usize::to_string).collect();
    let joined = match words.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    format!("{} {joined}", plural(list.len(), "statement", "statements"))
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instrument() -> Instrument {
        Instrument::load(None).unwrap()
    }

    #[test]
    fn half_of_seven_is_four_and_half_of_six_is_three() {
        assert_eq!(needed(0.5, 7), 4);
        assert_eq!(needed(0.5, 6), 3);
        assert_eq!(needed(0.0, 6), 1);
        assert_eq!(needed(1.0, 6), 6);
    }

    #[test]
    fn three_of_seven_statements_cannot_give_a_score() {
        let reason = statements_missing(&instrument(), 0, &|k| k < 3, &|_| true).expect("no score");
        assert_eq!(reason.reason, NoScoreReason::StatementsMissing);
        assert_eq!(
            reason.not_in_export,
            ["context-4", "context-5", "context-6", "context-7"]
        );
        assert_eq!(
            reason.sentence,
            "No score: only 3 of its 7 statements are in the survey export, and a person \
             needs to answer at least 4 of them to get a score. Statements 4, 5, 6 and 7 are \
             not in the export."
        );
        assert!(statements_missing(&instrument(), 0, &|k| k < 4, &|_| true).is_none());
    }

    #[test]
    fn one_statement_and_none_read_correctly() {
        let one = statements_missing(&instrument(), 0, &|k| k == 0, &|_| true).unwrap();
        assert!(
            one.short.starts_with("only 1 of its 7 statements is in"),
            "{}",
            one.short
        );
        let none = statements_missing(&instrument(), 0, &|_| false, &|_| true).unwrap();
        assert_eq!(
            none.sentence,
            "No score: none of its 7 statements are in the survey export."
        );
        let blank = statements_missing(&instrument(), 0, &|_| true, &|k| k < 3).unwrap();
        assert_eq!(
            blank.short,
            "nobody gave a scored answer to statements 4, 5, 6 and 7 of its 7 statements"
        );
    }
}
