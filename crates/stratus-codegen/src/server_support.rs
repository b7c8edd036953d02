//! What the Stratus server cannot run yet, though the schema is Amplify's and resolves: the app's
//! build stops on it, in words, while `cargo xtask schema` still shows what Amplify would make.

use crate::error::SchemaError;
use crate::ir::Schema;

/// Relations whose key has more than one field (the related model's primary key has sort key
/// fields): the server reads and cascades a relation by one key field today.
pub fn unsupported(file: &str, schema: &Schema) -> Vec<SchemaError> {
    let mut errors = Vec::new();
    for model in &schema.models {
        for relation in model.relations.iter().filter(|r| r.foreign_keys.len() > 1) {
            errors.push(SchemaError {
                file: file.to_owned(),
                line: relation.line,
                type_name: Some(model.name.clone()),
                message: format!(
                    "field `{}` relates through a key of {} fields ({}), because the primary key it \
                     points at has sort key fields; Amplify allows it, the Stratus server does not \
                     read such relations yet. Key the related model by one field, or keep the \
                     relation's fields yourself",
                    relation.field,
                    relation.foreign_keys.len(),
                    relation.foreign_keys.join(", ")
                ),
            });
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relation_to_a_composite_key_stops_the_build() {
        let schema = crate::compile(
            "s.graphql",
            "type Blog @model {\n  id: ID! @primaryKey(sortKeyFields: [\"value\"])\n  value: String!\n  posts: [Post] @hasMany\n}\ntype Post @model {\n  id: ID!\n}",
        )
        .expect("Amplify's schema resolves");
        let errors = unsupported("s.graphql", &schema);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0]
            .to_string()
            .starts_with("s.graphql:4: type Blog: field `posts` relates through a key of 2 fields (blogPostsId, blogPostsValue)"));
    }

    #[test]
    fn relations_by_one_field_are_supported() {
        let schema = crate::compile(
            "s.graphql",
            "type Patient @model {\n  ssn: ID! @primaryKey\n  visits: [Visit] @hasMany\n}\ntype Visit @model {\n  id: ID!\n}",
        )
        .expect("resolves");
        assert!(unsupported("s.graphql", &schema).is_empty());
    }
}
