//! `nextToken`: the key of the last item a page returned, opaque to the caller.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use stratus::data::Problem;
use stratus::error::AppError;

use super::errors::invalid;

pub fn encode(key: &HashMap<String, AttributeValue>) -> String {
    let plain: serde_json::Map<String, serde_json::Value> = key
        .iter()
        .map(|(name, value)| {
            let value = match value {
                AttributeValue::N(n) => serde_json::json!({ "N": n }),
                AttributeValue::S(s) => serde_json::json!({ "S": s }),
                _ => serde_json::Value::Null,
            };
            (name.clone(), value)
        })
        .collect();
    URL_SAFE_NO_PAD.encode(serde_json::Value::Object(plain).to_string())
}

/// Reads a token back; it must name exactly the key attributes this list pages by.
pub fn decode(
    token: &str,
    expected_attributes: &[String],
) -> Result<HashMap<String, AttributeValue>, AppError> {
    let invalid = || invalid("nextToken", Problem::ForeignNextToken);
    let bytes = URL_SAFE_NO_PAD
        .decode(token.trim())
        .map_err(|_| invalid())?;
    let serde_json::Value::Object(plain) = serde_json::from_slice(&bytes).map_err(|_| invalid())?
    else {
        return Err(invalid());
    };
    let mut key = HashMap::new();
    for (name, value) in plain {
        let value = match (
            value.get("S").and_then(|v| v.as_str()),
            value.get("N").and_then(|v| v.as_str()),
        ) {
            (Some(s), None) => AttributeValue::S(s.to_owned()),
            (None, Some(n)) if n.parse::<f64>().is_ok() => AttributeValue::N(n.to_owned()),
            _ => return Err(invalid()),
        };
        key.insert(name, value);
    }
    let mut names: Vec<&String> = key.keys().collect();
    names.sort();
    let mut expected: Vec<&String> = expected_attributes.iter().collect();
    expected.sort();
    expected.dedup();
    if names != expected {
        return Err(invalid());
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_round_trips_and_a_forged_one_is_refused() {
        let key = HashMap::from([
            ("id".to_owned(), AttributeValue::S("a".into())),
            ("n".to_owned(), AttributeValue::N("3".into())),
        ]);
        let names = vec!["id".to_owned(), "n".to_owned()];
        assert_eq!(decode(&encode(&key), &names).unwrap(), key);
        for forged in [
            "",
            "not base64!",
            &URL_SAFE_NO_PAD.encode("{\"other\":{\"S\":\"x\"}}"),
            &URL_SAFE_NO_PAD.encode("[1]"),
        ] {
            let error = decode(forged, &names).unwrap_err();
            assert_eq!(error.field(), Some("nextToken"), "{forged}");
        }
    }
}
