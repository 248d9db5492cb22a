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
//! Memory: [`stream`] reads a CSV or TSV export and an .xlsx or .xlsm sheet
//! one record at a time and keeps only a hash per row, to find duplicates
//! (see [`RowStream`]); an .xls, .xlsb or .ods workbook is held whole, since
//! calamine reads those whole.
//!
//! Over 600 lines only with its unit tests (about 190).

mod batches;
mod csv_source;
mod dates;
mod decode;
mod error;
mod header;
mod identity;
mod profile;
mod quotes;
mod rows;
mod sheet_stream;
mod workbook;

pub use csv_source::PREFIX_BYTES;
pub use csv_source::{Delimiter, delimiter_for_name};
pub use dates::{
    DateOrder, DateOrderSetting, DateReading, DateRule, DateWitness, Span, Stamp,
    long_period_warning,
};
pub use decode::{EncodingRule, encoding_for_name, encoding_name};
pub use error::IngestError;
pub use identity::{
    ContentCount, ContentKind, HeaderRule, IdentityColumn, IdentityReason, header_rule,
    is_identity_column,
};
pub use profile::{
    DATA_ENTRY_MARKER, Platform, Profile, ProfileFile, detect, import_id, numbered_header,
};
pub use quotes::{MAX_COLUMNS, MAX_RECORD_BYTES};
pub use rows::{RowStream, SAMPLE_ROWS};
pub use workbook::{MAX_STREAMED_WORKBOOK_BYTES, MAX_WORKBOOK_BYTES};

use header::{
    ExclusionRule, HeaderColumn, collapse_expanded, completion_column, display_header, fold_row,
    header_columns, submission_key_columns,
};
use rows::Records;

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDateTime};
use serde::Serialize;

/// How to read an export; everything left `None` is detected.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The platform, instead of detecting it (`--format`).
    pub format: Option<Platform>,
    /// The encoding of a text export, instead of detecting it (`--encoding`).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The delimiter of a text export, instead of sniffing it (`--delimiter`).
    pub delimiter: Option<Delimiter>,
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
    pub encoding_rule: Option<EncodingRule>,
    /// The delimiter of a text export; `None` for workbooks.
    pub delimiter: Option<Delimiter>,
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
/// time is read, so memory does not grow with the file. A workbook is vetted
/// from its signature, size and table of contents first (see
/// [`workbook::open_sheet`]); an .xlsx or .xlsm sheet is then streamed a row
/// at a time like a CSV export (the layout decided from its first
/// [`SAMPLE_ROWS`] data rows), while an .xls, .xlsb or .ods sheet is read
/// into memory whole (calamine has no row reader for them) and its layout is
/// decided from every row.
pub fn stream(path: &Path, options: &ReadOptions) -> Result<RowStream, IngestError> {
    let options = &options.with_profile_file()?;
    let (file, start) = open_with_start(path)?;
    if is_workbook(path, &start)? {
        return match workbook::open_sheet(path, file, &start, options.sheet.as_deref())? {
            workbook::Opened::Whole(grid) => {
                let records = Records::Memory(grid.records.into_iter());
                RowStream::open(path, grid.source, records, options, usize::MAX)
            }
            workbook::Opened::Streamed(source, records) => {
                let records = Records::Sheet(Box::new(records));
                RowStream::open(path, source, records, options, SAMPLE_ROWS)
            }
        };
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
            clean_inside: false,
            hash: None,
        })
        .collect::<Vec<_>>();
    let source = Source::Text {
        encoding: "UTF-8",
        bom: false,
        encoding_rule: EncodingRule::InMemory,
        delimiter: Delimiter::Comma,
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
    /// True when a reader checked the record's bytes in one pass and found
    /// none that cleaning looks at inside a cell ([`has_suspect_byte`]), so
    /// that only each cell's ends are left to check.
    pub clean_inside: bool,
    /// The row's hash for finding repeated rows (`rows::row_hash` of its
    /// cells), from a reader that holds the record's text in one piece and so
    /// hashes it without copying it; dropped when shaping changes a cell.
    pub hash: Option<u64>,
}

/// Where records came from.
pub(crate) enum Source {
    Text {
        encoding: &'static str,
        bom: bool,
        encoding_rule: EncodingRule,
        delimiter: Delimiter,
    },
    Workbook {
        kind: &'static str,
        sheet: String,
        sheets: usize,
    },
}

/// [`clean_cell`] in place, without copying a cell that is clean already.
/// Clean: no space at either end ([`has_clean_ends`]) and no byte that may
/// start something cleaning removes ([`has_suspect_byte`]).
/// True when it changed the cell.
fn clean_in_place(cell: &mut String) -> bool {
    let dirty = !has_clean_ends(cell) || has_suspect_byte(cell.as_bytes());
    if dirty {
        *cell = clean_cell(cell);
    }
    dirty
}

/// [`clean_in_place`] for a cell known to hold no suspect byte
/// ([`Record::clean_inside`]): only its ends are left to check.
/// True when it changed the cell.
fn clean_ends_in_place(cell: &mut String) -> bool {
    let dirty = !has_clean_ends(cell);
    if dirty {
        *cell = clean_cell(cell);
    }
    dirty
}

/// True when each end of the cell is an ASCII byte that is neither a space
/// nor a control character (checked byte by byte), or the cell is empty.
fn has_clean_ends(cell: &str) -> bool {
    let clean_end = |b: Option<&u8>| {
        b.is_none_or(|b| *b < 0x80 && !b.is_ascii_whitespace() && !b.is_ascii_control())
    };
    let bytes = cell.as_bytes();
    clean_end(bytes.first()) && clean_end(bytes.last())
}

/// True when the bytes hold one that may start a character cleaning removes:
/// U+FEFF (EF BB BF), U+200B (E2 80 8B), a C1 control (C2 80 to C2 9F), a
/// noncharacter (EF B7 90, EF BF BE...; a four-byte sequence, F0 to F4, may be
/// one beyond U+FFFF), or an ASCII control but tab and line ends. One pass
/// with no early exit, which the compiler turns into vector instructions: a
/// search per kind of byte cost more in calls than it saved.
fn has_suspect_byte(bytes: &[u8]) -> bool {
    let suspect = |b: u8| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || b == 0x7F
            || b >= 0xF0
            || matches!(b, 0xEF | 0xE2 | 0xC2)
    };
    bytes.iter().fold(false, |found, b| found | suspect(*b))
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
    fn the_clean_fast_paths_never_keep_a_cell_cleaning_would_change() {
        let special = [
            '\u{FEFF}',
            '\u{200B}',
            '\u{85}',
            '\u{9F}',
            '\u{A0}',
            '\u{FDD0}',
            '\u{FFFE}',
            '\u{1FFFE}',
            '\u{10FFFF}',
            '\u{1F600}',
            'é',
            '€',
        ];
        let characters = (0..=0x7Fu8).map(char::from).chain(special);
        let short = "Agree";
        // Longer than a vector register or two, so the loop's every part is used.
        let long = "Strongly agree, and then some more words here to read past";
        let (mut changed, mut ends_only, mut ends_changed) = (0, 0, 0);
        for c in characters {
            for text in [short, long] {
                let middle = text.len() / 2;
                for cell in [
                    format!("{c}{text}"),
                    format!("{}{c}{}", &text[..middle], &text[middle..]),
                    format!("{text}{c}"),
                    c.to_string(),
                ] {
                    let mut fast = cell.clone();
                    clean_in_place(&mut fast);
                    assert_eq!(fast, clean_cell(&cell), "{cell:?}");
                    changed += usize::from(fast != cell);
                    // A record found free of suspect bytes has only its ends checked.
                    if !has_suspect_byte(cell.as_bytes()) {
                        let mut ends = cell.clone();
                        clean_ends_in_place(&mut ends);
                        assert_eq!(ends, clean_cell(&cell), "{cell:?}");
                        ends_only += 1;
                        ends_changed += usize::from(ends != cell);
                    }
                }
            }
        }
        // Cells cleaning changes were met: control characters, spaces, marks.
        assert!(changed > 100, "{changed}");
        // Spaces and tabs at an end are cleaned on the ends-only path too.
        assert!(
            ends_only > 300 && ends_changed > 10,
            "{ends_only} {ends_changed}"
        );
    }

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
        let dropped: Vec<&str> = table
            .dropped_identity
            .iter()
            .map(|c| c.header.as_str())
            .collect();
        assert_eq!(dropped, ["Respondent ID"]);
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
