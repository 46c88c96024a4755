//! The knowledge graph: documents, entities and relations, as plain sorted data.
//!
//! This is the boundary type between the pipeline and its sinks: the store writes
//! it as RDF and reads it back (`store::read_graph`), the exporters project it onto a
//! petgraph graph. Its iteration order is deterministic (sorted maps, relations
//! sorted by document and offset), which makes every export byte-stable.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Entity, EntityId, IsoDate, Relation};

/// What the graph records of one source document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMeta {
    /// Document id: the file name, unique within a corpus.
    pub id: String,
    /// Path or URL the document was read from, as given by the user.
    pub source: String,
    /// Title: the first headline of the document.
    pub title: Option<String>,
    /// Publication date, when metadata, the text or `--date` gives one.
    pub date: Option<IsoDate>,
    /// Hex SHA-256 of the raw file bytes; unchanged documents are skipped on rebuild.
    pub content_hash: String,
    /// Number of articles (stories) found in the document.
    pub n_articles: usize,
    /// Number of sentences found in the document.
    pub n_sentences: usize,
}

/// Documents, entities and relations; entities keyed by [`EntityId`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnowledgeGraph {
    /// Source documents by id.
    pub documents: BTreeMap<String, DocumentMeta>,
    /// Entities by id. Every relation's subject and object is a key here.
    pub entities: BTreeMap<EntityId, Entity>,
    /// Relations, sorted by (document, quote offset, subject, kind, object).
    pub relations: Vec<Relation>,
}

impl KnowledgeGraph {
    /// An empty graph.
    pub fn new() -> KnowledgeGraph {
        KnowledgeGraph::default()
    }

    /// Adds one document with the entities it mentions and the relations read from it,
    /// replacing whatever the graph held for a document of the same id.
    ///
    /// Entities already present keep their first description; aliases are merged.
    pub fn insert_document(
        &mut self,
        meta: DocumentMeta,
        entities: impl IntoIterator<Item = Entity>,
        relations: impl IntoIterator<Item = Relation>,
    ) {
        let doc = meta.id.clone();
        self.relations.retain(|r| r.evidence.doc != doc);
        self.documents.insert(doc, meta);
        for entity in entities {
            match self.entities.get_mut(&entity.id) {
                Some(known) => {
                    for alias in entity.aliases {
                        if !known.aliases.contains(&alias) {
                            known.aliases.push(alias);
                        }
                    }
                }
                None => {
                    self.entities.insert(entity.id.clone(), entity);
                }
            }
        }
        self.relations.extend(relations);
        self.sort();
    }

    /// Restores the canonical order of relations and aliases.
    pub fn sort(&mut self) {
        self.relations.sort_by(|a, b| {
            (
                &a.evidence.doc,
                a.evidence.quote_start,
                &a.subject,
                a.kind,
                &a.object,
                &a.evidence.rule,
            )
                .cmp(&(
                    &b.evidence.doc,
                    b.evidence.quote_start,
                    &b.subject,
                    b.kind,
                    &b.object,
                    &b.evidence.rule,
                ))
        });
        for e in self.entities.values_mut() {
            e.aliases.sort();
            e.aliases.dedup();
        }
    }

    /// Drops entities that no relation mentions.
    pub fn prune_unlinked_entities(&mut self) {
        let mut used = std::collections::BTreeSet::new();
        for r in &self.relations {
            used.insert(r.subject.clone());
            used.insert(r.object.clone());
        }
        self.entities.retain(|id, _| used.contains(id));
    }
}
