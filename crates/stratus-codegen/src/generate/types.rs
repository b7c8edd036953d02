//! The data types of a model: its enums, the stored item, the create and update inputs, and
//! Amplify's filter.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::doc::doc;
use super::names::{camel_case, ident, joined, snake_case, snake_ident, spec_ident, variant_ident};
use crate::ir::{AuthRule, EnumDef, Field, FieldType, Model, RelationKind, Scalar};
use crate::naming::upper_first;

pub fn enumeration(enumeration: &EnumDef) -> TokenStream {
    let name = ident(&enumeration.name);
    let variants = enumeration.values.iter().map(|value| {
        let variant = variant_ident(value);
        quote! {
            #[serde(rename = #value)]
            #variant
        }
    });
    let doc = doc(format!("The schema's enum `{}`.", enumeration.name));
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum #name { #(#variants),* }
    }
}

pub fn model_struct(model: &Model) -> TokenStream {
    let name = ident(&model.name);
    let spec = spec_ident(&model.name);
    let filter = joined(&["Model", &model.name, "Filter"]);
    let fields = model
        .fields
        .iter()
        .map(|field| struct_field(field, rust_type(field), !field.required));
    let relations = model.relations.iter().map(|relation| {
        let target = ident(&relation.target);
        let ty = match relation.kind {
            RelationKind::BelongsTo | RelationKind::HasOne => quote! { Box<#target> },
            RelationKind::HasMany | RelationKind::ManyToMany => quote! { Vec<#target> },
        };
        let field = struct_field(&named(&relation.field, relation.line), ty, true);
        quote! {
            /// Loaded only when asked for with `include`.
            #field
        }
    });
    let doc = doc(format!(
        "A `{}` item, as stored (schema.graphql line {}).",
        model.name, model.line
    ));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct #name {
            #(#fields)*
            #(#relations)*
            /// Bumped by every update; an update names the version it read. Items written by
            /// other tools (a console edit, a migration) may have none: version 0.
            #[serde(rename = "_version", default)]
            pub version: u64,
        }

        impl ::stratus::data::Model for #name {
            const SPEC: &'static ::stratus::data::spec::ModelSpec = &#spec;
            type Filter = #filter;
        }
    }
}

pub fn create_input(model: &Model) -> TokenStream {
    let name = joined(&["Create", &model.name, "Input"]);
    let fields = model
        .fields
        .iter()
        .filter(|f| !is_server_managed(model, f))
        .map(|field| {
            // The server mints an `id` when none is given, defaults fill the rest, and owner
            // fields are set to the caller.
            let optional = !field.required
                || field.default.is_some()
                || field.generated
                || is_owner_field(model, field)
                || (field.name == "id" && field.ty == FieldType::Scalar(Scalar::Id));
            struct_field(field, rust_type(field), optional)
        });
    let links = model
        .relations
        .iter()
        .filter(|r| r.kind == RelationKind::ManyToMany)
        .map(|relation| {
            let field = named(
                &format!("link{}", upper_first(&relation.field)),
                relation.line,
            );
            let text = format!(
                " Ids of existing `{}` items to link, in the same transaction as the create.",
                relation.target
            );
            let field = struct_field(&field, quote! { Vec<String> }, true);
            quote! {
                #[doc = #text]
                #field
            }
        });
    let doc = doc(format!(
        "What `create{}` takes (schema.graphql line {}).",
        model.name, model.line
    ));
    input_struct(doc, &name, quote! { #(#fields)* #(#links)* })
}

pub fn update_input(model: &Model) -> TokenStream {
    let name = joined(&["Update", &model.name, "Input"]);
    let fields = model
        .fields
        .iter()
        .filter(|f| !is_server_managed(model, f))
        .map(|field| struct_field(field, rust_type(field), !is_key_field(model, &field.name)));
    let doc = doc(format!(
        "What `update{}` takes: the key, the fields to change (schema.graphql line {}).",
        model.name, model.line
    ));
    input_struct(
        doc,
        &name,
        quote! {
            #(#fields)*
            /// The version this update is based on; a newer stored version is a conflict.
            #[serde(rename = "_version")]
            pub expected_version: u64,
        },
    )
}

pub fn filter(model: &Model) -> TokenStream {
    let name = joined(&["Model", &model.name, "Filter"]);
    let fields = model.fields.iter().filter(|f| !f.list).filter_map(|field| {
        let ty = match &field.ty {
            FieldType::Scalar(Scalar::Int | Scalar::AwsTimestamp) => {
                quote! { ::stratus::data::filter::IntFilter }
            }
            FieldType::Scalar(Scalar::Float) => quote! { ::stratus::data::filter::FloatFilter },
            FieldType::Scalar(Scalar::Boolean) => {
                quote! { ::stratus::data::filter::BooleanFilter }
            }
            FieldType::Scalar(Scalar::AwsJson) => return None,
            _ => quote! { ::stratus::data::filter::StringFilter },
        };
        Some(struct_field(field, ty, true))
    });
    let doc = doc(format!(
        "Amplify's filter for `{}` (schema.graphql line {}): per-field conditions, combined \
         with and / or / not.",
        model.name, model.line
    ));
    input_struct(
        doc,
        &name,
        quote! {
            #(#fields)*
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub and: Option<Vec<#name>>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub or: Option<Vec<#name>>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub not: Option<Box<#name>>,
        },
    )
}

/// A struct a caller sends (an input, a filter): camelCase on the wire, nothing unknown.
fn input_struct(doc: TokenStream, name: &Ident, fields: TokenStream) -> TokenStream {
    quote! {
        #doc
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        pub struct #name { #fields }
    }
}

/// One field of a generated struct, named in camelCase on the wire like the schema names it.
fn struct_field(field: &Field, ty: TokenStream, optional: bool) -> TokenStream {
    let rust_name = snake_ident(&field.name);
    let wire = &field.name;
    // camelCase on the struct covers most names; generated ones (`gsi` keys) need their own.
    let rename =
        (camel_case(&snake_case(wire)) != *wire).then(|| quote! { #[serde(rename = #wire)] });
    if optional {
        quote! {
            #rename
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub #rust_name: Option<#ty>,
        }
    } else {
        quote! {
            #rename
            pub #rust_name: #ty,
        }
    }
}

/// A made-up field (a relation, a link list) for [`struct_field`].
fn named(name: &str, line: usize) -> Field {
    Field {
        name: name.to_owned(),
        line,
        ty: FieldType::Scalar(Scalar::String),
        list: false,
        required: false,
        default: None,
        generated: false,
        auth: Vec::new(),
    }
}

pub fn rust_type(field: &Field) -> TokenStream {
    let base = match &field.ty {
        FieldType::Scalar(Scalar::Int | Scalar::AwsTimestamp) => quote! { i64 },
        FieldType::Scalar(Scalar::Float) => quote! { f64 },
        FieldType::Scalar(Scalar::Boolean) => quote! { bool },
        FieldType::Scalar(Scalar::AwsJson) => quote! { serde_json::Value },
        FieldType::Scalar(_) => quote! { String },
        FieldType::Enum(name) => {
            let name = ident(name);
            quote! { #name }
        }
    };
    if field.list {
        quote! { Vec<#base> }
    } else {
        base
    }
}

/// Kept by the server (timestamps, owner), never taken from a caller.
pub fn is_server_managed(model: &Model, field: &Field) -> bool {
    let timestamp = model.timestamps.as_ref().is_some_and(|t| {
        [&t.created_at, &t.updated_at]
            .into_iter()
            .flatten()
            .any(|s| *s == field.name)
    });
    timestamp || (field.generated && is_owner_field(model, field))
}

/// Named by an owner rule of the model or of one of its fields: the server sets it to the caller.
fn is_owner_field(model: &Model, field: &Field) -> bool {
    let field_rules = model.fields.iter().flat_map(|f| f.auth.iter());
    model
        .auth
        .iter()
        .chain(field_rules)
        .filter_map(AuthRule::owner_field)
        .any(|owner| owner == field.name)
}

fn is_key_field(model: &Model, name: &str) -> bool {
    model.primary_key.partition == name || model.primary_key.sort.iter().any(|s| s == name)
}
