//! The `makeitstick` command: parse, run, print any error with a hint, exit.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = makeitstick::cli::Cli::parse();
    match makeitstick::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  because: {cause}");
            }
            if let Some(hint) = makeitstick::commands::hint(&error) {
                eprintln!("hint: {hint}");
            }
            ExitCode::FAILURE
        }
    }
}
