//! makeitstick: from a survey export to a board-ready improvement report.
//!
//! The pipeline, one module per stage, data moving one way through typed seams:
//!
//! 1. [`ingest`] reads an export (CSV streamed row by row, or a workbook) into rows of text cells;
//! 2. [`instrument`] loads the questionnaire and maps each row to one answer per statement;
//! 3. [`score`] tallies the answers as they arrive and turns the tally into [`score::Scores`],
//!    applying the privacy rule;
//! 4. [`charts`] draws the scores as SVG;
//! 5. [`report`] writes `data.json` and the charts into a build folder and runs `typst` to make the PDF.
//!
//! [`cli`] defines the command line, [`commands`] runs each subcommand as a short sequence of
//! library calls, [`pipeline`] takes one site's exports through stages 1 to 3 into waves of its
//! history, and [`project`] keeps the quarterly routine: settings, waves and the history of
//! earlier waves. [`questionnaire`] writes the questionnaire out (paper, data-entry workbook,
//! XLSForm, Forms text) for the survey itself. [`log`] prints progress and warnings. [`wave`]
//! names survey rounds (below [`score`], so every stage can use it). [`text`] holds the text
//! normalisation every matching step shares, and [`fonts`] the fonts the template ships, parsed
//! once. [`check`] says what one export holds and how it would be read, by the same path.
//! [`colour`] is the accent colour, parsed and checked once from the settings or flags.
//! [`output`] writes a run's outputs all or nothing, and [`interrupt`] lets SIGINT/SIGTERM
//! stop a run cleanly.

pub mod actions;
pub mod charts;
pub mod check;
pub mod cli;
pub mod colour;
pub mod commands;
pub mod fonts;
pub mod ingest;
pub mod instrument;
pub mod interrupt;
pub mod log;
pub mod output;
pub mod pipeline;
pub mod programme;
pub mod project;
pub mod questionnaire;
pub mod report;
pub mod score;
pub mod text;
pub mod wave;
