//! One pass over an export, the one reading path of `report` and `check`:
//! rows streamed from the reader ([`crate::ingest::stream`]), mapped to
//! answers ([`RowMapper`]) and added to a [`Tally`] as they go, so that no row
//! is held (see the memory notes of [`crate::ingest`] and [`super::tally`]).
//!
//! [`tally_routed`] fills several tallies from one stream, a slot chooser
//! saying which one each respondent goes to: a programme's combined export
//! sends each respondent to their site's tally. [`tally_rows`] is the one-site
//! case every other reader uses.
//!
//! The reading and mapping run in the calling thread, the counting in a second
//! one (see [`tally_routed`]): the two cores share a large export's work.

use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};

use crate::ingest::{ExportSummary, IngestError, Row, RowStream};
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

/// The respondents one slot of a routed read received.
pub struct SlotTally<'a> {
    /// Their answers, counted per group slot (date order `None`, as in [`Tallied::tally`]).
    pub tally: Tally<'a>,
    /// Their free-text answers, collected only when asked for.
    pub comments: Option<Comments>,
    /// Rows sent to this slot that answered at least one statement.
    pub respondents: usize,
    /// Rows sent to this slot that answered no statement (not in the tally).
    pub without_answers: usize,
}

/// An export read to its end into several tallies. The summary and the
/// analysis (rows read, set aside, without answers) are the whole file's,
/// not any one slot's.
pub struct RoutedTallies<'a> {
    /// The reader's summary of the whole export: its rows read and set aside
    /// (spam, previews, duplicates) are the file's, never a slot's.
    pub summary: ExportSummary,
    /// The mapping of the whole export, not yet judged.
    pub analysis: Analysis,
    /// One per slot, in slot order.
    pub slots: Vec<SlotTally<'a>>,
}

/// Reads every kept row of `rows` through `mapper` into a new tally (and the
/// comments, when `include_comments`).
pub fn tally_rows<'a>(
    rows: RowStream,
    mapper: RowMapper<'_>,
    instrument: &'a Instrument,
    include_comments: bool,
) -> Result<Tallied<'a>, IngestError> {
    let read = tally_routed(rows, mapper, instrument, include_comments, 1, |_| Some(0))?;
    let SlotTally {
        tally,
        comments,
        respondents,
        ..
    } = read
        .slots
        .into_iter()
        .next()
        .expect("one slot was asked for");
    Ok(Tallied {
        summary: read.summary,
        analysis: read.analysis,
        tally,
        comments,
        respondents,
    })
}

/// Reads every kept row of `rows` through `mapper` into `slots` tallies:
/// `choose` is asked, for each kept row (answered or not, so that each slot
/// knows its rows without answers), which slot it goes to (`None`: none; an
/// index at or past `slots` is a caller's bug and panics). One stream, one
/// mapper: memory grows with the slots, not the rows.
///
/// Two threads share the work: this one reads, maps and routes each row (so
/// an error is the first bad row's, in file order, as with one thread), and
/// a second one adds the mapped respondents to the tallies. What crosses
/// between them is a respondent's answers (a few hundred bytes), in batches
/// of [`BATCH_RESPONDENTS`] whose buffers come back to be refilled, never a
/// row's text; the channel is bounded, so memory does not grow with the rows.
pub fn tally_routed<'a>(
    mut rows: RowStream,
    mut mapper: RowMapper<'_>,
    instrument: &'a Instrument,
    include_comments: bool,
    slots: usize,
    mut choose: impl FnMut(&Row) -> Option<usize>,
) -> Result<RoutedTallies<'a>, IngestError> {
    let columns = &rows.summary().columns;
    let mut comments: Vec<Option<Comments>> = (0..slots)
        .map(|_| include_comments.then(|| Comments::new(columns, instrument)))
        .collect();
    let mut counts = vec![RowCounts::default(); slots];
    let in_export = mapper.in_export();
    let path = rows.summary().source.clone();
    let tallies = std::thread::scope(|scope| -> Result<Vec<Tally<'a>>, IngestError> {
        let (send, receive) = sync_channel::<Batch>(BATCHES_IN_FLIGHT);
        let (give_back, spare) = channel::<Batch>();
        let counter = std::thread::Builder::new()
            .name("tally".into())
            .spawn_scoped(scope, move || {
                let mut tallies: Vec<Tally<'a>> = (0..slots)
                    .map(|_| Tally::new(instrument, in_export.clone()))
                    .collect();
                for mut batch in receive {
                    for (slot, respondent) in &batch.respondents[..batch.filled] {
                        tallies[*slot].add(respondent);
                    }
                    batch.filled = 0;
                    // The reading side may have finished: the buffers are no longer needed.
                    give_back.send(batch).ok();
                }
                tallies
            })
            .map_err(|source| IngestError::Io { path, source })?;
        let sending = Sending {
            send,
            spare,
            batch: Batch::default(),
        };
        let read = route_rows(
            &mut rows,
            &mut mapper,
            &mut choose,
            &mut comments,
            &mut counts,
            sending,
        );
        let tallies = counter
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        read.map(|()| tallies)
    })?;
    let summary = rows.finish();
    let analysis = mapper.finish(summary.rows_read, summary.excluded.clone());
    let filled = tallies
        .into_iter()
        .zip(comments)
        .zip(counts)
        .map(|((tally, comments), counts)| SlotTally {
            tally,
            comments,
            respondents: counts.respondents,
            without_answers: counts.without_answers,
        })
        .collect();
    Ok(RoutedTallies {
        summary,
        analysis,
        slots: filled,
    })
}

/// Respondents sent to the counting thread at a time: enough that the
/// channel costs nothing per respondent, few enough to stay small.
const BATCH_RESPONDENTS: usize = 256;

/// Batches on their way before the reading side waits for the counting side.
const BATCHES_IN_FLIGHT: usize = 4;

/// Rows a slot received, counted on the reading side.
#[derive(Debug, Clone, Copy, Default)]
struct RowCounts {
    respondents: usize,
    without_answers: usize,
}

/// Mapped respondents on their way to be counted, each with its slot. The
/// first `filled` are this batch's; the rest are buffers kept for reuse.
#[derive(Default)]
struct Batch {
    filled: usize,
    respondents: Vec<(usize, Respondent)>,
}

impl Batch {
    /// Adds a copy of `respondent` for `slot`, into a kept buffer when there is one.
    fn push(&mut self, slot: usize, respondent: &Respondent) {
        match self.respondents.get_mut(self.filled) {
            Some((to, copy)) => {
                *to = slot;
                copy.row = respondent.row;
                copy.group = respondent.group;
                copy.completed = respondent.completed;
                copy.answers.clone_from(&respondent.answers);
            }
            None => self.respondents.push((slot, respondent.clone())),
        }
        self.filled += 1;
    }
}

/// The reading side's end of the channel to the counting thread.
struct Sending {
    send: SyncSender<Batch>,
    /// Batches the counting side has emptied, to be refilled.
    spare: Receiver<Batch>,
    /// The batch being filled.
    batch: Batch,
}

impl Sending {
    /// Sends the batch being filled, when it is full or `last`; false when
    /// the counting side has gone (it panicked: joining it shows why).
    fn flush(&mut self, last: bool) -> bool {
        if self.batch.filled < BATCH_RESPONDENTS && !(last && self.batch.filled > 0) {
            return true;
        }
        let next = self.spare.try_recv().unwrap_or_default();
        self.send
            .send(std::mem::replace(&mut self.batch, next))
            .is_ok()
    }
}

/// The reading side of [`tally_routed`]: every kept row mapped and routed,
/// its respondent sent to be counted; the channel closes when this returns.
fn route_rows(
    rows: &mut RowStream,
    mapper: &mut RowMapper<'_>,
    choose: &mut impl FnMut(&Row) -> Option<usize>,
    comments: &mut [Option<Comments>],
    counts: &mut [RowCounts],
    mut sending: Sending,
) -> Result<(), IngestError> {
    let mut respondent = Respondent::default();
    while let Some(row) = rows.next_ref()? {
        let answered = mapper.map(row, &mut respondent);
        let Some(slot) = choose(row) else { continue };
        if !answered {
            counts[slot].without_answers += 1;
            continue;
        }
        sending.batch.push(slot, &respondent);
        if let Some(comments) = &mut comments[slot] {
            comments.add(row, respondent.group);
        }
        counts[slot].respondents += 1;
        if !sending.flush(false) {
            return Ok(());
        }
    }
    sending.flush(true);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::ReadOptions;
    use crate::instrument::MapOptions;

    /// A small export: an id, the group question and every statement, with
    /// answers that differ by row.
    fn export(instrument: &Instrument, rows: usize) -> tempfile::NamedTempFile {
        let labels: Vec<String> = (instrument.default_scale().points.iter())
            .map(|p| p.label.clone())
            .collect();
        let groups = instrument.group_options();
        let mut writer = csv::Writer::from_writer(Vec::new());
        let mut header = vec!["ID".to_string()];
        header.push(instrument.groups.as_ref().unwrap().question.clone());
        header.extend(instrument.statements().map(|(_, s)| s.text.clone()));
        writer.write_record(&header).unwrap();
        for i in 0..rows {
            let mut record = vec![(i + 1).to_string(), groups[i % groups.len()].name.clone()];
            // Row 6 (the fifth respondent) answers no statement.
            let blank = i == 4;
            record.extend((0..instrument.statements().count()).map(|k| match blank {
                true => String::new(),
                false => labels[(i * i / 3 + k) % labels.len()].clone(),
            }));
            writer.write_record(&record).unwrap();
        }
        let file = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
        std::fs::write(file.path(), writer.into_inner().unwrap()).unwrap();
        file
    }

    fn read<'a>(
        path: &std::path::Path,
        instrument: &'a Instrument,
        slots: usize,
        choose: impl FnMut(&Row) -> Option<usize>,
    ) -> RoutedTallies<'a> {
        let options = ReadOptions {
            questions: Some(crate::instrument::question_columns(
                instrument,
                &MapOptions::default(),
            )),
            ..Default::default()
        };
        let rows = crate::ingest::stream(path, &options).unwrap();
        let mapper = RowMapper::new(rows.summary(), instrument, &MapOptions::default()).unwrap();
        tally_routed(rows, mapper, instrument, true, slots, choose).unwrap()
    }

    fn scores(tally: &Tally) -> String {
        let counts = crate::score::ReadCounts::default();
        serde_json::to_string(&crate::score::finish(
            tally,
            tally.instrument(),
            1,
            None,
            counts,
        ))
        .unwrap()
    }

    #[test]
    fn routed_slots_add_up_to_the_one_site_tally() {
        let instrument = Instrument::load(None).unwrap();
        let file = export(&instrument, 40);
        let whole = read(file.path(), &instrument, 1, |_| Some(0));
        // Odd rows to slot 1, even to slot 0, every fifth nowhere.
        let split = read(file.path(), &instrument, 2, |row| {
            (row.number % 5 != 0).then_some(row.number % 2)
        });
        assert_eq!(whole.summary.rows_read, split.summary.rows_read);
        let kept: usize = split.slots.iter().map(|s| s.respondents).sum();
        assert_eq!(whole.slots[0].respondents, 39);
        assert_eq!(whole.slots[0].without_answers, 1);
        assert_eq!(kept, 31);
        assert_eq!(split.slots[0].respondents, 15);
        assert_eq!(split.slots[0].without_answers, 1);
        assert_eq!(split.slots[1].without_answers, 0);
        assert!(scores(&split.slots[0].tally) != scores(&split.slots[1].tally));
    }

    #[test]
    fn the_counting_thread_counts_what_one_thread_counts() {
        // Enough rows for several batches, so that refilled buffers are used.
        let instrument = Instrument::load(None).unwrap();
        let file = export(&instrument, 3 * BATCH_RESPONDENTS + 45);
        let threaded = read(file.path(), &instrument, 2, |row| Some(row.number % 2));
        let options = ReadOptions {
            questions: Some(crate::instrument::question_columns(
                &instrument,
                &MapOptions::default(),
            )),
            ..Default::default()
        };
        let mut rows = crate::ingest::stream(file.path(), &options).unwrap();
        let mut mapper =
            RowMapper::new(rows.summary(), &instrument, &MapOptions::default()).unwrap();
        let mut alone: Vec<Tally> = (0..2)
            .map(|_| Tally::new(&instrument, mapper.in_export()))
            .collect();
        let mut respondent = Respondent::default();
        while let Some(row) = rows.next_ref().unwrap() {
            if mapper.map(row, &mut respondent) {
                alone[row.number % 2].add(&respondent);
            }
        }
        for (slot, tally) in threaded.slots.iter().zip(&alone) {
            assert_eq!(scores(&slot.tally), scores(tally));
        }
        let counted: usize = threaded.slots.iter().map(|s| s.respondents).sum();
        assert_eq!(counted, 3 * BATCH_RESPONDENTS + 44);
    }

    #[test]
    fn a_slot_holds_exactly_the_rows_sent_to_it() {
        let instrument = Instrument::load(None).unwrap();
        let file = export(&instrument, 30);
        // Rows 2..=11 (the first ten data rows) to slot 1.
        let split = read(file.path(), &instrument, 2, |row| {
            Some(usize::from(row.number <= 11))
        });
        let dir = tempfile::tempdir().unwrap();
        let first_ten = dir.path().join("ten.csv");
        let text = std::fs::read_to_string(file.path()).unwrap();
        let lines: Vec<&str> = text.lines().take(11).collect();
        std::fs::write(&first_ten, lines.join("\n") + "\n").unwrap();
        let alone = read(&first_ten, &instrument, 1, |_| Some(0));
        assert_eq!(split.slots[1].respondents, 9);
        assert_eq!(split.slots[1].without_answers, 1);
        assert_eq!(alone.slots[0].without_answers, 1);
        assert_eq!(scores(&split.slots[1].tally), scores(&alone.slots[0].tally));
    }
}
