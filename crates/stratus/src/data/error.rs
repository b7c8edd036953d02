//! What went wrong in the data layer, as data: the model, the versions, the table. The data
//! layer builds these; the words a person reads are chosen here, once, where a [`StoreError`]
//! becomes an [`AppError`] with its stable [`ErrorCode`] and HTTP status.

use crate::data::spec::Operation;
use crate::error::{AppError, ErrorCode};

/// Which write an interrupted transaction was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    Create,
    Delete,
    Link,
    Unlink,
}

/// Which rule stood in the way of a call, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The model's rules do not let the caller do this to the item.
    Rules,
    /// Owner rules allow it to the item's owner only.
    NotTheOwner,
    /// `field` of a `holder` item names an item of `model` the caller has no `operation` right
    /// on (`exists: false`: or no item at all; the two are not told apart).
    Reference {
        field: &'static str,
        holder: &'static str,
        exists: bool,
    },
    /// Linking a `holder` to the item takes the right to `operation` it.
    LinkTarget { holder: &'static str },
    /// A field rule keeps `field` from the caller.
    Field { field: &'static str },
    /// A field rule keeps the caller from filtering on `field`.
    FilterField { field: String },
    /// An owner field names its owner, who is always the caller.
    OwnerIsCaller { field: &'static str },
    /// An owner field never changes.
    OwnerFieldFixed { field: &'static str },
    /// A cascade would delete these children the caller may not delete: (model, how many).
    CascadeChildren {
        children: Vec<(&'static str, usize)>,
    },
}

/// What a value must be, for [`Problem::NotA`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    List,
    WholeNumber,
    Number,
    Boolean,
    Text,
    Email,
    WebAddress,
    DateTime,
    Date,
    Time,
    Phone,
    IpAddress,
}

/// What is wrong with a list's `filter` (Amplify's filter tree).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterProblem {
    NotAnObject,
    /// `and` / `or` without a list.
    NotAList {
        key: String,
    },
    UnknownField {
        model: &'static str,
        field: String,
    },
    FieldNotAnObject {
        field: String,
    },
    NoOperator {
        field: String,
    },
    UnknownOperator {
        operator: String,
    },
    BetweenTakesTwo {
        field: String,
    },
    AttributeExistsTakesBool,
    WrongType {
        field: String,
    },
}

/// What is wrong with one field of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    UnknownField {
        model: &'static str,
    },
    /// Timestamps and owner fields: the server sets them.
    ServerManaged,
    Required,
    NotNull,
    /// An update names the version it is based on.
    VersionRequired,
    NotA(Expected),
    NotOneOf {
        values: &'static [&'static str],
        given: String,
    },
    /// The whole item is `kb` KB, over DynamoDB's 400 KB; the field is its largest.
    TooLarge {
        model: &'static str,
        kb: usize,
    },
    /// A key field is missing, empty, or neither text nor a number.
    KeyMissing {
        model: &'static str,
    },
    KeyEmpty {
        model: &'static str,
    },
    KeyType,
    LimitOutOfRange {
        max: u32,
    },
    /// A page token this list did not issue.
    ForeignNextToken,
    /// A foreign key names no item of `model`.
    NoSuchTarget {
        model: &'static str,
    },
    Filter(FilterProblem),
    /// A key query without the partition key's value.
    PartitionMissing {
        model: &'static str,
    },
    /// A sort key condition on a numeric key with a value that is not a number.
    SortNotNumber {
        attribute: String,
        given: String,
    },
    NoSuchRelation {
        model: &'static str,
        relation: String,
    },
    IncludeTooDeep {
        max: usize,
    },
    /// `@hasMany` children are included for one item only, never for a whole list.
    HasManyInList {
        relation: String,
    },
    CompositeKeyRelation {
        model: &'static str,
    },
    NotHasMany {
        model: &'static str,
        relation: &'static str,
    },
    NotManyToMany,
    LinkIdsNotList,
    TooManyLinks {
        max: usize,
    },
    LinkIdsNotText {
        model: &'static str,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The input has a wrong `field`.
    #[error("{field}: {problem:?}")]
    Invalid { field: String, problem: Problem },
    /// A guest asked for what only a signed-in user may do.
    #[error("a guest may not {operation:?} a {model}")]
    SignInRequired {
        model: &'static str,
        operation: Operation,
    },
    /// The caller may not `operation` this `model` item.
    #[error("{refusal:?}: may not {operation:?} a {model}")]
    Forbidden {
        model: &'static str,
        operation: Operation,
        refusal: Refusal,
    },
    /// No item of `model` has the key the call named (`id`, when it is one value).
    #[error("no {model} item {id:?}")]
    NotFound {
        model: &'static str,
        id: Option<String>,
    },
    #[error("{model} has no relation {field}")]
    NoSuchRelation { model: &'static str, field: String },
    #[error("no link from this {model} to that {target}")]
    NotLinked {
        model: &'static str,
        target: &'static str,
    },
    #[error("a {model} with this key exists")]
    AlreadyExists { model: &'static str },
    /// The stored item is at `stored`; the caller's change was based on `expected`.
    #[error("{model}: stored version {stored}, expected {expected}")]
    VersionConflict {
        model: &'static str,
        stored: u64,
        expected: u64,
    },
    /// Something the write depended on changed while it was written: a cancelled transaction.
    #[error("{model}: the {write:?} was interrupted by a concurrent change")]
    ChangedMeanwhile { model: &'static str, write: Write },
    /// One call would touch more than `limit` items.
    #[error("{model}: more than {limit} items")]
    TooManyItems { model: &'static str, limit: usize },
    #[error("DynamoDB is throttling calls to {table}")]
    Throttled { table: String },
    #[error("DynamoDB cannot be reached for {table}")]
    Unavailable { table: String },
    #[error("the table {table} does not exist")]
    MissingTable { table: String },
    /// DynamoDB refused a call for a reason that is ours to fix (its code is in the log).
    #[error("DynamoDB refused a call to {table}: {code}")]
    Refused { table: String, code: String },
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Invalid { field, problem } => {
                let words = problem_words(&field, problem);
                AppError::invalid(&field, words)
            }
            StoreError::SignInRequired { model, operation } => AppError::unauthorized(format!(
                "Please sign in to {} this {model}.",
                operation.verb()
            )),
            StoreError::Forbidden {
                model,
                operation,
                refusal,
            } => AppError::forbidden(refusal_words(model, operation.verb(), refusal)),
            StoreError::NotFound { model, id: None } => {
                AppError::not_found(format!("There is no such {model}."))
            }
            StoreError::NotFound {
                model,
                id: Some(id),
            } => AppError::not_found(format!("There is no {model} {id}.")),
            StoreError::NoSuchRelation { model, field } => {
                AppError::not_found(format!("{model} has no relation `{field}`."))
            }
            StoreError::NotLinked { model, target } => AppError::not_found(format!(
                "This {model} is not linked to that {target}."
            )),
            StoreError::AlreadyExists { model } => AppError::conflict_because(
                ErrorCode::AlreadyExists,
                format!("A {model} with this key already exists."),
            ),
            StoreError::VersionConflict {
                model,
                stored,
                expected,
            } => AppError::conflict_because(
                ErrorCode::VersionConflict,
                format!(
                    "This {model} was changed by someone else: version {stored} is stored, and your change was based on version {expected}. Reload it and apply your change again."
                ),
            ),
            StoreError::ChangedMeanwhile { model, write } => AppError::conflict_because(
                ErrorCode::ChangedMeanwhile,
                match write {
                    Write::Create => {
                        "Something this write depends on changed meanwhile. Try again.".to_owned()
                    }
                    Write::Delete => format!(
                        "This {model} or one of its related items changed while it was being deleted. Try again."
                    ),
                    Write::Link => "The link changed while it was being written. Try again.".to_owned(),
                    Write::Unlink => {
                        "The link changed while it was being removed. Try again.".to_owned()
                    }
                },
            ),
            StoreError::TooManyItems { model, limit } => AppError::conflict_because(
                ErrorCode::TooManyItems,
                format!(
                    "Deleting this {model} would delete more than {limit} related items at once. Delete some of them first."
                ),
            ),
            StoreError::Throttled { .. } => AppError::unavailable_because(
                ErrorCode::Throttled,
                "The database is busy right now (too many requests). Please try again in a moment.",
            ),
            StoreError::Unavailable { .. } => AppError::unavailable(
                "The database cannot be reached right now. Please try again in a moment.",
            ),
            StoreError::MissingTable { table } => AppError::unavailable_because(
                ErrorCode::MissingTable,
                format!("The table {table} does not exist yet: the stack needs provisioning."),
            ),
            StoreError::Refused { .. } => AppError::internal("The database refused the request."),
        }
    }
}

fn problem_words(field: &str, problem: Problem) -> String {
    match problem {
        Problem::UnknownField { model } => format!("{model} has no field `{field}`."),
        Problem::ServerManaged => format!("`{field}` is set by the server, not by the caller."),
        Problem::Required => format!("`{field}` is required."),
        Problem::NotNull => format!("`{field}` is required and cannot be null."),
        Problem::VersionRequired => {
            "`_version` (the version this change is based on) is required.".to_owned()
        }
        Problem::NotA(expected) => format!(
            "`{field}` must be {}.",
            match expected {
                Expected::List => "a list",
                Expected::WholeNumber => "a whole number",
                Expected::Number => "a number",
                Expected::Boolean => "true or false",
                Expected::Text => "text",
                Expected::Email => "an email address",
                Expected::WebAddress => "a web address starting with https://",
                Expected::DateTime => "a date and time such as 2026-11-24T12:00:00Z",
                Expected::Date => "a date such as 2026-11-24",
                Expected::Time => "a time of day such as 14:30:00 or 14:30:00.000Z",
                Expected::Phone => "a phone number such as +41 44 668 18 00",
                Expected::IpAddress => "an IPv4 or IPv6 address such as 203.0.113.7",
            }
        ),
        Problem::NotOneOf { values, given } => {
            format!("`{field}` must be one of {}, not {given:?}.", values.join(", "))
        }
        Problem::TooLarge { model, kb } => format!(
            "This {model} is {kb} KB, over DynamoDB's 400 KB limit for one item; `{field}` is its largest field."
        ),
        Problem::KeyMissing { model } => format!("`{field}` is needed to find the {model}."),
        Problem::KeyEmpty { model } => {
            format!("`{field}` identifies the {model} and cannot be empty.")
        }
        Problem::KeyType => format!("`{field}` must be a string or a number."),
        Problem::LimitOutOfRange { max } => format!("`{field}` must be between 1 and {max}."),
        Problem::ForeignNextToken => {
            "This nextToken was not issued by this list. Start again without it.".to_owned()
        }
        Problem::NoSuchTarget { model } => {
            format!("`{field}` names no {model}: there is none with that id.")
        }
        Problem::Filter(problem) => filter_words(problem),
        Problem::PartitionMissing { model } => format!("`{field}` is needed to query {model}."),
        Problem::SortNotNumber { attribute, given } => {
            format!("`{attribute}` is a number; {given:?} is not.")
        }
        Problem::NoSuchRelation { model, relation } => {
            format!("{model} has no relation `{relation}`.")
        }
        Problem::IncludeTooDeep { max } => {
            format!("include paths may be at most {max} relations deep.")
        }
        Problem::HasManyInList { relation } => format!(
            "`{relation}` is a @hasMany and is not loaded for a whole list; page through it with the relation's function."
        ),
        Problem::CompositeKeyRelation { model } => {
            format!("{model} has a composite key and cannot be loaded as a relation.")
        }
        Problem::NotHasMany { model, relation } => format!(
            "Only @hasMany relations can be counted; `{relation}` of {model} is not one."
        ),
        Problem::NotManyToMany => format!("`{field}` is not a @manyToMany relation."),
        Problem::LinkIdsNotList => format!("`{field}` lists the ids of the items to link."),
        Problem::TooManyLinks { max } => format!("One create can link at most {max} items."),
        Problem::LinkIdsNotText { model } => format!("A {model} link needs both ids as text."),
    }
}

fn filter_words(problem: FilterProblem) -> String {
    match problem {
        FilterProblem::NotAnObject => {
            "The filter must be an object such as {\"title\": {\"eq\": \"Hello\"}}.".to_owned()
        }
        FilterProblem::NotAList { key } => format!("`{key}` takes a list of filters."),
        FilterProblem::UnknownField { model, field } => {
            format!("{model} has no field `{field}` to filter on.")
        }
        FilterProblem::FieldNotAnObject { field } => {
            format!("The filter on `{field}` must be an object such as {{\"eq\": ...}}.")
        }
        FilterProblem::NoOperator { field } => format!("The filter on `{field}` names no operator."),
        FilterProblem::UnknownOperator { operator } => format!(
            "`{operator}` is not a filter operator; use eq, ne, lt, le, gt, ge, between, beginsWith, contains, notContains or attributeExists."
        ),
        FilterProblem::BetweenTakesTwo { field } => {
            format!("`between` on `{field}` takes two values.")
        }
        FilterProblem::AttributeExistsTakesBool => {
            "`attributeExists` takes true or false.".to_owned()
        }
        FilterProblem::WrongType { field } => {
            format!("The filter compares `{field}` with a value of the wrong type.")
        }
    }
}

fn refusal_words(model: &str, verb: &str, refusal: Refusal) -> String {
    match refusal {
        Refusal::Rules => format!("You may not {verb} this {model}."),
        Refusal::NotTheOwner => format!("Only its owner may {verb} this {model}."),
        Refusal::Reference {
            field,
            holder,
            exists: true,
        } => format!("`{field}` names a {model} that you may not {verb}, so a {holder} cannot point at it."),
        Refusal::Reference {
            field,
            holder,
            exists: false,
        } => format!("`{field}` names no {model} that you may {verb}, so a {holder} cannot point at it."),
        Refusal::LinkTarget { holder } => format!(
            "You may not link a {holder} to this {model}: that takes the right to {verb} it."
        ),
        Refusal::Field { field } => format!("You may not set `{field}` of this {model}."),
        Refusal::FilterField { field } => format!("You may not filter {model} items on `{field}`."),
        Refusal::OwnerIsCaller { field } => format!(
            "`{field}` names this {model}'s owner, which is always you; it cannot name someone else."
        ),
        Refusal::OwnerFieldFixed { field } => {
            format!("`{field}` names this {model}'s owner and cannot be changed.")
        }
        Refusal::CascadeChildren { children } => {
            let listed: Vec<String> = children
                .iter()
                .map(|(name, n)| match n {
                    1 => format!("1 {name}"),
                    n => format!("{n} {name} items"),
                })
                .collect();
            format!(
                "Deleting this {model} would also delete {} that you may not delete. Nothing was deleted; their authors or an admin can remove them first.",
                listed.join(" and ")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_keeps_its_code_and_status() {
        let cases = [
            (
                StoreError::VersionConflict {
                    model: "Post",
                    stored: 3,
                    expected: 2,
                },
                ErrorCode::VersionConflict,
                409,
            ),
            (
                StoreError::NotFound {
                    model: "Tag",
                    id: Some("t1".into()),
                },
                ErrorCode::NotFound,
                404,
            ),
            (
                StoreError::TooManyItems {
                    model: "Post",
                    limit: 1000,
                },
                ErrorCode::TooManyItems,
                409,
            ),
            (
                StoreError::Throttled { table: "t".into() },
                ErrorCode::Throttled,
                503,
            ),
            (
                StoreError::MissingTable { table: "t".into() },
                ErrorCode::MissingTable,
                503,
            ),
            (
                StoreError::Refused {
                    table: "t".into(),
                    code: "ValidationException".into(),
                },
                ErrorCode::Internal,
                500,
            ),
        ];
        for (error, code, status) in cases {
            let app: AppError = error.into();
            assert_eq!((app.code(), app.status()), (code, status), "{app}");
        }
        let conflict: AppError = StoreError::VersionConflict {
            model: "Post",
            stored: 3,
            expected: 2,
        }
        .into();
        assert!(conflict.to_string().contains("version 3 is stored"));
        assert!(
            !conflict.is_retryable(),
            "a stale edit needs a reload, not a retry"
        );
    }
}
