//! Serve: the SPARQL 1.1 Protocol over HTTP.
