pub mod api;
pub mod client_config;
pub mod security;
pub mod site;
