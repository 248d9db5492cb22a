//! How ingredient profiles cluster across sites: which combinations of strong
//! and weak ingredients occur together.
//!
//! The research behind the five ingredients says they interact (a strong
//! context can carry weaker leadership); this counts, without any model,
//! which profiles the programme's sites actually have.

use serde::Serialize;

use super::pool;
use super::site::SiteFigures;
use crate::instrument::Instrument;
use crate::score::stats::printed;

/// How many sites share one profile of strong and weak ingredients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Combination {
    /// Ingredient ids where these sites are strong.
    pub strong: Vec<String>,
    /// Ingredient ids where they are weak.
    pub weak: Vec<String>,
    /// How many sites.
    pub sites: usize,
}

/// For two ingredients, how many sites are strong or weak on each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairCount {
    /// The first ingredient's id.
    pub a: String,
    /// The second ingredient's id.
    pub b: String,
    /// Strong on both.
    pub both_strong: usize,
    /// Strong on `a` only.
    pub a_only: usize,
    /// Strong on `b` only.
    pub b_only: usize,
    /// Weak on both.
    pub both_weak: usize,
}

/// How ingredient profiles cluster across sites.
///
/// In plain words: for each ingredient, a site is **strong** when its score
/// as printed (a whole number) is at or above the middle site's printed score
/// (the median of the sites' printed scores for that ingredient) and **weak**
/// when it is below, so two sites that show the same score are always on the
/// same side, and roughly half the
/// sites are strong on each ingredient. Strong and weak say where a site sits
/// among the others, not whether its score is good. A site's profile is
/// which ingredients it is strong and weak on; `combinations` counts how many
/// sites share each profile, the most common first. `pairs` says, for every
/// two ingredients, how many sites are strong on both, on one only, or weak
/// on both: many "both" sites mean the two go together across the programme,
/// many "one only" sites mean one is often strong without the other (as a
/// strong context can carry weaker leadership). Only sites with a score for
/// every ingredient have a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profiles {
    /// Sites with a profile.
    pub sites: usize,
    /// Profiles and how many sites share each: most sites first, then by the
    /// strong ingredients in instrument order.
    pub combinations: Vec<Combination>,
    /// Every pair of ingredients, in instrument order.
    pub pairs: Vec<PairCount>,
}

/// Strong and weak profiles by the rule in [`Profiles`], on printed scores
/// ([`printed`]); sites below the site threshold have none.
pub fn cluster(sites: &[SiteFigures], instrument: &Instrument, site_threshold: u64) -> Profiles {
    let count = instrument.ingredients.len();
    let medians: Vec<Option<f64>> = (0..count)
        .map(|i| {
            let means: Vec<f64> = pool::site_moments(sites, i, site_threshold)
                .iter()
                .map(|(_, m)| printed(m.mean) as f64)
                .collect();
            super::summary::quartiles(&means).map(|q| q.median)
        })
        .collect();
    let strong: Vec<Vec<bool>> = sites
        .iter()
        .filter(|s| pool::counts_in_programme(s, site_threshold))
        .filter_map(|site| {
            (0..count)
                .map(|i| Some(printed(site.ingredients[i].overall()?.mean) as f64 >= medians[i]?))
                .collect()
        })
        .collect();
    let mut tallied: std::collections::BTreeMap<Vec<bool>, usize> = Default::default();
    for profile in &strong {
        *tallied.entry(profile.clone()).or_default() += 1;
    }
    let ids = |profile: &[bool], want: bool| -> Vec<String> {
        instrument
            .ingredients
            .iter()
            .zip(profile)
            .filter(|(_, s)| **s == want)
            .map(|(ingredient, _)| ingredient.id.clone())
            .collect()
    };
    let mut combinations: Vec<(Vec<bool>, usize)> = tallied.into_iter().collect();
    // Most sites first; then strong on earlier ingredients first (true before false).
    combinations.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
    let mut pairs = Vec::new();
    for a in 0..count {
        for b in a + 1..count {
            let with = |x: bool, y: bool| strong.iter().filter(|p| p[a] == x && p[b] == y).count();
            pairs.push(PairCount {
                a: instrument.ingredients[a].id.clone(),
                b: instrument.ingredients[b].id.clone(),
                both_strong: with(true, true),
                a_only: with(true, false),
                b_only: with(false, true),
                both_weak: with(false, false),
            });
        }
    }
    Profiles {
        sites: strong.len(),
        combinations: combinations
            .into_iter()
            .map(|(profile, n)| Combination {
                strong: ids(&profile, true),
                weak: ids(&profile, false),
                sites: n,
            })
            .collect(),
        pairs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programme::site::fixture::programme;

    fn instrument() -> Instrument {
        Instrument::load(None).unwrap()
    }

    #[test]
    fn profiles_count_strong_and_weak_against_the_median() {
        let profiles = &cluster(&programme(), &instrument(), 10);
        let ids: Vec<String> = instrument()
            .ingredients
            .iter()
            .map(|i| i.id.clone())
            .collect();
        assert_eq!(profiles.sites, 4);
        // Medians (before the shift): 65, 55, 63, 55, 52.5.
        // zeta  80 40 60 70 50 -> S W W S W
        // alpha 60 50 62 40 55 -> W W W W S
        // mid   70 60 64 50 45 -> S S S W W
        // beta  50 70 66 60 60 -> W S S S S
        assert_eq!(profiles.combinations.len(), 4);
        assert!(profiles.combinations.iter().all(|c| c.sites == 1));
        let first = &profiles.combinations[0];
        assert_eq!(first.strong.len() + first.weak.len(), 5);
        // Ordered strong-first on earlier ingredients: mid (S S S W W) before zeta (S W W S W).
        assert_eq!(first.strong, ids[..3].to_vec());
        let pair = &profiles.pairs[0];
        assert_eq!(
            (pair.both_strong, pair.a_only, pair.b_only, pair.both_weak),
            (1, 1, 1, 1)
        );
        assert_eq!(profiles.pairs.len(), 10);
    }

    #[test]
    fn sites_that_print_the_same_score_are_on_the_same_side() {
        use crate::programme::site::fixture::site;
        // 67.4 and 66.6 both print 67; the exact median (67.0) would split them.
        let sites = vec![
            site("a", "A", &[10, 0, 0, 0, 0, 0], &[67.4]),
            site("b", "B", &[10, 0, 0, 0, 0, 0], &[66.6]),
            site("c", "C", &[10, 0, 0, 0, 0, 0], &[66.4]),
            site("d", "D", &[10, 0, 0, 0, 0, 0], &[70.0]),
        ];
        let profiles = cluster(&sites, &instrument(), 10);
        let context = &instrument().ingredients[0].id;
        let strong: usize = profiles
            .combinations
            .iter()
            .filter(|c| c.strong.contains(context))
            .map(|c| c.sites)
            .sum();
        // a, b (67, 67) and d (70) at or above the printed median 67; c (66) below.
        assert_eq!(strong, 3);
    }
}
