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
    /// It took too long and was stopped.
    #[error(
        "typst did not finish within {} second{} and was stopped",
        .limit.as_secs(),
        if .limit.as_secs() == 1 { "" } else { "s" }
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

impl Typst {
    /// Finds typst: `explicit` (from --typst or $TYPST), then PATH; and checks its version.
    pub fn find(explicit: Option<&Path>) -> Result<Typst, TypstError> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            None => search_path("typst").ok_or_else(|| TypstError::NotFound {
                searched: "not given with --typst or $TYPST, and not on PATH".into(),
            })?,
        };
        let output = Command::new(&path)
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .map_err(|source| match source.kind() {
                std::io::ErrorKind::NotFound => TypstError::NotFound {
                    searched: format!("{} does not exist", path.display()),
                },
                _ => TypstError::Start {
                    path: path.clone(),
                    source,
                },
            })?;
        let text = String::from_utf8_lossy(&output.stdout);
        // "typst 0.15.1 (hash)"
        let found = text
            .split_whitespace()
            .nth(1)
            .unwrap_or("unknown")
            .to_string();
        if found != TYPST_VERSION {
            return Err(TypstError::WrongVersion { path, found });
        }
        Ok(Typst { path })
    }

    /// Runs `typst compile` for a tagged PDF/UA-1 document.
    pub fn compile(&self, job: &CompileJob) -> Result<(), TypstError> {
        let mut child = Command::new(&self.path)
            .arg("compile")
            .arg("--root")
            .arg(job.root)
            .arg("--font-path")
            .arg(job.fonts)
            .arg("--ignore-system-fonts")
            .arg("--creation-timestamp")
            .arg(job.creation_timestamp.to_string())
            .arg("--diagnostic-format")
            .arg("short")
            .arg("--pdf-standard")
            .arg("ua-1")
            // The output is a temporary file without a .pdf extension.
            .arg("--format")
            .arg("pdf")
            .arg(job.main)
            .arg(job.output)
            .current_dir(job.root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|source| TypstError::Start {
                path: self.path.clone(),
                source,
            })?;
        // Read stderr on a thread so a chatty typst cannot block on a full pipe.
        let mut stderr = child.stderr.take().expect("stderr is piped");
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut stderr, &mut text).ok();
            text
        });
        let status = match child
            .wait_timeout(job.timeout)
            .map_err(|source| TypstError::Start {
                path: self.path.clone(),
                source,
            })? {
            Some(status) => status,
            None => {
                // Killed, then waited for, so no zombie is left; the caller
                // removes the half-written output. The stderr thread ends when
                // the pipe closes and is not waited for.
                child.kill().ok();
                child.wait().ok();
                return Err(TypstError::TimedOut { limit: job.timeout });
            }
        };
        let diagnostics = reader.join().unwrap_or_default();
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

fn search_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
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
