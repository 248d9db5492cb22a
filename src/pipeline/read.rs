//! Reading one export into one scored wave: stream, map, tally, name the
//! wave, score with the privacy rule, and publish the comments that may be shown.

use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDateTime;

use super::Reading;
use crate::ingest;
use crate::instrument::{Instrument, Responses, RowMapper};
use crate::log::Log;
use crate::programme::site::SiteFigures;
use crate::project::{ProjectError, Wave, WaveScheme};
use crate::score::{self, Scores};

/// One export, read and scored.
#[derive(Debug)]
pub struct WaveRun {
    /// `None` only for a single undated export outside any history, as before waves existed.
    pub wave: Option<Wave>,
    /// The export.
    pub source: PathBuf,
    /// The mapping and row counts; its respondents were scored as they were read, and are not kept.
    pub responses: Responses,
    /// The latest completion time of a respondent in the figures, if the export says.
    pub last_completed: Option<NaiveDateTime>,
    /// The published figures.
    pub scores: Scores,
    /// Quotable comments, only with `--include-comments`.
    pub comments: Option<Vec<score::comments::Quote>>,
    /// In a programme, the site's figures as the programme uses them (made
    /// while the tally was alive, the site's privacy rule applied).
    pub site: Option<SiteFigures>,
}

/// Reads and scores every export, each as one wave, sorted by wave; an error
/// when two share a wave or an export gives nothing to report.
pub fn read_waves(exports: &[PathBuf], reading: &Reading, log: Log) -> Result<Vec<WaveRun>> {
    let mut runs: Vec<WaveRun> = Vec::new();
    for path in exports {
        let run = read_wave(path, reading, &runs, log)?;
        runs.push(run);
    }
    runs.sort_by_key(|r| r.wave);
    Ok(runs)
}

/// Reads and scores one export; `earlier` are the waves read before it.
fn read_wave(path: &Path, reading: &Reading, earlier: &[WaveRun], log: Log) -> Result<WaveRun> {
    let read = read_and_tally(path, reading)?;
    score_wave(path, read, reading, earlier, log)
}

/// Scores one export's tally as a wave; `earlier` are the waves read before it.
pub(super) fn score_wave(
    path: &Path,
    read: Tallied,
    reading: &Reading,
    earlier: &[WaveRun],
    log: Log,
) -> Result<WaveRun> {
    let (instrument, settings) = (reading.instrument, reading.settings);
    let nothing = |hidden: usize| score::empty::NothingToReport {
        path: path.to_path_buf(),
        rows_read: read.responses.rows_read,
        excluded: read.responses.excluded.clone(),
        without_answers: read.responses.rows_without_answers,
        hidden,
        min_group_size: settings.min_group_size,
    };
    if read.respondents == 0 {
        return Err(nothing(0).into());
    }
    // The responses in the figures date the wave, the period and the PDF:
    // a hidden group's late answer must not show through any of them.
    let period = score::published_period(&read.tally, instrument, settings.min_group_size);
    let last_completed = period.map(|(_, last)| last);
    // In a combined export the export's last response names the wave.
    let dating = period.map(|(first, last)| (first, reading.export_last.unwrap_or(last)));
    let wave = name_wave(path, dating, reading, earlier, read.respondents, log)?;
    // After the wave: when the long period stops the run, its error says it once.
    if let Some(warning) = period.and_then(|(first, last)| ingest::long_period_warning(first, last))
    {
        log.warn(&format!("{}: {warning}", path.display()));
    }
    let scores = score::finish(
        &read.tally,
        instrument,
        settings.min_group_size,
        wave.map(|w| w.to_string()),
        score::ReadCounts {
            group_column_found: read.responses.group_column.is_some(),
            without_answers: read.responses.rows_without_answers,
            excluded: read.responses.excluded.clone(),
            test_responses: read.test_responses,
        },
    );
    if scores.responses.used == 0 {
        return Err(nothing(read.respondents).into());
    }
    let site = reading.site.map(|site| {
        SiteFigures::from_tally(
            site.id,
            site.name,
            &read.tally,
            instrument,
            settings.min_group_size,
        )
    });
    let comments = read
        .comments
        .map(|comments| publish_comments(comments, &read.tally, &scores, reading));
    Ok(WaveRun {
        wave,
        source: path.to_path_buf(),
        responses: read.responses,
        last_completed,
        scores,
        comments,
        site,
    })
}

/// The wave of an export, checked against the waves read before it and said
/// with `-v`; `None` for the one export that needs none.
fn name_wave(
    path: &Path,
    dating: Option<(NaiveDateTime, NaiveDateTime)>,
    reading: &Reading,
    earlier: &[WaveRun],
    respondents: usize,
    log: Log,
) -> Result<Option<Wave>> {
    let last_completed = dating.map(|(_, last)| last);
    match wave_of(path, last_completed, reading.wave, reading.settings.scheme) {
        Ok((wave, why)) => {
            // One mistyped year would file the export under a wave years away,
            // and a history would keep it: only a wave given in words may
            // stand on dates more than a year apart.
            if let Some((first, last)) = dating
                && why == FROM_DATE
                && !reading.allow_undated
                && ingest::long_period_warning(first, last).is_some()
            {
                return Err(ProjectError::LongPeriod {
                    path: path.to_path_buf(),
                    first: first.date(),
                    last: last.date(),
                }
                .into());
            }
            if let Some(other) = earlier.iter().find(|r| r.wave == Some(wave)) {
                return Err(ProjectError::SameWave {
                    wave: wave.to_string(),
                    first: other.source.clone(),
                    second: path.to_path_buf(),
                }
                .into());
            }
            log.info(|| {
                format!(
                    "read {}: {}, wave {wave} ({why})",
                    path.display(),
                    crate::text::count(respondents, "response", "responses")
                )
            });
            Ok(Some(wave))
        }
        // One export and no history: the report needs no wave.
        Err(_) if reading.allow_undated => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// The comments that may be quoted: only those of groups shown in the figures.
fn publish_comments(
    comments: score::comments::Comments,
    tally: &score::tally::Tally,
    scores: &Scores,
    reading: &Reading,
) -> Vec<score::comments::Quote> {
    let slots = score::privacy::slots(reading.instrument);
    let mut names: Vec<String> = slots.iter().map(|s| s.name.clone()).collect();
    if !scores.responses.grouping.by_group() {
        // Nobody's group is known: the one slot in use is everyone.
        *names.last_mut().expect("there is a \"did not say\" slot") = "Everyone".to_string();
    }
    let respondents: Vec<u64> = tally.slots.iter().map(|s| s.respondents).collect();
    let counts =
        score::privacy::publish_counts(&slots, &respondents, reading.settings.min_group_size);
    comments.publish(&names, &counts.shown)
}

/// One export read, mapped and tallied in a single pass (for a combined
/// export: one site's share of it).
pub(super) struct Tallied<'a> {
    /// The mapping and row counts.
    pub(super) responses: Responses,
    /// Free-text answers, collected only with `--include-comments`.
    pub(super) comments: Option<score::comments::Comments>,
    /// The respondents' answers, its date order set.
    pub(super) tally: score::tally::Tally<'a>,
    /// Rows that answered a statement.
    pub(super) respondents: usize,
    /// Previews and test responses kept with `--keep-test-responses`.
    pub(super) test_responses: usize,
}

/// Reads an export row by row, mapping each row to a respondent and adding it
/// to the tally at once ([`score::read::tally_rows`]): a CSV export is never
/// held in memory (see [`ingest::stream`]).
fn read_and_tally<'a>(path: &Path, reading: &Reading<'a>) -> Result<Tallied<'a>> {
    let instrument: &'a Instrument = reading.instrument;
    let rows = ingest::stream(path, reading.read_options)?;
    let mapper = RowMapper::new(rows.summary(), instrument, reading.map_options)?;
    let read =
        score::read::tally_rows(rows, mapper, instrument, reading.settings.include_comments)?;
    let mut tally = read.tally;
    // Only now, every date seen, is the date column's order known.
    tally.date_order = read.summary.date_order()?;
    Ok(Tallied {
        responses: judge(read.analysis, path)?,
        comments: read.comments,
        tally,
        respondents: read.respondents,
        test_responses: read.summary.test_responses,
    })
}

/// Whether a report can be made from the mapping (warning about group answers
/// that belong to no group when they are counted as "did not say").
pub(super) fn judge(analysis: crate::instrument::Analysis, path: &Path) -> Result<Responses> {
    let unknown: usize = analysis.unknown_groups.iter().map(|g| g.count).sum();
    if unknown > 0 && !analysis.unknown_groups_are_errors {
        // Counts only: the answers themselves may be personal.
        Log { verbose: false }.warn(&format!(
            "{}: {unknown} row{} gave a group answer that belongs to no group (first at row {}); counted in \"Did not say which group\" (--unknown-groups other)",
            path.display(),
            if unknown == 1 { "" } else { "s" },
            analysis.unknown_groups[0].first_row
        ));
    }
    Ok(analysis.into_result()?)
}

/// The wave of one export, and where it came from: `--wave`, the file name, or the last completion date.
fn wave_of(
    path: &Path,
    last_completed: Option<NaiveDateTime>,
    explicit: Option<Wave>,
    scheme: WaveScheme,
) -> Result<(Wave, &'static str), ProjectError> {
    if let Some(wave) = explicit {
        return Ok((wave, "from --wave"));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(wave) = Wave::in_file_name(&name) {
        return Ok((wave, "from the file name"));
    }
    let last = last_completed.ok_or_else(|| ProjectError::NoWave {
        path: path.to_path_buf(),
    })?;
    let wave = Wave::of_date(last.date(), scheme).ok_or_else(|| ProjectError::DateOutOfRange {
        path: path.to_path_buf(),
        date: last.date(),
    })?;
    Ok((wave, FROM_DATE))
}

/// How [`wave_of`] says it named a wave from the last completion date.
const FROM_DATE: &str = "from the last completion date";
