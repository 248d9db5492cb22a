//! The questionnaire definition (TOML): loading, validation and mapping an
//! export's columns to its statements.

mod columns;
mod labels;
mod map;
mod model;
mod problems;

pub use columns::{id_key, question_columns};
pub use map::{
    ANSWER_CACHE, Analysis, Answer, MapOptions, MappedColumn, MappingFile, Respondent, Responses,
    RowMapper, UnknownGroups,
};
pub use model::{
    Band, CommentQuestion, DEFAULT_SCALE_ID, GroupOption, Groups, Ingredient, Instrument,
    MissingAnswer, Scale, ScalePoint, Scoring, Statement,
};
pub use problems::{MapError, OffScaleAnswer, UnknownGroup, excerpt};

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

    fn validate(&self) -> Result<(), Invalid> {
        if self.schema_version != 1 {
            return Err(Invalid::new(
                "schema-version",
                format!("{} is not supported", self.schema_version),
                "write schema-version = 1, the only version this makeitstick reads",
            ));
        }
        self.validate_scales()?;
        validate_texts(
            &serde_json::to_value(self).unwrap_or_default(),
            &mut String::new(),
        )?;
        let share = self.scoring.min_share_answered;
        if !(share > 0.0 && share <= 1.0) {
            return Err(Invalid::new(
                "scoring.min-share-answered",
                format!("is {share}"),
                "use a share more than 0 and at most 1 (0.5 means at least half of an ingredient's statements)",
            ));
        }
        if self.scoring.bands.is_empty() {
            return Err(Invalid::new(
                "scoring.bands",
                "has no band",
                "list at least one band, as { name = \"Needs attention\", from = 0 }",
            ));
        }
        if !self.scoring.bands.windows(2).all(|w| w[0].from < w[1].from) {
            return Err(Invalid::new(
                "scoring.bands",
                "are not in order",
                "list the bands from the lowest `from` to the highest, each `from` once",
            ));
        }
        if self.ingredients.is_empty() {
            return Err(Invalid::new(
                "ingredients",
                "there are none",
                "add at least one [[ingredients]] table with its [[ingredients.statements]]",
            ));
        }

        let mut ids = BTreeSet::new();
        for ingredient in &self.ingredients {
            check_id("ingredients", "ingredient", &ingredient.id)?;
            if !ids.insert(ingredient.id.as_str()) {
                return Err(Invalid::new(
                    "ingredients.id",
                    format!("{:?} is used twice", ingredient.id),
                    "give every ingredient and statement its own id",
                ));
            }
            if ingredient.statements.is_empty() {
                return Err(Invalid::new(
                    format!("ingredient {:?}", ingredient.id),
                    "has no statements",
                    "add its statements as [[ingredients.statements]] tables below it, or remove the ingredient",
                ));
            }
        }
        let scale_ids: Vec<&str> = self.scales().map(|s| s.id.as_str()).collect();
        let mut wordings = std::collections::BTreeMap::new();
        for (_, statement) in self.statements() {
            check_id("ingredients.statements", "statement", &statement.id)?;
            if !ids.insert(statement.id.as_str()) {
                return Err(Invalid::new(
                    "ingredients.statements.id",
                    format!("{:?} is used twice", statement.id),
                    "give every ingredient and statement its own id",
                ));
            }
            if let Some(scale) = &statement.scale
                && !scale_ids.contains(&scale.as_str())
            {
                return Err(Invalid::new(
                    format!("statement {:?}, key `scale`", statement.id),
                    format!("names the scale {scale:?}, which is not defined"),
                    format!(
                        "use the id of a scale: {} (or leave `scale` out for the first one)",
                        quoted_list(&scale_ids)
                    ),
                ));
            }
            for wording in std::iter::once(&statement.text).chain(&statement.aliases) {
                let key = crate::text::normalise(wording);
                if let Some(other) = wordings.insert(key, statement.id.as_str())
                    && other != statement.id
                {
                    return Err(Invalid::new(
                        format!("statements {:?} and {:?}", other, statement.id),
                        format!("share the wording {wording:?}"),
                        "each wording (text or alias) must point to one statement: remove it from one of them",
                    ));
                }
            }
        }
        let mut platform_ids = std::collections::BTreeMap::new();
        let statement_ids = self
            .statements()
            .flat_map(|(_, s)| s.ids.iter().map(move |id| (id, s.id.as_str())));
        let group_ids = self
            .groups
            .iter()
            .flat_map(|g| g.ids.iter().map(|id| (id, "the group question")));
        for (id, owner) in statement_ids.chain(group_ids) {
            if let Some(other) = platform_ids.insert(id_key(id), owner)
                && other != owner
            {
                return Err(Invalid::new(
                    "ids",
                    format!("the column id {id:?} is listed for both {other:?} and {owner:?}"),
                    "each column id must point to one statement: remove it from one of them",
                ));
            }
        }
        if let Some(groups) = &self.groups {
            self.validate_groups(groups)?;
        }
        let denominator = self.score_denominator();
        if denominator > MAX_DENOMINATOR {
            let spans: Vec<String> = self.scales().map(|s| s.span().to_string()).collect();
            return Err(Invalid::new(
                "scales",
                format!(
                    "the scales' spans ({}) have no common step: their least common multiple is {denominator}, above {MAX_DENOMINATOR}",
                    spans.join(", ")
                ),
                "number the points of unusual scales 0, 1, 2... or 1, 2, 3...: a score does not depend on the numbers, only on each point's place on its scale",
            ));
        }
        Ok(())
    }

    fn validate_groups(&self, groups: &Groups) -> Result<(), Invalid> {
        if groups.options.is_empty() {
            return Err(Invalid::new(
                "groups.options",
                "has no group",
                "add at least one [[groups.options]] table, or remove [groups] altogether for a report for everyone, without groups",
            ));
        }
        let mut group_ids = BTreeSet::new();
        let mut answers = std::collections::BTreeMap::new();
        for group in &groups.options {
            check_id("groups.options", "group", &group.id)?;
            if !group_ids.insert(group.id.as_str()) {
                return Err(Invalid::new(
                    "groups.options.id",
                    format!("{:?} is used twice", group.id),
                    "give every group its own id",
                ));
            }
            if group.answers.is_empty() {
                return Err(Invalid::new(
                    format!("group {:?}, key `answers`", group.id),
                    "is empty",
                    "list the answers to the group question that put someone in this group",
                ));
            }
            for answer in &group.answers {
                if let Some(other) =
                    answers.insert(crate::text::normalise(answer), group.id.as_str())
                    && other != group.id
                {
                    return Err(Invalid::new(
                        "groups.options.answers",
                        format!(
                            "the answer {answer:?} is listed for groups {other:?} and {:?}",
                            group.id
                        ),
                        "an answer can put someone in one group only: remove it from one of them",
                    ));
                }
            }
        }
        Ok(())
    }

    fn validate_scales(&self) -> Result<(), Invalid> {
        if self.scale.is_none() && self.scales.is_empty() {
            return Err(Invalid::new(
                "scale",
                "there is no answer scale",
                "add a [scale] table with its `points` (or [[scales]] tables, each with an `id`)",
            ));
        }
        let mut ids = BTreeSet::new();
        for (index, scale) in self.scales().enumerate() {
            let key = if self.scale.is_some() && index == 0 {
                "[scale]".to_string()
            } else if scale.id.is_empty() {
                format!(
                    "[[scales]] number {}",
                    index + usize::from(self.scale.is_none())
                )
            } else {
                format!("scale {:?}", scale.id)
            };
            if scale.id.is_empty() {
                return Err(Invalid::new(
                    format!("{key}, key `id`"),
                    "is missing",
                    "give every [[scales]] table an id (id = \"likely\"), which statements name with scale = \"likely\"",
                ));
            }
            check_id(&format!("{key}, key `id`"), "scale", &scale.id)?;
            if !ids.insert(scale.id.as_str()) {
                return Err(Invalid::new(
                    format!("{key}, key `id`"),
                    "is used by two scales",
                    "give every scale its own id (a [scale] without an id is called \"agreement\")",
                ));
            }
            if scale.points.len() < 2 {
                return Err(Invalid::new(
                    format!("{key}, key `points`"),
                    "has fewer than two points",
                    "list at least two scored answers, lowest first, as { value = 1, label = \"Strongly disagree\" }",
                ));
            }
            if !scale.points.windows(2).all(|w| w[0].value < w[1].value) {
                return Err(Invalid::new(
                    format!("{key}, key `points`"),
                    "are not in order",
                    "list the points from the lowest value to the highest, each value once",
                ));
            }
            if scale.span() > MAX_DENOMINATOR {
                return Err(Invalid::new(
                    format!("{key}, key `points`"),
                    format!("runs from {} to {}", scale.range().0, scale.range().1),
                    format!(
                        "number its points so that highest minus lowest is at most {MAX_DENOMINATOR}"
                    ),
                ));
            }
            let mut codes = std::collections::BTreeMap::new();
            let point_codes = scale
                .points
                .iter()
                .flat_map(|p| p.codes.iter().map(move |c| (*c, p.label.as_str())));
            let missing_codes = scale
                .missing
                .iter()
                .flat_map(|m| m.codes.iter().map(move |c| (*c, m.label.as_str())));
            for (code, label) in point_codes.chain(missing_codes) {
                if let Some(other) = codes.insert(code, label)
                    && other != label
                {
                    return Err(Invalid::new(
                        format!("{key}, key `codes`"),
                        format!("the code {code} is listed for both {other:?} and {label:?}"),
                        "a number in an export can mean one answer only: remove it from one of them",
                    ));
                }
            }
            let mut labels = std::collections::BTreeMap::new();
            let point_labels = scale.points.iter().map(|p| (p.label.clone(), &p.aliases));
            let missing_labels = scale.missing.iter().map(|m| (m.label.clone(), &m.aliases));
            for (label, aliases) in point_labels.chain(missing_labels) {
                for spelling in std::iter::once(&label).chain(aliases.iter()) {
                    if let Some(other) =
                        labels.insert(crate::text::normalise(spelling), label.clone())
                        && other != label
                    {
                        return Err(Invalid::new(
                            format!("{key}, key `aliases`"),
                            format!(
                                "the answer {spelling:?} is listed for both {other:?} and {label:?}"
                            ),
                            "an answer can mean one point only: remove it from one of them",
                        ));
                    }
                }
            }
        }
        Ok(())
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

/// The largest common denominator of scores allowed: sums of scores stay far
/// from overflowing 64-bit integers, even for Cronbach's alpha over a million people.
const MAX_DENOMINATOR: i64 = 10_000;

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn lcm(a: i64, b: i64) -> i64 {
    (a / gcd(a, b)).saturating_mul(b)
}

fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("{i:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every text of an instrument, walked by its key: none may hold a character
/// that is not text (a control character or noncharacter, which no report
/// can print), and a name, statement, label or question may not be blank
/// (a heading or a bar needs words). `key` is the path to `value`.
fn validate_texts(value: &serde_json::Value, key: &mut String) -> Result<(), Invalid> {
    use serde_json::Value;
    match value {
        Value::String(text) => {
            if let Some(c) = text.chars().find(|c| crate::text::is_unprintable(*c)) {
                return Err(Invalid::new(
                    key.clone(),
                    format!(
                        "holds the character U+{:04X}, a control character that cannot be printed",
                        u32::from(c)
                    ),
                    "remove it (it is often pasted in by accident, invisible in most editors)",
                ));
            }
            let last = key.rsplit(['.', ']']).next().unwrap_or("");
            if matches!(last, "name" | "text" | "label" | "question") && text.trim().is_empty() {
                return Err(Invalid::new(
                    key.clone(),
                    "is empty",
                    "write the words the report prints here",
                ));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let length = key.len();
                match item.get("id").and_then(Value::as_str) {
                    Some(id) => key.push_str(&format!("[id {id:?}]")),
                    None => key.push_str(&format!("[{i}]")),
                }
                validate_texts(item, key)?;
                key.truncate(length);
            }
        }
        Value::Object(fields) => {
            for (name, field) in fields {
                let length = key.len();
                if !key.is_empty() {
                    key.push('.');
                }
                key.push_str(name);
                validate_texts(field, key)?;
                key.truncate(length);
            }
        }
        _ => {}
    }
    Ok(())
}

/// A broken rule of an instrument file: the key, what is wrong, and what to do.
#[derive(Debug, Clone)]
pub struct Invalid {
    /// The key or table ("scoring.bands", "statement \"context-2\", key `scale`").
    pub key: String,
    /// What is wrong with it.
    pub problem: String,
    /// What to do about it.
    pub fix: String,
}

impl Invalid {
    fn new(key: impl Into<String>, problem: impl Into<String>, fix: impl Into<String>) -> Invalid {
        Invalid {
            key: key.into(),
            problem: problem.into(),
            fix: fix.into(),
        }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key, self.problem)
    }
}

/// Ids name chart files and are cells of the tidy scores CSV, so they are
/// plain: letters, digits, `-`, `_` and `.`, starting with a letter or digit,
/// at most 64 characters. No path separator, no formula, no markup.
fn check_id(key: &str, kind: &str, id: &str) -> Result<(), Invalid> {
    let plain = id.len() <= 64
        && id.starts_with(|c: char| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if plain {
        Ok(())
    } else {
        Err(Invalid::new(
            if key.contains("key `id`") {
                key.to_string()
            } else {
                format!("{key}.id")
            },
            format!("{kind} id {id:?} is not a plain id"),
            "use up to 64 letters, digits, `-`, `_` and `.`, starting with a letter or digit (ids name files and spreadsheet cells)",
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
