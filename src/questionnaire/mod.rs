//! The questionnaire going out: the instrument as a paper form (PDF through
//! Typst), a data-entry workbook for typing paper forms in, an XLSForm for
//! KoboToolbox and ODK Collect, and copy-ready text for Microsoft Forms and
//! Google Forms.
//!
//! Every output is made from one [`Form`], built once from the instrument, so
//! that all of them ask the same questions with the same words in the same
//! order, and every export they lead to maps back to the instrument by its
//! wording or its statement ids, with no aliases and no mapping file.

pub mod forms_text;
pub mod pdf;
pub mod workbook;
pub mod xlsform;

use serde::Serialize;
use thiserror::Error;

use crate::instrument::Instrument;

/// The version of `questionnaire.json`, the contract with `questionnaire.typ`.
pub const FORM_SCHEMA_VERSION: u32 = 1;

/// Why a questionnaire file could not be written.
#[derive(Debug, Error)]
pub enum QuestionnaireError {
    /// The spreadsheet writer refused something (a sheet too wide, text too long for a cell).
    #[error("cannot write the workbook {file}: {message}")]
    Workbook {
        /// Which workbook.
        file: &'static str,
        /// What rust_xlsxwriter said.
        message: String,
    },
    /// Files it would write are already there with other contents, and `--force` was not given.
    #[error("{} already exist{} and differ from the new {}: {}", crate::text::plural(.paths.len(), "a file", "files"), crate::text::plural(.paths.len(), "s", ""), crate::text::plural(.paths.len(), "one", "ones"), .paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    Exists {
        /// The files.
        paths: Vec<std::path::PathBuf>,
    },
    /// An id cannot be an XLSForm name, which must be an XML name.
    #[error("the {kind} id {id:?} starts with a digit, so it cannot name a question in an XLSForm")]
    XmlName {
        /// "statement" or "ingredient".
        kind: &'static str,
        /// The id.
        id: String,
    },
}

impl QuestionnaireError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            QuestionnaireError::Workbook { .. } => {
                "a text of the instrument may be too long for a spreadsheet cell (32,767 characters): shorten it in your copy (--instrument); otherwise report this as a bug"
            }
            QuestionnaireError::Exists { .. } => {
                "choose another folder with --output, or add --force to replace them (a data-entry workbook may hold typed-in forms: keep a copy)"
            }
            QuestionnaireError::XmlName { .. } => {
                "give it an id that starts with a letter in your copy of the instrument (--instrument); a changed id starts a new statement in the history"
            }
        }
    }

    fn workbook(file: &'static str) -> impl Fn(rust_xlsxwriter::XlsxError) -> QuestionnaireError {
        move |error| QuestionnaireError::Workbook {
            file,
            message: error.to_string(),
        }
    }
}

/// The questionnaire as every output asks it.
#[derive(Debug, Clone, Serialize)]
pub struct Form {
    /// The version of this structure as typst reads it ([`FORM_SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The survey's name.
    pub title: String,
    /// The questionnaire's own version, printed small at the foot of the form.
    pub version: String,
    /// True for the easy-read paper form: larger type, one idea per line.
    pub easy_read: bool,
    /// The introduction, one paragraph (or, easy-read, one idea) each.
    pub introduction: Vec<String>,
    /// The question that says who is answering, when the instrument has groups.
    pub group: Option<GroupQuestion>,
    /// The answer scales, in the instrument's order; statements name theirs by index.
    pub scales: Vec<AnswerScale>,
    /// One section per ingredient, in the instrument's order.
    pub sections: Vec<Section>,
    /// The free-text questions.
    pub comments: Vec<String>,
}

/// The group question and the answers offered.
#[derive(Debug, Clone, Serialize)]
pub struct GroupQuestion {
    /// The question's wording.
    pub question: String,
    /// One answer per group, in the instrument's order: the group's first
    /// listed answer (a description people recognise), or its name.
    pub options: Vec<String>,
}

/// One answer scale as it is offered.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerScale {
    /// The scale's id in the instrument.
    pub id: String,
    /// The scored answers, lowest first, as the instrument labels them.
    pub points: Vec<String>,
    /// The "no view" answers, after the points.
    pub missing: Vec<String>,
}

impl AnswerScale {
    /// Every answer offered, points first, then the "no view" answers.
    pub fn choices(&self) -> impl Iterator<Item = &String> {
        self.points.iter().chain(&self.missing)
    }
}

/// One ingredient's statements.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// The ingredient's id.
    pub id: String,
    /// The ingredient's name, used as the section's title.
    pub name: String,
    /// The ingredient's easy-read sentence, said before its statements on the easy-read form.
    pub easy_read: String,
    /// The statements, in order.
    pub statements: Vec<Item>,
}

/// One statement to rate.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// The statement's id: the column code in the workbook, the name in the XLSForm.
    pub id: String,
    /// The wording, exactly as the instrument has it; on the easy-read form,
    /// its easy-read wording when it has one.
    pub text: String,
    /// Index into [`Form::scales`].
    pub scale: usize,
}

impl Form {
    /// The questionnaire the instrument asks; `easy_read` chooses the easy-read introduction.
    pub fn new(instrument: &Instrument, easy_read: bool) -> Form {
        let scales: Vec<AnswerScale> = instrument
            .scales()
            .map(|scale| AnswerScale {
                id: scale.id.clone(),
                points: scale.points.iter().map(|p| p.label.clone()).collect(),
                missing: scale.missing.iter().map(|m| m.label.clone()).collect(),
            })
            .collect();
        let group = instrument.groups.as_ref().map(|groups| GroupQuestion {
            question: groups.question.clone(),
            options: groups
                .options
                .iter()
                .map(|g| g.answers.first().unwrap_or(&g.name).clone())
                .collect(),
        });
        let sections = instrument
            .ingredients
            .iter()
            .map(|ingredient| Section {
                id: ingredient.id.clone(),
                name: ingredient.name.clone(),
                easy_read: ingredient.easy_read.clone(),
                statements: ingredient
                    .statements
                    .iter()
                    .map(|statement| Item {
                        id: statement.id.clone(),
                        text: match (&statement.easy_read, easy_read) {
                            (Some(words), true) if !words.trim().is_empty() => words.clone(),
                            _ => statement.text.clone(),
                        },
                        scale: instrument.scale_index(statement),
                    })
                    .collect(),
            })
            .collect();
        let missing: Vec<&str> = scales
            .first()
            .map(|s| s.missing.iter().map(String::as_str).collect())
            .unwrap_or_default();
        Form {
            schema_version: FORM_SCHEMA_VERSION,
            title: instrument.name.clone(),
            version: instrument.version.clone(),
            easy_read,
            introduction: introduction(easy_read, &missing),
            group,
            scales,
            sections,
            comments: instrument
                .comments
                .iter()
                .map(|c| c.question.clone())
                .collect(),
        }
    }

    /// Every statement, in order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.sections.iter().flat_map(|s| &s.statements)
    }
}

/// The introduction: what the form is for, how to answer, and that it is anonymous.
fn introduction(easy_read: bool, missing: &[&str]) -> Vec<String> {
    let no_view = match missing {
        [] => String::new(),
        [one] => format!("\u{201c}{one}\u{201d}"),
        [rest @ .., last] => format!(
            "{} or \u{201c}{last}\u{201d}",
            rest.iter()
                .map(|m| format!("\u{201c}{m}\u{201d}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut lines: Vec<String> = if easy_read {
        vec![
            "This form asks what you think about the project you are part of.".into(),
            "We want to know what helps it keep going.".into(),
            "There are no right or wrong answers.".into(),
            "Read each sentence.".into(),
            "Tick one box to say how much you agree.".into(),
        ]
    } else {
        vec![
            "This questionnaire asks how well the innovation you work on, or help to shape, is set up to last beyond its pilot. There are no right or wrong answers: we want to know what you think.".into(),
            "For each statement, tick one box to say how much you agree or disagree.".into(),
        ]
    };
    if !no_view.is_empty() {
        lines.push(if easy_read {
            format!("If you do not know, tick {no_view}.")
        } else {
            format!("If you have no view, or the statement does not apply to you, tick {no_view}.")
        });
    }
    lines.push(if easy_read {
        "Do not write your name on this form.".into()
    } else {
        "Your answers are anonymous: please do not write your name on this form. Answers are only ever reported for groups of several people.".into()
    });
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_form_asks_every_statement_in_order_with_every_answer() {
        let instrument = Instrument::load(None).unwrap();
        let form = Form::new(&instrument, false);
        let ids: Vec<&str> = form.items().map(|i| i.id.as_str()).collect();
        let expected: Vec<&str> = instrument
            .statements()
            .map(|(_, s)| s.id.as_str())
            .collect();
        assert_eq!(ids, expected);
        let choices: Vec<&String> = form.scales[0].choices().collect();
        assert_eq!(choices.len(), 7);
        assert_eq!(choices[0], "Strongly disagree");
        assert_eq!(choices[6], "Not applicable");
        let group = form.group.unwrap();
        assert_eq!(group.question, "Which of these best describes you?");
        assert_eq!(group.options.len(), 5);
        assert!(
            form.introduction
                .iter()
                .any(|l| l.contains("\u{201c}Not applicable\u{201d}"))
        );
    }

    #[test]
    fn the_easy_read_form_uses_a_statement_s_easy_read_words_and_only_it() {
        let mut instrument = Instrument::load(None).unwrap();
        instrument.ingredients[0].statements[0].easy_read = Some("We like new ideas here.".into());
        let easy = Form::new(&instrument, true);
        let standard = Form::new(&instrument, false);
        assert_eq!(
            easy.sections[0].statements[0].text,
            "We like new ideas here."
        );
        assert_eq!(
            standard.sections[0].statements[0].text,
            "Our organisation welcomes new ways of working."
        );
        assert_eq!(
            easy.sections[0].statements[1].text,
            standard.sections[0].statements[1].text
        );
    }
}
