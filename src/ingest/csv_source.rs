//! CSV and TSV exports: encoding, delimiter and records.
//!
//! [`stream`] decides the encoding, delimiter and binary check from the first
//! [`PREFIX_BYTES`] and then decodes block by block, holding one block and one
//! record at a time.
//!
//! Over 600 lines only with its unit tests.

use std::io::Read;
use std::path::{Path, PathBuf};

use encoding_rs::{Decoder, DecoderResult};

use super::decode::{self, DecodeProblem, Detected, Rest};
use super::quotes::{MAX_COLUMNS, MAX_RECORD_BYTES, Oversize, QuoteScan, Swallowed};
use super::rows::{RowEnds, hash_parts};
use super::{IngestError, ReadOptions, Record, Source};

/// How much of a text export the streaming reader reads before it decides the
/// encoding, the delimiter and whether the file is text at all.
pub const PREFIX_BYTES: usize = 1 << 20;

/// How many bytes the streaming reader decodes at a time.
const BLOCK_BYTES: usize = 64 * 1024;

/// Refuses a text whose quoting would lose rows: a quoted cell that never
/// closes, then one that takes in lines shaped like rows.
fn check_quotes(path: &Path, text: &[u8], delimiter: u8) -> Result<(), IngestError> {
    let mut scan = QuoteScan::new(delimiter);
    scan.feed(text);
    if let Some(row) = scan.unclosed() {
        return Err(unclosed_quote_error(path, row));
    }
    if let Some(swallowed) = scan.swallowed() {
        return Err(swallowed_rows_error(path, swallowed));
    }
    if let Some(oversize) = scan.oversize() {
        return Err(oversize_error(path, oversize));
    }
    Ok(())
}

/// The error for a record too big to be a header or a response.
fn oversize_error(path: &Path, oversize: Oversize) -> IngestError {
    match oversize {
        Oversize::Columns { row } => IngestError::TooManyColumns {
            path: path.to_path_buf(),
            row,
            limit: MAX_COLUMNS,
        },
        Oversize::Bytes { row } => IngestError::RowTooLong {
            path: path.to_path_buf(),
            row,
            limit: MAX_RECORD_BYTES,
        },
    }
}

/// The error for a quoted cell that took in lines shaped like rows.
fn swallowed_rows_error(path: &Path, swallowed: Swallowed) -> IngestError {
    IngestError::SwallowedRows {
        path: path.to_path_buf(),
        row: swallowed.row,
        column: super::column_letter(swallowed.column),
        lines: swallowed.lines + 1,
        rows: swallowed.rows,
    }
}

/// The error for a quoted cell that opens in `row` and never closes.
fn unclosed_quote_error(path: &Path, row: usize) -> IngestError {
    IngestError::Csv {
        path: path.to_path_buf(),
        row,
        message: "a quoted cell starts here and never closes, so every row after it would be read as part of that one cell".into(),
    }
}

/// The error for bytes that cannot be read as text.
fn decode_error(path: &Path, problem: DecodeProblem) -> IngestError {
    match problem {
        DecodeProblem::Binary { offset } => IngestError::NotText {
            path: path.to_path_buf(),
            offset,
        },
        DecodeProblem::Mixed {
            utf8_line,
            other_line,
            byte,
        } => IngestError::MixedEncoding {
            path: path.to_path_buf(),
            utf8_line,
            other_line,
            byte,
        },
    }
}

/// Refuses text that is empty, or that holds more than one control character in fifty.
fn check_text(path: &Path, text: &str) -> Result<(), IngestError> {
    if text.trim().is_empty() {
        return Err(IngestError::Empty {
            path: path.to_path_buf(),
        });
    }
    if let Some(offset) = text
        .char_indices()
        .filter(|(_, c)| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
        .map(|(i, _)| i)
        // Old DOS files end with one ^Z; a few strays are tolerated.
        .nth((text.len() / 50).max(2))
    {
        // More than one control character in fifty: not a text export.
        return Err(IngestError::NotText {
            path: path.to_path_buf(),
            offset,
        });
    }
    Ok(())
}

/// Opens a delimited text export for reading one record at a time.
///
/// The encoding (by the rule in [`decode`], on the first [`PREFIX_BYTES`]
/// up to their last line break), the delimiter (on the first twenty records)
/// and the control-character check (on the prefix) are decided from the start
/// of the file. The rest is decoded block by block and checked as it comes:
/// a NUL byte is binary data and, when the prefix was read as UTF-8, a byte
/// that is not UTF-8 has the whole file scanned again by rules 3, 5 and 6 (a
/// mix of encodings is an error naming both lines; otherwise the file is read
/// on in the single-byte encoding, which reads the ASCII before it the same).
pub(crate) fn stream(
    path: &Path,
    file: std::fs::File,
    options: &ReadOptions,
) -> Result<(Source, TextRecords), IngestError> {
    let (detected, delimiter, reader) = decoding(path, file, options)?;
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter.byte())
        .buffer_capacity(BLOCK_BYTES)
        .from_reader(reader);
    Ok((
        Source::Text {
            encoding: decode::encoding_name(detected.encoding),
            bom: detected.bom_length > 0,
            encoding_rule: detected.rule,
            delimiter,
        },
        TextRecords {
            path: path.to_path_buf(),
            reader,
            record: csv::StringRecord::new(),
            ends: RowEnds::default(),
            number: 0,
            done: false,
            widest: 0,
            last_width: 0,
        },
    ))
}

/// The error a failure met while decoding stands for.
fn failure_error(path: &Path, failure: &Failure) -> IngestError {
    match failure {
        Failure::Decode(problem) => decode_error(path, *problem),
        Failure::UnclosedQuote(row) => unclosed_quote_error(path, *row),
        Failure::SwallowedRows(swallowed) => swallowed_rows_error(path, *swallowed),
        Failure::Oversize(oversize) => oversize_error(path, *oversize),
    }
}

/// The decisions made from the start of a text export (encoding, delimiter)
/// and a reader giving the whole file as UTF-8, checked as it is decoded.
fn decoding(
    path: &Path,
    mut file: std::fs::File,
    options: &ReadOptions,
) -> Result<(Detected, Delimiter, Decoding<Prefixed>), IngestError> {
    let io = |source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut prefix = Vec::with_capacity(PREFIX_BYTES);
    (&mut file)
        .take(PREFIX_BYTES as u64)
        .read_to_end(&mut prefix)
        .map_err(io)?;
    let complete = prefix.len() < PREFIX_BYTES;
    let detected = decode::detect(&prefix, options.encoding, complete)
        .map_err(|problem| decode_error(path, problem))?;
    let (text, _) = detected
        .encoding
        .decode_without_bom_handling(&prefix[detected.bom_length..]);
    let text = text.replace('\u{FEFF}', "");
    if complete || text.trim().is_empty() {
        check_text(path, &text)?;
    } else {
        // The last line of the prefix may be cut, control characters and all.
        let end = text.rfind('\n').unwrap_or(text.len());
        check_text(path, &text[..end])?;
    }
    let delimiter = options.delimiter.unwrap_or_else(|| sniff_delimiter(&text));
    // A file that fits in the prefix is checked for an unclosed quote before
    // any row; a longer one at its end, after the rows before it.
    if complete {
        check_quotes(path, text.as_bytes(), delimiter.byte())?;
    }
    drop(text);
    let skip = detected.bom_length;
    let reader = Decoding::new(
        path.to_path_buf(),
        std::io::Cursor::new(prefix).chain(file),
        detected,
        skip,
        delimiter.byte(),
    );
    Ok((detected, delimiter, reader))
}

/// The file read again from its start: the prefix already read, then the rest.
type Prefixed = std::io::Chain<std::io::Cursor<Vec<u8>>, std::fs::File>;

/// The records of a text export, read one at a time.
pub(crate) struct TextRecords {
    path: PathBuf,
    reader: csv::Reader<Decoding<Prefixed>>,
    record: csv::StringRecord,
    /// Where each cell of the record ends, for its hash.
    ends: RowEnds,
    number: usize,
    done: bool,
    /// The most cells of any record so far, and the last record's.
    widest: usize,
    last_width: usize,
}

impl TextRecords {
    /// The next record into `record`, its cells' buffers reused; false at the end.
    pub(crate) fn next_into(&mut self, record: &mut Record) -> Result<bool, IngestError> {
        if self.done {
            return Ok(false);
        }
        match self.reader.read_record(&mut self.record) {
            Ok(true) => {
                self.number += 1;
                record.number = self.number;
                self.last_width = self.record.len();
                self.widest = self.widest.max(self.last_width);
                let joined = self.record.as_slice().as_bytes();
                record.clean_inside = !super::has_suspect_byte(joined);
                let cells = &mut record.cells;
                cells.resize_with(self.record.len(), String::new);
                self.ends.clear();
                let mut end = 0;
                for (cell, text) in cells.iter_mut().zip(self.record.iter()) {
                    cell.clear();
                    cell.push_str(text);
                    end += text.len();
                    self.ends.push(end);
                }
                record.hash = Some(hash_parts(joined, &self.ends));
                Ok(true)
            }
            Ok(false) => {
                self.done = true;
                // A download cut short ends inside a row: narrower than the
                // others, with no line break after it. (A file saved without
                // a final line break has full rows, so it is not taken for one.)
                let cut = self.number > 1
                    && self.last_width < self.widest
                    && !self.reader.get_ref().ended_with_line_break();
                match cut {
                    true => Err(IngestError::CutOff {
                        path: self.path.clone(),
                        row: self.number,
                        cells: self.last_width,
                        columns: self.widest,
                    }),
                    false => Ok(false),
                }
            }
            Err(error) => {
                self.done = true;
                Err(self.error(error))
            }
        }
    }

    /// The error for a record that cannot be read.
    fn error(&self, error: csv::Error) -> IngestError {
        let message = error.to_string();
        match error.into_kind() {
            csv::ErrorKind::Io(error) => {
                match error.get_ref().and_then(|e| e.downcast_ref::<Failure>()) {
                    Some(failure) => failure_error(&self.path, failure),
                    None => IngestError::Io {
                        path: self.path.clone(),
                        source: error,
                    },
                }
            }
            _ => IngestError::Csv {
                path: self.path.clone(),
                row: self.number + 1,
                message,
            },
        }
    }

    /// The encoding the file was read in to its end, when a byte after the
    /// prefix changed it from UTF-8 to a single-byte encoding, and why.
    pub(crate) fn switched(&self) -> Option<Detected> {
        self.reader.get_ref().switched
    }
}

/// A problem met after the prefix, carried through the csv reader as an I/O error.
#[derive(Debug)]
enum Failure {
    /// Bytes that are not text in the encoding chosen.
    Decode(DecodeProblem),
    /// At the end of the file, a quoted cell that opened in this record is still open.
    UnclosedQuote(usize),
    /// A quoted cell took in lines shaped like rows.
    SwallowedRows(Swallowed),
    /// A record too big to be a header or a response.
    Oversize(Oversize),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Failure {}

/// Bytes in, UTF-8 out, one block at a time, with stray byte-order marks removed.
struct Decoding<R> {
    path: PathBuf,
    inner: R,
    decoder: Decoder,
    rest: Rest,
    /// Raw bytes read and not yet decoded: `input[start..]`.
    input: Vec<u8>,
    start: usize,
    /// The file offset of `input[0]`.
    offset: usize,
    eof: bool,
    flushed: bool,
    output: String,
    out: usize,
    scan: Option<decode::Scan>,
    switched: Option<Detected>,
    /// Byte-order mark still to skip at the start of the first block.
    skip: usize,
    /// Follows quoting over the text given out, for a quoted cell left open at the end.
    quotes: QuoteScan,
    /// The last byte given out: a file cut short ends without a line break.
    last: Option<u8>,
}

impl<R: Read> Decoding<R> {
    fn new(path: PathBuf, inner: R, detected: Detected, skip: usize, delimiter: u8) -> Self {
        Decoding {
            path,
            inner,
            decoder: detected.encoding.new_decoder_without_bom_handling(),
            rest: detected.rest,
            input: Vec::with_capacity(BLOCK_BYTES),
            start: 0,
            skip,
            offset: 0,
            eof: false,
            flushed: false,
            output: String::with_capacity(BLOCK_BYTES * 2),
            out: 0,
            scan: (detected.rest == Rest::SingleByte).then(decode::Scan::default),
            switched: None,
            quotes: QuoteScan::new(delimiter),
            last: None,
        }
    }

    fn fail(problem: DecodeProblem) -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::InvalidData, Failure::Decode(problem))
    }

    /// Reads the next block, unless the previous one is still being decoded.
    fn fill(&mut self) -> std::io::Result<()> {
        if self.start < self.input.len() || self.eof {
            return Ok(());
        }
        // The last bytes of a block stay: a sequence found malformed in the next
        // block may start in them, and is then decoded again.
        let kept = self.input.len().min(3);
        self.offset += self.input.len() - kept;
        self.input.drain(..self.input.len() - kept);
        self.start = kept;
        let n = (&mut self.inner)
            .take(BLOCK_BYTES as u64)
            .read_to_end(&mut self.input)?;
        if n == 0 {
            self.eof = true;
        }
        let kept = kept + std::mem::take(&mut self.skip).min(n);
        self.start = kept;
        if self.rest != Rest::Anything
            && let Some(p) = self.input[kept..].iter().position(|b| *b == 0)
        {
            return Err(Self::fail(DecodeProblem::Binary {
                offset: self.offset + kept + p,
            }));
        }
        if let Some(scan) = &mut self.scan {
            scan.feed(&self.input[kept..], self.eof);
            if let Some(problem) = scan.problem() {
                return Err(Self::fail(problem));
            }
        }
        Ok(())
    }

    /// Decodes what is buffered into `output`.
    fn decode(&mut self) -> std::io::Result<()> {
        self.output.clear();
        self.out = 0;
        while self.output.is_empty() && !self.flushed {
            self.fill()?;
            let input = &self.input[self.start..];
            let last = self.eof;
            self.output.reserve(
                self.decoder
                    .max_utf8_buffer_length(input.len())
                    .unwrap_or(input.len() * 3),
            );
            if self.rest == Rest::Utf8 {
                let (result, read) = self.decoder.decode_to_string_without_replacement(
                    input,
                    &mut self.output,
                    last,
                );
                match result {
                    DecoderResult::InputEmpty => {
                        self.start += read;
                        self.flushed = last;
                    }
                    DecoderResult::OutputFull => self.start += read,
                    DecoderResult::Malformed(bad, extra) => {
                        // Everything before was ASCII or valid UTF-8: rule 5 and 6 over the whole file.
                        let at = (self.start + read)
                            .saturating_sub(usize::from(bad) + usize::from(extra));
                        let file = std::fs::File::open(&self.path)?;
                        let detected = decode::detect_whole(std::io::BufReader::new(file))?
                            .map_err(Self::fail)?;
                        self.decoder = detected.encoding.new_decoder_without_bom_handling();
                        self.rest = Rest::SingleByte;
                        self.switched = Some(detected);
                        self.start = at;
                    }
                }
            } else {
                let (_, read, _) = self.decoder.decode_to_string(input, &mut self.output, last);
                self.start += read;
                self.flushed = last && self.start == self.input.len();
            }
            if self.output.contains('\u{FEFF}') {
                self.output = self.output.replace('\u{FEFF}', "");
            }
            self.quotes.feed(self.output.as_bytes());
            // Stopped here, before the csv reader holds the record: memory
            // stays bounded by the limits, whatever the file.
            let failure = match (self.quotes.swallowed(), self.quotes.oversize()) {
                (Some(swallowed), _) => Some(Failure::SwallowedRows(swallowed)),
                (None, Some(oversize)) => Some(Failure::Oversize(oversize)),
                (None, None) => None,
            };
            if let Some(failure) = failure {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    failure,
                ));
            }
            if self.flushed
                && let Some(row) = self.quotes.unclosed()
            {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    Failure::UnclosedQuote(row),
                ));
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.out >= self.output.len() {
            self.decode()?;
        }
        let available = &self.output.as_bytes()[self.out..];
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.out += n;
        if n > 0 {
            self.last = Some(buf[n - 1]);
        }
        Ok(n)
    }
}

impl<R> Decoding<R> {
    /// True when the text given out so far ends with a line break.
    fn ended_with_line_break(&self) -> bool {
        matches!(self.last, Some(b'\n' | b'\r'))
    }
}

/// Picks comma, semicolon or tab.
///
/// Each candidate splits the first twenty records; the one under which most
/// records have as many fields as the header wins, then the one giving more
/// header fields, then comma. Consistency beats raw counts because question
/// texts hold commas that are not delimiters (unquoted, in TSV).
pub(crate) fn sniff_delimiter(text: &str) -> Delimiter {
    let mut best = (Delimiter::Comma, 0usize, 0usize);
    for delimiter in [Delimiter::Comma, Delimiter::Semicolon, Delimiter::Tab] {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter.byte())
            .from_reader(text.as_bytes());
        let counts: Vec<usize> = reader
            .records()
            .take(20)
            .filter_map(Result::ok)
            .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
            .map(|r| r.len())
            .collect();
        let Some(&header) = counts.first() else {
            continue;
        };
        if header < 2 {
            continue;
        }
        let consistent = counts.iter().filter(|c| **c == header).count();
        if (consistent, header) > (best.1, best.2) {
            best = (delimiter, consistent, header);
        }
    }
    best.0
}

/// The character between cells of a text export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    /// `,`
    Comma,
    /// `;` (Excel in much of Europe)
    Semicolon,
    /// A tab (TSV)
    Tab,
    /// `|`
    Pipe,
}

impl Delimiter {
    /// The byte the csv reader splits on.
    pub fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Semicolon => b';',
            Delimiter::Tab => b'\t',
            Delimiter::Pipe => b'|',
        }
    }

    /// Its name as `check` prints it.
    pub fn name(self) -> &'static str {
        match self {
            Delimiter::Comma => "comma",
            Delimiter::Semicolon => "semicolon",
            Delimiter::Tab => "tab",
            Delimiter::Pipe => "pipe",
        }
    }
}

impl std::fmt::Display for Delimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for Delimiter {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// The delimiter a user names: `,` `;` `|` or `tab`, or their names.
pub fn delimiter_for_name(name: &str) -> Option<Delimiter> {
    let key = if name == "\t" {
        "tab".to_string()
    } else {
        name.trim().to_ascii_lowercase()
    };
    match key.as_str() {
        "," | "comma" => Some(Delimiter::Comma),
        ";" | "semicolon" => Some(Delimiter::Semicolon),
        "\\t" | "tab" => Some(Delimiter::Tab),
        "|" | "pipe" => Some(Delimiter::Pipe),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3"), Delimiter::Comma);
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3"), Delimiter::Semicolon);
        assert_eq!(sniff_delimiter("a\tb\tc\n"), Delimiter::Tab);
        assert_eq!(sniff_delimiter("\"a;b\",c\n"), Delimiter::Comma);
    }

    #[test]
    fn tabs_win_over_commas_inside_tsv_questions() {
        let tsv = "Timestamp\tStaff feel safe, even if, it might, not work\tRole\n\
                   2026/01/01\tAgree\tManager\n2026/01/02\tDisagree\tPartner\n";
        assert_eq!(sniff_delimiter(tsv), Delimiter::Tab);
    }

    #[test]
    fn delimiters_are_named_as_users_type_them() {
        for (name, delimiter) in [
            (",", Delimiter::Comma),
            ("Semicolon", Delimiter::Semicolon),
            ("\t", Delimiter::Tab),
            ("\\t", Delimiter::Tab),
            (" pipe ", Delimiter::Pipe),
        ] {
            assert_eq!(delimiter_for_name(name), Some(delimiter), "{name:?}");
        }
        assert_eq!(delimiter_for_name("x"), None);
        assert_eq!(Delimiter::Tab.to_string(), "tab");
        assert_eq!(serde_json::to_string(&Delimiter::Pipe).unwrap(), "\"pipe\"");
    }
}
