//! Earlier waves' figures under the current privacy threshold.
//!
//! The history keeps each wave's figures as its own report published them,
//! under the threshold in force then. A later report may use a higher one:
//! printed as they are, the old figures would let a group that is now hidden
//! be worked out (Q2 at threshold 2 showed 146 people overall and 143 in the
//! groups still shown at 5, so three commissioners' n and mean follow).
//!
//! So before a trend prints an earlier wave, the wave goes through the rule
//! the current wave's figures went through ([`super::privacy`]): a group below
//! the current threshold is hidden; hidden cells are pooled into "Other groups
//! (combined)" when together they reach the threshold, and otherwise left out;
//! and the whole-wave figures (overall n, mean and sd, statement figures,
//! response count) are exactly the cells that remain shown:
//!
//! - when nobody is left out (nothing hidden, or everything hidden pooled) the
//!   stored whole-wave figures already are those cells and are kept;
//! - otherwise the overall is re-derived from the shown cells' published n,
//!   mean and sd (pooled mean `Σ nᵢmᵢ / N`, pooled sd from
//!   `Σ (nᵢ - 1)sᵢ² + Σ nᵢ(mᵢ - m)²` over `N - 1`), so it can differ by a
//!   hundredth from a recomputation from the answers, since the stored
//!   figures are rounded; statement figures, which cannot be split by group,
//!   are not printed for that wave; the response count is the sum of the
//!   shown groups' counts, and is not printed for a wave from a history too
//!   old to hold them.
//!
//! A wave recorded under a threshold at least as high as the current one is
//! printed as stored: nothing it shows is below the current threshold.

use super::COMBINED_ID;
use super::stats::round;
use super::trend::{Aggregate, GroupFigures, GroupResponses, IngredientFigures, WaveFigures};

/// An earlier wave's figures as they may be printed now.
#[derive(Debug, Clone, PartialEq)]
pub struct Reshown {
    /// The figures under the current threshold (`min_group_size` is the current one).
    pub figures: WaveFigures,
    /// Responses in the figures; `None` when they cannot be re-derived (a
    /// history written before group counts were kept, and a lower threshold then).
    pub responses: Option<usize>,
}

/// `wave`'s figures under the threshold `min_group_size`.
pub fn under_threshold(wave: &WaveFigures, min_group_size: usize) -> Reshown {
    if wave.min_group_size >= min_group_size {
        return Reshown {
            figures: wave.clone(),
            responses: Some(wave.responses),
        };
    }
    let (response_groups, responses) = match &wave.response_groups {
        Some(groups) => {
            let (groups, _) = apply_rule(
                groups,
                min_group_size,
                |g| g.n,
                |hidden| GroupResponses {
                    id: COMBINED_ID.into(),
                    n: hidden.iter().map(|g| g.n).sum(),
                },
            );
            let total = groups.iter().map(|g| g.n).sum();
            (Some(groups), Some(total))
        }
        None => (None, None),
    };
    Reshown {
        figures: WaveFigures {
            min_group_size,
            responses: responses.unwrap_or(0),
            response_groups,
            ingredients: wave
                .ingredients
                .iter()
                .map(|i| ingredient(i, min_group_size))
                .collect(),
            ..wave.clone()
        },
        responses,
    }
}

/// One ingredient's figures under the threshold.
fn ingredient(figures: &IngredientFigures, min_group_size: usize) -> IngredientFigures {
    let (groups, everyone_kept) = apply_rule(
        &figures.groups,
        min_group_size,
        |g| g.n,
        |hidden| {
            let pooled = pool(hidden.iter().map(|g| g.figures()));
            GroupFigures {
                id: COMBINED_ID.into(),
                name: "Other groups (combined)".into(),
                lived_experience: false,
                n: pooled.map_or(0, |p| p.n),
                mean: pooled.map_or(0.0, |p| p.mean),
                sd: pooled.and_then(|p| p.sd),
            }
        },
    );
    let total: usize = groups.iter().map(|g| g.n).sum();
    let stored_is_the_cells = everyone_kept && figures.overall.is_some_and(|o| o.n == total);
    let overall = if stored_is_the_cells {
        figures.overall
    } else {
        pool(groups.iter().map(GroupFigures::figures))
    }
    .filter(|o| o.n >= min_group_size);
    IngredientFigures {
        id: figures.id.clone(),
        overall,
        statements: if stored_is_the_cells {
            figures.statements.clone()
        } else {
            Vec::new()
        },
        groups,
    }
}

/// Applies the privacy rule to stored cells: those under `min_group_size`,
/// and an earlier combined cell (its groups were hidden then, so are now),
/// are pooled when together they reach the threshold, and left out
/// otherwise. Returns the cells to show, and whether everyone is still in them.
fn apply_rule<T: Clone + HasId>(
    cells: &[T],
    min_group_size: usize,
    n: impl Fn(&T) -> usize,
    combine: impl Fn(&[T]) -> T,
) -> (Vec<T>, bool) {
    let hidden: Vec<T> = cells
        .iter()
        .filter(|c| n(c) < min_group_size || c.id() == COMBINED_ID)
        .cloned()
        .collect();
    let mut shown: Vec<T> = cells
        .iter()
        .filter(|c| n(c) >= min_group_size && c.id() != COMBINED_ID)
        .cloned()
        .collect();
    if hidden.is_empty() {
        return (shown, true);
    }
    let total: usize = hidden.iter().map(&n).sum();
    // One group alone is never "combined": it would be the hidden group renamed.
    let groups_in_pool = hidden.len() >= 2 || hidden.iter().any(|c| c.id() == COMBINED_ID);
    let pooled = groups_in_pool && total >= min_group_size;
    if pooled {
        shown.push(if hidden.len() == 1 {
            hidden[0].clone()
        } else {
            combine(&hidden)
        });
    }
    (shown, pooled)
}

/// Cells with an id, so the earlier combined cell can be told apart.
trait HasId {
    fn id(&self) -> &str;
}

impl HasId for GroupFigures {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for GroupResponses {
    fn id(&self) -> &str {
        &self.id
    }
}

/// n, mean and sd of the union of `cells`, from their n, mean and sd; `None` when empty.
/// The sd is absent when any cell of two or more lacks one.
pub fn pool(cells: impl Iterator<Item = Aggregate> + Clone) -> Option<Aggregate> {
    let n: usize = cells.clone().map(|c| c.n).sum();
    if n == 0 {
        return None;
    }
    let mean = cells.clone().map(|c| c.n as f64 * c.mean).sum::<f64>() / n as f64;
    let sd = if n >= 2 {
        cells
            .map(|c| {
                let within = match (c.n, c.sd) {
                    (1, _) => Some(0.0),
                    (_, Some(sd)) => Some((c.n - 1) as f64 * sd * sd),
                    (_, None) => None,
                };
                within.map(|w| w + c.n as f64 * (c.mean - mean).powi(2))
            })
            .sum::<Option<f64>>()
            .map(|squares| round((squares / (n - 1) as f64).sqrt()))
    } else {
        None
    };
    Some(Aggregate {
        n,
        mean: round(mean),
        sd,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::trend::{InstrumentShape, StatementFigures};

    fn group(id: &str, n: usize, mean: f64, sd: f64) -> GroupFigures {
        GroupFigures {
            id: id.into(),
            name: id.into(),
            lived_experience: false,
            n,
            mean,
            sd: Some(sd),
        }
    }

    /// A wave recorded at threshold 2: the overall is the union of its groups.
    fn wave(groups: Vec<GroupFigures>, responses: Option<Vec<(&str, usize)>>) -> WaveFigures {
        let overall = pool(groups.iter().map(GroupFigures::figures));
        WaveFigures {
            wave: "2026-Q2".parse().unwrap(),
            source: None,
            instrument: InstrumentShape {
                name: "t".into(),
                version: "1".into(),
                scale: vec![1, 2, 3, 4, 5],
                min_share_answered: 0.5,
                ingredients: Vec::new(),
            },
            min_group_size: 2,
            responses: responses
                .as_ref()
                .map_or(99, |r| r.iter().map(|(_, n)| n).sum()),
            response_groups: responses.map(|r| {
                r.into_iter()
                    .map(|(id, n)| GroupResponses { id: id.into(), n })
                    .collect()
            }),
            ingredients: vec![IngredientFigures {
                id: "context".into(),
                overall,
                groups,
                statements: vec![StatementFigures {
                    id: "context-1".into(),
                    n: overall.map_or(0, |o| o.n),
                    mean: Some(60.0),
                }],
            }],
        }
    }

    #[test]
    fn pooling_by_hand() {
        // 2 scores of mean 40 sd 10, 3 of mean 60 sd 20: mean (80 + 180) / 5 = 52;
        // squares 1*100 + 2*400 + 2*144 + 3*64 = 1380; sd sqrt(1380 / 4) = 18.57.
        let pooled = pool(
            [
                group("a", 2, 40.0, 10.0).figures(),
                group("b", 3, 60.0, 20.0).figures(),
            ]
            .into_iter(),
        )
        .unwrap();
        assert_eq!(pooled.n, 5);
        assert_eq!(pooled.mean, 52.0);
        assert_eq!(pooled.sd, Some(18.57));
        assert!(pool(std::iter::empty()).is_none());
    }

    #[test]
    fn a_group_now_too_small_is_left_out_of_every_figure() {
        let stored = wave(
            vec![
                group("managers", 35, 74.36, 12.0),
                group("frontline", 49, 63.89, 14.0),
                group("commissioners", 3, 72.62, 5.0),
            ],
            Some(vec![
                ("managers", 35),
                ("frontline", 50),
                ("commissioners", 3),
            ]),
        );
        assert_eq!(stored.ingredients[0].overall.unwrap().n, 87);
        let now = under_threshold(&stored, 5);
        let i = &now.figures.ingredients[0];
        let ids: Vec<&str> = i.groups.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["managers", "frontline"]);
        let overall = i.overall.unwrap();
        assert_eq!(overall.n, 84, "exactly the groups shown");
        // (35 * 74.36 + 49 * 63.89) / 84 = 68.25
        assert_eq!(overall.mean, 68.25);
        assert!(
            i.statements.is_empty(),
            "statement figures counted the commissioners"
        );
        assert_eq!(now.responses, Some(85));
        assert_eq!(now.figures.min_group_size, 5);
    }

    #[test]
    fn hidden_groups_that_reach_the_threshold_together_are_pooled() {
        let stored = wave(
            vec![
                group("managers", 35, 74.36, 12.0),
                group("commissioners", 3, 72.62, 5.0),
                group("partners", 4, 50.0, 10.0),
            ],
            Some(vec![
                ("managers", 35),
                ("commissioners", 3),
                ("partners", 4),
            ]),
        );
        let now = under_threshold(&stored, 5);
        let i = &now.figures.ingredients[0];
        let ids: Vec<&str> = i.groups.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["managers", COMBINED_ID]);
        assert_eq!(i.groups[1].n, 7);
        // Nobody is left out, so the stored overall and statements stand.
        assert_eq!(i.overall, stored.ingredients[0].overall);
        assert_eq!(i.statements, stored.ingredients[0].statements);
        assert_eq!(now.responses, Some(42));
    }

    #[test]
    fn an_earlier_pool_joins_the_new_one_or_goes() {
        let stored = wave(
            vec![
                group("managers", 35, 74.36, 12.0),
                group(COMBINED_ID, 2, 50.0, 0.0),
                group("commissioners", 3, 72.62, 5.0),
            ],
            None,
        );
        let now = under_threshold(&stored, 5);
        let i = &now.figures.ingredients[0];
        assert_eq!(i.groups.iter().filter(|g| g.id == COMBINED_ID).count(), 1);
        assert_eq!(i.groups.last().unwrap().n, 5);
        // At 6 the pool of 5 is left out, and the overall is the managers alone.
        let now = under_threshold(&stored, 6);
        let i = &now.figures.ingredients[0];
        assert_eq!(i.groups.len(), 1);
        assert_eq!(i.overall.unwrap().n, 35);
        assert_eq!(i.overall.unwrap().mean, 74.36);
        // No group counts in the history: the response count cannot be re-derived.
        assert_eq!(now.responses, None);
    }

    #[test]
    fn a_wave_under_a_higher_threshold_is_kept_as_stored() {
        let mut stored = wave(vec![group("managers", 3, 70.0, 1.0)], None);
        stored.min_group_size = 10;
        let now = under_threshold(&stored, 5);
        assert_eq!(now.figures, stored);
        assert_eq!(now.responses, Some(99));
    }

    #[test]
    fn everything_hidden_leaves_nothing() {
        let stored = wave(
            vec![group("managers", 3, 70.0, 1.0)],
            Some(vec![("managers", 3)]),
        );
        let now = under_threshold(&stored, 5);
        let i = &now.figures.ingredients[0];
        assert!(i.groups.is_empty() && i.overall.is_none() && i.statements.is_empty());
        assert_eq!(now.responses, Some(0));
    }
}
