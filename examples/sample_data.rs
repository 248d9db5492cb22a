//! Writes the fictional sample survey export kept in `sample-data/`:
//! `northshire-staying-close-2026-q3.xlsx` and the same data as `.csv`.
//!
//! The files imitate a Microsoft Forms export (sheet `Sheet1`, table `Table1`,
//! the fixed `ID` ... `Last modified time` columns) of the questionnaire in
//! `report-templates/instrument.toml`, answered by about 150 invented people
//! in September 2026. They give the tool, its tests and its documentation a
//! realistic input that holds no real person's data, with properties we know
//! in advance: a clear ingredient profile, young people rating co-production
//! lower than professionals, a group below the privacy threshold, "Don't know"
//! and blank answers, responses that stop part way, and comments that are
//! hostile to typesetting and spreadsheets. Names and e-mail addresses look
//! real on purpose, so tests can check that they never reach a report.
//!
//! Run it from the project root with `cargo run --example sample_data`. A fixed
//! seed and a fixed workbook creation date make every run byte-identical.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail, ensure};
use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta, Weekday};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;

mod forms;
use forms::{csv_datetime, standard_normal};
#[path = "forms/xlsx.rs"]
mod xlsx;
use xlsx::Cell;

/// Changing the seed changes every answer, so tests that pin numbers from the
/// sample data would need updating.
const SEED: u64 = 20260930;

/// File name of both outputs, without extension.
const STEM: &str = "northshire-staying-close-2026-q3";

const DONT_KNOW: &str = "Don't know";
const NOT_APPLICABLE: &str = "Not applicable";

/// Share of answer cells left blank, and answered "Not applicable".
const BLANK_RATE: f64 = 0.02;
const NOT_APPLICABLE_RATE: f64 = 0.01;
/// Share of answer cells answered "Don't know", except where
/// [`dont_know_rate`] says otherwise.
const DONT_KNOW_RATE: f64 = 0.035;

/// Spread, on the 1-5 scale, of a respondent's general mood (shared by all
/// ingredients), of their view of one ingredient, and of one answer. Together
/// with rounding they give a standard deviation of about one scale point per
/// statement, and answers that hang together within an ingredient.
const MOOD_SD: f64 = 0.3;
const INGREDIENT_SD: f64 = 0.45;
const ANSWER_SD: f64 = 0.7;
/// Spread of how much easier or harder to agree with one statement is than
/// the others of its ingredient.
const STATEMENT_SD: f64 = 0.2;

/// How many statements each person who gave up part way answered: the first
/// ingredient only, the first two, part of the first, part of the second, part
/// of the fourth. The instrument has 33 statements.
const STOPPED_AFTER: [usize; 5] = [7, 14, 3, 10, 23];

/// The parts of `instrument.toml` this generator needs; other keys are
/// ignored so the instrument can grow without breaking the example.
#[derive(Deserialize)]
struct Instrument {
    scale: Scale,
    groups: Groups,
    ingredients: Vec<Ingredient>,
}

#[derive(Deserialize)]
struct Scale {
    points: Vec<ScalePoint>,
    missing: Vec<MissingAnswer>,
}

#[derive(Deserialize)]
struct ScalePoint {
    value: u8,
    label: String,
}

#[derive(Deserialize)]
struct MissingAnswer {
    label: String,
}

#[derive(Deserialize)]
struct Groups {
    question: String,
    options: Vec<GroupOption>,
}

#[derive(Deserialize)]
struct GroupOption {
    id: String,
    answers: Vec<String>,
}

#[derive(Deserialize)]
struct Ingredient {
    id: String,
    statements: Vec<Statement>,
}

#[derive(Deserialize)]
struct Statement {
    text: String,
    #[serde(default)]
    reverse: bool,
}

/// Who answered from one respondent group, and how strong they feel each
/// ingredient is (mean on the 1-5 scale, before rounding).
struct GroupPlan {
    id: &'static str,
    count: usize,
    /// Whether weekend and evening answers are common (young people), or rare
    /// (people answering at work).
    answers_out_of_hours: bool,
    means: [(&'static str, f64); 5],
}

/// The profile the sample report should show. Weighted by group size, the
/// overall means are about: context 3.7, outcomes 3.7, leadership 3.3,
/// adaptation 3.2, co-production 2.8. Young people see co-production about 0.8
/// lower than professionals do, and managers see everything a little better
/// than frontline staff. Commissioners stay at 3, below the privacy threshold
/// of 5, so reports must suppress them.
static PLANS: [GroupPlan; 5] = [
    GroupPlan {
        id: "young-people",
        count: 14,
        answers_out_of_hours: true,
        means: [
            ("context", 3.5),
            ("coproduction", 1.9),
            ("leadership", 3.15),
            ("outcomes", 3.4),
            ("adaptation", 3.1),
        ],
    },
    GroupPlan {
        id: "frontline",
        count: 50,
        answers_out_of_hours: false,
        means: [
            ("context", 3.6),
            ("coproduction", 2.8),
            ("leadership", 3.3),
            ("outcomes", 3.6),
            ("adaptation", 3.1),
        ],
    },
    GroupPlan {
        id: "managers",
        count: 35,
        answers_out_of_hours: false,
        means: [
            ("context", 4.0),
            ("coproduction", 3.05),
            ("leadership", 3.55),
            ("outcomes", 4.0),
            ("adaptation", 3.4),
        ],
    },
    GroupPlan {
        id: "partners",
        count: 45,
        answers_out_of_hours: false,
        means: [
            ("context", 3.7),
            ("coproduction", 2.85),
            ("leadership", 3.3),
            ("outcomes", 3.7),
            ("adaptation", 3.15),
        ],
    },
    GroupPlan {
        id: "commissioners",
        count: 3,
        answers_out_of_hours: false,
        means: [
            ("context", 3.9),
            ("coproduction", 2.95),
            ("leadership", 3.45),
            ("outcomes", 4.0),
            ("adaptation", 3.2),
        ],
    },
];

const FIRST_NAMES: [&str; 40] = [
    "Jordan",
    "Aisha",
    "Callum",
    "Priya",
    "Liam",
    "Chloe",
    "Tyler",
    "Amara",
    "Kieran",
    "Sophie",
    "Reece",
    "Jasmine",
    "Connor",
    "Leah",
    "Mohammed",
    "Ellie",
    "Declan",
    "Zara",
    "Jamal",
    "Megan",
    "Rhys",
    "Niamh",
    "Kacper",
    "Aaliyah",
    "Ethan",
    "Bethany",
    "Tariq",
    "Holly",
    "Oluwaseun",
    "Shannon",
    "Ryan",
    "Fatima",
    "Harvey",
    "Grace",
    "Dylan",
    "Layla",
    "Marcus",
    "Rosie",
    "Bilal",
    "Jade",
];

const SURNAMES: [&str; 40] = [
    "Okafor", "Smith", "Patel", "Jones", "Khan", "Williams", "Brown", "Taylor", "Hussain",
    "Davies", "Evans", "Wilson", "Thomas", "Nowak", "Roberts", "Johnson", "Walker", "Wright",
    "Ahmed", "Robinson", "Thompson", "White", "Mensah", "Hughes", "Edwards", "Green", "Hall",
    "Wood", "Harris", "O'Brien", "Clarke", "Begum", "Jackson", "Kowalski", "Turner", "Hill",
    "Adeyemi", "Cooper", "Ward", "Murphy",
];

/// Ordinary comments, a few per group; each is used at most once.
const COMMENTS: [(&str, &[&str]); 5] = [
    (
        "young-people",
        &[
            "The drop-in on Thursdays helps a lot.",
            "They ask what we think but then it's already decided.",
            "My PA is great but I've had three in a year.",
            "Getting paid for the panel took over two months, that's not fair when you're skint.",
            "Meetings at 10am on a weekday are hard when you're at college.",
            "I'd like to help with the training for new staff.",
        ],
    ),
    (
        "frontline",
        &[
            "Caseloads make it hard to give this the time it needs.",
            "Staying Close works when the same worker sticks with a young person.",
            "We need clearer guidance on what to record and where.",
            "Two things:\n1. More evening sessions\n2. Pay young people on time",
            "The housing partners don't always come to the review meetings.",
            "Feels like the pilot is \"done to\" us rather than with us.",
            "Café-style drop-in works – keep it going please.",
        ],
    ),
    (
        "managers",
        &[
            "We are building Staying Close into next year's budget, but it is not secure yet.",
            "Data from the partners arrives late, which makes the quarterly review hard.",
            "The young people's panel has changed how we recruit, for the better.",
            "Worried about what happens when the DfE grant ends in March.",
            "Staff turnover in the leaving care team is our biggest risk.",
        ],
    ),
    (
        "partners",
        &[
            "We'd value a single named contact at the council.",
            "Information sharing has improved since the new agreement was signed.",
            "Not always clear who decides what between the council and the providers.",
            "Our tenancy support workers would like to join the training.",
            "Good partnership, but meetings clash with our own board dates.",
        ],
    ),
    (
        "commissioners",
        &["Outcome data needs to be in a form we can use for the business case."],
    ),
];

/// Comments hostile to Typst, LaTeX, HTML, shell and spreadsheet formulas, and
/// one holding contact details that a report must not print.
const HOSTILE_COMMENTS: [&str; 7] = [
    "#read(\"/etc/passwd\")",
    "Progress feels like $x^2$ one month and then nothing the next.",
    "Point 3] on the action plan never happened.",
    "The minutes are on \\\\northshire-fs01\\staying-close\\reviews\\ but I can't open them.",
    "=cmd|' /C calc'!A0",
    "<b>bold</b> ideas need <i>real</i> money.",
    "Call me on 07700 900123 or mail sam.lee@example.org",
];

/// One statement column, with what this generator needs to answer it.
struct Column {
    /// Index of the statement's ingredient in the instrument.
    ingredient: usize,
    reverse: bool,
    /// How much easier (positive) or harder to agree with this statement is
    /// than the others of its ingredient.
    offset: f64,
}

/// One row of the export.
struct Respondent<'a> {
    plan: &'static GroupPlan,
    group_answer: &'a str,
    name: String,
    email: String,
    start: NaiveDateTime,
    completion: NaiveDateTime,
    /// One cell per statement column; `None` is a blank cell.
    answers: Vec<Option<&'a str>>,
    comment: Option<&'static str>,
}

fn main() -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let instrument_path = root.join("report-templates/instrument.toml");
    let text = fs::read_to_string(&instrument_path)
        .with_context(|| format!("cannot read {}", instrument_path.display()))?;
    let instrument: Instrument = toml::from_str(&text)
        .with_context(|| format!("cannot parse {}", instrument_path.display()))?;

    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let respondents = generate(&instrument, &mut rng)?;

    let out_dir = root.join("sample-data");
    fs::create_dir_all(&out_dir).with_context(|| format!("cannot create {}", out_dir.display()))?;
    let headers = forms::headers(
        &instrument.groups.question,
        instrument
            .ingredients
            .iter()
            .flat_map(|ingredient| ingredient.statements.iter().map(|s| s.text.as_str())),
    );
    let xlsx_path = out_dir.join(format!("{STEM}.xlsx"));
    write_xlsx(&xlsx_path, &headers, &respondents)
        .with_context(|| format!("cannot write {}", xlsx_path.display()))?;
    let csv_path = out_dir.join(format!("{STEM}.csv"));
    write_csv(&csv_path, &headers, &respondents)
        .with_context(|| format!("cannot write {}", csv_path.display()))?;

    println!("{}", summary(&respondents));
    Ok(())
}

/// Invents every respondent, in the order Microsoft Forms lists them: by
/// completion time, which is also the order of `ID`.
fn generate<'a>(instrument: &'a Instrument, rng: &mut ChaCha8Rng) -> Result<Vec<Respondent<'a>>> {
    let labels = scale_labels(&instrument.scale)?;
    let columns = statement_columns(instrument, rng);
    let ingredient_ids: Vec<&str> = instrument
        .ingredients
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    let mut emails = HashSet::new();
    let mut respondents = Vec::new();

    for plan in &PLANS {
        let group_answer = group_answer(&instrument.groups, plan.id)?;
        let mut comments = shuffled_comments(plan.id, rng).into_iter();
        for levels in latent_levels(plan, &ingredient_ids, rng)? {
            let (name, email) = invent_person(&mut emails, rng);
            let answers = columns
                .iter()
                .map(|column| answer(plan, &ingredient_ids, column, &levels, &labels, rng))
                .collect();
            // About a third of people would leave a comment; the group's
            // pool of comments runs out before that, which is realistic too.
            let comment = if rng.random_bool(0.35) {
                comments.next()
            } else {
                None
            };
            let completion = completion_time(plan, rng)?;
            let start = completion - TimeDelta::seconds(rng.random_range(240..900));
            respondents.push(Respondent {
                plan,
                group_answer,
                name,
                email,
                start,
                completion,
                answers,
                comment,
            });
        }
    }

    add_awkward_rows(&mut respondents, rng);
    respondents.sort_by_key(|r| r.completion);
    Ok(respondents)
}

/// The scale labels indexed by value - 1, after checking the instrument still
/// has the five-point scale and the missing answers this generator writes.
fn scale_labels(scale: &Scale) -> Result<Vec<&str>> {
    let mut labels = Vec::new();
    for value in 1..=5 {
        let Some(point) = scale.points.iter().find(|p| p.value == value) else {
            bail!("instrument.toml: the scale has no point with value {value}");
        };
        labels.push(point.label.as_str());
    }
    for label in [DONT_KNOW, NOT_APPLICABLE] {
        ensure!(
            scale.missing.iter().any(|m| m.label == label),
            "instrument.toml: `{label}` is no longer a missing answer of the scale"
        );
    }
    Ok(labels)
}

/// All statements in instrument order, each with a small fixed offset so that
/// some statements are easier to agree with than others. Offsets are centred
/// within each ingredient so they do not move the ingredient's mean.
fn statement_columns(instrument: &Instrument, rng: &mut ChaCha8Rng) -> Vec<Column> {
    let mut columns = Vec::new();
    for (index, ingredient) in instrument.ingredients.iter().enumerate() {
        let offsets = centred(
            (0..ingredient.statements.len())
                .map(|_| STATEMENT_SD * standard_normal(rng))
                .collect(),
        );
        for (statement, offset) in ingredient.statements.iter().zip(offsets) {
            columns.push(Column {
                ingredient: index,
                reverse: statement.reverse,
                offset,
            });
        }
    }
    columns
}

/// The first answer listed for a group: the wording our imaginary form used.
fn group_answer<'a>(groups: &'a Groups, id: &str) -> Result<&'a str> {
    groups
        .options
        .iter()
        .find(|option| option.id == id)
        .and_then(|option| option.answers.first())
        .map(String::as_str)
        .with_context(|| format!("instrument.toml: no group `{id}` with at least one answer"))
}

fn shuffled_comments(group_id: &str, rng: &mut ChaCha8Rng) -> Vec<&'static str> {
    let mut comments: Vec<&'static str> = COMMENTS
        .iter()
        .find(|(id, _)| *id == group_id)
        .map(|(_, comments)| comments.to_vec())
        .unwrap_or_default();
    comments.shuffle(rng);
    comments
}

/// Each respondent's level for each ingredient: the group's mean, plus a mood
/// shared by all their answers, plus a view of this ingredient. The personal
/// parts are centred within the group, so the group means the report shows are
/// the ones planned in [`PLANS`] whatever the seed, even for small groups.
fn latent_levels(
    plan: &GroupPlan,
    ingredient_ids: &[&str],
    rng: &mut ChaCha8Rng,
) -> Result<Vec<Vec<f64>>> {
    let moods = centred(
        (0..plan.count)
            .map(|_| MOOD_SD * standard_normal(rng))
            .collect(),
    );
    let mut levels = vec![Vec::new(); plan.count];
    for id in ingredient_ids {
        let Some(&(_, mean)) = plan.means.iter().find(|(planned, _)| planned == id) else {
            bail!(
                "no planned mean for ingredient `{id}` in group `{}`",
                plan.id
            );
        };
        let views = centred(
            (0..plan.count)
                .map(|_| INGREDIENT_SD * standard_normal(rng))
                .collect(),
        );
        for ((level, mood), view) in levels.iter_mut().zip(&moods).zip(views) {
            level.push(mean + mood + view);
        }
    }
    Ok(levels)
}

/// One answer cell. Someone who feels an ingredient is strong disagrees with
/// its reverse-worded statements, so those answers are mirrored.
fn answer<'a>(
    plan: &GroupPlan,
    ingredient_ids: &[&str],
    column: &Column,
    levels: &[f64],
    labels: &[&'a str],
    rng: &mut ChaCha8Rng,
) -> Option<&'a str> {
    let dont_know = dont_know_rate(plan.id, ingredient_ids[column.ingredient]);
    let draw: f64 = rng.random();
    if draw < BLANK_RATE {
        return None;
    }
    if draw < BLANK_RATE + NOT_APPLICABLE_RATE {
        return Some(NOT_APPLICABLE);
    }
    if draw < BLANK_RATE + NOT_APPLICABLE_RATE + dont_know {
        return Some(DONT_KNOW);
    }
    let agreement = levels[column.ingredient] + column.offset + ANSWER_SD * standard_normal(rng);
    let value = agreement.round().clamp(1.0, 5.0) as usize;
    let value = if column.reverse { 6 - value } else { value };
    Some(labels[value - 1])
}

/// Young people often cannot see how outcomes are measured, so they say
/// "Don't know" to those statements far more than to others.
fn dont_know_rate(group_id: &str, ingredient_id: &str) -> f64 {
    match (group_id, ingredient_id) {
        ("young-people", "outcomes") => 0.2,
        _ => DONT_KNOW_RATE,
    }
}

/// A name and a unique `example.org` address such as `jordan.okafor17@example.org`.
fn invent_person(emails: &mut HashSet<String>, rng: &mut ChaCha8Rng) -> (String, String) {
    loop {
        let first = FIRST_NAMES.choose(rng).expect("names are not empty");
        let surname = SURNAMES.choose(rng).expect("names are not empty");
        let number: u8 = rng.random_range(1..100);
        let local: String = format!("{first}.{surname}")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect::<String>()
            .to_lowercase();
        let email = format!("{local}{number}@example.org");
        if emails.insert(email.clone()) {
            return (format!("{first} {surname}"), email);
        }
    }
}

/// A completion time in September 2026, when the survey was open. Most answers
/// come just after the launch e-mail (Tuesday 1st) and the reminders (15th and
/// 28th); staff answer in working hours, young people at any time.
fn completion_time(plan: &GroupPlan, rng: &mut ChaCha8Rng) -> Result<NaiveDateTime> {
    let days: Vec<NaiveDate> = (1..=30)
        .map(|day| NaiveDate::from_ymd_opt(2026, 9, day).expect("September has 30 days"))
        .collect();
    let date = *days.choose_weighted(rng, |date| day_weight(*date, plan))?;
    let (first_minute, last_minute) = if plan.answers_out_of_hours || rng.random_bool(0.1) {
        (10 * 60, 23 * 60)
    } else {
        (8 * 60 + 30, 17 * 60 + 30)
    };
    let minute = rng.random_range(first_minute..last_minute);
    let second = rng.random_range(0..60);
    date.and_hms_opt(minute / 60, minute % 60, second)
        .context("invented an impossible time of day")
}

fn day_weight(date: NaiveDate, plan: &GroupPlan) -> u32 {
    let weight = match date.day() {
        1 => 15,
        2 => 10,
        3 => 7,
        15 => 10,
        16 => 6,
        28 => 8,
        29 => 5,
        _ => 3,
    };
    let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
    if weekend && !plan.answers_out_of_hours {
        1
    } else {
        weight
    }
}

/// Marks a few people as having stopped part way, and gives the hostile
/// comments to others. Commissioners are left alone so that their group keeps
/// exactly three full rows.
fn add_awkward_rows(respondents: &mut [Respondent], rng: &mut ChaCha8Rng) {
    let mut candidates: Vec<usize> = (0..respondents.len())
        .filter(|&index| respondents[index].plan.id != "commissioners")
        .collect();
    candidates.shuffle(rng);
    let (stopped, rest) = candidates.split_at(STOPPED_AFTER.len());

    for (&index, &answered) in stopped.iter().zip(&STOPPED_AFTER) {
        let respondent = &mut respondents[index];
        for cell in &mut respondent.answers[answered..] {
            *cell = None;
        }
        respondent.comment = None;
        // Answering a few statements takes a minute or two, not ten.
        respondent.start = respondent.completion - TimeDelta::seconds(rng.random_range(60..240));
    }
    for (&index, &comment) in rest.iter().zip(&HOSTILE_COMMENTS) {
        respondents[index].comment = Some(comment);
    }
}

/// The cells after `Last modified time`: group, statements, comment.
fn question_cells<'a>(respondent: &'a Respondent) -> impl Iterator<Item = Option<&'a str>> {
    std::iter::once(Some(respondent.group_answer))
        .chain(respondent.answers.iter().copied())
        .chain(std::iter::once(respondent.comment))
}

/// The sample as the workbook Forms gives.
fn write_xlsx(path: &Path, headers: &[&str], respondents: &[Respondent]) -> Result<()> {
    let rows = respondents.iter().enumerate().map(|(index, respondent)| {
        let mut cells = vec![
            Some(Cell::Number(index as u32 + 1)),
            Some(Cell::DateTime(respondent.start)),
            Some(Cell::DateTime(respondent.completion)),
            Some(Cell::Text(&respondent.email)),
            Some(Cell::Text(&respondent.name)),
            // `Last modified time` stays blank: nobody edited an answer.
            None,
        ];
        cells.extend(question_cells(respondent).map(|cell| cell.map(Cell::Text)));
        cells
    });
    xlsx::write_xlsx(path, headers, rows)
}

/// The sample as a Forms CSV export.
fn write_csv(path: &Path, headers: &[&str], respondents: &[Respondent]) -> Result<()> {
    let rows = respondents.iter().enumerate().map(|(index, respondent)| {
        let mut record = vec![
            (index + 1).to_string(),
            csv_datetime(respondent.start),
            csv_datetime(respondent.completion),
            respondent.email.clone(),
            respondent.name.clone(),
            String::new(),
        ];
        record.extend(question_cells(respondent).map(|cell| cell.unwrap_or("").to_owned()));
        Ok(record)
    });
    forms::write_csv(path, headers, rows)
}

/// For example: `wrote 147 rows (young-people 14, frontline 50, ...)`.
fn summary(respondents: &[Respondent]) -> String {
    let counts: Vec<String> = PLANS
        .iter()
        .map(|plan| {
            let rows = respondents.iter().filter(|r| r.plan.id == plan.id).count();
            format!("{} {rows}", plan.id)
        })
        .collect();
    format!(
        "wrote {} rows ({}; {} stopped part way) to sample-data/{STEM}.xlsx and .csv",
        respondents.len(),
        counts.join(", "),
        STOPPED_AFTER.len(),
    )
}

/// The values minus their mean.
fn centred(values: Vec<f64>) -> Vec<f64> {
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    values.into_iter().map(|value| value - mean).collect()
}
