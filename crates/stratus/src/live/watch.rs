//! A subscription a component follows for as long as it is mounted.

use futures::future::{AbortHandle, Abortable};
use futures::StreamExt;
use leptos::prelude::on_cleanup;

use super::subscription::{subscribe, LiveEvent};
use crate::data::spec::ChangeKind;
use crate::data::Model;

/// Calls `on_event` with each event of a subscription to `change`s of `M` matching `filter`,
/// until the calling component is unmounted.
pub fn watch<M: Model>(
    change: ChangeKind,
    filter: Option<M::Filter>,
    mut on_event: impl FnMut(LiveEvent<M>) + 'static,
) {
    let (abort, registration) = AbortHandle::new_pair();
    on_cleanup(move || abort.abort());
    let mut events = subscribe::<M>(change, filter);
    let follow = async move {
        while let Some(event) = events.next().await {
            on_event(event);
        }
    };
    leptos::task::spawn_local(async move {
        let _ = Abortable::new(follow, registration).await;
    });
}
