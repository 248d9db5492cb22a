//! Finding the pinned Typst and running it as a child process.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use thiserror::Error;
use wait_timeout::ChildExt;

/// The Typst version the template is written and tested for.
pub const TYPST_VERSION: &str = "0.15.1";

/// The command that installs it.
pub const INSTALL_COMMAND: &str = "cargo install typst-cli --locked --version 0.15.1";

/// How long one typesetting run may take before it is stopped, unless
/// `--typst-timeout` says otherwise. The 200-respondent sample takes about a second.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// Why Typst could not make the PDF.
#[derive(Debug, Error)]
pub enum TypstError {
    /// No typst executable was found.
    #[error("typst was not found ({searched})")]
    NotFound {
        /// Where we looked.
        searched: String,
    },
    /// The executable is another version.
    #[error("{path} is typst {found}, but makeitstick needs typst {TYPST_VERSION}")]
    WrongVersion {
        /// The executable.
        path: PathBuf,
        /// What it said its version is.
        found: String,
    },
    /// The executable answered `--version` as something else would.
    #[error("{path} is not typst: asked its version, it said {said:?}")]
    NotTypst {
        /// The executable.
        path: PathBuf,
        /// The start of what it printed (or how it ended).
        said: String,
    },
    /// It could not be started.
    #[error("cannot run {path}: {source}")]
    Start {
        /// The executable.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// It ran and reported errors.
    #[error("typst could not typeset the report (template {template}):\n{diagnostics}")]
    Failed {
        /// The template's main file.
        template: String,
        /// What typst printed.
        diagnostics: String,
    },
    /// Something else stopped it (out of memory, a signal from outside).
    #[error("typst was stopped by signal {signal} before it made the PDF")]
    Killed {
        /// The signal number (9 is SIGKILL, which the out-of-memory killer sends).
        signal: i32,
    },
    /// SIGINT or SIGTERM arrived while it ran: it was stopped and nothing was written.
    #[error(transparent)]
    Interrupted(#[from] crate::interrupt::Interrupted),
    /// It took too long and was stopped.
    #[error(
        "typst did not finish within {} second{} and was stopped",
        .limit.as_secs(),
        crate::text::plural(.limit.as_secs() as usize, "", "s")
    )]
    TimedOut {
        /// The limit it ran into.
        limit: Duration,
    },
}

impl TypstError {
    /// A next step for the user.
    pub fn hint(&self) -> String {
        match self {
            TypstError::NotTypst { .. } => format!(
                "point --typst (or $TYPST) at the typst {TYPST_VERSION} executable, or leave both out to use the one on PATH; install it with `{INSTALL_COMMAND}`"
            ),
            TypstError::Interrupted(_) => "run again when you want the report; the previous one is unchanged".into(),
            TypstError::NotFound { .. } | TypstError::WrongVersion { .. } => format!(
                "install it with `{INSTALL_COMMAND}`, then run again (or point --typst or $TYPST at it)"
            ),
            TypstError::Start { .. } => "check that the file is a typst executable you can run".into(),
            // The PDF goes to a temporary file beside the output: a full or read-only disk.
            TypstError::Failed { diagnostics, .. } if diagnostics.contains("failed to write") => {
                "make room on the disk that holds the output folder (or choose another --output), then run again; the previous report is unchanged".into()
            }
            TypstError::Failed { .. } => {
                "if you use --template, fix the file and line named above; otherwise report this as a bug with the message above".into()
            }
            TypstError::Killed { .. } => "run again; if it happens again, check whether the machine ran out of memory or something stops long-running programs".into(),
            TypstError::TimedOut { .. } => "allow more time with --typst-timeout SECS; if you use --template, check it for a loop that never ends; otherwise report it as a bug".into(),
        }
    }
}

/// A checked typst executable of the pinned version.
#[derive(Debug, Clone)]
pub struct Typst {
    path: PathBuf,
}

/// What one compile needs.
pub struct CompileJob<'a> {
    /// The build folder, used as Typst's root: nothing outside it can be read.
    pub root: &'a Path,
    /// The main template file inside the root.
    pub main: &'a Path,
    /// The folder of fonts to use (system fonts are ignored).
    pub fonts: &'a Path,
    /// Where to write the PDF.
    pub output: &'a Path,
    /// Seconds since 1970 to record as the document's creation date.
    pub creation_timestamp: i64,
    /// How long typst may run before it is stopped.
    pub timeout: Duration,
}

impl CompileJob<'_> {
    /// The `typst compile` command line for this job, run by `program`: every
    /// argument, the working folder, stdin and stdout, but not yet what happens
    /// to stderr or when it runs too long. Public so the benchmark
    /// (benches/pipeline.rs) times typst with exactly the arguments a report uses.
    pub fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        command
            .arg("compile")
            .arg("--root")
            .arg(self.root)
            .arg("--font-path")
            .arg(self.fonts)
            .arg("--ignore-system-fonts")
            .arg("--creation-timestamp")
            .arg(self.creation_timestamp.to_string())
            .arg("--diagnostic-format")
            .arg("short")
            .arg("--pdf-standard")
            .arg("ua-1")
            // The output is a temporary file without a .pdf extension.
            .arg("--format")
            .arg("pdf")
            .arg(self.main)
            .arg(self.output)
            .current_dir(self.root)
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        command
    }
}

impl Typst {
    /// Finds typst: `explicit` (from --typst or $TYPST), then PATH; and checks its version.
    pub fn find(explicit: Option<&Path>) -> Result<Typst, TypstError> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            // As the shell would: only executables, and on Windows typst.exe through PATHEXT.
            None => which::which("typst").map_err(|_| TypstError::NotFound {
                searched: "not given with --typst or $TYPST, and not on PATH".into(),
            })?,
        };
        // Absolute, since typst runs in the build folder: a relative --typst
        // would otherwise be looked for there.
        let path = std::path::absolute(&path).unwrap_or(path);
        let (status, said) = version_output(&path)?;
        // "typst 0.15.1 (hash)"; anything else is another program.
        let first_line = said.lines().next().unwrap_or("").trim();
        let mut words = first_line.split_whitespace();
        if !status.is_some_and(|s| s.success()) || words.next() != Some("typst") {
            let said = match (first_line, status) {
                ("", Some(status)) => format!("nothing ({status})"),
                ("", None) => format!("nothing within {} seconds", VERSION_TIMEOUT.as_secs()),
                (line, _) => excerpt(line, 80),
            };
            return Err(TypstError::NotTypst { path, said });
        }
        let found = words.next().unwrap_or("unknown").to_string();
        if found != TYPST_VERSION {
            return Err(TypstError::WrongVersion { path, found });
        }
        Ok(Typst { path })
    }

    /// The executable.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `typst compile` for a tagged PDF/UA-1 document.
    pub fn compile(&self, job: &CompileJob) -> Result<(), TypstError> {
        let mut command = job.command(&self.path);
        command.stderr(Stdio::piped());
        dies_with_us(&mut command);
        let mut child = command.spawn().map_err(|source| TypstError::Start {
            path: self.path.clone(),
            source,
        })?;
        // Read stderr on a thread so a chatty typst cannot block on a full pipe.
        let stderr = child.stderr.take().expect("stderr is piped");
        let reader = std::thread::spawn(move || read_capped(stderr, DIAGNOSTICS_LIMIT));
        let started = std::time::Instant::now();
        let status = loop {
            // In short steps, to see a signal soon and stop typst with us.
            let step = job
                .timeout
                .saturating_sub(started.elapsed())
                .min(Duration::from_millis(100));
            let waited = child
                .wait_timeout(step)
                .map_err(|source| TypstError::Start {
                    path: self.path.clone(),
                    source,
                })?;
            if let Some(status) = waited {
                break status;
            }
            let stop = if let Some(signal) = crate::interrupt::received() {
                TypstError::Interrupted(crate::interrupt::Interrupted { signal })
            } else if started.elapsed() >= job.timeout {
                TypstError::TimedOut { limit: job.timeout }
            } else {
                continue;
            };
            // Killed with anything it started, then waited for, so no zombie
            // is left; the caller removes the half-written output. The stderr
            // thread ends when the pipe closes and is not waited for.
            kill_group(&mut child);
            child.wait().ok();
            return Err(stop);
        };
        // Anything typst left running in its group would hold the pipe open.
        kill_group(&mut child);
        let diagnostics = reader.join().unwrap_or_default();
        // A stop for the whole job (systemd sends SIGTERM to typst as well as to
        // us) is an interruption, not typst's failure.
        if !status.success()
            && let Some(signal) = crate::interrupt::received()
        {
            return Err(TypstError::Interrupted(crate::interrupt::Interrupted {
                signal,
            }));
        }
        #[cfg(unix)]
        if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
            return Err(TypstError::Killed { signal });
        }
        if status.success() {
            Ok(())
        } else {
            Err(TypstError::Failed {
                template: job
                    .main
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                diagnostics: diagnostics.trim_end().to_string(),
            })
        }
    }
}

/// How long `typst --version` may take.
const VERSION_TIMEOUT: Duration = Duration::from_secs(20);

/// The most of typst's messages kept: enough for many errors, never megabytes.
const DIAGNOSTICS_LIMIT: usize = 16 * 1024;

/// Runs `path --version` within [`VERSION_TIMEOUT`], keeping the start of what it prints:
/// (its exit status, or `None` when it did not finish; its output).
fn version_output(path: &Path) -> Result<(Option<std::process::ExitStatus>, String), TypstError> {
    let mut command = Command::new(path);
    command
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    dies_with_us(&mut command);
    let mut child = command.spawn().map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => TypstError::NotFound {
            searched: format!("{} does not exist", path.display()),
        },
        _ => TypstError::Start {
            path: path.to_path_buf(),
            source,
        },
    })?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let reader = std::thread::spawn(move || read_capped(stdout, 4096));
    let status = child.wait_timeout(VERSION_TIMEOUT).ok().flatten();
    // Also when it ended: anything it left running in its group would hold the pipe open.
    kill_group(&mut child);
    if status.is_none() {
        child.wait().ok();
    }
    Ok((status, reader.join().unwrap_or_default()))
}

/// The first `limit` characters of `text`, with "…" when cut.
fn excerpt(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Reads a pipe to its end, keeping at most `limit` bytes (and saying how many more there were).
fn read_capped(mut pipe: impl std::io::Read, limit: usize) -> String {
    let mut kept = Vec::new();
    let mut more = 0usize;
    let mut buffer = [0u8; 8192];
    loop {
        match pipe.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let room = limit.saturating_sub(kept.len()).min(n);
                kept.extend_from_slice(&buffer[..room]);
                more += n - room;
            }
        }
    }
    let mut text = String::from_utf8_lossy(&kept).into_owned();
    if more > 0 {
        text.push_str(&format!("\n… ({more} more bytes of messages left out)"));
    }
    text
}

/// Makes the child its own process group (so a Ctrl-C in the terminal
/// reaches us, and we stop it), and on Linux has the kernel kill it when we
/// die, however we die: typst never outlives makeitstick.
fn dies_with_us(command: &mut Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
        #[cfg(target_os = "linux")]
        {
            // SAFETY: only async-signal-safe calls between fork and exec.
            let parent = unsafe { libc::getpid() };
            unsafe {
                command.pre_exec(move || {
                    if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    // The parent may have died before the line above took effect.
                    if libc::getppid() != parent {
                        libc::_exit(1);
                    }
                    Ok(())
                });
            }
        }
    }
    #[cfg(not(unix))]
    let _ = command;
}

/// Kills the child and its process group (anything it started).
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: kill() touches no memory. The group is the child's own
        // (process_group(0)); its id stays taken while any member lives, and
        // when none does the call fails with ESRCH.
        unsafe { libc::kill(-pid, libc::SIGKILL) };
    }
    child.kill().ok();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in typst that writes half a PDF and its process id, then hangs.
    fn hanging_typst(dir: &Path) -> Typst {
        let path = dir.join("typst");
        let script = format!(
            "#!/bin/sh\nfor last; do :; done\nprintf '%%PDF-1.7 half' > \"$last\"\necho $$ > '{}'\nexec sleep 30\n",
            dir.join("pid").display()
        );
        std::fs::write(&path, script).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        Typst { path }
    }

    #[test]
    fn a_typst_that_hangs_is_stopped_at_the_limit_and_reaped() {
        let dir = tempfile::tempdir().unwrap();
        let typst = hanging_typst(dir.path());
        let started = std::time::Instant::now();
        let error = typst
            .compile(&CompileJob {
                root: dir.path(),
                main: &dir.path().join("report.typ"),
                fonts: dir.path(),
                output: &dir.path().join("out"),
                creation_timestamp: 0,
                timeout: Duration::from_secs(1),
            })
            .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(10));
        assert!(matches!(error, TypstError::TimedOut { .. }), "{error}");
        assert_eq!(
            error.to_string(),
            "typst did not finish within 1 second and was stopped"
        );
        assert!(error.hint().contains("--typst-timeout"));
        // Killed and waited for: no process, not even a zombie, is left.
        let pid = std::fs::read_to_string(dir.path().join("pid")).unwrap();
        assert!(
            !Path::new(&format!("/proc/{}", pid.trim())).exists(),
            "typst (pid {}) is still there",
            pid.trim()
        );
    }
}
