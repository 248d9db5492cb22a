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
