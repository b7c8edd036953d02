//! A model's static `ModelSpec`: what the generic data layer and provisioning read. Relations
//! point at their targets' specs, so a relation to a model that does not exist cannot compile.

use std::fmt::Debug;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::doc::doc;
use super::names::spec_ident;
use super::types::is_server_managed;
use crate::ir::{
    AuthRule, ConditionTest, DefaultValue, FieldType, Literal, Model, Operation, Scalar, Schema,
};

pub fn model_spec(schema: &Schema, model: &Model) -> TokenStream {
    let spec = spec_ident(&model.name);
    let name = &model.name;
    let fields = model.fields.iter().map(|field| {
        let name = &field.name;
        let kind = field_kind(schema, &field.ty);
        let default = match &field.default {
            None => quote! { None },
            Some(DefaultValue::String(s)) => {
                quote! { Some(::stratus::data::spec::DefaultSpec::String(#s)) }
            }
            Some(DefaultValue::Int(n)) => {
                quote! { Some(::stratus::data::spec::DefaultSpec::Int(#n)) }
            }
            Some(DefaultValue::Float(f)) => {
                quote! { Some(::stratus::data::spec::DefaultSpec::Float(#f)) }
            }
            Some(DefaultValue::Boolean(b)) => {
                quote! { Some(::stratus::data::spec::DefaultSpec::Boolean(#b)) }
            }
        };
        let (required, list) = (field.required, field.list);
        let server_managed = is_server_managed(model, field);
        let auth = auth_rules(&field.auth);
        quote! {
            ::stratus::data::spec::FieldSpec {
                name: #name,
                kind: #kind,
                required: #required,
                list: #list,
                default: #default,
                server_managed: #server_managed,
                auth: #auth,
            }
        }
    });
    let primary_key = key(&model.primary_key.partition, &model.primary_key.sort);
    let indexes = model.indexes.iter().map(|index| {
        let name = &index.name;
        let key = key(&index.partition, &index.sort);
        let query_field = option_str(index.query_field.as_deref());
        quote! {
            ::stratus::data::spec::IndexSpec { name: #name, key: #key, query_field: #query_field }
        }
    });
    let relations = model.relations.iter().map(|relation| {
        let field = &relation.field;
        let kind = variant(&relation.kind);
        let target = spec_ident(&relation.target);
        let foreign_keys = &relation.foreign_keys;
        let index = option_str(relation.index.as_deref());
        let join = match &relation.join {
            Some(join) => {
                let model = spec_ident(&join.table);
                let target_key = &join.target_key;
                quote! { Some(::stratus::data::spec::JoinSpec { model: &#model, target_key: #target_key }) }
            }
            None => quote! { None },
        };
        let limit = match relation.limit {
            Some(limit) => quote! { Some(#limit) },
            None => quote! { None },
        };
        let cascade = relation.cascade;
        let link_access = operation(relation.link_access);
        quote! {
            ::stratus::data::spec::RelationSpec {
                field: #field,
                kind: ::stratus::data::spec::RelationKind::#kind,
                target: &#target,
                foreign_keys: &[#(#foreign_keys),*],
                index: #index,
                limit: #limit,
                join: #join,
                cascade: #cascade,
                link_access: #link_access,
            }
        }
    });
    let timestamps = match &model.timestamps {
        Some(t) => {
            let created_at = option_str(t.created_at.as_deref());
            let updated_at = option_str(t.updated_at.as_deref());
            quote! { Some(::stratus::data::spec::TimestampSpec { created_at: #created_at, updated_at: #updated_at }) }
        }
        None => quote! { None },
    };
    let auth = auth_rules(&model.auth);
    let references = model.references.iter().map(|reference| {
        let relation = &reference.relation;
        let fields = &reference.fields;
        let target = spec_ident(&reference.target);
        let access = operation(reference.access);
        quote! {
            ::stratus::data::spec::ReferenceSpec {
                relation: #relation,
                fields: &[#(#fields),*],
                target: &#target,
                access: #access,
            }
        }
    });
    let is_join_table = model.is_join_table;
    let doc = doc(format!(
        "What the schema says of `{}` (schema.graphql line {}), for the data layer.",
        model.name, model.line
    ));
    let subscriptions = {
        let names = &model.subscriptions;
        let (on_create, on_update, on_delete) =
            (&names.on_create, &names.on_update, &names.on_delete);
        quote! {
            ::stratus::data::spec::SubscriptionSpec { on_create: &[#(#on_create),*], on_update: &[#(#on_update),*], on_delete: &[#(#on_delete),*] }
        }
    };
    quote! {
        #doc
        pub static #spec: ::stratus::data::spec::ModelSpec = ::stratus::data::spec::ModelSpec {
            name: #name,
            fields: &[#(#fields),*],
            primary_key: #primary_key,
            indexes: &[#(#indexes),*],
            relations: &[#(#relations),*],
            timestamps: #timestamps,
            auth: #auth,
            references: &[#(#references),*],
            is_join_table: #is_join_table,
            subscriptions: #subscriptions,
        };
    }
}

fn field_kind(schema: &Schema, ty: &FieldType) -> TokenStream {
    let variant = match ty {
        FieldType::Scalar(scalar) => match scalar {
            Scalar::Id => "Id",
            Scalar::String => "String",
            Scalar::Int => "Int",
            Scalar::Float => "Float",
            Scalar::Boolean => "Boolean",
            Scalar::AwsDateTime => "DateTime",
            Scalar::AwsDate => "Date",
            Scalar::AwsEmail => "Email",
            Scalar::AwsUrl => "Url",
            Scalar::AwsJson => "Json",
            Scalar::AwsTime => "Time",
            Scalar::AwsTimestamp => "Timestamp",
            Scalar::AwsPhone => "Phone",
            Scalar::AwsIpAddress => "IpAddress",
        },
        FieldType::Enum(name) => {
            let values = schema
                .enums
                .iter()
                .find(|e| &e.name == name)
                .map(|e| e.values.clone())
                .unwrap_or_default();
            return quote! { ::stratus::data::spec::FieldKind::Enum(&[#(#values),*]) };
        }
    };
    let variant = format_ident!("{variant}");
    quote! { ::stratus::data::spec::FieldKind::#variant }
}

/// The runtime enum's variant of the same name as the compiler's (`RelationKind::HasMany`).
fn variant(value: &impl Debug) -> Ident {
    Ident::new(&format!("{value:?}"), Span::call_site())
}

fn key(partition: &str, sort: &[String]) -> TokenStream {
    quote! { ::stratus::data::spec::KeySpec { partition: #partition, sort: &[#(#sort),*] } }
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(value) => quote! { Some(#value) },
        None => quote! { None },
    }
}

fn operation(operation: Operation) -> TokenStream {
    let variant = variant(&operation);
    quote! { ::stratus::data::spec::Operation::#variant }
}

/// A slice of `AuthRuleSpec`s.
fn auth_rules(rules: &[AuthRule]) -> TokenStream {
    let rules = rules.iter().map(|rule| {
        let allow = variant(&rule.allow);
        let owner_field = option_str(rule.owner_field());
        let identity_claim = variant(&rule.identity_claim);
        let groups = &rule.groups;
        let groups_field = option_str(rule.groups_field.as_deref());
        let operations = rule.operations.iter().map(|o| operation(*o));
        let condition = rule.condition.iter().map(|c| {
            let field = &c.field;
            let test = match &c.test {
                ConditionTest::Eq(l) => {
                    let l = literal(l);
                    quote! { Eq(#l) }
                }
                ConditionTest::Ne(l) => {
                    let l = literal(l);
                    quote! { Ne(#l) }
                }
                ConditionTest::Exists(b) => quote! { Exists(#b) },
            };
            quote! {
                ::stratus::data::spec::Condition { field: #field, test: ::stratus::data::spec::ConditionTest::#test }
            }
        });
        let parent = option_str(rule.parent.as_deref());
        quote! {
            ::stratus::data::spec::AuthRuleSpec {
                allow: ::stratus::data::spec::AuthStrategy::#allow,
                owner_field: #owner_field,
                identity_claim: ::stratus::data::spec::IdentityClaim::#identity_claim,
                groups: &[#(#groups),*],
                groups_field: #groups_field,
                operations: &[#(#operations),*],
                condition: &[#(#condition),*],
                parent: #parent,
            }
        }
    });
    quote! { &[#(#rules),*] }
}

fn literal(literal: &Literal) -> TokenStream {
    match literal {
        Literal::String(s) => quote! { ::stratus::data::spec::Literal::String(#s) },
        Literal::Int(n) => quote! { ::stratus::data::spec::Literal::Int(#n) },
        Literal::Boolean(b) => quote! { ::stratus::data::spec::Literal::Boolean(#b) },
    }
}
