//! The questionnaire definition (TOML): loading ([`Instrument::load`]), the
//! file format ([`model`]), its validation ([`validate`]) and what its scales
//! mean; mapping an export's columns to its statements ([`columns`], [`map`]).

mod columns;
mod labels;
mod map;
mod model;
mod problems;
mod validate;

pub use columns::{MatchedBy, id_key, question_columns};
pub use map::{
    ANSWER_CACHE, Analysis, Answer, MapOptions, MappedColumn, MappingFile, Respondent, Responses,
    RowMapper, UnknownGroups,
};
pub use model::{
    Band, CommentQuestion, DEFAULT_SCALE_ID, GroupOption, Groups, Ingredient, Instrument,
    MissingAnswer, Scale, ScalePoint, Scoring, Statement,
};
pub use problems::{MapError, OffScaleAnswer, UnknownGroup, excerpt};
pub use validate::Invalid;
use validate::lcm;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// The built-in instrument, compiled into the binary.
pub const BUILT_IN: &str = include_str!("../../report-templates/instrument.toml");

/// Where an instrument came from, for error messages.
#[derive(Debug, Clone)]
pub enum Origin {
    /// The copy compiled into the binary.
    BuiltIn,
    /// A file given by the user.
    File(PathBuf),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::BuiltIn => write!(f, "the built-in instrument"),
            Origin::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// Why an instrument could not be used.
#[derive(Debug, Error)]
pub enum InstrumentError {
    /// The file could not be read.
    #[error("cannot read instrument {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The TOML is malformed or has an unknown key.
    #[error("instrument {origin} is not valid: {message}")]
    Parse {
        /// Where it came from.
        origin: Origin,
        /// The TOML parser's message, which names the line and key.
        message: String,
    },
    /// The TOML parsed but breaks a rule.
    #[error("instrument {origin}: {problem}")]
    Invalid {
        /// Where it came from.
        origin: Origin,
        /// What is wrong, naming the key, and what to do.
        problem: Invalid,
    },
}

impl InstrumentError {
    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            InstrumentError::Read { .. } => {
                "check the path given with --instrument (or `instrument` in makeitstick.toml)".into()
            }
            InstrumentError::Parse { message, .. } if message.contains("unknown field") => {
                "check the spelling of the key named above: instrument files are read strictly, and every key is explained in the comments of the built-in instrument (`makeitstick init` writes a copy)".into()
            }
            InstrumentError::Parse { message, .. } if message.contains("missing field") => {
                "add the key named above; the built-in instrument (`makeitstick init` writes a copy) shows every key with a comment, and says which ones may be left out".into()
            }
            InstrumentError::Parse { .. } => {
                "fix the TOML at the line named above; the built-in instrument (`makeitstick init` writes a copy) shows every key with a comment".into()
            }
            InstrumentError::Invalid { problem, .. } => problem.fix.clone(),
        }
    }
}

impl Instrument {
    /// Loads the built-in instrument, or `path` when given.
    pub fn load(path: Option<&Path>) -> Result<Instrument, InstrumentError> {
        match path {
            None => Instrument::parse(BUILT_IN, Origin::BuiltIn),
            Some(path) => {
                let text =
                    std::fs::read_to_string(path).map_err(|source| InstrumentError::Read {
                        path: path.to_path_buf(),
                        source,
                    })?;
                Instrument::parse(&text, Origin::File(path.to_path_buf()))
            }
        }
    }

    /// Parses and validates instrument TOML.
    pub fn parse(text: &str, origin: Origin) -> Result<Instrument, InstrumentError> {
        let mut instrument: Instrument =
            toml::from_str(text).map_err(|error| InstrumentError::Parse {
                origin: origin.clone(),
                message: error.to_string().trim_end().to_string(),
            })?;
        // A `[scale]` without an id is the agreement scale; a point without a
        // label is called by its value ("7" on a 0-10 scale).
        if let Some(scale) = &mut instrument.scale
            && scale.id.is_empty()
        {
            scale.id = DEFAULT_SCALE_ID.to_string();
        }
        for scale in instrument.scale.iter_mut().chain(&mut instrument.scales) {
            for point in &mut scale.points {
                if point.label.trim().is_empty() {
                    point.label = point.value.to_string();
                }
            }
        }
        instrument
            .validate()
            .map_err(|problem| InstrumentError::Invalid { origin, problem })?;
        Ok(instrument)
    }

    /// Every answer scale, the default (first) one first: `[scale]`, then `[[scales]]`.
    pub fn scales(&self) -> impl Iterator<Item = &Scale> + Clone {
        self.scale.iter().chain(&self.scales)
    }

    /// The position in [`Instrument::scales`] of the scale `statement` is answered on.
    pub fn scale_index(&self, statement: &Statement) -> usize {
        statement
            .scale
            .as_deref()
            .and_then(|id| self.scales().position(|s| s.id == id))
            .unwrap_or(0)
    }

    /// The scale `statement` is answered on.
    pub fn scale_of(&self, statement: &Statement) -> &Scale {
        self.scales()
            .nth(self.scale_index(statement))
            .expect("a validated instrument has at least one scale")
    }

    /// The first scale: the one a statement without `scale = "id"` uses.
    pub fn default_scale(&self) -> &Scale {
        self.scales()
            .next()
            .expect("a validated instrument has at least one scale")
    }

    /// The respondent groups; empty when the questionnaire has no `[groups]`.
    pub fn group_options(&self) -> &[GroupOption] {
        self.groups
            .as_ref()
            .map(|g| g.options.as_slice())
            .unwrap_or(&[])
    }

    /// The common denominator of every score: the least common multiple of
    /// each used scale's span (highest minus lowest value). Every answer's 0-100
    /// score is a whole number of steps of `100 / denominator`, so sums of
    /// scores on different scales stay exact integers (1-5 alone: 4; 1-5 with
    /// 0-10 and 1-7: 60).
    pub fn score_denominator(&self) -> i64 {
        let used: BTreeSet<usize> = self
            .statements()
            .map(|(_, s)| self.scale_index(s))
            .collect();
        self.scales()
            .enumerate()
            .filter(|(i, _)| used.contains(i))
            .map(|(_, s)| s.span())
            .fold(1, lcm)
    }

    /// Every statement with the index of its ingredient, in instrument order.
    pub fn statements(&self) -> impl Iterator<Item = (usize, &Statement)> {
        self.ingredients
            .iter()
            .enumerate()
            .flat_map(|(i, ingredient)| ingredient.statements.iter().map(move |s| (i, s)))
    }

    /// The name of the band a 0-100 score falls in.
    pub fn band(&self, score: f64) -> &str {
        self.scoring
            .bands
            .iter()
            .rev()
            .find(|band| score >= band.from)
            .or(self.scoring.bands.first())
            .map(|band| band.name.as_str())
            .unwrap_or("")
    }
}

impl Scale {
    /// The lowest and highest scored values.
    pub fn range(&self) -> (i32, i32) {
        let values = self.points.iter().map(|p| p.value);
        (values.clone().min().unwrap_or(0), values.max().unwrap_or(0))
    }

    /// Highest value minus lowest (4 on a 1-5 scale, 10 on 0-10); at least 1.
    pub fn span(&self) -> i64 {
        let (min, max) = self.range();
        (i64::from(max) - i64::from(min)).max(1)
    }

    /// The 0-100 score of `value` on this scale, before any reversal.
    pub fn score(&self, value: i32) -> f64 {
        let (min, _) = self.range();
        (f64::from(value) - f64::from(min)) / self.span() as f64 * 100.0
    }

    /// The answer's score in steps of `100 / denominator` (see
    /// [`Instrument::score_denominator`]), flipped when `reverse`.
    pub fn units(&self, value: i32, reverse: bool, denominator: i64) -> i64 {
        let (min, max) = self.range();
        let from_bottom = if reverse {
            i64::from(max) - i64::from(value)
        } else {
            i64::from(value) - i64::from(min)
        };
        from_bottom * (denominator / self.span())
    }

    /// The name printed for this scale: its `name`, else "from “lowest” to “highest”".
    pub fn display_name(&self) -> String {
        match &self.name {
            Some(name) if !name.trim().is_empty() => name.trim().to_string(),
            _ => match (self.points.first(), self.points.last()) {
                (Some(low), Some(high)) => {
                    format!(
                        "from \u{201c}{}\u{201d} to \u{201c}{}\u{201d}",
                        low.label, high.label
                    )
                }
                _ => self.id.clone(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_instrument_is_valid_and_complete() {
        let instrument = Instrument::load(None).unwrap();
        assert_eq!(instrument.ingredients.len(), 5);
        for ingredient in &instrument.ingredients {
            let n = ingredient.statements.len();
            assert!((6..=8).contains(&n), "{} has {n} statements", ingredient.id);
            assert!(ingredient.statements.iter().any(|s| s.reverse));
            assert!(!ingredient.prompts.is_empty());
        }
        assert!(
            instrument
                .group_options()
                .iter()
                .any(|g| g.lived_experience)
        );
        assert_eq!(instrument.default_scale().range(), (1, 5));
        assert_eq!(instrument.default_scale().id, DEFAULT_SCALE_ID);
        assert_eq!(instrument.score_denominator(), 4);
    }

    #[test]
    fn unknown_key_is_an_error_naming_it() {
        let text = BUILT_IN.replace("min-share-answered", "min-share-answerd");
        let error = Instrument::parse(&text, Origin::BuiltIn)
            .unwrap_err()
            .to_string();
        assert!(error.contains("min-share-answerd"), "{error}");
    }

    #[test]
    fn duplicate_statement_id_is_an_error_naming_it() {
        let text = BUILT_IN.replace("id = \"context-2\"", "id = \"context-1\"");
        let error = Instrument::parse(&text, Origin::BuiltIn)
            .unwrap_err()
            .to_string();
        assert!(error.contains("\"context-1\" is used twice"), "{error}");
    }

    #[test]
    fn ids_that_are_paths_or_formulas_are_errors_naming_them() {
        for bad in ["../x", "a/b", "=SUM(1)", "-fit", "@x", "", "a b", "#x"] {
            let text = BUILT_IN.replace("id = \"context\"", &format!("id = {bad:?}"));
            let error = Instrument::parse(&text, Origin::BuiltIn)
                .unwrap_err()
                .to_string();
            assert!(error.contains("is not a plain id"), "{bad:?}: {error}");
        }
    }

    #[test]
    fn bands_pick_the_highest_band_reached() {
        let instrument = Instrument::load(None).unwrap();
        assert_eq!(instrument.band(0.0), "Needs attention");
        assert_eq!(instrument.band(49.9), "Needs attention");
        assert_eq!(instrument.band(50.0), "Developing");
        assert_eq!(instrument.band(100.0), "Established");
    }

    const MIXED: &str = r#"
schema-version = 1
name = "x"
version = "1"
[scale]
points = [{ value = 1, label = "No" }, { value = 2, label = "Maybe" }, { value = 3, label = "Yes" }]
[[scales]]
id = "ten"
points = [{ value = 0, label = "0 - Never" }, { value = 1 }, { value = 2 }, { value = 3 }, { value = 4 }, { value = 5 }, { value = 6 }, { value = 7 }, { value = 8 }, { value = 9 }, { value = 10 }]
[[scales]]
id = "seven"
points = [{ value = 1 }, { value = 2 }, { value = 3 }, { value = 4 }, { value = 5 }, { value = 6 }, { value = 7 }]
[[ingredients]]
id = "a"
name = "A"
description = "d"
easy-read = "e"
[[ingredients.statements]]
id = "a-1"
text = "One"
[[ingredients.statements]]
id = "a-2"
text = "Two"
scale = "ten"
[[ingredients.statements]]
id = "a-3"
text = "Three"
scale = "seven"
reverse = true
"#;

    #[test]
    fn named_scales_without_groups_load_and_share_one_denominator() {
        let instrument = Instrument::parse(MIXED, Origin::BuiltIn).unwrap();
        assert!(instrument.groups.is_none() && instrument.group_options().is_empty());
        let ids: Vec<&str> = instrument.scales().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["agreement", "ten", "seven"]);
        // Spans 2, 10 and 6: steps of 100 / 30.
        assert_eq!(instrument.score_denominator(), 30);
        let (_, a3) = instrument.statements().nth(2).unwrap();
        let seven = instrument.scale_of(a3);
        assert_eq!(seven.points[3].label, "4");
        // 5 on 1-7 is 66.67; reversed, 33.33: 10 steps of 30.
        assert_eq!(seven.units(5, true, 30), 10);
        assert!((seven.score(5) - 400.0 / 6.0).abs() < 1e-9);
        let (_, a2) = instrument.statements().nth(1).unwrap();
        assert_eq!(instrument.scale_of(a2).units(7, false, 30), 21);
    }

    #[test]
    fn an_unknown_scale_names_the_statement_the_key_and_the_scales() {
        let text = MIXED.replace("scale = \"ten\"", "scale = \"tne\"");
        let error = Instrument::parse(&text, Origin::File("q.toml".into())).unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with("instrument q.toml: "), "{message}");
        assert!(
            message.contains("statement \"a-2\", key `scale`"),
            "{message}"
        );
        assert!(error.hint().contains("\"agreement\", \"ten\", \"seven\""));
    }

    #[test]
    fn a_missing_or_empty_groups_table_is_explained() {
        let text = BUILT_IN.replacen("[groups]", "[groups]\noptions = []\n[unused]", 1);
        assert!(Instrument::parse(&text, Origin::BuiltIn).is_err());
        let mut empty = Instrument::load(None).unwrap();
        empty.groups.as_mut().unwrap().options.clear();
        let problem = empty.validate().unwrap_err();
        assert_eq!(problem.key, "groups.options");
        assert!(problem.fix.contains("remove [groups]"), "{}", problem.fix);
    }
}
