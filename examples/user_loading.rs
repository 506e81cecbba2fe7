//! flask-jwt-extended's "automatic user loading" example, in actix-web.
//!
//! ```text
//! cargo run --example user_loading
//! curl -s -X POST localhost:5000/login -H 'Content-Type: application/json' \
//!      -d '{"username": "panther", "password": "password"}'
//! curl -s localhost:5000/who_am_i -H "Authorization: Bearer <access_token>"
//! ```
//!
//! `user_identity_loader` turns the `User` given to `access_token` into the string
//! stored in `sub` (its id); `user_lookup_loader` turns it back into a `User` on every
//! protected request, and handlers take it as `CurrentUser<User>` (flask's
//! `current_user`). A token whose user no longer exists is refused with 401
//! `Error loading the user <id>`.
//!
//! Listens on 127.0.0.1:5000 (or `PORT`). `JWT_SECRET_KEY` defaults to an example
//! secret, with a warning.

use std::{collections::HashMap, convert::Infallible, sync::Arc};

use actix_jwt_extended::{CurrentUser, DecodedToken, JwtConfig, JwtManager, jwt_required};
use actix_web::{App, HttpResponse, HttpServer, error, get, post, web};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A user of the example (flask's SQLAlchemy `User` model).
#[derive(Debug, Clone, Serialize)]
struct User {
    id: u64,
    username: String,
    full_name: String,
    #[serde(skip)]
    password: String,
}

/// The users, by id. A real application would ask its database.
#[derive(Debug)]
struct Users(HashMap<u64, User>);

impl Users {
    fn example() -> Self {
        let users = [
            (1, "panther", "Bruce Wayne"),
            (2, "bird", "Richard Grayson"),
            (3, "bird2", "Jason Todd"),
        ];
        Users(
            users
                .into_iter()
                .map(|(id, username, full_name)| {
                    let user = User {
                        id,
                        username: username.to_owned(),
                        full_name: full_name.to_owned(),
                        password: "password".to_owned(),
                    };
                    (id, user)
                })
                .collect(),
        )
    }

    fn by_username(&self, username: &str) -> Option<&User> {
        self.0.values().find(|user| user.username == username)
    }
}

#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

/// Checks the credentials and answers an access token made from the `User` itself.
#[post("/login")]
async fn login(
    manager: web::Data<JwtManager>,
    users: web::Data<Users>,
    body: web::Json<Credentials>,
) -> HttpResponse {
    let user = users
        .by_username(&body.username)
        .filter(|user| user.password == body.password);
    let Some(user) = user else {
        return HttpResponse::Unauthorized().json("Wrong username or password");
    };
    // The identity is the whole user; `user_identity_loader` stores only its id.
    match manager.access_token(user).build() {
        Ok(access_token) => HttpResponse::Ok().json(json!({ "access_token": access_token })),
        Err(error) => HttpResponse::InternalServerError().json(json!({"msg": error.to_string()})),
    }
}

/// flask's `current_user`: loaded by `user_lookup_loader` before the handler runs.
#[get("/who_am_i")]
#[jwt_required]
async fn who_am_i(user: CurrentUser<User>) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "id": user.id,
        "full_name": user.full_name,
        "username": user.username,
    }))
}

fn manager(config: JwtConfig, users: Arc<Users>) -> Result<JwtManager, Box<dyn std::error::Error>> {
    Ok(JwtManager::builder(config)
        // `User` (serialized) → the string stored in `sub`.
        .user_identity_loader(|user| json!(user["id"].to_string()))
        // `sub` → the `User`, or `None` (401) when it no longer exists.
        .user_lookup_loader(move |token: Arc<DecodedToken>| {
            let user = token
                .identity_str()
                .and_then(|id| id.parse::<u64>().ok())
                .and_then(|id| users.0.get(&id).cloned());
            async move { Ok::<_, Infallible>(user) }
        })
        .build()?)
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = JwtConfig::from_env()?;
    if config.secret_key.is_none() {
        eprintln!(
            "WARNING: JWT_SECRET_KEY is not set; using an example secret. Anyone can forge \
             tokens for this server. Set JWT_SECRET_KEY in production."
        );
        config.secret_key = Some("super-secret-example-key-change-me!".to_owned());
    }
    let users = Arc::new(Users::example());
    let manager = web::Data::new(manager(config, users.clone())?);
    let users = web::Data::from(users);
    let json_config = web::JsonConfig::default().error_handler(|err, _req| {
        let body = json!({ "msg": err.to_string() });
        error::InternalError::from_response(err, HttpResponse::BadRequest().json(body)).into()
    });

    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port.parse()?,
        Err(_) => 5000,
    };
    println!("user_loading listening on http://127.0.0.1:{port}");
    HttpServer::new(move || {
        App::new()
            .app_data(manager.clone())
            .app_data(users.clone())
            .app_data(json_config.clone())
            .service(login)
            .service(who_am_i)
    })
    .bind(("127.0.0.1", port))?
    .run()
    .await?;
    Ok(())
}
