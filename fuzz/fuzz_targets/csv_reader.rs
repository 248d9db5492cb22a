//! Any bytes, read as a `.csv` export with default options: an error or a table, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use makeitstick::ingest::{ReadOptions, read};

fuzz_target!(|data: &[u8]| {
    // The reader takes a path; a file in memory-backed /dev/shm keeps runs fast.
    let dir = tempfile_dir();
    let path = dir.join("export.csv");
    std::fs::write(&path, data).unwrap();
    let _ = read(&path, &ReadOptions::default());
});

/// One folder per fuzzing process, reused for every input.
fn tempfile_dir() -> std::path::PathBuf {
    let base = if std::path::Path::new("/dev/shm").is_dir() {
        std::path::PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!("makeitstick-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
