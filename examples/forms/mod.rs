//! The Microsoft Forms export both data generators write: the sample data
//! (`examples/sample_data.rs`) and the benchmark's exports (`benches/pipeline.rs`,
//! which includes this file by path). Its columns, the CSV form of a row, and
//! the random draw both use for answers.

use std::path::Path;

use anyhow::Result;
use chrono::NaiveDateTime;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// Microsoft Forms' own leading columns, before the group question.
pub const FORMS_COLUMNS: [&str; 6] = [
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "Last modified time",
];

/// The free-text question that closes the questionnaire.
pub const COMMENT_QUESTION: &str = "Is there anything else you would like to tell us?";

/// Column headers, in Microsoft Forms order: its own columns, the group
/// question, the statements, the comment question.
pub fn headers<'a>(
    group_question: &'a str,
    statements: impl Iterator<Item = &'a str>,
) -> Vec<&'a str> {
    let mut headers: Vec<&str> = FORMS_COLUMNS.to_vec();
    headers.push(group_question);
    headers.extend(statements);
    headers.push(COMMENT_QUESTION);
    headers
}

/// A date and time as Forms writes it in CSV.
pub fn csv_datetime(datetime: NaiveDateTime) -> String {
    datetime.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Writes `headers` and then each row, with Windows line ends as Forms does.
pub fn write_csv(
    path: &Path,
    headers: &[&str],
    rows: impl Iterator<Item = Result<Vec<String>>>,
) -> Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_path(path)?;
    writer.write_record(headers)?;
    for row in rows {
        writer.write_record(&row?)?;
    }
    writer.flush()?;
    Ok(())
}

/// An approximately standard normal number: the sum of twelve uniforms minus
/// six. Unlike Box-Muller it needs no `ln` or `cos`, whose last bits can differ
/// between platforms' maths libraries, so the generated data is the same
/// everywhere. rand_distr is not a dependency, and its tails are not needed.
pub fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    (0..12).map(|_| rng.random::<f64>()).sum::<f64>() - 6.0
}
