//! The resolved data model: what `schema.graphql` means once every default is applied and every
//! relation is wired. Generation and provisioning read this, never the GraphQL syntax;
//! `cargo xtask schema` prints it as JSON (the serde attributes shape that JSON).

use serde::{Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    pub models: Vec<Model>,
    pub enums: Vec<EnumDef>,
}

/// Names GraphQL itself gives the root types; a model may not take them.
pub const RESERVED_TYPE_NAMES: [&str; 3] = ["Query", "Mutation", "Subscription"];

impl Schema {
    pub fn model(&self, name: &str) -> Option<&Model> {
        self.models.iter().find(|m| m.name == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnumDef {
    pub name: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Model {
    pub name: String,
    pub line: usize,
    /// Stored attributes: declared scalars and enums, then the ones Stratus adds (foreign keys,
    /// owner, timestamps).
    pub fields: Vec<Field>,
    pub relations: Vec<Relation>,
    pub primary_key: PrimaryKey,
    /// Global secondary indexes: from `@index`, and those relations need.
    pub indexes: Vec<Index>,
    pub auth: Vec<AuthRule>,
    /// Foreign keys held by this model, with the right each needs on its target.
    pub references: Vec<Reference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamps: Option<Timestamps>,
    pub operations: Operations,
    pub subscriptions: Subscriptions,
    /// A `@manyToMany` join table, which the schema names but does not declare.
    pub is_join_table: bool,
}

impl Model {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    pub name: String,
    pub line: usize,
    #[serde(rename = "type")]
    pub ty: FieldType,
    pub list: bool,
    pub required: bool,
    pub default: Option<DefaultValue>,
    /// Added by Stratus (foreign key, owner, timestamp), not written in the schema.
    pub generated: bool,
    /// Field-level `@auth` rules; empty when the model's rules apply.
    pub auth: Vec<AuthRule>,
}

/// Printed by its GraphQL name (`AWSDateTime`, or the enum's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    Scalar(Scalar),
    Enum(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    Id,
    String,
    Int,
    Float,
    Boolean,
    AwsDateTime,
    AwsDate,
    AwsEmail,
    AwsUrl,
    AwsJson,
    AwsTime,
    /// Seconds since the epoch: a number.
    AwsTimestamp,
    AwsPhone,
    AwsIpAddress,
}

impl Scalar {
    pub fn from_graphql(name: &str) -> Option<Self> {
        Some(match name {
            "ID" => Scalar::Id,
            "String" => Scalar::String,
            "Int" => Scalar::Int,
            "Float" => Scalar::Float,
            "Boolean" => Scalar::Boolean,
            "AWSDateTime" => Scalar::AwsDateTime,
            "AWSDate" => Scalar::AwsDate,
            "AWSEmail" => Scalar::AwsEmail,
            "AWSURL" => Scalar::AwsUrl,
            "AWSJSON" => Scalar::AwsJson,
            "AWSTime" => Scalar::AwsTime,
            "AWSTimestamp" => Scalar::AwsTimestamp,
            "AWSPhone" => Scalar::AwsPhone,
            "AWSIPAddress" => Scalar::AwsIpAddress,
            _ => return None,
        })
    }

    pub fn graphql_name(self) -> &'static str {
        match self {
            Scalar::Id => "ID",
            Scalar::String => "String",
            Scalar::Int => "Int",
            Scalar::Float => "Float",
            Scalar::Boolean => "Boolean",
            Scalar::AwsDateTime => "AWSDateTime",
            Scalar::AwsDate => "AWSDate",
            Scalar::AwsEmail => "AWSEmail",
            Scalar::AwsUrl => "AWSURL",
            Scalar::AwsJson => "AWSJSON",
            Scalar::AwsTime => "AWSTime",
            Scalar::AwsTimestamp => "AWSTimestamp",
            Scalar::AwsPhone => "AWSPhone",
            Scalar::AwsIpAddress => "AWSIPAddress",
        }
    }

    pub const SUPPORTED: &'static str = "ID, String, Int, Float, Boolean, AWSDateTime, AWSDate, \
         AWSTime, AWSTimestamp, AWSEmail, AWSURL, AWSPhone, AWSIPAddress, AWSJSON";

    /// Stored as a DynamoDB number.
    pub fn is_numeric(self) -> bool {
        matches!(self, Scalar::Int | Scalar::Float | Scalar::AwsTimestamp)
    }

    /// Whether DynamoDB can key on it (strings and numbers).
    pub fn is_key_type(self) -> bool {
        !matches!(self, Scalar::Boolean | Scalar::AwsJson)
    }
}

impl FieldType {
    /// `AWSDateTime`, or the enum's name.
    pub fn graphql_name(&self) -> &str {
        match self {
            FieldType::Scalar(scalar) => scalar.graphql_name(),
            FieldType::Enum(name) => name,
        }
    }
}

impl Serialize for FieldType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.graphql_name())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum DefaultValue {
    String(String),
    Int(i64),
    Float(f64),
    Boolean(bool),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrimaryKey {
    pub partition: String,
    pub sort: Vec<String>,
}

/// The attribute a sort key is stored in: the field itself, or `a#b` for several fields
/// (the data layer writes it; `app/src/data/spec.rs` has the same rule for the running server).
pub fn sort_attribute(sort: &[String]) -> Option<String> {
    (!sort.is_empty()).then(|| sort.join("#"))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Index {
    pub name: String,
    pub partition: String,
    pub sort: Vec<String>,
    /// The generated query function's name: the schema's `queryField`, or Amplify's
    /// `<plural>By<Field>And<Sort>`; `None` when the schema says `queryField: null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_field: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RelationKind {
    HasOne,
    HasMany,
    BelongsTo,
    ManyToMany,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Relation {
    pub field: String,
    pub line: usize,
    pub kind: RelationKind,
    /// The related model (for `@manyToMany`, the model on the other side).
    pub target: String,
    /// Where the link is stored:
    /// - HasOne, BelongsTo: fields of this model holding the target's key;
    /// - HasMany: fields of the target holding this model's key, read through `index`;
    /// - ManyToMany: the field of the join table holding this model's id, read through `index`.
    pub foreign_keys: Vec<String>,
    pub index: Option<String>,
    /// ManyToMany: the join table, and its field holding the target's id.
    pub join: Option<Join>,
    /// HasMany and ManyToMany: how many related items a read returns unless the caller asks for
    /// another number (`@hasMany(limit:)`, 100 by default as in Amplify).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Deleting this model deletes the related items (Stratus's `onDelete: CASCADE`).
    pub cascade: bool,
    /// The right on the target that setting this relation needs (Stratus's `linkAccess`).
    pub link_access: Operation,
}

/// Fields of a model that hold another model's key (see `app/src/data/spec.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reference {
    pub relation: String,
    pub fields: Vec<String>,
    pub target: String,
    pub access: Operation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Join {
    pub table: String,
    pub target_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timestamps {
    /// `None`: the schema turned this one off (`timestamps: { updatedAt: null }`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// The API names of the model's operations; `None` when the schema turns one off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Operations {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub get: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delete: Option<String>,
}

/// Amplify's subscription names for each kind of change (several may report one kind); empty
/// where the schema turned it off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscriptions {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub on_create: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub on_update: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub on_delete: Vec<String>,
}

impl Subscriptions {
    pub fn is_empty(&self) -> bool {
        self.on_create.is_empty() && self.on_update.is_empty() && self.on_delete.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum AuthStrategy {
    Owner,
    Private,
    Public,
    Groups,
    Parent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum IdentityClaim {
    Sub,
    Username,
    /// Amplify's default: the owner field stores `<sub>::<username>`.
    #[serde(rename = "sub::username")]
    SubUsername,
}

/// One field test of a conditional rule's `where`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    pub field: String,
    pub test: ConditionTest,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ConditionTest {
    Eq(Literal),
    Ne(Literal),
    #[serde(rename = "attributeExists")]
    Exists(bool),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Literal {
    String(String),
    Int(i64),
    Boolean(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Operation {
    Create,
    Read,
    Update,
    Delete,
}

impl Operation {
    pub const ALL: [Operation; 4] = [
        Operation::Create,
        Operation::Read,
        Operation::Update,
        Operation::Delete,
    ];
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthRule {
    pub allow: AuthStrategy,
    pub owner_field: Option<String>,
    pub identity_claim: IdentityClaim,
    pub groups: Vec<String>,
    /// Dynamic groups: the field of each item naming the groups (one or a list) allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups_field: Option<String>,
    pub operations: Vec<Operation>,
    pub condition: Vec<Condition>,
    /// Parent rules: the `@belongsTo` field naming the parent.
    pub parent: Option<String>,
}

impl AuthRule {
    /// The field an owner rule keeps its owner in: `ownerField`, or Amplify's `owner`.
    pub fn owner_field(&self) -> Option<&str> {
        (self.allow == AuthStrategy::Owner).then(|| self.owner_field.as_deref().unwrap_or("owner"))
    }
}
