//! Any text as instrument TOML: an error naming the problem, or an instrument
//! that a table of its own wordings maps to and scores. Never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use makeitstick::ingest::{ReadOptions, stream_records};
use makeitstick::instrument::{Instrument, MapOptions, Origin, RowMapper};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(instrument) = Instrument::parse(text, Origin::BuiltIn) else {
        return;
    };
    let _ = instrument.score_denominator();
    let _ = instrument.band(50.0);
    // A tiny export answering every statement with each label of its scale in turn.
    let question = instrument.groups.as_ref().map(|g| g.question.clone());
    let mut header: Vec<String> = question.iter().cloned().collect();
    header.extend(instrument.statements().map(|(_, s)| s.text.clone()));
    let mut records = vec![header];
    let options = instrument.group_options();
    for i in 0..8 {
        let mut row = Vec::new();
        if question.is_some() {
            row.push(
                options[i % options.len()]
                    .answers
                    .first()
                    .cloned()
                    .unwrap_or_default(),
            );
        }
        row.extend(instrument.statements().map(|(_, s)| {
            let points = &instrument.scale_of(s).points;
            points[i % points.len()].label.clone()
        }));
        records.push(row);
    }
    let Ok(rows) = stream_records(Path::new("fuzz.csv"), records, &ReadOptions::default()) else {
        return;
    };
    let Ok(mapper) = RowMapper::new(rows.summary(), &instrument, &MapOptions::default()) else {
        return;
    };
    if let Ok(read) = makeitstick::score::read::tally_rows(rows, mapper, &instrument, false)
        && read.analysis.into_result().is_ok()
    {
        let _ = makeitstick::score::finish(
            &read.tally,
            &instrument,
            2,
            None,
            makeitstick::score::ReadCounts::default(),
        );
    }
});
