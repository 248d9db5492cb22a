//! The questionnaire definition (TOML): loading, validation and mapping an
//! export's columns to its statements.

mod map;
mod model;

pub use map::{
    ANSWER_CACHE, Analysis, Answer, MapError, MapOptions, MappedColumn, MappingFile,
    OffScaleAnswer, Respondent, Responses, RowMapper, UnknownGroup, analyse, id_key, map_table,
    question_columns,
};
pub use model::{
    Band, CommentQuestion, GroupOption, Groups, Ingredient, Instrument, MissingAnswer, Scale,
    ScalePoint, Scoring, Statement,
};

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
        /// What is wrong, naming the id or key.
        problem: String,
    },
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
        let instrument: Instrument =
            toml::from_str(text).map_err(|error| InstrumentError::Parse {
                origin: origin.clone(),
                message: error.to_string().trim_end().to_string(),
            })?;
        instrument
            .validate()
            .map_err(|problem| InstrumentError::Invalid { origin, problem })?;
        Ok(instrument)
    }

    /// Every statement with the index of its ingredient, in instrument order.
    pub fn statements(&self) -> impl Iterator<Item = (usize, &Statement)> {
        self.ingredients
            .iter()
            .enumerate()
            .flat_map(|(i, ingredient)| ingredient.statements.iter().map(move |s| (i, s)))
    }

    /// The lowest and highest scored values of the scale.
    pub fn scale_range(&self) -> (i32, i32) {
        let values = self.scale.points.iter().map(|p| p.value);
        (values.clone().min().unwrap_or(0), values.max().unwrap_or(0))
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

    fn validate(&self) -> Result<(), String> {
        if self.schema_version != 1 {
            return Err(format!(
                "schema-version {} is not supported; this version of makeitstick reads schema-version 1",
                self.schema_version
            ));
        }
        if self.scale.points.len() < 2 {
            return Err("the scale needs at least two points".into());
        }
        if !self
            .scale
            .points
            .windows(2)
            .all(|w| w[0].value < w[1].value)
        {
            return Err(
                "scale points must be listed from lowest to highest value, each value once".into(),
            );
        }
        let share = self.scoring.min_share_answered;
        if !(share > 0.0 && share <= 1.0) {
            return Err(format!(
                "scoring.min-share-answered is {share}; it must be more than 0 and at most 1"
            ));
        }
        if self.scoring.bands.is_empty() {
            return Err("scoring.bands needs at least one band".into());
        }
        if !self.scoring.bands.windows(2).all(|w| w[0].from < w[1].from) {
            return Err(
                "scoring.bands must be listed from the lowest `from` to the highest".into(),
            );
        }
        if self.ingredients.is_empty() {
            return Err("there are no ingredients".into());
        }
        if self.groups.options.is_empty() {
            return Err("groups.options needs at least one group".into());
        }

        let mut ids = BTreeSet::new();
        for ingredient in &self.ingredients {
            check_id("ingredient", &ingredient.id)?;
            if !ids.insert(ingredient.id.as_str()) {
                return Err(format!("ingredient id {:?} is used twice", ingredient.id));
            }
            if ingredient.statements.is_empty() {
                return Err(format!("ingredient {:?} has no statements", ingredient.id));
            }
        }
        let mut wordings = std::collections::BTreeMap::new();
        for (_, statement) in self.statements() {
            check_id("statement", &statement.id)?;
            if !ids.insert(statement.id.as_str()) {
                return Err(format!("statement id {:?} is used twice", statement.id));
            }
            for wording in std::iter::once(&statement.text).chain(&statement.aliases) {
                let key = crate::text::normalise(wording);
                if let Some(other) = wordings.insert(key, statement.id.as_str())
                    && other != statement.id
                {
                    return Err(format!(
                        "statements {:?} and {:?} share the wording {:?}; each wording must point to one statement",
                        other, statement.id, wording
                    ));
                }
            }
        }
        let mut platform_ids = std::collections::BTreeMap::new();
        let statement_ids = self
            .statements()
            .flat_map(|(_, s)| s.ids.iter().map(move |id| (id, s.id.as_str())));
        let group_ids = self.groups.ids.iter().map(|id| (id, "the group question"));
        for (id, owner) in statement_ids.chain(group_ids) {
            if let Some(other) = platform_ids.insert(map::id_key(id), owner)
                && other != owner
            {
                return Err(format!(
                    "the column id {id:?} is listed for both {other:?} and {owner:?}; each id must point to one statement"
                ));
            }
        }
        let mut codes = std::collections::BTreeMap::new();
        let point_codes = self
            .scale
            .points
            .iter()
            .flat_map(|p| p.codes.iter().map(move |c| (*c, p.label.as_str())));
        let missing_codes = self
            .scale
            .missing
            .iter()
            .flat_map(|m| m.codes.iter().map(move |c| (*c, m.label.as_str())));
        for (code, label) in point_codes.chain(missing_codes) {
            if let Some(other) = codes.insert(code, label)
                && other != label
            {
                return Err(format!(
                    "the code {code} is listed for both {other:?} and {label:?} on the scale"
                ));
            }
        }
        let mut group_ids = BTreeSet::new();
        let mut answers = std::collections::BTreeMap::new();
        for group in &self.groups.options {
            check_id("group", &group.id)?;
            if !group_ids.insert(group.id.as_str()) {
                return Err(format!("group id {:?} is used twice", group.id));
            }
            for answer in &group.answers {
                if let Some(other) =
                    answers.insert(crate::text::normalise(answer), group.id.as_str())
                    && other != group.id
                {
                    return Err(format!(
                        "the answer {answer:?} is listed for groups {other:?} and {:?}",
                        group.id
                    ));
                }
            }
        }
        let mut labels = std::collections::BTreeMap::new();
        let point_labels = self
            .scale
            .points
            .iter()
            .map(|p| (p.label.clone(), &p.aliases));
        let missing_labels = self
            .scale
            .missing
            .iter()
            .map(|m| (m.label.clone(), &m.aliases));
        for (label, aliases) in point_labels.chain(missing_labels) {
            for spelling in std::iter::once(&label).chain(aliases.iter()) {
                if let Some(other) = labels.insert(crate::text::normalise(spelling), label.clone())
                    && other != label
                {
                    return Err(format!(
                        "the answer {spelling:?} is listed for both {other:?} and {label:?} on the scale"
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Ids name chart files and are cells of the tidy scores CSV, so they are
/// plain: letters, digits, `-`, `_` and `.`, starting with a letter or digit,
/// at most 64 characters. No path separator, no formula, no markup.
fn check_id(kind: &str, id: &str) -> Result<(), String> {
    let plain = id.len() <= 64
        && id.starts_with(|c: char| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if plain {
        Ok(())
    } else {
        Err(format!(
            "{kind} id {id:?} is not a plain id: use up to 64 letters, digits, `-`, `_` and `.`, starting with a letter or digit (it names files and spreadsheet cells)"
        ))
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
        assert!(instrument.groups.options.iter().any(|g| g.lived_experience));
        assert_eq!(instrument.scale_range(), (1, 5));
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
}
