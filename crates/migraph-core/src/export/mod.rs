//! Export: KnowledgeGraph → graph files (GEXF, GraphML, CSV, dot).
