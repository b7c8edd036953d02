//! `bench.svg`: the side-by-side figures of a `cargo xtask bench` run as horizontal bar charts,
//! one panel per question (what a first visit downloads, how soon the feed shows on each
//! network, how fast the server answers as callers grow).

use std::fmt::Write;

use serde_json::Value;

use crate::bench_client::{CLIENTS, NETWORKS};

const WIDTH: f64 = 760.0;
const LABEL_WIDTH: f64 = 210.0;
const BAR_HEIGHT: f64 = 16.0;
const BAR_GAP: f64 = 4.0;
const GROUP_GAP: f64 = 12.0;
const PANEL_GAP: f64 = 34.0;
/// Above the first panel's title.
const TOP: f64 = 20.0;
/// One colour per series, in order; a series keeps its colour across panels.
const COLOURS: [&str; 3] = ["#2f6fdf", "#e0822a", "#6b8e23"];

/// One bar chart: groups of bars, one bar per series in each group.
struct Panel {
    title: String,
    unit: &'static str,
    series: Vec<String>,
    /// (group label, one value per series; `None` where a figure is missing).
    groups: Vec<(String, Vec<Option<f64>>)>,
}

/// The SVG for a bench report (`bench.rs` writes it as `bench.svg`).
pub fn render(report: &Value) -> String {
    let panels = [
        first_visit_bytes(report),
        feed_rendered(report),
        server_latency(report),
    ];
    let height =
        TOP + panels.iter().map(panel_height).sum::<f64>() + PANEL_GAP * (panels.len() - 1) as f64;
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="system-ui, sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#ffffff"/>
"##
    );
    let mut top = TOP;
    for panel in &panels {
        draw(&mut svg, panel, top);
        top += panel_height(panel) + PANEL_GAP;
    }
    svg.push_str("</svg>\n");
    svg
}

fn first_visit_bytes(report: &Value) -> Panel {
    let code = |client: &str, key: &str| {
        report["client_comparison"][client]["loopback"]["first_visit"]["code"][key]
            .as_f64()
            .map(|bytes| bytes / 1024.0)
    };
    Panel {
        title: "First visit to the home page: code downloaded (HTML, JS, wasm, CSS)".into(),
        unit: "KB",
        series: client_names(),
        groups: [("gzip -9", "gzip_bytes"), ("brotli 11", "brotli_bytes")]
            .into_iter()
            .map(|(label, key)| (label.into(), CLIENTS.iter().map(|c| code(c, key)).collect()))
            .collect(),
    }
}

fn feed_rendered(report: &Value) -> Panel {
    Panel {
        title: "First visit: the feed's first post on screen (Chromium, empty cache, p50 of 10)"
            .into(),
        unit: "ms",
        series: client_names(),
        groups: NETWORKS
            .iter()
            .map(|network| {
                let label = match *network {
                    "slow-mobile" => "slow mobile (1.6 Mbps, 150 ms)".to_owned(),
                    other => other.to_owned(),
                };
                let values = CLIENTS
                    .iter()
                    .map(|c| {
                        report["client_comparison"][c][network]["feed_rendered_p50_ms"].as_f64()
                    })
                    .collect();
                (label, values)
            })
            .collect(),
    }
}

fn server_latency(report: &Value) -> Panel {
    let servers = ["stratus", "axum", "node"];
    let over_http = &report["data_layer"]["over_http"];
    let callers: Vec<u64> = over_http["stratus"]["get"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|level| level["callers"].as_u64())
        .collect();
    Panel {
        title: "Server: a signed get over HTTP, p50 by concurrent callers".into(),
        unit: "ms",
        series: vec![
            "Stratus".into(),
            "bare axum".into(),
            "Node.js (AWS SDK v3)".into(),
        ],
        groups: callers
            .iter()
            .map(|n| {
                let values = servers
                    .iter()
                    .map(|server| {
                        over_http[server]["get"]
                            .as_array()?
                            .iter()
                            .find(|level| level["callers"].as_u64() == Some(*n))?["p50_ms"]
                            .as_f64()
                    })
                    .collect();
                (
                    format!("{n} caller{}", if *n == 1 { "" } else { "s" }),
                    values,
                )
            })
            .collect(),
    }
}

fn client_names() -> Vec<String> {
    vec![
        "Stratus (Leptos, wasm)".into(),
        "React + aws-amplify (Vite)".into(),
    ]
}

/// From the title's baseline to below the last bar, as `draw` lays the panel out.
fn panel_height(panel: &Panel) -> f64 {
    let bars = panel.series.len() as f64;
    let group = bars * BAR_HEIGHT + (bars - 1.0) * BAR_GAP;
    // Title and legend lines, then the groups.
    32.0 + panel.groups.len() as f64 * (group + GROUP_GAP)
}

fn draw(svg: &mut String, panel: &Panel, top: f64) {
    let max = panel
        .groups
        .iter()
        .flat_map(|(_, values)| values.iter().flatten())
        .fold(0.0_f64, |max, v| max.max(*v));
    let scale = if max > 0.0 {
        (WIDTH - LABEL_WIDTH - 90.0) / max
    } else {
        0.0
    };
    let _ = writeln!(
        svg,
        r#"<text x="10" y="{top}" font-size="14" font-weight="bold">{}</text>"#,
        escape(&panel.title)
    );
    let mut x = 10.0;
    for (series, colour) in panel.series.iter().zip(COLOURS) {
        let _ = writeln!(
            svg,
            r#"<rect x="{x}" y="{}" width="10" height="10" fill="{colour}"/><text x="{}" y="{}">{}</text>"#,
            top + 10.0,
            x + 14.0,
            top + 19.0,
            escape(series)
        );
        x += 24.0 + 7.0 * series.len() as f64;
    }
    let mut y = top + 32.0;
    for (label, values) in &panel.groups {
        let group_height = values.len() as f64 * BAR_HEIGHT + (values.len() as f64 - 1.0) * BAR_GAP;
        let _ = writeln!(
            svg,
            r#"<text x="10" y="{}">{}</text>"#,
            y + group_height / 2.0 + 4.0,
            escape(label)
        );
        for (value, colour) in values.iter().zip(COLOURS) {
            let text = match value {
                Some(v) => format!("{} {}", figure(*v), panel.unit),
                None => "not measured".to_owned(),
            };
            let width = value.map_or(0.0, |v| v * scale);
            let _ = writeln!(
                svg,
                r#"<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1}" height="{BAR_HEIGHT}" fill="{colour}"/><text x="{:.1}" y="{}">{text}</text>"#,
                LABEL_WIDTH + width + 6.0,
                y + BAR_HEIGHT - 4.0
            );
            y += BAR_HEIGHT + BAR_GAP;
        }
        y += GROUP_GAP - BAR_GAP;
    }
}

/// Three significant figures, as the README writes them.
fn figure(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_figure_of_the_report_becomes_a_bar_and_missing_ones_say_so() {
        let visit = |gzip: u64, loopback: f64, slow: f64| {
            json!({
                "loopback": { "feed_rendered_p50_ms": loopback, "first_visit": { "code": { "gzip_bytes": gzip, "brotli_bytes": gzip / 2 } } },
                "slow-mobile": { "feed_rendered_p50_ms": slow },
            })
        };
        let level = |callers: u64, p50: f64| json!({ "callers": callers, "p50_ms": p50 });
        let report = json!({
            "client_comparison": { "stratus": visit(204_800, 250.0, 2100.0), "react_amplify": visit(158_720, 300.0, 2600.0) },
            "data_layer": { "over_http": {
                "stratus": { "get": [level(1, 1.49), level(8, 5.28)] },
                "axum": { "get": [level(1, 1.41), level(8, 3.22)] },
                "node": { "get": [level(1, 2.83)] },
            } },
        });

        let svg = render(&report);

        assert!(svg.starts_with("<svg"), "{svg}");
        for text in [
            "200 KB",
            "155 KB",
            "100 KB",
            "250 ms",
            "2100 ms",
            "2600 ms",
            "1.49 ms",
            "3.22 ms",
            "8 callers",
        ] {
            assert!(svg.contains(text), "{text} missing from {svg}");
        }
        // Node's figure at 8 callers is missing from the report: said, not drawn as zero.
        assert_eq!(svg.matches("not measured").count(), 1);
        // Every bar is inside the picture.
        let height: f64 = svg
            .split("height=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let lowest = svg
            .split("<rect x=\"210\" y=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap().parse::<f64>().unwrap() + BAR_HEIGHT)
            .fold(0.0, f64::max);
        assert!(
            lowest <= height,
            "a bar ends at {lowest}, below the picture's {height}"
        );
    }
}
