//! The fuzz targets' bodies, shared by the cargo-fuzz binaries (`fuzz/fuzz_targets/`,
//! nightly, libFuzzer) and by `tests/regressions.rs` (stable `cargo test`), which replays
//! the seed corpora (`fuzz/seeds/<target>/`) and every crash input ever found
//! (`tests/regressions/<target>/`) through exactly these functions.
//!
//! Each function must return for every input: a panic (a broken invariant below, an
//! index out of bounds, a stack overflow) is a finding.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::OnceLock;

use base64ct::{Base64UrlUnpadded, Encoding};
use libsql_authz::decision::{check_need, check_statement};
use libsql_authz::grant::{AccessLevel, Grant};
use libsql_authz::permissions::{parse_cli_rules, parse_perm_claim, perm_claim, Action, Rule};
use libsql_authz::sql::{analyze, Need};
use libsql_authz::token::{verify_token, KeySet, Target, Verifier, VerifyOptions};

/// The names of the targets, as in `fuzz/Cargo.toml`.
pub const TARGETS: [&str; 5] = ["token", "keys", "permissions", "sql", "full"];

/// Runs the named target on `data`.
pub fn run(target: &str, data: &[u8]) {
    match target {
        "token" => token(data),
        "keys" => keys(data),
        "permissions" => permissions(data),
        "sql" => sql(data),
        "full" => full(data),
        other => panic!("no fuzz target {other}"),
    }
}

/// A fixed "now" inside every fixture token's lifetime.
pub const NOW: i64 = 1_700_000_000;

const ED25519: &str = include_str!("../tests/fixtures/ed25519.private.jwk.json");
const RSA2048: &str = include_str!("../tests/fixtures/rsa2048.private.jwk.json");
const P256: &str = include_str!("../tests/fixtures/p256.private.jwk.json");

/// The public half of a fixture's private JWK.
fn public_jwk(private: &str) -> serde_json::Value {
    let mut jwk: serde_json::Value = serde_json::from_str(private).expect("fixture JSON");
    if let Some(object) = jwk.as_object_mut() {
        for member in ["d", "p", "q", "dp", "dq", "qi"] {
            object.remove(member);
        }
    }
    jwk
}

/// One key of each type the gate verifies (Ed25519 `pem-key`, RSA 2048, P-256).
pub fn fixture_keys() -> &'static KeySet {
    static KEYS: OnceLock<KeySet> = OnceLock::new();
    KEYS.get_or_init(|| {
        let set = serde_json::json!({ "keys": [public_jwk(ED25519), public_jwk(RSA2048), public_jwk(P256)] });
        KeySet::parse(&set.to_string()).expect("fixture key set")
    })
}

/// The fixture Ed25519 key pair, for signing fuzzed headers and payloads.
fn signing_key() -> &'static ed25519_compact::KeyPair {
    static KEY: OnceLock<ed25519_compact::KeyPair> = OnceLock::new();
    KEY.get_or_init(|| {
        let jwk: serde_json::Value = serde_json::from_str(ED25519).expect("fixture JSON");
        let d = Base64UrlUnpadded::decode_vec(jwk["d"].as_str().expect("d")).expect("d");
        ed25519_compact::KeyPair::from_seed(ed25519_compact::Seed::from_slice(&d).expect("seed"))
    })
}

/// A compact JWS of these exact header and payload bytes, signed with the fixture
/// Ed25519 key: lets the fuzzer reach the claim checks behind the signature.
pub fn sign(header: &[u8], payload: &[u8]) -> String {
    let signing_input = format!(
        "{}.{}",
        Base64UrlUnpadded::encode_string(header),
        Base64UrlUnpadded::encode_string(payload)
    );
    let signature = signing_key().sk.sign(signing_input.as_bytes(), None);
    format!("{signing_input}.{}", Base64UrlUnpadded::encode_string(signature.as_ref()))
}

fn options(database: Option<&str>) -> VerifyOptions {
    VerifyOptions { database: database.map(Target::from), now: NOW, ..VerifyOptions::default() }
}

/// Bytes as text: invalid UTF-8 becomes U+FFFD, as a JS string from bytes would.
fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// `token`: any text as a bearer token, against the fixture keys, with and without a
/// database, and through a `Verifier` (its cache included).
pub fn token(data: &[u8]) {
    let token = text(data);
    let keys = fixture_keys();
    let direct = verify_token(&token, keys, &options(None));
    let scoped = verify_token(&token, keys, &options(Some("db1")));
    if let Ok(grant) = &scoped {
        // Only a `p` token needs `database`; anything else valid for db1 is valid without.
        if let Err(e) = &direct {
            assert_eq!(
                e.code,
                libsql_authz::ErrorCode::TokenScope,
                "valid for db1, not without a database: {e:?}"
            );
        }
        check_grant(grant);
    }
    let mut verifier = Verifier::new(keys.clone(), options(Some("db1"))).expect("verifier");
    let first = verifier.verify(&token, NOW);
    let second = verifier.verify(&token, NOW);
    assert_eq!(first.is_ok(), scoped.is_ok(), "Verifier and verify_token disagree");
    assert_eq!(first.is_ok(), second.is_ok(), "the Verifier's cache changed the answer");
    if let (Err(a), Err(b)) = (&first, &scoped) {
        assert_eq!(a.code, b.code, "Verifier and verify_token disagree on the code");
    }
}

/// `keys`: any text as a key input (JWKS, JWK, JWK array, PEM, raw key). A set that
/// parses must export to a JWKS that parses to the same keys.
pub fn keys(data: &[u8]) {
    let input = text(data);
    let Ok(set) = KeySet::parse(&input) else { return };
    let exported = set.to_jwks().to_string();
    let again = KeySet::parse(&exported)
        .unwrap_or_else(|e| panic!("exported JWKS refused: {e:?}: {exported}"));
    assert_eq!(set.keys().len(), again.keys().len());
    for (a, b) in set.keys().iter().zip(again.keys()) {
        assert_eq!(a.public_jwk(), b.public_jwk());
        assert_eq!(a.kid(), b.kid());
        assert_eq!(a.algorithm(), b.algorithm());
    }
    // Verifying against it never panics either.
    let _ = verify_token(
        "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        &set,
        &options(None),
    );
}

/// `permissions`: each line as a CLI rule, all lines as a CLI rule list, and the whole
/// input as a `perm` claim. What parses round-trips.
pub fn permissions(data: &[u8]) {
    let input = text(data);
    let lines: Vec<String> = input.lines().map(str::to_owned).collect();
    for line in &lines {
        if let Ok(rule) = Rule::parse_cli(line) {
            let again = Rule::parse_cli(&rule.to_cli())
                .unwrap_or_else(|e| panic!("to_cli of {line:?} does not parse: {e}"));
            assert_eq!(rule, again, "CLI round trip of {line:?}");
        }
    }
    if let Ok(rules) = parse_cli_rules(&lines) {
        round_trip_claim(&rules);
    }
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        if let Ok(rules) = parse_perm_claim(&value) {
            round_trip_claim(&rules);
        }
    }
}

fn round_trip_claim(rules: &[Rule]) {
    let claim = perm_claim(rules);
    let again = parse_perm_claim(&claim)
        .unwrap_or_else(|e| panic!("perm_claim does not parse: {e:?}: {claim}"));
    // `all` may be written as an empty `t`; compare what the rules allow.
    assert_eq!(rules.len(), again.len());
    for (a, b) in rules.iter().zip(&again) {
        assert_eq!(a.actions, b.actions);
        assert_eq!(a.tables, b.tables);
    }
}

fn grant(access: AccessLevel, permissions: Option<Vec<Rule>>) -> Grant {
    Grant { permissions, ..Grant::new(access) }
}

fn grants() -> &'static [Grant; 4] {
    static GRANTS: OnceLock<[Grant; 4]> = OnceLock::new();
    GRANTS.get_or_init(|| {
        let rules = |items: &[&str]| {
            Some(items.iter().map(|r| Rule::parse_cli(r).expect("rule")).collect())
        };
        [
            grant(AccessLevel::ReadOnly, rules(&["nothing_at_all:data_read"])),
            grant(AccessLevel::ReadOnly, None),
            grant(AccessLevel::Full, rules(&["t,comments:data_read,data_add", "all:data_read"])),
            grant(AccessLevel::Full, None),
        ]
    })
}

/// The decision and the analysis agree: allowed exactly when the analysis has no error
/// and the grant allows every need; a read-only grant never allows a write.
fn check_grant(grant: &Grant) {
    for sql in ["SELECT * FROM t", "INSERT INTO comments VALUES (1)", "DROP TABLE t"] {
        check_sql(grant, sql);
    }
}

fn check_sql(grant: &Grant, sql: &str) {
    let decision = check_statement(grant, sql);
    let analysis = analyze(sql);
    let expected = analysis.error.is_none()
        && analysis
            .statements
            .iter()
            .all(|s| s.needs.iter().all(|need| check_need(grant, need).allowed));
    assert_eq!(decision.allowed, expected, "decision disagrees with the analysis: {sql:?}");
    if decision.allowed && grant.read_only() {
        let reads_only = |need: &Need| {
            matches!(
                need,
                Need::Table { action: Action::DataRead, .. }
                    | Need::AllTables(Action::DataRead)
                    | Need::Attach(_)
            )
        };
        assert!(
            analysis.statements.iter().all(|s| s.needs.iter().all(reads_only)),
            "a read-only grant allowed a write: {sql:?}"
        );
    }
    if decision.allowed {
        assert_eq!(decision.statements.len(), analysis.statements.len());
    }
}

/// `sql`: any text as SQL, under four grants (nothing, read-only, rules, full).
pub fn sql(data: &[u8]) {
    let sql = text(data);
    for grant in grants() {
        check_sql(grant, &sql);
    }
}

/// `full`: the whole path. Input `header \0 payload \0 sql` (missing parts take
/// defaults); the header and payload are signed with the fixture key, verified with
/// and without a database, and the SQL is checked under the grant.
pub fn full(data: &[u8]) {
    let mut parts = data.splitn(3, |b| *b == 0);
    let first = parts.next().unwrap_or_default();
    let (header, payload, sql) = match (parts.next(), parts.next()) {
        (None, _) => {
            (&br#"{"alg":"EdDSA","typ":"JWT","kid":"pem-key"}"#[..], first, &b"SELECT * FROM t"[..])
        }
        (Some(payload), None) => (first, payload, &b"SELECT * FROM t"[..]),
        (Some(payload), Some(sql)) => (first, payload, sql),
    };
    let token = sign(header, payload);
    let sql = text(sql);
    for database in [None, Some("db1")] {
        if let Ok(grant) = verify_token(&token, fixture_keys(), &options(database)) {
            check_sql(&grant, &sql);
            check_grant(&grant);
        }
    }
}
