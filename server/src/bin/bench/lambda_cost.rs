//! What a million requests to a function cost at AWS's published Lambda prices, from a measured
//! duration and peak memory.
//!
//! The prices are those of aws.amazon.com/lambda/pricing for US East (N. Virginia), first tier,
//! arm64 (what `cargo xtask deploy` builds for): unchanged since arm64 came to Lambda in
//! September 2021, and the page's figures as quoted in May 2026. Update `PRICES_AS_OF` with them.

use serde_json::{json, Value};

pub const PRICES_AS_OF: &str = "aws.amazon.com/lambda/pricing, us-east-1, first tier, arm64 (unchanged since 2021-09; as quoted 2026-05)";
/// Dollars per request ($0.20 per million).
const PER_REQUEST_USD: f64 = 0.20 / 1_000_000.0;
/// Dollars per GB-second of duration on arm64.
const PER_GB_SECOND_USD: f64 = 0.000_013_333_4;
/// Lambda's smallest memory setting; above it, any whole number of MB.
const MIN_MEMORY_MB: u64 = 128;
/// Room left over the measured peak when choosing the memory setting: a function run at its
/// peak is one large request away from running out.
const HEADROOM: f64 = 1.5;

/// The smallest memory setting that holds `peak_kb` with headroom.
pub fn memory_setting_mb(peak_kb: u64) -> u64 {
    let needed = (peak_kb as f64 * HEADROOM / 1024.0).ceil() as u64;
    needed.max(MIN_MEMORY_MB)
}

/// Lambda bills duration in whole milliseconds, rounded up.
pub fn billed_ms(duration_ms: f64) -> u64 {
    (duration_ms.ceil() as u64).max(1)
}

/// A million requests, each billed `billed_ms` at `memory_mb`: requests plus duration.
pub fn per_million_usd(billed_ms: u64, memory_mb: u64) -> f64 {
    let gb_seconds = (memory_mb as f64 / 1024.0) * (billed_ms as f64 / 1000.0);
    1_000_000.0 * (PER_REQUEST_USD + gb_seconds * PER_GB_SECOND_USD)
}

/// The cost figures of one function, for the report: a million warm requests, and a million
/// cold ones (since August 2025 Lambda bills the init phase of every function).
pub fn estimate(warm_ms: f64, cold_ms: f64, peak_kb: u64) -> Value {
    let memory_mb = memory_setting_mb(peak_kb);
    let dollars = |ms: f64| (per_million_usd(billed_ms(ms), memory_mb) * 1000.0).round() / 1000.0;
    json!({
        "memory_setting_mb": memory_mb,
        "billed_ms_per_request": billed_ms(warm_ms),
        "usd_per_million_requests": dollars(warm_ms),
        "billed_ms_per_cold_request": billed_ms(cold_ms),
        "usd_per_million_cold_requests": dollars(cold_ms),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_is_at_least_lambdas_smallest_setting() {
        assert_eq!(memory_setting_mb(20 * 1024), 128);
        // 100 MB measured: 150 MB with headroom.
        assert_eq!(memory_setting_mb(100 * 1024), 150);
    }

    #[test]
    fn duration_is_billed_in_whole_milliseconds_rounded_up() {
        assert_eq!(billed_ms(0.3), 1);
        assert_eq!(billed_ms(2.0), 2);
        assert_eq!(billed_ms(2.01), 3);
    }

    #[test]
    fn a_million_requests_cost_the_request_price_plus_gb_seconds() {
        // 1 GB for 1 s a million times: $0.20 + 1,000,000 GB-s.
        let cost = per_million_usd(1000, 1024);
        assert!((cost - (0.20 + 13.3334)).abs() < 1e-9, "{cost}");
        // The smallest function: 128 MB for 1 ms.
        let cost = per_million_usd(1, 128);
        assert!(
            (cost - (0.20 + 0.125 * 0.001 * 13.3334)).abs() < 1e-9,
            "{cost}"
        );
    }
}
