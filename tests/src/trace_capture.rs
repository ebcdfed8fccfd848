//! A `tracing` subscriber that keeps every span's and event's fields, for tests that check what
//! ordergate traces (and that no secret is among it).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, ThreadId};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use tracing_core::span::Current;

/// A span as captured: its name, target and fields (the last value recorded for each).
#[derive(Debug, Clone, Default)]
pub struct CapturedSpan {
    /// The span's name.
    pub name: String,
    /// Its target.
    pub target: String,
    /// Its fields, as `Debug` text (strings unquoted).
    pub fields: BTreeMap<String, String>,
}

/// An event as captured.
#[derive(Debug, Clone, Default)]
pub struct CapturedEvent {
    /// Its target.
    pub target: String,
    /// Its level.
    pub level: String,
    /// Its fields, `message` included.
    pub fields: BTreeMap<String, String>,
}

#[derive(Default)]
struct Store {
    spans: Vec<CapturedSpan>,
    metadata: Vec<&'static Metadata<'static>>,
    events: Vec<CapturedEvent>,
    /// The spans each thread is in, innermost last (for `Span::current`).
    entered: HashMap<ThreadId, Vec<u64>>,
}

/// The subscriber: install with `tracing::subscriber::set_default(capture.clone())`.
#[derive(Clone, Default)]
pub struct Capture {
    store: Arc<Mutex<Store>>,
}

impl Capture {
    /// Every span made so far.
    pub fn spans(&self) -> Vec<CapturedSpan> {
        self.lock().spans.clone()
    }

    /// Every event so far.
    pub fn events(&self) -> Vec<CapturedEvent> {
        self.lock().events.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut span = CapturedSpan {
            name: attributes.metadata().name().to_owned(),
            target: attributes.metadata().target().to_owned(),
            ..CapturedSpan::default()
        };
        attributes.record(&mut Fields(&mut span.fields));
        let mut store = self.lock();
        store.spans.push(span);
        store.metadata.push(attributes.metadata());
        Id::from_u64(store.spans.len() as u64)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut store = self.lock();
        let index = usize::try_from(span.into_u64()).unwrap_or(usize::MAX);
        if let Some(span) = index.checked_sub(1).and_then(|i| store.spans.get_mut(i)) {
            values.record(&mut Fields(&mut span.fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut captured = CapturedEvent {
            target: event.metadata().target().to_owned(),
            level: event.metadata().level().to_string(),
            ..CapturedEvent::default()
        };
        event.record(&mut Fields(&mut captured.fields));
        self.lock().events.push(captured);
    }

    fn enter(&self, span: &Id) {
        let mut store = self.lock();
        store
            .entered
            .entry(thread::current().id())
            .or_default()
            .push(span.into_u64());
    }

    fn exit(&self, span: &Id) {
        let mut store = self.lock();
        if let Some(stack) = store.entered.get_mut(&thread::current().id())
            && let Some(at) = stack.iter().rposition(|id| *id == span.into_u64())
        {
            stack.remove(at);
        }
    }

    fn current_span(&self) -> Current {
        let store = self.lock();
        let innermost = store
            .entered
            .get(&thread::current().id())
            .and_then(|stack| stack.last().copied());
        let Some(id) = innermost else {
            return Current::none();
        };
        let metadata = usize::try_from(id)
            .ok()
            .and_then(|id| id.checked_sub(1))
            .and_then(|index| store.metadata.get(index).copied());
        match metadata {
            Some(metadata) => Current::new(Id::from_u64(id), metadata),
            None => Current::none(),
        }
    }
}
