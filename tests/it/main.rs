//! The integration test crate: CLI tests on the built binary, and end-to-end
//! tests that run the real typst and read the PDF back.

mod actions;
mod check_columns;
mod cli;
mod common;
mod dataloss;
mod dates;
mod e2e;
mod exports_dir;
mod figures;
mod hostile;
mod identity;
mod ingest;
mod leaks;
mod privacy;
mod programme;
mod programme_e2e;
mod programme_report;
mod programme_run;
mod programme_trend;
mod properties;
mod questionnaire;
mod recompute;
mod report;
mod robust;
mod scales;
mod scripts;
mod site_compare;
mod streaming;
mod waves;
