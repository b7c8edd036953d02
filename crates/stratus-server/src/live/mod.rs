//! Real time on the server: who is subscribed to what, and the fan-out of each change to them.
//!
//! A change comes from a table's stream ([`change`]): locally from DynamoDB Local's own stream
//! API ([`local_streams`]). The [`hub`] holds the connections and their subscriptions, and sends
//! each subscriber the changed item only if the model's rules let them read it, without the
//! fields they may not read, and only if it matches their filter ([`filter`]). Browsers connect
//! through the WebSocket route in [`socket`] with a ticket from `open_live_connection`.

pub mod change;
pub mod cloud;
pub mod delivery;
pub mod filter;
pub mod hub;
pub mod local_streams;
pub mod socket;
pub mod subscription;

pub use change::Change;
pub use hub::Hub;
