//! Extract: &[`Document`] + &[`Resources`] → [`Extraction`] (entities, mentions, relations).
//!
//! Pure functions: no I/O (resources are loaded by [`Resources::load`] once, up
//! front), no panics on any input. Soft problems are returned as diagnostics.

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::ingest::{Document, Span};
use crate::model::{Entity, EntityId, Relation};

/// One occurrence of an entity in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// The entity it resolves to.
    pub entity: EntityId,
    /// Where it is in the document text.
    pub span: Span,
    /// How it was recognised: `gazetteer`, `acronym`, `cue`, `coref`, `demonym`…
    pub how: String,
}

/// What extraction found in one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extraction {
    /// Every entity mentioned (gazetteer entries and entities discovered in the text).
    pub entities: Vec<Entity>,
    /// Every mention, in text order.
    pub mentions: Vec<Mention>,
    /// Relations, deduplicated per document, in text order.
    pub relations: Vec<Relation>,
    /// Soft problems.
    pub diagnostics: Vec<Diagnostic>,
}

pub mod amount;
pub mod date;
