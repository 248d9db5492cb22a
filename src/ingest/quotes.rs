//! Finding a quoted cell that never closes.
//!
//! The csv reader takes an opening quote with no closing quote as a cell that
//! runs to the end of the file: every row after it would silently become
//! part of one cell, and the report would count fewer people. This scan
//! follows the same quoting rules and says where such a cell starts.

/// Where a quoted cell opens and never closes, by record number (1-based, as
/// the csv reader counts them: blank lines are not records); `None` when every
/// quote closes. Quotes inside an unquoted cell are text, as the reader takes them.
pub(crate) fn unclosed_quote(text: &[u8], delimiter: u8) -> Option<usize> {
    let mut scan = QuoteScan::new(delimiter);
    scan.feed(text);
    scan.unclosed()
}

/// [`unclosed_quote`] fed block by block, for the streaming reader: it holds
/// only its state between blocks.
#[derive(Debug, Clone)]
pub(crate) struct QuoteScan {
    delimiter: u8,
    state: State,
    /// The record being read, and whether it has any content yet.
    record: usize,
    has_content: bool,
    opened_in: usize,
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
            opened_in: 0,
            previous: 0,
        }
    }

    /// Scans the next block of text.
    pub(crate) fn feed(&mut self, text: &[u8]) {
        let mut i = 0;
        while i < text.len() {
            // Inside a cell, only a quote (quoted) or a delimiter or line end
            // (unquoted) changes anything: skip to it.
            let skip = match self.state {
                State::Quoted => memchr::memchr(b'"', &text[i..]),
                State::Unquoted => memchr::memchr3(self.delimiter, b'\n', b'\r', &text[i..]),
                _ => Some(0),
            };
            match skip {
                None => {
                    self.previous = text[text.len() - 1];
                    return;
                }
                Some(0) => {}
                Some(n) => {
                    self.previous = text[i + n - 1];
                    i += n;
                }
            }
            self.step(text[i]);
            i += 1;
        }
    }

    fn step(&mut self, byte: u8) {
        let terminator = byte == b'\n' || byte == b'\r';
        self.state = match self.state {
            State::Quoted => {
                if byte == b'"' {
                    State::QuoteInQuoted
                } else {
                    State::Quoted
                }
            }
            State::QuoteInQuoted if byte == b'"' => State::Quoted,
            State::FieldStart if byte == b'"' => {
                self.has_content = true;
                self.opened_in = self.record;
                State::Quoted
            }
            _ if terminator => {
                // "\r\n" ends one record; a blank line is no record.
                if self.has_content && !(byte == b'\n' && self.previous == b'\r') {
                    self.record += 1;
                }
                self.has_content = false;
                State::FieldStart
            }
            _ if byte == self.delimiter => {
                self.has_content = true;
                State::FieldStart
            }
            _ => {
                self.has_content = true;
                State::Unquoted
            }
        };
        self.previous = byte;
    }

    /// After the last block: the record where a quoted cell opened and never closed.
    pub(crate) fn unclosed(&self) -> Option<usize> {
        matches!(self.state, State::Quoted).then_some(self.opened_in)
    }
}

#[cfg(test)]
mod tests {
    use super::unclosed_quote;

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
}
