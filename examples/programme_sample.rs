//! Writes the fictional programme kept in `sample-data/`, two ways:
//!
//! - `sample-data/programme/`: `programme.toml` and one Microsoft Forms
//!   workbook per site in `sites/<id>/exports/` (folder sites);
//! - `sample-data/programme-combined/`: the same answers as one combined
//!   export in `exports/`, whose question "Which organisation are you from?"
//!   says which site each response is from (`[site-question]`, with a short
//!   name some respondents give as an `answers` entry of each site).
//!
//! Run it from the project root with `cargo run --example programme_sample`.
//! Thirteen invented sites of different sizes answer the questionnaire in
//! `report-templates/instrument.toml` in September 2026, with properties known
//! in advance, which the example checks by reading its own exports back:
//!
//! - "Tiny Steps Trust" has 7 responses, below the site threshold of 10;
//! - "Harbourside Council" has only 2 young people, a group its report hides;
//! - "Brightwater Partnership" scores 0.4 of a scale point (10 out of 100)
//!   above the rest and "Greyfield Borough" as much below, both large, so
//!   both fall outside the 99.8% funnel limits on every ingredient, and no
//!   other site does;
//! - co-production is the weakest ingredient across the programme;
//! - every other site differs from the programme by a little, at random, on
//!   each ingredient, so profiles of strong and weak ingredients vary.
//!
//! `cargo run --example programme_sample -- --sites N --responses R DIR`
//! writes a folder-sites programme of N alike sites of R responses each into
//! DIR (new or empty), for the benchmark (`scripts/bench-programme.sh`).
//!
//! A fixed seed makes every run byte-identical. The answer model follows
//! `examples/sample_data.rs` (a respondent's mood, their view of each
//! ingredient and each answer's noise, rounded onto the 1-5 scale).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail, ensure};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use makeitstick::instrument::{Instrument, MapOptions, RowMapper};
use makeitstick::programme::funnel::Position;
use makeitstick::programme::site::SiteFigures;
use makeitstick::programme::{ProgrammeConfig, summary};

mod forms;
use forms::{csv_datetime, standard_normal};
#[path = "forms/xlsx.rs"]
mod xlsx;
use xlsx::Cell;

/// Changing the seed changes every answer.
const SEED: u64 = 20261001;

/// Spreads on the 1-5 scale, as in the single-site sample.
const MOOD_SD: f64 = 0.3;
const INGREDIENT_SD: f64 = 0.45;
const ANSWER_SD: f64 = 0.7;
/// How far a site's view of one ingredient strays from the programme's, at random.
const SITE_SD: f64 = 0.04;
/// How sites lean, besides chance, so that profiles of stronger and weaker
/// ingredients recur: some sites lean on none, some on a strong receptive
/// context carrying weaker leadership (as the research describes), some on
/// co-production and adaptation ahead of their outcome measurement.
const LEANINGS: [&[(&str, f64)]; 3] = [
    &[],
    &[("context", 0.15), ("leadership", -0.15)],
    &[
        ("coproduction", 0.15),
        ("adaptation", 0.12),
        ("outcomes", -0.1),
    ],
];
/// The programme's typical answer before any spread.
const CENTRE: f64 = 3.4;
/// How much easier to agree with each ingredient is than [`CENTRE`], across
/// the programme: a profile like the single-site sample's, co-production the
/// weakest.
const PROFILE: [(&str, f64); 5] = [
    ("context", 0.3),
    ("coproduction", -0.45),
    ("leadership", -0.1),
    ("outcomes", 0.2),
    ("adaptation", -0.15),
];
/// Share of a combined export's respondents who give their site's short name.
const SHORT_NAME_RATE: f64 = 0.3;

/// The programme's name, on its report's cover.
const PROGRAMME: &str = "Staying Close (sample programme)";
/// The combined export's question naming the site.
const SITE_QUESTION: &str = "Which organisation are you from?";
/// The survey's wave, in every file name.
const WAVE: &str = "2026-q3";

/// One invented site: id, name, the short name some give in a combined
/// export, responses, shift of every answer, young people (None: about 15%).
struct SitePlan {
    id: String,
    name: String,
    short: String,
    responses: usize,
    shift: f64,
    /// Index in [`LEANINGS`].
    leaning: usize,
    young_people: Option<usize>,
}

fn plan(id: &str, name: &str, short: &str, responses: usize, shift: f64) -> SitePlan {
    SitePlan {
        id: id.into(),
        name: name.into(),
        short: short.into(),
        responses,
        shift,
        leaning: 0,
        young_people: None,
    }
}

/// The sample's thirteen sites.
fn sample_sites() -> Vec<SitePlan> {
    vec![
        plan("ashford", "Ashford County Council", "Ashford", 48, 0.0),
        plan(
            "brightwater",
            "Brightwater Partnership",
            "Brightwater",
            160,
            0.4,
        ),
        plan("cranmoor", "Cranmoor Children's Trust", "Cranmoor", 25, 0.0),
        plan(
            "dunstable-vale",
            "Dunstable Vale Council",
            "Dunstable",
            64,
            0.0,
        ),
        plan("eastmere", "Eastmere Borough Council", "Eastmere", 35, 0.0),
        plan(
            "fenwick",
            "Fenwick Care Leavers Service",
            "Fenwick",
            90,
            0.0,
        ),
        plan("greyfield", "Greyfield Borough", "Greyfield", 150, -0.4),
        SitePlan {
            young_people: Some(2),
            ..plan("harbourside", "Harbourside Council", "Harbourside", 55, 0.0)
        },
        plan("ivel-valley", "Ivel Valley Trust", "Ivel Valley", 30, 0.0),
        plan(
            "kingsbridge",
            "Kingsbridge City Council",
            "Kingsbridge",
            120,
            0.0,
        ),
        plan("larkhill", "Larkhill and District", "Larkhill", 40, 0.0),
        plan("millbrook", "Millbrook Council", "Millbrook", 75, 0.0),
        plan("tiny-steps", "Tiny Steps Trust", "Tiny Steps", 7, 0.0),
    ]
    .into_iter()
    .enumerate()
    .map(|(index, site)| SitePlan {
        leaning: index % LEANINGS.len(),
        ..site
    })
    .collect()
}

/// Shares of the professional groups, in instrument order after young people.
const PROFESSIONAL_SHARES: [f64; 4] = [0.45, 0.2, 0.2, 0.15];

/// One row of an export.
struct Respondent<'a> {
    /// Index of the site in the plan.
    site: usize,
    /// What they answered to the site question (combined export only).
    site_answer: &'a str,
    group: usize,
    start: NaiveDateTime,
    completion: NaiveDateTime,
    /// One cell per statement; `None` is a blank cell.
    answers: Vec<Option<&'a str>>,
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let instrument = Instrument::load(None)?;
    match args.as_slice() {
        [] => {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
            write_sample(&root, &instrument)
        }
        [sites, n, responses, r, dir] if sites == "--sites" && responses == "--responses" => {
            let (n, r) = (n.parse()?, r.parse()?);
            write_alike(Path::new(dir), n, r, &instrument)
        }
        _ => bail!("usage: cargo run --example programme_sample [-- --sites N --responses R DIR]"),
    }
}

/// The sample, both ways, checked by reading the folder sites back.
fn write_sample(root: &Path, instrument: &Instrument) -> Result<()> {
    let sites = sample_sites();
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let respondents = generate(&sites, instrument, &mut rng)?;
    let folders = root.join("programme");
    write_folder_sites(&folders, &sites, &respondents, instrument)?;
    let config = ProgrammeConfig::load(&folders.join("programme.toml"))?;
    check(&folders, &config, instrument)?;
    let combined = root.join("programme-combined");
    write_combined(&combined, &sites, respondents, instrument)?;
    ProgrammeConfig::load(&combined.join("programme.toml"))?;
    println!(
        "wrote {} sites to {} and {}",
        sites.len(),
        folders.display(),
        combined.display()
    );
    Ok(())
}

/// `n` alike sites of `r` responses in a new or empty `dir`.
fn write_alike(dir: &Path, n: usize, r: usize, instrument: &Instrument) -> Result<()> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        bail!("{} is not empty; give a new or empty folder", dir.display());
    }
    let sites: Vec<SitePlan> = (1..=n)
        .map(|i| {
            let id = format!("site-{i:03}");
            let name = format!("Site {i:03}");
            plan(&id, &name, &name, r, 0.0)
        })
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let respondents = generate(&sites, instrument, &mut rng)?;
    write_folder_sites(dir, &sites, &respondents, instrument)?;
    ProgrammeConfig::load(&dir.join("programme.toml"))?;
    println!("wrote {n} sites of {r} responses to {}", dir.display());
    Ok(())
}

/// Every site's respondents, site by site, each site's in the order Forms
/// lists them (by completion time).
fn generate<'a>(
    sites: &'a [SitePlan],
    instrument: &'a Instrument,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<Respondent<'a>>> {
    let scale = instrument.default_scale();
    let labels: Vec<&str> = scale.points.iter().map(|p| p.label.as_str()).collect();
    ensure!(labels.len() == 5, "the sample answers a five-point scale");
    let answers = Answers {
        instrument,
        labels,
        dont_know: scale.missing.first().map(|m| m.label.as_str()),
    };
    let mut respondents = Vec::new();
    for (index, site) in sites.iter().enumerate() {
        let site_view: Vec<f64> = instrument
            .ingredients
            .iter()
            .map(|ingredient| {
                let easier = PROFILE
                    .iter()
                    .find(|(id, _)| *id == ingredient.id)
                    .map(|(_, easier)| *easier)
                    .with_context(|| format!("no planned profile for {}", ingredient.id))?;
                let leans: f64 = LEANINGS[site.leaning]
                    .iter()
                    .filter(|(id, _)| *id == ingredient.id)
                    .map(|(_, by)| by)
                    .sum();
                Ok(CENTRE + easier + leans + site.shift + SITE_SD * standard_normal(rng))
            })
            .collect::<Result<_>>()?;
        let groups = groups(site, rng);
        // Moods and views are centred within the site, so its scores are the
        // planned ones whatever the seed, even for small sites.
        let moods = centred((0..groups.len()).map(|_| MOOD_SD * standard_normal(rng)));
        let views: Vec<Vec<f64>> = site_view
            .iter()
            .map(|level| {
                centred((0..groups.len()).map(|_| INGREDIENT_SD * standard_normal(rng)))
                    .into_iter()
                    .map(|view| level + view)
                    .collect()
            })
            .collect();
        let mut own = Vec::new();
        for (person, group) in groups.into_iter().enumerate() {
            let (start, completion) = times(rng);
            let site_answer = if rng.random_bool(SHORT_NAME_RATE) {
                &site.short
            } else {
                &site.name
            };
            let levels: Vec<f64> = views.iter().map(|v| v[person] + moods[person]).collect();
            own.push(Respondent {
                site: index,
                site_answer,
                group,
                start,
                completion,
                answers: answers.of(group, &levels, rng),
            });
        }
        own.sort_by_key(|r| r.completion);
        respondents.extend(own);
    }
    Ok(respondents)
}

/// What answers look like: the questionnaire and its scale's words.
struct Answers<'a> {
    instrument: &'a Instrument,
    /// The scale's labels, indexed by value - 1.
    labels: Vec<&'a str>,
    dont_know: Option<&'a str>,
}

impl<'a> Answers<'a> {
    /// One respondent's answer cells, from their level on each ingredient.
    fn of(&self, group: usize, levels: &[f64], rng: &mut ChaCha8Rng) -> Vec<Option<&'a str>> {
        let mut answers = Vec::new();
        for (ingredient, level) in self.instrument.ingredients.iter().zip(levels) {
            // Young people see co-production a little less warmly, as in the single-site sample.
            let lived = if group == 0 && ingredient.id == "coproduction" {
                -0.3
            } else {
                0.0
            };
            for statement in &ingredient.statements {
                let roll: f64 = rng.random();
                let answer = (level + lived + ANSWER_SD * standard_normal(rng))
                    .round()
                    .clamp(1.0, 5.0) as usize;
                // A reverse-worded statement is agreed with when the view is poor.
                let point = if statement.reverse {
                    6 - answer
                } else {
                    answer
                };
                answers.push(match (roll, self.dont_know) {
                    (r, _) if r < 0.02 => None,
                    (r, Some(label)) if r < 0.05 => Some(label),
                    _ => Some(self.labels[point - 1]),
                });
            }
        }
        answers
    }
}

/// The values minus their mean.
fn centred(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let values: Vec<f64> = values.collect();
    let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
    values.into_iter().map(|value| value - mean).collect()
}

/// The group of each respondent: the plan's young people first, then the
/// professional groups by their shares. A site of at least 25 responses has
/// at least 5 in every group, so only a plan's own `young_people` hides one.
fn groups(site: &SitePlan, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let floor = if site.responses >= 25 { 5 } else { 0 };
    let young = site
        .young_people
        .unwrap_or(((site.responses as f64 * 0.15).round() as usize).max(floor));
    let mut groups = vec![0; young];
    for group in 1..=PROFESSIONAL_SHARES.len() {
        groups.extend(std::iter::repeat_n(group, floor));
    }
    while groups.len() < site.responses {
        let mut pick: f64 = rng.random();
        let group = PROFESSIONAL_SHARES
            .iter()
            .position(|share| {
                pick -= share;
                pick < 0.0
            })
            .unwrap_or(PROFESSIONAL_SHARES.len() - 1);
        groups.push(group + 1);
    }
    groups
}

/// Start and completion: a day in September 2026, finished between 09:00 and
/// 18:59 after 4 to 25 minutes.
fn times(rng: &mut ChaCha8Rng) -> (NaiveDateTime, NaiveDateTime) {
    let day = NaiveDate::from_ymd_opt(2026, 9, 1 + rng.random_range(0..30))
        .expect("September has 30 days");
    let finish = 9 * 60 + rng.random_range(0..600);
    let completion = day
        .and_hms_opt(finish / 60, finish % 60, rng.random_range(0..60))
        .expect("a time of day");
    let start = completion - TimeDelta::minutes(rng.random_range(4..26).into());
    (start, completion)
}

/// Column headers; a combined export has the site question after the group question.
fn headers(instrument: &Instrument, site_question: bool) -> Result<Vec<&str>> {
    let group = &instrument
        .groups
        .as_ref()
        .context("the instrument has groups")?
        .question;
    let site = site_question.then_some(SITE_QUESTION);
    let statements = instrument.statements().map(|(_, s)| s.text.as_str());
    Ok(forms::headers(group, site.into_iter().chain(statements)))
}

/// The cells after Forms' own columns: group, site answer (combined only),
/// statements and a blank comment.
fn question_cells<'a>(
    respondent: &Respondent<'a>,
    instrument: &'a Instrument,
    site_question: bool,
) -> impl Iterator<Item = Option<&'a str>> {
    let group = instrument.group_options()[respondent.group].name.as_str();
    let site = site_question.then_some(Some(respondent.site_answer));
    std::iter::once(Some(group))
        .chain(site)
        .chain(respondent.answers.clone())
        .chain(std::iter::once(None))
}

/// `programme.toml` and each site's workbook in `sites/<id>/exports/`.
fn write_folder_sites(
    dir: &Path,
    sites: &[SitePlan],
    respondents: &[Respondent],
    instrument: &Instrument,
) -> Result<()> {
    let headers = headers(instrument, false)?;
    for (index, site) in sites.iter().enumerate() {
        let exports = dir.join("sites").join(&site.id).join("exports");
        std::fs::create_dir_all(&exports)?;
        let rows = respondents
            .iter()
            .filter(|r| r.site == index)
            .enumerate()
            .map(|(row, respondent)| {
                let mut cells = forms_cells(row, respondent);
                cells.extend(
                    question_cells(respondent, instrument, false).map(|c| c.map(Cell::Text)),
                );
                cells
            });
        let path = site_export(dir, &site.id);
        xlsx::write_xlsx(&path, &headers, rows)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    write_toml(&dir.join("programme.toml"), &programme_toml(sites, false))
}

/// Forms' own columns: ID, start, completion, an anonymous form's e-mail, no
/// name, no last-modified time.
fn forms_cells<'a>(row: usize, respondent: &Respondent) -> Vec<Option<Cell<'a>>> {
    vec![
        Some(Cell::Number(row as u32 + 1)),
        Some(Cell::DateTime(respondent.start)),
        Some(Cell::DateTime(respondent.completion)),
        Some(Cell::Text("anonymous")),
        None,
        None,
    ]
}

fn site_export(dir: &Path, id: &str) -> PathBuf {
    dir.join("sites")
        .join(id)
        .join("exports")
        .join(format!("{id}-{WAVE}.xlsx"))
}

/// `programme.toml` with `[site-question]` and one combined export, as CSV
/// (a combined survey may come from any platform), in Forms' order: by
/// completion time.
fn write_combined(
    dir: &Path,
    sites: &[SitePlan],
    mut respondents: Vec<Respondent>,
    instrument: &Instrument,
) -> Result<()> {
    let exports = dir.join("exports");
    std::fs::create_dir_all(&exports)?;
    respondents.sort_by_key(|r| r.completion);
    let headers = headers(instrument, true)?;
    let rows = respondents.iter().enumerate().map(|(row, respondent)| {
        let mut cells = vec![
            (row + 1).to_string(),
            csv_datetime(respondent.start),
            csv_datetime(respondent.completion),
            "anonymous".to_string(),
            String::new(),
            String::new(),
        ];
        cells.extend(
            question_cells(respondent, instrument, true).map(|c| c.unwrap_or("").to_string()),
        );
        Ok(cells)
    });
    let path = exports.join(format!("staying-close-{WAVE}.csv"));
    forms::write_csv(&path, &headers, rows)
        .with_context(|| format!("cannot write {}", path.display()))?;
    write_toml(&dir.join("programme.toml"), &programme_toml(sites, true))
}

fn write_toml(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

fn programme_toml(sites: &[SitePlan], combined: bool) -> String {
    let mut text = format!(
        "# A fictional programme: every site and answer is invented.\n\
         # Written by `cargo run --example programme_sample`.\n\
         schema-version = 1\nname = \"{PROGRAMME}\"\n"
    );
    if combined {
        text.push_str(&format!(
            "\n# One combined export in exports/; this question says which site a response is from.\n\
             [site-question]\nquestion = \"{SITE_QUESTION}\"\n"
        ));
    }
    for site in sites {
        text.push_str(&format!(
            "\n[[sites]]\nid = \"{}\"\nname = \"{}\"\n",
            site.id, site.name
        ));
        if combined && site.short != site.name {
            text.push_str(&format!("answers = [\"{}\"]\n", site.short));
        }
    }
    text
}

/// Reads the folder sites back and checks the properties promised above.
fn check(dir: &Path, config: &ProgrammeConfig, instrument: &Instrument) -> Result<()> {
    let min = usize::from(config.min_group_size);
    let mut sites = Vec::new();
    for site in &config.sites {
        let path = site_export(dir, &site.id);
        let options = makeitstick::ingest::ReadOptions {
            questions: Some(makeitstick::instrument::question_columns(
                instrument,
                &MapOptions::default(),
            )),
            ..Default::default()
        };
        let rows = makeitstick::ingest::stream(&path, &options)?;
        let mapper = RowMapper::new(rows.summary(), instrument, &MapOptions::default())?;
        let tallied = makeitstick::score::read::tally_rows(rows, mapper, instrument, false)?;
        let tally = tallied.tally;
        sites.push(SiteFigures::from_tally(
            &site.id, &site.name, &tally, instrument, min,
        ));
    }
    let summary = summary::summarise(
        &sites,
        instrument,
        u64::from(config.min_group_size),
        u64::from(config.site_threshold),
    );
    ensure!(
        summary.weakest == ["coproduction"],
        "the weakest ingredients are {:?}",
        summary.weakest
    );
    ensure!(
        summary.figures.too_few_responses == ["tiny-steps"],
        "tiny-steps is not the one small site"
    );
    let harbourside = sites
        .iter()
        .find(|s| s.id == "harbourside")
        .context("harbourside")?;
    ensure!(
        harbourside.counts[0].respondents == 2 && !harbourside.counts[0].shown,
        "harbourside's young people are not hidden"
    );
    ensure!(
        sites.iter().filter(|s| s.id != "tiny-steps").all(|s| s
            .counts
            .iter()
            .filter(|c| c.respondents > 0 && !c.shown)
            .count()
            == usize::from(s.id == "harbourside")),
        "a site other than harbourside (and tiny-steps) hides a group"
    );
    for spread in &summary.spreads {
        let outside: Vec<(&str, Position)> = spread
            .sites
            .iter()
            .filter_map(|s| Some((s.site.as_str(), s.position?)))
            .filter(|(_, p)| matches!(p, Position::Above998 | Position::Below998))
            .collect();
        ensure!(
            outside
                == [
                    ("brightwater", Position::Above998),
                    ("greyfield", Position::Below998)
                ],
            "{}: beyond the 99.8% limits are {outside:?}",
            spread.id
        );
    }
    Ok(())
}
