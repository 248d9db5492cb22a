//! An .xlsx or .xlsm sheet read a row at a time: calamine's cell reader
//! ([`calamine::XlsxCellReader`]) walks the sheet's XML in a thread of its
//! own and hands rows on in batches ([`super::batches`]), so the sheet is
//! never held whole and decoding the XML runs on a second core while the rows
//! are mapped and scored on the first.
//!
//! What is held: the workbook's shared strings, styles and table of contents
//! (calamine reads them when it opens the file), the batches in flight, and
//! the first [`PREFETCH_ROWS`] rows until their width is known. The file itself is read
//! through a buffer, never into memory.
//!
//! The rows are those calamine's whole-sheet `worksheet_range` gives: from the
//! first row with a value, blank rows included, each cell at its column's
//! index (columns before the first used one blank), empty cells blank. The
//! width of every row is that of the widest of the first [`PREFETCH_ROWS`]
//! rows (header rows included), so a sheet no longer than that reads exactly
//! as a whole range; a later row with a value beyond that width is refused as
//! too wide, as in a CSV export.

use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

use calamine::{DataRef, DataType, Xlsx, XlsxError};

use super::batches::{BATCH_ROWS, Batches, Producer};
use super::{IngestError, Record, SAMPLE_ROWS};

/// Rows read before any is handed on, to decide the width of every row: the
/// header rows and the sample the layout is decided from, and a few more.
pub(crate) const PREFETCH_ROWS: usize = SAMPLE_ROWS + 64;

/// The records of a sheet being read in another thread.
pub(crate) type SheetRecords = Batches;

/// Starts reading `sheet` of `workbook` in a thread of its own.
pub(crate) fn start<RS>(
    path: &Path,
    workbook: Xlsx<RS>,
    sheet: String,
) -> Result<SheetRecords, IngestError>
where
    RS: Read + Seek + Send + 'static,
{
    let owned = path.to_path_buf();
    Batches::start(path, "sheet reader", move |producer| {
        produce(&owned, workbook, &sheet, producer);
    })
}

/// Reads the sheet and sends its rows; an error is sent as the last message.
/// Stops early, quietly, when the reading side has gone.
fn produce<RS: Read + Seek>(path: &Path, mut workbook: Xlsx<RS>, sheet: &str, producer: &Producer) {
    let mut rows = Rows::new(path.to_path_buf(), producer);
    if let Err(error) = rows.read(&mut workbook, sheet) {
        producer.fail(error);
    }
}

/// Why reading stopped before the end of the sheet.
enum Stop {
    /// The reading side hung up (it met an error of its own, or was dropped).
    Gone,
    /// The sheet cannot be read.
    Failed(IngestError),
}

impl From<IngestError> for Stop {
    fn from(error: IngestError) -> Self {
        Stop::Failed(error)
    }
}

/// Cells gathered into rows, and rows into batches.
struct Rows<'s> {
    path: PathBuf,
    producer: &'s Producer,
    /// The row being gathered (0-based) and its cells, once a cell has a value.
    current: Option<(u32, Vec<String>)>,
    /// Rows waiting to be sent; the first [`PREFETCH_ROWS`] wait for the width.
    batch: Vec<Record>,
    /// The width of every row, once the first rows have decided it.
    width: Option<usize>,
}

impl<'s> Rows<'s> {
    fn new(path: PathBuf, producer: &'s Producer) -> Self {
        Rows {
            path,
            producer,
            current: None,
            batch: Vec::with_capacity(PREFETCH_ROWS),
            width: None,
        }
    }

    /// Reads every cell of the sheet; an error for a sheet that cannot be read.
    fn read<RS: Read + Seek>(
        &mut self,
        workbook: &mut Xlsx<RS>,
        sheet: &str,
    ) -> Result<(), IngestError> {
        let path = self.path.clone();
        let damaged = |error: XlsxError| IngestError::Workbook {
            path: path.clone(),
            message: format!("sheet {sheet:?} cannot be read ({error})"),
        };
        let mut cells = match workbook.worksheet_cells_reader(sheet) {
            Ok(cells) => cells,
            // A chart sheet has no rows, as calamine's whole-sheet reader says.
            Err(XlsxError::NotAWorksheet(_)) => return Ok(()),
            Err(error) => return Err(damaged(error)),
        };
        let outcome = loop {
            let cell = match cells.next_cell() {
                Ok(Some(cell)) => cell,
                Ok(None) => break self.end(),
                Err(error) => break Err(Stop::Failed(damaged(error))),
            };
            if matches!(cell.get_value(), DataRef::Empty) {
                continue;
            }
            let (row, column) = cell.get_position();
            if let Err(stop) = self.put(row, column, cell_text(cell.get_value())) {
                break Err(stop);
            }
        };
        match outcome {
            Ok(()) | Err(Stop::Gone) => Ok(()),
            Err(Stop::Failed(error)) => Err(error),
        }
    }

    /// Puts one cell with a value in its row, handing on the rows before it.
    fn put(&mut self, row: u32, column: u32, text: String) -> Result<(), Stop> {
        let cells = match &mut self.current {
            Some((current, cells)) if *current == row => cells,
            Some((current, _)) if *current > row => {
                return Err(Stop::Failed(IngestError::Workbook {
                    path: self.path.clone(),
                    message: format!(
                        "its sheet lists row {} after row {}, out of order; open it in Excel or LibreOffice and save it again",
                        row + 1,
                        *current + 1
                    ),
                }));
            }
            Some(_) => {
                let (current, cells) = self.current.take().expect("a row being gathered");
                self.push(current, cells)?;
                // Rows without a value between two that have one are blank rows.
                for blank in current + 1..row {
                    self.push(blank, Vec::new())?;
                }
                &mut self.current.insert((row, Vec::new())).1
            }
            None => &mut self.current.insert((row, Vec::new())).1,
        };
        let column = column as usize;
        if cells.len() <= column {
            cells.resize_with(column + 1, String::new);
        }
        cells[column] = text;
        Ok(())
    }

    /// Adds a finished row to the batch, sending the batch when it is full.
    fn push(&mut self, row: u32, mut cells: Vec<String>) -> Result<(), Stop> {
        if let Some(width) = self.width
            && cells.len() < width
        {
            cells.resize_with(width, String::new);
        }
        self.batch.push(Record {
            number: row as usize + 1,
            cells,
            clean_inside: false,
            hash: None,
        });
        match self.width {
            None if self.batch.len() >= PREFETCH_ROWS => self.decide_width(),
            Some(_) if self.batch.len() >= BATCH_ROWS => self.send(),
            _ => Ok(()),
        }
    }

    /// The width of the widest row so far becomes every row's; the rows held are sent.
    fn decide_width(&mut self) -> Result<(), Stop> {
        let width = self.batch.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        for record in &mut self.batch {
            record.cells.resize_with(width, String::new);
        }
        self.width = Some(width);
        self.send()
    }

    fn send(&mut self) -> Result<(), Stop> {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH_ROWS));
        if self.producer.send(batch) {
            Ok(())
        } else {
            Err(Stop::Gone)
        }
    }

    /// The last row and whatever is held.
    fn end(&mut self) -> Result<(), Stop> {
        if let Some((row, cells)) = self.current.take() {
            self.push(row, cells)?;
        }
        if self.width.is_none() {
            return self.decide_width();
        }
        if self.batch.is_empty() {
            Ok(())
        } else {
            self.send()
        }
    }
}

/// A cell as the text a person sees: whole numbers without ".0", dates as ISO text.
pub(crate) fn cell_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(_) => cell
            .as_datetime()
            .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default(),
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The records `cells` (row, column, text; in sheet order) become, or the error.
    fn assemble(cells: &[(u32, u32, &str)]) -> Result<Vec<(usize, Vec<String>)>, String> {
        let cells: Vec<(u32, u32, String)> = cells
            .iter()
            .map(|&(row, column, text)| (row, column, text.to_string()))
            .collect();
        let mut records = Batches::start(Path::new("x.xlsx"), "test", move |producer| {
            let mut rows = Rows::new(PathBuf::from("x.xlsx"), producer);
            let outcome = cells
                .into_iter()
                .try_for_each(|(row, column, text)| rows.put(row, column, text))
                .and_then(|()| rows.end());
            if let Err(Stop::Failed(error)) = outcome {
                producer.fail(error);
            }
        })
        .unwrap();
        let mut found = Vec::new();
        let mut record = Record {
            number: 0,
            cells: Vec::new(),
            clean_inside: false,
            hash: None,
        };
        while records.next_into(&mut record).map_err(|e| e.to_string())? {
            found.push((record.number, std::mem::take(&mut record.cells)));
        }
        Ok(found)
    }

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn rows_start_at_the_first_value_with_blank_rows_kept_and_columns_in_place() {
        // B2 and D2, then C5: rows 3 and 4 are blank, column A is blank.
        let records = assemble(&[(1, 1, "a"), (1, 3, "b"), (4, 2, "c")]).unwrap();
        assert_eq!(
            records,
            [
                (2, strings(&["", "a", "", "b"])),
                (3, strings(&["", "", "", ""])),
                (4, strings(&["", "", "", ""])),
                (5, strings(&["", "", "c", ""])),
            ]
        );
        assert_eq!(assemble(&[]).unwrap(), []);
    }

    #[test]
    fn the_first_rows_decide_the_width_and_a_later_wider_row_keeps_its_cells() {
        let mut cells: Vec<(u32, u32, &str)> = (0..PREFETCH_ROWS as u32 + 10)
            .map(|row| (row, 1, "x"))
            .collect();
        cells.insert(3, (3, 2, "wide"));
        cells.push((PREFETCH_ROWS as u32 + 20, 5, "wider"));
        let records = assemble(&cells).unwrap();
        assert!(
            records[..records.len() - 1]
                .iter()
                .all(|(_, c)| c.len() == 3)
        );
        let (number, last) = records.last().unwrap();
        assert_eq!(*number, PREFETCH_ROWS + 21);
        assert_eq!(last.len(), 6, "refused later as too wide, not cut short");
        assert_eq!(records.len(), PREFETCH_ROWS + 21);
    }

    #[test]
    fn a_row_listed_after_a_later_one_is_an_error() {
        let error = assemble(&[(0, 0, "a"), (2, 0, "b"), (1, 0, "c")]).unwrap_err();
        assert_eq!(
            error,
            "cannot read the workbook x.xlsx: its sheet lists row 2 after row 3, out of order; open it in Excel or LibreOffice and save it again"
        );
    }

    #[test]
    fn cells_read_as_a_person_sees_them() {
        assert_eq!(cell_text(&DataRef::Float(3.0)), "3");
        assert_eq!(cell_text(&DataRef::Float(2.5)), "2.5");
        assert_eq!(cell_text(&DataRef::SharedString("Agree")), "Agree");
        assert_eq!(cell_text(&DataRef::Bool(true)), "TRUE");
        let serial =
            calamine::ExcelDateTime::new(46_279.5, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&DataRef::DateTime(serial)), "2026-09-14 12:00:00");
    }
}
