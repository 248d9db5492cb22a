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

/// The team's plan as a scheduled run sees it, for [`with_plan`].
#[derive(Debug, Clone, Copy)]
pub enum PlanBytes<'a> {
    /// The project has no plan file.
    None,
    /// The plan file's path, read here; a file that cannot be read as a plan
    /// (open in Excel on Windows, a FIFO, too big) counts as changed, never as
    /// an error: the report then says why it could not be read.
    File(&'a Path),
    /// The plan this run writes, as written.
    Written(&'a [u8]),
}

/// A scheduled report's fingerprint: `inputs` (from [`fingerprint`]) with the
/// bytes of the team's plan, which the report shows, so that editing the plan
/// remakes the report. The plan a first run writes is taken as written, so a
/// second run with nothing new still writes nothing.
pub fn with_plan(inputs: &str, plan: PlanBytes) -> String {
    let mut print = Fingerprint::default();
    print.add(inputs.as_bytes());
    match plan {
        PlanBytes::None => print.add(b"no plan"),
        PlanBytes::File(path) => match crate::actions::read::plan_bytes(path) {
            Some(bytes) => {
                print.add(b"plan");
                print.add(&bytes);
            }
            None => print.add(b"plan unreadable"),
        },
        PlanBytes::Written(bytes) => {
            print.add(b"plan");
            print.add(bytes);
        }
    }
    print.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_written_and_the_same_plan_on_disk_print_alike() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.xlsx");
        std::fs::write(&path, b"actions").unwrap();
        let written = with_plan("inputs", PlanBytes::Written(b"actions"));
        assert_eq!(with_plan("inputs", PlanBytes::File(&path)), written);
        std::fs::write(&path, b"actions, one done").unwrap();
        assert_ne!(with_plan("inputs", PlanBytes::File(&path)), written);
        assert_ne!(with_plan("inputs", PlanBytes::None), written);
        assert_ne!(with_plan("other", PlanBytes::Written(b"actions")), written);
        let missing = with_plan("inputs", PlanBytes::File(&dir.path().join("gone.xlsx")));
        assert_ne!(missing, written);
        assert_ne!(missing, with_plan("inputs", PlanBytes::None));
    }
}
