#!/usr/bin/env python3
"""Writes the committed seed inputs of the fuzz targets (fuzz/seeds/<target>/).

Each seed follows its target's input layout (see the doc comment of each target):
a selector byte, then NUL-separated fields. Tokens are signed with the fuzz apps'
secret and expire in 2100, so a seed reaches the end of verification.

    python3 fuzz/seeds/make_seeds.py
"""
import base64, hashlib, hmac, json, pathlib

SECRET = b"actix-jwt-extended-test-secret-0123456789abcdef"
HEADER = b'{"alg":"HS256","typ":"JWT"}'
HERE = pathlib.Path(__file__).resolve().parent


def b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def claims(kind="access", fresh=False, **extra) -> bytes:
    body = {
        "fresh": fresh,
        "iat": 1700000000,
        "jti": "d0c5f1a2-0000-4000-8000-000000000000",
        "type": kind,
        "sub": "alice",
        "nbf": 1700000000,
        "csrf": "csrf-value",
        "exp": 4102444800,
    }
    body.update(extra)
    return json.dumps(body, separators=(",", ":")).encode()


def sign(payload: bytes, header: bytes = HEADER) -> bytes:
    signing_input = b64(header) + b"." + b64(payload)
    signature = hmac.new(SECRET, signing_input, hashlib.sha256).digest()
    return signing_input + b"." + b64(signature)


ACCESS = claims()
REFRESH = claims("refresh")
FRESH = claims(fresh=True)
TOKEN = sign(ACCESS)

SEEDS = {
    "decode_token": {
        "token": b"\x00" + TOKEN,
        "payload": b"\x01" + ACCESS,
        "payload_refresh": b"\x01" + REFRESH,
        "payload_csrf_expired_ok": b"\x0d" + claims(exp=1700000100),
        "header_and_payload": b"\x02" + HEADER + b"\x00" + ACCESS,
        "header_with_kid": b"\x02" + b'{"alg":"HS256","typ":"JWT","kid":"k1"}' + b"\x00" + ACCESS,
        "token_and_csrf": b"\x03" + TOKEN + b"\x00" + b"csrf-value",
    },
    "header": {
        "bearer_token": b"\x00" + b"Bearer " + TOKEN,
        "payload": b"\x01" + ACCESS,
        "payload_refresh_route": b"\x05" + REFRESH,
        "payload_fresh_route": b"\x09" + FRESH,
        "payload_bare_token_app": b"\x41" + ACCESS,
        "credential_list": b"\x02" + b"Basic dXNlcjpwYXNz, Bearer " + b"\x00" + ACCESS
        + b"\x00" + b', Digest username="x"',
        "two_lines": b"\x03" + b"Basic dXNlcjpwYXNz" + b"\x00" + b"Bearer " + TOKEN,
    },
    "cookie_csrf": {
        "post_with_csrf_header": b"\x21" + ACCESS + b"\x00" + b"csrf-value",
        "get_without_csrf": b"\x20" + ACCESS,
        "post_with_csrf_form_field": b"\x31" + ACCESS + b"\x00\x00" + b"csrf_token=csrf-value",
        "refresh_post": b"\x29" + REFRESH + b"\x00" + b"csrf-value",
        "raw_cookie_header": b"\x01" + b"access_token_cookie=" + TOKEN + b"\x00" + b"csrf-value",
        "cookie_prefix": b"\x41" + b"a=b; access_token_cookie=" + b"\x00" + ACCESS + b"\x00"
        + b"csrf-value",
        "two_cookie_lines": b"\x61" + b"a=b" + b"\x00" + b"access_token_cookie=" + TOKEN
        + b"\x00" + b"csrf-value",
    },
}

for target, seeds in SEEDS.items():
    folder = HERE / target
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in seeds.items():
        (folder / name).write_bytes(data)
