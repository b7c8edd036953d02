//! A list call, built with named steps instead of positional `Option`s:
//! `Post::by_status(PostStatus::Published).descending().limit(20).fetch()`.

use serde_json::Value;

use super::filter::{KeyCondition, SortDirection};
use super::relation::Include;
use super::Model;

/// The whole table of `M`, or one partition of its key or of one of its indexes (in key order);
/// then a filter, a page size, and the relations to load with each item.
// Only the server runs a query (`fetch`, in the store's `access` module); the browser's build has
// the builder but never reads it.
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
pub struct Query<M: Model> {
    pub(crate) index: Option<&'static str>,
    pub(crate) partition: Option<Value>,
    pub(crate) sort: Option<KeyCondition>,
    pub(crate) direction: SortDirection,
    pub(crate) filter: Option<M::Filter>,
    pub(crate) limit: Option<u32>,
    pub(crate) next_token: Option<String>,
    pub(crate) include: Vec<Include<M>>,
}

impl<M: Model> Query<M> {
    /// Every item of the table (a scan), page by page.
    pub fn all() -> Self {
        Query {
            index: None,
            partition: None,
            sort: None,
            direction: SortDirection::Asc,
            filter: None,
            limit: None,
            next_token: None,
            include: Vec::new(),
        }
    }

    /// One partition: of `index`, or of the table's own key when `None`. Generated code calls
    /// it (`Post::by_status`), with the index the schema declares and a value of its type.
    pub fn partition(index: Option<&'static str>, partition: Value) -> Self {
        Query {
            index,
            partition: Some(partition),
            ..Self::all()
        }
    }

    /// A condition on the sort key of the partition's index (`publishedAt` for `byStatus`).
    pub fn sort(mut self, condition: impl Into<Option<KeyCondition>>) -> Self {
        self.sort = condition.into();
        self
    }

    pub fn direction(mut self, direction: impl Into<Option<SortDirection>>) -> Self {
        self.direction = direction.into().unwrap_or_default();
        self
    }

    /// Newest first, for a sort key that is a time.
    pub fn descending(self) -> Self {
        self.direction(SortDirection::Desc)
    }

    pub fn filter(mut self, filter: impl Into<Option<M::Filter>>) -> Self {
        self.filter = filter.into();
        self
    }

    /// Up to this many items the caller may read per page.
    pub fn limit(mut self, limit: impl Into<Option<u32>>) -> Self {
        self.limit = limit.into();
        self
    }

    /// The page after the one that returned `next_token`.
    pub fn after(mut self, next_token: impl Into<Option<String>>) -> Self {
        self.next_token = next_token.into();
        self
    }

    /// Loads a relation (or a path of relations) with each item.
    pub fn include(mut self, include: impl Into<Include<M>>) -> Self {
        self.include.push(include.into());
        self
    }

    /// Loads these with each item, as a generated function receives them.
    pub fn includes(mut self, include: Option<Vec<Include<M>>>) -> Self {
        self.include.extend(include.unwrap_or_default());
        self
    }
}
