//! The generated Rust is formatted, documented and compiles whatever names the schema uses.

use stratus_codegen::compile;
use stratus_codegen::generate::generate;

const KEYWORDS: &str = r#"
type Match @model {
  id: ID!
  type: String!
  async: Int
  move: Move @hasOne
  loop: [Loop] @hasMany
}

type Move @model {
  id: ID!
  where: String
}

type Loop @model {
  id: ID!
  ref: String @index(name: "byRef", queryField: "loopsByRef")
}
"#;

#[test]
fn rust_keywords_in_the_schema_become_raw_identifiers() {
    let code = generate(&compile("keywords.graphql", KEYWORDS).unwrap());
    let file = syn::parse_file(&code).unwrap_or_else(|e| panic!("does not parse: {e}\n{code}"));
    for expected in [
        "pub r#type: String",
        "pub r#async: Option<i64>",
        "pub r#move: Option<Box<Move>>",
        "pub r#where: Option<String>",
        "pub const LOOP: ::stratus::data::Relation<Match, Loop>",
        "pub fn by_ref(r#ref: String)",
        "pub async fn loops_by_ref(",
    ] {
        assert!(code.contains(expected), "{expected} missing from:\n{code}");
    }
    // Raw identifiers keep the schema's names on the wire.
    assert!(
        !code.contains("rename = \"type\""),
        "serde strips r# itself"
    );
    assert!(file.items.len() > 10);
}

#[test]
fn every_generated_item_names_its_schema_line() {
    let code = generate(&compile("keywords.graphql", KEYWORDS).unwrap());
    let file = syn::parse_file(&code).unwrap();
    for item in &file.items {
        let (name, attrs) = match item {
            syn::Item::Struct(s) => (s.ident.to_string(), &s.attrs),
            syn::Item::Fn(f) => (f.sig.ident.to_string(), &f.attrs),
            syn::Item::Static(s) => (s.ident.to_string(), &s.attrs),
            syn::Item::Enum(e) => (e.ident.to_string(), &e.attrs),
            _ => continue,
        };
        let doc: String = attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .map(doc_text)
            .collect();
        assert!(!doc.is_empty(), "{name} has no doc comment");
        if name != "MODELS" {
            assert!(doc.contains("schema.graphql line"), "{name}: {doc}");
        }
    }
    // The model `Match` starts on line 2.
    assert!(code.contains("/// A `Match` item, as stored (schema.graphql line 2)."));
}

fn doc_text(attr: &syn::Attribute) -> String {
    match &attr.meta {
        syn::Meta::NameValue(nv) => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => s.value(),
            _ => String::new(),
        },
        _ => String::new(),
    }
}
