//! Workbook exports (.xlsx, .xlsm, .xlsb, .xls, .ods) read with calamine.

use std::path::Path;

use calamine::{Data, DataType, Reader, open_workbook_auto};

use super::{IngestError, RawTable, completion_column, parse_datetime};

/// Sheets that survey platforms write responses to, tried before the first sheet.
const RESPONSE_SHEETS: &[&str] = &["Sheet1", "Form Responses 1", "Form responses 1"];

/// Reads the responses sheet of a workbook: header in its first row, one response per row.
pub(crate) fn read(path: &Path) -> Result<RawTable, IngestError> {
    let workbook_error = |message: String| IngestError::Workbook {
        path: path.to_path_buf(),
        message,
    };
    let mut workbook = open_workbook_auto(path).map_err(|e| workbook_error(e.to_string()))?;
    let names = workbook.sheet_names();
    let sheet = RESPONSE_SHEETS
        .iter()
        .find(|wanted| names.iter().any(|n| n == *wanted))
        .map(|s| s.to_string())
        .or_else(|| names.first().cloned())
        .ok_or_else(|| workbook_error("it has no sheets".into()))?;
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| workbook_error(format!("sheet {sheet:?}: {e}")))?;
    let (first_row, first_column) = range.start().unwrap_or((0, 0));

    let mut rows_iter = range.rows();
    let Some(header_cells) = rows_iter.next() else {
        return Err(IngestError::Empty {
            path: path.to_path_buf(),
        });
    };
    // Columns before the used range (rare) are blank; keep letters true to the sheet.
    let pad = first_column as usize;
    let headers: Vec<String> = std::iter::repeat_n(String::new(), pad)
        .chain(header_cells.iter().map(|c| cell_text(c).trim().to_string()))
        .collect();
    let date_column = completion_column(&headers);

    let mut rows = Vec::new();
    for (index, cells) in rows_iter.enumerate() {
        let number = first_row as usize + index + 2;
        let texts: Vec<String> = std::iter::repeat_n(String::new(), pad)
            .chain(cells.iter().map(|c| cell_text(c).trim().to_string()))
            .collect();
        if texts.iter().all(|t| t.is_empty()) {
            continue;
        }
        let completed = date_column.and_then(|i| {
            let cell = cells.get(i.checked_sub(pad)?)?;
            cell.as_datetime()
                .or_else(|| parse_datetime(&cell_text(cell)))
        });
        rows.push((number, texts, completed));
    }

    let is_ms_forms = headers.len() >= 3
        && headers[0].eq_ignore_ascii_case("ID")
        && crate::text::normalise(&headers[1]) == "start time"
        && crate::text::normalise(&headers[2]) == "completion time";
    let kind = if is_ms_forms {
        "Microsoft Forms workbook"
    } else {
        "workbook"
    };
    Ok(RawTable {
        description: format!("{kind}, sheet {sheet:?}"),
        headers,
        rows,
    })
}

/// A cell as the text a person sees: whole numbers without ".0".
fn cell_text(cell: &Data) -> String {
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
