//! Amplify compatibility: cases taken from the tests of Amplify's own transformers
//! (aws-amplify/amplify-category-api), each a schema and what Amplify makes of it, kept as data in
//! `tests/amplify/*.toml`. Every case is compiled as `cargo xtask schema` compiles it and checked
//! against the JSON that command prints.
//!
//! A case is one of:
//! - `expect` (paths into the printed model, and their values) and `absent` (paths that must not
//!   exist): what Amplify produces for a schema it accepts;
//! - `refused`: Amplify refuses the schema (its message kept for the reader); Stratus must too;
//! - `difference`: Stratus deliberately answers otherwise, for the reason given (the README lists
//!   each one). `stratus` then holds what Stratus does instead, or `stratus_refuses` the words of
//!   its refusal, and that is checked;
//! - `gap`: Amplify accepts it and Stratus does not support it yet; Stratus must refuse it in
//!   words (`stratus_refuses`) rather than misread it. Gaps are counted apart and are not passes.
//!
//! A path is `Model/key/key...`; in a list, a key picks the element whose `name` (or `field`)
//! it is: `Comment/indexes/gsi-Post.comments/partition`.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    /// The Amplify test file the cases come from (in aws-amplify/amplify-category-api).
    source: String,
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// The test in `source` (its name) that states the fact.
    test: String,
    schema: String,
    #[serde(default)]
    expect: toml::Table,
    #[serde(default)]
    absent: Vec<String>,
    refused: Option<String>,
    difference: Option<String>,
    gap: Option<String>,
    #[serde(default)]
    stratus: toml::Table,
    stratus_refuses: Option<String>,
}

enum Outcome {
    Pass,
    StatedDifference,
    Gap,
    Fail(Vec<String>),
}

#[test]
fn amplify_transformer_cases() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/amplify");
    let mut files: Vec<_> = std::fs::read_dir(&directory)
        .expect("tests/amplify exists")
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();

    let (mut passed, mut differences, mut gaps, mut failures) = (0, 0, 0, Vec::new());
    for path in &files {
        let text = std::fs::read_to_string(path).expect("a readable case file");
        let file: CaseFile =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let shown = path.file_name().unwrap().to_string_lossy();
        for case in &file.case {
            match run(case) {
                Outcome::Pass => passed += 1,
                Outcome::StatedDifference => differences += 1,
                Outcome::Gap => gaps += 1,
                Outcome::Fail(problems) => failures.push(format!(
                    "{shown}: {} ({} / {})\n    {}",
                    case.name,
                    file.source,
                    case.test,
                    problems.join("\n    ")
                )),
            }
        }
    }
    let total = passed + differences + gaps + failures.len();
    println!(
        "Amplify compatibility: {total} cases, {passed} pass, {differences} stated differences, \
         {gaps} not supported yet, {} fail",
        failures.len()
    );
    assert!(total > 0, "no cases found in {}", directory.display());
    assert!(
        failures.is_empty(),
        "{} of {total} cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn run(case: &Case) -> Outcome {
    let compiled = stratus_codegen::compile("case.graphql", &case.schema)
        .map(|schema| serde_json::to_value(&schema).expect("the model prints as JSON"))
        .map_err(|errors| errors.0.iter().map(ToString::to_string).collect::<Vec<_>>());

    if case.difference.is_some() || case.gap.is_some() {
        let problems = match (&case.stratus_refuses, &compiled) {
            (Some(words), Err(errors)) if errors.iter().any(|e| e.contains(words.as_str())) => {
                Vec::new()
            }
            (Some(words), Err(errors)) => vec![format!(
                "Stratus refuses, but not with {words:?}: {errors:?}"
            )],
            (Some(_), Ok(_)) => vec!["Stratus accepts the schema it says it refuses".into()],
            (None, Ok(model)) => check(model, &case.stratus, &[]),
            (None, Err(errors)) => vec![format!("Stratus refuses the schema: {errors:?}")],
        };
        return if !problems.is_empty() {
            Outcome::Fail(problems)
        } else if case.gap.is_some() {
            Outcome::Gap
        } else {
            Outcome::StatedDifference
        };
    }
    let problems = match (&case.refused, compiled) {
        (Some(_), Err(_)) => Vec::new(),
        (Some(amplify), Ok(_)) => vec![format!(
            "Amplify refuses this schema ({amplify:?}); Stratus accepts it"
        )],
        (None, Ok(model)) => check(&model, &case.expect, &case.absent),
        (None, Err(errors)) => vec![format!("Amplify accepts this schema; Stratus: {errors:?}")],
    };
    if problems.is_empty() {
        Outcome::Pass
    } else {
        Outcome::Fail(problems)
    }
}

fn check(model: &Value, expect: &toml::Table, absent: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, expected) in expect {
        let expected = serde_json::to_value(expected).expect("TOML values are JSON values");
        match lookup(model, path) {
            Some(found) if *found == expected => {}
            Some(found) => problems.push(format!("{path}: expected {expected}, found {found}")),
            None => problems.push(format!("{path}: expected {expected}, found nothing")),
        }
    }
    for path in absent {
        if let Some(found) = lookup(model, path) {
            problems.push(format!("{path}: expected nothing, found {found}"));
        }
    }
    problems
}

fn lookup<'v>(model: &'v Value, path: &str) -> Option<&'v Value> {
    let mut segments = path.split('/');
    let model_name = segments.next()?;
    let mut at = model["models"]
        .as_array()?
        .iter()
        .find(|m| m["name"] == model_name)?;
    for segment in segments {
        at = match at {
            Value::Object(map) => map.get(segment)?,
            Value::Array(items) => match segment.parse::<usize>() {
                Ok(position) => items.get(position)?,
                Err(_) => items.iter().find(|item| {
                    item.get("name").or_else(|| item.get("field")) == Some(&Value::from(segment))
                })?,
            },
            _ => return None,
        };
    }
    Some(at)
}
