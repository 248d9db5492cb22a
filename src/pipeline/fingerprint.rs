//! The fingerprint of everything a scheduled report depends on, kept in the
//! history so that the next scheduled run can tell that nothing changed.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::Settings;
use crate::instrument::Instrument;
use crate::project::Fingerprint;
use crate::report;

/// A fingerprint of the program version, the settings, the reader and output
/// flags (`flags`, each a name and its value), the questionnaire, the
/// template files, the exports, the logo and the contents of the other files
/// the report reads (`files`, each a name and its path: the mapping and
/// profile files), so that editing any of them remakes the report.
pub fn fingerprint(
    settings: &Settings,
    flags: &[(&'static str, String)],
    instrument: &Instrument,
    exports: &[PathBuf],
    files: &[(&'static str, PathBuf)],
) -> Result<String> {
    let mut print = Fingerprint::default();
    print.add(env!("CARGO_PKG_VERSION").as_bytes());
    add_settings(&mut print, settings);
    for (name, value) in flags {
        print.add(name.as_bytes());
        print.add(value.as_bytes());
    }
    print.add(
        toml::to_string(instrument)
            .context("cannot fingerprint the instrument")?
            .as_bytes(),
    );
    if let Some(dir) = &settings.template {
        // Only regular files: a link or a FIFO in the template is refused, never read.
        for file in report::template_files(dir)? {
            print.add(file.to_string_lossy().as_bytes());
            add_file(&mut print, &file)?;
        }
    }
    for file in exports.iter().chain(&settings.logo) {
        print.add(file.to_string_lossy().as_bytes());
        add_file(&mut print, file)?;
    }
    for (name, file) in files {
        print.add(name.as_bytes());
        add_file(&mut print, file)?;
    }
    Ok(print.finish())
}

/// Adds each setting by name, so that a change to any of them (and only to
/// them) makes a new fingerprint. The template and logo add their paths here
/// and their bytes in [`fingerprint`].
fn add_settings(print: &mut Fingerprint, settings: &Settings) {
    let Settings {
        organisation,
        innovation,
        accent,
        template,
        logo,
        include_comments,
        min_group_size,
        scheme,
        date_order,
    } = settings;
    let path = |p: &Option<PathBuf>| {
        p.as_ref()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let fields = [
        ("organisation", organisation.clone().unwrap_or_default()),
        ("innovation", innovation.clone().unwrap_or_default()),
        ("accent", accent.to_string()),
        ("template", path(template)),
        ("logo", path(logo)),
        ("include-comments", include_comments.to_string()),
        ("min-group-size", min_group_size.to_string()),
        ("waves", format!("{scheme:?}")),
        // The order only: where it was set changes messages, not figures.
        (
            "date-order",
            date_order
                .map(|d| format!("{:?}", d.order))
                .unwrap_or_default(),
        ),
    ];
    for (name, value) in fields {
        print.add(name.as_bytes());
        print.add(value.as_bytes());
    }
}

/// Adds a file's bytes to a fingerprint, in chunks: exports (or a file in a
/// template folder) can be far larger than the memory a run should use.
fn add_file(print: &mut Fingerprint, file: &Path) -> Result<()> {
    let mut reader = std::fs::File::open(file)
        .map(std::io::BufReader::new)
        .with_context(|| format!("cannot read {}", file.display()))?;
    loop {
        let chunk = std::io::BufRead::fill_buf(&mut reader)
            .with_context(|| format!("cannot read {}", file.display()))?;
        if chunk.is_empty() {
            break;
        }
        print.add(chunk);
        let length = chunk.len();
        std::io::BufRead::consume(&mut reader, length);
    }
    Ok(())
}
