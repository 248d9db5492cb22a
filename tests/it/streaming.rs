//! The streaming reader (`ingest::stream`, `RowMapper`, `Tally`) against the
//! in-memory one (`ingest::read`, `map_table`, `score::score`): the same rows,
//! counts, errors and scores, for every fixture and for files larger than the
//! streaming reader's prefix and sample.

use std::path::{Path, PathBuf};

use makeitstick::ingest::{self, PREFIX_BYTES, ReadOptions, SAMPLE_ROWS, Table};
use makeitstick::instrument::{Instrument, MapOptions, Respondent, RowMapper, map_table};
use makeitstick::score::{self, tally::Tally};

use crate::common::{fixture, sample_csv};

/// A table's description and rows, as comparable text.
fn summary(table: &Table, rows: &[ingest::Row]) -> String {
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
    // Streamed rows keep both readings of a date like 1/9/2020 until the end;
    // read in the decided order, they must give the times the in-memory reader gives.
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

fn in_memory(path: &Path, options: &ReadOptions) -> Result<String, String> {
    let table = ingest::read(path, options).map_err(|e| e.to_string())?;
    Ok(summary(&table, &table.rows))
}

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
fn every_text_fixture_streams_exactly_as_it_reads_in_memory() {
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
                in_memory(&path, &options),
                "{}",
                path.display()
            );
        }
    }
}

#[test]
fn workbooks_stream_exactly_as_they_read_in_memory() {
    let path = crate::common::sample_xlsx();
    let options = ReadOptions::default();
    assert_eq!(streamed(&path, &options), in_memory(&path, &options));
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

#[test]
fn a_file_longer_than_the_prefix_and_sample_streams_as_it_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = big_export(dir.path(), 12_000, b"R_last,True,Agree,Manager,the end\n");
    let options = ReadOptions::default();
    let streamed = streamed(&path, &options).unwrap();
    assert_eq!(streamed, in_memory(&path, &options).unwrap());
    assert!(streamed.contains("Duplicate"), "{}", &streamed[..400]);
}

#[test]
fn a_windows_1252_byte_after_an_ascii_prefix_is_read_as_the_whole_file_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = big_export(
        dir.path(),
        12_000,
        b"R_last,True,Agree,Manager,caf\xE9 \x92late\x92\n",
    );
    let options = ReadOptions::default();
    let streamed = streamed(&path, &options).unwrap();
    assert_eq!(streamed, in_memory(&path, &options).unwrap());
    assert!(streamed.contains("caf\u{e9} \u{2019}late\u{2019}"));
    assert!(streamed.contains("windows-1252"), "{}", &streamed[..400]);
}

#[test]
fn a_late_second_encoding_or_nul_gives_the_in_memory_error() {
    let dir = tempfile::tempdir().unwrap();
    let options = ReadOptions::default();
    // UTF-8 in the prefix, Windows-1252 after it.
    let path = big_export(dir.path(), 12_000, b"R_last,True,Agree,Manager,caf\xE9\n");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.splice(10..10, "é".bytes());
    std::fs::write(&path, &bytes).unwrap();
    let error = streamed(&path, &options).unwrap_err();
    assert_eq!(error, in_memory(&path, &options).unwrap_err());
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
    assert_eq!(error, in_memory(&path, &options).unwrap_err());
    // A NUL byte after the prefix.
    let path = big_export(dir.path(), 12_000, b"R_last,True,Agree,Manager,\0\0\n");
    let error = streamed(&path, &options).unwrap_err();
    assert_eq!(error, in_memory(&path, &options).unwrap_err());
    assert!(error.contains("binary data"), "{error}");
}

#[test]
fn streamed_scores_equal_in_memory_scores() {
    let instrument = Instrument::load(None).unwrap();
    let options = ReadOptions::default();
    let map_options = MapOptions::default();
    // The sample's dates read one way; the two `dates-*` exports' read two
    // ways until the last row, and must still give the same period.
    for path in [
        sample_csv(),
        crate::common::sample_xlsx(),
        fixture("dates-google-sheets-us/export.csv"),
        fixture("dates-surveymonkey-resave/export.csv"),
    ] {
        let table = ingest::read(&path, &options).unwrap();
        let responses = map_table(&table, &instrument, &map_options).unwrap();
        let expected = score::score(&responses, &instrument, 5, None);

        let mut stream = ingest::stream(&path, &options).unwrap();
        let mut mapper = RowMapper::new(stream.table(), &instrument, &map_options).unwrap();
        let mut tally = Tally::new(&instrument);
        let mut respondent = Respondent::default();
        // Lent rows, as `makeitstick report` reads them.
        while let Some(row) = stream.next_ref().unwrap() {
            if mapper.map(row, &mut respondent) {
                tally.add(&respondent);
            }
        }
        let table = stream.finish();
        tally.date_order = table.date_order().unwrap();
        let streamed = mapper
            .finish(Vec::new(), table.rows_read, table.excluded)
            .into_result()
            .unwrap();
        // As `makeitstick report` does: statements with no column say so in a missing score.
        tally.not_in_export(&streamed.unmatched_statements);
        let mut scores = score::finish(&tally, &instrument, 5, None);
        assert!(scores.period.is_some(), "{}", path.display());
        scores.responses.without_answers = streamed.rows_without_answers;
        scores.responses.excluded = streamed.excluded.clone();
        assert_eq!(
            serde_json::to_string(&scores).unwrap(),
            serde_json::to_string(&expected).unwrap()
        );
        assert_eq!(streamed.mapping.len(), responses.mapping.len());
        assert_eq!(streamed.unmapped, responses.unmapped);
    }
}

#[test]
fn off_scale_answers_are_reported_alike_when_streamed() {
    let instrument = Instrument::load(None).unwrap();
    let path = fixture("off-scale/export.csv");
    let options = ReadOptions::default();
    let expected = map_table(
        &ingest::read(&path, &options).unwrap(),
        &instrument,
        &MapOptions::default(),
    )
    .unwrap_err()
    .to_string();
    let mut stream = ingest::stream(&path, &options).unwrap();
    let mut mapper = RowMapper::new(stream.table(), &instrument, &MapOptions::default()).unwrap();
    let mut respondent = Respondent::default();
    while let Some(row) = stream.next_row().unwrap() {
        mapper.map(&row, &mut respondent);
    }
    let table = stream.finish();
    let error = mapper
        .finish(Vec::new(), table.rows_read, table.excluded)
        .into_result()
        .unwrap_err()
        .to_string();
    assert_eq!(error, expected);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Any small file (delimiters, quotes, line ends, blank and duplicate rows,
    /// Windows-1252, UTF-8, byte-order marks, NULs, Qualtrics and SurveyMonkey
    /// headers) streams exactly as it reads in memory: the same rows or the same error.
    #[test]
    fn any_small_file_streams_as_it_reads(
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
        proptest::prop_assert_eq!(streamed(&path, &options), in_memory(&path, &options));
    }
}
