//! `#[stratus::server]`: a Leptos server function as every Stratus function is one. The browser
//! signs the call (SigV4 with the caller's credentials, the ID token beside it), the arguments
//! travel as JSON under `/api/<endpoint>`, and the server runs it as the verified caller.
//!
//! ```ignore
//! #[stratus::server]
//! pub async fn notes_in(folder: String) -> Result<Vec<Note>, AppError> { ... }
//! ```
//!
//! The endpoint is the function's name unless `endpoint = "..."` says otherwise; `name = ...`
//! names the generated argument struct when the default would clash.

use proc_macro::TokenStream;
use quote::quote;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{parse_macro_input, Expr, ExprLit, ItemFn, Lit, Meta, Token};

#[proc_macro_attribute]
pub fn server(args: TokenStream, item: TokenStream) -> TokenStream {
    let function = parse_macro_input!(item as ItemFn);
    let args = match Punctuated::<Meta, Token![,]>::parse_terminated.parse(args) {
        Ok(args) => args,
        Err(error) => return error.to_compile_error().into(),
    };
    let mut endpoint = function.sig.ident.to_string();
    let mut name = None;
    for arg in args {
        match arg {
            Meta::NameValue(pair) if pair.path.is_ident("endpoint") => match pair.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(value),
                    ..
                }) => endpoint = value.value(),
                other => {
                    return syn::Error::new_spanned(
                        other,
                        "endpoint is a string: endpoint = \"...\"",
                    )
                    .to_compile_error()
                    .into()
                }
            },
            Meta::NameValue(pair) if pair.path.is_ident("name") => name = Some(pair.value),
            other => {
                return syn::Error::new_spanned(
                    other,
                    "#[stratus::server] takes `endpoint = \"...\"` and `name = ...` only",
                )
                .to_compile_error()
                .into()
            }
        }
    }
    let name = name.map(|name| quote! { name = #name, });
    quote! {
        #[::leptos::server(
            #name
            prefix = "/api",
            endpoint = #endpoint,
            input = ::leptos::server_fn::codec::Json,
            client = ::stratus::auth::client::SignedClient
        )]
        #function
    }
    .into()
}
