//! "How you compare": a site's section in a programme run, decided here and
//! laid out by `report-templates/sections/compare.typ`.
//!
//! The section sets the site's score per ingredient beside the programme
//! mean and the middle half of the programme's sites, and says in words
//! where the score falls in that ingredient's funnel plot ("within the
//! expected range for a site of your size", "above the 95% limit", ...).
//! Every figure comes from [`HowYouCompare`], which holds published
//! aggregates only. Other sites are named only when programme.toml lets
//! site reports name them (`HowYouCompare`'s `others` is then `Some`);
//! otherwise nothing in this section, nor in `data.json`, carries another
//! site's name or id.

use serde::Serialize;

use super::data::ChartRef;
use crate::charts::{self, Chart, CompareBar};
use crate::programme::funnel::Position;
use crate::programme::summary::{CompareRow, HowYouCompare, Quartiles};
use crate::score::Scores;

/// Fewest sites for the middle half of sites to mean something (as the
/// programme report quotes it).
const FEWEST_FOR_MIDDLE: usize = 4;

/// What a site report is given to compare the site with its programme.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteComparison {
    /// The site's figures beside the programme's
    /// ([`crate::programme::summary::how_you_compare`]).
    pub figures: HowYouCompare,
    /// Fewest responses a site needs to be compared (programme.toml's
    /// `site-threshold`).
    pub site_threshold: u64,
}

/// The "How you compare" section of `data.json`.
#[derive(Debug, Clone, Serialize)]
pub struct CompareSection {
    /// Sites in the programme figures (those with at least `site_threshold` responses).
    pub sites: usize,
    /// Fewest responses a site needs to be compared.
    pub site_threshold: u64,
    /// The site has too few responses to be compared: the section says so and shows no figure.
    pub too_few_responses: bool,
    /// The opening sentences: how many sites are compared, and the note for a site too small to be.
    pub intro: Vec<String>,
    /// The chart (`charts/compare.svg`); `null` when the site is not compared.
    pub chart: Option<ChartRef>,
    /// One line per ingredient, in instrument order; empty when the site is not compared.
    pub rows: Vec<CompareLine>,
    /// Every counted site's score per ingredient, alphabetically; `null`
    /// unless programme.toml lets site reports name other sites.
    pub others: Option<OthersTable>,
    /// Who the comparison counts, for the method page.
    pub method: String,
}

/// One ingredient's line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareLine {
    /// Ingredient id.
    pub id: String,
    /// Ingredient name.
    pub name: String,
    /// The site's score; `null` when it has none.
    pub score: Option<f64>,
    /// The programme mean: every respondent of the counted sites, pooled.
    pub programme_mean: Option<f64>,
    /// The middle half of the sites' scores; `null` with fewer than four sites.
    pub middle: Option<Quartiles>,
    /// Where the site's score sits among the sites, in words ("among the
    /// middle half of sites"); `null` without a score or a middle half.
    pub among_sites: Option<String>,
    /// Where the site's score falls in the funnel plot, in words.
    pub place: String,
    /// Beyond the 95% limits (either side): the template sets it in bold.
    pub outside: bool,
}

/// Every counted site's scores, when sites may be named.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OthersTable {
    /// Ingredient names, the columns after the site's name.
    pub columns: Vec<String>,
    /// One row per counted site, alphabetically.
    pub rows: Vec<OtherRow>,
}

/// One site's row in [`OthersTable`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OtherRow {
    /// Site name.
    pub name: String,
    /// This report's own site.
    pub own: bool,
    /// Its score per ingredient (`null` where it has none).
    pub scores: Vec<Option<f64>>,
}

/// A whole number as printed.
fn whole(x: f64) -> i64 {
    x.round() as i64
}

/// Where a score falls in the funnel, in words.
fn place_words(row: &CompareRow) -> String {
    if row.score.is_none() {
        return "No score for your site, so it is not compared.".into();
    }
    let range = row
        .limits
        .map(|l| {
            format!(
                " (from {} to {} for {} responses)",
                whole(l.low_95),
                whole(l.high_95),
                l.n
            )
        })
        .unwrap_or_default();
    match row.position {
        None => "Not placed: the sites’ scores are all the same, so there are no limits to compare with.".into(),
        Some(Position::Inside) => {
            format!("Within the expected range for a site of your size{range}.")
        }
        Some(Position::Above95) => format!(
            "Above the 95% limit: higher than expected for a site of your size{range}, though not beyond the 99.8% limit."
        ),
        Some(Position::Above998) => format!(
            "Above the 99.8% limit: much higher than expected for a site of your size{range}. This is very unlikely to be chance."
        ),
        Some(Position::Below95) => format!(
            "Below the 95% limit: lower than expected for a site of your size{range}, though not beyond the 99.8% limit."
        ),
        Some(Position::Below998) => format!(
            "Below the 99.8% limit: much lower than expected for a site of your size{range}. This is very unlikely to be chance."
        ),
    }
}

/// Where a score sits among the sites' middle half, judged on the printed
/// whole numbers so the words agree with the figures beside them.
fn among_words(score: f64, middle: Quartiles) -> String {
    let (score, q1, q3) = (whole(score), whole(middle.q1), whole(middle.q3));
    if score < q1 {
        "below the middle half of sites".into()
    } else if score > q3 {
        "above the middle half of sites".into()
    } else {
        "among the middle half of sites".into()
    }
}

/// The opening sentences.
fn intro(figures: &HowYouCompare, site_threshold: u64) -> Vec<String> {
    let counted = match figures.sites {
        1 => "1 site".to_string(),
        n => format!("{n} sites"),
    };
    let mut lines = vec![format!(
        "This section compares your site with the sites in the programme that had {site_threshold} or more responses this time: {counted} in all."
    )];
    if figures.too_few_responses {
        lines.push(format!(
            "Your site had fewer than {site_threshold} responses, so it is not compared with the others: scores from so few people move a lot by chance. Your own scores are in the rest of this report."
        ));
    } else {
        lines.push(
            "The funnel plot is a fair way to compare sites of different sizes. Small sites’ scores vary more by chance, so the range we expect is wider for a small site than for a big one. A score outside the 95% limits would happen by chance to about 1 site in 20; outside the 99.8% limits, to about 1 in 500.".into(),
        );
    }
    lines
}

/// Who the comparison counts, for the method page.
fn method(site_threshold: u64) -> String {
    format!(
        "the sites of the programme with {site_threshold} or more responses in their own figures, and only the figures each site publishes (a group its privacy rule hides is left out). The programme mean pools every respondent of those sites, so a big site counts for more than a small one; the middle half of sites counts each site once, yours included. The expected range comes from the programme mean and the spread of respondents’ scores, for your site’s number of responses."
    )
}

/// Every site's scores as one table, when sites may be named.
fn others_table(figures: &HowYouCompare, names: &[String]) -> Option<OthersTable> {
    let lists: Vec<_> = figures
        .ingredients
        .iter()
        .map(|r| r.others.as_ref())
        .collect::<Option<_>>()?;
    let mut sites: Vec<(String, String)> = Vec::new();
    for list in &lists {
        for s in list.iter() {
            if !sites.iter().any(|(id, _)| *id == s.site) {
                sites.push((s.site.clone(), s.name.clone()));
            }
        }
    }
    sites.sort_by_key(|(id, name)| (name.to_lowercase(), id.clone()));
    Some(OthersTable {
        columns: names.to_vec(),
        rows: sites
            .into_iter()
            .map(|(id, name)| OtherRow {
                own: id == figures.site,
                scores: lists
                    .iter()
                    .map(|list| list.iter().find(|s| s.site == id).map(|s| s.mean))
                    .collect(),
                name,
            })
            .collect(),
    })
}

impl CompareSection {
    /// The section and its chart (none when the site is not compared).
    /// `scores` are the site's own, for the ingredients' names and the bands.
    pub fn build(comparison: SiteComparison, scores: &Scores) -> (CompareSection, Option<Chart>) {
        let SiteComparison {
            figures,
            site_threshold,
        } = comparison;
        let names: Vec<String> = figures
            .ingredients
            .iter()
            .map(|r| {
                scores
                    .ingredients
                    .iter()
                    .find(|i| i.id == r.ingredient)
                    .map_or_else(|| r.ingredient.clone(), |i| i.name.clone())
            })
            .collect();
        let compared = !figures.too_few_responses;
        let middle_shown = figures.sites >= FEWEST_FOR_MIDDLE;
        let rows: Vec<CompareLine> = if compared {
            figures
                .ingredients
                .iter()
                .zip(&names)
                .map(|(row, name)| {
                    let middle = row.site_quartiles.filter(|_| middle_shown);
                    CompareLine {
                        id: row.ingredient.clone(),
                        name: name.clone(),
                        score: row.score,
                        programme_mean: row.programme_mean,
                        middle,
                        among_sites: row.score.zip(middle).map(|(s, m)| among_words(s, m)),
                        place: place_words(row),
                        outside: row.position.is_some_and(Position::outside),
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        let chart = compared.then(|| {
            let bars: Vec<CompareBar> = rows
                .iter()
                .map(|r| CompareBar {
                    name: r.name.clone(),
                    score: r.score,
                    programme_mean: r.programme_mean,
                    middle: r.middle.map(|m| (m.q1, m.q3)),
                })
                .collect();
            charts::compare(&bars, &scores.rules.bands)
        });
        let section = CompareSection {
            sites: figures.sites,
            site_threshold,
            too_few_responses: figures.too_few_responses,
            intro: intro(&figures, site_threshold),
            chart: chart.as_ref().map(ChartRef::to),
            others: if compared {
                others_table(&figures, &names)
            } else {
                None
            },
            rows,
            method: method(site_threshold),
        };
        (section, chart)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::Instrument;
    use crate::programme::site::fixture::programme;
    use crate::programme::summary::{how_you_compare, summarise};

    fn comparison(id: &str, named: bool) -> SiteComparison {
        let sites = programme();
        let summary = summarise(&sites, &Instrument::load(None).unwrap(), 5, 10);
        SiteComparison {
            figures: how_you_compare(&summary, &sites, id, named).unwrap(),
            site_threshold: 10,
        }
    }

    fn scores() -> Scores {
        crate::charts::tests::scores()
    }

    #[test]
    fn a_counted_site_gets_a_line_per_ingredient_and_a_chart() {
        let (section, chart) = CompareSection::build(comparison("beta", false), &scores());
        let chart = chart.unwrap();
        assert_eq!(chart.file_name, "compare.svg");
        assert_eq!(section.chart.unwrap().path, "charts/compare.svg");
        assert_eq!(section.sites, 4);
        assert_eq!(section.rows.len(), 5);
        assert_eq!(section.rows[0].name, "Receptive context");
        assert!(section.intro[0].ends_with("10 or more responses this time: 4 sites in all."));
        assert!(section.others.is_none());
        // Beta scores 50 + 61/34 on context; the sites 50, 60, 70, 80 (+ the
        // same shift): quartiles 57.5 and 72.5 (+ shift), so it is below them.
        let context = &section.rows[0];
        assert_eq!(
            context.among_sites.as_deref(),
            Some("below the middle half of sites")
        );
        // Beta is the best on co-production (70 against 40, 50, 60).
        assert_eq!(
            section.rows[1].among_sites.as_deref(),
            Some("above the middle half of sites")
        );
        for row in &section.rows {
            assert!(row.place.ends_with('.'), "{}", row.place);
            assert_eq!(row.outside, !row.place.starts_with("Within"));
        }
    }

    #[test]
    fn a_small_site_gets_only_the_note() {
        let (section, chart) = CompareSection::build(comparison("tiny", false), &scores());
        assert!(chart.is_none() && section.chart.is_none());
        assert!(section.too_few_responses && section.rows.is_empty());
        assert!(section.intro[1].starts_with("Your site had fewer than 10 responses"));
        let (named, _) = CompareSection::build(comparison("tiny", true), &scores());
        assert!(
            named.others.is_none(),
            "a site not compared sees no other site"
        );
    }

    #[test]
    fn other_sites_are_named_only_when_allowed() {
        let (hidden, _) = CompareSection::build(comparison("beta", false), &scores());
        let text = serde_json::to_string(&hidden).unwrap();
        for other in ["Zeta", "zeta", "alpha", "Midshire", "mid\"", "Tiny", "tiny"] {
            assert!(!text.contains(other), "{other} in {text}");
        }
        let (named, _) = CompareSection::build(comparison("beta", true), &scores());
        let table = named.others.unwrap();
        let names: Vec<&str> = table.rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["alpha council", "Beta", "Midshire", "Zeta Trust"]);
        assert_eq!(
            table.rows.iter().map(|r| r.own).collect::<Vec<_>>(),
            [false, true, false, false]
        );
        assert_eq!(table.columns.len(), 5);
        assert!(
            table
                .rows
                .iter()
                .all(|r| r.scores.iter().all(Option::is_some))
        );
    }

    #[test]
    fn places_in_words() {
        let row = |score: Option<f64>, position| CompareRow {
            ingredient: "context".into(),
            score,
            n: Some(30),
            programme_mean: Some(60.0),
            site_quartiles: None,
            position,
            limits: Some(crate::programme::funnel::Limits {
                n: 30.0,
                low_998: 50.0,
                low_95: 53.6,
                high_95: 66.4,
                high_998: 70.0,
            }),
            others: None,
        };
        assert_eq!(
            place_words(&row(Some(61.0), Some(Position::Inside))),
            "Within the expected range for a site of your size (from 54 to 66 for 30 responses)."
        );
        assert!(
            place_words(&row(Some(75.0), Some(Position::Above998)))
                .starts_with("Above the 99.8% limit: much higher")
        );
        assert!(
            place_words(&row(Some(52.0), Some(Position::Below95)))
                .starts_with("Below the 95% limit: lower")
        );
        assert!(place_words(&row(None, None)).starts_with("No score for your site"));
        assert!(place_words(&row(Some(60.0), None)).starts_with("Not placed"));
    }

    #[test]
    fn among_the_middle_half_is_judged_on_printed_scores() {
        let q = Quartiles {
            q1: 55.4,
            median: 60.0,
            q3: 64.6,
        };
        // 54.6 prints as 55, the same as the lower quartile: among them.
        assert_eq!(among_words(54.6, q), "among the middle half of sites");
        assert_eq!(among_words(54.4, q), "below the middle half of sites");
        assert_eq!(among_words(65.5, q), "above the middle half of sites");
    }
}
