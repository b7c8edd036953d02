//! The fuzz targets (`server/fuzz/`), run briefly as part of the tests: cargo-fuzz with a pinned
//! nightly toolchain (libFuzzer needs its instrumentation), seeded from `server/fuzz/seeds/`.
//! What libFuzzer finds goes to `<target>/fuzz/corpus/`; a crash fails the run and leaves its
//! input in `server/fuzz/artifacts/`.

use anyhow::Result;

use crate::bootstrap::NIGHTLY;
use crate::cmd::{command, run};
use crate::workspace::Workspace;

/// How long each target runs in `cargo xtask test`.
const SECONDS_PER_TARGET: u32 = 30;

/// The fuzz targets in `server/fuzz/fuzz_targets/`.
const TARGETS: &[&str] = &["request_decoding"];

pub fn run_briefly(ws: &Workspace) -> Result<()> {
    let fuzz_dir = ws.root.join("server/fuzz");
    let target_dir = ws.target_dir().join("fuzz");
    for target in TARGETS {
        let corpus = target_dir.join("corpus").join(target);
        std::fs::create_dir_all(&corpus)?;
        tracing::info!("fuzzing {target} for {SECONDS_PER_TARGET} s");
        run(command(ws, "cargo")
            .arg(format!("+{NIGHTLY}"))
            .args(["fuzz", "run", "--sanitizer", "none", target])
            .arg(&corpus)
            .arg(fuzz_dir.join("seeds").join(target))
            .args([
                "--",
                &format!("-max_total_time={SECONDS_PER_TARGET}"),
                "-print_final_stats=1",
            ])
            .env("CARGO_TARGET_DIR", &target_dir)
            .current_dir(&fuzz_dir))?;
    }
    Ok(())
}
