//! Logging, to stderr (stdout is a command's output: the benchmark's JSON). Lambda gets JSON
//! lines (CloudWatch indexes them); a terminal gets readable ones.

use tracing_subscriber::{fmt, EnvFilter};

pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,aws_config=warn,aws_smithy_runtime=warn"));
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // A second init (tests) is harmless: the first subscriber stays.
    let _ = if json {
        // The current span's fields (the request id, see startup::request_span) on every line;
        // Lambda stamps the time itself.
        builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .without_time()
            .try_init()
    } else {
        builder.compact().try_init()
    };
}
