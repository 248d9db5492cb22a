//! The Microsoft Forms export as the workbook Forms gives (sheet `Sheet1`,
//! table `Table1`), shared by the data generators that write `.xlsx`:
//! `examples/sample_data.rs` and `examples/programme_sample.rs`. It is a file
//! of its own, included by path, because the benchmark includes
//! `examples/forms/mod.rs` and writes its workbooks in constant-memory mode.

use std::path::Path;

use anyhow::Result;
use chrono::{Datelike, NaiveDateTime, Timelike};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Table, TableColumn, Workbook};

/// One cell of a data row, as Forms stores it.
pub enum Cell<'a> {
    /// A number, such as the response `ID`.
    Number(u32),
    /// A start or completion time, shown as Forms shows it (`m/d/yy h:mm:ss`).
    DateTime(NaiveDateTime),
    /// Text, always written as text: `=cmd|...` must never become a formula.
    Text(&'a str),
}

/// Writes `headers` as the table's header row and then each row (`None` is a
/// blank cell). rust_xlsxwriter stamps the current time into
/// `docProps/core.xml` unless told otherwise; a fixed creation date (1 October
/// 2026, 09:00) keeps the file byte-identical between runs.
pub fn write_xlsx<'a>(
    path: &Path,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Option<Cell<'a>>>>,
) -> Result<()> {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2026, 10, 1)?.and_hms(9, 0, 0)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));

    let sheet = workbook.add_worksheet().set_name("Sheet1")?;
    let datetime = Format::new().set_num_format("m/d/yy h:mm:ss");
    let mut last_row = 0;
    for (index, cells) in rows.into_iter().enumerate() {
        let row = u32::try_from(index + 1)?;
        last_row = row;
        for (column, cell) in cells.into_iter().enumerate() {
            let column = u16::try_from(column)?;
            match cell {
                None => {}
                Some(Cell::Number(number)) => {
                    sheet.write_number(row, column, number)?;
                }
                Some(Cell::DateTime(time)) => {
                    sheet.write_datetime_with_format(
                        row,
                        column,
                        excel_datetime(time)?,
                        &datetime,
                    )?;
                }
                Some(Cell::Text(text)) => {
                    sheet.write_string(row, column, text)?;
                }
            }
        }
    }

    // Forms' widths: ID narrow, times and identity columns wide, then the questions.
    let last_column = u16::try_from(headers.len() - 1)?;
    sheet.set_column_width(0, 6)?;
    sheet.set_column_range_width(1, 2, 18)?;
    sheet.set_column_range_width(3, 4, 30)?;
    sheet.set_column_range_width(6, last_column, 24)?;

    let columns: Vec<TableColumn> = headers
        .iter()
        .map(|header| TableColumn::new().set_header(*header))
        .collect();
    let table = Table::new().set_name("Table1").set_columns(&columns);
    sheet.add_table(0, 0, last_row, last_column, &table)?;

    workbook.save(path)?;
    Ok(())
}

fn excel_datetime(datetime: NaiveDateTime) -> Result<ExcelDateTime> {
    let date = ExcelDateTime::from_ymd(
        u16::try_from(datetime.year())?,
        u8::try_from(datetime.month())?,
        u8::try_from(datetime.day())?,
    )?;
    Ok(date.and_hms(
        u16::try_from(datetime.hour())?,
        u8::try_from(datetime.minute())?,
        datetime.second(),
    )?)
}
