//! From records to kept rows, one row at a time: the stages every source shares.
//!
//! [`RowStream`] takes records (header rows first) from a file being read or
//! from memory, and gives the kept rows one by one:
//!
//! 1. **head**: leading blank records skipped, the platform detected from the
//!    first three records, the header rows folded into one header per column;
//! 2. **sample**: the first `sample` data rows are shaped (blank rows skipped,
//!    cells cleaned, rows longer than the header refused) and held, and the
//!    layout is decided from them: trailing columns without a header that are
//!    empty in every sampled row are dropped, and SurveyMonkey's expanded
//!    single-choice columns are folded where every sampled cell is its
//!    column's option. A workbook read whole (.xls, .xlsb, .ods) and records
//!    given in memory are sampled whole, so these decisions see every row; a
//!    text export and an .xlsx sheet are sampled on their first [`SAMPLE_ROWS`];
//! 3. **each row**: the same folding, then the date, duplicate, exclusion
//!    and identity rules, in [`Layout::row`]. A row is held only until it is
//!    handed on.
//!
//! What is kept per row while streaming: a 64-bit hash of each data row, to
//! find rows that repeat an earlier one (8 bytes a row in a hash set, about
//! 18 MB for a million rows; nothing with `--keep-duplicates` when the export
//! has a response id or submission time). Nothing else grows with the number
//! of rows: the completion dates are kept as the earliest and latest under
//! each reading ([`super::Span`]) until the column's order is decided at the end.
//!
//! Why one file of over 600 lines: it is one row's journey (head, sample, then
//! [`Layout::row`]'s date, duplicate, exclusion and identity rules) over state
//! those stages share; its tests are in `tests/it` (streaming, ingest, identity).

use std::collections::{BTreeMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};

use super::csv_source::TextRecords;
use super::dates::{Conflict, DateReading, DateTracker, Span};
use super::identity::{ContentCount, IdentityColumn, IdentityReason};
use super::sheet_stream::SheetRecords;
use super::{
    Column, Excluded, ExclusionReason, ExclusionRule, ExportSummary, HeaderColumn, HeaderRule,
    IngestError, Platform, Profile, ReadOptions, Record, Row, Source, clean_ends_in_place,
    clean_in_place, clip, collapse_expanded, column_letter, completion_column, detect,
    display_header, fold_row, header_columns, submission_key_columns,
};

/// How many data rows the streaming reader holds before it fixes the layout
/// (trailing empty columns, SurveyMonkey's expanded columns, a one-column
/// header's width). A thousand rows of a wide export are a few megabytes.
pub const SAMPLE_ROWS: usize = 1000;

/// Where records come from.
pub(crate) enum Records {
    /// Read into memory already (workbooks, records given in memory).
    Memory(std::vec::IntoIter<Record>),
    /// Read from a text file as they are needed.
    Text(Box<TextRecords>),
    /// Read from an .xlsx sheet, in a thread of their own, as they are needed.
    Sheet(Box<SheetRecords>),
}

impl Iterator for Records {
    type Item = Result<Record, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut record = Record {
            number: 0,
            cells: Vec::new(),
            clean_inside: false,
            hash: None,
        };
        self.next_into(&mut record)
            .map(|more| more.then_some(record))
            .transpose()
    }
}

impl Records {
    /// The next record into `record`, reusing its cells' buffers where it can;
    /// false at the end.
    fn next_into(&mut self, record: &mut Record) -> Result<bool, IngestError> {
        match self {
            Records::Memory(records) => Ok(records.next().map(|r| *record = r).is_some()),
            Records::Text(records) => records.next_into(record),
            Records::Sheet(records) => records.next_into(record),
        }
    }
}

/// An export being read one kept row at a time.
///
/// [`summary`](RowStream::summary) describes the columns before any row is
/// read; [`next_row`](RowStream::next_row) gives each kept row once;
/// [`finish`](RowStream::finish) gives the summary with the counts of rows
/// read and excluded.
pub struct RowStream {
    summary: ExportSummary,
    source: Source,
    records: Records,
    shaper: Shaper,
    layout: Layout,
    sample: std::vec::IntoIter<(usize, Vec<String>)>,
    /// The record being read and the row being made: their buffers are reused.
    record: Record,
    current: Row,
}

impl RowStream {
    /// Reads the header rows and the sample, and decides the layout.
    pub(crate) fn open(
        path: &Path,
        source: Source,
        mut records: Records,
        options: &ReadOptions,
        sample_rows: usize,
    ) -> Result<RowStream, IngestError> {
        // Leading blank lines are not headers.
        let mut head: Vec<Record> = Vec::new();
        let mut pull = |head: &mut Vec<Record>, wanted: usize| -> Result<(), IngestError> {
            while head.len() < wanted {
                match records.next().transpose()? {
                    Some(record) if head.is_empty() && is_blank(&record.cells) => {}
                    Some(record) => head.push(record),
                    None => break,
                }
            }
            Ok(())
        };
        pull(&mut head, 3)?;
        if head.is_empty() {
            return Err(IngestError::Empty {
                path: path.to_path_buf(),
            });
        }
        let first: Vec<&[String]> = head.iter().map(|r| r.cells.as_slice()).collect();
        let (platform, platform_detected) = match options.format {
            Some(platform) => (platform, false),
            None => (detect(&first), true),
        };
        let mut profile = Profile::built_in(platform);
        profile.encoding = options.encoding;
        profile.delimiter = options.delimiter;
        if let Some(rows) = options.header_rows {
            profile.header_rows = rows;
        }
        if options.sheet.is_some() {
            profile.sheet = options.sheet.clone();
        }
        for code in &options.missing_codes {
            if !profile.missing_codes.contains(code) {
                profile.missing_codes.push(code.clone());
            }
        }
        pull(&mut head, profile.header_rows)?;
        let header_rows = profile.header_rows.min(head.len());
        let data: Vec<Record> = head.split_off(header_rows);
        let headers = header_columns(platform, &head);
        drop(head);

        let mut shaper = Shaper {
            path: path.to_path_buf(),
            width: headers.len(),
            headers: headers.len(),
            frozen: false,
        };
        let mut sample = Vec::new();
        let mut data = data.into_iter().map(Ok).chain(&mut records);
        while sample.len() < sample_rows {
            let Some(mut record) = data.next().transpose()? else {
                break;
            };
            if shaper.shape(&mut record)? {
                sample.push((record.number, record.cells));
            }
        }
        drop(data);
        shaper.frozen = true;
        let width = shaper.width;
        profile.header_rows = header_rows;
        let (layout, columns, dropped_identity, kept_yes_no) = Layout::decide(
            path,
            platform,
            headers,
            width,
            header_rows,
            &mut sample,
            options,
        )?;
        let mut summary = ExportSummary {
            source: path.to_path_buf(),
            description: String::new(),
            columns,
            dropped_identity,
            kept_yes_no,
            profile,
            platform_detected,
            encoding: None,
            encoding_rule: None,
            delimiter: None,
            sheet: None,
            rows_read: 0,
            excluded: Vec::new(),
            identical_rows: 0,
            dates: None,
            test_responses: 0,
        };
        describe(&mut summary, &source);
        Ok(RowStream {
            summary,
            source,
            records,
            shaper,
            layout,
            sample: sample.into_iter(),
            record: Record {
                number: 0,
                cells: Vec::new(),
                clean_inside: false,
                hash: None,
            },
            current: Row {
                number: 0,
                cells: Vec::new(),
                completed: None,
            },
        })
    }

    /// The columns, platform and reading settings; its rows are empty, and its
    /// counts are only complete in [`finish`](RowStream::finish).
    pub fn summary(&self) -> &ExportSummary {
        &self.summary
    }

    /// The next kept row, or `None` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<Row>, IngestError> {
        Ok(self.advance()?.then(|| Row {
            number: self.current.number,
            cells: std::mem::take(&mut self.current.cells),
            completed: self.current.completed,
        }))
    }

    /// The next kept row, lent until the next call: the same rows as
    /// [`next_row`](RowStream::next_row), without allocating for each.
    pub fn next_ref(&mut self) -> Result<Option<&Row>, IngestError> {
        Ok(self.advance()?.then_some(&self.current))
    }

    /// Reads up to the next kept row into `current`; false at the end.
    fn advance(&mut self) -> Result<bool, IngestError> {
        loop {
            match self.sample.next() {
                Some((number, cells)) => {
                    self.record.number = number;
                    self.record.cells = cells;
                    self.record.clean_inside = false;
                    self.record.hash = None;
                }
                None => {
                    if !self.records.next_into(&mut self.record)? {
                        return Ok(false);
                    }
                    if !self.shaper.shape(&mut self.record)? {
                        continue;
                    }
                    for &(start, end) in &self.layout.folds {
                        fold_row(&mut self.record.cells, start, end);
                        self.record.hash = None;
                    }
                }
            }
            if self.layout.row(
                self.record.number,
                &mut self.record.cells,
                self.record.hash,
                &mut self.current,
            )? {
                return Ok(true);
            }
        }
    }

    /// Reads the rows left without handing them on, then gives what
    /// [`finish`](RowStream::finish) gives: for `check`, which counts the rows
    /// of an export whose columns fit no questionnaire.
    pub fn skip_to_end(mut self) -> Result<ExportSummary, IngestError> {
        while self.advance()? {}
        Ok(self.finish())
    }

    /// The summary with the counts of rows read and set aside.
    pub fn finish(mut self) -> ExportSummary {
        self.summary.rows_read = self.layout.rows_read;
        self.summary.excluded = std::mem::take(&mut self.layout.excluded)
            .into_iter()
            .map(|(reason, count)| Excluded { reason, count })
            .collect();
        self.summary.identical_rows = self.layout.identical_rows;
        self.summary.dates = self.layout.dates.as_ref().map(|dates| {
            DateReading::decide(
                dates.header.clone(),
                dates.letter.clone(),
                &dates.tracker,
                dates.tracker.setting,
                self.summary.profile.platform,
                &dates.kept,
            )
        });
        self.summary.test_responses = self.layout.test_responses;
        if let (Records::Text(records), Source::Text { delimiter, .. }) =
            (&self.records, &self.source)
            && let Some(detected) = records.switched()
        {
            let source = Source::Text {
                encoding: super::encoding_name(detected.encoding),
                bom: false,
                encoding_rule: detected.rule,
                delimiter: *delimiter,
            };
            describe(&mut self.summary, &source);
        }
        self.summary
    }
}

/// True when every cell is blank.
fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// Fills in what kind of file the summary came from.
fn describe(table: &mut ExportSummary, source: &Source) {
    let platform = table.profile.platform;
    match source {
        Source::Text {
            encoding,
            bom,
            encoding_rule,
            delimiter,
        } => {
            let encoding = if *bom {
                format!("{encoding} with BOM")
            } else {
                encoding.to_string()
            };
            table.description = format!(
                "{}, CSV, {delimiter}-separated, {encoding}",
                platform.title()
            );
            table.encoding = Some(encoding);
            table.encoding_rule = Some(*encoding_rule);
            table.delimiter = Some(*delimiter);
        }
        Source::Workbook {
            kind,
            sheet,
            sheets,
        } => {
            table.description = format!(
                "{}, {kind}, sheet {sheet:?} (of {sheets})",
                platform.title()
            );
            table.sheet = Some(sheet.clone());
        }
    }
}

/// Data records become rows of clean cells: blank ones skipped, longer ones refused.
struct Shaper {
    path: PathBuf,
    /// Cells a row may have.
    width: usize,
    /// Columns in the header rows.
    headers: usize,
    /// Set once the layout is decided: a one-column header's width no longer grows.
    frozen: bool,
}

impl Shaper {
    /// Cleans a record's cells; false for a blank record, which is skipped.
    fn shape(&mut self, record: &mut Record) -> Result<bool, IngestError> {
        if is_blank(&record.cells) {
            return Ok(false);
        }
        let used = record
            .cells
            .iter()
            .rposition(|c| !c.trim().is_empty())
            .map_or(0, |i| i + 1);
        if used > self.width {
            if self.headers <= 1 && self.width <= 1 && !self.frozen {
                // A one-column header under many-column rows: the rows decide.
                self.width = used;
            } else {
                return Err(IngestError::Ragged {
                    path: self.path.clone(),
                    row: record.number,
                    cells: used,
                    columns: self.width,
                    letter: column_letter(self.width),
                });
            }
        }
        // Every cell is cleaned; `changed` notes whether any was.
        let mut changed = false;
        for cell in &mut record.cells {
            changed |= if record.clean_inside {
                clean_ends_in_place(cell)
            } else {
                clean_in_place(cell)
            };
        }
        if changed {
            // The hash was of the cells as read.
            record.hash = None;
        }
        Ok(true)
    }
}

/// What [`Layout::decide`] gives: the layout, the kept columns, the dropped
/// identity columns and the columns kept for their Yes/No answers.
type Decided = (
    Layout,
    Vec<Column>,
    Vec<IdentityColumn>,
    Vec<IdentityColumn>,
);

/// The layout decided from the header rows and the sample, and the per-row rules.
struct Layout {
    path: PathBuf,
    /// SurveyMonkey expanded columns to fold, in order: `start..end` of the row as folded so far.
    folds: Vec<(usize, usize)>,
    exclusion: ExclusionRule,
    /// The completion-date column, and what its values say.
    dates: Option<DateColumn>,
    /// Indices of the cells kept (identity columns and dropped trailing columns left out).
    kept: Vec<usize>,
    /// Indices of the response id and submission time columns: a row that
    /// repeats an earlier one is a repeated submission only when one of these is filled.
    keys: Vec<usize>,
    keep_duplicates: bool,
    keep_incomplete: bool,
    keep_test_responses: bool,
    /// Previews and test responses kept with `keep_test_responses`.
    test_responses: usize,
    /// Hashes of the rows seen, for duplicates: never the rows themselves.
    seen: HashSet<u64, BuildHasherDefault<Identity>>,
    /// A row's cells laid end to end, and where each ends, to be hashed.
    scratch: Vec<u8>,
    ends: RowEnds,
    rows_read: usize,
    /// Rows set aside, by reason (so in the order of [`ExclusionReason`]).
    excluded: BTreeMap<ExclusionReason, usize>,
    identical_rows: usize,
}

/// The completion-date column: where it is, its values so far, and the
/// earliest and latest completion of the rows kept, under each reading.
struct DateColumn {
    index: usize,
    header: String,
    letter: String,
    tracker: DateTracker,
    kept: Span,
}

impl Layout {
    /// Decides the layout; also gives the kept columns and the headers of the dropped identity columns.
    fn decide(
        path: &Path,
        platform: Platform,
        mut headers: Vec<HeaderColumn>,
        width: usize,
        header_rows: usize,
        sample: &mut [(usize, Vec<String>)],
        options: &ReadOptions,
    ) -> Result<Decided, IngestError> {
        while headers.len() < width {
            headers.push(HeaderColumn::default());
        }
        // A trailing delimiter on every line (Qualtrics legacy) gives an empty last column.
        while headers
            .last()
            .is_some_and(|h| h.header.is_empty() && h.code.as_deref().is_none_or(str::is_empty))
            && sample
                .iter()
                .all(|(_, cells)| cells.get(headers.len() - 1).is_none_or(|c| c.is_empty()))
        {
            headers.pop();
        }
        if sample.is_empty() {
            return Err(IngestError::NoRows {
                path: path.to_path_buf(),
                header_rows,
            });
        }
        // Where each column sits in the file, for its letter, even after folding.
        let mut positions: Vec<usize> = (0..headers.len()).collect();
        let folds = if platform == Platform::SurveyMonkey {
            collapse_expanded(&mut headers, &mut positions, sample)
        } else {
            Vec::new()
        };
        let exclusion = ExclusionRule::new(platform, &headers);
        let dates = completion_column(&headers).map(|index| DateColumn {
            index,
            header: display_header(&headers[index]),
            letter: column_letter(positions[index]),
            tracker: DateTracker {
                setting: options.date_order,
                ..DateTracker::default()
            },
            kept: Span::default(),
        });
        let keys = submission_key_columns(&headers);
        let judged = judge_identity(&headers, &positions, sample, options);
        let keep: Vec<bool> = judged
            .iter()
            .map(|j| !matches!(j, Judgement::Drop(_)))
            .collect();
        let listed = |wanted: fn(&Judgement) -> Option<IdentityReason>| -> Vec<IdentityColumn> {
            judged
                .iter()
                .zip(&headers)
                .zip(&positions)
                .filter_map(|((judgement, h), &p)| {
                    wanted(judgement).map(|reason| IdentityColumn {
                        column: column_letter(p),
                        header: display_header(h),
                        reason,
                    })
                })
                .collect()
        };
        let dropped_identity = listed(|j| match j {
            Judgement::Drop(reason) => Some(*reason),
            _ => None,
        });
        let kept_yes_no = listed(|j| match j {
            Judgement::YesNo(rule) => Some(IdentityReason::Header { rule: *rule }),
            _ => None,
        });
        let columns = headers
            .into_iter()
            .enumerate()
            .filter(|(i, _)| keep[*i])
            .map(|(i, h)| Column {
                header: h.header,
                letter: column_letter(positions[i]),
                code: h.code.filter(|c| !c.is_empty()),
                import_id: h.import_id,
            })
            .collect();
        let layout = Layout {
            path: path.to_path_buf(),
            folds,
            exclusion,
            dates,
            kept: (0..keep.len()).filter(|i| keep[*i]).collect(),
            keys,
            keep_duplicates: options.keep_duplicates,
            keep_incomplete: options.keep_incomplete,
            keep_test_responses: options.keep_test_responses,
            test_responses: 0,
            seen: HashSet::default(),
            scratch: Vec::new(),
            ends: RowEnds::default(),
            rows_read: 0,
            excluded: BTreeMap::new(),
            identical_rows: 0,
        };
        Ok((layout, columns, dropped_identity, kept_yes_no))
    }

    /// One shaped (and folded) row: counted and its date read, then set aside
    /// as a repeated submission, spam, preview or incomplete response (false),
    /// or made into `row` without its identity cells (true); `hash` is the
    /// [`row_hash`] of `cells` when the reader made it. Cells move
    /// between `cells` and `row`, so that their buffers serve the next row.
    /// An error when its date contradicts an earlier one or the date order set.
    fn row(
        &mut self,
        number: usize,
        cells: &mut [String],
        hash: Option<u64>,
        row: &mut Row,
    ) -> Result<bool, IngestError> {
        self.rows_read += 1;
        // Every date of the column decides its order, excluded rows' too.
        let completed = match &mut self.dates {
            Some(dates) => {
                let text = cells.get(dates.index).map(String::as_str).unwrap_or("");
                dates
                    .tracker
                    .see(number, text)
                    .map_err(|conflict| date_error(&self.path, dates, conflict))?
            }
            None => None,
        };
        // Whole rows, identity cells included, are compared by hash only.
        let keyed = self
            .keys
            .iter()
            .any(|&i| cells.get(i).is_some_and(|c| !c.is_empty()));
        if (!self.keep_duplicates || !keyed)
            && !self
                .seen
                .insert(hash.unwrap_or_else(|| row_hash(&mut self.scratch, &mut self.ends, cells)))
        {
            if !keyed {
                // Nothing tells a repeated submission from two people who answered alike.
                self.identical_rows += 1;
            } else if !self.keep_duplicates {
                *self.excluded.entry(ExclusionReason::Duplicate).or_default() += 1;
                return Ok(false);
            }
        }
        match self.exclusion.reason(cells) {
            Some(ExclusionReason::Incomplete) if self.keep_incomplete => {}
            Some(ExclusionReason::Preview) if self.keep_test_responses => {
                self.test_responses += 1;
            }
            Some(reason) => {
                *self.excluded.entry(reason).or_default() += 1;
                return Ok(false);
            }
            None => {}
        }
        row.number = number;
        row.completed = completed;
        if let (Some(dates), Some(stamp)) = (&mut self.dates, completed) {
            dates.kept.add(stamp);
        }
        row.cells.resize_with(self.kept.len(), String::new);
        for (kept, &i) in row.cells.iter_mut().zip(&self.kept) {
            match cells.get_mut(i) {
                Some(cell) => std::mem::swap(kept, cell),
                None => kept.clear(),
            }
        }
        Ok(true)
    }
}

/// The error for a date that contradicts an earlier one, or the order set.
fn date_error(path: &Path, dates: &DateColumn, conflict: Conflict) -> IngestError {
    let (path, column, letter) = (
        path.to_path_buf(),
        clip(&dates.header),
        dates.letter.clone(),
    );
    match conflict {
        Conflict::Values {
            day_first,
            month_first,
        } => IngestError::DateConflict {
            path,
            column,
            letter,
            day_first: Box::new(day_first),
            month_first: Box::new(month_first),
        },
        Conflict::Setting { setting, witness } => IngestError::DateSetting {
            path,
            column,
            letter,
            order: setting.order,
            from: setting.from,
            witness: Box::new(witness),
        },
    }
}

/// What the identity rules decided for one column.
enum Judgement {
    /// Not identity.
    Keep,
    /// Identity: its cells never leave the reader.
    Drop(IdentityReason),
    /// A header rule named it, but every answer is Yes or No: a question.
    YesNo(HeaderRule),
}

/// Decides which columns identify people, by header and content together
/// (the rules are in [`super::identity`]).
///
/// Content is judged on the first [`SAMPLE_ROWS`] data rows, however many
/// rows the layout is decided from, so a workbook and the same rows as CSV
/// drop the same columns. Those rows
/// are held anyway until the layout is decided, and no row is handed on
/// before this decision: a column dropped for its content never had a cell
/// reach the mapper, the tally or any message. Only counts are made (how many
/// cells looked like an e-mail address, a phone number...), never copies of
/// cells. Judging later rows too would mean either holding every row until
/// the end (the streaming reader exists not to) or dropping a column after
/// some of its cells had gone on; a column whose first thousand answers are
/// not mostly contact details is a question, and only questions the
/// questionnaire reads are ever looked at after this point.
fn judge_identity(
    headers: &[HeaderColumn],
    positions: &[usize],
    sample: &[(usize, Vec<String>)],
    options: &ReadOptions,
) -> Vec<Judgement> {
    let mut counts = vec![ContentCount::default(); headers.len()];
    for (_, cells) in sample.iter().take(SAMPLE_ROWS) {
        for (count, cell) in counts.iter_mut().zip(cells) {
            count.add(cell);
        }
    }
    // First what header and content say alone; `None` where the questionnaire decides.
    let mut judged: Vec<Option<Judgement>> = headers
        .iter()
        .zip(&counts)
        .map(|(h, count)| match h.identity_rule() {
            Some(rule) if count.all_yes_no() => Some(Judgement::YesNo(rule)),
            Some(rule) if !rule.is_weak() => Some(Judgement::Drop(IdentityReason::Header { rule })),
            Some(_) => None,
            None if count.all_yes_no() || count.identity().is_none() => Some(Judgement::Keep),
            None => None,
        })
        .collect();
    let undecided: Vec<usize> = (0..headers.len())
        .filter(|&i| judged[i].is_none())
        .collect();
    if undecided.is_empty() {
        return judged.into_iter().map(|j| j.expect("decided")).collect();
    }
    // A question the questionnaire reads is kept; anything else goes.
    let candidates: Vec<usize> = (0..headers.len())
        .filter(|&i| !matches!(judged[i], Some(Judgement::Drop(_))))
        .collect();
    let is_question = match &options.questions {
        Some(questions) => {
            let columns: Vec<Column> = candidates
                .iter()
                .map(|&i| Column {
                    header: headers[i].header.clone(),
                    letter: column_letter(positions[i]),
                    code: headers[i].code.clone().filter(|c| !c.is_empty()),
                    import_id: headers[i].import_id.clone(),
                })
                .collect();
            (questions.0)(&columns)
        }
        None => vec![false; candidates.len()],
    };
    for (&i, question) in candidates.iter().zip(is_question) {
        if judged[i].is_some() {
            continue;
        }
        judged[i] = Some(if question {
            Judgement::Keep
        } else if let Some(rule) = headers[i].identity_rule() {
            Judgement::Drop(IdentityReason::Header { rule })
        } else {
            let (kind, matching) = counts[i].identity().expect("undecided by content");
            Judgement::Drop(IdentityReason::Content {
                kind,
                matching,
                answers: counts[i].answers,
            })
        });
    }
    judged.into_iter().map(|j| j.expect("decided")).collect()
}

/// A hash of a whole row: XXH3's 64-bit hash with its fixed default key
/// (seed 0), the same on every run and every machine. XXH3 passes the
/// SMHasher tests for a 64-bit hash, as SipHash does, so among a million
/// different rows two share one with the same chance as before, about
/// 3 in 100 million (a million squared over 2 × 2^64). SipHash's key was
/// zero, public, so it never guarded against crafted rows either; a crafted
/// twin of another row can only make that row count as a repeat, as a true
/// copy of it would. What is hashed: the cells laid end to end, then where
/// each ends and how many there are ([`RowEnds`]), which tell the row back
/// exactly, so no two different rows give the same bytes.
fn row_hash(scratch: &mut Vec<u8>, ends: &mut RowEnds, cells: &[String]) -> u64 {
    scratch.clear();
    ends.clear();
    for cell in cells {
        scratch.extend_from_slice(cell.as_bytes());
        ends.push(scratch.len());
    }
    hash_parts(scratch, ends)
}

/// [`row_hash`] of cells given laid end to end (`joined`) with their ends:
/// what the csv reader holds, hashed without a copy.
pub(super) fn hash_parts(joined: &[u8], ends: &RowEnds) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
    hasher.update(joined);
    hasher.update(&ends.bytes);
    hasher.update(&ends.count.to_le_bytes());
    hasher.digest()
}

/// Where each cell of a row ends in the cells laid end to end (as 8-byte
/// little-endian numbers), and how many cells there are: the count, last,
/// gives the number of ends before it, and the last end the length of the
/// text before those.
#[derive(Default)]
pub(super) struct RowEnds {
    bytes: Vec<u8>,
    count: u64,
}

impl RowEnds {
    /// Empty, for the next row.
    pub(super) fn clear(&mut self) {
        self.bytes.clear();
        self.count = 0;
    }

    /// The next cell ends at `end`.
    pub(super) fn push(&mut self, end: usize) {
        self.bytes.extend_from_slice(&(end as u64).to_le_bytes());
        self.count += 1;
    }
}

/// The hash set of row hashes needs no second hashing: the keys are hashes already.
#[derive(Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}
