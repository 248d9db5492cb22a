//! Why an export could not be read: one variant per problem, each message
//! naming the file (and row, column or byte), each with a next step ([`IngestError::hint`]).

use std::path::PathBuf;

use thiserror::Error;

use super::workbook;
use super::{DateOrder, DateWitness};

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
    /// The path names a folder, a FIFO, a device or a socket: never opened,
    /// since opening a FIFO blocks until something writes to it.
    #[error(
        "{path} is not a regular file (a folder, named pipe, device or socket), so it is not read"
    )]
    NotAFile {
        /// The path.
        path: PathBuf,
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
        /// What is wrong.
        message: String,
    },
    /// A workbook that ends early.
    #[error(
        "cannot read the workbook {path}: it is incomplete ({bytes} bytes, and the end of the zip archive is missing), as if the download or copy was cut off"
    )]
    Truncated {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: usize,
    },
    /// A text export that ends inside a row: its last row is narrower than
    /// the others and no line break ends the file.
    #[error(
        "cannot read {path}: it ends in the middle of row {row} ({cells} of {columns} cells, and no line break at the end), as if the download or copy was cut off"
    )]
    CutOff {
        /// The file.
        path: PathBuf,
        /// The last row, counted from 1 with the header rows.
        row: usize,
        /// Its cells.
        cells: usize,
        /// The widest row's cells.
        columns: usize,
    },
    /// A workbook file too large to read: too large to unpack in memory
    /// (.xls, .xlsb, .ods), or to stream in reasonable time (.xlsx).
    #[error(
        "cannot read the workbook {path}: it is {}, and makeitstick reads workbooks of up to {} (.xls, .xlsb and .ods, which are unpacked whole in memory) or {} (.xlsx and .xlsm, read a row at a time)",
        workbook::human_bytes(*.bytes),
        workbook::human_bytes(*.limit),
        workbook::human_bytes(workbook::MAX_STREAMED_WORKBOOK_BYTES)
    )]
    WorkbookTooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
        /// The largest workbook read whole.
        limit: u64,
    },
    /// A zip archive that holds no workbook.
    #[error(
        "cannot read the workbook {path}: it is a zip archive, but it holds no Excel or OpenDocument workbook"
    )]
    NotAWorkbook {
        /// The file.
        path: PathBuf,
    },
    /// An encrypted workbook.
    #[error("cannot read the workbook {path}: it is password-protected (encrypted)")]
    PasswordProtected {
        /// The file.
        path: PathBuf,
    },
    /// A sheet asked for with `--sheet` that the workbook does not have.
    #[error("the workbook {path} has no sheet {sheet:?}; its sheets are {}", quoted_list(.sheets))]
    NoSuchSheet {
        /// The file.
        path: PathBuf,
        /// The sheet asked for.
        sheet: String,
        /// The sheets it has.
        sheets: Vec<String>,
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
    /// A quoted cell that took in lines shaped like whole rows: a stray quote
    /// mark that a later one closed, hiding the rows between them.
    #[error(
        "{path}: row {row}, column {column}: a cell starts with a quote mark (\") that is not closed on its own row: it runs over {lines} lines, {rows} of them shaped like whole rows, which would be read as part of this one cell and not counted"
    )]
    SwallowedRows {
        /// The file.
        path: PathBuf,
        /// The row where the quoted cell opens.
        row: usize,
        /// Its column letter.
        column: String,
        /// Lines the quoted cell spans.
        lines: usize,
        /// Whole lines inside it shaped like rows.
        rows: usize,
    },
    /// A record with more cells than a spreadsheet has columns.
    #[error(
        "{path}: row {row} has more than {limit} cells, the most columns a spreadsheet (Excel) can hold, so the file was not read further"
    )]
    TooManyColumns {
        /// The file.
        path: PathBuf,
        /// The row.
        row: usize,
        /// The most cells a row may have.
        limit: usize,
    },
    /// A record longer than any header or response.
    #[error(
        "{path}: row {row} is longer than {} MB, far longer than any header or response, so the file was not read further",
        .limit >> 20
    )]
    RowTooLong {
        /// The file.
        path: PathBuf,
        /// The row.
        row: usize,
        /// The most bytes a row may hold.
        limit: usize,
    },
    /// Binary data where text was expected.
    #[error("{path} is not a text export: it holds binary data (first at byte {offset})")]
    NotText {
        /// The file.
        path: PathBuf,
        /// Where the first binary byte is.
        offset: usize,
    },
    /// Two encodings in one file.
    #[error(
        "{path} mixes two text encodings: line {utf8_line} is UTF-8, but line {other_line} holds the byte 0x{byte:02X}, which is not"
    )]
    MixedEncoding {
        /// The file.
        path: PathBuf,
        /// The first line with valid UTF-8 beyond ASCII.
        utf8_line: usize,
        /// The first line with a byte that is not UTF-8.
        other_line: usize,
        /// That byte.
        byte: u8,
    },
    /// A data row with more cells than there are columns.
    #[error(
        "{path}: row {row} has {cells} cells, but the header has {columns} columns (the first extra cell, in column {letter}, is not empty)"
    )]
    Ragged {
        /// The file.
        path: PathBuf,
        /// The row.
        row: usize,
        /// Its cells, up to the last non-empty one.
        cells: usize,
        /// Header columns.
        columns: usize,
        /// Letter of the first extra non-empty cell.
        letter: String,
    },
    /// The profile file given with `--profile` is not valid.
    #[error("profile {path}: {message}")]
    ProfileFile {
        /// The profile file.
        path: PathBuf,
        /// What is wrong, naming the key.
        message: String,
    },
    /// The file holds no header row.
    #[error("{path} is empty: it has no header row")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// Two dates of the completion column that can only be read in different orders.
    #[error(
        "{path}: the dates in column {letter} ({column:?}) are written both ways: row {} holds {}, which can only be day first, and row {} holds {}, which can only be month first",
        .day_first.row, .day_first.value, .month_first.row, .month_first.value
    )]
    DateConflict {
        /// The file.
        path: PathBuf,
        /// The column's header.
        column: String,
        /// Its letter.
        letter: String,
        /// A day-first date.
        day_first: Box<DateWitness>,
        /// A month-first date.
        month_first: Box<DateWitness>,
    },
    /// A date that cannot be read in the order a person set.
    #[error(
        "{path}: {from} says dates are {}, but row {} of column {letter} ({column:?}) holds {}, which can only be {}",
        .order.describe(), .witness.row, .witness.value,
        match .order { DateOrder::Dmy => DateOrder::Mdy, DateOrder::Mdy => DateOrder::Dmy }.describe()
    )]
    DateSetting {
        /// The file.
        path: PathBuf,
        /// The column's header.
        column: String,
        /// Its letter.
        letter: String,
        /// The order set.
        order: DateOrder,
        /// Where it was set.
        from: &'static str,
        /// The date it rules out.
        witness: Box<DateWitness>,
    },
    /// Dates that read two ways, and nothing to say which.
    #[error(
        "{path}: cannot tell whether the dates in column {letter} ({column:?}) are day first or month first: no date has a number over 12, and a {platform} export has no usual order"
    )]
    DateOrderUnknown {
        /// The file.
        path: PathBuf,
        /// The column's header.
        column: String,
        /// Its letter.
        letter: String,
        /// The platform's name.
        platform: &'static str,
    },
    /// The file holds header rows but no responses.
    #[error("{path} has {header_rows} header row{} but no responses", crate::text::plural(*.header_rows, "", "s"))]
    NoRows {
        /// The file.
        path: PathBuf,
        /// Header rows found.
        header_rows: usize,
    },
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("{s:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl IngestError {
    /// A next step for the user.
    pub fn hint(&self) -> &'static str {
        match self {
            IngestError::Io { .. } => "check the path and that you can read the file",
            IngestError::NotAFile { .. } => {
                "name the survey export itself (a .csv or Excel file), not a folder or a pipe"
            }
            IngestError::UnknownType { .. } => {
                "export the survey responses as CSV or Excel (.xlsx) and run again"
            }
            IngestError::Workbook { .. } | IngestError::NotAWorkbook { .. } => {
                "open the file in Excel or LibreOffice to check it is not damaged or password-protected, then save it again as .xlsx or export it as CSV"
            }
            IngestError::WorkbookTooLarge { .. } => {
                "export the responses as CSV instead (read a row at a time, whatever its size), or check that this is the survey export"
            }
            IngestError::Truncated { .. } | IngestError::CutOff { .. } => {
                "download or copy the export again, and wait for it to finish"
            }
            IngestError::PasswordProtected { .. } => {
                "open it in Excel with its password, remove the password (File > Info > Protect Workbook), save, and run again"
            }
            IngestError::NoSuchSheet { .. } => "pass one of the sheets listed with --sheet",
            IngestError::ProfileFile { .. } => {
                "a profile may set platform, header-rows, delimiter, encoding, sheet, missing-codes and date-order; fix the key named above"
            }
            IngestError::Csv { .. } => {
                "open the file in a spreadsheet program to check that row, or download the export again"
            }
            IngestError::SwallowedRows { .. } => {
                "open the file in a text editor at that row and remove the stray \" at the start of that cell (write it as \"\" if the answer itself holds a quote mark), or download the export again"
            }
            IngestError::TooManyColumns { .. } => {
                "check that this is the survey export; if its cells are separated by something other than what `check` shows as the delimiter, pass --delimiter"
            }
            IngestError::RowTooLong { .. } => {
                "check that this is the survey export and that it is not damaged; download it again as CSV or .xlsx"
            }
            IngestError::NotText { .. } => {
                "check that this is the survey export; download it again as CSV or .xlsx"
            }
            IngestError::MixedEncoding { .. } => {
                "save the file again as UTF-8 in a spreadsheet program, or pass --encoding (utf-8, windows-1252, macroman) to read all of it one way"
            }
            IngestError::Ragged { .. } => {
                "a cell with an unquoted delimiter or line break shifts the row; open the file in a spreadsheet program to check that row, or download the export again"
            }
            IngestError::DateConflict { .. } => {
                "part of the column was saved again in another locale (a spreadsheet program does this); export the responses again from the survey platform, or correct those dates so that all read one way"
            }
            IngestError::DateSetting { .. } => {
                "remove the date order setting (--date-order, or date-order in makeitstick.toml) to let the dates decide, or set the other order"
            }
            IngestError::DateOrderUnknown { .. } => {
                "pass --date-order dmy (13/12/2026 is 13 December) or --date-order mdy (12/13/2026 is 13 December), or set date-order in makeitstick.toml"
            }
            IngestError::Empty { .. } => "download the export again once the survey has responses",
            IngestError::NoRows { .. } => "download the export again once the survey has responses",
        }
    }
}
