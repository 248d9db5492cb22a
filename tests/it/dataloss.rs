//! Nothing lost, nothing damaged (issue 11, items 1-8, 15 and 20): what a
//! careless or hostile run must never do to the files around it. Each test
//! names the promise it guards:
//!
//! - an output never overwrites an input (export, questionnaire, settings,
//!   logo, template, typst), the history or another output, however it is
//!   named (hard link, symbolic link, `./`): refused before any work;
//! - an output path that is a device, FIFO, socket or folder is refused and
//!   left as it was; a symbolic link is replaced, never followed;
//! - every wave the tool accepts reads back from the history;
//! - a lock file planted as a link is refused, and its target untouched;
//! - the outputs of a run are replaced all together or not at all;
//! - `--keep-build` writes only into a new or empty folder;
//! - SIGINT/SIGTERM stop typst, remove every temporary file and exit 130/143;
//!   typst dies with makeitstick, and leftovers of killed runs are swept;
//! - new files follow the umask;
//! - a template may hold only files (no link can bring /etc/passwd into the PDF);
//! - errors name the flag or file and say what to do.
//!
//! Most runs use a stand-in typst that writes a small file, so that these
//! tests need no real typst and prove typst was never started when a run is
//! refused "before any work" (the stand-in records its arguments).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

use crate::common::*;
use crate::hostile::{assert_empty, assert_unchanged, fresh_tmpdir, hanging_typst, snapshot};

/// A stand-in typst in `dir` that writes `content` as the PDF.
fn pdf_typst(dir: &Path, content: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    fake_typst(
        dir,
        "0.15.1",
        &format!("for last; do :; done\nprintf '%s' '{content}' > \"$last\""),
    )
}

/// True when the stand-in typst in `dir` was started for a compile.
fn typst_ran(dir: &Path) -> bool {
    dir.join("args.txt").exists()
}

/// A folder with a copy of the tiny export (`e.csv`) and a stand-in typst in `fake/`.
fn workspace() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let export = temp.path().join("e.csv");
    std::fs::copy(fixture("tiny/export.csv"), &export).unwrap();
    let typst = pdf_typst(&temp.path().join("fake"), "%PDF-1.7 new");
    (temp, export, typst)
}

fn report_with(typst: &Path, export: &Path, extra: &[OsString]) -> Command {
    let mut command = makeitstick();
    command
        .arg("report")
        .arg(export)
        .arg("--typst")
        .arg(typst)
        .args(extra);
    command
}

fn args(items: &[&dyn AsRef<std::ffi::OsStr>]) -> Vec<OsString> {
    items.iter().map(|a| a.as_ref().to_os_string()).collect()
}

/// A refusal: exit 1 with the expected words and a hint, and nothing changed.
fn assert_refused(outcome: &Outcome, expected: &str) {
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains(expected),
        "expected {expected:?} in:\n{}",
        outcome.stderr
    );
    assert!(outcome.stderr.contains("hint: "), "{}", outcome.stderr);
    assert!(!outcome.stderr.contains("panicked"), "{}", outcome.stderr);
}

// ---------------------------------------------------------------------------
// 1. An output never overwrites an input, the history or another output.

#[test]
fn an_output_that_is_an_input_or_another_output_is_refused_before_any_work() {
    let (temp, export, typst) = workspace();
    let dir = temp.path();
    let fake = dir.join("fake");
    let instrument = dir.join("my.toml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates/instrument.toml"),
        &instrument,
    )
    .unwrap();
    let logo = dir.join("logo.png");
    std::fs::write(&logo, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let template = dir.join("tpl");
    std::fs::create_dir(&template).unwrap();
    std::fs::write(template.join("lib.typ"), "// ours").unwrap();
    std::fs::hard_link(&export, dir.join("hard.csv")).unwrap();
    std::os::unix::fs::symlink(&export, dir.join("soft.csv")).unwrap();
    let out = dir.join("out.pdf");
    let cases: Vec<(Vec<OsString>, &str)> = vec![
        (args(&[&"-o", &export]), "the file name must end in .pdf"),
        (args(&[&"-o", &dir.join("e.PDF.csv")]), "must end in .pdf"),
        (
            args(&[&"-o", &out, &"--scores", &export]),
            "that is the export",
        ),
        (
            args(&[&"-o", &out, &"--scores", &dir.join("hard.csv")]),
            "that is the export",
        ),
        (
            args(&[&"-o", &out, &"--scores", &dir.join("soft.csv")]),
            "that is the export",
        ),
        (
            args(&[&"-o", &instrument, &"--instrument", &instrument]),
            "must end in .pdf",
        ),
        (
            args(&[
                &"-o",
                &out,
                &"--instrument",
                &instrument,
                &"--history",
                &instrument,
            ]),
            "that is the questionnaire",
        ),
        (
            args(&[&"-o", &out, &"--history", &out]),
            "that is also the report output",
        ),
        (
            args(&[
                &"-o",
                &out,
                &"--scores",
                &dir.join("s.json"),
                &"--scores",
                &dir.join(".").join("s.json"),
            ]),
            "given twice for the scores",
        ),
        (
            args(&[&"-o", &out, &"--logo", &logo, &"--history", &logo]),
            "that is the logo",
        ),
        (
            args(&[
                &"-o",
                &out,
                &"--template",
                &template,
                &"--history",
                &template.join("h.json"),
            ]),
            "that is inside the template folder",
        ),
        (
            args(&[
                &"-o",
                &out,
                &"--template",
                &template,
                &"--scores",
                &template.join("lib.typ.json"),
            ]),
            "inside the template folder",
        ),
        (
            args(&[&"-o", &out, &"--history", &typst]),
            "that is the typst program",
        ),
        (
            args(&[&"-o", &out, &"--history", &dir.join(".makeitstick.lock")]),
            "that is the lock file",
        ),
    ];
    let before = snapshot(dir);
    for (extra, expected) in cases {
        let outcome = bounded_with(&mut report_with(&typst, &export, &extra));
        assert_refused(&outcome, expected);
        assert!(!typst_ran(&fake), "typst ran for {extra:?}");
        assert_unchanged(dir, &before);
    }
}

#[test]
fn an_output_inside_a_projects_exports_folder_or_on_its_settings_is_refused() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("project");
    bounded([OsString::from("init"), project.clone().into()]).assert_success();
    std::fs::copy(
        fixture("tiny/export.csv"),
        project.join("exports/survey-2026-Q2.csv"),
    )
    .unwrap();
    let typst = pdf_typst(&temp.path().join("fake"), "%PDF-1.7 new");
    let before = snapshot(&project);
    for (extra, expected) in [
        (
            args(&[&"--scores", &project.join("exports/scores.csv")]),
            "inside the exports folder",
        ),
        (
            args(&[&"--history", &project.join("makeitstick.toml")]),
            "that is the settings",
        ),
    ] {
        let outcome = bounded_with(
            makeitstick()
                .current_dir(&project)
                .arg("report")
                .arg("--typst")
                .arg(&typst)
                .args(&extra),
        );
        assert_refused(&outcome, expected);
        assert_unchanged(&project, &before);
    }
    assert!(!typst_ran(&temp.path().join("fake")));
}

// ---------------------------------------------------------------------------
// 2. An output that is not a regular file is refused; a link is replaced.

#[test]
fn an_output_that_is_a_device_fifo_socket_or_folder_is_refused_and_left_alone() {
    use std::os::unix::fs::FileTypeExt;
    let (temp, export, typst) = workspace();
    let dir = temp.path();
    let fifo = dir.join("pipe.pdf");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
    let socket = dir.join("socket.json");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    std::fs::create_dir(dir.join("folder.pdf")).unwrap();
    std::os::unix::fs::symlink(&fifo, dir.join("to-fifo.json")).unwrap();
    // A device node like /dev/full; only root may make one.
    let device = dir.join("full.pdf");
    let have_device = Command::new("mknod")
        .arg(&device)
        .args(["c", "1", "7"])
        .status()
        .is_ok_and(|s| s.success());
    let mut cases = vec![
        (args(&[&"-o", &fifo]), "it is a FIFO (named pipe)"),
        (
            args(&[&"-o", &dir.join("r.pdf"), &"--scores", &socket]),
            "it is a socket",
        ),
        (args(&[&"-o", &dir.join("folder.pdf")]), "it is a folder"),
        (
            args(&[&"-o", &format!("{}/new.pdf/", dir.display())]),
            "it ends in a folder separator",
        ),
        (
            args(&[&"-o", &dir.join(format!("{}.pdf", "a".repeat(300)))]),
            "longer than 255 bytes",
        ),
        (
            args(&[&"-o", &dir.join("r.pdf"), &"--history", &fifo]),
            "it is a FIFO",
        ),
        // The history is read first: a link to a FIFO would block the run.
        (
            args(&[
                &"-o",
                &dir.join("r.pdf"),
                &"--history",
                &dir.join("to-fifo.json"),
            ]),
            "it is a FIFO",
        ),
    ];
    if have_device {
        cases.push((args(&[&"-o", &device]), "it is a device"));
    } else {
        eprintln!("skipped the device case: mknod is refused here");
    }
    let before = snapshot(dir);
    for (extra, expected) in cases {
        let outcome = bounded_with(&mut report_with(&typst, &export, &extra));
        assert_refused(&outcome, expected);
        assert_unchanged(dir, &before);
    }
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert!(
        std::fs::symlink_metadata(&socket)
            .unwrap()
            .file_type()
            .is_socket()
    );
    if have_device {
        assert!(
            std::fs::symlink_metadata(&device)
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }
    assert!(!typst_ran(&dir.join("fake")));
}

#[test]
fn an_output_that_is_a_link_is_replaced_and_what_it_points_at_is_untouched() {
    let (temp, export, typst) = workspace();
    let dir = temp.path();
    let elsewhere = dir.join("elsewhere.pdf");
    std::fs::write(&elsewhere, "keep me").unwrap();
    let link = dir.join("report.pdf");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    let outcome = bounded_with(&mut report_with(&typst, &export, &args(&[&"-o", &link])));
    outcome.assert_success();
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "keep me");
    assert!(!std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(std::fs::read_to_string(&link).unwrap(), "%PDF-1.7 new");
}

// ---------------------------------------------------------------------------
// 3. Every wave the tool accepts reads back.

#[test]
fn a_wave_outside_the_grammar_is_never_written_to_the_history() {
    let (temp, _, typst) = workspace();
    let dir = temp.path();
    // 0999-Q4 is not a wave: the wave comes from the completion dates (2026-Q2).
    let export = dir.join("survey-0999-Q4.csv");
    std::fs::copy(fixture("tiny/export.csv"), &export).unwrap();
    let history = dir.join("history.json");
    for _ in 0..2 {
        let outcome = bounded_with(&mut report_with(
            &typst,
            &export,
            &args(&[&"-o", &dir.join("r.pdf"), &"--history", &history, &"-v"]),
        ));
        outcome.assert_success();
        assert!(
            outcome
                .stderr
                .contains("wave 2026-Q2 (from the last completion date)"),
            "{}",
            outcome.stderr
        );
    }
    let text = std::fs::read_to_string(&history).unwrap();
    assert!(text.contains("\"wave\": \"2026-Q2\""), "{text}");
    assert!(!text.contains("\"wave\": \"0"), "{text}");

    // --wave outside the grammar is a usage error naming the rule.
    for wave in ["0000-Q1", "0999-Q4", "3000-Q1", "1899-00 Q4"] {
        let outcome = bounded_with(&mut report_with(
            &typst,
            &export,
            &args(&[&"-o", &dir.join("r.pdf"), &"--wave", &wave]),
        ));
        assert_eq!(outcome.code, Some(2), "{}", outcome.stderr);
        assert!(
            outcome.stderr.contains("--wave") && outcome.stderr.contains("1900 to 2999"),
            "{}",
            outcome.stderr
        );
    }
    assert!(!history.with_extension("part").exists());
}

// ---------------------------------------------------------------------------
// 4. A lock file planted as a link is refused.

#[test]
fn a_lock_file_that_is_a_link_is_refused_and_its_target_untouched() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("project");
    bounded([OsString::from("init"), project.clone().into()]).assert_success();
    std::fs::copy(
        fixture("tiny/export.csv"),
        project.join("exports/survey-2026-Q2.csv"),
    )
    .unwrap();
    let typst = pdf_typst(&temp.path().join("fake"), "%PDF-1.7 new");
    let victim = temp.path().join("v");
    std::fs::write(&victim, "precious").unwrap();
    let lock = project.join(".makeitstick.lock");
    for (symbolic, expected) in [(true, "is a symbolic link"), (false, "is a hard link")] {
        if symbolic {
            std::os::unix::fs::symlink(&victim, &lock).unwrap();
        } else {
            std::fs::hard_link(&victim, &lock).unwrap();
        }
        let outcome = bounded_with(
            makeitstick()
                .current_dir(&project)
                .arg("report")
                .arg("--typst")
                .arg(&typst),
        );
        assert_refused(&outcome, expected);
        assert!(outcome.stderr.contains(".makeitstick.lock"));
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert!(!project.join("reports/makeitstick-2026-Q2.pdf").exists());
        std::fs::remove_file(&lock).unwrap();
    }
    // Outside a project, the lock beside --history is opened the same way.
    let out = temp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&victim, out.join(".makeitstick.lock")).unwrap();
    let outcome = bounded_with(&mut report_with(
        &typst,
        &fixture("tiny/export.csv"),
        &args(&[&"-o", &out.join("r.pdf"), &"--history", &out.join("h.json")]),
    ));
    assert_refused(&outcome, "is a symbolic link");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    // And a plain run takes its own lock file as before.
    std::fs::remove_file(out.join(".makeitstick.lock")).unwrap();
    bounded_with(&mut report_with(
        &typst,
        &fixture("tiny/export.csv"),
        &args(&[&"-o", &out.join("r.pdf"), &"--history", &out.join("h.json")]),
    ))
    .assert_success();
}

// ---------------------------------------------------------------------------
// 5. All outputs are replaced together, or none is.

/// A project with one report made; (project, fake typst folder).
fn project_with_a_report(temp: &Path) -> PathBuf {
    let project = temp.join("project");
    bounded([OsString::from("init"), project.clone().into()]).assert_success();
    std::fs::copy(
        fixture("tiny/export.csv"),
        project.join("exports/survey-2026-Q2.csv"),
    )
    .unwrap();
    let typst = pdf_typst(&temp.join("first"), "%PDF-1.7 first");
    bounded_with(
        makeitstick()
            .current_dir(&project)
            .arg("report")
            .arg("--typst")
            .arg(&typst),
    )
    .assert_success();
    assert!(project.join("reports/makeitstick-2026-Q2.pdf").is_file());
    assert!(project.join("reports/makeitstick-2026-Q2.json").is_file());
    project
}

#[test]
fn a_figures_path_that_is_a_folder_stops_the_run_before_any_work() {
    let temp = tempfile::tempdir().unwrap();
    let project = project_with_a_report(temp.path());
    let figures = project.join("reports/makeitstick-2026-Q2.json");
    std::fs::remove_file(&figures).unwrap();
    std::fs::create_dir(&figures).unwrap();
    std::fs::write(figures.join("x"), "").unwrap();
    let before = snapshot(&project);
    let typst = pdf_typst(&temp.path().join("second"), "%PDF-1.7 second");
    let outcome = bounded_with(
        makeitstick()
            .current_dir(&project)
            .arg("report")
            .arg("--force")
            .arg("-v")
            .arg("--typst")
            .arg(&typst),
    );
    assert_refused(&outcome, "cannot write the figures to");
    // The wave is in the export's name, so the check comes before any export is read.
    assert!(!outcome.stderr.contains("read "), "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("it is a folder"),
        "{}",
        outcome.stderr
    );
    assert!(!typst_ran(&temp.path().join("second")));
    assert_unchanged(&project, &before);
}

#[test]
fn an_output_that_fails_at_the_last_moment_leaves_every_earlier_output_as_it_was() {
    let temp = tempfile::tempdir().unwrap();
    let project = project_with_a_report(temp.path());
    let before = snapshot(&project);
    // Typst succeeds, and meanwhile something puts a folder where the figures go:
    // the PDF is ready first, and must not be put in place alone.
    let figures = project.join("reports/makeitstick-2026-Q2.json");
    let fake = temp.path().join("second");
    std::fs::create_dir_all(&fake).unwrap();
    let typst = fake_typst(
        &fake,
        "0.15.1",
        &format!(
            "for last; do :; done\nprintf '%s' '%PDF-1.7 second' > \"$last\"\n\
             rm -f '{f}'; mkdir '{f}'; : > '{f}/x'",
            f = figures.display()
        ),
    );
    let tmp = fresh_tmpdir(temp.path());
    let outcome = bounded_with(
        makeitstick()
            .current_dir(&project)
            .arg("report")
            .arg("--force")
            .arg("--typst")
            .arg(&typst)
            .env("TMPDIR", &tmp),
    );
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert!(typst_ran(&fake));
    // The folder is someone else's; everything of ours is as it was.
    let mut after_before = before.clone();
    after_before.remove(Path::new("reports/makeitstick-2026-Q2.json"));
    after_before.insert(
        PathBuf::from("reports/makeitstick-2026-Q2.json/x"),
        Vec::new(),
    );
    assert_unchanged(&project, &after_before);
    assert_empty(&tmp);

    // Outside a project: --scores turned into a folder while typst runs.
    let out = temp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let first = pdf_typst(&temp.path().join("third"), "%PDF-1.7 first");
    let run = |typst: &Path| {
        bounded_with(
            makeitstick()
                .arg("report")
                .arg(fixture("tiny/export.csv"))
                .arg("-o")
                .arg(out.join("r.pdf"))
                .arg("--scores")
                .arg(out.join("s.json"))
                .arg("--scores")
                .arg(out.join("s.csv"))
                .arg("--history")
                .arg(out.join("h.json"))
                .arg("--typst")
                .arg(typst)
                .env("TMPDIR", &tmp),
        )
    };
    run(&first).assert_success();
    let mut before = snapshot(&out);
    let fake = temp.path().join("fourth");
    std::fs::create_dir_all(&fake).unwrap();
    let scores = out.join("s.csv");
    let typst = fake_typst(
        &fake,
        "0.15.1",
        &format!(
            "for last; do :; done\nprintf '%s' '%PDF-1.7 second' > \"$last\"\n\
             rm -f '{f}'; mkdir '{f}'; : > '{f}/x'",
            f = scores.display()
        ),
    );
    let outcome = run(&typst);
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("put back as they were"),
        "{}",
        outcome.stderr
    );
    before.remove(Path::new("s.csv"));
    before.insert(PathBuf::from("s.csv/x"), Vec::new());
    assert_unchanged(&out, &before);
    assert_empty(&tmp);
}

// ---------------------------------------------------------------------------
// 6. --keep-build only into a new or empty folder.

#[test]
fn keep_build_writes_only_into_a_new_or_empty_folder() {
    let (temp, export, typst) = workspace();
    let dir = temp.path();
    std::fs::write(dir.join("report.typ"), "mine").unwrap();
    std::fs::write(dir.join("k.csv"), "a,b\n").unwrap();
    let before = snapshot(dir);
    for (keep, expected) in [
        (
            PathBuf::from("."),
            "--keep-build .: the folder is not empty",
        ),
        (
            PathBuf::from("k.csv"),
            "--keep-build k.csv: it is a file, not a folder",
        ),
    ] {
        let outcome = bounded_with(
            report_with(
                &typst,
                &export,
                &args(&[&"-o", &dir.join("r.pdf"), &"--keep-build", &keep]),
            )
            .current_dir(dir),
        );
        assert_refused(&outcome, expected);
        assert!(
            outcome.stderr.contains("a folder that does not exist yet"),
            "{}",
            outcome.stderr
        );
        assert_unchanged(dir, &before);
    }
    assert!(!typst_ran(&dir.join("fake")));
    std::fs::create_dir(dir.join("empty")).unwrap();
    for keep in [dir.join("empty"), dir.join("new/build")] {
        bounded_with(&mut report_with(
            &typst,
            &export,
            &args(&[&"-o", &dir.join("r.pdf"), &"--keep-build", &keep]),
        ))
        .assert_success();
        assert!(keep.join("data.json").is_file());
        assert!(keep.join("report.typ").is_file());
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("report.typ")).unwrap(),
        "mine"
    );
}

// ---------------------------------------------------------------------------
// 7. Signals.

/// True while `pid` runs (a zombie waiting for its parent counts as ended).
fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            let state = stat.rsplit(')').next().unwrap_or("").trim_start();
            !state.starts_with('Z') && !state.starts_with('X')
        }
        Err(_) => false,
    }
}

/// Waits up to `limit` for `check`.
fn eventually(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < limit {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    check()
}

/// Starts a report into `out` (with a previous report and history there)
/// whose typst hangs; returns the child once typst runs, and typst's pid.
fn start_hanging_run(temp: &Path, out: &Path, tmp: &Path) -> (std::process::Child, u32) {
    let typst_dir = temp.join("hanging");
    let _ = std::fs::remove_dir_all(&typst_dir);
    let typst = hanging_typst(&typst_dir);
    let child = makeitstick()
        .arg("report")
        .arg(fixture("tiny/export.csv"))
        .arg("-o")
        .arg(out.join("report.pdf"))
        .arg("--history")
        .arg(out.join("history.json"))
        .arg("--scores")
        .arg(out.join("scores.json"))
        .arg("--typst")
        .arg(&typst)
        .env("TMPDIR", tmp)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid_file = typst_dir.join("pid");
    assert!(
        eventually(Duration::from_secs(60), || std::fs::read_to_string(
            &pid_file
        )
        .is_ok_and(|p| p.ends_with('\n'))),
        "typst never started"
    );
    let pid = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    (child, pid)
}

/// A folder with a previous report, history and scores made by a quick stand-in typst.
fn out_with_previous_outputs(temp: &Path) -> PathBuf {
    let out = temp.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let typst = pdf_typst(&temp.join("quick"), "%PDF-1.7 previous");
    bounded_with(
        makeitstick()
            .arg("report")
            .arg(fixture("tiny/export.csv"))
            .arg("-o")
            .arg(out.join("report.pdf"))
            .arg("--history")
            .arg(out.join("history.json"))
            .arg("--scores")
            .arg(out.join("scores.json"))
            .arg("--typst")
            .arg(&typst),
    )
    .assert_success();
    out
}

#[test]
fn sigint_or_sigterm_while_typst_runs_stops_it_and_leaves_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let out = out_with_previous_outputs(temp.path());
    let before = snapshot(&out);
    // The third: SIGTERM to typst as well, as systemd stops a whole service.
    for (signal, code, name, to_typst_too) in [
        (libc::SIGTERM, 143, "SIGTERM", false),
        (libc::SIGINT, 130, "SIGINT", false),
        (libc::SIGTERM, 143, "SIGTERM", true),
    ] {
        let tmp = fresh_tmpdir(temp.path());
        let (mut child, typst) = start_hanging_run(temp.path(), &out, &tmp);
        let sent = Instant::now();
        assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0);
        if to_typst_too {
            assert_eq!(unsafe { libc::kill(typst as i32, signal) }, 0);
        }
        let status = child
            .wait_timeout(Duration::from_secs(20))
            .unwrap()
            .expect("makeitstick did not stop");
        assert!(
            sent.elapsed() < Duration::from_secs(5),
            "{:?}",
            sent.elapsed()
        );
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        assert_eq!(status.code(), Some(code), "{stderr}");
        assert!(stderr.contains(&format!("stopped by {name}")), "{stderr}");
        assert!(!alive(typst), "typst (pid {typst}) still runs after {name}");
        assert_unchanged(&out, &before);
        assert_empty(&tmp);
    }
}

#[test]
fn typst_dies_with_a_killed_run_and_the_next_run_sweeps_the_leftovers() {
    let temp = tempfile::tempdir().unwrap();
    let out = out_with_previous_outputs(temp.path());
    let tmp = fresh_tmpdir(temp.path());
    let (mut child, typst) = start_hanging_run(temp.path(), &out, &tmp);
    let dead_pid = child.id();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        eventually(Duration::from_secs(5), || !alive(typst)),
        "typst (pid {typst}) outlived the run that started it"
    );
    // Left behind: the build folder and the half-written PDF.
    let leftovers: Vec<PathBuf> = std::fs::read_dir(&tmp)
        .unwrap()
        .chain(std::fs::read_dir(&out).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with(&format!("makeitstick-build-{dead_pid}-"))
                || name.starts_with(&format!(".makeitstick-{dead_pid}-"))
        })
        .collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    // Leftovers that are not provably a dead run's stay: a live process's
    // (this test's), and a dead one's touched within the hour.
    let live = out.join(format!(".makeitstick-{}-abcdef.part", std::process::id()));
    std::fs::write(&live, "live").unwrap();
    let fresh = tmp.join(format!("makeitstick-build-{dead_pid}-fresh"));
    std::fs::create_dir(&fresh).unwrap();
    let not_ours = out.join(".makeitstick-notapid.part");
    std::fs::write(&not_ours, "").unwrap();
    let two_hours_ago = std::time::SystemTime::now() - Duration::from_secs(2 * 3600);
    for path in leftovers.iter().chain([&live, &not_ours]) {
        std::fs::File::open(path)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
    }
    let quick = pdf_typst(&temp.path().join("quick"), "%PDF-1.7 next");
    let outcome = bounded_with(
        makeitstick()
            .arg("report")
            .arg(fixture("tiny/export.csv"))
            .arg("-o")
            .arg(out.join("report.pdf"))
            .arg("--history")
            .arg(out.join("history.json"))
            .arg("--typst")
            .arg(&quick)
            .arg("-v")
            .env("TMPDIR", &tmp),
    );
    outcome.assert_success();
    for path in &leftovers {
        assert!(!path.exists(), "{} was not swept", path.display());
        assert!(
            outcome
                .stderr
                .contains(&format!("removed {}", path.display())),
            "{}",
            outcome.stderr
        );
    }
    assert!(live.exists() && fresh.exists() && not_ours.exists());
}

// ---------------------------------------------------------------------------
// 8. The umask.

#[test]
fn new_outputs_follow_the_umask_and_replaced_ones_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let (temp, export, typst) = workspace();
    let dir = temp.path();
    let outputs = [
        dir.join("r.pdf"),
        dir.join("s.json"),
        dir.join("s.csv"),
        dir.join("h.json"),
    ];
    let run = || {
        let mut command = report_with(
            &typst,
            &export,
            &args(&[
                &"-o",
                &outputs[0],
                &"--scores",
                &outputs[1],
                &"--scores",
                &outputs[2],
                &"--history",
                &outputs[3],
            ]),
        );
        unsafe {
            command.pre_exec(|| {
                libc::umask(0o077);
                Ok(())
            });
        }
        bounded_with(&mut command).assert_success();
    };
    run();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    for path in &outputs {
        assert_eq!(mode(path), 0o600, "{}", path.display());
    }
    std::fs::set_permissions(&outputs[0], std::fs::Permissions::from_mode(0o640)).unwrap();
    run();
    assert_eq!(mode(&outputs[0]), 0o640);
}

// ---------------------------------------------------------------------------
// 15. A template may hold only files.

#[test]
fn a_template_holding_a_link_is_refused_and_nothing_outside_it_reaches_typst() {
    let (temp, export, typst) = workspace();
    let dir = temp.path();
    let template = dir.join("template");
    std::fs::create_dir(&template).unwrap();
    std::fs::write(template.join("report.typ"), "#read(\"passwd.txt\")\n").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", template.join("passwd.txt")).unwrap();
    let out = dir.join("r.pdf");
    let outcome = bounded_with(&mut report_with(
        &typst,
        &export,
        &args(&[&"-o", &out, &"--template", &template]),
    ));
    assert_refused(&outcome, "passwd.txt, a symbolic link to /etc/passwd");
    assert!(!typst_ran(&dir.join("fake")) && !out.exists());

    // A broken link is named too, and a FIFO never blocks the copy.
    std::fs::remove_file(template.join("passwd.txt")).unwrap();
    std::os::unix::fs::symlink("missing.typ", template.join("lib.typ")).unwrap();
    let outcome = bounded_with(&mut report_with(
        &typst,
        &export,
        &args(&[&"-o", &out, &"--template", &template]),
    ));
    assert_refused(&outcome, "lib.typ, a symbolic link to nothing");
    std::fs::remove_file(template.join("lib.typ")).unwrap();
    let fifo = std::ffi::CString::new(template.join("sections.typ").to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let outcome = bounded_with(&mut report_with(
        &typst,
        &export,
        &args(&[&"-o", &out, &"--template", &template]),
    ));
    assert_refused(&outcome, "sections.typ, which is not a regular file");
    assert!(!typst_ran(&dir.join("fake")) && !out.exists());
}

// ---------------------------------------------------------------------------
// 20. Errors name the flag or file and say what to do.

#[test]
fn a_pdf_named_as_a_logo_is_refused_naming_logo() {
    let (temp, export, typst) = workspace();
    let logo = temp.path().join("logo.png");
    std::fs::write(&logo, "%PDF-1.7\n1 0 obj\n").unwrap();
    let outcome = bounded_with(&mut report_with(
        &typst,
        &export,
        &args(&[&"-o", &temp.path().join("r.pdf"), &"--logo", &logo]),
    ));
    assert_refused(&outcome, "--logo");
    assert!(
        outcome
            .stderr
            .contains("named as a PNG image, but its contents are a PDF document"),
        "{}",
        outcome.stderr
    );
    assert!(outcome.stderr.contains("save the logo as PNG, JPG or SVG"));
    assert!(!typst_ran(&temp.path().join("fake")));
}

#[test]
fn a_typst_that_is_not_typst_is_named_as_such() {
    let (temp, export, _) = workspace();
    for program in ["/bin/false", "/bin/true", "/bin/ls"] {
        let outcome = bounded_with(&mut report_with(
            Path::new(program),
            &export,
            &args(&[&"-o", &temp.path().join("r.pdf")]),
        ));
        assert_refused(&outcome, &format!("{program} is not typst"));
        assert!(!outcome.stderr.contains("is typst ("), "{}", outcome.stderr);
        assert!(outcome.stderr.contains("--typst"), "{}", outcome.stderr);
    }
}

#[test]
fn a_deeply_nested_toml_gives_a_short_message() {
    let (temp, export, typst) = workspace();
    let deep = temp.path().join("deep.toml");
    std::fs::write(&deep, format!("a = {}", "[".repeat(200_000))).unwrap();
    for flag in ["--instrument", "--mapping", "--profile", "--config"] {
        let outcome = bounded_with(&mut report_with(
            &typst,
            &export,
            &args(&[&"-o", &temp.path().join("r.pdf"), &flag, &deep]),
        ));
        assert_eq!(
            outcome.code,
            Some(1),
            "{flag}: {}",
            &outcome.stderr[..2000.min(outcome.stderr.len())]
        );
        assert!(outcome.stderr.contains("deep.toml"), "{flag}");
        assert!(
            outcome.stderr.len() < 10_000,
            "{flag}: {} bytes of messages",
            outcome.stderr.len()
        );
    }
}

#[test]
fn an_accent_too_pale_to_read_on_white_is_refused_with_its_ratio() {
    let (temp, export, typst) = workspace();
    let outcome = bounded_with(&mut report_with(
        &typst,
        &export,
        &args(&[&"-o", &temp.path().join("r.pdf"), &"--accent", &"#ffffff"]),
    ));
    assert_eq!(outcome.code, Some(2), "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("--accent") && outcome.stderr.contains("1.00:1"),
        "{}",
        outcome.stderr
    );
    // The same rule for the project's setting.
    let project = temp.path().join("project");
    bounded([OsString::from("init"), project.clone().into()]).assert_success();
    let config = project.join("makeitstick.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("accent = \"#fff000\"\n{text}")).unwrap();
    let outcome = bounded_with(
        makeitstick()
            .current_dir(&project)
            .arg("report")
            .arg("--typst")
            .arg(&typst),
    );
    assert_refused(&outcome, "accent: #fff000 has a contrast of");
}

// ---------------------------------------------------------------------------
// The same class elsewhere: init never writes through a planted link.

#[test]
fn init_never_writes_through_a_link_planted_in_the_folder() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("project");
    std::fs::create_dir(&project).unwrap();
    let target = temp.path().join("elsewhere.toml");
    std::os::unix::fs::symlink(&target, project.join("makeitstick.toml")).unwrap();
    let outcome = bounded([OsString::from("init"), project.clone().into()]);
    assert_refused(&outcome, "already exists");
    assert!(!target.exists(), "init wrote through the link");
}

#[test]
fn a_relative_typst_path_is_found_although_typst_runs_in_the_build_folder() {
    let (temp, export, _) = workspace();
    let outcome = bounded_with(
        makeitstick()
            .current_dir(temp.path())
            .arg("report")
            .arg(&export)
            .args(["-o", "r.pdf", "--typst", "fake/typst"]),
    );
    outcome.assert_success();
    assert_eq!(
        std::fs::read_to_string(temp.path().join("r.pdf")).unwrap(),
        "%PDF-1.7 new"
    );
}

#[test]
fn what_typst_leaves_running_is_stopped_and_does_not_hold_the_run() {
    let (temp, export, _) = workspace();
    let fake = temp.path().join("leaves");
    std::fs::create_dir(&fake).unwrap();
    let typst = fake_typst(
        &fake,
        "0.15.1",
        &format!(
            "for last; do :; done\nprintf '%s' '%PDF-1.7 new' > \"$last\"\n\
             sleep 60 &\necho $! > '{}'",
            fake.join("pid").display()
        ),
    );
    let started = Instant::now();
    bounded_with(&mut report_with(
        &typst,
        &export,
        &args(&[&"-o", &temp.path().join("r.pdf")]),
    ))
    .assert_success();
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    let pid: u32 = std::fs::read_to_string(fake.join("pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(
        eventually(Duration::from_secs(5), || !alive(pid)),
        "the process typst left (pid {pid}) still runs"
    );
}
