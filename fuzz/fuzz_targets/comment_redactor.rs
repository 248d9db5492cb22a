//! The comment redactor on any text: no panic, and a second pass finds
//! nothing more (so no detector sees anything left in what is quoted).
#![no_main]

use libfuzzer_sys::fuzz_target;
use makeitstick::score::comments::redact;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let once = redact(&text);
    assert_eq!(redact(&once), once, "a second pass changed {text:?}");
});
