//! The dry-run plan: a schema change shows up as the change it is, and index changes are split
//! into updates CloudFormation accepts (one index per table per update). No AWS needed.

use serde_json::Value;
use stratus_codegen::cloudformation::{template, Architecture, PasswordRules, StackOptions};
use stratus_codegen::federation::Federation;
use stratus_ops::deploy::plan::{plan, stages, Change};

const OPTIONS: StackOptions = StackOptions {
    architecture: Architecture::Arm64,
    password_rules: PasswordRules {
        min_length: 8,
        require_lowercase: true,
        require_uppercase: true,
        require_numbers: true,
        require_symbols: false,
    },
    password_sign_in: false,
    federation: Federation {
        domain_prefix: None,
        providers: Vec::new(),
    },
};

const BLOG: &str = "
type Blog @model { id: ID! name: String! posts: [Post] @hasMany }
type Post @model { id: ID! title: String! status: String! blog: Blog @belongsTo }
";

fn template_of(source: &str) -> Value {
    template(
        &stratus_codegen::compile("schema.graphql", source).expect("the schema compiles"),
        &OPTIONS,
    )
}

fn changed(changes: &[Change], wanted: &str) -> Option<Vec<String>> {
    changes.iter().find_map(|change| match change {
        Change::Modify { id, details, .. } if id == wanted => Some(details.clone()),
        _ => None,
    })
}

#[test]
fn nothing_deployed_means_everything_is_created() {
    let desired = template_of(BLOG);
    let plan = plan(None, &desired);
    assert!(plan.first_deploy);
    assert_eq!(
        plan.changes.len(),
        desired["Resources"].as_object().unwrap().len()
    );
    assert!(plan
        .changes
        .iter()
        .all(|c| matches!(c, Change::Create { .. })));
    assert!(
        plan.to_string()
            .contains("+ PostTable: DynamoDB table <stack>-Post (key id, indexes gsi-Blog.posts)"),
        "{plan}"
    );
}

#[test]
fn the_same_schema_plans_no_change() {
    let plan = plan(Some(&template_of(BLOG)), &template_of(BLOG));
    assert!(plan.is_empty());
    assert_eq!(plan.updates, 1);
    assert!(plan.to_string().starts_with("No changes"), "{plan}");
}

#[test]
fn a_new_model_is_a_new_table_the_function_may_use() {
    let before = template_of(BLOG);
    let after = template_of(&format!(
        "{BLOG} type Tag @model {{ id: ID! label: String! }}"
    ));
    let plan = plan(Some(&before), &after);
    assert!(
        plan.changes.contains(&Change::Create {
            id: "TagTable".into(),
            what: "DynamoDB table <stack>-Tag (key id)".into()
        }),
        "{plan}"
    );
    // Its stream feeds the function's live updates (the model has subscriptions).
    assert!(
        plan.changes.iter().any(|change| matches!(
            change,
            Change::Create { id, .. } if id == "TagTableChanges"
        )),
        "{plan}"
    );
    // The function's role now names the new table and its stream too; nothing else changes.
    assert_eq!(
        changed(&plan.changes, "ApiRole"),
        Some(vec!["change Policies".to_owned()])
    );
    assert_eq!(plan.changes.len(), 3, "{plan}");
    assert!(
        plan.to_string()
            .contains("2 to create, 1 to change, 0 to delete"),
        "{plan}"
    );
}

#[test]
fn a_new_index_changes_its_table_in_one_update() {
    let before = template_of(BLOG);
    let after = template_of(&BLOG.replace(
        "status: String!",
        "status: String! @index(name: \"byStatus\", queryField: \"postsByStatus\")",
    ));
    let plan = plan(Some(&before), &after);
    assert_eq!(
        changed(&plan.changes, "PostTable"),
        Some(vec!["add index byStatus".to_owned()]),
        "{plan}"
    );
    assert_eq!(plan.changes.len(), 1, "{plan}");
    assert_eq!(plan.updates, 1);
    assert_eq!(stages(&before, &after), vec![after]);
}

#[test]
fn a_removed_model_is_a_deleted_table() {
    let before = template_of(&format!("{BLOG} type Tag @model {{ id: ID! }}"));
    let plan = plan(Some(&before), &template_of(BLOG));
    assert!(
        plan.changes
            .iter()
            .any(|c| matches!(c, Change::Delete { id, .. } if id == "TagTable")),
        "{plan}"
    );
}

#[test]
fn two_new_indexes_on_one_table_deploy_as_two_updates() {
    let before = template_of(BLOG);
    let after = template_of(&BLOG.replace(
        "title: String! status: String!",
        "title: String! @index(name: \"byTitle\") status: String! @index(name: \"byStatus\")",
    ));
    let plan = plan(Some(&before), &after);
    assert_eq!(
        changed(&plan.changes, "PostTable"),
        Some(vec![
            "add index byStatus".to_owned(),
            "add index byTitle".to_owned()
        ])
    );
    assert_eq!(plan.updates, 2);
    assert!(
        plan.to_string().contains("this deploys as 2 stack updates"),
        "{plan}"
    );

    let stages = stages(&before, &after);
    assert_eq!(stages.len(), 2);
    assert_eq!(stages[1], after);
    let first = &stages[0]["Resources"]["PostTable"]["Properties"];
    let index_names: Vec<&str> = first["GlobalSecondaryIndexes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["IndexName"].as_str().unwrap())
        .collect();
    assert_eq!(index_names, ["byStatus", "gsi-Blog.posts"]);
    // Exactly the attributes the keys use: DynamoDB refuses a definition no key uses.
    let defined: Vec<&str> = first["AttributeDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["AttributeName"].as_str().unwrap())
        .collect();
    assert_eq!(defined, ["blogPostsId", "id", "status"]);
    // Each stage is one index away from the one before.
    for (earlier, later) in [(&before, &stages[0]), (&stages[0], &stages[1])] {
        let step = stratus_ops::deploy::plan::plan(Some(earlier), later);
        assert_eq!(
            changed(&step.changes, "PostTable").map(|d| d.len()),
            Some(1),
            "{step}"
        );
    }
}

#[test]
fn a_changed_key_is_explained_not_attempted_silently() {
    let before = template_of("type Tag @model { id: ID! label: String! }");
    let after = template_of("type Tag @model { label: String! @primaryKey }");
    let details =
        changed(&plan(Some(&before), &after).changes, "TagTable").expect("the table changes");
    assert!(
        details
            .iter()
            .any(|d| d.contains("the key changes from id to label")
                && d.contains("move the data to a new model")),
        "{details:?}"
    );
}
