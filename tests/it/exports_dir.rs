//! Issue 11, item 14: what `report` does with entries of the exports folder
//! that are not readable exports. Promises:
//! - a link in exports/ to a file that is not a survey export (a password
//!   file, private notes) never has a line of that file printed or written;
//! - a FIFO is never opened (opening one blocks), so the run does not hang;
//! - FIFOs, dangling links and folders are reported with -v, not silently
//!   skipped, and a real export beside them still gives the report.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use wait_timeout::ChildExt;

use super::common::{fixture, makeitstick, run};

/// A fresh project folder made by `makeitstick init`, inside `temp`.
fn project(temp: &Path) -> PathBuf {
    let dir = temp.join("project");
    let (output, stderr) = run(makeitstick().arg("init").arg(&dir));
    assert!(output.status.success(), "{stderr}");
    dir
}

/// Every file under `dir`, read as (lossy) text, with its path.
fn all_files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        if meta.is_dir() {
            found.extend(all_files(&path));
        } else if meta.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            found.push((path, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    found
}

/// Runs `report -v` in `dir`, killing it after a generous limit: a hang is a failure.
fn report_verbose(dir: &Path) -> (std::process::ExitStatus, String, String) {
    let mut child = makeitstick()
        .current_dir(dir)
        .args(["-v", "report"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read the pipes on threads so a full pipe cannot stall the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).unwrap();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).unwrap();
        s
    });
    let status = match child.wait_timeout(Duration::from_secs(120)).unwrap() {
        Some(status) => status,
        None => {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("report hung on the exports folder (killed after 120 s)");
        }
    };
    (status, out.join().unwrap(), err.join().unwrap())
}

#[test]
fn a_link_in_exports_to_a_secret_file_never_prints_the_secret() {
    let temp = tempfile::tempdir().unwrap();
    let dir = project(temp.path());
    // Shaped like /etc/shadow, outside the project; linked in with an export's extension.
    let secret = temp.path().join("shadow");
    std::fs::write(
        &secret,
        "root:$6$SECRETSALT$SECRETHASHVALUE:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n",
    )
    .unwrap();
    symlink(&secret, dir.join("exports/notes.txt")).unwrap();
    std::fs::copy(
        fixture("waves/a-spring.csv"),
        dir.join("exports/a-spring.csv"),
    )
    .unwrap();

    let (status, stdout, stderr) = report_verbose(&dir);
    assert!(
        !status.success(),
        "a file that is not an export stops the run"
    );
    for text in [&stdout, &stderr] {
        assert!(!text.contains("SECRET"), "the secret is printed: {text}");
        assert!(
            !text.contains("root"),
            "the secret's first line is printed: {text}"
        );
    }
    assert!(
        stderr.contains("notes.txt") && stderr.contains("does not look like a survey export"),
        "the error names the file and says why: {stderr}"
    );
    assert!(
        stderr.contains("a link, followed to a regular file"),
        "-v says the link was followed: {stderr}"
    );
    for (path, text) in all_files(&dir) {
        if path.starts_with(dir.join("exports")) {
            continue;
        }
        assert!(
            !text.contains("SECRET"),
            "{} holds the secret",
            path.display()
        );
    }
}

#[test]
fn fifos_dangling_links_and_folders_in_exports_are_reported_and_do_not_hang() {
    let temp = tempfile::tempdir().unwrap();
    let dir = project(temp.path());
    let exports = dir.join("exports");
    std::fs::copy(fixture("waves/a-spring.csv"), exports.join("a-spring.csv")).unwrap();
    // A FIFO nobody writes to: opening it would block the run forever.
    let made = Command::new("mkfifo")
        .arg(exports.join("pipe.csv"))
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo works");
    symlink(temp.path().join("gone.csv"), exports.join("dangling.csv")).unwrap();
    std::fs::create_dir(exports.join("old.csv")).unwrap();
    symlink(exports.join("pipe.csv"), exports.join("link-to-pipe.csv")).unwrap();
    // Office lock files and editor backups are never read as exports.
    std::fs::write(exports.join(".~lock.a-spring.csv#"), "x").unwrap();
    std::fs::write(exports.join("~$survey.xlsx"), "x").unwrap();
    std::fs::write(exports.join("a-spring.csv~"), "x").unwrap();

    let (status, _stdout, stderr) = report_verbose(&dir);
    assert!(
        status.success(),
        "the real export still gives the report: {stderr}"
    );
    assert!(dir.join("reports").read_dir().unwrap().next().is_some());
    for (name, why) in [
        ("pipe.csv", "a named pipe (FIFO)"),
        ("link-to-pipe.csv", "a link to a named pipe (FIFO)"),
        ("dangling.csv", "a link to nothing"),
        ("old.csv", "a folder"),
        (".~lock.a-spring.csv#", "lock file"),
        ("~$survey.xlsx", "lock file"),
        ("a-spring.csv~", "backup"),
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains("skipped") && l.contains(name) && l.contains(why)),
            "{name} is reported as {why:?} with -v: {stderr}"
        );
    }
}

#[test]
fn check_on_a_named_fifo_says_so_and_does_not_hang() {
    // `makeitstick check exports/*` hands check whatever the folder holds.
    let temp = tempfile::tempdir().unwrap();
    let fifo = temp.path().join("pipe.csv");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let mut child = makeitstick()
        .arg("check")
        .arg(&fifo)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = match child.wait_timeout(Duration::from_secs(60)).unwrap() {
        Some(status) => status,
        None => {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("check hung on a FIFO (killed after 60 s)");
        }
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is not a regular file"), "{stderr}");
}
