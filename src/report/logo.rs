//! The organisation's logo on the cover: checked before any work (a file
//! whose first bytes say it is the image its name says), copied into the
//! build folder with its alternative text.

use serde::Serialize;

/// A logo file for the cover.
#[derive(Debug, Clone, Serialize)]
pub struct Logo {
    /// Path relative to the build folder (`assets/logo.png`).
    pub path: String,
    /// Alternative text: "`<organisation>` logo".
    pub alt: String,
    /// The file given with `--logo`, copied into the build folder.
    #[serde(skip)]
    pub source: std::path::PathBuf,
}

/// Why a logo file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LogoError {
    /// Not a format Typst reads.
    #[error("--logo {0}: the logo must be a .png, .jpg, .jpeg or .svg file")]
    Format(std::path::PathBuf),
    /// Missing or not a file.
    #[error("--logo {0}: there is no such file")]
    Missing(std::path::PathBuf),
    /// A folder, FIFO, device or socket.
    #[error("--logo {0}: it is not a regular file")]
    NotAFile(std::path::PathBuf),
    /// The bytes are not what the name says.
    #[error("--logo {path}: the file is named as {expected} image, but its contents are {found}")]
    Content {
        /// The file.
        path: std::path::PathBuf,
        /// "a PNG", "a JPG", "an SVG".
        expected: &'static str,
        /// What the first bytes say it is: "a PDF document", "not an image Typst reads".
        found: &'static str,
    },
    /// It could not be read.
    #[error("--logo {0}: the file cannot be read")]
    Read(std::path::PathBuf, #[source] std::io::Error),
}

impl LogoError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            LogoError::Content { .. } => {
                "save the logo as PNG, JPG or SVG (export it from the program that made it), and name the file with that extension"
            }
            _ => "give --logo a PNG, JPG or SVG file, or leave it out",
        }
    }
}

impl Logo {
    /// Checks a `--logo` file before any work is done: an existing regular
    /// PNG, JPG or SVG file whose first bytes say it is what its name says,
    /// so Typst never fails on it inside the template.
    pub fn check(file: &std::path::Path) -> Result<(), LogoError> {
        let Some(extension) = logo_extension(file) else {
            return Err(LogoError::Format(file.to_path_buf()));
        };
        match std::fs::metadata(file) {
            Err(_) => return Err(LogoError::Missing(file.to_path_buf())),
            Ok(meta) if !meta.is_file() => return Err(LogoError::NotAFile(file.to_path_buf())),
            Ok(_) => {}
        }
        let mut head = [0u8; 512];
        let read = std::fs::File::open(file)
            .and_then(|mut f| read_up_to(&mut f, &mut head))
            .map_err(|e| LogoError::Read(file.to_path_buf(), e))?;
        let head = &head[..read];
        let found = sniff_image(head);
        let (expected, fits) = match extension.as_str() {
            "png" => ("a PNG", found == Some(ImageKind::Png)),
            "svg" => ("an SVG", found == Some(ImageKind::Svg)),
            _ => ("a JPG", found == Some(ImageKind::Jpg)),
        };
        if fits {
            return Ok(());
        }
        let found = match found {
            Some(ImageKind::Png) => "a PNG image",
            Some(ImageKind::Jpg) => "a JPG image",
            Some(ImageKind::Svg) => "an SVG image",
            None if head.starts_with(b"%PDF") => "a PDF document",
            None if head.starts_with(b"GIF8") => "a GIF image",
            None if head.starts_with(b"RIFF") => "a WebP (or other RIFF) file",
            None if head.starts_with(b"PK") => "a zip file (such as a Word or PowerPoint document)",
            None if head.is_empty() => "empty",
            None => "not an image Typst reads",
        };
        Err(LogoError::Content {
            path: file.to_path_buf(),
            expected,
            found,
        })
    }
}

/// The image formats a logo may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ImageKind {
    Png,
    Jpg,
    Svg,
}

/// What an image's first bytes say it is.
fn sniff_image(head: &[u8]) -> Option<ImageKind> {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(ImageKind::Png);
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(ImageKind::Jpg);
    }
    // SVG is XML text: after a byte-order mark and blanks, an XML declaration,
    // a comment, a doctype or the <svg> element itself.
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = text.iter().position(|b| !b.is_ascii_whitespace())?;
    let text = &text[start..];
    let svg = [
        &b"<?xml"[..],
        b"<svg",
        b"<!--",
        b"<!DOCTYPE svg",
        b"<!doctype svg",
    ]
    .iter()
    .any(|p| text.starts_with(p));
    svg.then_some(ImageKind::Svg)
}

/// Reads until `buffer` is full or the file ends; the number of bytes read.
fn read_up_to(file: &mut std::fs::File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match std::io::Read::read(file, &mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// The lower-case extension of a logo file Typst can read.
fn logo_extension(file: &std::path::Path) -> Option<String> {
    file.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .filter(|e| ["png", "jpg", "jpeg", "svg"].contains(&e.as_str()))
}

/// The cover's logo: `file` (checked with [`Logo::check`]) with
/// "`<organisation>` logo" as its alternative text ("Organisation logo" when no
/// organisation is named). The build folder gets a copy as `assets/logo.<ext>`.
pub(crate) fn logo_for(file: &std::path::Path, organisation: Option<&str>) -> Logo {
    let extension = logo_extension(file).unwrap_or_else(|| "png".into());
    let alt = match organisation.map(str::trim) {
        Some(name) if !name.is_empty() => format!("{name} logo"),
        _ => "Organisation logo".to_string(),
    };
    Logo {
        path: format!("assets/logo.{extension}"),
        alt,
        source: file.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_logo_must_be_an_existing_image_typst_reads() {
        let dir = tempfile::tempdir().unwrap();
        let svg = dir.path().join("Logo.SVG");
        std::fs::write(&svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
        assert!(Logo::check(&svg).is_ok());
        let gif = dir.path().join("logo.gif");
        std::fs::write(&gif, "GIF89a").unwrap();
        let message = Logo::check(&gif).unwrap_err().to_string();
        assert!(
            message.contains("logo.gif") && message.contains(".png"),
            "{message}"
        );
        assert!(matches!(
            Logo::check(&dir.path().join("missing.png")),
            Err(LogoError::Missing(_))
        ));
        let pdf = dir.path().join("logo.png");
        std::fs::write(&pdf, "%PDF-1.7\n...").unwrap();
        let message = Logo::check(&pdf).unwrap_err().to_string();
        assert!(
            message.contains("--logo") && message.contains("a PDF document"),
            "{message}"
        );
        std::fs::write(&pdf, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
        assert!(Logo::check(&pdf).is_ok());
        let jpg = dir.path().join("logo.jpeg");
        std::fs::write(&jpg, b"\xEF\xBB\xBF  <svg/>").unwrap();
        let message = Logo::check(&jpg).unwrap_err().to_string();
        assert!(message.contains("an SVG image"), "{message}");
        assert!(matches!(Logo::check(dir.path()), Err(LogoError::Format(_))));
    }
}
