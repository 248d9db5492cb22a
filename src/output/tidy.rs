//! Scores as a tidy CSV: one figure per row, for Excel and Power BI.
//!
//! Columns: `wave, ingredient, statement, group, measure, value`. An empty
//! `statement` means the row is about the whole ingredient; `group` is a group
//! id, `all` (everyone included) or `lived-vs-professional` (the gap). Text
//! cells that a spreadsheet would run as a formula (starting `=`, `+`, `-`,
//! `@`, tab or carriage return) get a leading apostrophe.

use std::io::Write;

use crate::score::{Gap, Scores, Summary};

/// The columns of a tidy CSV, in order.
pub const COLUMNS: [&str; 6] = [
    "wave",
    "ingredient",
    "statement",
    "group",
    "measure",
    "value",
];

/// Writes every figure of `scores` as tidy CSV.
pub fn write_csv(scores: &Scores, writer: impl Write) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(writer);
    out.write_record(COLUMNS)?;
    for_each_row(scores, |record| out.write_record(record))?;
    out.flush()?;
    Ok(())
}

/// Gives every figure of `scores` to `emit` as one record in [`COLUMNS`]'
/// order, text already made safe for a spreadsheet ([`safe`]): the rows of
/// [`write_csv`], for a writer that adds columns of its own.
pub fn for_each_row(
    scores: &Scores,
    mut emit: impl FnMut([String; 6]) -> csv::Result<()>,
) -> csv::Result<()> {
    let wave = scores.wave.clone().unwrap_or_default();
    let mut row = |ingredient: &str, statement: &str, group: &str, measure: &str, value: f64| {
        emit(record(&wave, ingredient, statement, group, measure, value))
    };
    for ingredient in &scores.ingredients {
        let id = ingredient.id.as_str();
        if let Some(overall) = &ingredient.overall {
            summary_rows(&mut row, id, "", "all", overall)?;
        }
        if let Some(p) = ingredient.positive_percent {
            row(id, "", "all", "positive_percent", p)?;
        }
        if let Some(alpha) = ingredient.consistency.alpha {
            row(id, "", "all", "cronbach_alpha", alpha)?;
            row(
                id,
                "",
                "all",
                "cronbach_alpha_n",
                ingredient.consistency.n as f64,
            )?;
        }
        for cell in &ingredient.groups {
            row(
                id,
                "",
                &cell.id,
                "shown",
                if cell.shown { 1.0 } else { 0.0 },
            )?;
            if let Some(summary) = &cell.summary {
                summary_rows(&mut row, id, "", &cell.id, summary)?;
            }
        }
        if let Some(gap) = &ingredient.gap {
            gap_rows(&mut row, id, "", gap)?;
        }
        for statement in &ingredient.statements {
            let sid = statement.id.as_str();
            row(id, sid, "all", "n", statement.n as f64)?;
            if let Some(mean) = statement.mean {
                row(id, sid, "all", "mean", mean)?;
            }
            if let Some(agree) = statement.agree_percent {
                row(id, sid, "all", "agree_percent", agree)?;
            }
            for (point, count) in scores.rules.scale.iter().zip(&statement.counts) {
                row(
                    id,
                    sid,
                    "all",
                    &format!("count_{}", point.value),
                    *count as f64,
                )?;
            }
            for (k, count) in statement.missing_counts.iter().enumerate() {
                row(
                    id,
                    sid,
                    "all",
                    &format!("count_missing_{}", k + 1),
                    *count as f64,
                )?;
            }
            if let Some(gap) = &statement.gap {
                gap_rows(&mut row, id, sid, gap)?;
            }
        }
    }
    Ok(())
}

/// One tidy record in [`COLUMNS`]' order, text made safe.
pub fn record(
    wave: &str,
    ingredient: &str,
    statement: &str,
    group: &str,
    measure: &str,
    value: f64,
) -> [String; 6] {
    [
        safe(wave),
        safe(ingredient),
        safe(statement),
        safe(group),
        measure.to_string(),
        format_number(value),
    ]
}

/// Where a writer's rows go: ingredient, statement, group, measure, value.
pub(crate) type RowFn<'a> = dyn FnMut(&str, &str, &str, &str, f64) -> csv::Result<()> + 'a;

/// The rows of one summary: n, mean, median and, when known, sd and the 95% interval.
pub(crate) fn summary_rows(
    row: &mut RowFn,
    ingredient: &str,
    statement: &str,
    group: &str,
    s: &Summary,
) -> csv::Result<()> {
    row(ingredient, statement, group, "n", s.n as f64)?;
    row(ingredient, statement, group, "mean", s.mean)?;
    row(ingredient, statement, group, "median", s.median)?;
    for (measure, value) in [("sd", s.sd), ("ci_low", s.ci_low), ("ci_high", s.ci_high)] {
        if let Some(value) = value {
            row(ingredient, statement, group, measure, value)?;
        }
    }
    Ok(())
}

fn gap_rows(row: &mut RowFn, ingredient: &str, statement: &str, gap: &Gap) -> csv::Result<()> {
    let group = "lived-vs-professional";
    for (measure, value) in [
        ("lived_n", gap.lived_n as f64),
        ("lived_mean", gap.lived_mean),
        ("professional_n", gap.professional_n as f64),
        ("professional_mean", gap.professional_mean),
        ("difference", gap.difference),
        ("ci_low", gap.ci_low),
        ("ci_high", gap.ci_high),
        ("differs", if gap.differs { 1.0 } else { 0.0 }),
    ] {
        row(ingredient, statement, group, measure, value)?;
    }
    Ok(())
}

/// Numbers as plain decimals: "72.5", "3", never "3.0" or an exponent.
fn format_number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// Neutralises text a spreadsheet would treat as a formula.
pub fn safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(safe("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(safe("+1"), "'+1");
        assert_eq!(safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe("context"), "context");
    }

    #[test]
    fn numbers_are_plain() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(72.5), "72.5");
        assert_eq!(format_number(-4.25), "-4.25");
    }
}
