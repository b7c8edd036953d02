//! A subscription's filter, checked against each changed item in memory. It is validated once,
//! when the subscription starts, by the code that turns a list's filter into a DynamoDB filter
//! expression (`store::validate_filter`), so both take the same filters and word the same
//! mistakes; here it only has to be evaluated, as DynamoDB would: a comparison with a missing
//! attribute is false, strings compare by their bytes, numbers by value.

use std::cmp::Ordering;

use serde_json::{Map, Value};

/// Whether `item` matches a filter that `store::validate_filter` accepted.
pub fn matches(filter: &Value, item: &Map<String, Value>) -> bool {
    let Value::Object(conditions) = filter else {
        return false;
    };
    conditions.iter().all(|(key, value)| match key.as_str() {
        "and" => filters(value).all(|f| matches(f, item)),
        // An empty `or` asks for nothing, as in the list's expression.
        "or" => filters(value).next().is_none() || filters(value).any(|f| matches(f, item)),
        "not" => is_empty(value) || !matches(value, item),
        field => field_matches(item.get(field).filter(|v| !v.is_null()), value),
    })
}

fn filters(value: &Value) -> impl Iterator<Item = &Value> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| !is_empty(f))
}

fn is_empty(filter: &Value) -> bool {
    filter.as_object().is_some_and(Map::is_empty)
}

fn field_matches(value: Option<&Value>, operators: &Value) -> bool {
    let Value::Object(operators) = operators else {
        return false;
    };
    operators.iter().all(|(operator, operand)| {
        let compared = |wanted: fn(Ordering) -> bool| {
            value.and_then(|v| compare(v, operand)).is_some_and(wanted)
        };
        match operator.as_str() {
            "eq" => compared(Ordering::is_eq),
            "ne" => compared(Ordering::is_ne),
            "lt" => compared(Ordering::is_lt),
            "le" => compared(Ordering::is_le),
            "gt" => compared(Ordering::is_gt),
            "ge" => compared(Ordering::is_ge),
            "between" => match operand.as_array().map(Vec::as_slice) {
                Some([low, high]) => value.is_some_and(|v| {
                    compare(v, low).is_some_and(Ordering::is_ge)
                        && compare(v, high).is_some_and(Ordering::is_le)
                }),
                _ => false,
            },
            "beginsWith" => match (value, operand) {
                (Some(Value::String(v)), Value::String(prefix)) => v.starts_with(prefix.as_str()),
                _ => false,
            },
            "contains" => value.is_some_and(|v| contains(v, operand)),
            "notContains" => value.is_some_and(|v| !contains(v, operand)),
            "attributeExists" => operand.as_bool() == Some(value.is_some()),
            _ => false,
        }
    })
}

/// Values of one type in order; `None` for values of different types, which never compare.
fn compare(value: &Value, operand: &Value) -> Option<Ordering> {
    match (value, operand) {
        (Value::String(a), Value::String(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
        (Value::Number(a), Value::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

fn contains(value: &Value, operand: &Value) -> bool {
    match (value, operand) {
        (Value::String(v), Value::String(part)) => v.contains(part.as_str()),
        (Value::Array(values), operand) => values
            .iter()
            .any(|v| compare(v, operand) == Some(Ordering::Equal)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item() -> Map<String, Value> {
        json!({
            "postCommentsId": "p1",
            "content": "Nice post",
            "stars": 4,
            "status": "PUBLISHED",
            "tags": ["rust", "aws"],
            "note": null,
        })
        .as_object()
        .unwrap()
        .clone()
    }

    #[test]
    fn each_operator_as_dynamodb_evaluates_it() {
        let holds = |filter: Value| matches(&filter, &item());
        assert!(holds(json!({"postCommentsId": {"eq": "p1"}})));
        assert!(!holds(json!({"postCommentsId": {"eq": "p2"}})));
        assert!(holds(json!({"postCommentsId": {"ne": "p2"}})));
        assert!(holds(json!({"stars": {"gt": 3, "le": 4}})));
        assert!(holds(json!({"stars": {"eq": 4.0}})));
        assert!(!holds(json!({"stars": {"lt": 4}})));
        assert!(holds(json!({"stars": {"between": [1, 4]}})));
        assert!(!holds(json!({"stars": {"between": [5, 9]}})));
        assert!(holds(json!({"content": {"beginsWith": "Nice"}})));
        assert!(holds(json!({"content": {"contains": "post"}})));
        assert!(holds(json!({"tags": {"contains": "rust"}})));
        assert!(holds(json!({"tags": {"notContains": "go"}})));
        assert!(holds(json!({"note": {"attributeExists": false}})));
        assert!(holds(json!({"content": {"attributeExists": true}})));
        // Different types never compare; a missing attribute never matches a comparison.
        assert!(!holds(json!({"stars": {"eq": "4"}})));
        assert!(!holds(json!({"missing": {"ne": "x"}})));
        assert!(!holds(json!({"missing": {"notContains": "x"}})));
    }

    #[test]
    fn and_or_not_combine_conditions() {
        let holds = |filter: Value| matches(&filter, &item());
        assert!(holds(
            json!({"or": [{"stars": {"eq": 1}}, {"status": {"eq": "PUBLISHED"}}]})
        ));
        assert!(!holds(
            json!({"and": [{"stars": {"eq": 1}}, {"status": {"eq": "PUBLISHED"}}]})
        ));
        assert!(holds(json!({"not": {"stars": {"eq": 1}}})));
        assert!(!holds(json!({"not": {"stars": {"eq": 4}}})));
        // Empty parts ask for nothing, as in a list's filter expression.
        assert!(holds(json!({})));
        assert!(holds(json!({"or": [], "not": {}})));
        // Fields side by side must all hold.
        assert!(!holds(
            json!({"postCommentsId": {"eq": "p1"}, "stars": {"eq": 5}})
        ));
    }
}
