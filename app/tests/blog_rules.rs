//! The blog's `@auth` rules (app/schema.graphql), as the runtime's rule engine reads them:
//! who may read, write and list what, without a server.

use serde_json::{json, Map, Value};
use stratus::data::auth::{may_ever, read_scope, refusal, verdict, Caller, Scope, Verdict};
use stratus::data::spec::Operation;
use stratus::error::AppError;

use app::models::{BLOG_SPEC, COMMENT_SPEC, GUESTBOOK_ENTRY_SPEC, POST_SPEC, PROFILE_SPEC};

fn user(sub: &str, groups: &[&str]) -> Caller {
    Caller::User {
        sub: sub.into(),
        username: format!("{sub}-name"),
        groups: groups.iter().map(|g| g.to_string()).collect(),
    }
}

fn item(value: Value) -> Map<String, Value> {
    value.as_object().cloned().expect("an object")
}

#[test]
fn published_posts_are_for_everyone_and_drafts_for_their_author_and_admins() {
    let draft = item(json!({ "owner": "ada", "status": "DRAFT" }));
    let published = item(json!({ "owner": "ada", "status": "PUBLISHED" }));
    for reader in [Caller::Guest, user("bob", &[])] {
        assert_eq!(
            verdict(POST_SPEC.auth, &reader, Operation::Read, &published),
            Verdict::Allowed
        );
        assert_eq!(
            verdict(POST_SPEC.auth, &reader, Operation::Read, &draft),
            Verdict::Denied,
            "{reader:?}"
        );
    }
    assert_eq!(
        verdict(POST_SPEC.auth, &user("ada", &[]), Operation::Read, &draft),
        Verdict::Allowed
    );
    assert_eq!(
        verdict(
            POST_SPEC.auth,
            &user("root", &["admins"]),
            Operation::Read,
            &draft
        ),
        Verdict::Allowed
    );
}

#[test]
fn a_guest_lists_published_posts_and_a_writer_also_their_own() {
    assert_eq!(
        read_scope(&POST_SPEC, &Caller::Guest),
        Scope::Matching(json!({ "status": { "eq": "PUBLISHED" } }))
    );
    let ada = read_scope(&POST_SPEC, &user("ada", &[]));
    assert_eq!(
        ada,
        Scope::Matching(
            json!({ "or": [{ "owner": { "eq": "ada" } }, { "status": { "eq": "PUBLISHED" } }] })
        )
    );
    assert_eq!(
        read_scope(&POST_SPEC, &user("root", &["admins"])),
        Scope::All
    );
}

#[test]
fn only_the_owner_edits_and_admins_may_delete_anything() {
    let adas = item(json!({ "owner": "ada", "status": "PUBLISHED" }));
    assert_eq!(
        verdict(POST_SPEC.auth, &user("ada", &[]), Operation::Update, &adas),
        Verdict::Allowed
    );
    assert_eq!(
        verdict(POST_SPEC.auth, &user("bob", &[]), Operation::Update, &adas),
        Verdict::Denied
    );
    assert_eq!(
        verdict(POST_SPEC.auth, &Caller::Guest, Operation::Delete, &adas),
        Verdict::Denied
    );
    let admin = user("root", &["admins"]);
    assert_eq!(
        verdict(BLOG_SPEC.auth, &admin, Operation::Delete, &adas),
        Verdict::Allowed
    );
    assert_eq!(
        verdict(BLOG_SPEC.auth, &admin, Operation::Update, &adas),
        Verdict::Denied,
        "admins delete, they do not edit"
    );
}

#[test]
fn a_comment_may_also_be_removed_by_whoever_may_remove_its_post() {
    let bobs = item(json!({ "owner": "bob" }));
    assert_eq!(
        verdict(
            COMMENT_SPEC.auth,
            &user("ada", &[]),
            Operation::Delete,
            &bobs
        ),
        Verdict::IfParentAllows("post")
    );
    assert_eq!(
        verdict(
            COMMENT_SPEC.auth,
            &user("bob", &[]),
            Operation::Delete,
            &bobs
        ),
        Verdict::Allowed
    );
    assert_eq!(
        verdict(
            COMMENT_SPEC.auth,
            &user("ada", &[]),
            Operation::Update,
            &bobs
        ),
        Verdict::Denied
    );
}

#[test]
fn a_profile_belongs_to_the_user_its_key_names() {
    let adas = item(json!({ "userId": "ada", "email": "ada@example.com" }));
    assert_eq!(
        verdict(
            PROFILE_SPEC.auth,
            &user("ada", &[]),
            Operation::Update,
            &adas
        ),
        Verdict::Allowed
    );
    assert_eq!(
        verdict(
            PROFILE_SPEC.auth,
            &user("bob", &[]),
            Operation::Update,
            &adas
        ),
        Verdict::Denied
    );
    let email = PROFILE_SPEC.field("email").expect("a field");
    assert_eq!(
        verdict(email.auth, &user("bob", &[]), Operation::Read, &adas),
        Verdict::Denied,
        "the email is its owner's"
    );
    assert_eq!(
        verdict(email.auth, &user("ada", &[]), Operation::Read, &adas),
        Verdict::Allowed
    );
}

#[test]
fn public_rules_let_guests_in_and_a_missing_rule_denies() {
    assert!(may_ever(
        GUESTBOOK_ENTRY_SPEC.auth,
        &Caller::Guest,
        Operation::Read
    ));
    assert!(!may_ever(
        GUESTBOOK_ENTRY_SPEC.auth,
        &Caller::Guest,
        Operation::Create
    ));
    assert!(matches!(
        AppError::from(refusal(
            &GUESTBOOK_ENTRY_SPEC,
            &Caller::Guest,
            Operation::Create
        )),
        AppError::Unauthorized { .. }
    ));
    assert!(may_ever(
        GUESTBOOK_ENTRY_SPEC.auth,
        &user("ada", &[]),
        Operation::Create
    ));
    assert!(!may_ever(
        PROFILE_SPEC.auth,
        &Caller::Guest,
        Operation::Update
    ));
}
