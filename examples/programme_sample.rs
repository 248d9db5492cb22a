//! Writes a fictional programme folder: `programme.toml` and one Microsoft
//! Forms-layout export per site in `sites/<id>/exports/`.
//!
//! `cargo run --example programme_sample -- DIR` writes into DIR (new or empty).
//! Thirteen invented sites of different sizes answer the questionnaire in
//! `report-templates/instrument.toml` in September 2026, with properties known
//! in advance, which the example checks by reading its own exports back:
//!
//! - "Tiny Steps Trust" has 7 responses, below the site threshold of 10;
//! - "Harbourside Council" has only 2 young people, a group its report hides;
//! - "Brightwater Partnership" scores a whole scale point above the rest and
//!   "Greyfield Borough" a point below, both large, so both fall outside the
//!   99.8% funnel limits on every ingredient;
//! - every other site differs from the programme by a little, at random, on
//!   each ingredient, so profiles of strong and weak ingredients vary.
//!
//! A fixed seed makes every run byte-identical. The answer model follows
//! `examples/sample_data.rs` (a respondent's mood, their view of each
//! ingredient and each answer's noise, rounded onto the 1-5 scale).

use std::path::Path;

use anyhow::{Context, Result, bail, ensure};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use makeitstick::instrument::{Instrument, MapOptions, RowMapper};
use makeitstick::programme::funnel::Position;
use makeitstick::programme::site::SiteFigures;
use makeitstick::programme::{ProgrammeConfig, summary};

/// Changing the seed changes every answer.
const SEED: u64 = 20261001;

/// Spreads on the 1-5 scale, as in the single-site sample.
const MOOD_SD: f64 = 0.3;
const INGREDIENT_SD: f64 = 0.45;
const ANSWER_SD: f64 = 0.7;
/// How far a site's view of one ingredient strays from the programme's.
const SITE_SD: f64 = 0.06;
/// The programme's typical answer before any spread.
const CENTRE: f64 = 3.4;

/// Microsoft Forms' own leading columns, before the group question.
const FORMS_COLUMNS: [&str; 6] = [
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "Last modified time",
];

/// One invented site: id, name, responses, shift of every answer, young people (None: about 15%).
struct SitePlan {
    id: &'static str,
    name: &'static str,
    responses: usize,
    shift: f64,
    young_people: Option<usize>,
}

const fn plan(id: &'static str, name: &'static str, responses: usize, shift: f64) -> SitePlan {
    SitePlan {
        id,
        name,
        responses,
        shift,
        young_people: None,
    }
}

const SITES: [SitePlan; 13] = [
    plan("ashford", "Ashford County Council", 48, 0.0),
    plan("brightwater", "Brightwater Partnership", 160, 1.0),
    plan("cranmoor", "Cranmoor Children's Trust", 26, 0.0),
    plan("dunstable-vale", "Dunstable Vale Council", 64, 0.0),
    plan("eastmere", "Eastmere Borough Council", 35, 0.0),
    plan("fenwick", "Fenwick Care Leavers Service", 90, 0.0),
    plan("greyfield", "Greyfield Borough", 150, -1.0),
    SitePlan {
        young_people: Some(2),
        ..plan("harbourside", "Harbourside Council", 55, 0.0)
    },
    plan("ivel-valley", "Ivel Valley Trust", 20, 0.0),
    plan("kingsbridge", "Kingsbridge City Council", 120, 0.0),
    plan("larkhill", "Larkhill and District", 40, 0.0),
    plan("millbrook", "Millbrook Council", 75, 0.0),
    plan("tiny-steps", "Tiny Steps Trust", 7, 0.0),
];

/// Shares of the professional groups, in instrument order after young people.
const PROFESSIONAL_SHARES: [f64; 4] = [0.45, 0.2, 0.2, 0.15];

fn main() -> Result<()> {
    let dir = std::env::args_os()
        .nth(1)
        .context("usage: cargo run --example programme_sample -- DIR")?;
    let dir = Path::new(&dir);
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        bail!("{} is not empty; give a new or empty folder", dir.display());
    }
    let instrument = Instrument::load(None)?;
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    for site in &SITES {
        let exports = dir.join("sites").join(site.id).join("exports");
        std::fs::create_dir_all(&exports)?;
        let path = exports.join(format!("{}-2026-q3.csv", site.id));
        write_export(&path, site, &instrument, &mut rng)?;
    }
    let config_path = dir.join("programme.toml");
    std::fs::write(&config_path, programme_toml())?;
    let config = ProgrammeConfig::load(&config_path)?;
    check(dir, &config, &instrument)?;
    eprintln!(
        "wrote {} sites and {} in {}",
        SITES.len(),
        config_path.display(),
        dir.display()
    );
    Ok(())
}

fn programme_toml() -> String {
    let mut text = String::from(
        "# A fictional programme: every site and answer is invented.\n\
         schema-version = 1\nname = \"Staying Close (sample programme)\"\n",
    );
    for site in &SITES {
        text.push_str(&format!(
            "\n[[sites]]\nid = \"{}\"\nname = \"{}\"\n",
            site.id, site.name
        ));
    }
    text
}

fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    let (u, v): (f64, f64) = (rng.random::<f64>().max(f64::MIN_POSITIVE), rng.random());
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

/// The group of each respondent: the plan's young people first, then the
/// professional groups by their shares.
fn groups(site: &SitePlan, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let young = site
        .young_people
        .unwrap_or((site.responses as f64 * 0.15).round() as usize);
    let mut groups = vec![0; young];
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

fn write_export(
    path: &Path,
    site: &SitePlan,
    instrument: &Instrument,
    rng: &mut ChaCha8Rng,
) -> Result<()> {
    let scale = instrument.default_scale();
    let labels: Vec<&str> = scale.points.iter().map(|p| p.label.as_str()).collect();
    let dont_know = scale.missing.first().map(|m| m.label.as_str());
    let options = instrument.group_options();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_path(path)?;
    let mut header: Vec<&str> = FORMS_COLUMNS.to_vec();
    header.push(
        &instrument
            .groups
            .as_ref()
            .context("the instrument has groups")?
            .question,
    );
    header.extend(instrument.statements().map(|(_, s)| s.text.as_str()));
    writer.write_record(&header)?;
    let site_view: Vec<f64> = instrument
        .ingredients
        .iter()
        .map(|_| site.shift + SITE_SD * standard_normal(rng))
        .collect();
    for (index, group) in groups(site, rng).into_iter().enumerate() {
        let day = 1 + rng.random_range(0..30);
        // Finished between 09:00 and 18:59, after 4 to 25 minutes.
        let finish = 60 + rng.random_range(0..600);
        let start = finish - rng.random_range(4..26);
        let stamp = |minute: i32| {
            format!(
                "2026-09-{day:02} {:02}:{:02}:00",
                8 + minute / 60,
                minute % 60
            )
        };
        let mut record: Vec<String> = vec![
            (index + 1).to_string(),
            stamp(start),
            stamp(finish),
            "anonymous".into(),
            String::new(),
            String::new(),
            options[group].name.clone(),
        ];
        let mood = MOOD_SD * standard_normal(rng);
        for (i, ingredient) in instrument.ingredients.iter().enumerate() {
            // Young people see co-production a little less warmly, as in the single-site sample.
            let lived = if group == 0 && ingredient.id == "coproduction" {
                -0.3
            } else {
                0.0
            };
            let view = CENTRE + site_view[i] + mood + lived + INGREDIENT_SD * standard_normal(rng);
            for statement in &ingredient.statements {
                let roll: f64 = rng.random();
                let answer = (view + ANSWER_SD * standard_normal(rng))
                    .round()
                    .clamp(1.0, 5.0);
                // A reverse-worded statement is agreed with when the view is poor.
                let point = (if statement.reverse {
                    6.0 - answer
                } else {
                    answer
                }) as usize;
                record.push(match (roll, dont_know) {
                    (r, _) if r < 0.02 => String::new(),
                    (r, Some(label)) if r < 0.05 => label.to_string(),
                    _ => labels[point - 1].to_string(),
                });
            }
        }
        writer.write_record(&record)?;
    }
    writer.flush()?;
    Ok(())
}

/// Reads the exports back and checks the properties promised above.
fn check(dir: &Path, config: &ProgrammeConfig, instrument: &Instrument) -> Result<()> {
    let min = usize::from(config.min_group_size);
    let mut sites = Vec::new();
    for site in &config.sites {
        let path = dir
            .join("sites")
            .join(&site.id)
            .join("exports")
            .join(format!("{}-2026-q3.csv", site.id));
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
