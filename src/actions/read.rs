//! Reading the team's plan: a workbook's "Plan" sheet with calamine, or a CSV
//! file, header row first. Each bad cell becomes a [`RowProblem`]; only a file
//! that cannot be opened, or has no header the plan needs, is a [`PlanError`].

use std::path::{Path, PathBuf};

use calamine::{Data, DataType, Reader};
use chrono::NaiveDate;

use super::dates::{from_serial, parse_date};
use super::{Action, COLUMNS, Plan, RowProblem, SHEET, Status};
use crate::instrument::Instrument;
use crate::wave::Wave;

/// A plan bigger than this is not opened (a plan is a few dozen rows).
const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// Why the plan file could not be used at all.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// Locked, corrupt, not a workbook, too big.
    #[error("the plan {path} cannot be opened ({reason})")]
    Open {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The workbook has no sheet named "Plan".
    #[error("the plan {path} has no sheet named \"Plan\"")]
    NoSheet {
        /// The file.
        path: PathBuf,
    },
    /// The header row lacks a column the plan needs.
    #[error("the plan {path} has no column headed {column:?} in its first row")]
    NoColumn {
        /// The file.
        path: PathBuf,
        /// The missing heading.
        column: &'static str,
    },
}

impl PlanError {
    /// The message as the report prints it: the plan's file name, never the
    /// folder it is in (a board pack is no place for a server's paths).
    pub fn in_report(&self) -> String {
        let (PlanError::Open { path, .. }
        | PlanError::NoSheet { path }
        | PlanError::NoColumn { path, .. }) = self;
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        self.to_string()
            .replacen(&path.display().to_string(), &name, 1)
    }

    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            PlanError::Open { .. } => {
                "if the plan is open in a spreadsheet program, close it; if it is damaged or not a plan, restore it from a backup or move it away; the report was written without it"
            }
            _ => {
                "keep the first row of the Plan sheet as makeitstick wrote it (Ingredient, Action, Owner, By when, Status, How we will know, Agreed in wave, Notes)"
            }
        }
    }
}

/// A cell as read: text, or a date from a date cell.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    Date(NaiveDate),
    Number(f64),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(s) => crate::text::strip_unprintable(s).trim().to_string(),
            Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
        }
    }
}

/// The bytes of the plan at `path` when they can be read as a plan: a
/// regular file (never a FIFO or a device, which could block or never end) of
/// at most 16 MB; `None` otherwise, and [`read_plan`] says why.
pub fn plan_bytes(path: &Path) -> Option<Vec<u8>> {
    readable(path).ok()?;
    std::fs::read(path).ok()
}

/// Why the file at `path` cannot be read as a plan, if it cannot: not a
/// regular file, or over [`MAX_BYTES`].
fn readable(path: &Path) -> Result<(), String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("it is not a regular file".into());
    }
    if meta.len() > MAX_BYTES {
        return Err(format!("it is over {} MB", MAX_BYTES / 1024 / 1024));
    }
    Ok(())
}

/// Reads the plan at `path` (`.csv` as CSV, anything else as a workbook).
pub fn read_plan(path: &Path, instrument: &Instrument) -> Result<Plan, PlanError> {
    let open = |reason: String| PlanError::Open {
        path: path.to_path_buf(),
        reason,
    };
    readable(path).map_err(open)?;
    let csv = crate::output::has_extension(path, &["csv"]);
    let rows = if csv {
        csv_rows(path).map_err(open)?
    } else {
        workbook_rows(path)?
    };
    let file = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let sheet = (!csv).then(|| SHEET.to_string());
    read_rows(&rows, instrument, &file, sheet.as_deref()).map_err(|column| PlanError::NoColumn {
        path: path.to_path_buf(),
        column,
    })
}

/// The rows of a CSV plan, as text cells.
fn csv_rows(path: &Path) -> Result<Vec<Vec<Cell>>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            r.map(|record| record.iter().map(|c| Cell::Text(c.to_string())).collect())
                .map_err(|e| e.to_string())
        })
        .collect()
}

/// The rows of a workbook's Plan sheet, from spreadsheet row 1.
fn workbook_rows(path: &Path) -> Result<Vec<Vec<Cell>>, PlanError> {
    let open = |reason: String| PlanError::Open {
        path: path.to_path_buf(),
        reason,
    };
    let mut book = calamine::open_workbook_auto(path).map_err(|e| open(e.to_string()))?;
    if !book.sheet_names().iter().any(|n| n == SHEET) {
        return Err(PlanError::NoSheet {
            path: path.to_path_buf(),
        });
    }
    let range = book
        .worksheet_range(SHEET)
        .map_err(|e| open(e.to_string()))?;
    let Some((first_row, first_column)) = range.start() else {
        return Ok(Vec::new());
    };
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); first_row as usize];
    for row in range.rows() {
        let mut cells = vec![Cell::Text(String::new()); first_column as usize];
        cells.extend(row.iter().map(|cell| {
            match cell {
                Data::DateTime(_) | Data::DateTimeIso(_) => cell
                    .as_date()
                    .map_or_else(|| Cell::Text(cell.to_string()), Cell::Date),
                Data::Float(f) => Cell::Number(*f),
                Data::Int(i) => Cell::Number(*i as f64),
                Data::Empty => Cell::Text(String::new()),
                other => Cell::Text(other.to_string()),
            }
        }));
        rows.push(cells);
    }
    Ok(rows)
}

/// The actions in `rows` (the first row is the header); `Err` names a missing column.
fn read_rows(
    rows: &[Vec<Cell>],
    instrument: &Instrument,
    file: &str,
    sheet: Option<&str>,
) -> Result<Plan, &'static str> {
    let header: Vec<String> = rows
        .first()
        .map(|r| r.iter().map(|c| c.text().to_lowercase()).collect())
        .unwrap_or_default();
    let mut at = [0usize; COLUMNS.len()];
    for (k, name) in COLUMNS.iter().enumerate() {
        at[k] = header
            .iter()
            .position(|h| *h == name.to_lowercase())
            .ok_or(*name)?;
    }
    let mut plan = Plan::default();
    for (index, row) in rows.iter().enumerate().skip(1) {
        let cell = |k: usize| row.get(at[k]).cloned().unwrap_or(Cell::Text(String::new()));
        let text = |k: usize| cell(k).text();
        if (0..COLUMNS.len()).all(|k| text(k).is_empty()) {
            continue;
        }
        let number = index + 1;
        let mut problems = Vec::new();
        let mut problem = |k: usize, what: String| {
            problems.push(RowProblem {
                file: file.to_string(),
                sheet: sheet.map(str::to_string),
                row: number,
                column: COLUMNS[k].to_string(),
                problem: what,
            })
        };
        let ingredient = find_ingredient(instrument, &text(0));
        if ingredient.is_none() {
            problem(0, unknown_ingredient(instrument, &text(0)));
        }
        if text(1).is_empty() {
            problem(
                1,
                "there is no action; write what will be done, or clear the row".into(),
            );
        }
        let by_when = match cell(3) {
            Cell::Date(d) => Some(d),
            Cell::Number(n) => from_serial(n),
            Cell::Text(t) if t.trim().is_empty() => None,
            Cell::Text(t) => parse_date(&t),
        };
        if by_when.is_none() && !text(3).is_empty() {
            problem(
                3,
                format!(
                    "{} is not a date; write the day, month and year, such as 31/03/2027",
                    quoted(&text(3))
                ),
            );
        }
        let status = Status::parse(&text(4));
        if status.is_none() {
            problem(
                4,
                format!(
                    "{} is not a status; use one of not started, in progress, done, dropped",
                    quoted(&text(4))
                ),
            );
        }
        let agreed = text(6);
        if !agreed.is_empty() && agreed.parse::<Wave>().is_err() {
            problem(
                6,
                format!(
                    "{} is not a wave; write it as the report names it, such as 2026-Q3",
                    quoted(&agreed)
                ),
            );
        }
        match (ingredient, status) {
            (Some(ingredient), Some(status)) if problems.is_empty() => plan.actions.push(Action {
                row: number,
                ingredient,
                action: text(1),
                owner: text(2),
                by_when,
                status,
                how: text(5),
                agreed_in: (!agreed.is_empty()).then_some(agreed),
                notes: text(7),
            }),
            _ => plan.problems.extend(problems),
        }
    }
    Ok(plan)
}

/// The id of the ingredient a cell names, by name or id, in any case.
fn find_ingredient(instrument: &Instrument, text: &str) -> Option<String> {
    let wanted = text.trim().to_lowercase();
    instrument
        .ingredients
        .iter()
        .find(|i| i.name.to_lowercase() == wanted || i.id.to_lowercase() == wanted)
        .map(|i| i.id.clone())
}

/// Why an ingredient cell was not understood, naming the ingredients there are.
fn unknown_ingredient(instrument: &Instrument, text: &str) -> String {
    let names: Vec<&str> = instrument
        .ingredients
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    let what = if text.is_empty() {
        "there is no ingredient".to_string()
    } else {
        format!("{} is not an ingredient", quoted(text))
    };
    format!("{what}; use one of {}", names.join(", "))
}

/// A cell's text in quotes, cut to 80 characters.
fn quoted(text: &str) -> String {
    let cut: String = text.chars().take(80).collect();
    if cut.len() < text.len() {
        format!("\"{cut}…\"")
    } else {
        format!("\"{cut}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_rows(rows: &[&[&str]]) -> Vec<Vec<Cell>> {
        rows.iter()
            .map(|r| r.iter().map(|c| Cell::Text(c.to_string())).collect())
            .collect()
    }

    fn instrument() -> Instrument {
        Instrument::load(None).unwrap()
    }

    #[test]
    fn rows_become_actions_and_bad_cells_problems() {
        let i = instrument();
        let first = &i.ingredients[0];
        let rows = text_rows(&[
            &COLUMNS,
            &[
                &first.name,
                "Ask young people",
                "Sam",
                "31/03/2027",
                "In progress",
                "",
                "2026-Q3",
                "=cmd|",
            ],
            &["", "", "", "", "", "", "", ""],
            &[&first.id, "Meet", "", "", "finished", "", "", ""],
            &["Cake", "Bake", "", "tomorrow", "", "", "Q3", ""],
        ]);
        let plan = read_rows(&rows, &i, "plan.xlsx", Some("Plan")).unwrap();
        assert_eq!(plan.actions.len(), 1);
        let a = &plan.actions[0];
        assert_eq!(
            (a.row, a.status, a.ingredient.as_str()),
            (2, Status::InProgress, first.id.as_str())
        );
        assert_eq!(a.by_when, NaiveDate::from_ymd_opt(2027, 3, 31));
        assert_eq!(a.notes, "=cmd|");
        let named: Vec<String> = plan.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(named.len(), 4, "{named:?}");
        assert!(
            named[0].starts_with(
                "plan.xlsx, sheet \"Plan\", row 4, column \"Status\": \"finished\" is not a status"
            ),
            "{}",
            named[0]
        );
        assert!(
            named[1].contains("row 5, column \"Ingredient\": \"Cake\" is not an ingredient"),
            "{}",
            named[1]
        );
        assert!(
            named[2].contains("column \"By when\": \"tomorrow\" is not a date"),
            "{}",
            named[2]
        );
        assert!(
            named[3].contains("column \"Agreed in wave\""),
            "{}",
            named[3]
        );
    }

    #[test]
    fn a_missing_column_is_named() {
        let rows = text_rows(&[&["Ingredient", "Action"]]);
        assert_eq!(
            read_rows(&rows, &instrument(), "plan.csv", None),
            Err("Owner")
        );
    }

    #[test]
    fn a_file_that_is_not_a_workbook_cannot_be_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.xlsx");
        std::fs::write(&path, "not a zip").unwrap();
        let error = read_plan(&path, &instrument()).unwrap_err();
        assert!(matches!(error, PlanError::Open { .. }), "{error}");
    }
}
