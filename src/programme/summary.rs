//! The programme report's tables, and each site's "How you compare" figures.
//!
//! Sites are always listed in alphabetical order of their names, never
//! ranked: a league table of small samples mostly ranks chance. Comparisons
//! are made through the funnel plot ([`super::funnel`]) and through where a
//! site sits among the others (the middle half of site scores).
//!
//! Every figure here is built from sites with at least the site threshold of
//! responses and from their published overall figures, so it adds nothing a
//! reader of the site figures could not work out ([`super::pool`] holds the
//! figures by group, and their privacy rule).

use serde::Serialize;

use super::funnel::{Funnel, Limits, Moments, Position};
use super::pool::{self, ProgrammeFigures};
use super::site::SiteFigures;
use crate::instrument::Instrument;
use crate::score::lens::{self, Gap};
use crate::score::stats::{printed, round};

/// The quartiles of a set of values, by linear interpolation between the
/// sorted values (Hyndman and Fan's type 7: R's default, Excel's
/// `QUARTILE.INC`), so a reader can check them in a spreadsheet.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quartiles {
    /// The lower quartile: a quarter of the values lie below it.
    pub q1: f64,
    /// The median.
    pub median: f64,
    /// The upper quartile. From `q1` to `q3` is the middle half of values.
    pub q3: f64,
}

/// The quartiles of `values` (any order); `None` when there are none.
pub fn quartiles(values: &[f64]) -> Option<Quartiles> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = |p: f64| -> Option<f64> {
        let last = sorted.len().checked_sub(1)?;
        let h = last as f64 * p;
        let low = h.floor() as usize;
        let high = (low + 1).min(last);
        Some(sorted[low] + (h - low as f64) * (sorted[high] - sorted[low]))
    };
    Some(Quartiles {
        q1: at(0.25)?,
        median: at(0.5)?,
        q3: at(0.75)?,
    })
}

/// One site's score for one ingredient, and where it falls in the funnel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteScore {
    /// Site id.
    pub site: String,
    /// Site name.
    pub name: String,
    /// Respondents with a score.
    pub n: u64,
    /// The site's mean score.
    pub mean: f64,
    /// Its place in the funnel; `None` when the funnel has no spread.
    pub position: Option<Position>,
}

/// How sites differ on one ingredient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IngredientSpread {
    /// Ingredient id.
    pub id: String,
    /// Ingredient name.
    pub name: String,
    /// The programme mean: every respondent of the sites with a score, pooled.
    pub programme_mean: Option<f64>,
    /// The median and middle half of the sites' scores (each site counting once).
    pub site_quartiles: Option<Quartiles>,
    /// The upper minus the lower quartile of site scores.
    pub iqr: Option<f64>,
    /// The lowest site score.
    pub lowest: Option<f64>,
    /// The highest site score.
    pub highest: Option<f64>,
    /// The highest minus the lowest site score.
    pub range: Option<f64>,
    /// The funnel plot's centre and spread; `None` without spread.
    pub funnel: Option<Funnel>,
    /// Every site with a score, in alphabetical order of name.
    pub sites: Vec<SiteScore>,
}

/// One row of the sites × ingredients table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteRow {
    /// Site id.
    pub id: String,
    /// Site name.
    pub name: String,
    /// Responses in the site's figures.
    pub responses: u64,
    /// Fewer responses than the site threshold: listed, no scores.
    pub too_few_responses: bool,
    /// The site's score per ingredient, in instrument order (`None` where it has none).
    pub scores: Vec<Option<f64>>,
}

/// The co-production lens of one site for one ingredient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteGap {
    /// Site id.
    pub site: String,
    /// Site name.
    pub name: String,
    /// Lived experience against professionals, over the groups the site shows.
    pub gap: Gap,
}

/// The co-production lens across sites for one ingredient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LensRow {
    /// Ingredient id.
    pub ingredient: String,
    /// Sites where both sides are shown, alphabetically.
    pub sites: Vec<SiteGap>,
    /// Of those, sites where people with lived experience score lower, as
    /// printed: a difference printed as 0 is not lower.
    pub lived_lower: usize,
    /// Of those, sites where the two views clearly differ (the interval leaves out zero).
    pub differ: usize,
}

/// Everything the programme report shows about sites.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgrammeSummary {
    /// The pooled figures, by group under the cross-site privacy rule.
    pub figures: ProgrammeFigures,
    /// Ingredient ids, the columns of `table`.
    pub ingredients: Vec<String>,
    /// Sites × ingredients, alphabetical by site name, never ranked.
    pub table: Vec<SiteRow>,
    /// Per ingredient, how sites differ.
    pub spreads: Vec<IngredientSpread>,
    /// The ingredient(s) with the lowest programme mean as printed (a whole
    /// number): more than one when they tie. Their `spreads` say how much sites differ on them.
    pub weakest: Vec<String>,
    /// The co-production lens per ingredient.
    pub lens: Vec<LensRow>,
    /// How ingredient profiles cluster.
    pub profiles: super::profiles::Profiles,
}

/// Alphabetical order of site names (case ignored), then ids.
fn alphabetical(sites: &[SiteFigures]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..sites.len()).collect();
    order.sort_by_key(|&s| (sites[s].name.to_lowercase(), sites[s].id.clone()));
    order
}

/// Builds the programme summary from every site's figures.
pub fn summarise(
    sites: &[SiteFigures],
    instrument: &Instrument,
    min_group_size: u64,
    site_threshold: u64,
) -> ProgrammeSummary {
    let order = alphabetical(sites);
    let counts = |s: &SiteFigures| pool::counts_in_programme(s, site_threshold);
    let spreads: Vec<IngredientSpread> = instrument
        .ingredients
        .iter()
        .enumerate()
        .map(|(i, ingredient)| {
            let moments = pool::site_moments(sites, i, site_threshold);
            let by_site: Vec<Moments> = moments.iter().map(|(_, m)| *m).collect();
            let funnel = Funnel::from_sites(&by_site);
            let means: Vec<f64> = by_site.iter().map(|m| m.mean).collect();
            let q = quartiles(&means);
            let lowest = means.iter().copied().reduce(f64::min);
            let highest = means.iter().copied().reduce(f64::max);
            let scores: Vec<SiteScore> = order
                .iter()
                .filter_map(|&s| {
                    let m = moments.iter().find(|(site, _)| *site == s)?.1;
                    Some(SiteScore {
                        site: sites[s].id.clone(),
                        name: sites[s].name.clone(),
                        n: m.n,
                        mean: round(m.mean),
                        position: funnel.map(|f| f.position(m.mean, m.n)),
                    })
                })
                .collect();
            IngredientSpread {
                id: ingredient.id.clone(),
                name: ingredient.name.clone(),
                programme_mean: Moments::pooled(&by_site).map(|m| round(m.mean)),
                site_quartiles: q.map(|q| Quartiles {
                    q1: round(q.q1),
                    median: round(q.median),
                    q3: round(q.q3),
                }),
                iqr: q.map(|q| round(q.q3 - q.q1)),
                lowest: lowest.map(round),
                highest: highest.map(round),
                range: lowest.zip(highest).map(|(l, h)| round(h - l)),
                funnel,
                sites: scores,
            }
        })
        .collect();

    let table = order
        .iter()
        .map(|&s| {
            let site = &sites[s];
            let too_few = !counts(site);
            SiteRow {
                id: site.id.clone(),
                name: site.name.clone(),
                responses: site.responses,
                too_few_responses: too_few,
                scores: site
                    .ingredients
                    .iter()
                    .map(|i| {
                        if too_few {
                            None
                        } else {
                            i.overall().map(|m| round(m.mean))
                        }
                    })
                    .collect(),
            }
        })
        .collect();

    // Ties as a reader sees them: the same whole number printed.
    let shown = |s: &IngredientSpread| s.programme_mean.map(printed);
    let low = spreads.iter().filter_map(shown).min();
    let weakest = spreads
        .iter()
        .filter(|s| low.is_some() && shown(s) == low)
        .map(|s| s.id.clone())
        .collect();

    let lens = instrument
        .ingredients
        .iter()
        .enumerate()
        .map(|(i, ingredient)| {
            let gaps: Vec<SiteGap> = order
                .iter()
                .filter(|&&s| counts(&sites[s]))
                .filter_map(|&s| {
                    let site = &sites[s];
                    let side = |lived: bool| -> Vec<(f64, u64)> {
                        site.ingredients[i]
                            .cells
                            .iter()
                            .zip(&site.slots)
                            .filter(|(c, slot)| c.shown && slot.lived_experience == lived)
                            .flat_map(|(c, _)| c.scores.iter().copied())
                            .collect()
                    };
                    let gap =
                        lens::gap_weighted(&side(true), &side(false), min_group_size as usize)?;
                    Some(SiteGap {
                        site: site.id.clone(),
                        name: site.name.clone(),
                        gap,
                    })
                })
                .collect();
            LensRow {
                ingredient: ingredient.id.clone(),
                // Lower as a reader sees it: a difference printed as 0 is not lower.
                lived_lower: gaps
                    .iter()
                    .filter(|g| printed(g.gap.difference) < 0)
                    .count(),
                differ: gaps.iter().filter(|g| g.gap.differs).count(),
                sites: gaps,
            }
        })
        .collect();

    let profiles = super::profiles::cluster(sites, instrument, site_threshold);
    ProgrammeSummary {
        figures: pool::programme(sites, instrument, min_group_size, site_threshold),
        ingredients: instrument
            .ingredients
            .iter()
            .map(|i| i.id.clone())
            .collect(),
        table,
        spreads,
        weakest,
        lens,
        profiles,
    }
}

/// One ingredient in a site's "How you compare" section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareRow {
    /// Ingredient id.
    pub ingredient: String,
    /// The site's score; `None` when it has none.
    pub score: Option<f64>,
    /// Respondents in the site's score.
    pub n: Option<u64>,
    /// The programme mean.
    pub programme_mean: Option<f64>,
    /// The median and middle half of site scores.
    pub site_quartiles: Option<Quartiles>,
    /// The site's place in the funnel (none for a site with too few responses).
    pub position: Option<Position>,
    /// The funnel's limits at the site's number of responses, rounded.
    pub limits: Option<Limits>,
    /// Every site's score, alphabetically, only when programme.toml lets
    /// site reports name other sites.
    pub others: Option<Vec<SiteScore>>,
}

/// A site's "How you compare" section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HowYouCompare {
    /// Site id.
    pub site: String,
    /// How many sites are in the programme figures.
    pub sites: usize,
    /// The site has too few responses to be compared.
    pub too_few_responses: bool,
    /// Per ingredient, in instrument order.
    pub ingredients: Vec<CompareRow>,
}

/// The "How you compare" figures of site `id`; `None` when no such site.
/// Other sites are named only with `name_other_sites`.
pub fn how_you_compare(
    summary: &ProgrammeSummary,
    sites: &[SiteFigures],
    id: &str,
    name_other_sites: bool,
) -> Option<HowYouCompare> {
    let site = sites.iter().find(|s| s.id == id)?;
    let row = summary.table.iter().find(|r| r.id == id)?;
    let ingredients = summary
        .spreads
        .iter()
        .zip(&site.ingredients)
        .map(|(spread, own)| {
            let placed = spread.sites.iter().find(|s| s.site == id);
            let moments = own.overall();
            let limits = placed.and(spread.funnel).zip(moments).map(|(f, m)| {
                let l = f.limits(m.n as f64);
                Limits {
                    n: l.n,
                    low_998: round(l.low_998),
                    low_95: round(l.low_95),
                    high_95: round(l.high_95),
                    high_998: round(l.high_998),
                }
            });
            CompareRow {
                ingredient: spread.id.clone(),
                score: moments.map(|m| round(m.mean)),
                n: moments.map(|m| m.n),
                programme_mean: spread.programme_mean,
                site_quartiles: spread.site_quartiles,
                position: placed.and_then(|p| p.position),
                limits,
                others: name_other_sites.then(|| spread.sites.clone()),
            }
        })
        .collect();
    Some(HowYouCompare {
        site: id.to_string(),
        sites: summary.figures.sites.len(),
        too_few_responses: row.too_few_responses,
        ingredients,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programme::site::fixture::{programme, site};
    use proptest::prelude::*;

    fn instrument() -> Instrument {
        Instrument::load(None).unwrap()
    }

    #[test]
    fn quartiles_by_hand() {
        // Sorted 10 20 30 40: h = 0.75, 1.5, 2.25 -> 17.5, 25, 32.5 (Excel QUARTILE.INC).
        let q = quartiles(&[40.0, 10.0, 30.0, 20.0]).unwrap();
        assert_eq!((q.q1, q.median, q.q3), (17.5, 25.0, 32.5));
        let q = quartiles(&[7.0]).unwrap();
        assert_eq!((q.q1, q.median, q.q3), (7.0, 7.0, 7.0));
        assert_eq!(quartiles(&[]), None);
    }

    #[test]
    fn the_table_is_alphabetical_and_small_sites_have_no_scores() {
        let summary = summarise(&programme(), &instrument(), 5, 10);
        let names: Vec<&str> = summary.table.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            ["alpha council", "Beta", "Midshire", "Tiny", "Zeta Trust"]
        );
        let tiny = &summary.table[3];
        assert!(tiny.too_few_responses && tiny.scores.iter().all(Option::is_none));
        assert_eq!(summary.figures.too_few_responses, vec!["tiny"]);
        assert_eq!(summary.spreads[0].sites.len(), 4);
    }

    #[test]
    fn spreads_and_the_weakest_ingredient_by_hand() {
        let summary = summarise(&programme(), &instrument(), 5, 10);
        // Every site: 6 at x, 10 at x+1, 8 at x+2, 5 at x+3, 5 at x+4: its mean is
        // x + (10 + 16 + 15 + 20) / 34 = x + 1.794118.
        let shift = 61.0 / 34.0;
        let context = &summary.spreads[0];
        assert_eq!(context.lowest, Some(round(50.0 + shift)));
        assert_eq!(context.range, Some(30.0));
        // Site scores 50, 60, 70, 80 (+ shift): quartiles 57.5, 65, 72.5 (+ shift).
        let q = context.site_quartiles.unwrap();
        assert_eq!(q.median, round(65.0 + shift));
        assert_eq!(context.iqr, Some(15.0));
        // Equal sizes: the programme mean is the mean of site means.
        assert_eq!(context.programme_mean, Some(round(65.0 + shift)));
        // Means: context 65, co-production 55, leadership 63, measurement 55, adaptation 52.5.
        assert_eq!(summary.weakest, vec![summary.ingredients[4].clone()]);
    }

    #[test]
    fn how_you_compare_names_no_other_site_unless_allowed() {
        let sites = programme();
        let summary = summarise(&sites, &instrument(), 5, 10);
        let own = how_you_compare(&summary, &sites, "beta", false).unwrap();
        assert_eq!(own.sites, 4);
        assert!(own.ingredients.iter().all(|row| row.others.is_none()));
        let text = serde_json::to_string(&own).unwrap();
        for other in ["Zeta", "alpha", "Midshire", "Tiny", "zeta", "mid"] {
            assert!(!text.contains(other), "{other} in {text}");
        }
        let row = &own.ingredients[0];
        assert_eq!(row.score, Some(round(50.0 + 61.0 / 34.0)));
        assert!(row.position.is_some() && row.limits.is_some());
        let named = how_you_compare(&summary, &sites, "beta", true).unwrap();
        assert_eq!(named.ingredients[0].others.as_ref().unwrap().len(), 4);
        let tiny = how_you_compare(&summary, &sites, "tiny", false).unwrap();
        assert!(tiny.too_few_responses);
        assert!(tiny.ingredients.iter().all(|r| r.position.is_none()));
        assert!(how_you_compare(&summary, &sites, "nowhere", false).is_none());
    }

    #[test]
    fn the_lens_needs_both_sides_shown() {
        // Young people (lived experience) shown in one site, hidden in another.
        let sites = vec![
            site("a", "A", &[6, 10, 8, 5, 5, 0], &[60.0]),
            site("b", "B", &[3, 10, 8, 5, 5, 0], &[60.0]),
        ];
        let summary = summarise(&sites, &instrument(), 5, 10);
        let row = &summary.lens[0];
        assert_eq!(row.sites.len(), 1);
        assert_eq!(row.sites[0].site, "a");
        // Young people score 60, professionals 60 + 1 to 4: lived experience lower.
        assert_eq!((row.lived_lower, row.differ), (1, 1));
    }

    proptest! {
        /// The middle half lies within the values, in order.
        #[test]
        fn quartiles_are_ordered_and_within_the_values(values in prop::collection::vec(0.0f64..100.0, 1..40)) {
            let q = quartiles(&values).unwrap();
            let low = values.iter().copied().fold(f64::INFINITY, f64::min);
            let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            prop_assert!(low <= q.q1 && q.q1 <= q.median && q.median <= q.q3 && q.q3 <= high);
        }
    }
}
