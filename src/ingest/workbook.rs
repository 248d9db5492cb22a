//! Workbook exports (.xlsx, .xlsm, .xlsb, .xls, .ods) read with calamine:
//! an .xlsx or .xlsm sheet a row at a time ([`super::sheet_stream`]), the
//! others whole (calamine has no row reader for .xls and .ods).
//!
//! The file's first bytes, not its name, say what it is: a zip archive is an
//! .xlsx, .xlsb or .ods (told apart by the names inside it), an OLE compound
//! file is an .xls or, when it holds an `EncryptedPackage` stream, a
//! password-protected .xlsx. Broken files are diagnosed before calamine sees
//! them, so the message says what is wrong rather than how parsing failed.
//!
//! Nothing is read whole until [`load`] has vetted the file from its first
//! bytes, its size and (for a zip archive) its last 64 KiB and table of
//! contents: a file of 4 GB that is not a workbook, or a zip bomb, is refused
//! having read a few kilobytes.

use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::Path;

use calamine::{Data, DataRef, Ods, Reader, Sheets, Xls, Xlsb, Xlsx, open_workbook_from_rs};

use super::sheet_stream::{self, SheetRecords, cell_text};
use super::{Grid, IngestError, Record, Source};

/// The magic number of a zip archive (.xlsx, .xlsb, .ods).
pub(crate) const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// The magic number of an OLE compound file (.xls, encrypted .xlsx).
pub(crate) const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// The most a zipped workbook may unpack to, all parts together: 1 GiB, about
/// 600,000 responses to 50 questions. Far beyond any survey export, and a
/// bound on the memory and time a disguised zip bomb can take.
pub(crate) const MAX_UNPACKED_BYTES: u64 = 1 << 30;

/// The most one large part may shrink by when zipped. Sheet XML zips 5 to 30
/// times smaller; a zip bomb, around a thousand times.
const MAX_COMPRESSION_RATIO: u64 = 200;

/// Parts smaller than this are not checked for their compression ratio.
const RATIO_CHECKED_FROM: u64 = 64 << 20;

/// The largest .xls, .xlsb or .ods file read: 128 MiB. calamine holds their
/// whole sheet in memory, about 30 times the file's size; a larger export is
/// read a row at a time as CSV or .xlsx.
pub const MAX_WORKBOOK_BYTES: u64 = 128 << 20;

/// The bytes at the end of a zip archive that must hold its end-of-central-directory record.
const ZIP_TAIL_BYTES: u64 = 65_557;

/// The largest .xlsx or .xlsm file read: 1 GiB. Its sheet is streamed
/// ([`super::sheet_stream`]), so the file's size bounds the time it takes,
/// not the memory; Excel's largest sheet (1,048,576 rows) of a survey export
/// is a few hundred megabytes.
pub const MAX_STREAMED_WORKBOOK_BYTES: u64 = 1 << 30;

/// The most one streamed worksheet may unpack to: 16 GiB, many times Excel's
/// largest sheet of a survey export. Streamed, it is a bound on time, not memory.
const MAX_STREAMED_SHEET_BYTES: u64 = 16 << 30;

/// A workbook vetted and opened: its rows in memory, or its sheet being streamed.
pub(crate) enum Opened {
    /// .xls, .xlsb and .ods: calamine reads the sheet whole.
    Whole(Grid),
    /// .xlsx and .xlsm: the sheet is read a row at a time in a thread of its own.
    Streamed(Source, SheetRecords),
}

/// Opens the responses sheet of a workbook file once it is known to be worth
/// reading: its first bytes are a zip archive's or an OLE compound file's, it
/// is at most [`MAX_WORKBOOK_BYTES`] ([`MAX_STREAMED_WORKBOOK_BYTES`] for an
/// .xlsx, which is streamed), and a zip archive is complete and would not
/// unpack to more than [`MAX_UNPACKED_BYTES`] (from its table of contents; a
/// streamed sheet is bounded apart). `start` is the file's first bytes;
/// `file` is at its start.
pub(crate) fn open_sheet(
    path: &Path,
    mut file: std::fs::File,
    start: &[u8],
    sheet: Option<&str>,
) -> Result<Opened, IngestError> {
    let io = |source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    };
    let fail = |message: String| IngestError::Workbook {
        path: path.to_path_buf(),
        message,
    };
    check_signature(start).map_err(fail)?;
    let size = file.metadata().map_err(io)?.len();
    let too_large = |limit: u64| IngestError::WorkbookTooLarge {
        path: path.to_path_buf(),
        bytes: size,
        limit,
    };
    if size > MAX_STREAMED_WORKBOOK_BYTES {
        return Err(too_large(MAX_WORKBOOK_BYTES));
    }
    let mut streamed = false;
    if start.starts_with(ZIP_MAGIC) {
        let mut tail = Vec::new();
        file.seek(SeekFrom::Start(size.saturating_sub(ZIP_TAIL_BYTES)))
            .map_err(io)?;
        (&mut file)
            .take(ZIP_TAIL_BYTES)
            .read_to_end(&mut tail)
            .map_err(io)?;
        if !tail.windows(4).any(|w| w == b"PK\x05\x06") {
            return Err(IngestError::Truncated {
                path: path.to_path_buf(),
                bytes: usize::try_from(size).unwrap_or(usize::MAX),
            });
        }
        file.rewind().map_err(io)?;
        streamed = is_xlsx(&mut file);
        file.rewind().map_err(io)?;
        check_unpacked_size(&mut file, streamed).map_err(fail)?;
        file.rewind().map_err(io)?;
    }
    if streamed {
        let workbook = Xlsx::new(std::io::BufReader::new(file))
            .map_err(|e| fail(format!("the .xlsx workbook is damaged ({e})")))?;
        let names = workbook.sheet_names();
        let chosen = choose_sheet(path, &names, sheet)?;
        let records = sheet_stream::start(path, workbook, chosen.clone())?;
        let source = Source::Workbook {
            kind: XLSX_KIND,
            sheet: chosen,
            sheets: names.len(),
        };
        return Ok(Opened::Streamed(source, records));
    }
    if size > MAX_WORKBOOK_BYTES {
        return Err(too_large(MAX_WORKBOOK_BYTES));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.read_to_end(&mut bytes).map_err(io)?;
    read(path, bytes, sheet).map(Opened::Whole)
}

/// What an .xlsx or .xlsm workbook is called in the summary.
const XLSX_KIND: &str = "Excel workbook (.xlsx)";

/// True for a zip archive holding an .xlsx or .xlsm workbook (and no .xlsb
/// one), by the names in its table of contents; false when it cannot tell.
fn is_xlsx(archive: impl Read + Seek) -> bool {
    let Ok(archive) = zip::ZipArchive::new(archive) else {
        return false;
    };
    let has = |wanted: &str| {
        archive
            .file_names()
            .any(|name| name.is_ok_and(|name| name == wanted))
    };
    has("xl/workbook.xml") && !has("xl/workbook.bin")
}

/// Refuses a file whose first bytes are neither a zip archive's nor an OLE compound file's.
fn check_signature(start: &[u8]) -> Result<(), String> {
    if start.starts_with(CFB_MAGIC) || start.starts_with(ZIP_MAGIC) {
        return Ok(());
    }
    let start: Vec<String> = start.iter().take(4).map(|b| format!("{b:02X}")).collect();
    Err(format!(
        "it is not a workbook: an .xlsx or .ods file is a zip archive starting with 50 4B 03 04, and an .xls file starts with D0 CF 11 E0, but this file starts with {}",
        if start.is_empty() {
            "nothing".to_string()
        } else {
            start.join(" ")
        }
    ))
}

/// Sheets that survey platforms write responses to, tried before the first sheet.
const RESPONSE_SHEETS: &[&str] = &[
    "Sheet1",
    "Form Responses 1",
    "Form responses 1",
    "Sheet",
    "Data",
];

/// The sheet to read: the one asked for (in any case), else the first of
/// [`RESPONSE_SHEETS`] the workbook has, else its first.
fn choose_sheet(path: &Path, names: &[String], sheet: Option<&str>) -> Result<String, IngestError> {
    match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(wanted))
            .cloned()
            .ok_or_else(|| IngestError::NoSuchSheet {
                path: path.to_path_buf(),
                sheet: wanted.to_string(),
                sheets: names.to_vec(),
            }),
        None => RESPONSE_SHEETS
            .iter()
            .find_map(|wanted| names.iter().find(|n| n == wanted))
            .or_else(|| names.first())
            .cloned()
            .ok_or_else(|| IngestError::Workbook {
                path: path.to_path_buf(),
                message: "it has no sheets".to_string(),
            }),
    }
}

/// Reads the responses sheet of a workbook whole: every row, header rows included.
fn read(path: &Path, bytes: Vec<u8>, sheet: Option<&str>) -> Result<Grid, IngestError> {
    let damaged = |problem: &str| IngestError::Workbook {
        path: path.to_path_buf(),
        message: problem.to_string(),
    };
    let (mut workbook, kind) = open(path, bytes)?;
    let names = workbook.sheet_names();
    let chosen = choose_sheet(path, &names, sheet)?;
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
                .chain(cells.iter().map(|cell| cell_text(&cell_ref(cell))))
                .collect(),
            clean_inside: false,
            hash: None,
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
    check_signature(&bytes).map_err(fail)?;
    // The end-of-central-directory record closes every complete zip archive.
    let tail = &bytes[bytes.len().saturating_sub(65_557)..];
    if !tail.windows(4).any(|w| w == b"PK\x05\x06") {
        return Err(IngestError::Truncated {
            path: path.to_path_buf(),
            bytes: bytes.len(),
        });
    }
    check_unpacked_size(Cursor::new(&bytes), false).map_err(fail)?;
    let has = |name: &[u8]| bytes.windows(name.len()).any(|w| w == name);
    if has(b"xl/workbook.bin") {
        let xlsb = open_workbook_from_rs::<Xlsb<_>, _>(Cursor::new(bytes))
            .map_err(|e| fail(format!("the .xlsb workbook is damaged ({e})")))?;
        Ok((Sheets::Xlsb(xlsb), "Excel binary workbook (.xlsb)"))
    } else if has(b"xl/workbook.xml") {
        let xlsx = open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes))
            .map_err(|e| fail(format!("the .xlsx workbook is damaged ({e})")))?;
        Ok((Sheets::Xlsx(xlsx), XLSX_KIND))
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

/// Refuses a zip archive whose parts would unpack to more than
/// [`MAX_UNPACKED_BYTES`], or that holds a large part compressed like a zip
/// bomb, from the sizes its table of contents declares. Those sizes bind: the
/// zip reader stops any part that inflates beyond its declared size. An archive
/// whose table of contents cannot be read is left for calamine to diagnose.
/// With `streamed`, worksheets are streamed and count apart: each may unpack
/// to [`MAX_STREAMED_SHEET_BYTES`].
fn check_unpacked_size(archive: impl Read + Seek, streamed: bool) -> Result<(), String> {
    let Ok(mut archive) = zip::ZipArchive::new(archive) else {
        return Ok(());
    };
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let Ok(part) = archive.by_index_raw(index) else {
            return Ok(());
        };
        let (size, packed) = (part.size(), part.compressed_size());
        let name = part.name().unwrap_or_default();
        if streamed && name.starts_with("xl/worksheets/") {
            if size > MAX_STREAMED_SHEET_BYTES {
                return Err(format!(
                    "its sheet {name:?} would unpack to {}, more than the {} makeitstick reads from one sheet, so it was not opened",
                    human_bytes(size),
                    human_bytes(MAX_STREAMED_SHEET_BYTES)
                ));
            }
        } else {
            total = total.saturating_add(size);
        }
        if size >= RATIO_CHECKED_FROM && size / packed.max(1) > MAX_COMPRESSION_RATIO {
            return Err(format!(
                "its part {:?} would unpack from {} to {}, shrunk {} times where a real workbook shrinks at most {MAX_COMPRESSION_RATIO} times: it looks like a zip bomb, so it was not opened",
                part.name().unwrap_or_default(),
                human_bytes(packed),
                human_bytes(size),
                size / packed.max(1)
            ));
        }
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(format!(
            "it would unpack to {}, more than the {} makeitstick reads from a workbook, so it was not opened",
            human_bytes(total),
            human_bytes(MAX_UNPACKED_BYTES)
        ));
    }
    Ok(())
}

/// A byte count for people: "3.5 GB", "812 KB".
pub(crate) fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else if value < 10.0 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

fn contains_utf16(bytes: &[u8], text: &str) -> bool {
    let wanted: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(wanted.len()).any(|w| w == wanted.as_slice())
}

/// A cell of a whole sheet as the cell reader gives it, so both paths share [`cell_text`].
fn cell_ref(cell: &Data) -> DataRef<'_> {
    match cell {
        Data::Empty => DataRef::Empty,
        Data::String(s) => DataRef::SharedString(s),
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(d) => DataRef::DateTime(*d),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
    }
}
