//! Trends: how each ingredient moved since the previous wave and across all
//! waves, from published aggregates only.
//!
//! Each wave is kept as [`WaveFigures`]: n, mean and standard deviation of every
//! figure the report showed (overall and per shown group), and n and mean per
//! statement. Nothing the privacy rule hid is kept, and no respondent's answers.
//!
//! A change counts as a change only when it is larger than noise: the Welch 95%
//! confidence interval for the difference of two means, from the stored n, mean
//! and sd of each wave, must exclude zero. Otherwise it is "no clear change".
//! The means and sds are the published ones, rounded to two decimals, so anyone
//! can redo the arithmetic from the report or the history file.
//!
//! Waves are compared only where they measured the same thing: an ingredient
//! whose statements (ids, wording, reversal, answer scale) changed between two
//! waves is "not comparable" across that change; a statement is compared only
//! when its id, wording, reversal and scale are the same in both waves.
//!
//! The history format the trend reads is in [`figures`]. This file runs over
//! 600 lines only with its unit tests, which check the maths by hand-worked cases.

use std::collections::BTreeSet;

use serde::Serialize;

use super::COMBINED_ID;
use super::stats::{round, t_critical_95_df};
use super::threshold::{Reshown, under_threshold};
use crate::wave::Wave;

mod figures;

pub use figures::{
    Aggregate, GroupFigures, GroupResponses, IngredientFigures, IngredientShape, InstrumentShape,
    StatementFigures, StatementShape, WaveFigures,
};

/// How the scores moved up to the latest wave: the `trend` of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// The wave the report is for (the last in `waves`).
    pub wave: String,
    /// The wave before it.
    pub previous_wave: String,
    /// The first wave on record.
    pub first_wave: String,
    /// Every wave on record up to this one, oldest first.
    pub waves: Vec<WaveCount>,
    /// Earlier waves recorded under a lower privacy threshold than this report's,
    /// whose figures are printed as this threshold allows, so they can differ
    /// from that wave's own report.
    pub rechecked_waves: Vec<String>,
    /// True when the statements or scale differ between any two waves on record.
    pub instrument_changed: bool,
    /// One sentence per change of instrument, oldest first ("In 2026-Q3 statement
    /// outcomes-3 was reworded.").
    pub instrument_notes: Vec<String>,
    /// One entry per ingredient of the latest wave, in instrument order.
    pub ingredients: Vec<IngredientTrend>,
}

/// A wave and its number of responses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaveCount {
    /// The wave's name.
    pub wave: String,
    /// Responses used in its figures, as may be printed now; absent when an
    /// earlier wave's count cannot be re-derived under the current threshold.
    pub responses: Option<usize>,
}

/// One ingredient over time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IngredientTrend {
    /// Ingredient id.
    pub id: String,
    /// Ingredient name.
    pub name: String,
    /// False when its statements changed since the previous wave, so the two scores are not compared.
    pub comparable_with_previous: bool,
    /// The earliest wave from which it has been asked with the same statements as now.
    pub comparable_since: String,
    /// The overall score in every wave, oldest first.
    pub series: Vec<SeriesPoint>,
    /// The change since the previous wave.
    pub since_previous: Change,
    /// The change since the earliest comparable wave in which the score was shown.
    pub since_first: Change,
    /// The same two changes for every group shown in any wave (not the combined cell,
    /// whose make-up changes from wave to wave), in order of first appearance.
    pub groups: Vec<GroupTrend>,
    /// Each statement of the latest wave against the previous wave.
    pub statements: Vec<StatementTrend>,
}

/// The overall score in one wave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesPoint {
    /// The wave.
    pub wave: String,
    /// False when the statements differ from the next point's (or, for the last
    /// point, never), so a line must not join this point to the next.
    pub joins_next: bool,
    /// Scores; absent when hidden or not asked.
    pub n: Option<usize>,
    /// Mean; absent when hidden or not asked.
    pub mean: Option<f64>,
}

/// One group's changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupTrend {
    /// Group id.
    pub id: String,
    /// Group name.
    pub name: String,
    /// People with lived experience of care.
    pub lived_experience: bool,
    /// Since the previous wave.
    pub since_previous: Change,
    /// Since the earliest comparable wave in which the group was shown.
    pub since_first: Change,
}

/// One statement against the previous wave (n and mean only: no test of noise).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementTrend {
    /// Statement id.
    pub id: String,
    /// Wording in the latest wave.
    pub text: String,
    /// False when the statement is new or its wording or reversal changed.
    pub comparable: bool,
    /// Mean in the previous wave, when comparable and answered.
    pub previous_mean: Option<f64>,
    /// Mean in the latest wave.
    pub mean: Option<f64>,
    /// `mean - previous_mean`, when both exist.
    pub difference: Option<f64>,
}

/// What a comparison found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeStatus {
    /// Higher, and the 95% interval of the difference is above zero.
    Up,
    /// Lower, and the 95% interval is below zero.
    Down,
    /// The 95% interval includes zero: the change may be noise.
    NoClearChange,
    /// The statements or scale differ, or the figure was not measured in one wave.
    NotComparable,
    /// The figure is hidden (privacy rule) in one wave, or has too few scores to test.
    NotShown,
}

/// The difference between two waves' means, with its Welch 95% interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The earlier wave; absent when no earlier wave can be compared.
    pub from_wave: Option<String>,
    /// The later wave.
    pub to_wave: String,
    /// The verdict.
    pub status: ChangeStatus,
    /// True only for `up` and `down`: the change is larger than noise.
    pub changed: bool,
    /// Earlier n and mean, when compared.
    pub from_n: Option<usize>,
    /// Earlier mean.
    pub from_mean: Option<f64>,
    /// Later n.
    pub to_n: Option<usize>,
    /// Later mean.
    pub to_mean: Option<f64>,
    /// `to_mean - from_mean`, two decimals.
    pub difference: Option<f64>,
    /// Lower end of the Welch 95% confidence interval of the difference.
    pub ci_low: Option<f64>,
    /// Upper end.
    pub ci_high: Option<f64>,
}

impl Change {
    fn without_figures(from_wave: Option<Wave>, to_wave: Wave, status: ChangeStatus) -> Change {
        Change {
            from_wave: from_wave.map(|w| w.to_string()),
            to_wave: to_wave.to_string(),
            status,
            changed: false,
            from_n: None,
            from_mean: None,
            to_n: None,
            to_mean: None,
            difference: None,
            ci_low: None,
            ci_high: None,
        }
    }

    /// Compares two aggregates (both present and comparable).
    fn between(from_wave: Wave, from: Aggregate, to_wave: Wave, to: Aggregate) -> Change {
        let mut change = Change {
            from_n: Some(from.n),
            from_mean: Some(from.mean),
            to_n: Some(to.n),
            to_mean: Some(to.mean),
            difference: Some(round(to.mean - from.mean)),
            ..Change::without_figures(Some(from_wave), to_wave, ChangeStatus::NotShown)
        };
        let Some((low, high)) = welch_interval(from, to) else {
            return change;
        };
        change.ci_low = Some(round(low));
        change.ci_high = Some(round(high));
        change.status = if low > 0.0 {
            ChangeStatus::Up
        } else if high < 0.0 {
            ChangeStatus::Down
        } else {
            ChangeStatus::NoClearChange
        };
        change.changed = matches!(change.status, ChangeStatus::Up | ChangeStatus::Down);
        change
    }
}

/// The Welch 95% confidence interval for `to.mean - from.mean`; `None` when
/// either side has fewer than two scores.
///
/// Standard error `se = sqrt(sd1²/n1 + sd2²/n2)`; degrees of freedom by
/// Welch-Satterthwaite, `se⁴ / ((sd1²/n1)²/(n1-1) + (sd2²/n2)²/(n2-1))`;
/// interval `difference ± t(0.975, df) × se`. With no spread on either side the
/// interval is the difference itself.
pub fn welch_interval(from: Aggregate, to: Aggregate) -> Option<(f64, f64)> {
    if from.n < 2 || to.n < 2 {
        return None;
    }
    let (sd1, sd2) = (from.sd?, to.sd?);
    let v1 = sd1 * sd1 / from.n as f64;
    let v2 = sd2 * sd2 / to.n as f64;
    let difference = to.mean - from.mean;
    let variance = v1 + v2;
    if variance == 0.0 {
        return Some((difference, difference));
    }
    let df =
        variance * variance / (v1 * v1 / (from.n as f64 - 1.0) + v2 * v2 / (to.n as f64 - 1.0));
    // The history's figures are checked on load, but figures that overflow
    // (sds near f64::MAX) must give "no interval", never a panic in statrs.
    if !(variance.is_finite() && df.is_finite() && df > 0.0) {
        return None;
    }
    let half = t_critical_95_df(df) * variance.sqrt();
    Some((difference - half, difference + half))
}

/// The trend up to the last of `waves` (oldest first); `None` for a first wave.
///
/// The last wave is the one being reported, scored under the current privacy
/// threshold; every earlier wave is printed only as that threshold allows
/// ([`super::threshold`]), whatever threshold it was recorded under.
pub fn trend(waves: &[WaveFigures]) -> Option<Trend> {
    let threshold = waves.last()?.min_group_size;
    let reshown: Vec<Reshown> = waves
        .iter()
        .map(|w| under_threshold(w, threshold))
        .collect();
    let counts: Vec<Option<usize>> = reshown.iter().map(|r| r.responses).collect();
    let rechecked_waves = waves
        .iter()
        .filter(|w| w.min_group_size < threshold)
        .map(|w| w.wave.to_string())
        .collect();
    let waves: Vec<WaveFigures> = reshown.into_iter().map(|r| r.figures).collect();
    let waves = waves.as_slice();
    let (current, earlier) = waves.split_last()?;
    let previous = earlier.last()?;
    fn shape(w: &WaveFigures) -> &InstrumentShape {
        &w.instrument
    }

    let mut notes = Vec::new();
    for pair in waves.windows(2) {
        notes.extend(instrument_notes(&pair[0], &pair[1]));
    }

    let ingredients = current
        .instrument
        .ingredients
        .iter()
        .map(|ingredient| {
            let id = ingredient.id.as_str();
            // The run of waves, ending with the current one, asked the same way.
            let start = (0..waves.len())
                .rev()
                .take_while(|&k| shape(&waves[k]).ingredient_comparable(&current.instrument, id))
                .last()
                .unwrap_or(waves.len() - 1);
            let run = &waves[start..];
            let overall = |w: &WaveFigures| w.ingredient(id).and_then(|i| i.overall);
            let series = waves
                .iter()
                .enumerate()
                .map(|(k, w)| SeriesPoint {
                    wave: w.wave.to_string(),
                    joins_next: waves
                        .get(k + 1)
                        .is_some_and(|next| shape(w).ingredient_comparable(shape(next), id)),
                    n: overall(w).map(|a| a.n),
                    mean: overall(w).map(|a| a.mean),
                })
                .collect();
            let comparable_with_previous = run.len() >= 2;
            let since_previous = compare(
                comparable_with_previous.then_some(previous),
                current,
                overall,
            );
            let since_first = compare(
                run[..run.len() - 1].iter().find(|w| overall(w).is_some()),
                current,
                overall,
            );
            let since_first = fill_from(since_first, &run[0], previous, comparable_with_previous);

            let mut group_ids: Vec<(String, String, bool)> = Vec::new();
            for w in std::iter::once(current).chain(earlier.iter().rev()) {
                for g in w.ingredient(id).map(|i| i.groups.as_slice()).unwrap_or(&[]) {
                    if g.id != COMBINED_ID && !group_ids.iter().any(|(gid, ..)| *gid == g.id) {
                        group_ids.push((g.id.clone(), g.name.clone(), g.lived_experience));
                    }
                }
            }
            let groups = group_ids
                .into_iter()
                .map(|(gid, name, lived_experience)| {
                    let figures = |w: &WaveFigures| {
                        w.ingredient(id)?
                            .groups
                            .iter()
                            .find(|g| g.id == gid)
                            .map(GroupFigures::figures)
                    };
                    let since_previous = compare(
                        comparable_with_previous.then_some(previous),
                        current,
                        figures,
                    );
                    let since_first = compare(
                        run[..run.len() - 1].iter().find(|w| figures(w).is_some()),
                        current,
                        figures,
                    );
                    GroupTrend {
                        since_first: fill_from(
                            since_first,
                            &run[0],
                            previous,
                            comparable_with_previous,
                        ),
                        id: gid,
                        name,
                        lived_experience,
                        since_previous,
                    }
                })
                .collect();

            let statements = ingredient
                .statements
                .iter()
                .map(|s| {
                    let comparable = previous
                        .instrument
                        .statement_comparable(&current.instrument, &s.id);
                    let mean_in = |w: &WaveFigures| {
                        w.ingredients
                            .iter()
                            .flat_map(|i| &i.statements)
                            .find(|f| f.id == s.id)
                            .and_then(|f| f.mean)
                    };
                    let previous_mean = comparable.then(|| mean_in(previous)).flatten();
                    let mean = mean_in(current);
                    StatementTrend {
                        id: s.id.clone(),
                        text: s.text.clone(),
                        comparable,
                        previous_mean,
                        mean,
                        difference: previous_mean.zip(mean).map(|(a, b)| round(b - a)),
                    }
                })
                .collect();

            IngredientTrend {
                id: id.to_string(),
                name: ingredient.name.clone(),
                comparable_with_previous,
                comparable_since: run[0].wave.to_string(),
                series,
                since_previous,
                since_first,
                groups,
                statements,
            }
        })
        .collect();

    Some(Trend {
        wave: current.wave.to_string(),
        previous_wave: previous.wave.to_string(),
        first_wave: waves[0].wave.to_string(),
        waves: waves
            .iter()
            .zip(counts)
            .map(|(w, responses)| WaveCount {
                wave: w.wave.to_string(),
                responses,
            })
            .collect(),
        rechecked_waves,
        instrument_changed: !notes.is_empty(),
        instrument_notes: notes,
        ingredients,
    })
}

/// Compares `current` with `from` (when there is a comparable wave) on the figure `pick` finds.
fn compare(
    from: Option<&WaveFigures>,
    current: &WaveFigures,
    pick: impl Fn(&WaveFigures) -> Option<Aggregate>,
) -> Change {
    let Some(from) = from else {
        return Change::without_figures(None, current.wave, ChangeStatus::NotComparable);
    };
    match (pick(from), pick(current)) {
        (Some(a), Some(b)) => Change::between(from.wave, a, current.wave, b),
        _ => Change::without_figures(Some(from.wave), current.wave, ChangeStatus::NotShown),
    }
}

/// A "since first" with no wave found says why: the statements changed this
/// wave (not comparable), or the figure was hidden in every earlier comparable wave.
fn fill_from(
    change: Change,
    run_start: &WaveFigures,
    previous: &WaveFigures,
    comparable_with_previous: bool,
) -> Change {
    if change.from_wave.is_some() {
        return change;
    }
    if comparable_with_previous {
        Change {
            from_wave: Some(run_start.wave.to_string()),
            status: ChangeStatus::NotShown,
            ..change
        }
    } else {
        Change {
            from_wave: Some(previous.wave.to_string()),
            ..change
        }
    }
}

/// Sentences describing how `after`'s instrument differs from `before`'s.
fn instrument_notes(before: &WaveFigures, after: &WaveFigures) -> Vec<String> {
    let (old, new) = (&before.instrument, &after.instrument);
    let wave = &after.wave;
    let mut notes = Vec::new();
    // Statements asked in both waves whose answer scale changed.
    let rescaled: Vec<String> = new
        .ingredients
        .iter()
        .flat_map(|i| &i.statements)
        .filter(|s| {
            old.statement(&s.id)
                .is_some_and(|o| old.asked(o).scale != new.asked(s).scale)
        })
        .map(|s| s.id.clone())
        .collect();
    let kept = new
        .ingredients
        .iter()
        .flat_map(|i| &i.statements)
        .filter(|s| old.statement(&s.id).is_some())
        .count();
    let whole_scale = !rescaled.is_empty() && rescaled.len() == kept;
    if whole_scale {
        notes.push(format!(
            "In {wave} the answer scale changed, so no score is compared with earlier waves."
        ));
    } else {
        for id in &rescaled {
            notes.push(format!(
                "In {wave} statement {id} was asked on a different answer scale, so it is not compared with earlier waves."
            ));
        }
    }
    if old.min_share_answered != new.min_share_answered {
        notes.push(format!(
            "In {wave} the share of statements needed for a score changed, so no score is compared with earlier waves."
        ));
    }
    let statements = |shape: &InstrumentShape| -> Vec<StatementShape> {
        shape
            .ingredients
            .iter()
            .flat_map(|i| i.statements.iter().cloned())
            .collect()
    };
    for s in statements(new) {
        match old.statement(&s.id) {
            None => notes.push(format!(
                "In {wave} statement {} was asked for the first time.",
                s.id
            )),
            Some(o) if o.text != s.text => {
                notes.push(format!("In {wave} statement {} was reworded.", s.id))
            }
            Some(o) if o.reverse != s.reverse => notes.push(format!(
                "In {wave} statement {} changed direction (reverse-worded or not).",
                s.id
            )),
            Some(_) => {}
        }
    }
    for s in statements(old) {
        if new.statement(&s.id).is_none() {
            notes.push(format!("In {wave} statement {} was no longer asked.", s.id));
        }
    }
    for i in &new.ingredients {
        if old.ingredient(&i.id).is_none() {
            notes.push(format!("In {wave} the ingredient {} was added.", i.name));
        } else if !new.ingredient_comparable(old, &i.id) && old.scores_alike(new) {
            let asked = |shape: &InstrumentShape| -> Option<BTreeSet<(String, String, bool)>> {
                Some(
                    shape
                        .ingredient(&i.id)?
                        .statements
                        .iter()
                        .map(|s| (s.id.clone(), s.text.clone(), s.reverse))
                        .collect(),
                )
            };
            if asked(old) != asked(new) {
                notes.push(format!(
                    "{} is asked with different statements from {wave}, so its score is compared only from {wave} on.",
                    i.name
                ));
            } else if !whole_scale {
                notes.push(format!(
                    "{} has statements on a different answer scale from {wave}, so its score is compared only from {wave} on.",
                    i.name
                ));
            }
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(statements: &[(&str, &str)]) -> InstrumentShape {
        InstrumentShape {
            name: "test".into(),
            version: "1".into(),
            scale: vec![1, 2, 3, 4, 5],
            min_share_answered: 0.5,
            ingredients: vec![IngredientShape {
                id: "context".into(),
                name: "Receptive context".into(),
                statements: statements
                    .iter()
                    .map(|(id, text)| StatementShape {
                        id: id.to_string(),
                        text: text.to_string(),
                        reverse: false,
                        scale: None,
                    })
                    .collect(),
            }],
        }
    }

    fn agg(n: usize, mean: f64, sd: f64) -> Aggregate {
        Aggregate {
            n,
            mean,
            sd: Some(sd),
        }
    }

    fn wave(name: &str, overall: Option<Aggregate>, statements: &[(&str, &str)]) -> WaveFigures {
        WaveFigures {
            wave: name.parse().unwrap(),
            source: None,
            instrument: shape(statements),
            min_group_size: 5,
            responses: overall.map(|a| a.n).unwrap_or(0),
            response_groups: None,
            ingredients: vec![IngredientFigures {
                id: "context".into(),
                overall,
                groups: Vec::new(),
                statements: statements
                    .iter()
                    .map(|(id, _)| StatementFigures {
                        id: id.to_string(),
                        n: 10,
                        mean: overall.map(|a| a.mean),
                    })
                    .collect(),
            }],
        }
    }

    /// The calendar quarter `quarter` of 2026.
    fn q(quarter: u32) -> Wave {
        Wave::new(crate::wave::WaveScheme::Calendar, 2026, quarter).unwrap()
    }

    const SAME: &[(&str, &str)] = &[("c1", "One."), ("c2", "Two.")];

    #[test]
    fn welch_by_hand() {
        // Wave A: n 10, mean 50, sd 10; wave B: n 12, mean 60, sd 12.
        // v1 = 100/10 = 10, v2 = 144/12 = 12, se = sqrt(22) = 4.690416
        // df = 22² / (10²/9 + 12²/11) = 484 / (11.111111 + 13.090909) = 19.998
        // t(0.975, 19.998) = 2.085967 (t(20) = 2.085963)
        // half = 2.08597 * 4.690416 = 9.78407 → interval 0.22 to 19.78: up.
        let (low, high) = welch_interval(agg(10, 50.0, 10.0), agg(12, 60.0, 12.0)).unwrap();
        assert!((low - 0.2159).abs() < 0.001, "{low}");
        assert!((high - 19.7841).abs() < 0.001, "{high}");
        let change = Change::between(q(1), agg(10, 50.0, 10.0), q(2), agg(12, 60.0, 12.0));
        assert_eq!(change.status, ChangeStatus::Up);
        assert!(change.changed);
        assert_eq!(change.difference, Some(10.0));
        assert_eq!((change.ci_low, change.ci_high), (Some(0.22), Some(19.78)));
    }

    #[test]
    fn small_changes_are_noise_and_no_spread_is_exact() {
        let change = Change::between(q(1), agg(10, 50.0, 10.0), q(2), agg(10, 52.0, 10.0));
        assert_eq!(change.status, ChangeStatus::NoClearChange);
        assert!(!change.changed);
        assert!(welch_interval(agg(5, 1e308, 1e308), agg(5, 40.0, 1.0)).is_none());
        let exact = welch_interval(agg(5, 50.0, 0.0), agg(5, 40.0, 0.0)).unwrap();
        assert_eq!(exact, (-10.0, -10.0));
        assert!(welch_interval(agg(1, 50.0, 0.0), agg(5, 40.0, 1.0)).is_none());
    }

    #[test]
    fn one_wave_has_no_trend() {
        assert!(trend(&[wave("2026-Q1", Some(agg(10, 50.0, 10.0)), SAME)]).is_none());
        assert!(trend(&[]).is_none());
    }

    #[test]
    fn three_waves_compare_with_previous_and_first() {
        let waves = [
            wave("2026-Q1", Some(agg(10, 40.0, 10.0)), SAME),
            wave("2026-Q2", None, SAME),
            wave("2026-Q3", Some(agg(10, 60.0, 10.0)), SAME),
        ];
        let t = trend(&waves).unwrap();
        assert_eq!(
            (t.previous_wave.as_str(), t.first_wave.as_str()),
            ("2026-Q2", "2026-Q1")
        );
        assert!(!t.instrument_changed);
        let i = &t.ingredients[0];
        assert_eq!(i.since_previous.status, ChangeStatus::NotShown);
        assert_eq!(i.since_first.from_wave.as_deref(), Some("2026-Q1"));
        assert_eq!(i.since_first.status, ChangeStatus::Up);
        assert_eq!(i.series.len(), 3);
        assert!(i.series[0].joins_next && !i.series[2].joins_next);
        assert_eq!(i.series[1].mean, None);
    }

    #[test]
    fn a_changed_statement_breaks_comparability() {
        let reworded: &[(&str, &str)] = &[("c1", "One."), ("c2", "Two, reworded.")];
        let waves = [
            wave("2026-Q1", Some(agg(10, 40.0, 10.0)), SAME),
            wave("2026-Q2", Some(agg(10, 50.0, 10.0)), SAME),
            wave("2026-Q3", Some(agg(10, 60.0, 10.0)), reworded),
        ];
        let t = trend(&waves).unwrap();
        assert!(t.instrument_changed);
        assert!(
            t.instrument_notes
                .contains(&"In 2026-Q3 statement c2 was reworded.".to_string()),
            "{:?}",
            t.instrument_notes
        );
        let i = &t.ingredients[0];
        assert!(!i.comparable_with_previous);
        assert_eq!(i.comparable_since, "2026-Q3");
        assert_eq!(i.since_previous.status, ChangeStatus::NotComparable);
        assert_eq!(i.since_first.status, ChangeStatus::NotComparable);
        assert!(i.series[0].joins_next && !i.series[1].joins_next);
        // The unchanged statement is still compared; the reworded one is not.
        assert!(i.statements[0].comparable);
        assert_eq!(i.statements[0].difference, Some(10.0));
        assert!(!i.statements[1].comparable);
        assert_eq!(i.statements[1].difference, None);
    }

    #[test]
    fn a_statement_moved_to_another_scale_breaks_comparability() {
        let mut waves = [
            wave("2026-Q1", Some(agg(10, 40.0, 10.0)), SAME),
            wave("2026-Q2", Some(agg(10, 50.0, 10.0)), SAME),
        ];
        // Same id and wording, but now answered 0 to 10.
        waves[1].instrument.ingredients[0].statements[1].scale = Some((0..=10).collect());
        let t = trend(&waves).unwrap();
        assert!(t.instrument_changed);
        assert_eq!(
            t.instrument_notes,
            vec![
                "In 2026-Q2 statement c2 was asked on a different answer scale, so it is not compared with earlier waves.".to_string(),
                "Receptive context has statements on a different answer scale from 2026-Q2, so its score is compared only from 2026-Q2 on.".to_string(),
            ]
        );
        let i = &t.ingredients[0];
        assert!(!i.comparable_with_previous);
        assert_eq!(i.since_previous.status, ChangeStatus::NotComparable);
        assert!(i.statements[0].comparable);
        assert!(!i.statements[1].comparable);
    }

    #[test]
    fn a_new_default_scale_breaks_every_comparison_and_says_so_once() {
        let mut waves = [
            wave("2026-Q1", Some(agg(10, 40.0, 10.0)), SAME),
            wave("2026-Q2", Some(agg(10, 50.0, 10.0)), SAME),
        ];
        waves[1].instrument.scale = (1..=7).collect();
        let t = trend(&waves).unwrap();
        assert_eq!(
            t.instrument_notes,
            vec![
                "In 2026-Q2 the answer scale changed, so no score is compared with earlier waves."
                    .to_string()
            ]
        );
        assert!(!t.ingredients[0].statements[0].comparable);
        assert_eq!(
            t.ingredients[0].since_previous.status,
            ChangeStatus::NotComparable
        );
    }

    #[test]
    fn a_history_written_before_named_scales_still_reads_and_compares() {
        // A statement without `scale` is on the instrument's (default) scale.
        let old = r#"{"id":"c1","text":"One.","reverse":false}"#;
        let s: StatementShape = serde_json::from_str(old).unwrap();
        assert_eq!(s.scale, None);
        let shape = shape(SAME);
        assert_eq!(shape.asked(&s).scale, Some(vec![1, 2, 3, 4, 5]));
        // And a single-scale instrument writes no `scale` on its statements.
        let written = serde_json::to_string(&shape.ingredients[0].statements[0]).unwrap();
        assert!(!written.contains("scale"), "{written}");
    }
}
