//! The streaming reader (`ingest::stream`, `RowMapper`, `Tally`), the one
//! path both `report` and `check` read by: rows lent and rows handed over are
//! the same, a workbook and the same rows as CSV give the same scores, and
//! files larger than the reader's prefix and sample are read whole.

use std::path::{Path, PathBuf};

use makeitstick::ingest::{self, PREFIX_BYTES, ReadOptions, SAMPLE_ROWS};
use makeitstick::instrument::{Instrument, MapOptions, Respondent, RowMapper};
use makeitstick::score::{self, tally::Tally};

use crate::common::{ReadExport, fixture, map_export, read_export, read_rows, sample_csv};

/// A summary's description and rows, as comparable text.
fn summary(table: &ingest::ExportSummary, rows: &[ingest::Row]) -> String {
    let mut text = format!(
        "{}\n{:?}\n{:?} {:?} {:?} {:?}\nread {} excluded {:?}\ndropped {:?}\n",
        table.description,
        table.profile,
        table.encoding,
        table.encoding_rule,
        table.delimiter,
        table.platform_detected,
        table.rows_read,
        table.excluded,
        table.dropped_identity,
    );
    for column in &table.columns {
        text.push_str(&format!("{column:?}\n"));
    }
    // Streamed rows keep both readings of a date like 1/9/2020 until the end.
    let order = table.date_order().ok().flatten();
    text.push_str(&format!(
        "dates {:?} identical {}\n",
        table.dates, table.identical_rows
    ));
    for row in rows {
        text.push_str(&format!(
            "{} {:?} {:?}\n",
            row.number,
            row.cells,
            row.completed.and_then(|stamp| stamp.read(order))
        ));
    }
    text
}

/// Every row handed over ([`ingest::RowStream::next_row`]).
fn handed_over(path: &Path, options: &ReadOptions) -> Result<String, String> {
    let export = read_export(path, options).map_err(|e| e.to_string())?;
    Ok(summary(&export, &export.rows))
}

/// Every row lent ([`ingest::RowStream::next_ref`]), as `report` and `check` read them.
fn streamed(path: &Path, options: &ReadOptions) -> Result<String, String> {
    let mut stream = ingest::stream(path, options).map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    // Lent rows, copied: the buffers behind them are reused for the next row.
    while let Some(row) = stream.next_ref().map_err(|e| e.to_string())? {
        rows.push(row.clone());
    }
    let table = stream.finish();
    Ok(summary(&table, &rows))
}

fn text_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            text_files(&path, found);
        } else if path
            .extension()
            .is_some_and(|e| e == "csv" || e == "tsv" || e == "txt")
        {
            found.push(path);
        }
    }
}

#[test]
fn every_text_fixture_reads_the_same_rows_lent_or_handed_over() {
    let mut files = vec![sample_csv()];
    text_files(&fixture(""), &mut files);
    assert!(files.len() > 20, "{files:?}");
    for path in files {
        for options in [
            ReadOptions::default(),
            ReadOptions {
                keep_duplicates: true,
                keep_incomplete: true,
                ..ReadOptions::default()
            },
        ] {
            assert_eq!(
                streamed(&path, &options),
                handed_over(&path, &options),
                "{}",
                path.display()
            );
        }
    }
}

#[test]
fn a_workbook_reads_the_same_rows_as_the_same_export_as_csv() {
    let options = ReadOptions::default();
    let csv = read_export(&sample_csv(), &options).unwrap();
    let workbook = read_export(&crate::common::sample_xlsx(), &options).unwrap();
    assert_eq!(workbook.rows_read, csv.rows_read);
    assert_eq!(workbook.excluded, csv.excluded);
    assert_eq!(workbook.columns, csv.columns);
    assert_eq!(workbook.dropped_identity, csv.dropped_identity);
    let cells = |export: &crate::common::ReadExport| -> Vec<Vec<String>> {
        export.rows.iter().map(|r| r.cells.clone()).collect()
    };
    assert_eq!(cells(&workbook), cells(&csv));
}

/// Writes a CSV export of `rows` respondents with a duplicate and a
/// `Finished = False` row past the sample, and `tail` as its last line.
fn big_export(dir: &Path, rows: usize, tail: &[u8]) -> PathBuf {
    let mut bytes = b"ResponseId,Finished,Our organisation welcomes new ways of working.,Which best describes you?,Comments\n".to_vec();
    for i in 0..rows {
        let answer = ["Agree", "Disagree", "Strongly agree", "Don't know", ""][i % 5];
        let group = ["Manager", "Frontline staff", ""][i % 3];
        let line = format!(
            "R_{i},{},{answer},{group},comment number {i} with padding to make the file longer than the prefix\n",
            if i % 97 == 0 { "False" } else { "True" }
        );
        bytes.extend_from_slice(line.as_bytes());
        if i == SAMPLE_ROWS + 10 {
            // An exact duplicate, past the sample.
            bytes.extend_from_slice(line.as_bytes());
        }
    }
    bytes.extend_from_slice(tail);
    assert!(bytes.len() > PREFIX_BYTES + 1000);
    let path = dir.join("export.csv");
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The rows set aside, by reason and count.
fn exclusions(export: &ReadExport) -> Vec<(ingest::ExclusionReason, usize)> {
    export
        .excluded
        .iter()
        .map(|e| (e.reason, e.count))
        .collect()
}

#[test]
fn a_file_longer_than_the_prefix_and_sample_is_read_to_its_end() {
    let dir = tempfile::tempdir().unwrap();
    let path = big_export(dir.path(), 12_000, b"R_last,True,Agree,Manager,the end\n");
    let options = ReadOptions::default();
    let export = read_export(&path, &options).unwrap();
    // 12,000 rows, one repeated past the sample, and the last; a generic
    // export has no `Finished` rule, so only the repeat is set aside.
    assert_eq!(export.rows_read, 12_002);
    assert_eq!(
        exclusions(&export),
        [(ingest::ExclusionReason::Duplicate, 1)]
    );
    assert_eq!(export.rows.len(), 12_001);
    assert_eq!(export.rows.last().unwrap().cells.last().unwrap(), "the end");
    assert_eq!(streamed(&path, &options), handed_over(&path, &options));
}

#[test]
fn a_repeated_row_is_found_however_each_copy_was_read() {
    // Rows in the sample are hashed from their cells; rows after it from the
    // record as the csv reader holds it, unless cleaning changed a cell.
    let dir = tempfile::tempdir().unwrap();
    let mut bytes =
        b"ResponseId,Our organisation welcomes new ways of working.,Comments,More\n".to_vec();
    let row = |i: usize| format!("R_{i},Agree,comment {i},x\n");
    for i in 0..SAMPLE_ROWS + 100 {
        bytes.extend_from_slice(row(i).as_bytes());
        match i {
            // A row of the sample, again past it.
            _ if i == SAMPLE_ROWS + 20 => bytes.extend_from_slice(row(5).as_bytes()),
            // A row past the sample, again with spaces and a zero-width space cleaning removes.
            _ if i == SAMPLE_ROWS + 40 => bytes.extend_from_slice(
                format!("R_{}, Agree\u{200B} ,comment {},x \n", i - 10, i - 10).as_bytes(),
            ),
            // The same text as row 60's cells, split between cells elsewhere: not a repeat.
            _ if i == SAMPLE_ROWS + 50 => bytes.extend_from_slice(b"R_60,Agree,comment 6,0x\n"),
            _ => {}
        }
    }
    let path = dir.path().join("export.csv");
    std::fs::write(&path, bytes).unwrap();
    let options = ReadOptions::default();
    let export = read_export(&path, &options).unwrap();
    assert_eq!(export.rows_read, SAMPLE_ROWS + 103);
    assert_eq!(
        exclusions(&export),
        [(ingest::ExclusionReason::Duplicate, 2)]
    );
    assert_eq!(export.identical_rows, 0);
}

/// The same records as a CSV file and as an .xlsx workbook (text cells,
/// a blank row kept as a blank row).
fn twins(dir: &Path, records: &[Vec<String>]) -> (PathBuf, PathBuf) {
    let csv = dir.join("twin.csv");
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_path(&csv)
        .unwrap();
    for record in records {
        if record.iter().all(String::is_empty) {
            writer.write_record([""]).unwrap();
        } else {
            writer.write_record(record).unwrap();
        }
    }
    writer.flush().unwrap();
    let xlsx = dir.join("twin.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (row, record) in records.iter().enumerate() {
        for (column, cell) in record.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(row as u32, column as u16, cell).unwrap();
            }
        }
    }
    workbook.save(&xlsx).unwrap();
    (csv, xlsx)
}

/// Records of `rows` respondents, with a duplicate past the sample and a blank row.
fn long_records(rows: usize) -> Vec<Vec<String>> {
    let mut records = vec![
        [
            "ResponseId",
            "Our organisation welcomes new ways of working.",
            "Which best describes you?",
            "Comments",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for i in 0..rows {
        let answer = ["Agree", "Disagree", "Strongly agree", "Don't know", ""][i % 5];
        let group = ["Manager", "Frontline staff", ""][i % 3];
        records.push(vec![
            format!("R_{i}"),
            answer.into(),
            group.into(),
            format!("comment {i}"),
        ]);
        if i == SAMPLE_ROWS + 10 {
            records.push(records.last().unwrap().clone());
        }
        if i == SAMPLE_ROWS * 2 {
            records.push(vec![String::new(); 4]);
        }
    }
    records
}

#[test]
fn a_workbook_longer_than_the_sample_is_streamed_to_its_end_like_its_csv() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, xlsx) = twins(dir.path(), &long_records(5_000));
    let options = ReadOptions::default();
    let from_csv = read_export(&csv, &options).unwrap();
    let from_xlsx = read_export(&xlsx, &options).unwrap();
    assert_eq!(from_xlsx.rows_read, 5_001);
    assert_eq!(from_xlsx.rows_read, from_csv.rows_read);
    assert_eq!(from_xlsx.excluded, from_csv.excluded);
    assert_eq!(from_xlsx.columns, from_csv.columns);
    let rows = |export: &crate::common::ReadExport| -> Vec<(usize, Vec<String>)> {
        export
            .rows
            .iter()
            .map(|r| (r.number, r.cells.clone()))
            .collect()
    };
    assert_eq!(rows(&from_xlsx), rows(&from_csv));
    // The response id is an identity column, dropped.
    assert_eq!(
        from_xlsx.rows.last().unwrap().cells,
        ["", "Frontline staff", "comment 4999"]
    );
    assert_eq!(streamed(&xlsx, &options), handed_over(&xlsx, &options));
}

#[test]
fn a_workbook_row_wider_than_the_first_rows_past_the_sample_is_refused_as_in_a_csv() {
    let dir = tempfile::tempdir().unwrap();
    let mut records = long_records(3_000);
    let late = SAMPLE_ROWS + 500;
    records[late].push("a value beyond the header".into());
    let (csv, xlsx) = twins(dir.path(), &records);
    let options = ReadOptions::default();
    let from_xlsx = read_export(&xlsx, &options)
        .map(|_| ())
        .unwrap_err()
        .to_string();
    let from_csv = read_export(&csv, &options)
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert_eq!(
        from_xlsx.replace("twin.xlsx", "twin.csv"),
        from_csv,
        "the same message, naming row {}",
        late + 1
    );
    assert!(
        from_xlsx.contains(&format!("row {} has 5 cells", late + 1)),
        "{from_xlsx}"
    );
}

#[test]
fn a_windows_1252_byte_after_an_ascii_prefix_reads_the_whole_file_as_windows_1252() {
    let dir = tempfile::tempdir().unwrap();
    let path = big_export(
        dir.path(),
        12_000,
        b"R_last,True,Agree,Manager,caf\xE9 \x92late\x92\n",
    );
    let options = ReadOptions::default();
    let streamed = streamed(&path, &options).unwrap();
    assert!(streamed.contains("caf\u{e9} \u{2019}late\u{2019}"));
    assert!(streamed.contains("windows-1252"), "{}", &streamed[..400]);
}

#[test]
fn a_late_second_encoding_or_nul_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let options = ReadOptions::default();
    // UTF-8 in the prefix, Windows-1252 after it.
    let path = big_export(dir.path(), 12_000, b"R_last,True,Agree,Manager,caf\xE9\n");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.splice(10..10, "é".bytes());
    std::fs::write(&path, &bytes).unwrap();
    let error = streamed(&path, &options).unwrap_err();
    assert!(error.contains("mixes two text encodings"), "{error}");
    // Windows-1252 in the prefix, UTF-8 after it.
    let path = big_export(
        dir.path(),
        12_000,
        "R_last,True,Agree,Manager,café\n".as_bytes(),
    );
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.splice(10..10, [0xE9]);
    std::fs::write(&path, &bytes).unwrap();
    let error = streamed(&path, &options).unwrap_err();
    assert!(error.contains("mixes two text encodings"), "{error}");
    // A NUL byte after the prefix.
    let path = big_export(dir.path(), 12_000, b"R_last,True,Agree,Manager,\0\0\n");
    let error = streamed(&path, &options).unwrap_err();
    assert!(error.contains("binary data"), "{error}");
}

/// The figures of an export, read, mapped and tallied as `makeitstick report` does.
fn scores(path: &Path, instrument: &Instrument) -> score::Scores {
    let rows = ingest::stream(path, &ReadOptions::default()).unwrap();
    let mapper = RowMapper::new(rows.summary(), instrument, &MapOptions::default()).unwrap();
    let read = score::read::tally_rows(rows, mapper, instrument, false).unwrap();
    let mut tally = read.tally;
    tally.date_order = read.summary.date_order().unwrap();
    let responses = read.analysis.into_result().unwrap();
    score::finish(
        &tally,
        instrument,
        5,
        None,
        score::ReadCounts {
            group_column_found: responses.group_column.is_some(),
            without_answers: responses.rows_without_answers,
            excluded: responses.excluded,
            test_responses: 0,
        },
    )
}

#[test]
fn a_workbook_and_the_same_export_as_csv_give_the_same_scores() {
    let instrument = Instrument::load(None).unwrap();
    let csv = scores(&sample_csv(), &instrument);
    let workbook = scores(&crate::common::sample_xlsx(), &instrument);
    assert!(csv.period.is_some());
    assert_eq!(
        serde_json::to_string(&workbook).unwrap(),
        serde_json::to_string(&csv).unwrap()
    );
}

#[test]
fn scores_of_respondents_kept_equal_scores_tallied_as_rows_go_by() {
    let instrument = Instrument::load(None).unwrap();
    // The two `dates-*` exports' dates read two ways until the last row, and
    // must still give a period.
    for path in [
        sample_csv(),
        fixture("dates-google-sheets-us/export.csv"),
        fixture("dates-surveymonkey-resave/export.csv"),
    ] {
        let expected = scores(&path, &instrument);
        assert!(expected.period.is_some(), "{}", path.display());
        let export = read_export(&path, &ReadOptions::default()).unwrap();
        let mapped = map_export(&export, &instrument, &MapOptions::default()).unwrap();
        let in_export = instrument
            .statements()
            .map(|(_, s)| !mapped.unmatched_statements.contains(&s.id))
            .collect();
        let mut tally = Tally::new(&instrument, in_export);
        for respondent in &mapped.respondents {
            tally.add(respondent);
        }
        // The rows' dates were read in the column's order already.
        let kept = score::finish(
            &tally,
            &instrument,
            5,
            None,
            score::ReadCounts {
                group_column_found: mapped.group_column.is_some(),
                without_answers: mapped.rows_without_answers,
                excluded: mapped.excluded.clone(),
                test_responses: 0,
            },
        );
        assert_eq!(
            serde_json::to_string(&kept).unwrap(),
            serde_json::to_string(&expected).unwrap(),
            "{}",
            path.display()
        );
    }
}

#[test]
fn off_scale_answers_are_reported_with_rows_lent_or_handed_over() {
    let instrument = Instrument::load(None).unwrap();
    let path = fixture("off-scale/export.csv");
    let options = ReadOptions::default();
    let expected = map_export(
        &read_rows(ingest::stream(&path, &options).unwrap()).unwrap(),
        &instrument,
        &MapOptions::default(),
    )
    .err()
    .unwrap()
    .to_string();
    let mut stream = ingest::stream(&path, &options).unwrap();
    let mut mapper = RowMapper::new(stream.summary(), &instrument, &MapOptions::default()).unwrap();
    let mut respondent = Respondent::default();
    while let Some(row) = stream.next_ref().unwrap() {
        mapper.map(row, &mut respondent);
    }
    let table = stream.finish();
    let error = mapper
        .finish(table.rows_read, table.excluded)
        .into_result()
        .unwrap_err()
        .to_string();
    assert_eq!(error, expected);
    assert!(error.contains("not on the scale"), "{error}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Any small file (delimiters, quotes, line ends, blank and duplicate rows,
    /// Windows-1252, UTF-8, byte-order marks, NULs, Qualtrics and SurveyMonkey
    /// headers) reads the same rows lent or handed over, or the same error,
    /// never a panic.
    #[test]
    fn any_small_file_reads_the_same_lent_or_handed_over(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "a", "Agree", ",", ";", "\t", "\"", "\n", "\r\n", " ", "", "\u{e9}",
                "\u{feff}", "\u{200b}", "Status", "Finished", "False", "Spam",
                "{\"ImportId\":\"QID1\"}", "Response", "Respondent ID", "ID",
                "Completion time", "2026-09-14 15:16:40", "Email",
                "Our organisation welcomes new ways of working.", "\u{0}",
            ]),
            0..60,
        ),
        latin in proptest::bool::ANY,
    ) {
        let text = parts.concat();
        let bytes: Vec<u8> = if latin {
            // Some characters as Windows-1252 bytes instead of UTF-8.
            text.chars()
                .flat_map(|c| match c {
                    '\u{e9}' => vec![0xE9],
                    c => c.to_string().into_bytes(),
                })
                .collect()
        } else {
            text.into_bytes()
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.csv");
        std::fs::write(&path, &bytes).unwrap();
        let options = ReadOptions::default();
        proptest::prop_assert_eq!(streamed(&path, &options), handed_over(&path, &options));
    }
}
