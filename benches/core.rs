//! Criterion benches of the core (host, native code): token verification per
//! algorithm, claims parsing, statement analysis on a mix, the decision step.
//! `make bench` runs them (`cargo bench --bench core`); the Node side-by-side numbers
//! are benches/node/bench.mjs. Tokens: benches/data/tokens.json (benches/node/make-tokens.mjs).
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use libsql_authz::decision::{check_analysis, check_statement};
use libsql_authz::sql::{analyze, AnalysisCache};
use libsql_authz::token::{verify_token, KeySet, TokenClaims, Verifier, VerifyOptions};
use serde_json::{Map, Value};

struct Data {
    now: i64,
    tokens: Vec<(String, String)>,
    jwks: String,
}

fn data() -> Data {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/data/tokens.json"))
            .expect("tokens.json");
    let value: Value = serde_json::from_str(&text).expect("json");
    let tokens = ["EdDSA", "ES256", "RS256"]
        .iter()
        .map(|alg| ((*alg).to_owned(), value["tokens"][alg].as_str().expect("token").to_owned()))
        .collect();
    Data { now: value["now"].as_i64().expect("now"), tokens, jwks: value["jwks"].to_string() }
}

/// The same mix as benches/node/statements.mjs.
fn statements() -> Vec<(&'static str, String)> {
    let values: Vec<String> = (0..200)
        .map(|i| format!("({i}, 'user{i}', 'comment number {i}', {})", i * 7 % 13))
        .collect();
    let mut nested = "SELECT id FROM comments WHERE id = 1".to_owned();
    for i in 0..20 {
        nested = format!("SELECT id FROM t{i} WHERE id IN ({nested})");
    }
    let mut joins = vec!["comments c0".to_owned()];
    joins.extend((0..9).map(|i| format!("JOIN t{} c{} ON c{}.id = c{i}.ref", i + 1, i + 1, i + 1)));
    vec![
        ("typical", "SELECT c.id, c.author, c.body, c.created_at FROM comments AS c WHERE c.post_id = ? AND c.deleted = 0 ORDER BY c.created_at DESC LIMIT 50 OFFSET 100".to_owned()),
        ("short select", "SELECT * FROM comments WHERE id = ?".to_owned()),
        ("short insert", "INSERT INTO comments (post_id, body) VALUES (?, ?)".to_owned()),
        ("short update", "UPDATE comments SET body = ? WHERE id = ?".to_owned()),
        ("short delete", "DELETE FROM comments WHERE id = ?".to_owned()),
        ("10-way join", format!("SELECT c0.id, c9.id FROM {} WHERE c0.id > 10", joins.join(" "))),
        ("INSERT 200 rows", format!("INSERT INTO comments (id, author, body, score) VALUES {}", values.join(", "))),
        ("nested subqueries x20", nested),
    ]
}

fn options(now: i64) -> VerifyOptions {
    VerifyOptions { database: Some("db1".into()), now, ..VerifyOptions::default() }
}

fn tokens(c: &mut Criterion) {
    let data = data();
    let keys = KeySet::parse(&data.jwks).expect("jwks");
    let mut group = c.benchmark_group("verify_token");
    for (alg, token) in &data.tokens {
        group.bench_with_input(BenchmarkId::from_parameter(alg), token, |b, token| {
            b.iter(|| verify_token(black_box(token), &keys, &options(data.now)).expect("verifies"))
        });
    }
    group.finish();
    let mut group = c.benchmark_group("verifier_repeated");
    for (alg, token) in &data.tokens {
        let mut verifier = Verifier::new(keys.clone(), options(0)).expect("verifier");
        group.bench_with_input(BenchmarkId::from_parameter(alg), token, |b, token| {
            b.iter(|| verifier.verify(black_box(token), data.now).expect("verifies"))
        });
    }
    group.finish();
    c.bench_function("key_set_parse", |b| {
        b.iter(|| KeySet::parse(black_box(&data.jwks)).expect("jwks"))
    });

    let payload = {
        let token = &data.tokens[0].1;
        let part = token.split('.').nth(1).expect("payload");
        use base64ct::{Base64UrlUnpadded, Encoding};
        let bytes = Base64UrlUnpadded::decode_vec(part).expect("base64");
        serde_json::from_slice::<Map<String, Value>>(&bytes).expect("json")
    };
    c.bench_function("claims_parse", |b| {
        b.iter(|| TokenClaims::parse(black_box(&payload)).expect("claims"))
    });
}

fn sql(c: &mut Criterion) {
    let data = data();
    let keys = KeySet::parse(&data.jwks).expect("jwks");
    let grant = verify_token(&data.tokens[0].1, &keys, &options(data.now)).expect("grant");
    let mut group = c.benchmark_group("analyze");
    for (label, sql) in statements() {
        group.throughput(Throughput::Bytes(sql.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(label), &sql, |b, sql| {
            b.iter(|| analyze(black_box(sql)))
        });
    }
    group.finish();
    let mut group = c.benchmark_group("check_statement");
    for (label, sql) in statements() {
        group.throughput(Throughput::Bytes(sql.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(label), &sql, |b, sql| {
            b.iter(|| check_statement(&grant, black_box(sql)))
        });
    }
    group.finish();
    // What the package does for a text seen before: the memo's lookup, then the decision.
    let mut group = c.benchmark_group("check_statement_memoized");
    let mut cache = AnalysisCache::default();
    for (label, sql) in statements() {
        group.throughput(Throughput::Bytes(sql.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(label), &sql, |b, sql| {
            b.iter(|| check_analysis(&grant, &cache.analyze(black_box(sql))))
        });
    }
    group.finish();
    // The decision step alone: the needs of the typical statement against the grant.
    let analysis = analyze(&statements()[0].1);
    let needs: Vec<_> = analysis.statements.iter().flat_map(|s| s.needs.iter().cloned()).collect();
    c.bench_function("decision_step_typical", |b| {
        b.iter(|| {
            needs
                .iter()
                .map(|need| libsql_authz::decision::check_need(&grant, black_box(need)))
                .filter(|c| c.allowed)
                .count()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_millis(300)).measurement_time(std::time::Duration::from_secs(1));
    targets = tokens, sql
}
criterion_main!(benches);
