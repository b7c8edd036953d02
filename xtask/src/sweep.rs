//! Keeps the shared target directory from filling the disk. `.ci/run` builds every clean clone
//! into one target directory, and each commit (or clone path) gives the workspace's crates new
//! artifact hashes, so superseded copies piled up by the gigabyte until a CI run failed with "No
//! space left on device". After a successful run, whatever the run rebuilt supersedes what it
//! rebuilt it from: those older copies go.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result};

use crate::workspace::Workspace;

/// One compiled unit in a `deps/` directory: `libapp-0123456789abcdef.rlib`, `.rmeta` and `.d`
/// share the crate's name ("family") and the hash of its build configuration.
#[derive(Debug, PartialEq, Eq, Hash, Clone)]
struct Unit {
    family: String,
    hash: String,
}

impl Unit {
    fn of_file(name: &str) -> Option<Unit> {
        let stem = name.split('.').next()?;
        let (family, hash) = stem.rsplit_once('-')?;
        let is_hash = hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit());
        (is_hash && !family.is_empty()).then(|| Unit {
            family: family.to_owned(),
            hash: hash.to_owned(),
        })
    }
}

/// Removes, in every `deps/` directory under the target directory, the units of each crate that
/// this run rebuilt which are older than the run (`run_started`): the same crate built before,
/// from an older commit or another clone. Crates the run did not rebuild are left alone, so a
/// build that this run did not make (a benchmark's release build, say) keeps its artifacts.
pub fn remove_superseded(ws: &Workspace, run_started: SystemTime) -> Result<()> {
    let mut freed = 0u64;
    for deps in deps_dirs(&ws.target_dir(), 4) {
        freed += sweep_deps_dir(&deps, run_started)
            .with_context(|| format!("sweeping {}", deps.display()))?;
    }
    tracing::info!(
        "removed {:.1} GB of superseded build artifacts",
        freed as f64 / 1e9
    );
    Ok(())
}

fn deps_dirs(dir: &Path, depth: usize) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if entry.file_name() == "deps" {
            found.push(path);
        } else if depth > 0 {
            found.extend(deps_dirs(&path, depth - 1));
        }
    }
    found
}

/// What a `deps/` directory holds, by unit: its files and when the newest was written.
struct UnitFiles {
    files: Vec<(PathBuf, u64)>,
    written: SystemTime,
}

fn sweep_deps_dir(deps: &Path, run_started: SystemTime) -> Result<u64> {
    let mut units: HashMap<Unit, UnitFiles> = HashMap::new();
    for entry in std::fs::read_dir(deps)?.flatten() {
        let Some(unit) = entry.file_name().to_str().and_then(Unit::of_file) else {
            continue;
        };
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        let written = metadata.modified()?;
        let files = units.entry(unit).or_insert(UnitFiles {
            files: Vec::new(),
            written,
        });
        files.files.push((entry.path(), metadata.len()));
        files.written = files.written.max(written);
    }
    let rebuilt: std::collections::HashSet<&str> = units
        .iter()
        .filter(|(_, files)| files.written >= run_started)
        .map(|(unit, _)| unit.family.as_str())
        .collect();
    let superseded: Vec<(&Unit, &UnitFiles)> = units
        .iter()
        .filter(|(unit, files)| {
            rebuilt.contains(unit.family.as_str()) && files.written < run_started
        })
        .collect();

    let profile_dir = deps.parent().context("deps/ has no parent")?;
    let mut freed = 0;
    for (unit, files) in superseded {
        for (path, len) in &files.files {
            std::fs::remove_file(path).with_context(|| format!("removing {}", path.display()))?;
            freed += len;
        }
        // Without its artifacts, the unit's fingerprint would only describe a missing build.
        remove_dirs_ending_in(&profile_dir.join(".fingerprint"), &unit.hash)?;
    }
    Ok(freed)
}

fn remove_dirs_ending_in(dir: &Path, hash: &str) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let suffix = format!("-{hash}");
    for entry in entries.flatten() {
        if entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.ends_with(&suffix))
        {
            std::fs::remove_dir_all(entry.path())
                .with_context(|| format!("removing {}", entry.path().display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_is_named_by_its_crate_and_configuration_hash() {
        assert_eq!(
            Unit::of_file("libstratus_server-0123456789abcdef.rlib"),
            Some(Unit {
                family: "libstratus_server".into(),
                hash: "0123456789abcdef".into()
            })
        );
        assert_eq!(
            Unit::of_file("deploy_to_ministack-fedcba9876543210").map(|u| u.family),
            Some("deploy_to_ministack".into())
        );
    }

    #[test]
    fn files_without_a_configuration_hash_are_not_units() {
        assert_eq!(Unit::of_file("server"), None);
        assert_eq!(Unit::of_file("libfoo-bar.rlib"), None);
        assert_eq!(Unit::of_file("-0123456789abcdef.rlib"), None);
    }

    #[test]
    fn only_older_units_of_rebuilt_crates_go() {
        let deps = std::env::temp_dir().join(format!("stratus-sweep-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&deps);
        std::fs::create_dir_all(&deps).unwrap();
        let old = [
            "libapp-1111111111111111.rlib",
            "libapp-1111111111111111.d",
            "libtokio-3333333333333333.rlib",
        ];
        for name in old {
            std::fs::write(deps.join(name), b"old").unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        let run_started = SystemTime::now();
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(deps.join("libapp-2222222222222222.rlib"), b"new").unwrap();

        let freed = sweep_deps_dir(&deps, run_started).unwrap();

        assert_eq!(freed, 6);
        let mut left: Vec<String> = std::fs::read_dir(&deps)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "libapp-2222222222222222.rlib",
                "libtokio-3333333333333333.rlib"
            ]
        );
        std::fs::remove_dir_all(&deps).unwrap();
    }
}
