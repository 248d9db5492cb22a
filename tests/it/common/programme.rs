//! Programme fixtures: a small generated programme folder (three sites, one
//! of which hides its young people), as site folders or as one combined
//! export, run by the binary; and a site's figures made by hand for the
//! programme report's library functions.

use std::path::{Path, PathBuf};
use std::process::Output;

use makeitstick::instrument::Instrument;
use makeitstick::programme::site::{Cell, CellCount, SiteFigures, SiteIngredient};
use makeitstick::score::privacy;

use super::{fake_typst, report_in};

/// The site question of the combined export.
pub const QUESTION: &str = "Which organisation are you from?";

/// id, name, respondents, young people among them. Westmoor's 2 young people
/// are the one hidden young-people cell of the programme.
pub const SITES: [(&str, &str, usize, usize); 3] = [
    ("eastvale", "Eastvale Trust", 40, 8),
    ("northshire", "Northshire", 60, 10),
    ("westmoor", "Westmoor", 30, 2),
];

/// How a generated programme holds its answers.
#[derive(Clone, Copy)]
pub enum Exports {
    /// One export per site in `sites/<id>/exports/`.
    SiteFolders,
    /// One export in `exports/` with the site question.
    Combined,
}

/// A generated programme folder of [`SITES`] in a temporary folder of its
/// own (removed when dropped), with a stand-in typst beside it.
pub struct ProgrammeFolder {
    _temp: tempfile::TempDir,
    /// The programme folder: programme.toml, sites/ or exports/, reports/.
    pub dir: PathBuf,
    /// The stand-in typst [`ProgrammeFolder::report`] runs.
    typst: PathBuf,
}

impl ProgrammeFolder {
    /// Writes the programme, its exports held as `exports` says, for the 2026-Q3 wave.
    pub fn new(exports: Exports) -> Self {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("programme");
        let instrument = Instrument::load(None).unwrap();
        let combined = matches!(exports, Exports::Combined);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("programme.toml"), programme_toml(combined)).unwrap();
        let rows = respondents(&instrument);
        match exports {
            Exports::SiteFolders => {
                for (s, (id, _, _, _)) in SITES.iter().enumerate() {
                    let mut records = vec![headers(&instrument, false)];
                    records.extend(rows.iter().filter(|(r, _)| *r == s).map(|(_, c)| c.clone()));
                    write_csv(&export_of(&dir, id), &records);
                }
            }
            Exports::Combined => {
                let mut records = vec![headers(&instrument, true)];
                for (site, cells) in rows {
                    let mut record = cells[..3].to_vec();
                    record.push(SITES[site].1.to_string());
                    record.extend(cells[3..].iter().cloned());
                    records.push(record);
                }
                write_csv(&dir.join("exports/programme-2026-q3.csv"), &records);
            }
        }
        let typst = stand_in_typst(&temp.path().join("bin"));
        ProgrammeFolder {
            _temp: temp,
            dir,
            typst,
        }
    }

    /// A site's export, when the programme has site folders.
    pub fn export_of(&self, id: &str) -> PathBuf {
        export_of(&self.dir, id)
    }

    /// `makeitstick report` in the programme with `extra` arguments and the
    /// stand-in typst.
    pub fn report(&self, extra: &[&str]) -> (Output, String) {
        let mut args = extra.to_vec();
        args.extend(["--typst", self.typst.to_str().unwrap()]);
        report_in(&self.dir, &args)
    }

    /// [`ProgrammeFolder::report`] with no extra arguments, which must succeed.
    pub fn report_ok(&self) {
        let (output, stderr) = self.report(&[]);
        assert!(output.status.success(), "{stderr}");
    }
}

/// A site's export in a folder programme.
fn export_of(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("sites/{id}/exports/{id}-2026-q3.csv"))
}

/// Every respondent: their site and their cells after the site column
/// (ID, start, completion, group, then one answer per statement).
fn respondents(instrument: &Instrument) -> Vec<(usize, Vec<String>)> {
    let labels: Vec<String> = (instrument.default_scale().points.iter())
        .map(|p| p.label.clone())
        .collect();
    let groups = instrument.group_options();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut rows = Vec::new();
    for (site, &(_, _, size, young)) in SITES.iter().enumerate() {
        for k in 0..size {
            let group = if k < young {
                0
            } else {
                1 + next(groups.len() - 1)
            };
            let mut cells = vec![
                (rows.len() + 1).to_string(),
                format!("2026-09-{:02} 09:00:00", 2 + next(20)),
                format!("2026-09-{:02} 10:{:02}:00", 2 + next(20), next(60)),
                groups[group].name.clone(),
            ];
            for _ in instrument.statements() {
                let level = (next(5) + site + usize::from(group == 0)).min(labels.len() - 1);
                cells.push(labels[level].clone());
            }
            rows.push((site, cells));
        }
    }
    rows
}

fn headers(instrument: &Instrument, site_column: bool) -> Vec<String> {
    let mut headers: Vec<String> = ["ID", "Start time", "Completion time"]
        .map(String::from)
        .to_vec();
    if site_column {
        headers.push(QUESTION.into());
    }
    headers.push(instrument.groups.as_ref().unwrap().question.clone());
    headers.extend(instrument.statements().map(|(_, s)| s.text.clone()));
    headers
}

fn write_csv(path: &Path, records: &[Vec<String>]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut writer = csv::Writer::from_path(path).unwrap();
    for record in records {
        writer.write_record(record).unwrap();
    }
    writer.flush().unwrap();
}

/// programme.toml: the three sites, with the site question for a combined export.
fn programme_toml(combined: bool) -> String {
    let mut text = String::from("schema-version = 1\nname = \"Test Programme\"\n");
    if combined {
        text.push_str(&format!("\n[site-question]\nquestion = \"{QUESTION}\"\n"));
    }
    for (id, name, _, _) in SITES {
        text.push_str(&format!("\n[[sites]]\nid = \"{id}\"\nname = \"{name}\"\n"));
    }
    text
}

/// A stand-in typst writing a PDF that differs every run (its nanoseconds).
fn stand_in_typst(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    fake_typst(
        dir,
        "0.15.1",
        "echo \"%PDF-fake $(date +%s%N)\" > \"$(eval echo \\${$#})\"",
    )
}

/// Group sizes (young people, frontline, managers, partners, commissioners,
/// did not say) of a large site: 110 respondents.
pub const BIG: [u64; 6] = [20, 40, 30, 10, 10, 0];
/// Group sizes of a middle-sized site: 32 respondents.
pub const MID: [u64; 6] = [6, 12, 8, 6, 0, 0];

/// A site whose groups (young people, frontline, managers, partners,
/// commissioners, did not say) have `sizes` respondents; on ingredient `i`
/// half of each group scores `level + offsets[i] - 10` and half `+ 10`.
pub fn site(id: &str, name: &str, sizes: [u64; 6], level: f64, offsets: [f64; 5]) -> SiteFigures {
    let instrument = Instrument::load(None).unwrap();
    let slots = privacy::slots(&instrument);
    // Every group here is 0 or at least 5: shown, so all are included.
    let ingredients = offsets
        .iter()
        .map(|offset| SiteIngredient {
            cells: sizes
                .iter()
                .enumerate()
                .map(|(s, &n)| {
                    let centre = level + offset + s as f64;
                    let scores = match n {
                        0 => vec![],
                        n => vec![(centre - 10.0, n / 2), (centre + 10.0, n - n / 2)],
                    };
                    Cell {
                        scores: scores.into_iter().filter(|(_, k)| *k > 0).collect(),
                        shown: n >= 5,
                        included: n >= 5,
                    }
                })
                .collect(),
        })
        .collect();
    SiteFigures {
        id: id.into(),
        name: name.into(),
        responses: sizes.iter().filter(|&&n| n >= 5).sum(),
        counts: sizes
            .iter()
            .map(|&n| CellCount {
                respondents: n,
                shown: n >= 5,
            })
            .collect(),
        slots,
        ingredients,
    }
}
