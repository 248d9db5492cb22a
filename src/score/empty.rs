//! Why an export gives nothing to report, in words that say what happened to
//! every row and what to do about it.
//!
//! A run with no usable response stops (exit 1) before anything is written:
//! a report of nothing would replace last quarter's with an empty one.

use std::path::PathBuf;

use crate::ingest::{Excluded, ExclusionReason};
use crate::text::count;

/// No response in an export can be used.
#[derive(Debug, thiserror::Error)]
#[error("{}: no response can be used, so there is nothing to report: {}", .path.display(), self.why())]
pub struct NothingToReport {
    /// The export.
    pub path: PathBuf,
    /// Data rows read, excluded ones included.
    pub rows_read: usize,
    /// Rows set aside before scoring, by reason.
    pub excluded: Vec<Excluded>,
    /// Rows that answered no statement.
    pub without_answers: usize,
    /// Responses read but all in groups too small to show (left out by the privacy rule).
    pub hidden: usize,
    /// The privacy threshold.
    pub min_group_size: usize,
}

impl NothingToReport {
    /// What happened to the rows, one clause per cause.
    fn why(&self) -> String {
        let mut parts = vec![format!("{} read", count(self.rows_read, "row", "rows"))];
        for e in &self.excluded {
            parts.push(format!(
                "{} left out as {}",
                e.count,
                match e.reason {
                    ExclusionReason::Spam => "spam",
                    ExclusionReason::Preview => "survey previews or test responses",
                    ExclusionReason::Incomplete => "unfinished or never submitted",
                    ExclusionReason::Duplicate => "exact duplicates",
                }
            ));
        }
        if self.without_answers > 0 {
            parts.push(format!(
                "{} no statement",
                count(self.without_answers, "row answers", "rows answer")
            ));
        }
        if self.hidden > 0 {
            parts.push(format!(
                "{} from groups of fewer than {}, which are never shown",
                count(self.hidden, "response is", "responses are"),
                self.min_group_size
            ));
        }
        parts.join(", ")
    }

    /// What to do, for the `hint:` line.
    pub fn hint(&self) -> String {
        let has = |reason| self.excluded.iter().any(|e| e.reason == reason);
        if has(ExclusionReason::Preview) {
            "to try the survey out before it opens, run again with --keep-test-responses; \
             the report's cover will say it is built from test responses"
                .into()
        } else if has(ExclusionReason::Incomplete) {
            "to count unfinished responses, run again with --keep-incomplete".into()
        } else if self.hidden > 0 {
            format!(
                "wait for more responses, or lower --min-group-size (now {}, at least 2)",
                self.min_group_size
            )
        } else {
            "run `makeitstick check` on the export to see which columns were matched to statements"
                .into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_what_happened_to_every_row_and_what_to_do() {
        let error = NothingToReport {
            path: "q.csv".into(),
            rows_read: 6,
            excluded: vec![Excluded {
                reason: ExclusionReason::Preview,
                count: 6,
            }],
            without_answers: 0,
            hidden: 0,
            min_group_size: 5,
        };
        assert_eq!(
            error.to_string(),
            "q.csv: no response can be used, so there is nothing to report: \
             6 rows read, 6 left out as survey previews or test responses"
        );
        assert!(error.hint().contains("--keep-test-responses"));
        let one = NothingToReport {
            rows_read: 1,
            excluded: Vec::new(),
            without_answers: 1,
            ..error
        };
        assert!(
            one.to_string()
                .ends_with("1 row read, 1 row answers no statement")
        );
    }
}
