//! `makeitstick questionnaire`: every output it writes, and the way back.
//!
//! Each form of the questionnaire is proved by the export it leads to: the
//! data-entry workbook filled in (by rust_xlsxwriter, by openpyxl when Python
//! has it, re-saved by LibreOffice when `soffice` is installed), a Kobo export
//! built from the XLSForm (converted by pyxform when installed), and Google
//! Forms and Microsoft Forms exports built from the copy-ready text. Each is
//! read with an instrument stripped of every alias and no mapping file, and
//! every answer must come back exactly.

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, open_workbook_auto};
use makeitstick::ingest::{Platform, ReadOptions};
use makeitstick::instrument::{Answer, Instrument, MapOptions, MatchedBy, Origin};
use makeitstick::questionnaire::forms_text::{self, COPY};
use makeitstick::questionnaire::{Form, workbook, xlsform};

use crate::common::*;

/// The built-in questionnaire with every alias, every extra group answer and
/// every platform id removed: what maps now maps by the questionnaire's own words and ids.
fn stripped() -> Instrument {
    let mut instrument = Instrument::load(None).unwrap();
    for scale in instrument.scale.iter_mut().chain(&mut instrument.scales) {
        for point in &mut scale.points {
            point.aliases.clear();
        }
        for missing in &mut scale.missing {
            missing.aliases.clear();
        }
    }
    if let Some(groups) = &mut instrument.groups {
        groups.aliases.clear();
        for option in &mut groups.options {
            option.answers.truncate(1);
        }
    }
    for ingredient in &mut instrument.ingredients {
        for statement in &mut ingredient.statements {
            statement.aliases.clear();
            statement.ids.clear();
        }
    }
    for comment in &mut instrument.comments {
        comment.aliases.clear();
    }
    instrument
}

/// Texts that would be markup, formulas or separators anywhere they were spliced in.
const HOSTILE: &[&str] = &[
    "#set page(width: 1cm) ends # here",
    "$x^2$ and ] and \\ and a \"quote\"",
    "=cmd|' /C calc'!A0",
    "Row ] closed - and . dots: colon",
    "Comma, semicolon; pipe | and <b>tags</b>",
    "*stars* _under_ `ticks` ${name}",
];

/// The stripped questionnaire with hostile wording in statements, answers and groups.
fn hostile() -> Instrument {
    let mut instrument = stripped();
    for (i, statement) in instrument
        .ingredients
        .iter_mut()
        .flat_map(|g| &mut g.statements)
        .enumerate()
        .take(HOSTILE.len())
    {
        statement.text = format!("{} {}", HOSTILE[i].replace("${name}", "$ {name}"), i + 1);
    }
    let scale = instrument.scale.as_mut().unwrap();
    scale.points[1].label = "Disagree, a bit =1+1".into();
    scale.missing[0].label = "Don't know [#]".into();
    let groups = instrument.groups.as_mut().unwrap();
    groups.options[0].answers = vec!["Young person; \"care\" = experienced #1".into()];
    instrument.ingredients[0].name = "Context #1 $ ]".into();
    // Check that it is still a valid instrument.
    let text = toml::to_string(&instrument).unwrap();
    Instrument::parse(&text, Origin::BuiltIn).unwrap()
}

/// One filled-in form: a group answer (or none) and one choice per statement (or none).
#[derive(Debug, Clone)]
struct Filled {
    group: Option<usize>,
    choices: Vec<Option<usize>>,
}

/// Deterministic answers for `n` forms, covering every choice and blanks.
fn fill(form: &Form, n: usize) -> Vec<Filled> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |m: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % m
    };
    let groups = form.group.as_ref().map_or(0, |g| g.options.len());
    (0..n)
        .map(|row| Filled {
            group: match next(groups + 1) {
                g if g < groups => Some(g),
                _ => None,
            },
            choices: form
                .items()
                .enumerate()
                .map(|(k, item)| {
                    let count = form.scales[item.scale].choices().count();
                    // The first statement walks through every choice; the others are random, some blank.
                    if k == 0 {
                        Some(row % count)
                    } else {
                        match next(count + 1) {
                            c if c < count => Some(c),
                            _ => None,
                        }
                    }
                })
                .collect(),
        })
        .collect()
}

/// The text of a filled choice.
fn choice_text(form: &Form, statement: usize, choice: Option<usize>) -> String {
    let item = form.items().nth(statement).unwrap();
    choice
        .map(|c| form.scales[item.scale].choices().nth(c).unwrap().clone())
        .unwrap_or_default()
}

/// The group answer of a filled form.
fn group_text(form: &Form, filled: &Filled) -> String {
    filled
        .group
        .map(|g| form.group.as_ref().unwrap().options[g].clone())
        .unwrap_or_default()
}

/// Reads `path` with `instrument` (no mapping file) and checks every answer against `filled`.
fn assert_reads_back(
    path: &Path,
    instrument: &Instrument,
    filled: &[Filled],
    platform: Platform,
) -> Mapped {
    let table = read_export(path, &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(table.profile.platform, platform, "{}", path.display());
    let responses = map_export(&table, instrument, &MapOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let form = Form::new(instrument, false);
    let ids: Vec<&str> = form.items().map(|i| i.id.as_str()).collect();
    let mapped: Vec<&str> = responses
        .mapping
        .iter()
        .map(|m| m.statement.as_str())
        .collect();
    assert_eq!(mapped, ids, "{}: every statement is mapped", path.display());
    assert!(
        responses.group_column.is_some(),
        "{}: the group question",
        path.display()
    );
    assert_eq!(
        responses.respondents.len(),
        filled.len(),
        "{}",
        path.display()
    );
    let statements: Vec<_> = instrument.statements().map(|(_, s)| s).collect();
    for (respondent, expected) in responses.respondents.iter().zip(filled) {
        assert_eq!(
            respondent.group,
            expected.group,
            "{}: group",
            path.display()
        );
        for (k, choice) in expected.choices.iter().enumerate() {
            let scale = instrument.scale_of(statements[k]);
            let want = match choice {
                None => Answer::Unanswered,
                Some(c) if *c < scale.points.len() => Answer::Point(scale.points[*c].value),
                Some(c) => Answer::Missing(c - scale.points.len()),
            };
            assert_eq!(
                respondent.answers[k],
                want,
                "{}: row {} statement {}",
                path.display(),
                respondent.row,
                ids[k]
            );
        }
    }
    responses
}

/// Every cell of a sheet, as text.
fn sheet_cells(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut workbook = open_workbook_auto(path).unwrap();
    let range = workbook.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// A copy of the data-entry workbook's two header rows with `filled` typed in below, written
/// by rust_xlsxwriter as a spreadsheet program saves a filled sheet.
fn fill_with_rust(template: &Path, form: &Form, filled: &[Filled], out: &Path) {
    let header = sheet_cells(template, workbook::RESPONSES_SHEET);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(workbook::RESPONSES_SHEET).unwrap();
    for (r, row) in header.iter().take(2).enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    for (i, form_filled) in filled.iter().enumerate() {
        let r = i as u32 + 2;
        sheet.write_number(r, 0, (i + 1) as f64).unwrap();
        let group = group_text(form, form_filled);
        if !group.is_empty() {
            sheet.write_string(r, 1, &group).unwrap();
        }
        for (k, choice) in form_filled.choices.iter().enumerate() {
            let text = choice_text(form, k, *choice);
            if !text.is_empty() {
                sheet.write_string(r, k as u16 + 2, &text).unwrap();
            }
        }
    }
    book.save(out).unwrap();
}

/// Whether `python3` can import `module`.
fn python_has(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Re-saves an .xlsx with LibreOffice Calc (headless) into `dir`; `None` when soffice is absent.
fn libreoffice_resave(path: &Path, dir: &Path) -> Option<PathBuf> {
    let soffice = which::which("soffice").ok()?;
    std::fs::create_dir_all(dir).unwrap();
    let profile = dir.join("lo-profile");
    let output = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
        ])
        .arg(dir)
        .arg(path)
        .output()
        .unwrap();
    let saved = dir.join(path.file_name().unwrap());
    assert!(
        output.status.success() && saved.is_file(),
        "LibreOffice could not re-save {}: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    Some(saved)
}

#[test]
fn data_entry_workbook_filled_in_reads_back_exactly() {
    for instrument in [stripped(), hostile()] {
        let dir = tempfile::tempdir().unwrap();
        let form = Form::new(&instrument, false);
        let template = dir.path().join("data-entry.xlsx");
        workbook::write(&form, &template).unwrap();

        // The workbook as written: codes and wording, drop-down lists holding exactly the answers.
        let header = sheet_cells(&template, workbook::RESPONSES_SHEET);
        assert_eq!(header[0][0], workbook::DATA_ENTRY_MARKER);
        assert_eq!(header[0][1], workbook::GROUP_CODE);
        let ids: Vec<&str> = form.items().map(|i| i.id.as_str()).collect();
        assert_eq!(header[0][2..2 + ids.len()], ids[..]);
        let texts: Vec<&str> = form.items().map(|i| i.text.as_str()).collect();
        assert_eq!(header[1][2..2 + texts.len()], texts[..]);
        let lists = sheet_cells(&template, "Lists");
        let scale: Vec<String> = lists.iter().skip(1).map(|r| r[1].clone()).collect();
        let choices: Vec<String> = form.scales[0].choices().cloned().collect();
        assert_eq!(scale, choices);

        let filled = fill(&form, 40);
        let path = dir.path().join("filled.xlsx");
        fill_with_rust(&template, &form, &filled, &path);
        assert_reads_back(&path, &instrument, &filled, Platform::DataEntry);

        match libreoffice_resave(&path, &dir.path().join("resaved")) {
            Some(resaved) => {
                assert_reads_back(&resaved, &instrument, &filled, Platform::DataEntry);
            }
            None => {
                eprintln!("note: soffice is not installed; the LibreOffice re-save was not tested")
            }
        }
    }
}

#[test]
fn data_entry_workbook_filled_in_by_openpyxl_keeps_its_drop_downs_and_reads_back() {
    if !python_has("openpyxl") {
        eprintln!("note: python3 with openpyxl is not installed; the openpyxl fill was not tested");
        return;
    }
    let instrument = hostile();
    let dir = tempfile::tempdir().unwrap();
    let form = Form::new(&instrument, false);
    let template = dir.path().join("data-entry.xlsx");
    workbook::write(&form, &template).unwrap();
    let filled = fill(&form, 25);
    // The rows as JSON, typed into the very workbook makeitstick wrote.
    let rows: Vec<Vec<String>> = filled
        .iter()
        .map(|f| {
            std::iter::once(group_text(&form, f))
                .chain(
                    f.choices
                        .iter()
                        .enumerate()
                        .map(|(k, c)| choice_text(&form, k, *c)),
                )
                .collect()
        })
        .collect();
    let rows_path = dir.path().join("rows.json");
    std::fs::write(&rows_path, serde_json::to_string(&rows).unwrap()).unwrap();
    let path = dir.path().join("filled.xlsx");
    let script = r#"
import json, sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
sheet = book["Responses"]
validations = len(sheet.data_validations.dataValidation)
for i, row in enumerate(json.load(open(sys.argv[2]))):
    sheet.cell(row=i + 3, column=1, value=i + 1)
    for c, value in enumerate(row):
        if value != "":
            sheet.cell(row=i + 3, column=c + 2, value=value)
book.save(sys.argv[3])
print(validations)
"#;
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(&template)
        .arg(&rows_path)
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The form number, the group question and every statement have their own drop-down.
    let validations: usize = String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .unwrap();
    assert_eq!(validations, 2 + form.items().count());
    assert_reads_back(&path, &instrument, &filled, Platform::DataEntry);
    match libreoffice_resave(&path, &dir.path().join("resaved")) {
        Some(resaved) => {
            assert_reads_back(&resaved, &instrument, &filled, Platform::DataEntry);
        }
        None => eprintln!("note: soffice is not installed; the LibreOffice re-save was not tested"),
    }
}

#[test]
fn check_names_the_data_entry_platform() {
    let dir = tempfile::tempdir().unwrap();
    let instrument = Instrument::load(None).unwrap();
    let form = Form::new(&instrument, false);
    let template = dir.path().join("data-entry.xlsx");
    workbook::write(&form, &template).unwrap();
    let filled = fill(&form, 6);
    let path = dir.path().join("filled.xlsx");
    fill_with_rust(&template, &form, &filled, &path);
    let (output, stderr) = run(makeitstick().arg("check").arg(&path).arg("--json"));
    assert!(output.status.success(), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["platform"], "data-entry");
    assert_eq!(json["responses"], 6);
    assert_eq!(json["header_rows"], 2);
    let mapping = json["mapping"].as_array().unwrap();
    assert_eq!(mapping.len(), form.items().count());
    assert!(mapping.iter().all(|m| m["matched_by"] == "platform id"));
}

#[test]
fn report_reads_a_filled_data_entry_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let instrument = Instrument::load(None).unwrap();
    let form = Form::new(&instrument, false);
    let template = dir.path().join("data-entry.xlsx");
    workbook::write(&form, &template).unwrap();
    let filled = fill(&form, 60);
    let path = dir.path().join("paper-forms-2026-Q3.xlsx");
    fill_with_rust(&template, &form, &filled, &path);
    let (pdf, scores) = (
        dir.path().join("report.pdf"),
        dir.path().join("scores.json"),
    );
    let (output, stderr) = run(makeitstick()
        .arg("report")
        .arg(&path)
        .arg("-o")
        .arg(&pdf)
        .arg("--scores")
        .arg(&scores));
    assert!(output.status.success(), "{stderr}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&scores).unwrap()).unwrap();
    assert_eq!(json["responses"]["used"], 60);
    assert!(pdf_text(&pdf).contains("2026-Q3"));
}

/// The `survey` and `choices` rows of the XLSForm as (type, name, label) and (list, name, label).
fn xlsform_rows(path: &Path) -> (Vec<[String; 3]>, Vec<[String; 3]>) {
    let pick = |rows: Vec<Vec<String>>, columns: [&str; 3]| -> Vec<[String; 3]> {
        let header = rows[0].clone();
        let at = columns.map(|c| header.iter().position(|h| h == c).unwrap());
        rows[1..]
            .iter()
            .map(|r| at.map(|i| r.get(i).cloned().unwrap_or_default()))
            .collect()
    };
    (
        pick(sheet_cells(path, "survey"), ["type", "name", "label"]),
        pick(sheet_cells(path, "choices"), ["list_name", "name", "label"]),
    )
}

#[test]
fn xlsform_converts_with_pyxform_and_its_kobo_export_maps_by_id() {
    for instrument in [stripped(), hostile()] {
        let dir = tempfile::tempdir().unwrap();
        let form = Form::new(&instrument, false);
        let path = dir.path().join("xlsform.xlsx");
        xlsform::write(&form, &path).unwrap();
        let (survey, choices) = xlsform_rows(&path);

        if python_has("pyxform") {
            let xml = dir.path().join("form.xml");
            let output = Command::new("python3")
                .args(["-m", "pyxform.xls2xform", "--skip_validate"])
                .arg(&path)
                .arg(&xml)
                .output()
                .unwrap();
            let said = String::from_utf8_lossy(&output.stdout).into_owned()
                + &String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success() && xml.is_file(), "pyxform: {said}");
            let xform = std::fs::read_to_string(&xml).unwrap();
            for item in form.items() {
                assert!(
                    xform.contains(&format!("/{}\"", item.id)),
                    "{} in the XForm",
                    item.id
                );
            }
        } else {
            eprintln!(
                "note: python3 with pyxform is not installed; the XForm conversion was not tested"
            );
        }

        // A Kobo export ("XML values and headers", `/` between group and name) built from the
        // form's own names: metadata, the group question, each statement inside its group.
        let mut headers = vec![
            "start".to_string(),
            "end".into(),
            "today".into(),
            "deviceid".into(),
        ];
        let mut group_path = Vec::new();
        let mut question_columns = Vec::new();
        for [kind, name, _] in &survey {
            match kind.as_str() {
                "begin_group" => group_path.push(name.clone()),
                "end_group" => {
                    group_path.pop();
                }
                k if k.starts_with("select_one") || k == "text" => {
                    let mut header = group_path.clone();
                    header.push(name.clone());
                    headers.push(header.join("/"));
                    question_columns.push((k.to_string(), name.clone()));
                }
                _ => {}
            }
        }
        headers.extend(
            [
                "_id",
                "_uuid",
                "_submission_time",
                "_validation_status",
                "_index",
            ]
            .map(String::from),
        );
        let filled = fill(&form, 30);
        let choice_name = |list: &str, label: &str| -> String {
            choices
                .iter()
                .find(|[l, _, lab]| l == list && lab == label)
                .map(|[_, name, _]| name.clone())
                .unwrap_or_else(|| panic!("{label:?} is a choice of {list}"))
        };
        let export = dir.path().join("kobo-export.csv");
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_path(&export)
            .unwrap();
        writer.write_record(&headers).unwrap();
        for (i, f) in filled.iter().enumerate() {
            let mut record = vec![
                "2026-09-01T09:50:00.000+01:00".to_string(),
                "2026-09-01T10:00:00.000+01:00".into(),
                "2026-09-01".into(),
                format!("collect:{i}"),
            ];
            let mut statement = 0;
            for (kind, _) in &question_columns {
                let list = kind.strip_prefix("select_one ").unwrap_or("");
                let label = if list == "groups" {
                    group_text(&form, f)
                } else if kind == "text" {
                    String::new()
                } else {
                    statement += 1;
                    choice_text(&form, statement - 1, f.choices[statement - 1])
                };
                record.push(if label.is_empty() {
                    label
                } else {
                    choice_name(list, &label)
                });
            }
            record.extend([
                format!("{}", 1000 + i),
                format!("uuid-{i}"),
                "2026-09-01T10:00:00".into(),
                String::new(),
                format!("{}", i + 1),
            ]);
            writer.write_record(&record).unwrap();
        }
        writer.flush().unwrap();
        let responses = assert_reads_back(&export, &instrument, &filled, Platform::Kobo);
        assert!(
            responses
                .mapping
                .iter()
                .all(|m| m.matched_by == MatchedBy::PlatformId)
        );
    }
}

/// One step of the copy-ready text: its instruction, then each part (the line
/// introducing it, blank for the first, and the lines to copy).
type Step = (String, Vec<(String, Vec<String>)>);

/// The copy-ready text read back as a person would follow it: each numbered
/// step's instruction line and the lines to copy under it, with the line
/// before each run of copied lines ("Rows, ...", "Options, ...").
fn steps(text: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    for line in text.lines() {
        if let Some(copied) = line.strip_prefix(COPY) {
            let step = steps.last_mut().expect("copied text belongs to a step");
            step.1.last_mut().unwrap().1.push(copied.to_string());
        } else if line
            .split_once(". ")
            .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
        {
            steps.push((line.to_string(), vec![(String::new(), Vec::new())]));
        } else if let Some(step) = steps.last_mut()
            && line.starts_with("   ")
        {
            step.1.push((line.trim().to_string(), Vec::new()));
        }
    }
    steps
}

/// The group question, grids (title, rows, columns) and comment questions the text asks for.
struct Built {
    group: Option<(String, Vec<String>)>,
    grids: Vec<(String, Vec<String>, Vec<String>)>,
    comments: Vec<String>,
}

fn follow(text: &str, grid_word: &str, choice_word: &str, comment_word: &str) -> Built {
    let mut built = Built {
        group: None,
        grids: Vec::new(),
        comments: Vec::new(),
    };
    for (instruction, parts) in steps(text) {
        let title = parts[0].1.first().cloned().unwrap_or_default();
        if instruction.contains(grid_word) {
            built
                .grids
                .push((title, parts[1].1.clone(), parts[2].1.clone()));
        } else if instruction.contains(choice_word) {
            built.group = Some((title, parts[1].1.clone()));
        } else if instruction.contains(comment_word) {
            built.comments.push(title);
        }
    }
    built
}

#[test]
fn google_forms_text_builds_an_export_that_maps_with_no_aliases() {
    for instrument in [stripped(), hostile()] {
        let dir = tempfile::tempdir().unwrap();
        let form = Form::new(&instrument, false);
        let text = forms_text::text(&form, forms_text::Platform::GoogleForms);
        let built = follow(
            &text,
            "\"Multiple choice grid\"",
            "\"Multiple choice\"",
            "\"Paragraph\"",
        );
        let (question, options) = built.group.unwrap();
        assert_eq!(built.grids.len(), form.sections.len());
        // The Forms CSV download: Timestamp, then one column per question, `Title [Row]` per grid row.
        let mut headers = vec!["Timestamp".to_string(), question];
        for (title, rows, _) in &built.grids {
            headers.extend(rows.iter().map(|row| format!("{title} [{row}]")));
        }
        headers.extend(built.comments.iter().cloned());
        let filled = fill(&form, 30);
        let export = dir.path().join("google.csv");
        let mut writer = csv::Writer::from_path(&export).unwrap();
        writer.write_record(&headers).unwrap();
        for (i, f) in filled.iter().enumerate() {
            let mut record = vec![
                format!("2026/09/{:02} 3:16:40 pm BST", i % 28 + 1),
                f.group.map(|g| options[g].clone()).unwrap_or_default(),
            ];
            let mut k = 0;
            for (_, rows, columns) in &built.grids {
                for _ in rows {
                    record.push(f.choices[k].map(|c| columns[c].clone()).unwrap_or_default());
                    k += 1;
                }
            }
            record.extend(built.comments.iter().map(|_| String::new()));
            writer.write_record(&record).unwrap();
        }
        writer.flush().unwrap();
        assert_reads_back(&export, &instrument, &filled, Platform::GoogleForms);
    }
}

#[test]
fn microsoft_forms_text_builds_an_export_that_maps_with_no_aliases() {
    use rust_xlsxwriter::{Table as XlTable, TableColumn, Workbook};
    for instrument in [stripped(), hostile()] {
        let dir = tempfile::tempdir().unwrap();
        let form = Form::new(&instrument, false);
        let text = forms_text::text(&form, forms_text::Platform::MicrosoftForms);
        let built = follow(&text, "\"Likert\"", "\"Choice\"", "\"Text\"");
        let (question, options) = built.group.unwrap();
        assert_eq!(built.grids.len(), form.sections.len());
        // Sheet1 with Table1: the fixed columns, then one column per question, a Likert's statements each on their own.
        let mut headers: Vec<String> = ["ID", "Start time", "Completion time", "Email", "Name"]
            .map(String::from)
            .to_vec();
        headers.push(question);
        for (_, rows, _) in &built.grids {
            headers.extend(rows.iter().cloned());
        }
        headers.extend(built.comments.iter().cloned());
        let filled = fill(&form, 30);
        let export = dir.path().join("microsoft.xlsx");
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("Sheet1").unwrap();
        for (i, f) in filled.iter().enumerate() {
            let r = i as u32 + 1;
            let mut record = vec![
                format!("{}", i + 1),
                "2026-09-01 10:00:00".into(),
                "2026-09-01 10:05:00".into(),
                "anonymous".into(),
                String::new(),
                f.group.map(|g| options[g].clone()).unwrap_or_default(),
            ];
            let mut k = 0;
            for (_, rows, columns) in &built.grids {
                for _ in rows {
                    record.push(f.choices[k].map(|c| columns[c].clone()).unwrap_or_default());
                    k += 1;
                }
            }
            record.extend(built.comments.iter().map(|_| String::new()));
            for (c, cell) in record.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string(r, c as u16, cell).unwrap();
                }
            }
        }
        let columns: Vec<TableColumn> = headers
            .iter()
            .map(|h| TableColumn::new().set_header(h))
            .collect();
        let table = XlTable::new().set_name("Table1").set_columns(&columns);
        sheet
            .add_table(0, 0, filled.len() as u32, headers.len() as u16 - 1, &table)
            .unwrap();
        book.save(&export).unwrap();
        assert_reads_back(&export, &instrument, &filled, Platform::MicrosoftForms);
    }
}

/// Writes `instrument` as TOML into `dir` for `--instrument`.
fn instrument_file(dir: &Path, instrument: &Instrument) -> PathBuf {
    let path = dir.join("instrument.toml");
    std::fs::write(&path, toml::to_string(instrument).unwrap()).unwrap();
    path
}

/// Runs `makeitstick questionnaire` with the real typst.
fn questionnaire(out: &Path, extra: &[&std::ffi::OsStr]) -> (std::process::Output, String) {
    run(makeitstick()
        .arg("questionnaire")
        .arg("-o")
        .arg(out)
        .args(extra))
}

/// The statements of each page of a PDF, with white space made single.
fn pages(pdf: &Path) -> Vec<String> {
    let output = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .split('\u{c}')
        .map(|page| page.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn the_printable_questionnaire_prints_every_statement_whole_on_one_page_and_is_identical_on_rerun()
{
    let dir = tempfile::tempdir().unwrap();
    let instrument = hostile();
    let file = instrument_file(dir.path(), &instrument);
    let form = Form::new(&instrument, false);
    for easy in [false, true] {
        let mut args: Vec<&std::ffi::OsStr> = vec!["--instrument".as_ref(), file.as_os_str()];
        if easy {
            args.push("--easy-read".as_ref());
        }
        let (first, second) = (dir.path().join("first"), dir.path().join("second"));
        for out in [&first, &second] {
            let (output, stderr) = questionnaire(out, &args);
            assert!(output.status.success(), "{stderr}");
            assert!(stderr.is_empty(), "a successful run is silent: {stderr}");
        }
        let name = if easy {
            "questionnaire-easy-read.pdf"
        } else {
            "questionnaire.pdf"
        };
        for file in [
            name,
            "data-entry.xlsx",
            "xlsform.xlsx",
            "microsoft-forms.txt",
            "google-forms.txt",
        ] {
            assert_eq!(
                std::fs::read(first.join(file)).unwrap(),
                std::fs::read(second.join(file)).unwrap(),
                "{file} is the same on a re-run"
            );
        }
        let pdf = first.join(name);
        let pdfinfo = Command::new("pdfinfo").arg(&pdf).output().unwrap();
        let info = String::from_utf8_lossy(&pdfinfo.stdout);
        assert!(info.contains("Tagged:          yes"), "{info}");
        let pages = pages(&pdf);
        let all = pages.join(" ");
        for item in form.items() {
            let text = item.text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                pages.iter().any(|p| p.contains(&text)),
                "{:?} is printed whole on one page (easy read: {easy})",
                item.text
            );
        }
        for label in form.scales[0]
            .choices()
            .chain(&form.group.as_ref().unwrap().options)
        {
            let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
            // A label wraps under its box (two lines side by side come out interleaved).
            if !label.contains(' ') {
                assert!(all.contains(&label), "{label:?} is printed");
            }
        }
        assert!(all.contains(&form.comments[0]));
        std::fs::remove_dir_all(&first).unwrap();
        std::fs::remove_dir_all(&second).unwrap();
    }
}

#[test]
fn a_changed_file_is_never_replaced_without_force_and_an_unchanged_one_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("q");
    let (output, stderr) = questionnaire(&out, &[]);
    assert!(output.status.success(), "{stderr}");
    // The easy-read run after the standard one changes nothing else.
    let (output, stderr) = questionnaire(&out, &["--easy-read".as_ref()]);
    assert!(output.status.success(), "{stderr}");
    assert!(out.join("questionnaire-easy-read.pdf").is_file());
    // A workbook with forms typed in is kept.
    std::fs::write(out.join("data-entry.xlsx"), b"typed-in forms").unwrap();
    let (output, stderr) = questionnaire(&out, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("data-entry.xlsx"), "{stderr}");
    assert!(stderr.contains("hint: "), "{stderr}");
    assert_eq!(
        std::fs::read(out.join("data-entry.xlsx")).unwrap(),
        b"typed-in forms"
    );
    let (output, stderr) = questionnaire(&out, &["--force".as_ref()]);
    assert!(output.status.success(), "{stderr}");
    assert_ne!(
        std::fs::read(out.join("data-entry.xlsx")).unwrap(),
        b"typed-in forms"
    );
    // Nothing is left behind in the folder.
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "data-entry.xlsx",
            "google-forms.txt",
            "microsoft-forms.txt",
            "questionnaire-easy-read.pdf",
            "questionnaire.pdf",
            "xlsform.xlsx"
        ]
    );
}
