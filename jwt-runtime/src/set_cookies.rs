//! Setting and unsetting the token and CSRF cookies (flask's `set_access_cookies`,
//! `unset_jwt_cookies`, …), with flask's names and `Set-Cookie` strings byte for byte:
//! attributes in Werkzeug's order `Domain, Expires, Max-Age, Secure, HttpOnly, Path,
//! SameSite`.
//!
//! One deliberate difference: an explicit `max_age` of zero deletes the cookie now
//! (flask falls back to the config there).

use std::{
    fmt::Write as _,
    time::{Duration, SystemTime},
};

use actix_web::{
    HttpResponse, HttpResponseBuilder,
    http::header::{HeaderValue, HttpDate, SET_COOKIE},
};

use crate::{
    error::{Error, Result},
    manager::JwtManager,
    token::TokenType,
};

/// Cookie lifetime of non-session cookies, flask's hard-coded "about one year".
pub const PERSISTENT_COOKIE_MAX_AGE: Duration = Duration::from_secs(31_540_000);

const EPOCH_HTTP_DATE: &str = "Thu, 01 Jan 1970 00:00:00 GMT";

/// Per-call overrides of the cookie attributes (flask's `max_age=` and `domain=`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CookieOptions {
    /// Lifetime of the cookies; `None` follows `JWT_SESSION_COOKIE`. Zero (anything
    /// under a second) deletes them at once, unlike flask, where `max_age=0` falls
    /// back to the config.
    pub max_age: Option<Duration>,
    /// `Domain` attribute; `None` uses `JWT_COOKIE_DOMAIN`. A leading dot is dropped,
    /// as Werkzeug does; a value with a space, `;`, `,` or a control character makes the
    /// helper fail.
    pub domain: Option<String>,
}

/// Something `Set-Cookie` headers can be appended to: [`HttpResponse`] or
/// [`HttpResponseBuilder`].
pub trait SetCookieTarget {
    /// Appends one `Set-Cookie` header.
    fn append_set_cookie(&mut self, value: HeaderValue);
}

impl SetCookieTarget for HttpResponse {
    fn append_set_cookie(&mut self, value: HeaderValue) {
        self.headers_mut().append(SET_COOKIE, value);
    }
}

impl SetCookieTarget for HttpResponseBuilder {
    fn append_set_cookie(&mut self, value: HeaderValue) {
        self.append_header((SET_COOKIE, value));
    }
}

/// The attributes of one cookie the library writes.
struct CookieSpec<'a> {
    name: &'a str,
    value: &'a str,
    path: &'a str,
    http_only: bool,
}

impl JwtManager {
    /// Sets the access token cookie (HttpOnly) and, with CSRF protection and
    /// `JWT_CSRF_IN_COOKIES`, the readable CSRF cookie holding the token's `csrf` claim
    /// (flask's `set_access_cookies`), with the configured attributes.
    ///
    /// The token is decoded to read that claim, so an invalid token is an error here.
    ///
    /// ```
    /// # use actix_jwt_extended::{JwtConfig, JwtManager};
    /// # use actix_web::HttpResponse;
    /// # let manager = JwtManager::new(JwtConfig {
    /// #     secret_key: Some("a secret of at least thirty-two bytes!".into()),
    /// #     ..JwtConfig::default()
    /// # }).unwrap();
    /// let token = manager.access_token("alice").build()?;
    /// let mut response = HttpResponse::Ok().finish();
    /// manager.set_access_cookies(&mut response, &token)?;
    /// # Ok::<(), actix_jwt_extended::Error>(())
    /// ```
    pub fn set_access_cookies(
        &self,
        response: &mut impl SetCookieTarget,
        access_token: &str,
    ) -> Result<()> {
        self.set_access_cookies_with(response, access_token, &CookieOptions::default())
    }

    /// [`JwtManager::set_access_cookies`] with a per-call `max_age` or `domain` (flask's
    /// keyword arguments).
    pub fn set_access_cookies_with(
        &self,
        response: &mut impl SetCookieTarget,
        access_token: &str,
        options: &CookieOptions,
    ) -> Result<()> {
        self.set_cookies(response, TokenType::Access, access_token, options)
    }

    /// Sets the refresh token cookie and its CSRF cookie, as
    /// [`JwtManager::set_access_cookies`] does for access tokens.
    pub fn set_refresh_cookies(
        &self,
        response: &mut impl SetCookieTarget,
        refresh_token: &str,
    ) -> Result<()> {
        self.set_refresh_cookies_with(response, refresh_token, &CookieOptions::default())
    }

    /// [`JwtManager::set_refresh_cookies`] with a per-call `max_age` or `domain`.
    pub fn set_refresh_cookies_with(
        &self,
        response: &mut impl SetCookieTarget,
        refresh_token: &str,
        options: &CookieOptions,
    ) -> Result<()> {
        self.set_cookies(response, TokenType::Refresh, refresh_token, options)
    }

    /// Deletes the access token cookie and its CSRF cookie (flask's
    /// `unset_access_cookies`).
    pub fn unset_access_cookies(&self, response: &mut impl SetCookieTarget) {
        self.unset_access_cookies_with(response, &CookieOptions::default());
    }

    /// [`JwtManager::unset_access_cookies`] for cookies set with another `domain` (the
    /// only option that applies: `max_age` is ignored).
    pub fn unset_access_cookies_with(
        &self,
        response: &mut impl SetCookieTarget,
        options: &CookieOptions,
    ) {
        self.unset_cookies(response, TokenType::Access, options.domain.as_deref());
    }

    /// Deletes the refresh token cookie and its CSRF cookie.
    pub fn unset_refresh_cookies(&self, response: &mut impl SetCookieTarget) {
        self.unset_refresh_cookies_with(response, &CookieOptions::default());
    }

    /// [`JwtManager::unset_refresh_cookies`] for cookies set with another `domain`.
    pub fn unset_refresh_cookies_with(
        &self,
        response: &mut impl SetCookieTarget,
        options: &CookieOptions,
    ) {
        self.unset_cookies(response, TokenType::Refresh, options.domain.as_deref());
    }

    /// Deletes every cookie the library sets: access, then refresh (flask's
    /// `unset_jwt_cookies`).
    pub fn unset_jwt_cookies(&self, response: &mut impl SetCookieTarget) {
        self.unset_jwt_cookies_with(response, &CookieOptions::default());
    }

    /// [`JwtManager::unset_jwt_cookies`] for cookies set with another `domain`.
    pub fn unset_jwt_cookies_with(
        &self,
        response: &mut impl SetCookieTarget,
        options: &CookieOptions,
    ) {
        self.unset_access_cookies_with(response, options);
        self.unset_refresh_cookies_with(response, options);
    }

    fn set_cookies(
        &self,
        response: &mut impl SetCookieTarget,
        kind: TokenType,
        token: &str,
        options: &CookieOptions,
    ) -> Result<()> {
        let (jwt_cookie, csrf_cookie) = self.cookie_specs(kind);
        let csrf = if self.writes_csrf_cookie() {
            let decoded = self.decode_token(token, None, false)?;
            let csrf = decoded
                .csrf()
                .ok_or_else(|| Error::invalid_token("Missing claim: csrf"))?
                .to_owned();
            Some(csrf)
        } else {
            None
        };
        let expires = match options.max_age {
            Some(max_age) => Some(max_age),
            None if self.config().session_cookie => None,
            None => Some(PERSISTENT_COOKIE_MAX_AGE),
        };
        let domain = options.domain.as_deref();
        response.append_set_cookie(self.set_cookie_value(
            &CookieSpec {
                value: token,
                ..jwt_cookie
            },
            domain,
            Lifetime::Set(expires),
        )?);
        if let Some(csrf) = &csrf {
            response.append_set_cookie(self.set_cookie_value(
                &CookieSpec {
                    value: csrf,
                    ..csrf_cookie
                },
                domain,
                Lifetime::Set(expires),
            )?);
        }
        Ok(())
    }

    fn unset_cookies(
        &self,
        response: &mut impl SetCookieTarget,
        kind: TokenType,
        domain: Option<&str>,
    ) {
        let (jwt_cookie, csrf_cookie) = self.cookie_specs(kind);
        let mut specs = vec![jwt_cookie];
        if self.writes_csrf_cookie() {
            specs.push(csrf_cookie);
        }
        for spec in specs {
            // Names, paths and the config's domain were validated when the manager was
            // built and the value is empty, so only a bad `domain` argument can fail
            // here: log it rather than panic.
            match self.set_cookie_value(&spec, domain, Lifetime::Unset) {
                Ok(value) => response.append_set_cookie(value),
                Err(error) => log::error!("actix-jwt-extended: cannot unset cookie: {error}"),
            }
        }
    }

    fn writes_csrf_cookie(&self) -> bool {
        self.config().cookie_csrf_protect && self.config().csrf_in_cookies
    }

    fn cookie_specs(&self, kind: TokenType) -> (CookieSpec<'_>, CookieSpec<'_>) {
        let config = self.config();
        let (name, path, csrf_name, csrf_path) = match kind {
            TokenType::Access => (
                &config.access_cookie_name,
                &config.access_cookie_path,
                &config.access_csrf_cookie_name,
                &config.access_csrf_cookie_path,
            ),
            TokenType::Refresh => (
                &config.refresh_cookie_name,
                &config.refresh_cookie_path,
                &config.refresh_csrf_cookie_name,
                &config.refresh_csrf_cookie_path,
            ),
        };
        (
            CookieSpec {
                name,
                value: "",
                path,
                http_only: true,
            },
            CookieSpec {
                name: csrf_name,
                value: "",
                path: csrf_path,
                http_only: false,
            },
        )
    }

    /// One `Set-Cookie` value, attributes in Werkzeug's order.
    fn set_cookie_value(
        &self,
        spec: &CookieSpec<'_>,
        domain: Option<&str>,
        lifetime: Lifetime,
    ) -> Result<HeaderValue> {
        let config = self.config();
        let mut cookie = format!("{}={}", spec.name, spec.value);
        let domain = domain
            .or(config.cookie_domain.as_deref())
            .map(|domain| domain.trim_start_matches('.'))
            .filter(|domain| !domain.is_empty());
        if let Some(domain) = domain {
            // The config's domain was validated with the manager; a per-call one must
            // not smuggle in attributes (`x.com; Path=/admin`) or break the header.
            if !domain
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b';' && b != b',')
            {
                return Err(Error::internal(format!(
                    "invalid cookie domain {domain:?} for {}",
                    spec.name
                )));
            }
            let _ = write!(cookie, "; Domain={domain}");
        }
        match lifetime {
            Lifetime::Set(None) => {}
            // Under a second rounds to `Max-Age=0`: delete now, with a past `Expires`.
            Lifetime::Set(Some(max_age)) if max_age.as_secs() == 0 => {
                let _ = write!(cookie, "; Expires={EPOCH_HTTP_DATE}; Max-Age=0");
            }
            Lifetime::Set(Some(max_age)) => {
                let expires = HttpDate::from(SystemTime::now() + max_age);
                let _ = write!(cookie, "; Expires={expires}; Max-Age={}", max_age.as_secs());
            }
            Lifetime::Unset => {
                let _ = write!(cookie, "; Expires={EPOCH_HTTP_DATE}");
            }
        }
        if config.cookie_secure {
            cookie.push_str("; Secure");
        }
        if spec.http_only {
            cookie.push_str("; HttpOnly");
        }
        let _ = write!(cookie, "; Path={}", spec.path);
        if let Some(same_site) = config.cookie_samesite {
            let _ = write!(cookie, "; SameSite={}", same_site.as_str());
        }
        HeaderValue::from_str(&cookie)
            .map_err(|_| Error::internal(format!("invalid Set-Cookie value for {}", spec.name)))
    }
}

enum Lifetime {
    /// Set the cookie, for this long (`None`: a browser-session cookie).
    Set(Option<Duration>),
    /// Delete the cookie.
    Unset,
}
