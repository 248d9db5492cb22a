//! Which column of an export feeds which statement: a column is matched by
//! the first rule that fits, in this order:
//!
//! 1. the mapping file (`--mapping`): column letter, header or code → statement id;
//! 2. a platform id listed in the instrument (`ids`: Qualtrics ImportId or tag,
//!    LimeSurvey code, Kobo name), for exports whose headers are codes or translated;
//!    or the statement's own id, and `group` for the group question: the codes of
//!    the data-entry workbook and the names in the XLSForm `makeitstick questionnaire` writes;
//! 3. the whole header, normalised, equals a statement's wording or alias;
//! 4. the statement part of a grid or matrix header: the text after a separator
//!    (`Question [Statement]`, `Question - Statement`, `Question-Statement`,
//!    `Question.Statement`, `1.1. Statement`, `group/Statement`), which also
//!    covers Qualtrics' truncated `Question text...-Statement`.
//!

use std::collections::HashMap;
use std::path::Path;

use super::{Instrument, MapError, MapOptions};
use crate::ingest::Column;
use crate::text::normalise;

/// What a column feeds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Target {
    Statement(usize),
    Group,
    Ignore,
}

/// Which rule matched a column to a statement (or the group question), in
/// the order above; `check` prints and serialises it as its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedBy {
    /// Rule 1: the mapping file.
    MappingFile,
    /// Rule 2: a platform id listed in the instrument.
    PlatformId,
    /// Rule 3: the whole header.
    Header,
    /// Rule 4: the statement part of a grid or matrix header.
    StatementPart,
}

impl MatchedBy {
    /// The rule in words, as `check` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedBy::MappingFile => "mapping file",
            MatchedBy::PlatformId => "platform id",
            MatchedBy::Header => "header",
            MatchedBy::StatementPart => "statement part of header",
        }
    }
}

impl std::fmt::Display for MatchedBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for MatchedBy {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The key a platform id is compared by: lowercase, `-` read as `_`, outer space trimmed.
pub fn id_key(id: &str) -> String {
    id.trim().to_lowercase().replace('-', "_")
}

/// Which of these columns the questionnaire reads as questions: statements,
/// the group question and comment questions, by the same rules as mapping.
///
/// The reader asks this before it judges columns by their content, so that a
/// question is never dropped for holding, say, e-mail addresses. A mapping file
/// that does not fit the columns answers "no question" here; mapping reports it.
pub fn question_columns(instrument: &Instrument, options: &MapOptions) -> crate::ingest::Questions {
    let instrument = instrument.clone();
    let options = options.clone();
    crate::ingest::Questions(std::sync::Arc::new(move |columns: &[Column]| {
        let comments: Vec<String> = instrument
            .comments
            .iter()
            .flat_map(|c| std::iter::once(&c.question).chain(&c.aliases))
            .map(|w| normalise(w))
            .collect();
        let targets = match_columns(columns, Path::new(""), &instrument, &options)
            .unwrap_or_else(|_| vec![None; columns.len()]);
        columns
            .iter()
            .zip(targets)
            .map(|(column, target)| {
                matches!(target, Some((Target::Statement(_) | Target::Group, _)))
                    || comments.contains(&normalise(&column.header))
            })
            .collect()
    }))
}

/// Decides what each column feeds, by the rules in the module documentation.
pub(super) fn match_columns(
    columns: &[Column],
    source: &Path,
    instrument: &Instrument,
    options: &MapOptions,
) -> Result<Vec<Option<(Target, MatchedBy)>>, MapError> {
    let statements: Vec<_> = instrument.statements().collect();
    let mut targets: Vec<Option<(Target, MatchedBy)>> = vec![None; columns.len()];

    // 1. The mapping file.
    if let Some(file) = &options.mapping {
        let fail = |message: String| MapError::MappingFile {
            path: file.path.clone(),
            message,
        };
        for (key, value) in &file.columns {
            let target = match value.trim() {
                "group" => Target::Group,
                "ignore" => Target::Ignore,
                id => Target::Statement(
                    statements
                        .iter()
                        .position(|(_, s)| s.id == id)
                        .ok_or_else(|| {
                            fail(format!(
                                "{value:?} (for column {key:?}) is not a statement id of the instrument, nor \"group\" or \"ignore\""
                            ))
                        })?,
                ),
            };
            let column = find_column(columns, key).ok_or_else(|| {
                fail(format!(
                    "the column {key:?} is not in {}: give a column letter, header or code from it",
                    source.display()
                ))
            })?;
            targets[column] = Some((target, MatchedBy::MappingFile));
        }
    }

    // 2. Platform ids listed in the instrument.
    let mut ids: HashMap<String, Target> = HashMap::new();
    // The questionnaire's own codes first, so that an `ids` entry wins over them.
    if instrument.groups.is_some() {
        ids.insert(id_key("group"), Target::Group);
    }
    for (index, (_, statement)) in statements.iter().enumerate() {
        ids.insert(id_key(&statement.id), Target::Statement(index));
    }
    for (index, (_, statement)) in statements.iter().enumerate() {
        for id in &statement.ids {
            ids.insert(id_key(id), Target::Statement(index));
        }
    }
    for id in instrument.groups.iter().flat_map(|g| &g.ids) {
        ids.insert(id_key(id), Target::Group);
    }
    if !ids.is_empty() {
        for (index, column) in columns.iter().enumerate() {
            if targets[index].is_some() {
                continue;
            }
            let found = column_ids(column)
                .iter()
                .find_map(|key| ids.get(key).copied());
            if let Some(target) = found {
                targets[index] = Some((target, MatchedBy::PlatformId));
            }
        }
    }

    // 3 and 4. Wordings: the whole header, then the statement part of a grid header.
    let mut wordings: HashMap<String, Target> = HashMap::new();
    for (index, (_, statement)) in statements.iter().enumerate() {
        for wording in std::iter::once(&statement.text).chain(&statement.aliases) {
            wordings.insert(normalise(wording), Target::Statement(index));
        }
    }
    let group_wordings: Vec<String> = instrument
        .groups
        .iter()
        .flat_map(|g| std::iter::once(&g.question).chain(&g.aliases))
        .map(|w| normalise(w))
        .collect();
    for (index, column) in columns.iter().enumerate() {
        if targets[index].is_some() {
            continue;
        }
        let key = normalise(&column.header);
        if let Some(target) = wordings.get(&key) {
            targets[index] = Some((*target, MatchedBy::Header));
        } else if group_wordings.contains(&key) {
            targets[index] = Some((Target::Group, MatchedBy::Header));
        }
    }
    let group_found = targets
        .iter()
        .any(|t| matches!(t, Some((Target::Group, _))));
    for (index, column) in columns.iter().enumerate() {
        if targets[index].is_some() {
            continue;
        }
        for part in statement_parts(&column.header) {
            if let Some(target) = wordings.get(&part) {
                targets[index] = Some((*target, MatchedBy::StatementPart));
                break;
            }
            if !group_found && group_wordings.contains(&part) {
                targets[index] = Some((Target::Group, MatchedBy::StatementPart));
                break;
            }
        }
    }
    Ok(targets)
}

/// The column a mapping-file key names: its letter, header or code.
fn find_column(columns: &[Column], key: &str) -> Option<usize> {
    let trimmed = key.trim();
    if !trimmed.is_empty()
        && trimmed.len() <= 3
        && trimmed.chars().all(|c| c.is_ascii_uppercase())
        && let Some(i) = columns.iter().position(|c| c.letter == trimmed)
    {
        return Some(i);
    }
    let by = |f: &dyn Fn(&Column) -> bool| columns.iter().position(f);
    by(&|c| c.header.trim() == trimmed)
        .or_else(|| by(&|c| c.code.as_deref().is_some_and(|code| code.trim() == trimmed)))
        .or_else(|| {
            by(&|c| {
                c.import_id
                    .as_deref()
                    .is_some_and(|id| id_key(id) == id_key(trimmed))
            })
        })
        .or_else(|| {
            let key = normalise(trimmed);
            by(&|c| normalise(&c.header) == key)
        })
}

/// The ids a column can be known by: its import id, code, and a header that is a code.
fn column_ids(column: &crate::ingest::Column) -> Vec<String> {
    let mut keys = Vec::new();
    for id in [column.import_id.as_deref(), column.code.as_deref()]
        .into_iter()
        .flatten()
    {
        keys.push(id_key(id));
    }
    let header = column.header.trim();
    if !header.is_empty() && !header.contains(char::is_whitespace) {
        keys.push(id_key(header));
        // Kobo and ODK put the group in front: `context/welcomes` or `context.welcomes`.
        if let Some((_, last)) = header.rsplit_once(['/', '.'])
            && !last.is_empty()
        {
            keys.push(id_key(last));
        }
    }
    keys
}

/// Characters after which a grid or matrix header's statement part can start.
const SEPARATORS: &[char] = &['-', '.', ':', '[', '|', '/', '?', ')', ']', ';', '>', '\n'];

/// The longest statement part of a header that is looked for, in bytes.
const MAX_PART: usize = 2_000;

/// Candidate statement parts of a header, longest first: the normalised text
/// after each separator, without a closing `]`.
///
/// Microsoft Forms quiz columns (`Points - Question`, `Feedback - Question`)
/// give none: they hold marks, not answers.
pub(crate) fn statement_parts(header: &str) -> Vec<String> {
    let full = normalise(header);
    if full.starts_with("points - ") || full.starts_with("feedback - ") {
        return Vec::new();
    }
    // A part is compared with statement wordings, which are short: parts longer
    // than MAX_PART can never match, and looking for them in a 10 MB header
    // would take hours. Only separators in the last MAX_PART bytes are tried.
    let mut window = full.len().saturating_sub(MAX_PART);
    while !full.is_char_boundary(window) {
        window += 1;
    }
    let mut parts: Vec<String> = Vec::new();
    for (i, ch) in full[window..].char_indices() {
        let i = window + i;
        if !SEPARATORS.contains(&ch) {
            continue;
        }
        let rest = full[i + ch.len_utf8()..]
            .trim_start_matches(|c: char| SEPARATORS.contains(&c) || c.is_whitespace())
            .trim_end();
        let rest = rest.strip_suffix(']').unwrap_or(rest);
        let part = normalise(rest);
        if !part.is_empty() && part != full && !parts.contains(&part) {
            parts.push(part);
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_and_matrix_headers_give_their_statement_part() {
        let parts = |h: &str| statement_parts(h);
        let wanted = "our organisation welcomes new ways of working".to_string();
        for header in [
            "How much do you agree? [Our organisation welcomes new ways of working.]",
            " [Our organisation welcomes new ways of working.]",
            "How much do you agree? - Our organisation welcomes new ways of working.",
            "How much do you agree with each statement below? Please answer hon...-Our organisation welcomes new ways of working.",
            "How much do you agree.Our organisation welcomes new ways of working.",
            "2.1. Our organisation welcomes new ways of working.",
            "context/Our organisation welcomes new ways of working.",
            "Q2[SQ001]. [Our organisation welcomes new ways of working.]",
        ] {
            assert!(
                parts(header).contains(&wanted),
                "{header}: {:?}",
                parts(header)
            );
        }
        assert!(parts("Points - Our organisation welcomes new ways of working.").is_empty());
    }
}
