## Transactions, pragmas, attach, vacuum, functions, explain, system tables
BEGIN
BEGIN DEFERRED
BEGIN IMMEDIATE TRANSACTION
BEGIN EXCLUSIVE
COMMIT
END TRANSACTION
ROLLBACK
SAVEPOINT sp
RELEASE sp
RELEASE SAVEPOINT sp
ROLLBACK TO sp
ROLLBACK TRANSACTION TO SAVEPOINT sp
PRAGMA table_info(t)
PRAGMA table_info('secrets')
PRAGMA table_info("posts")
PRAGMA main.table_info(t)
PRAGMA temp.table_info(tt)
PRAGMA aux.table_info(w)
PRAGMA table_xinfo(secrets)
PRAGMA index_list(t)
PRAGMA index_info(t_b)
PRAGMA index_xinfo(t_b)
PRAGMA foreign_key_list(comments)
PRAGMA foreign_key_check
PRAGMA foreign_key_check(comments)
PRAGMA integrity_check
PRAGMA quick_check
PRAGMA table_info = t
PRAGMA user_version
PRAGMA user_version = 5
PRAGMA schema_version
PRAGMA journal_mode
PRAGMA journal_mode = WAL
PRAGMA journal_mode(DELETE)
PRAGMA foreign_keys
PRAGMA foreign_keys = ON
PRAGMA foreign_keys = 0
PRAGMA writable_schema = 1
PRAGMA page_size
PRAGMA page_count
PRAGMA database_list
PRAGMA table_list
PRAGMA compile_options
PRAGMA function_list
PRAGMA collation_list
PRAGMA encoding
PRAGMA cache_size = 100
PRAGMA synchronous = OFF
PRAGMA optimize
PRAGMA wal_checkpoint
PRAGMA wal_checkpoint(TRUNCATE)
PRAGMA shrink_memory
PRAGMA incremental_vacuum
PRAGMA secure_delete = 1
PRAGMA trusted_schema = 1
PRAGMA query_only = 1
PRAGMA nosuchpragma
PRAGMA nosuchpragma = 1
SELECT * FROM pragma_table_info('t')
SELECT * FROM pragma_table_info('secrets')
SELECT name FROM pragma_table_info('posts', 'main')
SELECT * FROM pragma_table_info('w', 'aux')
SELECT * FROM pragma_index_list('t')
SELECT * FROM pragma_index_info('t_b')
SELECT * FROM pragma_database_list
SELECT * FROM pragma_compile_options()
SELECT * FROM pragma_function_list
SELECT * FROM sqlite_master m, pragma_table_info(m.name) p
SELECT * FROM pragma_foreign_key_list('comments')
SELECT * FROM pragma_integrity_check
SELECT * FROM pragma_user_version
SELECT * FROM pragma_journal_mode
ATTACH ':memory:' AS other
ATTACH DATABASE 'aux2' AS aux2
ATTACH 'aux2' AS "aux2"
ATTACH 'x' AS y
DETACH aux
DETACH DATABASE aux
VACUUM
VACUUM main
VACUUM INTO '/tmp/x.db'
SELECT load_extension('x')
SELECT "load_extension"('x')
SELECT LOAD_EXTENSION('x', 'y')
SELECT fts3_tokenizer('simple')
SELECT * FROM t WHERE b = load_extension('x')
SELECT * FROM dbstat
SELECT * FROM dbstat('main')
SELECT * FROM sqlite_dbpage
SELECT * FROM main.dbstat
SELECT 1 WHERE 1 IN (SELECT pageno FROM dbstat)
SELECT sqlite_version(), changes(), last_insert_rowid()
SELECT printf('%d', 1), quote('x'), unicode('a')
SELECT json('{}'), json_extract('{"a":1}', '$.a')
SELECT * FROM generate_series(1, 3)
EXPLAIN SELECT * FROM t
EXPLAIN QUERY PLAN SELECT * FROM secrets
EXPLAIN DELETE FROM t
EXPLAIN QUERY PLAN UPDATE t SET b = 1
EXPLAIN INSERT INTO log VALUES (1)
EXPLAIN CREATE TABLE z (a)
EXPLAIN DROP TABLE t
EXPLAIN PRAGMA user_version = 1
EXPLAIN VACUUM
## Issue 13: a pragma function's hidden columns name its table and database
SELECT * FROM pragma_table_info WHERE arg = 'secrets'
SELECT * FROM pragma_table_info('t') WHERE schema = 'aux'
SELECT * FROM pragma_index_list WHERE arg = 'secrets'
