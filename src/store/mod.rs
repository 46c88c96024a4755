//! Store: KnowledgeGraph <-> RDF quads in an Oxigraph store.
