//! Plans: what a write reads and writes, found before anything is written, so that the
//! authorizer sees every item a call touches: the item it names, the items its foreign keys
//! and links point at, and the children a delete cascades to.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use stratus::data::auth::{self, Caller, Scope};
use stratus::data::spec::{ModelSpec, Operation, RelationKind, RelationSpec};
use stratus::data::{Problem, StoreError};
use stratus::error::AppError;

use super::dynamo::DynamoStore;
use super::models::{self, object, TargetCondition};
use super::relations;

/// Why an item is in a plan: what a refusal says about it.
#[derive(Debug, Clone, Copy)]
pub enum Role {
    /// The item the call names (or creates).
    Named,
    /// The target of a foreign key `field` that an item of `holder` sets.
    Reference {
        field: &'static str,
        holder: &'static ModelSpec,
    },
    /// The other side of a many-to-many link from an item of `holder`.
    LinkTarget { holder: &'static ModelSpec },
    /// Deleted with the `root` item the call deletes.
    CascadeChild { root: &'static ModelSpec },
}

/// One item and what the call does to it.
pub struct Check {
    pub model: &'static ModelSpec,
    pub operation: Operation,
    /// As stored (or, for a create, as it will be stored).
    pub item: Map<String, Value>,
    pub role: Role,
    /// The fields the call writes, for field-level rules.
    pub fields: Vec<String>,
}

#[derive(Default)]
pub struct Plan {
    pub checks: Vec<Check>,
    /// Checked in the write's transaction, not by the authorizer.
    pub target_conditions: Vec<TargetCondition>,
}

impl Plan {
    fn check(
        &mut self,
        model: &'static ModelSpec,
        operation: Operation,
        item: Map<String, Value>,
        role: Role,
    ) {
        self.checks.push(Check {
            model,
            operation,
            item,
            role,
            fields: Vec::new(),
        });
    }
}

/// A create: the new item, the targets of the foreign keys it sets, the items it links to.
pub async fn create(
    store: &DynamoStore,
    caller: &Caller,
    model: &'static ModelSpec,
    item: &Map<String, Value>,
    written: Vec<String>,
    links: &[(&'static RelationSpec, Vec<String>)],
) -> Result<Plan, AppError> {
    let mut plan = Plan::default();
    plan.checks.push(Check {
        model,
        operation: Operation::Create,
        item: item.clone(),
        role: Role::Named,
        fields: written,
    });
    references(store, caller, model, item, |_| true, &mut plan).await?;
    for (relation, ids) in links {
        link_targets(store, model, relation, ids, &mut plan).await?;
    }
    Ok(plan)
}

/// An update: the stored item, and the targets of the foreign keys it changes.
pub async fn update(
    store: &DynamoStore,
    caller: &Caller,
    model: &'static ModelSpec,
    before: &Map<String, Value>,
    changes: &Map<String, Value>,
) -> Result<Plan, AppError> {
    let mut plan = Plan::default();
    let written = changes
        .keys()
        .filter(|name| before.get(*name) != changes.get(*name))
        .cloned()
        .collect();
    plan.checks.push(Check {
        model,
        operation: Operation::Update,
        item: before.clone(),
        role: Role::Named,
        fields: written,
    });
    let mut after = before.clone();
    after.extend(changes.iter().map(|(k, v)| (k.clone(), v.clone())));
    let changed =
        |field: &str| changes.contains_key(field) && changes.get(field) != before.get(field);
    references(store, caller, model, &after, changed, &mut plan).await?;
    Ok(plan)
}

/// A link or unlink: the right to change this side, and the relation's right on the other.
pub async fn link(
    store: &DynamoStore,
    model: &'static ModelSpec,
    relation: &'static RelationSpec,
    own: Map<String, Value>,
    target_id: &str,
) -> Result<Plan, AppError> {
    let mut plan = Plan::default();
    plan.check(model, Operation::Update, own, Role::Named);
    link_targets(
        store,
        model,
        relation,
        std::slice::from_ref(&target_id.to_owned()),
        &mut plan,
    )
    .await?;
    Ok(plan)
}

/// The targets of the foreign keys of `item` that `selected` picks; each must exist.
async fn references(
    store: &DynamoStore,
    caller: &Caller,
    model: &'static ModelSpec,
    item: &Map<String, Value>,
    selected: impl Fn(&str) -> bool,
    plan: &mut Plan,
) -> Result<(), AppError> {
    for reference in model
        .references
        .iter()
        .filter(|r| r.fields.iter().any(|f| selected(f)))
    {
        let target = reference.target;
        let field = reference.fields[0];
        let Some(key) = relations::reference_key(target, reference.fields, item) else {
            continue;
        };
        let condition = |filter| TargetCondition {
            model: target,
            key: key.clone(),
            filter,
            field,
            holder: model,
            access: reference.access,
        };
        match auth::scope(target, caller, reference.access) {
            Some(Scope::All) => {
                plan.target_conditions.push(condition(None));
                continue;
            }
            Some(Scope::Matching(filter)) => {
                plan.target_conditions.push(condition(Some(filter)));
                continue;
            }
            Some(Scope::None) => return Err(condition(None).refusal()),
            // A parent rule may grant it: read the target and let the authorizer decide.
            None => {}
        }
        let Some(found) = models::get(store, target, key).await? else {
            return Err(super::errors::invalid(
                field,
                Problem::NoSuchTarget { model: target.name },
            ));
        };
        plan.check(
            target,
            reference.access,
            object(found)?,
            Role::Reference {
                field,
                holder: model,
            },
        );
    }
    Ok(())
}

async fn link_targets(
    store: &DynamoStore,
    model: &'static ModelSpec,
    relation: &'static RelationSpec,
    ids: &[String],
    plan: &mut Plan,
) -> Result<(), AppError> {
    let (target, _) = relations::counterpart(relation)?;
    let found = relations::batch_get(
        store,
        target,
        ids.iter().cloned().map(Value::String).collect(),
    )
    .await?;
    for id in ids {
        let Some(item) = found.iter().find(|item| {
            item.get(target.primary_key.partition)
                .and_then(Value::as_str)
                == Some(id)
        }) else {
            return Err(StoreError::NotFound {
                model: target.name,
                id: Some(id.clone()),
            }
            .into());
        };
        plan.check(
            target,
            relation.link_access,
            item.clone(),
            Role::LinkTarget { holder: model },
        );
    }
    Ok(())
}

/// A delete and what goes with it, children before the items they belong to.
#[derive(Default)]
pub struct Cascade {
    /// In the order they are deleted: deepest first, the named item last.
    pub deletes: Vec<(&'static ModelSpec, Map<String, Value>)>,
    /// Link sets on the other side of many-to-many links, per item (model name, id): its
    /// model, the attribute, and the ids to remove.
    pub link_removals: BTreeMap<(&'static str, String), (&'static ModelSpec, String, Vec<String>)>,
}

/// More items than this in one cascade is refused, in words, before anything is deleted.
pub const MAX_CASCADE_ITEMS: usize = models::MAX_QUERY_ALL_ITEMS;
const MAX_CASCADE_DEPTH: usize = 8;

/// The delete of `item` with its `onDelete: CASCADE` children and its links. Join rows go
/// with either side of a link, so they are deleted with the item without a check of their
/// own; every other child is checked against its own rules.
pub async fn delete(
    store: &DynamoStore,
    model: &'static ModelSpec,
    item: Map<String, Value>,
) -> Result<(Plan, Cascade), AppError> {
    let mut plan = Plan::default();
    plan.check(model, Operation::Delete, item.clone(), Role::Named);
    let mut collected = Vec::new();
    collect(store, model, model, &item, &mut plan, &mut collected, 0).await?;
    let mut cascade = Cascade::default();
    let mut seen = std::collections::BTreeSet::new();
    for (child_model, child, links) in collected.into_iter().rev() {
        for (target, id, attribute, own) in links {
            cascade
                .link_removals
                .entry((target.name, id))
                .or_insert_with(|| (target, attribute, Vec::new()))
                .2
                .push(own);
        }
        if seen.insert((
            child_model.name,
            child
                .get(child_model.primary_key.partition)
                .map(Value::to_string),
        )) {
            cascade.deletes.push((child_model, child));
        }
    }
    cascade.deletes.push((model, item));
    Ok((plan, cascade))
}

type Collected = Vec<(
    &'static ModelSpec,
    Map<String, Value>,
    Vec<(&'static ModelSpec, String, String, String)>,
)>;

/// Adds what goes with `item` to the plan, depth first (parents before their children).
async fn collect(
    store: &DynamoStore,
    root: &'static ModelSpec,
    model: &'static ModelSpec,
    item: &Map<String, Value>,
    plan: &mut Plan,
    collected: &mut Collected,
    depth: usize,
) -> Result<(), AppError> {
    if depth > MAX_CASCADE_DEPTH {
        return Ok(());
    }
    if collected.len() > MAX_CASCADE_ITEMS {
        return Err(StoreError::TooManyItems {
            model: root.name,
            limit: MAX_CASCADE_ITEMS,
        }
        .into());
    }
    let own_id = item
        .get(model.primary_key.partition)
        .cloned()
        .unwrap_or(Value::Null);
    for relation in model.relations {
        match relation.kind {
            RelationKind::HasMany if relation.cascade => {
                let child = relation.target;
                let index = relation.index.and_then(|i| child.index(i));
                for grandchild in models::query_all(store, child, index, own_id.clone()).await? {
                    plan.check(
                        child,
                        Operation::Delete,
                        grandchild.clone(),
                        Role::CascadeChild { root },
                    );
                    collected.push((child, grandchild.clone(), Vec::new()));
                    Box::pin(collect(
                        store,
                        root,
                        child,
                        &grandchild,
                        plan,
                        collected,
                        depth + 1,
                    ))
                    .await?;
                }
            }
            RelationKind::HasOne if relation.cascade => {
                let child = relation.target;
                let Some(key) = relations::reference_key(child, relation.foreign_keys, item) else {
                    continue;
                };
                if let Some(found) = models::get(store, child, key).await? {
                    let found = object(found)?;
                    plan.check(
                        child,
                        Operation::Delete,
                        found.clone(),
                        Role::CascadeChild { root },
                    );
                    collected.push((child, found.clone(), Vec::new()));
                    Box::pin(collect(
                        store,
                        root,
                        child,
                        &found,
                        plan,
                        collected,
                        depth + 1,
                    ))
                    .await?;
                }
            }
            // A link to a deleted item is worthless: links always go with either side.
            RelationKind::ManyToMany => {
                let Some(join) = &relation.join else { continue };
                let join_model = join.model;
                let (target, other) = relations::counterpart(relation)?;
                let index = relation.index.and_then(|i| join_model.index(i));
                for link in models::query_all(store, join_model, index, own_id.clone()).await? {
                    let removal = match (link.get(join.target_key), &own_id) {
                        (Some(Value::String(target_id)), Value::String(own)) => {
                            vec![(
                                target,
                                target_id.clone(),
                                relations::links_attribute(other),
                                own.clone(),
                            )]
                        }
                        _ => Vec::new(),
                    };
                    collected.push((join_model, link, removal));
                }
            }
            _ => {}
        }
    }
    Ok(())
}
