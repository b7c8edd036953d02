//! The schema's `@auth` rules, evaluated for one caller and one item. Rules are alternatives:
//! an operation is allowed when any rule allows it, and denied when none does, including for a
//! model whose schema gives no rules at all. A rule holds for the caller (`public`, `private`,
//! `groups`, `owner` of this item, or whoever may do the same to the `parent`) and, when it has
//! a `where`, only for items matching it.
//!
//! This module is pure: the server's data layer loads what the rules need (the item, its
//! parent) and asks here; the browser may ask the same questions to leave out controls.

use serde_json::{json, Map, Value};

use super::error::{Refusal, StoreError};
use super::spec::{
    AuthRuleSpec, AuthStrategy, Condition, ConditionTest, IdentityClaim, Literal, ModelSpec,
    Operation,
};

/// Who is calling, as the verified ID token (or its absence) says. (Serialized where the cloud
/// keeps a live connection's caller between invocations.)
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Caller {
    Guest,
    User {
        sub: String,
        username: String,
        groups: Vec<String>,
    },
}

impl Caller {
    /// The user pool's `sub`: the id that never changes, which the caller's own records (a
    /// profile) are keyed by.
    pub fn user_id(&self) -> Option<&str> {
        match self {
            Caller::Guest => None,
            Caller::User { sub, .. } => Some(sub),
        }
    }

    /// The value an owner field with this `identityClaim` stores for this caller.
    pub fn identity(&self, claim: IdentityClaim) -> Option<String> {
        match (self, claim) {
            (Caller::Guest, _) => None,
            (Caller::User { sub, .. }, IdentityClaim::Sub) => Some(sub.clone()),
            (Caller::User { username, .. }, IdentityClaim::Username) => Some(username.clone()),
            (Caller::User { sub, username, .. }, IdentityClaim::SubUsername) => {
                Some(format!("{sub}::{username}"))
            }
        }
    }

    /// Whether a stored owner value names this caller under this `identityClaim`: for
    /// `sub::username`, also the `sub` or the username alone, as Amplify's resolvers accept.
    /// Asked once per item a call reads, so it compares without building strings.
    pub fn is_named_by(&self, claim: IdentityClaim, owner: &str) -> bool {
        let Caller::User { sub, username, .. } = self else {
            return false;
        };
        match claim {
            IdentityClaim::Sub => owner == sub,
            IdentityClaim::Username => owner == username,
            IdentityClaim::SubUsername => {
                owner == sub
                    || owner == username
                    || owner.split_once("::") == Some((sub.as_str(), username.as_str()))
            }
        }
    }

    /// Every value of an owner field with this `identityClaim` that names this caller (see
    /// [`Caller::is_named_by`]), for the filter a list narrows its query with.
    pub fn identities(&self, claim: IdentityClaim) -> Vec<String> {
        match (self, claim) {
            (Caller::Guest, _) => Vec::new(),
            (Caller::User { sub, username, .. }, IdentityClaim::SubUsername) => {
                vec![format!("{sub}::{username}"), sub.clone(), username.clone()]
            }
            (_, claim) => self.identity(claim).into_iter().collect(),
        }
    }

    fn in_any_group(&self, wanted: &[&str]) -> bool {
        matches!(self, Caller::User { groups, .. } if groups.iter().any(|g| wanted.contains(&g.as_str())))
    }

    fn groups(&self) -> &[String] {
        match self {
            Caller::Guest => &[],
            Caller::User { groups, .. } => groups,
        }
    }

    /// The verified caller of this server function, which the server provides per request.
    /// Without one the caller is a guest: the least a caller can be.
    #[cfg(feature = "ssr")]
    pub fn from_context() -> Caller {
        leptos::prelude::use_context::<Caller>().unwrap_or(Caller::Guest)
    }
}

/// What the rules say about one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Denied,
    /// Allowed if the caller may do the same to the item this `@belongsTo` field points at;
    /// the data layer loads it and asks again.
    IfParentAllows(&'static str),
}

/// Whether `rules` let `caller` do `operation` on `item` (for a create: the item as it will
/// be stored, owner fields set).
pub fn verdict(
    rules: &'static [AuthRuleSpec],
    caller: &Caller,
    operation: Operation,
    item: &Map<String, Value>,
) -> Verdict {
    let mut parent = None;
    for rule in rules
        .iter()
        .filter(|rule| rule.allows(operation) && holds(rule.condition, item))
    {
        let allowed = match rule.allow {
            AuthStrategy::Public => true,
            AuthStrategy::Private => matches!(caller, Caller::User { .. }),
            AuthStrategy::Groups => {
                caller.in_any_group(rule.groups) || in_item_groups(rule, caller, item)
            }
            AuthStrategy::Owner => is_owner(rule, caller, item),
            AuthStrategy::Parent => {
                parent = parent.or(rule.parent);
                false
            }
        };
        if allowed {
            return Verdict::Allowed;
        }
    }
    parent.map_or(Verdict::Denied, Verdict::IfParentAllows)
}

fn is_owner(rule: &AuthRuleSpec, caller: &Caller, item: &Map<String, Value>) -> bool {
    let Some(field) = rule.owner_field else {
        return false;
    };
    let names_me = |owner: &Value| {
        owner
            .as_str()
            .is_some_and(|o| caller.is_named_by(rule.identity_claim, o))
    };
    match item.get(field) {
        Some(owner @ Value::String(_)) => names_me(owner),
        Some(Value::Array(owners)) => owners.iter().any(names_me),
        _ => false,
    }
}

/// Dynamic groups: whether the item's `groupsField` names a group of the caller's.
fn in_item_groups(rule: &AuthRuleSpec, caller: &Caller, item: &Map<String, Value>) -> bool {
    let Some(field) = rule.groups_field else {
        return false;
    };
    let mine = |group: &Value| {
        group
            .as_str()
            .is_some_and(|g| caller.groups().iter().any(|c| c == g))
    };
    match item.get(field) {
        Some(group @ Value::String(_)) => mine(group),
        Some(Value::Array(groups)) => groups.iter().any(mine),
        _ => false,
    }
}

/// The item as `caller` may read it: `None` when the model's rules deny it, otherwise without
/// the fields whose own rules deny it. What every read and every live change goes through.
pub fn readable(
    model: &ModelSpec,
    caller: &Caller,
    mut item: Map<String, Value>,
) -> Option<Map<String, Value>> {
    if verdict(model.auth, caller, Operation::Read, &item) != Verdict::Allowed {
        return None;
    }
    for field in model.fields.iter().filter(|f| !f.auth.is_empty()) {
        if verdict(field.auth, caller, Operation::Read, &item) != Verdict::Allowed {
            item.remove(field.name);
        }
    }
    Some(item)
}

/// Refuses a filter on a field the caller may read only on some items: matching on it would
/// tell them the field's value on the others.
pub fn check_filter_fields(
    model: &ModelSpec,
    caller: &Caller,
    filter: &Value,
) -> Result<(), StoreError> {
    let Value::Object(conditions) = filter else {
        return Ok(());
    };
    for (key, value) in conditions {
        match key.as_str() {
            "and" | "or" => {
                for nested in value.as_array().into_iter().flatten() {
                    check_filter_fields(model, caller, nested)?;
                }
            }
            "not" => check_filter_fields(model, caller, value)?,
            name => {
                let Some(field) = model.field(name).filter(|f| !f.auth.is_empty()) else {
                    continue;
                };
                let readable_everywhere = field.auth.iter().any(|rule| {
                    rule.allows(Operation::Read)
                        && rule.condition.is_empty()
                        && match rule.allow {
                            AuthStrategy::Public => true,
                            AuthStrategy::Private => matches!(caller, Caller::User { .. }),
                            AuthStrategy::Groups => {
                                may_ever(std::slice::from_ref(rule), caller, Operation::Read)
                            }
                            AuthStrategy::Owner | AuthStrategy::Parent => false,
                        }
                });
                if !readable_everywhere {
                    return Err(StoreError::Forbidden {
                        model: model.name,
                        operation: Operation::Read,
                        refusal: Refusal::FilterField {
                            field: name.to_string(),
                        },
                    });
                }
            }
        }
    }
    Ok(())
}

/// Whether some item could be allowed: when not, the call is refused before anything is read.
pub fn may_ever(rules: &[AuthRuleSpec], caller: &Caller, operation: Operation) -> bool {
    rules
        .iter()
        .filter(|rule| rule.allows(operation))
        .any(|rule| match rule.allow {
            AuthStrategy::Public | AuthStrategy::Parent => true,
            AuthStrategy::Private | AuthStrategy::Owner => matches!(caller, Caller::User { .. }),
            AuthStrategy::Groups => {
                caller.in_any_group(rule.groups)
                    || (rule.groups_field.is_some() && !caller.groups().is_empty())
            }
        })
}

/// The refusal: a guest must sign in first (401: signing in may help), a user may not (403).
pub fn refusal(model: &ModelSpec, caller: &Caller, operation: Operation) -> StoreError {
    match caller {
        Caller::Guest => StoreError::SignInRequired {
            model: model.name,
            operation,
        },
        Caller::User { .. } => StoreError::Forbidden {
            model: model.name,
            operation,
            refusal: Refusal::Rules,
        },
    }
}

/// Which items of a model a caller may read or change, as a filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    All,
    /// Those matching this Amplify filter (the rules' conditions and owner fields, or-ed).
    Matching(Value),
    None,
}

/// The caller's read rights on `model` as a filter, so that a list narrows its query (rather
/// than dropping rows after it) and `limit` counts only items the caller may see.
pub fn read_scope(model: &ModelSpec, caller: &Caller) -> Scope {
    // Parent rules never grant reads (the schema compiler refuses them).
    scope(model, caller, Operation::Read).unwrap_or(Scope::None)
}

/// The items of `model` the caller may do `operation` to, as a filter: what a list joins to
/// its query, and what a write checks on the item its foreign key names, in the same
/// transaction. `None` where a parent rule might allow it: that takes reading the parent.
pub fn scope(model: &ModelSpec, caller: &Caller, operation: Operation) -> Option<Scope> {
    let mut alternatives = Vec::new();
    for rule in model.auth.iter().filter(|rule| rule.allows(operation)) {
        let mut tests: Vec<Value> = rule.condition.iter().map(condition_filter).collect();
        let holds_for_caller = match rule.allow {
            AuthStrategy::Public => true,
            AuthStrategy::Private => matches!(caller, Caller::User { .. }),
            AuthStrategy::Groups if caller.in_any_group(rule.groups) => true,
            AuthStrategy::Groups => match rule.groups_field {
                Some(field) if !caller.groups().is_empty() => {
                    tests.push(names_any(model, field, caller.groups()));
                    true
                }
                _ => false,
            },
            AuthStrategy::Owner => {
                let me = caller.identities(rule.identity_claim);
                match rule.owner_field {
                    Some(field) if !me.is_empty() => {
                        tests.push(names_any(model, field, &me));
                        true
                    }
                    _ => false,
                }
            }
            AuthStrategy::Parent => return None,
        };
        if !holds_for_caller {
            continue;
        }
        let alternative = match tests.len() {
            0 => return Some(Scope::All),
            1 => tests.pop().expect("one test"),
            _ => json!({ "and": tests }),
        };
        if !alternatives.contains(&alternative) {
            alternatives.push(alternative);
        }
    }
    Some(match alternatives.len() {
        0 => Scope::None,
        1 => Scope::Matching(alternatives.pop().expect("one alternative")),
        _ => Scope::Matching(json!({ "or": alternatives })),
    })
}

/// The filter "`field` names one of `values`": equals one, or for a list field, contains one.
fn names_any(model: &ModelSpec, field: &str, values: &[String]) -> Value {
    let operator = match model.field(field).is_some_and(|f| f.list) {
        true => "contains",
        false => "eq",
    };
    let mut tests: Vec<Value> = values
        .iter()
        .map(|value| json!({ field: { operator: value } }))
        .collect();
    match tests.len() {
        1 => tests.pop().expect("one test"),
        _ => json!({ "or": tests }),
    }
}

/// Whether every test of a condition holds for `item`.
pub fn holds(condition: &[Condition], item: &Map<String, Value>) -> bool {
    condition.iter().all(|c| {
        let value = item.get(c.field).filter(|v| !v.is_null());
        match c.test {
            ConditionTest::Eq(literal) => value.is_some_and(|v| equals(v, literal)),
            ConditionTest::Ne(literal) => !value.is_some_and(|v| equals(v, literal)),
            ConditionTest::Exists(exists) => value.is_some() == exists,
        }
    })
}

fn equals(value: &Value, literal: Literal) -> bool {
    match (value, literal) {
        (Value::String(s), Literal::String(l)) => s == l,
        (Value::Number(n), Literal::Int(l)) => n.as_f64() == Some(l as f64),
        (Value::Bool(b), Literal::Boolean(l)) => *b == l,
        _ => false,
    }
}

/// One test as Amplify's filter; `ne` as `not eq`, so that a missing field counts as "not
/// equal" in DynamoDB as it does in [`holds`].
fn condition_filter(condition: &Condition) -> Value {
    let literal = |l: Literal| match l {
        Literal::String(s) => json!(s),
        Literal::Int(n) => json!(n),
        Literal::Boolean(b) => json!(b),
    };
    match condition.test {
        ConditionTest::Eq(l) => json!({ condition.field: { "eq": literal(l) } }),
        ConditionTest::Ne(l) => json!({ "not": { condition.field: { "eq": literal(l) } } }),
        ConditionTest::Exists(b) => json!({ condition.field: { "attributeExists": b } }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(value: Value) -> Map<String, Value> {
        value.as_object().cloned().expect("an object")
    }

    #[test]
    fn conditions_treat_a_missing_field_as_not_equal() {
        static NOT_HIDDEN: [Condition; 1] = [Condition {
            field: "hidden",
            test: ConditionTest::Ne(Literal::Boolean(true)),
        }];
        assert!(holds(&NOT_HIDDEN, &item(json!({}))));
        assert!(holds(&NOT_HIDDEN, &item(json!({ "hidden": false }))));
        assert!(!holds(&NOT_HIDDEN, &item(json!({ "hidden": true }))));
        assert_eq!(
            condition_filter(&NOT_HIDDEN[0]),
            json!({ "not": { "hidden": { "eq": true } } })
        );
    }

    static OWNER_RULE: [AuthRuleSpec; 1] = [AuthRuleSpec {
        allow: AuthStrategy::Owner,
        owner_field: Some("owner"),
        identity_claim: IdentityClaim::SubUsername,
        groups: &[],
        groups_field: None,
        operations: &[Operation::Read],
        condition: &[],
        parent: None,
    }];

    fn ada() -> Caller {
        Caller::User {
            sub: "a1b2".into(),
            username: "ada".into(),
            groups: Vec::new(),
        }
    }

    #[test]
    fn amplifys_default_claim_stores_sub_and_username_and_accepts_either_alone() {
        assert_eq!(
            ada().identity(IdentityClaim::SubUsername).as_deref(),
            Some("a1b2::ada")
        );
        for stored in ["a1b2::ada", "a1b2", "ada"] {
            let owned = item(json!({ "owner": stored }));
            assert_eq!(
                verdict(&OWNER_RULE, &ada(), Operation::Read, &owned),
                Verdict::Allowed,
                "{stored}"
            );
        }
        let bob = Caller::User {
            sub: "b3c4".into(),
            username: "bob".into(),
            groups: Vec::new(),
        };
        let adas = item(json!({ "owner": "a1b2::ada" }));
        assert_eq!(
            verdict(&OWNER_RULE, &bob, Operation::Read, &adas),
            Verdict::Denied
        );
        assert_eq!(
            verdict(&OWNER_RULE, &Caller::Guest, Operation::Read, &adas),
            Verdict::Denied
        );
    }
}
