//! The printable questionnaire: [`Form`] → build folder → `typst compile` → PDF/UA-1.
//!
//! The build folder holds `questionnaire.typ`, `questionnaire.json` (the form
//! as data, never spliced into markup) and the report's shipped fonts, and is
//! Typst's `--root`. Typst runs through the report's [`CompileJob`], so the
//! command line (PDF/UA-1, `--ignore-system-fonts`, a fixed creation date) is
//! the report's own, and the same instrument always gives the same bytes.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use include_dir::{Dir, include_dir};

use super::Form;
use crate::report::glyphs::Coverage;
use crate::report::typst::{CompileJob, Typst};

/// The fonts the report ships, which the questionnaire uses too.
static FONTS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/report-templates/fonts");

/// The template, compiled into the binary.
const TEMPLATE: &str = include_str!("questionnaire.typ");

/// The template's file name in the build folder.
pub const MAIN_FILE: &str = "questionnaire.typ";

/// The form's data file in the build folder.
pub const DATA_FILE: &str = "questionnaire.json";

/// The creation date recorded in the PDF (1 January 2026): fixed, so that a
/// re-run gives the same bytes; a questionnaire has no survey date of its own.
pub const CREATION_TIMESTAMP: i64 = 1_767_225_600;

/// Writes the build folder for `form` into `folder`; returns a warning for each
/// text in which a character no shipped font draws was replaced.
pub fn write_build_folder(folder: &Path, form: &Form) -> Result<Vec<String>> {
    let fonts = folder.join("fonts");
    std::fs::create_dir_all(&fonts)
        .with_context(|| format!("cannot write the build folder {}", folder.display()))?;
    FONTS
        .extract(&fonts)
        .with_context(|| format!("cannot write the fonts into {}", fonts.display()))?;
    std::fs::write(folder.join(MAIN_FILE), TEMPLATE)?;
    let coverage = Coverage::shipped();
    let mut value = serde_json::to_value(form)?;
    let replaced = coverage.replace_in_json(&mut value);
    std::fs::write(
        folder.join(DATA_FILE),
        serde_json::to_string_pretty(&value)?,
    )?;
    Ok(replaced
        .iter()
        .map(|r| r.message(coverage.replacement()))
        .collect())
}

/// Typesets `form` into the PDF at `output`, in a temporary build folder;
/// returns the warnings of [`write_build_folder`].
pub fn compile(
    typst: &Typst,
    form: &Form,
    output: &Path,
    timeout: Duration,
) -> Result<Vec<String>> {
    let build = crate::output::build_folder().context("cannot make a build folder")?;
    let warnings = write_build_folder(build.path(), form)?;
    typst.compile(&CompileJob {
        root: build.path(),
        main: &build.path().join(MAIN_FILE),
        fonts: &build.path().join("fonts"),
        output,
        creation_timestamp: CREATION_TIMESTAMP,
        timeout,
    })?;
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::Instrument;

    #[test]
    fn the_build_folder_holds_the_form_as_json_and_the_fonts() {
        let dir = tempfile::tempdir().unwrap();
        let mut instrument = Instrument::load(None).unwrap();
        instrument.ingredients[0].statements[0].text =
            "#set page(width: 1cm) $x$ ] \\ =cmd|".into();
        let form = Form::new(&instrument, true);
        let warnings = write_build_folder(dir.path(), &form).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join(DATA_FILE)).unwrap())
                .unwrap();
        assert_eq!(
            json["sections"][0]["statements"][0]["text"],
            "#set page(width: 1cm) $x$ ] \\ =cmd|"
        );
        assert_eq!(json["easy_read"], true);
        assert!(
            dir.path()
                .join("fonts/AtkinsonHyperlegible_400Regular.ttf")
                .is_file()
        );
        // The template reads only the JSON: no instrument text is in it.
        let template = std::fs::read_to_string(dir.path().join(MAIN_FILE)).unwrap();
        assert!(!template.contains("Our organisation"));
    }
}
