//! Records read in a thread of their own and handed over in batches, so that
//! reading (parsing a sheet's XML) runs on one core while the rows are
//! shaped, mapped and scored on another. Used for .xlsx sheets, where reading
//! is most of the work. A CSV export's records are not handed across
//! (measured: moving their text between cores cost more than it saved, see
//! the README's Performance section); its mapped respondents are, to be
//! counted in a thread of their own ([`crate::score::read::tally_routed`]).
//!
//! The channel is bounded ([`BATCHES_IN_FLIGHT`] batches of [`BATCH_ROWS`]
//! records), so the reading side is never more than a few thousand rows ahead
//! and memory does not grow with the file.
//!
//! An error ends the batches: it is sent after the records before it, so the
//! rows before a broken one are handed on (and judged) first, as when one
//! thread reads them.

use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use super::{IngestError, Record};

/// Records sent at a time: few enough to stay small, many enough that the
/// channel costs nothing per record.
pub(crate) const BATCH_ROWS: usize = 256;

/// Batches waiting to be taken before the reading side waits in turn.
pub(crate) const BATCHES_IN_FLIGHT: usize = 8;

/// What the reading side sends: a batch of records, or the error that ends them.
type Message = Result<Vec<Record>, IngestError>;

/// The reading side's end of the channel.
pub(crate) struct Producer {
    sender: SyncSender<Message>,
}

impl Producer {
    /// Sends a batch; false when the taking side has gone (stop reading then).
    pub(crate) fn send(&self, batch: Vec<Record>) -> bool {
        self.sender.send(Ok(batch)).is_ok()
    }

    /// Sends the error that ends the records.
    pub(crate) fn fail(&self, error: IngestError) {
        // Nobody to tell when the taking side has gone.
        self.sender.send(Err(error)).ok();
    }
}

/// The taking side: records one at a time from the batches, in order.
pub(crate) struct Batches {
    receiver: Option<Receiver<Message>>,
    batch: Vec<Record>,
    /// The next record of `batch` to hand on.
    next: usize,
    reader: Option<JoinHandle<()>>,
}

impl Batches {
    /// Starts `produce` in a thread named `name`.
    pub(crate) fn start(
        path: &Path,
        name: &str,
        produce: impl FnOnce(&Producer) + Send + 'static,
    ) -> Result<Batches, IngestError> {
        let (sender, receiver) = sync_channel(BATCHES_IN_FLIGHT);
        let producer = Producer { sender };
        let reader = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || produce(&producer))
            .map_err(|source| IngestError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        Ok(Batches {
            receiver: Some(receiver),
            batch: Vec::new(),
            next: 0,
            reader: Some(reader),
        })
    }

    /// The next record into `record`; false at the end.
    pub(crate) fn next_into(&mut self, record: &mut Record) -> Result<bool, IngestError> {
        while self.next == self.batch.len() {
            let Some(receiver) = &self.receiver else {
                return Ok(false);
            };
            let message = receiver.recv();
            self.batch.clear();
            self.next = 0;
            match message {
                Ok(Ok(batch)) => self.batch = batch,
                Ok(Err(error)) => {
                    self.receiver = None;
                    return Err(error);
                }
                Err(_) => {
                    self.receiver = None;
                    self.join();
                    return Ok(false);
                }
            }
        }
        std::mem::swap(record, &mut self.batch[self.next]);
        self.next += 1;
        Ok(true)
    }

    /// Waits for the reading side; a panic there is a bug to show, not an end of records.
    fn join(&mut self) {
        if let Some(reader) = self.reader.take()
            && let Err(panic) = reader.join()
        {
            std::panic::resume_unwind(panic);
        }
    }
}
