//! Typed claims with a role, and flask-jwt-extended's "custom decorators" recipe: an
//! `admin_required` built on the library, here an extractor.
//!
//! ```text
//! cargo run --example roles
//! curl -s -X POST localhost:5000/login -H 'Content-Type: application/json' \
//!      -d '{"username": "admin", "password": "admin"}'
//! curl -s localhost:5000/whoami -H "Authorization: Bearer <access_token>"
//! curl -s localhost:5000/protected -H "Authorization: Bearer <access_token>"
//! ```
//!
//! Users `admin` / `admin` and `user` / `user`. Listens on 127.0.0.1:5000 (or `PORT`).
//! Every `JWT_*` variable flask-jwt-extended knows is read from the environment;
//! `JWT_SECRET_KEY` falls back to flask's example value `super-secret`, with a warning.
//!
//! flask's recipe (<https://flask-jwt-extended.readthedocs.io/en/stable/custom_decorators.html>):
//!
//! ```python
//! def admin_required():
//!     def wrapper(fn):
//!         @wraps(fn)
//!         def decorator(*args, **kwargs):
//!             verify_jwt_in_request()
//!             claims = get_jwt()
//!             if claims["is_administrator"]:
//!                 return fn(*args, **kwargs)
//!             else:
//!                 return jsonify(msg="Admins only!"), 403
//!         return decorator
//!     return wrapper
//! ```
//!
//! Here the claims are typed (`Roles`, checked at compile time by `#[claims]`), and the
//! decorator is an extractor, [`Admin`]: a handler that takes one runs only for admins.

use std::{future::Future, pin::Pin};

use actix_jwt_extended::{Jwt, JwtConfig, JwtManager, claims, jwt_required};
use actix_web::{
    App, FromRequest, HttpRequest, HttpResponse, HttpServer, Responder, dev::Payload, error, get,
    post, web,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// What a user may do; written `"admin"` / `"user"` in the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Role {
    /// May use `/protected`.
    Admin,
    /// May not.
    User,
}

/// The custom claims of this app's tokens. A field named `exp`, `sub`, `type` … would
/// be a compile error: the library sets those claims itself.
#[claims]
#[derive(Debug, Clone)]
pub(crate) struct Roles {
    /// The user's role.
    pub(crate) role: Role,
}

/// flask's `admin_required()`: extracting it fails with `403 {"msg": "Admins only!"}`
/// unless the request's token says `"role": "admin"`.
///
/// On a `#[jwt_required]` route it reads the token the route verified; on a route
/// without the macro, `Jwt<Roles>` verifies the request itself (flask's
/// `verify_jwt_in_request()`), so the extractor works there too.
pub(crate) struct Admin(pub(crate) Jwt<Roles>);

impl FromRequest for Admin {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let jwt = Jwt::<Roles>::from_request(req, payload);
        Box::pin(async move {
            // A missing or invalid token keeps the library's own answer (401, 422 …).
            let jwt = jwt.await?;
            if jwt.role == Role::Admin {
                Ok(Admin(jwt))
            } else {
                let forbidden = HttpResponse::Forbidden().json(json!({"msg": "Admins only!"}));
                Err(error::InternalError::from_response("Admins only!", forbidden).into())
            }
        })
    }
}

/// The body of `POST /login`.
#[derive(Deserialize)]
pub(crate) struct Credentials {
    username: String,
    password: String,
}

/// Checks the (hard-coded) credentials and answers an access token carrying the role.
#[post("/login")]
pub(crate) async fn login(
    manager: web::Data<JwtManager>,
    body: web::Json<Credentials>,
) -> HttpResponse {
    let role = match (body.username.as_str(), body.password.as_str()) {
        ("admin", "admin") => Role::Admin,
        ("user", "user") => Role::User,
        _ => return HttpResponse::Unauthorized().json(json!({"msg": "Bad username or password"})),
    };
    match manager
        .access_token(&body.username)
        .claims(&Roles { role })
        .build()
    {
        Ok(access_token) => HttpResponse::Ok().json(json!({ "access_token": access_token })),
        Err(error) => HttpResponse::InternalServerError().json(json!({"msg": error.to_string()})),
    }
}

/// Any logged-in user: the handler reads the typed claims (`Jwt<Roles>` derefs to
/// `Roles`) and checks the role itself.
#[get("/whoami")]
#[jwt_required]
pub(crate) async fn whoami(jwt: Jwt<Roles>) -> impl Responder {
    let can_administer = jwt.role == Role::Admin;
    web::Json(json!({
        "user": jwt.identity(),
        "role": jwt.role,
        "can_administer": can_administer,
    }))
}

/// Admins only, through the custom "decorator" (flask's `@admin_required()`).
#[get("/protected")]
#[jwt_required]
pub(crate) async fn protected(admin: Admin) -> impl Responder {
    let Admin(jwt) = admin;
    web::Json(json!({"foo": "bar", "admin": jwt.identity()}))
}

/// The app's routes.
pub(crate) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(login).service(whoami).service(protected);
}

/// The manager from the `JWT_*` environment, with flask's example secret as fallback.
fn manager_from_env() -> Result<JwtManager, Box<dyn std::error::Error>> {
    let mut config = JwtConfig::from_env()?;
    if config.secret_key.is_none() {
        eprintln!(
            "WARNING: JWT_SECRET_KEY is not set; using the example secret \"super-secret\". \
             Anyone can forge tokens for this server. Set JWT_SECRET_KEY in production."
        );
        config.secret_key = Some("super-secret".to_owned());
    }
    Ok(JwtManager::new(config)?)
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manager = web::Data::new(manager_from_env()?);
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port.parse()?,
        Err(_) => 5000,
    };
    println!("roles listening on http://127.0.0.1:{port}");
    HttpServer::new(move || App::new().app_data(manager.clone()).configure(routes))
        .bind(("127.0.0.1", port))?
        .run()
        .await?;
    Ok(())
}
