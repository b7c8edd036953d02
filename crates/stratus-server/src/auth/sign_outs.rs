//! The sign-outs the server remembers (see `stratus::auth::sign_out`), in one DynamoDB table of
//! the framework's own: an item per signed-out session (`session#<origin_jti>`) and one per user
//! who signed out everywhere (`user#<sub>`, with the time). Every call with an ID token reads
//! both in one strongly consistent `BatchGetItem`, so a sign-out holds from the next call on,
//! on every Lambda instance.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes};
use stratus::auth::sign_out::{SessionToken, SignOut, SignOuts};
use stratus::error::AppError;

use crate::store::errors::store_error;

const KEY: &str = "pk";
const SIGNED_OUT_AT: &str = "signedOutAt";
/// DynamoDB's time to live. A Cognito ID token lives at most a day, so after a day no token a
/// sign-out covers can still be valid.
const EXPIRES_AT: &str = "expiresAt";
const REMEMBERED_FOR: Duration = Duration::from_secs(24 * 60 * 60);

pub struct DynamoSignOuts {
    dynamodb: aws_sdk_dynamodb::Client,
    table: String,
}

impl DynamoSignOuts {
    pub fn new(dynamodb: aws_sdk_dynamodb::Client, table: String) -> Self {
        Self { dynamodb, table }
    }

    /// Refuses a token whose session, or whose user everywhere, was signed out.
    pub async fn check(&self, token: &SessionToken) -> Result<(), AppError> {
        let keys = KeysAndAttributes::builder()
            .keys(key(session_key(&token.origin_jti)))
            .keys(key(user_key(&token.sub)))
            .consistent_read(true)
            .build()
            .expect("keys are set");
        let answer = self
            .dynamodb
            .batch_get_item()
            .request_items(&self.table, keys)
            .send()
            .await
            .map_err(|e| store_error(&self.table, e))?;
        let items = answer
            .responses()
            .and_then(|responses| responses.get(&self.table))
            .map(Vec::as_slice)
            .unwrap_or_default();
        for item in items {
            let Some(AttributeValue::S(pk)) = item.get(KEY) else {
                continue;
            };
            if pk.starts_with("session#") {
                return Err(AppError::unauthorized(
                    "You signed out of this session. Please sign in again.",
                ));
            }
            let signed_out_at = item
                .get(SIGNED_OUT_AT)
                .and_then(|value| value.as_n().ok()?.parse::<u64>().ok())
                .unwrap_or(0);
            // `<=`: a token issued in the very second of the sign-out is refused too; its
            // owner signs in again, where the other choice would let a stolen one through.
            if token.issued_at <= signed_out_at {
                return Err(AppError::unauthorized(
                    "You signed out on every device. Please sign in again.",
                ));
            }
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl SignOuts for DynamoSignOuts {
    async fn record(&self, sign_out: SignOut) -> Result<(), AppError> {
        let expires_at = SystemTime::now() + REMEMBERED_FOR;
        let expires_at = expires_at
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let mut item = match &sign_out {
            SignOut::Session(token) => key(session_key(&token.origin_jti)),
            SignOut::Everywhere { sub, at } => {
                let mut item = key(user_key(sub));
                item.insert(SIGNED_OUT_AT.into(), AttributeValue::N(at.to_string()));
                item
            }
        };
        item.insert(EXPIRES_AT.into(), AttributeValue::N(expires_at.to_string()));
        self.dynamodb
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(|e| store_error(&self.table, e))?;
        tracing::info!(
            everywhere = matches!(sign_out, SignOut::Everywhere { .. }),
            "signed out"
        );
        Ok(())
    }
}

fn session_key(origin_jti: &str) -> String {
    format!("session#{origin_jti}")
}

fn user_key(sub: &str) -> String {
    format!("user#{sub}")
}

fn key(pk: String) -> HashMap<String, AttributeValue> {
    HashMap::from([(KEY.to_owned(), AttributeValue::S(pk))])
}

/// The table's key attribute and time-to-live attribute, for provisioning and the template.
pub mod layout {
    pub const KEY_ATTRIBUTE: &str = super::KEY;
    pub const TTL_ATTRIBUTE: &str = super::EXPIRES_AT;
}
