//! One module per subcommand; [`run`] dispatches.

mod check;
mod init;
mod plan;
mod programme;
mod questionnaire;
mod report;

use anyhow::Result;

use crate::cli::{Cli, Command};
pub use crate::log::Log;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let log = Log {
        verbose: cli.verbose,
    };
    match cli.command {
        Command::Report(command) => report::run(command, log),
        Command::Check(command) => check::run(command),
        Command::Init(command) => init::run(command, log),
        Command::Questionnaire(command) => questionnaire::run(command, log),
    }
}

/// The hint to print under an error, found by walking its chain for our typed errors.
pub fn hint(error: &anyhow::Error) -> Option<String> {
    error.chain().find_map(|cause| {
        if let Some(e) = cause.downcast_ref::<crate::ingest::IngestError>() {
            Some(e.hint().to_string())
        } else if let Some(e) = cause.downcast_ref::<crate::instrument::MapError>() {
            Some(e.hint().to_string())
        } else if let Some(e) = cause.downcast_ref::<crate::instrument::InstrumentError>() {
            Some(e.hint())
        } else if let Some(e) = cause.downcast_ref::<crate::project::ProjectError>() {
            Some(e.hint())
        } else if let Some(e) = cause.downcast_ref::<crate::programme::ProgrammeError>() {
            Some(e.hint().to_string())
        } else if let Some(e) = cause.downcast_ref::<crate::output::OutputError>() {
            Some(e.hint())
        } else if let Some(e) = cause.downcast_ref::<crate::report::TemplateError>() {
            Some(e.hint().to_string())
        } else if let Some(e) = cause.downcast_ref::<crate::report::LogoError>() {
            Some(e.hint().to_string())
        } else if let Some(e) = cause.downcast_ref::<crate::score::empty::NothingToReport>() {
            Some(e.hint())
        } else if let Some(e) = cause.downcast_ref::<crate::questionnaire::QuestionnaireError>() {
            Some(e.hint().to_string())
        } else if cause.is::<crate::interrupt::Interrupted>() {
            Some(
                "run again when you want the report; every earlier output is unchanged".to_string(),
            )
        } else {
            cause
                .downcast_ref::<crate::report::TypstError>()
                .map(|e| e.hint())
        }
    })
}

/// The exit code for an error: 128 + the signal when SIGINT or SIGTERM
/// stopped the run (130, 143), as a shell reports it; otherwise 1.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    error
        .chain()
        .find_map(|cause| {
            cause
                .downcast_ref::<crate::interrupt::Interrupted>()
                .or_else(|| match cause.downcast_ref::<crate::report::TypstError>() {
                    Some(crate::report::TypstError::Interrupted(stop)) => Some(stop),
                    _ => None,
                })
                .map(crate::interrupt::Interrupted::exit_code)
        })
        .unwrap_or(1)
}

/// The most of one message printed: a parser may quote a whole line of the
/// file it read, and a line can be megabytes long.
pub const MESSAGE_LIMIT: usize = 4_000;

/// The most of one line of a message printed.
pub const LINE_LIMIT: usize = 300;

/// `message` with each line cut to about [`LINE_LIMIT`] characters and the
/// whole to about [`MESSAGE_LIMIT`], keeping each one's start and end and
/// saying how much was left out between: a parser's pointer and explanation,
/// and the reason after a long path, still show.
pub fn bounded_message(message: &str) -> String {
    let cut = |text: &str, limit: usize| {
        let count = text.chars().count();
        if count <= limit {
            return text.to_string();
        }
        let (head, tail) = (limit * 2 / 3, limit / 3);
        let start: String = text.chars().take(head).collect();
        let end: String = text.chars().skip(count - tail).collect();
        format!(
            "{start}… ({} characters left out) …{end}",
            count - head - tail
        )
    };
    let lines: Vec<String> = message.split('\n').map(|l| cut(l, LINE_LIMIT)).collect();
    cut(&lines.join("\n"), MESSAGE_LIMIT)
}
