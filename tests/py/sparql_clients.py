"""Queries a running migraph SPARQL endpoint with the Python clients people use.

Usage: sparql_clients.py ENDPOINT SELECT_QUERY CONSTRUCT_QUERY

SPARQLWrapper runs the SELECT (as JSON and as XML), an ASK and the CONSTRUCT;
rdflib runs the SELECT through a Graph backed by its SPARQLStore. Prints one JSON
object with the counts each client saw; the Rust test compares them with curl's.
"""

import json
import sys

from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, XML, SPARQLWrapper

ASK = "ASK { ?s a <https://w3id.org/migraph/ontology#Statement> }"


def wrapper(endpoint, query, fmt):
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client.query().convert()


def main():
    endpoint, select, construct = sys.argv[1:4]
    report = {}

    result = wrapper(endpoint, select, JSON)
    report["sparqlwrapper_select_rows"] = len(result["results"]["bindings"])

    # The XML results come back as a DOM document.
    document = wrapper(endpoint, select, XML)
    report["sparqlwrapper_select_xml_rows"] = len(document.getElementsByTagName("result"))

    report["sparqlwrapper_ask"] = wrapper(endpoint, ASK, JSON)["boolean"]

    # SPARQLWrapper asks for RDF/XML by default and parses it into an rdflib Graph.
    graph = wrapper(endpoint, construct, XML)
    report["sparqlwrapper_construct_triples"] = len(graph)

    store_graph = Graph(store=SPARQLStore(endpoint))
    report["rdflib_sparqlstore_rows"] = len(list(store_graph.query(select)))

    json.dump(report, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
