//! Header and answer matching: `text::normalise` on any text, then a small table
//! (a fixed header of real statements, or the input's own first line as the
//! header) mapped to the built-in instrument. Errors are fine; panics are not.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use makeitstick::ingest::{ReadOptions, stream_records};
use makeitstick::instrument::{Instrument, MapOptions, Respondent, RowMapper};
use makeitstick::text::normalise;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let once = normalise(&text);
    assert_eq!(once, once.trim(), "normalised text has no outer spaces");

    // Parsed once: parsing it on every input would be most of the work.
    static INSTRUMENT: std::sync::OnceLock<Instrument> = std::sync::OnceLock::new();
    let instrument = INSTRUMENT.get_or_init(|| Instrument::load(None).unwrap());
    let mut records: Vec<Vec<String>> = text
        .split('\n')
        .take(64)
        .map(|line| line.split('\t').take(64).map(str::to_string).collect())
        .collect();
    if mode % 2 == 0 {
        // A header the instrument knows: the group question and the first statements.
        let mut header: Vec<String> = instrument.groups.iter().map(|g| g.question.clone()).collect();
        header.extend(instrument.statements().take(6).map(|(_, s)| s.text.clone()));
        records.insert(0, header);
    }
    let Ok(mut rows) = stream_records(Path::new("fuzz.csv"), records, &ReadOptions::default())
    else {
        return;
    };
    let Ok(mut mapper) = RowMapper::new(rows.summary(), instrument, &MapOptions::default()) else {
        return;
    };
    let mut respondent = Respondent::default();
    while let Ok(Some(row)) = rows.next_ref() {
        mapper.map(row, &mut respondent);
    }
    let summary = rows.finish();
    let _ = mapper
        .finish(summary.rows_read, summary.excluded)
        .into_result();
});
