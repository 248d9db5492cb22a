//! Helpers shared by the integration tests (a programme folder's in
//! [`programme`]).

pub mod programme;

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

/// The binary under test.
pub fn makeitstick() -> Command {
    Command::new(env!("CARGO_BIN_EXE_makeitstick"))
}

/// A file in `tests/fixtures/`.
pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// A file in `sample-data/`.
pub fn sample(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-data")
        .join(path)
}

/// The sample Microsoft Forms export.
pub fn sample_xlsx() -> PathBuf {
    sample("northshire-staying-close-2026-q3.xlsx")
}

/// The same sample data as CSV.
pub fn sample_csv() -> PathBuf {
    sample("northshire-staying-close-2026-q3.csv")
}

/// Runs a command (through [`bounded_with`]) and returns its output, with
/// stderr as text for messages.
pub fn run(command: &mut Command) -> (Output, String) {
    let outcome = bounded_with(command);
    (outcome.output, outcome.stderr)
}

/// A guard against hangs and runaway work, not a speed target (speed is measured by
/// `cargo bench`): a debug build reading ten megabytes takes a few seconds alone, but close
/// to a minute when both cores are busy with the rest of the suite, so the bound is generous.
pub(crate) const LIMIT: Duration = Duration::from_secs(240);

/// The most memory one run may hold (peak resident set).
pub(crate) const MEMORY_LIMIT_KB: u64 = 1_000_000;

/// What a run did.
pub(crate) struct Outcome {
    /// The exit status and the bytes written, as [`Command::output`] gives them.
    pub(crate) output: Output,
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) elapsed: Duration,
    /// Peak resident memory, from /proc while it ran.
    pub(crate) peak_kb: u64,
}

impl Outcome {
    /// A clear failure: exit 1, `error:` naming `file`, a hint, no panic.
    pub(crate) fn assert_clear_error(&self, file: &Path) {
        let name = file.file_name().unwrap().to_string_lossy();
        assert_eq!(self.code, Some(1), "expected exit 1:\n{}", self.stderr);
        assert!(self.stderr.starts_with("error: "), "{}", self.stderr);
        assert!(
            self.stderr.contains(name.as_ref()),
            "the message does not name {name}:\n{}",
            self.stderr
        );
        assert!(self.stderr.contains("hint: "), "{}", self.stderr);
        self.assert_bounded();
    }

    /// Success within the limits.
    pub(crate) fn assert_success(&self) {
        assert_eq!(self.code, Some(0), "expected success:\n{}", self.stderr);
        self.assert_bounded();
    }

    /// Success or a clear error naming `file`: either is a fine answer to some inputs.
    pub(crate) fn assert_success_or_clear_error(&self, file: &Path) {
        if self.code == Some(0) {
            self.assert_success();
        } else {
            self.assert_clear_error(file);
        }
    }

    pub(crate) fn assert_bounded(&self) {
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        assert!(self.elapsed < LIMIT);
        assert!(
            self.peak_kb < MEMORY_LIMIT_KB,
            "peak memory {} MB",
            self.peak_kb / 1000
        );
        // A message names a cell by its start, however long the cell.
        assert!(
            self.stderr.len() < 20_000,
            "{} bytes of messages",
            self.stderr.len()
        );
    }
}

/// Runs makeitstick with `args` (see [`bounded_with`]).
pub(crate) fn bounded<I, S>(args: I) -> Outcome
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    bounded_with(makeitstick().args(args))
}

/// Runs `command` with no input, killing it after [`LIMIT`], and watches its
/// memory: the one way the tests run a process.
pub(crate) fn bounded_with(command: &mut Command) -> Outcome {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).ok();
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0;
    let status = loop {
        // VmHWM is the high-water mark, so polling misses at most the last few milliseconds.
        if let Some(kb) = std::fs::read_to_string(&status_file).ok().and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        }) {
            peak_kb = peak_kb.max(kb);
        }
        if let Some(status) = child.wait_timeout(Duration::from_millis(20)).unwrap() {
            break status;
        }
        if started.elapsed() > LIMIT {
            child.kill().ok();
            child.wait().ok();
            panic!(
                "makeitstick did not finish within {} s: {:?}",
                LIMIT.as_secs(),
                command
            );
        }
    };
    let output = Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    Outcome {
        code: status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        output,
        elapsed: started.elapsed(),
        peak_kb,
    }
}

/// Writes an executable shell script standing in for typst: it answers
/// `--version` with `version`, records its arguments to `args.txt` beside it,
/// and runs `body` for `compile`.
pub fn fake_typst(dir: &Path, version: &str, body: &str) -> PathBuf {
    let path = dir.join("typst");
    let script = format!(
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'typst {version} (fake)'; exit 0; fi\n\
         printf '%s\\n' \"$@\" > '{}'\n{body}\n",
        dir.join("args.txt").display()
    );
    std::fs::write(&path, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// The text of a PDF, read back with pdftotext (layout kept, so table rows stay on one line).
pub fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is installed (scripts/ensure-tools.sh --test-tools installs it)");
    assert!(
        output.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Text with its line breaks and runs of spaces as single spaces, so phrases
/// can be found across lines.
pub fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Asserts that `text`, flattened ([`flat`]), says each of `words`.
pub fn assert_says(text: &str, words: &[&str]) {
    let flowing = flat(text);
    for words in words {
        assert!(flowing.contains(words), "missing {words:?} in:\n{text}");
    }
}

/// Typesets the build folder `folder` (its main file `main`) into `pdf` with
/// the real typst, as a report does: its fonts only and a fixed creation
/// date. Set `MAKEITSTICK_KEEP_PDF` to a path to keep the PDF there.
pub fn typeset(folder: &Path, main: &str, pdf: &Path) {
    makeitstick::report::typst::Typst::find(None)
        .expect("typst 0.15.1 is installed")
        .compile(&makeitstick::report::typst::CompileJob {
            root: folder,
            main: &folder.join(main),
            fonts: &folder.join("fonts"),
            output: pdf,
            creation_timestamp: 1_790_000_000,
            timeout: Duration::from_secs(300),
        })
        .unwrap();
    if let Ok(keep) = std::env::var("MAKEITSTICK_KEEP_PDF") {
        std::fs::copy(pdf, keep).unwrap();
    }
}

/// Every file under `dir`, sorted.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files(&path));
        } else {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// `makeitstick report` in `dir` with `extra` arguments (a project or
/// programme folder's run), through [`run`].
pub fn report_in(dir: &Path, extra: &[&str]) -> (Output, String) {
    run(makeitstick().arg("report").args(extra).current_dir(dir))
}

/// The text inside every Flate stream of a PDF, as far as it inflates.
pub fn inflated_streams(pdf: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(offset) = pdf[at..].windows(6).position(|w| w == b"stream") {
        let mut start = at + offset + 6;
        while start < pdf.len() && (pdf[start] == b'\r' || pdf[start] == b'\n') {
            start += 1;
        }
        let mut decoder = flate2::read::ZlibDecoder::new(&pdf[start..]);
        let mut inflated = Vec::new();
        std::io::Read::read_to_end(&mut decoder, &mut inflated).ok();
        out.extend(inflated);
        at = start;
    }
    out
}

/// An export read to its end by the one streaming reader, for tests that look
/// at every kept row: the reader's summary (what `ExportSummary` says, through
/// `Deref`) and the rows, each completion date read in the column's decided order.
#[derive(Debug)]
pub struct ReadExport {
    pub summary: makeitstick::ingest::ExportSummary,
    pub rows: Vec<makeitstick::ingest::Row>,
}

impl std::ops::Deref for ReadExport {
    type Target = makeitstick::ingest::ExportSummary;

    fn deref(&self) -> &Self::Target {
        &self.summary
    }
}

impl ReadExport {
    /// The headers of the dropped identity columns, in file order.
    pub fn dropped_headers(&self) -> Vec<&str> {
        self.summary
            .dropped_identity
            .iter()
            .map(|c| c.header.as_str())
            .collect()
    }
}

/// Reads every kept row of an export (see [`ReadExport`]).
pub fn read_export(
    path: &Path,
    options: &makeitstick::ingest::ReadOptions,
) -> Result<ReadExport, makeitstick::ingest::IngestError> {
    read_rows(makeitstick::ingest::stream(path, options)?)
}

/// Reads every kept row of an open stream (see [`ReadExport`]).
pub fn read_rows(
    mut stream: makeitstick::ingest::RowStream,
) -> Result<ReadExport, makeitstick::ingest::IngestError> {
    let mut rows = Vec::new();
    while let Some(row) = stream.next_row()? {
        rows.push(row);
    }
    let summary = stream.finish();
    // Every row read, the column's order is known: each date is read in it.
    if let Ok(order) = summary.date_order() {
        for row in &mut rows {
            row.completed = row.completed.and_then(|stamp| stamp.resolved(order));
        }
    }
    Ok(ReadExport { summary, rows })
}

/// An export's answers as `report` maps them, with every respondent kept
/// (`report` tallies each and forgets it): what `Responses` says, through
/// `Deref`, and the respondents.
#[derive(Debug)]
pub struct Mapped {
    pub responses: makeitstick::instrument::Responses,
    pub respondents: Vec<makeitstick::instrument::Respondent>,
}

impl std::ops::Deref for Mapped {
    type Target = makeitstick::instrument::Responses;

    fn deref(&self) -> &Self::Target {
        &self.responses
    }
}

/// Maps every row of `export`; an error as `report` gives it, answers that
/// do not fit included.
pub fn map_export(
    export: &ReadExport,
    instrument: &makeitstick::instrument::Instrument,
    options: &makeitstick::instrument::MapOptions,
) -> Result<Mapped, makeitstick::instrument::MapError> {
    use makeitstick::instrument::{Respondent, RowMapper};
    let mut mapper = RowMapper::new(&export.summary, instrument, options)?;
    let mut respondents = Vec::new();
    for row in &export.rows {
        let mut respondent = Respondent::default();
        if mapper.map(row, &mut respondent) {
            respondents.push(respondent);
        }
    }
    let responses = mapper
        .finish(export.rows_read, export.excluded.clone())
        .into_result()?;
    Ok(Mapped {
        responses,
        respondents,
    })
}

/// A report built by the binary: the PDF, its text, the scores JSON and the build folder.
pub struct Built {
    /// The PDF.
    pub pdf: PathBuf,
    /// Its text, read back with pdftotext.
    pub text: String,
    /// The `--scores` JSON.
    pub scores: serde_json::Value,
    /// The `--keep-build` folder.
    pub build: PathBuf,
}

impl Built {
    /// The text as one line, with hyphenated line ends joined, for sentences that wrap.
    pub fn flowing(&self) -> String {
        self.text
            .replace("-\n", "-")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The text's lines with runs of spaces made single, for table rows.
    pub fn rows(&self) -> Vec<String> {
        self.text
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    /// The ingredients in the scores JSON.
    pub fn ingredients(&self) -> &Vec<serde_json::Value> {
        self.scores["ingredients"].as_array().unwrap()
    }

    /// An ingredient's name, from its id.
    pub fn ingredient_name(&self, id: &str) -> String {
        self.ingredients().iter().find(|i| i["id"] == id).unwrap()["name"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

/// Builds a report from `export` into `dir` with the real typst: `<name>.pdf`,
/// `<name>.json` (the scores) and `<name>-build` (the build folder), and reads
/// it back. Set `MAKEITSTICK_KEEP_REPORTS` to a folder to keep each PDF there.
pub fn build_report(dir: &Path, name: &str, export: &Path, extra: &[&str]) -> Built {
    let pdf = dir.join(format!("{name}.pdf"));
    let scores = dir.join(format!("{name}.json"));
    let build = dir.join(format!("{name}-build"));
    let (output, stderr) = run(makeitstick()
        .current_dir(dir)
        .arg("report")
        .arg(export)
        .arg("-o")
        .arg(&pdf)
        .arg("--scores")
        .arg(&scores)
        .arg("--keep-build")
        .arg(&build)
        .args(extra));
    assert!(output.status.success(), "report failed:\n{stderr}");
    if let Ok(keep) = std::env::var("MAKEITSTICK_KEEP_REPORTS") {
        std::fs::copy(&pdf, Path::new(&keep).join(format!("{name}.pdf"))).unwrap();
    }
    Built {
        text: pdf_text(&pdf),
        scores: serde_json::from_str(&std::fs::read_to_string(&scores).unwrap()).unwrap(),
        pdf,
        build,
    }
}

/// A respondent's 0-100 score per ingredient (`None` where they answered too
/// few statements), worked out from the method's rules (`score`'s module
/// docs) in floating point, apart from the reading path's exact tally: an
/// independent check for the property tests.
pub fn respondent_scores(
    answers: &[makeitstick::instrument::Answer],
    instrument: &makeitstick::instrument::Instrument,
) -> Vec<Option<f64>> {
    use makeitstick::instrument::Answer;
    let share = instrument.scoring.min_share_answered;
    let mut offset = 0;
    instrument
        .ingredients
        .iter()
        .map(|ingredient| {
            let total = ingredient.statements.len();
            let values: Vec<f64> = ingredient
                .statements
                .iter()
                .zip(&answers[offset..offset + total])
                .filter_map(|(statement, answer)| match answer {
                    Answer::Point(v) => {
                        let score = instrument.scale_of(statement).score(*v);
                        Some(if statement.reverse {
                            100.0 - score
                        } else {
                            score
                        })
                    }
                    _ => None,
                })
                .collect();
            offset += total;
            // A small tolerance so that 0.5 * 6 = 3 answered counts as half.
            if values.is_empty() || (values.len() as f64) < share * total as f64 - 1e-9 {
                return None;
            }
            Some(values.iter().sum::<f64>() / values.len() as f64)
        })
        .collect()
}

#[test]
fn assert_says_finds_words_across_line_breaks_and_runs_of_spaces() {
    assert_says(
        "How you\n   compare: your\tscores",
        &["you compare: your scores"],
    );
}

#[test]
#[should_panic(expected = "missing \"you compared\"")]
fn assert_says_fails_on_words_the_text_does_not_say() {
    assert_says("How you compare", &["How you", "you compared"]);
}
