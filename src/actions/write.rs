//! Writing a plan workbook: the suggested actions of this wave's plan
//! ingredients, a status drop-down, room for the team's own rows, and a sheet
//! of instructions. Used for `plan.xlsx` the first time and for
//! `plan-suggestions-<wave>.xlsx` after that.

use rust_xlsxwriter::{DataValidation, Format, Workbook, XlsxError};

use super::{COLUMNS, SHEET, Status};
use crate::instrument::Instrument;

/// Rows below the header that carry the status drop-down (room for the team's own actions).
const ROWS: u32 = 200;

/// One suggested action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The ingredient's name, as the plan's Ingredient column holds it.
    pub ingredient: String,
    /// One of the ingredient's prompts.
    pub action: String,
}

/// Every prompt of the plan's ingredients (`plan`, the ids decided by
/// `report::decisions::plan`, weakest first), in that order.
pub fn suggestions(instrument: &Instrument, plan: &[String]) -> Vec<Suggestion> {
    plan.iter()
        .filter_map(|id| instrument.ingredients.iter().find(|i| i.id == *id))
        .flat_map(|i| {
            i.prompts.iter().map(|p| Suggestion {
                ingredient: i.name.clone(),
                action: p.clone(),
            })
        })
        .collect()
}

/// A plan workbook's bytes: sheet "Plan" with a row per suggestion
/// (status "not started", agreed in `wave`), then sheet "How to use".
pub fn plan_workbook(rows: &[Suggestion], wave: &str) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let wrap = Format::new().set_text_wrap();
    let sheet = book.add_worksheet();
    sheet.set_name(SHEET)?;
    for (c, name) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &bold)?;
    }
    for (c, width) in [22, 48, 18, 12, 14, 32, 14, 32].into_iter().enumerate() {
        sheet.set_column_width(c as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, s) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string_with_format(r, 0, &s.ingredient, &wrap)?;
        sheet.write_string_with_format(r, 1, &s.action, &wrap)?;
        sheet.write_string(r, 4, Status::NotStarted.label())?;
        sheet.write_string(r, 6, wave)?;
    }
    let labels: Vec<&str> = Status::ALL.iter().map(|s| s.label()).collect();
    let status = DataValidation::new()
        .allow_list_strings(&labels)?
        .set_error_message("Choose one of: not started, in progress, done, dropped.")?;
    sheet.add_data_validation(1, 4, ROWS + rows.len() as u32, 4, &status)?;

    let help = book.add_worksheet();
    help.set_name("How to use")?;
    help.set_column_width(0, 100)?;
    let lines = [
        "How to use this plan",
        "Each row on the Plan sheet is one action. makeitstick wrote the suggested actions for the lowest-scoring ingredients; cross out (delete) the ones you will not take, and add your own in the empty rows.",
        "Ingredient: the ingredient's name, as in the report.",
        "Owner: who will make it happen. Owners' names appear in the report, but never in the scores files or the history.",
        "By when: a date, such as 31/03/2027. After that date an action that is not done or dropped shows as overdue.",
        "Status: choose not started, in progress, done or dropped from the list.",
        "Agreed in wave: the survey round in which you agreed the action, such as 2026-Q3. The report shows how the ingredient's score changed since then.",
        "Keep the first row of the Plan sheet as it is. makeitstick reads this file for every report and never changes it.",
    ];
    for (r, line) in lines.iter().enumerate() {
        let format = if r == 0 { &bold } else { &wrap };
        help.write_string_with_format(r as u32, 0, *line, format)?;
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::read_plan;

    #[test]
    fn a_written_plan_reads_back_as_its_suggestions() {
        let instrument = Instrument::load(None).unwrap();
        let ids: Vec<String> = instrument.ingredients[..2]
            .iter()
            .map(|i| i.id.clone())
            .collect();
        let rows = suggestions(&instrument, &ids);
        let count: usize = instrument.ingredients[..2]
            .iter()
            .map(|i| i.prompts.len())
            .sum();
        assert_eq!(rows.len(), count);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.xlsx");
        std::fs::write(&path, plan_workbook(&rows, "2026-Q3").unwrap()).unwrap();
        let plan = read_plan(&path, &instrument).unwrap();
        assert!(plan.problems.is_empty(), "{:?}", plan.problems);
        assert_eq!(plan.actions.len(), count);
        assert!(
            plan.actions.iter().all(
                |a| a.status == Status::NotStarted && a.agreed_in.as_deref() == Some("2026-Q3")
            )
        );
        assert_eq!(plan.actions[0].action, rows[0].action);
        assert_eq!(plan.actions[0].ingredient, ids[0]);
    }
}
