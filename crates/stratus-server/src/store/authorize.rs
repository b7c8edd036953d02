//! The one authorizer: every item a plan reads or writes is checked against that item's own
//! model rules for the caller, before anything is written; every item a read returns is
//! checked and trimmed to the fields the caller may read. The rules themselves are evaluated
//! in `stratus::data::auth`; this module loads what they need (a parent) and words the refusals.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Map, Value};
use stratus::data::auth::{self, Caller, Scope, Verdict};
use stratus::data::spec::{AuthStrategy, ModelSpec, Operation, RelationKind};
use stratus::data::{Refusal, StoreError};
use stratus::error::AppError;

use super::dynamo::DynamoStore;
use super::plan::{Check, Plan, Role};
use super::{models, relations};

/// How far `allow: parent` rules are followed (a comment's post's blog...).
const MAX_PARENT_DEPTH: usize = 4;

pub struct Authorizer<'a> {
    store: &'a DynamoStore,
    caller: &'a Caller,
    /// Items already allowed in this call (a cascade's parent, before its children).
    allowed: HashSet<(&'static str, String, Operation)>,
    /// Parents loaded for `allow: parent` rules, by model and key.
    parents: HashMap<(&'static str, String), Option<Map<String, Value>>>,
}

impl<'a> Authorizer<'a> {
    pub fn new(store: &'a DynamoStore, caller: &'a Caller) -> Self {
        Self {
            store,
            caller,
            allowed: HashSet::new(),
            parents: HashMap::new(),
        }
    }

    /// Refuses at once when no rule could let the caller do `operation` on any item.
    pub fn require_possible(
        &self,
        model: &ModelSpec,
        operation: Operation,
    ) -> Result<(), AppError> {
        if auth::may_ever(model.auth, self.caller, operation) {
            Ok(())
        } else {
            Err(auth::refusal(model, self.caller, operation).into())
        }
    }

    /// Every check of the plan, in order; the first refusal ends it. Cascade children are all
    /// checked first, so a refusal can say how many are in the way.
    pub async fn authorize(&mut self, plan: &Plan) -> Result<(), AppError> {
        let mut blocked: Vec<(&'static ModelSpec, &'static ModelSpec)> = Vec::new();
        for check in &plan.checks {
            let allowed = self
                .allows(check.model, check.operation, &check.item, 0)
                .await?;
            if allowed {
                self.remember(check.model, check.operation, &check.item);
                self.check_fields(check)?;
                continue;
            }
            match check.role {
                Role::CascadeChild { root } => blocked.push((root, check.model)),
                _ => return Err(self.refusal(check)),
            }
        }
        if let Some((root, _)) = blocked.first() {
            let mut children: Vec<(&'static str, usize)> = Vec::new();
            for (_, model) in &blocked {
                match children.iter_mut().find(|(name, _)| *name == model.name) {
                    Some((_, n)) => *n += 1,
                    None => children.push((model.name, 1)),
                }
            }
            return Err(StoreError::Forbidden {
                model: root.name,
                operation: Operation::Delete,
                refusal: Refusal::CascadeChildren { children },
            }
            .into());
        }
        Ok(())
    }

    /// Whether the rules allow `operation` on `item`, following parent rules.
    async fn allows(
        &mut self,
        model: &'static ModelSpec,
        operation: Operation,
        item: &Map<String, Value>,
        depth: usize,
    ) -> Result<bool, AppError> {
        if self
            .allowed
            .contains(&(model.name, key_text(model, item), operation))
        {
            return Ok(true);
        }
        match auth::verdict(model.auth, self.caller, operation, item) {
            Verdict::Allowed => Ok(true),
            Verdict::Denied => Ok(false),
            Verdict::IfParentAllows(_) if depth >= MAX_PARENT_DEPTH => Ok(false),
            Verdict::IfParentAllows(field) => {
                let Some((parent_model, parent)) = self.parent(model, field, item).await? else {
                    return Ok(false);
                };
                Box::pin(self.allows(parent_model, operation, &parent, depth + 1)).await
            }
        }
    }

    async fn parent(
        &mut self,
        model: &ModelSpec,
        field: &str,
        item: &Map<String, Value>,
    ) -> Result<Option<(&'static ModelSpec, Map<String, Value>)>, AppError> {
        let relation = model
            .relation(field)
            .filter(|r| r.kind == RelationKind::BelongsTo);
        let Some(relation) = relation else {
            return Ok(None);
        };
        let target = relation.target;
        let Some(key) = relations::reference_key(target, relation.foreign_keys, item) else {
            return Ok(None);
        };
        let cache_key = (target.name, key.to_string());
        if !self.parents.contains_key(&cache_key) {
            let found = models::get(self.store, target, key)
                .await?
                .map(models::object)
                .transpose()?;
            self.parents.insert(cache_key.clone(), found);
        }
        Ok(self.parents[&cache_key]
            .clone()
            .map(|parent| (target, parent)))
    }

    fn remember(
        &mut self,
        model: &'static ModelSpec,
        operation: Operation,
        item: &Map<String, Value>,
    ) {
        self.allowed
            .insert((model.name, key_text(model, item), operation));
    }

    /// Field-level rules for the fields a write sets.
    fn check_fields(&self, check: &Check) -> Result<(), AppError> {
        for name in &check.fields {
            let Some(field) = check.model.field(name).filter(|f| !f.auth.is_empty()) else {
                continue;
            };
            if auth::verdict(field.auth, self.caller, check.operation, &check.item)
                != Verdict::Allowed
            {
                return Err(StoreError::Forbidden {
                    model: check.model.name,
                    operation: check.operation,
                    refusal: Refusal::Field { field: field.name },
                }
                .into());
            }
        }
        Ok(())
    }

    fn refusal(&self, check: &Check) -> AppError {
        let model = check.model;
        let forbidden = |refusal| {
            StoreError::Forbidden {
                model: model.name,
                operation: check.operation,
                refusal,
            }
            .into()
        };
        match check.role {
            Role::Named
                if matches!(self.caller, Caller::User { .. })
                    && has_owner_rule(model, check.operation)
                    && check.operation != Operation::Create =>
            {
                forbidden(Refusal::NotTheOwner)
            }
            Role::Named | Role::CascadeChild { .. } => {
                auth::refusal(model, self.caller, check.operation).into()
            }
            Role::Reference { field, holder } => forbidden(Refusal::Reference {
                field,
                holder: holder.name,
                exists: true,
            }),
            Role::LinkTarget { holder } => forbidden(Refusal::LinkTarget {
                holder: holder.name,
            }),
        }
    }

    /// The filter a list runs with: the caller's own, joined with what the rules let them read.
    pub fn list_filter(
        &self,
        model: &ModelSpec,
        filter: Option<Value>,
    ) -> Result<Option<Value>, AppError> {
        if let Some(filter) = &filter {
            auth::check_filter_fields(model, self.caller, filter)?;
        }
        Ok(match (auth::read_scope(model, self.caller), filter) {
            (Scope::None, _) => {
                return Err(auth::refusal(model, self.caller, Operation::Read).into())
            }
            (Scope::All, filter) => filter,
            (Scope::Matching(scope), None) => Some(scope),
            (Scope::Matching(scope), Some(filter)) => Some(json!({ "and": [filter, scope] })),
        })
    }

    /// The item as this caller may see it: `None` when they may not read it, otherwise without
    /// the fields they may not read, and with included relations trimmed the same way.
    pub fn shape(
        &self,
        model: &'static ModelSpec,
        item: Map<String, Value>,
    ) -> Result<Option<Map<String, Value>>, AppError> {
        let Some(mut item) = auth::readable(model, self.caller, item) else {
            return Ok(None);
        };
        for relation in model.relations {
            let Some(included) = item.remove(relation.field) else {
                continue;
            };
            let target = relation.target;
            let shaped = match included {
                Value::Object(related) => self
                    .shape(target, related)?
                    .map(Value::Object)
                    .unwrap_or(Value::Null),
                Value::Array(related) => {
                    let mut kept = Vec::with_capacity(related.len());
                    for related in related {
                        if let Some(related) = self.shape(target, models::object(related)?)? {
                            kept.push(Value::Object(related));
                        }
                    }
                    Value::Array(kept)
                }
                other => other,
            };
            item.insert(relation.field.to_owned(), shaped);
        }
        Ok(Some(item))
    }

    /// What a write answers: the item as written, with the fields the caller may not read
    /// left out (a write the caller may make but not read back answers an empty object).
    pub fn shape_written(&self, model: &'static ModelSpec, item: Value) -> Result<Value, AppError> {
        Ok(Value::Object(
            self.shape(model, models::object(item)?)?
                .unwrap_or_default(),
        ))
    }

    /// [`Self::shape`] over a page: items the caller may not read are left out.
    pub fn shape_all(
        &self,
        model: &'static ModelSpec,
        items: Vec<Value>,
    ) -> Result<Vec<Value>, AppError> {
        let mut kept = Vec::with_capacity(items.len());
        for item in items {
            if let Some(item) = self.shape(model, models::object(item)?)? {
                kept.push(Value::Object(item));
            }
        }
        Ok(kept)
    }
}

fn has_owner_rule(model: &ModelSpec, operation: Operation) -> bool {
    model
        .auth
        .iter()
        .any(|rule| rule.allow == AuthStrategy::Owner && rule.allows(operation))
}

fn key_text(model: &ModelSpec, item: &Map<String, Value>) -> String {
    models::key_object(model, item).to_string()
}
