//! Charts drawn with plotters as SVG, in the fonts and palette the template ships.
//!
//! Plotters is used for drawing only; layout is worked out here. Without a font
//! engine plotters can only guess how wide text is, so every label is measured
//! with `text_width` (the template font's own advance widths, rounded up) and
//! wrapped before it is placed: no label is ever clipped or drawn over another.
//!
//! Privacy: a group cell that is not shown has no figures, and the charts and
//! their alternative text only ever say "fewer than N responses" about it.

mod canvas;
mod compare;
mod dumbbell;
mod funnel;
mod ingredient;
mod likert;
mod profile;
mod scale;
mod style;
mod text;
mod trend;
mod words;

#[cfg(test)]
pub(crate) mod tests;

// What every chart kind draws with, in one place for their `use super::{...}`.
use canvas::*;
use scale::*;
use style::*;
use text::*;
use words::*;

use crate::score::Scores;

pub use compare::CompareBar;
pub use funnel::{Outside, names_in_words};

/// One chart: its file name in the build folder's `charts/`, the SVG and its alternative text.
#[derive(Debug, Clone)]
pub struct Chart {
    /// File name, such as `profile.svg`.
    pub file_name: String,
    /// The SVG document.
    pub svg: String,
    /// Alternative text generated from the data.
    pub alt: String,
}

/// The five ingredient scores, overall and by group, as one dot plot.
pub fn profile(scores: &Scores) -> Chart {
    profile::draw(scores)
}

/// One ingredient's score by group, with confidence intervals.
///
/// # Panics
/// When `index` is not an index into `scores.ingredients`.
pub fn ingredient(scores: &Scores, index: usize) -> Chart {
    ingredient::draw(scores, index)
}

/// One ingredient's statements as diverging stacked bars (`statements-<id>.svg`):
/// disagreeing answers left of a centre line, agreeing right, "no view" apart.
///
/// # Panics
/// When `index` is not an index into `scores.ingredients`.
pub fn statements(scores: &Scores, index: usize) -> Chart {
    likert::draw(scores, index)
}

/// The co-production lens (`coproduction-lens.svg`): per ingredient, the scores of
/// people with lived experience of care and of professionals, joined by a line.
pub fn coproduction_lens(scores: &Scores) -> Chart {
    dumbbell::draw(scores)
}

/// Every ingredient's overall score wave by wave, as lines labelled at their ends
/// (`trend.svg`). `scores` are the latest wave's, for the bands and privacy threshold.
pub fn trend(trend: &crate::score::trend::Trend, scores: &Scores) -> Chart {
    trend::draw(trend, scores)
}

/// The same trend chart for a programme (`trend.svg`), whose figures are not
/// one organisation's [`Scores`]: over the score bands `bands`, saying "fewer
/// than `min_group_size`" of a hidden score.
pub fn programme_trend(
    trend: &crate::score::trend::Trend,
    bands: &[crate::score::BandInfo],
    min_group_size: usize,
) -> Chart {
    trend::draw_over(trend, bands, min_group_size)
}

/// One ingredient's funnel plot across a programme's sites (`funnel-<id>.svg`):
/// site scores against their numbers of responses, the programme mean and the
/// 95% and 99.8% limits; `None` when the ingredient has no spread to draw limits from.
pub fn funnel(spread: &crate::programme::summary::IngredientSpread) -> Option<Chart> {
    funnel::draw(spread)
}

/// A site's "How you compare" chart (`compare.svg`): per ingredient, the
/// site's score beside the programme mean and the middle half of sites, over
/// the score bands `bands`.
pub fn compare(rows: &[CompareBar], bands: &[crate::score::BandInfo]) -> Chart {
    compare::draw(rows, bands)
}
