//! Reading survey exports: CSV files and workbooks become one [`Table`] of text cells.
//!
//! Identity columns (names, e-mails, IP addresses, locations, respondent ids)
//! are recognised from their headers and dropped here, at the door: their cells
//! are never stored, so no later stage can leak them. Only the column names are
//! kept, to tell the user what was dropped.

mod csv_source;
mod identity;
mod workbook;

pub use identity::is_identity_column;

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use thiserror::Error;

/// An export read into memory, with identity columns already removed.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file it came from.
    pub source: PathBuf,
    /// What kind of file it was ("Microsoft Forms workbook", "CSV, comma-separated, UTF-8").
    pub description: String,
    /// The kept columns, in file order.
    pub columns: Vec<Column>,
    /// The data rows; each has one cell per kept column.
    pub rows: Vec<Row>,
    /// Headers of the identity columns that were dropped (never their values).
    pub dropped_identity: Vec<String>,
}

/// One kept column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header text as found in the file.
    pub header: String,
    /// Spreadsheet-style letter of the column in the file ("A", "AB").
    pub letter: String,
}

/// One data row.
#[derive(Debug, Clone)]
pub struct Row {
    /// Row number in the file, counting the header as row 1, as a spreadsheet shows it.
    pub number: usize,
    /// One cell per kept column; empty when blank.
    pub cells: Vec<String>,
    /// When the response was completed, if the export says.
    pub completed: Option<NaiveDateTime>,
}

/// Why an export could not be read.
#[derive(Debug, Error)]
pub enum IngestError {
    /// The file does not exist or cannot be opened.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file extension is not one we read.
    #[error(
        "{path} is not a file type makeitstick reads (expected .csv, .tsv, .txt, .xlsx, .xlsm, .xlsb, .xls or .ods)"
    )]
    UnknownType {
        /// The file.
        path: PathBuf,
    },
    /// A workbook could not be opened or read.
    #[error("cannot read the workbook {path}: {message}")]
    Workbook {
        /// The file.
        path: PathBuf,
        /// What calamine said.
        message: String,
    },
    /// A CSV file is malformed.
    #[error("cannot read the CSV file {path} at row {row}: {message}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// The row where reading stopped.
        row: usize,
        /// What went wrong.
        message: String,
    },
    /// The file holds no header row.
    #[error("{path} is empty: it has no header row")]
    Empty {
        /// The file.
        path: PathBuf,
    },
}

impl IngestError {
    /// A next step for the user.
    pub fn hint(&self) -> &'static str {
        match self {
            IngestError::Io { .. } => "check the path and that you can read the file",
            IngestError::UnknownType { .. } => {
                "export the survey responses as CSV or Excel (.xlsx) and run again"
            }
            IngestError::Workbook { .. } => {
                "open the file in Excel or LibreOffice to check it is not damaged or password-protected, then save it again as .xlsx or export it as CSV"
            }
            IngestError::Csv { .. } => {
                "open the file in a spreadsheet program to check that row, or download the export again"
            }
            IngestError::Empty { .. } => "download the export again once the survey has responses",
        }
    }
}

/// Reads an export, choosing the reader from the file extension.
pub fn read(path: &Path) -> Result<Table, IngestError> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !path.exists() {
        return Err(IngestError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    let raw = match extension.as_str() {
        "csv" | "tsv" | "txt" => csv_source::read(path)?,
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => workbook::read(path)?,
        _ => {
            return Err(IngestError::UnknownType {
                path: path.to_path_buf(),
            });
        }
    };
    Ok(raw.into_table(path))
}

/// Cells as a reader found them, before identity columns are dropped.
pub(crate) struct RawTable {
    pub description: String,
    pub headers: Vec<String>,
    /// (row number, cells, completion time).
    pub rows: Vec<(usize, Vec<String>, Option<NaiveDateTime>)>,
}

impl RawTable {
    fn into_table(self, path: &Path) -> Table {
        let keep: Vec<bool> = self
            .headers
            .iter()
            .map(|h| !is_identity_column(h))
            .collect();
        let columns = self
            .headers
            .iter()
            .enumerate()
            .filter(|(i, _)| keep[*i])
            .map(|(i, header)| Column {
                header: header.clone(),
                letter: column_letter(i),
            })
            .collect();
        let dropped_identity = self
            .headers
            .iter()
            .enumerate()
            .filter(|(i, _)| !keep[*i])
            .map(|(_, h)| h.clone())
            .collect();
        let rows = self
            .rows
            .into_iter()
            .map(|(number, cells, completed)| {
                let cells = (0..keep.len())
                    .filter(|i| keep[*i])
                    .map(|i| cells.get(i).cloned().unwrap_or_default())
                    .collect();
                Row {
                    number,
                    cells,
                    completed,
                }
            })
            .collect();
        Table {
            source: path.to_path_buf(),
            description: self.description,
            columns,
            rows,
            dropped_identity,
        }
    }
}

/// Spreadsheet column letters: 0 → "A", 25 → "Z", 26 → "AA".
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// Headers that hold when a response was completed, most specific first.
const COMPLETION_HEADERS: &[&str] = &[
    "completion time",
    "submit date (utc)",
    "submitdate",
    "end date",
    "enddate",
    "recorded date",
    "timestamp",
];

/// The index of the column that says when each response was completed.
pub(crate) fn completion_column(headers: &[String]) -> Option<usize> {
    let normalised: Vec<String> = headers.iter().map(|h| crate::text::normalise(h)).collect();
    COMPLETION_HEADERS
        .iter()
        .find_map(|wanted| normalised.iter().position(|h| h == wanted))
}

/// Parses the date formats survey platforms write as text.
pub(crate) fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    const FORMATS: &[&str] = &[
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %l:%M:%S %P",
        "%Y/%m/%d %H:%M:%S",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
    ];
    let text = text.trim();
    // Google Forms CSV ends with a time zone name ("pm EEST"); the date is what matters here.
    let without_zone = match text.rsplit_once(' ') {
        Some((head, zone)) if zone.chars().all(|c| c.is_ascii_uppercase()) && zone.len() >= 2 => {
            head
        }
        _ => text,
    };
    FORMATS
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(without_zone, format).ok())
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(without_zone, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_spreadsheets() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn dates_in_platform_formats() {
        let expected = chrono::NaiveDate::from_ymd_opt(2026, 9, 14)
            .unwrap()
            .and_hms_opt(15, 16, 40)
            .unwrap();
        assert_eq!(parse_datetime("2026-09-14 15:16:40"), Some(expected));
        assert_eq!(parse_datetime("2026/09/14 3:16:40 pm EEST"), Some(expected));
        assert_eq!(parse_datetime("14/09/2026 15:16:40"), Some(expected));
        assert_eq!(parse_datetime("not a date"), None);
    }

    #[test]
    fn completion_column_prefers_completion_time() {
        let headers: Vec<String> = ["ID", "Start time", "Completion time", "Email"]
            .map(String::from)
            .to_vec();
        assert_eq!(completion_column(&headers), Some(2));
    }
}
