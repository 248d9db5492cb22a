//! An independent re-computation of the scores JSON, straight from the raw
//! export and the instrument TOML, sharing no code with the program.

use std::collections::BTreeMap;

use crate::common::*;

struct Statement {
    text: String,
    reverse: bool,
}

struct Ingredient {
    id: String,
    statements: Vec<Statement>,
}

/// Ingredients, scale label → value, and (group id, answers) pairs.
type Parsed = (
    Vec<Ingredient>,
    BTreeMap<String, f64>,
    Vec<(String, Vec<String>)>,
);

fn instrument() -> Parsed {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates/instrument.toml"),
    )
    .unwrap();
    let toml: toml::Value = toml::from_str(&text).unwrap();
    let ingredients = toml["ingredients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| Ingredient {
            id: i["id"].as_str().unwrap().into(),
            statements: i["statements"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| Statement {
                    text: s["text"].as_str().unwrap().into(),
                    reverse: s.get("reverse").and_then(|r| r.as_bool()).unwrap_or(false),
                })
                .collect(),
        })
        .collect();
    let labels = toml["scale"]["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["label"].as_str().unwrap().to_string(),
                p["value"].as_integer().unwrap() as f64,
            )
        })
        .collect();
    let groups = toml["groups"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let answers = g["answers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_string())
                .collect();
            (g["id"].as_str().unwrap().to_string(), answers)
        })
        .collect();
    (ingredients, labels, groups)
}

/// The scores JSON of a report on `export`; a stand-in typst makes the PDF, which these tests do not read.
fn scores_json(export: &std::path::Path) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let typst = fake_typst(dir.path(), "0.15.1", "exit 0");
    let scores_path = dir.path().join("scores.json");
    let (output, stderr) = run(makeitstick()
        .arg("report")
        .arg(export)
        .arg("-o")
        .arg(dir.path().join("r.pdf"))
        .arg("--scores")
        .arg(&scores_path)
        .arg("--typst")
        .arg(&typst));
    assert!(output.status.success(), "{stderr}");
    serde_json::from_str(&std::fs::read_to_string(&scores_path).unwrap()).unwrap()
}

fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

#[test]
fn scores_json_agrees_with_an_independent_recomputation_of_the_sample() {
    let json = scores_json(&sample_csv());

    let (ingredients, labels, groups) = instrument();
    let mut reader = csv::Reader::from_path(sample_csv()).unwrap();
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let group_column = headers
        .iter()
        .position(|h| h == "Which of these best describes you?")
        .unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();

    // Group sizes decide who may be shown: under 5 is hidden, and a lone hidden group is left out.
    let group_of = |row: &csv::StringRecord| {
        groups
            .iter()
            .find(|(_, answers)| answers.iter().any(|a| a == &row[group_column]))
            .map(|(id, _)| id.clone())
            .unwrap_or_else(|| "not-given".into())
    };

    for (index, ingredient) in ingredients.iter().enumerate() {
        let mut by_group: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for row in &rows {
            let mut values = Vec::new();
            for statement in &ingredient.statements {
                let column = headers.iter().position(|h| *h == statement.text).unwrap();
                if let Some(v) = labels.get(&row[column]) {
                    values.push(if statement.reverse { 6.0 - v } else { *v });
                }
            }
            if values.len() * 2 >= ingredient.statements.len() {
                let mean = values.iter().sum::<f64>() / values.len() as f64;
                by_group
                    .entry(group_of(row))
                    .or_default()
                    .push((mean - 1.0) / 4.0 * 100.0);
            }
        }
        let reported = &json["ingredients"][index];
        assert_eq!(reported["id"], ingredient.id.as_str());
        let hidden: Vec<&String> = by_group
            .iter()
            .filter(|(_, v)| v.len() < 5)
            .map(|(g, _)| g)
            .collect();
        assert_eq!(
            hidden.len(),
            1,
            "the sample has exactly one small group (commissioners)"
        );
        let mut everyone = Vec::new();
        for (group, values) in &by_group {
            let cell = reported["groups"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["id"] == group.as_str())
                .unwrap();
            if values.len() < 5 {
                assert_eq!(cell["shown"], false);
                assert!(
                    cell.get("mean").is_none(),
                    "hidden group {group} has a mean"
                );
                continue;
            }
            everyone.extend_from_slice(values);
            let (mean, sd) = mean_sd(values);
            assert_eq!(cell["n"], values.len(), "{} {group}", ingredient.id);
            assert!(
                (cell["mean"].as_f64().unwrap() - mean).abs() <= 0.005,
                "{} {group}",
                ingredient.id
            );
            assert!(
                (cell["sd"].as_f64().unwrap() - sd).abs() <= 0.005,
                "{} {group}",
                ingredient.id
            );
        }
        let (mean, sd) = mean_sd(&everyone);
        assert_eq!(reported["overall"]["n"], everyone.len());
        assert!((reported["overall"]["mean"].as_f64().unwrap() - mean).abs() <= 0.005);
        assert!((reported["overall"]["sd"].as_f64().unwrap() - sd).abs() <= 0.005);
    }
}

#[test]
fn hand_computed_tiny_fixture() {
    // Six managers; respondent k's receptive-context score is (a_k - 1) / 4 * 100 with
    // a = 5, 4, 4, 3, 2, 5: scores 100, 75, 75, 50, 25, 100.
    // Mean 425 / 6 = 70.83. Squared deviations sum to 4270.83, / 5 = 854.17, sd = 29.23.
    // t(5) = 2.5706, half-width 2.5706 * 29.226 / sqrt(6) = 30.67: 40.16 to 101.50, shown as 40.16 to 100.
    let json = scores_json(&fixture("tiny/export.csv"));
    let overall = &json["ingredients"][0]["overall"];
    assert_eq!(overall["n"], 6);
    assert_eq!(overall["mean"], 70.83);
    assert_eq!(overall["sd"], 29.23);
    assert_eq!(overall["ci_low"], 40.16);
    assert_eq!(overall["ci_high"], 100.0);
    assert_eq!(overall["band"], "Established");
    // The other ingredients have no columns in this export, so no score.
    assert!(json["ingredients"][1]["overall"].is_null());
    assert_eq!(json["ranking"], serde_json::json!(["context"]));
    // Statement 4 is reverse-worded: answers 1, 2, 2, 3, 4, 1, so one in six agrees (16.67%),
    // and once flipped its score matches the plain statements.
    let s4 = &json["ingredients"][0]["statements"][3];
    assert_eq!(s4["agree_percent"], 16.67);
    assert_eq!(s4["mean"], 70.83);
    assert_eq!(json["period"]["first"], "2026-06-02");
    assert_eq!(json["period"]["last"], "2026-06-07");
}

// ---------------------------------------------------------------------------
// Statement figures, re-computed from the method page's words:
//
// "A statement's figures count every answer to it from the people in the
// figures, whether or not they have a score for its ingredient. n is the
// number of scored answers; the score is their average on 0-100, reverse-worded
// statements flipped; % agree is the share of them in the top two points as
// worded; 'Don't know' and 'Not applicable' are counted beside them."
//
// "The people in the figures: groups of at least the threshold; smaller groups
// are pooled when two or more together reach it, otherwise left out. For each
// statement the same rule is applied again to the number of people in each of
// those groups who answered it (any answer): a group with fewer is pooled with
// the others below it for that statement when two or more together reach the
// threshold, otherwise left out of that statement. The lived-experience gap of
// a statement compares groups counted on their own for it; each side needs
// the threshold of scored answers."

/// One statement's figures as the method page defines them.
#[derive(Debug, Default)]
struct StatementFigures {
    n: usize,
    mean: Option<f64>,
    agree: Option<f64>,
    counts: Vec<usize>,
    missing: Vec<usize>,
    /// (lived n, lived mean, professional n, professional mean).
    gap: Option<(usize, f64, usize, f64)>,
}

/// An answer as written in the export.
#[derive(Clone, Copy, PartialEq)]
enum Raw {
    Blank,
    Point(usize),
    NoView(usize),
}

/// The instrument as the method page's reader knows it: statements (ingredient,
/// id, text, reverse) in order, scale labels, "no view" labels, groups.
struct Method {
    statements: Vec<(String, String, String, bool)>,
    scale: Vec<String>,
    no_view: Vec<String>,
    /// (id, lived experience, answers).
    groups: Vec<(String, bool, Vec<String>)>,
    question: String,
}

fn method() -> Method {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates/instrument.toml"),
    )
    .unwrap();
    let toml: toml::Value = toml::from_str(&text).unwrap();
    let labels = |key: &str| -> Vec<String> {
        toml["scale"][key]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["label"].as_str().unwrap().to_string())
            .collect()
    };
    let mut statements = Vec::new();
    for i in toml["ingredients"].as_array().unwrap() {
        for s in i["statements"].as_array().unwrap() {
            statements.push((
                i["id"].as_str().unwrap().to_string(),
                s["id"].as_str().unwrap().to_string(),
                s["text"].as_str().unwrap().to_string(),
                s.get("reverse").and_then(|r| r.as_bool()).unwrap_or(false),
            ));
        }
    }
    let groups = toml["groups"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["id"].as_str().unwrap().to_string(),
                g.get("lived-experience")
                    .and_then(|l| l.as_bool())
                    .unwrap_or(false),
                g["answers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    Method {
        statements,
        scale: labels("points"),
        no_view: labels("missing"),
        groups,
        question: toml["groups"]["question"].as_str().unwrap().to_string(),
    }
}

/// Every statement's figures from the rows of a CSV export whose headers are
/// in row `text_row` (1-based) of `header_rows`; a statement's column is the
/// one whose header is its text, or ends " - " and its text (Qualtrics).
fn statement_figures(
    export: &std::path::Path,
    header_rows: usize,
    text_row: usize,
    threshold: usize,
) -> BTreeMap<String, StatementFigures> {
    let m = method();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(export)
        .unwrap();
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let headers = &records[text_row - 1];
    let column_of = |text: &str| {
        headers
            .iter()
            .position(|h| h == text || h.ends_with(&format!(" - {text}")))
    };
    let group_column = column_of(&m.question).unwrap();
    // Slots: the instrument's groups, then "did not say" (blank).
    let slots = m.groups.len() + 1;
    let lived = |slot: usize| slot < m.groups.len() && m.groups[slot].1;
    let mut people: Vec<(usize, Vec<Raw>)> = Vec::new();
    for row in &records[header_rows..] {
        let group = row[group_column].trim();
        let slot = if group.is_empty() {
            m.groups.len()
        } else {
            m.groups
                .iter()
                .position(|(_, _, answers)| answers.iter().any(|a| a == group))
                .unwrap_or_else(|| panic!("unknown group answer {group:?}"))
        };
        let answers: Vec<Raw> = m
            .statements
            .iter()
            .map(
                |(_, _, text, _)| match column_of(text).map(|c| row[c].trim()) {
                    None | Some("") => Raw::Blank,
                    Some(cell) => {
                        if let Some(p) = m.scale.iter().position(|l| l == cell) {
                            Raw::Point(p)
                        } else if let Some(k) = m.no_view.iter().position(|l| l == cell) {
                            Raw::NoView(k)
                        } else {
                            panic!("{cell:?} is not an answer on the scale")
                        }
                    }
                },
            )
            .collect();
        // A row that answers no statement is not a response.
        if answers.iter().any(|a| *a != Raw::Blank) {
            people.push((slot, answers));
        }
    }
    // The threshold rule over sizes: who counts on their own, who is pooled.
    let rule = |sizes: &[usize], candidates: &[bool]| -> (Vec<bool>, Vec<bool>) {
        let own: Vec<bool> = (0..slots)
            .map(|s| candidates[s] && sizes[s] >= threshold)
            .collect();
        let small: Vec<usize> = (0..slots)
            .filter(|&s| candidates[s] && sizes[s] > 0 && sizes[s] < threshold)
            .collect();
        let pooled =
            small.len() >= 2 && small.iter().map(|&s| sizes[s]).sum::<usize>() >= threshold;
        let mut counted = own.clone();
        if pooled {
            small.iter().for_each(|&s| counted[s] = true);
        }
        let total: usize = (0..slots).filter(|&s| counted[s]).map(|s| sizes[s]).sum();
        if total < threshold {
            counted = vec![false; slots];
        }
        (own, counted)
    };
    let mut sizes = vec![0; slots];
    for (slot, _) in &people {
        sizes[*slot] += 1;
    }
    let (_, in_figures) = rule(&sizes, &vec![true; slots]);

    let points = m.scale.len();
    let score = |p: usize, reverse: bool| {
        let v = if reverse { points - 1 - p } else { p };
        v as f64 / (points - 1) as f64 * 100.0
    };
    let mut result = BTreeMap::new();
    for (k, (_, id, _, reverse)) in m.statements.iter().enumerate() {
        let mut answered = vec![0; slots];
        for (slot, answers) in &people {
            if answers[k] != Raw::Blank {
                answered[*slot] += 1;
            }
        }
        let (own, counted) = rule(&answered, &in_figures);
        let mut f = StatementFigures {
            counts: vec![0; points],
            missing: vec![0; m.no_view.len()],
            ..Default::default()
        };
        let mut sides: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
        let mut scores = Vec::new();
        for (slot, answers) in &people {
            match answers[k] {
                Raw::Point(p) => {
                    if counted[*slot] {
                        f.counts[p] += 1;
                        scores.push(score(p, *reverse));
                    }
                    if own[*slot] {
                        sides[usize::from(lived(*slot))].push(score(p, *reverse));
                    }
                }
                Raw::NoView(v) if counted[*slot] => f.missing[v] += 1,
                _ => {}
            }
        }
        f.n = scores.len();
        if f.n > 0 {
            f.mean = Some(scores.iter().sum::<f64>() / f.n as f64);
            let top_two: usize = f.counts[points - 2..].iter().sum();
            f.agree = Some(top_two as f64 / f.n as f64 * 100.0);
        }
        let [professional, lived_side] = &sides;
        let enough = threshold.max(2);
        if lived_side.len() >= enough && professional.len() >= enough {
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
            f.gap = Some((
                lived_side.len(),
                mean(lived_side),
                professional.len(),
                mean(professional),
            ));
        }
        result.insert(id.clone(), f);
    }
    result
}

/// Asserts that the scores JSON and tidy CSV of a report on `export` hold
/// exactly the statement figures re-computed by [`statement_figures`].
fn assert_statement_figures(
    export: &std::path::Path,
    expected: &BTreeMap<String, StatementFigures>,
    threshold: usize,
) {
    let dir = tempfile::tempdir().unwrap();
    let typst = fake_typst(dir.path(), "0.15.1", "exit 0");
    let (json_path, csv_path) = (dir.path().join("s.json"), dir.path().join("s.csv"));
    let (output, stderr) = run(makeitstick()
        .arg("report")
        .arg(export)
        .arg("-o")
        .arg(dir.path().join("r.pdf"))
        .arg("--min-group-size")
        .arg(threshold.to_string())
        .arg("--scores")
        .arg(&json_path)
        .arg("--scores")
        .arg(&csv_path)
        .arg("--typst")
        .arg(&typst));
    assert!(output.status.success(), "{stderr}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    let mut tidy: BTreeMap<(String, String, String), f64> = BTreeMap::new();
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    for record in reader.records() {
        let r = record.unwrap();
        tidy.insert(
            (r[2].to_string(), r[3].to_string(), r[4].to_string()),
            r[5].parse().unwrap(),
        );
    }
    let close = |a: f64, b: f64| (a - b).abs() <= 0.005 + 1e-9;
    let name = export.display();
    let mut dont_know = BTreeMap::new();
    for ingredient in json["ingredients"].as_array().unwrap() {
        for s in ingredient["statements"].as_array().unwrap() {
            let id = s["id"].as_str().unwrap();
            let f = &expected[id];
            let csv = |group: &str, measure: &str| {
                tidy.get(&(id.to_string(), group.to_string(), measure.to_string()))
                    .copied()
            };
            assert_eq!(s["n"], f.n, "{name} {id} n");
            assert_eq!(csv("all", "n"), Some(f.n as f64), "{name} {id} csv n");
            match f.mean {
                Some(mean) => {
                    assert!(
                        close(s["mean"].as_f64().unwrap(), mean),
                        "{name} {id} mean {s}"
                    );
                    assert!(
                        close(csv("all", "mean").unwrap(), mean),
                        "{name} {id} csv mean"
                    );
                    let agree = f.agree.unwrap();
                    assert!(
                        close(s["agree_percent"].as_f64().unwrap(), agree),
                        "{name} {id} agree"
                    );
                    assert!(
                        close(csv("all", "agree_percent").unwrap(), agree),
                        "{name} {id} csv agree"
                    );
                }
                None => {
                    assert!(s["mean"].is_null(), "{name} {id} mean");
                    assert_eq!(csv("all", "mean"), None, "{name} {id} csv mean");
                }
            }
            assert_eq!(
                s["counts"],
                serde_json::json!(f.counts),
                "{name} {id} counts"
            );
            for (p, count) in f.counts.iter().enumerate() {
                let measure = format!("count_{}", p + 1);
                assert_eq!(
                    csv("all", &measure),
                    Some(*count as f64),
                    "{name} {id} {measure}"
                );
            }
            assert_eq!(
                s["missing_counts"],
                serde_json::json!(f.missing),
                "{name} {id} no view"
            );
            for (k, count) in f.missing.iter().enumerate() {
                let measure = format!("count_missing_{}", k + 1);
                assert_eq!(
                    csv("all", &measure),
                    Some(*count as f64),
                    "{name} {id} {measure}"
                );
            }
            let gap = &s["gap"];
            match f.gap {
                None => {
                    assert!(gap.is_null(), "{name} {id} gap {gap}");
                    assert_eq!(csv("lived-vs-professional", "lived_n"), None);
                }
                Some((lived_n, lived_mean, professional_n, professional_mean)) => {
                    assert_eq!(gap["lived_n"], lived_n, "{name} {id} lived n");
                    assert_eq!(
                        gap["professional_n"], professional_n,
                        "{name} {id} professional n"
                    );
                    assert!(
                        close(gap["lived_mean"].as_f64().unwrap(), lived_mean),
                        "{name} {id}"
                    );
                    assert!(
                        close(
                            gap["professional_mean"].as_f64().unwrap(),
                            professional_mean
                        ),
                        "{name} {id}"
                    );
                    assert_eq!(
                        csv("lived-vs-professional", "lived_n"),
                        Some(lived_n as f64),
                        "{name} {id} csv lived n"
                    );
                    assert_eq!(
                        csv("lived-vs-professional", "professional_n"),
                        Some(professional_n as f64),
                        "{name} {id} csv professional n"
                    );
                }
            }
            // The appendix lists statements where a fifth or more of the answers are "no view".
            let no_view: usize = f.missing.iter().sum();
            let all = no_view + f.n;
            if all > 0 && no_view as f64 / all as f64 >= 0.2 {
                dont_know.insert(id.to_string(), no_view as f64 / all as f64 * 100.0);
            }
        }
    }
    let listed: BTreeMap<String, f64> = json["data_quality"]["many_dont_know"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["statement"].as_str().unwrap().to_string(),
                m["percent"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed.keys().collect::<Vec<_>>(),
        dont_know.keys().collect::<Vec<_>>(),
        "{name}: the appendix's \"don't know\" list and the statement figures disagree"
    );
    for (id, percent) in &dont_know {
        assert!(close(listed[id], *percent), "{name} {id} don't know share");
    }
}

#[test]
fn statement_figures_of_the_sample_agree_with_a_recomputation_from_the_method() {
    let expected = statement_figures(&sample_csv(), 1, 1, 5);
    assert_statement_figures(&sample_csv(), &expected, 5);
}

#[test]
fn statement_figures_count_people_below_min_share_on_every_platform() {
    let dir = fixture("statements-below-min-share");
    let qualtrics = dir.join("qualtrics.csv");
    let expected = statement_figures(&qualtrics, 3, 2, 5);
    // Hand-checked in the fixture's README: every one of the 14 people answered
    // context-1, five of them with too few answers for an ingredient score.
    let first = &expected["context-1"];
    assert_eq!((first.n, first.counts.clone()), (14, vec![1, 2, 2, 5, 4]));
    assert_eq!(expected["context-2"].missing, vec![0, 2]);
    assert_eq!(expected["context-7"].missing, vec![0, 2]);
    assert_statement_figures(&qualtrics, &expected, 5);
    // The same answers as a Microsoft Forms workbook.
    let forms = dir.join("forms.csv");
    let from_forms = statement_figures(&forms, 1, 1, 5);
    let xlsx = tempfile::tempdir().unwrap();
    let workbook = xlsx.path().join("forms.xlsx");
    csv_to_xlsx(&forms, &workbook);
    assert_statement_figures(&workbook, &from_forms, 5);
}

#[test]
fn a_pooled_group_never_shows_through_a_statement_one_of_its_groups_left_blank() {
    // Commissioners (3) are pooled with "did not say" (2); the two left
    // context-3 blank, so context-3's pool would be the commissioners alone.
    let export = fixture("statement-residue/export.csv");
    let expected = statement_figures(&export, 1, 1, 5);
    let third = &expected["context-3"];
    assert_eq!(third.n, 12, "context-3 counts the two shown groups only");
    assert_eq!(expected["context-1"].n, 17);
    assert_statement_figures(&export, &expected, 5);
    // And by subtraction: overall minus the two sides of the gap is empty or
    // at least five people, for every statement.
    for (id, f) in &expected {
        if let Some((lived, _, professional, _)) = f.gap {
            let rest = f.n - lived - professional;
            assert!(
                rest == 0 || rest >= 5,
                "{id}: {rest} answers from hidden groups"
            );
        }
    }
}

/// Writes a CSV's cells into the first sheet of a new workbook, text as text,
/// as Microsoft Forms does.
fn csv_to_xlsx(csv_path: &std::path::Path, xlsx: &std::path::Path) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Sheet1").unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(csv_path)
        .unwrap();
    for (r, record) in reader.records().enumerate() {
        for (c, cell) in record.unwrap().iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r as u32, c as u16, cell).unwrap();
            }
        }
    }
    workbook.save(xlsx).unwrap();
}
