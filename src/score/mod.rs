//! Scoring: answers become 0-100 scores per respondent, then figures per
//! ingredient, group and statement, with small groups suppressed.
//!
//! The rules, also printed in the report's method note:
//! - each scored answer becomes a 0-100 score on its statement's own scale,
//!   `(value - min) / (max - min) * 100`, so statements on a 1-5, a 0-10 and a
//!   three-point scale combine; for reverse-worded statements it is flipped on
//!   that scale (`100 - score`);
//! - a respondent's ingredient score is the mean of the scores of the statements
//!   they answered (with one scale, the same as rescaling their mean answer),
//!   and only when they answered at least `min-share-answered` of its statements;
//! - "Don't know" and blank answers are never scored;
//! - a statement's figures count every answer to it from the people in the
//!   figures, with or without an ingredient score; ingredient figures count
//!   only people with a score;
//! - groups, and the whole organisation, get n, mean, standard deviation and a
//!   95% confidence interval (see [`stats`]);
//! - privacy: see [`privacy`].
//!
//! Why one file of over 600 lines: about 330 of them are the [`Scores`] type,
//! the published figures' documented schema, and most of the rest is
//! [`finish`], which builds it complete in one place.

pub mod comments;
pub mod coverage;
pub mod empty;
pub mod lens;
pub mod privacy;
pub mod read;
pub mod stats;
pub mod tally;
pub mod threshold;
pub mod trend;

use chrono::NaiveDate;
use serde::Serialize;

pub use lens::{Consistency, Correlation, Gap};
pub use stats::Summary;

use crate::instrument::Instrument;
use tally::Tally;

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
    /// The survey round these figures belong to ("2026-Q3").
    pub wave: Option<String>,
    /// The questionnaire used.
    pub instrument: InstrumentInfo,
    /// The rules that produced these figures.
    pub rules: Rules,
    /// The first and last completion dates of the responses in the figures,
    /// when the export has them (a group left out of every figure never sets them).
    pub period: Option<Period>,
    /// How many responses were used, and from which groups.
    pub responses: ResponseCounts,
    /// One entry per ingredient, in instrument order.
    pub ingredients: Vec<IngredientScores>,
    /// Ingredient ids from the lowest overall score to the highest.
    pub ranking: Vec<String>,
    /// Ids of the ingredients with the highest overall score as printed (a
    /// whole number): more than one when they tie. Empty with no score.
    pub strongest: Vec<String>,
    /// Ids of the ingredients with the lowest overall score as printed; equal
    /// to `strongest` when every scored ingredient prints the same score.
    pub weakest: Vec<String>,
    /// How ingredient scores move together, for pairs with enough respondents.
    pub correlations: Vec<Correlation>,
    /// What the answers say about their own quality.
    pub data_quality: DataQuality,
}

/// Signs of how much to trust the answers, over the responses used.
#[derive(Debug, Clone, Serialize)]
pub struct DataQuality {
    /// Per ingredient: respondents who answered too few of its statements for a score.
    pub incomplete: Vec<IngredientCount>,
    /// Respondents who gave the same answer to every statement (at least ten answered),
    /// even where a statement was reverse-worded: a sign of answering without reading.
    pub straight_lining: usize,
    /// Statements where at least a fifth of answers were "no view" answers.
    pub many_dont_know: Vec<StatementShare>,
}

/// A count per ingredient.
#[derive(Debug, Clone, Serialize)]
pub struct IngredientCount {
    /// Ingredient id.
    pub ingredient: String,
    /// The count.
    pub count: usize,
}

/// A percentage per statement.
#[derive(Debug, Clone, Serialize)]
pub struct StatementShare {
    /// Statement id.
    pub statement: String,
    /// Percentage of answers.
    pub percent: f64,
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
    /// Scored answers of the first (default) scale, lowest first; every scale is in `scales`.
    pub scale: Vec<ScalePointInfo>,
    /// Answers counted as "no view" on the first (default) scale.
    pub missing_answers: Vec<String>,
    /// Every answer scale a statement uses, the default first.
    pub scales: Vec<ScaleInfo>,
    /// Names of the groups marked as people with lived experience of care, who
    /// make up one side of the co-production lens (none: no lens).
    pub lived_experience_groups: Vec<String>,
    /// Minimum share of an ingredient's statements answered for a score.
    pub min_share_answered: f64,
    /// Groups with fewer respondents than this are never shown.
    pub min_group_size: usize,
    /// Score bands, lowest first.
    pub bands: Vec<BandInfo>,
}

/// One answer scale and how its answers land on 0-100.
#[derive(Debug, Clone, Serialize)]
pub struct ScaleInfo {
    /// The scale's id (statements name it in `scale`).
    pub id: String,
    /// Its name as printed: the instrument's `name`, else "from “lowest” to “highest”".
    pub name: String,
    /// Scored answers, lowest first.
    pub points: Vec<ScalePointInfo>,
    /// Answers counted as "no view".
    pub missing_answers: Vec<String>,
    /// How many statements are answered on it.
    pub statements: usize,
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
    /// Rows set aside before scoring (spam, previews, unfinished, duplicates), by reason.
    pub excluded: Vec<crate::ingest::Excluded>,
    /// Survey previews and test responses kept with `--keep-test-responses`
    /// (counted in `used`): the report says on its cover that it is built from
    /// test responses.
    pub test_responses: usize,
    /// True when some responses are left out of every figure to protect a small group.
    pub small_groups_left_out: bool,
    /// Whether figures are by group, and why not when they are not.
    pub grouping: Grouping,
    /// Respondents per group with anyone in it (empty when not by group).
    pub groups: Vec<GroupCount>,
}

/// Whether the figures are by respondent group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Grouping {
    /// Figures by group, as the questionnaire's groups.
    ByGroup,
    /// The questionnaire has no `[groups]`: a report for everyone.
    NoGroupQuestion,
    /// The export has no column for the group question: a report for everyone.
    GroupQuestionNotInExport,
    /// Nobody gave an answer to the group question: a report for everyone.
    NoGroupAnswers,
}

impl Grouping {
    /// True when figures are shown by group.
    pub fn by_group(self) -> bool {
        self == Grouping::ByGroup
    }
}

/// What reading an export found that the response counts report beside the
/// figures: given to [`finish`], so that [`Scores`] is complete when made.
#[derive(Debug, Clone, Default)]
pub struct ReadCounts {
    /// True when the export has a column for the group question: without one,
    /// nobody's group is known because it was not asked.
    pub group_column_found: bool,
    /// Rows that answered no statement at all.
    pub without_answers: usize,
    /// Rows set aside before scoring (spam, previews, unfinished, duplicates), by reason.
    pub excluded: Vec<crate::ingest::Excluded>,
    /// Previews and test responses kept with `--keep-test-responses`.
    pub test_responses: usize,
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
    /// Why there is no overall score; absent when there is one.
    pub no_score: Option<coverage::NoScore>,
    /// Percentage of scored answers that are positive for the ingredient
    /// (top two points, after flipping reverse-worded statements).
    pub positive_percent: Option<f64>,
    /// Internal consistency of its statements.
    pub consistency: Consistency,
    /// Lived experience against professionals; absent when either side is too small.
    pub gap: Option<Gap>,
    /// One cell per group (and a combined cell when used).
    pub groups: Vec<GroupCell>,
    /// One entry per statement: every answer to it from the people in the
    /// figures, the privacy rule applied per statement (see [`privacy::statement`]).
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
    /// The id of the scale it is answered on (see `rules.scales`).
    pub scale: String,
    /// Scored answers, from everyone counted for this statement, with or
    /// without a score for its ingredient.
    pub n: usize,
    /// Mean 0-100 score, after reversal; absent with no scored answers.
    pub mean: Option<f64>,
    /// Percentage of scored answers on points that score over 50 on the
    /// statement's scale, before flipping (agreeing with the wording as
    /// written): the top two of 1-5, 6 to 10 of 0-10, 5 to 7 of 1-7.
    pub agree_percent: Option<f64>,
    /// Count per scored answer, lowest point of its scale first.
    pub counts: Vec<usize>,
    /// Count per "no view" answer of its scale, in instrument order.
    pub missing_counts: Vec<usize>,
    /// Lived experience against professionals for this statement.
    pub gap: Option<Gap>,
}

/// The first and last completion of the responses in the figures: a group
/// left out to protect it never sets the survey period, the wave or the
/// report's date. The tally's date order must be set.
pub fn published_period(
    tally: &Tally,
    instrument: &Instrument,
    min_group_size: usize,
) -> Option<(chrono::NaiveDateTime, chrono::NaiveDateTime)> {
    let slots = privacy::slots(instrument);
    let respondents: Vec<u64> = tally.slots.iter().map(|s| s.respondents).collect();
    let counts = privacy::publish_counts(&slots, &respondents, min_group_size);
    tally.period(&counts.included)
}

/// Turns a complete tally into published figures, applying the privacy rule,
/// with the counts reading found (`read`).
pub fn finish(
    tally: &Tally,
    instrument: &Instrument,
    min_group_size: usize,
    wave: Option<String>,
    read: ReadCounts,
) -> Scores {
    let denominator = tally.denominator();
    let slots = privacy::slots(instrument);
    let respondents: Vec<u64> = tally.slots.iter().map(|s| s.respondents).collect();
    let band = |mean: f64| instrument.band(mean).to_string();
    let value = |key: tally::ScoreKey| key.value(denominator);
    // Figures are by group only when someone is in one of the questionnaire's groups.
    let grouping = if instrument.groups.is_none() {
        Grouping::NoGroupQuestion
    } else if respondents[..respondents.len() - 1].iter().all(|&n| n == 0) {
        // Nobody's group is known: not answered, or not asked at all.
        if read.group_column_found {
            Grouping::NoGroupAnswers
        } else {
            Grouping::GroupQuestionNotInExport
        }
    } else {
        Grouping::ByGroup
    };

    // The people in the figures: the response counts' rule.
    let mut counts = privacy::publish_counts(&slots, &respondents, min_group_size);
    let mut ingredients = Vec::new();
    let mut included_per_ingredient = Vec::new();
    let mut offset = 0;
    for (i, ingredient) in instrument.ingredients.iter().enumerate() {
        let slot_tallies: Vec<&tally::IngredientTally> =
            tally.slots.iter().map(|s| &s.ingredients[i]).collect();
        let histograms: Vec<&tally::Histogram> = slot_tallies.iter().map(|t| &t.scores).collect();
        let publication = privacy::publish(
            &slots,
            &histograms,
            &respondents,
            min_group_size,
            &value,
            &band,
            grouping.by_group(),
        );
        let included = |s: usize| publication.included[s];
        // Sides of the co-production lens: only groups shown on their own.
        let side =
            |s: usize, lived: bool| publication.shown[s] && slots[s].lived_experience == lived;

        // Every answer to a statement counts, whether or not the person has a
        // score for the ingredient; the privacy rule is applied per statement.
        let statements: Vec<StatementScores> = ingredient
            .statements
            .iter()
            .enumerate()
            .map(|(k, statement)| {
                let answers: Vec<&tally::StatementTally> = tally
                    .slots
                    .iter()
                    .map(|slot| &slot.all_answers[offset + k])
                    .collect();
                let answered: Vec<u64> = answers.iter().map(|a| a.answered()).collect();
                let rule = privacy::statement(&answered, &counts.included, min_group_size);
                let merged = merge_statements(&answers, &|s| rule.included[s]);
                let mut result = statement_scores(statement, &merged, instrument);
                let own_side =
                    |s: usize, lived: bool| rule.shown[s] && slots[s].lived_experience == lived;
                let lived = merge_statements(&answers, &|s| own_side(s, true));
                let professional = merge_statements(&answers, &|s| own_side(s, false));
                result.gap = lens::gap_weighted(
                    &point_scores(statement, &lived, instrument),
                    &point_scores(statement, &professional, instrument),
                    min_group_size,
                );
                result
            })
            .collect();

        let (mut positive, mut scored_answers) = (0, 0);
        let mut complete = tally::CompleteRows::default();
        for (_, t) in slot_tallies
            .iter()
            .enumerate()
            .filter(|(s, _)| included(*s))
        {
            positive += t.positive;
            scored_answers += t.scored_answers;
            complete.merge(&t.complete);
        }
        let merged_scores = |pick: &dyn Fn(usize) -> bool| {
            let mut merged = tally::Histogram::new();
            for (_, t) in slot_tallies.iter().enumerate().filter(|(s, _)| pick(*s)) {
                tally::merge_histogram(&mut merged, &t.scores);
            }
            merged
                .iter()
                .map(|(k, n)| (value(*k), *n))
                .collect::<Vec<_>>()
        };

        let mut lowest: Vec<(f64, &StatementScores)> = statements
            .iter()
            .filter_map(|s| Some((s.mean?, s)))
            .collect();
        lowest.sort_by(|a, b| a.0.total_cmp(&b.0));
        let no_score = publication.overall.is_none().then(|| {
            coverage::statements_missing_in(tally, i)
                .unwrap_or_else(|| coverage::too_few_people(instrument, i, min_group_size))
        });
        ingredients.push(IngredientScores {
            id: ingredient.id.clone(),
            name: ingredient.name.clone(),
            rank: None,
            overall: publication.overall.clone(),
            no_score,
            positive_percent: (scored_answers > 0)
                .then(|| stats::round(positive as f64 / scored_answers as f64 * 100.0)),
            consistency: lens::consistency(&complete),
            gap: lens::gap_weighted(
                &merged_scores(&|s| side(s, true)),
                &merged_scores(&|s| side(s, false)),
                min_group_size,
            ),
            groups: publication.cells.clone(),
            lowest_statements: lowest.iter().take(3).map(|(_, s)| s.id.clone()).collect(),
            statements,
        });
        included_per_ingredient.push(publication.included);
        offset += ingredient.statements.len();
    }
    debug_assert_eq!(offset, instrument.statements().count());

    let mut ranked: Vec<&IngredientScores> =
        ingredients.iter().filter(|i| i.overall.is_some()).collect();
    ranked.sort_by(|a, b| {
        let mean = |x: &IngredientScores| x.overall.as_ref().map(|o| o.mean).unwrap_or(0.0);
        mean(a).total_cmp(&mean(b))
    });
    let ranking: Vec<String> = ranked.iter().map(|i| i.id.clone()).collect();
    // Ties as a reader sees them: the same whole number printed.
    let printed = |x: &IngredientScores| x.overall.as_ref().map(|o| o.mean.round() as i64);
    let with_score = |target: Option<i64>| -> Vec<String> {
        ranked
            .iter()
            .filter(|i| target.is_some() && printed(i) == target)
            .map(|i| i.id.clone())
            .collect()
    };
    let weakest = with_score(ranked.first().and_then(|i| printed(i)));
    let strongest = with_score(ranked.last().and_then(|i| printed(i)));
    for ingredient in &mut ingredients {
        ingredient.rank = ranking
            .iter()
            .position(|id| *id == ingredient.id)
            .map(|p| p + 1);
    }

    if !grouping.by_group() {
        counts.groups.clear();
    }
    Scores {
        schema_version: SCHEMA_VERSION,
        wave,
        instrument: InstrumentInfo {
            name: instrument.name.clone(),
            version: instrument.version.clone(),
        },
        rules: rules(instrument, min_group_size),
        period: tally.period(&counts.included).map(|(first, last)| Period {
            first: first.date(),
            last: last.date(),
        }),
        responses: ResponseCounts {
            used: counts.used,
            without_answers: read.without_answers,
            excluded: read.excluded,
            test_responses: read.test_responses,
            small_groups_left_out: counts.left_out,
            grouping,
            groups: counts.groups,
        },
        correlations: correlations(instrument, tally, &included_per_ingredient, &value),
        data_quality: data_quality(instrument, tally, &counts.included, &ingredients),
        ingredients,
        ranking,
        strongest,
        weakest,
    }
}

/// One statement's answers (one tally per slot) summed over the slots `pick` chooses.
fn merge_statements(
    answers: &[&tally::StatementTally],
    pick: &dyn Fn(usize) -> bool,
) -> tally::StatementTally {
    let mut merged = answers[0].clone();
    merged.counts.iter_mut().for_each(|c| *c = 0);
    merged.missing.iter_mut().for_each(|c| *c = 0);
    for (_, t) in answers.iter().enumerate().filter(|(s, _)| pick(*s)) {
        merged.merge(t);
    }
    merged
}

/// A statement's scored answers as (0-100 score on its scale after flipping, count) pairs.
fn point_scores(
    statement: &crate::instrument::Statement,
    answers: &tally::StatementTally,
    instrument: &Instrument,
) -> Vec<(f64, u64)> {
    let scale = instrument.scale_of(statement);
    scale
        .points
        .iter()
        .zip(&answers.counts)
        .filter(|(_, count)| **count > 0)
        .map(|(point, count)| {
            let score = scale.score(point.value);
            (
                if statement.reverse {
                    100.0 - score
                } else {
                    score
                },
                *count,
            )
        })
        .collect()
}

/// Correlations between every pair of ingredients, over slots included in both.
fn correlations(
    instrument: &Instrument,
    tally: &Tally,
    included: &[Vec<bool>],
    value: &dyn Fn(tally::ScoreKey) -> f64,
) -> Vec<Correlation> {
    let mut result = Vec::new();
    let n = instrument.ingredients.len();
    for a in 0..n {
        for b in a + 1..n {
            let mut merged = tally::PairHistogram::new();
            for (s, slot) in tally.slots.iter().enumerate() {
                if included[a][s] && included[b][s] {
                    tally::merge_histogram(&mut merged, &slot.pair_histogram(a, b));
                }
            }
            let pairs: Vec<((f64, f64), u64)> = merged
                .iter()
                .map(|((ka, kb), count)| ((value(*ka), value(*kb)), *count))
                .collect();
            if let Some(r) = lens::pearson(&pairs) {
                result.push(Correlation {
                    a: instrument.ingredients[a].id.clone(),
                    b: instrument.ingredients[b].id.clone(),
                    n: pairs.iter().map(|(_, c)| *c as usize).sum(),
                    r: stats::round(r),
                    strength: lens::strength(r).into(),
                });
            }
        }
    }
    result
}

/// Share of "no view" answers above which a statement is listed.
const MANY_DONT_KNOW: f64 = 0.2;

/// `ingredients` are the published figures: the "don't know" list is read
/// from the statement figures, so that the appendix and the statement table agree.
fn data_quality(
    instrument: &Instrument,
    tally: &Tally,
    published: &[bool],
    ingredients: &[IngredientScores],
) -> DataQuality {
    let slots = || {
        tally
            .slots
            .iter()
            .enumerate()
            .filter(|(s, _)| published[*s])
            .map(|(_, t)| t)
    };
    let incomplete = instrument
        .ingredients
        .iter()
        .enumerate()
        .map(|(i, ingredient)| IngredientCount {
            ingredient: ingredient.id.clone(),
            count: slots()
                .map(|t| t.ingredients[i].without_score as usize)
                .sum(),
        })
        .collect();
    let straight_lining = slots().map(|t| t.straight_lining as usize).sum();
    let many_dont_know = ingredients
        .iter()
        .flat_map(|i| &i.statements)
        .filter_map(|statement| {
            let missing: usize = statement.missing_counts.iter().sum();
            let answered = missing + statement.n;
            let share = missing as f64 / answered.max(1) as f64;
            (answered > 0 && share >= MANY_DONT_KNOW).then(|| StatementShare {
                statement: statement.id.clone(),
                percent: stats::round(share * 100.0),
            })
        })
        .collect();
    DataQuality {
        incomplete,
        straight_lining,
        many_dont_know,
    }
}

fn statement_scores(
    statement: &crate::instrument::Statement,
    answers: &tally::StatementTally,
    instrument: &Instrument,
) -> StatementScores {
    let n: u64 = answers.counts.iter().sum();
    let (mean, agree_percent) = if n == 0 {
        (None, None)
    } else {
        let scores = point_scores(statement, answers, instrument);
        let mean = stats::mean_sd_weighted(&scores).0;
        let scale = instrument.scale_of(statement);
        let agreeing: u64 = scale
            .points
            .iter()
            .zip(&answers.counts)
            .filter(|(point, _)| scale.score(point.value) > 50.0)
            .map(|(_, count)| count)
            .sum();
        (
            Some(stats::round(mean)),
            Some(stats::round(agreeing as f64 / n as f64 * 100.0)),
        )
    };
    StatementScores {
        id: statement.id.clone(),
        text: statement.text.clone(),
        reverse: statement.reverse,
        scale: instrument.scale_of(statement).id.clone(),
        n: n as usize,
        mean,
        agree_percent,
        counts: answers.counts.iter().map(|c| *c as usize).collect(),
        missing_counts: answers.missing.iter().map(|c| *c as usize).collect(),
        gap: None,
    }
}

fn rules(instrument: &Instrument, min_group_size: usize) -> Rules {
    let points = |scale: &crate::instrument::Scale| -> Vec<ScalePointInfo> {
        scale
            .points
            .iter()
            .map(|p| ScalePointInfo {
                value: p.value,
                label: p.label.clone(),
                score: stats::round(scale.score(p.value)),
            })
            .collect()
    };
    let missing = |scale: &crate::instrument::Scale| -> Vec<String> {
        scale.missing.iter().map(|m| m.label.clone()).collect()
    };
    let default = instrument.default_scale();
    let scales = instrument
        .scales()
        .enumerate()
        .map(|(index, scale)| ScaleInfo {
            id: scale.id.clone(),
            name: scale.display_name(),
            points: points(scale),
            missing_answers: missing(scale),
            statements: instrument
                .statements()
                .filter(|(_, s)| instrument.scale_index(s) == index)
                .count(),
        })
        // A scale no statement uses says nothing about these figures.
        .filter(|scale| scale.statements > 0)
        .collect();
    Rules {
        scale: points(default),
        missing_answers: missing(default),
        scales,
        lived_experience_groups: instrument
            .group_options()
            .iter()
            .filter(|g| g.lived_experience)
            .map(|g| g.name.clone())
            .collect(),
        min_share_answered: instrument.scoring.min_share_answered,
        min_group_size,
        bands: band_info(instrument),
    }
}

/// The instrument's score bands, lowest first, each running up to the next
/// one's start (the last to 100): what `rules.bands` holds.
pub fn band_info(instrument: &Instrument) -> Vec<BandInfo> {
    let bands = &instrument.scoring.bands;
    bands
        .iter()
        .enumerate()
        .map(|(i, b)| BandInfo {
            name: b.name.clone(),
            from: b.from,
            to: bands.get(i + 1).map(|next| next.from).unwrap_or(100.0),
        })
        .collect()
}
