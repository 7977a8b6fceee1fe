//! An ordered map for the report's `inputs` and `explain`: entries keep the order they were
//! added in (field order, figure order), serialize as a JSON object, and cost no allocation per
//! key (the keys are the field table's and the figures' `&'static str`s), since `Report::build`
//! runs on every keystroke.

use indexmap::IndexMap;
use rustc_hash::FxBuildHasher;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

// FxHash, not std's SipHash, which made building a report about a tenth slower (criterion
// `report/build`). The keys are our figure paths, or those of an imported report, whose size
// the import limit bounds (a few thousand keys), so even crafted collisions cost milliseconds.
// A wrapper rather than the `IndexMap` itself, so that the schema keeps its name and equality
// stays order-sensitive (an `IndexMap`'s own `==` ignores order).
/// Keyed entries in insertion order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Entries<V>(
    #[cfg_attr(
        feature = "schema",
        schemars(with = "std::collections::BTreeMap<String, V>")
    )]
    IndexMap<Cow<'static, str>, V, FxBuildHasher>,
);

impl<V> Default for Entries<V> {
    fn default() -> Self {
        Self(IndexMap::default())
    }
}

impl<V: PartialEq> PartialEq for Entries<V> {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_slice() == other.0.as_slice()
    }
}

impl<V> Entries<V> {
    /// An empty map with room for `n` entries.
    pub fn with_capacity(n: usize) -> Self {
        Self(IndexMap::with_capacity_and_hasher(n, FxBuildHasher))
    }

    /// Adds an entry (or replaces the value of an existing key, which keeps its place).
    pub fn insert(&mut self, key: impl Into<Cow<'static, str>>, value: V) {
        self.0.insert(key.into(), value);
    }

    /// Appends an entry whose key is known to be new (keys built from a fixed table).
    pub(crate) fn push(&mut self, key: &'static str, value: V) {
        let (_, replaced) = self.0.insert_full(Cow::Borrowed(key), value);
        debug_assert!(replaced.is_none(), "duplicate entry {key}");
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.get(key)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    /// The entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<V> std::ops::Index<&str> for Entries<V> {
    type Output = V;

    /// # Panics
    /// When `key` is absent, like `BTreeMap`'s index; use [`Entries::get`] where it may be.
    fn index(&self, key: &str) -> &V {
        match self.get(key) {
            Some(value) => value,
            None => panic!("no entry {key}"),
        }
    }
}
