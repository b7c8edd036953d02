//! Amplify's filter tree (`{"title": {"beginsWith": "A"}, "or": [...]}`) to a DynamoDB filter
//! expression with its placeholder names and values.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::Value;
use stratus::data::spec::{FieldKind, ModelSpec};
use stratus::data::{FilterProblem, Problem};
use stratus::error::AppError;

/// Placeholders shared by every expression of one request.
#[derive(Default)]
pub struct Placeholders {
    pub names: HashMap<String, String>,
    pub values: HashMap<String, AttributeValue>,
}

impl Placeholders {
    pub fn name(&mut self, attribute: &str) -> String {
        let placeholder = format!("#n{}", self.names.len());
        if let Some((existing, _)) = self.names.iter().find(|(_, a)| *a == attribute) {
            return existing.clone();
        }
        self.names.insert(placeholder.clone(), attribute.to_owned());
        placeholder
    }

    pub fn value(&mut self, value: AttributeValue) -> String {
        let placeholder = format!(":v{}", self.values.len());
        self.values.insert(placeholder.clone(), value);
        placeholder
    }
}

/// A filter with the tests of one field already decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Known {
    /// Every item matches.
    All,
    /// No item matches.
    Nothing,
    /// The rest of the filter, still to be tested.
    Filter(Value),
}

/// Decides the tests of `field` in `filter` for items whose `field` is `value`. A query fixes
/// its partition key, and DynamoDB refuses filter expressions on key attributes: the read
/// rules' `status = PUBLISHED` on the `byStatus` index is decided here instead.
pub fn with_known(filter: &Value, field: &str, value: &Value) -> Known {
    let Value::Object(conditions) = filter else {
        return Known::Filter(filter.clone());
    };
    let mut rest = serde_json::Map::new();
    for (key, operand) in conditions {
        let known =
            match key.as_str() {
                "and" | "or" => {
                    let parts: Vec<Known> = operand
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|f| with_known(f, field, value))
                        .collect();
                    let (decisive, neutral) = if key == "and" {
                        (Known::Nothing, Known::All)
                    } else {
                        (Known::All, Known::Nothing)
                    };
                    if parts.contains(&decisive) {
                        decisive
                    } else {
                        let left: Vec<Value> = parts
                            .into_iter()
                            .filter_map(|p| {
                                if let Known::Filter(f) = p {
                                    Some(f)
                                } else {
                                    None
                                }
                            })
                            .collect();
                        if left.is_empty() {
                            neutral
                        } else {
                            Known::Filter(Value::Array(left))
                        }
                    }
                }
                "not" => match with_known(operand, field, value) {
                    Known::All => Known::Nothing,
                    Known::Nothing => Known::All,
                    inner => inner,
                },
                name if name == field => {
                    match operand.as_object() {
                        Some(operators) => decide(operators, value).map_or(
                            Known::Filter(operand.clone()),
                            |holds| if holds { Known::All } else { Known::Nothing },
                        ),
                        None => Known::Filter(operand.clone()),
                    }
                }
                _ => Known::Filter(operand.clone()),
            };
        // `known` stands for this key's test; what is left of it keeps its place under the key.
        match known {
            Known::Nothing => return Known::Nothing,
            Known::All => {}
            Known::Filter(operand) => {
                rest.insert(key.clone(), operand);
            }
        }
    }
    if rest.is_empty() {
        Known::All
    } else {
        Known::Filter(Value::Object(rest))
    }
}

/// Whether every operator holds for `value`; `None` for one that cannot be decided here.
fn decide(operators: &serde_json::Map<String, Value>, value: &Value) -> Option<bool> {
    let order = |operand: &Value| match (value, operand) {
        (Value::String(a), Value::String(b)) => Some(a.as_str().cmp(b.as_str())),
        (Value::Number(a), Value::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
        _ => None,
    };
    let mut holds = true;
    for (operator, operand) in operators {
        holds &= match operator.as_str() {
            "eq" => value == operand,
            "ne" => value != operand,
            "lt" => order(operand)?.is_lt(),
            "le" => order(operand)?.is_le(),
            "gt" => order(operand)?.is_gt(),
            "ge" => order(operand)?.is_ge(),
            "beginsWith" => value.as_str()?.starts_with(operand.as_str()?),
            "attributeExists" => operand.as_bool()?,
            _ => return None,
        };
    }
    Some(holds)
}

/// Checks a filter as a list checks it, with no request to put it in: a subscription's.
pub fn validate(model: &ModelSpec, filter: &Value) -> Result<(), AppError> {
    expression(model, filter, &mut Placeholders::default()).map(|_| ())
}

/// The filter expression for `filter`, or `None` when it asks for nothing.
pub fn expression(
    model: &ModelSpec,
    filter: &Value,
    placeholders: &mut Placeholders,
) -> Result<Option<String>, AppError> {
    let Value::Object(conditions) = filter else {
        return Err(bad_filter(FilterProblem::NotAnObject));
    };
    let mut parts = Vec::new();
    for (key, value) in conditions {
        let part = match key.as_str() {
            "and" | "or" => {
                let Value::Array(filters) = value else {
                    return Err(bad_filter(FilterProblem::NotAList { key: key.clone() }));
                };
                let joined: Vec<String> = filters
                    .iter()
                    .map(|f| expression(model, f, placeholders))
                    .collect::<Result<Vec<_>, _>>()?
                    .into_iter()
                    .flatten()
                    .collect();
                if joined.is_empty() {
                    continue;
                }
                format!(
                    "({})",
                    joined.join(if key == "and" { " AND " } else { " OR " })
                )
            }
            "not" => match expression(model, value, placeholders)? {
                Some(inner) => format!("(NOT {inner})"),
                None => continue,
            },
            field_name => field_conditions(model, field_name, value, placeholders)?,
        };
        parts.push(part);
    }
    Ok((!parts.is_empty()).then(|| parts.join(" AND ")))
}

fn field_conditions(
    model: &ModelSpec,
    field_name: &str,
    operators: &Value,
    placeholders: &mut Placeholders,
) -> Result<String, AppError> {
    let field = model.field(field_name).ok_or_else(|| {
        bad_filter(FilterProblem::UnknownField {
            model: model.name,
            field: field_name.to_owned(),
        })
    })?;
    let Value::Object(operators) = operators else {
        return Err(bad_filter(FilterProblem::FieldNotAnObject {
            field: field_name.to_owned(),
        }));
    };
    let name = placeholders.name(field_name);
    let mut parts = Vec::new();
    for (operator, operand) in operators {
        let mut value = |operand: &Value| {
            typed_value(field_name, field.kind, operand).map(|v| placeholders.value(v))
        };
        let part = match operator.as_str() {
            "eq" => format!("{name} = {}", value(operand)?),
            "ne" => format!("{name} <> {}", value(operand)?),
            "lt" => format!("{name} < {}", value(operand)?),
            "le" => format!("{name} <= {}", value(operand)?),
            "gt" => format!("{name} > {}", value(operand)?),
            "ge" => format!("{name} >= {}", value(operand)?),
            "between" => match operand.as_array().map(Vec::as_slice) {
                Some([low, high]) => format!("{name} BETWEEN {} AND {}", value(low)?, value(high)?),
                _ => {
                    return Err(bad_filter(FilterProblem::BetweenTakesTwo {
                        field: field_name.to_owned(),
                    }))
                }
            },
            "beginsWith" => format!("begins_with({name}, {})", value(operand)?),
            "contains" => format!("contains({name}, {})", value(operand)?),
            "notContains" => format!("NOT contains({name}, {})", value(operand)?),
            "attributeExists" => match operand {
                Value::Bool(true) => format!("attribute_exists({name})"),
                Value::Bool(false) => format!("attribute_not_exists({name})"),
                _ => return Err(bad_filter(FilterProblem::AttributeExistsTakesBool)),
            },
            other => {
                return Err(bad_filter(FilterProblem::UnknownOperator {
                    operator: other.to_owned(),
                }))
            }
        };
        parts.push(part);
    }
    if parts.is_empty() {
        return Err(bad_filter(FilterProblem::NoOperator {
            field: field_name.to_owned(),
        }));
    }
    Ok(format!("({})", parts.join(" AND ")))
}

fn typed_value(
    field_name: &str,
    kind: FieldKind,
    operand: &Value,
) -> Result<AttributeValue, AppError> {
    match (kind.is_numeric(), kind == FieldKind::Boolean, operand) {
        (true, _, Value::Number(n)) => Ok(AttributeValue::N(n.to_string())),
        (_, true, Value::Bool(b)) => Ok(AttributeValue::Bool(*b)),
        (false, false, Value::String(s)) => Ok(AttributeValue::S(s.clone())),
        _ => Err(bad_filter(FilterProblem::WrongType {
            field: field_name.to_owned(),
        })),
    }
}

fn bad_filter(problem: FilterProblem) -> AppError {
    super::errors::invalid("filter", Problem::Filter(problem))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use stratus::data::spec::{FieldSpec, KeySpec};

    static POST: ModelSpec = ModelSpec {
        name: "Post",
        fields: &[
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
                name: "views",
                kind: FieldKind::Int,
                required: false,
                list: false,
                default: None,
                server_managed: false,
                auth: &[],
            },
        ],
        primary_key: KeySpec {
            partition: "title",
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

    #[test]
    fn a_known_partition_decides_its_own_tests() {
        let value = json!("PUBLISHED");
        let scope =
            json!({ "or": [{ "owner": { "eq": "ada" } }, { "status": { "eq": "PUBLISHED" } }] });
        assert_eq!(with_known(&scope, "status", &value), Known::All);
        assert_eq!(
            with_known(&scope, "status", &json!("DRAFT")),
            Known::Filter(json!({ "or": [{ "owner": { "eq": "ada" } }] }))
        );
        let both = json!({ "and": [{ "title": { "beginsWith": "A" } }, { "status": { "eq": "PUBLISHED" } }] });
        assert_eq!(
            with_known(&both, "status", &value),
            Known::Filter(json!({ "and": [{ "title": { "beginsWith": "A" } }] }))
        );
        assert_eq!(
            with_known(
                &json!({ "not": { "status": { "eq": "PUBLISHED" } } }),
                "status",
                &value
            ),
            Known::Nothing
        );
        assert_eq!(
            with_known(
                &json!({ "status": { "ne": "PUBLISHED" } }),
                "status",
                &value
            ),
            Known::Nothing
        );
    }

    #[test]
    fn a_filter_tree_becomes_one_expression() {
        let filter = serde_json::json!({
            "title": {"beginsWith": "Rust"},
            "or": [{"views": {"gt": 10}}, {"views": {"attributeExists": false}}],
            "not": {"title": {"contains": "draft"}}
        });
        let mut placeholders = Placeholders::default();
        let text = expression(&POST, &filter, &mut placeholders)
            .unwrap()
            .unwrap();
        // serde_json may keep or sort the keys; the three parts are ANDed either way.
        for part in [
            "(NOT (contains(",
            ") OR (attribute_not_exists(",
            "(begins_with(",
        ] {
            assert!(text.contains(part), "{part} in {text}");
        }
        assert_eq!(text.matches(") AND (").count(), 2, "{text}");
        assert!(placeholders
            .values
            .values()
            .any(|v| *v == AttributeValue::N("10".into())));
    }

    #[test]
    fn mistakes_are_named() {
        let mut placeholders = Placeholders::default();
        let unknown = expression(
            &POST,
            &serde_json::json!({"colour": {"eq": "red"}}),
            &mut placeholders,
        )
        .unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "Post has no field `colour` to filter on."
        );
        let wrong_type = expression(
            &POST,
            &serde_json::json!({"views": {"eq": "ten"}}),
            &mut placeholders,
        )
        .unwrap_err();
        assert_eq!(
            wrong_type.to_string(),
            "The filter compares `views` with a value of the wrong type."
        );
        let operator = expression(
            &POST,
            &serde_json::json!({"views": {"like": 1}}),
            &mut placeholders,
        )
        .unwrap_err();
        assert!(operator
            .to_string()
            .starts_with("`like` is not a filter operator"));
    }
}
