//! Checking a questionnaire once it is parsed: versions, ids, scales, groups,
//! bands and every text, each broken rule an [`Invalid`] naming its key and
//! what to do.

use std::collections::BTreeSet;

use super::{Groups, Instrument, id_key};

impl Instrument {
    /// Every rule of the file format, in the order a reader meets the keys.
    pub(super) fn validate(&self) -> Result<(), Invalid> {
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

/// The largest common denominator of scores allowed: sums of scores stay far
/// from overflowing 64-bit integers, even for Cronbach's alpha over a million people.
const MAX_DENOMINATOR: i64 = 10_000;

/// The greatest common divisor (Euclid).
fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The least common multiple, saturating rather than overflowing.
pub(super) fn lcm(a: i64, b: i64) -> i64 {
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
