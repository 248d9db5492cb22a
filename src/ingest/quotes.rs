//! Quoted cells that go wrong (one that never closes, one that swallows
//! rows) and records too big to be a survey response, found as the text
//! streams past, before the csv reader builds a record.
//!
//! Limits: a record of more than [`MAX_COLUMNS`] cells (Excel's limit) or
//! [`MAX_RECORD_BYTES`] bytes is refused as it is read, so the memory a
//! hostile file can take is bounded by them, not by the file.
//!
//! The csv reader takes an opening quote with no closing quote as a cell that
//! runs to the end of the file: every row after it would silently become
//! part of one cell, and the report would count fewer people. A stray quote
//! that a later quote happens to close does the same to the rows between
//! them. This scan follows the reader's quoting rules and says where such a
//! cell starts.
//!
//! A quoted cell may hold line breaks (a comment in paragraphs), so lines
//! alone prove nothing. What gives a swallowing quote away is what it holds:
//! whole lines shaped like rows, each with as many delimiters as the header
//! row. A cell is taken to have swallowed rows when such lines hold at least
//! [`SWALLOWED_DELIMITERS`] delimiters between them: one line of a survey
//! export six or more columns wide, two of a four- or five-column file.

/// How many delimiters the row-shaped lines inside one quoted cell must hold
/// between them before the cell is taken to have swallowed rows. A comment
/// in paragraphs with a few commas per line stays below it in any file at
/// least as wide as a survey export.
pub(crate) const SWALLOWED_DELIMITERS: usize = 5;

/// The most cells one record may have: 16,384, the columns of an Excel sheet
/// (A to XFD). No survey platform exports more.
pub const MAX_COLUMNS: usize = 16_384;

/// The most bytes of text one record (a header or a response) may hold,
/// counting a quote mark written `""` inside a quoted cell once: 16 MiB. The longest real rows are a few kilobytes; ten-megabyte cells are
/// still read (and quoted only by their start).
pub const MAX_RECORD_BYTES: usize = 16 << 20;

/// A record too big to be a header or a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Oversize {
    /// More than [`MAX_COLUMNS`] cells, in this record.
    Columns { row: usize },
    /// More than [`MAX_RECORD_BYTES`] bytes, in this record.
    Bytes { row: usize },
}

/// Where a quoted cell opens and never closes, by record number (1-based, as
/// the csv reader counts them: blank lines are not records); `None` when every
/// quote closes. Quotes inside an unquoted cell are text, as the reader takes them.
#[cfg(test)]
pub(crate) fn unclosed_quote(text: &[u8], delimiter: u8) -> Option<usize> {
    let mut scan = QuoteScan::new(delimiter);
    scan.feed(text);
    scan.unclosed()
}

/// A quoted cell that took in lines shaped like whole rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Swallowed {
    /// The record where the quote opened.
    pub row: usize,
    /// The cell's column, counted from 0.
    pub column: usize,
    /// Line breaks inside the quoted cell.
    pub lines: usize,
    /// Whole lines inside it with as many delimiters as the header row.
    pub rows: usize,
}

/// The quoting of a text followed block by block: it holds only its state
/// between blocks, so the streaming reader can feed it what it decodes.
#[derive(Debug, Clone)]
pub(crate) struct QuoteScan {
    delimiter: u8,
    state: State,
    /// The record being read, and whether it has any content yet.
    record: usize,
    has_content: bool,
    /// The cell being read in the record, counted from 0.
    field: usize,
    /// Delimiters in the first record outside quotes, once it has ended.
    header_delimiters: Option<usize>,
    opened_in: usize,
    /// The open (or last) quoted cell: its column, line breaks, delimiters on
    /// its current line, and its whole lines shaped like rows.
    opened_field: usize,
    lines: usize,
    line_delimiters: usize,
    row_lines: usize,
    swallowed: Option<Swallowed>,
    /// Bytes of the record being read so far, and the first record too big.
    record_bytes: usize,
    oversize: Option<Oversize>,
    previous: u8,
}

#[derive(Debug, Clone, Copy)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

impl QuoteScan {
    pub(crate) fn new(delimiter: u8) -> Self {
        QuoteScan {
            delimiter,
            state: State::FieldStart,
            record: 1,
            has_content: false,
            field: 0,
            header_delimiters: None,
            opened_in: 0,
            opened_field: 0,
            lines: 0,
            line_delimiters: 0,
            row_lines: 0,
            swallowed: None,
            record_bytes: 0,
            oversize: None,
            previous: 0,
        }
    }

    /// Scans the next block of text.
    pub(crate) fn feed(&mut self, text: &[u8]) {
        let mut i = 0;
        while i < text.len() {
            // Inside a cell, only a quote (quoted) or a delimiter or line end
            // (unquoted) changes the state: skip to it.
            let skip = match self.state {
                State::Quoted => memchr::memchr(b'"', &text[i..]),
                State::Unquoted => memchr::memchr3(self.delimiter, b'\n', b'\r', &text[i..]),
                _ => Some(0),
            };
            let end = match skip {
                None => text.len(),
                Some(n) => i + n,
            };
            if end > i {
                self.record_bytes += end - i;
                if matches!(self.state, State::Quoted) {
                    self.inside_quotes(&text[i..end]);
                }
                self.previous = text[end - 1];
                i = end;
            }
            if i < text.len() {
                self.record_bytes += 1;
                self.step(text[i]);
                i += 1;
            }
            if self.record_bytes > MAX_RECORD_BYTES && self.oversize.is_none() {
                self.oversize = Some(Oversize::Bytes { row: self.record });
            }
        }
    }

    /// Counts the line breaks and the delimiters of each line inside a quoted cell.
    fn inside_quotes(&mut self, text: &[u8]) {
        let mut previous = self.previous;
        let mut start = 0;
        for at in memchr::memchr2_iter(b'\n', b'\r', text) {
            self.line_delimiters += count(&text[start..at], self.delimiter);
            // "\r\n" is one line break.
            if !(text[at] == b'\n' && (if at == 0 { previous } else { text[at - 1] }) == b'\r') {
                self.line_break();
            }
            start = at + 1;
        }
        self.line_delimiters += count(&text[start..], self.delimiter);
        previous = text.last().copied().unwrap_or(previous);
        self.previous = previous;
    }

    /// A line break inside a quoted cell: the line before it, when it is a
    /// whole line (it began after a line break in the same cell), is judged.
    fn line_break(&mut self) {
        if self.lines > 0
            && let Some(header) = self.header_delimiters
            && header > 0
            && self.line_delimiters >= header
        {
            self.row_lines += 1;
        }
        self.lines += 1;
        self.line_delimiters = 0;
    }

    /// The quoted cell has closed: did it swallow rows?
    fn closed(&mut self) {
        let header = self.header_delimiters.unwrap_or(0);
        if self.swallowed.is_none() && self.row_lines * header >= SWALLOWED_DELIMITERS {
            self.swallowed = Some(Swallowed {
                row: self.opened_in,
                column: self.opened_field,
                lines: self.lines,
                rows: self.row_lines,
            });
        }
    }

    fn step(&mut self, byte: u8) {
        let terminator = byte == b'\n' || byte == b'\r';
        self.state = match self.state {
            State::Quoted => {
                if byte == b'"' {
                    State::QuoteInQuoted
                } else {
                    // Only reached for a line break or delimiter straight after a skip.
                    self.inside_quotes(&[byte]);
                    State::Quoted
                }
            }
            State::QuoteInQuoted if byte == b'"' => {
                // `""` in a quoted cell is one quote mark of text: the limit
                // is on the text, so a cell of quote marks counts once each.
                self.record_bytes -= 1;
                State::Quoted
            }
            State::FieldStart if byte == b'"' => {
                self.has_content = true;
                self.opened_in = self.record;
                self.opened_field = self.field;
                self.lines = 0;
                self.line_delimiters = 0;
                self.row_lines = 0;
                State::Quoted
            }
            state => {
                if matches!(state, State::QuoteInQuoted) {
                    self.closed();
                }
                if terminator {
                    // "\r\n" ends one record; a blank line is no record.
                    if self.has_content && !(byte == b'\n' && self.previous == b'\r') {
                        if self.record == 1 {
                            self.header_delimiters = Some(self.field);
                        }
                        self.record += 1;
                    }
                    self.has_content = false;
                    self.field = 0;
                    self.record_bytes = 0;
                    State::FieldStart
                } else if byte == self.delimiter {
                    self.has_content = true;
                    self.field += 1;
                    if self.field >= MAX_COLUMNS && self.oversize.is_none() {
                        self.oversize = Some(Oversize::Columns { row: self.record });
                    }
                    State::FieldStart
                } else {
                    self.has_content = true;
                    State::Unquoted
                }
            }
        };
        self.previous = byte;
    }

    /// After the last block: the record where a quoted cell opened and never closed.
    pub(crate) fn unclosed(&self) -> Option<usize> {
        matches!(self.state, State::Quoted).then_some(self.opened_in)
    }

    /// The first quoted cell that took in lines shaped like rows: one closed
    /// already, or the one still open. Either way those rows are lost to the
    /// count, so the streaming reader stops as soon as this is known.
    pub(crate) fn swallowed(&self) -> Option<Swallowed> {
        let open = matches!(self.state, State::Quoted | State::QuoteInQuoted);
        let header = self.header_delimiters.unwrap_or(0);
        self.swallowed.or_else(|| {
            (open && self.row_lines * header >= SWALLOWED_DELIMITERS).then_some(Swallowed {
                row: self.opened_in,
                column: self.opened_field,
                lines: self.lines,
                rows: self.row_lines,
            })
        })
    }

    /// The first record found too big: more than [`MAX_COLUMNS`] cells or
    /// [`MAX_RECORD_BYTES`] bytes.
    pub(crate) fn oversize(&self) -> Option<Oversize> {
        self.oversize
    }
}

/// How many times `byte` occurs in `text`.
fn count(text: &[u8], byte: u8) -> usize {
    memchr::memchr_iter(byte, text).count()
}

#[cfg(test)]
mod tests {
    use super::{MAX_COLUMNS, MAX_RECORD_BYTES, Oversize, QuoteScan, Swallowed, unclosed_quote};

    #[test]
    fn every_closed_quote_is_fine() {
        assert_eq!(
            unclosed_quote(b"a,b\n\"x, y\",\"say \"\"hi\"\"\"\n", b','),
            None
        );
        assert_eq!(unclosed_quote(b"a,b\n\"two\nlines\",c\n", b','), None);
        // A quote inside an unquoted cell is text.
        assert_eq!(unclosed_quote(b"a,b\nshe said \"no,c\n", b','), None);
        assert_eq!(unclosed_quote(b"", b','), None);
    }

    #[test]
    fn blocks_give_what_the_whole_text_gives() {
        let text =
            b"a,b\r\n\r\n1,\"x\"\"y\",z\n\"two\r\nlines\",q\nshe said \"no,c\n3,\"never\n4,5\n";
        let whole = unclosed_quote(text, b',');
        assert_eq!(whole, Some(5));
        for size in 1..text.len() {
            let mut scan = super::QuoteScan::new(b',');
            for block in text.chunks(size) {
                scan.feed(block);
            }
            assert_eq!(scan.unclosed(), whole, "blocks of {size}");
        }
    }

    #[test]
    fn an_unclosed_quote_is_found_by_its_record() {
        assert_eq!(unclosed_quote(b"a,b\n1,2\n3,\"never\n4,5\n", b','), Some(3));
        assert_eq!(unclosed_quote(b"a;b\r\n\r\n1;\"x\"\"\n2;3", b';'), Some(2));
        assert_eq!(unclosed_quote(b"\"", b','), Some(1));
    }

    fn swallowed(text: &[u8]) -> Option<Swallowed> {
        let mut scan = QuoteScan::new(b',');
        scan.feed(text);
        scan.swallowed()
    }

    #[test]
    fn a_stray_quote_that_a_later_quote_closes_is_found_with_its_column() {
        let mut text = String::from("id,group,s1,s2,s3,comment\n1,staff,1,2,3,fine\n");
        // Row 3 opens a quote in column C (index 2); rows 4 to 6 are taken in.
        text.push_str("2,staff,\"1,2,3,ok\n3,staff,1,2,3,good\n4,staff,1,2,3,good\n");
        text.push_str("5,young,1,2,3,\"said \"\"hi\"\"\"\n6,young,1,2,3,x\n");
        let found = swallowed(text.as_bytes());
        assert_eq!(
            found,
            Some(Swallowed {
                row: 3,
                column: 2,
                lines: 3,
                rows: 2
            })
        );
        // Block by block, the same.
        for size in 1..text.len() {
            let mut scan = QuoteScan::new(b',');
            for block in text.as_bytes().chunks(size) {
                scan.feed(block);
            }
            assert_eq!(scan.swallowed(), found, "blocks of {size}");
        }
        // With Windows line ends, the same.
        assert_eq!(swallowed(text.replace('\n', "\r\n").as_bytes()), found);
        // And with old Mac ones.
        assert_eq!(swallowed(text.replace('\n', "\r").as_bytes()), found);
    }

    #[test]
    fn comments_in_paragraphs_are_not_swallowed_rows() {
        let text = "id,group,s1,s2,s3,comment\n\
                    1,staff,1,2,3,\"First, I liked it.\n\nSecond, the staff, the food, the trips.\n- one, two\n- three\n\"\n\
                    2,staff,1,2,3,\"a\nb,c,d,e,f,g\n\"\n";
        // The last comment holds one line with five commas: one row-shaped
        // line in a six-column file is a swallowed row.
        assert_eq!(swallowed(text.as_bytes()).map(|s| s.row), Some(3));
        let text = text.replace("b,c,d,e,f,g", "b,c,d,e,f");
        assert_eq!(swallowed(text.as_bytes()), None);
        assert_eq!(unclosed_quote(text.as_bytes(), b','), None);
    }

    #[test]
    fn narrow_files_need_more_row_shaped_lines() {
        // Three columns: two delimiters a row, so three row-shaped lines.
        let two = "a,b,c\n1,\"x\n2,y,z\n3,y,z\n\",w\n";
        assert_eq!(swallowed(two.as_bytes()), None);
        let three = "a,b,c\n1,\"x\n2,y,z\n3,y,z\n4,y,z\n\",w\n";
        assert_eq!(
            swallowed(three.as_bytes()).map(|s| (s.row, s.rows)),
            Some((2, 3))
        );
        // A quote in the header row is never judged: the width is not known yet.
        assert_eq!(swallowed(b"\"a\n1,2,3,4,5,6\n1,2,3,4,5,6\n\",b\n"), None);
    }

    #[test]
    fn records_too_wide_or_too_long_are_found_as_they_stream() {
        let oversize = |text: &[u8]| {
            let mut scan = QuoteScan::new(b',');
            for block in text.chunks(4096) {
                scan.feed(block);
            }
            scan.oversize()
        };
        let row = |cells: usize| format!("{}\n", vec!["a"; cells].join(","));
        let fits = format!("{}{}", row(MAX_COLUMNS), row(MAX_COLUMNS));
        assert_eq!(oversize(fits.as_bytes()), None);
        // A blank line is no record: the wide one is the second.
        let wide = format!("{}\n{}", row(3), row(MAX_COLUMNS + 1));
        assert_eq!(
            oversize(wide.as_bytes()),
            Some(Oversize::Columns { row: 2 })
        );
        // Delimiters inside quotes are text, not columns.
        let quoted = format!("a,b\n1,\"{}\"\n", ",".repeat(MAX_COLUMNS * 2));
        assert_eq!(oversize(quoted.as_bytes()), None);
        // Bytes: a long header line, quoted or not.
        let long = "b".repeat(MAX_RECORD_BYTES + 1);
        assert_eq!(oversize(long.as_bytes()), Some(Oversize::Bytes { row: 1 }));
        let long = format!("a,b\n1,\"{}\"\n", "x\n".repeat(MAX_RECORD_BYTES / 2));
        assert_eq!(oversize(long.as_bytes()), Some(Oversize::Bytes { row: 2 }));
        let fits = format!("a\n{}\n", "b".repeat(MAX_RECORD_BYTES - 1)).repeat(3);
        assert_eq!(oversize(fits.as_bytes()), None);
    }
}
