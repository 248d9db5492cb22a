//! The history file: each wave's published figures, kept between runs so that
//! a report can show how the scores moved.
//!
//! JSON with a `schema_version`. One entry per wave, sorted by wave; running a
//! wave again replaces its entry. It holds only what the reports published
//! ([`WaveFigures`]): no respondent's answers, nothing the privacy rule hid.
//!
//! A missing file means no earlier wave. A file that cannot be read or parsed
//! is an error naming it, raised before anything is written, so a damaged
//! history is never silently replaced.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::ProjectError;
use super::wave::Wave;
use crate::score::trend::WaveFigures;

/// Version of the history file's schema.
pub const HISTORY_SCHEMA_VERSION: u32 = 1;

/// The whole history file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    /// Version of this structure.
    pub schema_version: u32,
    /// A sentence for whoever opens the file.
    pub about: String,
    /// One entry per wave, oldest first.
    pub waves: Vec<WaveFigures>,
    /// The last report written from this history, to tell when nothing has changed.
    pub last_report: Option<LastReport>,
}

/// The report the last run wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LastReport {
    /// Its wave.
    pub wave: String,
    /// The report file, as written.
    pub file: PathBuf,
    /// A fingerprint of every input (exports, settings, instrument, template, program version).
    pub inputs: String,
}

const ABOUT: &str = "Published figures of each survey wave, written by makeitstick for trend \
                     reporting. No individual answers; groups below the privacy threshold are left out.";

impl Default for History {
    fn default() -> Self {
        History {
            schema_version: HISTORY_SCHEMA_VERSION,
            about: ABOUT.into(),
            waves: Vec::new(),
            last_report: None,
        }
    }
}

impl History {
    /// Reads the history at `path`; `Ok(None)` when there is no such file.
    pub fn load(path: &Path) -> Result<Option<History>, ProjectError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(ProjectError::ReadHistory {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        let corrupt = |message: String| ProjectError::CorruptHistory {
            path: path.to_path_buf(),
            message,
        };
        // The version is checked first, so a newer file gets a clear message rather than a field error.
        let version = serde_json::from_str::<serde_json::Value>(&text)
            .map_err(|e| corrupt(e.to_string()))?
            .get("schema_version")
            .and_then(serde_json::Value::as_u64);
        match version {
            Some(v) if v == u64::from(HISTORY_SCHEMA_VERSION) => {}
            Some(v) => {
                return Err(ProjectError::HistoryVersion {
                    path: path.to_path_buf(),
                    version: v,
                });
            }
            None => return Err(corrupt("it has no schema_version".into())),
        }
        let history: History = serde_json::from_str(&text).map_err(|e| corrupt(e.to_string()))?;
        let mut seen = Vec::new();
        for entry in &history.waves {
            let wave: Wave = entry
                .wave
                .parse()
                .map_err(|e: super::wave::WaveNameError| corrupt(e.to_string()))?;
            if seen.contains(&wave) {
                return Err(corrupt(format!("the wave {wave} is listed twice")));
            }
            seen.push(wave);
        }
        Ok(Some(history))
    }

    /// Adds `figures`, replacing any entry for the same wave, and keeps waves sorted.
    pub fn put(&mut self, figures: WaveFigures) {
        self.waves.retain(|w| w.wave != figures.wave);
        self.waves.push(figures);
        self.waves.sort_by_key(|w| w.wave.parse::<Wave>().ok());
    }

    /// Every wave up to and including `wave`, oldest first.
    pub fn up_to(&self, wave: &Wave) -> Vec<WaveFigures> {
        self.waves
            .iter()
            .filter(|w| w.wave.parse::<Wave>().is_ok_and(|w| w <= *wave))
            .cloned()
            .collect()
    }

    /// Writes the history to `path` atomically.
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        crate::output::write_atomically(path, |temp| {
            let mut json = serde_json::to_string_pretty(self)?;
            json.push('\n');
            std::fs::write(temp, json)?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::trend::{Aggregate, IngredientFigures, InstrumentShape};

    fn figures(wave: &str, mean: f64) -> WaveFigures {
        WaveFigures {
            wave: wave.into(),
            source: None,
            instrument: InstrumentShape {
                name: "t".into(),
                version: "1".into(),
                scale: vec![1, 2, 3, 4, 5],
                min_share_answered: 0.5,
                ingredients: Vec::new(),
            },
            min_group_size: 5,
            responses: 10,
            ingredients: vec![IngredientFigures {
                id: "context".into(),
                overall: Some(Aggregate {
                    n: 10,
                    mean,
                    sd: Some(1.0),
                }),
                groups: Vec::new(),
                statements: Vec::new(),
            }],
        }
    }

    #[test]
    fn the_same_wave_replaces_and_waves_stay_sorted() {
        let mut history = History::default();
        history.put(figures("2026-Q3", 1.0));
        history.put(figures("2026-Q1", 2.0));
        history.put(figures("2026-Q3", 3.0));
        let waves: Vec<&str> = history.waves.iter().map(|w| w.wave.as_str()).collect();
        assert_eq!(waves, ["2026-Q1", "2026-Q3"]);
        assert_eq!(history.waves[1].ingredients[0].overall.unwrap().mean, 3.0);
        assert_eq!(history.up_to(&"2026-Q2".parse().unwrap()).len(), 1);
    }

    #[test]
    fn round_trips_and_refuses_damage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.json");
        assert_eq!(History::load(&path).unwrap(), None);
        let mut history = History::default();
        history.put(figures("2026-Q1", 2.0));
        history.save(&path).unwrap();
        assert_eq!(History::load(&path).unwrap(), Some(history));

        std::fs::write(&path, "{\"schema_version\": 1, \"waves\": [").unwrap();
        let error = History::load(&path).unwrap_err().to_string();
        assert!(error.contains("history.json"), "{error}");
        std::fs::write(
            &path,
            "{\"schema_version\": 1, \"about\": \"\", \"waves\": [], \"last_report\": null, \"rows\": []}",
        )
        .unwrap();
        let error = History::load(&path).unwrap_err().to_string();
        assert!(error.contains("unknown field `rows`"), "{error}");
        std::fs::write(&path, "{\"schema_version\": 9}").unwrap();
        let error = History::load(&path).unwrap_err().to_string();
        assert!(error.contains("schema_version 9"), "{error}");
    }
}
