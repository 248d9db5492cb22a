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

impl VersionProblem {
    /// The version of a file written by a newer program: the one problem
    /// that is not damage, and says so in its own words.
    pub fn newer(&self) -> Option<u64> {
        match self {
            VersionProblem::Unknown(version) => Some(*version),
            _ => None,
        }
    }
}

impl std::fmt::Display for VersionProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VersionProblem::NotJson(message) => f.write_str(message),
            VersionProblem::Unknown(version) => write!(f, "schema_version {version} is not known"),
            VersionProblem::Missing => f.write_str("it has no schema_version"),
        }
    }
}

/// Checks a history's entries, each once: no wave listed twice, and `check`
/// passing for each; the message names the wave.
pub fn check_waves<T, W, E>(
    entries: &[T],
    wave: impl Fn(&T) -> W,
    check: impl Fn(&T) -> Result<(), E>,
) -> Result<(), String>
where
    W: PartialEq + std::fmt::Display,
    E: std::fmt::Display,
{
    let mut seen: Vec<W> = Vec::new();
    for entry in entries {
        let name = wave(entry);
        if seen.contains(&name) {
            return Err(format!("the wave {name} is listed twice"));
        }
        check(entry).map_err(|e| format!("wave {name}: {e}"))?;
        seen.push(name);
    }
    Ok(())
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
    fn each_wave_once_and_checked() {
        let positive = |n: &i32| if *n > 0 { Ok(()) } else { Err("not positive") };
        assert_eq!(check_waves(&[1, 2], |n| *n, positive), Ok(()));
        assert_eq!(
            check_waves(&[1, 2, 1], |n| *n, positive),
            Err("the wave 1 is listed twice".into())
        );
        assert_eq!(
            check_waves(&[1, -2], |n| *n, positive),
            Err("wave -2: not positive".into())
        );
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
