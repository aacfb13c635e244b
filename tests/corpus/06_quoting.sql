## Identifier quoting: every style, case, schema prefix
SELECT * FROM secrets
SELECT * FROM SECRETS
SELECT * FROM "secrets"
SELECT * FROM [secrets]
SELECT * FROM `secrets`
SELECT * FROM "SeCrEtS"
SELECT * FROM main.secrets
SELECT * FROM MAIN."secrets"
SELECT * FROM "main".[secrets]
SELECT * FROM `main`.`Secrets`
SELECT k FROM t, secrets WHERE t.b = k
SELECT k FROM t, SECRETS WHERE t.b = k
SELECT k FROM t, "secrets" WHERE t.b = k
SELECT k FROM t, [secrets] WHERE t.b = k
SELECT k FROM t, `secrets` WHERE t.b = k
SELECT k FROM t, "SeCrEtS" WHERE t.b = k
SELECT k FROM t, main.secrets WHERE t.b = k
SELECT k FROM t, MAIN."secrets" WHERE t.b = k
SELECT k FROM t, "main".[secrets] WHERE t.b = k
SELECT k FROM t, `main`.`Secrets` WHERE t.b = k
DELETE FROM secrets
DELETE FROM SECRETS
DELETE FROM "secrets"
DELETE FROM [secrets]
DELETE FROM `secrets`
DELETE FROM "SeCrEtS"
DELETE FROM main.secrets
DELETE FROM MAIN."secrets"
DELETE FROM "main".[secrets]
DELETE FROM `main`.`Secrets`
INSERT INTO secrets VALUES ('k', 'v')
INSERT INTO SECRETS VALUES ('k', 'v')
INSERT INTO "secrets" VALUES ('k', 'v')
INSERT INTO [secrets] VALUES ('k', 'v')
INSERT INTO `secrets` VALUES ('k', 'v')
INSERT INTO "SeCrEtS" VALUES ('k', 'v')
INSERT INTO main.secrets VALUES ('k', 'v')
INSERT INTO MAIN."secrets" VALUES ('k', 'v')
INSERT INTO "main".[secrets] VALUES ('k', 'v')
INSERT INTO `main`.`Secrets` VALUES ('k', 'v')
UPDATE secrets SET v = 'x'
UPDATE SECRETS SET v = 'x'
UPDATE "secrets" SET v = 'x'
UPDATE [secrets] SET v = 'x'
UPDATE `secrets` SET v = 'x'
UPDATE "SeCrEtS" SET v = 'x'
UPDATE main.secrets SET v = 'x'
UPDATE MAIN."secrets" SET v = 'x'
UPDATE "main".[secrets] SET v = 'x'
UPDATE `main`.`Secrets` SET v = 'x'
DROP TABLE secrets
DROP TABLE SECRETS
DROP TABLE "secrets"
DROP TABLE [secrets]
DROP TABLE `secrets`
DROP TABLE "SeCrEtS"
DROP TABLE main.secrets
DROP TABLE MAIN."secrets"
DROP TABLE "main".[secrets]
DROP TABLE `main`.`Secrets`
SELECT 1 WHERE 'k' IN (SELECT k FROM secrets)
SELECT 1 WHERE 'k' IN (SELECT k FROM SECRETS)
SELECT 1 WHERE 'k' IN (SELECT k FROM "secrets")
SELECT 1 WHERE 'k' IN (SELECT k FROM [secrets])
SELECT 1 WHERE 'k' IN (SELECT k FROM `secrets`)
SELECT 1 WHERE 'k' IN (SELECT k FROM "SeCrEtS")
SELECT 1 WHERE 'k' IN (SELECT k FROM main.secrets)
SELECT 1 WHERE 'k' IN (SELECT k FROM MAIN."secrets")
SELECT 1 WHERE 'k' IN (SELECT k FROM "main".[secrets])
SELECT 1 WHERE 'k' IN (SELECT k FROM `main`.`Secrets`)
## Comments anywhere
SELECT * FROM/* comment */secrets
SELECT * FROM -- comment\nsecrets
SELECT/**/k/**/FROM/**/secrets
/* leading */ DELETE FROM secrets
-- leading line\nDELETE FROM secrets
SELECT 1 -- ; DROP TABLE t
SELECT 1 /* ; DROP TABLE t */
SELECT '; DROP TABLE t'
SELECT "a;b" FROM "Mixed Case"
SELECT 1; -- DROP TABLE t
SELECT 1; /* DROP TABLE t */
SELECT * FROM t WHERE b = '--' AND c = '/*'
SELECT * FROM t WHERE b = 'it''s' ; DELETE FROM secrets
SELECT [a b] FROM [Mixed Case]
SELECT "from" FROM "select"
SELECT * FROM 'secrets'
SELECT * FROM "sec""rets"
SELECT * FROM main . secrets
SELECT * FROM\tsecrets
SELECT * FROM\n\n  secrets\n
\n\n  SELECT 1\n\n

   
-- only a comment
/* only a block comment */
;
;;;
SELECT 1;;
