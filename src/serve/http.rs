//! The HTTP plumbing of `packet serve`: responses with the headers every answer carries,
//! and query strings.

use std::collections::HashMap;

use serde_json::Value as Json;
use tiny_http::{Header, Response};

pub(super) type Reply = Response<std::io::Cursor<Vec<u8>>>;

pub(super) fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("ASCII header")
}

/// A response with the headers every answer carries: nothing cached, nothing framed, no
/// Referer (the token is in the URL), scripts and styles from this server only.
pub(super) fn reply(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
    Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Referrer-Policy", "no-referrer"))
        .with_header(header(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; form-action 'none'",
        ))
}

pub(super) fn text(status: u16, message: &str) -> Reply {
    reply(status, "text/plain; charset=utf-8", message.as_bytes().to_vec())
}

pub(super) fn json_reply(status: u16, value: &Json) -> Reply {
    reply(status, "application/json; charset=utf-8", value.to_string().into_bytes())
}

/// `a=1&b=%E7%94%B2` → pairs, percent-decoded.
pub(super) fn query(q: &str) -> HashMap<String, String> {
    q.split('&')
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8().ok().map(|c| c.into_owned())
            };
            Some((decode(k)?, decode(v)?))
        })
        .collect()
}
