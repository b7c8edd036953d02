//! The resolved model to Rust. (Written next.)
