//! `cargo xtask import-amplify PATH`: points Stratus at an Amplify Gen 1 app's data and users.
//! From the project at PATH it reads the GraphQL schema (`amplify/backend/api/<name>/schema.graphql`
//! or its `schema/` folder), `amplify/backend/amplify-meta.json` (the API id, user pool, app
//! client and identity pool), the environment's name (`amplify/.config/local-env-info.json`) and
//! whether conflict detection was on (`cli-inputs.json`, or the older `transform.conf.json`).
//! It writes the schema to `app/schema.graphql` and the settings to `amplify-import.toml`, and
//! says what does not carry over.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;

use crate::workspace::Workspace;

/// What an Amplify Gen 1 project says about its API.
#[derive(Debug, PartialEq, Eq)]
pub struct AmplifyProject {
    pub api_name: String,
    pub api_id: String,
    pub env: String,
    pub region: String,
    pub conflict_detection: bool,
    pub user_pool_id: Option<String>,
    pub user_pool_client_id: Option<String>,
    pub identity_pool_id: Option<String>,
    pub schema: String,
    /// Files and folders of the project that hold what Stratus does not carry over.
    pub left_behind: Vec<String>,
}

pub fn run(ws: &Workspace, path: Option<&str>) -> Result<()> {
    let path = path.ok_or_else(|| anyhow!("usage: cargo xtask import-amplify PATH (an Amplify Gen 1 project: the folder holding `amplify/`)"))?;
    let project = read(Path::new(path))?;
    tracing::info!(
        "Amplify API {} ({}), environment {}, region {}",
        project.api_name,
        project.api_id,
        project.env,
        project.region
    );

    let schema_path = ws.root.join("app/schema.graphql");
    std::fs::write(&schema_path, &project.schema)
        .with_context(|| format!("cannot write {}", schema_path.display()))?;
    let settings_path = ws.root.join("amplify-import.toml");
    std::fs::write(&settings_path, settings(&project))
        .with_context(|| format!("cannot write {}", settings_path.display()))?;
    tracing::info!(
        "wrote app/schema.graphql and amplify-import.toml: tables {}, deletes {}",
        format_args!("<Model>-{}-{}", project.api_id, project.env),
        if project.conflict_detection {
            "soft (conflict detection was on)"
        } else {
            "removing the item"
        }
    );

    let mut not_carried = project.left_behind.clone();
    match stratus_codegen::compile("app/schema.graphql", &project.schema) {
        Ok(schema) => tracing::info!(
            "the schema compiles: {} models",
            schema.models.iter().filter(|m| !m.is_join_table).count()
        ),
        Err(errors) => not_carried.extend(errors.0.iter().map(ToString::to_string)),
    }
    if not_carried.is_empty() {
        tracing::info!("everything carries over; `cargo xtask dev` runs the app");
    } else {
        tracing::warn!(
            "not carried over ({}); the schema lines need an edit before the app builds:",
            not_carried.len()
        );
        for item in &not_carried {
            tracing::warn!("  {item}");
        }
    }
    Ok(())
}

/// Reads what the import needs from the project at `root`.
pub fn read(root: &Path) -> Result<AmplifyProject> {
    let amplify = root.join("amplify");
    if !amplify.is_dir() {
        bail!(
            "{} has no amplify/ folder: give the Amplify Gen 1 project's root",
            root.display()
        );
    }
    let backend = amplify.join("backend");
    let meta: Value = read_json(&backend.join("amplify-meta.json"))?;

    let apis: Vec<(&String, &Value)> = meta["api"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, api)| api["service"] == "AppSync")
        .collect();
    let [(api_name, api)] = apis.as_slice() else {
        bail!(
            "amplify-meta.json has {} AppSync APIs; Stratus imports one",
            apis.len()
        );
    };
    let api_id = string(&api["output"]["GraphQLAPIIdOutput"]).ok_or_else(|| {
        anyhow!("amplify-meta.json has no GraphQLAPIIdOutput for {api_name}: push the API once (`amplify push`) so that it exists")
    })?;
    let api_dir = backend.join("api").join(api_name);
    let env = read_json(&amplify.join(".config/local-env-info.json"))
        .ok()
        .and_then(|info| string(&info["envName"]))
        .ok_or_else(|| {
            anyhow!("amplify/.config/local-env-info.json names no envName: run `amplify env checkout <env>` first")
        })?;
    let region = string(&meta["providers"]["awscloudformation"]["Region"])
        .ok_or_else(|| anyhow!("amplify-meta.json names no Region"))?;

    let cognito = meta["auth"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, auth)| auth)
        .find(|auth| auth["service"] == "Cognito");
    let output = |name: &str| cognito.and_then(|auth| string(&auth["output"][name]));

    Ok(AmplifyProject {
        api_name: api_name.to_string(),
        api_id,
        env,
        region,
        conflict_detection: conflict_detection(&api_dir),
        user_pool_id: output("UserPoolId"),
        user_pool_client_id: output("AppClientIDWeb"),
        identity_pool_id: output("IdentityPoolId"),
        schema: schema(&api_dir)?,
        left_behind: left_behind(&backend, &api_dir),
    })
}

/// `schema.graphql`, or the files of `schema/` in name order.
fn schema(api_dir: &Path) -> Result<String> {
    let single = api_dir.join("schema.graphql");
    if single.is_file() {
        return std::fs::read_to_string(&single)
            .with_context(|| format!("cannot read {}", single.display()));
    }
    let folder = api_dir.join("schema");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .with_context(|| {
            format!(
                "{} has neither schema.graphql nor schema/",
                api_dir.display()
            )
        })?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "graphql"))
        .collect();
    files.sort();
    let mut joined = String::new();
    for file in files {
        joined.push_str(&std::fs::read_to_string(&file)?);
        joined.push('\n');
    }
    Ok(joined)
}

/// Conflict detection in `cli-inputs.json` (CLI 7 and later) or `transform.conf.json` (before).
fn conflict_detection(api_dir: &Path) -> bool {
    let inputs = read_json(&api_dir.join("cli-inputs.json")).ok();
    let from_inputs = inputs.as_ref().is_some_and(|i| {
        i["serviceConfiguration"]["conflictResolution"]["defaultResolutionStrategy"].is_object()
    });
    let conf = read_json(&api_dir.join("transform.conf.json")).ok();
    let from_conf = conf
        .as_ref()
        .is_some_and(|c| c["ResolverConfig"]["project"]["ConflictDetection"] == "VERSION");
    from_inputs || from_conf
}

/// What the project holds that Stratus does not run: custom resolvers and stacks, functions.
fn left_behind(backend: &Path, api_dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let non_empty = |dir: &Path| {
        std::fs::read_dir(dir).is_ok_and(|mut entries| {
            entries.any(|e| {
                e.is_ok_and(|e| e.file_name() != ".gitkeep" && e.file_name() != "README.md")
            })
        })
    };
    for (folder, what) in [
        (
            api_dir.join("resolvers"),
            "custom VTL resolvers (rewrite them as #[stratus::server] functions)",
        ),
        (
            api_dir.join("stacks"),
            "custom CloudFormation stacks of the API",
        ),
        (
            backend.join("function"),
            "Lambda functions (@function resolvers and triggers)",
        ),
    ] {
        if non_empty(&folder) {
            found.push(format!("{}: {what}", folder.display()));
        }
    }
    found
}

/// The settings file: Amplify's tables, user pool and identity pool.
pub fn settings(project: &AmplifyProject) -> String {
    let mut text = format!(
        "# Written by `cargo xtask import-amplify` from the Amplify API {} (environment {}).\n\
         # Stratus reads and writes this app's tables as Amplify's resolvers did.\n\n\
         [aws]\nregion = {:?}\n\n\
         [data.amplify]\napi_id = {:?}\nenv = {:?}\nconflict_detection = {}\n",
        project.api_name,
        project.env,
        project.region,
        project.api_id,
        project.env,
        project.conflict_detection
    );
    let auth: Vec<String> = [
        ("user_pool_id", &project.user_pool_id),
        ("user_pool_client_id", &project.user_pool_client_id),
        ("identity_pool_id", &project.identity_pool_id),
    ]
    .into_iter()
    .filter_map(|(key, value)| value.as_ref().map(|v| format!("{key} = {v:?}")))
    .collect();
    if !auth.is_empty() {
        text.push_str(&format!("\n[auth]\n{}\n", auth.join("\n")));
    }
    text
}

fn read_json(path: &Path) -> Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}

fn string(value: &Value) -> Option<String> {
    value.as_str().filter(|s| !s.is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/amplify-gen1")
    }

    #[test]
    fn reads_an_amplify_gen1_project() {
        let project = read(&fixture()).expect("the fixture reads");
        assert_eq!(project.api_name, "fieldnotes");
        assert_eq!(project.api_id, "x7kqf3m2vbdxtb5wqzl4hk3q2e");
        assert_eq!(project.env, "dev");
        assert_eq!(project.region, "eu-west-1");
        assert!(project.conflict_detection);
        assert_eq!(project.user_pool_id.as_deref(), Some("eu-west-1_Qw3rTy7Ui"));
        assert_eq!(
            project.user_pool_client_id.as_deref(),
            Some("5n1fqv0p3cs8m1k2j4h6g8d0ab")
        );
        assert!(project.schema.contains("type Notebook @model"));
        assert!(
            project
                .left_behind
                .iter()
                .any(|l| l.contains("custom VTL resolvers")),
            "{:?}",
            project.left_behind
        );
    }

    #[test]
    fn the_settings_point_at_amplifys_tables_and_pools() {
        let project = read(&fixture()).unwrap();
        let settings: toml::Table = toml::from_str(&settings(&project)).expect("valid TOML");
        assert_eq!(
            settings["data"]["amplify"]["api_id"].as_str(),
            Some("x7kqf3m2vbdxtb5wqzl4hk3q2e")
        );
        assert_eq!(settings["data"]["amplify"]["env"].as_str(), Some("dev"));
        assert_eq!(
            settings["data"]["amplify"]["conflict_detection"].as_bool(),
            Some(true)
        );
        assert_eq!(
            settings["auth"]["identity_pool_id"].as_str(),
            Some("eu-west-1:0b6c1a55-3f1e-4f55-9d43-2f2f1a1b9c77")
        );
        assert_eq!(settings["aws"]["region"].as_str(), Some("eu-west-1"));
    }

    #[test]
    fn the_schema_compiles_except_what_stratus_does_not_run() {
        let project = read(&fixture()).unwrap();
        let errors = stratus_codegen::compile("schema.graphql", &project.schema)
            .expect_err("@searchable does not carry over");
        let errors: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("@searchable"), "{errors:?}");
    }

    #[test]
    fn a_folder_without_amplify_is_refused_in_words() {
        let error = read(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap_err();
        assert!(
            error.to_string().contains("has no amplify/ folder"),
            "{error}"
        );
    }
}
