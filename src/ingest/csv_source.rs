//! CSV and TSV exports: encoding, delimiter and records.

use std::path::Path;

use super::decode::{self, DecodeProblem};
use super::{Grid, IngestError, ReadOptions, Record, Source};

/// Reads a delimited text export into records, header rows included.
///
/// The encoding follows the rule in [`decode`]; the delimiter is sniffed
/// (see [`sniff_delimiter`]).
pub(crate) fn read(path: &Path, bytes: &[u8], options: &ReadOptions) -> Result<Grid, IngestError> {
    let decoded = decode::decode(bytes, options.encoding).map_err(|problem| match problem {
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
    })?;
    // Stray byte-order marks inside the text (files pasted together) are not content.
    let text = decoded.text.replace('\u{FEFF}', "");
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
    let delimiter = options.delimiter.unwrap_or_else(|| sniff_delimiter(&text));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let number = index + 1;
        let record = record.map_err(|error| IngestError::Csv {
            path: path.to_path_buf(),
            row: number,
            message: error.to_string(),
        })?;
        records.push(Record {
            number,
            cells: record.iter().map(str::to_string).collect(),
        });
    }
    Ok(Grid {
        source: Source::Text {
            encoding: decode::encoding_name(decoded.encoding),
            bom: decoded.bom,
            encoding_rule: decoded.rule,
            delimiter,
        },
        records,
    })
}

/// Picks comma, semicolon or tab.
///
/// Each candidate splits the first twenty records; the one under which most
/// records have as many fields as the header wins, then the one giving more
/// header fields, then comma. Consistency beats raw counts because question
/// texts hold commas that are not delimiters (unquoted, in TSV).
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let mut best = (b',', 0usize, 0usize);
    for delimiter in [b',', b';', b'\t'] {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
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

/// The delimiter a user names: `,` `;` `|` or `tab`, or their names.
pub fn delimiter_for_name(name: &str) -> Option<u8> {
    let key = if name == "\t" {
        "tab".to_string()
    } else {
        name.trim().to_ascii_lowercase()
    };
    match key.as_str() {
        "," | "comma" => Some(b','),
        ";" | "semicolon" => Some(b';'),
        "\\t" | "tab" => Some(b'\t'),
        "|" | "pipe" => Some(b'|'),
        _ => None,
    }
}

/// The delimiter's name as `check` prints it.
pub(crate) fn delimiter_name(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "tab".into(),
        b';' => "semicolon".into(),
        b',' => "comma".into(),
        b'|' => "pipe".into(),
        other => format!("{:?}", other as char),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc\n"), b'\t');
        assert_eq!(sniff_delimiter("\"a;b\",c\n"), b',');
    }

    #[test]
    fn tabs_win_over_commas_inside_tsv_questions() {
        let tsv = "Timestamp\tStaff feel safe, even if, it might, not work\tRole\n\
                   2026/01/01\tAgree\tManager\n2026/01/02\tDisagree\tPartner\n";
        assert_eq!(sniff_delimiter(tsv), b'\t');
    }
}
