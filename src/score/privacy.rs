//! The privacy rule: no group smaller than the threshold is shown, or left
//! derivable from any other figure.
//!
//! For each ingredient, a group with fewer scores than the threshold is hidden.
//! Hidden groups are pooled into one "other groups" cell; when the pool reaches
//! the threshold it is shown and counted in the overall figures, and when it
//! does not, its respondents are left out of that ingredient's overall and
//! statement figures altogether. So the overall always equals the union of the
//! cells shown, and "overall minus the visible groups" reveals nothing hidden.
//! Response counts follow the same rule.

use super::{COMBINED_ID, GroupCell, GroupCount, NOT_GIVEN_ID, Summary};
use crate::instrument::{Instrument, Responses};

/// Respondents' group slots: one per instrument group, then "did not say" when needed.
pub struct GroupIndex {
    /// (id, name, lived experience) per slot.
    pub slots: Vec<(String, String, bool)>,
    /// Slot of each respondent, in response order.
    pub of_respondent: Vec<usize>,
}

impl GroupIndex {
    /// Assigns every respondent to a slot.
    pub fn new(instrument: &Instrument, responses: &Responses) -> GroupIndex {
        let mut slots: Vec<(String, String, bool)> = instrument
            .groups
            .options
            .iter()
            .map(|g| (g.id.clone(), g.name.clone(), g.lived_experience))
            .collect();
        let not_given = slots.len();
        if responses.respondents.iter().any(|r| r.group.is_none()) {
            slots.push((NOT_GIVEN_ID.into(), "Did not say which group".into(), false));
        }
        let of_respondent = responses
            .respondents
            .iter()
            .map(|r| r.group.unwrap_or(not_given))
            .collect();
        GroupIndex {
            slots,
            of_respondent,
        }
    }
}

/// What may be published for one ingredient.
pub struct Publication {
    /// The overall figures over `included`, or `None` when fewer than the threshold.
    pub overall: Option<Summary>,
    /// One cell per group slot, plus a combined cell when hidden groups reach the threshold together.
    pub cells: Vec<GroupCell>,
    /// Respondents whose scores may appear in overall and statement figures.
    pub included: Vec<usize>,
}

/// Applies the rule to one ingredient's scores: `(respondent, score)` pairs.
pub fn publish(
    groups: &GroupIndex,
    scored: &[(usize, f64)],
    min_group_size: usize,
    band: &dyn Fn(f64) -> String,
) -> Publication {
    let mut by_slot: Vec<Vec<(usize, f64)>> = vec![Vec::new(); groups.slots.len()];
    for &(respondent, score) in scored {
        by_slot[groups.of_respondent[respondent]].push((respondent, score));
    }
    let mut cells = Vec::new();
    let mut included = Vec::new();
    let mut hidden = Vec::new();
    for ((id, name, lived), members) in groups.slots.iter().zip(&by_slot) {
        let shown = members.len() >= min_group_size && !members.is_empty();
        let summary = if shown {
            included.extend(members.iter().map(|(r, _)| *r));
            Summary::of(&scores_of(members), band)
        } else {
            hidden.extend_from_slice(members);
            None
        };
        cells.push(GroupCell {
            id: id.clone(),
            name: name.clone(),
            lived_experience: *lived,
            shown,
            summary,
        });
    }
    // A pool of one hidden group would just be that group under another name.
    let hidden_groups = by_slot
        .iter()
        .filter(|m| !m.is_empty() && m.len() < min_group_size)
        .count();
    if hidden_groups >= 2 && hidden.len() >= min_group_size {
        included.extend(hidden.iter().map(|(r, _)| *r));
        cells.push(GroupCell {
            id: COMBINED_ID.into(),
            name: "Other groups (combined)".into(),
            lived_experience: false,
            shown: true,
            summary: Summary::of(&scores_of(&hidden), band),
        });
    }
    included.sort_unstable();
    let overall_scores: Vec<f64> = scored
        .iter()
        .filter(|(r, _)| included.binary_search(r).is_ok())
        .map(|(_, s)| *s)
        .collect();
    let overall = if overall_scores.len() >= min_group_size.max(1) {
        Summary::of(&overall_scores, band)
    } else {
        included.clear();
        None
    };
    Publication {
        overall,
        cells,
        included,
    }
}

fn scores_of(members: &[(usize, f64)]) -> Vec<f64> {
    members.iter().map(|(_, score)| *score).collect()
}

/// Response counts under the same rule.
pub struct Counts {
    /// Respondents counted in shown groups and a shown combined pool.
    pub used: usize,
    /// True when some respondents are left out of every count.
    pub left_out: bool,
    /// One count per slot (and the pool when shown).
    pub groups: Vec<GroupCount>,
    /// Respondents counted in `used`, in response order.
    pub included: Vec<usize>,
}

/// Applies the rule to response counts per group.
pub fn publish_counts(groups: &GroupIndex, min_group_size: usize) -> Counts {
    let mut sizes = vec![0usize; groups.slots.len()];
    for slot in &groups.of_respondent {
        sizes[*slot] += 1;
    }
    let mut used = 0;
    let mut list = Vec::new();
    let mut hidden_total = 0;
    let mut hidden_groups = 0;
    for ((id, name, lived), &size) in groups.slots.iter().zip(&sizes) {
        let shown = size >= min_group_size && size > 0;
        if shown {
            used += size;
        } else if size > 0 {
            hidden_total += size;
            hidden_groups += 1;
        }
        list.push(GroupCount {
            id: id.clone(),
            name: name.clone(),
            lived_experience: *lived,
            shown,
            n: shown.then_some(size),
        });
    }
    let pooled = hidden_groups >= 2 && hidden_total >= min_group_size;
    let included = (0..groups.of_respondent.len())
        .filter(|&r| {
            let size = sizes[groups.of_respondent[r]];
            size >= min_group_size || pooled
        })
        .collect();
    if pooled {
        used += hidden_total;
        list.push(GroupCount {
            id: COMBINED_ID.into(),
            name: "Other groups (combined)".into(),
            lived_experience: false,
            shown: true,
            n: Some(hidden_total),
        });
    }
    Counts {
        used,
        left_out: hidden_total > 0 && !pooled,
        groups: list,
        included,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(sizes: &[usize]) -> GroupIndex {
        GroupIndex {
            slots: (0..sizes.len())
                .map(|i| (format!("g{i}"), format!("Group {i}"), i == 0))
                .collect(),
            of_respondent: sizes
                .iter()
                .enumerate()
                .flat_map(|(slot, &n)| std::iter::repeat_n(slot, n))
                .collect(),
        }
    }

    fn scored(index: &GroupIndex) -> Vec<(usize, f64)> {
        (0..index.of_respondent.len())
            .map(|r| (r, (r * 7 % 100) as f64))
            .collect()
    }

    fn band(_: f64) -> String {
        String::new()
    }

    #[test]
    fn a_lone_small_group_is_left_out_of_the_overall() {
        let groups = index(&[3, 10, 12]);
        let p = publish(&groups, &scored(&groups), 5, &band);
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
        let counts = publish_counts(&groups, 5);
        assert_eq!(counts.used, 22);
        assert_eq!(counts.included, (3..25).collect::<Vec<_>>());
        assert!(counts.left_out);
    }

    #[test]
    fn small_groups_that_reach_the_threshold_together_are_pooled() {
        let groups = index(&[3, 2, 10]);
        let p = publish(&groups, &scored(&groups), 5, &band);
        let pooled = p.cells.iter().find(|c| c.id == COMBINED_ID).unwrap();
        assert_eq!(pooled.summary.as_ref().unwrap().n, 5);
        assert_eq!(p.overall.unwrap().n, 15);
    }

    #[test]
    fn every_size_below_the_threshold_is_hidden() {
        for size in 0..5 {
            let groups = index(&[size, 20]);
            let p = publish(&groups, &scored(&groups), 5, &band);
            assert!(!p.cells[0].shown, "size {size}");
            assert_eq!(p.overall.unwrap().n, 20, "size {size}");
            assert_eq!(publish_counts(&groups, 5).groups[0].n, None);
        }
    }

    #[test]
    fn overall_below_threshold_is_suppressed() {
        let groups = index(&[2, 2]);
        let p = publish(&groups, &scored(&groups), 5, &band);
        assert!(p.overall.is_none());
        assert!(p.included.is_empty());
    }
}
