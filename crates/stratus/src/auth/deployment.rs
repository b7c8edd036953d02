//! The deployment's configuration in the browser, set once at startup, and the browser's clock:
//! what the session, the credentials and the signed client all read.

use std::cell::RefCell;

use crate::client_config::ClientConfig;
use crate::error::AppError;

thread_local! {
    static CONFIG: RefCell<Option<ClientConfig>> = const { RefCell::new(None) };
}

pub fn set(config: ClientConfig) {
    CONFIG.with(|c| *c.borrow_mut() = Some(config));
}

pub fn config() -> Result<ClientConfig, AppError> {
    CONFIG
        .with(|c| c.borrow().clone())
        .ok_or_else(|| AppError::internal("The app is not configured yet."))
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}
