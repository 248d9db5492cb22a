//! Scoring: answers become 0-100 scores per respondent, then figures per
//! ingredient, group and statement, with small groups suppressed.
//!
//! The rules, also printed in the report's method note:
//! - a scored answer's value is flipped for reverse-worded statements (`min + max - value`);
//! - a respondent's ingredient score is the mean of the statements they answered,
//!   rescaled to 0-100 as `(mean - min) / (max - min) * 100`, and only when they
//!   answered at least `min-share-answered` of its statements;
//! - "Don't know" and blank answers are never scored;
//! - groups, and the whole organisation, get n, mean, standard deviation and a
//!   95% confidence interval (see [`stats`]);
//! - privacy: see [`privacy`].

pub mod privacy;
pub mod stats;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

pub use stats::Summary;

use crate::instrument::{Answer, Instrument, Responses};

/// Version of the scores JSON schema, raised whenever a field changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// The id of the pseudo-group for respondents who left the group question blank.
pub const NOT_GIVEN_ID: &str = "not-given";
/// The id of the combined cell for groups too small to show on their own.
pub const COMBINED_ID: &str = "other-groups";

/// Every figure the report shows, as written by `--scores`.
#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    /// Version of this structure.
    pub schema_version: u32,
    /// The questionnaire used.
    pub instrument: InstrumentInfo,
    /// The rules that produced these figures.
    pub rules: Rules,
    /// The first and last completion dates in the export, when it has them.
    pub period: Option<Period>,
    /// How many responses were used, and from which groups.
    pub responses: ResponseCounts,
    /// One entry per ingredient, in instrument order.
    pub ingredients: Vec<IngredientScores>,
    /// Ingredient ids from the lowest overall score to the highest.
    pub ranking: Vec<String>,
}

/// The questionnaire's name and version.
#[derive(Debug, Clone, Serialize)]
pub struct InstrumentInfo {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// The scoring and privacy rules in force.
#[derive(Debug, Clone, Serialize)]
pub struct Rules {
    /// Scored answers, lowest first.
    pub scale: Vec<ScalePointInfo>,
    /// Answers counted as "no view".
    pub missing_answers: Vec<String>,
    /// Minimum share of an ingredient's statements answered for a score.
    pub min_share_answered: f64,
    /// Groups with fewer respondents than this are never shown.
    pub min_group_size: usize,
    /// Score bands, lowest first.
    pub bands: Vec<BandInfo>,
}

/// One scale point and where it lands on 0-100.
#[derive(Debug, Clone, Serialize)]
pub struct ScalePointInfo {
    /// The raw value.
    pub value: i32,
    /// The answer text.
    pub label: String,
    /// Its 0-100 score (before any reversal).
    pub score: f64,
}

/// A score band with both ends.
#[derive(Debug, Clone, Serialize)]
pub struct BandInfo {
    /// The band's name.
    pub name: String,
    /// Lowest score in the band.
    pub from: f64,
    /// The next band's start (100 for the top band).
    pub to: f64,
}

/// The survey period.
#[derive(Debug, Clone, Serialize)]
pub struct Period {
    /// First completion date.
    pub first: NaiveDate,
    /// Last completion date.
    pub last: NaiveDate,
}

/// Response counts safe to publish.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseCounts {
    /// Responses used in the figures (every shown group plus a shown combined cell).
    pub used: usize,
    /// Rows that answered no statement at all.
    pub without_answers: usize,
    /// True when some responses are left out of every figure to protect a small group.
    pub small_groups_left_out: bool,
    /// Respondents per group.
    pub groups: Vec<GroupCount>,
}

/// One group's response count, or that it is too small to show.
#[derive(Debug, Clone, Serialize)]
pub struct GroupCount {
    /// Group id.
    pub id: String,
    /// Group name.
    pub name: String,
    /// People with lived experience of care.
    pub lived_experience: bool,
    /// False when the group is below the privacy threshold.
    pub shown: bool,
    /// Respondents, only when shown.
    pub n: Option<usize>,
}

/// Figures for one ingredient.
#[derive(Debug, Clone, Serialize)]
pub struct IngredientScores {
    /// Ingredient id.
    pub id: String,
    /// Ingredient name.
    pub name: String,
    /// 1 for the lowest overall score; absent when the overall score is suppressed.
    pub rank: Option<usize>,
    /// Everyone included, or `None` when fewer than the threshold.
    pub overall: Option<Summary>,
    /// One cell per group (and a combined cell when used).
    pub groups: Vec<GroupCell>,
    /// One entry per statement, over the same respondents as `overall`.
    pub statements: Vec<StatementScores>,
    /// Ids of the lowest-scoring statements, lowest first (up to three).
    pub lowest_statements: Vec<String>,
}

/// One group's figures for one ingredient, or the fact that it is suppressed.
#[derive(Debug, Clone, Serialize)]
pub struct GroupCell {
    /// Group id.
    pub id: String,
    /// Group name.
    pub name: String,
    /// People with lived experience of care.
    pub lived_experience: bool,
    /// False when there are fewer scores than the threshold.
    pub shown: bool,
    /// The figures, only when shown.
    #[serde(flatten)]
    pub summary: Option<Summary>,
}

/// Figures for one statement.
#[derive(Debug, Clone, Serialize)]
pub struct StatementScores {
    /// Statement id.
    pub id: String,
    /// Wording.
    pub text: String,
    /// Reverse-worded.
    pub reverse: bool,
    /// Scored answers.
    pub n: usize,
    /// Mean 0-100 score, after reversal; absent with no scored answers.
    pub mean: Option<f64>,
    /// Percentage of scored answers in the top two points (agreeing with the wording as written).
    pub agree_percent: Option<f64>,
    /// Count per scored answer, lowest point first.
    pub counts: Vec<usize>,
    /// Count per "no view" answer, in instrument order.
    pub missing_counts: Vec<usize>,
}

/// One respondent's score per ingredient; `None` where they answered too few statements.
pub type RespondentScores = Vec<Option<f64>>;

/// Computes every figure from the mapped responses.
pub fn score(responses: &Responses, instrument: &Instrument, min_group_size: usize) -> Scores {
    let per_respondent: Vec<RespondentScores> = responses
        .respondents
        .iter()
        .map(|r| respondent_scores(&r.answers, instrument))
        .collect();
    let groups = privacy::GroupIndex::new(instrument, responses);
    let band = |mean: f64| instrument.band(mean).to_string();

    let mut offset = 0;
    let mut ingredients = Vec::new();
    for (i, ingredient) in instrument.ingredients.iter().enumerate() {
        let scored: Vec<(usize, f64)> = per_respondent
            .iter()
            .enumerate()
            .filter_map(|(r, scores)| scores[i].map(|s| (r, s)))
            .collect();
        let publication = privacy::publish(&groups, &scored, min_group_size, &band);
        let included = &publication.included;
        let statements: Vec<StatementScores> = ingredient
            .statements
            .iter()
            .enumerate()
            .map(|(k, statement)| {
                let answers = included
                    .iter()
                    .map(|&r| responses.respondents[r].answers[offset + k]);
                statement_scores(statement, answers, instrument)
            })
            .collect();
        let mut lowest: Vec<&StatementScores> =
            statements.iter().filter(|s| s.mean.is_some()).collect();
        lowest.sort_by(|a, b| a.mean.partial_cmp(&b.mean).expect("means are finite"));
        offset += ingredient.statements.len();
        ingredients.push(IngredientScores {
            id: ingredient.id.clone(),
            name: ingredient.name.clone(),
            rank: None,
            overall: publication.overall,
            groups: publication.cells,
            lowest_statements: lowest.iter().take(3).map(|s| s.id.clone()).collect(),
            statements,
        });
    }

    let mut ranked: Vec<&IngredientScores> =
        ingredients.iter().filter(|i| i.overall.is_some()).collect();
    ranked.sort_by(|a, b| {
        let mean = |x: &IngredientScores| x.overall.as_ref().map(|o| o.mean).unwrap_or(0.0);
        mean(a).partial_cmp(&mean(b)).expect("means are finite")
    });
    let ranking: Vec<String> = ranked.iter().map(|i| i.id.clone()).collect();
    for ingredient in &mut ingredients {
        ingredient.rank = ranking
            .iter()
            .position(|id| *id == ingredient.id)
            .map(|p| p + 1);
    }

    let counts = privacy::publish_counts(&groups, min_group_size);
    Scores {
        schema_version: SCHEMA_VERSION,
        instrument: InstrumentInfo {
            name: instrument.name.clone(),
            version: instrument.version.clone(),
        },
        rules: rules(instrument, min_group_size),
        period: period(responses),
        responses: ResponseCounts {
            used: counts.used,
            without_answers: responses.rows_without_answers,
            small_groups_left_out: counts.left_out,
            groups: counts.groups,
        },
        ingredients,
        ranking,
    }
}

/// A respondent's 0-100 score per ingredient, by the rules in the module docs.
pub fn respondent_scores(answers: &[Answer], instrument: &Instrument) -> RespondentScores {
    let (min, max) = instrument.scale_range();
    let share = instrument.scoring.min_share_answered;
    let mut offset = 0;
    instrument
        .ingredients
        .iter()
        .map(|ingredient| {
            let total = ingredient.statements.len();
            let values: Vec<f64> = ingredient
                .statements
                .iter()
                .zip(&answers[offset..offset + total])
                .filter_map(|(statement, answer)| match answer {
                    Answer::Point(v) if statement.reverse => Some(f64::from(min + max - v)),
                    Answer::Point(v) => Some(f64::from(*v)),
                    _ => None,
                })
                .collect();
            offset += total;
            // A small tolerance so that 0.5 * 6 = 3 answered counts as half.
            if values.is_empty() || (values.len() as f64) < share * total as f64 - 1e-9 {
                return None;
            }
            let mean = values.iter().sum::<f64>() / values.len() as f64;
            Some(rescale(mean, min, max))
        })
        .collect()
}

/// Maps a raw mean on the scale to 0-100.
pub fn rescale(mean: f64, min: i32, max: i32) -> f64 {
    (mean - f64::from(min)) / f64::from(max - min) * 100.0
}

fn statement_scores(
    statement: &crate::instrument::Statement,
    answers: impl Iterator<Item = Answer>,
    instrument: &Instrument,
) -> StatementScores {
    let (min, max) = instrument.scale_range();
    let points = &instrument.scale.points;
    let mut counts = vec![0usize; points.len()];
    let mut missing_counts = vec![0usize; instrument.scale.missing.len()];
    for answer in answers {
        match answer {
            Answer::Point(v) => {
                if let Some(p) = points.iter().position(|p| p.value == v) {
                    counts[p] += 1;
                }
            }
            Answer::Missing(m) => missing_counts[m] += 1,
            Answer::Unanswered => {}
        }
    }
    let n: usize = counts.iter().sum();
    let (mean, agree_percent) = if n == 0 {
        (None, None)
    } else {
        let total: f64 = counts
            .iter()
            .zip(points)
            .map(|(count, point)| {
                let value = if statement.reverse {
                    min + max - point.value
                } else {
                    point.value
                };
                *count as f64 * f64::from(value)
            })
            .sum();
        let top_two: usize = counts.iter().rev().take(2).sum();
        (
            Some(stats::round(rescale(total / n as f64, min, max))),
            Some(stats::round(top_two as f64 / n as f64 * 100.0)),
        )
    };
    StatementScores {
        id: statement.id.clone(),
        text: statement.text.clone(),
        reverse: statement.reverse,
        n,
        mean,
        agree_percent,
        counts,
        missing_counts,
    }
}

fn rules(instrument: &Instrument, min_group_size: usize) -> Rules {
    let (min, max) = instrument.scale_range();
    let bands = &instrument.scoring.bands;
    Rules {
        scale: instrument
            .scale
            .points
            .iter()
            .map(|p| ScalePointInfo {
                value: p.value,
                label: p.label.clone(),
                score: stats::round(rescale(f64::from(p.value), min, max)),
            })
            .collect(),
        missing_answers: instrument
            .scale
            .missing
            .iter()
            .map(|m| m.label.clone())
            .collect(),
        min_share_answered: instrument.scoring.min_share_answered,
        min_group_size,
        bands: bands
            .iter()
            .enumerate()
            .map(|(i, b)| BandInfo {
                name: b.name.clone(),
                from: b.from,
                to: bands.get(i + 1).map(|next| next.from).unwrap_or(100.0),
            })
            .collect(),
    }
}

fn period(responses: &Responses) -> Option<Period> {
    let dates: BTreeMap<NaiveDate, ()> = responses
        .respondents
        .iter()
        .filter_map(|r| r.completed.map(|c| (c.date(), ())))
        .collect();
    Some(Period {
        first: *dates.keys().next()?,
        last: *dates.keys().next_back()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Answer::{Missing, Point, Unanswered};

    fn instrument() -> Instrument {
        Instrument::load(None).unwrap()
    }

    /// Answers for the whole built-in instrument, with `first` for the first ingredient.
    fn answers(first: &[Answer]) -> Vec<Answer> {
        let total = instrument().statements().count();
        let mut all = first.to_vec();
        all.resize(total, Unanswered);
        all
    }

    #[test]
    fn rescales_and_reverses_by_hand() {
        // Receptive context: statements 4 and 7 are reverse-worded.
        // Answers 5,4,3,(2 reversed -> 4),5,4,(1 reversed -> 5): mean 30/7 = 4.2857
        // (4.2857 - 1) / 4 * 100 = 82.142857
        let scores = respondent_scores(
            &answers(&[
                Point(5),
                Point(4),
                Point(3),
                Point(2),
                Point(5),
                Point(4),
                Point(1),
            ]),
            &instrument(),
        );
        assert!((scores[0].unwrap() - 82.142857).abs() < 1e-5);
        assert_eq!(scores[1], None);
    }

    #[test]
    fn fewer_than_half_answered_gives_no_score() {
        // 3 of 7 answered is fewer than half; 4 of 7 is enough. Don't know does not count.
        let three = answers(&[Point(4), Point(4), Point(4), Missing(0), Unanswered]);
        assert_eq!(respondent_scores(&three, &instrument())[0], None);
        let four = answers(&[Point(4), Point(4), Point(4), Point(4)]);
        // Statement 4 is reverse-worded: 4 -> 2. Mean (4+4+4+2)/4 = 3.5 -> 62.5
        assert_eq!(respondent_scores(&four, &instrument())[0], Some(62.5));
    }

    #[test]
    fn extremes_map_to_0_and_100() {
        assert_eq!(rescale(1.0, 1, 5), 0.0);
        assert_eq!(rescale(5.0, 1, 5), 100.0);
        assert_eq!(rescale(3.0, 1, 5), 50.0);
    }
}
