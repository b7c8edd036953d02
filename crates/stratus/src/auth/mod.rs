//! Signing in and signing calls. The server verifies what the browser sends: the SigV4
//! signature of every server function call (made with the identity pool's temporary
//! credentials) and, for a signed-in user, the user pool's ID token in [`ID_TOKEN_HEADER`].
//!
//! The browser half (Cognito calls, session, credentials, signing) compiles for both targets
//! but only ever runs in the browser.

pub mod authenticator_app;
pub mod client;
pub mod cognito;
pub mod cognito_errors;
pub mod credentials;
pub mod deployment;
pub mod hosted;
pub mod issued;
pub mod password;
mod random;
pub mod session;
pub mod sign_out;
pub mod signing;
pub mod srp;
pub mod sts;

/// The header that carries the signed-in user's ID token. It is signed with the rest of the
/// request, so it cannot be moved to another request.
pub const ID_TOKEN_HEADER: &str = "x-stratus-id-token";
