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
    let mut events = subscribe::<M>(change, filter);
    while_mounted(async move {
        while let Some(event) = events.next().await {
            on_event(event);
        }
    });
}

/// Runs `task` in the browser until the calling component is unmounted.
pub(crate) fn while_mounted(task: impl std::future::Future<Output = ()> + 'static) {
    let (abort, registration) = AbortHandle::new_pair();
    on_cleanup(move || abort.abort());
    leptos::task::spawn_local(async move {
        let _ = Abortable::new(task, registration).await;
    });
}
