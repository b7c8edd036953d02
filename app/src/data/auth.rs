//! The schema's `@auth` rules, evaluated. Rules are alternatives: an operation is allowed when
//! any rule allows it for the caller, and denied when none does, including for a model whose
//! schema gives no rules at all. The server enforces this once the caller is verified (Cognito
//! sign-in); the browser uses the same answers to leave out controls that would be refused.

use super::spec::{AuthStrategy, ModelSpec, Operation};

/// Who is calling, as the verified ID token (or its absence) says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Guest,
    User { sub: String, groups: Vec<String> },
}

impl Caller {
    /// The id an owner field stores for this caller: the user pool's `sub`.
    pub fn user_id(&self) -> Option<&str> {
        match self {
            Caller::Guest => None,
            Caller::User { sub, .. } => Some(sub),
        }
    }

    /// The verified caller of this server function, which the server provides per request.
    /// Without one the caller is a guest: the least a caller can be.
    #[cfg(feature = "ssr")]
    pub fn from_context() -> Caller {
        leptos::prelude::use_context::<Caller>().unwrap_or(Caller::Guest)
    }
}

/// What a caller may do with a model's items, before looking at a particular item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Any item.
    Allowed,
    /// Only items whose `owner_field` names the caller (for create: the item becomes theirs).
    OwnItems { owner_field: &'static str },
    /// Refused, with the reason in words: 401 for a guest (signing in may help), 403 otherwise.
    Denied(crate::error::AppError),
}

pub fn access(model: &ModelSpec, caller: &Caller, operation: Operation) -> Access {
    let mut owner_field = None;
    for rule in model.auth.iter().filter(|rule| rule.operations.contains(&operation)) {
        let allowed = match (rule.allow, caller) {
            (AuthStrategy::Public, _) => true,
            (AuthStrategy::Private, Caller::User { .. }) => true,
            (AuthStrategy::Groups, Caller::User { groups, .. }) => rule.groups.iter().any(|g| groups.iter().any(|mine| mine == g)),
            (AuthStrategy::Owner, Caller::User { .. }) => {
                owner_field = owner_field.or(rule.owner_field);
                false
            }
            _ => false,
        };
        if allowed {
            return Access::Allowed;
        }
    }
    if let Some(owner_field) = owner_field {
        return Access::OwnItems { owner_field };
    }
    let verb = match operation {
        Operation::Create => "create",
        Operation::Read => "read",
        Operation::Update => "change",
        Operation::Delete => "delete",
    };
    Access::Denied(match caller {
        Caller::Guest => crate::error::AppError::unauthorized(format!("Please sign in to {verb} this {}.", model.name)),
        Caller::User { .. } => crate::error::AppError::forbidden(format!("You may not {verb} this {}.", model.name)),
    })
}

/// Whether the caller may do `operation` on an item whose owner field holds `item_owner`.
pub fn allows_item(model: &ModelSpec, caller: &Caller, operation: Operation, item_owner: Option<&str>) -> bool {
    match (access(model, caller, operation), caller) {
        (Access::Allowed, _) => true,
        (Access::OwnItems { .. }, Caller::User { sub, .. }) => item_owner == Some(sub.as_str()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;
    use crate::models::{BLOG_SPEC, GUESTBOOK_ENTRY_SPEC, POST_SPEC, PROFILE_SPEC};

    fn user(sub: &str, groups: &[&str]) -> Caller {
        Caller::User { sub: sub.into(), groups: groups.iter().map(|g| g.to_string()).collect() }
    }

    #[test]
    fn the_blog_reads_for_everyone_and_writes_for_signed_in_users() {
        assert_eq!(access(&POST_SPEC, &Caller::Guest, Operation::Read), Access::Allowed);
        assert_eq!(access(&POST_SPEC, &Caller::Guest, Operation::Create), Access::Denied(crate::error::AppError::unauthorized("Please sign in to create this Post.")));
        assert_eq!(access(&POST_SPEC, &user("ada", &[]), Operation::Create), Access::Allowed);
    }

    #[test]
    fn only_the_owner_edits_and_admins_may_delete_anything() {
        let ada = user("ada", &[]);
        assert_eq!(access(&POST_SPEC, &ada, Operation::Update), Access::OwnItems { owner_field: "owner" });
        assert!(allows_item(&POST_SPEC, &ada, Operation::Update, Some("ada")));
        assert!(!allows_item(&POST_SPEC, &user("bob", &[]), Operation::Update, Some("ada")));
        assert!(!allows_item(&POST_SPEC, &Caller::Guest, Operation::Delete, Some("ada")));

        let admin = user("root", &["admins"]);
        assert!(allows_item(&BLOG_SPEC, &admin, Operation::Delete, Some("ada")));
        assert!(!allows_item(&BLOG_SPEC, &admin, Operation::Update, Some("ada")), "admins delete, they do not edit");
    }

    #[test]
    fn public_rules_let_guests_in_and_a_missing_rule_denies() {
        assert_eq!(access(&GUESTBOOK_ENTRY_SPEC, &Caller::Guest, Operation::Read), Access::Allowed);
        assert!(matches!(access(&GUESTBOOK_ENTRY_SPEC, &Caller::Guest, Operation::Create), Access::Denied(AppError::Unauthorized { .. })));
        assert_eq!(access(&GUESTBOOK_ENTRY_SPEC, &user("ada", &[]), Operation::Create), Access::OwnItems { owner_field: "owner" });
        assert_eq!(access(&PROFILE_SPEC, &Caller::Guest, Operation::Read), Access::Allowed);
        assert_eq!(access(&PROFILE_SPEC, &user("ada", &[]), Operation::Delete), Access::OwnItems { owner_field: "owner" });
        assert!(matches!(access(&PROFILE_SPEC, &Caller::Guest, Operation::Update), Access::Denied(_)));
    }
}
