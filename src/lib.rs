//! makeitstick: from a survey export to a board-ready improvement report.
//!
//! The pipeline, one module per stage, data moving one way through typed seams:
//!
//! 1. [`ingest`] reads an export (CSV or workbook) into a [`ingest::Table`];
//! 2. [`instrument`] loads the questionnaire and maps columns to statements, giving [`instrument::Responses`];
//! 3. [`score`] turns answers into 0-100 scores per respondent, group and ingredient, giving [`score::Scores`];
//! 4. [`charts`] draws the scores as SVG;
//! 5. [`report`] writes `data.json` and the charts into a build folder and runs `typst` to make the PDF.
//!
//! [`cli`] defines the command line and [`commands`] runs each subcommand.

pub mod charts;
pub mod cli;
pub mod commands;
pub mod ingest;
pub mod instrument;
pub mod project;
pub mod report;
pub mod score;
pub mod text;
