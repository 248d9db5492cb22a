//! The privacy rule: no group smaller than the threshold is shown, or left
//! derivable from any other figure.
//!
//! For each ingredient, a group with fewer scores than the threshold is hidden.
//! Hidden groups are pooled into one "other groups" cell; when the pool reaches
//! the threshold (and holds at least two groups, or it would just be the hidden
//! group renamed) it is shown and counted in the overall figures, and when it
//! does not, its respondents are left out of that ingredient's overall and
//! statement figures altogether. So the overall always equals the union of the
//! cells shown, and "overall minus the visible groups" reveals nothing hidden.
//! Response counts follow the same rule.
//!
//! A statement's figures count every answer to it, so the rule is applied
//! again per statement ([`statement`]) to the number of people in each group
//! who answered it: a group pooled for its response count may have only one
//! of its members' groups answering a statement, and that statement's pool
//! would then be one hidden group by subtraction.

use super::tally::{Histogram, ScoreKey, merge_histogram};
use super::{COMBINED_ID, GroupCell, GroupCount, NOT_GIVEN_ID, Summary};
use crate::instrument::Instrument;

/// A group slot: one per instrument group, then "did not say".
#[derive(Debug, Clone)]
pub struct Slot {
    /// Group id.
    pub id: String,
    /// Group name.
    pub name: String,
    /// People with lived experience of care.
    pub lived_experience: bool,
}

/// The slots of an instrument: its groups in order, then "did not say".
pub fn slots(instrument: &Instrument) -> Vec<Slot> {
    instrument
        .group_options()
        .iter()
        .map(|g| Slot {
            id: g.id.clone(),
            name: g.name.clone(),
            lived_experience: g.lived_experience,
        })
        .chain(std::iter::once(Slot {
            id: NOT_GIVEN_ID.into(),
            name: "Did not say which group".into(),
            lived_experience: false,
        }))
        .collect()
}

/// Whether a slot is listed at all: only when someone is in it. A group
/// nobody belongs to is not listed anywhere (a "0 people" row says nothing
/// and reads like a hidden small group).
fn listed(respondents: u64) -> bool {
    respondents > 0
}

/// What may be published for one ingredient.
pub struct Publication {
    /// The overall figures over the included slots, or `None` when fewer than the threshold.
    pub overall: Option<Summary>,
    /// One cell per listed slot, plus a combined cell when hidden groups are pooled.
    pub cells: Vec<GroupCell>,
    /// Per slot: shown as a group of its own.
    pub shown: Vec<bool>,
    /// Per slot: counted in the overall (shown, or part of a shown pool).
    pub included: Vec<bool>,
}

/// Applies the rule to one ingredient: `scores[slot]` holds each slot's scores,
/// `respondents[slot]` how many people are in it. Without `by_group` (nobody's
/// group is known) there are no cells, only the overall figures.
pub fn publish(
    slots: &[Slot],
    scores: &[&Histogram],
    respondents: &[u64],
    min_group_size: usize,
    value: &dyn Fn(ScoreKey) -> f64,
    band: &dyn Fn(f64) -> String,
    by_group: bool,
) -> Publication {
    let weighted = |histogram: &Histogram| -> Vec<(f64, u64)> {
        histogram
            .iter()
            .map(|(key, count)| (value(*key), *count))
            .collect()
    };
    let size = |h: &Histogram| h.values().sum::<u64>() as usize;
    let shown: Vec<bool> = scores
        .iter()
        .map(|h| size(h) >= min_group_size.max(1))
        .collect();
    let hidden: Vec<usize> = (0..slots.len())
        .filter(|&s| !shown[s] && size(scores[s]) > 0)
        .collect();
    let hidden_total: usize = hidden.iter().map(|&s| size(scores[s])).sum();
    let pooled = hidden.len() >= 2 && hidden_total >= min_group_size;

    let mut cells = Vec::new();
    for (s, slot) in slots.iter().enumerate() {
        if !by_group || !listed(respondents[s]) {
            continue;
        }
        cells.push(GroupCell {
            id: slot.id.clone(),
            name: slot.name.clone(),
            lived_experience: slot.lived_experience,
            shown: shown[s],
            summary: if shown[s] {
                Summary::of_weighted(&weighted(scores[s]), band)
            } else {
                None
            },
        });
    }
    let mut included = shown.clone();
    if pooled {
        let mut pool = Histogram::new();
        for &s in &hidden {
            merge_histogram(&mut pool, scores[s]);
            included[s] = true;
        }
        cells.push(GroupCell {
            id: COMBINED_ID.into(),
            name: "Other groups (combined)".into(),
            lived_experience: false,
            shown: true,
            summary: Summary::of_weighted(&weighted(&pool), band),
        });
    }
    let mut everyone = Histogram::new();
    for (s, histogram) in scores.iter().enumerate() {
        if included[s] {
            merge_histogram(&mut everyone, histogram);
        }
    }
    let overall = if size(&everyone) >= min_group_size.max(1) {
        Summary::of_weighted(&weighted(&everyone), band)
    } else {
        included.iter_mut().for_each(|i| *i = false);
        None
    };
    Publication {
        overall,
        cells,
        shown,
        included,
    }
}

/// Response counts under the same rule.
pub struct Counts {
    /// Respondents counted in shown groups and a shown combined pool.
    pub used: usize,
    /// True when some respondents are left out of every count.
    pub left_out: bool,
    /// One count per listed slot (and the pool when shown).
    pub groups: Vec<GroupCount>,
    /// Per slot: counted in `used`.
    pub included: Vec<bool>,
    /// Per slot: shown as a group of its own.
    pub shown: Vec<bool>,
}

/// Who counts in one statement's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRule {
    /// Per slot: counted as a group of its own (a side of the co-production gap).
    pub shown: Vec<bool>,
    /// Per slot: counted in the statement's figures (on its own or pooled).
    pub included: Vec<bool>,
}

/// Applies the rule to one statement: `answered[slot]` is how many people of
/// the slot answered it (any answer, "no view" included), and only slots
/// `in_figures` (counted in the response counts) can count. A slot with at
/// least `min_group_size` answers counts on its own; slots with fewer are
/// pooled when two or more together reach it, and are otherwise left out of
/// this statement; when everyone counted is still fewer than the threshold,
/// nobody is.
pub fn statement(answered: &[u64], in_figures: &[bool], min_group_size: usize) -> StatementRule {
    let min = min_group_size.max(1) as u64;
    let sizes: Vec<u64> = answered
        .iter()
        .zip(in_figures)
        .map(|(&n, &counted)| if counted { n } else { 0 })
        .collect();
    let shown: Vec<bool> = sizes.iter().map(|&n| n >= min).collect();
    let hidden: Vec<usize> = (0..sizes.len())
        .filter(|&s| !shown[s] && sizes[s] > 0)
        .collect();
    let pooled = hidden.len() >= 2 && hidden.iter().map(|&s| sizes[s]).sum::<u64>() >= min;
    let mut included = shown.clone();
    if pooled {
        hidden.iter().for_each(|&s| included[s] = true);
    }
    let total: u64 = (0..sizes.len())
        .filter(|&s| included[s])
        .map(|s| sizes[s])
        .sum();
    if total < min {
        included.iter_mut().for_each(|i| *i = false);
    }
    let shown = shown.iter().zip(&included).map(|(s, i)| *s && *i).collect();
    StatementRule { shown, included }
}

/// Applies the rule to response counts per slot.
pub fn publish_counts(slots: &[Slot], respondents: &[u64], min_group_size: usize) -> Counts {
    let shown: Vec<bool> = respondents
        .iter()
        .map(|&n| n as usize >= min_group_size.max(1))
        .collect();
    let hidden: Vec<usize> = (0..slots.len())
        .filter(|&s| !shown[s] && respondents[s] > 0)
        .collect();
    let hidden_total: u64 = hidden.iter().map(|&s| respondents[s]).sum();
    let pooled = hidden.len() >= 2 && hidden_total as usize >= min_group_size;
    let mut groups = Vec::new();
    for (s, slot) in slots.iter().enumerate() {
        if listed(respondents[s]) {
            groups.push(GroupCount {
                id: slot.id.clone(),
                name: slot.name.clone(),
                lived_experience: slot.lived_experience,
                shown: shown[s],
                n: shown[s].then_some(respondents[s] as usize),
            });
        }
    }
    if pooled {
        groups.push(GroupCount {
            id: COMBINED_ID.into(),
            name: "Other groups (combined)".into(),
            lived_experience: false,
            shown: true,
            n: Some(hidden_total as usize),
        });
    }
    let included: Vec<bool> = (0..slots.len())
        .map(|s| shown[s] || (pooled && respondents[s] > 0))
        .collect();
    let used = (0..slots.len())
        .filter(|&s| included[s])
        .map(|s| respondents[s] as usize)
        .sum();
    Counts {
        used,
        left_out: hidden_total > 0 && !pooled,
        groups,
        included,
        shown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three groups and "did not say"; `sizes` people in each, every one scoring `score`.
    fn fixture(sizes: &[usize]) -> (Vec<Slot>, Vec<Histogram>, Vec<u64>) {
        let slots: Vec<Slot> = (0..sizes.len())
            .map(|i| Slot {
                id: format!("g{i}"),
                name: format!("Group {i}"),
                lived_experience: i == 0,
            })
            .collect();
        let histograms = sizes
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let mut h = Histogram::new();
                if n > 0 {
                    h.insert(
                        ScoreKey {
                            sum: i as i64,
                            count: 1,
                        },
                        n as u64,
                    );
                }
                h
            })
            .collect();
        (slots, histograms, sizes.iter().map(|&n| n as u64).collect())
    }

    fn run(sizes: &[usize]) -> Publication {
        let (slots, histograms, respondents) = fixture(sizes);
        let refs: Vec<&Histogram> = histograms.iter().collect();
        publish(
            &slots,
            &refs,
            &respondents,
            5,
            &|k| k.value(4),
            &|_| String::new(),
            true,
        )
    }

    #[test]
    fn a_lone_small_group_is_left_out_of_the_overall() {
        let p = run(&[3, 10, 12]);
        assert!(!p.cells[0].shown && p.cells[0].summary.is_none());
        let overall = p.overall.unwrap();
        let visible: usize = p
            .cells
            .iter()
            .filter_map(|c| c.summary.as_ref())
            .map(|s| s.n)
            .sum();
        assert_eq!(
            overall.n, visible,
            "overall must equal the union of shown cells"
        );
        assert_eq!(overall.n, 22);
        let (slots, _, respondents) = fixture(&[3, 10, 12]);
        let counts = publish_counts(&slots, &respondents, 5);
        assert_eq!(counts.used, 22);
        assert!(counts.left_out);
        assert_eq!(counts.included, vec![false, true, true]);
    }

    #[test]
    fn small_groups_that_reach_the_threshold_together_are_pooled() {
        let p = run(&[3, 2, 10]);
        let pooled = p.cells.iter().find(|c| c.id == COMBINED_ID).unwrap();
        assert_eq!(pooled.summary.as_ref().unwrap().n, 5);
        assert_eq!(p.overall.unwrap().n, 15);
    }

    #[test]
    fn every_size_below_the_threshold_is_hidden() {
        for size in 1..5 {
            let p = run(&[size, 20]);
            assert!(!p.cells[0].shown, "size {size}");
            assert_eq!(p.overall.unwrap().n, 20, "size {size}");
            let (slots, _, respondents) = fixture(&[size, 20]);
            assert_eq!(publish_counts(&slots, &respondents, 5).groups[0].n, None);
        }
    }

    #[test]
    fn a_group_nobody_is_in_is_not_listed() {
        let p = run(&[0, 20]);
        assert_eq!(p.cells.len(), 1);
        assert_eq!(p.cells[0].id, "g1");
        let (slots, _, respondents) = fixture(&[0, 20]);
        let counts = publish_counts(&slots, &respondents, 5);
        let ids: Vec<&str> = counts.groups.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["g1"]);
        assert!(!counts.left_out);
    }

    #[test]
    fn a_statement_pool_of_one_group_is_left_out() {
        // Commissioners (3) and "did not say" (2) are pooled for the response
        // counts; only the commissioners answered this statement.
        let everyone = [true; 4];
        let rule = statement(&[6, 6, 3, 0], &everyone, 5);
        assert_eq!(rule.included, vec![true, true, false, false]);
        assert_eq!(rule.shown, vec![true, true, false, false]);
        // Both answered: the pool of five counts, but neither group on its own.
        let rule = statement(&[6, 6, 3, 2], &everyone, 5);
        assert_eq!(rule.included, vec![true, true, true, true]);
        assert_eq!(rule.shown, vec![true, true, false, false]);
        // A shown group with few answers to this statement joins the pool.
        let rule = statement(&[6, 2, 3, 0], &everyone, 5);
        assert_eq!(rule.included, vec![true, true, true, false]);
        // Slots left out of the response counts never count.
        let rule = statement(&[6, 6, 3, 2], &[true, true, true, false], 5);
        assert_eq!(rule.included, vec![true, true, false, false]);
        // Everyone together below the threshold: nobody.
        let rule = statement(&[4, 0, 0, 0], &everyone, 5);
        assert_eq!(rule.included, vec![false; 4]);
    }

    #[test]
    fn overall_below_threshold_is_suppressed() {
        let p = run(&[2, 2]);
        assert!(p.overall.is_none());
        assert!(p.included.iter().all(|i| !i));
    }
}
