//! GraphQL SDL to declarations: each directive read and checked for its own arguments. What
//! the declarations mean together (keys, relations) is `resolve`'s job.

use graphql_parser::schema::{self as gql, Definition, TypeDefinition};

use crate::error::{SchemaError, SchemaErrors};
use crate::ir::{
    AuthRule, AuthStrategy, Condition, ConditionTest, EnumDef, IdentityClaim, Literal, Operation,
    RelationKind,
};

pub struct Declared {
    pub types: Vec<DeclaredType>,
    pub enums: Vec<EnumDef>,
}

pub struct DeclaredType {
    pub name: String,
    pub line: usize,
    pub is_model: bool,
    pub model: ModelArguments,
    pub auth: Vec<AuthRule>,
    pub fields: Vec<DeclaredField>,
}

/// `@model(queries:, mutations:, timestamps:)`: `Some(None)` is an operation turned off.
#[derive(Default)]
pub struct ModelArguments {
    pub queries_off: bool,
    pub mutations_off: bool,
    pub names: Vec<(String, Option<String>)>,
    pub timestamps_off: bool,
    /// `None`: Amplify's default names, one per mutation the model has. Otherwise exactly those
    /// listed (`subscriptions: null` lists none), as (`onCreate`, name) pairs.
    pub subscriptions: Option<Vec<(String, String)>>,
    /// `None`: not named (Amplify's default name); `Some(None)`: turned off (`updatedAt: null`).
    pub created_at: Option<Option<String>>,
    pub updated_at: Option<Option<String>>,
}

pub struct DeclaredField {
    pub name: String,
    pub line: usize,
    pub type_name: String,
    pub list: bool,
    pub required: bool,
    pub primary_key: Option<Vec<String>>,
    pub indexes: Vec<DeclaredIndex>,
    pub relation: Option<DeclaredRelation>,
    pub default: Option<gql::Value<'static, String>>,
    /// Field-level `@auth`.
    pub auth: Vec<AuthRule>,
}

pub struct DeclaredIndex {
    pub name: Option<String>,
    pub sort: Vec<String>,
    /// `None`: not given (Amplify then names one); `Some(None)`: `queryField: null`.
    pub query_field: Option<Option<String>>,
}

pub struct DeclaredRelation {
    pub kind: RelationKind,
    pub index_name: Option<String>,
    pub fields: Vec<String>,
    pub relation_name: Option<String>,
    /// `@hasMany(limit:)`.
    pub limit: Option<u32>,
    pub cascade: bool,
    pub link_access: Operation,
}

/// The most items one read returns (the server's `MAX_LIMIT`).
const MAX_RELATION_LIMIT: u32 = 1000;

const TYPE_DIRECTIVES: &[&str] = &["model", "auth"];
const FIELD_DIRECTIVES: &[&str] = &[
    "primaryKey",
    "index",
    "hasOne",
    "hasMany",
    "belongsTo",
    "manyToMany",
    "default",
    "auth",
];

struct Parser<'f> {
    file: &'f str,
    errors: Vec<SchemaError>,
}

pub fn parse(file: &str, source: &str) -> Result<Declared, SchemaErrors> {
    let document = gql::parse_schema::<String>(source).map_err(|e| {
        let text = e.to_string();
        // graphql-parser says "schema parse error: Parse error at 3:5 ...".
        let line = text
            .split("at ")
            .nth(1)
            .and_then(|rest| rest.split(':').next())
            .and_then(|line| line.parse().ok())
            .unwrap_or(1);
        SchemaErrors(vec![SchemaError {
            file: file.to_owned(),
            line,
            type_name: None,
            message: format!("this is not valid GraphQL: {}", text.trim()),
        }])
    })?;
    let document = document.into_static();
    let mut parser = Parser {
        file,
        errors: Vec::new(),
    };
    let mut declared = Declared {
        types: Vec::new(),
        enums: Vec::new(),
    };
    for definition in document.definitions {
        match definition {
            Definition::TypeDefinition(TypeDefinition::Object(object)) => {
                declared.types.push(parser.object(object))
            }
            Definition::TypeDefinition(TypeDefinition::Enum(enumeration)) => {
                declared.enums.push(EnumDef {
                    name: enumeration.name,
                    values: enumeration.values.into_iter().map(|v| v.name).collect(),
                })
            }
            Definition::TypeDefinition(other) => {
                let (line, name, what) = match &other {
                    TypeDefinition::Scalar(t) => {
                        (t.position.line, t.name.clone(), "custom scalars")
                    }
                    TypeDefinition::Interface(t) => (t.position.line, t.name.clone(), "interfaces"),
                    TypeDefinition::Union(t) => (t.position.line, t.name.clone(), "unions"),
                    TypeDefinition::InputObject(t) => {
                        (t.position.line, t.name.clone(), "input types")
                    }
                    _ => unreachable!("objects and enums are handled above"),
                };
                parser.error(
                    line,
                    Some(&name),
                    format!("{what} are not supported in a Stratus schema"),
                );
            }
            Definition::SchemaDefinition(schema) => parser.error(
                schema.position.line,
                None,
                "a `schema` block is not needed: queries and mutations are generated".into(),
            ),
            Definition::TypeExtension(_) | Definition::DirectiveDefinition(_) => parser.error(
                1,
                None,
                "type extensions and directive definitions are not supported".into(),
            ),
        }
    }
    if parser.errors.is_empty() {
        Ok(declared)
    } else {
        Err(SchemaErrors(parser.errors))
    }
}

impl Parser<'_> {
    fn error(&mut self, line: usize, type_name: Option<&str>, message: String) {
        self.errors.push(SchemaError {
            file: self.file.to_owned(),
            line,
            type_name: type_name.map(str::to_owned),
            message,
        });
    }

    fn object(&mut self, object: gql::ObjectType<'static, String>) -> DeclaredType {
        let name = object.name.clone();
        let mut declared = DeclaredType {
            name: name.clone(),
            line: object.position.line,
            is_model: false,
            model: ModelArguments::default(),
            auth: Vec::new(),
            fields: Vec::new(),
        };
        for directive in &object.directives {
            match directive.name.as_str() {
                "model" => {
                    declared.is_model = true;
                    declared.model = self.model_arguments(&name, directive);
                }
                "auth" => declared.auth = self.auth_rules(&name, directive),
                other => {
                    self.unknown_directive(&name, directive.position.line, other, TYPE_DIRECTIVES)
                }
            }
        }
        for field in object.fields {
            let parsed = self.field(&name, field);
            declared.fields.push(parsed);
        }
        declared
    }

    fn unknown_directive(
        &mut self,
        type_name: &str,
        line: usize,
        directive: &str,
        allowed: &[&str],
    ) {
        let hint = match directive {
            "connection" | "key" => " (that is Amplify's first transformer; use @hasOne, @hasMany, @belongsTo, @primaryKey or @index)",
            _ => "",
        };
        let allowed = allowed
            .iter()
            .map(|d| format!("@{d}"))
            .collect::<Vec<_>>()
            .join(", ");
        self.error(
            line,
            Some(type_name),
            format!("unknown directive @{directive}{hint}; here Stratus knows {allowed}"),
        );
    }

    fn model_arguments(
        &mut self,
        type_name: &str,
        directive: &gql::Directive<'static, String>,
    ) -> ModelArguments {
        let mut arguments = ModelArguments::default();
        for (key, value) in &directive.arguments {
            match (key.as_str(), value) {
                ("queries", gql::Value::Null) => arguments.queries_off = true,
                ("mutations", gql::Value::Null) => arguments.mutations_off = true,
                ("timestamps", gql::Value::Null) => arguments.timestamps_off = true,
                ("queries" | "mutations", gql::Value::Object(names)) => {
                    for (operation, name) in names {
                        match name {
                            gql::Value::String(name) => arguments.names.push((operation.clone(), Some(name.clone()))),
                            gql::Value::Null => arguments.names.push((operation.clone(), None)),
                            _ => self.error(directive.position.line, Some(type_name), format!("@model({key}: {{{operation}: ...}}) takes a name or null")),
                        }
                    }
                }
                ("timestamps", gql::Value::Object(names)) => {
                    for (which, name) in names {
                        let name = match name {
                            gql::Value::String(name) => Some(name.clone()),
                            gql::Value::Null => None,
                            _ => {
                                self.error(directive.position.line, Some(type_name), "@model(timestamps:) takes field names or null".into());
                                continue;
                            }
                        };
                        match which.as_str() {
                            "createdAt" => arguments.created_at = Some(name),
                            "updatedAt" => arguments.updated_at = Some(name),
                            other => self.error(directive.position.line, Some(type_name), format!("@model(timestamps:) has no `{other}`; it takes createdAt and updatedAt")),
                        }
                    }
                }
                ("subscriptions", gql::Value::Null) => arguments.subscriptions = Some(Vec::new()),
                ("subscriptions", gql::Value::Object(settings)) => {
                    arguments.subscriptions = self.subscription_names(type_name, directive.position.line, settings);
                }
                ("subscriptions", _) => self.error(directive.position.line, Some(type_name), "@model(subscriptions:) takes null (none) or a map such as `{ onCreate: [\"onNewComment\"], onUpdate: null }`".into()),
                (other, _) => self.error(directive.position.line, Some(type_name), format!("@model has no argument `{other}`; it takes queries, mutations, subscriptions and timestamps")),
            }
        }
        arguments
    }

    /// `@model(subscriptions: { onCreate: ["name"], onUpdate: null, level: off })`: as in
    /// Amplify, a map turns on only the subscriptions it names.
    fn subscription_names(
        &mut self,
        type_name: &str,
        line: usize,
        settings: &std::collections::BTreeMap<String, gql::Value<'static, String>>,
    ) -> Option<Vec<(String, String)>> {
        let mut named = Vec::new();
        for (key, value) in settings {
            match (key.as_str(), value) {
                ("level", gql::Value::Enum(level)) if level == "off" => return Some(Vec::new()),
                ("level", gql::Value::Enum(level)) if level == "on" || level == "public" => {}
                ("level", _) => self.error(line, Some(type_name), "@model(subscriptions: { level: }) is on, public or off".into()),
                ("onCreate" | "onUpdate" | "onDelete", gql::Value::Null) => {}
                ("onCreate" | "onUpdate" | "onDelete", gql::Value::List(names)) => {
                    for name in names {
                        match name {
                            gql::Value::String(name) => named.push((key.clone(), name.clone())),
                            _ => self.error(line, Some(type_name), format!("@model(subscriptions: {{ {key}: }}) takes a list of names, such as [\"{key}{type_name}\"]")),
                        }
                    }
                }
                ("onCreate" | "onUpdate" | "onDelete", _) => self.error(line, Some(type_name), format!("@model(subscriptions: {{ {key}: }}) takes a list of names, or null")),
                (other, _) => self.error(line, Some(type_name), format!("@model(subscriptions:) has no `{other}`; it takes onCreate, onUpdate, onDelete and level")),
            }
        }
        if !settings.keys().any(|key| key.starts_with("on")) {
            // Only a level that leaves them on: Amplify's defaults.
            return None;
        }
        Some(named)
    }

    fn auth_rules(
        &mut self,
        type_name: &str,
        directive: &gql::Directive<'static, String>,
    ) -> Vec<AuthRule> {
        let line = directive.position.line;
        let Some((_, gql::Value::List(rules))) =
            directive.arguments.iter().find(|(k, _)| k == "rules")
        else {
            self.error(
                line,
                Some(type_name),
                "@auth needs rules: @auth(rules: [{ allow: owner }])".into(),
            );
            return Vec::new();
        };
        if rules.is_empty() {
            self.error(
                line,
                Some(type_name),
                "@auth has no rules; give at least one, such as { allow: owner }".into(),
            );
        }
        let mut parsed = Vec::new();
        for rule in rules {
            let gql::Value::Object(rule) = rule else {
                self.error(
                    line,
                    Some(type_name),
                    "each @auth rule is an object such as { allow: public, operations: [read] }"
                        .into(),
                );
                continue;
            };
            let allow = match rule.get("allow") {
                Some(gql::Value::Enum(allow)) => match allow.as_str() {
                    "owner" => AuthStrategy::Owner,
                    "private" => AuthStrategy::Private,
                    "public" => AuthStrategy::Public,
                    "groups" => AuthStrategy::Groups,
                    "parent" => AuthStrategy::Parent,
                    other => {
                        self.error(line, Some(type_name), format!("@auth allow: {other} is not supported; use owner, private, public, groups or parent"));
                        continue;
                    }
                },
                _ => {
                    self.error(
                        line,
                        Some(type_name),
                        "an @auth rule needs `allow: owner | private | public | groups | parent`"
                            .into(),
                    );
                    continue;
                }
            };
            let operations = match rule.get("operations") {
                None => Operation::ALL.to_vec(),
                Some(gql::Value::List(operations)) => operations
                    .iter()
                    .filter_map(|operation| match operation {
                        gql::Value::Enum(o) => match o.as_str() {
                            "create" => Some(Operation::Create),
                            "read" | "get" | "list" => Some(Operation::Read),
                            "update" => Some(Operation::Update),
                            "delete" => Some(Operation::Delete),
                            other => {
                                self.error(line, Some(type_name), format!("@auth operation `{other}` is not one of create, read, update, delete"));
                                None
                            }
                        },
                        _ => None,
                    })
                    .collect(),
                Some(_) => {
                    self.error(line, Some(type_name), "@auth operations is a list such as [read]".into());
                    continue;
                }
            };
            // Amplify's default, stated so that the model says which field an owner rule reads.
            let owner_field = match rule.get("ownerField") {
                Some(gql::Value::String(field)) => Some(field.clone()),
                _ if allow == AuthStrategy::Owner => Some("owner".to_owned()),
                _ => None,
            };
            // Every caller reaches Stratus through the identity pool, signed in with the user
            // pool or as a guest: `userPools`, `iam` and `apiKey` name those callers; an OIDC
            // provider or a Lambda authorizer would be someone else's, so the rule is refused.
            match rule.get("provider") {
                None => {}
                Some(gql::Value::Enum(provider))
                    if ["userPools", "iam", "apiKey", "identityPool"]
                        .contains(&provider.as_str()) => {}
                Some(other) => {
                    self.error(line, Some(type_name), format!("@auth provider: {other} is not supported: Stratus signs callers in with the user pool and its identity pool (userPools, iam, apiKey for guests)"));
                    continue;
                }
            }
            let groups_field = match rule.get("groupsField") {
                Some(gql::Value::String(field)) => Some(field.clone()),
                Some(_) => {
                    self.error(
                        line,
                        Some(type_name),
                        "@auth groupsField names a field: groupsField: \"editors\"".into(),
                    );
                    None
                }
                None => None,
            };
            let groups = match rule.get("groups") {
                Some(gql::Value::String(group)) => vec![group.clone()],
                Some(gql::Value::List(groups)) => groups
                    .iter()
                    .filter_map(|g| {
                        if let gql::Value::String(g) = g {
                            Some(g.clone())
                        } else {
                            None
                        }
                    })
                    .collect(),
                _ => Vec::new(),
            };
            if allow == AuthStrategy::Groups && groups.is_empty() && groups_field.is_none() {
                self.error(
                    line,
                    Some(type_name),
                    "an @auth groups rule needs groups: [\"admins\"], or groupsField: \"editors\" (a field of each item naming its groups)".into(),
                );
            }
            let identity_claim = match rule.get("identityClaim") {
                None => IdentityClaim::SubUsername,
                Some(gql::Value::String(claim)) if claim == "sub::username" => {
                    IdentityClaim::SubUsername
                }
                Some(gql::Value::String(claim)) if claim == "sub" => IdentityClaim::Sub,
                Some(gql::Value::String(claim))
                    if claim == "username" || claim == "cognito:username" =>
                {
                    IdentityClaim::Username
                }
                Some(other) => {
                    self.error(line, Some(type_name), format!("@auth identityClaim: {other} is not supported; use \"sub::username\" (the default), \"sub\" or \"username\""));
                    IdentityClaim::SubUsername
                }
            };
            let condition = match rule.get("where") {
                None => Vec::new(),
                Some(gql::Value::Object(tests)) => self.condition(type_name, line, tests),
                Some(_) => {
                    self.error(
                        line,
                        Some(type_name),
                        "@auth where: takes an object such as { status: { eq: PUBLISHED } }".into(),
                    );
                    Vec::new()
                }
            };
            let parent = match rule.get("relation") {
                Some(gql::Value::String(field)) => Some(field.clone()),
                _ => None,
            };
            if (allow == AuthStrategy::Parent) != parent.is_some() {
                self.error(line, Some(type_name), "`relation:` names the @belongsTo field of an `allow: parent` rule, and only of one: { allow: parent, relation: \"post\", operations: [delete] }".into());
            }
            if allow != AuthStrategy::Owner
                && (rule.contains_key("ownerField") || rule.contains_key("identityClaim"))
            {
                self.error(
                    line,
                    Some(type_name),
                    "ownerField and identityClaim belong to `allow: owner` rules".into(),
                );
            }
            parsed.push(AuthRule {
                allow,
                owner_field,
                identity_claim,
                groups,
                groups_field,
                operations,
                condition,
                parent,
            });
        }
        parsed
    }

    /// `where: { status: { eq: PUBLISHED }, deleted: { ne: true } }`: every test must hold.
    fn condition(
        &mut self,
        type_name: &str,
        line: usize,
        tests: &std::collections::BTreeMap<String, gql::Value<'static, String>>,
    ) -> Vec<Condition> {
        let mut condition = Vec::new();
        for (field, test) in tests {
            let gql::Value::Object(operators) = test else {
                self.error(
                    line,
                    Some(type_name),
                    format!("@auth where: `{field}` takes an object such as {{ eq: PUBLISHED }}"),
                );
                continue;
            };
            for (operator, value) in operators {
                let literal = match value {
                    gql::Value::String(s) | gql::Value::Enum(s) => Some(Literal::String(s.clone())),
                    gql::Value::Int(n) => n.as_i64().map(Literal::Int),
                    gql::Value::Boolean(b) => Some(Literal::Boolean(*b)),
                    _ => None,
                };
                let test = match (operator.as_str(), literal, value) {
                    ("eq", Some(literal), _) => ConditionTest::Eq(literal),
                    ("ne", Some(literal), _) => ConditionTest::Ne(literal),
                    ("attributeExists", _, gql::Value::Boolean(b)) => ConditionTest::Exists(*b),
                    _ => {
                        self.error(line, Some(type_name), format!(
                            "@auth where: `{field}: {{ {operator}: ... }}` is not supported; a condition tests a field with eq, ne (a string, enum value, number or boolean) or attributeExists (true or false)"
                        ));
                        continue;
                    }
                };
                condition.push(Condition {
                    field: field.clone(),
                    test,
                });
            }
        }
        condition
    }

    fn field(&mut self, type_name: &str, field: gql::Field<'static, String>) -> DeclaredField {
        let (inner_name, list, required) = unwrap_type(&field.field_type);
        let mut declared = DeclaredField {
            name: field.name.clone(),
            line: field.position.line,
            type_name: inner_name,
            list,
            required,
            primary_key: None,
            indexes: Vec::new(),
            relation: None,
            default: None,
            auth: Vec::new(),
        };
        for directive in field.directives {
            let line = directive.position.line;
            let argument = |name: &str| {
                directive
                    .arguments
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            };
            match directive.name.as_str() {
                "primaryKey" => {
                    declared.primary_key = Some(self.string_list(
                        type_name,
                        line,
                        argument("sortKeyFields"),
                        "sortKeyFields",
                    ))
                }
                "index" => declared.indexes.push(DeclaredIndex {
                    name: match argument("name") {
                        Some(gql::Value::Null) => {
                            self.error(line, Some(type_name), format!("field `{}` has @index(name: null); leave name out for Amplify's name, or give one", field.name));
                            None
                        }
                        name => self.string(name),
                    },
                    sort: self.string_list(
                        type_name,
                        line,
                        argument("sortKeyFields"),
                        "sortKeyFields",
                    ),
                    query_field: match argument("queryField") {
                        None => None,
                        Some(gql::Value::Null) => Some(None),
                        name => Some(self.string(name)),
                    },
                }),
                name @ ("hasOne" | "hasMany" | "belongsTo" | "manyToMany") => {
                    let kind = match name {
                        "hasOne" => RelationKind::HasOne,
                        "hasMany" => RelationKind::HasMany,
                        "belongsTo" => RelationKind::BelongsTo,
                        _ => RelationKind::ManyToMany,
                    };
                    if declared.relation.is_some() {
                        self.error(
                            line,
                            Some(type_name),
                            format!("field `{}` has two relation directives", field.name),
                        );
                    }
                    let cascade = match argument("onDelete") {
                        None => false,
                        Some(gql::Value::Enum(value)) if value == "CASCADE" => true,
                        Some(gql::Value::Enum(value)) if value == "NONE" => false,
                        Some(_) => {
                            self.error(
                                line,
                                Some(type_name),
                                "onDelete takes CASCADE or NONE".into(),
                            );
                            false
                        }
                    };
                    if cascade
                        && !matches!(
                            kind,
                            RelationKind::HasOne | RelationKind::HasMany | RelationKind::ManyToMany
                        )
                    {
                        self.error(line, Some(type_name), format!("onDelete: CASCADE belongs on the parent's @hasOne or @hasMany, not on @{name}"));
                    }
                    for (key, _) in &directive.arguments {
                        let allowed: &[&str] = match kind {
                            RelationKind::HasMany => {
                                &["indexName", "fields", "limit", "onDelete", "linkAccess"]
                            }
                            RelationKind::HasOne => &["fields", "onDelete", "linkAccess"],
                            RelationKind::BelongsTo => &["fields", "linkAccess"],
                            RelationKind::ManyToMany => &["relationName", "onDelete", "linkAccess"],
                        };
                        if !allowed.contains(&key.as_str()) {
                            self.error(
                                line,
                                Some(type_name),
                                format!(
                                    "@{name} has no argument `{key}`; it takes {}",
                                    allowed.join(", ")
                                ),
                            );
                        }
                    }
                    if matches!(argument("fields"), Some(gql::Value::List(ref fields)) if fields.is_empty())
                    {
                        self.error(line, Some(type_name), format!("field `{}` has @{name}(fields: []); name the fields holding the key, or leave fields out", field.name));
                    }
                    let limit = match argument("limit") {
                        None => None,
                        Some(gql::Value::Int(n)) => match n.as_i64().and_then(|n| u32::try_from(n).ok()) {
                            Some(n) if (1..=MAX_RELATION_LIMIT).contains(&n) => Some(n),
                            _ => {
                                self.error(line, Some(type_name), format!("@hasMany(limit:) is a number of items from 1 to {MAX_RELATION_LIMIT} (the most one read returns)"));
                                None
                            }
                        },
                        Some(_) => {
                            self.error(line, Some(type_name), "@hasMany(limit:) is a number of items, such as 50".into());
                            None
                        }
                    };
                    declared.relation = Some(DeclaredRelation {
                        limit,
                        kind,
                        index_name: self.string(argument("indexName")),
                        fields: self.string_list(type_name, line, argument("fields"), "fields"),
                        relation_name: self
                            .string(argument("relationName"))
                            .map(|name| crate::naming::type_name(&name)),
                        cascade,
                        link_access: match argument("linkAccess") {
                            None => Operation::Update,
                            Some(gql::Value::Enum(value)) if value == "UPDATE" => Operation::Update,
                            Some(gql::Value::Enum(value)) if value == "READ" => Operation::Read,
                            Some(_) => {
                                self.error(line, Some(type_name), "linkAccess takes READ or UPDATE: the right on the related item that setting this relation needs".into());
                                Operation::Update
                            }
                        },
                    });
                }
                "default" => match argument("value") {
                    Some(gql::Value::Null) => self.error(
                        line,
                        Some(type_name),
                        format!("field `{}` has @default(value: null); a field without a value is already null, so leave @default out", field.name),
                    ),
                    Some(value) => declared.default = Some(value),
                    None => self.error(
                        line,
                        Some(type_name),
                        "@default needs a value: @default(value: \"draft\")".into(),
                    ),
                },
                "auth" => declared.auth = self.auth_rules(type_name, &directive),
                other => self.unknown_directive(type_name, line, other, FIELD_DIRECTIVES),
            }
        }
        declared
    }

    fn string(&self, value: Option<gql::Value<'static, String>>) -> Option<String> {
        match value {
            Some(gql::Value::String(s)) => Some(s),
            _ => None,
        }
    }

    fn string_list(
        &mut self,
        type_name: &str,
        line: usize,
        value: Option<gql::Value<'static, String>>,
        what: &str,
    ) -> Vec<String> {
        match value {
            None => Vec::new(),
            Some(gql::Value::String(single)) => vec![single],
            Some(gql::Value::List(items)) => items
                .into_iter()
                .filter_map(|item| match item {
                    gql::Value::String(s) => Some(s),
                    _ => {
                        self.error(
                            line,
                            Some(type_name),
                            format!("{what} lists field names as strings"),
                        );
                        None
                    }
                })
                .collect(),
            Some(_) => {
                self.error(
                    line,
                    Some(type_name),
                    format!("{what} lists field names as strings: [\"a\", \"b\"]"),
                );
                Vec::new()
            }
        }
    }
}

/// `[Post!]!` -> ("Post", list, required).
fn unwrap_type(ty: &gql::Type<'static, String>) -> (String, bool, bool) {
    match ty {
        gql::Type::NamedType(name) => (name.clone(), false, false),
        gql::Type::NonNullType(inner) => {
            let (name, list, _) = unwrap_type(inner);
            (name, list, true)
        }
        gql::Type::ListType(inner) => {
            let (name, _, _) = unwrap_type(inner);
            (name, true, false)
        }
    }
}
