//! Secrets made in the browser (an SRP attempt's, a hosted sign-in's state and PKCE verifier),
//! from its cryptographic random source.

use crate::error::AppError;

pub fn random_bytes<const N: usize>() -> Result<[u8; N], AppError> {
    let mut bytes = [0; N];
    web_sys::window()
        .and_then(|window| window.crypto().ok())
        .and_then(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).ok())
        .ok_or_else(|| {
            AppError::internal("This browser offers no secure random numbers to sign in with.")
        })?;
    Ok(bytes)
}
