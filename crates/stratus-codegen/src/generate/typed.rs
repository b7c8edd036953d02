//! A model's relations and indexes as typed values, for hand-written server functions:
//! `Post::TAGS` is a `Relation<Post, Tag>`, and `Post::by_status(PostStatus::Published)` a
//! `Query<Post>` of the `byStatus` index. No string names a relation or an index in app code.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc::doc;
use super::names::{const_ident, ident, snake_ident};
use super::types::rust_type;
use crate::ir::{Index, Model};

pub fn relations_and_indexes(model: &Model) -> TokenStream {
    let name = ident(&model.name);
    let relations = model.relations.iter().map(|relation| {
        let constant = const_ident(&relation.field);
        let target = ident(&relation.target);
        let field = &relation.field;
        let doc = doc(format!(
            "`{}.{}` (schema.graphql line {}): to include, to page through, to link.",
            model.name, relation.field, relation.line
        ));
        quote! {
            #doc
            pub const #constant: ::stratus::data::Relation<#name, #target> =
                ::stratus::data::Relation::new(#field);
        }
    });
    let indexes = model
        .indexes
        .iter()
        .filter(|index| is_named_by_schema(index))
        .map(|index| index_query(model, index));
    quote! {
        impl #name {
            #(#relations)*
            #(#indexes)*
        }
    }
}

/// `@index(name: "byStatus")` has a name Rust can use; the indexes Stratus adds for relations
/// (`gsi-Post.comments`) are read through the relation instead.
fn is_named_by_schema(index: &Index) -> bool {
    index
        .name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn index_query(model: &Model, index: &Index) -> TokenStream {
    let function = snake_ident(&index.name);
    let partition = model
        .field(&index.partition)
        .expect("the compiler checked every index field");
    let argument = snake_ident(&partition.name);
    let ty = rust_type(partition);
    let index_name = &index.name;
    let sorted = if index.sort.is_empty() {
        String::new()
    } else {
        format!(", sorted by `{}` (`.sort(...)`)", index.sort.join("#"))
    };
    let doc = doc(format!(
        "The `{}` items whose `{}` is this, from the index `{}`{sorted}.",
        model.name, index.partition, index.name
    ));
    quote! {
        #doc
        pub fn #function(#argument: #ty) -> ::stratus::data::Query<Self> {
            ::stratus::data::Query::partition(Some(#index_name), serde_json::json!(#argument))
        }
    }
}
