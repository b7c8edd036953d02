//! Declarations to the resolved model: keys, defaults, timestamps, owner fields, and relations
//! wired as Amplify lays them out, so an Amplify user recognizes the tables:
//! - `@hasMany` without arguments: the child holds `<parent><Field><KeyField>` for each field of
//!   the parent's key (`postCommentsId`; `patientVisitsSsn` for a parent keyed by `ssn`), read
//!   through a GSI `gsi-<Parent>.<field>` whose sort key holds the key's sort parts;
//! - `@hasOne`: the parent holds `<parent><Field><KeyField>` for the child's key;
//! - `@belongsTo`: reuses its parent's foreign key, or holds its own for a `@hasOne` parent;
//! - `@manyToMany(relationName: "PostTags")`: a join table `PostTags` with `postId` and `tagId`
//!   and an unsorted GSI per side (`byPost`, `byTag`).
//!
//! Names and refusals follow Amplify's transformers; `tests/amplify/` holds the cases.

use std::collections::{BTreeSet, HashMap};

use graphql_parser::schema as gql;

use crate::error::{SchemaError, SchemaErrors};
use crate::ir::*;
use crate::naming::{camel_case, lower_first, plural, upper_first};
use crate::parse::{Declared, DeclaredField, DeclaredType};

struct Resolver<'f> {
    file: &'f str,
    errors: Vec<SchemaError>,
}

pub fn resolve(file: &str, declared: Declared) -> Result<Schema, SchemaErrors> {
    let mut resolver = Resolver {
        file,
        errors: Vec::new(),
    };
    let schema = resolver.schema(declared);
    if resolver.errors.is_empty() {
        Ok(schema)
    } else {
        Err(SchemaErrors(resolver.errors))
    }
}

fn generated_id_field(name: String, line: usize, required: bool) -> Field {
    Field {
        name,
        line,
        ty: FieldType::Scalar(Scalar::Id),
        list: false,
        required,
        default: None,
        generated: true,
        auth: Vec::new(),
    }
}

impl Resolver<'_> {
    fn error(&mut self, line: usize, type_name: &str, message: String) {
        self.errors.push(SchemaError {
            file: self.file.to_owned(),
            line,
            type_name: Some(type_name.to_owned()),
            message,
        });
    }

    fn schema(&mut self, declared: Declared) -> Schema {
        let model_names: BTreeSet<String> = declared
            .types
            .iter()
            .filter(|t| t.is_model)
            .map(|t| t.name.clone())
            .collect();
        let enums: HashMap<String, EnumDef> = declared
            .enums
            .iter()
            .map(|e| (e.name.clone(), e.clone()))
            .collect();

        let mut seen = BTreeSet::new();
        for name in declared
            .types
            .iter()
            .map(|t| &t.name)
            .chain(declared.enums.iter().map(|e| &e.name))
        {
            if !seen.insert(name.clone()) {
                let line = declared
                    .types
                    .iter()
                    .find(|t| &t.name == name)
                    .map_or(1, |t| t.line);
                self.error(line, name, "is declared twice".into());
            }
        }

        for declared_type in &declared.types {
            if RESERVED_TYPE_NAMES.contains(&declared_type.name.as_str()) {
                self.error(declared_type.line, &declared_type.name, format!(
                    "{} is the name of GraphQL's root type for operations; give the model another name",
                    declared_type.name
                ));
            }
        }
        let mut models = Vec::new();
        for declared_type in &declared.types {
            if !declared_type.is_model {
                self.error(
                    declared_type.line,
                    &declared_type.name,
                    "has no @model: Stratus stores @model types only (keep nested data in an AWSJSON field)".into(),
                );
                continue;
            }
            models.push(self.model(declared_type, &model_names, &enums));
        }
        self.relations(&declared.types, &mut models);
        references(&mut models);
        for model in &models {
            self.check_keys(model);
            self.check_auth(model, &enums);
        }
        Schema {
            models,
            enums: declared.enums,
        }
    }

    fn model(
        &mut self,
        declared: &DeclaredType,
        model_names: &BTreeSet<String>,
        enums: &HashMap<String, EnumDef>,
    ) -> Model {
        let name = &declared.name;
        let mut fields = Vec::new();
        let mut primary_key: Option<PrimaryKey> = None;
        let mut indexes = Vec::new();

        for field in &declared.fields {
            if field.relation.is_some() && field.default.is_some() {
                self.error(field.line, name, format!(
                    "field `{}` is a relation and has @default; @default is for scalar and enum fields",
                    field.name
                ));
            }
            if field.relation.is_some() {
                if !model_names.contains(&field.type_name) {
                    self.error(
                        field.line,
                        name,
                        format!(
                        "field `{}` relates to {}, which is not a type with @model in this schema",
                        field.name, field.type_name
                    ),
                    );
                }
                continue;
            }
            let ty = if let Some(scalar) = Scalar::from_graphql(&field.type_name) {
                FieldType::Scalar(scalar)
            } else if enums.contains_key(&field.type_name) {
                FieldType::Enum(field.type_name.clone())
            } else if model_names.contains(&field.type_name) {
                self.error(field.line, name, format!(
                    "field `{}` has type {}, a model, without a relation: add @hasOne, @hasMany, @belongsTo or @manyToMany",
                    field.name, field.type_name
                ));
                continue;
            } else if field.type_name.starts_with("AWS") {
                self.error(
                    field.line,
                    name,
                    format!(
                    "field `{}` has the scalar {}, which Stratus does not support; supported: {}",
                    field.name, field.type_name, Scalar::SUPPORTED
                ),
                );
                continue;
            } else {
                self.error(
                    field.line,
                    name,
                    format!(
                        "field `{}` has the type {}, which this schema does not declare",
                        field.name, field.type_name
                    ),
                );
                continue;
            };
            let default = field
                .default
                .as_ref()
                .and_then(|value| self.default_value(name, field, &ty, value, enums));
            if let Some(sort) = &field.primary_key {
                if primary_key.is_some() {
                    self.error(field.line, name, "has @primaryKey on two fields; put it on one and name the others in sortKeyFields".into());
                }
                primary_key = Some(PrimaryKey {
                    partition: field.name.clone(),
                    sort: sort.clone(),
                });
            }
            for index in &field.indexes {
                // Amplify's name for both: `testsByCategoryAndPriority`.
                let generated = format!(
                    "{}By{}",
                    lower_first(&plural(name)),
                    std::iter::once(&field.name)
                        .chain(&index.sort)
                        .map(|f| upper_first(f))
                        .collect::<Vec<_>>()
                        .join("And")
                );
                let index_name = index.name.clone().unwrap_or_else(|| generated.clone());
                let valid_name = (3..=255).contains(&index_name.len())
                    && index_name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
                if !valid_name {
                    self.error(field.line, name, format!(
                        "index name {index_name:?} is not one DynamoDB takes: 3 to 255 letters, digits, `_`, `-` or `.`"
                    ));
                }
                indexes.push(Index {
                    name: index_name,
                    partition: field.name.clone(),
                    sort: index.sort.clone(),
                    query_field: index.query_field.clone().unwrap_or(Some(generated)),
                });
            }
            fields.push(Field {
                name: field.name.clone(),
                line: field.line,
                ty,
                list: field.list,
                required: field.required,
                default,
                generated: false,
                auth: field.auth.clone(),
            });
        }

        // DynamoDB stores no item without its key; Amplify refuses a declared key that may be null.
        if let Some(key) = &primary_key {
            for key_field in std::iter::once(&key.partition).chain(&key.sort) {
                if let Some(field) = fields.iter().find(|f| &f.name == key_field && !f.required) {
                    let line = field.line;
                    self.error(line, name, format!(
                        "the primary key uses `{key_field}`, which may be null; make it required ({key_field}: {}!)",
                        field.ty.graphql_name()
                    ));
                }
            }
        }

        // Amplify adds `id: ID!` when no other primary key is declared.
        let primary_key = primary_key.unwrap_or_else(|| {
            if fields.iter().all(|f| f.name != "id") {
                fields.insert(0, generated_id_field("id".into(), declared.line, true));
            }
            PrimaryKey {
                partition: "id".into(),
                sort: Vec::new(),
            }
        });

        let field_rules = declared.fields.iter().flat_map(|f| f.auth.iter());
        for owner in declared
            .auth
            .iter()
            .chain(field_rules)
            .filter_map(AuthRule::owner_field)
        {
            match fields.iter().find(|f| f.name == owner) {
                None => fields.push(Field {
                    name: owner.to_owned(),
                    line: declared.line,
                    ty: FieldType::Scalar(Scalar::String),
                    list: false,
                    required: false,
                    default: None,
                    generated: true,
                    auth: Vec::new(),
                }),
                Some(field)
                    if !matches!(field.ty, FieldType::Scalar(Scalar::String | Scalar::Id)) =>
                {
                    let line = field.line;
                    self.error(line, name, format!("`{owner}` is an owner field, so it holds user ids: make it String, ID or a list of them"));
                }
                Some(_) => {}
            }
        }

        // Amplify's names unless the schema renames them, or turns one (or both) off.
        let stamp = |named: &Option<Option<String>>, default: &str| match named {
            None => Some(default.to_owned()),
            Some(name) => name.clone(),
        };
        let timestamps = Some(Timestamps {
            created_at: stamp(&declared.model.created_at, "createdAt"),
            updated_at: stamp(&declared.model.updated_at, "updatedAt"),
        })
        .filter(|t| {
            !declared.model.timestamps_off && (t.created_at.is_some() || t.updated_at.is_some())
        });
        if let Some(timestamps) = &timestamps {
            for stamp in [&timestamps.created_at, &timestamps.updated_at]
                .into_iter()
                .flatten()
            {
                if fields.iter().all(|f| &f.name != stamp) {
                    fields.push(Field {
                        name: stamp.clone(),
                        line: declared.line,
                        ty: FieldType::Scalar(Scalar::AwsDateTime),
                        list: false,
                        required: true,
                        default: None,
                        generated: true,
                        auth: Vec::new(),
                    });
                }
            }
        }

        let operations = self.operations(declared);
        Model {
            name: name.clone(),
            line: declared.line,
            fields,
            relations: Vec::new(),
            primary_key,
            indexes,
            auth: declared.auth.clone(),
            references: Vec::new(),
            timestamps,
            subscriptions: subscriptions(declared, &operations),
            operations,
            is_join_table: false,
        }
    }

    fn operations(&mut self, declared: &DeclaredType) -> Operations {
        let name = &declared.name;
        let arguments = &declared.model;
        let named = |operation: &str, default: String, off: bool| -> Option<String> {
            match arguments.names.iter().find(|(o, _)| o == operation) {
                Some((_, renamed)) => renamed.clone(),
                None if off => None,
                None => Some(default),
            }
        };
        for (operation, _) in &arguments.names {
            if !["get", "list", "create", "update", "delete"].contains(&operation.as_str()) {
                self.error(declared.line, name, format!("@model names an operation `{operation}`; there are get, list, create, update and delete"));
            }
        }
        let name = upper_first(name);
        Operations {
            get: named("get", format!("get{name}"), arguments.queries_off),
            list: named(
                "list",
                format!("list{}", plural(&name)),
                arguments.queries_off,
            ),
            create: named("create", format!("create{name}"), arguments.mutations_off),
            update: named("update", format!("update{name}"), arguments.mutations_off),
            delete: named("delete", format!("delete{name}"), arguments.mutations_off),
        }
    }

    fn default_value(
        &mut self,
        type_name: &str,
        field: &DeclaredField,
        ty: &FieldType,
        value: &gql::Value<'static, String>,
        enums: &HashMap<String, EnumDef>,
    ) -> Option<DefaultValue> {
        // Amplify writes every default as a string: @default(value: "0").
        let text = match value {
            gql::Value::String(s) => s.clone(),
            gql::Value::Int(n) => n.as_i64().map(|n| n.to_string()).unwrap_or_default(),
            gql::Value::Float(f) => f.to_string(),
            gql::Value::Boolean(b) => b.to_string(),
            gql::Value::Enum(e) => e.clone(),
            _ => String::new(),
        };
        let parsed = match ty {
            FieldType::Scalar(Scalar::Int | Scalar::AwsTimestamp) => {
                text.parse().ok().map(DefaultValue::Int)
            }
            FieldType::Scalar(Scalar::Float) => text.parse().ok().map(DefaultValue::Float),
            FieldType::Scalar(Scalar::Boolean) => text.parse().ok().map(DefaultValue::Boolean),
            FieldType::Enum(enumeration) => enums[enumeration]
                .values
                .contains(&text)
                .then(|| DefaultValue::String(text.clone())),
            FieldType::Scalar(scalar) => {
                fits_text_scalar(*scalar, &text).then(|| DefaultValue::String(text.clone()))
            }
        };
        if parsed.is_none() {
            let expected = match ty {
                FieldType::Enum(e) => format!("one of {}", enums[e].values.join(", ")),
                FieldType::Scalar(s) => format!("a {s:?}"),
            };
            self.error(
                field.line,
                type_name,
                format!(
                    "field `{}` has @default(value: {text:?}), which is not {expected}",
                    field.name
                ),
            );
        }
        parsed
    }

    fn relations(&mut self, declared: &[DeclaredType], models: &mut Vec<Model>) {
        let index_of = |models: &Vec<Model>, name: &str| models.iter().position(|m| m.name == name);
        let mut many_to_many: Vec<(String, String, &DeclaredField)> = Vec::new();

        for declared_type in declared.iter().filter(|t| t.is_model) {
            let parent = &declared_type.name;
            for field in &declared_type.fields {
                let Some(relation) = &field.relation else {
                    continue;
                };
                let Some(target_index) = index_of(models, &field.type_name) else {
                    continue;
                };
                let parent_index = index_of(models, parent).expect("every model was resolved");
                let line = field.line;
                let resolved = match relation.kind {
                    RelationKind::HasMany => {
                        if !field.list {
                            self.error(
                                line,
                                parent,
                                format!(
                                    "field `{}` is @hasMany, so its type must be a list: [{}]",
                                    field.name, field.type_name
                                ),
                            );
                            continue;
                        }
                        let (foreign_key, index) = match &relation.index_name {
                            Some(index_name) => {
                                let target = &models[target_index];
                                match target.indexes.iter().find(|i| &i.name == index_name) {
                                    Some(index) => {
                                        let index_key: Vec<String> =
                                            std::iter::once(index.partition.clone())
                                                .chain(index.sort.iter().cloned())
                                                .collect();
                                        self.check_named_key_fields(
                                            &models[parent_index],
                                            field,
                                            &relation.fields,
                                            target,
                                            &index_key,
                                            true,
                                        );
                                        // DynamoDB leaves an item out of a GSI when a key attribute is
                                        // missing: the relation (and its cascade) would not see it.
                                        let optional = index
                                            .sort
                                            .iter()
                                            .find(|s| target.field(s).is_some_and(|f| !f.required));
                                        if let Some(optional) = optional {
                                            self.error(line, parent, format!(
                                                "field `{}` reads {} through index {index_name:?}, whose sort key `{optional}` is optional: \
                                                 items without it would be missing from the relation. Make `{optional}` required (!) or sort on a field that is always set, such as createdAt",
                                                field.name, field.type_name
                                            ));
                                        }
                                        (vec![index.partition.clone()], index.name.clone())
                                    }
                                    None => {
                                        self.error(line, parent, format!(
                                            "field `{}` uses indexName: {index_name:?}, but {} has no @index with that name",
                                            field.name, field.type_name
                                        ));
                                        continue;
                                    }
                                }
                            }
                            None => {
                                // The child holds the parent's key, a field per key part.
                                let connection =
                                    connection_fields(parent, &field.name, &models[parent_index]);
                                let index = format!("gsi-{parent}.{}", field.name);
                                let target = &mut models[target_index];
                                add_generated_fields(target, &connection, line);
                                let names: Vec<String> =
                                    connection.into_iter().map(|(name, _)| name).collect();
                                target.indexes.push(Index {
                                    name: index.clone(),
                                    partition: names[0].clone(),
                                    sort: names[1..].to_vec(),
                                    query_field: None,
                                });
                                (names, index)
                            }
                        };
                        Relation {
                            field: field.name.clone(),
                            line,
                            kind: RelationKind::HasMany,
                            target: field.type_name.clone(),
                            foreign_keys: foreign_key,
                            index: Some(index),
                            limit: Some(relation.limit.unwrap_or(DEFAULT_RELATION_LIMIT)),
                            join: None,
                            cascade: relation.cascade,
                            link_access: relation.link_access,
                        }
                    }
                    RelationKind::HasOne => {
                        if field.list {
                            self.error(
                                line,
                                parent,
                                format!(
                                    "field `{}` is @hasOne, so its type is one {}, not a list",
                                    field.name, field.type_name
                                ),
                            );
                            continue;
                        }
                        let foreign_keys = self.own_foreign_keys(
                            models,
                            parent_index,
                            target_index,
                            field,
                            &relation.fields,
                        );
                        Relation {
                            field: field.name.clone(),
                            line,
                            kind: RelationKind::HasOne,
                            target: field.type_name.clone(),
                            foreign_keys,
                            index: None,
                            limit: None,
                            join: None,
                            cascade: relation.cascade,
                            link_access: relation.link_access,
                        }
                    }
                    RelationKind::BelongsTo => {
                        if field.list {
                            self.error(
                                line,
                                parent,
                                format!(
                                    "field `{}` is @belongsTo, so its type is one {}, not a list",
                                    field.name, field.type_name
                                ),
                            );
                            continue;
                        }
                        // The other side: a @hasOne or @hasMany of the parent that points here.
                        let counterpart = declared
                            .iter()
                            .find(|t| t.name == field.type_name)
                            .into_iter()
                            .flat_map(|t| t.fields.iter())
                            .find(|f| {
                                f.type_name == *parent
                                    && f.relation.as_ref().is_some_and(|r| {
                                        matches!(
                                            r.kind,
                                            RelationKind::HasMany | RelationKind::HasOne
                                        )
                                    })
                            });
                        let Some(counterpart) = counterpart else {
                            self.error(line, parent, format!(
                                "field `{}` is @belongsTo {}, but {} has no @hasMany or @hasOne field of type {parent}: add the other side of the relation",
                                field.name, field.type_name, field.type_name
                            ));
                            continue;
                        };
                        let counterpart_relation =
                            counterpart.relation.as_ref().expect("filtered on it");
                        let foreign_keys = if !relation.fields.is_empty()
                            || counterpart_relation.kind == RelationKind::HasOne
                        {
                            self.own_foreign_keys(
                                models,
                                parent_index,
                                target_index,
                                field,
                                &relation.fields,
                            )
                        } else {
                            match &counterpart_relation.index_name {
                                Some(index_name) => models[parent_index]
                                    .indexes
                                    .iter()
                                    .find(|i| &i.name == index_name)
                                    .map(|i| vec![i.partition.clone()])
                                    .unwrap_or_default(),
                                None => connection_fields(
                                    &field.type_name,
                                    &counterpart.name,
                                    &models[target_index],
                                )
                                .into_iter()
                                .map(|(name, _)| name)
                                .collect(),
                            }
                        };
                        Relation {
                            field: field.name.clone(),
                            line,
                            kind: RelationKind::BelongsTo,
                            target: field.type_name.clone(),
                            foreign_keys,
                            index: None,
                            limit: None,
                            join: None,
                            cascade: false,
                            link_access: relation.link_access,
                        }
                    }
                    RelationKind::ManyToMany => {
                        if !field.list {
                            self.error(
                                line,
                                parent,
                                format!(
                                    "field `{}` is @manyToMany, so its type must be a list: [{}]",
                                    field.name, field.type_name
                                ),
                            );
                            continue;
                        }
                        match &relation.relation_name {
                            Some(name) => many_to_many.push((parent.clone(), name.clone(), field)),
                            None => self.error(line, parent, format!("field `{}` is @manyToMany without relationName: @manyToMany(relationName: \"PostTags\")", field.name)),
                        }
                        continue;
                    }
                };
                models[parent_index].relations.push(resolved);
            }
        }
        self.join_tables(many_to_many, models);
    }

    /// The fields of the model at `holder` that hold the key of the model at `target`: named by
    /// `fields:` (all of the key, in order, of the key's types), or generated as Amplify names them.
    fn own_foreign_keys(
        &mut self,
        models: &mut [Model],
        holder: usize,
        target: usize,
        field: &DeclaredField,
        named: &[String],
    ) -> Vec<String> {
        if named.is_empty() {
            let connection = connection_fields(&models[holder].name, &field.name, &models[target]);
            add_generated_fields(&mut models[holder], &connection, field.line);
            return connection.into_iter().map(|(name, _)| name).collect();
        }
        let target_key = key_fields(&models[target]);
        let key: Vec<String> = target_key.into_iter().map(|(name, _)| name).collect();
        self.check_named_key_fields(&models[holder], field, named, &models[target], &key, false);
        named.to_vec()
    }

    /// `fields:` of a relation name fields of `holder` whose values are `key` (fields of `target`):
    /// each exists and has the type of the key field it matches; all of the key is named, or (for
    /// a @hasMany, which reads a range) only its partition.
    fn check_named_key_fields(
        &mut self,
        holder: &Model,
        field: &DeclaredField,
        named: &[String],
        target: &Model,
        key: &[String],
        partition_alone_is_enough: bool,
    ) {
        let whole = named.len() == key.len();
        let partition_alone = partition_alone_is_enough && named.len() == 1;
        if !named.is_empty() && !whole && !partition_alone {
            self.error(
                field.line,
                &holder.name,
                format!(
                "field `{}` names {} of the {} fields of {}'s {} ({}): name all of them, in order",
                field.name,
                named.len(),
                key.len(),
                target.name,
                if partition_alone_is_enough { "index" } else { "primary key" },
                key.join(", ")
            ),
            );
        }
        for (name, key_field) in named.iter().zip(key) {
            let Some(own) = holder.field(name) else {
                self.error(
                    field.line,
                    &holder.name,
                    format!(
                        "field `{}` names fields: [{name:?}], but {} has no field `{name}`",
                        field.name, holder.name
                    ),
                );
                continue;
            };
            if let Some(theirs) = target.field(key_field) {
                if own.ty != theirs.ty {
                    self.error(
                        field.line,
                        &holder.name,
                        format!(
                            "field `{}` names `{name}` ({}) to hold {}.{key_field}, which is {}",
                            field.name,
                            own.ty.graphql_name(),
                            target.name,
                            theirs.ty.graphql_name()
                        ),
                    );
                }
            }
        }
    }

    fn join_tables(
        &mut self,
        sides: Vec<(String, String, &DeclaredField)>,
        models: &mut Vec<Model>,
    ) {
        let mut by_name: Vec<(String, Vec<(String, &DeclaredField)>)> = Vec::new();
        for (model, relation_name, field) in sides {
            match by_name.iter_mut().find(|(name, _)| *name == relation_name) {
                Some((_, list)) => list.push((model, field)),
                None => by_name.push((relation_name, vec![(model, field)])),
            }
        }
        for (relation_name, sides) in by_name {
            let [(a, a_field), (b, b_field)] = sides.as_slice() else {
                let (model, field) = &sides[0];
                self.error(field.line, model, format!(
                    "relationName {relation_name:?} needs exactly two @manyToMany fields, one on each side; found {}",
                    sides.len()
                ));
                continue;
            };
            if a_field.type_name != *b || b_field.type_name != *a || a == b {
                self.error(a_field.line, a, format!(
                    "the two sides of {relation_name:?} must point at each other ({a}.{} -> {b}, {b}.{} -> {a})",
                    a_field.name, b_field.name
                ));
                continue;
            }
            if models.iter().any(|m| m.name == relation_name) {
                self.error(a_field.line, a, format!("relationName {relation_name:?} is also a type's name; the join table needs it"));
                continue;
            }
            let (a_key, b_key) = (
                format!("{}Id", lower_first(a)),
                format!("{}Id", lower_first(b)),
            );
            let (a_index, b_index) = (format!("by{a}"), format!("by{b}"));
            // A link is governed by the rights on its two sides (`linkAccess`), not rules of its own.
            let auth = Vec::new();
            let line = a_field.line;
            models.push(Model {
                name: relation_name.clone(),
                line,
                fields: vec![
                    generated_id_field("id".into(), line, true),
                    generated_id_field(a_key.clone(), line, true),
                    generated_id_field(b_key.clone(), line, true),
                    Field {
                        name: "createdAt".into(),
                        line,
                        ty: FieldType::Scalar(Scalar::AwsDateTime),
                        list: false,
                        required: true,
                        default: None,
                        generated: true,
                        auth: Vec::new(),
                    },
                    Field {
                        name: "updatedAt".into(),
                        line,
                        ty: FieldType::Scalar(Scalar::AwsDateTime),
                        list: false,
                        required: true,
                        default: None,
                        generated: true,
                        auth: Vec::new(),
                    },
                ],
                relations: Vec::new(),
                primary_key: PrimaryKey {
                    partition: "id".into(),
                    sort: Vec::new(),
                },
                // Amplify's layout: a side's links by its id, unsorted.
                indexes: vec![
                    Index {
                        name: a_index.clone(),
                        partition: a_key.clone(),
                        sort: Vec::new(),
                        query_field: None,
                    },
                    Index {
                        name: b_index.clone(),
                        partition: b_key.clone(),
                        sort: Vec::new(),
                        query_field: None,
                    },
                ],
                auth,
                references: Vec::new(),
                timestamps: Some(Timestamps {
                    created_at: Some("createdAt".into()),
                    updated_at: Some("updatedAt".into()),
                }),
                operations: Operations {
                    get: None,
                    list: None,
                    create: None,
                    update: None,
                    delete: None,
                },
                subscriptions: Subscriptions::default(),
                is_join_table: true,
            });
            for (model, field, own_key, own_index, other_key) in [
                (a, a_field, &a_key, &a_index, &b_key),
                (b, b_field, &b_key, &b_index, &a_key),
            ] {
                let relation = field.relation.as_ref().expect("a @manyToMany field");
                let owner = models
                    .iter_mut()
                    .find(|m| &m.name == model)
                    .expect("both sides are models");
                owner.relations.push(Relation {
                    field: field.name.clone(),
                    line: field.line,
                    kind: RelationKind::ManyToMany,
                    target: field.type_name.clone(),
                    foreign_keys: vec![own_key.clone()],
                    index: Some(own_index.clone()),
                    limit: Some(relation.limit.unwrap_or(DEFAULT_RELATION_LIMIT)),
                    join: Some(Join {
                        table: relation_name.clone(),
                        target_key: other_key.clone(),
                    }),
                    cascade: relation.cascade,
                    link_access: relation.link_access,
                });
            }
        }
    }

    /// Conditions name fields of the model with values of their type; parent rules name a
    /// `@belongsTo` and only pass on changes; field rules are plain.
    fn check_auth(&mut self, model: &Model, enums: &HashMap<String, EnumDef>) {
        let field_rules = model
            .fields
            .iter()
            .flat_map(|f| f.auth.iter().map(move |rule| (Some(f), rule)));
        let mut problems = Vec::new();
        for (on_field, rule) in model
            .auth
            .iter()
            .map(|rule| (None, rule))
            .chain(field_rules)
        {
            if let Some(groups_field) = &rule.groups_field {
                match model.field(groups_field) {
                    Some(field)
                        if matches!(field.ty, FieldType::Scalar(Scalar::String | Scalar::Id)) => {}
                    Some(_) => problems.push(format!("@auth groupsField `{groups_field}` names the groups of each item, so it holds group names: make it String or [String]")),
                    None => problems.push(format!("@auth groupsField names `{groups_field}`, which is not a field of {}: add `{groups_field}: [String]`", model.name)),
                }
            }
            // One user's `sub::username` matches three stored forms, so no key lookup finds
            // their items by it: Amplify refuses it in the sort key, and so does Stratus.
            if let Some(owner) = rule.owner_field().filter(|owner| {
                rule.identity_claim == IdentityClaim::SubUsername
                    && model.primary_key.sort.iter().any(|s| s == owner)
            }) {
                problems.push(format!(
                    "the primary key sorts on `{owner}`, an owner field holding `sub::username`; use another sort key, or store one claim (identityClaim: \"sub\")"
                ));
            }
            for condition in &rule.condition {
                let Some(field) = model.field(&condition.field) else {
                    problems.push(format!(
                        "an @auth where: names `{}`, which is not a field of {}",
                        condition.field, model.name
                    ));
                    continue;
                };
                let literal = match &condition.test {
                    ConditionTest::Eq(literal) | ConditionTest::Ne(literal) => literal,
                    ConditionTest::Exists(_) => continue,
                };
                let fits = match (&field.ty, literal) {
                    (FieldType::Enum(name), Literal::String(value)) => {
                        enums.get(name).is_some_and(|e| e.values.contains(value))
                    }
                    (FieldType::Scalar(Scalar::Int | Scalar::Float), Literal::Int(_)) => true,
                    (FieldType::Scalar(Scalar::Boolean), Literal::Boolean(_)) => true,
                    (FieldType::Scalar(scalar), Literal::String(_)) => !matches!(
                        scalar,
                        Scalar::Int | Scalar::Float | Scalar::Boolean | Scalar::AwsJson
                    ),
                    _ => false,
                };
                if !fits || field.list {
                    let shown = match literal {
                        Literal::String(s) => s.clone(),
                        Literal::Int(n) => n.to_string(),
                        Literal::Boolean(b) => b.to_string(),
                    };
                    problems.push(format!("an @auth where: compares `{}` with {shown}, which is not a value of its type", condition.field));
                }
            }
            if rule.allow == AuthStrategy::Parent {
                if let Some(field) = on_field {
                    problems.push(format!(
                        "field `{}` has an `allow: parent` rule; parent rules belong to the model",
                        field.name
                    ));
                }
                let relation = rule
                    .parent
                    .as_deref()
                    .and_then(|p| model.relations.iter().find(|r| r.field == p));
                if !relation.is_some_and(|r| r.kind == RelationKind::BelongsTo) {
                    problems.push(format!("an `allow: parent` rule names relation {:?}, which is not a @belongsTo field of {}", rule.parent.as_deref().unwrap_or(""), model.name));
                }
                if rule
                    .operations
                    .iter()
                    .any(|o| matches!(o, Operation::Create | Operation::Read))
                {
                    problems.push("an `allow: parent` rule passes on update and delete only: a parent's owner may change or remove what was added to it".into());
                }
            }
        }
        for problem in problems {
            self.error(model.line, &model.name, problem);
        }
    }

    /// Every key and index names fields that exist and that DynamoDB can key on.
    fn check_keys(&mut self, model: &Model) {
        let keys = std::iter::once((
            "the primary key".to_owned(),
            &model.primary_key.partition,
            &model.primary_key.sort,
        ))
        .chain(
            model
                .indexes
                .iter()
                .map(|i| (format!("index {:?}", i.name), &i.partition, &i.sort)),
        );
        let mut problems = Vec::new();
        for (what, partition, sort) in keys {
            if sort.contains(partition) {
                problems.push(format!(
                    "{what} sorts on `{partition}`, its own partition key"
                ));
            }
            for field_name in std::iter::once(partition).chain(sort.iter()) {
                match model.field(field_name) {
                    None => problems.push(format!(
                        "{what} names `{field_name}`, which is not a field of {}",
                        model.name
                    )),
                    Some(field) if field.list => problems.push(format!(
                        "{what} uses `{field_name}`, a list, which cannot be a key"
                    )),
                    Some(Field {
                        ty: FieldType::Scalar(scalar),
                        ..
                    }) if !scalar.is_key_type() => problems.push(format!(
                        "{what} uses `{field_name}` ({scalar:?}), which cannot be a key"
                    )),
                    Some(_) => {}
                }
            }
        }
        let mut names = BTreeSet::new();
        for index in &model.indexes {
            if !names.insert(&index.name) {
                problems.push(format!("has two indexes named {:?}", index.name));
            }
        }
        for problem in problems {
            self.error(model.line, &model.name, problem);
        }
    }
}

/// How many related items a @hasMany returns by default, as in Amplify.
const DEFAULT_RELATION_LIMIT: u32 = 100;

/// The model's key fields, partition first, with their types.
fn key_fields(model: &Model) -> Vec<(String, FieldType)> {
    std::iter::once(&model.primary_key.partition)
        .chain(&model.primary_key.sort)
        .map(|name| {
            let ty = model
                .field(name)
                .map_or(FieldType::Scalar(Scalar::Id), |f| f.ty.clone());
            (name.clone(), ty)
        })
        .collect()
}

/// The fields that hold `target`'s key for the relation `holder.field`, as Amplify names them
/// (`respectPrimaryKeyAttributesOnConnectionField`): `<holder><Field><KeyField>` per key field,
/// so `postCommentsId`, or `medicalAppointmentPatientSsn` for a model keyed by `ssn`.
fn connection_fields(holder: &str, field: &str, target: &Model) -> Vec<(String, FieldType)> {
    key_fields(target)
        .into_iter()
        .map(|(key, ty)| (camel_case(&[holder, field, &key]), ty))
        .collect()
}

/// Adds the generated fields a relation needs, unless the schema declares them.
fn add_generated_fields(model: &mut Model, fields: &[(String, FieldType)], line: usize) {
    for (name, ty) in fields {
        if model.field(name).is_none() {
            model.fields.push(Field {
                ty: ty.clone(),
                ..generated_id_field(name.clone(), line, false)
            });
        }
    }
}

/// Whether a default's text is a value of its scalar, by the rules the server checks writes with.
fn fits_text_scalar(scalar: Scalar, text: &str) -> bool {
    match scalar {
        Scalar::AwsJson => serde_json::from_str::<serde_json::Value>(text).is_ok(),
        Scalar::AwsDateTime => stratus_scalars::is_date_time(text),
        Scalar::AwsDate => stratus_scalars::is_date(text),
        Scalar::AwsUrl => stratus_scalars::is_url(text),
        Scalar::AwsTime => stratus_scalars::is_time(text),
        Scalar::AwsPhone => stratus_scalars::is_phone(text),
        Scalar::AwsIpAddress => stratus_scalars::is_ip_address(text),
        _ => true,
    }
}

/// The foreign keys each model holds, from the relations on both sides: a `@belongsTo` or
/// `@hasOne` holds its own; a `@hasMany` puts one on its target. Where both sides describe the
/// same key, the lower right wins (`linkAccess: READ` on either side makes it Read).
fn references(models: &mut [Model]) {
    let mut found: Vec<(String, Reference)> = Vec::new();
    for model in models.iter() {
        for relation in &model.relations {
            let (holder, target) = match relation.kind {
                RelationKind::BelongsTo | RelationKind::HasOne => (&model.name, &relation.target),
                RelationKind::HasMany => (&relation.target, &model.name),
                RelationKind::ManyToMany => continue,
            };
            let reference = Reference {
                relation: relation.field.clone(),
                fields: relation.foreign_keys.clone(),
                target: target.clone(),
                access: relation.link_access,
            };
            match found.iter_mut().find(|(h, r)| {
                h == holder && r.fields == reference.fields && r.target == reference.target
            }) {
                Some((_, existing)) if reference.access == Operation::Read => {
                    existing.access = Operation::Read
                }
                Some(_) => {}
                None => found.push((holder.clone(), reference)),
            }
        }
    }
    for (holder, reference) in found {
        if let Some(model) = models.iter_mut().find(|m| m.name == holder) {
            model.references.push(reference);
        }
    }
}

/// Amplify's names (`onCreateComment`), one for each mutation the model has; or exactly those
/// the schema lists, which Stratus fires on every write, a hand-written function's included.
fn subscriptions(declared: &DeclaredType, operations: &Operations) -> Subscriptions {
    let name = upper_first(&declared.name);
    let named = |operation: &str, mutation: &Option<String>| -> Vec<String> {
        match &declared.model.subscriptions {
            None if mutation.is_some() => vec![format!("{operation}{name}")],
            None => Vec::new(),
            Some(names) => names
                .iter()
                .filter(|(o, _)| o == operation)
                .map(|(_, renamed)| renamed.clone())
                .collect(),
        }
    };
    Subscriptions {
        on_create: named("onCreate", &operations.create),
        on_update: named("onUpdate", &operations.update),
        on_delete: named("onDelete", &operations.delete),
    }
}
