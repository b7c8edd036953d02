//! Amplify's filter inputs. A model's filter (generated) has one of these per field, plus
//! `and`, `or` and `not`; the server turns the whole tree into a DynamoDB filter expression.

use serde::{Deserialize, Serialize};

/// For ID, String, AWSDateTime, AWSDate, AWSEmail, AWSURL and enum fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StringFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eq: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ne: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub le: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ge: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub between: Option<[String; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub begins_with: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contains: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_contains: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_exists: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NumberFilter<T> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eq: Option<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ne: Option<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lt: Option<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub le: Option<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gt: Option<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ge: Option<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub between: Option<[T; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_exists: Option<bool>,
}

pub type IntFilter = NumberFilter<i64>;
pub type FloatFilter = NumberFilter<f64>;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BooleanFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eq: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ne: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_exists: Option<bool>,
}

/// A condition on an index's sort key, for the generated `@index` queries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum KeyCondition {
    Eq(String),
    Lt(String),
    Le(String),
    Gt(String),
    Ge(String),
    Between([String; 2]),
    BeginsWith(String),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum SortDirection {
    #[default]
    Asc,
    Desc,
}
