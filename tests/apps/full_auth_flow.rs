//! The full authentication flow of `examples/full_auth_flow.rs`, driven over HTTP
//! against the example's own app code on a temporary SQLite file: register, duplicate
//! and malformed registrations, login, bad credentials, the current user, the admin
//! role check, refresh, and logout revoking both tokens.

#[path = "../../examples/full_auth_flow/app.rs"]
mod app;

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::atomic::{AtomicUsize, Ordering},
};

use crate::support::raw_http::raw_request;
use crate::support::{self, Reply, send};
use actix_jwt_extended::JwtManager;
use actix_web::{App, HttpServer, test::TestRequest};
use serde_json::{Value, json};
use sqlx::SqlitePool;

/// A database file in the temporary directory, removed (with its WAL files) on drop.
struct TempDatabase(PathBuf);

impl TempDatabase {
    fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "actix-jwt-extended-full-auth-flow-{}-{}-{}.db",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst),
            support::now(),
        );
        let database = TempDatabase(std::env::temp_dir().join(name));
        database.remove();
        database
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn remove(&self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut path = self.0.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        self.remove();
    }
}

async fn setup(database: &TempDatabase) -> (SqlitePool, JwtManager) {
    let pool = app::open_database(database.path())
        .await
        .expect("open and migrate the database");
    let manager = app::jwt_manager(support::config(), pool.clone()).expect("valid manager");
    (pool, manager)
}

macro_rules! app {
    ($pool:expr, $manager:expr) => {
        actix_web::test::init_service(
            App::new().configure(|cfg| app::configure(cfg, &$pool, &$manager)),
        )
        .await
    };
}

fn post_json(uri: &str, body: &Value) -> actix_http::Request {
    TestRequest::post().uri(uri).set_json(body).to_request()
}

fn post_raw(uri: &str, content_type: &str, body: &'static str) -> actix_http::Request {
    TestRequest::post()
        .uri(uri)
        .insert_header(("Content-Type", content_type))
        .set_payload(body)
        .to_request()
}

fn credentials(username: &str, password: &str) -> Value {
    json!({"username": username, "password": password})
}

/// Asserts `{"msg": message}` with `status` (the app's own JSON errors).
#[track_caller]
fn assert_msg(reply: &Reply, status: u16, message: &str) {
    assert_eq!(reply.status, status, "{reply:?}");
    assert_eq!(reply.json(), json!({"msg": message}), "{reply:?}");
}

/// The tokens of a successful login.
#[track_caller]
fn tokens(reply: &Reply) -> (String, String) {
    assert_eq!(reply.status, 200, "{reply:?}");
    let body = reply.json();
    let token = |name: &str| {
        body[name]
            .as_str()
            .unwrap_or_else(|| panic!("no {name} in {body}"))
            .to_owned()
    };
    (token("access_token"), token("refresh_token"))
}

#[actix_web::test]
async fn test_full_flow() {
    let database = TempDatabase::new();
    let (pool, manager) = setup(&database).await;
    let app = app!(pool, manager);

    // Register.
    let reply = send(
        &app,
        post_json("/register", &credentials("alice", "correct horse")),
    )
    .await;
    assert_eq!(reply.status, 201, "{reply:?}");
    assert_eq!(
        reply.json(),
        json!({"id": 1, "username": "alice", "role": "user"})
    );
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = 1")
        .fetch_one(&pool)
        .await
        .expect("stored user");
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    assert!(!stored.contains("correct horse"));

    // Duplicates, whatever the case of the name, are refused with 409.
    for name in ["alice", "ALICE"] {
        let reply = send(
            &app,
            post_json("/register", &credentials(name, "another one")),
        )
        .await;
        assert_msg(&reply, 409, "Username already taken");
    }

    // Login: bad credentials are 401, good ones give both tokens.
    for (name, password) in [("alice", "wrong password"), ("nobody", "correct horse")] {
        let reply = send(&app, post_json("/login", &credentials(name, password))).await;
        assert_msg(&reply, 401, "Bad username or password");
    }
    let (access, refresh) = tokens(
        &send(
            &app,
            post_json("/login", &credentials("alice", "correct horse")),
        )
        .await,
    );

    // The current user, loaded from the database.
    let me = json!({"id": 1, "username": "alice", "role": "user"});
    send(&app, support::get_with("/me", &access))
        .await
        .assert_json(200, &me);
    send(&app, support::get("/me"))
        .await
        .assert_error(401, "Missing Authorization Header");
    send(&app, support::get_with("/me", &refresh))
        .await
        .assert_error(422, "Only non-refresh tokens are allowed");

    // The admin route is role-checked.
    assert_msg(
        &send(&app, support::get_with("/admin", &access)).await,
        403,
        "Admins only",
    );
    app::create_user(&pool, "root", "admin password", app::Role::Admin)
        .await
        .expect("create the admin");
    let (admin_access, _) = tokens(
        &send(
            &app,
            post_json("/login", &credentials("root", "admin password")),
        )
        .await,
    );
    send(&app, support::get_with("/admin", &admin_access))
        .await
        .assert_json(200, &json!({"msg": "Welcome, root", "users": 2}));

    // Refresh: a new access token for the refresh token only.
    let reply = send(&app, support::post_with("/refresh", &access)).await;
    reply.assert_error(422, "Only refresh tokens are allowed");
    let reply = send(&app, support::post_with("/refresh", &refresh)).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let refreshed = reply.json()["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned();
    send(&app, support::get_with("/me", &refreshed))
        .await
        .assert_json(200, &me);

    // Logout revokes the whole login: both tokens and the refreshed access token.
    assert_msg(
        &send(&app, support::post_with("/logout", &access)).await,
        200,
        "Logged out",
    );
    for (uri, token) in [("/me", &access), ("/me", &refreshed), ("/admin", &access)] {
        send(&app, support::get_with(uri, token))
            .await
            .assert_error(401, "Token has been revoked");
    }
    send(&app, support::post_with("/refresh", &refresh))
        .await
        .assert_error(401, "Token has been revoked");
    // The admin's login is untouched.
    send(&app, support::get_with("/admin", &admin_access))
        .await
        .assert_json(200, &json!({"msg": "Welcome, root", "users": 2}));
}

/// Malformed or unacceptable bodies are 400 with a JSON message, never a 500.
#[actix_web::test]
async fn test_bad_input_is_400() {
    let database = TempDatabase::new();
    let (pool, manager) = setup(&database).await;
    let app = app!(pool, manager);

    for uri in ["/register", "/login"] {
        for request in [
            post_raw(uri, "application/json", "{not json"),
            post_raw(uri, "application/json", ""),
            post_raw(uri, "application/json", "[1, 2, 3]"),
            post_raw(uri, "application/json", r#"{"username": "alice"}"#),
            post_raw(uri, "application/json", r#"{"username": 1, "password": 2}"#),
            post_raw(uri, "text/plain", r#"{"username": "a", "password": "b"}"#),
        ] {
            let reply = send(&app, request).await;
            assert_eq!(reply.status, 400, "{uri}: {reply:?}");
            assert_eq!(
                reply.content_type.as_deref(),
                Some("application/json"),
                "{uri}: {reply:?}"
            );
            let msg = reply.json()["msg"].as_str().map(str::to_owned);
            assert!(
                msg.is_some_and(|msg| msg.starts_with("Invalid request body")),
                "{uri}: {reply:?}"
            );
        }
    }
    let too_long = "x".repeat(1025);
    for (body, message) in [
        (
            credentials("", "long enough"),
            "Username must be 1 to 64 characters long",
        ),
        (
            credentials(&"a".repeat(65), "long enough"),
            "Username must be 1 to 64 characters long",
        ),
        (
            credentials("bad name", "long enough"),
            "Username may only contain letters, digits, '_', '-' and '.'",
        ),
        (
            credentials("robert'); DROP TABLE users;--", "long enough"),
            "Username may only contain letters, digits, '_', '-' and '.'",
        ),
        (
            credentials("alice", "short"),
            "Password must be at least 8 characters long",
        ),
        (
            credentials("alice", &too_long),
            "Password must be at most 1024 bytes long",
        ),
    ] {
        assert_msg(
            &send(&app, post_json("/register", &body)).await,
            400,
            message,
        );
    }
    // Nothing was stored, and an oversized password at login is simply refused.
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(users, 0);
    assert_msg(
        &send(&app, post_json("/login", &credentials("alice", &too_long))).await,
        401,
        "Bad username or password",
    );
    // A body over the limit is a 400 too.
    let huge = credentials("alice", &"x".repeat(64 * 1024));
    let reply = send(&app, post_json("/register", &huge)).await;
    assert_eq!(reply.status, 400, "{reply:?}");
}

/// The database file keeps the users across restarts (migrations run once), and a
/// user removed from it can no longer use their tokens.
#[actix_web::test]
async fn test_users_persist_and_deleted_users_are_refused() {
    let database = TempDatabase::new();
    let access = {
        let (pool, manager) = setup(&database).await;
        let app = app!(pool, manager);
        let reply = send(
            &app,
            post_json("/register", &credentials("carol", "carol's password")),
        )
        .await;
        assert_eq!(reply.status, 201, "{reply:?}");
        let (access, _) = tokens(
            &send(
                &app,
                post_json("/login", &credentials("carol", "carol's password")),
            )
            .await,
        );
        pool.close().await;
        access
    };

    // "Restart": open the same file again, with a new manager of the same secret.
    let (pool, manager) = setup(&database).await;
    let version: i64 = sqlx::query_scalar("PRAGMA user_version")
        .fetch_one(&pool)
        .await
        .expect("schema version");
    assert_eq!(version, 1);
    let app = app!(pool, manager);
    send(&app, support::get_with("/me", &access))
        .await
        .assert_json(200, &json!({"id": 1, "username": "carol", "role": "user"}));
    tokens(
        &send(
            &app,
            post_json("/login", &credentials("carol", "carol's password")),
        )
        .await,
    );

    sqlx::query("DELETE FROM users WHERE username = 'carol'")
        .execute(&pool)
        .await
        .expect("delete the user");
    send(&app, support::get_with("/me", &access))
        .await
        .assert_error(401, "Error loading the user 1");
}

/// The same flow on a real server over TCP, as a client would use it.
#[actix_web::test]
async fn test_flow_on_a_real_server() {
    let database = TempDatabase::new();
    let (pool, manager) = setup(&database).await;
    let server = HttpServer::new(move || {
        let (pool, manager) = (pool.clone(), manager.clone());
        App::new().configure(move |cfg| app::configure(cfg, &pool, &manager))
    })
    .workers(1)
    .disable_signals()
    .bind(("127.0.0.1", 0))
    .expect("bind a free port");
    let addr: SocketAddr = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    actix_web::rt::spawn(server);

    let replies = actix_web::rt::task::spawn_blocking(move || {
        let json = [("Content-Type", "application/json")];
        let body = r#"{"username": "dave", "password": "dave's password"}"#;
        let registered = raw_request(addr, "POST", "/register", &json, body);
        let duplicate = raw_request(addr, "POST", "/register", &json, body);
        let malformed = raw_request(addr, "POST", "/register", &json, "{");
        let login = raw_request(addr, "POST", "/login", &json, body);
        let tokens: Value = serde_json::from_str(&login.body).expect("login JSON");
        let access = tokens["access_token"].as_str().unwrap_or_default();
        let auth = format!("Bearer {access}");
        let me = raw_request(addr, "GET", "/me", &[("Authorization", &auth)], "");
        let logout = raw_request(addr, "POST", "/logout", &[("Authorization", &auth)], "");
        let after = raw_request(addr, "GET", "/me", &[("Authorization", &auth)], "");
        [registered, duplicate, malformed, login, me, logout, after]
    })
    .await
    .expect("client thread");
    let statuses: Vec<u16> = replies.iter().map(|reply| reply.status).collect();
    assert_eq!(statuses, [201, 409, 400, 200, 200, 200, 401], "{replies:?}");
    let me: Value = serde_json::from_str(&replies[4].body).expect("JSON");
    assert_eq!(me, json!({"id": 1, "username": "dave", "role": "user"}));
    assert_eq!(replies[6].body, "{\"msg\":\"Token has been revoked\"}\n");
    handle.stop(true).await;
}
