//! A schema unlike the blog's, to show the compiler is general: composite keys, renamed
//! operations and timestamps, a @hasMany through a named index, a @hasOne with `fields`.

use stratus_codegen::compile;
use stratus_codegen::ir::RelationKind;

const TRACKER: &str = r#"
enum Priority { LOW MEDIUM HIGH }

type Project @model(queries: { get: "project", list: null }, timestamps: { createdAt: "openedOn", updatedAt: null }) {
  slug: String! @primaryKey
  title: String!
  tasks: [Task] @hasMany(indexName: "byProject", fields: ["slug"])
  lead: Member @hasOne(fields: ["leadEmail"])
  leadEmail: AWSEmail
}

type Task @model(mutations: null) {
  projectSlug: String! @primaryKey(sortKeyFields: ["number"]) @index(name: "byProject", sortKeyFields: ["priority", "number"], queryField: "tasksOfProject")
  number: Int!
  priority: Priority! @default(value: "MEDIUM")
  done: Boolean! @default(value: "false")
  estimate: Float
}

type Member @model {
  email: AWSEmail! @primaryKey
  name: String!
}
"#;

#[test]
fn a_tracker_schema_compiles_to_its_own_layout() {
    let schema = compile("tracker.graphql", TRACKER).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<_> = schema.models.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["Project", "Task", "Member"]);

    let project = schema.model("Project").unwrap();
    assert_eq!(project.primary_key.partition, "slug");
    assert_eq!(project.operations.get.as_deref(), Some("project"));
    assert_eq!(project.operations.list, None);
    assert_eq!(project.operations.create.as_deref(), Some("createProject"));
    let timestamps = project.timestamps.as_ref().unwrap();
    assert_eq!(timestamps.created_at.as_deref(), Some("openedOn"));
    assert!(project.field("openedOn").is_some());

    let tasks = project
        .relations
        .iter()
        .find(|r| r.field == "tasks")
        .unwrap();
    assert_eq!(
        (tasks.kind, tasks.foreign_keys.as_slice()),
        (RelationKind::HasMany, &["projectSlug".to_owned()][..])
    );
    let lead = project
        .relations
        .iter()
        .find(|r| r.field == "lead")
        .unwrap();
    assert_eq!(
        (lead.kind, lead.foreign_keys.as_slice()),
        (RelationKind::HasOne, &["leadEmail".to_owned()][..])
    );

    let task = schema.model("Task").unwrap();
    assert_eq!(task.primary_key.sort, ["number"]);
    assert_eq!(task.indexes[0].sort, ["priority", "number"]);
    assert_eq!(
        task.operations.create, None,
        "mutations: null turns every mutation off"
    );
    assert!(task.field("id").is_none());
}

#[test]
fn the_tracker_schema_generates_valid_rust_with_its_own_functions() {
    let schema = compile("tracker.graphql", TRACKER).unwrap();
    let code = stratus_codegen::generate::generate(&schema);
    let file = syn::parse_file(&code)
        .unwrap_or_else(|e| panic!("generated code does not parse: {e}\n{code}"));
    let functions: Vec<String> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        })
        .collect();
    for expected in [
        "project",
        "create_project",
        "update_project",
        "delete_project",
        "tasks_of_project",
        "project_tasks",
        "project_lead",
        "get_member",
    ] {
        assert!(
            functions.contains(&expected.to_owned()),
            "{expected} missing from {functions:?}"
        );
    }
    for absent in ["list_projects", "create_task", "update_task"] {
        assert!(
            !functions.contains(&absent.to_owned()),
            "{absent} should be turned off"
        );
    }
    assert!(code.contains("pub enum Priority"));
    assert!(code.contains("pub struct Task {"));
}

#[test]
fn a_timestamp_turned_off_is_not_kept() {
    let source = "type Entry @model(timestamps: { createdAt: \"writtenAt\", updatedAt: null }) {\n  id: ID!\n  text: String\n}\n\ntype Note @model(timestamps: { createdAt: null, updatedAt: null }) {\n  id: ID!\n}\n";
    let schema = compile("timestamps.graphql", source).unwrap_or_else(|e| panic!("{e}"));
    let entry = schema.model("Entry").unwrap();
    let timestamps = entry.timestamps.as_ref().unwrap();
    assert_eq!(
        (
            timestamps.created_at.as_deref(),
            timestamps.updated_at.as_deref()
        ),
        (Some("writtenAt"), None)
    );
    assert!(entry.field("writtenAt").is_some());
    assert!(
        entry.field("updatedAt").is_none(),
        "Amplify keeps no updatedAt"
    );
    let note = schema.model("Note").unwrap();
    assert_eq!(note.timestamps, None, "both off is no timestamps at all");
    assert!(note.field("createdAt").is_none());
}

/// As in Amplify: one subscription per mutation by default; a map names exactly the ones there
/// are (several may report one kind of change); `level: off` and `null` turn them all off.
#[test]
fn subscriptions_follow_the_model_argument() {
    let subscriptions = |arguments: &str| {
        let source = format!("type Note @model{arguments} {{\n  id: ID!\n  text: String\n}}\n");
        let schema = stratus_codegen::compile("notes.graphql", &source).expect("it compiles");
        let note = schema
            .models
            .into_iter()
            .find(|m| m.name == "Note")
            .unwrap();
        let s = note.subscriptions;
        (s.on_create, s.on_update, s.on_delete)
    };
    let none = || Vec::<String>::new();
    assert_eq!(
        subscriptions(""),
        (
            vec!["onCreateNote".to_owned()],
            vec!["onUpdateNote".to_owned()],
            vec!["onDeleteNote".to_owned()]
        )
    );
    assert_eq!(
        subscriptions("(mutations: { update: null })"),
        (
            vec!["onCreateNote".to_owned()],
            none(),
            vec!["onDeleteNote".to_owned()]
        )
    );
    assert_eq!(
        subscriptions(
            "(subscriptions: { onCreate: [\"noteAdded\", \"feedChanged\"], onDelete: null })"
        ),
        (
            vec!["noteAdded".to_owned(), "feedChanged".to_owned()],
            none(),
            none()
        )
    );
    assert_eq!(
        subscriptions("(subscriptions: { level: public })"),
        subscriptions("")
    );
    for off in ["(subscriptions: null)", "(subscriptions: { level: off })"] {
        assert_eq!(subscriptions(off), (none(), none(), none()), "{off}");
    }
}
