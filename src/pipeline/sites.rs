//! Reading a programme's sites: every site's exports to scored waves, each
//! with the figures the programme needs ([`WaveRun::site`]).
//!
//! Two sources. **Site folders** (`sites/<id>/exports/`) are read by the
//! single-organisation path ([`super::read_waves`]), one site per worker of a
//! pool as large as the machine's cores ([`in_parallel`]). A **combined
//! export** is read once per wave: one stream, one mapper, one tally per site
//! ([`crate::score::read::tally_routed`]), each row sent by the
//! [`SiteRouter`]; each site's tally is then scored as a folder site's would be.
//!
//! Results come back in the order the sites were given (sorted by id by the
//! caller), whatever the thread timing, so the outputs are the same run to
//! run. A site that cannot be read is that site's failure; a combined export
//! that cannot be read, or whose site answers belong to no site, fails them all.
//!
//! Memory: a site's tallies are dropped once scored; what is kept per site is
//! its waves' published [`crate::score::Scores`] and [`crate::programme::site::SiteFigures`].

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Result;

use super::read::{Tallied, judge, score_wave};
use super::{Reading, Settings, SiteName, WaveRun};
use crate::ingest;
use crate::instrument::RowMapper;
use crate::log::Log;
use crate::programme::ProgrammeError;
use crate::programme::route::{Route, SiteRouter};

/// One site to read.
#[derive(Debug, Clone)]
pub struct SiteJob {
    /// programme.toml's id.
    pub id: String,
    /// The name printed.
    pub name: String,
    /// The site's own settings: cover, accent and privacy threshold.
    pub settings: Settings,
    /// Its exports (empty for the sites of a combined export).
    pub exports: Vec<PathBuf>,
}

impl SiteJob {
    /// How this site's exports are read: `base` with the site's settings.
    fn reading<'a>(&'a self, base: &Reading<'a>) -> Reading<'a> {
        Reading {
            settings: &self.settings,
            wave: None,
            allow_undated: false,
            site: Some(SiteName {
                id: &self.id,
                name: &self.name,
            }),
            ..*base
        }
    }
}

/// One site read: its waves, oldest first, or why it could not be read.
#[derive(Debug)]
pub struct SiteRead {
    /// programme.toml's id.
    pub id: String,
    /// Every wave of the site, or the error naming the export, row and column.
    pub runs: Result<Vec<WaveRun>>,
}

/// Runs `work` on every item, on at most as many threads as the machine has
/// cores, and returns the results in the items' order.
pub fn in_parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = cores.min(items.len()).max(1);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let result = work(item);
                    results.lock().expect("no worker panics holding the lock")[i] = Some(result);
                }
            });
        }
    });
    (results
        .into_inner()
        .expect("no worker panics holding the lock"))
    .into_iter()
    .map(|r| r.expect("every item was worked on"))
    .collect()
}

/// Reads every site from its own folder of exports, sites in parallel.
pub fn read_folder_sites(jobs: &[SiteJob], base: &Reading, log: Log) -> Vec<SiteRead> {
    in_parallel(jobs, |job| {
        let runs = super::read_waves(&job.exports, &job.reading(base), log);
        if let Ok(runs) = &runs {
            log.info(|| {
                format!(
                    "site {}: scored {}",
                    job.id,
                    crate::text::count(runs.len(), "wave", "waves")
                )
            });
        }
        SiteRead {
            id: job.id.clone(),
            runs,
        }
    })
}

/// Reads a combined export per wave, each routed to its sites; an error when
/// an export cannot be read or its site answers belong to no site.
pub fn read_combined_sites(
    exports: &[PathBuf],
    router: &SiteRouter,
    jobs: &[SiteJob],
    base: &Reading,
    log: Log,
) -> Result<Vec<SiteRead>> {
    let mut runs: Vec<Result<Vec<WaveRun>>> = jobs.iter().map(|_| Ok(Vec::new())).collect();
    for path in exports {
        let tallies = route_export(path, router.clone(), jobs, base, log)?;
        let export_last = last_published(&tallies, jobs, base);
        for ((job, site_runs), tallied) in jobs.iter().zip(&mut runs).zip(tallies) {
            let Ok(earlier) = site_runs else { continue };
            let reading = Reading {
                export_last,
                ..job.reading(base)
            };
            match score_wave(path, tallied, &reading, earlier, log) {
                Ok(run) => earlier.push(run),
                Err(error) => *site_runs = Err(error),
            }
        }
    }
    Ok(jobs
        .iter()
        .zip(runs)
        .map(|(job, runs)| SiteRead {
            id: job.id.clone(),
            runs: runs.map(|mut runs| {
                runs.sort_by_key(|r| r.wave);
                runs
            }),
        })
        .collect())
}

/// The last response of a combined export that some site publishes (each
/// site's own privacy rule: a hidden group's late answer must not date the
/// wave); it names the wave of every site of the export.
fn last_published(
    tallies: &[Tallied],
    jobs: &[SiteJob],
    base: &Reading,
) -> Option<chrono::NaiveDateTime> {
    (tallies.iter().zip(jobs))
        .filter_map(|(tallied, job)| {
            let min = job.settings.min_group_size;
            crate::score::published_period(&tallied.tally, base.instrument, min)
        })
        .map(|(_, last)| last)
        .max()
}

/// One pass over a combined export: one [`Tallied`] per site, in `jobs`'
/// order. Rows read and set aside (spam, previews, duplicates) are the
/// file's, so they are said here, in the log, and no site counts them as its own.
fn route_export<'a>(
    path: &Path,
    mut router: SiteRouter,
    jobs: &[SiteJob],
    base: &Reading<'a>,
    log: Log,
) -> Result<Vec<Tallied<'a>>> {
    let rows = ingest::stream(path, base.read_options)?;
    let mapper = RowMapper::new(rows.summary(), base.instrument, base.map_options)?;
    (router.locate(&rows.summary().columns, path)).map_err(ProgrammeError::from)?;
    let include_comments = base.settings.include_comments;
    let read = crate::score::read::tally_routed(
        rows,
        mapper,
        base.instrument,
        include_comments,
        jobs.len(),
        |row| match router.route(row) {
            Route::Site(site) => Some(site),
            Route::Blank | Route::Unknown => None,
        },
    )?;
    let routed = router.finish().map_err(ProgrammeError::from)?;
    if routed.blank > 0 {
        log.warn(&format!(
            "{}: {} left the site question blank; they are in no site's figures",
            path.display(),
            crate::text::count(routed.blank as usize, "row", "rows")
        ));
    }
    let set_aside: usize = read.summary.excluded.iter().map(|e| e.count).sum();
    log.info(|| {
        format!(
            "read {} (the combined export): {} read, {} set aside before scoring (spam, previews, duplicates), counted for the whole export and not for any one site",
            path.display(),
            crate::text::count(read.summary.rows_read, "row", "rows"),
            set_aside
        )
    });
    let order = read.summary.date_order()?;
    let responses = judge(read.analysis, path)?;
    Ok(read
        .slots
        .into_iter()
        .map(|slot| {
            let mut tally = slot.tally;
            tally.date_order = order;
            let mut responses = responses.clone();
            responses.rows_read = slot.respondents + slot.without_answers;
            responses.rows_without_answers = slot.without_answers;
            responses.excluded = Vec::new();
            Tallied {
                responses,
                comments: slot.comments,
                tally,
                respondents: slot.respondents,
                test_responses: 0,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::in_parallel;

    #[test]
    fn results_keep_the_order_of_the_items_whatever_the_timing() {
        let items: Vec<u64> = (0..40).collect();
        let out = in_parallel(&items, |&i| {
            // Later items finish first.
            std::thread::sleep(std::time::Duration::from_micros(400 - i * 10));
            i * i
        });
        assert_eq!(out, items.iter().map(|i| i * i).collect::<Vec<_>>());
        assert!(in_parallel(&[] as &[u64], |&i| i).is_empty());
    }
}
