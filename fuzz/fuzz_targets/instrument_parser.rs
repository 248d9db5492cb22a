//! Any text as instrument TOML: an error naming the problem, or an instrument
//! that a table of its own wordings maps to and scores. Never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use makeitstick::ingest::{ReadOptions, Table};
use makeitstick::instrument::{Instrument, MapOptions, Origin, map_table};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(instrument) = Instrument::parse(text, Origin::BuiltIn) else {
        return;
    };
    let _ = instrument.scale_range();
    let _ = instrument.band(50.0);
    // A tiny export answering every statement with each scale label in turn.
    let mut header = vec![instrument.groups.question.clone()];
    header.extend(instrument.statements().map(|(_, s)| s.text.clone()));
    let mut records = vec![header];
    for (i, point) in instrument.scale.points.iter().enumerate().take(8) {
        let group = instrument.groups.options[i % instrument.groups.options.len()]
            .answers
            .first()
            .cloned()
            .unwrap_or_default();
        let mut row = vec![group];
        row.extend(instrument.statements().map(|_| point.label.clone()));
        records.push(row);
    }
    if let Ok(table) = Table::from_records(Path::new("fuzz.csv"), records, &ReadOptions::default())
    {
        if let Ok(responses) = map_table(&table, &instrument, &MapOptions::default()) {
            let _ = makeitstick::score::score(&responses, &instrument, 2, None);
        }
    }
});
