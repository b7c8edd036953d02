//! The client's half of Cognito's SRP sign-in (`USER_SRP_AUTH`, then `PASSWORD_VERIFIER`): the
//! password never leaves the browser; the user pool checks a proof that the browser knows it.
//!
//! Cognito's variant of SRP-6a: the 3072-bit group of RFC 5054 with generator 2, SHA-256,
//! `x = H(salt | H(poolName | userId | ":" | password))`, and a 16-byte key derived from the
//! shared secret with one HKDF step (info "Caldera Derived Key"). Pure arithmetic, so it is
//! tested natively, against the reference client (`amazon-cognito-identity-js`) and against
//! the local user pool's verifier.

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use num_bigint::BigUint;
use sha2::{Digest, Sha256};

/// The 3072-bit prime of RFC 5054, Appendix A.
const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);
const GENERATOR: u32 = 2;
/// Bytes of randomness in the client's secret exponent `a`, as the reference client uses.
pub const SECRET_LEN: usize = 128;

/// Why a challenge from the user pool cannot be answered. Each means the answer was not what a
/// user pool sends, so none is the user's fault.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SrpError {
    #[error("the user pool's challenge lacks {0}")]
    Missing(&'static str),
    #[error("the user pool's {0} is not {1}")]
    Malformed(&'static str, &'static str),
    #[error("the user pool's public value is not safe to use (B mod N is zero)")]
    UnsafeB,
}

/// What `PASSWORD_VERIFIER` sends: the parameters the proof is computed over.
#[derive(Debug, Clone)]
pub struct PasswordVerifierChallenge {
    pub salt_hex: String,
    pub server_b_hex: String,
    pub secret_block: String,
    /// The user's name inside the pool (a UUID where email is an alias), not what they typed.
    pub user_id_for_srp: String,
}

impl PasswordVerifierChallenge {
    /// Reads the challenge's `ChallengeParameters`.
    pub fn from_parameters(parameters: &serde_json::Value) -> Result<Self, SrpError> {
        let field = |name: &'static str| {
            parameters[name]
                .as_str()
                .filter(|value| !value.is_empty())
                .map(str::to_owned)
                .ok_or(SrpError::Missing(name))
        };
        Ok(Self {
            salt_hex: field("SALT")?,
            server_b_hex: field("SRP_B")?,
            secret_block: field("SECRET_BLOCK")?,
            user_id_for_srp: field("USER_ID_FOR_SRP")?,
        })
    }
}

/// The answer to `PASSWORD_VERIFIER` (its `ChallengeResponses`, with `USERNAME` the challenge's
/// `user_id_for_srp`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordClaim {
    pub secret_block: String,
    pub timestamp: String,
    pub signature: String,
}

/// One sign-in attempt: the secret `a` and the public `A = g^a mod N` sent with `USER_SRP_AUTH`.
pub struct SrpSession {
    group: Group,
    a: BigUint,
    public_a: BigUint,
}

struct Group {
    n: BigUint,
    g: BigUint,
    /// `k = H(N | g)`, each padded.
    k: BigUint,
}

impl Group {
    fn new() -> Self {
        let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).expect("the group's prime is hex");
        let g = BigUint::from(GENERATOR);
        let k = hash_to_int(&[&padded(&n), &padded(&g)]);
        Self { n, g, k }
    }
}

impl SrpSession {
    /// Starts an attempt from `SECRET_LEN` random bytes (the browser's `crypto.getRandomValues`).
    pub fn new(random: &[u8; SECRET_LEN]) -> Self {
        let group = Group::new();
        // `a` must make `A mod N` non-zero; with g = 2 and N prime that holds for any a, but a
        // zero `a` (all-zero randomness) would give A = 1, which the server would accept.
        let a = BigUint::from_bytes_be(random) % &group.n;
        let a = if a == BigUint::ZERO {
            BigUint::from(1u32)
        } else {
            a
        };
        let public_a = group.g.modpow(&a, &group.n);
        Self { group, a, public_a }
    }

    /// `SRP_A` for `InitiateAuth`, in hex.
    pub fn public_a_hex(&self) -> String {
        self.public_a.to_str_radix(16)
    }

    /// The `ChallengeResponses` that answer the user pool's `PASSWORD_VERIFIER` challenge (its
    /// `ChallengeParameters`), signed at `unix_seconds`.
    pub fn answer(
        &self,
        pool_id: &str,
        parameters: &serde_json::Value,
        password: &str,
        unix_seconds: u64,
    ) -> Result<[(&'static str, String); 4], SrpError> {
        let challenge = PasswordVerifierChallenge::from_parameters(parameters)?;
        let claim = self.password_claim(pool_id, &challenge, password, &timestamp(unix_seconds))?;
        Ok([
            ("USERNAME", challenge.user_id_for_srp),
            ("PASSWORD_CLAIM_SECRET_BLOCK", claim.secret_block),
            ("TIMESTAMP", claim.timestamp),
            ("PASSWORD_CLAIM_SIGNATURE", claim.signature),
        ])
    }

    /// The proof that this browser knows `password`, for the challenge the pool sent back.
    /// `pool_id` is the whole id (`us-east-1_AbC`); `timestamp` is [`timestamp`]'s.
    pub fn password_claim(
        &self,
        pool_id: &str,
        challenge: &PasswordVerifierChallenge,
        password: &str,
        timestamp: &str,
    ) -> Result<PasswordClaim, SrpError> {
        let Group { n, g, k } = &self.group;
        let server_b = parse_hex(&challenge.server_b_hex, "SRP_B")?;
        if &server_b % n == BigUint::ZERO {
            return Err(SrpError::UnsafeB);
        }
        let salt = parse_hex(&challenge.salt_hex, "SALT")?;
        let secret_block = base64::engine::general_purpose::STANDARD
            .decode(&challenge.secret_block)
            .map_err(|_| SrpError::Malformed("SECRET_BLOCK", "base64"))?;
        let pool_name = pool_id.split_once('_').map_or(pool_id, |(_, name)| name);
        let user_id = challenge.user_id_for_srp.as_str();

        let u = hash_to_int(&[&padded(&self.public_a), &padded(&server_b)]);
        if u == BigUint::ZERO {
            return Err(SrpError::UnsafeB);
        }
        let identity = Sha256::digest(format!("{pool_name}{user_id}:{password}").as_bytes());
        let x = hash_to_int(&[&padded(&salt), &identity]);
        // S = (B - k * g^x) ^ (a + u * x) mod N, with the subtraction taken mod N.
        let k_g_x = (k * g.modpow(&x, n)) % n;
        let base = (server_b % n + n - k_g_x) % n;
        let shared = base.modpow(&(&self.a + &u * &x), n);

        let key = derive_key(&padded(&shared), &padded(&u));
        let mut mac = hmac_sha256(&key);
        mac.update(pool_name.as_bytes());
        mac.update(user_id.as_bytes());
        mac.update(&secret_block);
        mac.update(timestamp.as_bytes());
        let signature =
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        Ok(PasswordClaim {
            secret_block: challenge.secret_block.clone(),
            timestamp: timestamp.to_owned(),
            signature,
        })
    }
}

/// The time the proof is signed at, as Cognito reads it: `EEE MMM d HH:mm:ss UTC yyyy` in
/// English, the day not padded (`Thu Dec 3 03:41:00 UTC 2026`).
pub fn timestamp(unix_seconds: u64) -> String {
    let at = i64::try_from(unix_seconds)
        .ok()
        .and_then(|seconds| time::OffsetDateTime::from_unix_timestamp(seconds).ok())
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    // English names, cut to three letters: "Thursday" to "Thu", "December" to "Dec".
    let (weekday, month) = (at.weekday().to_string(), at.month().to_string());
    format!(
        "{} {} {} {:02}:{:02}:{:02} UTC {}",
        &weekday[..3],
        &month[..3],
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.year(),
    )
}

/// HKDF-SHA256 with one block of output, cut to 16 bytes.
fn derive_key(input: &[u8], salt: &[u8]) -> [u8; 16] {
    let mut extract = hmac_sha256(salt);
    extract.update(input);
    let pseudo_random_key = extract.finalize().into_bytes();
    let mut expand = hmac_sha256(&pseudo_random_key);
    expand.update(b"Caldera Derived Key\x01");
    let block = expand.finalize().into_bytes();
    let mut key = [0; 16];
    key.copy_from_slice(&block[..16]);
    key
}

fn hmac_sha256(key: &[u8]) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length")
}

fn parse_hex(text: &str, name: &'static str) -> Result<BigUint, SrpError> {
    BigUint::parse_bytes(text.as_bytes(), 16).ok_or(SrpError::Malformed(name, "hex"))
}

/// Big-endian bytes with a zero byte in front when the top bit is set, so the value reads as
/// positive: how every SRP client of Cognito pads before hashing.
fn padded(value: &BigUint) -> Vec<u8> {
    let bytes = value.to_bytes_be();
    if bytes[0] & 0x80 != 0 {
        [&[0][..], &bytes].concat()
    } else {
        bytes
    }
}

fn hash_to_int(parts: &[&[u8]]) -> BigUint {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part);
    }
    BigUint::from_bytes_be(&hash.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_written_as_cognito_reads_them() {
        assert_eq!(timestamp(0), "Thu Jan 1 00:00:00 UTC 1970");
        // 2026-12-03 03:41:09 UTC, a Thursday.
        assert_eq!(timestamp(1_796_269_269), "Thu Dec 3 03:41:09 UTC 2026");
        // 2024-02-29, a leap day, a Thursday.
        assert_eq!(timestamp(1_709_164_800), "Thu Feb 29 00:00:00 UTC 2024");
        // 2000-03-01 23:59:59, a Wednesday.
        assert_eq!(timestamp(951_955_199), "Wed Mar 1 23:59:59 UTC 2000");
    }

    #[test]
    fn padding_keeps_a_value_positive() {
        assert_eq!(padded(&BigUint::from(0x7fu32)), vec![0x7f]);
        assert_eq!(padded(&BigUint::from(0x80u32)), vec![0, 0x80]);
        assert_eq!(padded(&BigUint::from(0x1234u32)), vec![0x12, 0x34]);
    }

    #[test]
    fn a_challenge_missing_a_parameter_is_named() {
        let parameters = serde_json::json!({ "SALT": "ab", "SRP_B": "cd", "SECRET_BLOCK": "" });
        assert_eq!(
            PasswordVerifierChallenge::from_parameters(&parameters).unwrap_err(),
            SrpError::Missing("SECRET_BLOCK")
        );
    }

    #[test]
    fn a_zero_server_value_is_refused() {
        let session = SrpSession::new(&[7; SECRET_LEN]);
        let challenge = PasswordVerifierChallenge {
            salt_hex: "ab".into(),
            server_b_hex: N_HEX.into(),
            secret_block: "AAAA".into(),
            user_id_for_srp: "someone".into(),
        };
        let refused = session.password_claim("us-east-1_Pool", &challenge, "pw", "now");
        assert_eq!(refused.unwrap_err(), SrpError::UnsafeB);
    }
}
