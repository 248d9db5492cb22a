//! `data.json`: everything the Typst template reads, as data.
//!
//! Respondents' and users' text reaches Typst only through this file: the
//! template reads it with `json()`, so text is never parsed as markup.

use serde::Serialize;

use crate::actions::PlanView;
use crate::charts::{self, Chart};
use crate::instrument::Instrument;
use crate::score::comments::Quote;
use crate::score::trend::{IngredientTrend, Trend};
use crate::score::{COMBINED_ID, IngredientScores, Scores};

use super::compare::{CompareSection, SiteComparison};
use super::decisions::{self, GapWords, GroupAt, GroupNote, Priority, ScaleUse};
use super::findings::{Crossing, Findings, scale_position};
use super::logo::{Logo, logo_for};

/// Version of the contract between this program and the template. Raise it
/// whenever a field is renamed, removed or changes meaning.
/// 2: the priorities, the plan, rank words, the largest change and the
/// differing statements are decided here.
/// 3: `findings`: the profile's bands, the spread, the order of the
/// correlations, the heat table's groups and the ingredients whose views differ.
/// 4: everything refers to an ingredient by its position, never its id, so the
/// template never searches: each ingredient's words carry what its section
/// decides (lowest statements, scales, notes, the gap as printed); `findings`
/// gains the ranking, the heat table's cells, the correlations' ingredients,
/// the plan, the method's and the appendix's choices; the trend names the
/// groups that moved; `easy_read` falls back to the description's first sentence.
pub const REPORT_SCHEMA_VERSION: u32 = 4;

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
    /// Words of each ingredient and what its section decides, in instrument
    /// order: the same positions as its figures in `scores.ingredients`.
    pub ingredients: Vec<IngredientPage>,
    /// Charts shown outside the ingredient sections.
    pub charts: OverviewCharts,
    /// Up to three suggested actions for "At a glance", weakest ingredient first.
    pub priorities: Vec<Priority>,
    /// Ids of the ingredients the improvement plan covers, weakest first.
    pub plan: Vec<String>,
    /// The actions the team agreed, read from the project's plan file; absent
    /// without a plan (outside a project, or on its first report).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actions: Option<PlanView>,
    /// Statements on which people with lived experience and professionals
    /// differ by more than chance, biggest gap first (the co-production lens).
    pub differing_statements: Vec<DifferingStatement>,
    /// What the summary, the profile, the heat table and the correlations
    /// single out, decided here; positions refer to lists in `scores`.
    pub findings: Findings,
    /// Every figure.
    pub scores: Scores,
    /// The organisation's logo, copied into the build folder; shown on the cover.
    pub logo: Option<Logo>,
    /// How the scores moved since earlier waves; `null` on a first wave (no
    /// earlier wave on record), which the report says plainly.
    pub trend: Option<TrendSection>,
    /// "How you compare": the site beside its programme; absent outside a
    /// programme run (the single-organisation report has no such key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compare: Option<CompareSection>,
    /// Quoted free-text answers, redacted, from groups shown on their own;
    /// `null` unless the user asked for them with `--include-comments`.
    pub comments: Option<Vec<Quote>>,
}

/// A statement whose lived-experience gap is more than chance.
#[derive(Debug, Clone, Serialize)]
pub struct DifferingStatement {
    /// The name of its ingredient.
    pub ingredient: String,
    /// Its figures (with the gap).
    pub statement: crate::score::StatementScores,
    /// The gap as printed.
    pub gap: GapWords,
}

/// The trend section: its chart and, flattened beside it, every field of
/// [`Trend`] (`wave`, `previous_wave`, `first_wave`, `waves`, `instrument_changed`,
/// `instrument_notes`, `ingredients`).
#[derive(Debug, Clone, Serialize)]
pub struct TrendSection {
    /// Every ingredient's overall score, wave by wave (`charts/trend.svg`).
    pub chart: ChartRef,
    /// The ingredient whose score changed most since the previous wave, by
    /// more than chance; `null` when none did.
    pub largest_change: Option<IngredientTrend>,
    /// The groups whose score changed by more than chance since the previous
    /// wave, ingredient by ingredient (positions in `ingredients` and their `groups`).
    pub moved: Vec<GroupAt>,
    /// The figures.
    #[serde(flatten)]
    pub figures: Trend,
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
    /// The `--logo` file (checked with [`Logo::check`]), when given.
    pub logo: Option<std::path::PathBuf>,
}

/// Everything a report is made from.
#[derive(Debug, Clone)]
pub struct ReportInputs<'a> {
    /// The questionnaire: the ingredients' words.
    pub instrument: &'a Instrument,
    /// Every figure of the wave reported on.
    pub scores: Scores,
    /// What the user says about the report itself.
    pub cover: Cover,
    /// How the scores moved since earlier waves; `None` on a first wave.
    pub trend: Option<Trend>,
    /// Quoted comments, when the user asked for them.
    pub comments: Option<Vec<Quote>>,
    /// The team's plan as the report shows it, when the project has one.
    pub actions: Option<PlanView>,
    /// The site beside its programme, in a programme run's site report;
    /// `None` for a single organisation's report.
    pub compare: Option<SiteComparison>,
}

impl ReportData {
    /// Draws every chart and assembles the template's data, complete.
    /// Returns the data and the charts to write into the build folder.
    pub fn build(inputs: ReportInputs<'_>) -> (ReportData, Vec<Chart>) {
        let ReportInputs {
            instrument,
            scores,
            cover,
            trend,
            comments,
            actions,
            compare,
        } = inputs;
        let profile = charts::profile(&scores);
        let ingredient_charts: Vec<Chart> = (0..scores.ingredients.len())
            .map(|i| charts::ingredient(&scores, i))
            .collect();
        let statement_charts: Vec<Chart> = (0..scores.ingredients.len())
            .map(|i| charts::statements(&scores, i))
            .collect();
        let lens = charts::coproduction_lens(&scores);
        let trend_chart = trend
            .as_ref()
            .map(|figures| charts::trend(figures, &scores));
        let trend = trend
            .zip(trend_chart.as_ref())
            .map(|(figures, chart)| TrendSection {
                chart: ChartRef::to(chart),
                largest_change: decisions::largest_change(figures.ingredients.iter().map(|i| {
                    let change = &i.since_previous;
                    change.difference.filter(|_| change.changed)
                }))
                .map(|i| figures.ingredients[i].clone()),
                moved: decisions::moved_groups(
                    &figures
                        .ingredients
                        .iter()
                        .map(|i| i.groups.iter().map(|g| g.since_previous.changed).collect())
                        .collect::<Vec<_>>(),
                ),
                figures,
            });
        let (compare, compare_chart) = match compare {
            Some(comparison) => {
                let (section, chart) = CompareSection::build(comparison, &scores);
                (Some(section), chart)
            }
            None => (None, None),
        };
        let logo = cover
            .logo
            .as_deref()
            .map(|file| logo_for(file, cover.organisation.as_deref()));
        // The scored ingredients from the weakest (the ranking names no other).
        let ranking: Vec<usize> = scores
            .ranking
            .iter()
            .filter_map(|id| scores.ingredients.iter().position(|i| i.id == *id))
            .collect();
        let prompts = |position: usize| {
            let id = &scores.ingredients[position].id;
            instrument
                .ingredients
                .iter()
                .find(|i| i.id == *id)
                .map_or(&[][..], |i| i.prompts.as_slice())
        };
        let band = |position: usize| {
            scores.ingredients[position]
                .overall
                .as_ref()
                .map(|o| o.band.as_str())
        };
        let priorities = decisions::priorities(&ranking, prompts);
        let plan = decisions::plan(
            &ranking,
            band,
            scores.rules.bands.last().map(|b| b.name.as_str()),
        );
        // The ranked scores as printed, so equal-looking scores get equal words.
        let printed: Vec<i64> = ranking
            .iter()
            .filter_map(|&p| scores.ingredients[p].overall.as_ref())
            .map(|o| o.mean.round() as i64)
            .collect();
        let rank = |position: usize| {
            let place = ranking.iter().position(|&r| r == position)?;
            decisions::rank_words(&printed, place)
        };
        let ingredients = IngredientPage::all(
            instrument,
            &scores,
            |index| ChartRef::to(&ingredient_charts[index]),
            |index| ChartRef::to(&statement_charts[index]),
            rank,
        );
        let differing: Vec<DifferingStatement> = scores
            .ingredients
            .iter()
            .flat_map(|i| {
                i.statements
                    .iter()
                    .filter(|s| s.gap.as_ref().is_some_and(|g| g.differs))
                    .filter_map(|s| {
                        let g = s.gap.as_ref()?;
                        Some(DifferingStatement {
                            ingredient: i.name.clone(),
                            statement: s.clone(),
                            gap: decisions::gap_words(g.difference, g.ci_low, g.ci_high),
                        })
                    })
            })
            .collect();
        let sizes: Vec<f64> = differing
            .iter()
            .map(|d| d.statement.gap.as_ref().map_or(0.0, |g| g.difference))
            .collect();
        let differing_statements = decisions::largest_first(&sizes)
            .into_iter()
            .map(|i| differing[i].clone())
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
            ingredients,
            charts: OverviewCharts {
                profile: ChartRef::to(&profile),
                coproduction_lens: ChartRef::to(&lens),
            },
            priorities,
            plan: plan
                .iter()
                .map(|&p| scores.ingredients[p].id.clone())
                .collect(),
            actions,
            differing_statements,
            findings: Findings::of(&scores, ranking, &printed, plan),
            logo,
            scores,
            trend,
            compare,
            comments,
        };
        let all = std::iter::once(profile)
            .chain(ingredient_charts)
            .chain(statement_charts)
            .chain(std::iter::once(lens))
            .chain(trend_chart)
            .chain(compare_chart)
            .collect();
        (data, all)
    }
}

impl ReportData {
    /// What the figures file (`--figures`, a project's figures JSON) holds:
    /// everything but the team's plan, whose owners are staff names written
    /// for the report only.
    pub fn for_figures_file(&self) -> ReportData {
        ReportData {
            actions: None,
            ..self.clone()
        }
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
    /// One plain sentence for the easy-read summary: the questionnaire's
    /// easy-read line, else the first sentence of the description.
    pub easy_read: String,
    /// Score by group.
    pub chart: ChartRef,
    /// Every statement's answers as diverging stacked bars.
    pub statements_chart: ChartRef,
    /// Its place among the scored ingredients in words ("the second lowest");
    /// `null` without a score or when it is the only score.
    pub rank: Option<String>,
    /// Positions in its `statements` of the lowest-scoring ones, lowest first
    /// (up to three).
    pub lowest_statements: Vec<usize>,
    /// Whether rounding lifts its overall score onto the start of a higher band.
    pub crosses_band: bool,
    /// Its shown groups' scores that rounding lifts onto a higher band, each once.
    pub rounding_note: Vec<Crossing>,
    /// What the note under its chart by group says about groups; `null` for nothing.
    pub group_note: Option<GroupNote>,
    /// Whether its overall score or a shown group's has no 95% range (a dash).
    pub no_range: bool,
    /// The gap between the two views, as printed; `null` when either side is too small.
    pub gap: Option<GapWords>,
    /// The answer scales its statements use, in order of first use, each with
    /// its statements.
    pub scales: Vec<ScaleUse>,
    /// The middle answer, split across the centre line of the statements
    /// chart: when every statement uses one scale with an odd number of points.
    pub middle_answer: Option<String>,
    /// The "no view" answers of its scales, each once.
    pub no_view_answers: Vec<String>,
}

/// Charts outside the ingredient sections.
#[derive(Debug, Clone, Serialize)]
pub struct OverviewCharts {
    /// The five scores, overall and by group.
    pub profile: ChartRef,
    /// Lived experience against professionals, per ingredient.
    pub coproduction_lens: ChartRef,
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
    /// The pages for every ingredient of `instrument` with its figures in
    /// `scores` (at the same position), with chart references filled in by
    /// `chart` and `statements_chart` and rank words by `rank`, each from the
    /// ingredient's position.
    pub fn all(
        instrument: &Instrument,
        scores: &Scores,
        chart: impl Fn(usize) -> ChartRef,
        statements_chart: impl Fn(usize) -> ChartRef,
        rank: impl Fn(usize) -> Option<String>,
    ) -> Vec<IngredientPage> {
        let starts: Vec<f64> = scores.rules.bands.iter().map(|b| b.from).collect();
        instrument
            .ingredients
            .iter()
            .zip(&scores.ingredients)
            .enumerate()
            .map(|(i, (ingredient, figures))| {
                debug_assert_eq!(ingredient.id, figures.id, "figures in instrument order");
                let scales: Vec<usize> = figures
                    .statements
                    .iter()
                    .map(|s| scale_position(scores, &s.scale))
                    .collect();
                let scales = decisions::scale_uses(&scales);
                let used: Vec<&crate::score::ScaleInfo> = scales
                    .iter()
                    .map(|u| &scores.rules.scales[u.scale])
                    .collect();
                IngredientPage {
                    id: ingredient.id.clone(),
                    number: i + 1,
                    name: ingredient.name.clone(),
                    description: ingredient.description.clone(),
                    prompts: ingredient.prompts.clone(),
                    easy_read: decisions::easy_meaning(
                        &ingredient.easy_read,
                        &ingredient.description,
                    ),
                    chart: chart(i),
                    statements_chart: statements_chart(i),
                    rank: rank(i),
                    lowest_statements: figures
                        .lowest_statements
                        .iter()
                        .filter_map(|id| figures.statements.iter().position(|s| s.id == *id))
                        .collect(),
                    crosses_band: figures
                        .overall
                        .as_ref()
                        .and_then(|o| Crossing::of(o, &starts))
                        .is_some(),
                    rounding_note: Crossing::of_groups(figures, &starts),
                    group_note: decisions::group_note(
                        figures.groups.iter().any(|g| g.id == COMBINED_ID),
                        figures.overall.is_some(),
                        figures.groups.iter().any(|g| !g.shown),
                    ),
                    no_range: no_range(figures),
                    gap: figures
                        .gap
                        .as_ref()
                        .map(|g| decisions::gap_words(g.difference, g.ci_low, g.ci_high)),
                    middle_answer: match used.as_slice() {
                        [one] if one.points.len() % 2 == 1 => {
                            Some(one.points[one.points.len() / 2].label.clone())
                        }
                        _ => None,
                    },
                    no_view_answers: decisions::first_appearance(
                        used.iter().flat_map(|s| s.missing_answers.iter().cloned()),
                    ),
                    scales,
                }
            })
            .collect()
    }
}

/// Whether an ingredient's overall score, or a shown group's, has no 95% range.
fn no_range(figures: &IngredientScores) -> bool {
    let missing = |s: &crate::score::Summary| s.ci_low.is_none() || s.ci_high.is_none();
    figures.overall.as_ref().is_some_and(missing)
        || figures
            .groups
            .iter()
            .any(|g| g.shown && g.summary.as_ref().is_none_or(missing))
}
