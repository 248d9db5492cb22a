//! `programme.toml`: the sites of a programme and the rules they share.
//!
//! Read strictly (`deny_unknown_fields`, kebab-case keys), like
//! `makeitstick.toml`: a misspelt key is an error naming it. Sites come either
//! from folders (`sites/<id>/exports/`, the default) or, when the file has a
//! `[site-question]` table, from one combined export whose site question says
//! which site each response belongs to.
//!
//! ```toml
//! schema-version = 1
//! name = "Staying Close"
//! # site-threshold = 10        sites with fewer responses are "too few responses"
//! # min-group-size = 5         the privacy threshold, in every site and across sites
//! # name-other-sites = false   whether a site's report may name other sites
//!
//! [site-question]               # leave out for folder sites
//! question = "Which organisation are you from?"
//! aliases = ["Organisation"]
//!
//! [[sites]]
//! id = "northshire"
//! name = "Northshire County Council"
//! answers = ["Northshire", "Northshire CC"]   # only with [site-question]
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::ProgrammeError;
use crate::text::normalise;

/// The programme file's name, looked for in the current folder.
pub const PROGRAMME_FILE: &str = "programme.toml";

/// The longest site id: ids become parts of file names.
pub const MAX_ID_LENGTH: usize = 64;

/// The one safe id no site may take: the programme's figures CSV names its
/// own rows with it.
pub const RESERVED_ID: &str = "programme";

/// The settings in `programme.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProgrammeConfig {
    /// Version of this file format; only 1 exists.
    pub schema_version: u32,
    /// The programme's name, printed on the programme report's cover.
    pub name: String,
    /// Sites with fewer responses in their figures than this are listed as
    /// "too few responses" and left out of funnel plots and programme figures
    /// (default 10, at least `min-group-size`).
    #[serde(default = "default_site_threshold")]
    pub site_threshold: u32,
    /// Groups with fewer responses than this are never shown, in a site or
    /// across sites (default 5, at least 2).
    #[serde(default = "default_min_group_size")]
    pub min_group_size: u16,
    /// Whether a site's report may name other sites (default false: a site
    /// sees where it stands, never who is where).
    #[serde(default)]
    pub name_other_sites: bool,
    /// The folder holding `<id>/exports/` per site (default `sites`); folder sites only.
    #[serde(default = "default_sites_dir")]
    pub sites_dir: PathBuf,
    /// Where a combined export arrives (default `exports`); with `[site-question]` only.
    #[serde(default = "default_exports")]
    pub exports: PathBuf,
    /// Where reports are written (default `reports`; site reports in `reports/sites/`).
    #[serde(default = "default_reports")]
    pub reports: PathBuf,
    /// The question of a combined export that says which site a response is from.
    #[serde(default)]
    pub site_question: Option<SiteQuestion>,
    /// The sites, in any order (reports list them alphabetically by name).
    pub sites: Vec<Site>,
}

/// The site question of a combined export.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SiteQuestion {
    /// The question's wording, matched to a column header as statements are.
    pub question: String,
    /// Other wordings of the question.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// One site of the programme.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Site {
    /// Stable id: lowercase letters, digits and hyphens; names the site's folder and files.
    pub id: String,
    /// The site's name as printed.
    pub name: String,
    /// Answers to the site question that put a response in this site, besides
    /// its name; with `[site-question]` only.
    #[serde(default)]
    pub answers: Vec<String>,
    /// The organisation on the site's report cover (default: `name`).
    #[serde(default)]
    pub organisation: Option<String>,
    /// The site report's accent colour as #rrggbb (default: the built-in one).
    #[serde(default)]
    pub accent: Option<String>,
    /// A stricter privacy threshold for this site's own report (at least the
    /// programme's `min-group-size`, which still rules programme figures).
    #[serde(default)]
    pub min_group_size: Option<u16>,
}

impl Site {
    /// The privacy threshold of this site's report.
    pub fn min_group_size(&self, programme: &ProgrammeConfig) -> u16 {
        self.min_group_size.unwrap_or(programme.min_group_size)
    }
}

fn default_site_threshold() -> u32 {
    10
}
fn default_min_group_size() -> u16 {
    5
}
fn default_sites_dir() -> PathBuf {
    "sites".into()
}
fn default_exports() -> PathBuf {
    "exports".into()
}
fn default_reports() -> PathBuf {
    "reports".into()
}

/// What is wrong with a `programme.toml` that parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigProblem {
    /// Not schema version 1.
    #[error(
        "schema-version {0} is not supported; this version of makeitstick reads schema-version 1"
    )]
    SchemaVersion(u32),
    /// A required text is blank.
    #[error("{0} is blank; give it a name")]
    Blank(String),
    /// No `[[sites]]`.
    #[error("no sites: add a [[sites]] table with an id and a name for each site")]
    NoSites,
    /// A site id that cannot be a file name.
    #[error(
        "site id {id:?} is not a safe file name: use 1 to {max} lowercase letters, digits and hyphens, starting with a letter or digit (not a name Windows reserves)",
        max = MAX_ID_LENGTH
    )]
    UnsafeId {
        /// The id.
        id: String,
    },
    /// The id the programme's own rows use in its figures CSV.
    #[error(
        "site id {RESERVED_ID:?} is kept for the programme's own rows in its figures; give the site another id (and rename its folder under sites/)"
    )]
    ReservedId,
    /// Two sites share an id.
    #[error("two sites have the id {0:?}; every site needs its own")]
    DuplicateId(String),
    /// Two sites share a name (the programme table lists sites by name).
    #[error("sites {first:?} and {second:?} are both named {name:?}; give each site its own name")]
    DuplicateName {
        /// The name.
        name: String,
        /// The first site's id.
        first: String,
        /// The second site's id.
        second: String,
    },
    /// One answer to the site question would belong to two sites.
    #[error("the answer {answer:?} belongs to both site {first:?} and site {second:?}")]
    AnswerClaimedTwice {
        /// The answer as written for the second site.
        answer: String,
        /// The first site's id.
        first: String,
        /// The second site's id.
        second: String,
    },
    /// Answers given for folder sites.
    #[error(
        "site {0:?} has answers, but there is no [site-question]: answers say which responses of a combined export belong to a site"
    )]
    AnswersWithoutQuestion(String),
    /// `min-group-size` below 2.
    #[error(
        "min-group-size is {0}; it must be at least 2, or single answers could be read off the report"
    )]
    MinGroupSize(u16),
    /// A site's own threshold below the programme's.
    #[error(
        "site {id:?}: min-group-size {site} is below the programme's {programme}; a site may only be stricter"
    )]
    SiteMinGroupSize {
        /// The site's id.
        id: String,
        /// Its threshold.
        site: u16,
        /// The programme's.
        programme: u16,
    },
    /// `site-threshold` below `min-group-size`.
    #[error(
        "site-threshold {threshold} is below min-group-size {min}: a site that small could show no group"
    )]
    SiteThreshold {
        /// The site threshold.
        threshold: u32,
        /// The privacy threshold.
        min: u16,
    },
    /// A site's accent is not a colour.
    #[error("site {id:?}: accent {problem}")]
    Accent {
        /// The site's id.
        id: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A folder under `sites/` that programme.toml does not declare.
    #[error("the folder {folder:?} in {dir} is not a site of programme.toml")]
    UnknownSite {
        /// The folder's name.
        folder: String,
        /// The sites folder.
        dir: String,
    },
}

impl ProgrammeConfig {
    /// Parses and checks the text of a `programme.toml`; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<ProgrammeConfig, ProgrammeError> {
        let config: ProgrammeConfig =
            toml::from_str(text).map_err(|error| ProgrammeError::ParseConfig {
                path: path.to_path_buf(),
                message: error.to_string().trim_end().to_string(),
            })?;
        config
            .validate()
            .map_err(|problem| ProgrammeError::InvalidConfig {
                path: path.to_path_buf(),
                problem,
            })?;
        Ok(config)
    }

    /// Reads and checks the file at `path`.
    pub fn load(path: &Path) -> Result<ProgrammeConfig, ProgrammeError> {
        let text = std::fs::read_to_string(path).map_err(|source| ProgrammeError::ReadConfig {
            path: path.to_path_buf(),
            source,
        })?;
        ProgrammeConfig::parse(&text, path)
    }

    /// Checks every rule a parsed file must keep.
    pub fn validate(&self) -> Result<(), ConfigProblem> {
        if self.schema_version != 1 {
            return Err(ConfigProblem::SchemaVersion(self.schema_version));
        }
        if self.name.trim().is_empty() {
            return Err(ConfigProblem::Blank("name".into()));
        }
        if self.min_group_size < 2 {
            return Err(ConfigProblem::MinGroupSize(self.min_group_size));
        }
        if self.site_threshold < u32::from(self.min_group_size) {
            return Err(ConfigProblem::SiteThreshold {
                threshold: self.site_threshold,
                min: self.min_group_size,
            });
        }
        if let Some(question) = &self.site_question
            && question.question.trim().is_empty()
        {
            return Err(ConfigProblem::Blank("site-question.question".into()));
        }
        if self.sites.is_empty() {
            return Err(ConfigProblem::NoSites);
        }
        let mut ids: BTreeMap<&str, ()> = BTreeMap::new();
        let mut names: BTreeMap<String, &str> = BTreeMap::new();
        for site in &self.sites {
            if !is_safe_id(&site.id) {
                return Err(ConfigProblem::UnsafeId {
                    id: site.id.clone(),
                });
            }
            if site.id == RESERVED_ID {
                return Err(ConfigProblem::ReservedId);
            }
            if ids.insert(&site.id, ()).is_some() {
                return Err(ConfigProblem::DuplicateId(site.id.clone()));
            }
            if site.name.trim().is_empty() {
                return Err(ConfigProblem::Blank(format!(
                    "the name of site {:?}",
                    site.id
                )));
            }
            if let Some(first) = names.insert(normalise(&site.name), &site.id) {
                return Err(ConfigProblem::DuplicateName {
                    name: site.name.clone(),
                    first: first.to_string(),
                    second: site.id.clone(),
                });
            }
            if self.site_question.is_none() && !site.answers.is_empty() {
                return Err(ConfigProblem::AnswersWithoutQuestion(site.id.clone()));
            }
            if let Some(own) = site.min_group_size
                && own < self.min_group_size
            {
                return Err(ConfigProblem::SiteMinGroupSize {
                    id: site.id.clone(),
                    site: own,
                    programme: self.min_group_size,
                });
            }
            if let Some(accent) = &site.accent {
                accent.parse::<crate::colour::Accent>().map_err(|problem| {
                    ConfigProblem::Accent {
                        id: site.id.clone(),
                        problem,
                    }
                })?;
            }
        }
        if self.site_question.is_some() {
            self.site_answers()?;
        }
        Ok(())
    }

    /// Every answer to the site question (each site's name and its
    /// `answers`), normalised, with the index of its site in `sites`. An
    /// answer two sites claim is an error; one site naming it twice is not.
    pub fn site_answers(&self) -> Result<BTreeMap<String, usize>, ConfigProblem> {
        let mut answers: BTreeMap<String, usize> = BTreeMap::new();
        for (index, site) in self.sites.iter().enumerate() {
            for answer in std::iter::once(&site.name).chain(&site.answers) {
                let key = normalise(answer);
                match answers.insert(key, index) {
                    Some(other) if other != index => {
                        return Err(ConfigProblem::AnswerClaimedTwice {
                            answer: answer.clone(),
                            first: self.sites[other].id.clone(),
                            second: site.id.clone(),
                        });
                    }
                    _ => {}
                }
            }
        }
        Ok(answers)
    }

    /// The site with this id.
    pub fn site(&self, id: &str) -> Option<&Site> {
        self.sites.iter().find(|s| s.id == id)
    }

    /// Checks that every folder under the sites folder is a declared site, so
    /// that a misspelt folder is never silently left out of the programme.
    /// `folders` are the names of the folders found there (files are ignored).
    pub fn check_site_folders<'a>(
        &self,
        folders: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), ConfigProblem> {
        for folder in folders {
            if self.site(folder).is_none() {
                return Err(ConfigProblem::UnknownSite {
                    folder: folder.to_string(),
                    dir: self.sites_dir.display().to_string(),
                });
            }
        }
        Ok(())
    }
}

/// Whether `id` is safe as a file name on every system: 1 to [`MAX_ID_LENGTH`]
/// lowercase ASCII letters, digits and hyphens, starting with a letter or a
/// digit, and none of the device names Windows reserves (`con`, `nul`, `com1`, ...).
/// Lowercase only, so that two ids never name the same file on a
/// case-insensitive disk.
pub fn is_safe_id(id: &str) -> bool {
    const RESERVED: [&str; 4] = ["con", "prn", "aux", "nul"];
    let well_formed = !id.is_empty()
        && id.len() <= MAX_ID_LENGTH
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-');
    let device = RESERVED.contains(&id)
        || ["com", "lpt"].iter().any(|prefix| {
            id.strip_prefix(prefix)
                .is_some_and(|rest| rest.len() == 1 && rest.as_bytes()[0].is_ascii_digit())
        });
    well_formed && !device
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(text: &str) -> Result<ProgrammeConfig, ProgrammeError> {
        ProgrammeConfig::parse(text, Path::new("programme.toml"))
    }

    fn problem(text: &str) -> ConfigProblem {
        match parse(text) {
            Err(ProgrammeError::InvalidConfig { problem, .. }) => problem,
            other => panic!("expected a problem, got {other:?}"),
        }
    }

    const TWO_SITES: &str = r#"
schema-version = 1
name = "Staying Close"
[[sites]]
id = "northshire"
name = "Northshire County Council"
[[sites]]
id = "eastvale"
name = "Eastvale"
"#;

    #[test]
    fn a_minimal_file_takes_the_documented_defaults() {
        let config = parse(TWO_SITES).unwrap();
        assert_eq!(config.site_threshold, 10);
        assert_eq!(config.min_group_size, 5);
        assert!(!config.name_other_sites);
        assert!(config.site_question.is_none());
        assert_eq!(config.sites_dir, Path::new("sites"));
        assert_eq!(config.exports, Path::new("exports"));
        assert_eq!(config.reports, Path::new("reports"));
        let site = config.site("eastvale").unwrap();
        assert_eq!(site.min_group_size(&config), 5);
        assert_eq!(site.organisation, None);
    }

    #[test]
    fn a_combined_export_maps_names_and_answers_to_sites() {
        let text = r##"
schema-version = 1
name = "Staying Close"
site-threshold = 12
[site-question]
question = "Which organisation are you from?"
aliases = ["Organisation"]
[[sites]]
id = "northshire"
name = "Northshire County Council"
answers = ["Northshire", "northshire  cc"]
min-group-size = 6
accent = "#aa3300"
[[sites]]
id = "eastvale"
name = "Eastvale"
"##;
        let config = parse(text).unwrap();
        let answers = config.site_answers().unwrap();
        assert_eq!(answers[&normalise("NORTHSHIRE CC")], 0);
        assert_eq!(answers[&normalise("Northshire County Council")], 0);
        assert_eq!(answers[&normalise("eastvale")], 1);
        assert_eq!(config.sites[0].min_group_size(&config), 6);
    }

    #[test]
    fn misspelt_keys_are_errors_naming_them() {
        let error = parse(&TWO_SITES.replace("name = \"Staying", "nmae = \"Staying")).unwrap_err();
        assert!(error.to_string().contains("nmae"), "{error}");
        let error = parse(&format!("{TWO_SITES}answrs = [\"x\"]")).unwrap_err();
        assert!(error.to_string().contains("answrs"), "{error}");
    }

    #[test]
    fn broken_rules_are_named() {
        assert_eq!(
            problem(&TWO_SITES.replace("\"eastvale\"", "\"northshire\"")),
            ConfigProblem::DuplicateId("northshire".into())
        );
        assert_eq!(
            problem(&TWO_SITES.replace("\"eastvale\"", "\"East Vale\"")),
            ConfigProblem::UnsafeId {
                id: "East Vale".into()
            }
        );
        assert_eq!(
            problem(&TWO_SITES.replace("\"eastvale\"", "\"programme\"")),
            ConfigProblem::ReservedId
        );
        assert!(matches!(
            problem(&TWO_SITES.replace("\"Eastvale\"", "\"northshire county  council\"")),
            ConfigProblem::DuplicateName { .. }
        ));
        assert_eq!(
            problem(&format!("{TWO_SITES}answers = [\"East\"]")),
            ConfigProblem::AnswersWithoutQuestion("eastvale".into())
        );
        assert_eq!(
            problem(&TWO_SITES.replace("name = \"Staying", "min-group-size = 1\nname = \"Staying")),
            ConfigProblem::MinGroupSize(1)
        );
        assert!(matches!(
            problem(&TWO_SITES.replace("name = \"Staying", "site-threshold = 3\nname = \"Staying")),
            ConfigProblem::SiteThreshold {
                threshold: 3,
                min: 5
            }
        ));
        assert!(matches!(
            problem(&format!("{TWO_SITES}min-group-size = 3")),
            ConfigProblem::SiteMinGroupSize { site: 3, .. }
        ));
        assert!(matches!(
            problem(&format!("{TWO_SITES}accent = \"red\"")),
            ConfigProblem::Accent { .. }
        ));
        assert_eq!(
            problem("schema-version = 1\nname = \"P\"\nsites = []"),
            ConfigProblem::NoSites
        );
        assert_eq!(
            problem(&TWO_SITES.replace("schema-version = 1", "schema-version = 2")),
            ConfigProblem::SchemaVersion(2)
        );
    }

    #[test]
    fn an_answer_claimed_by_two_sites_is_an_error_naming_both() {
        let text = format!(
            "{}answers = [\"Northshire County  COUNCIL\"]",
            TWO_SITES.replace(
                "name = \"Staying Close\"",
                "name = \"Staying Close\"\n[site-question]\nquestion = \"Which organisation?\""
            )
        );
        let found = problem(&text);
        assert_eq!(
            found,
            ConfigProblem::AnswerClaimedTwice {
                answer: "Northshire County  COUNCIL".into(),
                first: "northshire".into(),
                second: "eastvale".into(),
            }
        );
        assert!(found.to_string().contains("\"northshire\""), "{found}");
    }

    #[test]
    fn an_undeclared_site_folder_is_an_error() {
        let config = parse(TWO_SITES).unwrap();
        assert!(
            config
                .check_site_folders(["eastvale", "northshire"])
                .is_ok()
        );
        assert_eq!(
            config.check_site_folders(["eastvale", "northshir"]),
            Err(ConfigProblem::UnknownSite {
                folder: "northshir".into(),
                dir: "sites".into()
            })
        );
    }

    #[test]
    fn safe_ids_by_example() {
        for id in ["a", "north-shire", "site-12", "2026", "com10", "console"] {
            assert!(is_safe_id(id), "{id}");
        }
        let long = "a".repeat(MAX_ID_LENGTH + 1);
        for id in [
            "", "-a", "A", "a b", "a/b", "a.b", "..", "a_b", "con", "nul", "com1", "lpt9", "é",
            &long,
        ] {
            assert!(!is_safe_id(id), "{id}");
        }
    }

    proptest! {
        /// A safe id is a plain file name: joined to a folder it adds exactly
        /// one component, and it survives a round trip through lowercase.
        #[test]
        fn safe_ids_are_single_lowercase_file_names(id in "[a-zA-Z0-9 ./_-]{0,70}") {
            if is_safe_id(&id) {
                let joined = Path::new("sites").join(&id);
                prop_assert_eq!(joined.components().count(), 2);
                prop_assert_eq!(id.to_lowercase(), id.clone());
                prop_assert!(!id.contains(['.', '/', '\\', ' ']));
            }
        }
    }
}
