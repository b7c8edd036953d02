//! Checking a caller's fields against the model's spec before anything is written: required
//! fields, types, enum values, and DynamoDB's 400 KB item limit, each with the field named.

use serde_json::{Map, Value};
use stratus::data::spec::{FieldKind, FieldSpec, ModelSpec, VERSION_ATTRIBUTE};
use stratus::data::{Expected, Problem};
use stratus::error::AppError;

use super::errors::invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Create,
    Update,
}

/// DynamoDB refuses items over 400 KB (attribute names and values together).
pub const MAX_ITEM_BYTES: usize = 400 * 1024;

pub fn validate(model: &ModelSpec, input: &Map<String, Value>, mode: Mode) -> Result<(), AppError> {
    for (name, value) in input {
        if name == VERSION_ATTRIBUTE {
            continue;
        }
        let Some(field) = model.field(name) else {
            return Err(invalid(name, Problem::UnknownField { model: model.name }));
        };
        if field.server_managed {
            return Err(invalid(name, Problem::ServerManaged));
        }
        if value.is_null() {
            if field.required {
                return Err(invalid(name, Problem::NotNull));
            }
            continue;
        }
        check_value(field, value).map_err(|problem| invalid(name, problem))?;
    }
    if mode == Mode::Create {
        let owner_fields = model.owner_fields();
        // Owner fields are set from the caller (see `super::owner`).
        let is_owner = |field: &FieldSpec| owner_fields.iter().any(|(f, _)| f.name == field.name);
        for field in model
            .fields
            .iter()
            .filter(|f| f.required && f.default.is_none() && !f.server_managed && !is_owner(f))
        {
            let absent = input.get(field.name).is_none_or(Value::is_null);
            // The server mints a missing `id` key.
            let minted = field.name == "id"
                && field.kind == FieldKind::Id
                && model.primary_key.partition == "id";
            if absent && !minted {
                return Err(invalid(field.name, Problem::Required));
            }
        }
    }
    Ok(())
}

fn check_value(field: &FieldSpec, value: &Value) -> Result<(), Problem> {
    if field.list {
        let Value::Array(items) = value else {
            return Err(Problem::NotA(Expected::List));
        };
        return items.iter().try_for_each(|item| check_scalar(field, item));
    }
    check_scalar(field, value)
}

fn check_scalar(field: &FieldSpec, value: &Value) -> Result<(), Problem> {
    let not_a = |expected| Err(Problem::NotA(expected));
    match (field.kind, value) {
        (FieldKind::Json, _) => Ok(()),
        (FieldKind::Int | FieldKind::Timestamp, Value::Number(n)) if n.is_i64() || n.is_u64() => {
            Ok(())
        }
        (FieldKind::Int | FieldKind::Timestamp, _) => not_a(Expected::WholeNumber),
        (FieldKind::Float, Value::Number(_)) => Ok(()),
        (FieldKind::Float, _) => not_a(Expected::Number),
        (FieldKind::Boolean, Value::Bool(_)) => Ok(()),
        (FieldKind::Boolean, _) => not_a(Expected::Boolean),
        (kind, Value::String(text)) => check_text(kind, text),
        (_, _) => not_a(Expected::Text),
    }
}

fn check_text(kind: FieldKind, text: &str) -> Result<(), Problem> {
    match kind {
        FieldKind::Enum(values) if !values.contains(&text) => Err(Problem::NotOneOf {
            values,
            given: text.to_owned(),
        }),
        FieldKind::Email if !stratus_scalars::is_email(text) => Err(Problem::NotA(Expected::Email)),
        FieldKind::Url if !stratus_scalars::is_url(text) => {
            Err(Problem::NotA(Expected::WebAddress))
        }
        FieldKind::DateTime if !stratus_scalars::is_date_time(text) => {
            Err(Problem::NotA(Expected::DateTime))
        }
        FieldKind::Date if !stratus_scalars::is_date(text) => Err(Problem::NotA(Expected::Date)),
        FieldKind::Time if !stratus_scalars::is_time(text) => Err(Problem::NotA(Expected::Time)),
        FieldKind::Phone if !stratus_scalars::is_phone(text) => Err(Problem::NotA(Expected::Phone)),
        FieldKind::IpAddress if !stratus_scalars::is_ip_address(text) => {
            Err(Problem::NotA(Expected::IpAddress))
        }
        _ => Ok(()),
    }
}

/// Refuses an item DynamoDB would refuse, naming its largest field.
pub fn check_size(model: &ModelSpec, item: &Map<String, Value>) -> Result<(), AppError> {
    let size_of = |(name, value): (&String, &Value)| {
        name.len() + serde_json::to_vec(value).map_or(0, |v| v.len())
    };
    let total: usize = item.iter().map(size_of).sum();
    if total <= MAX_ITEM_BYTES {
        return Ok(());
    }
    let largest = item
        .iter()
        .max_by_key(|entry| size_of(*entry))
        .map(|(name, _)| name.as_str())
        .unwrap_or("item");
    Err(invalid(
        largest,
        Problem::TooLarge {
            model: model.name,
            kb: total / 1024,
        },
    ))
}

pub fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .expect("the current time formats as RFC 3339")
}

#[cfg(test)]
mod tests {
    use super::*;
    use stratus::data::spec::{KeySpec, ModelSpec};

    /// A field that may be left out, of one of the AWS scalars checked as text.
    const fn optional(name: &'static str, kind: FieldKind) -> FieldSpec {
        FieldSpec {
            name,
            kind,
            required: false,
            list: false,
            default: None,
            server_managed: false,
            auth: &[],
        }
    }

    static NOTE: ModelSpec = ModelSpec {
        name: "Note",
        fields: &[
            FieldSpec {
                name: "id",
                kind: FieldKind::Id,
                required: true,
                list: false,
                default: None,
                server_managed: false,
                auth: &[],
            },
            FieldSpec {
                name: "title",
                kind: FieldKind::String,
                required: true,
                list: false,
                default: None,
                server_managed: false,
                auth: &[],
            },
            FieldSpec {
                name: "stars",
                kind: FieldKind::Int,
                required: false,
                list: false,
                default: None,
                server_managed: false,
                auth: &[],
            },
            FieldSpec {
                name: "mood",
                kind: FieldKind::Enum(&["HAPPY", "SAD"]),
                required: false,
                list: false,
                default: None,
                server_managed: false,
                auth: &[],
            },
            FieldSpec {
                name: "author",
                kind: FieldKind::Email,
                required: false,
                list: false,
                default: None,
                server_managed: false,
                auth: &[],
            },
            FieldSpec {
                name: "tags",
                kind: FieldKind::String,
                required: false,
                list: true,
                default: None,
                server_managed: false,
                auth: &[],
            },
            optional("remindAt", FieldKind::Time),
            optional("sentAt", FieldKind::Timestamp),
            optional("phone", FieldKind::Phone),
            optional("ip", FieldKind::IpAddress),
            FieldSpec {
                name: "createdAt",
                kind: FieldKind::DateTime,
                required: true,
                list: false,
                default: None,
                server_managed: true,
                auth: &[],
            },
        ],
        primary_key: KeySpec {
            partition: "id",
            sort: &[],
        },
        indexes: &[],
        relations: &[],
        timestamps: None,
        auth: &[],
        references: &[],
        is_join_table: false,
        subscriptions: stratus::data::spec::SubscriptionSpec::NONE,
    };

    fn check(input: Value, mode: Mode) -> Result<(), (Option<String>, String)> {
        validate(&NOTE, input.as_object().unwrap(), mode)
            .map_err(|e| (e.field().map(str::to_owned), e.to_string()))
    }

    #[test]
    fn each_mistake_names_its_field() {
        assert!(check(
            serde_json::json!({"title": "hi", "stars": 3, "mood": "HAPPY", "tags": ["a"],
                "remindAt": "07:30:00Z", "sentAt": 1764633600, "phone": "+41 44 668 18 00",
                "ip": "2001:db8::1"}),
            Mode::Create
        )
        .is_ok());
        let cases = [
            (serde_json::json!({}), "title", "`title` is required."),
            (
                serde_json::json!({"title": "x", "stars": "3"}),
                "stars",
                "`stars` must be a whole number.",
            ),
            (
                serde_json::json!({"title": "x", "stars": 1.5}),
                "stars",
                "`stars` must be a whole number.",
            ),
            (
                serde_json::json!({"title": "x", "mood": "ANGRY"}),
                "mood",
                "`mood` must be one of HAPPY, SAD, not \"ANGRY\".",
            ),
            (
                serde_json::json!({"title": "x", "author": "nobody"}),
                "author",
                "`author` must be an email address.",
            ),
            (
                serde_json::json!({"title": "x", "remindAt": "25:00"}),
                "remindAt",
                "`remindAt` must be a time of day such as 14:30:00 or 14:30:00.000Z.",
            ),
            (
                serde_json::json!({"title": "x", "sentAt": "2026-01-01"}),
                "sentAt",
                "`sentAt` must be a whole number.",
            ),
            (
                serde_json::json!({"title": "x", "phone": "call me"}),
                "phone",
                "`phone` must be a phone number such as +41 44 668 18 00.",
            ),
            (
                serde_json::json!({"title": "x", "ip": "300.1.1.1"}),
                "ip",
                "`ip` must be an IPv4 or IPv6 address such as 203.0.113.7.",
            ),
            (
                serde_json::json!({"title": "x", "tags": "a"}),
                "tags",
                "`tags` must be a list.",
            ),
            (
                serde_json::json!({"title": "x", "colour": "red"}),
                "colour",
                "Note has no field `colour`.",
            ),
            (
                serde_json::json!({"title": "x", "createdAt": "2026-01-01T00:00:00Z"}),
                "createdAt",
                "`createdAt` is set by the server, not by the caller.",
            ),
            (
                serde_json::json!({"title": null}),
                "title",
                "`title` is required and cannot be null.",
            ),
        ];
        for (input, field, message) in cases {
            assert_eq!(
                check(input.clone(), Mode::Create),
                Err((Some(field.to_owned()), message.to_owned())),
                "{input}"
            );
        }
    }

    #[test]
    fn updates_need_no_required_fields() {
        assert!(check(serde_json::json!({"id": "1", "stars": 2}), Mode::Update).is_ok());
    }

    #[test]
    fn items_over_400_kb_are_refused_naming_the_largest_field() {
        let mut item = Map::new();
        item.insert("title".into(), Value::String("x".repeat(MAX_ITEM_BYTES)));
        let error = check_size(&NOTE, &item).unwrap_err();
        assert_eq!(error.field(), Some("title"));
        assert!(
            error.to_string().contains("over DynamoDB's 400 KB limit"),
            "{error}"
        );
    }
}
