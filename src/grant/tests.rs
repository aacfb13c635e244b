//! The spec's effective-permission rules, one test per rule.

use super::*;
use crate::permissions::Tables;
use crate::testing::{grant, test};

fn main(name: &str) -> TableName {
    TableName::main(name)
}

fn attached(db: &str, name: &str) -> TableName {
    TableName::new(Schema::Attached(db.into()), name)
}

#[test]
fn rule_1_read_only_allows_only_data_read_whatever_perm_says() {
    let ro =
        grant(AccessLevel::ReadOnly, Some(&["all:data_read,data_add,schema_add", "t:data_delete"]));
    assert!(ro.read_only());
    assert!(ro.allows(&main("t"), Action::DataRead));
    for action in Action::ALL.into_iter().filter(|a| *a != Action::DataRead) {
        assert!(!ro.allows(&main("t"), action), "{action}");
        assert!(!ro.allows_all_tables(action), "{action}");
    }
}

#[test]
fn rule_2_with_perm_some_rule_must_list_the_action_for_the_table_or_all() {
    let g = grant(AccessLevel::Full, Some(&["comments:data_add", "all:data_read"]));
    assert!(g.allows(&main("comments"), Action::DataAdd));
    assert!(g.allows(&main("Comments"), Action::DataAdd));
    assert!(!g.allows(&main("posts"), Action::DataAdd));
    assert!(g.allows(&main("posts"), Action::DataRead));
    assert!(!g.allows(&main("comments"), Action::DataDelete));
    assert!(!g.allows(&main("comments"), Action::SchemaDelete));
    assert!(!g.is_admin());
    // Read-only with perm: the rule still needs to list data_read.
    let ro = grant(AccessLevel::ReadOnly, Some(&["comments:data_read"]));
    assert!(ro.allows(&main("comments"), Action::DataRead));
    assert!(!ro.allows(&main("posts"), Action::DataRead));
}

#[test]
fn rule_3_without_perm_rw_allows_everything_and_ro_data_read() {
    let rw = grant(AccessLevel::Full, None);
    assert!(rw.is_admin());
    for action in Action::ALL {
        assert!(rw.allows(&main("anything"), action), "{action}");
        assert!(rw.allows(&TableName::new(Schema::Temp, "t"), action), "{action}");
        assert!(rw.allows_all_tables(action), "{action}");
    }
    let ro = grant(AccessLevel::ReadOnly, None);
    assert!(ro.allows(&main("anything"), Action::DataRead));
    assert!(ro.allows_all_tables(Action::DataRead));
    assert!(!ro.allows(&main("anything"), Action::DataUpdate));
    assert!(!ro.is_admin());
}

#[test]
fn rule_4_system_tables_are_always_readable() {
    let nothing = grant(AccessLevel::ReadOnly, Some(&[]));
    for name in [
        "sqlite_master",
        "sqlite_schema",
        "sqlite_temp_master",
        "sqlite_temp_schema",
        "SQLite_Schema",
    ] {
        assert!(nothing.allows(&main(name), Action::DataRead), "{name}");
        assert!(
            nothing.allows(&TableName::new(Schema::Temp, name), Action::DataRead),
            "temp.{name}"
        );
        assert!(!nothing.allows(&main(name), Action::DataAdd), "{name} is not writable");
    }
    assert!(!nothing.allows(&main("comments"), Action::DataRead));
    assert!(!nothing.allows(&main("sqlite_sequence"), Action::DataRead));
}

#[test]
fn named_rules_never_cover_temp_but_all_does() {
    let g = grant(AccessLevel::Full, Some(&["t:data_add"]));
    assert!(g.allows(&main("t"), Action::DataAdd));
    assert!(!g.allows(&TableName::new(Schema::Temp, "t"), Action::DataAdd));
    let all = grant(AccessLevel::Full, Some(&["all:data_add"]));
    assert!(all.allows(&TableName::new(Schema::Temp, "t"), Action::DataAdd));
}

#[test]
fn attached_databases_need_full_access_or_a_p_grant() {
    let rules = grant(AccessLevel::Full, Some(&["all:data_read,data_add"]));
    assert!(
        !rules.allows(&attached("aux", "t"), Action::DataRead),
        "no rule covers an attached database"
    );
    assert!(!rules.allows_attach("aux"));
    let admin = grant(AccessLevel::Full, None);
    assert!(admin.allows(&attached("aux", "t"), Action::SchemaAdd));
    assert!(admin.allows_attach("aux"));
    let ro = grant(AccessLevel::ReadOnly, None);
    assert!(!ro.allows(&attached("aux", "t"), Action::DataRead));
    assert!(!ro.allows_attach("aux"));

    let mut p = grant(AccessLevel::Full, Some(&[]));
    p.attach = vec![
        AttachGrant { namespace: "logs".into(), access: AccessLevel::ReadOnly },
        AttachGrant { namespace: "cache".into(), access: AccessLevel::Full },
    ];
    assert!(p.allows_attach("LOGS"));
    assert!(p.allows(&attached("logs", "t"), Action::DataRead));
    assert!(!p.allows(&attached("logs", "t"), Action::DataAdd));
    for action in [Action::DataRead, Action::DataAdd, Action::DataUpdate, Action::DataDelete] {
        assert!(p.allows(&attached("cache", "t"), action), "rwa: {action}");
    }
    for action in [Action::SchemaAdd, Action::SchemaUpdate, Action::SchemaDelete] {
        assert!(!p.allows(&attached("cache", "t"), action), "rwa is not schema: {action}");
    }
    assert!(!p.allows_attach("other"));
    assert!(!p.allows(&attached("other", "t"), Action::DataRead));
}

#[test]
fn allows_all_tables_needs_a_rule_for_all() {
    let g = grant(AccessLevel::Full, Some(&["t:schema_update", "all:data_read"]));
    assert!(!g.allows_all_tables(Action::SchemaUpdate));
    assert!(g.allows_all_tables(Action::DataRead));
    assert!(g.permissions.as_ref().unwrap().iter().any(|r| r.tables == Tables::All));
}
