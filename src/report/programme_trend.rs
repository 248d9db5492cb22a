//! The programme report's trend page: how the programme's score for each
//! ingredient moved since the previous wave, decided here and laid out by
//! `report-templates/programme/trend.typ`.
//!
//! The figures are [`crate::programme::history::ProgrammeHistory::trend`]'s:
//! the single report's rule (a change is "up" or "down" only when its Welch
//! 95% interval leaves out zero) over the programme's pooled scores. This
//! module says which ingredients moved and by how much, in words, and draws
//! the chart ([`charts::programme_trend`]).

use serde::Serialize;

use super::ChartRef;
use crate::charts::{self, Chart};
use crate::score::BandInfo;
use crate::score::trend::{Change, ChangeStatus, Trend};

/// What the trend page is made from.
#[derive(Debug, Clone)]
pub struct ProgrammeTrendInputs {
    /// The programme's trend up to this wave
    /// ([`crate::programme::history::ProgrammeHistory::trend`]).
    pub figures: Trend,
    /// The score bands ([`crate::score::band_info`]), drawn behind the lines.
    pub bands: Vec<BandInfo>,
}

/// The trend page of the programme report's `data.json`.
#[derive(Debug, Clone, Serialize)]
pub struct TrendPage {
    /// The wave reported on.
    pub wave: String,
    /// The wave before it.
    pub previous_wave: String,
    /// Every wave on record up to this one, oldest first.
    pub waves: Vec<String>,
    /// The programme score of every ingredient, wave by wave (`charts/trend.svg`).
    pub chart: ChartRef,
    /// The ingredients that moved by more than chance, the largest change first,
    /// in sentences; one sentence saying so when none did.
    pub sentences: Vec<String>,
    /// One row per ingredient, in instrument order.
    pub rows: Vec<TrendRow>,
    /// Changes of the questions between waves, in sentences.
    pub instrument_notes: Vec<String>,
}

/// One ingredient since the previous wave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendRow {
    /// Ingredient name.
    pub name: String,
    /// The programme score in the previous wave.
    pub previous: Option<f64>,
    /// The programme score now.
    pub now: Option<f64>,
    /// Now minus previous, when both are compared.
    pub change: Option<f64>,
    /// What the change means, in words.
    pub words: String,
    /// More than chance would explain.
    pub moved: bool,
}

/// A whole number as printed.
fn whole(x: f64) -> i64 {
    x.round() as i64
}

/// What a change means, in the table's words.
fn change_words(change: &Change) -> String {
    match change.status {
        ChangeStatus::Up => "Up: more than chance would explain".into(),
        ChangeStatus::Down => "Down: more than chance would explain".into(),
        ChangeStatus::NoClearChange => "No clear change".into(),
        ChangeStatus::NotComparable => "Cannot compare: the statements changed".into(),
        ChangeStatus::NotShown => {
            "Not compared: no programme score in one of the two rounds".into()
        }
    }
}

impl TrendPage {
    /// The page and its chart; `min_group_size` is the programme's privacy threshold.
    pub fn build(inputs: ProgrammeTrendInputs, min_group_size: u64) -> (TrendPage, Chart) {
        let ProgrammeTrendInputs { figures, bands } = inputs;
        let chart = charts::programme_trend(&figures, &bands, min_group_size as usize);
        let rows: Vec<TrendRow> = figures
            .ingredients
            .iter()
            .map(|i| {
                let c = &i.since_previous;
                TrendRow {
                    name: i.name.clone(),
                    previous: c.from_mean,
                    now: c.to_mean.or_else(|| i.series.last().and_then(|p| p.mean)),
                    change: c.difference,
                    words: change_words(c),
                    moved: c.changed,
                }
            })
            .collect();
        // The ingredients that moved, the largest change first (ties in instrument order).
        let mut moved: Vec<&crate::score::trend::IngredientTrend> = figures
            .ingredients
            .iter()
            .filter(|i| i.since_previous.changed)
            .collect();
        moved.sort_by(|a, b| {
            let size = |i: &crate::score::trend::IngredientTrend| {
                i.since_previous.difference.map_or(0.0, f64::abs)
            };
            size(b).total_cmp(&size(a))
        });
        let previous = &figures.previous_wave;
        let sentences = if moved.is_empty() {
            vec![format!(
                "No ingredient’s programme score changed by more than chance since {previous}."
            )]
        } else {
            moved
                .iter()
                .map(|i| {
                    let c = &i.since_previous;
                    let difference = c.difference.unwrap_or(0.0);
                    format!(
                        "{} went {} {} {} since {previous}, from {} to {}: more than chance would explain.",
                        i.name,
                        if difference > 0.0 { "up" } else { "down" },
                        whole(difference.abs()),
                        if whole(difference.abs()) == 1 { "point" } else { "points" },
                        c.from_mean.map_or(0, whole),
                        c.to_mean.map_or(0, whole),
                    )
                })
                .collect()
        };
        let page = TrendPage {
            wave: figures.wave.clone(),
            previous_wave: previous.clone(),
            waves: figures.waves.iter().map(|w| w.wave.clone()).collect(),
            chart: ChartRef::to(&chart),
            sentences,
            rows,
            instrument_notes: figures.instrument_notes.clone(),
        };
        (page, chart)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::Instrument;
    use crate::programme::history::{ProgrammeHistory, ProgrammeWave};
    use crate::programme::site::fixture::site;
    use crate::programme::summary::summarise;

    /// Two waves of three sites; context moves by `shift`, co-production by a
    /// fifth of a point (too little to be more than chance).
    pub(crate) fn inputs(shift: f64) -> ProgrammeTrendInputs {
        let instrument = Instrument::load(None).unwrap();
        let sizes = [6, 10, 8, 5, 5, 0];
        let wave = |name: &str, context: f64, coproduction: f64| {
            let sites = vec![
                site(
                    "a",
                    "A",
                    &sizes,
                    &[50.0 + context, 60.0 + coproduction, 60.0, 60.0, 60.0],
                ),
                site(
                    "b",
                    "B",
                    &sizes,
                    &[60.0 + context, 62.0 + coproduction, 60.0, 60.0, 60.0],
                ),
                site(
                    "c",
                    "C",
                    &sizes,
                    &[70.0 + context, 64.0 + coproduction, 60.0, 60.0, 60.0],
                ),
            ];
            let summary = summarise(&sites, &instrument, 5, 10);
            ProgrammeWave::from_summary(name.parse().unwrap(), &summary, &instrument, 5, 10)
        };
        let mut history = ProgrammeHistory::default();
        history.put(wave("2026-Q2", 0.0, 0.0));
        history.put(wave("2026-Q3", shift, 0.2));
        ProgrammeTrendInputs {
            figures: history.trend("2026-Q3".parse().unwrap()).unwrap(),
            bands: crate::score::band_info(&instrument),
        }
    }

    #[test]
    fn the_ingredients_that_moved_are_named_largest_first() {
        let (page, chart) = TrendPage::build(inputs(-12.0), 5);
        assert_eq!(chart.file_name, "trend.svg");
        assert_eq!(page.chart.path, "charts/trend.svg");
        assert_eq!(page.waves, ["2026-Q2", "2026-Q3"]);
        assert_eq!(page.sentences.len(), 1, "{:?}", page.sentences);
        assert!(
            page.sentences[0]
                .starts_with("Receptive context went down 12 points since 2026-Q2, from "),
            "{:?}",
            page.sentences
        );
        assert_eq!(page.rows.len(), 5);
        assert!(page.rows[0].moved && page.rows[0].words.starts_with("Down"));
        assert_eq!(page.rows[0].change, Some(-12.0));
        assert_eq!(page.rows[1].words, "No clear change");
        assert!(
            chart.alt.contains("over 2 waves from 2026-Q2 to 2026-Q3"),
            "{}",
            chart.alt
        );
    }

    #[test]
    fn no_change_is_said_plainly() {
        let (page, _) = TrendPage::build(inputs(0.0), 5);
        assert_eq!(
            page.sentences,
            ["No ingredient’s programme score changed by more than chance since 2026-Q2."]
        );
        assert!(page.rows.iter().all(|r| !r.moved));
    }
}
