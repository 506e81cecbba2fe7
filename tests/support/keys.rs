//! Private keys of every asymmetric family that are not the fixtures' (generated with
//! `openssl genpkey`): an attacker's keys, or "another key" of the same family.

/// An RSA private key that is not the fixtures'.
pub(crate) const OTHER_RSA_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDcvVwTdBdcgbtz
/1vdUTYKN5Lm29kCnJPOwEy1S1v8e3JkDwtqOGBF8b2wtclYAQ9P1r/NnjfhQoXU
+xLvwAyMcjZT6QKCjJ6WPsXdZYVYvwnf2K4l+dP6VQDWqzBYFdhK2nlLeQ0o+jVk
A2k4zijgDjEhbjaFi/FZwG8etsID5RStB3uy0kvWNQaO2Ic8nU5AMM/Fff14fFOf
Ghww8dzxPX25gxl9GkmmivS//z4ucZrWQEnMvVPzEO4HeYdfU3/4neALu+c0V3ne
q+NRSXuZcSWoPM560H335cKYTewXKdD0Uqg8XNSIQIGg0XHputyMqWExdElk91di
vOjD8AD1AgMBAAECggEAITLsTuizksWC7JadZGiQbhz0SnsKOmr+N/w9Yo7ro3Tq
5sL0foyYE4JLe0ZRT/ETh83Omcg6s0sOrHz5LiHTlqlJeSP0WATPh91NDlf0eZJ8
k7QXt70en+nPmc8JaFYbamFNbjJ4mOR4yd/8H/+xr3EIUUoth7cHx5iPndjyznmK
02X8PsQYRL+uEpnmr+6pFJB2/PUvdgKorHYRbMvC1M9YhJUFtRugCC2FhH59BsYH
OP8WN4Xxw6teD+JqbtL6aWa1TV1jxnBpNZaZWycwmuUd9Go4xsy36fyfIlm0tOQg
Sn+UVX++2Dk8FunWzEz6g5ZUwE5o00CB6BhF4pD4yQKBgQD4MUHXXgxU004Iem4V
xK2Z/Te2XNdSnPbhjFzxykegykrqkNVG08gwXuI8x6JjgxeTTljhqwzXQ5vaecMO
eOGccfoztJ04r3shiMya5XSywzxG9l4Y3V/LSXhHf9R17oL4qBd4QS9kGz2oPd/Z
XRIjqMnr4fuVGTqRluzsALuCjwKBgQDjrwUt6aejFOk9Sfimt0p+hOcIv+VjYqkY
rqPNZdrhzkYMw1AA5+5jOCyChNISIXI35jW5lQT3pewNvOaQjf+l4A8KpwKIZWmB
O64IQkLpyOGdiKxg/PZH4eQKhhuJIz7E8N03J/gMbvLF2fwzOCavE0JMxvLL5596
/2fxZkV2OwKBgQDXuOCUlC89r2gc4GU80HVf6gL5o9qX+MxxILJMitgVPp89IGPw
KvXObTpRP+e6fOAJ7kg85ZLErAQUMk9DDfhzJXImbO9WrNfmPuQwIg57rkx/FXaW
QBwaMqKz6ry9QHFgNaIoqOfLKA5AZH9ji4zPp87SEtq8LnCEyNznCH/yqwKBgFxh
ZCmX12PNFUG/5LrIPdqN1CvxqIIlwtR375BkVmYuSq/dA3YKpOfvH+gpOg8PMQfL
SVsuQqC02s1MKwTWCLdl7NR2pQlwlFlSPK+vKvUug5RmowKLQOYzmlJGzZ9cBJjl
3ewGNJfe4HQ0mSazDscUel8qjdL7/PJr9OG2jFKHAoGBAITl3IISPi1Im48z1cPW
E1baurWTEAYzO6bSU8Jpc+HvPa+Tnan2nSgR1W5ZewkXuSKyQ34CpFUJCtUZyOPT
9IgRDUc+DRAOV+9/2J5DNYtXgVcCg6Lx397KfJpvBXnUmcHB3+WxkgpwtlSkgUip
+8Tm149wXqOOicmS8zPxyWVT
-----END PRIVATE KEY-----
";

/// A P-256 private key that is not the fixtures'.
pub(crate) const OTHER_EC256_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgeZ3F1RNVd9cKxpoy
4+ntPoj7CeTB/5dvO18LWmCKj3mhRANCAARPjJ6bxyUhTtE6A0D3muTJO6oMb5Fy
Z5uUKkIFR89qMGWbtmGQgaWMR0OXfrSh+KlEjAHVqWG59itvKBwrv5TF
-----END PRIVATE KEY-----
";

/// A P-384 private key that is not the fixtures'.
pub(crate) const OTHER_EC384_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDAz/a5P3XoTQo9LkCeQ
T5YLoIyb6I3yjKQXLw6YYEJ033qd01ScUYYPcpWiKMEJFwKhZANiAAQk9EptLQhe
TL6iEITxCAGI93Cg9Q1qjSCjpW/Oj2sYBNkcaPb1xVaZO7O3vzczuSb7fyTAOlj0
gmVWW5t0bYp1XoQ4yqlQDr5n0F2J7ZwxgdpnasaqNfrQ0JvWKIRmyU0=
-----END PRIVATE KEY-----
";

/// A Ed25519 private key that is not the fixtures'.
pub(crate) const OTHER_ED25519_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIE47Eroc/PyP6L0VwTvrDIB0CLc0GM1AjSFhL8EjCisd
-----END PRIVATE KEY-----
";
