//! flask-jwt-extended's default error bodies: compact JSON with a trailing newline.

use actix_web::{HttpResponse, http::StatusCode};

/// `{"<key>": "<message>"}\n` with `Content-Type: application/json`, as Flask's
/// `jsonify` writes it.
pub fn json_message(status: StatusCode, key: &str, message: &str) -> HttpResponse {
    let mut body = serde_json::Map::with_capacity(1);
    body.insert(key.to_owned(), serde_json::Value::from(message));
    let mut text = serde_json::Value::Object(body).to_string();
    text.push('\n');
    HttpResponse::build(status)
        .content_type("application/json")
        .body(text)
}
