//! CSV and TSV exports: encoding, delimiter and one header row.

use std::path::Path;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use super::{IngestError, RawTable, completion_column, parse_datetime};

/// Reads a delimited text export.
///
/// Encoding rule: a byte-order mark decides (UTF-8, UTF-16 LE or BE); without
/// one, valid UTF-8 is UTF-8, and anything else is read as Windows-1252.
pub(crate) fn read(path: &Path) -> Result<RawTable, IngestError> {
    let bytes = std::fs::read(path).map_err(|source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let (text, encoding) = decode(&bytes);
    if text.trim().is_empty() {
        return Err(IngestError::Empty {
            path: path.to_path_buf(),
        });
    }
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());

    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        Some(Ok(record)) => record.iter().map(|h| h.trim().to_string()).collect(),
        Some(Err(error)) => return Err(csv_error(path, 1, error)),
        None => {
            return Err(IngestError::Empty {
                path: path.to_path_buf(),
            });
        }
    };
    let date_column = completion_column(&headers);
    let mut rows = Vec::new();
    for (index, record) in records.enumerate() {
        let number = index + 2;
        let record = record.map_err(|error| csv_error(path, number, error))?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        let completed = date_column
            .and_then(|i| cells.get(i))
            .and_then(|c| parse_datetime(c));
        rows.push((number, cells, completed));
    }
    let delimiter_name = match delimiter {
        b'\t' => "tab",
        b';' => "semicolon",
        _ => "comma",
    };
    Ok(RawTable {
        description: format!("CSV, {delimiter_name}-separated, {}", encoding.name()),
        headers,
        rows,
    })
}

fn csv_error(path: &Path, row: usize, error: csv::Error) -> IngestError {
    IngestError::Csv {
        path: path.to_path_buf(),
        row,
        message: error.to_string(),
    }
}

/// Decodes bytes to text by the rule documented on [`read`].
fn decode(bytes: &[u8]) -> (String, &'static Encoding) {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        return (text.into_owned(), encoding);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_string(), UTF_8);
    }
    let (text, _, _) = WINDOWS_1252.decode(bytes);
    (text.into_owned(), WINDOWS_1252)
}

/// Picks comma, semicolon or tab: whichever occurs most in the header line outside quotes.
fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut in_quotes = false;
    for ch in text.bytes() {
        match ch {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => break,
            _ if !in_quotes => {
                for (delimiter, count) in counts.iter_mut() {
                    if ch == *delimiter {
                        *count += 1;
                    }
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .max_by_key(|(delimiter, count)| (*count, *delimiter == b','))
        .map(|(delimiter, _)| *delimiter)
        .unwrap_or(b',')
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::UTF_16LE;

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc\n"), b'\t');
        assert_eq!(sniff_delimiter("\"a;b\",c\n"), b',');
    }

    #[test]
    fn decodes_boms_and_windows_1252() {
        let (text, encoding) = decode(b"\xEF\xBB\xBFcaf\xC3\xA9");
        assert_eq!((text.as_str(), encoding), ("café", UTF_8));
        let (text, encoding) = decode(b"\xFF\xFEh\0i\0");
        assert_eq!((text.as_str(), encoding), ("hi", UTF_16LE));
        let (text, encoding) = decode(b"caf\xE9");
        assert_eq!((text.as_str(), encoding), ("café", WINDOWS_1252));
    }
}
