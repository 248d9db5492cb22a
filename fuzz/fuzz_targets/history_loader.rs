//! The history loader on any bytes: a history or a clean error, never a
//! panic; and the trend of a history that loads can always be made.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use makeitstick::project::History;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(history) = History::from_json(&text, Path::new("history.json"))
        && let Some(last) = history.waves.last()
    {
        let wave = last.wave.parse().expect("a loaded history's waves parse");
        let _ = makeitstick::score::trend::trend(&history.up_to(&wave));
    }
});
