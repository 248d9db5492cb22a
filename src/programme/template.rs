//! The commented `programme.toml` that `makeitstick init --programme` writes.

/// The ids of the example sites [`template_text`] declares; `init --programme`
/// makes a folder for each, to rename or copy.
pub const EXAMPLE_SITES: [&str; 2] = ["first-site", "second-site"];

/// The text `init --programme` writes: every key with a comment saying what it
/// does and its default, and two example folder sites to rename.
pub fn template_text(name: &str) -> String {
    let name = toml::Value::String(name.to_string()).to_string();
    let [first, second] = EXAMPLE_SITES;
    format!(
        r##"# makeitstick programme settings. `makeitstick report`, run in this folder,
# reads every site's exports, writes each site's own report to `reports/sites/`
# and the programme's figures to `reports/`. No flags are needed.
#
# Paths are relative to this folder. A misspelt key is an error, never ignored.
# Keys that are commented out use the default shown.

# Version of this file's format. Leave it at 1.
schema-version = 1

# The programme's name, printed on the programme report's cover.
name = {name}

# Sites with fewer responses than this are listed as "too few responses" and
# left out of every programme figure (they still get their own report).
# Default 10; at least min-group-size.
# site-threshold = 10

# Privacy: a group with fewer responses than this is never shown, in a site's
# report or across sites. Default 5; at least 2.
# min-group-size = 5

# Whether a site's report may name the other sites. Default false: a site sees
# where it stands beside the others, never who the others are.
# name-other-sites = false

# Where each site's exports are: `sites/<id>/exports/`. Default "sites".
# sites-dir = "sites"

# Where reports are written (site reports in `reports/sites/`). Default "reports".
# reports = "reports"

# One combined export for every site instead of a folder per site: put it in
# `exports` and name the question that says which site a response is from.
# Each site's name, and its `answers`, are the answers that put a response in it.
# exports = "exports"
# [site-question]
# question = "Which organisation are you from?"
# aliases = ["Organisation"]

# One [[sites]] table per site. `id` names its folder and files: lowercase
# letters, digits and hyphens. Rename these two and their folders under `sites`.
[[sites]]
id = "{first}"
name = "First site"
# organisation = "Printed on this site's report cover (default: name)"
# accent = "#1d4f73"
# min-group-size = 8    # a site may only be stricter than the programme
# answers = ["First"]   # with [site-question] only

[[sites]]
id = "{second}"
name = "Second site"
"##
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programme::ProgrammeConfig;
    use std::path::Path;

    #[test]
    fn the_written_template_parses_with_its_defaults() {
        let config = ProgrammeConfig::parse(
            &template_text("Staying \"Close\""),
            Path::new("programme.toml"),
        )
        .unwrap();
        assert_eq!(config.name, "Staying \"Close\"");
        assert_eq!(config.site_threshold, 10);
        assert_eq!(config.min_group_size, 5);
        assert!(!config.name_other_sites && config.site_question.is_none());
        let ids: Vec<&str> = config.sites.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, EXAMPLE_SITES);
    }
}
