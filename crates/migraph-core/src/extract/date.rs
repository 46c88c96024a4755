//! Dates: find and normalise date expressions, resolving relative ones against the document date.
