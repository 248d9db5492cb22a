//! Charts drawn with plotters as SVG, in the fonts and palette the template ships.

use crate::score::Scores;

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

/// The five ingredient scores, overall and by group.
pub fn profile(scores: &Scores) -> Chart {
    let _ = scores;
    todo!("charts are being written")
}

/// One ingredient's score by group, with confidence intervals.
pub fn ingredient(scores: &Scores, index: usize) -> Chart {
    let _ = (scores, index);
    todo!("charts are being written")
}
