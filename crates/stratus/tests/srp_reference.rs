//! Stratus's SRP proof, computed on fixed inputs, against the reference client
//! (`amazon-cognito-identity-js`, installed in end2end by `cargo xtask test`) run under Node on
//! the same inputs. The local user pool's verifier checks the same code end to end
//! (`stratus-ops`'s API client signs in with it).

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{json, Value};
use stratus::auth::srp::{self, PasswordVerifierChallenge, SrpSession, SECRET_LEN};

struct Case {
    pool_id: &'static str,
    user_id: &'static str,
    password: &'static str,
    secret: [u8; SECRET_LEN],
    salt_hex: &'static str,
    server_b_hex: String,
    unix_seconds: u64,
}

fn reference(case: &Case) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/srp_reference.mjs");
    let input = json!({
        "poolId": case.pool_id,
        "userId": case.user_id,
        "password": case.password,
        "aHex": hex(&case.secret),
        "saltHex": case.salt_hex,
        "serverBHex": case.server_b_hex,
        "secretBlock": SECRET_BLOCK,
        "unixSeconds": case.unix_seconds,
    });
    let mut node = Command::new("node")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("Node.js runs the reference client (install it, or run `cargo xtask test`)");
    node.stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let output = node.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "the reference client failed (is end2end's npm install done? `cargo xtask test` does it): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

const SECRET_BLOCK: &str =
    "c2VjcmV0IGJsb2NrIGZyb20gdGhlIHVzZXIgcG9vbCwgb3BhcXVlIHRvIHRoZSBjbGllbnQ=";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Deterministic bytes that look random enough to exercise every limb.
fn bytes_from(seed: u8) -> [u8; SECRET_LEN] {
    let mut state = u32::from(seed).wrapping_mul(2_654_435_761).wrapping_add(1);
    std::array::from_fn(|_| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        (state >> 11) as u8
    })
}

fn check(case: Case) {
    let session = SrpSession::new(&case.secret);
    let challenge = PasswordVerifierChallenge {
        salt_hex: case.salt_hex.to_owned(),
        server_b_hex: case.server_b_hex.clone(),
        secret_block: SECRET_BLOCK.to_owned(),
        user_id_for_srp: case.user_id.to_owned(),
    };
    let timestamp = srp::timestamp(case.unix_seconds);
    let claim = session
        .password_claim(case.pool_id, &challenge, case.password, &timestamp)
        .unwrap();
    let expected = reference(&case);
    assert_eq!(session.public_a_hex(), expected["publicA"], "SRP_A differs");
    assert_eq!(timestamp, expected["timestamp"], "TIMESTAMP differs");
    assert_eq!(
        claim.signature, expected["signature"],
        "PASSWORD_CLAIM_SIGNATURE differs for {}",
        case.user_id
    );
}

#[test]
fn the_proof_matches_the_reference_client() {
    // A salt with its top bit set (padded with a zero byte before hashing) and one without.
    for (seed, salt_hex) in [
        (1, "8f3a0c5d9e2b4a6c8f3a0c5d9e2b4a6c"),
        (2, "1b2c3d4e5f60718293a4b5c6d7e8f901"),
    ] {
        check(Case {
            pool_id: "us-east-1_StratusPool",
            user_id: "0b6c2a4e-1f3d-4c5b-9a8e-7d6c5b4a3f21",
            password: "correct horse battery staple",
            secret: bytes_from(seed),
            salt_hex,
            server_b_hex: hex(&bytes_from(seed + 100)).repeat(3),
            unix_seconds: 1_796_269_269,
        });
    }
}

#[test]
fn the_proof_matches_for_a_name_and_password_outside_ascii() {
    check(Case {
        pool_id: "eu-west-3_Écrivains",
        user_id: "zoë@example.com",
        password: "pässwörd — 密码 🔑",
        secret: bytes_from(3),
        salt_hex: "00ff",
        server_b_hex: hex(&bytes_from(7)),
        unix_seconds: 951_955_199,
    });
}
