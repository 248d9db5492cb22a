//! Workbook exports (.xlsx, .xlsm, .xlsb, .xls, .ods) read with calamine.
//!
//! The file's first bytes, not its name, say what it is: a zip archive is an
//! .xlsx, .xlsb or .ods (told apart by the names inside it), an OLE compound
//! file is an .xls or, when it holds an `EncryptedPackage` stream, a
//! password-protected .xlsx. Broken files are diagnosed before calamine sees
//! them, so the message says what is wrong rather than how parsing failed.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Ods, Reader, Sheets, Xls, Xlsb, Xlsx, open_workbook_from_rs};

use super::{Grid, IngestError, Record, Source};

/// The magic number of a zip archive (.xlsx, .xlsb, .ods).
pub(crate) const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// The magic number of an OLE compound file (.xls, encrypted .xlsx).
pub(crate) const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Sheets that survey platforms write responses to, tried before the first sheet.
const RESPONSE_SHEETS: &[&str] = &[
    "Sheet1",
    "Form Responses 1",
    "Form responses 1",
    "Sheet",
    "Data",
];

/// Reads the responses sheet of a workbook: every row, header rows included.
pub(crate) fn read(path: &Path, bytes: Vec<u8>, sheet: Option<&str>) -> Result<Grid, IngestError> {
    let damaged = |problem: &str| IngestError::Workbook {
        path: path.to_path_buf(),
        message: problem.to_string(),
    };
    let (mut workbook, kind) = open(path, bytes)?;
    let names = workbook.sheet_names();
    let chosen = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(wanted))
            .cloned()
            .ok_or_else(|| IngestError::NoSuchSheet {
                path: path.to_path_buf(),
                sheet: wanted.to_string(),
                sheets: names.clone(),
            })?,
        None => RESPONSE_SHEETS
            .iter()
            .find_map(|wanted| names.iter().find(|n| n == wanted))
            .or_else(|| names.first())
            .cloned()
            .ok_or_else(|| damaged("it has no sheets"))?,
    };
    let range = workbook
        .worksheet_range(&chosen)
        .map_err(|e| damaged(&format!("sheet {chosen:?} cannot be read ({e})")))?;
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    // Columns before the used range (rare) are blank; keep letters true to the sheet.
    let pad = first_column as usize;
    let records = range
        .rows()
        .enumerate()
        .map(|(index, cells)| Record {
            number: first_row as usize + index + 1,
            cells: std::iter::repeat_n(String::new(), pad)
                .chain(cells.iter().map(cell_text))
                .collect(),
        })
        .collect();
    Ok(Grid {
        source: Source::Workbook {
            kind,
            sheet: chosen,
            sheets: names.len(),
        },
        records,
    })
}

/// A workbook read into memory.
type Workbook = Sheets<Cursor<Vec<u8>>>;

/// Opens a workbook by its content, diagnosing files that are not one; also says what kind it is.
fn open(path: &Path, bytes: Vec<u8>) -> Result<(Workbook, &'static str), IngestError> {
    let fail = |message: String| IngestError::Workbook {
        path: path.to_path_buf(),
        message,
    };
    if bytes.starts_with(CFB_MAGIC) {
        if contains_utf16(&bytes, "EncryptedPackage") || contains_utf16(&bytes, "EncryptionInfo") {
            return Err(IngestError::PasswordProtected {
                path: path.to_path_buf(),
            });
        }
        let xls = open_workbook_from_rs::<Xls<_>, _>(Cursor::new(bytes)).map_err(|e| {
            fail(format!(
                "it is an old-style .xls file that cannot be read ({e})"
            ))
        })?;
        return Ok((Sheets::Xls(xls), "Excel 97-2003 workbook (.xls)"));
    }
    if !bytes.starts_with(ZIP_MAGIC) {
        let start: Vec<String> = bytes.iter().take(4).map(|b| format!("{b:02X}")).collect();
        return Err(fail(format!(
            "it is not a workbook: an .xlsx or .ods file is a zip archive starting with 50 4B 03 04, and an .xls file starts with D0 CF 11 E0, but this file starts with {}",
            if start.is_empty() {
                "nothing".to_string()
            } else {
                start.join(" ")
            }
        )));
    }
    // The end-of-central-directory record closes every complete zip archive.
    let tail = &bytes[bytes.len().saturating_sub(65_557)..];
    if !tail.windows(4).any(|w| w == b"PK\x05\x06") {
        return Err(IngestError::Truncated {
            path: path.to_path_buf(),
            bytes: bytes.len(),
        });
    }
    let has = |name: &[u8]| bytes.windows(name.len()).any(|w| w == name);
    if has(b"xl/workbook.bin") {
        let xlsb = open_workbook_from_rs::<Xlsb<_>, _>(Cursor::new(bytes))
            .map_err(|e| fail(format!("the .xlsb workbook is damaged ({e})")))?;
        Ok((Sheets::Xlsb(xlsb), "Excel binary workbook (.xlsb)"))
    } else if has(b"xl/workbook.xml") {
        let xlsx = open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes))
            .map_err(|e| fail(format!("the .xlsx workbook is damaged ({e})")))?;
        Ok((Sheets::Xlsx(xlsx), "Excel workbook (.xlsx)"))
    } else if has(b"content.xml") && has(b"application/vnd.oasis.opendocument.spreadsheet") {
        let ods = open_workbook_from_rs::<Ods<_>, _>(Cursor::new(bytes))
            .map_err(|e| fail(format!("the .ods spreadsheet is damaged ({e})")))?;
        Ok((Sheets::Ods(ods), "OpenDocument spreadsheet (.ods)"))
    } else {
        Err(IngestError::NotAWorkbook {
            path: path.to_path_buf(),
        })
    }
}

fn contains_utf16(bytes: &[u8], text: &str) -> bool {
    let wanted: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(wanted.len()).any(|w| w == wanted.as_slice())
}

/// A cell as the text a person sees: whole numbers without ".0", dates as ISO text.
fn cell_text(cell: &Data) -> String {
    use calamine::DataType;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(_) => cell
            .as_datetime()
            .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}
