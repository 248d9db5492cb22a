//! Named answer scales and optional groups (issue 10, items 6 and 7): a
//! questionnaire mixing a 1-5 grid with 0-10, 1-7 and three-point items, a
//! questionnaire without `[groups]`, an export without the group question and
//! a questionnaire with no lived-experience group. The figures are checked
//! against the hand-worked numbers in each fixture's README and against an
//! independent recomputation from the documented rule (no program code).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::*;

/// Runs `report` with a stand-in typst and returns the scores JSON, or the error.
fn try_scores(export: &Path, instrument: Option<&Path>) -> Result<Value, String> {
    let dir = tempfile::tempdir().unwrap();
    let typst = fake_typst(dir.path(), "0.15.1", "exit 0");
    let scores = dir.path().join("scores.json");
    let mut command = makeitstick();
    command
        .arg("report")
        .arg(export)
        .arg("-o")
        .arg(dir.path().join("r.pdf"))
        .arg("--scores")
        .arg(&scores)
        .arg("--typst")
        .arg(&typst);
    if let Some(instrument) = instrument {
        command.arg("--instrument").arg(instrument);
    }
    let (output, stderr) = run(&mut command);
    if !output.status.success() {
        return Err(stderr);
    }
    Ok(serde_json::from_str(&std::fs::read_to_string(&scores).unwrap()).unwrap())
}

fn scores(export: &Path, instrument: Option<&Path>) -> Value {
    try_scores(export, instrument).unwrap_or_else(|e| panic!("report failed:\n{e}"))
}

fn case(name: &str) -> (PathBuf, PathBuf) {
    (
        fixture(&format!("{name}/export.csv")),
        fixture(&format!("{name}/instrument.toml")),
    )
}

fn ingredient<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["ingredients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap()
}

fn statement<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["ingredients"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["statements"].as_array().unwrap())
        .find(|s| s["id"] == id)
        .unwrap()
}

fn close(value: &Value, expected: f64, what: &str) {
    let got = value
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: no number"));
    assert!(
        (got - expected).abs() < 0.006,
        "{what}: {got}, expected {expected}"
    );
}

// ---------------------------------------------------------------------------
// An independent recomputation from the documented rule: each answer scores
// (value - lowest) / (highest - lowest) * 100 on its own scale, 100 minus that
// when reverse-worded; a person's ingredient score is the mean of their
// answers' scores when they answered at least half its statements.

struct Scale {
    /// Label, alias or number → value.
    values: BTreeMap<String, i64>,
    /// A code → value.
    codes: BTreeMap<i64, i64>,
    low: i64,
    high: i64,
}

struct Item {
    ingredient: String,
    reverse: bool,
    scale: String,
    /// The header, or the platform id when the header is a code.
    key: String,
}

fn read_instrument(path: &Path) -> (BTreeMap<String, Scale>, Vec<Item>, Vec<String>) {
    let toml: toml::Value = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut scales = BTreeMap::new();
    let mut first = None;
    let single = toml.get("scale").map(|s| {
        let mut s = s.clone();
        if s.get("id").is_none() {
            s.as_table_mut()
                .unwrap()
                .insert("id".into(), "agreement".into());
        }
        s
    });
    for s in single.iter().chain(
        toml.get("scales")
            .and_then(|s| s.as_array())
            .into_iter()
            .flatten(),
    ) {
        let id = s["id"].as_str().unwrap().to_string();
        first.get_or_insert(id.clone());
        let mut values = BTreeMap::new();
        let mut codes = BTreeMap::new();
        let points = s["points"].as_array().unwrap();
        for p in points {
            let value = p["value"].as_integer().unwrap();
            let label = p
                .get("label")
                .and_then(|l| l.as_str())
                .map(String::from)
                .unwrap_or(value.to_string());
            values.insert(label.to_lowercase(), value);
            values.insert(value.to_string(), value);
            for c in p
                .get("codes")
                .and_then(|c| c.as_array())
                .into_iter()
                .flatten()
            {
                codes.insert(c.as_integer().unwrap(), value);
            }
        }
        let low = points[0]["value"].as_integer().unwrap();
        let high = points[points.len() - 1]["value"].as_integer().unwrap();
        scales.insert(
            id,
            Scale {
                values,
                codes,
                low,
                high,
            },
        );
    }
    let mut items = Vec::new();
    let mut ingredients = Vec::new();
    for i in toml["ingredients"].as_array().unwrap() {
        let ingredient = i["id"].as_str().unwrap().to_string();
        ingredients.push(ingredient.clone());
        for s in i["statements"].as_array().unwrap() {
            items.push(Item {
                ingredient: ingredient.clone(),
                reverse: s.get("reverse").and_then(|r| r.as_bool()).unwrap_or(false),
                scale: s
                    .get("scale")
                    .and_then(|x| x.as_str())
                    .map(String::from)
                    .unwrap_or_else(|| first.clone().unwrap()),
                key: s
                    .get("ids")
                    .and_then(|x| x.as_array())
                    .map(|ids| ids[0].as_str().unwrap().to_string())
                    .unwrap_or_else(|| s["text"].as_str().unwrap().to_string()),
            });
        }
    }
    (scales, items, ingredients)
}

/// The 0-100 score of a cell on a scale, or `None` for a blank or "no view" answer.
fn cell_score(scale: &Scale, cell: &str, reverse: bool, numeric: bool) -> Option<f64> {
    let cell = cell.trim();
    let value = if numeric {
        let number: i64 = cell.parse().ok()?;
        scale
            .codes
            .get(&number)
            .copied()
            .or_else(|| (scale.low..=scale.high).contains(&number).then_some(number))?
    } else {
        *scale.values.get(&cell.to_lowercase())?
    };
    let score = (value - scale.low) as f64 / (scale.high - scale.low) as f64 * 100.0;
    Some(if reverse { 100.0 - score } else { score })
}

/// Every respondent's score per ingredient, recomputed from the raw CSV.
fn recompute(
    export: &Path,
    instrument: &Path,
    header_rows: usize,
    numeric: bool,
) -> BTreeMap<String, Vec<f64>> {
    let (scales, items, ingredients) = read_instrument(instrument);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(export)
        .unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let find = |key: &str| -> usize {
        for record in &records[..header_rows] {
            for (c, h) in record.iter().enumerate() {
                let h = h.trim();
                if h == key
                    || h.ends_with(&format!("[{key}]"))
                    || h.contains(&format!("\"ImportId\":\"{key}\""))
                {
                    return c;
                }
            }
        }
        panic!("no column for {key}")
    };
    let columns: Vec<usize> = items.iter().map(|i| find(&i.key)).collect();
    let mut out: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for row in &records[header_rows..] {
        for ingredient in &ingredients {
            let mine: Vec<(usize, &Item)> = items
                .iter()
                .enumerate()
                .filter(|(_, i)| i.ingredient == *ingredient)
                .collect();
            let answered: Vec<f64> = mine
                .iter()
                .filter_map(|(k, item)| {
                    cell_score(
                        &scales[&item.scale],
                        &row[columns[*k]],
                        item.reverse,
                        numeric,
                    )
                })
                .collect();
            if !answered.is_empty() && answered.len() as f64 >= 0.5 * mine.len() as f64 {
                out.entry(ingredient.clone())
                    .or_default()
                    .push(answered.iter().sum::<f64>() / answered.len() as f64);
            }
        }
    }
    out
}

fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

fn assert_recomputed(json: &Value, recomputed: &BTreeMap<String, Vec<f64>>) {
    for (id, values) in recomputed {
        let overall = &ingredient(json, id)["overall"];
        let (mean, sd) = mean_sd(values);
        assert_eq!(
            overall["n"].as_u64().unwrap() as usize,
            values.len(),
            "{id} n"
        );
        close(
            &overall["mean"],
            (mean * 100.0).round() / 100.0,
            &format!("{id} mean"),
        );
        close(
            &overall["sd"],
            (sd * 100.0).round() / 100.0,
            &format!("{id} sd"),
        );
    }
}

#[test]
fn a_google_forms_export_mixing_1_to_5_0_to_10_and_three_point_items_scores_each_on_its_own_scale()
{
    let (export, instrument) = case("google-forms-mixed-scales");
    let json = scores(&export, Some(&instrument));
    // Hand-worked in tests/fixtures/google-forms-mixed-scales/README.md.
    let context = ingredient(&json, "context");
    close(&context["overall"]["mean"], 60.97, "context mean");
    close(&context["overall"]["sd"], 27.30, "context sd");
    close(&context["overall"]["median"], 69.17, "context median");
    let coproduction = ingredient(&json, "coproduction");
    close(&coproduction["overall"]["mean"], 57.29, "coproduction mean");
    close(&coproduction["overall"]["sd"], 30.57, "coproduction sd");
    let young = coproduction["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "young-people")
        .unwrap();
    close(&young["mean"], 65.97, "young people's co-production");
    // The 0-10 item: eleven counts, its own mean (7 answered 7 → 70 and so on).
    let likely = statement(&json, "context-3");
    assert_eq!(likely["scale"], "likely");
    assert_eq!(likely["n"], 11);
    assert_eq!(
        likely["counts"],
        serde_json::json!([1, 0, 1, 1, 0, 1, 1, 1, 2, 1, 2])
    );
    // (7+10+3+8+9+5+6+2+10+0+8) / 11 = 6.18 on 0-10: 61.82 out of 100.
    close(&likely["mean"], 61.82, "0-10 item mean");
    // Over 50 on 0-10 is 6 to 10: 7 of 11.
    close(&likely["agree_percent"], 63.64, "0-10 item agree");
    // The reverse-worded three-point item flips on its own scale.
    let ignored = statement(&json, "coproduction-3");
    assert_eq!(ignored["counts"], serde_json::json!([3, 5, 3]));
    assert_eq!(ignored["missing_counts"], serde_json::json!([1]));
    close(&ignored["mean"], 50.0, "three-point reverse mean");
    close(&ignored["agree_percent"], 27.27, "three-point agree");
    // Every scale in use is in the rules, with its points on 0-100.
    let scales = json["rules"]["scales"].as_array().unwrap();
    let ids: Vec<&str> = scales.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["agreement", "likely", "three-point"]);
    let seven = &scales[1]["points"][7];
    assert_eq!(
        (seven["label"].as_str(), seven["score"].as_f64()),
        (Some("7"), Some(70.0))
    );
    assert_recomputed(&json, &recompute(&export, &instrument, 1, false));
}

#[test]
fn a_qualtrics_numeric_export_with_recoded_1_to_7_items_uses_the_codes_of_its_points() {
    let (export, instrument) = case("qualtrics-numeric-seven-point");
    let json = scores(&export, Some(&instrument));
    // Hand-worked in tests/fixtures/qualtrics-numeric-seven-point/README.md.
    let context = ingredient(&json, "context");
    // Respondent 4 answered one of three (the 1-7 item "Not applicable"): no score.
    assert_eq!(context["overall"]["n"], 10);
    close(&context["overall"]["mean"], 60.56, "context mean");
    close(&context["overall"]["sd"], 31.99, "context sd");
    let coproduction = ingredient(&json, "coproduction");
    assert_eq!(coproduction["overall"]["n"], 11);
    close(&coproduction["overall"]["mean"], 60.23, "coproduction mean");
    close(&coproduction["overall"]["sd"], 32.35, "coproduction sd");
    // Code 6 is the top point (7), code -1 "Not applicable".
    let room = statement(&json, "context-3");
    assert_eq!(room["counts"], serde_json::json!([1, 1, 1, 1, 1, 3, 2]));
    assert_recomputed(&json, &recompute(&export, &instrument, 3, true));
}

// ---------------------------------------------------------------------------
// Optional groups

#[test]
fn a_questionnaire_without_groups_gives_a_report_for_everyone() {
    let (export, instrument) = case("no-groups");
    let json = scores(&export, Some(&instrument));
    assert_eq!(json["responses"]["grouping"], "no-group-question");
    assert_eq!(json["responses"]["used"], 8);
    assert_eq!(json["responses"]["groups"], serde_json::json!([]));
    for i in json["ingredients"].as_array().unwrap() {
        assert_eq!(i["groups"], serde_json::json!([]), "{}", i["id"]);
        assert!(i["gap"].is_null());
        assert_eq!(i["overall"]["n"], 8, "{}", i["id"]);
    }
    assert_eq!(
        json["rules"]["lived_experience_groups"],
        serde_json::json!([])
    );
}

#[test]
fn an_export_without_the_group_question_lists_no_empty_groups() {
    let (export, _) = case("no-groups");
    let json = scores(&export, None);
    assert_eq!(
        json["responses"]["grouping"],
        "group-question-not-in-export"
    );
    // Before: five groups listed as "fewer than 5" and a "did not say" group.
    assert_eq!(json["responses"]["groups"], serde_json::json!([]));
    for i in json["ingredients"].as_array().unwrap() {
        assert_eq!(i["groups"], serde_json::json!([]), "{}", i["id"]);
    }
}

#[test]
fn a_group_nobody_is_in_is_not_listed() {
    // The sample has all five groups; drop the commissioners' rows.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(sample_csv()).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("commissions or funds"))
        .collect();
    assert!(kept.len() < text.lines().count());
    let export = dir.path().join("export.csv");
    std::fs::write(&export, kept.join("\n")).unwrap();
    let json = scores(&export, None);
    let ids: Vec<&str> = json["responses"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"commissioners"), "{ids:?}");
    assert_eq!(json["responses"]["grouping"], "by-group");
}

#[test]
fn no_lived_experience_group_means_no_lens_figures() {
    let instrument = fixture("no-lived-experience/instrument.toml");
    let json = scores(&sample_csv(), Some(&instrument));
    assert_eq!(json["responses"]["grouping"], "by-group");
    assert_eq!(
        json["rules"]["lived_experience_groups"],
        serde_json::json!([])
    );
    for i in json["ingredients"].as_array().unwrap() {
        assert!(i["gap"].is_null(), "{}", i["id"]);
    }
}

// ---------------------------------------------------------------------------
// Instrument errors name the file and the key, and say what to do.

fn instrument_error(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my-questions.toml");
    std::fs::write(&path, text).unwrap();
    let (export, _) = case("google-forms-mixed-scales");
    let error = try_scores(&export, Some(&path)).unwrap_err();
    assert!(error.contains("my-questions.toml"), "{error}");
    assert!(error.contains("hint: "), "{error}");
    error
}

#[test]
fn instrument_errors_name_the_file_the_key_and_what_to_do() {
    let (_, instrument) = case("google-forms-mixed-scales");
    let good = std::fs::read_to_string(instrument).unwrap();
    for (from, to, key, fix) in [
        (
            "scale = \"likely\"",
            "scale = \"likley\"",
            "statement \"context-3\", key `scale`",
            "\"agreement\", \"likely\", \"three-point\"",
        ),
        (
            "id = \"likely\"\n",
            "",
            "[[scales]] number 1, key `id`",
            "give every [[scales]] table an id",
        ),
        (
            "id = \"three-point\"",
            "id = \"likely\"",
            "scale \"likely\", key `id`",
            "its own id",
        ),
        (
            "{ value = 3, label = \"Always\" }",
            "{ value = 3, label = \"Always\", codes = [1] },\n  { value = 4, label = \"Often\", codes = [1] }",
            "key `codes`",
            "remove it from one",
        ),
        (
            "scale = \"likely\"",
            "scael = \"likely\"",
            "scael",
            "check the spelling",
        ),
        (
            "answers = [\"Staff member\"]",
            "answers = []",
            "group \"staff\", key `answers`",
            "list the answers",
        ),
    ] {
        assert!(good.contains(from), "{from}");
        let error = instrument_error(&good.replacen(from, to, 1));
        assert!(error.contains(key), "{key}: {error}");
        assert!(error.contains(fix), "{fix}: {error}");
    }
}

// ---------------------------------------------------------------------------
// The PDF (real typst): no empty sections, no "0 people" groups, and the
// method page explains each scale and why groups or the lens are missing.

/// Builds a PDF with the real typst and returns its text; keeps it in
/// `$MAKEITSTICK_KEEP_REPORTS/<name>.pdf` when that is set, for looking at.
fn pdf(name: &str, export: &Path, instrument: Option<&Path>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(format!("{name}.pdf"));
    let mut command = makeitstick();
    command.arg("report").arg(export).arg("-o").arg(&out);
    if let Some(instrument) = instrument {
        command.arg("--instrument").arg(instrument);
    }
    let (output, stderr) = run(&mut command);
    assert!(output.status.success(), "report failed:\n{stderr}");
    if let Ok(keep) = std::env::var("MAKEITSTICK_KEEP_REPORTS") {
        std::fs::copy(&out, Path::new(&keep).join(format!("{name}.pdf"))).unwrap();
    }
    pdf_text(&out)
}

#[test]
fn a_pdf_without_groups_has_no_group_sections_and_says_why() {
    let (export, instrument) = case("no-groups");
    for (name, instrument, why) in [
        (
            "no-groups",
            Some(instrument.as_path()),
            "This survey did not ask people which group they belong to",
        ),
        (
            "no-group-column",
            None,
            "The survey export has no answers to the question about which group",
        ),
    ] {
        let text = flat(&pdf(name, &export, instrument));
        assert!(text.contains(why), "{name}: {text}");
        assert!(text.contains("Responses used in this report 8"), "{name}");
        for absent in [
            "Responses by group",
            "Scores by group",
            "Every score by group",
            "Co-production lens",
            "Care-experienced and professional views",
            "Did not say which group",
            "Frontline staff",
            "fewer than 5 Responses",
        ] {
            assert!(!text.contains(absent), "{name}: {absent:?} in the PDF");
        }
    }
}

#[test]
fn a_pdf_without_a_lived_experience_group_leaves_out_the_lens_and_says_why() {
    let instrument = fixture("no-lived-experience/instrument.toml");
    let text = flat(&pdf(
        "no-lived-experience",
        &sample_csv(),
        Some(&instrument),
    ));
    assert!(
        text.contains("No group in this survey is marked as people with lived experience of care"),
        "{text}"
    );
    assert!(text.contains("Scores by group"));
    for absent in [
        "Co-production lens",
        "Care-experienced and professional views",
        "Lived experience Knowing something",
    ] {
        assert!(!text.contains(absent), "{absent:?} in the PDF");
    }
}

#[test]
fn a_pdf_with_mixed_scales_shows_each_scale_on_the_method_page() {
    let (export, instrument) = case("google-forms-mixed-scales");
    let text = flat(&pdf("mixed-scales", &export, Some(&instrument)));
    for wanted in [
        "on one of three answer scales",
        "How likely, 0 to 10: from 0 (“0 - Not at all likely”) to 10 (“10 - Extremely likely”), 1 statement",
        "From 1 (“Not at all”) to 3 (“Always”), 2 statements: take away 1, divide by 2, multiply by 100",
        "average of the scores (each out of 100 on its own scale)",
    ] {
        assert!(text.contains(wanted), "{wanted:?} not in the PDF:\n{text}");
    }
}
