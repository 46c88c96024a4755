//! The HTML query page served at `/`: a textarea, the canned example queries, a
//! results table and download links, in one self-contained file (no CDN, no
//! external script), so the endpoint works offline.
//!
//! The page is rendered once at start-up; it shows data only through the DOM's
//! `textContent`, never as HTML.

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};

use super::SharedState;
use crate::store::canned_queries;

const TEMPLATE: &str = include_str!("page.html");

/// The page with the example queries embedded as JSON.
pub(super) fn render(writable: bool) -> String {
    let examples: Vec<serde_json::Value> = canned_queries()
        .into_iter()
        .map(|q| {
            serde_json::json!({
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "sparql": q.sparql,
            })
        })
        .collect();
    // `</` inside a <script> element would end it early; `<\/` is the same JSON text.
    let json = serde_json::Value::Array(examples).to_string().replace("</", "<\\/");
    let note = if writable {
        "Updates are enabled at <code>/update</code> for requests with the write token."
    } else {
        "This endpoint is read-only."
    };
    TEMPLATE.replace("__EXAMPLES__", &json).replace("__WRITE_NOTE__", note)
}

/// `GET /`.
pub(super) async fn index(State(state): State<SharedState>) -> Response {
    Html(state.page.clone()).into_response()
}
