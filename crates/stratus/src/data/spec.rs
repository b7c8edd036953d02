//! What the schema says about each model, as static data the generated code fills in. The
//! server's generic data layer reads it for keys, validation, defaults and relations;
//! provisioning reads it for tables and indexes.

#[derive(Debug)]
pub struct ModelSpec {
    pub name: &'static str,
    pub fields: &'static [FieldSpec],
    pub primary_key: KeySpec,
    pub indexes: &'static [IndexSpec],
    pub relations: &'static [RelationSpec],
    pub timestamps: Option<TimestampSpec>,
    pub auth: &'static [AuthRuleSpec],
    /// The foreign keys this model's items hold, and the right each needs on its target.
    pub references: &'static [ReferenceSpec],
    pub is_join_table: bool,
    /// Amplify's generated subscriptions (`onCreateComment`...), each `None` where the schema
    /// turned it off (`@model(subscriptions: null)`).
    pub subscriptions: SubscriptionSpec,
}

impl ModelSpec {
    pub fn field(&self, name: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn index(&self, name: &str) -> Option<&'static IndexSpec> {
        self.indexes.iter().find(|i| i.name == name)
    }

    pub fn relation(&self, field: &str) -> Option<&'static RelationSpec> {
        self.relations.iter().find(|r| r.field == field)
    }

    /// The fields owner rules (of the model or of its fields) keep their owners in, each once,
    /// with the claim it stores.
    pub fn owner_fields(&self) -> Vec<(&'static FieldSpec, IdentityClaim)> {
        let field_rules = self.fields.iter().flat_map(|f| f.auth.iter());
        let mut found: Vec<(&'static FieldSpec, IdentityClaim)> = Vec::new();
        for rule in self.auth.iter().chain(field_rules) {
            let Some(field) = rule.owner_field.and_then(|name| self.field(name)) else {
                continue;
            };
            if !found.iter().any(|(f, _)| f.name == field.name) {
                found.push((field, rule.identity_claim));
            }
        }
        found
    }
}

/// The subscriptions a model offers, under their Amplify names; several names may report the
/// same kind of change, and none where the schema turned it off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubscriptionSpec {
    pub on_create: &'static [&'static str],
    pub on_update: &'static [&'static str],
    pub on_delete: &'static [&'static str],
}

impl SubscriptionSpec {
    pub const NONE: SubscriptionSpec = SubscriptionSpec {
        on_create: &[],
        on_update: &[],
        on_delete: &[],
    };

    /// The names of the subscriptions to this kind of change.
    pub fn names(&self, change: ChangeKind) -> &'static [&'static str] {
        match change {
            ChangeKind::Create => self.on_create,
            ChangeKind::Update => self.on_update,
            ChangeKind::Delete => self.on_delete,
        }
    }

    /// Which change the subscription of this name reports, if it is one of this model's.
    pub fn change_named(&self, name: &str) -> Option<ChangeKind> {
        ChangeKind::ALL
            .into_iter()
            .find(|&change| self.names(change).contains(&name))
    }
}

/// What happened to an item, as a subscription reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    Create,
    Update,
    Delete,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 3] = [ChangeKind::Create, ChangeKind::Update, ChangeKind::Delete];
}

/// A partition key and zero or more sort key fields. Several sort fields are stored as one
/// attribute `a#b` holding `valueA#valueB`, as Amplify does.
#[derive(Debug, Clone, Copy)]
pub struct KeySpec {
    pub partition: &'static str,
    pub sort: &'static [&'static str],
}

impl KeySpec {
    /// The attribute that holds the sort key, if there is one.
    pub fn sort_attribute(&self) -> Option<String> {
        (!self.sort.is_empty()).then(|| self.sort.join("#"))
    }

    /// Whether the sort attribute is synthesized from several fields.
    pub fn is_composite(&self) -> bool {
        self.sort.len() > 1
    }
}

#[derive(Debug)]
pub struct IndexSpec {
    pub name: &'static str,
    pub key: KeySpec,
    pub query_field: Option<&'static str>,
}

#[derive(Debug)]
pub struct FieldSpec {
    pub name: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    pub list: bool,
    pub default: Option<DefaultSpec>,
    /// Kept by the server (timestamps, owner), never taken from a caller.
    pub server_managed: bool,
    /// Field-level `@auth`: when not empty, these rules decide who reads and writes this field
    /// instead of the model's.
    pub auth: &'static [AuthRuleSpec],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Id,
    String,
    Int,
    Float,
    Boolean,
    DateTime,
    Date,
    Email,
    Url,
    Json,
    Time,
    /// Seconds since the epoch (`AWSTimestamp`).
    Timestamp,
    Phone,
    IpAddress,
    Enum(&'static [&'static str]),
}

impl FieldKind {
    /// Stored as a DynamoDB number.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            FieldKind::Int | FieldKind::Float | FieldKind::Timestamp
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DefaultSpec {
    String(&'static str),
    Int(i64),
    Float(f64),
    Boolean(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    HasOne,
    HasMany,
    BelongsTo,
    ManyToMany,
}

pub struct RelationSpec {
    pub field: &'static str,
    pub kind: RelationKind,
    /// The model at the other end (specs point at each other, so relations can be cyclic).
    pub target: &'static ModelSpec,
    /// See the schema compiler's `ir::Relation` for which side holds these.
    pub foreign_keys: &'static [&'static str],
    pub index: Option<&'static str>,
    /// HasMany, ManyToMany: how many related items a read returns unless the caller asks for
    /// another number (`@hasMany(limit:)`, 100 by default as in Amplify).
    pub limit: Option<u32>,
    pub join: Option<JoinSpec>,
    pub cascade: bool,
    /// `@manyToMany`: the right on the other side's item that linking to it needs
    /// (Stratus's `linkAccess`; Update unless the schema lowers it to Read).
    pub link_access: Operation,
}

/// Foreign key fields of a model and the model they point at. Setting or changing them needs
/// `access` on the item they name: by default Update (nobody puts a post in my blog); the
/// schema can lower it to Read (`linkAccess: READ`: anyone who may read a post may comment).
pub struct ReferenceSpec {
    /// The relation field that declares it (`blog`, or the parent's `comments`).
    pub relation: &'static str,
    /// This model's fields holding the target's key: its partition key, then its sort keys.
    pub fields: &'static [&'static str],
    pub target: &'static ModelSpec,
    pub access: Operation,
}

/// A `@manyToMany` relation's join model (Amplify's `PostTags`), and its field holding the
/// other side's key.
pub struct JoinSpec {
    pub model: &'static ModelSpec,
    pub target_key: &'static str,
}

// Relations name their target by its name only: specs refer to each other in cycles, which a
// derived `Debug` would follow forever.
impl std::fmt::Debug for RelationSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelationSpec")
            .field("field", &self.field)
            .field("kind", &self.kind)
            .field("target", &self.target.name)
            .field("foreign_keys", &self.foreign_keys)
            .field("index", &self.index)
            .field("limit", &self.limit)
            .field("join", &self.join)
            .field("cascade", &self.cascade)
            .field("link_access", &self.link_access)
            .finish()
    }
}

impl std::fmt::Debug for ReferenceSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReferenceSpec")
            .field("relation", &self.relation)
            .field("fields", &self.fields)
            .field("target", &self.target.name)
            .field("access", &self.access)
            .finish()
    }
}

impl std::fmt::Debug for JoinSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JoinSpec")
            .field("model", &self.model.name)
            .field("target_key", &self.target_key)
            .finish()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct TimestampSpec {
    /// `None`: the schema turned it off (`timestamps: { updatedAt: null }`).
    pub created_at: Option<&'static str>,
    pub updated_at: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthStrategy {
    Owner,
    Private,
    Public,
    Groups,
    /// Stratus: allowed to whoever may do the same to the item a `@belongsTo` relation points
    /// at (`{ allow: parent, relation: "post", operations: [delete] }`: a post's owner may
    /// delete the comments on it, and so delete a post with other people's comments).
    Parent,
}

/// Which claim of the ID token an owner field stores (Amplify's `identityClaim`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityClaim {
    Sub,
    Username,
    /// Amplify's default: `<sub>::<username>`; an item that stores the `sub` or the username
    /// alone (written before Amplify changed its default) belongs to the same user.
    SubUsername,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    Create,
    Read,
    Update,
    Delete,
}

impl Operation {
    /// The verb a refusal uses: "You may not change this Post."
    pub fn verb(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Read => "read",
            Operation::Update => "change",
            Operation::Delete => "delete",
        }
    }
}

#[derive(Debug)]
pub struct AuthRuleSpec {
    pub allow: AuthStrategy,
    /// Owner rules: the field naming the item's owner (or owners, when it is a list).
    pub owner_field: Option<&'static str>,
    pub identity_claim: IdentityClaim,
    pub groups: &'static [&'static str],
    /// Dynamic groups: the field of each item naming the groups (one or a list) this rule
    /// admits, besides `groups`.
    pub groups_field: Option<&'static str>,
    pub operations: &'static [Operation],
    /// Stratus's conditional rules: the rule holds only for items matching all of these
    /// (`where: { status: { eq: PUBLISHED } }`). Empty: every item.
    pub condition: &'static [Condition],
    /// Parent rules: the `@belongsTo` relation field naming the parent.
    pub parent: Option<&'static str>,
}

impl AuthRuleSpec {
    pub fn allows(&self, operation: Operation) -> bool {
        self.operations.contains(&operation)
    }
}

/// One test of a conditional rule on one field of the item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Condition {
    pub field: &'static str,
    pub test: ConditionTest,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ConditionTest {
    Eq(Literal),
    Ne(Literal),
    /// `attributeExists: true | false`.
    Exists(bool),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Literal {
    String(&'static str),
    Int(i64),
    Boolean(bool),
}

/// The attribute every item carries for optimistic concurrency.
pub const VERSION_ATTRIBUTE: &str = "_version";
