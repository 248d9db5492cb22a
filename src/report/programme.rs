//! The programme report for the funder: `ProgrammeReportData` (the programme
//! template's `data.json`), its funnel charts, and its build folder.
//!
//! Every choice is made here and unit-tested; `report-templates/programme.typ`
//! only lays it out: which sites lie outside the funnel limits (named in
//! words), the weakest ingredient and how much sites differ on it, the sites ×
//! ingredients table in alphabetical order (never ranked), the co-production
//! lens across sites, the combinations of stronger and weaker ingredients in
//! plain sentences, and the method page's words on who each figure counts.
//!
//! Over 600 lines only through its unit tests, one per decision.
//!
//! Privacy: a site with fewer responses than the site threshold is listed by
//! name only, with "fewer than N" for its count, and is in no figure; every
//! figure comes from [`ProgrammeSummary`], which holds published aggregates only.

use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use super::ChartRef;
use super::programme_trend::{ProgrammeTrendInputs, TrendPage};
use crate::charts::{self, Chart, Outside};
use crate::programme::summary::{IngredientSpread, LensRow, ProgrammeSummary};

/// The version of the programme `data.json` layout; `programme.typ` checks it.
pub const PROGRAMME_SCHEMA_VERSION: u32 = 1;

/// The programme template's main file.
pub const PROGRAMME_MAIN_FILE: &str = "programme.typ";

/// What the cover says.
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeCover {
    /// The programme's name (programme.toml's `name`).
    pub programme: String,
    /// The wave, such as `2026-q3`.
    pub wave: String,
    /// The survey period in words ([`super::period_text`]), when known.
    pub period: Option<String>,
}

/// Everything the programme report is made from.
#[derive(Debug, Clone)]
pub struct ProgrammeInputs<'a> {
    /// The programme's figures.
    pub summary: &'a ProgrammeSummary,
    /// Names of the sites whose latest answers are for an earlier wave (or a
    /// later one), so they are not in this wave's figures.
    pub not_this_wave: Vec<String>,
    /// The cover.
    pub cover: ProgrammeCover,
    /// Fewest responses for a site to be counted.
    pub site_threshold: u64,
    /// The programme's privacy threshold for a group.
    pub min_group_size: u64,
    /// How the programme's figures moved since earlier waves; `None` on the
    /// first wave on record.
    pub trend: Option<ProgrammeTrendInputs>,
}

/// The programme report's `data.json`: complete when built, decided in Rust.
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeReportData {
    /// [`PROGRAMME_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The document title.
    pub title: String,
    /// The cover.
    pub cover: ProgrammeCover,
    /// Fewest responses for a site to be counted.
    pub site_threshold: u64,
    /// The privacy threshold for a group.
    pub min_group_size: u64,
    /// The first page's figures.
    pub at_a_glance: Glance,
    /// One page per ingredient, in instrument order.
    pub ingredients: Vec<FunnelPage>,
    /// Sites × ingredients.
    pub table: SiteTable,
    /// The co-production lens across sites, per ingredient.
    pub lens: Vec<LensLine>,
    /// Which stronger and weaker ingredients occur together.
    pub together: Together,
    /// Who each figure counts, in the words the README carries.
    pub method: Vec<String>,
    /// How the programme's scores moved since the previous wave; absent on
    /// the first wave on record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trend: Option<TrendPage>,
}

/// The first page's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Glance {
    /// Sites in the programme figures.
    pub sites: usize,
    /// Responses in those sites.
    pub responses: u64,
    /// Names of the sites with too few responses, alphabetically.
    pub too_few_responses: Vec<String>,
    /// Names of the sites with no answers for this wave, alphabetically: a
    /// reader must see who is missing, not only how many are counted.
    pub not_this_wave: Vec<String>,
    /// The weakest ingredient(s) and how much sites differ on each.
    pub weakest: Vec<Weakest>,
}

/// The weakest ingredient and how much sites differ on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Weakest {
    /// Ingredient id.
    pub id: String,
    /// Ingredient name.
    pub name: String,
    /// "Programme mean 52. Site scores run from 41 to 63; the middle half of sites score 48 to 56."
    pub sentence: String,
}

/// One ingredient's page: the funnel plot and the sites outside its limits.
#[derive(Debug, Clone, Serialize)]
pub struct FunnelPage {
    /// Ingredient id.
    pub id: String,
    /// Ingredient name.
    pub name: String,
    /// The programme mean, pooled over respondents.
    pub programme_mean: Option<f64>,
    /// Sites with a score.
    pub sites: usize,
    /// The funnel plot; `None` when the sites' scores have no spread.
    pub chart: Option<ChartRef>,
    /// Sites outside the limits, by name.
    pub outside: Outside,
    /// The sites outside, in sentences ("Inside the limits: every site." when none).
    pub sentences: Vec<String>,
}

/// The sites × ingredients table.
#[derive(Debug, Clone, Serialize)]
pub struct SiteTable {
    /// Ingredient names, the columns after the site and its responses.
    pub columns: Vec<String>,
    /// The programme's row: pooled means.
    pub programme: Vec<Option<f64>>,
    /// One row per site, in alphabetical order of name.
    pub rows: Vec<TableRow>,
}

/// One site's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableRow {
    /// Site name.
    pub name: String,
    /// Its responses as printed: a number, or "fewer than N" below the site threshold.
    pub responses: String,
    /// Scores per ingredient (none for a site with too few responses).
    pub scores: Vec<Option<f64>>,
}

/// The co-production lens for one ingredient across sites.
#[derive(Debug, Clone, Serialize)]
pub struct LensLine {
    /// Ingredient name.
    pub name: String,
    /// Sites showing both views, alphabetically: name, lived experience, professionals, difference.
    pub sites: Vec<LensSite>,
    /// The line in words.
    pub sentence: String,
}

/// One site in a lens line.
#[derive(Debug, Clone, Serialize)]
pub struct LensSite {
    /// Site name.
    pub name: String,
    /// Mean score of people with lived experience of care.
    pub lived: f64,
    /// Mean score of professionals.
    pub professional: f64,
    /// Lived experience minus professionals.
    pub difference: f64,
    /// The two views clearly differ (the 95% interval leaves out zero).
    pub differs: bool,
}

/// Which stronger and weaker ingredients occur together.
#[derive(Debug, Clone, Serialize)]
pub struct Together {
    /// Sites with a score for every ingredient.
    pub sites: usize,
    /// One sentence per combination, the most common first.
    pub combinations: Vec<String>,
    /// One row per pair of ingredients.
    pub pairs: Vec<PairLine>,
}

/// How often two ingredients are stronger together, or one without the other.
#[derive(Debug, Clone, Serialize)]
pub struct PairLine {
    /// The first ingredient's name.
    pub a: String,
    /// The second's.
    pub b: String,
    /// Sites stronger on both.
    pub both_strong: usize,
    /// Stronger on the first only.
    pub a_only: usize,
    /// Stronger on the second only.
    pub b_only: usize,
    /// Weaker on both.
    pub both_weak: usize,
}

/// A whole number as printed ([`crate::score::stats::printed`]).
fn whole(x: f64) -> i64 {
    crate::score::stats::printed(x)
}

/// "1 site", "3 sites".
fn sites_word(n: usize) -> String {
    if n == 1 {
        "1 site".into()
    } else {
        format!("{n} sites")
    }
}

/// A name inside a sentence: first letter lower case unless the first word is an acronym.
fn in_sentence(name: &str) -> String {
    let first = name.split_whitespace().next().unwrap_or("");
    if first.chars().filter(|c| c.is_uppercase()).count() > 1 {
        return name.to_string();
    }
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// How much sites differ on one ingredient, in words.
fn spread_sentence(spread: &IngredientSpread) -> String {
    let mut text = match spread.programme_mean {
        Some(mean) => format!("Programme mean {}.", whole(mean)),
        None => "No programme mean.".to_string(),
    };
    if let (Some(low), Some(high)) = (spread.lowest, spread.highest) {
        text.push_str(&format!(
            " Site scores run from {} to {}",
            whole(low),
            whole(high)
        ));
        match spread.site_quartiles {
            Some(q) if spread.sites.len() >= 4 => text.push_str(&format!(
                "; the middle half of sites score {} to {}.",
                whole(q.q1),
                whole(q.q3)
            )),
            _ => text.push('.'),
        }
    }
    text
}

/// The sites outside the limits, in sentences.
fn outside_sentences(outside: &Outside) -> Vec<String> {
    if outside.is_empty() {
        return vec!["Every site is inside the 95% limits: no site differs from the programme by more than chance would explain.".into()];
    }
    let names = charts::names_in_words;
    [
        (
            &outside.above_998,
            "well above the programme: beyond the 99.8% limits",
        ),
        (
            &outside.above_95,
            "above the programme: beyond the 95% limits",
        ),
        (
            &outside.below_95,
            "below the programme: beyond the 95% limits",
        ),
        (
            &outside.below_998,
            "well below the programme: beyond the 99.8% limits",
        ),
    ]
    .into_iter()
    .filter(|(list, _)| !list.is_empty())
    .map(|(list, words)| {
        format!(
            "{} {} {words}.",
            names(list),
            if list.len() == 1 { "is" } else { "are" }
        )
    })
    .collect()
}

/// " Harbourside Council does not show both views, so it is not in the
/// table." for the counted sites missing from a lens line (a group hidden by
/// their own privacy rule, or nobody on one side); empty when none is missing.
fn not_in_lens(counted: &[&str], line: &LensRow) -> String {
    let missing: Vec<String> = counted
        .iter()
        .filter(|name| !line.sites.iter().any(|s| s.name == **name))
        .map(|name| name.to_string())
        .collect();
    match missing.len() {
        0 => String::new(),
        1 => format!(
            " {} does not show both views, so it is not in the table.",
            missing[0]
        ),
        _ => format!(
            " {} do not show both views, so they are not in the table.",
            charts::names_in_words(&missing)
        ),
    }
}

/// A sentence per combination that two or more sites share, the most common
/// first, then one sentence counting the sites whose combination is their
/// own: a board learns little from a list of "In 1 site, ..." lines.
fn combination_sentences(
    combinations: &[crate::programme::profiles::Combination],
    names: impl Fn(&[String]) -> Vec<String>,
) -> Vec<String> {
    let mut sentences: Vec<String> = combinations
        .iter()
        .filter(|c| c.sites >= 2)
        .map(|c| combination_sentence(c.sites, &names(&c.strong), &names(&c.weak)))
        .collect();
    let alone = combinations.iter().filter(|c| c.sites == 1).count();
    let shared = combinations.len() - alone;
    match (shared, alone) {
        (_, 0) => {}
        (0, 1) => sentences.push(
            "Only 1 site has a score for every ingredient, so there is no other site to compare it with."
                .into(),
        ),
        (0, n) => sentences.push(format!(
            "No two of the {n} sites have the same combination of stronger and weaker ingredients."
        )),
        (_, 1) => sentences.push("The 1 other site has a combination no other site shares.".into()),
        (_, n) => sentences.push(format!(
            "The {n} other sites each have a combination no other site shares."
        )),
    }
    sentences
}

/// One combination of stronger and weaker ingredients as a sentence.
fn combination_sentence(count: usize, strong: &[String], weak: &[String]) -> String {
    let list = |names: &[String]| {
        let lower: Vec<String> = names.iter().map(|n| in_sentence(n)).collect();
        charts::names_in_words(&lower)
    };
    let who = if count == 1 {
        "In 1 site".to_string()
    } else {
        format!("In {count} sites")
    };
    match (strong.is_empty(), weak.is_empty()) {
        (false, false) => format!(
            "{who}, {} {} stronger, while {} {} weaker.",
            list(strong),
            if strong.len() == 1 { "is" } else { "are" },
            list(weak),
            if weak.len() == 1 { "is" } else { "are" }
        ),
        (false, true) => format!("{who}, every ingredient is stronger."),
        _ => format!("{who}, every ingredient is weaker."),
    }
}

impl ProgrammeReportData {
    /// The report's data and its charts (one funnel plot per ingredient with spread).
    pub fn build(inputs: ProgrammeInputs<'_>) -> (ProgrammeReportData, Vec<Chart>) {
        let summary = inputs.summary;
        let name_of = |id: &str| -> String {
            summary
                .spreads
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.name.clone())
                .unwrap_or_else(|| id.to_string())
        };
        let mut charts = Vec::new();
        let ingredients = summary
            .spreads
            .iter()
            .map(|spread| {
                let chart = charts::funnel(spread);
                let reference = chart.as_ref().map(ChartRef::to);
                charts.extend(chart);
                let outside = Outside::of(spread);
                FunnelPage {
                    id: spread.id.clone(),
                    name: spread.name.clone(),
                    programme_mean: spread.programme_mean,
                    sites: spread.sites.len(),
                    chart: reference,
                    sentences: if spread.funnel.is_some() {
                        outside_sentences(&outside)
                    } else {
                        vec![
                            "The sites' scores do not vary, so there are no limits to draw.".into(),
                        ]
                    },
                    outside,
                }
            })
            .collect();

        let threshold = inputs.site_threshold;
        let table = SiteTable {
            columns: summary.spreads.iter().map(|s| s.name.clone()).collect(),
            programme: summary.spreads.iter().map(|s| s.programme_mean).collect(),
            rows: summary
                .table
                .iter()
                .map(|row| TableRow {
                    name: row.name.clone(),
                    responses: if row.too_few_responses {
                        format!("fewer than {threshold}")
                    } else {
                        row.responses.to_string()
                    },
                    scores: row.scores.clone(),
                })
                .collect(),
        };

        let name_of_site = |id: &str| -> String {
            summary
                .table
                .iter()
                .find(|r| r.id == id)
                .map(|r| r.name.clone())
                .unwrap_or_else(|| id.to_string())
        };
        let mut too_few: Vec<String> = summary
            .figures
            .too_few_responses
            .iter()
            .map(|id| name_of_site(id))
            .collect();
        too_few.sort_by_key(|n| n.to_lowercase());
        let mut not_this_wave = inputs.not_this_wave.clone();
        not_this_wave.sort_by_key(|n| n.to_lowercase());

        let glance = Glance {
            sites: summary.figures.sites.len(),
            responses: summary.figures.responses,
            too_few_responses: too_few,
            not_this_wave,
            weakest: summary
                .weakest
                .iter()
                .filter_map(|id| summary.spreads.iter().find(|s| &s.id == id))
                .map(|spread| Weakest {
                    id: spread.id.clone(),
                    name: spread.name.clone(),
                    sentence: spread_sentence(spread),
                })
                .collect(),
        };

        let counted: Vec<&str> = summary
            .table
            .iter()
            .filter(|row| !row.too_few_responses)
            .map(|row| row.name.as_str())
            .collect();
        let lens = summary
            .lens
            .iter()
            .map(|line| {
                let shown = line.sites.len();
                let mut sentence = if shown == 0 {
                    "No site shows both views.".to_string()
                } else {
                    format!(
                        "{} {} both views. People with lived experience of care score lower than professionals in {} of them; the two views clearly differ in {}.",
                        sites_word(shown),
                        if shown == 1 { "shows" } else { "show" },
                        line.lived_lower,
                        line.differ
                    )
                };
                sentence.push_str(&not_in_lens(&counted, line));
                LensLine {
                    name: name_of(&line.ingredient),
                    sites: line
                        .sites
                        .iter()
                        .map(|s| LensSite {
                            name: s.name.clone(),
                            lived: s.gap.lived_mean,
                            professional: s.gap.professional_mean,
                            difference: s.gap.difference,
                            differs: s.gap.differs,
                        })
                        .collect(),
                    sentence,
                }
            })
            .collect();

        let names = |ids: &[String]| -> Vec<String> { ids.iter().map(|i| name_of(i)).collect() };
        let profiles = &summary.profiles;
        let together = Together {
            sites: profiles.sites,
            combinations: combination_sentences(&profiles.combinations, names),
            pairs: profiles
                .pairs
                .iter()
                .map(|p| PairLine {
                    a: name_of(&p.a),
                    b: name_of(&p.b),
                    both_strong: p.both_strong,
                    a_only: p.a_only,
                    b_only: p.b_only,
                    both_weak: p.both_weak,
                })
                .collect(),
        };

        let trend = inputs.trend.map(|trend| {
            let (page, chart) = TrendPage::build(trend, inputs.min_group_size);
            charts.push(chart);
            page
        });
        let data = ProgrammeReportData {
            trend,
            schema_version: PROGRAMME_SCHEMA_VERSION,
            title: format!("{}: programme report", inputs.cover.programme),
            cover: inputs.cover,
            site_threshold: threshold,
            min_group_size: inputs.min_group_size,
            at_a_glance: glance,
            ingredients,
            table,
            lens,
            together,
            method: method(threshold, inputs.min_group_size),
        };
        (data, charts)
    }
}

/// Who each figure counts: the method page's words, which the README repeats.
pub fn method(site_threshold: u64, min_group_size: u64) -> Vec<String> {
    vec![
        format!("Sites counted: a site is in the programme figures when at least {site_threshold} of its responses are in its own figures (after its own privacy rule). A site with fewer is listed by name, without scores, and is in no figure. So is a site whose latest answers are from another survey round (a site that has not sent this round's export yet)."),
        format!("Groups: within a site, a group with fewer than {min_group_size} responses is hidden. Across sites, hidden groups are pooled only when at least two of them together reach {min_group_size} responses; otherwise they are left out."),
        "Programme mean: every respondent of the counted sites, pooled, so a large site counts for more than a small one. It is the centre line of each funnel plot and the programme row of the table.".into(),
        "Rounding: every figure is worked out exactly, written with two decimals in the figures files (JSON and CSV), and printed here as a whole number rounded from those two decimals, halves upwards. A difference is worked out before rounding, so it can be 1 more or less than the difference between the two whole numbers beside it.".into(),
        "Funnel plots: one point per counted site with a score for the ingredient. If a site were really no different from the programme, its score would fall inside the 95% limits 95 times in 100 and inside the 99.8% limits 998 times in 1,000. Small sites have wide limits because their scores move more by chance.".into(),
        "Funnel limits: for a site with n responses, the programme mean plus or minus 1.96 (95% limits) or 3.09 (99.8% limits) times the standard deviation of every respondent's score in the plot, pooled across the sites, divided by the square root of n. A site is outside a limit when its score, before rounding, is beyond it.".into(),
        "Middle half of sites: from the lower to the upper quartile of the site scores, worked out as a spreadsheet's QUARTILE.INC does.".into(),
        "Sites and ingredients table: every site, in alphabetical order, never ranked. Scores are whole numbers out of 100.".into(),
        "Co-production lens: counted sites that show both people with lived experience of care and professionals, using only the groups each site's own report shows. The two views clearly differ when the 95% range of the difference between their mean scores (Welch's method, which does not assume both groups vary alike) leaves out zero. \"No\" means the answers do not show a clear difference, often because few people answered; it does not mean the two views are the same. A difference printed as 0 is not counted as lower.".into(),
        "Stronger and weaker: for each ingredient, a site is stronger when its score as printed is at or above the middle site's printed score (with an even number of sites, halfway between the two middle ones), and weaker when below, so sites that show the same score are always on the same side. This says where a site sits among the others, not whether its score is good. Only sites with a score for every ingredient are counted.".into(),
    ]
}

/// The report's data and charts from `inputs` (see [`ProgrammeReportData::build`]).
pub fn build(inputs: ProgrammeInputs<'_>) -> (ProgrammeReportData, Vec<Chart>) {
    ProgrammeReportData::build(inputs)
}

/// Writes the programme report's build folder: the template (built-in, then
/// `overrides`), `data.json` and `charts/`; compile it with
/// [`super::typst::CompileJob`] and `main` = [`PROGRAMME_MAIN_FILE`].
pub fn write_build_folder(
    folder: &Path,
    data: &ProgrammeReportData,
    charts: &[Chart],
    overrides: Option<&Path>,
) -> Result<Vec<String>> {
    super::write_build_folder_of(folder, data, None, charts, overrides)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::Instrument;
    use crate::programme::profiles::Combination;
    use crate::programme::site::fixture::site;
    use crate::programme::summary::summarise;

    /// Five sites: one well above the rest, one well below, one too small.
    fn summary() -> ProgrammeSummary {
        let sizes = [10, 30, 20, 10, 10, 0];
        let sites = vec![
            site(
                "zeta",
                "Zeta Trust",
                &sizes,
                &[60.0, 50.0, 62.0, 55.0, 58.0],
            ),
            site(
                "alpha",
                "alpha council",
                &sizes,
                &[61.0, 52.0, 60.0, 56.0, 57.0],
            ),
            site("mid", "Midshire", &sizes, &[59.0, 51.0, 61.0, 54.0, 59.0]),
            site("high", "High Moor", &[40, 120, 80, 40, 40, 0], &[80.0]),
            site("low", "Lowfield", &[40, 120, 80, 40, 40, 0], &[30.0]),
            site("tiny", "Tiny Steps", &[0, 3, 0, 0, 0, 0], &[50.0]),
        ];
        summarise(&sites, &Instrument::load(None).unwrap(), 5, 10)
    }

    /// The first wave of "Staying Close": 10 responses count a site, 5 a group.
    fn first_wave(summary: &ProgrammeSummary) -> ProgrammeInputs<'_> {
        ProgrammeInputs {
            summary,
            not_this_wave: Vec::new(),
            cover: ProgrammeCover {
                programme: "Staying Close".into(),
                wave: "2026-q3".into(),
                period: None,
            },
            site_threshold: 10,
            min_group_size: 5,
            trend: None,
        }
    }

    fn data() -> (ProgrammeReportData, Vec<Chart>) {
        build(first_wave(&summary()))
    }

    #[test]
    fn a_counted_site_without_both_views_is_named_under_the_lens() {
        let sizes = [10, 30, 20, 10, 10, 0];
        let sites = vec![
            site("zeta", "Zeta Trust", &sizes, &[60.0]),
            site("alpha", "Alpha Council", &sizes, &[61.0]),
            // Two young people: hidden by Harbour's own rule, so one view only.
            site("harbour", "Harbour", &[2, 30, 20, 10, 10, 0], &[59.0]),
        ];
        let summary = summarise(&sites, &Instrument::load(None).unwrap(), 5, 10);
        let (data, _) = build(first_wave(&summary));
        for line in &data.lens {
            assert_eq!(line.sites.len(), 2, "{}", line.name);
            assert!(
                line.sentence
                    .ends_with(" Harbour does not show both views, so it is not in the table."),
                "{}",
                line.sentence
            );
        }
    }

    #[test]
    fn sites_outside_the_limits_are_named_on_each_page() {
        let (data, charts) = data();
        assert_eq!(charts.len(), 5);
        for page in &data.ingredients {
            assert_eq!(page.outside.above_998, ["High Moor"], "{}", page.id);
            assert_eq!(page.outside.below_998, ["Lowfield"], "{}", page.id);
            assert!(page.sentences[0].starts_with("High Moor is well above"));
            assert_eq!(
                page.chart.as_ref().unwrap().path,
                format!("charts/funnel-{}.svg", page.id)
            );
        }
    }

    #[test]
    fn the_table_is_alphabetical_and_a_small_site_has_no_number() {
        let (data, _) = data();
        let names: Vec<&str> = data.table.rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "alpha council",
                "High Moor",
                "Lowfield",
                "Midshire",
                "Tiny Steps",
                "Zeta Trust"
            ]
        );
        let tiny = &data.table.rows[4];
        assert_eq!(tiny.responses, "fewer than 10");
        assert!(tiny.scores.iter().all(Option::is_none));
        assert_eq!(data.at_a_glance.too_few_responses, ["Tiny Steps"]);
        assert_eq!(data.at_a_glance.sites, 5);
        assert_eq!(data.table.columns.len(), 5);
    }

    #[test]
    fn the_weakest_ingredient_says_how_much_sites_differ() {
        let (data, _) = data();
        let weakest = &data.at_a_glance.weakest;
        assert_eq!(weakest.len(), 1);
        assert_eq!(weakest[0].id, "coproduction");
        assert!(
            weakest[0].sentence.starts_with("Programme mean ")
                && weakest[0].sentence.contains("Site scores run from")
                && weakest[0]
                    .sentence
                    .contains("the middle half of sites score"),
            "{}",
            weakest[0].sentence
        );
    }

    #[test]
    fn sentences_in_plain_words() {
        assert_eq!(
            combination_sentence(
                2,
                &["Receptive context".into()],
                &["Leadership".into(), "Adaptation".into()]
            ),
            "In 2 sites, receptive context is stronger, while leadership and adaptation are weaker."
        );
        assert_eq!(
            combination_sentence(1, &[], &["A".into()]),
            "In 1 site, every ingredient is weaker."
        );
        assert_eq!(
            outside_sentences(&Outside::default())[0],
            "Every site is inside the 95% limits: no site differs from the programme by more than chance would explain."
        );
        let outside = Outside {
            below_95: vec!["A".into(), "B".into()],
            ..Outside::default()
        };
        assert_eq!(
            outside_sentences(&outside),
            ["A and B are below the programme: beyond the 95% limits."]
        );
        assert_eq!(in_sentence("NHS staff"), "NHS staff");
    }

    #[test]
    fn method_names_both_thresholds() {
        let method = method(10, 5);
        assert!(method[0].contains("at least 10 of its responses"));
        assert!(method[1].contains("at least two of them together reach 5"));
        assert!(method[2].contains("pooled"));
    }

    #[test]
    fn together_has_a_sentence_per_shared_combination_and_one_for_the_rest() {
        let (data, _) = data();
        assert_eq!(data.together.sites, 5);
        let profiles = summary().profiles;
        let shared = profiles
            .combinations
            .iter()
            .filter(|c| c.sites >= 2)
            .count();
        let alone = profiles.combinations.len() - shared;
        assert_eq!(
            data.together.combinations.len(),
            shared + usize::from(alone > 0)
        );
        assert!(
            data.together.combinations[..shared]
                .iter()
                .all(|c| c.starts_with("In "))
        );
        assert_eq!(data.together.pairs.len(), 10);

        let combination = |sites: usize| Combination {
            strong: vec!["context".into()],
            weak: vec!["leadership".into()],
            sites,
        };
        let names = |ids: &[String]| ids.to_vec();
        assert_eq!(
            combination_sentences(&[combination(3), combination(1), combination(1)], names),
            [
                "In 3 sites, context is stronger, while leadership is weaker.",
                "The 2 other sites each have a combination no other site shares."
            ]
        );
        assert_eq!(
            combination_sentences(&[combination(1), combination(1)], names),
            ["No two of the 2 sites have the same combination of stronger and weaker ingredients."]
        );
        assert_eq!(combination_sentences(&[combination(2)], names).len(), 1);
    }
}
