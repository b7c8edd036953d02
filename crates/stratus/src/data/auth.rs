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

/// Who is calling, as the verified ID token (or its absence) says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Guest,
    User {
        sub: String,
        username: String,
        groups: Vec<String>,
    },
}

impl Caller {
    /// The id an owner field stores by default: the user pool's `sub`.
    pub fn user_id(&self) -> Option<&str> {
        self.identity(IdentityClaim::Sub)
    }

    /// The value an owner field with this `identityClaim` stores for this caller.
    pub fn identity(&self, claim: IdentityClaim) -> Option<&str> {
        match (self, claim) {
            (Caller::Guest, _) => None,
            (Caller::User { sub, .. }, IdentityClaim::Sub) => Some(sub),
            (Caller::User { username, .. }, IdentityClaim::Username) => Some(username),
        }
    }

    fn in_any_group(&self, wanted: &[&str]) -> bool {
        matches!(self, Caller::User { groups, .. } if groups.iter().any(|g| wanted.contains(&g.as_str())))
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
            AuthStrategy::Groups => caller.in_any_group(rule.groups),
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
    let (Some(field), Some(me)) = (rule.owner_field, caller.identity(rule.identity_claim)) else {
        return false;
    };
    match item.get(field) {
        Some(Value::String(owner)) => owner == me,
        Some(Value::Array(owners)) => owners.iter().any(|owner| owner.as_str() == Some(me)),
        _ => false,
    }
}

/// Whether some item could be allowed: when not, the call is refused before anything is read.
pub fn may_ever(rules: &[AuthRuleSpec], caller: &Caller, operation: Operation) -> bool {
    rules
        .iter()
        .filter(|rule| rule.allows(operation))
        .any(|rule| match rule.allow {
            AuthStrategy::Public | AuthStrategy::Parent => true,
            AuthStrategy::Private | AuthStrategy::Owner => matches!(caller, Caller::User { .. }),
            AuthStrategy::Groups => caller.in_any_group(rule.groups),
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
            AuthStrategy::Groups => caller.in_any_group(rule.groups),
            AuthStrategy::Owner => match (rule.owner_field, caller.identity(rule.identity_claim)) {
                (Some(field), Some(me)) => {
                    let is_list = model.field(field).is_some_and(|f| f.list);
                    tests.push(if is_list {
                        json!({ field: { "contains": me } })
                    } else {
                        json!({ field: { "eq": me } })
                    });
                    true
                }
                _ => false,
            },
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
}
