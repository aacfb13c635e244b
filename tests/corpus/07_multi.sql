## Several statements in one text: each is analysed, all must pass
SELECT 1; DROP TABLE t
SELECT * FROM t; DELETE FROM secrets
SELECT 1; SELECT * FROM secrets
BEGIN; INSERT INTO log VALUES ('x'); COMMIT
BEGIN; UPDATE t SET b = 'x'; DELETE FROM u; COMMIT;
SELECT 1;\nDROP TABLE secrets;
SELECT * FROM t;PRAGMA writable_schema=1
SELECT 1; ATTACH 'x' AS x
SELECT 1; VACUUM
SELECT 1; SELECT load_extension('x')
INSERT INTO log VALUES ('a'); INSERT INTO log VALUES ('b')
SAVEPOINT a; DELETE FROM log; RELEASE a
SELECT * FROM posts; SELECT * FROM comments; SELECT * FROM secrets
SELECT 1; EXPLAIN DELETE FROM secrets
CREATE TABLE z (a); DROP TABLE secrets
SELECT 1 ; ; SELECT 2
