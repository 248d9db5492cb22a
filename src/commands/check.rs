//! `makeitstick check`: read an export and say what was found, writing nothing.

use anyhow::Result;
use serde::Serialize;

use crate::cli::CheckCommand;
use crate::ingest;
use crate::instrument::{Instrument, MappedColumn, map_table};

/// What `check` found, as printed with `--json`.
#[derive(Debug, Serialize)]
struct Findings {
    file: String,
    format: String,
    rows_read: usize,
    rows_without_answers: usize,
    responses: usize,
    identity_columns_dropped: Vec<String>,
    group_column: Option<String>,
    mapping: Vec<MappedColumn>,
    unmapped_columns: Vec<String>,
    statements_without_column: Vec<String>,
}

/// Runs the check command.
pub fn run(command: CheckCommand) -> Result<()> {
    let instrument = Instrument::load(command.scoring.instrument.as_deref())?;
    let table = ingest::read(&command.export)?;
    let responses = map_table(&table, &instrument)?;
    let findings = Findings {
        file: command.export.display().to_string(),
        format: table.description.clone(),
        rows_read: responses.rows_read,
        rows_without_answers: responses.rows_without_answers,
        responses: responses.respondents.len(),
        identity_columns_dropped: table.dropped_identity.clone(),
        group_column: responses.group_column.clone(),
        mapping: responses.mapping.clone(),
        unmapped_columns: responses.unmapped.clone(),
        statements_without_column: responses.unmatched_statements.clone(),
    };
    if command.json {
        println!("{}", serde_json::to_string_pretty(&findings)?);
    } else {
        print!("{}", describe(&findings));
    }
    Ok(())
}

fn describe(f: &Findings) -> String {
    let mut out = String::new();
    let list = |items: &[String]| {
        if items.is_empty() {
            "none".to_string()
        } else {
            items.join(", ")
        }
    };
    out.push_str(&format!("file:       {}\n", f.file));
    out.push_str(&format!("format:     {}\n", f.format));
    out.push_str(&format!(
        "rows:       {} read, {} with no answers, {} responses\n",
        f.rows_read, f.rows_without_answers, f.responses
    ));
    out.push_str(&format!(
        "dropped:    {} (identity columns, removed on reading)\n",
        list(&f.identity_columns_dropped)
    ));
    out.push_str(&format!(
        "group:      {}\n",
        f.group_column
            .as_deref()
            .unwrap_or("no group question found: everyone is in one group")
    ));
    out.push_str(&format!("mapping:    {} columns\n", f.mapping.len()));
    for m in &f.mapping {
        out.push_str(&format!(
            "  {:>4}  {:<16} {:<14} {}\n",
            m.column, m.statement, m.ingredient, m.header
        ));
    }
    out.push_str(&format!("unmapped:   {}\n", list(&f.unmapped_columns)));
    out.push_str(&format!(
        "missing:    {}\n",
        list(&f.statements_without_column)
    ));
    out
}
