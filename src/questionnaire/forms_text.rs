//! Copy-ready text for building the questionnaire in Microsoft Forms and
//! Google Forms, so that each platform's export has headers makeitstick maps
//! by wording alone.
//!
//! Plain text, not Markdown: every title, statement and option is on a line
//! of its own, indented by four spaces, to be copied exactly as it stands
//! (nothing in it is markup, so `*`, `_` or `#` in a statement stay as typed).
//!
//! - Google Forms: a *Multiple choice grid* per ingredient; its export heads
//!   each row `Title [Statement]`, matched by the statement part.
//! - Microsoft Forms: a *Likert* question per ingredient; its export heads
//!   each statement with its text (or `Title.Statement`), matched either way.

use std::fmt::Write;

use super::Form;

/// The prefix of every line meant to be copied.
pub const COPY: &str = "    ";

/// Which platform the text is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// Microsoft Forms (Likert questions).
    MicrosoftForms,
    /// Google Forms (multiple choice grids).
    GoogleForms,
}

impl Platform {
    fn name(self) -> &'static str {
        match self {
            Platform::MicrosoftForms => "Microsoft Forms",
            Platform::GoogleForms => "Google Forms",
        }
    }
}

/// The instructions and text for `platform`.
pub fn text(form: &Form, platform: Platform) -> String {
    let mut out = String::new();
    let name = platform.name();
    let mut step = 0;
    let mut next = |out: &mut String, what: &str| {
        step += 1;
        let _ = writeln!(out, "\n{step}. {what}");
    };
    let _ = writeln!(
        out,
        "{title}: the questionnaire for {name}\n\
         \n\
         Build the form in this order. Copy each indented line exactly as it stands \
         (without the four spaces in front): the export's column headers then match \
         the questionnaire, and makeitstick reads it with no mapping. Do not reword, \
         shorten or reorder the statements or the answers.",
        title = form.title
    );
    next(&mut out, "Form title:");
    copy(&mut out, &form.title);
    next(&mut out, "Form description:");
    for line in &form.introduction {
        copy(&mut out, line);
    }
    if let Some(group) = &form.group {
        match platform {
            Platform::GoogleForms => next(&mut out, "Add a \"Multiple choice\" question. Title:"),
            Platform::MicrosoftForms => next(&mut out, "Add a \"Choice\" question. Title:"),
        }
        copy(&mut out, &group.question);
        let _ = writeln!(out, "   Options, in this order:");
        for option in &group.options {
            copy(&mut out, option);
        }
    }
    for section in &form.sections {
        let scale = &form.scales[section.statements.first().map_or(0, |i| i.scale)];
        match platform {
            Platform::GoogleForms => {
                next(&mut out, "Add a \"Multiple choice grid\" question. Title:")
            }
            Platform::MicrosoftForms => next(
                &mut out,
                "Add a \"Likert\" question (under the \u{2228} \"More question types\" button). Title:",
            ),
        }
        copy(&mut out, &section.name);
        let (rows, columns) = match platform {
            Platform::GoogleForms => ("Rows", "Columns"),
            Platform::MicrosoftForms => ("Statements", "Options"),
        };
        let _ = writeln!(out, "   {rows}, one statement each, in this order:");
        for item in &section.statements {
            copy(&mut out, &item.text);
        }
        let _ = writeln!(out, "   {columns}, in this order:");
        for choice in scale.choices() {
            copy(&mut out, choice);
        }
        // A grid has one set of columns: statements on another scale need a grid of their own.
        if section
            .statements
            .iter()
            .any(|i| i.scale != section.statements[0].scale)
        {
            let _ = writeln!(
                out,
                "   Note: some statements of this section use another answer scale; \
                 give each scale its own question with the same title."
            );
        }
    }
    for comment in &form.comments {
        match platform {
            Platform::GoogleForms => next(&mut out, "Add a \"Paragraph\" question. Title:"),
            Platform::MicrosoftForms => next(
                &mut out,
                "Add a \"Text\" question and switch on \"Long answer\". Title:",
            ),
        }
        copy(&mut out, comment);
    }
    let settings = match platform {
        Platform::GoogleForms => {
            "Settings: leave \"Collect email addresses\" off, so the form stays anonymous. \
             When the survey closes, download the responses (Responses, \u{22ee}, \
             Download responses (.csv)) or open them in Sheets and download as .xlsx, \
             and give the file to makeitstick."
        }
        Platform::MicrosoftForms => {
            "Settings: choose \"Anyone can respond\" and leave \"Record name\" off, so the \
             form stays anonymous. When the survey closes, use \"Open results in Excel\" \
             and give the downloaded .xlsx to makeitstick."
        }
    };
    let _ = writeln!(out, "\n{settings}");
    out
}

/// One line to copy: indented, and on one line even if the text has line breaks.
fn copy(out: &mut String, text: &str) {
    let flat: Vec<&str> = text.split_whitespace().collect();
    let _ = writeln!(out, "{COPY}{}", flat.join(" "));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::Instrument;

    #[test]
    fn every_statement_and_answer_is_a_line_to_copy_in_order() {
        let instrument = Instrument::load(None).unwrap();
        let form = Form::new(&instrument, false);
        for platform in [Platform::GoogleForms, Platform::MicrosoftForms] {
            let text = text(&form, platform);
            let copied: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix(COPY)).collect();
            let statements: Vec<&str> = form.items().map(|i| i.text.as_str()).collect();
            let found: Vec<&str> = copied
                .iter()
                .copied()
                .filter(|l| statements.contains(l))
                .collect();
            assert_eq!(found, statements, "{platform:?}");
            assert_eq!(copied[0], form.title);
            let labels: Vec<&str> = form.scales[0].choices().map(String::as_str).collect();
            let first = copied.iter().position(|l| *l == labels[0]).unwrap();
            assert_eq!(copied[first..first + labels.len()], labels[..]);
        }
    }
}
