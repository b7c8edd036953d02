//! Live connection tickets: who the caller was when they asked, signed with the server's key,
//! good for opening a socket within a minute. The socket itself then lives until
//! [`CONNECTION_LIFETIME`] is up, and the browser opens a new one with a fresh ticket, so a
//! connection never outlives a sign-in by more than that.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::data::auth::Caller;
use crate::error::AppError;

/// How long a ticket may wait before its socket is opened.
pub const TICKET_LIFETIME_SECS: u64 = 60;
/// How long a connection may stay open before the server asks for a new one.
pub const CONNECTION_LIFETIME_SECS: u64 = 15 * 60;

/// The key tickets are signed with, provided to server functions like the data layer.
#[derive(Clone)]
pub struct TicketKey(std::sync::Arc<[u8; 32]>);

/// What a valid ticket says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admission {
    pub caller: Caller,
    /// Seconds since the epoch when the connection must end.
    pub connection_ends_at: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Claims {
    /// The user's `sub`, username and groups; absent for a guest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user: Option<(String, String, Vec<String>)>,
    issued_at: u64,
}

impl TicketKey {
    pub fn new(key: [u8; 32]) -> Self {
        TicketKey(std::sync::Arc::new(key))
    }

    pub fn issue(&self, caller: &Caller, now: u64) -> String {
        let claims = Claims {
            user: match caller {
                Caller::Guest => None,
                Caller::User {
                    sub,
                    username,
                    groups,
                } => Some((sub.clone(), username.clone(), groups.clone())),
            },
            issued_at: now,
        };
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).expect("claims are JSON"));
        let signature = URL_SAFE_NO_PAD.encode(self.mac(&payload).finalize().into_bytes());
        format!("{payload}.{signature}")
    }

    /// The caller a ticket admits, if this server signed it less than a minute ago.
    pub fn admit(&self, ticket: &str, now: u64) -> Result<Admission, AppError> {
        let refused = |why: &str| {
            AppError::unauthorized(format!(
                "The live connection's ticket {why}. Reload the page to connect again."
            ))
        };
        let (payload, signature) = ticket
            .split_once('.')
            .ok_or_else(|| refused("is not a ticket"))?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| refused("is not a ticket"))?;
        self.mac(payload)
            .verify_slice(&signature)
            .map_err(|_| refused("was not issued by this server"))?;
        let claims: Claims = URL_SAFE_NO_PAD
            .decode(payload)
            .ok()
            .and_then(|json| serde_json::from_slice(&json).ok())
            .ok_or_else(|| refused("is not a ticket"))?;
        if now > claims.issued_at + TICKET_LIFETIME_SECS {
            return Err(refused("has expired"));
        }
        Ok(Admission {
            caller: match claims.user {
                None => Caller::Guest,
                Some((sub, username, groups)) => Caller::User {
                    sub,
                    username,
                    groups,
                },
            },
            connection_ends_at: claims.issued_at + CONNECTION_LIFETIME_SECS,
        })
    }

    fn mac(&self, payload: &str) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(self.0.as_slice()).expect("HMAC takes any key");
        mac.update(payload.as_bytes());
        mac
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alice() -> Caller {
        Caller::User {
            sub: "sub-a".into(),
            username: "alice".into(),
            groups: vec!["admins".into()],
        }
    }

    #[test]
    fn a_ticket_admits_whom_it_was_issued_to_for_a_minute() {
        let key = TicketKey::new([7; 32]);
        let ticket = key.issue(&alice(), 1_000);
        let admitted = key.admit(&ticket, 1_030).unwrap();
        assert_eq!(admitted.caller, alice());
        assert_eq!(
            admitted.connection_ends_at,
            1_000 + CONNECTION_LIFETIME_SECS
        );
        assert_eq!(
            key.admit(&key.issue(&Caller::Guest, 1_000), 1_000)
                .unwrap()
                .caller,
            Caller::Guest
        );
        let late = key.admit(&ticket, 1_000 + TICKET_LIFETIME_SECS + 1);
        assert!(late.unwrap_err().to_string().contains("expired"));
    }

    #[test]
    fn a_forged_or_changed_ticket_is_refused() {
        let key = TicketKey::new([7; 32]);
        let ticket = key.issue(&Caller::Guest, 1_000);
        // Signed by another server.
        let other = TicketKey::new([8; 32]).issue(&alice(), 1_000);
        assert!(key.admit(&other, 1_000).is_err());
        // Alice's claims under the guest ticket's signature.
        let (_, signature) = ticket.split_once('.').unwrap();
        let (claims, _) = other.split_once('.').unwrap();
        let swapped = format!("{claims}.{signature}");
        let refused = key.admit(&swapped, 1_000).unwrap_err();
        assert_eq!(refused.status(), 401);
        assert!(refused.to_string().contains("not issued by this server"));
        for garbage in ["", "abc", "a.b", "..."] {
            assert!(key.admit(garbage, 1_000).is_err(), "{garbage:?}");
        }
    }
}
