//! The SPARQL 1.1 Graph Store HTTP Protocol at `/store`: read a graph, the union
//! default graph or the whole dataset; with a write token, replace, add to or drop
//! a graph.
//!
//! See <https://www.w3.org/TR/sparql11-http-rdf-update/>. `?graph=IRI` names a
//! graph, `?default` the default graph. For reads the default graph is the union of
//! all graphs, as for queries; for writes it is the store's own default graph,
//! which migraph leaves empty.

use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, NamedNode, Quad};

use super::SharedState;
use super::protocol::{RequestError, content_type, negotiate, parse_form, read_body, single};
use super::sparql::{accept, authorize, formatted, render_blocking, respond, run_blocking};
use crate::store::{ResultFormat, write_sorted};

/// Which graph a request is about.
enum Target {
    /// `?graph=IRI`.
    Named(String),
    /// `?default`.
    Default,
    /// Neither: the whole dataset (reads only).
    Dataset,
}

fn target(params: &[(String, String)]) -> Result<Target, RequestError> {
    let default = params.iter().any(|(k, _)| k == "default");
    match (single(params, "graph")?, default) {
        (Some(_), true) => {
            Err(RequestError::BadRequest("give either graph=IRI or default, not both".to_owned()))
        }
        (Some(iri), false) => Ok(Target::Named(iri.to_owned())),
        (None, true) => Ok(Target::Default),
        (None, false) => Ok(Target::Dataset),
    }
}

/// `GET /store`.
pub(super) async fn read(State(state): State<SharedState>, request: Request) -> Response {
    let (parts, _body) = request.into_parts();
    respond(handle_read(&state, &parts).await)
}

async fn handle_read(state: &SharedState, request: &Parts) -> Result<Response, RequestError> {
    let params = parse_form(request.uri.query().unwrap_or_default().as_bytes())?;
    let target = target(&params)?;
    let offered: &[ResultFormat] = match target {
        Target::Named(_) | Target::Default => ResultFormat::GRAPH,
        Target::Dataset => &[ResultFormat::NQuads, ResultFormat::TriG, ResultFormat::JsonLd],
    };
    let what: &dyn std::fmt::Display = match target {
        Target::Dataset => &"the dataset",
        Target::Named(_) | Target::Default => &"a graph",
    };
    let format = negotiate(offered, accept(&request.headers), single(&params, "format")?, what)?;
    let Some(rdf_format) = format.rdf_format() else {
        return Err(RequestError::NotAcceptable(format!("{format} is not an RDF format")));
    };
    let name = match &target {
        Target::Named(iri) => Some(
            NamedNode::new(iri.as_str())
                .map_err(|e| RequestError::BadRequest(format!("invalid graph IRI <{iri}>: {e}")))?,
        ),
        Target::Default | Target::Dataset => None,
    };
    let keep_graphs = matches!(target, Target::Dataset);
    let body = render_blocking(state, move |store, out, _| {
        let quads = store.graph_quads(name.as_ref())?.ok_or_else(|| {
            RequestError::NotFound(format!(
                "no graph <{}> in the store",
                name.as_ref().map(NamedNode::as_str).unwrap_or_default()
            ))
        })?;
        let quads: Vec<Quad> = if keep_graphs {
            quads
        } else {
            // A graph is returned as triples, whatever graph they were stored in.
            quads.into_iter().map(|q| Quad { graph_name: GraphName::DefaultGraph, ..q }).collect()
        };
        write_sorted(rdf_format, quads, out)?;
        Ok(())
    })
    .await?;
    Ok(formatted(format, body))
}

/// `PUT`, `POST` and `DELETE /store` (write token required).
pub(super) async fn write(State(state): State<SharedState>, request: Request) -> Response {
    respond(handle_write(&state, request).await)
}

async fn handle_write(state: &SharedState, request: Request) -> Result<Response, RequestError> {
    authorize(state, request.headers())?;
    let (parts, body) = request.into_parts();
    let params = parse_form(parts.uri.query().unwrap_or_default().as_bytes())?;
    let graph = match target(&params)? {
        Target::Named(iri) => Some(iri),
        Target::Default => None,
        Target::Dataset => {
            return Err(RequestError::BadRequest(
                "name the graph to write with graph=IRI or default".to_owned(),
            ));
        }
    };
    if parts.method == Method::DELETE {
        let existed =
            run_blocking(state, None, move |store, _| Ok(store.drop_graph(graph.as_deref())?))
                .await?;
        return if existed {
            Ok(StatusCode::NO_CONTENT.into_response())
        } else {
            Err(RequestError::NotFound("no such graph in the store".to_owned()))
        };
    }
    let media_type = content_type(&parts.headers);
    let format = media_type
        .as_deref()
        .and_then(RdfFormat::from_media_type)
        .filter(|f| matches!(f, RdfFormat::Turtle | RdfFormat::NTriples | RdfFormat::RdfXml))
        .ok_or_else(|| {
            RequestError::UnsupportedMediaType(format!(
                "cannot read a graph from {}; send text/turtle, application/n-triples or application/rdf+xml",
                media_type.as_deref().unwrap_or("a body without Content-Type")
            ))
        })?;
    let data = read_body(body, state.config.max_body_bytes).await?;
    let replace = parts.method == Method::PUT;
    let written = run_blocking(state, None, move |store, _| {
        Ok(store.load_graph(graph.as_deref(), format, &data, replace)?)
    })
    .await?;
    Ok(if written.created { StatusCode::CREATED } else { StatusCode::NO_CONTENT }.into_response())
}
