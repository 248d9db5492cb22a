//! Survey platforms: how to recognise each one's export, and how to read it.
//!
//! Detection looks at the first three records only (EXPORT-FORMATS.md, "What
//! an ingester must handle" §1), most specific signature first:
//!
//! | platform            | signature                                                            |
//! |---------------------|----------------------------------------------------------------------|
//! | Qualtrics           | a row-3 cell starts `{"ImportId"` or `{'ImportId'`                  |
//! | Qualtrics (legacy)  | row 1 starts `V1`, row 2 holds `ResponseID`                          |
//! | SurveyMonkey        | row 2 holds `Response` or `Open-Ended Response`, or row 1 holds `Respondent ID` / `RespondentID` and row 2 is a header row (its first cell blank) |
//! | Microsoft Forms     | row 1 starts `ID, Start time, Completion time` (or a translation)    |
//! | Google Forms        | row 1 starts `Timestamp` (or a translation)                          |
//! | LimeSurvey          | row 1 holds `submitdate` and `lastpage`, or `Response ID` / `Respons ID` with `Date submitted` / `Datum verstuurd` |
//! | KoboToolbox         | row 1 holds `_uuid` or `_submission_time`                            |
//! | Typeform            | row 1 starts `#` and holds `Submit Date (UTC)` or `Network ID`       |
//! | JISC / SmartSurvey  | at least two row-1 headers numbered like `1. Question` or `1.1. Statement` |
//! | data entry          | row 1 starts with [`DATA_ENTRY_MARKER`] (`makeitstick questionnaire`'s workbook) |
//! | generic             | anything else: one header row                                        |

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::text::normalise;

/// A survey platform whose export layout makeitstick knows.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Platform {
    /// Microsoft Forms (.xlsx with `ID, Start time, Completion time`).
    #[value(alias = "msforms")]
    MicrosoftForms,
    /// Google Forms (Forms CSV, Sheets CSV/TSV/.xlsx).
    #[value(alias = "google")]
    GoogleForms,
    /// SurveyMonkey (two header rows).
    #[value(alias = "surveymonkey")]
    SurveyMonkey,
    /// Qualtrics, three header rows (2016 onward).
    Qualtrics,
    /// Qualtrics before about 2017: two header rows, `V1..V10`.
    QualtricsLegacy,
    /// LimeSurvey (`code[SQ]`, `submitdate`).
    #[value(alias = "limesurvey")]
    LimeSurvey,
    /// KoboToolbox and other ODK/XLSForm tools (`group/item`).
    #[value(alias = "kobotoolbox", alias = "odk")]
    Kobo,
    /// Typeform (`#` token column, HTML in headers).
    Typeform,
    /// JISC Online Surveys and SmartSurvey (numbered headers).
    #[value(alias = "smartsurvey", alias = "jisc-online-surveys")]
    Jisc,
    /// The data-entry workbook `makeitstick questionnaire` writes for typing in
    /// paper forms: row 1 the column codes (statement ids), row 2 the wording.
    DataEntry,
    /// Any other export with one header row.
    Generic,
}

/// The first cell of the data-entry workbook's code row, which identifies it.
pub const DATA_ENTRY_MARKER: &str = "makeitstick-form";

impl Platform {
    /// The platform's name as people know it.
    pub fn title(self) -> &'static str {
        match self {
            Platform::MicrosoftForms => "Microsoft Forms",
            Platform::GoogleForms => "Google Forms",
            Platform::SurveyMonkey => "SurveyMonkey",
            Platform::Qualtrics => "Qualtrics",
            Platform::QualtricsLegacy => "Qualtrics (legacy export)",
            Platform::LimeSurvey => "LimeSurvey",
            Platform::Kobo => "KoboToolbox",
            Platform::Typeform => "Typeform",
            Platform::Jisc => "JISC Online Surveys / SmartSurvey",
            Platform::DataEntry => "makeitstick data-entry workbook",
            Platform::Generic => "generic (no known platform)",
        }
    }
}

/// How to read one platform's export: every reader setting in one place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    /// The platform.
    pub platform: Platform,
    /// How many header rows come before the first response.
    pub header_rows: usize,
    /// The delimiter of a text export; `None` sniffs it.
    pub delimiter: Option<super::Delimiter>,
    /// Whether the encoding of a text export is detected (`None`) or fixed.
    #[serde(skip)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The workbook sheet holding responses; `None` tries the usual names, then the first sheet.
    pub sheet: Option<String>,
    /// Cells that mean "not answered" on this platform although they are not blank
    /// (Qualtrics writes `-99` for seen but unanswered).
    pub missing_codes: Vec<String>,
}

impl Profile {
    /// The built-in profile of a platform.
    pub fn built_in(platform: Platform) -> Profile {
        let header_rows = match platform {
            Platform::Qualtrics => 3,
            Platform::QualtricsLegacy | Platform::SurveyMonkey | Platform::DataEntry => 2,
            _ => 1,
        };
        let missing_codes = match platform {
            Platform::Qualtrics | Platform::QualtricsLegacy => vec!["-99".to_string()],
            // LimeSurvey's optional "No answer" choice: the respondent chose not to answer.
            Platform::LimeSurvey => vec!["No answer".to_string()],
            _ => Vec::new(),
        };
        let sheet = match platform {
            Platform::MicrosoftForms => Some("Sheet1".to_string()),
            Platform::GoogleForms => Some("Form Responses 1".to_string()),
            Platform::DataEntry => Some("Responses".to_string()),
            _ => None,
        };
        Profile {
            platform,
            header_rows,
            delimiter: None,
            encoding: None,
            sheet,
            missing_codes,
        }
    }
}

/// Reader settings from a TOML file (`--profile`), for an export no built-in
/// profile fits. Every key is optional; flags on the command line win.
///
/// ```toml
/// platform = "generic"          # as --format
/// header-rows = 2
/// delimiter = ";"               # comma, semicolon, tab, pipe, or the character
/// encoding = "macroman"         # utf-8, utf-16le, utf-16be, windows-1252, macroman
/// sheet = "Responses"
/// missing-codes = ["-99", "-"]  # cells that mean "not answered"
/// date-order = "dmy"            # 01/02/2026 is 1 February (mdy: 2 January)
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProfileFile {
    /// The platform, as `--format`.
    pub platform: Option<Platform>,
    /// Header rows before the first response.
    pub header_rows: Option<usize>,
    /// The delimiter of a text export.
    pub delimiter: Option<String>,
    /// The encoding of a text export.
    pub encoding: Option<String>,
    /// The workbook sheet holding the responses.
    pub sheet: Option<String>,
    /// Cells that mean "not answered".
    #[serde(default)]
    pub missing_codes: Vec<String>,
    /// Whether `01/02/2026` is day first (`dmy`) or month first (`mdy`) when
    /// no date of the column decides it, as `--date-order`.
    pub date_order: Option<super::DateOrder>,
}

impl ProfileFile {
    /// Reads a profile file strictly; the error names the key or value at fault.
    pub fn load(path: &Path) -> Result<ProfileFile, String> {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        let file: ProfileFile =
            toml::from_str(&text).map_err(|e| e.to_string().trim_end().to_string())?;
        if let Some(name) = &file.delimiter
            && super::csv_source::delimiter_for_name(name).is_none()
        {
            return Err(format!(
                "delimiter {name:?} is not one makeitstick reads; use comma, semicolon, tab or pipe"
            ));
        }
        if let Some(name) = &file.encoding
            && super::decode::encoding_for_name(name).is_none()
        {
            return Err(format!(
                "encoding {name:?} is not one makeitstick knows; use utf-8, utf-16le, utf-16be, windows-1252 or macroman"
            ));
        }
        if file.header_rows == Some(0) {
            return Err("header-rows must be at least 1".into());
        }
        Ok(file)
    }
}

/// Guesses the platform from the first records of an export (see the module table).
pub fn detect(records: &[&[String]]) -> Platform {
    let row = |i: usize| -> Vec<String> {
        records
            .get(i)
            .map(|r| r.iter().map(|c| normalise(c)).collect())
            .unwrap_or_default()
    };
    let (first, second) = (row(0), row(1));
    let raw_third = records.get(2).copied().unwrap_or(&[]);
    let has = |cells: &[String], wanted: &str| cells.iter().any(|c| c == wanted);
    let starts = |cells: &[String], wanted: &[&str]| {
        cells.len() >= wanted.len() && wanted.iter().zip(cells).all(|(w, c)| c == w)
    };

    if first.first().is_some_and(|c| c == DATA_ENTRY_MARKER) {
        return Platform::DataEntry;
    }
    if raw_third.iter().any(|c| {
        let c = c.trim_start();
        c.starts_with("{\"ImportId\"") || c.starts_with("{'ImportId'")
    }) {
        return Platform::Qualtrics;
    }
    if first.first().is_some_and(|c| c == "v1") && has(&second, "responseid") {
        return Platform::QualtricsLegacy;
    }
    let monkey_ids = has(&first, "respondent id") || has(&first, "respondentid");
    if has(&second, "response")
        || has(&second, "open-ended response")
        || (monkey_ids && second.first().is_some_and(String::is_empty))
    {
        return Platform::SurveyMonkey;
    }
    const MS_FORMS: &[&[&str]] = &[
        &["id", "start time", "completion time"],
        &["id", "開始時刻", "完了時刻"],
        // Unverified translations: no genuine export backs them.
        &["id", "startzeit", "fertigstellungszeit"],
        &["id", "heure de début", "heure de fin"],
        &["id", "hora de inicio", "hora de finalización"],
        &["id", "begintijd", "tijdstip van voltooien"],
    ];
    if MS_FORMS.iter().any(|headers| starts(&first, headers)) {
        return Platform::MicrosoftForms;
    }
    const GOOGLE: &[&str] = &[
        "timestamp",
        "horodateur",
        "zeitstempel",
        "marca temporal",
        "tijdstempel",
        "informazioni cronologiche",
        "carimbo de data/hora",
    ];
    if first.first().is_some_and(|c| GOOGLE.contains(&c.as_str())) {
        return Platform::GoogleForms;
    }
    if (has(&first, "submitdate") && (has(&first, "lastpage") || has(&first, "id")))
        || ((has(&first, "response id") || has(&first, "respons id"))
            && (has(&first, "date submitted") || has(&first, "datum verstuurd")))
    {
        return Platform::LimeSurvey;
    }
    if has(&first, "_uuid") || has(&first, "_submission_time") {
        return Platform::Kobo;
    }
    if first.first().is_some_and(|c| c == "#")
        && (has(&first, "submit date (utc)") || has(&first, "network id"))
    {
        return Platform::Typeform;
    }
    let numbered = records
        .first()
        .map(|r| r.iter().filter(|c| numbered_header(c).is_some()).count())
        .unwrap_or(0);
    if numbered >= 2 {
        return Platform::Jisc;
    }
    Platform::Generic
}

/// The text after a `1.` / `1.1.` / `12a.` question number, when a header has one.
pub fn numbered_header(header: &str) -> Option<&str> {
    let trimmed = header.trim_start();
    let digits = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c.is_ascii_lowercase()))
        .unwrap_or(trimmed.len());
    let number = &trimmed[..digits];
    let starts_with_digit = number.starts_with(|c: char| c.is_ascii_digit());
    let rest = &trimmed[digits..];
    (starts_with_digit && number.ends_with('.') && rest.starts_with(' ')).then(|| rest.trim_start())
}

/// The ImportId of a Qualtrics row-3 cell, JSON (`{"ImportId":"QID2_1"}`) or
/// Python repr (`{'ImportId': 'QID2-1'}`, 2016-17 exports).
pub fn import_id(cell: &str) -> Option<String> {
    let cell = cell.trim();
    if !cell.starts_with('{') {
        return None;
    }
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(cell) {
        return map
            .get("ImportId")
            .and_then(|v| v.as_str())
            .map(str::to_string);
    }
    // The Python repr is not JSON: find the quoted value after the ImportId key.
    let after_key = &cell[cell.find("ImportId")? + "ImportId".len()..];
    let after_colon = after_key
        .trim_start_matches(['\'', '"'])
        .trim_start()
        .strip_prefix(':')?
        .trim_start();
    let quote = after_colon
        .chars()
        .next()
        .filter(|c| *c == '\'' || *c == '"')?;
    let value = &after_colon[1..];
    Some(value[..value.find(quote)?].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect_rows(rows: &[&[&str]]) -> Platform {
        let owned: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        let refs: Vec<&[String]> = owned.iter().map(Vec::as_slice).collect();
        detect(&refs)
    }

    #[test]
    fn platforms_are_known_by_their_signatures() {
        assert_eq!(
            detect_rows(&[
                &["StartDate", "Q1"],
                &["Start Date", "Q"],
                &["{\"ImportId\":\"startDate\"}", "{\"ImportId\":\"QID1\"}"]
            ]),
            Platform::Qualtrics
        );
        assert_eq!(
            detect_rows(&[&["V1", "V2"], &["ResponseID", "ResponseSet"]]),
            Platform::QualtricsLegacy
        );
        assert_eq!(
            detect_rows(&[&["Respondent ID", "Q"], &["", "Response"]]),
            Platform::SurveyMonkey
        );
        assert_eq!(
            detect_rows(&[&["ID", "開始時刻", "完了時刻", "メール"]]),
            Platform::MicrosoftForms
        );
        assert_eq!(
            detect_rows(&[&["Timestamp", "Q"], &["2026/01/01", "x"]]),
            Platform::GoogleForms
        );
        assert_eq!(
            detect_rows(&[&["id", "submitdate", "lastpage", "Q1[SQ001]"]]),
            Platform::LimeSurvey
        );
        assert_eq!(
            detect_rows(&[&["start", "end", "grp/q1", "_uuid"]]),
            Platform::Kobo
        );
        assert_eq!(
            detect_rows(&[&["#", "Q", "Submit Date (UTC)", "Network ID"]]),
            Platform::Typeform
        );
        assert_eq!(
            detect_rows(&[&["Started", "1. Role", "2.1. Statement"]]),
            Platform::Jisc
        );
        assert_eq!(
            detect_rows(&[&["makeitstick-form", "group"], &["Form number", "Role"]]),
            Platform::DataEntry
        );
        assert_eq!(detect_rows(&[&["a", "b"]]), Platform::Generic);
    }

    #[test]
    fn import_ids_from_json_and_python_repr() {
        assert_eq!(
            import_id("{\"ImportId\":\"QID2_1\"}").as_deref(),
            Some("QID2_1")
        );
        assert_eq!(
            import_id("{\"ImportId\":\"startDate\",\"timeZone\":\"America/Chicago\"}").as_deref(),
            Some("startDate")
        );
        assert_eq!(
            import_id("{'ImportId': 'QID2-1'}").as_deref(),
            Some("QID2-1")
        );
        assert_eq!(import_id("Q2"), None);
    }

    #[test]
    fn numbered_headers() {
        assert_eq!(numbered_header("1. Your role"), Some("Your role"));
        assert_eq!(
            numbered_header("2.1. Our organisation"),
            Some("Our organisation")
        );
        assert_eq!(numbered_header("12a. Text"), Some("Text"));
        assert_eq!(numbered_header("2026 plans"), None);
        assert_eq!(numbered_header("Q1. Text"), None);
    }
}
