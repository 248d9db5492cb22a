//! A programme run's figures files: every figure of every site and of the
//! programme as one JSON file and one tidy CSV with a leading `site` column.
//!
//! - **JSON** (`programme-<wave>.json`): the schema version, the programme's
//!   name and wave, every site (id, name, and its published [`Scores`] exactly
//!   as its own scores JSON holds them; a site with too few responses is
//!   listed with no figures), and the programme's figures from
//!   [`ProgrammeSummary`]: the pooled figures, the spreads and funnels, the
//!   weakest ingredient, the co-production lens and the profiles.
//! - **CSV** (`programme-<wave>.csv`): the tidy rows of [`super::tidy`] for
//!   each site, with its id in a leading `site` column, then the programme's
//!   rows with `programme` there.
//!
//! Privacy: only published aggregates are written. A site's hidden cells
//! live in [`crate::programme::site::SiteFigures`], which is never given to
//! this module; the programme figures follow the cross-site rule of
//! [`crate::programme::pool`]. The sites × ingredients table of the summary
//! is not written: its scores are the sites' own, and it holds a small
//! site's exact number of responses, which its report shows only as "fewer than".

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use super::tidy::{self, COLUMNS, RowFn};
use crate::programme::funnel::Position;
use crate::programme::pool::ProgrammeFigures;
use crate::programme::profiles::Profiles;
use crate::programme::summary::{IngredientSpread, LensRow, ProgrammeSummary};
use crate::score::Scores;

/// The version of the programme figures JSON; raised whenever a field is
/// renamed, removed or changes meaning.
pub const PROGRAMME_FIGURES_SCHEMA_VERSION: u32 = 1;

/// The `site` column's word for the programme's own rows (programme.toml
/// refuses it as a site id).
pub const PROGRAMME_ROWS: &str = crate::programme::config::RESERVED_ID;

/// Why the programme's figures cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum ProgrammeOutputError {
    /// A site's id is the word the CSV uses for the programme's rows.
    #[error(
        "a site has the id \"{PROGRAMME_ROWS}\", which the figures CSV uses for the programme's own rows"
    )]
    ReservedId,
    /// The CSV could not be written.
    #[error("cannot write the programme figures CSV: {0}")]
    Csv(#[from] csv::Error),
    /// The JSON could not be written.
    #[error("cannot write the programme figures JSON {path}: {source}")]
    Json {
        /// The file.
        path: std::path::PathBuf,
        /// What went wrong.
        source: anyhow::Error,
    },
}

impl ProgrammeOutputError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            ProgrammeOutputError::ReservedId => {
                "give that site another id in programme.toml (and rename its folder under sites/)"
            }
            _ => "check that the reports folder is writable and has space",
        }
    }
}

/// One site as the run gives it: its published figures.
#[derive(Debug, Clone, Copy)]
pub struct SiteScores<'a> {
    /// Site id.
    pub id: &'a str,
    /// Site name.
    pub name: &'a str,
    /// Its published figures, as its own scores JSON holds them.
    pub scores: &'a Scores,
}

/// One site in the figures file.
#[derive(Debug, Clone, Serialize)]
pub struct SiteEntry<'a> {
    /// Site id.
    pub id: &'a str,
    /// Site name.
    pub name: &'a str,
    /// Fewer responses than the site threshold: listed, with no figures.
    pub too_few_responses: bool,
    /// Its published figures; `null` for a site with too few responses.
    pub scores: Option<&'a Scores>,
}

/// The programme's own figures.
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeEntry<'a> {
    /// The pooled figures, by group under the cross-site privacy rule.
    pub figures: &'a ProgrammeFigures,
    /// Per ingredient, how sites differ: programme mean, quartiles, funnel.
    pub spreads: &'a [IngredientSpread],
    /// The ingredient(s) weakest across the programme.
    pub weakest: &'a [String],
    /// The co-production lens per ingredient across sites.
    pub lens: &'a [LensRow],
    /// How ingredient profiles cluster.
    pub profiles: &'a Profiles,
}

/// The whole figures file.
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeOutput<'a> {
    /// [`PROGRAMME_FIGURES_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The programme's name.
    pub programme: &'a str,
    /// The wave reported on.
    pub wave: &'a str,
    /// Every site, in the order given (the run's order of programme.toml).
    pub sites: Vec<SiteEntry<'a>>,
    /// The programme's figures.
    #[serde(rename = "programme_figures")]
    pub figures: ProgrammeEntry<'a>,
}

impl<'a> ProgrammeOutput<'a> {
    /// The figures of `sites` and of `summary` for `programme`'s `wave`. A
    /// site the summary lists with too few responses keeps no figures.
    pub fn new(
        programme: &'a str,
        wave: &'a str,
        sites: &[SiteScores<'a>],
        summary: &'a ProgrammeSummary,
    ) -> Result<ProgrammeOutput<'a>, ProgrammeOutputError> {
        if sites.iter().any(|s| s.id == PROGRAMME_ROWS) {
            return Err(ProgrammeOutputError::ReservedId);
        }
        let too_few = |id: &str| summary.figures.too_few_responses.iter().any(|t| t == id);
        Ok(ProgrammeOutput {
            schema_version: PROGRAMME_FIGURES_SCHEMA_VERSION,
            programme,
            wave,
            sites: sites
                .iter()
                .map(|s| SiteEntry {
                    id: s.id,
                    name: s.name,
                    too_few_responses: too_few(s.id),
                    scores: (!too_few(s.id)).then_some(s.scores),
                })
                .collect(),
            figures: ProgrammeEntry {
                figures: &summary.figures,
                spreads: &summary.spreads,
                weakest: &summary.weakest,
                lens: &summary.lens,
                profiles: &summary.profiles,
            },
        })
    }

    /// Writes the JSON file (pretty, ending in a newline) through
    /// [`super::write_json`]; give it a staged path to replace a file whole.
    pub fn write_json(&self, path: &Path) -> Result<(), ProgrammeOutputError> {
        super::write_json(path, self).map_err(|source| ProgrammeOutputError::Json {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Writes the tidy CSV: `site` and then [`tidy::COLUMNS`]; each site's
    /// rows (none for a site with too few responses), then the programme's.
    pub fn write_csv(&self, writer: impl Write) -> Result<(), ProgrammeOutputError> {
        let mut out = csv::Writer::from_writer(writer);
        out.write_record(std::iter::once("site").chain(COLUMNS))?;
        for site in &self.sites {
            let Some(scores) = site.scores else { continue };
            let id = tidy::safe(site.id);
            tidy::for_each_row(scores, |record| {
                out.write_record(std::iter::once(&id).chain(&record))
            })?;
        }
        let mut row = |ingredient: &str, statement: &str, group: &str, measure: &str, value| {
            let record = tidy::record(self.wave, ingredient, statement, group, measure, value);
            out.write_record(
                std::iter::once(PROGRAMME_ROWS).chain(record.iter().map(String::as_str)),
            )
        };
        programme_rows(&mut row, &self.figures)?;
        // Where each site falls in each funnel, after the programme's rows.
        for spread in self.figures.spreads {
            for site in &spread.sites {
                if let Some(position) = site.position {
                    let record = tidy::record(
                        self.wave,
                        &spread.id,
                        "",
                        "all",
                        "funnel_position",
                        position_code(position),
                    );
                    out.write_record(std::iter::once(tidy::safe(&site.site)).chain(record))?;
                }
            }
        }
        out.flush().map_err(csv::Error::from)?;
        Ok(())
    }
}

/// A funnel position as a number: −2 below the 99.8% limits, −1 below the
/// 95% limits, 0 inside, 1 above the 95% limits, 2 above the 99.8% limits.
pub fn position_code(position: Position) -> f64 {
    match position {
        Position::Below998 => -2.0,
        Position::Below95 => -1.0,
        Position::Inside => 0.0,
        Position::Above95 => 1.0,
        Position::Above998 => 2.0,
    }
}

/// The programme's rows: counts, each ingredient's pooled figures overall
/// and by group, and how sites spread.
fn programme_rows(row: &mut RowFn, entry: &ProgrammeEntry) -> csv::Result<()> {
    let figures = entry.figures;
    row("", "", "all", "sites", figures.sites.len() as f64)?;
    row(
        "",
        "",
        "all",
        "sites_too_few_responses",
        figures.too_few_responses.len() as f64,
    )?;
    row("", "", "all", "responses", figures.responses as f64)?;
    for group in &figures.groups {
        if let Some(n) = group.n {
            row("", "", &group.id, "responses", n as f64)?;
        }
        row("", "", &group.id, "sites", group.sites as f64)?;
        row(
            "",
            "",
            &group.id,
            "sites_left_out",
            group.sites_left_out as f64,
        )?;
    }
    for (ingredient, spread) in figures.ingredients.iter().zip(entry.spreads) {
        let id = ingredient.id.as_str();
        if let Some(overall) = &ingredient.overall {
            tidy::summary_rows(row, id, "", "all", overall)?;
        }
        row(id, "", "all", "sites", ingredient.sites as f64)?;
        for cell in &ingredient.groups {
            if let Some(summary) = &cell.summary {
                tidy::summary_rows(row, id, "", &cell.id, summary)?;
            }
            row(id, "", &cell.id, "sites", cell.sites as f64)?;
            row(id, "", &cell.id, "sites_pooled", cell.sites_pooled as f64)?;
            row(
                id,
                "",
                &cell.id,
                "sites_left_out",
                cell.sites_left_out as f64,
            )?;
        }
        let quartiles = spread.site_quartiles;
        for (measure, value) in [
            ("programme_mean", spread.programme_mean),
            ("site_q1", quartiles.map(|q| q.q1)),
            ("site_median", quartiles.map(|q| q.median)),
            ("site_q3", quartiles.map(|q| q.q3)),
            ("site_iqr", spread.iqr),
            ("site_lowest", spread.lowest),
            ("site_highest", spread.highest),
            ("site_range", spread.range),
            ("funnel_target", spread.funnel.map(|f| f.target)),
            ("funnel_sd", spread.funnel.map(|f| f.sd)),
        ] {
            if let Some(value) = value {
                row(id, "", "all", measure, value)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::Instrument;
    use crate::programme::site::fixture::{programme, site};
    use crate::programme::summary::summarise;

    fn scores_of(wave: &str) -> Scores {
        let mut scores = crate::charts::tests::scores();
        scores.wave = Some(wave.into());
        scores
    }

    /// Every site of `sites`, each with `scores`.
    fn every_site<'a>(
        sites: &'a [crate::programme::site::SiteFigures],
        scores: &'a Scores,
    ) -> Vec<SiteScores<'a>> {
        sites
            .iter()
            .map(|s| SiteScores {
                id: &s.id,
                name: &s.name,
                scores,
            })
            .collect()
    }

    fn csv_of(output: &ProgrammeOutput) -> String {
        let mut bytes = Vec::new();
        output.write_csv(&mut bytes).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn sites_keep_their_scores_small_sites_are_listed_without_figures() {
        let sites = programme();
        let summary = summarise(&sites, &Instrument::load(None).unwrap(), 5, 10);
        let scores = scores_of("2026-Q3");
        let given = every_site(&sites, &scores);
        let output = ProgrammeOutput::new("Staying Close", "2026-Q3", &given, &summary).unwrap();
        let json = serde_json::to_value(&output).unwrap();
        assert_eq!(json["schema_version"], 1);
        assert_eq!(json["programme"], "Staying Close");
        let tiny = json["sites"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == "tiny")
            .unwrap();
        assert_eq!(tiny["too_few_responses"], true);
        assert!(tiny["scores"].is_null());
        // A site's scores are its scores JSON, exactly.
        let beta = json["sites"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == "beta")
            .unwrap();
        assert_eq!(beta["scores"], serde_json::to_value(&scores).unwrap());
        assert!(json["programme_figures"]["spreads"].is_array());
        assert!(json.get("table").is_none() && json["programme_figures"].get("table").is_none());

        let csv = csv_of(&output);
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some("site,wave,ingredient,statement,group,measure,value")
        );
        // Each counted site's rows are its tidy CSV's rows behind its id.
        let mut single = Vec::new();
        tidy::write_csv(&scores, &mut single).unwrap();
        let single = String::from_utf8(single).unwrap();
        let beta_rows: Vec<&str> = csv
            .lines()
            .filter_map(|l| l.strip_prefix("beta,"))
            .collect();
        let funnel_rows = beta_rows
            .iter()
            .filter(|l| l.contains("funnel_position"))
            .count();
        assert_eq!(funnel_rows, 5);
        assert_eq!(
            beta_rows[..beta_rows.len() - funnel_rows].join("\n"),
            single.lines().skip(1).collect::<Vec<_>>().join("\n")
        );
        assert!(!csv.lines().any(|l| l.starts_with("tiny,")));
        assert!(csv.contains("\nprogramme,2026-Q3,,,all,sites,4\n"));
        assert!(csv.contains("\nprogramme,2026-Q3,,,all,sites_too_few_responses,1\n"));
        // Context: site means 50, 60, 70, 80 plus the fixture's shift; the range is 30.
        assert!(
            csv.contains("\nprogramme,2026-Q3,context,,all,site_range,30\n"),
            "{csv}"
        );
    }

    #[test]
    fn a_site_may_not_take_the_programme_rows_id() {
        let sites = programme();
        let summary = summarise(&sites, &Instrument::load(None).unwrap(), 5, 10);
        let scores = scores_of("2026-Q3");
        let given = [SiteScores {
            id: "programme",
            name: "Programme",
            scores: &scores,
        }];
        assert!(matches!(
            ProgrammeOutput::new("P", "2026-Q3", &given, &summary),
            Err(ProgrammeOutputError::ReservedId)
        ));
    }

    /// Exactly one site hides its young people (3 of them): the programme's
    /// figure for young people is the shown sites' alone, so subtracting them
    /// leaves nothing, and no file holds the hidden cell.
    #[test]
    fn one_site_hiding_a_group_leaves_that_cell_out_of_both_files() {
        let shown = [6, 10, 8, 5, 5, 0];
        let sites = vec![
            site("a", "A", &shown, &[60.0]),
            site("b", "B", &[3, 10, 8, 5, 5, 0], &[91.0]),
            site("c", "C", &shown, &[70.0]),
        ];
        let instrument = Instrument::load(None).unwrap();
        let summary = summarise(&sites, &instrument, 5, 10);
        let scores = scores_of("2026-Q3");
        let given = every_site(&sites, &scores);
        let output = ProgrammeOutput::new("P", "2026-Q3", &given, &summary).unwrap();
        let young = &crate::score::privacy::slots(&instrument)[0].id;
        let csv = csv_of(&output);
        let rows = |measure: &str| -> Vec<String> {
            csv.lines()
                .filter(|l| l.starts_with("programme,"))
                .filter(|l| l.contains(&format!(",{young},{measure},")))
                .map(String::from)
                .collect()
        };
        // Two shown sites of 6 young people each: 12, never 15.
        assert_eq!(
            rows("responses"),
            [format!("programme,2026-Q3,,,{young},responses,12")]
        );
        assert!(
            rows("n").iter().all(|l| l.ends_with(",12")),
            "{:?}",
            rows("n")
        );
        assert!(rows("sites_left_out").iter().all(|l| l.ends_with(",1")));
        // Site B's young people score 91 (its only cell at 91): no mean in
        // either file may come from them.
        assert!(
            rows("mean").iter().all(|l| l.ends_with(",65")),
            "{:?}",
            rows("mean")
        );
        let json = serde_json::to_string(&output).unwrap();
        assert!(!json.contains("\"respondents\":3"));
        let ingredients =
            serde_json::to_value(&output).unwrap()["programme_figures"]["figures"]["ingredients"]
                .clone();
        for ingredient in ingredients.as_array().unwrap() {
            let cell = ingredient["groups"]
                .as_array()
                .unwrap()
                .iter()
                .find(|g| g["id"] == young.as_str())
                .unwrap();
            assert_eq!(cell["summary"]["n"], 12);
            assert_eq!(cell["summary"]["mean"], 65.0);
            assert_eq!(cell["sites_left_out"], 1);
        }
    }
}
