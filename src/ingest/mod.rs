//! Reading survey exports: CSV files and workbooks become rows of text cells
//! ([`RowStream`]) and an [`ExportSummary`] of what was found.
//!
//! The pipeline inside: bytes → records (`csv_source` or `workbook`, chosen by
//! the file's first bytes) → platform detected from the first records
//! (`profile`) → header rows folded into one header per column → identity
//! columns dropped → spam, preview, incomplete and repeated rows set aside and
//! counted → the completion-date column read day-first or month-first once,
//! from all its values (`dates`).
//!
//! Identity columns (names, e-mails, IP addresses, locations, respondent ids)
//! are recognised from their headers and dropped here, at the door: their cells
//! are never stored, so no later stage can leak them. Only the column names are
//! kept, to tell the user what was dropped.
//!
//! Memory: [`stream`] reads a CSV or TSV export one record at a time and
//! keeps only a hash per row, to find duplicates (see [`RowStream`]); a
//! workbook is held whole, since calamine reads it whole.

mod csv_source;
mod dates;
mod decode;
mod identity;
mod profile;
mod quotes;
mod rows;
mod workbook;

pub use csv_source::PREFIX_BYTES;
pub use csv_source::delimiter_for_name;
pub use dates::{
    DateOrder, DateOrderSetting, DateReading, DateRule, DateWitness, Span, Stamp,
    long_period_warning,
};
pub use decode::{encoding_for_name, encoding_name};
pub use identity::{
    ContentCount, ContentKind, HeaderRule, IdentityColumn, IdentityReason, header_rule,
    is_identity_column,
};
pub use profile::{Platform, Profile, ProfileFile, detect, import_id, numbered_header};
pub use quotes::{MAX_COLUMNS, MAX_RECORD_BYTES};
pub use rows::{RowStream, SAMPLE_ROWS};
pub use workbook::MAX_WORKBOOK_BYTES;

use rows::Records;

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDateTime};
use serde::Serialize;
use thiserror::Error;

use crate::text::normalise;

/// How to read an export; everything left `None` is detected.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The platform, instead of detecting it (`--format`).
    pub format: Option<Platform>,
    /// The encoding of a text export, instead of detecting it (`--encoding`).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The delimiter of a text export, instead of sniffing it (`--delimiter`).
    pub delimiter: Option<u8>,
    /// How many header rows come before the first response, instead of the
    /// platform's number (`--header-rows`).
    pub header_rows: Option<usize>,
    /// The workbook sheet to read (`--sheet`).
    pub sheet: Option<String>,
    /// More cells that mean "not answered" (`--missing-code`), added to the platform's own.
    pub missing_codes: Vec<String>,
    /// Keep unfinished and unsubmitted responses (`--keep-incomplete`).
    pub keep_incomplete: bool,
    /// Keep rows that repeat an earlier row in every cell, response id or
    /// submission time included (`--keep-duplicates`).
    pub keep_duplicates: bool,
    /// Whether `01/02/2026` is 1 February or 2 January, when no date of the
    /// column decides it (`--date-order`, `date-order` in the settings).
    pub date_order: Option<DateOrderSetting>,
    /// Keep survey previews and test responses, to try a survey out before
    /// launch (`--keep-test-responses`).
    pub keep_test_responses: bool,
    /// A TOML file of reader settings (`--profile`); the fields above win over it.
    pub profile_file: Option<PathBuf>,
    /// Which columns the questionnaire reads as questions (statements, the
    /// group question, comment questions): they are never dropped for their
    /// content, nor for a header that only mentions an e-mail address.
    pub questions: Option<Questions>,
}

/// Tells the reader which of the columns it would keep are questions of the
/// questionnaire: one `true` per question column, in order. Made by
/// [`crate::instrument::question_columns`]; the reader does not know the
/// questionnaire itself.
#[derive(Clone)]
pub struct Questions(pub std::sync::Arc<QuestionTest>);

/// The test behind [`Questions`]: one `true` per column that is a question.
pub type QuestionTest = dyn Fn(&[Column]) -> Vec<bool> + Send + Sync;

impl std::fmt::Debug for Questions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Questions(..)")
    }
}

impl ReadOptions {
    /// These options with the profile file's settings filled in where none was given.
    fn with_profile_file(&self) -> Result<ReadOptions, IngestError> {
        let Some(path) = &self.profile_file else {
            return Ok(self.clone());
        };
        let file = ProfileFile::load(path).map_err(|message| IngestError::ProfileFile {
            path: path.clone(),
            message,
        })?;
        let mut options = self.clone();
        options.format = options.format.or(file.platform);
        options.header_rows = options.header_rows.or(file.header_rows);
        options.delimiter = options
            .delimiter
            .or_else(|| file.delimiter.as_deref().and_then(delimiter_for_name));
        options.encoding = options
            .encoding
            .or_else(|| file.encoding.as_deref().and_then(encoding_for_name));
        options.sheet = options.sheet.or(file.sheet);
        options.date_order = options
            .date_order
            .or(file.date_order.map(|order| DateOrderSetting {
                order,
                from: "date-order in the profile",
            }));
        for code in file.missing_codes {
            if !options.missing_codes.contains(&code) {
                options.missing_codes.push(code);
            }
        }
        Ok(options)
    }
}

/// What reading an export found, apart from its rows: the file, the reader's
/// settings, the columns kept (identity columns already removed), and the
/// counts of rows read and set aside. [`RowStream::summary`] gives it before
/// any row is read, with the counts still zero; [`RowStream::finish`] gives it
/// complete.
#[derive(Debug, Clone)]
pub struct ExportSummary {
    /// The file it came from.
    pub source: PathBuf,
    /// What kind of file it was ("Qualtrics, CSV, comma-separated, UTF-8 with BOM").
    pub description: String,
    /// The kept columns, in file order.
    pub columns: Vec<Column>,
    /// The identity columns that were dropped, and why (never their values).
    pub dropped_identity: Vec<IdentityColumn>,
    /// Columns whose header looks like identity but whose every answer is Yes
    /// or No ("Would you like to join our mailing list?"): kept as questions.
    pub kept_yes_no: Vec<IdentityColumn>,
    /// The profile the file was read with.
    pub profile: Profile,
    /// True when the platform was detected, false when `--format` chose it.
    pub platform_detected: bool,
    /// The encoding of a text export ("UTF-8 with BOM"); `None` for workbooks.
    pub encoding: Option<String>,
    /// Why that encoding was chosen.
    pub encoding_rule: Option<String>,
    /// The delimiter of a text export ("comma"); `None` for workbooks.
    pub delimiter: Option<String>,
    /// The sheet read from a workbook.
    pub sheet: Option<String>,
    /// Data rows in the file that were not blank, excluded ones included.
    pub rows_read: usize,
    /// Rows set aside, by reason (never which rows, never their cells).
    pub excluded: Vec<Excluded>,
    /// Rows kept although they repeat an earlier row in every cell, because
    /// the export has no response id or submission time to tell a repeated
    /// submission from two people who answered alike.
    pub identical_rows: usize,
    /// The completion-date column and how its dates were read, when there is one.
    pub dates: Option<DateReading>,
    /// Survey previews and test responses kept with `--keep-test-responses`.
    pub test_responses: usize,
}

impl ExportSummary {
    /// The order to read completion dates in: `None` when no date needs one;
    /// an error when some do and nothing decides it.
    pub fn date_order(&self) -> Result<Option<DateOrder>, IngestError> {
        match &self.dates {
            Some(dates) if dates.order_unknown() => Err(IngestError::DateOrderUnknown {
                path: self.source.clone(),
                column: clip(&dates.column),
                letter: dates.letter.clone(),
                platform: self.profile.platform.title(),
            }),
            Some(dates) => Ok(dates.order),
            None => Ok(None),
        }
    }
}

/// At most 80 characters of a header or cell, for messages.
fn clip(text: &str) -> String {
    if text.chars().count() > 80 {
        let mut clipped: String = text.chars().take(79).collect();
        clipped.push('…');
        clipped
    } else {
        text.to_string()
    }
}

/// One kept column.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Column {
    /// Header text as a person reads it: the question or statement wording when the
    /// export has several header rows.
    pub header: String,
    /// Spreadsheet-style letter of the column in the file ("A", "AB").
    pub letter: String,
    /// The platform's column code, when it has one apart from the header
    /// (Qualtrics row-1 export tag `Q2_1`).
    pub code: Option<String>,
    /// The platform's stable id (Qualtrics row-3 ImportId `QID2_1`).
    pub import_id: Option<String>,
}

/// One data row.
#[derive(Debug, Clone)]
pub struct Row {
    /// Row number in the file, counting header rows, as a spreadsheet shows it.
    pub number: usize,
    /// One cell per kept column; empty when blank.
    pub cells: Vec<String>,
    /// When the response was completed, if the export says: a date like
    /// `1/9/2020` keeps both readings until the column's order is decided at
    /// its end ([`ExportSummary::date_order`]).
    pub completed: Option<Stamp>,
}

/// Why rows were set aside before scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExclusionReason {
    /// Marked as spam by the platform (Qualtrics `Status`).
    Spam,
    /// A preview or generated test response (Qualtrics `Status`).
    Preview,
    /// Not finished or never submitted (Qualtrics `Finished`, LimeSurvey `submitdate`,
    /// Typeform partial responses). Kept with `--keep-incomplete`.
    Incomplete,
    /// The same submission twice: every cell equals an earlier row's, and the
    /// row carries a response id or submission time, which repeats too (two
    /// exports pasted together, a response exported twice). Without an id or
    /// time, identical rows may be two people who answered alike, and are kept
    /// (and counted in [`ExportSummary::identical_rows`]). Kept with `--keep-duplicates`.
    Duplicate,
}

impl ExclusionReason {
    /// A short explanation for people.
    pub fn describe(self) -> &'static str {
        match self {
            ExclusionReason::Spam => "marked as spam by the survey platform",
            ExclusionReason::Preview => {
                "survey previews and test responses (keep them with --keep-test-responses)"
            }
            ExclusionReason::Incomplete => {
                "unfinished or never submitted (keep them with --keep-incomplete)"
            }
            ExclusionReason::Duplicate => {
                "repeats of an earlier row, response id or submission time included (keep them with --keep-duplicates)"
            }
        }
    }
}

/// How many rows were set aside for one reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Excluded {
    /// Why.
    pub reason: ExclusionReason,
    /// How many rows.
    pub count: usize,
}

/// Adds `count` rows to the tally for `reason`, keeping the list sorted by reason.
pub fn tally(excluded: &mut Vec<Excluded>, reason: ExclusionReason, count: usize) {
    if count == 0 {
        return;
    }
    match excluded.iter_mut().find(|e| e.reason == reason) {
        Some(entry) => entry.count += count,
        None => {
            excluded.push(Excluded { reason, count });
            excluded.sort_by_key(|e| e.reason);
        }
    }
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
    /// A workbook file too large to unpack in memory.
    #[error(
        "cannot read the workbook {path}: it is {}, and makeitstick reads workbooks of up to {} (about 700,000 responses), since a workbook is unpacked whole in memory",
        workbook::human_bytes(*.bytes),
        workbook::human_bytes(*.limit)
    )]
    WorkbookTooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
        /// The largest workbook read.
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
            IngestError::Truncated { .. } => {
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

/// Opens a file and reads its first bytes (its signature), leaving the file at its start.
fn open_with_start(path: &Path) -> Result<(std::fs::File, Vec<u8>), IngestError> {
    let io = |source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Looked at before opening: `open` on a FIFO waits for a writer forever.
    if !std::fs::metadata(path).map_err(io)?.is_file() {
        return Err(IngestError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut start = Vec::with_capacity(8);
    std::io::Read::read_to_end(&mut std::io::Read::take(&mut file, 8), &mut start).map_err(io)?;
    std::io::Seek::rewind(&mut file).map_err(io)?;
    Ok((file, start))
}

/// Opens an export to be read one row at a time: the reader is chosen by the
/// file's content (falling back to its extension), the platform by the first
/// records unless `options` fix it.
///
/// A CSV or TSV export is streamed: the encoding and delimiter are decided from
/// its first [`PREFIX_BYTES`], the layout from its header rows and first
/// [`SAMPLE_ROWS`] data rows (see [`RowStream`]), and then one record at a
/// time is read, so memory does not grow with the file. A workbook is read
/// into memory first (calamine holds the whole sheet; it is vetted from its
/// signature, size and table of contents before, see [`workbook::load`]), and
/// its layout is decided from every row.
pub fn stream(path: &Path, options: &ReadOptions) -> Result<RowStream, IngestError> {
    let options = &options.with_profile_file()?;
    let (file, start) = open_with_start(path)?;
    if is_workbook(path, &start)? {
        let bytes = workbook::load(path, file, &start)?;
        let grid = workbook::read(path, bytes, options.sheet.as_deref())?;
        let records = Records::Memory(grid.records.into_iter());
        return RowStream::open(path, grid.source, records, options, usize::MAX);
    }
    let (source, records) = csv_source::stream(path, file, options)?;
    RowStream::open(
        path,
        source,
        Records::Text(Box::new(records)),
        options,
        SAMPLE_ROWS,
    )
}

/// True when the file is a workbook, false when it is text, by its first
/// bytes and then its extension; an error when it is neither or empty.
fn is_workbook(path: &Path, start: &[u8]) -> Result<bool, IngestError> {
    if start.is_empty() {
        return Err(IngestError::Empty {
            path: path.to_path_buf(),
        });
    }
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    let is_workbook_extension =
        matches!(extension.as_str(), "xlsx" | "xlsm" | "xlsb" | "xls" | "ods");
    let is_text_extension = matches!(extension.as_str(), "csv" | "tsv" | "txt");
    let looks_like_workbook =
        start.starts_with(workbook::ZIP_MAGIC) || start.starts_with(workbook::CFB_MAGIC);
    if !is_workbook_extension && !is_text_extension && !looks_like_workbook {
        return Err(IngestError::UnknownType {
            path: path.to_path_buf(),
        });
    }
    Ok(is_workbook_extension || looks_like_workbook)
}

impl ExportSummary {
    /// The headers of the dropped identity columns, in file order.
    pub fn dropped_headers(&self) -> Vec<&str> {
        self.dropped_identity
            .iter()
            .map(|c| c.header.as_str())
            .collect()
    }
}

/// Opens records already in memory (header rows first) to be read one row at
/// a time exactly as a CSV file with these cells would be: platform detected,
/// identity columns dropped, excluded rows counted, the layout decided from
/// every row. For records that come from elsewhere than a file (the fuzz
/// targets feed generated ones).
pub fn stream_records(
    path: &Path,
    records: Vec<Vec<String>>,
    options: &ReadOptions,
) -> Result<RowStream, IngestError> {
    let records = records
        .into_iter()
        .enumerate()
        .map(|(i, cells)| Record {
            number: i + 1,
            cells,
        })
        .collect::<Vec<_>>();
    let source = Source::Text {
        encoding: "UTF-8",
        bom: false,
        encoding_rule: "text in memory",
        delimiter: b',',
    };
    RowStream::open(
        path,
        source,
        Records::Memory(records.into_iter()),
        options,
        usize::MAX,
    )
}

/// Records as a reader found them, header rows included.
pub(crate) struct Grid {
    pub source: Source,
    pub records: Vec<Record>,
}

/// One record (line of a CSV, row of a sheet).
pub(crate) struct Record {
    /// Row number as a spreadsheet shows it.
    pub number: usize,
    pub cells: Vec<String>,
}

/// Where records came from.
pub(crate) enum Source {
    Text {
        encoding: &'static str,
        bom: bool,
        encoding_rule: &'static str,
        delimiter: u8,
    },
    Workbook {
        kind: &'static str,
        sheet: String,
        sheets: usize,
    },
}

/// A column as the header rows describe it, before identity columns are dropped.
#[derive(Clone, Default)]
struct HeaderColumn {
    header: String,
    code: Option<String>,
    import_id: Option<String>,
    /// SurveyMonkey: the row-1 question and the row-2 text under it, when row 2
    /// names a choice or statement rather than `Response`.
    choice: Option<(String, String)>,
    /// The column's own cell in every header row, for the identity rules: a
    /// platform read generically still has its metadata names in one of them.
    rows: Vec<String>,
}

impl HeaderColumn {
    /// The rule by which a header row names this column as identity: a
    /// strong rule in any row wins over a weak one.
    fn identity_rule(&self) -> Option<HeaderRule> {
        let texts = [
            Some(&self.header),
            self.code.as_ref(),
            self.import_id.as_ref(),
        ]
        .into_iter()
        .flatten()
        .chain(&self.rows);
        let mut weak = None;
        let mut seen: Vec<&String> = Vec::new();
        for text in texts {
            // The header is usually one of the rows: each text is judged once.
            if text.is_empty() || seen.contains(&text) {
                continue;
            }
            seen.push(text);
            // A Qualtrics ImportId row read generically: the id inside names the column.
            let id = import_id(text);
            for text in std::iter::once(text.as_str()).chain(id.as_deref()) {
                match header_rule(text) {
                    Some(rule) if !rule.is_weak() => return Some(rule),
                    Some(rule) => weak = Some(rule),
                    None => {}
                }
            }
        }
        weak
    }

    /// True when the header or code, normalised, is one of `names`.
    fn is_named(&self, names: &[&str]) -> bool {
        let header = normalise(&self.header);
        let code = self.code.as_deref().map(normalise).unwrap_or_default();
        names.iter().any(|n| *n == header || *n == code)
    }
}

/// [`clean_cell`] in place, without copying a cell that is clean already.
fn clean_in_place(cell: &mut String) {
    let bytes = cell.as_bytes();
    // Clean: no space at either end (ASCII ends are checked byte by byte), no
    // byte that starts U+FEFF (EF BB BF), U+200B (E2 80 8B), a C1 control
    // (C2 80 to C2 9F) or a noncharacter (EF B7 90, EF BF BE...), and no
    // ASCII control but tab and line ends.
    let clean_end = |b: Option<&u8>| {
        b.is_none_or(|b| *b < 0x80 && !b.is_ascii_whitespace() && !b.is_ascii_control())
    };
    // A four-byte sequence (F0 to F4) may be a noncharacter beyond U+FFFF.
    let suspect =
        |b: &u8| (*b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || *b == 0x7F || *b >= 0xF0;
    if !(clean_end(bytes.first())
        && clean_end(bytes.last())
        && memchr::memchr3(0xEF, 0xE2, 0xC2, bytes).is_none()
        && !bytes.iter().any(suspect))
    {
        *cell = clean_cell(cell);
    }
}

/// Trims a cell and removes stray byte-order marks, zero-width spaces and
/// characters that are not text ([`crate::text::is_unprintable`]: control
/// characters, noncharacters), which no report could print.
fn clean_cell(cell: &str) -> String {
    let cell = crate::text::strip_unprintable(cell);
    let cell = cell.trim();
    if cell.contains(['\u{FEFF}', '\u{200B}']) {
        cell.replace(['\u{FEFF}', '\u{200B}'], "")
            .trim()
            .to_string()
    } else {
        cell.to_string()
    }
}

/// The header a person would recognise: the header, or the code when it has none.
fn display_header(column: &HeaderColumn) -> String {
    if column.header.is_empty() {
        column.code.clone().unwrap_or_default()
    } else {
        column.header.clone()
    }
}

/// Folds a platform's header rows into one header per column.
fn header_columns(platform: Platform, rows: &[Record]) -> Vec<HeaderColumn> {
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let cell = |row: usize, column: usize| -> String {
        rows.get(row)
            .and_then(|r| r.cells.get(column))
            .map(|c| clean_cell(c))
            .unwrap_or_default()
    };
    let mut columns = header_texts(platform, rows, width, &cell);
    for (i, column) in columns.iter_mut().enumerate() {
        column.rows = (0..rows.len()).map(|r| cell(r, i)).collect();
    }
    columns
}

/// The header, code and ids of each column, by the platform's rule.
fn header_texts(
    platform: Platform,
    rows: &[Record],
    width: usize,
    cell: &dyn Fn(usize, usize) -> String,
) -> Vec<HeaderColumn> {
    match platform {
        Platform::Qualtrics | Platform::QualtricsLegacy => (0..width)
            .map(|i| {
                let (code, text) = (cell(0, i), cell(1, i));
                HeaderColumn {
                    header: if text.is_empty() { code.clone() } else { text },
                    code: Some(code),
                    import_id: import_id(&cell(2, i)),
                    ..HeaderColumn::default()
                }
            })
            .collect(),
        Platform::SurveyMonkey => {
            // Row 1 names a question once; its other columns are blank (a merged cell).
            let mut question = String::new();
            (0..width)
                .map(|i| {
                    let (top, sub) = (cell(0, i), cell(1, i));
                    if !top.is_empty() {
                        question = top.clone();
                    }
                    let generic = matches!(
                        normalise(&sub).as_str(),
                        "" | "response" | "open-ended response"
                    );
                    let (header, choice) = if generic {
                        let header = if top.is_empty() {
                            question.clone()
                        } else {
                            top
                        };
                        (header, None)
                    } else if question.is_empty() {
                        (sub, None)
                    } else {
                        (format!("{question} - {sub}"), Some((question.clone(), sub)))
                    };
                    HeaderColumn {
                        header,
                        choice,
                        ..HeaderColumn::default()
                    }
                })
                .collect()
        }
        // LimeSurvey's "Question code & question text" headings: `Q2[SQ001]. [Text]`.
        Platform::LimeSurvey if rows.len() <= 1 => (0..width)
            .map(|i| {
                let header = cell(0, i);
                HeaderColumn {
                    code: limesurvey_code(&header).map(str::to_string),
                    header,
                    ..HeaderColumn::default()
                }
            })
            .collect(),
        _ if rows.len() <= 1 => (0..width)
            .map(|i| HeaderColumn {
                header: cell(0, i),
                ..HeaderColumn::default()
            })
            .collect(),
        _ => {
            // Several header rows on a platform without its own rule (`--header-rows`):
            // each row's text carries on over the blank cells to its right (merged
            // cells), and a column's header joins its rows with " - ", so that the
            // statement in the last row is found as a matrix header's statement part.
            let mut carried = vec![String::new(); rows.len()];
            (0..width)
                .map(|i| {
                    let mut parts: Vec<String> = Vec::new();
                    let mut id = None;
                    for (r, carry) in carried.iter_mut().enumerate() {
                        let text = cell(r, i);
                        // A Qualtrics ImportId row is the column's id, not words to show.
                        if let Some(found) = import_id(&text) {
                            id = Some(found);
                            continue;
                        }
                        if !text.is_empty() {
                            *carry = text;
                        } else if r + 1 == rows.len() {
                            continue;
                        }
                        if !carry.is_empty() && parts.last() != Some(carry) {
                            parts.push(carry.clone());
                        }
                    }
                    HeaderColumn {
                        header: parts.join(" - "),
                        import_id: id,
                        ..HeaderColumn::default()
                    }
                })
                .collect()
        }
    }
}

/// The question code in front of a LimeSurvey "code & text" heading
/// (`Q2[SQ001]` in `Q2[SQ001]. [Our organisation…]`, `G1` in `G1. Your role`).
fn limesurvey_code(header: &str) -> Option<&str> {
    let (code, text) = header.split_once(". ")?;
    let mut chars = code.chars();
    let plain = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '[' | ']'));
    (plain && !text.trim().is_empty()).then_some(code)
}

/// Folds SurveyMonkey's "expanded" single-choice columns back into one column.
///
/// The expanded export gives each option of a question its own column, headed
/// with the option in row 2, holding the option when chosen and nothing
/// otherwise. A run of two or more columns under one question where every
/// non-blank cell equals its column's row-2 text is such a group (a matrix's
/// cells hold scale labels, never the statement); it becomes one column headed
/// with the question, holding the chosen option (options joined with `, ` when
/// several are chosen, as in a multi-select).
///
/// Gives the runs folded, in order, each as `start..end` of a row as folded
/// by the runs before it, for [`fold_row`] to fold rows read later.
fn collapse_expanded(
    headers: &mut Vec<HeaderColumn>,
    positions: &mut Vec<usize>,
    rows: &mut [(usize, Vec<String>)],
) -> Vec<(usize, usize)> {
    let mut folds = Vec::new();
    let mut start = 0;
    while start < headers.len() {
        let Some((question, _)) = headers[start].choice.clone() else {
            start += 1;
            continue;
        };
        let end = (start..headers.len())
            .find(|&i| {
                headers[i]
                    .choice
                    .as_ref()
                    .is_none_or(|(q, _)| *q != question)
            })
            .unwrap_or(headers.len());
        let holds_own_option = |i: usize| {
            let option = normalise(&headers[i].choice.as_ref().expect("in the run").1);
            rows.iter().all(|(_, cells)| {
                cells
                    .get(i)
                    .is_none_or(|c| c.is_empty() || normalise(c) == option)
            })
        };
        let any_answer = rows
            .iter()
            .any(|(_, cells)| (start..end).any(|i| cells.get(i).is_some_and(|c| !c.is_empty())));
        if end - start >= 2 && any_answer && (start..end).all(holds_own_option) {
            for (_, cells) in rows.iter_mut() {
                fold_row(cells, start, end);
            }
            folds.push((start, end));
            headers.drain(start + 1..end);
            positions.drain(start + 1..end);
            headers[start] = HeaderColumn {
                header: question,
                ..HeaderColumn::default()
            };
            start += 1;
        } else {
            start = end;
        }
    }
    folds
}

/// Folds one row's expanded columns `start..end` into the cell at `start`:
/// the options chosen, joined with `, `.
fn fold_row(cells: &mut Vec<String>, start: usize, end: usize) {
    let chosen: Vec<String> = (start..end)
        .filter_map(|i| cells.get(i).filter(|c| !c.is_empty()).cloned())
        .collect();
    let end_in_row = end.min(cells.len());
    if start < end_in_row {
        cells.drain(start + 1..end_in_row);
        cells[start] = chosen.join(", ");
    }
}

/// Which rows a platform marks as spam, previews or incomplete, and how.
struct ExclusionRule {
    status: Option<usize>,
    finished: Option<usize>,
    submitted: Option<usize>,
    response_type: Option<usize>,
}

impl ExclusionRule {
    fn new(platform: Platform, headers: &[HeaderColumn]) -> Self {
        let find = |names: &[&str]| headers.iter().position(|h| h.is_named(names));
        let none = ExclusionRule {
            status: None,
            finished: None,
            submitted: None,
            response_type: None,
        };
        match platform {
            Platform::Qualtrics | Platform::QualtricsLegacy => ExclusionRule {
                status: find(&["status"]),
                finished: find(&["finished"]),
                ..none
            },
            Platform::LimeSurvey => ExclusionRule {
                submitted: find(&["submitdate", "date submitted", "datum verstuurd"]),
                ..none
            },
            Platform::Typeform => ExclusionRule {
                submitted: find(&["submit date (utc)"]),
                response_type: find(&["response type"]),
                ..none
            },
            _ => none,
        }
    }

    fn reason(&self, cells: &[String]) -> Option<ExclusionReason> {
        let value = |column: Option<usize>| {
            column.map(|i| normalise(cells.get(i).map(String::as_str).unwrap_or("")))
        };
        match value(self.status).as_deref() {
            Some("spam" | "8") => return Some(ExclusionReason::Spam),
            Some("survey preview" | "survey test" | "preview" | "test" | "1" | "2") => {
                return Some(ExclusionReason::Preview);
            }
            _ => {}
        }
        if matches!(value(self.finished).as_deref(), Some("false" | "0")) {
            return Some(ExclusionReason::Incomplete);
        }
        if value(self.submitted).is_some_and(|v| v.is_empty()) {
            return Some(ExclusionReason::Incomplete);
        }
        if value(self.response_type).is_some_and(|v| v == "partial") {
            return Some(ExclusionReason::Incomplete);
        }
        None
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
    "完了時刻",
    "submit date (utc)",
    "date submitted",
    "submitdate",
    "end date",
    "enddate",
    "recorded date",
    "_submission_time",
    "ended",
    "timestamp",
];

/// Headers of the columns that tell one submission from another: response
/// ids and submission times. Columns shared by many people's submissions
/// (collector, device, IP address) are not among them.
const SUBMISSION_KEY_HEADERS: &[&str] = &[
    // Response ids.
    "id",
    "respondent id",
    "respondentid",
    "response id",
    "responseid",
    "_recordid",
    "recordeddate",
    "userno",
    "_id",
    "_uuid",
    "instanceid",
    "meta/instanceid",
    "#",
    "token",
    "userid",
    "unique id",
    "submission id",
    // Submission times.
    "start time",
    "開始時刻",
    "last modified time",
    "start date",
    "startdate",
    "start date (utc)",
    "stage date (utc)",
    "datestamp",
    "date started",
    "date last action",
    "started",
    "start",
    "end",
];

/// The indices of the response id and submission time columns (the
/// completion column among them).
fn submission_key_columns(headers: &[HeaderColumn]) -> Vec<usize> {
    headers
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            h.is_named(SUBMISSION_KEY_HEADERS)
                || h.is_named(COMPLETION_HEADERS)
                || h.import_id.as_deref().is_some_and(|id| {
                    let id = normalise(id);
                    SUBMISSION_KEY_HEADERS
                        .iter()
                        .chain(COMPLETION_HEADERS)
                        .any(|k| *k == id)
                })
        })
        .map(|(i, _)| i)
        .collect()
}

/// The index of the column that says when each response was completed.
fn completion_column(headers: &[HeaderColumn]) -> Option<usize> {
    COMPLETION_HEADERS
        .iter()
        .find_map(|wanted| headers.iter().position(|h| h.is_named(&[wanted])))
}

/// `YYYY-MM-DD HH:MM:SS`, the commonest form, read without a format parser:
/// the same result as the first of [`parse_datetime`]'s formats, or `None`
/// to leave anything else (a leap second, a year before 1900) to it.
fn iso_datetime(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes();
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(number(0..4)?).ok().filter(|y| *y >= 1900)?;
    chrono::NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)?.and_hms_opt(
        number(11..13)?,
        number(14..16)?,
        number(17..19)?,
    )
}

/// Parses the date formats survey platforms write as text that read one way:
/// the year first, or ISO 8601. Dates with the year last (`1/9/2020`) read
/// two ways, and are read by [`dates`] once the column's order is known.
pub(crate) fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    if let Some(time) = iso_datetime(text.trim()) {
        return Some(time);
    }
    const FORMATS: &[&str] = &[
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %l:%M:%S %P",
        "%Y/%m/%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
    ];
    let without_zone = dates::without_zone(text.trim());
    FORMATS
        .iter()
        .find_map(|format| {
            // `%Y` also takes `26`: a two-digit year is not year first.
            NaiveDateTime::parse_from_str(without_zone, format)
                .ok()
                .filter(|t| t.year() >= 1900)
        })
        .or_else(|| {
            chrono::DateTime::parse_from_rfc3339(without_zone)
                .ok()
                .map(|t| t.naive_local())
        })
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
        use chrono::Timelike;
        let expected = chrono::NaiveDate::from_ymd_opt(2026, 9, 14)
            .unwrap()
            .and_hms_opt(15, 16, 40)
            .unwrap();
        assert_eq!(parse_datetime("2026-09-14 15:16:40"), Some(expected));
        assert_eq!(parse_datetime("2026/09/14 3:16:40 pm EEST"), Some(expected));
        // The year last: two readings, one picked by the column's order.
        let read = |text: &str, order| match dates::read_cell(text) {
            Some(dates::Reading::Slash(date)) => date.stamp().read(Some(order)),
            _ => None,
        };
        assert_eq!(parse_datetime("14/09/2026 15:16:40"), None);
        assert_eq!(read("14/09/2026 15:16:40", DateOrder::Dmy), Some(expected));
        assert_eq!(
            read("09/14/2026 03:16:40 PM", DateOrder::Mdy),
            Some(expected)
        );
        assert_eq!(read("9/14/2026 15:16:40", DateOrder::Mdy), Some(expected));
        assert_eq!(
            read("9/14/26 15:16", DateOrder::Mdy),
            expected.with_second(0),
            "an Excel re-save loses the seconds"
        );
        // Kobo's ISO time with an offset: the local time it names.
        assert_eq!(
            parse_datetime("2026-09-14T15:16:40.000+01:00"),
            Some(expected)
        );
        assert_eq!(parse_datetime("not a date"), None);
    }

    fn records(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    /// Every kept row of `records` read as a CSV file `x.csv`, and the summary.
    fn read(
        records: Vec<Vec<String>>,
        options: &ReadOptions,
    ) -> Result<(ExportSummary, Vec<Row>), IngestError> {
        let mut stream = stream_records(Path::new("x.csv"), records, options)?;
        let mut rows = Vec::new();
        while let Some(row) = stream.next_row()? {
            rows.push(row);
        }
        Ok((stream.finish(), rows))
    }

    #[test]
    fn whole_row_duplicates_are_counted_but_shared_answers_are_not() {
        let rows = records(&[
            &[
                "Respondent ID",
                "Our organisation welcomes new ways of working.",
            ],
            &["1001", "Agree"],
            &["1002", "Agree"],
            &["1001", "Agree"],
        ]);
        let (table, kept) = read(rows.clone(), &ReadOptions::default()).unwrap();
        assert_eq!(kept.len(), 2);
        assert_eq!(table.rows_read, 3);
        assert_eq!(
            table.excluded,
            vec![Excluded {
                reason: ExclusionReason::Duplicate,
                count: 1
            }]
        );
        assert_eq!(table.dropped_headers(), vec!["Respondent ID"]);
        assert!(kept.iter().all(|r| r.cells.len() == 1));
        let keep = ReadOptions {
            keep_duplicates: true,
            ..ReadOptions::default()
        };
        let (_, kept) = read(rows, &keep).unwrap();
        assert_eq!(kept.len(), 3);
    }

    #[test]
    fn ragged_rows_name_the_row_and_trailing_empty_columns_go() {
        let rows = records(&[&["a", "b", ""], &["1", "2", ""], &["1", "2", "", "x"]]);
        let error = read(rows, &ReadOptions::default()).unwrap_err().to_string();
        assert_eq!(
            error,
            "x.csv: row 3 has 4 cells, but the header has 3 columns (the first extra cell, in column D, is not empty)"
        );
        let rows = records(&[&["a", "b", ""], &["1", "2", ""], &["3", "4"]]);
        let (table, _) = read(rows, &ReadOptions::default()).unwrap();
        assert_eq!(table.columns.len(), 2);
    }

    #[test]
    fn several_header_rows_on_an_unknown_platform_are_joined() {
        let rows = records(&[
            &["Survey of staff", "", "", ""],
            &["Role", "How much do you agree?", "", "Comments"],
            &["", "Statement one", "Statement two", ""],
            &["Manager", "Agree", "Disagree", "none"],
        ]);
        let options = ReadOptions {
            header_rows: Some(3),
            ..ReadOptions::default()
        };
        let (table, kept) = read(rows, &options).unwrap();
        let headers: Vec<&str> = table.columns.iter().map(|c| c.header.as_str()).collect();
        assert_eq!(
            headers,
            [
                "Survey of staff - Role",
                "Survey of staff - How much do you agree? - Statement one",
                "Survey of staff - How much do you agree? - Statement two",
                "Survey of staff - Comments"
            ]
        );
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].number, 4);
    }

    #[test]
    fn qualtrics_status_and_finished_exclude_rows() {
        let rows = records(&[
            &["Status", "Finished", "Q1"],
            &["Response Type", "Finished", "Our organisation"],
            &[
                "{\"ImportId\":\"status\"}",
                "{\"ImportId\":\"finished\"}",
                "{\"ImportId\":\"QID1\"}",
            ],
            &["IP Address", "True", "Agree"],
            &["Spam", "True", "Agree"],
            &["Survey Preview", "True", "Agree"],
            &["IP Address", "False", "Agree"],
            &["8", "1", "Agree"],
            &["0", "0", "Agree"],
        ]);
        let (table, kept) = read(rows.clone(), &ReadOptions::default()).unwrap();
        assert_eq!(table.profile.platform, Platform::Qualtrics);
        assert_eq!(kept.len(), 1);
        let counts: Vec<(ExclusionReason, usize)> =
            table.excluded.iter().map(|e| (e.reason, e.count)).collect();
        assert_eq!(
            counts,
            vec![
                (ExclusionReason::Spam, 2),
                (ExclusionReason::Preview, 1),
                (ExclusionReason::Incomplete, 2)
            ]
        );
        let keep = ReadOptions {
            keep_incomplete: true,
            ..ReadOptions::default()
        };
        let (table, kept) = read(rows, &keep).unwrap();
        assert_eq!(kept.len(), 3);
        assert_eq!(table.columns[2].import_id.as_deref(), Some("QID1"));
        assert_eq!(table.columns[2].code.as_deref(), Some("Q1"));
    }

    #[test]
    fn completion_column_prefers_completion_time() {
        let headers: Vec<HeaderColumn> = ["ID", "Start time", "Completion time", "Email"]
            .map(|h| HeaderColumn {
                header: h.to_string(),
                ..HeaderColumn::default()
            })
            .to_vec();
        assert_eq!(completion_column(&headers), Some(2));
    }
}
