//! Reading back a versioned JSON file this program wrote (a history): the
//! file's text if it exists, and its `schema_version` checked before any
//! field, so a newer file gets a clear message rather than a field error.
//! The project's and the programme's histories share these two steps and
//! map the outcome into their own error types.

use std::path::Path;

/// The text of `path`; `Ok(None)` when there is no such file.
pub fn read_if_present(path: &Path) -> std::io::Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// Why a versioned file cannot be read as one.
#[derive(Debug, PartialEq)]
pub enum VersionProblem {
    /// Not JSON at all: the parser's message.
    NotJson(String),
    /// Written by a newer version of the program (or a version that never was).
    Unknown(u64),
    /// No `schema_version` number.
    Missing,
}

/// Parses `text` and checks its `schema_version` is 1 to `newest`.
pub fn parse(text: &str, newest: u32) -> Result<serde_json::Value, VersionProblem> {
    let value = serde_json::from_str::<serde_json::Value>(text)
        .map_err(|e| VersionProblem::NotJson(e.to_string()))?;
    match value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
    {
        Some(v) if (1..=u64::from(newest)).contains(&v) => Ok(value),
        Some(v) => Err(VersionProblem::Unknown(v)),
        None => Err(VersionProblem::Missing),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_checked_before_fields() {
        assert!(parse(r#"{"schema_version": 2, "x": 1}"#, 2).is_ok());
        assert_eq!(
            parse(r#"{"schema_version": 3}"#, 2),
            Err(VersionProblem::Unknown(3))
        );
        assert_eq!(
            parse(r#"{"schema_version": 0}"#, 2),
            Err(VersionProblem::Unknown(0))
        );
        assert_eq!(parse(r#"{"waves": []}"#, 2), Err(VersionProblem::Missing));
        assert!(matches!(parse("{", 2), Err(VersionProblem::NotJson(_))));
    }

    #[test]
    fn a_missing_file_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            read_if_present(&dir.path().join("none.json")).unwrap(),
            None
        );
        std::fs::write(dir.path().join("h.json"), "{}").unwrap();
        assert_eq!(
            read_if_present(&dir.path().join("h.json"))
                .unwrap()
                .as_deref(),
            Some("{}")
        );
    }
}
