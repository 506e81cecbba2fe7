//! Reading the request body once and handing it on, so the `json` location and the CSRF
//! form field can look at it while the handler's own `web::Json<T>` or `web::Form<T>`
//! still gets the whole body.

use actix_web::{
    FromRequest, HttpMessage, HttpRequest,
    dev::Payload,
    web::{self, Bytes},
};
use std::pin::Pin;

use actix_web::error::PayloadError;
use futures_util::{Stream, stream};

use crate::error::{Error, ErrorKind, Result};

/// Reads the whole body (within the app's `web::PayloadConfig` limit, 256 KiB by
/// default), then puts an identical payload back for the extractors that follow.
pub(super) async fn buffer(req: &HttpRequest, payload: &mut Payload) -> Result<Bytes> {
    let bytes = match Bytes::from_request(req, payload).await {
        Ok(bytes) => bytes,
        Err(error) => {
            let status = error.as_response_error().status_code();
            return Err(
                if status == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE {
                    Error::new(ErrorKind::PayloadTooLarge(
                        "Request body is too large".to_owned(),
                    ))
                } else {
                    Error::no_authorization("Could not read the request body")
                },
            );
        }
    };
    let replay = bytes.clone();
    let replay: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> =
        Box::pin(stream::once(async move { Ok(replay) }));
    *payload = Payload::from(replay);
    Ok(bytes)
}

/// The request's media type without parameters, lower-cased (`application/json`).
pub(super) fn mime_type(req: &HttpRequest) -> String {
    req.content_type().trim().to_ascii_lowercase()
}

/// Whether Werkzeug's `request.is_json` holds: `application/json` or `*/*+json`.
pub(super) fn is_json(req: &HttpRequest) -> bool {
    let mime = mime_type(req);
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// Parses a urlencoded form body into pairs; a body that does not decode has none.
pub(super) fn form_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    std::str::from_utf8(bytes)
        .ok()
        .and_then(|text| web::Query::<Vec<(String, String)>>::from_query(text).ok())
        .map(web::Query::into_inner)
        .unwrap_or_default()
}
