//! The questionnaire definition as it is written in TOML.
//!
//! Parsing is strict (`deny_unknown_fields`): a misspelt key is an error, never
//! silently ignored.

use serde::{Deserialize, Serialize};

/// The questionnaire: answer scales, scoring rules, respondent groups and the five ingredients.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Instrument {
    /// Version of this file format; only 1 exists.
    pub schema_version: u32,
    /// The survey's name, printed in the report.
    pub name: String,
    /// The questionnaire's own version, printed in the method note.
    pub version: String,
    /// The first (default) answer scale, written `[scale]`. Statements without
    /// `scale = "id"` use it. Read it with [`Instrument::scales`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
    /// Further named answer scales, written `[[scales]]` (a 0-10 or 1-7 item, a
    /// three-point scale). When there is no `[scale]`, the first of these is the default.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scales: Vec<Scale>,
    /// Scoring rules.
    #[serde(default)]
    pub scoring: Scoring,
    /// Who is answering; without it the report is for everyone, with no
    /// figures by group and no co-production lens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Groups>,
    /// The ingredients, in the order the report shows them.
    pub ingredients: Vec<Ingredient>,
    /// Free-text questions, quoted in the report only with `--include-comments`.
    #[serde(default)]
    pub comments: Vec<CommentQuestion>,
}

/// A free-text question.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CommentQuestion {
    /// The question's wording.
    pub question: String,
    /// Other wordings found in exports.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// An answer scale: scored points and answers that mean "no view".
///
/// Every answer becomes a 0-100 score on its own scale: `(value - lowest) /
/// (highest - lowest) * 100`, so statements on different scales combine.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Scale {
    /// The id statements name it by (`scale = "likely"`); `[scale]` may leave it
    /// out, and is then called [`DEFAULT_SCALE_ID`].
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The scale's name as printed in the method note ("How likely, 0 to 10").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Scored answers from lowest to highest.
    pub points: Vec<ScalePoint>,
    /// Answers that are counted but never scored ("Don't know").
    #[serde(default)]
    pub missing: Vec<MissingAnswer>,
}

/// The id of a `[scale]` written without one.
pub const DEFAULT_SCALE_ID: &str = "agreement";

/// One scored answer.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ScalePoint {
    /// The score this answer carries before rescaling.
    pub value: i32,
    /// The answer as printed in the report; the value itself (`"7"`) when left
    /// out, as for the middle points of a 0-10 scale.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// Other spellings of the same answer found in exports.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Numbers a numeric export uses for this answer when they differ from `value`
    /// (a 0-4 recode: `codes = [0]` on the lowest point). Checked before labels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<i64>,
}

/// One answer that means "no view".
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MissingAnswer {
    /// The answer as printed in the report.
    pub label: String,
    /// Other spellings of the same answer.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Numbers a numeric export uses for this answer (Qualtrics recodes N/A as
    /// `-1` or `-2`: `codes = [-1, -2]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<i64>,
}

/// Scoring rules, each stated in the report's method note.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Scoring {
    /// Minimum share of an ingredient's statements a respondent must answer to get a score (default 0.5).
    #[serde(default = "default_min_share")]
    pub min_share_answered: f64,
    /// Score bands, each starting at `from` (default: needs attention, developing, established).
    #[serde(default = "default_bands")]
    pub bands: Vec<Band>,
}

impl Default for Scoring {
    fn default() -> Self {
        Scoring {
            min_share_answered: default_min_share(),
            bands: default_bands(),
        }
    }
}

fn default_min_share() -> f64 {
    0.5
}

fn default_bands() -> Vec<Band> {
    [
        ("Needs attention", 0.0),
        ("Developing", 50.0),
        ("Established", 70.0),
    ]
    .into_iter()
    .map(|(name, from)| Band {
        name: name.to_string(),
        from,
    })
    .collect()
}

/// A named range of scores.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Band {
    /// The band's name, always printed beside its colour.
    pub name: String,
    /// The lowest score in the band.
    pub from: f64,
}

/// The question that says who is answering, and the groups it maps to.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Groups {
    /// The question's wording.
    pub question: String,
    /// Other wordings of the question.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Platform column ids of the question (see [`Statement::ids`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
    /// The groups.
    pub options: Vec<GroupOption>,
}

/// One respondent group.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GroupOption {
    /// Stable id used in JSON and CSV outputs.
    pub id: String,
    /// The group's name as printed.
    pub name: String,
    /// True for people with lived experience of care.
    #[serde(default)]
    pub lived_experience: bool,
    /// Answers to the group question that put a respondent in this group.
    pub answers: Vec<String>,
}

/// One ingredient of a lasting innovation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Ingredient {
    /// Stable id used in JSON and CSV outputs.
    pub id: String,
    /// The ingredient's name.
    pub name: String,
    /// One paragraph saying what it means.
    pub description: String,
    /// One short sentence for the easy-read summary for young people.
    pub easy_read: String,
    /// Things an organisation can do to strengthen it.
    #[serde(default)]
    pub prompts: Vec<String>,
    /// The statements respondents rate.
    pub statements: Vec<Statement>,
}

/// One statement respondents agree or disagree with.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Statement {
    /// Stable id, unique across the instrument.
    pub id: String,
    /// The wording.
    pub text: String,
    /// True when agreeing is a bad sign; the score is flipped on its own scale.
    #[serde(default)]
    pub reverse: bool,
    /// The id of the scale it is answered on; the first scale when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<String>,
    /// Other wordings found in exports.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Platform column ids that carry this statement, for exports whose headers
    /// are codes or translated: Qualtrics ImportIds (`QID2_1`) or export tags,
    /// LimeSurvey codes (`Q2[SQ001]`), KoboToolbox names (`context/welcomes`).
    /// Case is ignored, and `-` matches `_` (`QID2-1` is `QID2_1`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
    /// The statement in easy-read words, printed instead of `text` on the
    /// easy-read paper questionnaire (`makeitstick questionnaire --easy-read`);
    /// `text` when left out. Answers are typed in by the statement's id, so the
    /// two wordings are the same question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub easy_read: Option<String>,
}
