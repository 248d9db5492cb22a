//! What the report shows of the plan, decided here and written to `data.json`:
//! the actions by ingredient with their status and whether they are overdue,
//! each ingredient's change since the wave its actions were agreed (the trend
//! section's maths and "no clear change" rule, [`crate::score::trend::trend`]
//! over the two waves), the counts for "At a glance" and the rows that could
//! not be read.
//!
//! "Overdue" is judged on the report's own date, the last completion date of
//! the wave reported (the date the PDF carries), never the clock: the same
//! exports and plan give the same PDF on any day.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Action, Plan, PlanError, RowProblem, Status};
use crate::instrument::Instrument;
use crate::score::trend::{Change, WaveFigures};
use crate::wave::Wave;

/// The date statuses are judged on: the report's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Today(pub Option<NaiveDate>);

/// The plan as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    /// The plan's file name ("plan.xlsx").
    pub file: String,
    /// The date "overdue" is judged on (ISO), when the wave has one.
    pub today: Option<String>,
    /// Why the file could not be read at all; `null` when it was read.
    pub unreadable_file: Option<String>,
    /// Actions by status, for "At a glance".
    pub counts: Counts,
    /// The ingredients with actions, in questionnaire order.
    pub ingredients: Vec<IngredientActions>,
    /// Rows that could not be read (one entry per bad cell).
    pub unreadable: Vec<RowProblem>,
}

/// How many actions stand where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Every action read.
    pub total: usize,
    /// Done.
    pub done: usize,
    /// In progress.
    pub in_progress: usize,
    /// Not started.
    pub not_started: usize,
    /// Dropped.
    pub dropped: usize,
    /// Not done or dropped, with a by-when date before the report's date.
    pub overdue: usize,
}

/// One ingredient's actions.
#[derive(Debug, Clone, Serialize)]
pub struct IngredientActions {
    /// Ingredient id.
    pub id: String,
    /// Ingredient name.
    pub name: String,
    /// The earliest wave its actions were agreed in, when written.
    pub agreed_in: Option<String>,
    /// True when that wave is the one reported: there is no change to show yet.
    pub agreed_this_wave: bool,
    /// Its change since `agreed_in`; `null` when that wave is not on record or is this one.
    pub change: Option<Change>,
    /// The actions, in file order.
    pub actions: Vec<ActionView>,
}

/// One action as printed.
#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    /// Its row in the plan.
    pub row: usize,
    /// What will be done.
    pub action: String,
    /// Who owns it.
    pub owner: String,
    /// By when (ISO).
    pub by_when: Option<String>,
    /// Where it stands.
    pub status: Status,
    /// The status in words.
    pub status_label: &'static str,
    /// Not done or dropped, and its date is before the report's date.
    pub overdue: bool,
    /// How the team will know.
    pub how: String,
    /// Anything else.
    pub notes: String,
}

impl PlanView {
    /// The view of the plan read from `file` (or why it could not be), for the
    /// last of `waves` (the history up to the wave reported, oldest first).
    pub fn build(
        file: &str,
        read: Result<&Plan, &PlanError>,
        instrument: &Instrument,
        waves: &[WaveFigures],
        today: Today,
    ) -> PlanView {
        let empty = Plan::default();
        let (plan, unreadable_file) = match read {
            Ok(plan) => (plan, None),
            Err(error) => (&empty, Some(error.in_report())),
        };
        let overdue =
            |a: &Action| a.status.open() && today.0.zip(a.by_when).is_some_and(|(t, d)| d < t);
        let mut counts = Counts {
            total: plan.actions.len(),
            ..Counts::default()
        };
        for a in &plan.actions {
            match a.status {
                Status::Done => counts.done += 1,
                Status::InProgress => counts.in_progress += 1,
                Status::NotStarted => counts.not_started += 1,
                Status::Dropped => counts.dropped += 1,
            }
            counts.overdue += usize::from(overdue(a));
        }
        let ingredients = instrument
            .ingredients
            .iter()
            .filter_map(|ingredient| {
                let mine: Vec<&Action> = plan
                    .actions
                    .iter()
                    .filter(|a| a.ingredient == ingredient.id)
                    .collect();
                if mine.is_empty() {
                    return None;
                }
                let agreed = mine
                    .iter()
                    .filter_map(|a| a.agreed_in.as_deref()?.parse::<Wave>().ok())
                    .min();
                let current = waves.last();
                let agreed_this_wave = agreed.is_some_and(|w| current.is_some_and(|c| c.wave == w));
                let change = agreed
                    .filter(|_| !agreed_this_wave)
                    .and_then(|w| change_since(waves, &w, &ingredient.id));
                Some(IngredientActions {
                    id: ingredient.id.clone(),
                    name: ingredient.name.clone(),
                    agreed_in: agreed.map(|w| w.to_string()),
                    agreed_this_wave,
                    change,
                    actions: mine
                        .into_iter()
                        .map(|a| ActionView {
                            row: a.row,
                            action: a.action.clone(),
                            owner: a.owner.clone(),
                            by_when: a.by_when.map(|d| d.format("%Y-%m-%d").to_string()),
                            status: a.status,
                            status_label: a.status.label(),
                            overdue: overdue(a),
                            how: a.how.clone(),
                            notes: a.notes.clone(),
                        })
                        .collect(),
                })
            })
            .collect();
        PlanView {
            file: file.to_string(),
            today: today.0.map(|d| d.format("%Y-%m-%d").to_string()),
            unreadable_file,
            counts,
            ingredients,
            unreadable: plan.problems.clone(),
        }
    }
}

/// The ingredient's change from wave `from` to the last of `waves`, by the
/// trend section's rule; `None` when `from` is not on record.
fn change_since(waves: &[WaveFigures], from: &Wave, id: &str) -> Option<Change> {
    let (current, earlier) = waves.split_last()?;
    let agreed = earlier.iter().find(|w| w.wave == *from)?;
    let trend = crate::score::trend::trend(&[agreed.clone(), current.clone()])?;
    trend
        .ingredients
        .into_iter()
        .find(|i| i.id == id)
        .map(|i| i.since_previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(row: usize, ingredient: &str, status: Status, by: Option<(i32, u32, u32)>) -> Action {
        Action {
            row,
            ingredient: ingredient.into(),
            action: format!("action {row}"),
            owner: "Sam".into(),
            by_when: by.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
            status,
            how: String::new(),
            agreed_in: Some("2026-Q3".into()),
            notes: String::new(),
        }
    }

    #[test]
    fn overdue_is_judged_on_the_report_date_and_only_for_open_actions() {
        let instrument = Instrument::load(None).unwrap();
        let id = instrument.ingredients[1].id.clone();
        let plan = Plan {
            actions: vec![
                action(2, &id, Status::InProgress, Some((2026, 12, 1))),
                action(3, &id, Status::Done, Some((2026, 12, 1))),
                action(4, &id, Status::NotStarted, Some((2026, 12, 31))),
                action(5, &id, Status::Dropped, Some((2026, 1, 1))),
                action(6, &id, Status::NotStarted, None),
            ],
            problems: Vec::new(),
        };
        let today = Today(NaiveDate::from_ymd_opt(2026, 12, 31));
        let view = PlanView::build("plan.xlsx", Ok(&plan), &instrument, &[], today);
        let overdue: Vec<bool> = view.ingredients[0]
            .actions
            .iter()
            .map(|a| a.overdue)
            .collect();
        assert_eq!(overdue, [true, false, false, false, false]);
        assert_eq!(
            view.counts,
            Counts {
                total: 5,
                done: 1,
                in_progress: 1,
                not_started: 2,
                dropped: 1,
                overdue: 1
            }
        );
        assert_eq!(view.ingredients.len(), 1);
        assert_eq!(view.ingredients[0].agreed_in.as_deref(), Some("2026-Q3"));
        // No waves on record: no change to show, and no date means nothing is overdue.
        assert!(view.ingredients[0].change.is_none());
        let undated = PlanView::build("plan.xlsx", Ok(&plan), &instrument, &[], Today(None));
        assert_eq!(undated.counts.overdue, 0);
    }

    #[test]
    fn a_plan_that_cannot_be_opened_is_said_so() {
        let instrument = Instrument::load(None).unwrap();
        let error = PlanError::Open {
            path: "/srv/teams/leaving-care/plan.xlsx".into(),
            reason: "locked".into(),
        };
        let view = PlanView::build("plan.xlsx", Err(&error), &instrument, &[], Today(None));
        // The file's name only: no folder of the machine it ran on.
        assert_eq!(
            view.unreadable_file.unwrap(),
            "the plan plan.xlsx cannot be opened (locked)"
        );
        assert_eq!(view.counts.total, 0);
    }
}
