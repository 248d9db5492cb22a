//! Programme figures across sites, without letting a hidden cell be worked
//! out by subtraction.
//!
//! Each site's report already hides a group with fewer responses than the
//! threshold. A programme figure for a group pools that group's cells over
//! the sites; if it pooled every site and only one site hid its cell, that
//! cell would follow from "programme figure minus the cells the sites show".
//! So the rule across sites is the rule across groups ([`select`]):
//!
//! - a cell shown in its site's report counts in the programme figure;
//! - cells hidden in their sites count only when at least two of them
//!   together reach the threshold, so that what subtraction leaves is a pool
//!   of two or more hidden cells that is itself big enough to show;
//! - otherwise the hidden cells are left out, and the figure says how many
//!   sites' cells it covers and how many it leaves out.
//!
//! The programme's overall figure for an ingredient pools the sites' overall
//! figures, which each site publishes (with its n): it adds nothing a reader
//! of the site figures could not work out. Sites with fewer responses than
//! the site threshold are "too few responses" and left out of every
//! programme figure.

use serde::Serialize;

use super::funnel::Moments;
use super::site::SiteFigures;
use crate::instrument::Instrument;
use crate::score::Summary;

/// One site's cell for one group, as the rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellState {
    /// How many responses (or scores) the cell holds.
    pub size: u64,
    /// Whether the site's own report shows it.
    pub shown: bool,
}

/// Which sites' cells a programme figure counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Per site: counted in the programme figure.
    pub counted: Vec<bool>,
    /// Cells shown in their site and counted.
    pub shown: usize,
    /// Cells hidden in their site and counted as a pool of two or more.
    pub pooled: usize,
    /// Cells hidden in their site and left out.
    pub left_out: usize,
}

/// Applies the cross-site rule to one group's cells (one per site; an empty
/// cell is neither counted nor left out).
pub fn select(cells: &[CellState], min_group_size: u64) -> Selection {
    let hidden: Vec<usize> = (0..cells.len())
        .filter(|&s| !cells[s].shown && cells[s].size > 0)
        .collect();
    let hidden_total: u64 = hidden.iter().map(|&s| cells[s].size).sum();
    let pooled = hidden.len() >= 2 && hidden_total >= min_group_size.max(1);
    let counted: Vec<bool> = cells
        .iter()
        .map(|c| c.size > 0 && (c.shown || pooled))
        .collect();
    let shown = cells.iter().filter(|c| c.shown && c.size > 0).count();
    Selection {
        counted,
        shown,
        pooled: if pooled { hidden.len() } else { 0 },
        left_out: if pooled { 0 } else { hidden.len() },
    }
}

/// A programme figure for one group: its summary and the sites it covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgrammeCell {
    /// Group id.
    pub id: String,
    /// Group name.
    pub name: String,
    /// People with lived experience of care.
    pub lived_experience: bool,
    /// The pooled figures; `None` when no site's cell counts.
    pub summary: Option<Summary>,
    /// Sites whose cell is counted (shown ones and a pool of hidden ones).
    pub sites: usize,
    /// Of those, sites whose cell is hidden in their own report and pooled here.
    pub sites_pooled: usize,
    /// Sites whose hidden cell is left out of this figure.
    pub sites_left_out: usize,
}

/// A programme response count for one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgrammeCount {
    /// Group id.
    pub id: String,
    /// Group name.
    pub name: String,
    /// Respondents counted; `None` when no site's cell counts.
    pub n: Option<u64>,
    /// Sites whose count is included.
    pub sites: usize,
    /// Sites whose hidden count is left out.
    pub sites_left_out: usize,
}

/// One ingredient across the programme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgrammeIngredient {
    /// Ingredient id.
    pub id: String,
    /// Ingredient name.
    pub name: String,
    /// Every respondent in the sites' overall figures, pooled; `None` when no site has a score.
    pub overall: Option<Summary>,
    /// Sites with a score for this ingredient.
    pub sites: usize,
    /// One figure per group with anyone in it in a counted site.
    pub groups: Vec<ProgrammeCell>,
}

/// The programme's pooled figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgrammeFigures {
    /// Ids of the sites in the programme figures.
    pub sites: Vec<String>,
    /// Ids of the sites with fewer responses than the site threshold.
    pub too_few_responses: Vec<String>,
    /// Responses in the sites counted (their published "responses used").
    pub responses: u64,
    /// Response counts per group.
    pub groups: Vec<ProgrammeCount>,
    /// Per ingredient, in instrument order.
    pub ingredients: Vec<ProgrammeIngredient>,
}

/// Whether a site has enough responses to take part in programme figures.
pub fn counts_in_programme(site: &SiteFigures, site_threshold: u64) -> bool {
    site.responses >= site_threshold
}

/// Pools the sites' figures by the rule in the module docs. `min_group_size`
/// is the programme's privacy threshold.
pub fn programme(
    sites: &[SiteFigures],
    instrument: &Instrument,
    min_group_size: u64,
    site_threshold: u64,
) -> ProgrammeFigures {
    let (counted, too_few): (Vec<&SiteFigures>, Vec<&SiteFigures>) = sites
        .iter()
        .partition(|s| counts_in_programme(s, site_threshold));
    let slots = crate::score::privacy::slots(instrument);
    let band = |mean: f64| instrument.band(mean).to_string();

    let groups = slots
        .iter()
        .enumerate()
        .filter(|(s, _)| counted.iter().any(|site| site.counts[*s].respondents > 0))
        .map(|(s, slot)| {
            let cells: Vec<CellState> = counted
                .iter()
                .map(|site| CellState {
                    size: site.counts[s].respondents,
                    shown: site.counts[s].shown,
                })
                .collect();
            let selection = select(&cells, min_group_size);
            let n: u64 = cells
                .iter()
                .zip(&selection.counted)
                .filter(|(_, c)| **c)
                .map(|(cell, _)| cell.size)
                .sum();
            ProgrammeCount {
                id: slot.id.clone(),
                name: slot.name.clone(),
                n: (n > 0).then_some(n),
                sites: selection.shown + selection.pooled,
                sites_left_out: selection.left_out,
            }
        })
        .collect();

    let ingredients = instrument
        .ingredients
        .iter()
        .enumerate()
        .map(|(i, ingredient)| {
            let overall: Vec<(f64, u64)> = counted
                .iter()
                .flat_map(|site| {
                    site.ingredients[i]
                        .cells
                        .iter()
                        .filter(|c| c.included)
                        .flat_map(|c| c.scores.iter().copied())
                })
                .collect();
            let cells = slots
                .iter()
                .enumerate()
                .filter(|(s, _)| {
                    counted
                        .iter()
                        .any(|site| site.ingredients[i].cells[*s].size() > 0)
                })
                .map(|(s, slot)| {
                    let states: Vec<CellState> = counted
                        .iter()
                        .map(|site| {
                            let cell = &site.ingredients[i].cells[s];
                            CellState {
                                size: cell.size(),
                                shown: cell.shown,
                            }
                        })
                        .collect();
                    let selection = select(&states, min_group_size);
                    let scores: Vec<(f64, u64)> = counted
                        .iter()
                        .zip(&selection.counted)
                        .filter(|(_, c)| **c)
                        .flat_map(|(site, _)| site.ingredients[i].cells[s].scores.iter().copied())
                        .collect();
                    ProgrammeCell {
                        id: slot.id.clone(),
                        name: slot.name.clone(),
                        lived_experience: slot.lived_experience,
                        summary: Summary::of_weighted(&scores, band),
                        sites: selection.shown + selection.pooled,
                        sites_pooled: selection.pooled,
                        sites_left_out: selection.left_out,
                    }
                })
                .collect();
            ProgrammeIngredient {
                id: ingredient.id.clone(),
                name: ingredient.name.clone(),
                overall: Summary::of_weighted(&overall, band),
                sites: counted
                    .iter()
                    .filter(|site| site.ingredients[i].overall().is_some())
                    .count(),
                groups: cells,
            }
        })
        .collect();

    ProgrammeFigures {
        sites: counted.iter().map(|s| s.id.clone()).collect(),
        too_few_responses: too_few.iter().map(|s| s.id.clone()).collect(),
        responses: counted.iter().map(|s| s.responses).sum(),
        groups,
        ingredients,
    }
}

/// The moments of each counted site's overall figure for ingredient `i`, with
/// the site's index in `sites`; sites without a score are left out.
pub fn site_moments(sites: &[SiteFigures], i: usize, site_threshold: u64) -> Vec<(usize, Moments)> {
    sites
        .iter()
        .enumerate()
        .filter(|(_, site)| counts_in_programme(site, site_threshold))
        .filter_map(|(s, site)| Some((s, site.ingredients[i].overall()?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn instrument() -> Instrument {
        Instrument::load(None).unwrap()
    }

    fn site(id: &str, sizes: &[u64], score: f64) -> SiteFigures {
        crate::programme::site::fixture::site(id, &id.to_uppercase(), sizes, &[score])
    }

    #[test]
    fn the_rule_by_example() {
        let cell = |size, shown| CellState { size, shown };
        // One hidden cell: left out.
        let s = select(&[cell(8, true), cell(3, false), cell(0, false)], 5);
        assert_eq!(s.counted, vec![true, false, false]);
        assert_eq!((s.shown, s.pooled, s.left_out), (1, 0, 1));
        // Two hidden cells reaching five together: pooled.
        let s = select(&[cell(8, true), cell(3, false), cell(2, false)], 5);
        assert_eq!(s.counted, vec![true, true, true]);
        assert_eq!((s.shown, s.pooled, s.left_out), (1, 2, 0));
        // Two hidden cells short of five: both left out.
        let s = select(&[cell(8, true), cell(2, false), cell(2, false)], 5);
        assert_eq!(s.counted, vec![true, false, false]);
        assert_eq!(s.left_out, 2);
    }

    /// Groups: young people, frontline, managers, partners, commissioners, did not say.
    #[test]
    fn one_site_hiding_young_people_leaves_nothing_to_subtract() {
        // Only Eastvale hides its young people (3); they score 90 + 0 there,
        // far from everyone else, so any trace of them would move a mean.
        let sites = vec![
            site("northshire", &[6, 10, 8, 5, 5, 0], 40.0),
            site("eastvale", &[3, 12, 9, 6, 5, 0], 90.0),
            site("westmoor", &[7, 11, 6, 5, 6, 0], 50.0),
        ];
        let figures = programme(&sites, &instrument(), 5, 10);
        for ingredient in &figures.ingredients {
            let young = &ingredient.groups[0];
            assert_eq!(young.id, "young-people");
            let summary = young.summary.as_ref().unwrap();
            // The programme figure is exactly the cells the sites show ...
            assert_eq!(summary.n, 6 + 7);
            assert!((summary.mean - (6.0 * 40.0 + 7.0 * 50.0) / 13.0).abs() < 0.005);
            assert_eq!(
                (young.sites, young.sites_pooled, young.sites_left_out),
                (2, 0, 1)
            );
            // ... and the overall is the sum of the sites' overall figures, which
            // leave Eastvale's young people out: overall minus every shown cell is nothing.
            let overall = ingredient.overall.as_ref().unwrap();
            let shown: usize = ingredient
                .groups
                .iter()
                .filter_map(|g| g.summary.as_ref())
                .map(|s| s.n)
                .sum();
            assert_eq!(overall.n, shown);
            let sites_total: u64 = sites
                .iter()
                .map(|s| s.ingredients[0].overall().unwrap().n)
                .sum();
            assert_eq!(overall.n as u64, sites_total);
        }
        let young = &figures.groups[0];
        assert_eq!(
            (young.n, young.sites, young.sites_left_out),
            (Some(13), 2, 1)
        );
        assert_eq!(figures.responses, 34 + 32 + 35);
        // Response counts too: the total is exactly the groups' counted cells.
        let by_group: u64 = figures.groups.iter().filter_map(|g| g.n).sum();
        assert_eq!(figures.responses, by_group);
    }

    #[test]
    fn hidden_cells_of_two_sites_are_pooled_and_small_sites_left_out() {
        let sites = vec![
            site("a", &[6, 10, 8, 5, 5, 0], 40.0),
            site("b", &[3, 12, 9, 6, 5, 0], 60.0),
            site("c", &[2, 11, 6, 5, 6, 0], 50.0),
            // Below the site threshold of 10: in nothing.
            site("d", &[4, 5, 0, 0, 0, 0], 99.0),
        ];
        let figures = programme(&sites, &instrument(), 5, 10);
        assert_eq!(figures.too_few_responses, vec!["d"]);
        let young = &figures.ingredients[0].groups[0];
        assert_eq!(young.summary.as_ref().unwrap().n, 6 + 3 + 2);
        assert_eq!(
            (young.sites, young.sites_pooled, young.sites_left_out),
            (3, 2, 0)
        );
        let overall = figures.ingredients[0].overall.as_ref().unwrap();
        // a, b and c's overall figures (b and c leave their lone hidden cells out); not d.
        assert_eq!(overall.n, 34 + 32 + 28);
    }

    proptest! {
        /// Whatever the cells, what subtraction leaves of a programme figure
        /// (the counted cells minus those shown in their sites) is nothing, or
        /// two or more hidden cells that together reach the threshold.
        #[test]
        fn subtraction_never_isolates_a_hidden_cell(
            cells in prop::collection::vec((0u64..12, any::<bool>()), 1..12),
            min in 2u64..8,
        ) {
            let cells: Vec<CellState> = cells
                .iter()
                .map(|&(size, shown)| CellState { size, shown: shown && size >= min })
                .collect();
            let selection = select(&cells, min);
            let hidden_counted: Vec<u64> = cells
                .iter()
                .zip(&selection.counted)
                .filter(|(c, counted)| **counted && !c.shown)
                .map(|(c, _)| c.size)
                .collect();
            prop_assert!(
                hidden_counted.is_empty()
                    || (hidden_counted.len() >= 2 && hidden_counted.iter().sum::<u64>() >= min)
            );
            // Every shown cell counts; the counts add up.
            for (c, counted) in cells.iter().zip(&selection.counted) {
                prop_assert!(!c.shown || *counted || c.size == 0);
            }
            let hidden = cells.iter().filter(|c| !c.shown && c.size > 0).count();
            prop_assert_eq!(selection.pooled + selection.left_out, hidden);
        }
    }
}
