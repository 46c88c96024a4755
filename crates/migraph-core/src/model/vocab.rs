//! The RDF vocabulary: namespaces and one IRI constant per class and property.
