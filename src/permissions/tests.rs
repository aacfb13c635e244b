//! The vocabulary: actions, the CLI form, the `perm` claim, identifier comparison.

use std::collections::HashSet;

use serde_json::json;

use super::*;
use crate::limits::MAX_IDENTIFIER_BYTES;
use crate::testing::test;

fn cli(text: &str) -> Rule {
    Rule::parse_cli(text).unwrap()
}

fn perm_code(value: serde_json::Value) -> ErrorCode {
    match parse_perm_claim(&value) {
        Ok(rules) => panic!("expected an error, got {rules:?}"),
        Err(error) => error.code,
    }
}

#[test]
fn every_spec_action_parses_and_nothing_else() {
    for action in Action::ALL {
        assert_eq!(Action::parse(action.as_str()), Some(action));
        assert_eq!(action.to_string(), action.as_str());
    }
    for bad in ["DATA_READ", "Data_Read", "read", "data-read", "data_read ", "", "all", "admin"] {
        assert_eq!(Action::parse(bad), None, "{bad}");
    }
}

#[test]
fn cli_form_named_tables() {
    let rule = cli("comments:data_add,data_update");
    assert_eq!(rule.tables, Tables::Named(vec![TableName::main("comments")]));
    assert_eq!(rule.actions, [Action::DataAdd, Action::DataUpdate]);
    let rule = cli("posts, comments : data_read");
    assert_eq!(
        rule.tables,
        Tables::Named(vec![TableName::main("posts"), TableName::main("comments")])
    );
    assert_eq!(rule.actions, [Action::DataRead]);
}

#[test]
fn cli_form_all_tables_any_case() {
    for text in ["all:data_read", "ALL:data_read", "All:data_read"] {
        assert_eq!(cli(text).tables, Tables::All, "{text}");
    }
}

#[test]
fn cli_form_errors() {
    for bad in [
        "comments",
        "comments:",
        "comments:drop_everything",
        "comments:data_read,",
        ":data_read",
        "a,,b:data_read",
        "all,comments:data_read",
        "comments:DATA_READ",
    ] {
        assert!(Rule::parse_cli(bad).is_err(), "{bad}");
    }
    let message = Rule::parse_cli("comments:data_insert").unwrap_err();
    assert!(
        message.ends_with(
            "the actions are data_read, data_add, data_update, data_delete, schema_add, \
             schema_update, schema_delete"
        ),
        "{message}"
    );
    let long = format!("{}:data_read", "t".repeat(MAX_IDENTIFIER_BYTES + 1));
    assert!(Rule::parse_cli(&long).is_err());
    let fits = format!("{}:data_read", "t".repeat(MAX_IDENTIFIER_BYTES));
    assert!(Rule::parse_cli(&fits).is_ok());
}

#[test]
fn cli_form_round_trips() {
    for text in [
        "all:data_read",
        "comments:data_add,data_update",
        "a,b:schema_add,schema_update,schema_delete",
    ] {
        assert_eq!(cli(text).to_cli(), text);
    }
}

#[test]
fn cli_rules_option_errors_are_options_invalid() {
    assert_eq!(parse_cli_rules(&["comments:data_read".into()]).unwrap().len(), 1);
    assert_eq!(
        parse_cli_rules(&["comments:nope".into()]).unwrap_err().code,
        ErrorCode::OptionsInvalid
    );
    let many: Vec<String> = (0..=MAX_PERMISSION_RULES).map(|i| format!("t{i}:data_read")).collect();
    assert_eq!(parse_cli_rules(&many).unwrap_err().code, ErrorCode::InputTooLarge);
    assert_eq!(parse_cli_rules(&many[1..]).unwrap().len(), MAX_PERMISSION_RULES);
}

#[test]
fn perm_claim_object_rules() {
    let rules = parse_perm_claim(&json!([
        {"t": ["comments"], "a": ["data_add", "data_update"]},
        {"a": ["data_read"]},
        {"t": [], "a": ["data_delete"]},
        {"t": ["ALL"], "a": ["schema_add"]},
    ]))
    .unwrap();
    assert_eq!(rules[0], cli("comments:data_add,data_update"));
    assert_eq!(rules[1].tables, Tables::All, "missing `t` is all");
    assert_eq!(rules[2].tables, Tables::All, "empty `t` is all");
    assert_eq!(rules[3].tables, Tables::All, "`all` in any case is all");
}

#[test]
fn perm_claim_string_rules() {
    let rules = parse_perm_claim(&json!(["comments:data_add", "all:data_read"])).unwrap();
    assert_eq!(rules, vec![cli("comments:data_add"), cli("all:data_read")]);
    assert_eq!(parse_perm_claim(&json!([])).unwrap(), vec![]);
}

#[test]
fn perm_claim_errors() {
    for bad in [
        json!({}),
        json!("all:data_read"),
        json!(null),
        json!([1]),
        json!([null]),
        json!([["comments"]]),
        json!([{"t": ["c"]}]),
        json!([{"t": ["c"], "a": ["data_read"], "x": 1}]),
        json!([{"t": "c", "a": ["data_read"]}]),
        json!([{"t": ["c"], "a": "data_read"}]),
        json!([{"t": [1], "a": ["data_read"]}]),
        json!([{"t": ["c"], "a": ["data_everything"]}]),
        json!([{"t": ["all", "c"], "a": ["data_read"]}]),
        json!([{"t": [""], "a": ["data_read"]}]),
        json!(["comments:unknown"]),
        json!(["no colon"]),
    ] {
        assert_eq!(perm_code(bad.clone()), ErrorCode::TokenClaims, "{bad}");
    }
}

#[test]
fn perm_claim_limits() {
    let rules: Vec<_> = (0..=MAX_PERMISSION_RULES).map(|_| json!({"a": ["data_read"]})).collect();
    assert_eq!(perm_code(json!(rules)), ErrorCode::InputTooLarge);
    assert!(parse_perm_claim(&json!(rules[1..])).is_ok());
    let tables: Vec<String> = (0..=MAX_PERMISSION_TABLES).map(|i| format!("t{i}")).collect();
    assert_eq!(perm_code(json!([{"t": tables, "a": ["data_read"]}])), ErrorCode::InputTooLarge);
    assert!(parse_perm_claim(&json!([{"t": tables[1..], "a": ["data_read"]}])).is_ok());
}

#[test]
fn perm_claim_written_for_minting_parses_back() {
    let rules = vec![cli("all:data_read"), cli("comments,posts:data_add,data_delete")];
    let claim = perm_claim(&rules);
    assert_eq!(
        claim,
        json!([{"a": ["data_read"]}, {"t": ["comments", "posts"], "a": ["data_add", "data_delete"]}])
    );
    assert_eq!(parse_perm_claim(&claim).unwrap(), rules);
}

#[test]
fn identifiers_compare_ascii_case_insensitively() {
    assert_eq!(TableName::main("Comments"), TableName::main("COMMENTS"));
    assert_ne!(
        TableName::main("Émile"),
        TableName::main("émile"),
        "only ASCII folds, as in SQLite"
    );
    assert_ne!(TableName::main("comments"), TableName::main("comment"));
    let set: HashSet<TableName> =
        [TableName::main("Posts"), TableName::main("posts")].into_iter().collect();
    assert_eq!(set.len(), 1, "hash agrees with equality");
}

#[test]
fn schema_prefixes() {
    assert_eq!(Schema::from_prefix("MAIN"), Schema::Main);
    assert_eq!(Schema::from_prefix("temp"), Schema::Temp);
    assert_eq!(Schema::from_prefix("Temporary"), Schema::Attached("temporary".into()));
    assert_eq!(Schema::from_prefix("Aux"), Schema::Attached("aux".into()));
    assert_ne!(TableName::main("t"), TableName::new(Schema::Temp, "t"));
    assert_ne!(TableName::main("t"), TableName::new(Schema::Attached("aux".into()), "t"));
    assert_eq!(TableName::new(Schema::Attached("aux".into()), "t").to_string(), "aux.t");
    assert_eq!(TableName::new(Schema::Temp, "t").to_string(), "temp.t");
    assert_eq!(TableName::main("t").to_string(), "t");
}

#[test]
fn system_tables() {
    for name in ["sqlite_master", "sqlite_schema", "sqlite_temp_master", "SQLITE_TEMP_SCHEMA"] {
        assert!(TableName::main(name).is_system_table(), "{name}");
        assert!(TableName::new(Schema::Temp, name).is_system_table(), "temp.{name}");
        assert!(
            !TableName::new(Schema::Attached("aux".into()), name).is_system_table(),
            "aux.{name}"
        );
    }
    for name in ["sqlite_sequence", "sqlite_stat1", "sqlite_masters", "comments"] {
        assert!(!TableName::main(name).is_system_table(), "{name}");
    }
}

#[test]
fn a_named_rule_matches_its_own_schema_only_and_all_matches_temp_too() {
    let named = cli("comments:data_read");
    assert!(named.allows(&TableName::main("COMMENTS"), Action::DataRead));
    assert!(!named.allows(&TableName::main("comments"), Action::DataAdd));
    assert!(!named.allows(&TableName::new(Schema::Temp, "comments"), Action::DataRead));
    assert!(!named
        .allows(&TableName::new(Schema::Attached("aux".into()), "comments"), Action::DataRead));
    let all = cli("all:data_read");
    assert!(all.allows(&TableName::main("x"), Action::DataRead));
    assert!(all.allows(&TableName::new(Schema::Temp, "x"), Action::DataRead));
    assert!(!all.allows(&TableName::new(Schema::Attached("aux".into()), "x"), Action::DataRead));
    assert!(!all.allows(&TableName::main("x"), Action::DataAdd));
}

#[test]
fn rule_table_names_are_read_as_sqlite_reads_names() {
    // Issue 13, finding 10: `main.comments`, `"comments"`, `[Comments]` and `comments`
    // name one table; a quoted name with a dot is one name; `temp.t` is the temp table.
    let comments = TableName::main("comments");
    for written in ["comments", "main.comments", "MAIN.Comments", "\"comments\"", "[Comments]"] {
        let from_cli = cli(&format!("{written}:data_read"));
        let from_claim = parse_perm_claim(&json!([{"t": [written], "a": ["data_read"]}])).unwrap();
        for rule in [&from_cli, &from_claim[0]] {
            assert!(rule.allows(&comments, Action::DataRead), "{written}");
            assert!(!rule.allows(&TableName::main("main.comments"), Action::DataRead), "{written}");
        }
    }
    let dotted = parse_perm_claim(&json!([{"t": ["\"a.b\""], "a": ["data_read"]}])).unwrap();
    assert!(dotted[0].allows(&TableName::main("a.b"), Action::DataRead));
    assert!(!dotted[0].allows(&TableName::new(Schema::Attached("a".into()), "b"), Action::DataRead));
    let temp = cli("temp.t:data_read");
    assert!(temp.allows(&TableName::new(Schema::Temp, "T"), Action::DataRead));
    assert!(!temp.allows(&TableName::main("t"), Action::DataRead));
    // "all" is every table only when written bare; quoted, it is a table named all.
    assert_eq!(cli("\"all\":data_read").tables, Tables::Named(vec![TableName::main("all")]));
}

#[test]
fn rule_table_names_that_are_not_names_of_the_database_are_refused() {
    // Another database's table (rules cover the token's database), and text that is no
    // SQL name at all: refused, never compared literally.
    for bad in ["aux.t", "temporary.t", "a.b", "a b", "1a", "a.b.c", "\"open", "t;"] {
        assert_eq!(
            perm_code(json!([{"t": [bad], "a": ["data_read"]}])),
            ErrorCode::TokenClaims,
            "{bad}"
        );
        let error = parse_cli_rules(&[format!("{bad}:data_read")]).unwrap_err();
        assert_eq!(error.code, ErrorCode::OptionsInvalid, "{bad}");
    }
    let message = parse_cli_rules(&["aux.t:data_read".into()]).unwrap_err().message;
    assert!(message.contains("another database"), "{message}");
}

#[test]
fn rules_with_quoted_names_are_minted_so_that_they_parse_back() {
    let rules = vec![cli("\"a.b\",temp.t,\"my t\":data_read")];
    let claim = perm_claim(&rules);
    assert_eq!(claim, json!([{"t": ["\"a.b\"", "temp.t", "\"my t\""], "a": ["data_read"]}]));
    assert_eq!(parse_perm_claim(&claim).unwrap(), rules);
    assert_eq!(rules[0].to_cli(), "\"a.b\",temp.t,\"my t\":data_read");
}
