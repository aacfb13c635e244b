## Virtual-table module arguments (issue 21): options that run code or read tables
CREATE VIRTUAL TABLE f USING fts4(x, compress=load_extension, uncompress=load_extension); INSERT INTO f VALUES ('/tmp/evil')
CREATE VIRTUAL TABLE f USING fts4(x, compress=fts3_tokenizer, uncompress=fts3_tokenizer); INSERT INTO f VALUES ('simple'); SELECT * FROM f
CREATE VIRTUAL TABLE f USING fts4(x, compress=lower, uncompress=upper); INSERT INTO f VALUES ('a'); SELECT * FROM f
CREATE VIRTUAL TABLE f USING fts4(x, compress=zeroblob, uncompress=hex); INSERT INTO f VALUES (1)
CREATE VIRTUAL TABLE f USING fts3(x, compress=load_extension); INSERT INTO f VALUES ('/tmp/evil')
CREATE VIRTUAL TABLE f USING fts4(x, tokenize=porter); INSERT INTO f VALUES ('running'); SELECT * FROM f WHERE f MATCH 'run'
CREATE VIRTUAL TABLE f USING fts4(x, tokenize=unicode61 "remove_diacritics=2", prefix="2,3", order=desc)
CREATE VIRTUAL TABLE f USING fts4(x, tokenize=mine)
CREATE VIRTUAL TABLE f USING fts4(x, frobnicate=1)
CREATE VIRTUAL TABLE f USING fts4(content="posts", title, body); SELECT * FROM f
CREATE VIRTUAL TABLE f USING fts4(title, body, content=posts, notindexed=body, matchinfo=fts3); SELECT * FROM f
CREATE VIRTUAL TABLE f USING fts5(title, body, content=posts, content_rowid=id); SELECT * FROM f
CREATE VIRTUAL TABLE f USING fts5(title, body, cont=posts); SELECT * FROM f
CREATE VIRTUAL TABLE f USING fts5(title, body, c='posts'); SELECT * FROM f
CREATE VIRTUAL TABLE f USING fts5(k, v, content=secrets); SELECT * FROM f
CREATE VIRTUAL TABLE f USING fts5(body, prefix='2 3', detail=column, columnsize=0); INSERT INTO f VALUES ('text'); SELECT * FROM f
CREATE VIRTUAL TABLE f USING fts5(body, content='', contentless_delete=1); INSERT INTO f(rowid, body) VALUES (1, 'x')
CREATE VIRTUAL TABLE f USING fts5(body, tokenize = 'porter ascii'); INSERT INTO f VALUES ('running'); SELECT * FROM f('run')
CREATE VIRTUAL TABLE f USING fts5(body, tokenize = 'trigram case_sensitive 1'); INSERT INTO f VALUES ('abc')
CREATE VIRTUAL TABLE f USING fts5(body, tokenize = 'mine')
CREATE VIRTUAL TABLE f USING fts5(body, frobnicate=1)
CREATE VIRTUAL TABLE f USING fts5(body); INSERT INTO f VALUES ('a b'); CREATE VIRTUAL TABLE v USING fts5vocab(f, row); SELECT * FROM v
CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, posts, 'col'); SELECT * FROM temp.v
CREATE VIRTUAL TABLE f USING fts4(body); INSERT INTO f VALUES ('a b'); CREATE VIRTUAL TABLE a USING fts4aux(f); SELECT * FROM a
CREATE VIRTUAL TABLE tok USING fts3tokenize(porter); SELECT token FROM tok WHERE input = 'running words'
CREATE VIRTUAL TABLE tok USING fts3tokenize('unicode61', 'remove_diacritics=0'); SELECT token FROM tok WHERE input = 'x'
CREATE VIRTUAL TABLE tok USING fts3tokenize(mine)
CREATE VIRTUAL TABLE r USING rtree(id, x0, x1, +label); INSERT INTO r VALUES (1, 0, 1, 'a'); SELECT * FROM r
CREATE VIRTUAL TABLE r USING rtree_i32(id, x0, x1); INSERT INTO r VALUES (1, 0, 1)
