//! Issue 11, items 16 to 18: nothing the reader or the typesetter is handed
//! may lose rows silently, stop the report over a character, or take memory
//! without bound. Each test states the promise it guards.

use std::path::{Path, PathBuf};

use crate::common::*;

/// The sample CSV export's records, each as the csv writer writes it.
fn sample_lines() -> Vec<String> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(sample_csv())
        .unwrap()
        .records()
        .map(|record| {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(&record.unwrap()).unwrap();
            String::from_utf8(writer.into_inner().unwrap()).unwrap()
        })
        .collect()
}

/// The sample CSV export with a quote mark put at the start of the last cell
/// (the free-text comment) of row `row`, as a careless edit leaves it; with
/// `copies` copies of its rows, each with its own id.
fn with_stray_quote(dir: &Path, row: usize, copies: usize) -> PathBuf {
    let mut lines = sample_lines();
    let header = lines.remove(0);
    let mut body = Vec::new();
    for copy in 0..copies {
        for line in &lines {
            body.push(format!("{}{line}", "9".repeat(copy)));
        }
    }
    let target = &mut body[row - 2];
    let at = target.rfind(',').unwrap() + 1;
    assert_ne!(
        &target[at..at + 1],
        "\"",
        "the comment is not quoted already"
    );
    target.insert(at, '"');
    let path = dir.join("survey-2026-Q3.csv");
    std::fs::write(&path, format!("{header}{}", body.concat())).unwrap();
    path
}

/// Promise: a CSV download cut off in the middle of a row is refused, as a
/// cut-off workbook is, never read as a shorter survey. Cut at a line break
/// it cannot be told from a whole file, and a file saved without a final
/// line break (Google Sheets does that) is read as before.
#[test]
fn a_csv_cut_off_in_the_middle_of_a_row_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let lines = sample_lines();
    let whole: String = lines[..101].concat();
    // Row 101 cut after its fifth cell: the ID, dates, e-mail and name are never quoted.
    let row_start = lines[..100].concat().len();
    let fifth = whole[row_start..].match_indices(',').nth(4).unwrap().0;
    let cut = dir.path().join("cut-2026-Q3.csv");
    std::fs::write(&cut, &whole[..row_start + fifth + 1]).unwrap();
    for command in ["check", "report"] {
        let mut run = makeitstick();
        run.arg(command).arg(&cut);
        if command == "report" {
            run.arg("-o").arg(dir.path().join("cut.pdf"));
        }
        let (output, stderr) = crate::common::run(&mut run);
        assert_eq!(output.status.code(), Some(1), "{command}: {stderr}");
        assert!(
            stderr.contains("it ends in the middle of row 101 (6 of")
                && stderr.contains("as if the download or copy was cut off")
                && stderr.contains("download or copy the export again"),
            "{command}: {stderr}"
        );
    }
    assert!(!dir.path().join("cut.pdf").exists());

    // Whole rows without a final line break: read, all 100 of them.
    let unended = dir.path().join("unended-2026-Q3.csv");
    std::fs::write(&unended, whole.trim_end()).unwrap();
    let (output, stderr) = crate::common::run(makeitstick().arg("check").arg(&unended));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        !stderr.contains("cut off") && !stdout.contains("cut off"),
        "{stderr}{stdout}"
    );
    assert!(
        stdout.contains("100 rows read") || stdout.contains("100 read"),
        "{stdout}"
    );
}

/// Promise: a stray quote that a later quote closes never swallows rows
/// silently. Before, `check` said "130 read" of 147 and `report` exited 0.
#[test]
fn a_stray_quote_that_swallows_rows_is_an_error_naming_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let export = with_stray_quote(dir.path(), 61, 1);
    let expected = "row 61, column AO: a cell starts with a quote mark";
    let (output, stderr) = run(makeitstick().arg("check").arg(&export));
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    assert!(stderr.contains("survey-2026-Q3.csv"), "{stderr}");
    assert!(
        stderr.contains("16 of them shaped like whole rows"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: open the file in a text editor"),
        "{stderr}"
    );

    let pdf = dir.path().join("report.pdf");
    let typst_dir = tempfile::tempdir().unwrap();
    let typst = fake_typst(typst_dir.path(), "0.15.1", "exit 1");
    let (output, stderr) = run(makeitstick()
        .arg("report")
        .arg(&export)
        .arg("-o")
        .arg(&pdf)
        .arg("--typst")
        .arg(&typst));
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    assert!(!pdf.exists());
}

/// Promise: the streaming reader finds a swallowing quote far past the part
/// of the file it decides the encoding from, naming the same row.
#[test]
fn a_stray_quote_deep_in_a_long_export_is_found_while_streaming() {
    let dir = tempfile::tempdir().unwrap();
    // About 3 MB: the quote opens well past the first mebibyte.
    let export = with_stray_quote(dir.path(), 147 * 30 + 61, 40);
    assert!(std::fs::metadata(&export).unwrap().len() > 2 << 20);
    let typst_dir = tempfile::tempdir().unwrap();
    let typst = fake_typst(typst_dir.path(), "0.15.1", "exit 1");
    let (output, stderr) = run(makeitstick()
        .arg("report")
        .arg(&export)
        .arg("-o")
        .arg(dir.path().join("report.pdf"))
        .arg("--typst")
        .arg(&typst));
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("row {}, column AO", 147 * 30 + 61)),
        "{stderr}"
    );
}

/// Promise: a comment written in paragraphs, commas and all, is one cell and
/// no error: only lines shaped like whole rows give a stray quote away.
#[test]
fn a_comment_in_paragraphs_is_read_as_one_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = sample_lines();
    let target = &mut lines[60];
    let at = target.rfind(',').unwrap() + 1;
    target.truncate(at);
    target.push_str(
        "\"What worked, for me:\n\n- the worker, the visits, the phone calls, the trips\n\
         - being asked, and listened to\n\nThanks, all of you.\"\n",
    );
    let export = dir.path().join("paragraphs.csv");
    std::fs::write(&export, lines.concat()).unwrap();
    let (output, stderr) = run(makeitstick().arg("check").arg(&export));
    assert!(output.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("147 read"), "{stdout}");
}

// ---------------------------------------------------------------------------
// Item 18: memory stays bounded for any input that is refused.

/// The most memory a run may take to refuse an input (peak resident set).
const REFUSAL_MEMORY_KB: u64 = 200_000;

/// How a run ended, its messages, and its peak resident memory.
struct Measured {
    code: Option<i32>,
    stderr: String,
    peak_kb: u64,
    elapsed: std::time::Duration,
}

impl Measured {
    /// Refused: exit 1, an `error:` naming `file` and saying `what`, a hint,
    /// within [`REFUSAL_MEMORY_KB`] and ten seconds.
    fn assert_refused(&self, file: &Path, what: &str) {
        let name = file.file_name().unwrap().to_string_lossy();
        assert_eq!(self.code, Some(1), "{}", self.stderr);
        assert!(self.stderr.starts_with("error: "), "{}", self.stderr);
        assert!(self.stderr.contains(name.as_ref()), "{}", self.stderr);
        assert!(self.stderr.contains(what), "{}", self.stderr);
        assert!(self.stderr.contains("hint: "), "{}", self.stderr);
        assert!(
            self.peak_kb < REFUSAL_MEMORY_KB,
            "{name}: refused at a peak of {} MB",
            self.peak_kb / 1000
        );
        assert!(self.elapsed.as_secs() < 10, "{name}: {:?}", self.elapsed);
    }
}

/// Runs `command` and measures the child's peak resident memory; kills it
/// after a minute.
///
/// The peak is the kernel's high-water mark of the child's own memory
/// (`VmHWM` in `/proc/PID/status`), read every 2 ms while it runs: it misses
/// only growth in the last 2 ms before exit. `wait4`'s `ru_maxrss` would be
/// exact at exit, but Linux counts in it the memory of the test process the
/// child was spawned from, which other tests here make hundreds of megabytes.
fn measured(command: &mut std::process::Command) -> Measured {
    use std::io::Read;
    use std::process::Stdio;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    let started = std::time::Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut pipe = child.stderr.take().unwrap();
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        pipe.read_to_string(&mut text).ok();
        text
    });
    let pid = child.id();
    let done = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicU64::new(0));
    let watcher = {
        let (done, peak) = (Arc::clone(&done), Arc::clone(&peak));
        std::thread::spawn(move || {
            let status = format!("/proc/{pid}/status");
            while !done.load(Ordering::SeqCst) {
                if let Some(kb) = std::fs::read_to_string(&status).ok().and_then(|s| {
                    s.lines()
                        .find(|l| l.starts_with("VmHWM:"))
                        .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                }) {
                    peak.fetch_max(kb, Ordering::SeqCst);
                }
                if started.elapsed().as_secs() >= 60 {
                    // SAFETY: the child is not reaped until `done` is set.
                    unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
                }
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        })
    };
    let status = child.wait().unwrap();
    done.store(true, Ordering::SeqCst);
    watcher.join().unwrap();
    Measured {
        code: status.code(),
        stderr: stderr.join().unwrap(),
        peak_kb: peak.load(Ordering::SeqCst),
        elapsed: started.elapsed(),
    }
}

/// `check FILE` and `report FILE` (with a stand-in typst, never reached):
/// the in-memory and the streaming reader.
fn check_and_report(file: &Path) -> [Measured; 2] {
    let dir = tempfile::tempdir().unwrap();
    let typst = fake_typst(dir.path(), "0.15.1", "exit 1");
    let pdf = dir.path().join("report.pdf");
    let report = measured(
        makeitstick()
            .arg("report")
            .arg(file)
            .arg("-o")
            .arg(&pdf)
            .arg("--typst")
            .arg(&typst),
    );
    assert!(!pdf.exists());
    [measured(makeitstick().arg("check").arg(file)), report]
}

/// Promise: a header row of millions of columns is refused at column 16,385,
/// within bounded memory. Before: a 5 MB row of `a,` took 626 MB, 50 MB took 6 GB.
#[test]
fn a_header_of_millions_of_columns_is_refused_within_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    for megabytes in [5, 50] {
        let export = dir.path().join(format!("header-{megabytes}mb.csv"));
        let mut text = "a,".repeat(megabytes << 19);
        text.push_str("\n1,2\n");
        std::fs::write(&export, text).unwrap();
        for run in check_and_report(&export) {
            run.assert_refused(&export, "row 1 has more than 16384 cells");
        }
    }
}

/// Promise: 1,000,000 columns by 147 rows is refused within bounded memory.
/// Before: 3.9 GB.
#[test]
fn a_million_columns_by_147_rows_is_refused_within_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("wide.csv");
    let mut text = String::with_capacity(148 << 20);
    for column in 0..1_000_000 {
        text.push_str(&format!("Q{column},"));
    }
    text.push('\n');
    for row in 0..147 {
        text.push_str(&",".repeat(999_999));
        text.push_str(&format!("{row}\n"));
    }
    std::fs::write(&export, text).unwrap();
    for run in check_and_report(&export) {
        run.assert_refused(&export, "row 1 has more than 16384 cells");
    }
}

/// Promise: 16,384 columns, Excel's limit, are still read.
#[test]
fn an_export_as_wide_as_excel_allows_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = sample_lines();
    let width = lines[0].trim_end().split(',').count();
    let extra = makeitstick::ingest::MAX_COLUMNS - sample_width();
    for (i, line) in lines.iter_mut().enumerate() {
        let end = line.trim_end_matches(['\r', '\n']).len();
        let cells: String = (0..extra)
            .map(|c| {
                if i == 0 {
                    format!(",Extra {c}")
                } else {
                    ",x".into()
                }
            })
            .collect();
        line.insert_str(end, &cells);
    }
    assert!(width > 0);
    let export = dir.path().join("excel-wide.csv");
    std::fs::write(&export, lines.concat()).unwrap();
    let (output, stderr) = run(makeitstick().arg("check").arg(&export));
    assert!(output.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("147 read"),
        "{}",
        &stdout[..2000.min(stdout.len())]
    );
    // One more column is refused.
    let mut lines = std::fs::read_to_string(&export).unwrap();
    let first_end = lines.find('\n').unwrap();
    lines.insert_str(first_end, ",One too many");
    std::fs::write(&export, lines).unwrap();
    let (output, stderr) = run(makeitstick().arg("check").arg(&export));
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("row 1 has more than 16384 cells"),
        "{stderr}"
    );
}

/// The number of columns of the sample export.
fn sample_width() -> usize {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(sample_csv())
        .unwrap()
        .records()
        .next()
        .unwrap()
        .unwrap()
        .len()
}

/// Promise: a row longer than 16 MB (one enormous line) is refused as it
/// streams past, within bounded memory.
#[test]
fn a_line_longer_than_any_response_is_refused_within_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("one-line.csv");
    let mut text = std::fs::read_to_string(fixture("tiny/export.csv")).unwrap();
    text.push_str(&"a".repeat(40 << 20));
    std::fs::write(&export, text).unwrap();
    for run in check_and_report(&export) {
        run.assert_refused(&export, "is longer than 16 MB");
    }
}

/// A sparse file of `size` bytes starting with `start`: gigabytes of zeros
/// that take no disk.
fn sparse(path: &Path, start: &[u8], size: u64) {
    std::fs::write(path, start).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_len(size)
        .unwrap();
}

/// Promise: a file's signature is checked from its first bytes, before it is
/// read. Before: a 4 GB file of zeros named .xlsx was read whole (4.2 GB).
#[test]
fn four_gigabytes_of_garbage_are_refused_from_their_first_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let four_gb = 4 << 30;
    for (name, start, what) in [
        ("zeros.xlsx", &b""[..], "it is not a workbook"),
        ("zeros.csv", &b""[..], "is not a text export"),
        ("zeros.xls", &b""[..], "it is not a workbook"),
        // A zip signature and gigabytes behind it.
        (
            "huge.xlsx",
            &b"PK\x03\x04"[..],
            "makeitstick reads workbooks of up to 128 MB",
        ),
        // An OLE signature and gigabytes behind it: larger than any workbook read.
        (
            "huge.xls",
            &b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"[..],
            "makeitstick reads workbooks of up to 128 MB",
        ),
        // Text, then zeros.
        (
            "text-then-zeros.csv",
            &b"a,b\n1,2\n"[..],
            "is not a text export",
        ),
    ] {
        let export = dir.path().join(name);
        sparse(&export, start, four_gb);
        for run in check_and_report(&export) {
            run.assert_refused(&export, what);
        }
    }
}

/// Promise: a zipped workbook cut off before its end is found from its last
/// 64 KiB, without reading the rest.
#[test]
fn a_workbook_cut_off_is_refused_from_its_end() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("cut.xlsx");
    sparse(&export, b"PK\x03\x04", 120 << 20);
    for run in check_and_report(&export) {
        run.assert_refused(&export, "it is incomplete");
        assert!(run.peak_kb < 60_000, "{} MB", run.peak_kb / 1000);
    }
}

// ---------------------------------------------------------------------------
// Item 16: text that cannot be typeset never stops the report.

/// Characters that are not text: controls (C0, DEL, C1) and noncharacters.
const UNPRINTABLE: &[char] = &[
    '\u{0}', '\u{1}', '\u{7}', '\u{1b}', '\u{7f}', '\u{9f}', '\u{FFFF}',
];

/// Runs `report` with a stand-in typst that keeps the data.json it is given
/// (in `dir`) and fails; gives that data.json.
fn data_json_of(dir: &Path, args: &[&std::ffi::OsStr]) -> String {
    let kept = dir.join("kept-data.json");
    let typst = fake_typst(
        dir,
        "0.15.1",
        &format!(
            "for a in \"$@\"; do [ -f \"$a/data.json\" ] && cp \"$a/data.json\" '{}'; done; exit 1",
            kept.display()
        ),
    );
    let (_, stderr) = run(makeitstick()
        .arg("report")
        .args(args)
        .arg("-o")
        .arg(dir.join("report.pdf"))
        .arg("--typst")
        .arg(&typst));
    std::fs::read_to_string(&kept)
        .unwrap_or_else(|_| panic!("no data.json reached typst:\n{stderr}"))
}

/// Promise: control characters in a cell or a name are dropped as they come
/// in, so none reaches typst (where PDF/UA refuses them and the report
/// stopped with "report this as a bug").
#[test]
fn control_characters_in_cells_and_names_are_dropped_at_the_door() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = sample_lines();
    // A comment (row 2, last cell) with every kind of unprintable character.
    let target = &mut lines[1];
    let at = target.rfind(',').unwrap() + 1;
    target.truncate(at);
    target.push_str("Great\u{1} project\u{7}\u{1b}[31m\u{FFFF} thanks\u{9f}\n");
    let export = dir.path().join("controls.csv");
    std::fs::write(&export, lines.concat()).unwrap();
    let table = read_export(&export, &Default::default()).unwrap();
    let comment = table.rows[0].cells.last().unwrap();
    assert_eq!(comment.as_str(), "Great project[31m thanks");
    let mut stream = makeitstick::ingest::stream(&export, &Default::default()).unwrap();
    let row = stream.next_row().unwrap().unwrap();
    assert_eq!(row.cells.last().unwrap(), "Great project[31m thanks");

    let organisation = "Nor\u{7}th\u{1b}shire\u{FFFF} Council\u{1}";
    let data = data_json_of(
        dir.path(),
        &[
            export.as_os_str(),
            "--include-comments".as_ref(),
            "--organisation".as_ref(),
            organisation.as_ref(),
            "--innovation".as_ref(),
            "Staying\u{9f} Close".as_ref(),
        ],
    );
    assert!(data.contains("\"Northshire Council\""), "{}", &data[..500]);
    assert!(data.contains("\"Staying Close\""));
    let value: serde_json::Value = serde_json::from_str(&data).unwrap();
    fn strings(value: &serde_json::Value, found: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) => found.push(s.clone()),
            serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, found)),
            serde_json::Value::Object(fields) => fields.values().for_each(|v| strings(v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    strings(&value, &mut found);
    for text in found {
        assert!(
            !text.chars().any(|c| UNPRINTABLE.contains(&c)),
            "{text:?} reached typst"
        );
    }
}

/// Promise: an instrument text with a control character, or a blank name,
/// is refused naming its key. Before: "failed to parse SVG" from typst for a
/// U+0000 in a name, "heading title is empty" for an empty ingredient name.
#[test]
fn instrument_texts_with_control_characters_or_blank_names_are_refused_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates/instrument.toml"),
    )
    .unwrap();
    let ingredients = original.find("[[ingredients]]").unwrap();
    let first_name = original[ingredients..]
        .lines()
        .find(|l| l.starts_with("name = "))
        .unwrap()
        .to_string();
    for (replacement, expected) in [
        (
            "name = \"Receptive\\u0000context\"",
            "ingredients[id \"context\"].name: holds the character U+0000",
        ),
        (
            "name = \"Receptive\\u001bcontext\"",
            "ingredients[id \"context\"].name: holds the character U+001B",
        ),
        ("name = \"\"", "ingredients[id \"context\"].name: is empty"),
        (
            "name = \"   \"",
            "ingredients[id \"context\"].name: is empty",
        ),
    ] {
        let instrument = dir.path().join("instrument.toml");
        let (head, tail) = original.split_at(ingredients);
        let edited = format!("{head}{}", tail.replacen(&first_name, replacement, 1));
        std::fs::write(&instrument, edited).unwrap();
        let (output, stderr) = run(makeitstick()
            .arg("check")
            .arg(sample_csv())
            .arg("--instrument")
            .arg(&instrument));
        assert_eq!(output.status.code(), Some(1), "{replacement}: {stderr}");
        assert!(stderr.contains("instrument.toml"), "{stderr}");
        assert!(stderr.contains(expected), "{replacement}: {stderr}");
        assert!(stderr.contains("hint: "), "{stderr}");
    }
}
