//! One pass over an export, the one reading path of `report` and `check`:
//! rows streamed from the reader ([`crate::ingest::stream`]), mapped to
//! answers ([`RowMapper`]) and added to a [`Tally`] as they go, so that no row
//! is held (see the memory notes of [`crate::ingest`] and [`super::tally`]).

use crate::ingest::{ExportSummary, IngestError, RowStream};
use crate::instrument::{Analysis, Instrument, Respondent, RowMapper};

use super::comments::Comments;
use super::tally::Tally;

/// An export read to its end: what the reader and the mapping found, and the
/// counts of every respondent.
pub struct Tallied<'a> {
    /// The reader's summary: columns, settings, rows read and set aside, dates.
    pub summary: ExportSummary,
    /// The mapping, its row counts and the answers that do not fit (not yet
    /// judged: [`Analysis::into_result`] says whether a report can be made).
    pub analysis: Analysis,
    /// Every respondent's answers, counted per group slot. Its date order is
    /// `None` until the caller sets it from [`ExportSummary::date_order`], which is
    /// an error when the dates read two ways and nothing decides.
    pub tally: Tally<'a>,
    /// Free-text answers, collected only when asked for.
    pub comments: Option<Comments>,
    /// Rows that answered at least one statement.
    pub respondents: usize,
}

/// Reads every kept row of `rows` through `mapper` into a new tally (and the
/// comments, when `include_comments`).
pub fn tally_rows<'a>(
    mut rows: RowStream,
    mut mapper: RowMapper<'_>,
    instrument: &'a Instrument,
    include_comments: bool,
) -> Result<Tallied<'a>, IngestError> {
    let mut comments = include_comments.then(|| Comments::new(&rows.summary().columns, instrument));
    let mut tally = Tally::new(instrument, mapper.in_export());
    let mut respondent = Respondent::default();
    let mut respondents = 0;
    while let Some(row) = rows.next_ref()? {
        if mapper.map(row, &mut respondent) {
            tally.add(&respondent);
            if let Some(comments) = &mut comments {
                comments.add(row, respondent.group);
            }
            respondents += 1;
        }
    }
    let summary = rows.finish();
    let analysis = mapper.finish(summary.rows_read, summary.excluded.clone());
    Ok(Tallied {
        summary,
        analysis,
        tally,
        comments,
        respondents,
    })
}
