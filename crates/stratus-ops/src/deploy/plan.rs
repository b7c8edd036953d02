//! What a deploy would change: the new template against the one deployed (or none), resource by
//! resource, in words; and the order of updates DynamoDB needs when indexes change.
//!
//! CloudFormation, like DynamoDB, creates or deletes at most one global secondary index per table
//! per update; a schema that gains two indexes on one table fails as one stack update (one of the
//! "painful index changes" of Amplify). [`stages`] splits such a change into updates that each
//! touch one index per table, and the plan says so.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{json, Map, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Create {
        id: String,
        what: String,
    },
    Delete {
        id: String,
        what: String,
    },
    Modify {
        id: String,
        what: String,
        details: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub changes: Vec<Change>,
    pub unchanged: usize,
    /// Stack updates needed (more than one when a table gains or loses several indexes).
    pub updates: usize,
    /// Whether there was a deployed template to compare with.
    pub first_deploy: bool,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Compares the desired template with the deployed one (`None`: nothing deployed yet).
pub fn plan(deployed: Option<&Value>, desired: &Value) -> Plan {
    let empty = Map::new();
    let before = deployed
        .and_then(|t| t["Resources"].as_object())
        .unwrap_or(&empty);
    let after = desired["Resources"].as_object().unwrap_or(&empty);
    let mut changes = Vec::new();
    let mut unchanged = 0;
    for (id, resource) in after {
        match before.get(id) {
            None => changes.push(Change::Create {
                id: id.clone(),
                what: describe(resource),
            }),
            Some(old) if old == resource => unchanged += 1,
            Some(old) => changes.push(Change::Modify {
                id: id.clone(),
                what: describe(resource),
                details: differences(old, resource),
            }),
        }
    }
    for (id, resource) in before {
        if !after.contains_key(id) {
            changes.push(Change::Delete {
                id: id.clone(),
                what: describe(resource),
            });
        }
    }
    Plan {
        changes,
        unchanged,
        updates: deployed.map_or(1, |d| stages(d, desired).len()),
        first_deploy: deployed.is_none(),
    }
}

/// A resource in a few words: its type, and for a table its name, key and indexes.
fn describe(resource: &Value) -> String {
    let kind = resource["Type"]
        .as_str()
        .unwrap_or("?")
        .trim_start_matches("AWS::");
    if resource["Type"] != "AWS::DynamoDB::Table" {
        return kind.to_owned();
    }
    let properties = &resource["Properties"];
    let name = properties["TableName"]["Fn::Sub"]
        .as_str()
        .unwrap_or("?")
        .replace("${AWS::StackName}", "<stack>");
    let indexes = index_names(resource);
    let indexes = if indexes.is_empty() {
        String::new()
    } else {
        format!(
            ", indexes {}",
            indexes.into_iter().collect::<Vec<_>>().join(", ")
        )
    };
    format!(
        "DynamoDB table {name} (key {}{indexes})",
        key_text(&properties["KeySchema"])
    )
}

fn key_text(key_schema: &Value) -> String {
    key_schema
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|k| k["AttributeName"].as_str())
        .collect::<Vec<_>>()
        .join(" + ")
}

fn index_names(table: &Value) -> BTreeSet<String> {
    indexes(table).into_keys().collect()
}

fn indexes(table: &Value) -> BTreeMap<String, Value> {
    table["Properties"]["GlobalSecondaryIndexes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|index| Some((index["IndexName"].as_str()?.to_owned(), index.clone())))
        .collect()
}

/// What changed in a resource, in words: indexes by name for tables, otherwise the properties.
fn differences(old: &Value, new: &Value) -> Vec<String> {
    let mut details = Vec::new();
    if new["Type"] == "AWS::DynamoDB::Table" {
        let (before, after) = (indexes(old), indexes(new));
        for name in after.keys().filter(|n| !before.contains_key(*n)) {
            details.push(format!("add index {name}"));
        }
        for name in before.keys().filter(|n| !after.contains_key(*n)) {
            details.push(format!("remove index {name}"));
        }
        for (name, index) in after
            .iter()
            .filter(|(n, i)| before.get(*n).is_some_and(|old| old != *i))
        {
            details.push(format!(
                "redefine index {name} (key {}): removed, then added",
                key_text(&index["KeySchema"])
            ));
        }
        if old["Properties"]["KeySchema"] != new["Properties"]["KeySchema"] {
            details.push(format!(
                "the key changes from {} to {}: a table's key cannot change in place, and CloudFormation will not \
                 replace a named table; move the data to a new model instead",
                key_text(&old["Properties"]["KeySchema"]),
                key_text(&new["Properties"]["KeySchema"])
            ));
        }
    }
    let empty = Map::new();
    let (old_properties, new_properties) = (
        old["Properties"].as_object().unwrap_or(&empty),
        new["Properties"].as_object().unwrap_or(&empty),
    );
    let table_details = [
        "GlobalSecondaryIndexes",
        "AttributeDefinitions",
        "KeySchema",
    ];
    let names: BTreeSet<&String> = old_properties.keys().chain(new_properties.keys()).collect();
    for name in names {
        if old_properties.get(name) != new_properties.get(name)
            && !(new["Type"] == "AWS::DynamoDB::Table" && table_details.contains(&name.as_str()))
        {
            details.push(format!("change {name}"));
        }
    }
    for attribute in ["DeletionPolicy", "UpdateReplacePolicy"] {
        if old.get(attribute) != new.get(attribute) {
            details.push(format!("change {attribute}"));
        }
    }
    details
}

/// The templates to deploy one after the other to get from `deployed` to `desired`, so that no
/// update adds or removes more than one index of a table. The last is `desired` itself.
pub fn stages(deployed: &Value, desired: &Value) -> Vec<Value> {
    let empty = Map::new();
    let before = deployed["Resources"].as_object().unwrap_or(&empty);
    // Per table, the index operations in order: removals first (they free the name), then additions.
    let mut steps: BTreeMap<&String, Vec<IndexStep>> = BTreeMap::new();
    for (id, resource) in desired["Resources"].as_object().unwrap_or(&empty) {
        let Some(old) = before
            .get(id)
            .filter(|_| resource["Type"] == "AWS::DynamoDB::Table")
        else {
            continue;
        };
        let (old_indexes, new_indexes) = (indexes(old), indexes(resource));
        let mut table_steps = Vec::new();
        for (name, index) in &old_indexes {
            if new_indexes.get(name) != Some(index) {
                table_steps.push(IndexStep::Remove(name.clone()));
            }
        }
        for (name, index) in &new_indexes {
            if old_indexes.get(name) != Some(index) {
                table_steps.push(IndexStep::Add(index.clone()));
            }
        }
        if table_steps.len() > 1 {
            steps.insert(id, table_steps);
        }
    }
    let count = steps.values().map(Vec::len).max().unwrap_or(1);
    (1..count)
        .map(|applied| {
            let mut stage = desired.clone();
            for (id, table_steps) in &steps {
                let old = &before[id.as_str()];
                let mut current = indexes(old);
                for step in table_steps.iter().take(applied) {
                    match step {
                        IndexStep::Remove(name) => current.remove(name),
                        IndexStep::Add(index) => current.insert(
                            index["IndexName"].as_str().unwrap_or_default().to_owned(),
                            index.clone(),
                        ),
                    };
                }
                set_indexes(
                    &mut stage["Resources"][id.as_str()],
                    old,
                    current.into_values().collect(),
                );
            }
            stage
        })
        .chain(std::iter::once(desired.clone()))
        .collect()
}

enum IndexStep {
    Remove(String),
    Add(Value),
}

/// Puts `indexes` into a table, with exactly the attribute definitions its keys use (DynamoDB
/// refuses unused ones), typed as either template typed them.
fn set_indexes(table: &mut Value, old: &Value, indexes: Vec<Value>) {
    let mut types = BTreeMap::new();
    for definition in old["Properties"]["AttributeDefinitions"]
        .as_array()
        .into_iter()
        .chain(table["Properties"]["AttributeDefinitions"].as_array())
        .flatten()
    {
        if let (Some(name), Some(kind)) = (
            definition["AttributeName"].as_str(),
            definition["AttributeType"].as_str(),
        ) {
            types.insert(name.to_owned(), kind.to_owned());
        }
    }
    let properties = &mut table["Properties"];
    let used: BTreeSet<String> = properties["KeySchema"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(
            indexes
                .iter()
                .flat_map(|index| index["KeySchema"].as_array().into_iter().flatten()),
        )
        .filter_map(|key| key["AttributeName"].as_str().map(str::to_owned))
        .collect();
    properties["AttributeDefinitions"] = used
        .into_iter()
        .map(|name| {
            let kind = types.get(&name).cloned().unwrap_or_else(|| "S".into());
            json!({ "AttributeName": name, "AttributeType": kind })
        })
        .collect();
    match properties.as_object_mut() {
        Some(map) if indexes.is_empty() => {
            map.remove("GlobalSecondaryIndexes");
        }
        Some(map) => {
            map.insert("GlobalSecondaryIndexes".into(), Value::Array(indexes));
        }
        None => {}
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first_deploy {
            writeln!(f, "Nothing is deployed yet: everything will be created.")?;
        }
        if self.changes.is_empty() {
            return writeln!(
                f,
                "No changes: the {} resources are as deployed.",
                self.unchanged
            );
        }
        for change in &self.changes {
            match change {
                Change::Create { id, what } => writeln!(f, "  + {id}: {what}")?,
                Change::Delete { id, what } => writeln!(f, "  - {id}: {what}")?,
                Change::Modify { id, what, details } => {
                    writeln!(f, "  ~ {id}: {what}")?;
                    for detail in details {
                        writeln!(f, "      {detail}")?;
                    }
                }
            }
        }
        let count = |pick: fn(&Change) -> bool| self.changes.iter().filter(|c| pick(c)).count();
        write!(
            f,
            "{} to create, {} to change, {} to delete, {} unchanged",
            count(|c| matches!(c, Change::Create { .. })),
            count(|c| matches!(c, Change::Modify { .. })),
            count(|c| matches!(c, Change::Delete { .. })),
            self.unchanged
        )?;
        if self.updates > 1 {
            write!(f, "; DynamoDB changes one index per table per update, so this deploys as {} stack updates", self.updates)?;
        }
        writeln!(f)
    }
}
