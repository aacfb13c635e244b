//! The fuzz targets on the stable toolchain: every seed (`fuzz/seeds/<target>/`) and
//! every input a fuzzer ever crashed on (`tests/regressions/<target>/`) is run through
//! the same function the cargo-fuzz binary runs (`fuzz/targets.rs`). A crash found by
//! `make fuzz` is kept by copying the artifact into `tests/regressions/<target>/`.
//!
//! `cargo test --test regressions -- --ignored write_seeds` regenerates the seeds.

// Host only: this target needs files on disk and SQLite's C (rusqlite, through `common`), which wasm32 has not;
// under `wasm-pack test --node` it compiles to nothing.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../fuzz/targets.rs"]
mod targets;

// It brings the oracle module (`tests/common`) this file uses too.
#[path = "../fuzz/differential.rs"]
mod differential;

use differential::common;

use std::fs;
use std::path::{Path, PathBuf};

use libsql_authz::token::{create_token, Expiration, TokenOptions};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    files
}

fn replay(kind: &str) -> usize {
    let mut count = 0;
    for target in targets::TARGETS {
        for file in files(&Path::new(ROOT).join(kind).join(target)) {
            let data = fs::read(&file).expect("read");
            // A panic names the file in the test output.
            eprintln!("{target}: {}", file.display());
            targets::run(target, &data);
            count += 1;
        }
    }
    count
}

#[test]
fn crash_inputs_stay_fixed() {
    replay("tests/regressions");
}

/// The differential target (SQLite's authorizer against the analyser) on its seeds and
/// kept crash inputs.
#[test]
fn differential_seeds_and_crash_inputs_are_never_false_allows() {
    let mut count = 0;
    for kind in ["fuzz/seeds", "tests/regressions"] {
        for file in files(&Path::new(ROOT).join(kind).join("differential")) {
            let data = fs::read(&file).expect("read");
            eprintln!("differential: {}", file.display());
            differential::differential(&data);
            count += 1;
        }
    }
    assert!(count > 100, "the differential seeds are missing");
}

#[test]
fn seed_corpora_pass_every_target_invariant() {
    assert!(replay("fuzz/seeds") > 100, "the seed corpora are missing");
}

fn mint(options: TokenOptions, key: &str) -> String {
    create_token(key, &options).expect("mint")
}

/// Writes `fuzz/seeds/`: the SQL corpus, minted tokens, the fixture keys, permission
/// strings and claims.
#[test]
#[ignore]
fn write_seeds() {
    let seeds = Path::new(ROOT).join("fuzz/seeds");
    let write = |target: &str, name: String, data: &[u8]| {
        let dir = seeds.join(target);
        fs::create_dir_all(&dir).expect("mkdir");
        fs::write(dir.join(name), data).expect("write");
    };
    let corpus = common::corpus();
    for (i, sql) in corpus.iter().enumerate() {
        write("sql", format!("corpus-{i:04}"), sql.as_bytes());
    }
    // The differential target: every eighth corpus entry as a recipe with no edit (two
    // bytes of index; libFuzzer adds edits), and the issue-13 texts as raw text.
    for i in (0..corpus.len()).step_by(8) {
        write("differential", format!("corpus-{i:04}"), &[(i & 0xFF) as u8, (i >> 8) as u8]);
    }
    for (i, sql) in [
        "WITH \"\u{feff}secrets\" AS (SELECT 1) SELECT * FROM \u{feff}secrets",
        "CREATE VIRTUAL TABLE ft USING fts5(a,$b('));DELETE FROM secrets;SELECT 1 -- '))",
        "CREATE INDEX x ON secrets(iif(substr(v,1,1)='s', json('bad'), 1))",
        "UPDATE posts SET title = 'x' FROM json_each(posts.body)",
    ]
    .iter()
    .enumerate()
    {
        let mut data = vec![0xFF];
        data.extend_from_slice(sql.as_bytes());
        write("differential", format!("issue13-{i:02}"), &data);
    }
    for (i, sql) in [
        "SELECT ((((((((((1))))))))))",
        "SELECT CASE WHEN a THEN (SELECT 1 FROM (SELECT * FROM t)) ELSE 2 END FROM t",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT * FROM c, secrets",
        "SELECT 1; SELECT 2; INSERT INTO t VALUES (1); /* open",
        "SELECT 'a\u{0}b', x'00', \"\u{d7ff}\" FROM t",
    ]
    .iter()
    .enumerate()
    {
        write("sql", format!("extra-{i:02}"), sql.as_bytes());
    }

    let ed = include_str!("fixtures/ed25519.private.jwk.json");
    let rsa = include_str!("fixtures/rsa2048.private.jwk.json");
    let p256 = include_str!("fixtures/p256.private.jwk.json");
    let now = targets::NOW;
    let variants = || {
        vec![
            TokenOptions { now, ..TokenOptions::default() },
            TokenOptions {
                database: Some("db1".into()),
                read_only: true,
                expiration: Expiration::parse("7d").expect("exp"),
                now,
                ..TokenOptions::default()
            },
            TokenOptions {
                group: Some("g1".into()),
                permissions: Some(vec![
                    "comments:data_read,data_add".into(),
                    "all:data_read".into(),
                ]),
                expiration: Expiration::parse("1h").expect("exp"),
                now,
                ..TokenOptions::default()
            },
        ]
    };
    let mut n = 0;
    // `create_token` signs with Ed25519 only; RS256 / ES256 tokens come from jose in
    // tests/js/security.test.mjs.
    for key in [ed] {
        for options in variants() {
            write("token", format!("minted-{n:02}"), mint(options, key).as_bytes());
            n += 1;
        }
    }
    let headers = [
        r#"{"alg":"EdDSA","typ":"JWT","kid":"pem-key"}"#,
        r#"{"alg":"EdDSA"}"#,
        r#"{"alg":"Ed25519","kid":"other"}"#,
        r#"{"alg":"EdDSA","crit":["exp"]}"#,
    ];
    let payloads = [
        r#"{}"#,
        r#"{"id":"db1","a":"ro","exp":1700003600}"#,
        r#"{"gid":"g1","perm":[{"t":["comments"],"a":["data_add"]},"posts:data_read"]}"#,
        r#"{"p":{"ro":{"ns":["db1"]},"rw":{"ns":["db2"]},"roa":{"ns":["aux"]}}}"#,
        r#"{"exp":1e308,"nbf":-1,"iat":1.5}"#,
        r#"{"perm":[{"t":["all"],"a":["data_read","schema_add"]}],"iss":"x","aud":["y"]}"#,
        r#"{"a":"rw","a":"ro"}"#,
    ];
    let sqls = [
        "SELECT * FROM comments",
        "INSERT INTO comments VALUES (1); DELETE FROM t",
        "ATTACH 'aux' AS aux",
    ];
    let mut n = 0;
    for header in headers {
        for payload in payloads {
            write(
                "token",
                format!("signed-{n:02}"),
                targets::sign(header.as_bytes(), payload.as_bytes()).as_bytes(),
            );
            for sql in sqls {
                let input =
                    [header.as_bytes(), b"\0", payload.as_bytes(), b"\0", sql.as_bytes()].concat();
                write("full", format!("full-{n:03}"), &input);
                n += 1;
            }
        }
    }

    let public = |private: &str| {
        let mut jwk: serde_json::Value = serde_json::from_str(private).expect("json");
        for m in ["d", "p", "q", "dp", "dq", "qi"] {
            jwk.as_object_mut().expect("object").remove(m);
        }
        jwk
    };
    let all = serde_json::json!({"keys": [public(ed), public(rsa), public(p256)]});
    write("keys", "jwks".into(), all.to_string().as_bytes());
    write("keys", "ed25519-jwk".into(), public(ed).to_string().as_bytes());
    write("keys", "rsa-jwk".into(), public(rsa).to_string().as_bytes());
    write("keys", "p256-jwk".into(), public(p256).to_string().as_bytes());
    write(
        "keys",
        "array".into(),
        serde_json::json!([public(ed), public(p256)]).to_string().as_bytes(),
    );
    write("keys", "pem".into(), include_bytes!("fixtures/ed25519.public.pem"));
    write("keys", "raw".into(), public(ed)["x"].as_str().expect("x").as_bytes());
    write(
        "keys",
        "skipped".into(),
        br#"{"keys":[{"kty":"OKP","crv":"X25519","x":"AAAA"},{"kty":"EC","crv":"P-384","x":"AA","y":"AA"},{"kty":"OKP","crv":"Ed25519","x":"yhEdCb2sWjS6cwke1rHVducEKp3CAdOKPRmhWIk_uHU","use":"sig","key_ops":["verify"],"alg":"EdDSA","kid":"k"}]}"#,
    );

    for (i, perm) in [
        "comments:data_read,data_add",
        "all:data_read",
        "posts,comments:data_read\nall:schema_add,schema_update,schema_delete",
        "\"a.b\":data_delete",
        r#"[{"t":["comments"],"a":["data_add"]},"posts:data_read"]"#,
        r#"[{"t":["all"],"a":["data_update"]},{"a":["data_read"]}]"#,
        r#""comments:data_add""#,
    ]
    .iter()
    .enumerate()
    {
        write("permissions", format!("perm-{i:02}"), perm.as_bytes());
    }
}
