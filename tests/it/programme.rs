//! The programme folder through the binary: `init --programme` (`report` in
//! it: programme_run.rs).

use crate::common::{makeitstick, run};

#[test]
fn init_programme_writes_a_folder_that_loads_and_never_overwrites() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("programme");
    let (output, stderr) = run(makeitstick()
        .args(["-v", "init", "--programme", "--innovation", "Staying Close"])
        .arg(&dir));
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("programme.toml"), "{stderr}");
    let text = std::fs::read_to_string(dir.join("programme.toml")).unwrap();
    assert!(text.contains("name = \"Staying Close\""), "{text}");
    assert!(text.contains("# name-other-sites = false"), "{text}");
    assert!(dir.join("sites/first-site/exports").is_dir());
    assert!(dir.join("reports").is_dir());
    assert!(!dir.join("makeitstick.toml").exists());

    let (output, stderr) = run(makeitstick().args(["init", "--programme"]).arg(&dir));
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("programme.toml")).unwrap(),
        text
    );
}

#[test]
fn init_programme_refuses_an_organisation_which_belongs_to_each_site() {
    let temp = tempfile::tempdir().unwrap();
    let (output, stderr) = run(makeitstick()
        .args(["init", "--programme", "--organisation", "Northshire"])
        .arg(temp.path()));
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--organisation"), "{stderr}");
    assert!(!temp.path().join("programme.toml").exists());
}

#[test]
fn init_programme_names_a_folder_under_sites_that_is_no_site_and_writes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(temp.path().join("sites/northshire")).unwrap();
    let (output, stderr) = run(makeitstick().args(["init", "--programme"]).arg(temp.path()));
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("\"northshire\""), "{stderr}");
    assert!(stderr.contains("hint: add a [[sites]] table"), "{stderr}");
    assert!(!temp.path().join("programme.toml").exists());
    assert!(!temp.path().join("reports").exists());
}
