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
use crate::output::versioned;
use crate::score::trend::WaveFigures;
use crate::wave::Wave;

/// Version of the history file's schema.
///
/// 2 added each wave's responses per group (`response_groups`); a version 1
/// file is read as it is (its waves lack them) and written back as 2.
pub const HISTORY_SCHEMA_VERSION: u32 = 2;

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
        let text =
            versioned::read_if_present(path).map_err(|source| ProjectError::ReadHistory {
                path: path.to_path_buf(),
                source,
            })?;
        text.map(|text| History::from_json(&text, path)).transpose()
    }

    /// Parses and checks the text of a history file; `path` names it in errors.
    ///
    /// Any text gives a history or an error, never a panic: every figure is
    /// checked here (see [`check_figures`]), so the trend's arithmetic only
    /// ever sees numbers a report could have written.
    pub fn from_json(text: &str, path: &Path) -> Result<History, ProjectError> {
        let corrupt = |message: String| ProjectError::CorruptHistory {
            path: path.to_path_buf(),
            message,
        };
        // The version is checked first, so a newer file gets a clear message rather than a field error.
        let value =
            versioned::parse(text, HISTORY_SCHEMA_VERSION).map_err(|problem| {
                match problem.newer() {
                    Some(version) => ProjectError::HistoryVersion {
                        path: path.to_path_buf(),
                        version,
                    },
                    None => corrupt(problem.to_string()),
                }
            })?;
        let mut history: History = serde_path_to_error::deserialize(&value).map_err(|e| {
            let place = place(&value, &e.path().to_string());
            corrupt(format!("{place}: {}", e.inner()))
        })?;
        // Each wave's name was parsed by serde (a bad one names `waves[k].wave`).
        versioned::check_waves(&history.waves, |w| w.wave, check_figures).map_err(corrupt)?;
        if let Some(last) = &history.last_report {
            last.wave
                .parse::<Wave>()
                .map_err(|e| corrupt(format!("last_report.wave: {e}")))?;
        }
        // Written by this version from now on.
        history.schema_version = HISTORY_SCHEMA_VERSION;
        Ok(history)
    }

    /// Adds `figures`, replacing any entry for the same wave, and keeps waves sorted.
    pub fn put(&mut self, figures: WaveFigures) {
        self.waves.retain(|w| w.wave != figures.wave);
        self.waves.push(figures);
        self.waves.sort_by_key(|w| w.wave);
    }

    /// Every wave up to and including `wave`, oldest first.
    pub fn up_to(&self, wave: &Wave) -> Vec<WaveFigures> {
        self.waves
            .iter()
            .filter(|w| w.wave <= *wave)
            .cloned()
            .collect()
    }

    /// Writes the history to `path` atomically.
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        crate::output::write_atomically(path, |temp| crate::output::write_json(temp, self))
    }
}

/// Where a serde error points, with the wave's name when it is inside one:
/// "wave 2026-Q2 (waves[1].ingredients[0].overall.n)"; a wave's own name
/// that is not a wave is named by its place alone ("waves[1].wave").
fn place(value: &serde_json::Value, path: &str) -> String {
    let Some((k, field)) = path
        .strip_prefix("waves[")
        .and_then(|rest| rest.split_once(']'))
    else {
        return path.to_string();
    };
    if field == ".wave" {
        return path.to_string();
    }
    let wave = k
        .parse::<usize>()
        .ok()
        .and_then(|k| value.get("waves")?.get(k)?.get("wave")?.as_str());
    match wave {
        Some(wave) => match wave.parse::<Wave>() {
            Ok(wave) => format!("wave {wave} ({path})"),
            Err(_) => format!("wave {} ({path})", short(wave)),
        },
        None => path.to_string(),
    }
}

/// At most 40 characters of a text from the file, for a message.
fn short(text: &str) -> String {
    let cut: String = text.chars().take(40).collect();
    if cut.len() < text.len() {
        format!("{cut:?}…")
    } else {
        format!("{cut:?}")
    }
}

/// The largest sample sd a set of 0-100 scores can have is 50 × √2 (two
/// scores, 0 and 100); anything above 100 is certainly not a published figure.
const MAX_SD: f64 = 100.0;

/// A number from the file as a message shows it: `1e308`, not 309 digits.
fn number(x: f64) -> String {
    if x != 0.0 && !(1e-4..1e6).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// More responses than any survey has: a count above it is an edit, and sums of
/// such counts could overflow.
const MAX_COUNT: usize = 1_000_000_000;

/// `n` is a count a survey could have.
fn at_most(field: &str, n: usize) -> Result<(), String> {
    if n > MAX_COUNT {
        Err(format!("{field} is {n}, more than any survey's responses"))
    } else {
        Ok(())
    }
}

/// Checks that every figure of a wave is one a report could have published:
/// means and sds finite and within 0-100, every shown figure counting at least
/// the wave's threshold (and one) and no count above a billion, the share of
/// statements needed a fraction.
fn check_figures(wave: &WaveFigures) -> Result<(), String> {
    let score = |field: &str, x: f64| -> Result<(), String> {
        if x.is_finite() && (0.0..=100.0).contains(&x) {
            Ok(())
        } else {
            Err(format!(
                "{field} is {}, not a score from 0 to 100",
                number(x)
            ))
        }
    };
    let sd = |field: &str, x: Option<f64>| -> Result<(), String> {
        match x {
            Some(x) if !(x.is_finite() && (0.0..=MAX_SD).contains(&x)) => Err(format!(
                "{field} is {}, not a standard deviation from 0 to 100",
                number(x)
            )),
            _ => Ok(()),
        }
    };
    // A figure shown reached the wave's own threshold: a smaller one, or a
    // threshold raised by hand above the figures, is an edit.
    let count = |field: &str, n: usize| -> Result<(), String> {
        if n == 0 || n < wave.min_group_size {
            Err(format!(
                "{field} is {n}, below the wave's min_group_size of {}, so it could not have been shown",
                wave.min_group_size.max(1)
            ))
        } else {
            at_most(field, n)
        }
    };
    at_most("responses", wave.responses)?;
    for group in wave.response_groups.iter().flatten() {
        at_most(&format!("response_groups {} n", short(&group.id)), group.n)?;
    }
    let share = wave.instrument.min_share_answered;
    if !(share.is_finite() && (0.0..=1.0).contains(&share)) {
        return Err(format!(
            "instrument.min_share_answered is {share}, not a share from 0 to 1"
        ));
    }
    for ingredient in &wave.ingredients {
        let at = |field: &str| format!("ingredient {}, {field}", short(&ingredient.id));
        if let Some(overall) = ingredient.overall {
            count(&at("overall n"), overall.n)?;
            score(&at("overall mean"), overall.mean)?;
            sd(&at("overall sd"), overall.sd)?;
        }
        for group in &ingredient.groups {
            let at = |field: &str| at(&format!("group {} {field}", short(&group.id)));
            count(&at("n"), group.n)?;
            score(&at("mean"), group.mean)?;
            sd(&at("sd"), group.sd)?;
        }
        for statement in &ingredient.statements {
            at_most(
                &at(&format!("statement {} n", short(&statement.id))),
                statement.n,
            )?;
            if let Some(mean) = statement.mean {
                score(
                    &at(&format!("statement {} mean", short(&statement.id))),
                    mean,
                )?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::trend::{Aggregate, IngredientFigures, InstrumentShape};

    fn figures(wave: &str, mean: f64) -> WaveFigures {
        WaveFigures {
            wave: wave.parse().unwrap(),
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
            response_groups: None,
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
        let waves: Vec<String> = history.waves.iter().map(|w| w.wave.to_string()).collect();
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

    /// A history as this version writes it, with one wave.
    fn saved() -> serde_json::Value {
        let mut history = History::default();
        history.put(figures("2026-Q2", 60.0));
        serde_json::to_value(&history).unwrap()
    }

    fn overall(v: &mut serde_json::Value) -> &mut serde_json::Value {
        &mut v["waves"][0]["ingredients"][0]["overall"]
    }

    /// The error for `history` with `edit` applied.
    fn damaged(edit: impl Fn(&mut serde_json::Value)) -> String {
        let mut value = saved();
        edit(&mut value);
        History::from_json(&value.to_string(), Path::new("h.json"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn hand_edited_figures_are_damage_named_by_wave_and_field() {
        type Edit = Box<dyn Fn(&mut serde_json::Value)>;
        let cases: Vec<(Edit, &str)> = vec![
            (
                Box::new(|v| {
                    overall(v)["mean"] = 1e308.into();
                    overall(v)["sd"] = 1e308.into();
                }),
                "wave 2026-Q2: ingredient \"context\", overall mean is 1e308, not a score",
            ),
            (
                Box::new(|v| overall(v)["sd"] = (-1.0).into()),
                "overall sd is -1, not a standard deviation from 0 to 100",
            ),
            (
                Box::new(|v| overall(v)["mean"] = (-0.5).into()),
                "overall mean is -0.5, not a score from 0 to 100",
            ),
            (
                Box::new(|v| overall(v)["n"] = 2.5.into()),
                "wave 2026-Q2 (waves[0].ingredients[0].overall.n): invalid type: floating point `2.5`, expected usize",
            ),
            (
                Box::new(|v| overall(v)["n"] = (-3).into()),
                "wave 2026-Q2 (waves[0].ingredients[0].overall.n): invalid value: integer `-3`",
            ),
            (
                Box::new(|v| overall(v)["n"] = u64::MAX.into()),
                "overall n is 18446744073709551615, more than any survey's responses",
            ),
            (
                Box::new(|v| overall(v)["n"] = 0.into()),
                "overall n is 0, below the wave's min_group_size of 5, so it could not have been shown",
            ),
            (
                Box::new(|v| v["waves"][0]["min_group_size"] = 50.into()),
                "overall n is 10, below the wave's min_group_size of 50",
            ),
            (
                Box::new(|v| {
                    v["waves"][0]["ingredients"][0]["statements"] =
                        serde_json::json!([{"id": "c1", "n": 3, "mean": 250.5}])
                }),
                "statement \"c1\" mean is 250.5",
            ),
            (
                Box::new(|v| v["waves"][0]["instrument"]["min_share_answered"] = 7.into()),
                "instrument.min_share_answered is 7, not a share from 0 to 1",
            ),
            (
                Box::new(|v| v["waves"][0]["wave"] = "spring 2026".into()),
                "waves[0].wave: ",
            ),
            (
                Box::new(|v| {
                    v["last_report"] =
                        serde_json::json!({"wave": "Q9", "file": "r.pdf", "inputs": ""})
                }),
                "last_report.wave: ",
            ),
        ];
        for (edit, expected) in cases {
            let error = damaged(edit);
            assert!(
                error.starts_with("the history h.json is damaged"),
                "{error}"
            );
            assert!(error.contains(expected), "{error}\nwanted: {expected}");
        }
    }

    #[test]
    fn a_version_1_history_is_read_and_written_as_version_2() {
        let mut value = saved();
        value["schema_version"] = 1.into();
        let history = History::from_json(&value.to_string(), Path::new("h.json")).unwrap();
        assert_eq!(history.schema_version, HISTORY_SCHEMA_VERSION);
        assert_eq!(history.waves[0].response_groups, None);
    }
}
