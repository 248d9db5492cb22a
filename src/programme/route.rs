//! Sending the rows of one combined export to their sites, by the site question.
//!
//! The seam a programme run streams through: rows are read once; each row is
//! mapped to a respondent by [`crate::instrument::RowMapper`] as for a single
//! site, then [`SiteRouter::route`] reads its site answer and the respondent
//! goes to that site's [`crate::score::tally::Tally`]. A site's tally then
//! holds exactly what a folder of that site's rows would give, so both kinds
//! of programme give the same figures for the same answers (tested below).
//!
//! A site answer that belongs to no site stops the run (an answer nobody
//! claims would silently lose responses), quoting the answer only when more
//! than one row gives it; a blank answer is counted and its rows are in no
//! site.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::config::{ConfigProblem, ProgrammeConfig};
use crate::ingest::{Column, Questions, Row};
use crate::text::normalise;

/// Where one row goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// To the site at this index of `programme.toml`'s sites.
    Site(usize),
    /// Nowhere: the site question was left blank.
    Blank,
    /// Nowhere: the answer belongs to no site (an error at [`SiteRouter::finish`]).
    Unknown,
}

/// Errors of routing rows to sites.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    /// No column's header is the site question.
    #[error("{path}: no column is the site question {question:?}")]
    NoSiteColumn {
        /// The export.
        path: PathBuf,
        /// The question as programme.toml words it.
        question: String,
    },
    /// Two columns match the site question.
    #[error("{path}: columns {first} and {second} both match the site question")]
    TwoSiteColumns {
        /// The export.
        path: PathBuf,
        /// The first column's letter.
        first: String,
        /// The second column's letter.
        second: String,
    },
    /// Rows whose site answer belongs to no site.
    #[error(
        "{path}: {count} row{s} in column {column} give a site answer that belongs to no site{quoted} (first at row {first_row})",
        s = if *count == 1 { "" } else { "s" },
        quoted = if value.is_empty() { String::new() } else { format!(", such as {value:?}") }
    )]
    UnknownAnswers {
        /// The export.
        path: PathBuf,
        /// The site column's letter.
        column: String,
        /// Rows with an unknown answer.
        count: u64,
        /// The first such row.
        first_row: usize,
        /// A short excerpt of the most frequent unknown answer, only when
        /// more than one row gives it (an answer given once may name someone).
        value: String,
    },
    /// programme.toml breaks a rule routing needs.
    #[error(transparent)]
    Config(#[from] ConfigProblem),
}

impl RouteError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            RouteError::NoSiteColumn { .. } | RouteError::TwoSiteColumns { .. } => {
                "make [site-question] in programme.toml word the question as the export's header does, or add the header to its aliases"
            }
            RouteError::UnknownAnswers { .. } => {
                "add the answer to the `answers` of its site in programme.toml"
            }
            RouteError::Config(_) => "fix programme.toml as the message says",
        }
    }
}

/// How many rows went where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routed {
    /// Rows per site, in `programme.toml`'s order.
    pub per_site: Vec<u64>,
    /// Rows that left the site question blank.
    pub blank: u64,
}

/// One unknown answer while rows go by.
#[derive(Debug, Clone)]
struct Unknown {
    count: u64,
    first_row: usize,
}

/// Reads each row's site answer. Built once per combined export.
#[derive(Debug, Clone)]
pub struct SiteRouter {
    /// The question and its aliases, normalised.
    wordings: Vec<String>,
    /// The question as written, for messages.
    question: String,
    /// Normalised answer → site index.
    answers: BTreeMap<String, usize>,
    /// The site column: its index among the table's kept columns, and letter.
    column: Option<(usize, String)>,
    /// Cell text → route, for the few distinct answers a site column holds.
    cache: HashMap<String, Route>,
    unknown: BTreeMap<String, Unknown>,
    routed: Vec<u64>,
    blank: u64,
    source: PathBuf,
}

/// How many distinct cell texts a router remembers.
const CACHE: usize = 1024;

impl SiteRouter {
    /// The router of a programme with a `[site-question]`; `None` for folder sites.
    pub fn new(config: &ProgrammeConfig) -> Result<Option<SiteRouter>, RouteError> {
        let Some(question) = &config.site_question else {
            return Ok(None);
        };
        Ok(Some(SiteRouter {
            wordings: std::iter::once(&question.question)
                .chain(&question.aliases)
                .map(|w| normalise(w))
                .collect(),
            question: question.question.clone(),
            answers: config.site_answers()?,
            column: None,
            cache: HashMap::new(),
            unknown: BTreeMap::new(),
            routed: vec![0; config.sites.len()],
            blank: 0,
            source: PathBuf::new(),
        }))
    }

    /// Whether this column's header is the site question.
    pub fn is_site_column(&self, column: &Column) -> bool {
        let header = normalise(&column.header);
        self.wordings.contains(&header)
    }

    /// The reader's question test with the site column added, so that the
    /// reader never drops the site column for its content (organisation
    /// names can look like personal names).
    pub fn questions(&self, questionnaire: Questions) -> Questions {
        let router = self.clone();
        Questions(std::sync::Arc::new(move |columns: &[Column]| {
            let mut questions = (questionnaire.0)(columns);
            for (flag, column) in questions.iter_mut().zip(columns) {
                *flag |= router.is_site_column(column);
            }
            questions
        }))
    }

    /// Finds the site column among an export's kept columns.
    pub fn locate(&mut self, columns: &[Column], source: &Path) -> Result<(), RouteError> {
        let mut found = columns
            .iter()
            .enumerate()
            .filter(|(_, c)| self.is_site_column(c));
        let Some((index, first)) = found.next() else {
            return Err(RouteError::NoSiteColumn {
                path: source.to_path_buf(),
                question: self.question.clone(),
            });
        };
        if let Some((_, second)) = found.next() {
            return Err(RouteError::TwoSiteColumns {
                path: source.to_path_buf(),
                first: first.letter.clone(),
                second: second.letter.clone(),
            });
        }
        self.column = Some((index, first.letter.clone()));
        self.source = source.to_path_buf();
        Ok(())
    }

    /// The site of one row; [`locate`](SiteRouter::locate) must have found the column.
    pub fn route(&mut self, row: &Row) -> Route {
        let (index, _) = self
            .column
            .as_ref()
            .expect("locate finds the site column before rows are routed");
        let cell = row.cells[*index].as_str();
        let route = match self.cache.get(cell) {
            Some(route) => *route,
            None => {
                let route = if cell.trim().is_empty() {
                    Route::Blank
                } else {
                    match self.answers.get(&normalise(cell)) {
                        Some(&site) => Route::Site(site),
                        None => Route::Unknown,
                    }
                };
                if self.cache.len() < CACHE {
                    self.cache.insert(cell.to_string(), route);
                }
                route
            }
        };
        match route {
            Route::Site(site) => self.routed[site] += 1,
            Route::Blank => self.blank += 1,
            Route::Unknown => {
                self.unknown
                    .entry(cell.to_string())
                    .and_modify(|u| u.count += 1)
                    .or_insert(Unknown {
                        count: 1,
                        first_row: row.number,
                    });
            }
        }
        route
    }

    /// The counts of rows routed; an error when any answer belongs to no site.
    pub fn finish(self) -> Result<Routed, RouteError> {
        if !self.unknown.is_empty() {
            let count = self.unknown.values().map(|u| u.count).sum();
            let first_row = self
                .unknown
                .values()
                .map(|u| u.first_row)
                .min()
                .unwrap_or(0);
            // The most frequent answer (the earliest of equals), quoted only when repeated.
            let (text, most) = self
                .unknown
                .iter()
                .max_by_key(|(_, u)| (u.count, std::cmp::Reverse(u.first_row)))
                .expect("not empty");
            let (_, letter) = self.column.expect("rows were routed");
            return Err(RouteError::UnknownAnswers {
                path: self.source,
                column: letter,
                count,
                first_row,
                value: if most.count > 1 {
                    crate::instrument::excerpt(text)
                } else {
                    String::new()
                },
            });
        }
        Ok(Routed {
            per_site: self.routed,
            blank: self.blank,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::ReadOptions;
    use crate::instrument::{Instrument, MapOptions, Respondent, RowMapper};
    use crate::programme::site::SiteFigures;
    use crate::score::tally::Tally;

    const PROGRAMME: &str = r#"
schema-version = 1
name = "Staying Close"
[site-question]
question = "Which organisation are you from?"
aliases = ["Organisation"]
[[sites]]
id = "northshire"
name = "Northshire County Council"
answers = ["Northshire", "Northshire CC"]
[[sites]]
id = "eastvale"
name = "Eastvale Trust"
[[sites]]
id = "westmoor"
name = "Westmoor"
"#;

    fn config() -> ProgrammeConfig {
        ProgrammeConfig::parse(PROGRAMME, Path::new("programme.toml")).unwrap()
    }

    /// Answers spelt as respondents' exports spell them, per site.
    const SPELLINGS: [&[&str]; 3] = [
        &["Northshire", "NORTHSHIRE CC", "Northshire County Council"],
        &["Eastvale Trust", "eastvale  trust"],
        &["Westmoor"],
    ];

    /// A Forms-like export: (site, row cells after the site column) per respondent.
    fn rows(instrument: &Instrument) -> Vec<(usize, Vec<String>)> {
        let labels: Vec<String> = instrument
            .default_scale()
            .points
            .iter()
            .map(|p| p.label.clone())
            .collect();
        let groups = instrument.group_options();
        let statements = instrument.statements().count();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        (0..150)
            .map(|i| {
                // Sites of different sizes; Westmoor's young people are few.
                let site = [0, 0, 0, 1, 1, 2][next(6)];
                let group = if site == 2 && next(4) > 0 {
                    1 + next(4)
                } else {
                    next(groups.len())
                };
                let mut cells = vec![
                    (i + 1).to_string(),
                    format!("2026-09-{:02} 09:00:00", 13 + next(15)),
                    format!("2026-09-{:02} 10:{:02}:00", 13 + next(15), next(60)),
                ];
                cells.push(groups[group].name.clone());
                for _ in 0..statements {
                    cells.push(match next(20) {
                        0 => String::new(),
                        1 => "Don't know".into(),
                        k => labels[(k + site + group) % labels.len()].clone(),
                    });
                }
                (site, cells)
            })
            .collect()
    }

    fn headers(instrument: &Instrument, site_column: bool) -> Vec<String> {
        let mut headers: Vec<String> = ["ID", "Start time", "Completion time"]
            .map(String::from)
            .to_vec();
        if site_column {
            headers.push("Which organisation are you from?".into());
        }
        headers.push(instrument.groups.as_ref().unwrap().question.clone());
        headers.extend(instrument.statements().map(|(_, s)| s.text.clone()));
        headers
    }

    fn write(path: &Path, records: &[Vec<String>]) {
        let mut writer = csv::Writer::from_path(path).unwrap();
        for record in records {
            writer.write_record(record).unwrap();
        }
        writer.flush().unwrap();
    }

    fn read_options(instrument: &Instrument, router: Option<&SiteRouter>) -> ReadOptions {
        let questions = crate::instrument::question_columns(instrument, &MapOptions::default());
        ReadOptions {
            questions: Some(match router {
                Some(router) => router.questions(questions),
                None => questions,
            }),
            ..Default::default()
        }
    }

    /// Streams one export into one tally per site: every row to site 0 for a
    /// folder export, or by the router for a combined one.
    fn tally<'a>(
        path: &Path,
        instrument: &'a Instrument,
        mut router: Option<SiteRouter>,
        sites: usize,
    ) -> (Vec<Tally<'a>>, Option<Routed>) {
        let mut rows =
            crate::ingest::stream(path, &read_options(instrument, router.as_ref())).unwrap();
        let mut mapper =
            RowMapper::new(rows.summary(), instrument, &MapOptions::default()).unwrap();
        if let Some(router) = &mut router {
            router.locate(&rows.summary().columns, path).unwrap();
        }
        let mut tallies: Vec<Tally> = (0..sites)
            .map(|_| Tally::new(instrument, mapper.in_export()))
            .collect();
        let mut respondent = Respondent::default();
        while let Some(row) = rows.next_ref().unwrap() {
            if mapper.map(row, &mut respondent) {
                let site = match &mut router {
                    None => 0,
                    Some(router) => match router.route(row) {
                        Route::Site(site) => site,
                        other => panic!("row {} went to {other:?}", row.number),
                    },
                };
                tallies[site].add(&respondent);
            }
        }
        let summary = rows.finish();
        let order = summary.date_order().unwrap();
        let analysis = mapper.finish(summary.rows_read, summary.excluded);
        analysis.into_result().unwrap();
        for tally in &mut tallies {
            tally.date_order = order;
        }
        (tallies, router.map(|r| r.finish().unwrap()))
    }

    #[test]
    fn a_combined_export_gives_the_figures_of_folder_sites() {
        let instrument = Instrument::load(None).unwrap();
        let config = config();
        let dir = tempfile::tempdir().unwrap();
        let rows = rows(&instrument);

        let mut combined = vec![headers(&instrument, true)];
        for (i, (site, cells)) in rows.iter().enumerate() {
            let mut record = cells[..3].to_vec();
            let spellings = SPELLINGS[*site];
            record.push(spellings[i % spellings.len()].to_string());
            record.extend(cells[3..].iter().cloned());
            combined.push(record);
        }
        let combined_path = dir.path().join("combined.csv");
        write(&combined_path, &combined);
        let router = SiteRouter::new(&config).unwrap().unwrap();
        let (split, routed) = tally(&combined_path, &instrument, Some(router), 3);
        let routed = routed.unwrap();
        assert_eq!(routed.blank, 0);

        for (s, site) in config.sites.iter().enumerate() {
            let mut records = vec![headers(&instrument, false)];
            records.extend(rows.iter().filter(|(r, _)| *r == s).map(|(_, c)| c.clone()));
            let path = dir.path().join(format!("{}.csv", site.id));
            write(&path, &records);
            let (folder, _) = tally(&path, &instrument, None, 1);
            assert_eq!(routed.per_site[s], records.len() as u64 - 1);

            let finish = |t: &Tally| {
                let read = crate::score::ReadCounts::default();
                serde_json::to_string(&crate::score::finish(t, &instrument, 5, None, read)).unwrap()
            };
            assert_eq!(finish(&folder[0]), finish(&split[s]), "site {}", site.id);
            let figures = |t: &Tally| {
                let f = SiteFigures::from_tally(&site.id, &site.name, t, &instrument, 5);
                (
                    f.responses,
                    f.counts,
                    f.ingredients
                        .iter()
                        .map(|i| i.cells.clone())
                        .collect::<Vec<_>>(),
                )
            };
            assert_eq!(figures(&folder[0]), figures(&split[s]), "site {}", site.id);
        }
        // The fixture has what the test is about: sites of different sizes,
        // and a group Westmoor hides.
        let westmoor = SiteFigures::from_tally("westmoor", "Westmoor", &split[2], &instrument, 5);
        assert!(
            westmoor
                .counts
                .iter()
                .any(|c| c.respondents > 0 && !c.shown)
        );
    }

    fn row(number: usize, cell: &str) -> Row {
        Row {
            number,
            cells: vec![String::new(), cell.to_string()],
            completed: None,
        }
    }

    fn columns(headers: &[&str]) -> Vec<Column> {
        headers
            .iter()
            .enumerate()
            .map(|(i, h)| Column {
                header: h.to_string(),
                letter: crate::ingest::column_letter(i),
                ..Default::default()
            })
            .collect()
    }

    #[test]
    fn answers_are_matched_as_normalised_text_and_blanks_counted() {
        let mut router = SiteRouter::new(&config()).unwrap().unwrap();
        router
            .locate(&columns(&["Name", "ORGANISATION"]), Path::new("x.csv"))
            .unwrap();
        assert_eq!(router.route(&row(2, "northshire cc")), Route::Site(0));
        assert_eq!(router.route(&row(3, "Eastvale Trust ")), Route::Site(1));
        assert_eq!(router.route(&row(4, "")), Route::Blank);
        let routed = router.finish().unwrap();
        assert_eq!(
            routed,
            Routed {
                per_site: vec![1, 1, 0],
                blank: 1
            }
        );
    }

    #[test]
    fn unknown_answers_are_an_error_quoting_only_repeated_ones() {
        let mut router = SiteRouter::new(&config()).unwrap().unwrap();
        router
            .locate(&columns(&["ID", "Organisation"]), Path::new("x.csv"))
            .unwrap();
        router.route(&row(2, "Jane Smith, Northshire"));
        router.route(&row(3, "Northshire"));
        let error = router.clone().finish().unwrap_err();
        assert!(matches!(
            &error,
            RouteError::UnknownAnswers { count: 1, first_row: 2, value, column, .. }
                if value.is_empty() && column == "B"
        ));
        assert!(!error.to_string().contains("Jane"), "{error}");
        router.route(&row(4, "Southdale"));
        router.route(&row(5, "Southdale"));
        let error = router.finish().unwrap_err().to_string();
        assert!(
            error.contains("3 rows") && error.contains("\"Southdale\""),
            "{error}"
        );
        assert!(error.contains("first at row 2"), "{error}");
    }

    #[test]
    fn the_site_column_must_be_there_once() {
        let mut router = SiteRouter::new(&config()).unwrap().unwrap();
        let missing = router.locate(&columns(&["ID"]), Path::new("x.csv"));
        assert!(matches!(missing, Err(RouteError::NoSiteColumn { .. })));
        let twice = router.locate(
            &columns(&["Organisation", "Which organisation are you from?"]),
            Path::new("x.csv"),
        );
        assert!(
            matches!(twice, Err(RouteError::TwoSiteColumns { first, second, .. }) if first == "A" && second == "B")
        );
        let folders = ProgrammeConfig::parse(
            "schema-version = 1\nname = \"P\"\n[[sites]]\nid = \"a\"\nname = \"A\"",
            Path::new("programme.toml"),
        )
        .unwrap();
        assert!(SiteRouter::new(&folders).unwrap().is_none());
    }
}
