//! Hostile input: markup and code in every text that reaches the PDF,
//! spreadsheet formulas, huge cells, a zip bomb, 16,384 columns, unbalanced
//! quotes, invalid UTF-8 and NUL bytes. Each gives a clear error (exit 1, a
//! message naming the file, no panic) or a correct report, within a wall-clock
//! limit and bounded memory; text is printed literally, never run. Also the
//! inputs fuzzing found, replayed through the library without cargo-fuzz.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::*;

/// Text as it flows: whitespace runs as one space, zero-width breaks gone.
fn flowing(text: &str) -> String {
    text.replace('\u{200B}', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The tiny export's records, to build hostile variants from.
pub(crate) fn tiny_records() -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(fixture("tiny/export.csv"))
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

pub(crate) fn write_csv(path: &Path, records: &[Vec<String>]) {
    let mut writer = csv::Writer::from_path(path).unwrap();
    for record in records {
        writer.write_record(record).unwrap();
    }
    writer.flush().unwrap();
}

// ---------------------------------------------------------------------------
// Markup and code in every text that reaches the PDF.

/// Every text of tests/fixtures/hostile-markup/instrument.toml that the report prints.
const INSTRUMENT_TEXTS: &[&str] = &[
    // ingredient names
    "Context #read(\"/etc/passwd\")",
    "Fit <b>bold</b> #import \"@preview/x:0.1.0\"",
    // descriptions
    "It costs $5 and $10 ] [ \\ #import \"x.typ\": *",
    "Hash # alone, // a comment and /* a block",
    // prompts
    "What #eval(\"1+1\") do we try?",
    "A prompt with \\ and ] and $",
    "Is #include \"report.typ\" shown?",
    // statements
    "Staff say #read(\"/etc/passwd\") here",
    "Leaders spend $100 on $x^2$ ideas",
    "Ideas get dropped ] when [ money ends \\ too",
    "We use <i>tags</i> and @label refs",
    "Hash # alone and // comment and /* block",
    "Quote \" and `raw` and *star* text",
    // group names
    "Young #set text(red) people",
    "Staff $ ] \\ <b>",
    // the questionnaire's name and version, in the method section
    "Hostile #emph[instrument], version $1 ] \\ #v",
];

#[test]
fn markup_in_every_printed_text_is_printed_literally() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("report.pdf");
    let organisation = "#read(\"/etc/passwd\") $x$ ] \\ #import \"a.typ\": *";
    let innovation = "<b>Bold</b> #strong[x] #eval(\"1\")";
    let outcome = bounded([
        OsStr::new("report"),
        fixture("hostile-markup/export.csv").as_os_str(),
        OsStr::new("--instrument"),
        fixture("hostile-markup/instrument.toml").as_os_str(),
        OsStr::new("--organisation"),
        OsStr::new(organisation),
        OsStr::new("--innovation"),
        OsStr::new(innovation),
        OsStr::new("-o"),
        pdf.as_os_str(),
    ]);
    outcome.assert_success();
    let text = flowing(&pdf_text(&pdf));
    for expected in [organisation, innovation].iter().chain(INSTRUMENT_TEXTS) {
        assert!(
            text.contains(&flowing(expected)),
            "{expected:?} is not printed as written"
        );
    }
    // Nothing was run: no file read in, no text turned red or bold by markup.
    assert!(
        !text.contains("root:x:0"),
        "a file was read into the report"
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(!bytes.windows(9).any(|w| w == b"root:x:0:"));
}

#[test]
fn markup_in_the_instrument_and_answers_passes_check() {
    let outcome = bounded([
        OsStr::new("check"),
        fixture("hostile-markup/export.csv").as_os_str(),
        OsStr::new("--instrument"),
        fixture("hostile-markup/instrument.toml").as_os_str(),
    ]);
    outcome.assert_success();
    assert!(
        outcome.stdout.contains("a report can be made"),
        "{}",
        outcome.stdout
    );
}

// ---------------------------------------------------------------------------
// Spreadsheet formulas.

#[test]
fn formulas_in_names_headers_and_answers_stay_text_and_out_of_the_tidy_csv() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("report.pdf");
    let tidy = dir.path().join("scores.csv");
    let json = dir.path().join("scores.json");
    let outcome = bounded([
        OsStr::new("report"),
        fixture("hostile-formulas/export.csv").as_os_str(),
        OsStr::new("--instrument"),
        fixture("hostile-formulas/instrument.toml").as_os_str(),
        OsStr::new("--organisation"),
        OsStr::new("=HYPERLINK(\"http://evil.example\",\"click\")"),
        OsStr::new("-o"),
        pdf.as_os_str(),
        OsStr::new("--scores"),
        tidy.as_os_str(),
        OsStr::new("--scores"),
        json.as_os_str(),
    ]);
    outcome.assert_success();
    let mut reader = csv::Reader::from_path(&tidy).unwrap();
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap();
        // wave, ingredient, statement, group: text a spreadsheet must not run.
        for cell in record.iter().take(4) {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} would run as a formula"
            );
        }
        // measure is ours; value is a number.
        assert!(record[5].parse::<f64>().is_ok(), "{record:?}");
        rows += 1;
    }
    assert!(rows > 50, "{rows} rows");
    // The free-text answers and headers reach no output.
    let scores = std::fs::read_to_string(&json).unwrap();
    assert!(!scores.contains("evil.example") && !scores.contains("calc"));
    // The PDF prints names, statements and group names as text.
    let text = flowing(&pdf_text(&pdf));
    for expected in [
        "=HYPERLINK(\"http://evil.example\",\"click\")",
        "=SUM(1+1) context",
        "+Leaders =1+1 ideas",
        "-Ideas get dropped",
        "@SUM(A1) staff",
        "=Young people",
    ] {
        assert!(text.contains(expected), "{expected:?} not printed");
    }
}

#[test]
fn ids_that_are_formulas_or_paths_are_refused_naming_them() {
    let instrument = fixture("hostile-formulas/instrument-formula-ids.toml");
    let outcome = bounded([
        OsStr::new("check"),
        fixture("hostile-formulas/export.csv").as_os_str(),
        OsStr::new("--instrument"),
        instrument.as_os_str(),
    ]);
    outcome.assert_clear_error(&instrument);
    assert!(
        outcome.stderr.contains("is not a plain id"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn a_formula_as_a_likert_answer_is_an_off_scale_error_naming_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("formula-answer.csv");
    let mut records = tiny_records();
    records[2][6] = "=cmd|' /C calc'!A0".into();
    write_csv(&export, &records);
    let pdf = dir.path().join("r.pdf");
    let outcome = bounded([
        OsStr::new("report"),
        export.as_os_str(),
        OsStr::new("-o"),
        pdf.as_os_str(),
    ]);
    outcome.assert_clear_error(&export);
    assert!(
        outcome
            .stderr
            .contains("\"=cmd|' /C calc'!A0\" in column G"),
        "{}",
        outcome.stderr
    );
    assert!(!pdf.exists());
}

// ---------------------------------------------------------------------------
// Huge cells: ten megabytes in one cell.

/// The tiny export with a free-text column holding `cell` in its first row, as `name`.
fn with_huge_cell(dir: &Path, name: &str, header: &str, cell: &str) -> PathBuf {
    let mut records = tiny_records();
    records[0].push(header.into());
    for (i, record) in records.iter_mut().enumerate().skip(1) {
        record.push(if i == 1 { cell.into() } else { String::new() });
    }
    let path = dir.join(name);
    write_csv(&path, &records);
    path
}

const TEN_MB: usize = 10_000_000;

#[test]
fn a_ten_megabyte_free_text_cell_is_read_and_left_out() {
    let dir = tempfile::tempdir().unwrap();
    for (name, cell) in [
        ("letters.csv", "a".repeat(TEN_MB)),
        ("angle-brackets.csv", "<".repeat(TEN_MB)),
        ("tags.csv", "<b".repeat(TEN_MB / 2)),
        ("quotes.csv", "\"".repeat(TEN_MB)),
        ("markup.csv", "#read(\"/etc/passwd\") ".repeat(TEN_MB / 21)),
    ] {
        let export = with_huge_cell(dir.path(), name, "Anything else?", &cell);
        let outcome = bounded([OsStr::new("check"), export.as_os_str()]);
        outcome.assert_success();
        assert!(outcome.stdout.contains("a report can be made"), "{name}");
        assert!(
            outcome.stdout.len() < 20_000,
            "{name}: {} bytes",
            outcome.stdout.len()
        );
    }
}

#[test]
fn a_ten_megabyte_header_is_named_by_its_start() {
    let dir = tempfile::tempdir().unwrap();
    for (name, header) in [
        ("header-letters.csv", "b".repeat(TEN_MB)),
        ("header-angles.csv", "<".repeat(TEN_MB)),
        ("header-separators.csv", " - [x]".repeat(TEN_MB / 6)),
    ] {
        let export = with_huge_cell(dir.path(), name, &header, "");
        let outcome = bounded([OsStr::new("check"), export.as_os_str()]);
        outcome.assert_success();
        assert!(
            outcome.stdout.len() < 20_000,
            "{name}: {} bytes",
            outcome.stdout.len()
        );
    }
}

#[test]
fn a_ten_megabyte_answer_is_an_error_quoting_its_start() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("huge-answer.csv");
    let mut records = tiny_records();
    records[1][6] = "Agree".repeat(TEN_MB / 5);
    write_csv(&export, &records);
    let outcome = bounded([OsStr::new("check"), export.as_os_str()]);
    // check lists it and says no report can be made; report stops on it. Answers are quoted
    // as a short excerpt (they may hold personal details), so only the start shows.
    assert!(
        outcome
            .stdout
            .contains("\"AgreeAgreeAgreeAgreeAgreeAgreeAg…\""),
        "{}",
        &outcome.stdout[..20_000.min(outcome.stdout.len())]
    );
    assert!(outcome.stdout.len() < 20_000);
    outcome.assert_bounded();
    let outcome = bounded([
        OsStr::new("report"),
        export.as_os_str(),
        OsStr::new("-o"),
        dir.path().join("r.pdf").as_os_str(),
    ]);
    outcome.assert_clear_error(&export);
    assert!(
        outcome
            .stderr
            .contains("\"AgreeAgreeAgreeAgreeAgreeAgreeAg…\""),
        "{}",
        outcome.stderr
    );
}

// ---------------------------------------------------------------------------
// A zip bomb disguised as .xlsx.

/// One file in a hand-made zip archive.
struct ZipPart {
    name: &'static str,
    method: u16,
    crc: u32,
    packed: Vec<u8>,
    /// The size declared in the headers (the truth, or a lie).
    size: u32,
}

fn stored(name: &'static str, text: &str) -> ZipPart {
    ZipPart {
        name,
        method: 0,
        crc: crc32fast::hash(text.as_bytes()),
        packed: text.as_bytes().to_vec(),
        size: text.len() as u32,
    }
}

/// Writes a zip archive of `parts`, byte by byte, as the format describes it.
fn write_zip(path: &Path, parts: &[ZipPart]) {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for part in parts {
        let offset = out.len() as u32;
        let header = |signature: u32, central: bool| {
            let mut h = Vec::new();
            h.extend(signature.to_le_bytes());
            if central {
                h.extend(20u16.to_le_bytes()); // made by
            }
            h.extend(20u16.to_le_bytes()); // needed
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(part.method.to_le_bytes());
            h.extend(0u16.to_le_bytes()); // time
            h.extend(0x21u16.to_le_bytes()); // date: 1980-01-01
            h.extend(part.crc.to_le_bytes());
            h.extend((part.packed.len() as u32).to_le_bytes());
            h.extend(part.size.to_le_bytes());
            h.extend((part.name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central {
                h.extend(0u16.to_le_bytes()); // comment
                h.extend(0u16.to_le_bytes()); // disk
                h.extend(0u16.to_le_bytes()); // internal attributes
                h.extend(0u32.to_le_bytes()); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(part.name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(&part.packed);
        central.extend(header(0x0201_4b50, true));
    }
    let central_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]); // disks
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(central_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    std::fs::write(path, out).unwrap();
}

/// A sheet of `chunks` megabytes of rows, deflated to a few kilobytes per
/// hundred megabytes: (packed bytes, crc, size). Each megabyte is compressed
/// once and its bytes repeated, so building a 3.5 GB bomb takes milliseconds.
fn bomb_sheet(chunks: u64) -> (Vec<u8>, u32, u64) {
    use flate2::{Compress, Compression, FlushCompress};
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
    let row = "<row><c t=\"inlineStr\"><is><t>Agree</t></is></c><c><v>3</v></c></row>";
    let chunk = row.repeat((1 << 20) / row.len());
    let tail = "</sheetData></worksheet>";
    let mut compress = Compress::new(Compression::best(), false);
    let mut deflate = |input: &str, flush: FlushCompress| {
        let mut out = Vec::with_capacity(input.len() + 1024);
        compress
            .compress_vec(input.as_bytes(), &mut out, flush)
            .unwrap();
        out
    };
    let mut packed = deflate(head, FlushCompress::Sync);
    packed.extend(deflate(&chunk, FlushCompress::Sync));
    // The second copy refers back only to chunk text, so it can be repeated.
    let repeated = deflate(&chunk, FlushCompress::Sync);
    for _ in 1..chunks {
        packed.extend(&repeated);
    }
    packed.extend(deflate(tail, FlushCompress::Finish));
    let crc = |text: &str| {
        let mut h = crc32fast::Hasher::new();
        h.update(text.as_bytes());
        h
    };
    let mut total = crc(head);
    let one = crc(&chunk);
    for _ in 0..chunks {
        total.combine(&one);
    }
    total.combine(&crc(tail));
    let size = (head.len() + tail.len()) as u64 + chunks * chunk.len() as u64;
    (packed, total.finalize(), size)
}

/// An .xlsx holding `sheet` as its only worksheet.
fn xlsx_with_sheet(path: &Path, sheet: ZipPart) {
    write_zip(
        path,
        &[
            stored(
                "[Content_Types].xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>",
            ),
            stored(
                "_rels/.rels",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>",
            ),
            stored(
                "xl/workbook.xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
            ),
            stored(
                "xl/_rels/workbook.xml.rels",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>",
            ),
            sheet,
        ],
    );
}

#[test]
fn a_zip_bomb_disguised_as_xlsx_is_refused_before_it_is_unpacked() {
    let dir = tempfile::tempdir().unwrap();
    // 3.5 GB of rows, honestly declared: refused from the table of contents.
    let export = dir.path().join("responses.xlsx");
    let (packed, crc, size) = bomb_sheet(3_500);
    assert!(packed.len() < 20_000_000, "{} bytes", packed.len());
    xlsx_with_sheet(
        &export,
        ZipPart {
            name: "xl/worksheets/sheet1.xml",
            method: 8,
            crc,
            packed,
            size: u32::try_from(size).unwrap(),
        },
    );
    let outcome = bounded([OsStr::new("check"), export.as_os_str()]);
    outcome.assert_clear_error(&export);
    assert!(outcome.stderr.contains("zip bomb"), "{}", outcome.stderr);
    assert!(outcome.elapsed < Duration::from_secs(10));

    // 300 MB, under the total limit but a thousand times compressed: refused too.
    let export = dir.path().join("smaller.xlsx");
    let (packed, crc, size) = bomb_sheet(300);
    xlsx_with_sheet(
        &export,
        ZipPart {
            name: "xl/worksheets/sheet1.xml",
            method: 8,
            crc,
            packed,
            size: size as u32,
        },
    );
    let outcome = bounded([OsStr::new("check"), export.as_os_str()]);
    outcome.assert_clear_error(&export);
    assert!(outcome.stderr.contains("zip bomb"), "{}", outcome.stderr);
}

#[test]
fn a_zip_bomb_that_lies_about_its_size_stops_at_the_size_it_declares() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("liar.xlsx");
    let (packed, crc, _) = bomb_sheet(2_000);
    xlsx_with_sheet(
        &export,
        ZipPart {
            name: "xl/worksheets/sheet1.xml",
            method: 8,
            crc,
            packed,
            // Claims ten kilobytes; inflates to two gigabytes.
            size: 10_000,
        },
    );
    let outcome = bounded([OsStr::new("check"), export.as_os_str()]);
    outcome.assert_clear_error(&export);
    assert!(outcome.elapsed < Duration::from_secs(10));
}

// ---------------------------------------------------------------------------
// 16,384 columns, Excel's limit (more are refused: see robust.rs).

#[test]
fn as_many_columns_as_excel_allows_are_read_within_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let mut records = tiny_records();
    let width = makeitstick::ingest::MAX_COLUMNS;
    for (i, record) in records.iter_mut().enumerate() {
        let start = record.len();
        record.extend((start..width).map(|c| {
            if i == 0 {
                format!("Extra question {c}?")
            } else {
                String::new()
            }
        }));
    }
    // Every data row answers the last column, so none of it is trailing padding.
    for record in records.iter_mut().skip(1) {
        *record.last_mut().unwrap() = "x".into();
    }
    let export = dir.path().join("wide.csv");
    write_csv(&export, &records);
    let outcome = bounded([OsStr::new("check"), export.as_os_str()]);
    outcome.assert_success();
    // check lists every unmapped column: 16,384 short names.
    assert!(
        outcome.stdout.contains("Extra question 16383"),
        "{}",
        &outcome.stdout[..2000.min(outcome.stdout.len())]
    );

    // A header of 16,384 columns and no rows: a clear error.
    let export = dir.path().join("wide-empty.csv");
    write_csv(&export, &records[..1]);
    bounded([OsStr::new("check"), export.as_os_str()]).assert_clear_error(&export);
}

// ---------------------------------------------------------------------------
// Quotes, invalid UTF-8, NUL bytes: fixture files.

#[test]
fn unbalanced_and_nested_quotes_give_a_report_or_a_clear_error() {
    for name in [
        "hostile-quotes/unbalanced.csv",
        "hostile-quotes/nested.csv",
        "hostile-quotes/quote-in-unquoted-cell.csv",
    ] {
        let export = fixture(name);
        bounded([OsStr::new("check"), export.as_os_str()]).assert_success_or_clear_error(&export);
    }
    // An opened quote that never closes would swallow every later row into one cell.
    let export = fixture("hostile-quotes/unbalanced.csv");
    let outcome = bounded([OsStr::new("check"), export.as_os_str()]);
    outcome.assert_clear_error(&export);
    assert!(
        outcome
            .stderr
            .contains("at row 2: a quoted cell starts here and never closes"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn a_megabyte_of_nested_quotes_is_read_within_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("deep-quotes.csv");
    let deep = format!(
        "{}{}{}",
        "\"".repeat(1 << 20),
        "text",
        "\"".repeat((1 << 20) + 1)
    );
    let text = std::fs::read_to_string(fixture("tiny/export.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[0].push_str(",Anything else?");
    for line in lines.iter_mut().skip(1) {
        line.push(',');
        line.push_str(&deep);
    }
    std::fs::write(&export, lines.join("\n")).unwrap();
    bounded([OsStr::new("check"), export.as_os_str()]).assert_success_or_clear_error(&export);
}

#[test]
fn invalid_utf8_gives_a_report_or_a_clear_error() {
    for name in [
        "hostile-encoding/invalid-utf8.csv",
        "hostile-encoding/overlong-and-surrogates.csv",
        "hostile-encoding/truncated-sequence.csv",
    ] {
        let export = fixture(name);
        let outcome = bounded([OsStr::new("check"), export.as_os_str()]);
        outcome.assert_success_or_clear_error(&export);
        // Forcing UTF-8 on bytes that are not is an error naming the file, never a panic.
        let outcome = bounded([
            OsStr::new("check"),
            export.as_os_str(),
            OsStr::new("--encoding"),
            OsStr::new("utf-8"),
        ]);
        outcome.assert_success_or_clear_error(&export);
    }
    // The instrument, too, must be text.
    let instrument = fixture("hostile-encoding/instrument-invalid-utf8.toml");
    let outcome = bounded([
        OsStr::new("check"),
        fixture("tiny/export.csv").as_os_str(),
        OsStr::new("--instrument"),
        instrument.as_os_str(),
    ]);
    outcome.assert_clear_error(&instrument);
}

#[test]
fn nul_bytes_give_a_report_or_a_clear_error() {
    for name in [
        "hostile-nul/nul-in-cell.csv",
        "hostile-nul/nul-in-header.csv",
        "hostile-nul/many-nuls.csv",
        "hostile-nul/nul-in-answer.csv",
    ] {
        let export = fixture(name);
        bounded([OsStr::new("check"), export.as_os_str()]).assert_success_or_clear_error(&export);
    }
    let export = fixture("hostile-nul/many-nuls.csv");
    let outcome = bounded([OsStr::new("check"), export.as_os_str()]);
    outcome.assert_clear_error(&export);
    assert!(outcome.stderr.contains("binary data"), "{}", outcome.stderr);
    let instrument = fixture("hostile-nul/instrument-with-nul.toml");
    let outcome = bounded([
        OsStr::new("check"),
        fixture("tiny/export.csv").as_os_str(),
        OsStr::new("--instrument"),
        instrument.as_os_str(),
    ]);
    outcome.assert_success_or_clear_error(&instrument);
}

// ---------------------------------------------------------------------------
// Inputs the fuzz targets (fuzz/) found, replayed without cargo-fuzz.

/// The most one fuzz input may take, replayed in a debug build: a guard against a hang or
/// a quadratic blow-up (seconds alone, several times that on a loaded machine), not a speed target.
const FUZZ_INPUT_LIMIT: Duration = Duration::from_secs(60);

/// The files in `tests/fixtures/hostile-fuzz/<target>/` (see its README.md).
fn fuzz_inputs(target: &str) -> Vec<PathBuf> {
    let dir = fixture("hostile-fuzz").join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none_or(|e| e != "md"))
        .collect();
    files.sort();
    files
}

#[test]
fn inputs_that_crashed_the_readers_give_clean_errors() {
    for (target, extension) in [("csv_reader", "csv"), ("workbook_reader", "xlsx")] {
        for input in fuzz_inputs(target) {
            let dir = tempfile::tempdir().unwrap();
            let export = dir.path().join(format!("export.{extension}"));
            std::fs::copy(&input, &export).unwrap();
            let started = Instant::now();
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                read_export(&export, &makeitstick::ingest::ReadOptions::default())
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }));
            let result = result.unwrap_or_else(|_| panic!("{} panicked", input.display()));
            if let Err(message) = result {
                assert!(
                    message.contains("export."),
                    "{}: {message}",
                    input.display()
                );
            }
            assert!(started.elapsed() < FUZZ_INPUT_LIMIT, "{}", input.display());
        }
    }
}

#[test]
fn inputs_that_crashed_the_instrument_parser_give_clean_errors() {
    for input in fuzz_inputs("instrument_parser") {
        let text = String::from_utf8_lossy(&std::fs::read(&input).unwrap()).into_owned();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            makeitstick::instrument::Instrument::parse(
                &text,
                makeitstick::instrument::Origin::File(input.clone()),
            )
            .map(|_| ())
        }));
        assert!(result.is_ok(), "{} panicked", input.display());
    }
}

#[test]
fn inputs_that_crashed_label_matching_give_clean_errors() {
    use makeitstick::instrument::{Instrument, MapOptions};
    let instrument = Instrument::load(None).unwrap();
    for input in fuzz_inputs("label_matching") {
        // As fuzz/fuzz_targets/label_matching.rs: a mode byte, then tab-separated lines.
        let bytes = std::fs::read(&input).unwrap();
        let Some((&mode, rest)) = bytes.split_first() else {
            continue;
        };
        let text = String::from_utf8_lossy(rest).into_owned();
        let started = Instant::now();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = makeitstick::text::normalise(&text);
            let mut records: Vec<Vec<String>> = text
                .split('\n')
                .take(64)
                .map(|line| line.split('\t').take(64).map(str::to_string).collect())
                .collect();
            if mode % 2 == 0 {
                let mut header = vec![instrument.groups.as_ref().unwrap().question.clone()];
                header.extend(instrument.statements().take(6).map(|(_, s)| s.text.clone()));
                records.insert(0, header);
            }
            if let Ok(stream) = makeitstick::ingest::stream_records(
                Path::new("fuzz.csv"),
                records,
                &makeitstick::ingest::ReadOptions::default(),
            ) && let Ok(table) = read_rows(stream)
            {
                let _ = map_export(&table, &instrument, &MapOptions::default());
            }
        }));
        assert!(result.is_ok(), "{} panicked", input.display());
        assert!(started.elapsed() < FUZZ_INPUT_LIMIT, "{}", input.display());
    }
}

// ---------------------------------------------------------------------------
// Nothing lost: typst killed mid-run, a full disk, a read-only folder.

/// Every file under `dir` and its bytes, by path relative to `dir`.
pub(crate) fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            // Never through a link, and never reading a FIFO (it would block).
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let bytes = if meta.is_dir() {
                stack.push(path);
                continue;
            } else if meta.is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                format!("link to {}", target.display()).into_bytes()
            } else if meta.is_file() {
                std::fs::read(&path).unwrap()
            } else {
                format!("special file {:?}", meta.file_type()).into_bytes()
            };
            files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
        }
    }
    files
}

/// Asserts that `dir` holds exactly the files of `before`, byte for byte, the
/// lock file aside (it is left in place on purpose and names its last holder).
pub(crate) fn assert_unchanged(dir: &Path, before: &std::collections::BTreeMap<PathBuf, Vec<u8>>) {
    let lock = |p: &PathBuf| p.file_name().is_some_and(|n| n == ".makeitstick.lock");
    let mut after = snapshot(dir);
    after.retain(|p, _| !lock(p));
    let mut before = before.clone();
    before.retain(|p, _| !lock(p));
    let names =
        |m: &std::collections::BTreeMap<PathBuf, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&after), names(&before), "files were added or removed");
    for (path, bytes) in &before {
        assert!(after[path] == *bytes, "{} changed", path.display());
    }
}

/// A fresh, empty folder to be the run's TMPDIR, so its leftovers can be seen.
pub(crate) fn fresh_tmpdir(parent: &Path) -> PathBuf {
    let dir = parent.join("tmp");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub(crate) fn assert_empty(dir: &Path) {
    let left: Vec<PathBuf> = snapshot(dir).into_keys().collect();
    assert!(left.is_empty(), "left in {}: {left:?}", dir.display());
}

/// A typst that writes half a PDF, records its process id and hangs.
pub(crate) fn hanging_typst(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    fake_typst(
        dir,
        "0.15.1",
        &format!(
            "for last; do :; done\nprintf '%%PDF-1.7 half' > \"$last\"\necho $$ > '{}'\nexec sleep 60",
            dir.join("pid").display()
        ),
    )
}

/// True while the process whose id the hanging typst recorded exists.
pub(crate) fn still_running(typst_dir: &Path) -> bool {
    let pid = std::fs::read_to_string(typst_dir.join("pid")).unwrap();
    Path::new(&format!("/proc/{}", pid.trim())).exists()
}

#[test]
fn typst_stopped_mid_run_leaves_the_previous_report_and_history_intact() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let args = |typst: Option<&Path>| {
        let mut args: Vec<std::ffi::OsString> = vec![
            "report".into(),
            fixture("tiny/export.csv").into(),
            "-o".into(),
            out.join("report.pdf").into(),
            "--history".into(),
            out.join("history.json").into(),
            "--scores".into(),
            out.join("scores.csv").into(),
        ];
        if let Some(typst) = typst {
            args.extend([
                "--typst".into(),
                typst.into(),
                "--typst-timeout".into(),
                "1".into(),
            ]);
        }
        args
    };
    bounded(args(None)).assert_success();
    let before = snapshot(&out);
    assert!(before.contains_key(Path::new("report.pdf")));
    assert!(before.contains_key(Path::new("history.json")));

    let typst_dir = temp.path().join("fake");
    let typst = hanging_typst(&typst_dir);
    let tmp = fresh_tmpdir(temp.path());
    let outcome = bounded_with(makeitstick().args(args(Some(&typst))).env("TMPDIR", &tmp));
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert!(
        outcome.stderr.starts_with(&format!(
            "error: the report {} was not written; any earlier report there is unchanged\n  \
             because: typst did not finish within 1 second and was stopped\n",
            out.join("report.pdf").display()
        )),
        "{}",
        outcome.stderr
    );
    assert!(
        outcome
            .stderr
            .contains("hint: allow more time with --typst-timeout")
    );
    assert!(!outcome.stderr.contains("panicked"));
    assert!(outcome.elapsed < Duration::from_secs(20));
    assert_unchanged(&out, &before);
    assert_empty(&tmp);
    assert!(!still_running(&typst_dir), "typst was not stopped");
}

#[test]
fn typst_stopped_in_a_project_leaves_every_report_and_the_history_intact() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("project");
    bounded([OsStr::new("init"), project.as_os_str()]).assert_success();
    std::fs::copy(
        fixture("waves/c-winter.csv"),
        project.join("exports/c-winter.csv"),
    )
    .unwrap();
    bounded_with(makeitstick().current_dir(&project).arg("report")).assert_success();
    assert!(project.join("reports/makeitstick-2026-Q1.pdf").is_file());

    // The next wave arrives, and typst hangs on it; then the same wave is forced again.
    std::fs::copy(
        fixture("waves/a-spring.csv"),
        project.join("exports/a-spring.csv"),
    )
    .unwrap();
    let before = snapshot(&project);
    let typst_dir = temp.path().join("fake");
    let typst = hanging_typst(&typst_dir);
    for extra in [&[][..], &["--force"][..]] {
        let tmp = fresh_tmpdir(temp.path());
        let outcome = bounded_with(
            makeitstick()
                .current_dir(&project)
                .arg("report")
                .args(extra)
                .arg("--typst")
                .arg(&typst)
                .args(["--typst-timeout", "1"])
                .env("TMPDIR", &tmp),
        );
        assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
        assert!(outcome.stderr.contains("did not finish within 1 second"));
        assert_unchanged(&project, &before);
        assert_empty(&tmp);
        assert!(!still_running(&typst_dir), "typst was not stopped");
    }
}

#[test]
fn typst_killed_from_outside_leaves_the_previous_report_intact() {
    let temp = tempfile::tempdir().unwrap();
    let (pdf, history) = a_previous_report(temp.path());
    let out = temp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("report.pdf"), &pdf).unwrap();
    std::fs::write(out.join("history.json"), &history).unwrap();
    let before = snapshot(&out);
    // Half a PDF, then SIGKILL, as the out-of-memory killer would send.
    let fake = temp.path().join("fake");
    std::fs::create_dir(&fake).unwrap();
    let typst = fake_typst(
        &fake,
        "0.15.1",
        "for last; do :; done\nprintf '%%PDF-1.7 half' > \"$last\"\nkill -9 $$",
    );
    let tmp = fresh_tmpdir(temp.path());
    let outcome = bounded_with(
        makeitstick()
            .arg("report")
            .arg(fixture("tiny/export.csv"))
            .arg("-o")
            .arg(out.join("report.pdf"))
            .arg("--history")
            .arg(out.join("history.json"))
            .arg("--typst")
            .arg(&typst)
            .env("TMPDIR", &tmp),
    );
    outcome.assert_clear_error(&out.join("report.pdf"));
    assert!(
        outcome
            .stderr
            .contains("because: typst was stopped by signal 9 before it made the PDF"),
        "{}",
        outcome.stderr
    );
    assert_unchanged(&out, &before);
    assert_empty(&tmp);
}

/// A tmpfs mounted on a folder for one test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// Mounts a tmpfs of `kb` kilobytes on `dir`; `None` (and a message) when
    /// this machine refuses, as it does for a user who is not root.
    fn mount(dir: &Path, kb: u64) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap();
        let output = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kb}k"), "tmpfs"])
            .arg(dir)
            .output();
        match output {
            Ok(o) if o.status.success() => Some(Tmpfs(dir.to_path_buf())),
            Ok(o) => {
                eprintln!(
                    "skipped: cannot mount a tmpfs on {} ({})",
                    dir.display(),
                    String::from_utf8_lossy(&o.stderr).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("skipped: cannot run mount ({e})");
                None
            }
        }
    }

    fn read_only(&self) {
        let status = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(
            status.success(),
            "cannot remount {} read-only",
            self.0.display()
        );
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        Command::new("umount").arg("-l").arg(&self.0).status().ok();
    }
}

/// A report and history made in a normal folder: (pdf, history) bytes.
pub(crate) fn a_previous_report(temp: &Path) -> (Vec<u8>, Vec<u8>) {
    let first = temp.join("first");
    std::fs::create_dir_all(&first).unwrap();
    bounded([
        OsStr::new("report"),
        fixture("tiny/export.csv").as_os_str(),
        OsStr::new("-o"),
        first.join("report.pdf").as_os_str(),
        OsStr::new("--history"),
        first.join("history.json").as_os_str(),
    ])
    .assert_success();
    (
        std::fs::read(first.join("report.pdf")).unwrap(),
        std::fs::read(first.join("history.json")).unwrap(),
    )
}

fn report_into(out: &Path, tmp: &Path) -> Outcome {
    bounded_with(
        makeitstick()
            .arg("report")
            .arg(fixture("tiny/export.csv"))
            .arg("-o")
            .arg(out.join("report.pdf"))
            .arg("--history")
            .arg(out.join("history.json"))
            .env("TMPDIR", tmp),
    )
}

#[test]
fn a_full_disk_leaves_the_previous_report_and_history_intact() {
    let temp = tempfile::tempdir().unwrap();
    let (pdf, history) = a_previous_report(temp.path());
    // Room for the old files, the lock and a little more, but not for a second PDF.
    let pages = |bytes: usize| bytes.div_ceil(4096) as u64;
    let kb = 4 * (pages(pdf.len()) + pages(history.len()) + 3);
    let out = temp.path().join("full");
    let Some(_tmpfs) = Tmpfs::mount(&out, kb) else {
        return;
    };
    std::fs::write(out.join("report.pdf"), &pdf).unwrap();
    std::fs::write(out.join("history.json"), &history).unwrap();
    let before = snapshot(&out);
    let tmp = fresh_tmpdir(temp.path());
    let outcome = report_into(&out, &tmp);
    outcome.assert_clear_error(&out.join("report.pdf"));
    assert!(
        outcome.stderr.contains("No space left on device"),
        "{}",
        outcome.stderr
    );
    assert!(
        outcome.stderr.contains("hint: make room on the disk"),
        "{}",
        outcome.stderr
    );
    assert_unchanged(&out, &before);
    assert_empty(&tmp);
}

#[test]
fn a_full_temporary_folder_stops_the_run_before_typst_and_leaves_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let (pdf, history) = a_previous_report(temp.path());
    let out = temp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("report.pdf"), &pdf).unwrap();
    std::fs::write(out.join("history.json"), &history).unwrap();
    let before = snapshot(&out);
    // The build folder (template, fonts, charts) does not fit in 64 KB.
    let tmp = temp.path().join("small-tmp");
    let Some(_tmpfs) = Tmpfs::mount(&tmp, 64) else {
        return;
    };
    let outcome = report_into(&out, &tmp);
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert!(
        outcome.stderr.starts_with(&format!(
            "error: cannot write the build folder {}",
            tmp.join("makeitstick-build-").display()
        )),
        "{}",
        outcome.stderr
    );
    assert!(
        outcome.stderr.contains("No space left on device"),
        "{}",
        outcome.stderr
    );
    assert!(!outcome.stderr.contains("panicked"));
    assert_unchanged(&out, &before);
    assert_empty(&tmp);
}

#[test]
fn a_read_only_output_folder_is_found_before_any_work_and_nothing_changes() {
    let temp = tempfile::tempdir().unwrap();
    let (pdf, history) = a_previous_report(temp.path());
    let out = temp.path().join("read-only");
    let Some(tmpfs) = Tmpfs::mount(&out, 4096) else {
        return;
    };
    std::fs::write(out.join("report.pdf"), &pdf).unwrap();
    std::fs::write(out.join("history.json"), &history).unwrap();
    tmpfs.read_only();
    let before = snapshot(&out);
    let tmp = fresh_tmpdir(temp.path());
    let outcome = report_into(&out, &tmp);
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains(&format!(
            "error: cannot write the report to {}: nothing can be written in the folder {}",
            out.join("report.pdf").display(),
            out.display()
        )),
        "{}",
        outcome.stderr
    );
    assert!(
        outcome.stderr.contains("Read-only file system"),
        "{}",
        outcome.stderr
    );
    assert!(!outcome.stderr.contains("panicked"));
    assert_unchanged(&out, &before);
    assert_empty(&tmp);
}

// ---------------------------------------------------------------------------
// No leaks: identities in identity columns and in free text reach no output.

/// The sample export with identity columns and free-text answers full of
/// e-mail addresses, names, IP addresses and respondent ids; and those secrets.
fn export_full_of_identities(path: &Path) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(sample_csv())
        .unwrap();
    let mut records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let mut secrets = Vec::new();
    // Identity columns by their usual names, and free text that holds the same.
    let extra = [
        "Respondent ID",
        "IP Address",
        "Email address",
        "First name",
        "Last name",
        "ExternalReference",
        "Anything else you want to tell us?",
        "Other (please specify)",
    ];
    records[0].extend(extra.iter().map(|s| s.to_string()));
    for (i, record) in records.iter_mut().enumerate().skip(1) {
        let id = format!("R_9x{i:04}Qz");
        let ip = format!("203.0.113.{}", i % 250 + 1);
        let email = format!("leaker.{i}@secret-example.org");
        let (first, last) = (format!("Zebedee{i}"), format!("Quartermaine{i}"));
        let reference = format!("CASE-{:06}", 424_242 + i);
        let free = format!(
            "Call me on 07700 900{i:03} or write to {email}; I am {first} {last}, {id} from {ip}"
        );
        let other = format!("{first} from {reference}");
        record.extend([
            id.clone(),
            ip.clone(),
            email.clone(),
            first.clone(),
            last.clone(),
            reference.clone(),
            free,
            other,
        ]);
        secrets.extend([
            id,
            ip,
            email,
            first,
            last,
            reference,
            format!("07700 900{i:03}"),
        ]);
    }
    // The sample's own identity columns: Email and Name.
    let header = records[0].clone();
    for column in ["Email", "Name"] {
        let index = header.iter().position(|h| h == column).unwrap();
        secrets.extend(records.iter().skip(1).map(|r| r[index].clone()));
    }
    secrets.retain(|s| s.len() > 4);
    write_csv(path, &records);
    secrets
}

#[test]
fn no_identity_reaches_any_output_byte_or_temporary_file() {
    let temp = tempfile::tempdir().unwrap();
    let export = temp.path().join("northshire-2026-Q3.csv");
    let secrets = export_full_of_identities(&export);
    assert!(secrets.len() > 1000, "{} secrets", secrets.len());
    let out = temp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let tmp = fresh_tmpdir(temp.path());
    let outcome = bounded_with(
        makeitstick()
            .arg("report")
            .arg(&export)
            .arg("-v")
            .arg("-o")
            .arg(out.join("report.pdf"))
            .arg("--scores")
            .arg(out.join("scores.json"))
            .arg("--scores")
            .arg(out.join("scores.csv"))
            .arg("--history")
            .arg(out.join("history.json"))
            .arg("--keep-build")
            .arg(out.join("build"))
            .env("TMPDIR", &tmp),
    );
    outcome.assert_success();
    let checked = bounded_with(makeitstick().arg("check").arg(&export).env("TMPDIR", &tmp));
    checked.assert_success();
    let checked_json = bounded_with(
        makeitstick()
            .arg("check")
            .arg("--json")
            .arg(&export)
            .env("TMPDIR", &tmp),
    );
    checked_json.assert_success();

    let mut outputs: Vec<(String, Vec<u8>)> = Vec::new();
    for (path, bytes) in snapshot(&out).into_iter().chain(snapshot(&tmp)) {
        if path.extension().is_some_and(|e| e == "pdf") {
            let full = out.join(&path);
            outputs.push((
                format!("{} (text)", path.display()),
                pdf_text(&full).into_bytes(),
            ));
            outputs.push((
                format!("{} (streams)", path.display()),
                inflated_streams(&bytes),
            ));
        }
        outputs.push((path.display().to_string(), bytes));
    }
    assert!(
        outputs.iter().any(|(p, _)| p.ends_with(".svg")),
        "no chart kept"
    );
    assert!(outputs.iter().any(|(p, _)| p.ends_with("data.json")));
    for (name, run) in [
        ("report -v", &outcome),
        ("check", &checked),
        ("check --json", &checked_json),
    ] {
        outputs.push((format!("{name} stdout"), run.stdout.clone().into_bytes()));
        outputs.push((format!("{name} stderr"), run.stderr.clone().into_bytes()));
    }
    for (name, bytes) in &outputs {
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        for secret in &secrets {
            assert!(
                !text.contains(&secret.to_lowercase()),
                "{name} contains {secret:?}"
            );
        }
    }
    // The run left nothing in the temporary folder.
    assert_empty(&tmp);
}
