//! The `makeitstick` command: parse, run, print any error with a hint, exit.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = makeitstick::cli::Cli::parse();
    match makeitstick::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            use makeitstick::commands::bounded_message;
            let mut said = format!("{error}");
            eprintln!("error: {}", bounded_message(&said));
            for cause in error.chain().skip(1) {
                // Typed errors often end with their cause's text already: say it once.
                let cause = cause.to_string();
                if !said.contains(&cause) {
                    eprintln!("  because: {}", bounded_message(&cause));
                    said.push_str(&cause);
                }
            }
            if let Some(hint) = makeitstick::commands::hint(&error) {
                eprintln!("hint: {hint}");
            }
            ExitCode::from(makeitstick::commands::exit_code(&error))
        }
    }
}
