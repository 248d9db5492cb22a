//! The XLSForm for KoboToolbox and ODK Collect (offline data collection on tablets).
//!
//! Sheets `survey`, `choices` and `settings`, as the XLSForm standard names
//! them (<https://xlsform.org>). Each statement's `name` is its id in the
//! instrument, inside a group named by its ingredient's id, so a Kobo export
//! ("XML values and headers") heads its column `context/context-1` (or
//! `context.context-1`), which makeitstick maps by the id after the group. Each
//! choice's `name` is its label, so the export's values are the instrument's
//! answers whichever header and value format is chosen. The group question is
//! a `select_one` named `group`, the column code makeitstick reads as the group
//! question.

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

use super::workbook::GROUP_CODE;
use super::{Form, QuestionnaireError};

const WORKBOOK: &str = "XLSForm";

/// The list name of scale `index`'s choices.
fn scale_list(form: &Form, index: usize) -> String {
    format!("scale_{}", form.scales[index].id)
}

/// The list name of the group answers.
const GROUP_LIST: &str = "groups";

/// Writes the XLSForm for `form` to `path`.
pub fn write(form: &Form, path: &Path) -> Result<(), QuestionnaireError> {
    for section in &form.sections {
        xml_name("ingredient", &section.id)?;
        for item in &section.statements {
            xml_name("statement", &item.id)?;
        }
    }
    let error = QuestionnaireError::workbook(WORKBOOK);
    let mut survey: Vec<[String; 5]> = vec![[
        "type".into(),
        "name".into(),
        "label".into(),
        "required".into(),
        "appearance".into(),
    ]];
    let row = |kind: &str, name: &str, label: &str, appearance: &str| -> [String; 5] {
        [
            kind.into(),
            name.into(),
            label.into(),
            String::new(),
            appearance.into(),
        ]
    };
    survey.push(row(
        "note",
        "introduction",
        &form.introduction.join("\n\n"),
        "",
    ));
    if let Some(group) = &form.group {
        survey.push(row(
            &format!("select_one {GROUP_LIST}"),
            GROUP_CODE,
            &group.question,
            "",
        ));
    }
    for section in &form.sections {
        survey.push(row("begin_group", &section.id, &section.name, "field-list"));
        for item in &section.statements {
            survey.push(row(
                &format!("select_one {}", scale_list(form, item.scale)),
                &item.id,
                &item.text,
                "",
            ));
        }
        survey.push(row("end_group", "", "", ""));
    }
    for (i, comment) in form.comments.iter().enumerate() {
        survey.push(row(
            "text",
            &format!("comment_{}", i + 1),
            comment,
            "multiline",
        ));
    }

    let mut choices: Vec<[String; 3]> = vec![["list_name".into(), "name".into(), "label".into()]];
    if let Some(group) = &form.group {
        for option in &group.options {
            choices.push([GROUP_LIST.into(), option.clone(), option.clone()]);
        }
    }
    for (index, scale) in form.scales.iter().enumerate() {
        for choice in scale.choices() {
            choices.push([scale_list(form, index), choice.clone(), choice.clone()]);
        }
    }

    let settings: Vec<[String; 3]> = vec![
        ["form_title".into(), "form_id".into(), "version".into()],
        [
            form.title.clone(),
            "makeitstick".into(),
            form.version.clone(),
        ],
    ];

    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2026, 1, 1).map_err(&error)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    for (name, rows) in [
        ("survey", survey.iter().map(|r| &r[..]).collect::<Vec<_>>()),
        ("choices", choices.iter().map(|r| &r[..]).collect()),
        ("settings", settings.iter().map(|r| &r[..]).collect()),
    ] {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).map_err(&error)?;
        for (r, cells) in rows.iter().enumerate() {
            for (c, cell) in cells.iter().enumerate() {
                if !cell.is_empty() {
                    sheet
                        .write_string(r as u32, c as u16, cell)
                        .map_err(&error)?;
                }
            }
        }
        sheet.set_column_width(2, 60).map_err(&error)?;
        sheet.set_column_width(1, 24).map_err(&error)?;
    }
    workbook.save(path).map_err(&error)?;
    Ok(())
}

/// Refuses an id that is not an XML name (instrument ids are plain, but may start with a digit).
fn xml_name(kind: &'static str, id: &str) -> Result<(), QuestionnaireError> {
    if id.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(QuestionnaireError::XmlName {
            kind,
            id: id.to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_starting_with_a_digit_are_refused_naming_them() {
        assert!(xml_name("statement", "context-1").is_ok());
        let error = xml_name("statement", "1st").unwrap_err();
        assert_eq!(
            error.to_string(),
            "the statement id \"1st\" starts with a digit, so it cannot name a question in an XLSForm"
        );
    }
}
