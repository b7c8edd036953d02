//! Doc comments of generated items, which name where in the schema each comes from.

use proc_macro2::TokenStream;
use quote::quote;

/// `/// text` as an attribute.
pub fn doc(text: String) -> TokenStream {
    let text = format!(" {text}");
    quote! { #[doc = #text] }
}
