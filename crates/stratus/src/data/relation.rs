//! Relations as values: the generated `Post::TAGS` is a [`Relation<Post, Tag>`], so a typo in a
//! relation's name is a compile error, and so is asking a post for a tag's relations.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Model;

/// The relation field `field` of model `M`, whose items are `T`s.
pub struct Relation<M, T> {
    field: &'static str,
    // `fn() -> (M, T)`: a marker that is Send, Sync and Copy whatever `M` and `T` are.
    models: PhantomData<fn() -> (M, T)>,
}

impl<M: Model, T: Model> Relation<M, T> {
    /// Only generated code names relations: the schema compiler has checked `field`.
    pub const fn new(field: &'static str) -> Self {
        Relation {
            field,
            models: PhantomData,
        }
    }

    /// The relation's field, as the schema and the wire name it.
    pub const fn field(self) -> &'static str {
        self.field
    }

    /// A relation of the related items, loaded with them: `Post::BLOG.then(Blog::COVER)`.
    pub fn then<U: Model>(self, next: Relation<T, U>) -> IncludePath<M, U> {
        IncludePath {
            path: format!("{}.{}", self.field, next.field),
            models: PhantomData,
        }
    }
}

impl<M, T> Clone for Relation<M, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M, T> Copy for Relation<M, T> {}

impl<M, T> fmt::Debug for Relation<M, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Relation({})", self.field)
    }
}

/// Relations followed from `M` to reach `T`s: `blog.cover`.
pub struct IncludePath<M, T> {
    path: String,
    models: PhantomData<fn() -> (M, T)>,
}

impl<M: Model, T: Model> IncludePath<M, T> {
    pub fn then<U: Model>(self, next: Relation<T, U>) -> IncludePath<M, U> {
        IncludePath {
            path: format!("{}.{}", self.path, next.field),
            models: PhantomData,
        }
    }
}

/// What a read of `M` loads along with each item: a relation, or a path of relations. On the
/// wire it is the dot path Amplify's clients send (`"tags"`, `"blog.cover"`); the data layer
/// checks a path it receives against the schema.
pub struct Include<M> {
    path: Cow<'static, str>,
    model: PhantomData<fn() -> M>,
}

impl<M> Include<M> {
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl<M: Model, T: Model> From<Relation<M, T>> for Include<M> {
    fn from(relation: Relation<M, T>) -> Self {
        Include {
            path: Cow::Borrowed(relation.field),
            model: PhantomData,
        }
    }
}

impl<M: Model, T: Model> From<IncludePath<M, T>> for Include<M> {
    fn from(path: IncludePath<M, T>) -> Self {
        Include {
            path: Cow::Owned(path.path),
            model: PhantomData,
        }
    }
}

impl<M> Clone for Include<M> {
    fn clone(&self) -> Self {
        Include {
            path: self.path.clone(),
            model: PhantomData,
        }
    }
}

impl<M> PartialEq for Include<M> {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

impl<M> fmt::Debug for Include<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Include({})", self.path)
    }
}

impl<M> Serialize for Include<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.path)
    }
}

impl<'de, M> Deserialize<'de> for Include<M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Include {
            path: Cow::Owned(String::deserialize(deserializer)?),
            model: PhantomData,
        })
    }
}

/// The paths of a call's includes, as the data layer takes them.
pub fn paths<M>(include: &[Include<M>]) -> Vec<String> {
    include.iter().map(|i| i.path().to_owned()).collect()
}
