//! `cargo bench`: wall time and peak memory of each stage of a report, for
//! exports of 200 to 1,048,575 respondents, beside the peer (an analyst's
//! pandas + matplotlib script), with the targets of issues 7 and 15.
//!
//! The peer: `MAKEITSTICK_PEER=DIR` names the folder holding `peer_report.py`,
//! `gen_export.py`, `instrument.json` and `instrument.toml` (they are not
//! ours to ship, so they are found, never copied), and
//! `MAKEITSTICK_PEER_PYTHON` the Python with its pinned packages (default
//! `python3`). When either is missing, or the Python lacks pandas, matplotlib
//! or python_calamine, the peer is skipped with a note, and the exports come
//! from our own generator.
//!
//! Exports are generated once into `target/bench-data` (`peer/` for the
//! peer's): with the peer, by its `gen_export.py` (deterministic for a seed;
//! Microsoft Forms .xlsx with shared strings, and .csv), read by us with its
//! `instrument.toml`; without it, by a seeded RNG in the Microsoft Forms layout
//! of `examples/sample_data.rs` (identity columns, the group question, 33
//! statements, a comment; .xlsx in rust_xlsxwriter's constant-memory mode),
//! read with the built-in questionnaire. 200, 10,000 and 100,000 respondents
//! as .xlsx and .csv, 1,000,000 as .csv, and 1,048,575 (Excel's largest
//! sheet) as .xlsx, ours only and always from our generator (the peer's
//! takes most of an hour for it). Delete the folder to generate them again.
//!
//! Every measurement runs in a fresh child process (this program, run again
//! with `MAKEITSTICK_BENCH_CHILD` set), so that one input's memory never
//! shows in another's peak. Peak memory is the process's VmHWM from
//! /proc/self/status, reset between stages by writing `5` to
//! /proc/self/clear_refs. Reading, mapping and scoring are one pass over the
//! rows (a CSV export is never held whole), so they are measured by running
//! prefixes of the pass: read only; read and map; read, map and score; a
//! stage's time is the difference between two prefixes, and its peak is the
//! peak of the longer prefix. Charts and typesetting follow on the scores.
//!
//! In the same run, taking turns with ours: the real command line end to end
//! (`makeitstick report EXPORT --output FILE`, wall time, and the peak of the
//! largest process, ours or typst), the peer with pandas' default reader and
//! (.xlsx) with `--engine calamine` (wall time, peak of the Python process),
//! typst alone compiling the same build folder, and the plain read: every cell
//! walked by calamine's cell reader (.xlsx) or every record iterated by the
//! csv crate (.csv). Each figure is the median of 1 to 9 runs.
//!
//! Options (environment): `MAKEITSTICK_BENCH_MAX=N` leaves out inputs of more
//! than N respondents, for a quick run.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail, ensure};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use makeitstick::ingest::{self, ReadOptions};

#[path = "../examples/forms/mod.rs"]
mod forms;
use forms::{csv_datetime, standard_normal};
use makeitstick::instrument::{Instrument, MapOptions, Respondent, RowMapper};
use makeitstick::report::{self, ReportData};
use makeitstick::score::{self, tally::Tally};

/// The environment variable that makes this program a measuring child.
const CHILD: &str = "MAKEITSTICK_BENCH_CHILD";
const SEED: u64 = 7;

/// Excel's largest sheet less its header row: the most respondents an .xlsx holds.
const EXCEL_ROWS: usize = 1_048_575;

/// The inputs: respondents and format.
const INPUTS: &[(usize, Format)] = &[
    (200, Format::Csv),
    (200, Format::Xlsx),
    (10_000, Format::Csv),
    (10_000, Format::Xlsx),
    (100_000, Format::Csv),
    (100_000, Format::Xlsx),
    (1_000_000, Format::Csv),
    (EXCEL_ROWS, Format::Xlsx),
];

/// The peer takes minutes on Excel's largest sheet: it runs up to this size.
const PEER_MAX: usize = 1_000_000;

/// The peer's script and the Python to run it, when both are present.
#[derive(Clone)]
struct Peer {
    dir: PathBuf,
    python: PathBuf,
}

impl Peer {
    /// The peer named by `MAKEITSTICK_PEER`, or why it is skipped.
    fn find() -> std::result::Result<Peer, String> {
        let dir = std::env::var_os("MAKEITSTICK_PEER")
            .map(PathBuf::from)
            .ok_or("MAKEITSTICK_PEER is not set (the folder of peer_report.py)")?;
        for file in [
            "peer_report.py",
            "gen_export.py",
            "instrument.json",
            "instrument.toml",
        ] {
            if !dir.join(file).is_file() {
                return Err(format!("{} has no {file}", dir.display()));
            }
        }
        let python = std::env::var_os("MAKEITSTICK_PEER_PYTHON")
            .map_or_else(|| PathBuf::from("python3"), PathBuf::from);
        let imports = Command::new(&python)
            .args(["-c", "import pandas, matplotlib, python_calamine"])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("{} cannot be run ({e})", python.display()))?;
        if !imports.status.success() {
            return Err(format!(
                "{} lacks pandas, matplotlib or python_calamine (pip install -r {}/requirements.txt, and set MAKEITSTICK_PEER_PYTHON)",
                python.display(),
                dir.display()
            ));
        }
        Ok(Peer { dir, python })
    }

    /// Writes the peer's export of `n` respondents with its generator.
    fn generate(&self, path: &Path, n: usize, format: Format) -> Result<()> {
        let temp = path.with_extension(format!("part.{}", format.extension()));
        let kind = match format {
            Format::Csv => "csv",
            Format::Xlsx => "msforms-xlsx",
        };
        let status = Command::new(&self.python)
            .arg(self.dir.join("gen_export.py"))
            .args(["--n", &n.to_string(), "--format", kind, "--out"])
            .arg(&temp)
            .stdout(Stdio::null())
            .status()?;
        ensure!(status.success(), "gen_export.py failed for {n} {kind}");
        fs::rename(&temp, path)?;
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Csv,
    Xlsx,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

fn main() -> Result<()> {
    if let Ok(job) = std::env::var(CHILD) {
        return child(&job);
    }
    // `cargo test --all-targets` also runs this binary, without `--bench`: the
    // benchmark takes minutes and gigabytes of disk, so it runs only under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!("pipeline benchmark: run it with `cargo bench`");
        return Ok(());
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let max: usize = std::env::var("MAKEITSTICK_BENCH_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    let peer = match Peer::find() {
        Ok(peer) => Some(peer),
        Err(why) => {
            eprintln!("the peer is skipped: {why}");
            None
        }
    };
    let data = root.join("target/bench-data");
    let peer_data = data.join("peer");
    fs::create_dir_all(&peer_data)?;
    let peer_questionnaire = peer.as_ref().map(|p| p.dir.join("instrument.toml"));
    let built_in = Instrument::load(None)?;

    let mut results = Vec::new();
    for &(n, format) in INPUTS.iter().filter(|(n, _)| *n <= max) {
        // The peer's exports up to the sizes it runs on; ours beyond (its
        // generator takes most of an hour for Excel's largest sheet).
        let with_peer = peer.as_ref().filter(|_| n <= PEER_MAX);
        let (path, questionnaire) = match with_peer {
            Some(_) => (
                peer_data.join(format!("survey-{n}.{}", format.extension())),
                peer_questionnaire.clone(),
            ),
            None => (data.join(format!("bench-{n}.{}", format.extension())), None),
        };
        if !path.exists() {
            eprint!("generating {} ... ", path.display());
            let started = Instant::now();
            match with_peer {
                Some(peer) => peer.generate(&path, n, format)?,
                None => generate(&built_in, &path, n, format)?,
            }
            eprintln!("{:.1} s", started.elapsed().as_secs_f64());
        }
        let runs = match n {
            0..=200 => 9,
            201..=10_000 => 5,
            10_001..=PEER_MAX => 3,
            _ => 1,
        };
        eprintln!("measuring {} ({runs} run(s))", path.display());
        let build = path.with_file_name(format!("build-{n}-{}", format.extension()));
        // The jobs take turns, so that a busy moment on the machine weighs on all
        // alike; the plain read goes first, so the file is in the page cache for all.
        let mut jobs = vec!["plain", "pipeline", "e2e", "typst"];
        if with_peer.is_some() {
            jobs.push("peer");
            if format == Format::Xlsx {
                jobs.push("peer-calamine");
            }
        }
        let mut figures: Vec<Vec<BTreeMap<String, (f64, u64)>>> = vec![Vec::new(); jobs.len()];
        for _ in 0..runs {
            for (job, figures) in jobs.iter().zip(&mut figures) {
                figures.push(run_child(
                    job,
                    &path,
                    &build,
                    questionnaire.as_deref(),
                    peer.as_ref(),
                )?);
            }
        }
        let mut figures = figures.into_iter().map(median);
        let mut next = || figures.next().unwrap_or_default();
        let (plain, stages, e2e, typst) = (next(), next(), next(), next());
        let (peer_default, peer_calamine) = (next(), next());
        results.push(Measured {
            n,
            format,
            bytes: fs::metadata(&path)?.len(),
            stages,
            e2e: e2e["total"],
            typst: typst["typst"],
            plain: plain["plain"],
            peer: peer_default.get("peer").copied(),
            peer_calamine: peer_calamine.get("peer").copied(),
        });
    }
    let machine = Command::new("uptime")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    println!("\nload at the end of the run: {machine}");
    print_table(&results);
    if peer.is_some() {
        print_peer_table(&results);
    } else {
        println!("The peer was skipped: no comparison with it in this run.");
    }
    Ok(())
}

/// One input's figures: per stage (ms, peak kB).
struct Measured {
    n: usize,
    format: Format,
    bytes: u64,
    stages: BTreeMap<String, (f64, u64)>,
    e2e: (f64, u64),
    typst: (f64, u64),
    plain: (f64, u64),
    /// The peer with pandas' default reader, and with `--engine calamine`, when run.
    peer: Option<(f64, u64)>,
    peer_calamine: Option<(f64, u64)>,
}

/// Per figure of several runs: the median time and the highest peak.
fn median(all: Vec<BTreeMap<String, (f64, u64)>>) -> BTreeMap<String, (f64, u64)> {
    let mut result = BTreeMap::new();
    let Some(first) = all.first() else {
        return result;
    };
    for key in first.keys() {
        let mut times: Vec<f64> = all.iter().map(|m| m[key].0).collect();
        times.sort_by(f64::total_cmp);
        let peak = all.iter().map(|m| m[key].1).max().unwrap_or(0);
        result.insert(key.clone(), (times[times.len() / 2], peak));
    }
    result
}

/// Runs this program again as a child doing `job` on `input` (with the
/// questionnaire file given, else the built-in one), and reads its figures.
fn run_child(
    job: &str,
    input: &Path,
    build: &Path,
    questionnaire: Option<&Path>,
    peer: Option<&Peer>,
) -> Result<BTreeMap<String, (f64, u64)>> {
    let mut command = Command::new(std::env::current_exe()?);
    command
        .env(CHILD, job)
        .env("MAKEITSTICK_BENCH_INPUT", input)
        .env("MAKEITSTICK_BENCH_BUILD", build)
        .stdin(Stdio::null());
    if let Some(questionnaire) = questionnaire {
        command.env("MAKEITSTICK_BENCH_INSTRUMENT", questionnaire);
    }
    if let Some(peer) = peer {
        command
            .env("MAKEITSTICK_PEER", &peer.dir)
            .env("MAKEITSTICK_PEER_PYTHON", &peer.python);
    }
    let output = command.output()?;
    ensure!(
        output.status.success(),
        "the {job} child failed on {}: {}",
        input.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let mut figures = BTreeMap::new();
    for line in String::from_utf8(output.stdout)?.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        if let ["figure", name, ms, kb] = parts[..] {
            figures.insert(name.to_string(), (ms.parse()?, kb.parse()?));
        }
    }
    Ok(figures)
}

// ---------------------------------------------------------------- the child

/// Peak resident memory of this process since the last reset, in kB.
fn peak_kb() -> u64 {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Resets the peak to the memory in use now.
fn reset_peak() {
    fs::write("/proc/self/clear_refs", "5").ok();
}

/// Peak resident memory of the largest child process waited for, in kB.
fn children_peak_kb() -> u64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a whole rusage into the pointer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    u64::try_from(usage.ru_maxrss).unwrap_or(0)
}

fn report(name: &str, started: Instant, peak: u64) {
    println!(
        "figure {name} {:.3} {peak}",
        started.elapsed().as_secs_f64() * 1000.0
    );
}

/// Runs one measurement and prints `figure NAME MS PEAK_KB` lines.
fn child(job: &str) -> Result<()> {
    let input = PathBuf::from(std::env::var("MAKEITSTICK_BENCH_INPUT")?);
    let build = PathBuf::from(std::env::var("MAKEITSTICK_BENCH_BUILD")?);
    let questionnaire = std::env::var_os("MAKEITSTICK_BENCH_INSTRUMENT").map(PathBuf::from);
    match job {
        "pipeline" => pipeline(&input, &build, questionnaire.as_deref()),
        "e2e" => {
            let pdf = build.with_extension("pdf");
            let mut command = Command::new(env!("CARGO_BIN_EXE_makeitstick"));
            command
                .arg("report")
                .arg(&input)
                .arg("--output")
                .arg(&pdf)
                .arg("--scores")
                .arg(build.with_extension("scores.json"))
                .stdin(Stdio::null());
            if let Some(questionnaire) = &questionnaire {
                command.arg("--instrument").arg(questionnaire);
            }
            let started = Instant::now();
            let status = command.status()?;
            ensure!(status.success(), "makeitstick report failed");
            report("total", started, children_peak_kb());
            Ok(())
        }
        "peer" | "peer-calamine" => {
            let dir = PathBuf::from(std::env::var("MAKEITSTICK_PEER")?);
            let mut command = Command::new(
                std::env::var_os("MAKEITSTICK_PEER_PYTHON").unwrap_or("python3".into()),
            );
            command
                .arg(dir.join("peer_report.py"))
                .arg(&input)
                .arg(dir.join("instrument.json"))
                .arg(build.with_extension("peer.pdf"))
                .arg("--scores")
                .arg(build.with_extension("peer.json"))
                .stdin(Stdio::null());
            if job == "peer-calamine" {
                command.args(["--engine", "calamine"]);
            }
            let started = Instant::now();
            let status = command.status()?;
            ensure!(status.success(), "peer_report.py failed");
            report("peer", started, children_peak_kb());
            Ok(())
        }
        "typst" => {
            let started = Instant::now();
            typst(&build, &build.join("typst-alone.pdf"))?;
            report("typst", started, children_peak_kb());
            Ok(())
        }
        "plain" => {
            reset_peak();
            let started = Instant::now();
            let cells = if input.extension().is_some_and(|e| e == "csv") {
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_path(&input)?;
                let mut record = csv::StringRecord::new();
                let mut cells = 0;
                while reader.read_record(&mut record)? {
                    cells += record.len();
                }
                cells
            } else {
                // calamine's cell reader, the fastest read it has: every cell
                // walked, none kept (the whole-sheet `worksheet_range` holds them all).
                use calamine::Reader;
                let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&input)?;
                let sheet = workbook.sheet_names()[0].clone();
                let mut reader = workbook.worksheet_cells_reader(&sheet)?;
                let mut cells = 0usize;
                while let Some(cell) = reader.next_cell()? {
                    cells += usize::from(!matches!(cell.get_value(), calamine::DataRef::Empty));
                }
                cells
            };
            std::hint::black_box(cells);
            report("plain", started, peak_kb());
            Ok(())
        }
        other => bail!("unknown bench job {other}"),
    }
}

/// How far one pass over the rows goes.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Prefix {
    Read,
    Map,
    Score,
}

/// Read, map and score as one pass, measured by prefixes; then charts and typesetting.
fn pipeline(input: &Path, build: &Path, questionnaire: Option<&Path>) -> Result<()> {
    let instrument = Instrument::load(questionnaire)?;
    let read_options = ReadOptions::default();
    let map_options = MapOptions::default();
    let mut scores = None;
    for prefix in [Prefix::Read, Prefix::Map, Prefix::Score] {
        reset_peak();
        let started = Instant::now();
        let mut rows = ingest::stream(input, &read_options)?;
        let mut mapper = match prefix {
            Prefix::Read => None,
            _ => Some(RowMapper::new(rows.summary(), &instrument, &map_options)?),
        };
        let in_export = match &mapper {
            Some(mapper) => mapper.in_export(),
            None => vec![true; instrument.statements().count()],
        };
        let mut tally = Tally::new(&instrument, in_export);
        let mut respondent = Respondent::default();
        let mut kept = 0usize;
        while let Some(row) = rows.next_ref()? {
            kept += 1;
            if let Some(mapper) = &mut mapper
                && mapper.map(row, &mut respondent)
                && prefix == Prefix::Score
            {
                tally.add(&respondent);
            }
        }
        let table = rows.finish();
        tally.date_order = table.date_order()?;
        std::hint::black_box(kept);
        if let Some(mapper) = mapper {
            let responses = mapper
                .finish(table.rows_read, table.excluded)
                .into_result()?;
            if prefix == Prefix::Score {
                scores = Some(score::finish(
                    &tally,
                    &instrument,
                    5,
                    None,
                    score::ReadCounts {
                        group_column_found: responses.group_column.is_some(),
                        without_answers: responses.rows_without_answers,
                        excluded: responses.excluded,
                        test_responses: table.test_responses,
                    },
                ));
            }
        }
        let name = match prefix {
            Prefix::Read => "read",
            Prefix::Map => "read+map",
            Prefix::Score => "read+map+score",
        };
        report(name, started, peak_kb());
    }
    let scores = scores.expect("the last prefix scores");

    reset_peak();
    let started = Instant::now();
    let (data, charts) = ReportData::build(report::data::ReportInputs {
        instrument: &instrument,
        scores,
        cover: report::data::Cover {
            accent: makeitstick::colour::Accent::DEFAULT.to_string(),
            ..Default::default()
        },
        trend: None,
        comments: None,
        actions: None,
        compare: None,
    });
    report("chart", started, peak_kb());

    reset_peak();
    let started = Instant::now();
    if build.exists() {
        fs::remove_dir_all(build)?;
    }
    fs::create_dir_all(build)?;
    report::write_build_folder(build, &data, &charts, None)?;
    typst(build, &build.with_extension("stages.pdf"))?;
    report("typeset", started, peak_kb());
    Ok(())
}

/// Compiles a build folder with typst (the one on PATH), with the command line
/// `makeitstick report` gives it.
fn typst(build: &Path, pdf: &Path) -> Result<()> {
    let fonts = build.join("fonts");
    let main = build.join(report::MAIN_FILE);
    let job = report::typst::CompileJob {
        root: build,
        main: &main,
        fonts: &fonts,
        output: pdf,
        creation_timestamp: 0,
        // Not used by the command line; the benchmark waits as long as typst takes.
        timeout: report::typst::DEFAULT_TIMEOUT,
    };
    let status = job
        .command(Path::new("typst"))
        .status()
        .context("cannot run typst")?;
    ensure!(status.success(), "typst failed on {}", build.display());
    Ok(())
}

// ---------------------------------------------------------------- the table

fn print_table(results: &[Measured]) {
    let mb = |kb: u64| kb as f64 / 1024.0;
    let mut out = String::new();
    out.push_str(
        "| input | size | read | map | score | chart | typeset | stages total | end to end (CLI) | typst alone | plain read |\n",
    );
    out.push_str("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for m in results {
        let s = |k: &str| m.stages[k];
        let (read, map, score) = (s("read"), s("read+map"), s("read+map+score"));
        let cell = |ms: f64, kb: u64| format!("{} / {:.0} MB", duration(ms), mb(kb));
        let total_ms = score.0 + s("chart").0 + s("typeset").0;
        let total_kb = [read.1, map.1, score.1, s("chart").1, s("typeset").1]
            .into_iter()
            .max()
            .unwrap_or(0);
        out.push_str(&format!(
            "| {} {} | {:.1} MB | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            thousands(m.n),
            m.format.extension(),
            m.bytes as f64 / 1e6,
            cell(read.0, read.1),
            cell((map.0 - read.0).max(0.0), map.1),
            cell((score.0 - map.0).max(0.0), score.1),
            cell(s("chart").0, s("chart").1),
            cell(s("typeset").0, s("typeset").1),
            cell(total_ms, total_kb),
            duration(m.e2e.0),
            cell(m.typst.0, m.typst.1),
            cell(m.plain.0, m.plain.1),
        ));
    }
    out.push_str(
        "\nEach cell: wall time / peak resident memory of our process (typst alone: of typst).\n\
         read, map and score are one pass: map = (read+map) - read, score = (read+map+score) - (read+map),\n\
         and their peaks are those of the longer prefix. End to end is `makeitstick report EXPORT --output FILE`.\n\n",
    );

    out.push_str("| target | figure | met |\n|---|---|---|\n");
    if let Some(m) = results
        .iter()
        .find(|m| m.n == 200 && m.format == Format::Csv)
    {
        let ours = (m.e2e.0 - m.typst.0).max(0.0);
        let share = ours / m.e2e.0 * 100.0;
        out.push_str(&format!(
            "| our stages ≤ 20% of end to end, 200 respondents (csv) | {share:.1}% ({} of {}; end to end = {:.2}× typst alone) | {} |\n",
            duration(ours),
            duration(m.e2e.0),
            m.e2e.0 / m.typst.0,
            yes(share <= 20.0)
        ));
    }
    if let Some(m) = results
        .iter()
        .find(|m| m.n == 200 && m.format == Format::Xlsx)
    {
        let ours = (m.e2e.0 - m.typst.0).max(0.0);
        let share = ours / m.e2e.0 * 100.0;
        out.push_str(&format!(
            "| our stages ≤ 20% of end to end, 200 respondents (xlsx) | {share:.1}% ({} of {}; end to end = {:.2}× typst alone) | {} |\n",
            duration(ours),
            duration(m.e2e.0),
            m.e2e.0 / m.typst.0,
            yes(share <= 20.0)
        ));
    }
    for m in results.iter().filter(|m| m.n >= 100_000 && m.n <= PEER_MAX) {
        let floor = m.plain.0 + m.typst.0;
        let ratio = m.e2e.0 / floor;
        let bound = if m.n >= 1_000_000 { 1.5 } else { 1.3 };
        out.push_str(&format!(
            "| end to end ≤ {bound}× (plain read + typst alone), {} {} | {ratio:.2}× ({} against {} + {}) | {} |\n",
            thousands(m.n),
            m.format.extension(),
            duration(m.e2e.0),
            duration(m.plain.0),
            duration(m.typst.0),
            yes(ratio <= bound)
        ));
    }
    for m in results
        .iter()
        .filter(|m| m.format == Format::Xlsx && m.n >= 100_000)
    {
        let peak = m.stages.values().map(|(_, kb)| *kb).max().unwrap_or(0);
        out.push_str(&format!(
            "| peak memory < 100 MB, {} xlsx | {:.0} MB (our process, every stage) | {} |\n",
            thousands(m.n),
            mb(peak),
            yes(mb(peak) < 100.0)
        ));
    }
    if let Some(m) = results
        .iter()
        .find(|m| m.n == 1_000_000 && m.format == Format::Csv)
    {
        let peak = m.stages.values().map(|(_, kb)| *kb).max().unwrap_or(0);
        out.push_str(&format!(
            "| peak memory < 200 MB, 1,000,000 csv | {:.0} MB (our process, every stage) | {} |\n",
            mb(peak),
            yes(mb(peak) < 200.0)
        ));
    }
    for format in [Format::Csv, Format::Xlsx] {
        let points: Vec<(f64, f64)> = results
            .iter()
            .filter(|m| m.format == format)
            .map(|m| (m.n as f64, m.e2e.0))
            .collect();
        if points.len() >= 3 {
            let (slope, intercept, r2) = fit(&points);
            out.push_str(&format!(
                "| linear growth ({}) | {:.1} ms per 1,000 respondents + {} fixed, R² = {r2:.4} | {} |\n",
                format.extension(),
                slope * 1000.0,
                duration(intercept),
                yes(r2 >= 0.99)
            ));
        }
    }
    println!("\n{out}");
    std::io::stdout().flush().ok();
}

/// The comparison with the peer: wall time and the peak of the largest process, both sides.
fn print_peer_table(results: &[Measured]) {
    let mb = |kb: u64| kb as f64 / 1024.0;
    let mut out = String::from(
        "| input | makeitstick | peer (pandas default reader) | ratio | peer, fastest reader (calamine) | ratio | our peak | peer's peak |\n\
         |---|--:|--:|--:|--:|--:|--:|--:|\n",
    );
    let mut targets = String::from("| target | figure | met |\n|---|---|---|\n");
    for m in results.iter().filter(|m| m.peer.is_some()) {
        let (ours, our_peak) = m.e2e;
        let versus = |peer: Option<(f64, u64)>| match peer {
            Some((time, _)) => (duration(time), format!("{:.1}×", time / ours)),
            None => (String::new(), String::new()),
        };
        let (default_time, default_ratio) = versus(m.peer);
        let (calamine_time, calamine_ratio) = versus(m.peer_calamine);
        let peer_peak = [m.peer, m.peer_calamine]
            .into_iter()
            .flatten()
            .map(|(_, kb)| kb)
            .max()
            .unwrap_or(0);
        let name = format!("{} {}", thousands(m.n), m.format.extension());
        out.push_str(&format!(
            "| {name} | {} | {default_time} | {default_ratio} | {calamine_time} | {calamine_ratio} | {:.0} MB | {:.0} MB |\n",
            duration(ours),
            mb(our_peak),
            mb(peer_peak),
        ));
        for (peer, bound, what) in [
            (m.peer, 10.0, "its default reader"),
            (m.peer_calamine, 4.0, "calamine"),
        ] {
            if let Some((time, _)) = peer {
                let ratio = time / ours;
                targets.push_str(&format!(
                    "| ≥ {bound}× the peer with {what}, {name} | {ratio:.1}× | {} |\n",
                    yes(ratio >= bound)
                ));
            }
        }
    }
    out.push_str(
        "\nmakeitstick: `makeitstick report EXPORT --output FILE --scores FILE --instrument instrument.toml`; \
         peer: `peer_report.py EXPORT instrument.json OUT.pdf --scores OUT.json [--engine calamine]`. \
         Peaks: the largest process of each side (ours or typst; Python).\n\n",
    );
    println!("{out}{targets}");
    std::io::stdout().flush().ok();
}

fn yes(met: bool) -> &'static str {
    if met { "met" } else { "**missed**" }
}

/// Least squares line through the points: slope, intercept, R².
fn fit(points: &[(f64, f64)]) -> (f64, f64, f64) {
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let syy: f64 = points.iter().map(|p| (p.1 - my).powi(2)).sum();
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let r2 = if syy == 0.0 {
        1.0
    } else {
        sxy * sxy / (sxx * syy)
    };
    (slope, intercept, r2)
}

fn duration(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else {
        format!("{ms:.0} ms")
    }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------- the data

const COMMENTS: &[&str] = &[
    "More time to plan together would help.",
    "The new way of working has made a real difference to the young people I support.",
    "Not sure yet, ask me again in six months.",
    "We need managers to back this up when things get busy.",
];

/// Invents respondents one at a time, reproducibly.
struct Generator<'a> {
    rng: ChaCha8Rng,
    instrument: &'a Instrument,
    /// Each group's first answer and its level shift.
    groups: Vec<(&'a str, f64)>,
    /// Per statement: ingredient index and whether it is reverse-worded.
    statements: Vec<(usize, bool)>,
    labels: Vec<&'a str>,
    start: NaiveDateTime,
    /// Seconds between completions.
    step: f64,
}

impl<'a> Generator<'a> {
    fn new(instrument: &'a Instrument, n: usize) -> Self {
        let groups = instrument
            .group_options()
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let answer = g.answers.first().unwrap_or(&g.name).as_str();
                (answer, (i as f64 - 2.0) * 0.15)
            })
            .collect();
        let statements = instrument
            .ingredients
            .iter()
            .enumerate()
            .flat_map(|(i, ingredient)| ingredient.statements.iter().map(move |s| (i, s.reverse)))
            .collect();
        let labels = instrument
            .default_scale()
            .points
            .iter()
            .map(|p| p.label.as_str())
            .collect();
        Generator {
            rng: ChaCha8Rng::seed_from_u64(SEED),
            instrument,
            groups,
            statements,
            labels,
            start: NaiveDate::from_ymd_opt(2026, 9, 1)
                .and_then(|d| d.and_hms_opt(8, 0, 0))
                .expect("a valid date"),
            step: 29.0 * 24.0 * 3600.0 / n as f64,
        }
    }

    fn headers(&self) -> Vec<&'a str> {
        let instrument = self.instrument;
        forms::headers(
            &instrument
                .groups
                .as_ref()
                .expect("the built-in instrument has groups")
                .question,
            instrument
                .ingredients
                .iter()
                .flat_map(|ingredient| ingredient.statements.iter().map(|s| s.text.as_str())),
        )
    }

    /// Respondent `index` (from 0): start and completion times, then text cells.
    fn respondent(&mut self, index: usize) -> (NaiveDateTime, NaiveDateTime, Vec<String>) {
        let rng = &mut self.rng;
        let completion = self.start + TimeDelta::seconds((index as f64 * self.step) as i64);
        let start = completion - TimeDelta::seconds(rng.random_range(240..900));
        let (group, shift) = self.groups[rng.random_range(0..self.groups.len())];
        let mood: f64 = standard_normal(rng) * 0.3;
        let levels: Vec<f64> = (0..self.instrument.ingredients.len())
            .map(|i| 3.0 + shift + mood + 0.45 * standard_normal(rng) + 0.15 * i as f64)
            .collect();
        let mut cells = vec![
            (index + 1).to_string(),
            String::new(),
            String::new(),
            format!("person.{index}@example.org"),
            format!("Person {index}"),
            String::new(),
            group.to_string(),
        ];
        let top = self.labels.len() as f64;
        for &(ingredient, reverse) in &self.statements {
            let roll: f64 = rng.random();
            let cell = if roll < 0.02 {
                String::new()
            } else if roll < 0.05 {
                "Don't know".to_string()
            } else {
                let value = (levels[ingredient] + 0.7 * standard_normal(rng))
                    .round()
                    .clamp(1.0, top);
                let value = if reverse { top + 1.0 - value } else { value };
                self.labels[value as usize - 1].to_string()
            };
            cells.push(cell);
        }
        cells.push(if rng.random_bool(0.2) {
            COMMENTS[rng.random_range(0..COMMENTS.len())].to_string()
        } else {
            String::new()
        });
        (start, completion, cells)
    }
}

/// Writes an export of `n` respondents, through a temporary file so a stopped run leaves none.
fn generate(instrument: &Instrument, path: &Path, n: usize, format: Format) -> Result<()> {
    let temp = path.with_extension(format!("part.{}", format.extension()));
    let mut generator = Generator::new(instrument, n);
    let headers = generator.headers();
    match format {
        Format::Csv => {
            let rows = (0..n).map(|index| {
                let (start, completion, mut cells) = generator.respondent(index);
                cells[1] = csv_datetime(start);
                cells[2] = csv_datetime(completion);
                Ok(cells)
            });
            forms::write_csv(&temp, &headers, rows)?;
        }
        Format::Xlsx => {
            use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};
            let mut workbook = Workbook::new();
            let sheet = workbook.add_worksheet_with_constant_memory()?;
            sheet.set_name("Sheet1")?;
            let datetime = CellFormat::new().set_num_format("m/d/yy h:mm:ss");
            for (column, header) in headers.iter().enumerate() {
                sheet.write_string(0, u16::try_from(column)?, *header)?;
            }
            for index in 0..n {
                let row = u32::try_from(index + 1)?;
                let (start, completion, cells) = generator.respondent(index);
                for (column, cell) in cells.iter().enumerate() {
                    let column = u16::try_from(column)?;
                    match column {
                        0 => {
                            sheet.write_number(row, 0, (index + 1) as f64)?;
                        }
                        1 | 2 => {
                            let t = if column == 1 { start } else { completion };
                            let t = ExcelDateTime::parse_from_str(&csv_datetime(t))?;
                            sheet.write_datetime_with_format(row, column, &t, &datetime)?;
                        }
                        _ if !cell.is_empty() => {
                            sheet.write_string(row, column, cell)?;
                        }
                        _ => {}
                    }
                }
            }
            workbook.save(&temp)?;
        }
    }
    fs::rename(&temp, path)?;
    Ok(())
}
