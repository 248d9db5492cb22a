//! `data.json`: everything the Typst template reads, as data.
//!
//! Respondents' and users' text reaches Typst only through this file: the
//! template reads it with `json()`, so text is never parsed as markup.

use serde::Serialize;

use crate::charts::{self, Chart};
use crate::instrument::Instrument;
use crate::score::Scores;

/// Version of the contract between this program and the template. Raise it
/// whenever a field is renamed, removed or changes meaning.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// The whole content of `data.json`.
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    /// Contract version; the template refuses a version it does not know.
    pub schema_version: u32,
    /// "makeitstick 0.1.0", printed in the method note.
    pub generator: String,
    /// Document title (also the PDF title).
    pub title: String,
    /// Organisation name, when given.
    pub organisation: Option<String>,
    /// Innovation name, when given.
    pub innovation: Option<String>,
    /// The survey period in words ("1 to 30 September 2026"), when known.
    pub period_text: Option<String>,
    /// Accent colour as `#rrggbb`.
    pub accent: String,
    /// Words of each ingredient, in instrument order (same order as `scores.ingredients`).
    pub ingredients: Vec<IngredientPage>,
    /// Charts shown outside the ingredient sections.
    pub charts: OverviewCharts,
    /// Every figure.
    pub scores: Scores,
}

/// What the user says about the report itself, printed on the cover.
#[derive(Debug, Clone, Default)]
pub struct Cover {
    /// Organisation name.
    pub organisation: Option<String>,
    /// Innovation name.
    pub innovation: Option<String>,
    /// Accent colour as `#rrggbb`.
    pub accent: String,
}

impl ReportData {
    /// Draws every chart for `scores` and assembles the template's data.
    /// Returns the data and the charts to write into the build folder.
    pub fn assemble(
        instrument: &Instrument,
        scores: Scores,
        cover: Cover,
    ) -> (ReportData, Vec<Chart>) {
        let profile = charts::profile(&scores);
        let ingredient_charts: Vec<Chart> = (0..scores.ingredients.len())
            .map(|i| charts::ingredient(&scores, i))
            .collect();
        let data = ReportData {
            schema_version: REPORT_SCHEMA_VERSION,
            generator: format!("makeitstick {}", env!("CARGO_PKG_VERSION")),
            title: "Make It Stick improvement report".into(),
            organisation: cover.organisation,
            innovation: cover.innovation,
            period_text: scores
                .period
                .as_ref()
                .map(|p| super::period_text(p.first, p.last)),
            accent: cover.accent,
            ingredients: IngredientPage::all(instrument, |index| {
                ChartRef::to(&ingredient_charts[index])
            }),
            charts: OverviewCharts {
                profile: ChartRef::to(&profile),
            },
            scores,
        };
        let all = std::iter::once(profile).chain(ingredient_charts).collect();
        (data, all)
    }
}

impl ChartRef {
    /// The reference the template uses for a chart written into `charts/`.
    pub fn to(chart: &Chart) -> ChartRef {
        ChartRef {
            path: format!("charts/{}", chart.file_name),
            alt: chart.alt.clone(),
        }
    }
}

/// The words and chart of one ingredient section.
#[derive(Debug, Clone, Serialize)]
pub struct IngredientPage {
    /// Ingredient id.
    pub id: String,
    /// 1-based position in the instrument.
    pub number: usize,
    /// Name.
    pub name: String,
    /// What it means.
    pub description: String,
    /// Things to do to strengthen it.
    pub prompts: Vec<String>,
    /// One plain sentence for the easy-read summary.
    pub easy_read: String,
    /// Score by group.
    pub chart: ChartRef,
}

/// Charts outside the ingredient sections.
#[derive(Debug, Clone, Serialize)]
pub struct OverviewCharts {
    /// The five scores, overall and by group.
    pub profile: ChartRef,
}

/// A chart file in the build folder and its alternative text.
#[derive(Debug, Clone, Serialize)]
pub struct ChartRef {
    /// Path relative to the build folder (`charts/profile.svg`).
    pub path: String,
    /// Alternative text generated from the chart's data.
    pub alt: String,
}

impl IngredientPage {
    /// The pages for every ingredient, with chart references filled in by `chart` from the ingredient's index.
    pub fn all(instrument: &Instrument, chart: impl Fn(usize) -> ChartRef) -> Vec<IngredientPage> {
        instrument
            .ingredients
            .iter()
            .enumerate()
            .map(|(i, ingredient)| IngredientPage {
                id: ingredient.id.clone(),
                number: i + 1,
                name: ingredient.name.clone(),
                description: ingredient.description.clone(),
                prompts: ingredient.prompts.clone(),
                easy_read: ingredient.easy_read.clone(),
                chart: chart(i),
            })
            .collect()
    }
}
