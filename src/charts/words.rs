//! The words charts share: figures as printed, and the clauses of alternative
//! text, which never give a number for a hidden cell.

/// A score as printed: a whole number, halves rounded away from zero.
pub(super) fn whole(value: f64) -> String {
    format!("{}", value.round() as i64)
}

/// What is said instead of a hidden figure.
pub(super) fn fewer_than(min_group_size: usize) -> String {
    if min_group_size <= 1 {
        "no responses".to_string()
    } else {
        format!("fewer than {min_group_size} responses")
    }
}

/// A name as it reads inside a sentence: "Frontline staff" becomes "frontline
/// staff", but "NHS staff" keeps its capitals.
pub(super) fn in_sentence(name: &str) -> String {
    let first_word = name.split_whitespace().next().unwrap_or("");
    if first_word.chars().filter(|c| c.is_uppercase()).count() > 1 {
        return name.to_string();
    }
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One group's clause in alternative text; never a number for a hidden cell.
pub(super) fn group_clause(cell: &crate::score::GroupCell, min_group_size: usize) -> String {
    match (&cell.summary, cell.shown) {
        (Some(summary), true) => format!("{} {}", in_sentence(&cell.name), whole(summary.mean)),
        _ => format!(
            "{}: {}, not shown",
            in_sentence(&cell.name),
            fewer_than(min_group_size)
        ),
    }
}

/// The overall clause in alternative text, with its band and confidence interval.
pub(super) fn everyone_clause(
    overall: Option<&crate::score::Summary>,
    min_group_size: usize,
) -> String {
    let Some(summary) = overall else {
        return format!("everyone: {}, not shown", fewer_than(min_group_size));
    };
    let band = in_sentence(&summary.band);
    match (summary.ci_low, summary.ci_high) {
        (Some(low), Some(high)) => format!(
            "everyone {} ({band}; 95% confidence interval {} to {})",
            whole(summary.mean),
            whole(low),
            whole(high)
        ),
        _ => format!("everyone {} ({band})", whole(summary.mean)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_round_halves_up() {
        assert_eq!(whole(72.33333), "72");
        assert_eq!(whole(72.5), "73");
        assert_eq!(whole(0.0), "0");
    }

    #[test]
    fn names_in_sentences_keep_acronyms() {
        assert_eq!(in_sentence("Frontline staff"), "frontline staff");
        assert_eq!(in_sentence("NHS staff"), "NHS staff");
    }
}
