//! The data-entry workbook: one row per paper form, typed in from the printed questionnaire.
//!
//! Sheet `Responses` comes first, so that it is the sheet makeitstick reads:
//! row 1 holds the column codes (the marker [`DATA_ENTRY_MARKER`], `group`, each
//! statement's id, `comment-N`), row 2 the wording as printed on the paper
//! form; both are frozen. Every answer cell has a drop-down (data validation)
//! holding exactly the scale's labels and "no view" answers, or the group
//! answers, read from the hidden sheet `Lists`; anything else is refused.
//! `Instructions` says how to type a form in.
//!
//! `report` and `check` recognise the marker as the data-entry platform
//! (two header rows: codes, then wording) and map each column by its code.

use std::path::Path;

use rust_xlsxwriter::{
    DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign, Formula,
    Workbook, Worksheet,
};

use super::{Form, QuestionnaireError};
pub use crate::ingest::DATA_ENTRY_MARKER;

/// How many paper forms the drop-downs cover.
pub const FORM_ROWS: u32 = 2000;

/// The sheet the answers are typed into.
pub const RESPONSES_SHEET: &str = "Responses";

/// The code of the group question's column.
pub const GROUP_CODE: &str = "group";

const WORKBOOK: &str = "data-entry workbook";

/// Writes the data-entry workbook for `form` to `path`.
pub fn write(form: &Form, path: &Path) -> Result<(), QuestionnaireError> {
    let error = QuestionnaireError::workbook(WORKBOOK);
    let mut workbook = Workbook::new();
    // A fixed creation date, so the same questionnaire gives the same bytes.
    let created = ExcelDateTime::from_ymd(2026, 1, 1).map_err(&error)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("{}: data entry", form.title))
            .set_creation_datetime(&created),
    );
    let code = Format::new().set_font_size(9).set_font_color("#505050");
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color("#ECEFF2");

    // Lists first in memory, but it is added last so Responses stays the first sheet.
    let mut lists: Vec<(String, Vec<String>)> = Vec::new();
    if let Some(group) = &form.group {
        lists.push(("Group answers".into(), group.options.clone()));
    }
    let scale_list_start = lists.len();
    for scale in &form.scales {
        lists.push((
            format!("Answers ({})", scale.id),
            scale.choices().cloned().collect(),
        ));
    }
    let list_formula = |index: usize, len: usize| {
        let column = crate::ingest::column_letter(index);
        Formula::new(format!("=Lists!${column}$2:${column}${}", len + 1))
    };

    let sheet = workbook.add_worksheet();
    sheet.set_name(RESPONSES_SHEET).map_err(&error)?;
    let last_row = FORM_ROWS + 1;
    let mut column: u16 = 0;
    put_header(
        sheet,
        column,
        DATA_ENTRY_MARKER,
        "Form number",
        &code,
        &header,
    )
    .map_err(&error)?;
    sheet.set_column_width(column, 10).map_err(&error)?;
    let whole = DataValidation::new()
        .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(1))
        .set_error_message("Type the number written on the paper form (1, 2, 3...).")
        .map_err(&error)?;
    sheet
        .add_data_validation(2, column, last_row, column, &whole)
        .map_err(&error)?;
    if let Some(group) = &form.group {
        column += 1;
        put_header(sheet, column, GROUP_CODE, &group.question, &code, &header).map_err(&error)?;
        sheet.set_column_width(column, 36).map_err(&error)?;
        let list = DataValidation::new()
            .allow_list_formula(list_formula(0, group.options.len()))
            .set_error_message("Choose an answer from the list, or leave the cell empty.")
            .map_err(&error)?;
        sheet
            .add_data_validation(2, column, last_row, column, &list)
            .map_err(&error)?;
    }
    for item in form.items() {
        column += 1;
        put_header(sheet, column, &item.id, &item.text, &code, &header).map_err(&error)?;
        sheet.set_column_width(column, 24).map_err(&error)?;
        let scale = &form.scales[item.scale];
        let list = DataValidation::new()
            .allow_list_formula(list_formula(
                scale_list_start + item.scale,
                scale.choices().count(),
            ))
            .set_error_message(
                "Choose the answer ticked on the paper form, or leave the cell empty when nothing was ticked.",
            )
            .map_err(&error)?;
        sheet
            .add_data_validation(2, column, last_row, column, &list)
            .map_err(&error)?;
    }
    for (i, comment) in form.comments.iter().enumerate() {
        column += 1;
        let id = format!("comment-{}", i + 1);
        put_header(sheet, column, &id, comment, &code, &header).map_err(&error)?;
        sheet.set_column_width(column, 48).map_err(&error)?;
    }
    sheet.set_row_height(1, 90).map_err(&error)?;
    sheet.set_freeze_panes(2, 1).map_err(&error)?;

    let instructions = workbook.add_worksheet();
    instructions.set_name("Instructions").map_err(&error)?;
    instructions.set_column_width(0, 100).map_err(&error)?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let title = Format::new().set_bold().set_font_size(14);
    instructions
        .write_string_with_format(
            0,
            0,
            format!("{}: typing in paper forms", form.title),
            &title,
        )
        .map_err(&error)?;
    for (i, line) in instruction_lines(form).iter().enumerate() {
        instructions
            .write_string_with_format(i as u32 + 2, 0, line, &wrap)
            .map_err(&error)?;
    }

    let sheet = workbook.add_worksheet();
    sheet.set_name("Lists").map_err(&error)?;
    for (index, (name, values)) in lists.iter().enumerate() {
        let column = index as u16;
        sheet.write_string(0, column, name).map_err(&error)?;
        for (row, value) in values.iter().enumerate() {
            sheet
                .write_string(row as u32 + 1, column, value)
                .map_err(&error)?;
        }
        sheet.set_column_width(column, 30).map_err(&error)?;
    }
    sheet.set_hidden(true);

    workbook.save(path).map_err(&error)?;
    Ok(())
}

/// The instructions sheet, one paragraph a line.
fn instruction_lines(form: &Form) -> Vec<String> {
    let mut lines = vec![
        format!("Type each paper form into one row of the sheet \u{201c}{RESPONSES_SHEET}\u{201d}, starting at row 3. Rows 1 and 2 name the columns: do not change, move or delete them, or add columns between them."),
        "Column A: write the form's number on the paper form and type the same number here, so that any row can be checked against its form later.".into(),
    ];
    if form.group.is_some() {
        lines.push("Column B: choose the answer ticked for the first question. Leave it empty when nothing was ticked.".into());
    }
    lines.extend([
        "Each statement's column: choose the answer ticked on the paper form from the drop-down list. Leave the cell empty when nothing was ticked, or when two boxes were ticked and you cannot tell which was meant. Never guess.".to_string(),
        "Comments: type them as written. They are quoted in a report only when it is made with --include-comments; leave out names and contact details.".into(),
        "Keep the paper forms in a locked place until the report is made, then destroy them as your organisation's data policy says.".into(),
        "When every form is typed in, save the workbook and give it to makeitstick like any survey export: makeitstick check FILE.xlsx, then makeitstick report FILE.xlsx (or save it in the project's exports folder).".into(),
    ]);
    lines
}

/// Writes a column's code (row 1) and wording (row 2).
fn put_header(
    sheet: &mut Worksheet,
    column: u16,
    code: &str,
    text: &str,
    code_format: &Format,
    header: &Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    sheet.write_string_with_format(0, column, code, code_format)?;
    sheet.write_string_with_format(1, column, text, header)?;
    Ok(())
}
