//! How schema names become the names Amplify and Rust expect.

/// `Post` -> `post`: foreign keys (`postCommentsId`) and endpoints (`postComments`).
pub fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `comments` -> `Comments`.
pub fn upper_first(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `Boss` -> `Bosses`, `AuditEntry` -> `AuditEntries`: the plural Amplify's list operations and
/// index names use (its `pluralize`).
pub fn plural(name: &str) -> String {
    pluralizer::pluralize(name, 2, false)
}

/// `foo   Bar` -> `FooBar`: a name made a GraphQL type name as Amplify makes a `relationName`
/// one (upper-case first letter, anything but letters, digits and `_` dropped).
pub fn type_name(name: &str) -> String {
    let kept: String = upper_first(name)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    kept.trim_start_matches(|c: char| c.is_ascii_digit())
        .to_owned()
}

/// `["Post", "comments", "id"]` -> `postCommentsId`: Amplify's `toCamelCase`, which names the
/// fields that hold a related item's key.
pub fn camel_case(words: &[&str]) -> String {
    words
        .iter()
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(i, w)| {
            if i == 0 {
                lower_first(w)
            } else {
                upper_first(w)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_are_amplifys() {
        assert_eq!(plural("Boss"), "Bosses");
        assert_eq!(plural("AuditEntry"), "AuditEntries");
        assert_eq!(plural("Post"), "Posts");
        assert_eq!(plural("Person"), "People");
    }

    #[test]
    fn relation_names_become_type_names() {
        assert_eq!(type_name("foo   Bar"), "FooBar");
        assert_eq!(type_name("PostTags"), "PostTags");
    }

    #[test]
    fn key_fields_are_camel_case() {
        assert_eq!(camel_case(&["Post", "comments", "id"]), "postCommentsId");
        assert_eq!(
            camel_case(&["MedicalAppointment", "patient", "ssn"]),
            "medicalAppointmentPatientSsn"
        );
    }
}
