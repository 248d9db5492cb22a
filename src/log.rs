//! Progress messages and warnings on stderr, shared by the commands and the pipeline.

/// Progress messages: on stderr with `-v`, otherwise nothing, so a scheduled
/// run that succeeds is silent.
#[derive(Debug, Clone, Copy)]
pub struct Log {
    /// True with `-v`.
    pub verbose: bool,
}

impl Log {
    /// Prints `message` when verbose.
    pub fn info(&self, message: impl FnOnce() -> String) {
        if self.verbose {
            eprintln!("{}", message());
        }
    }

    /// Prints a warning whatever the verbosity: something worked but needs a person's eyes.
    pub fn warn(&self, message: &str) {
        eprintln!("warning: {message}");
    }
}
