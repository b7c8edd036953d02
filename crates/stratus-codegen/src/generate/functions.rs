//! A model's server functions, under Amplify's operation names (`getPost`, `postsByStatus`,
//! `linkPostTags`): thin wrappers that hand the call to `::stratus::store::access`, where the
//! data layer validates and authorizes it. Parameters are camelCase on the wire.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::doc::doc;
use super::names::{ident, joined, snake_case, snake_ident};
use super::types::rust_type;
use crate::ir::{Model, RelationKind};
use crate::naming::{lower_first, upper_first};

pub fn server_functions(model: &Model) -> TokenStream {
    let name = ident(&model.name);
    let filter = joined(&["Model", &model.name, "Filter"]);
    let key = Key::of(model);
    let (key_params, key_json) = (&key.params, &key.json);
    let ops = &model.operations;
    let mut functions = Vec::new();
    let page_params = quote! {
        filter: Option<#filter>,
        limit: Option<u32>,
        #[server(rename = "nextToken")] next_token: Option<String>,
        include: Option<Vec<::stratus::data::Include<#name>>>
    };
    let sorted_params = quote! {
        sort: Option<::stratus::data::filter::KeyCondition>,
        #[server(rename = "sortDirection")] sort_direction: Option<::stratus::data::filter::SortDirection>,
    };
    let run_query = quote! {
        .sort(sort).direction(sort_direction).filter(filter).limit(limit).after(next_token).includes(include).fetch().await
    };

    if let Some(get) = &ops.get {
        let attribute = server(get, None);
        let function = snake_ident(get);
        let doc = op_doc(model, "The item the key names, if the caller may read it");
        functions.push(quote! {
            #doc
            #attribute
            pub async fn #function(#(#key_params,)* include: Option<Vec<::stratus::data::Include<#name>>>) -> Result<Option<#name>, ::stratus::error::AppError> {
                ::stratus::store::access::get::<#name>(#key_json, include).await
            }
        });
    }
    if let Some(list) = &ops.list {
        let attribute = server(list, None);
        let function = snake_ident(list);
        if model.primary_key.sort.is_empty() {
            let doc = op_doc(model, "Every item the caller may read, page by page");
            functions.push(quote! {
                #doc
                #attribute
                pub async fn #function(#page_params) -> Result<::stratus::data::Connection<#name>, ::stratus::error::AppError> {
                    ::stratus::data::Query::<#name>::all().filter(filter).limit(limit).after(next_token).includes(include).fetch().await
                }
            });
        } else {
            // A sort key allows listing one partition in order, as Amplify's list does.
            let partition = model
                .field(&model.primary_key.partition)
                .expect("checked by the compiler");
            let param = param(&partition.name, {
                let ty = rust_type(partition);
                quote! { Option<#ty> }
            });
            let value = snake_ident(&partition.name);
            let doc = op_doc(
                model,
                "Every item the caller may read, or those of one partition in key order",
            );
            functions.push(quote! {
                #doc
                #attribute
                pub async fn #function(#param, #sorted_params #page_params) -> Result<::stratus::data::Connection<#name>, ::stratus::error::AppError> {
                    let query = match #value {
                        Some(value) => ::stratus::data::Query::<#name>::partition(None, serde_json::json!(value)),
                        None => ::stratus::data::Query::<#name>::all(),
                    };
                    query #run_query
                }
            });
        }
    }
    // Create and update take their generated input whole, and return the item as stored.
    let writes = [
        (
            &ops.create,
            "Create",
            "create",
            "Creates an item; owner fields are set to the caller",
        ),
        (
            &ops.update,
            "Update",
            "update",
            "Changes the given fields of the version the input names",
        ),
    ];
    for (operation, input, call, what) in writes {
        let Some(endpoint) = operation else { continue };
        let attribute = server(endpoint, None);
        let function = snake_ident(endpoint);
        let input = joined(&[input, &model.name, "Input"]);
        let call = ident(call);
        let doc = op_doc(model, what);
        functions.push(quote! {
            #doc
            #attribute
            pub async fn #function(input: #input) -> Result<#name, ::stratus::error::AppError> {
                ::stratus::store::access::#call::<#name, _>(&input).await
            }
        });
    }
    if let Some(delete) = &ops.delete {
        let attribute = server(delete, None);
        let function = snake_ident(delete);
        let doc = op_doc(model, "Deletes the item, and what the schema cascades to");
        functions.push(quote! {
            #doc
            #attribute
            pub async fn #function(#(#key_params,)* #[server(rename = "expectedVersion")] expected_version: Option<u64>) -> Result<#name, ::stratus::error::AppError> {
                ::stratus::store::access::delete::<#name>(#key_json, expected_version).await
            }
        });
    }
    for index in &model.indexes {
        let Some(query_field) = &index.query_field else {
            continue;
        };
        let attribute = server(query_field, None);
        let function = snake_ident(query_field);
        let partition = model
            .field(&index.partition)
            .expect("checked by the compiler");
        let param = param(&partition.name, rust_type(partition));
        let value = snake_ident(&partition.name);
        let index_name = &index.name;
        let doc = op_doc(
            model,
            &format!("One partition of the index `{index_name}`, in its sort key's order"),
        );
        functions.push(quote! {
            #doc
            #attribute
            pub async fn #function(#param, #sorted_params #page_params) -> Result<::stratus::data::Connection<#name>, ::stratus::error::AppError> {
                ::stratus::data::Query::<#name>::partition(Some(#index_name), serde_json::json!(#value)) #run_query
            }
        });
    }
    functions.extend(relation_functions(model, &key));
    quote! { #(#functions)* }
}

/// Per relation field a function that pages through it (`postComments`), and for
/// `@manyToMany` the link and unlink functions (`linkPostTags`).
fn relation_functions(model: &Model, key: &Key) -> Vec<TokenStream> {
    let name = ident(&model.name);
    let (key_params, key_json) = (&key.params, &key.json);
    let mut functions = Vec::new();
    for relation in &model.relations {
        let target = ident(&relation.target);
        let constant = super::names::const_ident(&relation.field);
        let endpoint = format!(
            "{}{}",
            lower_first(&model.name),
            upper_first(&relation.field)
        );
        let function = snake_ident(&endpoint);
        // A relation function's argument struct would be named like its target model
        // (`blogCover` -> `BlogCover`); a `Query` suffix keeps the two apart.
        let attribute = server(&endpoint, Some(joined(&[&upper_first(&endpoint), "Query"])));
        let doc = op_doc(
            model,
            &format!(
                "The `{}` items of `{}`, as the caller may read them",
                relation.target, relation.field
            ),
        );
        functions.push(match relation.kind {
            RelationKind::HasMany | RelationKind::ManyToMany => quote! {
                #doc
                #attribute
                pub async fn #function(#(#key_params,)* limit: Option<u32>, #[server(rename = "nextToken")] next_token: Option<String>, include: Option<Vec<::stratus::data::Include<#target>>>) -> Result<::stratus::data::Connection<#target>, ::stratus::error::AppError> {
                    ::stratus::store::access::related(#name::#constant, #key_json, limit, next_token, include).await
                }
            },
            RelationKind::BelongsTo | RelationKind::HasOne => quote! {
                #doc
                #attribute
                pub async fn #function(#(#key_params),*) -> Result<Option<#target>, ::stratus::error::AppError> {
                    Ok(::stratus::store::access::related(#name::#constant, #key_json, Some(1), None, None).await?.items.pop())
                }
            },
        });
        if relation.kind == RelationKind::ManyToMany {
            let own = param(
                &format!("{}Id", lower_first(&model.name)),
                quote! { String },
            );
            let other = param(
                &format!("{}Id", lower_first(&relation.target)),
                quote! { String },
            );
            let own_value = snake_ident(&format!("{}Id", lower_first(&model.name)));
            let other_value = snake_ident(&format!("{}Id", lower_first(&relation.target)));
            for verb in ["link", "unlink"] {
                let endpoint = format!("{verb}{}{}", model.name, upper_first(&relation.field));
                let attribute = server(&endpoint, None);
                let function = snake_ident(&endpoint);
                let call = ident(verb);
                let doc = op_doc(
                    model,
                    &format!(
                        "{} a `{}` item {} `{}`",
                        upper_first(verb),
                        relation.target,
                        if verb == "link" { "to" } else { "from" },
                        relation.field
                    ),
                );
                functions.push(quote! {
                    #doc
                    #attribute
                    pub async fn #function(#own, #other) -> Result<(), ::stratus::error::AppError> {
                        ::stratus::store::access::#call(#name::#constant, #own_value, #other_value).await
                    }
                });
            }
        }
    }
    functions
}

/// A model's key as parameters, and as the JSON object the data layer takes.
struct Key {
    params: Vec<TokenStream>,
    json: TokenStream,
}

impl Key {
    fn of(model: &Model) -> Self {
        let fields: Vec<&str> = std::iter::once(model.primary_key.partition.as_str())
            .chain(model.primary_key.sort.iter().map(String::as_str))
            .collect();
        let params = fields
            .iter()
            .map(|name| {
                let field = model
                    .field(name)
                    .expect("the compiler checked every key field");
                param(name, rust_type(field))
            })
            .collect();
        let values = fields.iter().map(|name| snake_ident(name));
        let json = quote! { serde_json::json!({ #(#fields: #values),* }) };
        Key { params, json }
    }
}

/// A server function parameter, named in camelCase on the wire like everything else:
/// `next_token` is sent as `nextToken`.
fn param(wire_name: &str, ty: TokenStream) -> TokenStream {
    let rust_name = snake_ident(wire_name);
    if snake_case(wire_name) == wire_name {
        quote! { #rust_name: #ty }
    } else {
        quote! { #[server(rename = #wire_name)] #rust_name: #ty }
    }
}

/// Declared like every Stratus function (`#[stratus::server]`), under its Amplify name.
fn server(endpoint: &str, name: Option<Ident>) -> TokenStream {
    let name = name.map(|name| quote! { , name = #name });
    quote! {
        #[::stratus::server(endpoint = #endpoint #name)]
    }
}

fn op_doc(model: &Model, what: &str) -> TokenStream {
    doc(format!(
        "{what} (`{}`, schema.graphql line {}).",
        model.name, model.line
    ))
}
