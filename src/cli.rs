//! The whole command line, defined once with clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Turn a survey export into an improvement report on the five ingredients
/// that help an innovation for young people leaving care last beyond its pilot.
#[derive(Debug, Parser)]
#[command(name = "makeitstick", version, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read an export, score it and typeset the PDF report.
    Report(ReportCommand),
    /// Read an export and say what was found, without writing anything.
    Check(CheckCommand),
}

/// `makeitstick report`.
#[derive(Debug, Args)]
pub struct ReportCommand {
    /// The survey export (.xlsx, .xls, .ods or .csv).
    pub export: PathBuf,

    /// Where to write the PDF report.
    #[arg(short, long, value_name = "FILE.pdf")]
    pub output: PathBuf,

    /// Also write every figure in the report: `.json` (versioned schema) or `.csv` (tidy, one figure a row). Repeat for both.
    #[arg(long, value_name = "FILE.json|FILE.csv")]
    pub scores: Vec<PathBuf>,

    /// The survey round, such as 2026-Q3; by default the calendar quarter of the last completed response.
    #[arg(long)]
    pub wave: Option<String>,

    /// The organisation's name, printed on the cover.
    #[arg(long, env = "MAKEITSTICK_ORGANISATION")]
    pub organisation: Option<String>,

    /// The innovation's name, printed on the cover.
    #[arg(long, env = "MAKEITSTICK_INNOVATION")]
    pub innovation: Option<String>,

    /// Accent colour for headings and the cover, as #rrggbb.
    #[arg(long, default_value = "#1d4f73", value_parser = parse_colour)]
    pub accent: String,

    /// Replace files of the built-in template with the files in this folder.
    #[arg(long, value_name = "DIR")]
    pub template: Option<PathBuf>,

    /// Keep the Typst build folder (data.json, charts, template) here, for checking.
    #[arg(long, value_name = "DIR")]
    pub keep_build: Option<PathBuf>,

    /// Where to find typst 0.15.1 (otherwise $TYPST, then PATH).
    #[arg(long, value_name = "PATH", env = "TYPST")]
    pub typst: Option<PathBuf>,

    #[command(flatten)]
    pub scoring: ScoringArgs,
}

/// `makeitstick check`.
#[derive(Debug, Args)]
pub struct CheckCommand {
    /// The survey export (.xlsx, .xls, .ods or .csv).
    pub export: PathBuf,

    /// Print the findings as JSON instead of text.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub scoring: ScoringArgs,
}

/// Options shared by every command that reads an export.
#[derive(Debug, Args)]
pub struct ScoringArgs {
    /// The questionnaire definition (TOML); the built-in one when not given.
    #[arg(long, value_name = "FILE.toml")]
    pub instrument: Option<PathBuf>,

    /// Groups with fewer responses than this are never shown.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(2..))]
    pub min_group_size: u16,
}

fn parse_colour(text: &str) -> Result<String, String> {
    let valid = text.len() == 7
        && text.starts_with('#')
        && text[1..].chars().all(|c| c.is_ascii_hexdigit());
    if valid {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(format!("{text:?} is not a colour like #1d4f73"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn colours_must_be_hex() {
        assert_eq!(parse_colour("#ABCDEF"), Ok("#abcdef".into()));
        assert!(parse_colour("blue").is_err());
    }
}
