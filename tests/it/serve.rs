//! The SPARQL endpoint over a real socket, on a store reopened read-only: plain
//! HTTP/1.1 requests, and a graceful shutdown that lets a running query finish.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use migraph::serve::{ServeConfig, serve};
use migraph::store::GraphStore;

use crate::store::build_store;

fn config(bind: SocketAddr) -> ServeConfig {
    ServeConfig {
        bind,
        timeout: Duration::from_secs(30),
        max_concurrent: 4,
        max_body_bytes: 1 << 16,
        max_result_bytes: 1 << 24,
        write_token: None,
    }
}

/// Sends one raw request and returns the whole response (the server closes it).
fn http(addr: SocketAddr, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("the server accepts connections");
    stream.set_read_timeout(Some(Duration::from_secs(60))).expect("a read timeout can be set");
    stream.write_all(request.as_bytes()).expect("the request is sent");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("the response is UTF-8 and complete");
    response
}

fn get(addr: SocketAddr, target: &str, accept: &str) -> String {
    http(
        addr,
        &format!(
            "GET {target} HTTP/1.1\r\nHost: {addr}\r\nAccept: {accept}\r\nConnection: close\r\n\r\n"
        ),
    )
}

fn body(response: &str) -> &str {
    response.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default()
}

#[test]
fn serve_answers_over_tcp_and_shuts_down_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    build_store(&path);
    let store = GraphStore::open_read_only(&path).unwrap();

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = runtime.spawn(serve(listener, store, config(addr), async {
        let _ = stopped.await;
    }));

    let select = "SELECT%20%3Fs%20WHERE%20%7B%20%3Fs%20a%20%3Chttps%3A%2F%2Fw3id.org%2Fmigraph%2Fontology%23EUAgency%3E%20%7D";
    let response = get(addr, &format!("/query?query={select}"), "text/csv");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("access-control-allow-origin: *"), "{response}");
    assert_eq!(body(&response), "s\r\nhttps://w3id.org/migraph/id/entity/frontex\r\n");

    let form = format!("query={select}&format=tsv");
    let response = http(
        addr,
        &format!(
            "POST /sparql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
            form.len()
        ),
    );
    assert_eq!(body(&response), "?s\n<https://w3id.org/migraph/id/entity/frontex>\n");

    let response = get(addr, "/void", "text/turtle");
    assert!(body(&response).contains("void:triples"), "{response}");
    let response = get(addr, "/query?query=SELECT", "*/*");
    assert!(response.starts_with("HTTP/1.1 400"), "{response}");

    // A query still running when the shutdown signal arrives is answered in full.
    let slow = "SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fa%20%3Fb%20%3Fc%20.%20%3Fd%20%3Fe%20%3Ff%20.%20%3Fg%20a%20%3Fh%20%7D";
    let client = std::thread::spawn(move || get(addr, &format!("/query?query={slow}"), "text/csv"));
    std::thread::sleep(Duration::from_millis(100));
    stop.send(()).unwrap();
    let response = client.join().unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let count: u64 = body(&response).trim().lines().nth(1).unwrap().parse().unwrap();
    assert!(count > 1_000_000, "{count}");
    runtime.block_on(server).unwrap().unwrap();
    // The listener is closed: new connections are refused.
    assert!(TcpStream::connect(addr).is_err());
}
