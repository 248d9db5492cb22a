//! The history format: the published aggregates of one wave ([`WaveFigures`]),
//! as the history file stores them, and the shape of the questionnaire they
//! were measured with ([`InstrumentShape`]). The trend maths read them in
//! the parent module.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::instrument::Instrument;
use crate::score::{Scores, Summary};
use crate::wave::Wave;

/// The published aggregates of one wave: everything a trend needs, nothing more.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaveFigures {
    /// The wave ("2026-Q3" in the file).
    pub wave: Wave,
    /// The export the figures came from (its file name), for people reading the history.
    pub source: Option<String>,
    /// What was asked, to tell whether two waves are comparable.
    pub instrument: InstrumentShape,
    /// The privacy threshold in force.
    pub min_group_size: usize,
    /// Responses used in the figures.
    pub responses: usize,
    /// Responses in each group the wave's counts showed (and the combined cell
    /// when shown), so that a later report with a higher threshold can leave
    /// out groups now too small ([`super::threshold`]). Absent in histories
    /// written before it was kept (schema 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_groups: Option<Vec<GroupResponses>>,
    /// One entry per ingredient, in instrument order.
    pub ingredients: Vec<IngredientFigures>,
}

/// A shown group's number of responses in one wave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupResponses {
    /// Group id.
    pub id: String,
    /// Responses.
    pub n: usize,
}

/// The parts of an instrument that decide whether two waves' scores mean the same thing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstrumentShape {
    /// The instrument's name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// The scored values of the first (default) scale, lowest first.
    pub scale: Vec<i32>,
    /// Minimum share of an ingredient's statements answered for a score.
    pub min_share_answered: f64,
    /// The ingredients and their statements.
    pub ingredients: Vec<IngredientShape>,
}

/// One ingredient's statements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngredientShape {
    /// Ingredient id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its statements, in instrument order.
    pub statements: Vec<StatementShape>,
}

/// One statement as asked.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementShape {
    /// Statement id.
    pub id: String,
    /// Its wording.
    pub text: String,
    /// Reverse-worded.
    pub reverse: bool,
    /// The scored values of its scale when it is not the default scale
    /// (absent: on `InstrumentShape::scale`, as in every history before named scales).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<Vec<i32>>,
}

/// One ingredient's published aggregates in one wave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngredientFigures {
    /// Ingredient id.
    pub id: String,
    /// Everyone; absent when the privacy rule hid it.
    pub overall: Option<Aggregate>,
    /// Shown groups only (hidden groups are not kept at all).
    pub groups: Vec<GroupFigures>,
    /// Statement n and mean, as published.
    pub statements: Vec<StatementFigures>,
}

/// n, mean and sd of a published figure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    /// Scores.
    pub n: usize,
    /// Mean 0-100 score, two decimals.
    pub mean: f64,
    /// Sample standard deviation, two decimals; absent when n < 2.
    pub sd: Option<f64>,
}

/// A shown group's aggregates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupFigures {
    /// Group id.
    pub id: String,
    /// Group name.
    pub name: String,
    /// People with lived experience of care.
    pub lived_experience: bool,
    /// Scores.
    pub n: usize,
    /// Mean 0-100 score, two decimals.
    pub mean: f64,
    /// Sample standard deviation, two decimals; absent when n < 2.
    pub sd: Option<f64>,
}

impl GroupFigures {
    /// The group's n, mean and sd.
    pub fn figures(&self) -> Aggregate {
        Aggregate {
            n: self.n,
            mean: self.mean,
            sd: self.sd,
        }
    }
}

/// A statement's published n and mean.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementFigures {
    /// Statement id.
    pub id: String,
    /// Scored answers.
    pub n: usize,
    /// Mean 0-100 score after reversal; absent with no scored answers.
    pub mean: Option<f64>,
}

impl WaveFigures {
    /// Keeps the published aggregates of `scores`, and nothing the privacy rule hid.
    /// `not_asked` lists the statements the export had no column for: they are
    /// left out of the wave's [`InstrumentShape`], so a wave that did not ask a
    /// statement is never compared as if it had.
    pub fn from_scores(
        wave: Wave,
        source: Option<String>,
        scores: &Scores,
        instrument: &Instrument,
        not_asked: &[String],
    ) -> WaveFigures {
        let aggregate = |s: &Summary| Aggregate {
            n: s.n,
            mean: s.mean,
            sd: s.sd,
        };
        WaveFigures {
            wave,
            source,
            instrument: InstrumentShape::of(instrument, not_asked),
            min_group_size: scores.rules.min_group_size,
            responses: scores.responses.used,
            response_groups: Some(
                scores
                    .responses
                    .groups
                    .iter()
                    .filter_map(|g| {
                        Some(GroupResponses {
                            id: g.id.clone(),
                            n: g.n.filter(|_| g.shown)?,
                        })
                    })
                    .collect(),
            ),
            ingredients: scores
                .ingredients
                .iter()
                .map(|i| IngredientFigures {
                    id: i.id.clone(),
                    overall: i.overall.as_ref().map(aggregate),
                    groups: i
                        .groups
                        .iter()
                        .filter(|cell| cell.shown)
                        .filter_map(|cell| {
                            let summary = cell.summary.as_ref()?;
                            Some(GroupFigures {
                                id: cell.id.clone(),
                                name: cell.name.clone(),
                                lived_experience: cell.lived_experience,
                                n: summary.n,
                                mean: summary.mean,
                                sd: summary.sd,
                            })
                        })
                        .collect(),
                    statements: i
                        .statements
                        .iter()
                        .map(|s| StatementFigures {
                            id: s.id.clone(),
                            n: s.n,
                            mean: s.mean,
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    pub(super) fn ingredient(&self, id: &str) -> Option<&IngredientFigures> {
        self.ingredients.iter().find(|i| i.id == id)
    }
}

impl InstrumentShape {
    /// What `instrument` asks, less the statements in `not_asked`.
    pub fn of(instrument: &Instrument, not_asked: &[String]) -> InstrumentShape {
        InstrumentShape {
            name: instrument.name.clone(),
            version: instrument.version.clone(),
            scale: values(instrument.default_scale()),
            min_share_answered: instrument.scoring.min_share_answered,
            ingredients: instrument
                .ingredients
                .iter()
                .map(|i| IngredientShape {
                    id: i.id.clone(),
                    name: i.name.clone(),
                    statements: i
                        .statements
                        .iter()
                        .filter(|s| !not_asked.contains(&s.id))
                        .map(|s| StatementShape {
                            id: s.id.clone(),
                            text: s.text.clone(),
                            reverse: s.reverse,
                            scale: (instrument.scale_index(s) != 0)
                                .then(|| values(instrument.scale_of(s))),
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    pub(super) fn ingredient(&self, id: &str) -> Option<&IngredientShape> {
        self.ingredients.iter().find(|i| i.id == id)
    }

    pub(super) fn statement(&self, id: &str) -> Option<&StatementShape> {
        self.ingredients
            .iter()
            .flat_map(|i| &i.statements)
            .find(|s| s.id == id)
    }

    /// The scoring rule is the same, so equal answers to the same statements give equal scores.
    pub(super) fn scores_alike(&self, other: &InstrumentShape) -> bool {
        self.min_share_answered == other.min_share_answered
    }

    /// A statement as asked, with the values of the scale it is answered on.
    pub(super) fn asked(&self, s: &StatementShape) -> StatementShape {
        StatementShape {
            scale: Some(s.scale.clone().unwrap_or_else(|| self.scale.clone())),
            ..s.clone()
        }
    }

    /// True when ingredient `id` is scored from the same statements, on the same scales, in both.
    pub(super) fn ingredient_comparable(&self, other: &InstrumentShape, id: &str) -> bool {
        let set = |shape: &InstrumentShape| -> Option<BTreeSet<StatementShape>> {
            Some(
                shape
                    .ingredient(id)?
                    .statements
                    .iter()
                    .map(|s| shape.asked(s))
                    .collect(),
            )
        };
        self.scores_alike(other) && set(self).is_some() && set(self) == set(other)
    }

    /// True when statement `id` is asked the same way, on the same scale, in both.
    pub(super) fn statement_comparable(&self, other: &InstrumentShape, id: &str) -> bool {
        let asked = |shape: &InstrumentShape| shape.statement(id).map(|s| shape.asked(s));
        self.scores_alike(other) && asked(self).is_some() && asked(self) == asked(other)
    }
}

/// The scored values of a scale, lowest first.
fn values(scale: &crate::instrument::Scale) -> Vec<i32> {
    scale.points.iter().map(|p| p.value).collect()
}
