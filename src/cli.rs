//! The whole command line, defined once with clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::colour::Accent;
use crate::ingest::{
    DateOrder, DateOrderSetting, Platform, ReadOptions, delimiter_for_name, encoding_for_name,
};
use crate::instrument::{MapError, MapOptions, MappingFile};
use crate::project::{Wave, WaveScheme};

/// Turn a survey export into an improvement report on the five ingredients
/// that help an innovation for young people leaving care last beyond its pilot.
#[derive(Debug, Parser)]
#[command(
    name = "makeitstick",
    version,
    propagate_version = true,
    after_help = "Exit codes: 0 the report was written or is up to date, 1 failure (an error: message and hint on stderr), 2 usage error, 130/143 stopped by Ctrl-C or SIGTERM (nothing replaced)."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,

    /// Say what is being done, on stderr; without it a successful run prints nothing.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// The subcommands.
// Parsed once per run, so the size difference between variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read an export, score it and typeset the PDF report.
    Report(ReportCommand),
    /// Read an export and say what was found, without writing anything.
    Check(CheckCommand),
    /// Make a project folder for the quarterly routine: settings, questionnaire,
    /// template copies, exports/ and reports/ folders and a README.
    Init(InitCommand),
    /// Write the questionnaire in every form people use: a printable PDF, a
    /// data-entry workbook for paper forms, an XLSForm for KoboToolbox and ODK
    /// Collect, and text to build it in Microsoft Forms and Google Forms.
    Questionnaire(QuestionnaireCommand),
}

/// `makeitstick report`.
///
/// In a project folder (a makeitstick.toml here, or --config) no argument is
/// needed: every export in the exports folder is read, the history is updated
/// and the latest wave's report is written to the reports folder; when nothing
/// changed since the last report, nothing is written. Without a project, give
/// the exports (one per wave) and --output.
#[derive(Debug, Args)]
pub struct ReportCommand {
    /// The survey exports (.xlsx, .xls, .xlsb, .ods, .csv or .tsv), one per wave; the report
    /// is for the latest wave, with a trend over the others. In a project, the
    /// exports folder when none are given.
    #[arg(value_name = "EXPORT")]
    pub exports: Vec<PathBuf>,

    /// Where to write the PDF report (in a project: the reports folder and report-name).
    #[arg(short, long, value_name = "FILE.pdf")]
    pub output: Option<PathBuf>,

    /// The project settings (otherwise makeitstick.toml in the current folder, when there is one).
    #[arg(long, value_name = "FILE.toml", env = "MAKEITSTICK_CONFIG")]
    pub config: Option<PathBuf>,

    /// Keep each wave's published figures in this history file, to show trends
    /// (in a project: the file its settings name).
    #[arg(long, value_name = "FILE.json")]
    pub history: Option<PathBuf>,

    /// How waves are named when worked out from completion dates (in a project: its `waves` setting).
    #[arg(long, value_enum, value_name = "SCHEME")]
    pub waves: Option<WaveScheme>,

    /// Write the report even when nothing changed since the last one.
    #[arg(long)]
    pub force: bool,

    /// Also write every figure in the report: `.json` (versioned schema) or `.csv` (tidy, one figure a row). Repeat for both.
    #[arg(long, value_name = "FILE.json|FILE.csv")]
    pub scores: Vec<PathBuf>,

    /// The survey round of a single export, such as 2026-Q3 or "2026-27 Q2"; by default
    /// a wave in the file name, else the quarter of the last completed response.
    #[arg(long, value_name = "WAVE")]
    pub wave: Option<Wave>,

    /// The organisation's name, printed on the cover.
    #[arg(long, env = "MAKEITSTICK_ORGANISATION")]
    pub organisation: Option<String>,

    /// The innovation's name, printed on the cover.
    #[arg(long, env = "MAKEITSTICK_INNOVATION")]
    pub innovation: Option<String>,

    /// Accent colour for headings and the cover, as #rrggbb (default #1d4f73, or the project's).
    #[arg(long, value_parser = parse_colour)]
    pub accent: Option<Accent>,

    /// The organisation's logo (.png, .jpg or .svg), printed on the cover.
    #[arg(long, value_name = "FILE")]
    pub logo: Option<PathBuf>,

    /// Quote answers to the instrument's free-text questions, only from groups at or
    /// above the privacy threshold, with e-mail addresses, phone numbers and links removed.
    #[arg(long)]
    pub include_comments: bool,

    /// Replace files of the built-in template with the files in this folder.
    #[arg(long, value_name = "DIR")]
    pub template: Option<PathBuf>,

    /// Keep the Typst build folder (data.json, charts, template) here, for checking.
    #[arg(long, value_name = "DIR")]
    pub keep_build: Option<PathBuf>,

    #[command(flatten)]
    pub typst: TypstArgs,

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

    /// The project settings, for their questionnaire and extra group answers
    /// (otherwise makeitstick.toml in the current folder, when there is one).
    #[arg(long, value_name = "FILE.toml", env = "MAKEITSTICK_CONFIG")]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub scoring: ScoringArgs,
}

/// `makeitstick init`.
#[derive(Debug, Args)]
pub struct InitCommand {
    /// The project folder; created when missing. Nothing in it is ever overwritten.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Make a programme folder instead: a programme.toml listing the sites,
    /// with sites/ (one folder of exports per site) and reports/.
    #[arg(long, conflicts_with = "organisation")]
    pub programme: bool,

    /// The organisation's name, written into the settings.
    #[arg(long)]
    pub organisation: Option<String>,

    /// The innovation's name, written into the settings (with --programme: the programme's name).
    #[arg(long)]
    pub innovation: Option<String>,

    /// How waves are named: calendar quarters (2026-Q3) or UK financial-year quarters (2026-27 Q2).
    #[arg(long, value_enum, default_value_t = WaveScheme::Calendar, value_name = "SCHEME")]
    pub waves: WaveScheme,
}

/// `makeitstick questionnaire`.
///
/// Writes into the folder: questionnaire.pdf (or questionnaire-easy-read.pdf),
/// data-entry.xlsx, xlsform.xlsx, microsoft-forms.txt and google-forms.txt.
/// A file that would not change is left alone; one that would is never
/// replaced without --force (a data-entry workbook may hold typed-in forms).
#[derive(Debug, Args)]
pub struct QuestionnaireCommand {
    /// The folder to write into; created when missing.
    #[arg(short, long, value_name = "DIR", default_value = "questionnaire")]
    pub output: PathBuf,

    /// Print the easy-read questionnaire (larger type, one idea per line, for
    /// workshops with young people) as questionnaire-easy-read.pdf.
    #[arg(long)]
    pub easy_read: bool,

    /// The questionnaire definition (TOML); the project's, else the built-in one, when not given.
    #[arg(long, value_name = "FILE.toml")]
    pub instrument: Option<PathBuf>,

    /// The project settings, for their questionnaire
    /// (otherwise makeitstick.toml in the current folder, when there is one).
    #[arg(long, value_name = "FILE.toml", env = "MAKEITSTICK_CONFIG")]
    pub config: Option<PathBuf>,

    /// Replace files already in the folder that differ from the new ones.
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub typst: TypstArgs,
}

/// Which typst makes a PDF, and how long it may take: shared by every command that makes one.
#[derive(Debug, Args)]
pub struct TypstArgs {
    /// Where to find typst 0.15.1 (otherwise $TYPST, then PATH).
    #[arg(long = "typst", value_name = "PATH", env = "TYPST")]
    pub path: Option<PathBuf>,

    /// Stop typst when it has not made the PDF after this many seconds; no
    /// file already there is replaced.
    #[arg(
        long = "typst-timeout",
        value_name = "SECS",
        default_value_t = 300,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub timeout: u64,
}

/// Options shared by every command that reads an export.
#[derive(Debug, Args)]
pub struct ScoringArgs {
    /// The questionnaire definition (TOML); the project's, else the built-in one, when not given.
    #[arg(long, value_name = "FILE.toml")]
    pub instrument: Option<PathBuf>,

    /// Groups with fewer responses than this are never shown [default: 5, or the project's min-group-size].
    #[arg(long, value_parser = clap::value_parser!(u16).range(2..))]
    pub min_group_size: Option<u16>,

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

    /// The delimiter of a CSV export, instead of sniffing it (comma, semicolon, tab, pipe).
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<crate::ingest::Delimiter>,

    /// How many header rows come before the first response, instead of the platform's
    /// number; several rows are joined into one header per column.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=20))]
    pub header_rows: Option<u16>,

    /// Reader settings for an export no built-in profile fits (TOML: platform,
    /// header-rows, delimiter, encoding, sheet, missing-codes); flags win over it.
    #[arg(long, value_name = "FILE.toml")]
    pub profile: Option<PathBuf>,

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

    /// Whether a date like 01/02/2026 is day first (dmy: 1 February) or month
    /// first (mdy: 2 January), when no date in the column decides it (one like
    /// 13/02/2026 does); otherwise the platform's usual order, as `check` shows.
    #[arg(long, value_enum, value_name = "ORDER")]
    pub date_order: Option<DateOrder>,

    /// What a group answer that belongs to no group does: `error` stops with the
    /// count and first row; `other` counts those rows in "Did not say which group"
    /// [default: error, or the project's unknown-groups].
    #[arg(long, value_enum, value_name = "WHAT")]
    pub unknown_groups: Option<crate::instrument::UnknownGroups>,
    /// Keep unfinished and unsubmitted responses instead of leaving them out.
    #[arg(long)]
    pub keep_incomplete: bool,

    /// Keep rows that repeat an earlier row in every cell, response id or
    /// submission time included (the same submission exported twice), instead
    /// of leaving them out. Identical rows without an id or time are always kept.
    #[arg(long)]
    pub keep_duplicates: bool,

    /// Keep survey previews and test responses (Qualtrics "Survey Preview"),
    /// to try a survey out before it opens; the report's cover then says it is
    /// built from test responses.
    #[arg(long)]
    pub keep_test_responses: bool,
}

impl ReadArgs {
    /// The reader settings these arguments ask for.
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            format: self.format,
            encoding: self.encoding,
            delimiter: self.delimiter,
            header_rows: self.header_rows.map(usize::from),
            sheet: self.sheet.clone(),
            missing_codes: self.missing_codes.clone(),
            keep_incomplete: self.keep_incomplete,
            keep_duplicates: self.keep_duplicates,
            date_order: self.date_order.map(|order| DateOrderSetting {
                order,
                from: "--date-order",
            }),
            keep_test_responses: self.keep_test_responses,
            profile_file: self.profile.clone(),
            questions: None,
        }
    }

    /// The mapping settings these arguments ask for; reads the mapping file.
    pub fn map_options(&self) -> Result<MapOptions, MapError> {
        Ok(MapOptions {
            mapping: self.mapping.as_deref().map(MappingFile::load).transpose()?,
            unknown_groups: self.unknown_groups.unwrap_or_default(),
            quote_unrecognised: false,
        })
    }
}

fn parse_delimiter(text: &str) -> Result<crate::ingest::Delimiter, String> {
    delimiter_for_name(text).ok_or_else(|| {
        format!("{text:?} is not a delimiter makeitstick reads; use comma, semicolon, tab or pipe")
    })
}

fn parse_encoding(text: &str) -> Result<&'static encoding_rs::Encoding, String> {
    encoding_for_name(text).ok_or_else(|| {
        format!("{text:?} is not an encoding makeitstick knows; use utf-8, utf-16le, utf-16be, windows-1252 or macroman")
    })
}

fn parse_colour(text: &str) -> Result<Accent, String> {
    text.parse()
}

/// Arguments clap cannot check by itself, found wrong once the plan is built:
/// shown as clap shows its own usage errors, with exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct UsageError {
    /// The subcommand whose usage is shown.
    subcommand: &'static str,
    /// What is wrong, and what to give instead.
    message: String,
}

impl UsageError {
    /// A usage error of `makeitstick report`.
    pub fn report(message: &str) -> UsageError {
        UsageError {
            subcommand: "report",
            message: message.to_string(),
        }
    }

    /// The error as clap words it, with the subcommand's usage line; its
    /// `print` and `exit_code` (2) are what `main` uses.
    pub fn to_clap(&self) -> clap::Error {
        use clap::CommandFactory;
        let mut cli = Cli::command();
        let subcommand = cli
            .find_subcommand_mut(self.subcommand)
            .expect("the subcommand exists")
            .clone();
        let mut subcommand = subcommand.bin_name(format!("makeitstick {}", self.subcommand));
        subcommand.error(
            clap::error::ErrorKind::MissingRequiredArgument,
            &self.message,
        )
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
            "--date-order",
            "mdy",
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
        assert_eq!(
            options.date_order.map(|d| (d.order, d.from)),
            Some((DateOrder::Mdy, "--date-order"))
        );
        assert!(
            Cli::try_parse_from(["makeitstick", "check", "a.csv", "--encoding", "klingon"])
                .is_err()
        );
    }

    #[test]
    fn report_needs_no_arguments_and_takes_several_exports() {
        let cli = Cli::try_parse_from(["makeitstick", "report", "-v"]).unwrap();
        assert!(cli.verbose);
        let Command::Report(report) = cli.command else {
            panic!("report expected")
        };
        assert!(report.exports.is_empty() && report.output.is_none());
        let cli = Cli::try_parse_from([
            "makeitstick",
            "report",
            "q1.csv",
            "q2.xlsx",
            "--wave",
            "2026-27 Q2",
            "--waves",
            "financial",
        ])
        .unwrap();
        let Command::Report(report) = cli.command else {
            panic!("report expected")
        };
        assert_eq!(report.exports.len(), 2);
        assert_eq!(report.wave.unwrap().to_string(), "2026-27 Q2");
        assert_eq!(report.waves, Some(WaveScheme::Financial));
        assert!(Cli::try_parse_from(["makeitstick", "report", "--wave", "autumn"]).is_err());
        assert!(Cli::try_parse_from(["makeitstick", "init"]).is_err());
    }

    #[test]
    fn colours_must_be_hex() {
        assert_eq!(parse_colour("#1D4F73"), Ok(Accent::DEFAULT));
        assert!(parse_colour("blue").is_err());
    }
}
