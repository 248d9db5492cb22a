//! The 0-100 score scale drawn behind the horizontal charts: where scores land,
//! band names laid out above the plot, gridlines, ticks and the axis title.

use plotters::style::text_anchor::HPos;

use super::{
    BAND_LINE, BAND_SHADE, Canvas, GRID, INK, LINE_HEIGHT, MUTED, SMALL, text_width, whole,
};
use crate::score::BandInfo;

/// Where 0-100 scores land horizontally.
#[derive(Debug, Clone, Copy)]
pub(super) struct XScale {
    /// Where 0 lands.
    pub(super) left: i32,
    /// Where 100 lands.
    pub(super) right: i32,
    /// Horizontal room that band names above the plot may use.
    pub(super) room: (i32, i32),
}

impl XScale {
    pub(super) fn x(&self, score: f64) -> i32 {
        let share = score.clamp(0.0, 100.0) / 100.0;
        self.left + (share * f64::from(self.right - self.left)).round() as i32
    }
}

/// Gridline and tick positions.
pub(super) const TICKS: [f64; 5] = [0.0, 25.0, 50.0, 75.0, 100.0];

/// Band names placed above the plot.
pub(super) struct BandHeader {
    /// (centre x, line, name) per band.
    pub(super) labels: Vec<(i32, usize, String)>,
    /// Lines of names.
    pub(super) lines: usize,
    /// True when every name fits inside its own band, so boundaries can run up
    /// through the header without crossing a name.
    pub(super) inside: bool,
}

impl BandHeader {
    /// Lays the names out: inside their bands when they fit; otherwise centred
    /// over their bands, spread over as few lines as keeps them apart.
    pub(super) fn new(scale: &XScale, bands: &[BandInfo]) -> BandHeader {
        let widths: Vec<i32> = bands.iter().map(|b| text_width(&b.name, SMALL)).collect();
        let spans: Vec<(i32, i32)> = bands
            .iter()
            .map(|b| (scale.x(b.from), scale.x(b.to)))
            .collect();
        let inside = widths
            .iter()
            .zip(&spans)
            .all(|(w, (x0, x1))| *w <= x1 - x0 - 8);
        let centres: Vec<i32> = widths
            .iter()
            .zip(&spans)
            .map(|(w, (x0, x1))| {
                let (lo, hi) = scale.room;
                ((x0 + x1) / 2).min(hi - w / 2).max(lo + w / 2)
            })
            .collect();
        let apart = |i: usize, j: usize| {
            let gap = (centres[j] - centres[i]).abs() - (widths[i] + widths[j]) / 2;
            gap >= 24
        };
        // With one name per line nothing can collide, so this always finds a layout.
        let lines = (1..=bands.len().max(1))
            .find(|&lines| {
                (0..bands.len()).all(|j| (0..j).all(|i| i % lines != j % lines || apart(i, j)))
            })
            .unwrap_or(1);
        BandHeader {
            labels: bands
                .iter()
                .enumerate()
                .map(|(i, b)| (centres[i], i % lines, b.name.clone()))
                .collect(),
            lines,
            inside,
        }
    }

    /// Height of the header.
    pub(super) fn height(&self) -> i32 {
        self.lines as i32 * LINE_HEIGHT + 10
    }
}

/// Height of the band names above the plot.
pub(super) fn band_header_height(scale: &XScale, bands: &[BandInfo]) -> i32 {
    BandHeader::new(scale, bands).height()
}

/// Height of the tick labels and axis title below the plot.
pub(super) const AXIS_HEIGHT: i32 = 12 + LINE_HEIGHT + 4 + LINE_HEIGHT;

/// What a chart on the 0-100 scale lays out before its data: where scores
/// land, the band names above the plot, and the plot's top and bottom.
pub(super) struct Frame {
    /// Where scores land.
    pub(super) scale: XScale,
    /// Top of the band names above the plot.
    pub(super) header_top: i32,
    /// Top and bottom of the plot.
    pub(super) plot: (i32, i32),
}

impl Frame {
    /// Paints the scale behind the data (see [`draw_scale`]) on the score `bands`.
    pub(super) fn paint(&self, canvas: &Canvas, bands: &[BandInfo]) {
        let (plot_top, plot_bottom) = self.plot;
        draw_scale(
            canvas,
            &self.scale,
            bands,
            self.header_top,
            plot_top,
            plot_bottom,
        );
    }
}

/// Draws the scale behind the data: band shading, band boundaries, band names in
/// `header_top..plot_top`, gridlines in `plot_top..plot_bottom`, and tick labels
/// and axis title below `plot_bottom`.
pub(super) fn draw_scale(
    canvas: &Canvas,
    scale: &XScale,
    bands: &[BandInfo],
    header_top: i32,
    plot_top: i32,
    plot_bottom: i32,
) {
    let header = BandHeader::new(scale, bands);
    // Shading and boundaries run up through the header only when no name crosses them.
    let band_top = if header.inside { header_top } else { plot_top };
    // Every other band is shaded so the bands read as areas, not just lines.
    for (i, band) in bands.iter().enumerate() {
        if i % 2 == 1 {
            canvas.rect(
                (scale.x(band.from), band_top),
                (scale.x(band.to), plot_bottom),
                BAND_SHADE,
            );
        }
    }
    for tick in TICKS {
        let x = scale.x(tick);
        canvas.line((x, plot_top), (x, plot_bottom), GRID, 2);
        canvas.text(
            &whole(tick),
            (x, plot_bottom + 12),
            SMALL,
            MUTED,
            HPos::Center,
        );
    }
    for band in bands.iter().filter(|b| b.from > 0.0 && b.from < 100.0) {
        let x = scale.x(band.from);
        canvas.line((x, band_top), (x, plot_bottom), BAND_LINE, 2);
    }
    for (x, line, name) in &header.labels {
        let y = header_top + 4 + *line as i32 * LINE_HEIGHT;
        canvas.text(name, (*x, y), SMALL, INK, HPos::Center);
    }
    canvas.line(
        (scale.left, plot_bottom),
        (scale.right, plot_bottom),
        MUTED,
        2,
    );
    canvas.text(
        "Score out of 100",
        (
            (scale.left + scale.right) / 2,
            plot_bottom + 12 + LINE_HEIGHT + 4,
        ),
        SMALL,
        MUTED,
        HPos::Center,
    );
}
