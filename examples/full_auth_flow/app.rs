//! The application of the full authentication flow, shared by the example
//! (`examples/full_auth_flow.rs`) and its test (`tests/apps/full_auth_flow.rs`).
//!
//! | route | what it does |
//! | --- | --- |
//! | `POST /register` `{"username", "password"}` | 201 the new user; 409 if the name is taken; 400 for a malformed body or an unacceptable name or password |
//! | `POST /login` `{"username", "password"}` | 200 `{"access_token", "refresh_token"}`; 401 for bad credentials |
//! | `POST /refresh` (refresh token) | 200 `{"access_token"}`, a new (not fresh) access token of the same login |
//! | `GET /me` (access token) | 200 the user, loaded from the database by the user-lookup callback |
//! | `GET /admin` (fresh or not) | 200 for admins, 403 for everyone else |
//! | `POST /logout` (access or refresh token) | 200; revokes both tokens of the login |
//!
//! Every refusal is JSON `{"msg": ..}`; bad input never causes a 500.

use std::{path::Path, sync::Arc};

use actix_jwt_extended::{
    ConfigError, CurrentUser, DecodedToken, Jwt, JwtConfig, JwtManager, MemoryBlocklist,
    jwt_required,
};
use actix_web::{HttpResponse, error::InternalError, get, http::StatusCode, post, web};
use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{
    Row, SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions},
};

/// The schema, one migration per entry; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[include_str!("migrations/0001_users.sql")];

/// Longest accepted password, in bytes: enough for any passphrase, and a bound on the
/// hashing work one request can cause.
const MAX_PASSWORD_BYTES: usize = 1024;
const MIN_PASSWORD_CHARS: usize = 8;
const MAX_USERNAME_CHARS: usize = 64;

/// A user as loaded by the user-lookup callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct User {
    pub(crate) id: i64,
    pub(crate) username: String,
    pub(crate) role: Role,
}

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Role {
    User,
    Admin,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Admin => "admin",
        }
    }

    fn parse(text: &str) -> Role {
        if text == "admin" {
            Role::Admin
        } else {
            Role::User
        }
    }
}

/// Opens (creating it if needed) the SQLite database at `path` and brings its schema
/// up to date.
pub(crate) async fn open_database(path: &Path) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await?;
    migrate(&pool).await?;
    Ok(pool)
}

/// Applies the migrations not applied yet, each in its own transaction.
async fn migrate(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let applied: i64 = sqlx::query_scalar("PRAGMA user_version")
        .fetch_one(pool)
        .await?;
    for (index, migration) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(applied).unwrap_or(0))
    {
        let mut transaction = pool.begin().await?;
        sqlx::raw_sql(migration).execute(&mut *transaction).await?;
        sqlx::raw_sql(&format!("PRAGMA user_version = {}", index + 1))
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
    }
    Ok(())
}

/// The JWT manager: the user-lookup callback loads the token's user from the database,
/// and revoked tokens are kept in memory until they expire.
pub(crate) fn jwt_manager(config: JwtConfig, pool: SqlitePool) -> Result<JwtManager, ConfigError> {
    JwtManager::builder(config)
        .user_lookup_loader(move |token: Arc<DecodedToken>| {
            let pool = pool.clone();
            let id = token.identity_str().and_then(|id| id.parse::<i64>().ok());
            async move {
                match id {
                    Some(id) => find_user(&pool, id).await,
                    None => Ok(None),
                }
            }
        })
        .blocklist(MemoryBlocklist::new())
        .build()
}

async fn find_user(pool: &SqlitePool, id: i64) -> Result<Option<User>, sqlx::Error> {
    let row = sqlx::query("SELECT id, username, role FROM users WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(|row| {
        Ok(User {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            role: Role::parse(row.try_get("role")?),
        })
    })
    .transpose()
}

/// Why a user could not be created.
#[derive(Debug)]
pub(crate) enum CreateError {
    /// The username is taken (regardless of case).
    Taken,
    /// The username or password is not acceptable; the message says why.
    Invalid(&'static str),
    /// The database or the hasher failed.
    Internal(String),
}

/// Validates, hashes the password with argon2 (off the async workers) and stores the
/// user. Used by `/register`, and by `main` to create the first admin.
pub(crate) async fn create_user(
    pool: &SqlitePool,
    username: &str,
    password: &str,
    role: Role,
) -> Result<User, CreateError> {
    validate(username, password).map_err(CreateError::Invalid)?;
    let taken = sqlx::query("SELECT 1 FROM users WHERE username = ?")
        .bind(username)
        .fetch_optional(pool)
        .await
        .map_err(|error| CreateError::Internal(error.to_string()))?;
    if taken.is_some() {
        return Err(CreateError::Taken);
    }
    let password = password.to_owned();
    let hash = web::block(move || hash_password(&password))
        .await
        .map_err(|error| CreateError::Internal(error.to_string()))?
        .map_err(CreateError::Internal)?;
    // A concurrent registration of the same name loses here, not with a 500.
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO users (username, password_hash, role) VALUES (?, ?, ?) \
         ON CONFLICT (username) DO NOTHING RETURNING id",
    )
    .bind(username)
    .bind(hash)
    .bind(role.as_str())
    .fetch_optional(pool)
    .await
    .map_err(|error| CreateError::Internal(error.to_string()))?;
    let id = id.ok_or(CreateError::Taken)?;
    Ok(User {
        id,
        username: username.to_owned(),
        role,
    })
}

fn validate(username: &str, password: &str) -> Result<(), &'static str> {
    let name_ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    if username.is_empty() || username.chars().count() > MAX_USERNAME_CHARS {
        return Err("Username must be 1 to 64 characters long");
    }
    if !username.chars().all(name_ok) {
        return Err("Username may only contain letters, digits, '_', '-' and '.'");
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err("Password must be at least 8 characters long");
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err("Password must be at most 1024 bytes long");
    }
    Ok(())
}

fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| error.to_string())
}

/// A fixed hash checked when the user does not exist, so a login takes as long for an
/// unknown name as for a wrong password (no user enumeration by timing).
static DUMMY_HASH: std::sync::LazyLock<Option<String>> =
    std::sync::LazyLock::new(|| hash_password("dummy password for unknown users").ok());

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// `{"msg": message}` with `status`.
fn message(status: StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({ "msg": message }))
}

fn internal(context: &str, error: impl std::fmt::Display) -> HttpResponse {
    eprintln!("full_auth_flow: {context}: {error}");
    message(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
}

#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

#[post("/register")]
async fn register(pool: web::Data<SqlitePool>, body: web::Json<Credentials>) -> HttpResponse {
    match create_user(&pool, &body.username, &body.password, Role::User).await {
        Ok(user) => HttpResponse::Created().json(user),
        Err(CreateError::Taken) => message(StatusCode::CONFLICT, "Username already taken"),
        Err(CreateError::Invalid(reason)) => message(StatusCode::BAD_REQUEST, reason),
        Err(CreateError::Internal(error)) => internal("register", error),
    }
}

#[post("/login")]
async fn login(
    pool: web::Data<SqlitePool>,
    manager: web::Data<JwtManager>,
    body: web::Json<Credentials>,
) -> HttpResponse {
    let Credentials { username, password } = body.into_inner();
    if password.len() > MAX_PASSWORD_BYTES {
        return message(StatusCode::UNAUTHORIZED, "Bad username or password");
    }
    let row = sqlx::query("SELECT id, password_hash FROM users WHERE username = ?")
        .bind(&username)
        .fetch_optional(pool.get_ref())
        .await;
    let found = match row {
        Ok(Some(row)) => match (
            row.try_get::<i64, _>("id"),
            row.try_get::<String, _>("password_hash"),
        ) {
            (Ok(id), Ok(hash)) => Some((id, hash)),
            (Err(error), _) | (_, Err(error)) => return internal("login", error),
        },
        Ok(None) => None,
        Err(error) => return internal("login", error),
    };
    let (id, hash) = match found {
        Some((id, hash)) => (Some(id), hash),
        None => (None, DUMMY_HASH.clone().unwrap_or_default()),
    };
    let verified = web::block(move || verify_password(&password, &hash)).await;
    match (id, verified) {
        (Some(id), Ok(true)) => match manager.token_pair(id.to_string()) {
            Ok(pair) => HttpResponse::Ok().json(pair),
            Err(error) => internal("token_pair", error),
        },
        (_, Ok(_)) => message(StatusCode::UNAUTHORIZED, "Bad username or password"),
        (_, Err(error)) => internal("verify", error),
    }
}

/// A new access token for the refresh token's login (not fresh: the user did not just
/// type a password). It carries the login's refresh `jti`, so logging out revokes it.
#[post("/refresh")]
#[jwt_required(refresh)]
async fn refresh(jwt: Jwt, manager: web::Data<JwtManager>) -> HttpResponse {
    let mut builder = manager.access_token(jwt.identity());
    if let Some(jti) = jwt.jti() {
        builder = builder.claim("refresh_jti", jti);
    }
    match builder.build() {
        Ok(access_token) => HttpResponse::Ok().json(json!({ "access_token": access_token })),
        Err(error) => internal("refresh", error),
    }
}

/// The current user, loaded from the database by the user-lookup callback.
#[get("/me")]
#[jwt_required]
async fn me(user: CurrentUser<User>) -> HttpResponse {
    HttpResponse::Ok().json(user.user())
}

/// Admins only: the role comes from the database, not from the token.
#[get("/admin")]
#[jwt_required]
async fn admin(user: CurrentUser<User>, pool: web::Data<SqlitePool>) -> HttpResponse {
    if user.role != Role::Admin {
        return message(StatusCode::FORBIDDEN, "Admins only");
    }
    match sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users")
        .fetch_one(pool.get_ref())
        .await
    {
        Ok(users) => HttpResponse::Ok().json(json!({
            "msg": format!("Welcome, {}", user.username),
            "users": users,
        })),
        Err(error) => internal("admin", error),
    }
}

/// Revokes both tokens of the login, with either token.
#[post("/logout")]
#[jwt_required(verify_type = false)]
async fn logout(jwt: Jwt, manager: web::Data<JwtManager>) -> HttpResponse {
    match manager.revoke_login(jwt.token()).await {
        Ok(()) => message(StatusCode::OK, "Logged out"),
        Err(error) => manager.error_response(&error),
    }
}

/// Registers the routes, the database pool and the JWT manager. A body that is not the
/// expected JSON is answered 400 `{"msg": ..}`.
pub(crate) fn configure(cfg: &mut web::ServiceConfig, pool: &SqlitePool, manager: &JwtManager) {
    let json = web::JsonConfig::default()
        .limit(16 * 1024)
        .error_handler(|error, _req| {
            let body = json!({ "msg": format!("Invalid request body: {error}") });
            InternalError::from_response(error, HttpResponse::BadRequest().json(body)).into()
        });
    cfg.app_data(json)
        .app_data(web::Data::new(pool.clone()))
        .app_data(web::Data::new(manager.clone()))
        .service(register)
        .service(login)
        .service(refresh)
        .service(me)
        .service(admin)
        .service(logout);
}
