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
    pub is_join_table: bool,
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
    Enum(&'static [&'static str]),
}

impl FieldKind {
    /// Stored as a DynamoDB number.
    pub fn is_numeric(self) -> bool {
        matches!(self, FieldKind::Int | FieldKind::Float)
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

#[derive(Debug)]
pub struct RelationSpec {
    pub field: &'static str,
    pub kind: RelationKind,
    pub target: &'static str,
    /// See the schema compiler's `ir::Relation` for which side holds these.
    pub foreign_keys: &'static [&'static str],
    pub index: Option<&'static str>,
    pub join: Option<JoinSpec>,
    pub cascade: bool,
}

#[derive(Debug)]
pub struct JoinSpec {
    pub table: &'static str,
    pub target_key: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct TimestampSpec {
    pub created_at: &'static str,
    pub updated_at: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthStrategy {
    Owner,
    Private,
    Public,
    Groups,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create,
    Read,
    Update,
    Delete,
}

#[derive(Debug)]
pub struct AuthRuleSpec {
    pub allow: AuthStrategy,
    pub owner_field: Option<&'static str>,
    pub groups: &'static [&'static str],
    pub operations: &'static [Operation],
}

/// The attribute every item carries for optimistic concurrency.
pub const VERSION_ATTRIBUTE: &str = "_version";
