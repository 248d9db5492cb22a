//! Rebuild when the embedded template folder changes (include_dir cannot tell cargo itself).

fn main() {
    println!("cargo:rerun-if-changed=report-templates");
}
