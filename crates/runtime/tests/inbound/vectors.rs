//! Test vectors for the inbound schemes, all computed outside the code under test, with the
//! commands given above each one. The RSA keys are throwaway test keys made for these tests:
//!
//! ```sh
//! openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out signer.pem   # OpenSSL 3.0.19
//! openssl pkey -in signer.pem -pubout -out signer.pub.pem
//! openssl rsa -in signer.pem -RSAPublicKey_out -out signer.rsapub.pem
//! openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out other.pem
//! openssl pkey -in other.pem -pubout -out other.pub.pem
//! ```
//!
//! The tokens were made with this script (`jwt.sh HEADER CLAIMS KEY.pem`):
//!
//! ```sh
//! b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
//! h=$(printf '%s' "$1" | b64url); p=$(printf '%s' "$2" | b64url)
//! s=$(printf '%s.%s' "$h" "$p" | openssl dgst -sha256 -sign "$3" | b64url)
//! printf '%s.%s.%s\n' "$h" "$p" "$s"
//! ```
#![allow(dead_code)]

/// `signer.pem`: PKCS#8, 2048 bits.
pub const SIGNER_PRIVATE_PKCS8: &str = r#"-----BEGIN PRIVATE KEY-----
MIIEuwIBADANBgkqhkiG9w0BAQEFAASCBKUwggShAgEAAoIBAQDAyAU3y3mHN4Ox
OyPFbL7BzviMKcPnYGsbII6UW8o4M07RWz30Flr5VtlycGY1SrmQdQvr7L5+sHr1
KvjJywMuCCeDup0hpQAHZDHwXUVV155c1nY0t7qmRUAApecF5rAf32usPHSSsp59
pM46gMc2qxVzGp6XuuSHJJ46XvWdEM0CRvaIBzrK6TauVUjR/f5GKb2zYgygwfkq
vHMuEsMMdqBrinZfQHr/YgE27KXHE2E6JRExiJupNDahWBCsweUGU6n8Vr95QQW1
rV8tk7y2yMCZJyFT2RYrGTfgl7ol9jFKCNegJA0nAvhZmG/8OZTUd6apUTFoStq6
/3nhrS6TAgMBAAECgf8KD1JQpCzAcgRZkJupJ+K/TgcMxhqaWtAoUgdTM0+iVvDT
HMhnDpwz/bAgGrbeyNmDoyhlIMEEkzeVuv2plzam9TWQ0ZUtBOVd84c4A81fXp9u
yTHK8OxPzgUZZgUKrEC5Gkt2+aOEruEtXoaFS/FoHWsh8m+cZ6eSXzyNMa+SVJ/w
U0MRjvuc2Hop5ZaoCXi1y14b0BU3b6fxf8A62kaZcs+I2LtEq9eANACuU7vglxGf
Kup0oZf2qk8WnA9RmpqGV//lOZ9UHMW+xmrhRGi24TXcP+RnPG6u84dfRLpMRAR4
JDM4kU7BlEleLjxm+6I/Nq6wBbX2ryMW4/gioWECgYEA5ZMvHA2r7GT7G8tXt1IG
fbukzcVw0DmJeoW/wU3V23hCoovnAfaP6O1TpcRAYvirTQ6PeWB2FXqEldOiWB5p
Raa//6CE6WMz77VM+e0vcbPUEG82yXWBJpr7Kx5HugBU0eRFftstCJBihUWC0vPn
Qd3kAZyU7jIt3EgxOq6x71ECgYEA1vimbrFjp/wibrtklx0CUU1obCL9x+D1p4Z/
2fUaJ6NQfnHAwFWrg3jfXas/lODEA1W7cdTWnim5o49kwUyPLV4g9OKR3SpdswSg
GkvWpcZjtCl6PpUhGt8+1eqO8lhd6KcEpVtZ+HzJZVm/2J5qM4h87Dm0Iw0h8Zch
JSd9bqMCgYBEeQjVCjLcGCZZXOX1tI5hFAWMpjYGtRKPK7NM2YVOp2jgiG/HQx4b
MCYBzC4UFu0o143tetrdfyRqd6v1MmTdtGWRvfPGlKMZ/O5PoPHErQk0OaeSoOx7
ckA11Rs5m/2weLBNrNuasU3hSCFEACFaoO7vmB9HiEnraNDeGtrRcQKBgDp9BpNh
cjLXV+r202SGAQZr4DhjwNasL0o4PvrnRAl61sDAZGgwJu0rauKKYE86ZDpgDhLn
jMkVoyuMLSamlOIMFT1rk7Iv/7RgUss0zR7nfmMbUeZLHum3ydnb6q6nOk29e3ce
BrmkAguwQpFGcLC6tvpyrL9IqG6Z5uu79dWvAoGBAL37xMvZs+yyEvK5WRlbbK8C
i1BG1LQK7Wn3c8hPrZfo8kCMJ9BwdzcswF4pXjM18ZC27QEolubeMgQvYPhSDBQm
8THFtoWGpkdqoJVP33KAB4PrQMVR3lQwj0v2XLXcE1T2iMMRQ1Z2dmuYLIK/bCw0
sTEJgwNa3iTdJqWY5upo
-----END PRIVATE KEY-----
"#;

/// `signer.pub.pem`: SubjectPublicKeyInfo.
pub const SIGNER_PUBLIC_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwMgFN8t5hzeDsTsjxWy+
wc74jCnD52BrGyCOlFvKODNO0Vs99BZa+VbZcnBmNUq5kHUL6+y+frB69Sr4ycsD
Lggng7qdIaUAB2Qx8F1FVdeeXNZ2NLe6pkVAAKXnBeawH99rrDx0krKefaTOOoDH
NqsVcxqel7rkhySeOl71nRDNAkb2iAc6yuk2rlVI0f3+Rim9s2IMoMH5KrxzLhLD
DHaga4p2X0B6/2IBNuylxxNhOiURMYibqTQ2oVgQrMHlBlOp/Fa/eUEFta1fLZO8
tsjAmSchU9kWKxk34Je6JfYxSgjXoCQNJwL4WZhv/DmU1HemqVExaErauv954a0u
kwIDAQAB
-----END PUBLIC KEY-----
"#;

/// `signer.rsapub.pem`: the same public key as PKCS#1 `RSAPublicKey`.
pub const SIGNER_PUBLIC_PKCS1: &str = r#"-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEAwMgFN8t5hzeDsTsjxWy+wc74jCnD52BrGyCOlFvKODNO0Vs99BZa
+VbZcnBmNUq5kHUL6+y+frB69Sr4ycsDLggng7qdIaUAB2Qx8F1FVdeeXNZ2NLe6
pkVAAKXnBeawH99rrDx0krKefaTOOoDHNqsVcxqel7rkhySeOl71nRDNAkb2iAc6
yuk2rlVI0f3+Rim9s2IMoMH5KrxzLhLDDHaga4p2X0B6/2IBNuylxxNhOiURMYib
qTQ2oVgQrMHlBlOp/Fa/eUEFta1fLZO8tsjAmSchU9kWKxk34Je6JfYxSgjXoCQN
JwL4WZhv/DmU1HemqVExaErauv954a0ukwIDAQAB
-----END RSA PUBLIC KEY-----
"#;

/// `other.pub.pem`: another key pair's public key.
pub const OTHER_PUBLIC_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAw+HjeXppXicl56lonMo5
inZBYY/AYhF5SvUoC6F+TXNxztzxPgHIgocmhSTYRp5qTCYom/pih5RDoUgY6IW+
5PWm8yrlEinviAX+poCFeMifYuLULuMg0CzIWkEbHtUkBUX/kHG0F4W4Xx4NWw6V
Z+y0ovUHYp2g791BGBTlk0e1AF4a3Y09G12O05/oJWJAyksDWRP3/d5MuOKinvR9
wDBf3bt6z+0k9np2wigUnl9azBPpSsVPVX1xdbF9oTIcCjv1LJyTst9Lur6TFwTn
okurCrRSWV/ayEWGdkqf6QgiY5QkuYe0gWEwcBZ+YFZv2cMlCAvYR8eBDvei1lUQ
DQIDAQAB
-----END PUBLIC KEY-----
"#;

/// The claims of `GOOD_TOKEN`, compact as signed.
pub const GOOD_CLAIMS: &str = r#"{"iss":"merchant-42","iat":1700000000,"exp":1700000900}"#;

/// `jwt.sh '{"alg":"RS256","typ":"JWT"}' '{"iss":"merchant-42","iat":1700000000,"exp":1700000900}' signer.pem`
pub const GOOD_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJtZXJjaGFudC00MiIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAwOTAwfQ.hrEgoW7vge8cqmBlkYaQPgnlxFdaEEDrPUmqif-1ARNkst4dzGGFNAdsrUVZ0ZHCSOWZHouS-6PyOrBXRI29kKw4HHBNe4BJMDXTcfdC0BhU_XIakuwaazS0w0G6ZlRx2WZUwReeU-kq4CRAcHYNbxxJfCBPd_Jv8NSyI41tc6yVOWthjqKH4pNhONyqMGqcNQnkmKqqIX_iCVzXWptzNTYh78DjdiaJsxlgzPIAeRipqwecZh_c4dcLs635fKT1GNk5wuurxlyMfkfjQSWSDjBSLsA9dFAzsJhyvzYCpPF9FAdS3edGciv7lkTQWTy9d3pV0lKkfNOLSPcUWfER3g";

/// `jwt.sh '{"alg":"RS256","typ":"JWT"}' '{"iss":"merchant-42","iat":1700000000,"nbf":1700000600,"exp":1700000900}' signer.pem`
pub const NBF_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJtZXJjaGFudC00MiIsImlhdCI6MTcwMDAwMDAwMCwibmJmIjoxNzAwMDAwNjAwLCJleHAiOjE3MDAwMDA5MDB9.ecKC6X0Cf6uYS6GV6SINNERgvY2y8W4YOs5jBYhdCqqABgFV6ypBSZmXTEJdwc7IxMwdaDwGHJcKrNlY-oodo7kbASH53KOiuFAPqQMOwtuJKYuMAsUYeSmTJ0Xw1g7fKewU93Y_sHjOQ0OcLM3SHuWrrmugzvuYa6GvCfZrbO8qal9K9p3Q9Vj0PEhDPpkl40rrH-vk5Dm4lPohxidfyT9spIeaXcP9MaCdzzuFonZd3G1qwB1MmIx-_0CJfvus2E_gKxz4DGAwAeV1gN4Q440ogPtH3cOoN5rhSuLdghyjE8iO29mYe00u0ZbtoFoo9Ti0ULEfgHORDlg9BEX8mg";

/// `jwt.sh '{"alg":"RS256","typ":"JWT"}' '{"iss":"merchant-42","iat":1700000600,"exp":1700000900}' signer.pem`
pub const IAT_AHEAD_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJtZXJjaGFudC00MiIsImlhdCI6MTcwMDAwMDYwMCwiZXhwIjoxNzAwMDAwOTAwfQ.QfGg1XLN3Six8dul5OibB0OwMFv8GYEselQJ1u63u-sQgztGZtknYqOvLhbqppAoScaSzrJX1kcqkT25aGcl190mFVkEWhNcb3giE8IsVlFHPgBFakzeXc1drlB_Mnojalih_FdtPnC8QvSleLKp0Ea1Yyq1gK9d5ONrRPTipwdP5EnDUcAqe1rqIZYz-sgDWJgsqKLOC1TUPq8husMmBFmNRXSmsBKE4EG2rDcHCTa-Wb9u6sYJzKUurkwM2pmUYyM5HpJtLu9i518FS5DaoEyMtKsuBHff8uFXlHk9W7f1ESKAQuCFNur-9H2wh0TTvnowNjUplKFFif29Hkkwhg";

/// `jwt.sh '{"alg":"RS256","typ":"JWT"}' '{"iss":"merchant-42","iat":1700000000}' signer.pem`
pub const NO_EXP_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJtZXJjaGFudC00MiIsImlhdCI6MTcwMDAwMDAwMH0.vqGKGJc0eRwdWh0O_ETZ2EMcRJ-jWOR6TGvEgnz62NOldL6Dw1FSkrahyG_QG7DRTrb5oHJZbDVdMJRvPF5GC2PUBUKXOzz1ODbA0RgAk45z1-Eh9k6mlZ5p_wafOeBP82VbPUpapwVvE4mRjSv8IsB2uHvNG4t9MnCQNzgBLjXOLKQHAEHArIEa1DdcxAC8C-LW2tWv9-iIwlEFxAEdVK3UfeiXJV3iPqof_UyqDq1y-Ca3h_PdCyJRMg8r5Hi9i294ApFciX3Hz6GQVBqVEBS9fxTiF4noCgsH-pgXDL2crAsQeLKdr0BKlKx-HeN9v2TZlv44KKcLwNGP74uN_Q";

/// `jwt.sh '{"alg":"RS256","typ":"JWT"}' '{"iss":"merchant-42","iat":1700000000,"exp":"1700000900"}' signer.pem`
pub const STRING_EXP_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJtZXJjaGFudC00MiIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoiMTcwMDAwMDkwMCJ9.KREXZE2c4GdbYIddWr0wXOU3o-5mK2EdL6Z1RSOo9QKkuq4IFV4h_-L-kj4xDloggp2wd1bwmyE5UDKz3kHtUs7sYLoJduufYtZaQZKcWpQtDyQ0oeJvhE7d3Fwl2wYwDlmnqDaDqvBfQslyDMXj7qPJPxDAkulGhkp2drf90zPj2RL3hpIWFrTaY_WQgCl8rqOLb5ZqMXWlCdvXxMwwVhzyC8AEDIMH9L3a_tn6EO7OdmIe-qNspRHfE8eOXJEPJ1RJErztmrrZlm25HwBY17P9JcpC_9TkDu2XVVpHL2sOW5IftVdAlPnsXhqxO6KDUeYyDy-wZ6mzO1yj2HoIZA";

/// `jwt.sh '{"alg":"RS256","typ":"JWT"}' '[1,2]' signer.pem`
pub const ARRAY_CLAIMS_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.WzEsMl0.ioWAA7ifaCkC791JPMSvlRDVnLqsP1eodhjI1Zf-sFG4FGBmritLe09TB5UMVtveIoWChy6nLvPEXSARz1IBzrJqeqigcS6cAizpWZN1afqmPxNAlok4MLxDSdyPtR8YxawpUWugGp1Bp4ZaCSfidwOz5cDv8sxz7ybBu_M4Br31LEoouAjPM2xwTIORpVMbFyaAsdHYGQCihTYTGCgasVCzQ7q5HMa8r617eoV9E5BQRhKfMSe3D5-YmmLDRNnuriXBPwb65yumG28_3Gz3sEjZPN3qd3VFjo6YX9mdSerNTQKhlBa_OIwztnQvI6Scd_5arlJFeZ2_fpON7zxAWg";

/// `jwt.sh '{"alg":"RS256","typ":"JWT","crit":["exp"]}' '{"iss":"merchant-42","iat":1700000000,"exp":1700000900}' signer.pem`
pub const CRIT_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImNyaXQiOlsiZXhwIl19.eyJpc3MiOiJtZXJjaGFudC00MiIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAwOTAwfQ.FfOGjbB0wUd3kJsJnWIH9MdeZg7DY6aDFKV40g_U560z5gPVDkgmu8ePcUVFx0P0mtaE4Rj1UOT9iL7AHmOKHH8g6zdomqMecsiqa_S1kqbLjhztv8fDL56SaMUhWPe7b0NPY-f5NQI6jsVtSmWx0w8Cs5kCuHn36oDGaDU1f-2Evumy6BF3RRJp_JYF35n6TcBNuJHXm3j2HGgQ6-XwxoLrdoDgBFtOVC2P3BHBduk43nWzS6mwZdj5UEVlbhFjt8pHtItIRZTEdc_wHvW8e-IYPWOX2IFlwJnLDolxgGPU_BNQzjJh_XsygqajvKAPqb9x5X13vRXo3M03KXEEcA";

/// `jwt.sh '{"alg":"RS256","typ":"JWT"}' '{"iss":"merchant-42","iat":1700000000,"exp":1700000900}' other.pem`
pub const OTHER_KEY_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJtZXJjaGFudC00MiIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAwOTAwfQ.sO_xwjrUTWdlrfiRf3PsMH7ZVWQzk-ILVYi00wBTwE7dzoncz9xOTwBQgi7td2L2JfZymgpUi7hdRwLQ-aSljPjFK1X2etANSfXjdzhJ_dEoWkHfTP6S0JefUnoWoX9izgugV2U9w08VU47ymV88n2vN2HH_hhgqE-1opJgbHeU02TnUyE1OUIuWeWUDP3wPobWOiKrlJTnCzbQ0pTj3tTgbdo7D_kFtZTU5c6ijp2B6Je0QQL0L37rTN8ShbZv25Cm_oFHRa8qLDsT5cgbpVaMEHb5u5kz5GObrBHRNgMg72OkDeyfRcFC5OpNY_KTxbH4XWlQhjTqpIozxQHdHQg";

/// `printf '%s' '{"iss":"merchant-43","iat":1700000000,"exp":1700000900}' | b64url`: claims to splice into `GOOD_TOKEN`.
pub const TAMPERED_CLAIMS_PART: &str =
    "eyJpc3MiOiJtZXJjaGFudC00MyIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAwOTAwfQ";

/// `printf '%s' '{"alg":"none","typ":"JWT"}' | b64url`.
pub const NONE_HEADER_PART: &str = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0";

/// HS256 over `GOOD_CLAIMS` keyed with the bytes of `SIGNER_PUBLIC_SPKI` (the key-confusion
/// attack). Python:
/// `h, p = b64u(b'{"alg":"HS256","typ":"JWT"}'), b64u(GOOD_CLAIMS)`;
/// `h + "." + p + "." + b64u(hmac.new(open("signer.pub.pem","rb").read(), (h+"."+p).encode(), hashlib.sha256).digest())`
pub const HS256_CONFUSION_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJtZXJjaGFudC00MiIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAwOTAwfQ.l3rYuGkIcQB0yN_4UrOY7aFuE18D4pZeWytatKgWi7U";

/// The HMAC secret of the HMAC vectors.
pub const HMAC_SECRET: &str = "inbound-hmac-secret";
/// A single-event body.
pub const HMAC_BODY: &str = r#"{"event":"order.delivered","data":{"order_id":"3550875"}}"#;
/// Python: `hmac.new(b"inbound-hmac-secret", HMAC_BODY, hashlib.sha256).hexdigest()`.
pub const HMAC_SIGNATURE: &str = "0e47e6d032df1da908544d68318cb6fd105898b41ba03138649ca2b8902a4327";
/// Python: `hmac.new(b"another-secret", HMAC_BODY, hashlib.sha256).hexdigest()`.
pub const HMAC_OTHER_SECRET_SIGNATURE: &str =
    "7bc40cb68bb3d9727ff9aaca061b06a4500fafd532c26b0be5506cc8be9c2d27";
/// Python: `hmac.new(b"inbound-hmac-secret", b"", hashlib.sha256).hexdigest()`.
pub const HMAC_EMPTY_BODY_SIGNATURE: &str =
    "a72c0a673ee8697fef9db623e5605afd58507b0f3241ff9f5d8cb8214dcc2219";

/// The Basic credentials of the Basic vectors.
pub const BASIC_USER: &str = "M-shop.example";
/// The password that goes with `BASIC_USER`.
pub const BASIC_PASSWORD: &str = "logitrail-webhook-secret";
/// Python: `base64.b64encode(b"M-shop.example:logitrail-webhook-secret")`.
pub const BASIC_GOOD: &str = "TS1zaG9wLmV4YW1wbGU6bG9naXRyYWlsLXdlYmhvb2stc2VjcmV0";
/// Python: `base64.b64encode(b"M-shop.example:logitrail-webhook-secreT")` (last letter).
pub const BASIC_WRONG_PASSWORD: &str = "TS1zaG9wLmV4YW1wbGU6bG9naXRyYWlsLXdlYmhvb2stc2VjcmVU";
/// Python: `base64.b64encode(b"M-shop.example:pa:ss")`: a password with a colon.
pub const BASIC_COLON_PASSWORD: &str = "TS1zaG9wLmV4YW1wbGU6cGE6c3M=";
/// Python: `base64.b64encode(b"M-shop.example")`: no colon at all.
pub const BASIC_NO_COLON: &str = "TS1zaG9wLmV4YW1wbGU=";

/// A 1024-bit RSA public key, too small for RS256 here:
/// `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 | openssl pkey -pubout`.
pub const RSA_1024_PUBLIC_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCtsnaUcZYgOIaEld99XltLHP0e
zHasmrAU4Y2VzZy51yDYz3umeaibWC1hh4Ma4rHsFzJzSF5Cy9wL5bOB5dgYHHxg
3sZ5bGdtZlhzNOaitNGUQ0RVytWAJ7jhBIq/ci8CpFzIjmw0eoQASGeIxJbHyXZ9
nifN1KVlzmhiH0CbNQIDAQAB
-----END PUBLIC KEY-----
"#;

/// A P-256 public key, not RSA:
/// `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 | openssl pkey -pubout`.
pub const EC_PUBLIC_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEuhE0Z9Mb5CcJJZ18wxoagGMDugpd
/QFilU52WFMsMET9qCymN/9ogLf5A6/VVD+E37fX1oIo0yM4gHhCEjN+dA==
-----END PUBLIC KEY-----
"#;
