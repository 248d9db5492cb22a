//! `programme-history.json`: the programme's published aggregates, wave by
//! wave, kept between runs so the programme report can show how they moved.
//!
//! JSON with a `schema_version`; one entry per wave, sorted by wave; running a
//! wave again replaces its entry. Each entry holds only programme figures
//! that the programme report publishes ([`ProgrammeWave`]): per ingredient the
//! pooled overall figure, the pooled group figures the cross-site rule lets
//! through, and how sites spread (programme mean, quartiles, number of
//! sites). Never a site's figures ([`super::site::SiteFigures`] hold hidden
//! cells); each site keeps its own history in its own folder, as a single
//! organisation does.
//!
//! A missing file means no earlier wave. A file that cannot be read or
//! parsed is an error naming it, raised before anything is written, so a
//! damaged history is never silently replaced.
//!
//! The trend itself is [`crate::score::trend::trend`]'s, run over the
//! programme's waves as if they were one organisation's ([`ProgrammeHistory::trend`]).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::summary::ProgrammeSummary;
use crate::instrument::Instrument;
use crate::output::versioned;
use crate::score::trend::{
    Aggregate, GroupFigures, IngredientFigures, InstrumentShape, Trend, WaveFigures,
};
use crate::wave::Wave;

/// Version of the programme history's schema.
pub const PROGRAMME_HISTORY_SCHEMA_VERSION: u32 = 1;

/// The file's name in the programme folder.
pub const PROGRAMME_HISTORY_FILE: &str = "programme-history.json";

const ABOUT: &str = "Published programme figures of each survey wave, written by makeitstick \
                     for the programme report's trend. No site's own figures, no individual answers; \
                     groups hidden by the privacy rule are left out.";

/// Why the programme history cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The file exists but cannot be read.
    #[error("cannot read the programme history {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a programme history this version wrote.
    #[error("the programme history {path} is damaged: {message}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where.
        message: String,
    },
    /// A newer makeitstick wrote it.
    #[error(
        "the programme history {path} has schema version {version}, newer than this makeitstick reads ({PROGRAMME_HISTORY_SCHEMA_VERSION})"
    )]
    Version {
        /// The file.
        path: PathBuf,
        /// The version found.
        version: u64,
    },
    /// It could not be written.
    #[error("cannot write the programme history {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: anyhow::Error,
    },
}

impl HistoryError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            HistoryError::Read { .. } => "check the file's permissions",
            HistoryError::Corrupt { .. } => {
                "restore programme-history.json from a backup, or move it away to start the programme's history again"
            }
            HistoryError::Version { .. } => "use the newer makeitstick that wrote it",
            HistoryError::Write { .. } => {
                "check that the programme folder is writable and has space"
            }
        }
    }
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeHistory {
    /// Version of this structure.
    pub schema_version: u32,
    /// A sentence for whoever opens the file.
    pub about: String,
    /// One entry per wave, oldest first.
    pub waves: Vec<ProgrammeWave>,
}

/// The programme's published figures in one wave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeWave {
    /// The wave ("2026-Q3" in the file).
    pub wave: Wave,
    /// What was asked, to tell whether two waves are comparable.
    pub instrument: InstrumentShape,
    /// The programme's privacy threshold for a group.
    pub min_group_size: usize,
    /// Fewest responses for a site to be counted.
    pub site_threshold: u64,
    /// Sites in the programme figures.
    pub sites: usize,
    /// Responses in those sites.
    pub responses: u64,
    /// One entry per ingredient, in instrument order.
    pub ingredients: Vec<ProgrammeWaveIngredient>,
}

/// One ingredient's programme figures in one wave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeWaveIngredient {
    /// Ingredient id.
    pub id: String,
    /// Every respondent of the counted sites, pooled; absent without a score.
    pub overall: Option<Aggregate>,
    /// The pooled figures of the groups the cross-site rule lets through.
    pub groups: Vec<GroupFigures>,
    /// The programme mean (the funnel's centre).
    pub programme_mean: Option<f64>,
    /// The sites' lower quartile, median and upper quartile.
    pub site_quartiles: Option<[f64; 3]>,
    /// Sites with a score.
    pub sites: usize,
}

impl Default for ProgrammeHistory {
    fn default() -> Self {
        ProgrammeHistory {
            schema_version: PROGRAMME_HISTORY_SCHEMA_VERSION,
            about: ABOUT.into(),
            waves: Vec::new(),
        }
    }
}

impl ProgrammeWave {
    /// The published programme figures of `summary` for `wave`.
    pub fn from_summary(
        wave: Wave,
        summary: &ProgrammeSummary,
        instrument: &Instrument,
        min_group_size: usize,
        site_threshold: u64,
    ) -> ProgrammeWave {
        let figures = &summary.figures;
        ProgrammeWave {
            wave,
            instrument: InstrumentShape::of(instrument, &[]),
            min_group_size,
            site_threshold,
            sites: figures.sites.len(),
            responses: figures.responses,
            ingredients: figures
                .ingredients
                .iter()
                .zip(&summary.spreads)
                .map(|(ingredient, spread)| ProgrammeWaveIngredient {
                    id: ingredient.id.clone(),
                    overall: ingredient.overall.as_ref().map(|s| Aggregate {
                        n: s.n,
                        mean: s.mean,
                        sd: s.sd,
                    }),
                    groups: ingredient
                        .groups
                        .iter()
                        .filter_map(|cell| {
                            let s = cell.summary.as_ref()?;
                            Some(GroupFigures {
                                id: cell.id.clone(),
                                name: cell.name.clone(),
                                lived_experience: cell.lived_experience,
                                n: s.n,
                                mean: s.mean,
                                sd: s.sd,
                            })
                        })
                        .collect(),
                    programme_mean: spread.programme_mean,
                    site_quartiles: spread.site_quartiles.map(|q| [q.q1, q.median, q.q3]),
                    sites: spread.sites.len(),
                })
                .collect(),
        }
    }

    /// The wave as the single report's trend reads a wave: the programme's
    /// overall and group figures, no statements.
    fn as_wave_figures(&self) -> WaveFigures {
        WaveFigures {
            wave: self.wave,
            source: None,
            instrument: self.instrument.clone(),
            min_group_size: self.min_group_size,
            responses: usize::try_from(self.responses).unwrap_or(usize::MAX),
            response_groups: None,
            ingredients: self
                .ingredients
                .iter()
                .map(|i| IngredientFigures {
                    id: i.id.clone(),
                    overall: i.overall,
                    groups: i.groups.clone(),
                    statements: Vec::new(),
                })
                .collect(),
        }
    }
}

impl ProgrammeHistory {
    /// Reads the history at `path`; `Ok(None)` when there is no such file.
    pub fn load(path: &Path) -> Result<Option<ProgrammeHistory>, HistoryError> {
        let text = versioned::read_if_present(path).map_err(|source| HistoryError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        text.map(|text| ProgrammeHistory::from_json(&text, path))
            .transpose()
    }

    /// Parses and checks the text of a programme history; `path` names it in errors.
    pub fn from_json(text: &str, path: &Path) -> Result<ProgrammeHistory, HistoryError> {
        let corrupt = |message: String| HistoryError::Corrupt {
            path: path.to_path_buf(),
            message,
        };
        let value =
            versioned::parse(text, PROGRAMME_HISTORY_SCHEMA_VERSION).map_err(|problem| {
                match problem.newer() {
                    Some(version) => HistoryError::Version {
                        path: path.to_path_buf(),
                        version,
                    },
                    None => corrupt(problem.to_string()),
                }
            })?;
        let history: ProgrammeHistory = serde_path_to_error::deserialize(&value)
            .map_err(|e| corrupt(format!("{}: {}", e.path(), e.inner())))?;
        versioned::check_waves(&history.waves, |w| w.wave, check).map_err(corrupt)?;
        Ok(history)
    }

    /// Adds `wave`, replacing any entry for the same wave, and keeps waves sorted.
    pub fn put(&mut self, wave: ProgrammeWave) {
        self.waves.retain(|w| w.wave != wave.wave);
        self.waves.push(wave);
        self.waves.sort_by_key(|w| w.wave);
    }

    /// Writes the history to `path` atomically: readers see the old file or
    /// the new one, never half of one.
    pub fn save(&self, path: &Path) -> Result<(), HistoryError> {
        crate::output::write_atomically(path, |temp| crate::output::write_json(temp, self)).map_err(
            |source| HistoryError::Write {
                path: path.to_path_buf(),
                source,
            },
        )
    }

    /// How the programme's figures moved up to and including `wave`: the
    /// single report's trend rule (Welch 95% interval of each change, lines
    /// broken where the statements changed) over the programme's waves;
    /// `None` when `wave` is the first on record.
    pub fn trend(&self, wave: Wave) -> Option<Trend> {
        let waves: Vec<WaveFigures> = self
            .waves
            .iter()
            .filter(|w| w.wave <= wave)
            .map(ProgrammeWave::as_wave_figures)
            .collect();
        if waves.last().map(|w| w.wave) != Some(wave) {
            return None;
        }
        crate::score::trend::trend(&waves)
    }
}

/// Every figure of one wave is one a report could have written.
fn check(wave: &ProgrammeWave) -> Result<(), String> {
    let score = |what: &str, x: f64| {
        if x.is_finite() && (0.0..=100.0).contains(&x) {
            Ok(())
        } else {
            Err(format!("{what} is {x}, not a score from 0 to 100"))
        }
    };
    let aggregate = |what: &str, a: &Aggregate| -> Result<(), String> {
        score(&format!("{what} mean"), a.mean)?;
        match a.sd {
            Some(sd) if !(sd.is_finite() && (0.0..=100.0).contains(&sd)) => {
                Err(format!("{what} sd is {sd}, not a spread of 0-100 scores"))
            }
            _ if a.n == 0 => Err(format!("{what} has no scores (n is 0)")),
            _ => Ok(()),
        }
    };
    for ingredient in &wave.ingredients {
        let id = &ingredient.id;
        if let Some(overall) = &ingredient.overall {
            aggregate(id, overall)?;
        }
        for group in &ingredient.groups {
            aggregate(&format!("{id} {}", group.id), &group.figures())?;
        }
        if let Some(mean) = ingredient.programme_mean {
            score(&format!("{id} programme_mean"), mean)?;
        }
        if let Some(q) = ingredient.site_quartiles {
            for x in q {
                score(&format!("{id} site_quartiles"), x)?;
            }
            if !(q[0] <= q[1] && q[1] <= q[2]) {
                return Err(format!("{id} site_quartiles are not in order"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programme::site::fixture::{programme, site};
    use crate::programme::summary::summarise;

    fn instrument() -> Instrument {
        Instrument::load(None).unwrap()
    }

    fn wave(name: &str, shift: f64) -> ProgrammeWave {
        let sizes = [6, 10, 8, 5, 5, 0];
        let sites = vec![
            site("a", "A", &sizes, &[50.0 + shift, 60.0, 60.0, 60.0, 60.0]),
            site("b", "B", &sizes, &[60.0 + shift, 62.0, 60.0, 60.0, 60.0]),
            site("c", "C", &sizes, &[70.0 + shift, 64.0, 60.0, 60.0, 60.0]),
        ];
        let summary = summarise(&sites, &instrument(), 5, 10);
        ProgrammeWave::from_summary(name.parse().unwrap(), &summary, &instrument(), 5, 10)
    }

    #[test]
    fn put_replaces_the_same_wave_and_keeps_order_and_save_load_round_trips() {
        let mut history = ProgrammeHistory::default();
        history.put(wave("2026-Q3", 0.0));
        history.put(wave("2026-Q1", 0.0));
        history.put(wave("2026-Q3", 5.0));
        let names: Vec<String> = history.waves.iter().map(|w| w.wave.to_string()).collect();
        assert_eq!(names, ["2026-Q1", "2026-Q3"]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(PROGRAMME_HISTORY_FILE);
        assert!(ProgrammeHistory::load(&path).unwrap().is_none());
        history.save(&path).unwrap();
        assert_eq!(ProgrammeHistory::load(&path).unwrap(), Some(history));
    }

    #[test]
    fn only_published_programme_aggregates_are_kept() {
        // Site B hides its 3 young people, alone: the programme's young
        // people are A's and C's (12), and nothing of B's cell is kept.
        let shown = [6, 10, 8, 5, 5, 0];
        let sites = vec![
            site("a", "A", &shown, &[60.0]),
            site("b", "B", &[3, 10, 8, 5, 5, 0], &[91.0]),
            site("c", "C", &shown, &[70.0]),
        ];
        let summary = summarise(&sites, &instrument(), 5, 10);
        let wave =
            ProgrammeWave::from_summary("2026-Q3".parse().unwrap(), &summary, &instrument(), 5, 10);
        let young = &wave.ingredients[0].groups[0];
        assert_eq!((young.n, young.mean), (12, 65.0));
        let text = serde_json::to_string(&wave).unwrap();
        for site_word in ["\"a\"", "\"b\"", "\"A\"", "\"B\""] {
            assert!(!text.contains(site_word), "{site_word} in {text}");
        }
        // The programme of the fixture: the small site counts in no figure.
        let summary = summarise(&programme(), &instrument(), 5, 10);
        let wave =
            ProgrammeWave::from_summary("2026-Q3".parse().unwrap(), &summary, &instrument(), 5, 10);
        assert_eq!(wave.sites, 4);
        assert_eq!(wave.ingredients[0].sites, 4);
    }

    #[test]
    fn a_damaged_file_is_named_and_explained() {
        let path = Path::new("reports/programme-history.json");
        let error = ProgrammeHistory::from_json("{", path).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("programme-history.json is damaged"),
            "{error}"
        );
        let error = ProgrammeHistory::from_json("{\"schema_version\": 9}", path).unwrap_err();
        assert!(
            matches!(error, HistoryError::Version { version: 9, .. }),
            "{error}"
        );
        let mut history = ProgrammeHistory::default();
        history.put(wave("2026-Q3", 0.0));
        let mut value = serde_json::to_value(&history).unwrap();
        value["waves"][0]["ingredients"][0]["overall"]["mean"] = 250.0.into();
        let error = ProgrammeHistory::from_json(&value.to_string(), path).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("wave 2026-Q3: context mean is 250"),
            "{error}"
        );
        value["waves"][0]["ingredients"][0]["extra"] = 1.into();
        let error = ProgrammeHistory::from_json(&value.to_string(), path).unwrap_err();
        assert!(
            error.to_string().contains("waves[0].ingredients[0]"),
            "{error}"
        );
        let twice = format!(
            "{{\"schema_version\":1,\"about\":\"\",\"waves\":[{w},{w}]}}",
            w = serde_json::to_string(&wave("2026-Q3", 0.0)).unwrap()
        );
        let error = ProgrammeHistory::from_json(&twice, path).unwrap_err();
        assert!(error.to_string().contains("listed twice"), "{error}");
    }

    #[test]
    fn the_trend_compares_the_programme_with_its_previous_wave() {
        let mut history = ProgrammeHistory::default();
        history.put(wave("2026-Q2", 0.0));
        assert!(history.trend("2026-Q2".parse().unwrap()).is_none());
        history.put(wave("2026-Q3", 12.0));
        let trend = history.trend("2026-Q3".parse().unwrap()).unwrap();
        assert_eq!(
            (trend.previous_wave.as_str(), trend.wave.as_str()),
            ("2026-Q2", "2026-Q3")
        );
        let context = &trend.ingredients[0];
        assert_eq!(context.since_previous.difference, Some(12.0));
        assert!(context.since_previous.changed);
        assert!(!trend.ingredients[2].since_previous.changed);
        // A wave not on record has no trend.
        assert!(history.trend("2026-Q4".parse().unwrap()).is_none());
    }
}
