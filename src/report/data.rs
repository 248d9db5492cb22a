//! `data.json`: everything the Typst template reads, as data.
//!
//! Respondents' and users' text reaches Typst only through this file: the
//! template reads it with `json()`, so text is never parsed as markup.

use serde::Serialize;

use crate::actions::PlanView;
use crate::charts::{self, Chart};
use crate::instrument::Instrument;
use crate::score::Scores;
use crate::score::comments::Quote;
use crate::score::trend::{IngredientTrend, Trend};

use super::decisions::{self, BandGroup, Priority, Scored};

/// Version of the contract between this program and the template. Raise it
/// whenever a field is renamed, removed or changes meaning.
/// 2: the priorities, the plan, rank words, the largest change and the
/// differing statements are decided here.
/// 3: `findings`: the profile's bands, the spread, the order of the
/// correlations, the heat table's groups and the ingredients whose views differ.
pub const REPORT_SCHEMA_VERSION: u32 = 3;

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
    /// Quoted free-text answers, redacted, from groups shown on their own;
    /// `null` unless the user asked for them with `--include-comments`.
    pub comments: Option<Vec<Quote>>,
}

/// What the template would otherwise work out from the figures. To keep each
/// figure in one place, lists of figures are given as positions in `scores`'
/// lists, not copied.
#[derive(Debug, Clone, Serialize)]
pub struct Findings {
    /// The bands that hold a scored ingredient, the highest band first, with
    /// their ingredients' names and printed scores: the profile's list and
    /// the summary's count per band.
    pub bands: Vec<BandGroup>,
    /// Points between the strongest and the weakest printed score; `null`
    /// with fewer than two scores.
    pub spread: Option<i64>,
    /// Positions in `scores.correlations`, the closest pair first (by r).
    pub correlation_order: Vec<usize>,
    /// The heat table's rows: each group any ingredient lists, in the order
    /// they first appear.
    pub heat_groups: Vec<GroupName>,
    /// Positions in `scores.ingredients` of the ingredients on which people
    /// with lived experience and professionals differ by more than chance,
    /// in instrument order.
    pub differing_ingredients: Vec<usize>,
    /// Scores that rounding lifts onto the start of a higher band.
    pub rounding: Rounding,
    /// Positions in `scores.responses.groups` of the groups of people with
    /// lived experience of care.
    pub lived_groups: Vec<usize>,
    /// Positions in the weakest ingredient's `groups` of its shown
    /// lived-experience cells with a score (the easy-read summary quotes them).
    pub weakest_lived_cells: Vec<usize>,
}

/// Scores whose rounded value reaches the start of a band above theirs, so the
/// report says they are just under it.
#[derive(Debug, Clone, Serialize)]
pub struct Rounding {
    /// For each ingredient (as `scores.ingredients`): whether its overall score crosses.
    pub overall: Vec<bool>,
    /// The overall scores that cross, as printed with their bands, each once.
    pub overall_note: Vec<Crossing>,
    /// For each ingredient: its shown groups' scores that cross, each once.
    pub groups_note: Vec<Vec<Crossing>>,
    /// Whether any overall or shown group score crosses.
    pub any: bool,
}

/// A printed score and the band it is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Crossing {
    /// The score rounded to a whole number.
    pub score: i64,
    /// The band of the exact score.
    pub band: String,
}

impl Rounding {
    /// Which of `scores`' overall and shown group scores cross a band when rounded.
    fn of(scores: &Scores) -> Rounding {
        let starts: Vec<f64> = scores.rules.bands.iter().map(|b| b.from).collect();
        let crossing = |s: &crate::score::Summary| {
            decisions::crosses_band(s.mean, &starts).then(|| Crossing {
                score: s.mean.round() as i64,
                band: s.band.clone(),
            })
        };
        let overall: Vec<Option<Crossing>> = scores
            .ingredients
            .iter()
            .map(|i| i.overall.as_ref().and_then(crossing))
            .collect();
        let groups_note: Vec<Vec<Crossing>> = scores
            .ingredients
            .iter()
            .map(|i| {
                decisions::first_appearance(
                    i.groups
                        .iter()
                        .filter(|g| g.shown)
                        .filter_map(|g| g.summary.as_ref().and_then(crossing)),
                )
            })
            .collect();
        Rounding {
            any: overall.iter().any(Option::is_some) || groups_note.iter().any(|n| !n.is_empty()),
            overall: overall.iter().map(Option::is_some).collect(),
            overall_note: decisions::first_appearance(overall.into_iter().flatten()),
            groups_note,
        }
    }
}

/// The positions of the `items` that `keep` keeps.
fn positions<T>(items: &[T], keep: impl Fn(&T) -> bool) -> Vec<usize> {
    (0..items.len()).filter(|&i| keep(&items[i])).collect()
}

/// A group's id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupName {
    /// Group id.
    pub id: String,
    /// Group name.
    pub name: String,
}

impl Findings {
    /// The findings of `scores`; `printed` holds the ranked scores as
    /// printed, weakest first.
    fn of(scores: &Scores, printed: &[i64]) -> Findings {
        let bands: Vec<&str> = scores.rules.bands.iter().map(|b| b.name.as_str()).collect();
        let scored: Vec<(&str, Scored)> = scores
            .ingredients
            .iter()
            .filter_map(|i| {
                let o = i.overall.as_ref()?;
                let score = o.mean.round() as i64;
                let name = i.name.clone();
                Some((o.band.as_str(), Scored { name, score }))
            })
            .collect();
        let rs: Vec<f64> = scores.correlations.iter().map(|c| c.r).collect();
        Findings {
            bands: decisions::band_groups(&bands, &scored),
            spread: decisions::spread(printed),
            correlation_order: decisions::highest_first(&rs),
            heat_groups: decisions::first_appearance(scores.ingredients.iter().flat_map(|i| {
                i.groups.iter().map(|g| GroupName {
                    id: g.id.clone(),
                    name: g.name.clone(),
                })
            })),
            differing_ingredients: scores
                .ingredients
                .iter()
                .enumerate()
                .filter(|(_, i)| i.gap.as_ref().is_some_and(|g| g.differs))
                .map(|(position, _)| position)
                .collect(),
            rounding: Rounding::of(scores),
            lived_groups: positions(&scores.responses.groups, |g| g.lived_experience),
            weakest_lived_cells: scores
                .ranking
                .iter()
                .find_map(|id| {
                    scores
                        .ingredients
                        .iter()
                        .find(|i| i.id == *id && i.overall.is_some())
                })
                .map_or_else(Vec::new, |weakest| {
                    positions(&weakest.groups, |g| {
                        g.lived_experience && g.shown && g.summary.is_some()
                    })
                }),
        }
    }
}

/// A statement whose lived-experience gap is more than chance.
#[derive(Debug, Clone, Serialize)]
pub struct DifferingStatement {
    /// The name of its ingredient.
    pub ingredient: String,
    /// Its figures (with the gap).
    pub statement: crate::score::StatementScores,
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
    /// The figures.
    #[serde(flatten)]
    pub figures: Trend,
}

/// A logo file for the cover.
#[derive(Debug, Clone, Serialize)]
pub struct Logo {
    /// Path relative to the build folder (`assets/logo.png`).
    pub path: String,
    /// Alternative text: "`<organisation>` logo".
    pub alt: String,
    /// The file given with `--logo`, copied into the build folder.
    #[serde(skip)]
    pub source: std::path::PathBuf,
}

/// Why a logo file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LogoError {
    /// Not a format Typst reads.
    #[error("--logo {0}: the logo must be a .png, .jpg, .jpeg or .svg file")]
    Format(std::path::PathBuf),
    /// Missing or not a file.
    #[error("--logo {0}: there is no such file")]
    Missing(std::path::PathBuf),
    /// A folder, FIFO, device or socket.
    #[error("--logo {0}: it is not a regular file")]
    NotAFile(std::path::PathBuf),
    /// The bytes are not what the name says.
    #[error("--logo {path}: the file is named as {expected} image, but its contents are {found}")]
    Content {
        /// The file.
        path: std::path::PathBuf,
        /// "a PNG", "a JPG", "an SVG".
        expected: &'static str,
        /// What the first bytes say it is: "a PDF document", "not an image Typst reads".
        found: &'static str,
    },
    /// It could not be read.
    #[error("--logo {0}: the file cannot be read")]
    Read(std::path::PathBuf, #[source] std::io::Error),
}

impl LogoError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            LogoError::Content { .. } => {
                "save the logo as PNG, JPG or SVG (export it from the program that made it), and name the file with that extension"
            }
            _ => "give --logo a PNG, JPG or SVG file, or leave it out",
        }
    }
}

impl Logo {
    /// Checks a `--logo` file before any work is done: an existing regular
    /// PNG, JPG or SVG file whose first bytes say it is what its name says,
    /// so Typst never fails on it inside the template.
    pub fn check(file: &std::path::Path) -> Result<(), LogoError> {
        let Some(extension) = logo_extension(file) else {
            return Err(LogoError::Format(file.to_path_buf()));
        };
        match std::fs::metadata(file) {
            Err(_) => return Err(LogoError::Missing(file.to_path_buf())),
            Ok(meta) if !meta.is_file() => return Err(LogoError::NotAFile(file.to_path_buf())),
            Ok(_) => {}
        }
        let mut head = [0u8; 512];
        let read = std::fs::File::open(file)
            .and_then(|mut f| read_up_to(&mut f, &mut head))
            .map_err(|e| LogoError::Read(file.to_path_buf(), e))?;
        let head = &head[..read];
        let found = sniff_image(head);
        let (expected, fits) = match extension.as_str() {
            "png" => ("a PNG", found == Some(ImageKind::Png)),
            "svg" => ("an SVG", found == Some(ImageKind::Svg)),
            _ => ("a JPG", found == Some(ImageKind::Jpg)),
        };
        if fits {
            return Ok(());
        }
        let found = match found {
            Some(ImageKind::Png) => "a PNG image",
            Some(ImageKind::Jpg) => "a JPG image",
            Some(ImageKind::Svg) => "an SVG image",
            None if head.starts_with(b"%PDF") => "a PDF document",
            None if head.starts_with(b"GIF8") => "a GIF image",
            None if head.starts_with(b"RIFF") => "a WebP (or other RIFF) file",
            None if head.starts_with(b"PK") => "a zip file (such as a Word or PowerPoint document)",
            None if head.is_empty() => "empty",
            None => "not an image Typst reads",
        };
        Err(LogoError::Content {
            path: file.to_path_buf(),
            expected,
            found,
        })
    }
}

/// The image formats a logo may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ImageKind {
    Png,
    Jpg,
    Svg,
}

/// What an image's first bytes say it is.
fn sniff_image(head: &[u8]) -> Option<ImageKind> {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(ImageKind::Png);
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(ImageKind::Jpg);
    }
    // SVG is XML text: after a byte-order mark and blanks, an XML declaration,
    // a comment, a doctype or the <svg> element itself.
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = text.iter().position(|b| !b.is_ascii_whitespace())?;
    let text = &text[start..];
    let svg = [
        &b"<?xml"[..],
        b"<svg",
        b"<!--",
        b"<!DOCTYPE svg",
        b"<!doctype svg",
    ]
    .iter()
    .any(|p| text.starts_with(p));
    svg.then_some(ImageKind::Svg)
}

/// Reads until `buffer` is full or the file ends; the number of bytes read.
fn read_up_to(file: &mut std::fs::File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match std::io::Read::read(file, &mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// The lower-case extension of a logo file Typst can read.
fn logo_extension(file: &std::path::Path) -> Option<String> {
    file.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .filter(|e| ["png", "jpg", "jpeg", "svg"].contains(&e.as_str()))
}

/// The cover's logo: `file` (checked with [`Logo::check`]) with
/// "`<organisation>` logo" as its alternative text ("Organisation logo" when no
/// organisation is named). The build folder gets a copy as `assets/logo.<ext>`.
fn logo_for(file: &std::path::Path, organisation: Option<&str>) -> Logo {
    let extension = logo_extension(file).unwrap_or_else(|| "png".into());
    let alt = match organisation.map(str::trim) {
        Some(name) if !name.is_empty() => format!("{name} logo"),
        _ => "Organisation logo".to_string(),
    };
    Logo {
        path: format!("assets/logo.{extension}"),
        alt,
        source: file.to_path_buf(),
    }
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
                figures,
            });
        let logo = cover
            .logo
            .as_deref()
            .map(|file| logo_for(file, cover.organisation.as_deref()));
        // The scored ingredients from the weakest (the ranking names no other).
        let ranking: Vec<&str> = scores
            .ranking
            .iter()
            .map(String::as_str)
            .filter(|id| scores.ingredients.iter().any(|i| i.id == *id))
            .collect();
        let prompts = |id: &str| {
            instrument
                .ingredients
                .iter()
                .find(|i| i.id == id)
                .map_or(&[][..], |i| i.prompts.as_slice())
        };
        let band = |id: &str| {
            scores
                .ingredients
                .iter()
                .find(|i| i.id == id)
                .and_then(|i| i.overall.as_ref())
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
            .filter_map(|id| scores.ingredients.iter().find(|i| i.id == *id))
            .filter_map(|i| i.overall.as_ref().map(|o| o.mean.round() as i64))
            .collect();
        let rank = |id: &str| {
            let position = ranking.iter().position(|r| *r == id)?;
            decisions::rank_words(&printed, position)
        };
        let ingredients = IngredientPage::all(
            instrument,
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
                    .map(|s| DifferingStatement {
                        ingredient: i.name.clone(),
                        statement: s.clone(),
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
            plan,
            actions,
            differing_statements,
            findings: Findings::of(&scores, &printed),
            logo,
            scores,
            trend,
            comments,
        };
        let all = std::iter::once(profile)
            .chain(ingredient_charts)
            .chain(statement_charts)
            .chain(std::iter::once(lens))
            .chain(trend_chart)
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
    /// One plain sentence for the easy-read summary.
    pub easy_read: String,
    /// Score by group.
    pub chart: ChartRef,
    /// Every statement's answers as diverging stacked bars.
    pub statements_chart: ChartRef,
    /// Its place among the scored ingredients in words ("the second lowest");
    /// `null` without a score or when it is the only score.
    pub rank: Option<String>,
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
    /// The pages for every ingredient, with chart references filled in by `chart` from the ingredient's index
    /// and rank words by `rank` from its id.
    pub fn all(
        instrument: &Instrument,
        chart: impl Fn(usize) -> ChartRef,
        statements_chart: impl Fn(usize) -> ChartRef,
        rank: impl Fn(&str) -> Option<String>,
    ) -> Vec<IngredientPage> {
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
                statements_chart: statements_chart(i),
                rank: rank(&ingredient.id),
            })
            .collect()
    }
}

#[cfg(test)]
mod logo_tests {
    use super::*;

    #[test]
    fn a_logo_must_be_an_existing_image_typst_reads() {
        let dir = tempfile::tempdir().unwrap();
        let svg = dir.path().join("Logo.SVG");
        std::fs::write(&svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
        assert!(Logo::check(&svg).is_ok());
        let gif = dir.path().join("logo.gif");
        std::fs::write(&gif, "GIF89a").unwrap();
        let message = Logo::check(&gif).unwrap_err().to_string();
        assert!(
            message.contains("logo.gif") && message.contains(".png"),
            "{message}"
        );
        assert!(matches!(
            Logo::check(&dir.path().join("missing.png")),
            Err(LogoError::Missing(_))
        ));
        let pdf = dir.path().join("logo.png");
        std::fs::write(&pdf, "%PDF-1.7\n...").unwrap();
        let message = Logo::check(&pdf).unwrap_err().to_string();
        assert!(
            message.contains("--logo") && message.contains("a PDF document"),
            "{message}"
        );
        std::fs::write(&pdf, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
        assert!(Logo::check(&pdf).is_ok());
        let jpg = dir.path().join("logo.jpeg");
        std::fs::write(&jpg, b"\xEF\xBB\xBF  <svg/>").unwrap();
        let message = Logo::check(&jpg).unwrap_err().to_string();
        assert!(message.contains("an SVG image"), "{message}");
        assert!(matches!(Logo::check(dir.path()), Err(LogoError::Format(_))));
    }
}
