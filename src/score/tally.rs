//! Streaming accumulators: each respondent is added once and then forgotten.
//!
//! Every answer's 0-100 score is a whole number of steps of `100 / D`, where D
//! is [`Instrument::score_denominator`] (4 for a 1-5 scale alone; 60 when 1-5,
//! 0-10 and 1-7 items are mixed), so a respondent's ingredient score is fully
//! described by two small integers: the sum of their answers' steps (reverse-
//! worded ones flipped on their own scale) and how many they answered. Counting those pairs per group gives exact
//! means, standard deviations, medians and correlations without holding any
//! row, and sums taken over sorted keys make every figure independent of the
//! order of rows. Memory grows with the number of distinct answer patterns per
//! group (a few hundred), never with the number of respondents.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::ingest::{DateOrder, Span};
use crate::instrument::{Answer, Instrument, Respondent};
use chrono::NaiveDateTime;

mod pairs;
pub use pairs::{PairCounts, PairLayout};

/// A respondent's ingredient score as exact integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScoreKey {
    /// Sum of the answers' scores in steps of `100 / denominator`, reverse-worded ones flipped.
    pub sum: i64,
    /// How many statements were answered.
    pub count: u32,
}

impl ScoreKey {
    /// The 0-100 score this key stands for: the mean of the answers' scores.
    pub fn value(self, denominator: i64) -> f64 {
        self.sum as f64 * 100.0 / (f64::from(self.count) * denominator as f64)
    }
}

/// Counts of scores.
pub type Histogram = BTreeMap<ScoreKey, u64>;

/// Counts of pairs of scores of two ingredients (for correlations), in key order.
pub type PairHistogram = BTreeMap<(ScoreKey, ScoreKey), u64>;

/// Answers to one statement.
#[derive(Debug, Clone, Default)]
pub struct StatementTally {
    /// Count per scale point, lowest first.
    pub counts: Vec<u64>,
    /// Count per "no view" answer.
    pub missing: Vec<u64>,
}

impl StatementTally {
    fn new(points: usize, missing: usize) -> Self {
        StatementTally {
            counts: vec![0; points],
            missing: vec![0; missing],
        }
    }

    /// How many people answered: scored and "no view" answers together.
    pub fn answered(&self) -> u64 {
        self.counts.iter().sum::<u64>() + self.missing.iter().sum::<u64>()
    }

    /// Adds another tally's counts to this one.
    pub fn merge(&mut self, other: &StatementTally) {
        add_counts(&mut self.counts, &other.counts);
        add_counts(&mut self.missing, &other.missing);
    }
}

/// Sums over respondents who answered every statement of an ingredient, for
/// Cronbach's alpha, in score steps (so items on different scales weigh alike).
#[derive(Debug, Clone, Default)]
pub struct CompleteRows {
    /// How many such respondents.
    pub n: u64,
    /// Per statement: sum of flipped scores.
    pub item_sum: Vec<i64>,
    /// Per statement: sum of squared flipped scores.
    pub item_sum_sq: Vec<i64>,
    /// Sum of each respondent's total.
    pub total_sum: i64,
    /// Sum of each respondent's squared total.
    pub total_sum_sq: i64,
}

impl CompleteRows {
    /// Adds one respondent's flipped scores (one per statement).
    pub fn add(&mut self, values: &[i64]) {
        if self.item_sum.is_empty() {
            self.item_sum = vec![0; values.len()];
            self.item_sum_sq = vec![0; values.len()];
        }
        self.n += 1;
        let mut total = 0i64;
        for (i, v) in values.iter().enumerate() {
            let v = *v;
            self.item_sum[i] += v;
            self.item_sum_sq[i] += v * v;
            total += v;
        }
        self.total_sum += total;
        self.total_sum_sq += total * total;
    }

    /// Adds another set of sums to this one.
    pub fn merge(&mut self, other: &CompleteRows) {
        if other.n == 0 {
            return;
        }
        if self.item_sum.is_empty() {
            self.item_sum = vec![0; other.item_sum.len()];
            self.item_sum_sq = vec![0; other.item_sum.len()];
        }
        self.n += other.n;
        for i in 0..other.item_sum.len() {
            self.item_sum[i] += other.item_sum[i];
            self.item_sum_sq[i] += other.item_sum_sq[i];
        }
        self.total_sum += other.total_sum;
        self.total_sum_sq += other.total_sum_sq;
    }
}

/// One group's figures for one ingredient.
#[derive(Debug, Clone, Default)]
pub struct IngredientTally {
    /// Scores of respondents who answered enough statements.
    pub scores: Histogram,
    /// Respondents without a score (too few statements answered).
    pub without_score: u64,
    /// Positive answers (scoring over 50 after flipping) of respondents with a score.
    pub positive: u64,
    /// Scored answers of respondents with a score.
    pub scored_answers: u64,
    /// Sums for Cronbach's alpha.
    pub complete: CompleteRows,
}

/// Everything counted for one group slot.
#[derive(Debug, Clone, Default)]
pub struct SlotTally {
    /// Respondents in the group.
    pub respondents: u64,
    /// Respondents who gave the same answer to every statement (at least ten):
    /// the same place on every scale, before flipping.
    pub straight_lining: u64,
    /// The earliest and latest completion of its respondents (under both
    /// readings of a date like `1/9/2020`, until the order is known): kept per
    /// group, so that a hidden group's dates never set the survey period.
    pub completed: Span,
    /// Per ingredient.
    pub ingredients: Vec<IngredientTally>,
    /// Answers of every respondent (with or without an ingredient score), per
    /// statement in instrument order: what statement figures count.
    pub all_answers: Vec<StatementTally>,
    /// Per pair of ingredients (a < b): pairs of scores of respondents with both,
    /// keyed `(a, b, score a, score b)`: hash maps, then dense tables once the
    /// group is large ([`PairCounts`]); [`SlotTally::pair_histogram`] gives one
    /// pair's counts in order.
    pub pairs: PairCounts,
}

/// Counts for every group slot, filled one respondent at a time.
pub struct Tally<'a> {
    instrument: &'a Instrument,
    /// Per statement, in instrument order: its points' values and their scores
    /// in steps (before flipping), and whether it is reverse-worded.
    points: Vec<(Vec<(i32, i64)>, bool)>,
    /// The common denominator of scores ([`Instrument::score_denominator`]).
    denominator: i64,
    /// How groups large enough for it count pairs of scores in dense tables.
    pair_layout: Arc<PairLayout>,
    /// Per slot: instrument groups in order, then "did not say".
    pub slots: Vec<SlotTally>,
    /// The order the export's dates are read in (`None` when they read one
    /// way): known only once every row is read, so set it before
    /// [`crate::score::finish`] ([`crate::ingest::ExportSummary::date_order`]).
    pub date_order: Option<DateOrder>,
    /// Per statement in instrument order: false when the export has no column
    /// for it ([`crate::instrument::RowMapper::in_export`]), so that a missing
    /// score can say why.
    pub in_export: Vec<bool>,
    /// Buffers reused for every respondent, so that adding one allocates nothing
    /// (unless a histogram meets a new key).
    scratch: Scratch,
}

/// Per-respondent working space of [`Tally::add`].
#[derive(Default)]
struct Scratch {
    flipped: Vec<Option<i64>>,
    keys: Vec<Option<ScoreKey>>,
    values: Vec<i64>,
}

impl<'a> Tally<'a> {
    /// An empty tally with one slot per instrument group plus "did not say";
    /// `in_export` says, per statement in instrument order, whether the export
    /// has a column for it.
    pub fn new(instrument: &'a Instrument, in_export: Vec<bool>) -> Tally<'a> {
        debug_assert_eq!(in_export.len(), instrument.statements().count());
        let denominator = instrument.score_denominator();
        let statement_tally = |statement: &crate::instrument::Statement| {
            let scale = instrument.scale_of(statement);
            StatementTally::new(scale.points.len(), scale.missing.len())
        };
        let slot = SlotTally {
            respondents: 0,
            straight_lining: 0,
            completed: Span::default(),
            ingredients: vec![IngredientTally::default(); instrument.ingredients.len()],
            all_answers: instrument
                .statements()
                .map(|(_, s)| statement_tally(s))
                .collect(),
            pairs: PairCounts::default(),
        };
        let points = instrument
            .statements()
            .map(|(_, statement)| {
                let scale = instrument.scale_of(statement);
                let steps = scale
                    .points
                    .iter()
                    .map(|p| (p.value, scale.units(p.value, false, denominator)))
                    .collect();
                (steps, statement.reverse)
            })
            .collect::<Vec<(Vec<(i32, i64)>, bool)>>();
        let share = instrument.scoring.min_share_answered;
        let mut offset = 0;
        let steps: Vec<Vec<Vec<i64>>> = (instrument.ingredients.iter())
            .map(|ingredient| {
                let statements = &points[offset..offset + ingredient.statements.len()];
                offset += ingredient.statements.len();
                let flip = |reverse: bool, steps: i64| match reverse {
                    true => denominator - steps,
                    false => steps,
                };
                (statements.iter())
                    .map(|(steps, reverse)| steps.iter().map(|(_, s)| flip(*reverse, *s)).collect())
                    .collect()
            })
            .collect();
        let pair_layout = Arc::new(PairLayout::new(&steps, |answered, total| {
            scored(answered, total, share)
        }));
        Tally {
            instrument,
            points,
            denominator,
            pair_layout,
            slots: vec![slot; instrument.group_options().len() + 1],
            date_order: None,
            in_export,
            scratch: Scratch::default(),
        }
    }

    /// The first and last completion of the respondents in `slots` (the
    /// groups in the figures), read in [`date_order`](Tally::date_order).
    pub fn period(&self, slots: &[bool]) -> Option<(NaiveDateTime, NaiveDateTime)> {
        let mut span = Span::default();
        for (slot, _) in self.slots.iter().zip(slots).filter(|(_, in_it)| **in_it) {
            span.merge(&slot.completed);
        }
        span.read(self.date_order)
    }

    /// The questionnaire counted against.
    pub fn instrument(&self) -> &'a Instrument {
        self.instrument
    }

    /// True when anyone, in any group, gave statement `k` (in instrument
    /// order) a scored answer.
    pub fn answered(&self, k: usize) -> bool {
        self.slots
            .iter()
            .any(|slot| slot.all_answers[k].counts.iter().any(|c| *c > 0))
    }

    /// The common denominator of this tally's score steps.
    pub fn denominator(&self) -> i64 {
        self.denominator
    }

    /// Counts one respondent.
    pub fn add(&mut self, respondent: &Respondent) {
        let instrument = self.instrument;
        let denominator = self.denominator;
        let points = &self.points;
        // (point index, score in steps before flipping) of a scored answer to statement k.
        let point = |k: usize, v: i32| -> Option<(usize, i64)> {
            points[k]
                .0
                .iter()
                .position(|(value, _)| *value == v)
                .map(|p| (p, points[k].0[p].1))
        };
        let flip = |k: usize, steps: i64| {
            if points[k].1 {
                denominator - steps
            } else {
                steps
            }
        };
        let not_given = self.slots.len() - 1;
        let slot = &mut self.slots[respondent.group.unwrap_or(not_given)];
        let Scratch {
            flipped,
            keys,
            values,
        } = &mut self.scratch;
        slot.respondents += 1;

        if let Some(stamp) = respondent.completed {
            slot.completed.add(stamp);
        }

        // Answers of everyone, and straight-lining.
        let mut first_point = None;
        let mut same = true;
        let mut answered_points = 0;
        for (k, answer) in respondent.answers.iter().enumerate() {
            match *answer {
                Answer::Point(v) => {
                    if let Some((p, steps)) = point(k, v) {
                        slot.all_answers[k].counts[p] += 1;
                        answered_points += 1;
                        same &= *first_point.get_or_insert(steps) == steps;
                    }
                }
                Answer::Missing(m) => slot.all_answers[k].missing[m] += 1,
                Answer::Unanswered => {}
            }
        }
        if answered_points >= 10 && same {
            slot.straight_lining += 1;
        }

        // Per ingredient.
        let share = instrument.scoring.min_share_answered;
        keys.clear();
        let mut offset = 0;
        for (i, ingredient) in instrument.ingredients.iter().enumerate() {
            let total = ingredient.statements.len();
            let answers = &respondent.answers[offset..offset + total];
            flipped.clear();
            flipped.extend(answers.iter().enumerate().map(|(j, answer)| match answer {
                Answer::Point(v) => point(offset + j, *v).map(|(_, steps)| flip(offset + j, steps)),
                _ => None,
            }));
            offset += total;
            let answered = flipped.iter().flatten().count();
            let tally = &mut slot.ingredients[i];
            if !scored(answered, total, share) {
                tally.without_score += 1;
                keys.push(None);
                continue;
            }
            let key = ScoreKey {
                sum: flipped.iter().flatten().sum(),
                count: answered as u32,
            };
            *tally.scores.entry(key).or_default() += 1;
            keys.push(Some(key));
            // Statement figures count every answer (`all_answers`); the
            // ingredient's share of positive answers only those of people with a score.
            for v in flipped.iter().flatten() {
                tally.scored_answers += 1;
                // Over 50 on its own scale: the top two points of 1-5, 6 to 10 of 0-10.
                if 2 * v > denominator {
                    tally.positive += 1;
                }
            }
            if answered == total {
                values.clear();
                values.extend(flipped.iter().flatten());
                tally.complete.add(values);
            }
        }
        slot.pairs
            .add_respondent(keys, &self.pair_layout, slot.respondents);
    }
}

/// Whether answering `answered` of an ingredient's `total` statements gives a
/// score, when at least a `share` of them must be answered.
fn scored(answered: usize, total: usize, share: f64) -> bool {
    // A small tolerance so that 0.5 * 6 = 3 answered counts as half.
    answered > 0 && (answered as f64) >= share * total as f64 - 1e-9
}

impl SlotTally {
    /// The pairs of scores of ingredients `a` and `b` (a < b), in key order.
    pub fn pair_histogram(&self, a: usize, b: usize) -> PairHistogram {
        self.pairs.histogram(a, b)
    }
}

/// Adds counts element by element.
pub fn add_counts(into: &mut [u64], from: &[u64]) {
    for (a, b) in into.iter_mut().zip(from) {
        *a += b;
    }
}

/// Adds one histogram's counts to another.
pub fn merge_histogram<K: Ord + Copy>(into: &mut BTreeMap<K, u64>, from: &BTreeMap<K, u64>) {
    for (key, count) in from {
        *into.entry(*key).or_default() += count;
    }
}
