//! The site as a CDN serves it: which files may be cached for good, and the shell that loads
//! the app.
//!
//! A release build (`cargo xtask`, `LEPTOS_HASH_FILES=true`) gives every file under `pkg/` a
//! content hash in its name (`stratus.<hash>.wasm`), so a browser or CDN may keep it for a year:
//! a new build has new names. The shell (`index.html` and the boot script it loads) names those
//! files, so it is rewritten for each build and must be asked for again on every visit. The local
//! server and `cargo xtask deploy` use the same rules, so what is tested here is what S3 and
//! CloudFront serve.

use std::collections::HashMap;
use std::io;
use std::path::Path;

use sha2::{Digest, Sha256};

/// `Cache-Control` for a file whose name changes with its content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` for a file whose name stays (the shell, unhashed debug builds): browsers
/// keep it but ask whether it changed before each use.
pub const REVALIDATE: &str = "no-cache";

/// The `Cache-Control` value for the file at `path` (a URL path or a file name).
pub fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    if is_content_hashed(name) {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

/// Whether `name` has the shape `<stem>.<hash>.<ext>`, the hash at least 16 characters of
/// URL-safe base64 or hex. cargo-leptos's placeholder for a hash (underscores) is not one.
pub fn is_content_hashed(name: &str) -> bool {
    let mut parts = name.rsplitn(3, '.');
    let (Some(_ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !stem.is_empty()
        && hash.len() >= 16
        && hash
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !hash.bytes().all(|b| b == b'_')
}

/// `index.html` of one build, naming the build's files, and the files of `public/` it loads
/// (the boot script, the icon) under names with their content's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shell {
    pub index_html: String,
    pub assets: Vec<ShellAsset>,
}

/// A file of `public/` that `index.html` loads, as served: `boot.<hash>.js`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellAsset {
    pub name: String,
    pub content: Vec<u8>,
}

impl Shell {
    /// Reads `index.html` from `public_dir` and points every `/pkg/<name>` in it at the hashed
    /// file of that name in `pkg_dir`, when there is one; and every `/<file>` of `public_dir`
    /// it names at `/<stem>.<hash>.<ext>` (scripts among them get the same renaming first).
    pub fn assemble(public_dir: &Path, pkg_dir: &Path) -> io::Result<Shell> {
        let hashed = hashed_names(pkg_dir)?;
        let mut index_html = rename_built_files(
            &std::fs::read_to_string(public_dir.join("index.html"))?,
            &hashed,
        );
        let mut assets = Vec::new();
        for file in loaded_public_files(&index_html, public_dir) {
            let mut content = std::fs::read(public_dir.join(&file))?;
            if file.ends_with(".js") {
                content =
                    rename_built_files(&String::from_utf8_lossy(&content), &hashed).into_bytes();
            }
            let name = with_hash(&file, &content);
            index_html = index_html.replace(&format!("\"/{file}\""), &format!("\"/{name}\""));
            assets.push(ShellAsset { name, content });
        }
        Ok(Shell { index_html, assets })
    }

    /// The asset served at `/<name>`, if it is one of this build's.
    pub fn asset(&self, name: &str) -> Option<&ShellAsset> {
        self.assets.iter().find(|asset| asset.name == name)
    }
}

/// The files at the top of `public_dir` that `html` names as `"/<file>"`.
fn loaded_public_files(html: &str, public_dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = html
        .split('"')
        .filter_map(|value| value.strip_prefix('/'))
        .filter(|file| !file.is_empty() && !file.contains('/') && *file != "index.html")
        .filter(|file| public_dir.join(file).is_file())
        .map(str::to_owned)
        .collect();
    files.sort();
    files.dedup();
    files
}

/// `stratus.js` -> `stratus.<hash>.js` for the hashed files in `pkg_dir` (none when the build
/// did not hash them). Where a name was hashed more than once (files of an earlier build left
/// beside), the newest file wins.
fn hashed_names(pkg_dir: &Path) -> io::Result<HashMap<String, String>> {
    let mut newest: HashMap<String, (std::time::SystemTime, String)> = HashMap::new();
    let entries = match std::fs::read_dir(pkg_dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(error) => return Err(error),
    };
    for entry in entries {
        let entry = entry?;
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if !is_content_hashed(&name) {
            continue;
        }
        let mut parts = name.rsplitn(3, '.');
        let (Some(ext), Some(_hash), Some(stem)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let modified = entry.metadata()?.modified()?;
        let plain = format!("{stem}.{ext}");
        if newest.get(&plain).is_none_or(|(seen, _)| modified > *seen) {
            newest.insert(plain, (modified, name));
        }
    }
    Ok(newest
        .into_iter()
        .map(|(plain, (_, hashed))| (plain, hashed))
        .collect())
}

fn rename_built_files(text: &str, hashed: &HashMap<String, String>) -> String {
    hashed
        .iter()
        .fold(text.to_owned(), |text, (plain, hashed)| {
            text.replace(&format!("/pkg/{plain}\""), &format!("/pkg/{hashed}\""))
        })
}

/// `boot.js` -> `boot.<first 20 hex digits of the content's SHA-256>.js`.
fn with_hash(name: &str, content: &[u8]) -> String {
    let digest = Sha256::digest(content);
    let hash: String = digest[..10].iter().map(|b| format!("{b:02x}")).collect();
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_with_a_content_hash_are_kept_for_good() {
        assert!(is_content_hashed("stratus.kC2ZpXQ5qU3VdJ1mWbE7Rw.wasm"));
        assert!(is_content_hashed("chunk_107.kC2ZpXQ5qU3VdJ1mWbE7Rw.wasm"));
        assert!(is_content_hashed("boot.0123456789abcdef0123.js"));
        assert!(!is_content_hashed("stratus.wasm"));
        assert!(!is_content_hashed("index.html"));
        assert!(!is_content_hashed("__wasm_split.______________________.js"));
        assert!(!is_content_hashed("jquery.min.js"));
        assert_eq!(
            cache_control("/pkg/stratus.kC2ZpXQ5qU3VdJ1mWbE7Rw.js"),
            IMMUTABLE
        );
        assert_eq!(cache_control("/pkg/stratus.js"), REVALIDATE);
        assert_eq!(cache_control("/"), REVALIDATE);
    }

    #[test]
    fn the_shell_names_the_newest_hashed_files_and_its_boot_script_by_content() {
        let dir = std::env::temp_dir().join(format!("stratus-shell-{}", std::process::id()));
        let (public, pkg) = (dir.join("public"), dir.join("pkg"));
        std::fs::create_dir_all(&public).unwrap();
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(
            public.join("index.html"),
            r#"<link href="/pkg/stratus.css"><link rel="icon" href="/icon.svg"><script src="/boot.js"></script><a href="/about">"#,
        )
        .unwrap();
        std::fs::write(public.join("icon.svg"), "<svg/>").unwrap();
        std::fs::write(
            public.join("boot.js"),
            r#"import init from "/pkg/stratus.js"; init("/pkg/stratus.wasm");"#,
        )
        .unwrap();
        std::fs::write(pkg.join("stratus.OLDOLDOLDOLDOLDOLDOLDOL.js"), "old").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        for name in [
            "stratus.kC2ZpXQ5qU3VdJ1mWbE7Rw.js",
            "stratus.aaaaaaaaaaaaaaaaaaaaaa.wasm",
        ] {
            std::fs::write(pkg.join(name), "new").unwrap();
        }

        let shell = Shell::assemble(&public, &pkg).unwrap();
        let [boot, icon] = [0, 1].map(|i| shell.assets[i].clone());

        assert!(
            boot.name.starts_with("boot.") && is_content_hashed(&boot.name),
            "{}",
            boot.name
        );
        assert_eq!(
            String::from_utf8(boot.content).unwrap(),
            r#"import init from "/pkg/stratus.kC2ZpXQ5qU3VdJ1mWbE7Rw.js"; init("/pkg/stratus.aaaaaaaaaaaaaaaaaaaaaa.wasm");"#
        );
        assert!(
            icon.name.starts_with("icon.") && is_content_hashed(&icon.name),
            "{}",
            icon.name
        );
        assert_eq!(icon.content, b"<svg/>");
        // No hashed stylesheet in this build: its name stays; a route is not a file.
        assert_eq!(
            shell.index_html,
            format!(
                r#"<link href="/pkg/stratus.css"><link rel="icon" href="/{}"><script src="/{}"></script><a href="/about">"#,
                icon.name, boot.name
            )
        );
        assert!(shell.asset(&boot.name).is_some());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
