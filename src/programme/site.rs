//! One site's figures as the programme uses them: per ingredient and group,
//! the respondents' scores and whether the site's own report shows the group.
//!
//! Built from the site's finished tally by the same privacy rule the site's
//! report applies ([`crate::score::privacy`]), so the programme never counts
//! a respondent the site leaves out, and knows which cells the site hides.
//! Held in memory per site: a few hundred (score, count) pairs per cell, never
//! a respondent's row.

use crate::instrument::Instrument;
use crate::score::privacy::{self, Slot};
use crate::score::tally::Tally;

use super::funnel::Moments;

/// One site's figures, its privacy rule applied.
#[derive(Debug, Clone)]
pub struct SiteFigures {
    /// The site's id.
    pub id: String,
    /// The site's name.
    pub name: String,
    /// Responses in the site's published figures (its report's "responses used").
    pub responses: u64,
    /// The group slots: the instrument's groups in order, then "did not say".
    pub slots: Vec<Slot>,
    /// Per slot: respondents, and whether the site's report shows the count.
    pub counts: Vec<CellCount>,
    /// Per ingredient, in instrument order.
    pub ingredients: Vec<SiteIngredient>,
}

/// One slot's response count in a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellCount {
    /// Respondents in the slot.
    pub respondents: u64,
    /// Shown as a group of its own in the site's report.
    pub shown: bool,
}

/// One ingredient of a site.
#[derive(Debug, Clone, Default)]
pub struct SiteIngredient {
    /// Per slot.
    pub cells: Vec<Cell>,
}

/// One group's scores for one ingredient in one site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    /// Respondents' 0-100 scores with their counts, lowest first.
    pub scores: Vec<(f64, u64)>,
    /// Shown as a group of its own in the site's report.
    pub shown: bool,
    /// Counted in the site's overall figure (shown, or pooled with other hidden groups).
    pub included: bool,
}

impl Cell {
    /// How many scores.
    pub fn size(&self) -> u64 {
        self.scores.iter().map(|(_, n)| n).sum()
    }
}

impl SiteIngredient {
    /// The scores in the site's overall figure: `None` when the site shows none.
    pub fn overall(&self) -> Option<Moments> {
        let scores: Vec<(f64, u64)> = self
            .cells
            .iter()
            .filter(|c| c.included)
            .flat_map(|c| c.scores.iter().copied())
            .collect();
        Moments::of_weighted(&scores)
    }
}

impl SiteFigures {
    /// The figures of a site's finished tally under a privacy threshold of
    /// `min_group_size` (the site's own), as `score::finish` decides them.
    pub fn from_tally(
        id: &str,
        name: &str,
        tally: &Tally,
        instrument: &Instrument,
        min_group_size: usize,
    ) -> SiteFigures {
        let slots = privacy::slots(instrument);
        let respondents: Vec<u64> = tally.slots.iter().map(|s| s.respondents).collect();
        let counts = privacy::publish_counts(&slots, &respondents, min_group_size);
        // Cells are by group only when someone answered the group question.
        let by_group = instrument.groups.is_some()
            && respondents[..respondents.len() - 1].iter().any(|&n| n > 0);
        let denominator = tally.denominator();
        let value = |key: crate::score::tally::ScoreKey| key.value(denominator);
        let ingredients = (0..instrument.ingredients.len())
            .map(|i| {
                let histograms: Vec<_> = tally
                    .slots
                    .iter()
                    .map(|s| &s.ingredients[i].scores)
                    .collect();
                let publication = privacy::publish(
                    &slots,
                    &histograms,
                    &respondents,
                    min_group_size,
                    &value,
                    &|_| String::new(),
                    by_group,
                );
                let cells = histograms
                    .iter()
                    .enumerate()
                    .map(|(s, histogram)| Cell {
                        scores: histogram.iter().map(|(k, n)| (value(*k), *n)).collect(),
                        shown: publication.shown[s] && publication.included[s],
                        included: publication.included[s],
                    })
                    .collect();
                SiteIngredient { cells }
            })
            .collect();
        SiteFigures {
            id: id.to_string(),
            name: name.to_string(),
            responses: counts.used as u64,
            counts: respondents
                .iter()
                .zip(&counts.shown)
                .map(|(&respondents, &shown)| CellCount { respondents, shown })
                .collect(),
            slots,
            ingredients,
        }
    }
}

/// Sites built by hand for tests, under a privacy threshold of 5.
#[cfg(test)]
pub(crate) mod fixture {
    use super::*;

    /// A site where slot `s` has `sizes[s]` respondents (slots: young people,
    /// frontline, managers, partners, commissioners, did not say), each
    /// scoring `scores[i] + s` on ingredient `i` (one score for all when
    /// `scores` has one value).
    pub(crate) fn site(id: &str, name: &str, sizes: &[u64], scores: &[f64]) -> SiteFigures {
        let instrument = Instrument::load(None).unwrap();
        let slots = privacy::slots(&instrument);
        assert_eq!(sizes.len(), slots.len());
        let hidden: Vec<usize> = (0..sizes.len())
            .filter(|&s| sizes[s] > 0 && sizes[s] < 5)
            .collect();
        let pooled = hidden.len() >= 2 && hidden.iter().map(|&s| sizes[s]).sum::<u64>() >= 5;
        let included = |n: u64| n >= 5 || (pooled && n > 0);
        let ingredients = (0..instrument.ingredients.len())
            .map(|i| SiteIngredient {
                cells: sizes
                    .iter()
                    .enumerate()
                    .map(|(s, &n)| Cell {
                        scores: if n > 0 {
                            vec![(scores[i.min(scores.len() - 1)] + s as f64, n)]
                        } else {
                            vec![]
                        },
                        shown: n >= 5,
                        included: included(n),
                    })
                    .collect(),
            })
            .collect();
        SiteFigures {
            id: id.into(),
            name: name.into(),
            responses: sizes.iter().filter(|&&n| included(n)).sum(),
            counts: sizes
                .iter()
                .map(|&n| CellCount {
                    respondents: n,
                    shown: n >= 5,
                })
                .collect(),
            slots,
            ingredients,
        }
    }

    /// Four sites, every group shown, with ingredient scores per site (five
    /// ingredients), and one site with too few responses (listed, in no figure).
    pub(crate) fn programme() -> Vec<SiteFigures> {
        let sizes = [6, 10, 8, 5, 5, 0];
        vec![
            site(
                "zeta",
                "Zeta Trust",
                &sizes,
                &[80.0, 40.0, 60.0, 70.0, 50.0],
            ),
            site(
                "alpha",
                "alpha council",
                &sizes,
                &[60.0, 50.0, 62.0, 40.0, 55.0],
            ),
            site("mid", "Midshire", &sizes, &[70.0, 60.0, 64.0, 50.0, 45.0]),
            site("beta", "Beta", &sizes, &[50.0, 70.0, 66.0, 60.0, 60.0]),
            site("tiny", "Tiny", &[0, 6, 0, 0, 0, 0], &[0.0]),
        ]
    }
}
