//! The whole command line, defined once with clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::ingest::{Platform, ReadOptions, encoding_for_name};
use crate::instrument::{MapError, MapOptions, MappingFile};

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
    /// The survey exports (.xlsx, .xls, .xlsb, .ods, .csv or .tsv); each is checked on its own.
    #[arg(required = true, value_name = "EXPORT")]
    pub exports: Vec<PathBuf>,

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

    #[command(flatten)]
    pub read: ReadArgs,
}

/// How to read an export; everything not given is detected from the file.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// The survey platform that made the export, instead of detecting it.
    #[arg(long, value_enum, value_name = "NAME")]
    pub format: Option<Platform>,

    /// The text encoding of a CSV export, instead of detecting it
    /// (utf-8, utf-16le, utf-16be, windows-1252, macroman).
    #[arg(long, value_name = "NAME", value_parser = parse_encoding)]
    pub encoding: Option<&'static encoding_rs::Encoding>,

    /// The workbook sheet holding the responses (default: Sheet1 or Form Responses 1, else the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// A cell value that means "not answered", like -99; may be repeated.
    #[arg(
        long = "missing-code",
        value_name = "VALUE",
        allow_hyphen_values = true
    )]
    pub missing_codes: Vec<String>,

    /// Which column holds which statement (TOML: `[columns]` "Q2_1" = "context-1").
    #[arg(long, value_name = "FILE.toml")]
    pub mapping: Option<PathBuf>,

    /// Keep unfinished and unsubmitted responses instead of leaving them out.
    #[arg(long)]
    pub keep_incomplete: bool,

    /// Keep rows that repeat an earlier row in every cell (the same submission
    /// exported twice) instead of leaving them out.
    #[arg(long)]
    pub keep_duplicates: bool,
}

impl ReadArgs {
    /// The reader settings these arguments ask for.
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            format: self.format,
            encoding: self.encoding,
            delimiter: None,
            sheet: self.sheet.clone(),
            missing_codes: self.missing_codes.clone(),
            keep_incomplete: self.keep_incomplete,
            keep_duplicates: self.keep_duplicates,
        }
    }

    /// The mapping settings these arguments ask for; reads the mapping file.
    pub fn map_options(&self) -> Result<MapOptions, MapError> {
        Ok(MapOptions {
            mapping: self.mapping.as_deref().map(MappingFile::load).transpose()?,
        })
    }
}

fn parse_encoding(text: &str) -> Result<&'static encoding_rs::Encoding, String> {
    encoding_for_name(text).ok_or_else(|| {
        format!("{text:?} is not an encoding makeitstick knows; use utf-8, utf-16le, utf-16be, windows-1252 or macroman")
    })
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
    fn read_flags_parse() {
        let cli = Cli::try_parse_from([
            "makeitstick",
            "check",
            "a.csv",
            "b.xlsx",
            "--format",
            "survey-monkey",
            "--encoding",
            "MacRoman",
            "--missing-code",
            "-99",
            "--keep-incomplete",
        ])
        .unwrap();
        let Command::Check(check) = cli.command else {
            panic!("check expected")
        };
        assert_eq!(check.exports.len(), 2);
        let options = check.scoring.read.read_options();
        assert_eq!(options.format, Some(Platform::SurveyMonkey));
        assert_eq!(options.encoding, Some(encoding_rs::MACINTOSH));
        assert_eq!(options.missing_codes, vec!["-99"]);
        assert!(options.keep_incomplete);
        assert!(
            Cli::try_parse_from(["makeitstick", "check", "a.csv", "--encoding", "klingon"])
                .is_err()
        );
    }

    #[test]
    fn colours_must_be_hex() {
        assert_eq!(parse_colour("#ABCDEF"), Ok("#abcdef".into()));
        assert!(parse_colour("blue").is_err());
    }
}
