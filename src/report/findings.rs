//! `findings` in `data.json`: what the summary, the profile, the heat table,
//! the correlations, the plan, the method and the appendix single out, worked
//! out from the figures by [`super::decisions`]. To keep each figure in one
//! place, figures are referred to by their positions in `scores`' lists,
//! never copied, so the template reads them without searching.

use serde::Serialize;

use crate::score::{IngredientScores, Scores, Summary};

use super::decisions::{self, BandGroup, Scored};

/// What the template would otherwise work out from the figures.
#[derive(Debug, Clone, Serialize)]
pub struct Findings {
    /// Positions in `scores.ingredients` of the scored ingredients, from the
    /// weakest overall score to the strongest.
    pub ranking: Vec<usize>,
    /// Positions of the ingredients with the highest score as printed (more
    /// than one when they tie); empty with no score.
    pub strongest: Vec<usize>,
    /// Positions of the ingredients with the lowest score as printed; equal
    /// to `strongest` when every scored ingredient prints the same score.
    pub weakest: Vec<usize>,
    /// Whether the 95% ranges of the weakest and the strongest scores
    /// overlap (so the gap between them may be chance); `null` without both ranges.
    pub ranges_overlap: Option<bool>,
    /// Whether the weakest ingredient is in the lowest band; `null` with
    /// fewer than two bands or no score.
    pub weakest_in_lowest_band: Option<bool>,
    /// The bands that hold a scored ingredient, the highest band first, with
    /// their ingredients' names and printed scores: the profile's list and
    /// the summary's count per band.
    pub bands: Vec<BandGroup>,
    /// Points between the strongest and the weakest printed score; `null`
    /// with fewer than two scores.
    pub spread: Option<i64>,
    /// The correlations, the closest pair first (by r), with their ingredients.
    pub correlations: Vec<PairAt>,
    /// The heat table's rows: each group any ingredient lists, in the order
    /// they first appear, with its cell in every ingredient.
    pub heat_rows: Vec<HeatRow>,
    /// Positions in `scores.ingredients` of the ingredients on which people
    /// with lived experience and professionals differ by more than chance,
    /// in instrument order.
    pub differing_ingredients: Vec<usize>,
    /// Overall scores that rounding lifts onto the start of a higher band
    /// (each ingredient's own are in `ingredients`).
    pub rounding: Rounding,
    /// Positions in `scores.responses.groups` of the groups of people with
    /// lived experience of care.
    pub lived_groups: Vec<usize>,
    /// Positions in the weakest ingredient's `groups` of its shown
    /// lived-experience cells with a score (the easy-read summary quotes them).
    pub weakest_lived_cells: Vec<usize>,
    /// Positions in `scores.ingredients` of the ingredients the improvement
    /// plan covers, weakest first (the same as `plan`'s ids).
    pub plan: Vec<usize>,
    /// The "no view" answers of every scale, each once.
    pub no_view_answers: Vec<String>,
    /// The first reverse-worded statement, the method's example; `null` when none is.
    pub reverse_example: Option<StatementAt>,
    /// For each entry of `scores.data_quality.incomplete`: the position of its ingredient.
    pub incomplete: Vec<Option<usize>>,
    /// For each entry of `scores.data_quality.many_dont_know`: where its statement is.
    pub many_dont_know: Vec<Option<StatementAt>>,
    /// Which notes the consistency table needs.
    pub consistency_notes: ConsistencyNotes,
}

/// Scores whose rounded value reaches the start of a band above theirs, so the
/// report says they are just under it.
#[derive(Debug, Clone, Serialize)]
pub struct Rounding {
    /// The overall scores that cross, as printed with their bands, each once.
    pub overall_note: Vec<Crossing>,
    /// Whether any overall or shown group score crosses.
    pub any: bool,
}

/// A printed score and the band it is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Crossing {
    /// The score rounded to a whole number.
    pub score: i64,
    /// The band of the score as printed (see `score::stats::printed`).
    pub band: String,
}

impl Crossing {
    /// The crossing of a score, when rounding lifts it onto the start of a
    /// band above its own (`starts`: every band's lowest score).
    pub(crate) fn of(summary: &Summary, starts: &[f64]) -> Option<Crossing> {
        decisions::crosses_band(summary.mean, starts).then(|| Crossing {
            score: summary.mean.round() as i64,
            band: summary.band.clone(),
        })
    }

    /// The crossings of an ingredient's shown groups' scores, each once.
    pub(crate) fn of_groups(ingredient: &IngredientScores, starts: &[f64]) -> Vec<Crossing> {
        decisions::first_appearance(
            ingredient
                .groups
                .iter()
                .filter(|g| g.shown)
                .filter_map(|g| g.summary.as_ref().and_then(|s| Crossing::of(s, starts))),
        )
    }
}

/// A correlation and its two ingredients, by positions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairAt {
    /// Position in `scores.correlations`.
    pub correlation: usize,
    /// Position in `scores.ingredients` of its first ingredient (`a`).
    pub a: usize,
    /// Position of its second ingredient (`b`).
    pub b: usize,
}

/// One row of the heat table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeatRow {
    /// Group id.
    pub id: String,
    /// Group name.
    pub name: String,
    /// For each ingredient (as `scores.ingredients`): the position of the
    /// group's cell in its `groups`; `null` when it has none.
    pub cells: Vec<Option<usize>>,
}

/// A statement, by positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StatementAt {
    /// Position of its ingredient in `scores.ingredients`.
    pub ingredient: usize,
    /// Position among the ingredient's `statements`.
    pub statement: usize,
    /// Position of its answer scale in `scores.rules.scales`.
    pub scale: usize,
}

/// The notes under the consistency table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ConsistencyNotes {
    /// Some ingredient's verdict is "too few to say".
    pub too_few_to_say: bool,
    /// Some ingredient has no alpha (printed as a dash).
    pub no_alpha: bool,
}

/// The position of a statement's answer scale in `scores.rules.scales`; the
/// first (default) scale when it names none there.
pub(crate) fn scale_position(scores: &Scores, scale: &str) -> usize {
    scores
        .rules
        .scales
        .iter()
        .position(|s| s.id == scale)
        .unwrap_or(0)
}

/// The position in `scores.ingredients` of the ingredient with id `id`.
fn ingredient_position(scores: &Scores, id: &str) -> Option<usize> {
    scores.ingredients.iter().position(|i| i.id == id)
}

/// Where the statement with id `id` is.
fn statement_at(scores: &Scores, id: &str) -> Option<StatementAt> {
    scores
        .ingredients
        .iter()
        .enumerate()
        .find_map(|(ingredient, i)| {
            let statement = i.statements.iter().position(|s| s.id == id)?;
            Some(StatementAt {
                ingredient,
                statement,
                scale: scale_position(scores, &i.statements[statement].scale),
            })
        })
}

impl Findings {
    /// The findings of `scores`; `ranking` holds the scored ingredients'
    /// positions from the weakest, `printed` their scores as printed, and
    /// `plan` the plan's ingredients.
    pub(crate) fn of(
        scores: &Scores,
        ranking: Vec<usize>,
        printed: &[i64],
        plan: Vec<usize>,
    ) -> Findings {
        let band_names: Vec<&str> = scores.rules.bands.iter().map(|b| b.name.as_str()).collect();
        let starts: Vec<f64> = scores.rules.bands.iter().map(|b| b.from).collect();
        let ingredients = &scores.ingredients;
        let scored: Vec<(&str, Scored)> = ingredients
            .iter()
            .filter_map(|i| {
                let o = i.overall.as_ref()?;
                let score = o.mean.round() as i64;
                let name = i.name.clone();
                Some((o.band.as_str(), Scored { name, score }))
            })
            .collect();
        let positions = |ids: &[String]| -> Vec<usize> {
            ids.iter()
                .filter_map(|id| ingredient_position(scores, id))
                .collect()
        };
        let overall =
            |position: Option<&usize>| position.and_then(|&p| ingredients[p].overall.as_ref());
        let (weakest, strongest) = (overall(ranking.first()), overall(ranking.last()));
        let rs: Vec<f64> = scores.correlations.iter().map(|c| c.r).collect();
        let overall_crossings: Vec<Crossing> = ingredients
            .iter()
            .filter_map(|i| i.overall.as_ref().and_then(|o| Crossing::of(o, &starts)))
            .collect();
        let any_group_crosses = ingredients
            .iter()
            .any(|i| !Crossing::of_groups(i, &starts).is_empty());
        let mut statements = ingredients.iter().enumerate().flat_map(|(i, ingredient)| {
            ingredient
                .statements
                .iter()
                .enumerate()
                .map(move |(s, st)| (i, s, st))
        });
        let quality = &scores.data_quality;
        Findings {
            strongest: positions(&scores.strongest),
            weakest: positions(&scores.weakest),
            ranges_overlap: decisions::ranges_overlap(
                weakest.and_then(|o| o.ci_high),
                strongest.and_then(|o| o.ci_low),
            ),
            weakest_in_lowest_band: decisions::weakest_in_lowest_band(
                &band_names,
                weakest.map(|o| o.band.as_str()),
            ),
            bands: decisions::band_groups(&band_names, &scored),
            spread: decisions::spread(printed),
            correlations: decisions::highest_first(&rs)
                .into_iter()
                .filter_map(|correlation| {
                    let c = &scores.correlations[correlation];
                    Some(PairAt {
                        correlation,
                        a: ingredient_position(scores, &c.a)?,
                        b: ingredient_position(scores, &c.b)?,
                    })
                })
                .collect(),
            heat_rows: heat_rows(ingredients),
            differing_ingredients: decisions::positions_of(ingredients, |i| {
                i.gap.as_ref().is_some_and(|g| g.differs)
            }),
            rounding: Rounding {
                any: !overall_crossings.is_empty() || any_group_crosses,
                overall_note: decisions::first_appearance(overall_crossings),
            },
            lived_groups: decisions::positions_of(&scores.responses.groups, |g| g.lived_experience),
            weakest_lived_cells: ranking.first().map_or_else(Vec::new, |&weakest| {
                decisions::positions_of(&ingredients[weakest].groups, |g| {
                    g.lived_experience && g.shown && g.summary.is_some()
                })
            }),
            ranking,
            plan,
            no_view_answers: decisions::first_appearance(
                scores
                    .rules
                    .scales
                    .iter()
                    .flat_map(|s| s.missing_answers.iter().cloned()),
            ),
            reverse_example: statements.find(|(_, _, st)| st.reverse).map(
                |(ingredient, statement, st)| StatementAt {
                    ingredient,
                    statement,
                    scale: scale_position(scores, &st.scale),
                },
            ),
            incomplete: quality
                .incomplete
                .iter()
                .map(|c| ingredient_position(scores, &c.ingredient))
                .collect(),
            many_dont_know: quality
                .many_dont_know
                .iter()
                .map(|m| statement_at(scores, &m.statement))
                .collect(),
            consistency_notes: ConsistencyNotes {
                too_few_to_say: ingredients
                    .iter()
                    .any(|i| i.consistency.verdict == "too few to say"),
                no_alpha: ingredients.iter().any(|i| i.consistency.alpha.is_none()),
            },
        }
    }
}

/// The heat table's rows: each group any ingredient lists, in the order they
/// first appear, with the position of its cell in each ingredient's groups.
fn heat_rows(ingredients: &[IngredientScores]) -> Vec<HeatRow> {
    let groups = decisions::first_appearance(
        ingredients
            .iter()
            .flat_map(|i| i.groups.iter().map(|g| (g.id.as_str(), g.name.as_str()))),
    );
    groups
        .into_iter()
        .map(|(id, name)| HeatRow {
            id: id.to_string(),
            name: name.to_string(),
            cells: ingredients
                .iter()
                .map(|i| i.groups.iter().position(|g| g.id == id))
                .collect(),
        })
        .collect()
}
