//! The `makeitstick` command: parse, run, print any error with a hint, exit.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = makeitstick::cli::Cli::parse();
    match makeitstick::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if let Some(usage) = error.downcast_ref::<makeitstick::cli::UsageError>() {
                // Worded and coded as clap's own usage errors (exit code 2).
                let usage = usage.to_clap();
                let _ = usage.print();
                return ExitCode::from(u8::try_from(usage.exit_code()).unwrap_or(2));
            }
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
