//! End-to-end tests: the real typst 0.15.1 builds real PDFs, read back with pdftotext.

use std::path::Path;

use crate::common::*;

/// A score as the report prints it: a whole number.
fn whole(value: &serde_json::Value) -> String {
    format!("{}", value.as_f64().unwrap().round() as i64)
}

#[test]
fn the_sample_report_prints_the_scores_in_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let Built { pdf, scores, .. } = build_report(
        dir.path(),
        "report",
        &sample_xlsx(),
        &[
            "--organisation",
            "Northshire County Council",
            "--innovation",
            "Staying Close Northshire",
        ],
    );
    let text = pdf_text(&pdf);
    assert!(text.contains("Northshire County Council"));
    assert!(text.contains("Staying Close Northshire"));
    assert!(text.contains("1 to 30 September 2026"));
    for ingredient in scores["ingredients"].as_array().unwrap() {
        let name = ingredient["name"].as_str().unwrap();
        let score = whole(&ingredient["overall"]["mean"]);
        let line = text
            .lines()
            .find(|l| l.contains(name) && l.contains(&format!(" {score} ")))
            .unwrap_or_else(|| panic!("no line with {name} and its score {score}"));
        assert!(
            line.contains(ingredient["overall"]["band"].as_str().unwrap()),
            "{line}"
        );
    }
    let weakest = scores["ranking"][0].as_str().unwrap();
    let weakest_name = scores["ingredients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == weakest)
        .unwrap()["name"]
        .as_str()
        .unwrap();
    // Sentences wrap across lines, sometimes after a hyphen: read the text as one line.
    let flowing = text
        .replace("-\n", "-")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flowing
            .match_indices("weakest")
            .any(|(i, _)| flowing[i..(i + 80).min(flowing.len())].contains(weakest_name)),
        "the weakest ingredient {weakest_name} is not named as weakest"
    );
    // The commissioners (3 responses) are below the threshold of 5.
    assert!(text.contains("fewer than 5"));
}

#[test]
fn the_same_input_gives_a_byte_identical_pdf() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    let Built { pdf: a, .. } = build_report(first.path(), "report", &sample_xlsx(), &[]);
    let Built { pdf: b, .. } = build_report(second.path(), "report", &sample_xlsx(), &[]);
    assert!(
        std::fs::read(a).unwrap() == std::fs::read(b).unwrap(),
        "PDFs differ"
    );
}

#[test]
fn the_pdf_is_tagged_pdf_ua_with_our_fonts_embedded() {
    let dir = tempfile::tempdir().unwrap();
    let Built { pdf, .. } = build_report(dir.path(), "report", &fixture("tiny/export.csv"), &[]);
    let bytes = std::fs::read(&pdf).unwrap();
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"pdfuaid:part"), "no PDF/UA identification");
    assert!(has(b"/StructTreeRoot"), "not tagged");
    assert!(has(b"/Lang"), "no document language");
    let fonts = std::process::Command::new("pdffonts")
        .arg(&pdf)
        .output()
        .unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(fonts.contains("AtkinsonHyperlegible"), "{fonts}");
    for line in fonts.lines().skip(2) {
        assert!(line.contains(" yes "), "font not embedded: {line}");
    }
}

#[test]
fn hostile_text_is_printed_literally_never_run() {
    let dir = tempfile::tempdir().unwrap();
    let organisation = "#read(\"/etc/passwd\") $x$ ] \\ =cmd|' /C calc'!A0";
    let Built { pdf, .. } = build_report(
        dir.path(),
        "report",
        &fixture("hostile/export.csv"),
        &[
            "--organisation",
            organisation,
            "--innovation",
            "<b>#strong[Bold]</b>",
        ],
    );
    let text = pdf_text(&pdf);
    assert!(
        text.contains("#read(\"/etc/passwd\") $x$ ] \\ =cmd|' /C calc'!A0"),
        "{text}"
    );
    assert!(text.contains("<b>#strong[Bold]</b>"));
    assert!(
        !text.contains("root:x:0:0"),
        "a file was read into the report"
    );
}

#[test]
fn no_personal_data_reaches_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let Built { pdf, build, .. } = build_report(dir.path(), "report", &sample_csv(), &[]);

    // Read the identity columns straight from the export.
    let mut reader = csv::Reader::from_path(sample_csv()).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (email, name) = (column("Email"), column("Name"));
    let mut secrets = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        secrets.push(record[email].to_string());
        secrets.push(record[name].to_string());
    }
    secrets.retain(|s| s.len() > 3);
    assert!(secrets.len() > 100);

    let mut outputs = vec![(pdf.clone(), pdf_text(&pdf))];
    outputs.push((
        pdf.clone(),
        String::from_utf8_lossy(&std::fs::read(&pdf).unwrap()).into_owned(),
    ));
    outputs.push((
        dir.path().join("report.json"),
        std::fs::read_to_string(dir.path().join("report.json")).unwrap(),
    ));
    for entry in files(&build) {
        outputs.push((
            entry.clone(),
            String::from_utf8_lossy(&std::fs::read(&entry).unwrap()).into_owned(),
        ));
    }
    for (path, content) in &outputs {
        for secret in &secrets {
            assert!(
                !content.contains(secret.as_str()),
                "{} contains {secret}",
                path.display()
            );
        }
    }
}

#[test]
fn a_group_of_three_cannot_be_seen_or_worked_out_from_any_output() {
    // tests/fixtures/suppression: 3 young people who score 0 on everything (the only
    // people who ever give a plain statement the lowest answer), 8 managers, 6 frontline staff.
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("scores.csv");
    let Built {
        pdf,
        scores: json,
        build,
        ..
    } = build_report(
        dir.path(),
        "report",
        &fixture("suppression/export.csv"),
        &["--scores", csv_path.to_str().unwrap()],
    );
    assert_eq!(json["responses"]["used"], 14);
    for ingredient in json["ingredients"].as_array().unwrap() {
        let cells = ingredient["groups"].as_array().unwrap();
        let young = cells.iter().find(|c| c["id"] == "young-people").unwrap();
        assert_eq!(young["shown"], false);
        assert!(young.get("n").is_none() && young.get("mean").is_none());
        assert!(
            ingredient["gap"].is_null(),
            "a gap would reveal the hidden group"
        );
        // The overall is the shown groups and nothing else.
        let shown: Vec<&serde_json::Value> = cells.iter().filter(|c| c["shown"] == true).collect();
        let n: u64 = shown.iter().map(|c| c["n"].as_u64().unwrap()).sum();
        let weighted: f64 = shown
            .iter()
            .map(|c| c["n"].as_f64().unwrap() * c["mean"].as_f64().unwrap())
            .sum::<f64>()
            / n as f64;
        assert_eq!(ingredient["overall"]["n"], n);
        assert!((ingredient["overall"]["mean"].as_f64().unwrap() - weighted).abs() < 0.01);
        // No distribution counts the hidden answers: nobody shown gave a plain statement 1.
        for statement in ingredient["statements"].as_array().unwrap() {
            let total: u64 = statement["counts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_u64().unwrap())
                .sum();
            assert_eq!(total, 14);
            if statement["reverse"] == false {
                assert_eq!(statement["counts"][0], 0, "{}", statement["id"]);
            }
        }
    }
    let tidy = std::fs::read_to_string(&csv_path).unwrap();
    for line in tidy.lines().filter(|l| l.contains(",young-people,")) {
        assert!(line.ends_with(",shown,0"), "{line}");
    }
    assert!(!tidy.contains("lived-vs-professional"));
    for file in files(&build)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
    {
        let svg = std::fs::read_to_string(file).unwrap();
        if svg.contains("Care-experienced young people") {
            assert!(svg.contains("fewer than 5"), "{}", file.display());
        }
    }
    let text = pdf_text(&pdf);
    assert!(text.contains("fewer than 5"));
    assert!(!text.contains("17 responses") && !text.contains("n=3") && !text.contains("n = 3"));
}

#[test]
fn comments_are_quoted_only_when_asked_redacted_and_never_from_a_small_group() {
    // Read the free-text answers and groups straight from the export.
    let mut reader = csv::Reader::from_path(sample_csv()).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (comment, group) = (
        column("Is there anything else you would like to tell us?"),
        column("Which of these best describes you?"),
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let commissioners: Vec<String> = rows
        .iter()
        .filter(|r| r[group].contains("commissions") && !r[comment].is_empty())
        .map(|r| r[comment].to_string())
        .collect();
    assert!(
        !commissioners.is_empty(),
        "the sample has a commissioner's comment"
    );

    let flowing = |pdf: &Path| {
        pdf_text(pdf)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let without = tempfile::tempdir().unwrap();
    let Built { pdf, .. } = build_report(without.path(), "report", &sample_csv(), &[]);
    let text = flowing(&pdf);
    assert!(!text.contains("In their own words"));
    assert!(!text.contains("The drop-in on Thursdays helps a lot"));

    let with = tempfile::tempdir().unwrap();
    let Built {
        pdf,
        build: build_dir,
        ..
    } = build_report(
        with.path(),
        "report",
        &sample_csv(),
        &["--include-comments"],
    );
    let text = flowing(&pdf);
    assert!(text.contains("In their own words"));
    assert!(text.contains("The drop-in on Thursdays helps a lot."));
    // Printed literally, never run.
    assert!(text.contains("#read(\"/etc/passwd\")"));
    assert!(text.contains("=cmd|' /C calc'!A0"));
    // Contact details are removed.
    assert!(text.contains("Call me on [phone number removed] or mail [e-mail removed]"));
    assert!(!text.contains("07700 900123") && !text.contains("sam.lee@example.org"));
    let data = std::fs::read_to_string(build_dir.join("data.json")).unwrap();
    assert!(!data.contains("sam.lee@example.org"));
    // The commissioners (3 people) are below the threshold: none of their words appear.
    for words in &commissioners {
        assert!(
            !text.contains(words.as_str()),
            "a hidden group's comment is quoted: {words}"
        );
        assert!(!data.contains(words.as_str()));
    }
}
