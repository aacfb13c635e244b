// The gate's pure parts, without workerd: which SQL the Durable Object backend treats as
// transaction control (all of it is still checked), and which SQL texts of a pipeline get checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePipeline } from '../src/protocol/hrana.js';
import { planStateless } from '../src/storage/stateless.js';
import { transactionControl } from '../src/storage/transaction.js';
import { statementsOf, authorizePipeline } from '../src/authz/authorize.js';
import { generateKeyPair, createToken, verifyToken } from 'libsql-authz';

test('transaction control: one BEGIN/COMMIT/END/ROLLBACK statement, as SQLite parses it', () => {
  for (const [sql, kind] of [
    ['BEGIN', 'begin'],
    ['begin deferred', 'begin'],
    ['BEGIN IMMEDIATE', 'begin'],
    ['BEGIN EXCLUSIVE TRANSACTION;', 'begin'],
    ['BEGIN TRANSACTION READONLY', 'begin-readonly'],
    ['begin immediate transaction readonly;', 'begin-readonly'],
    ['  COMMIT ', 'commit'],
    ['END TRANSACTION', 'commit'],
    ['ROLLBACK', 'rollback'],
    ['ROLLBACK TRANSACTION', 'rollback'],
    // Comments and empty statements are SQLite's to skip: the text is still one BEGIN.
    ['BEGIN -- comment', 'begin'],
    ['/* x */ BEGIN', 'begin'],
    ['BEGIN;;', 'begin'],
    ['BEGIN TRANSACTION "READONLY"', 'begin'], // a quoted name is only a name
  ])
    assert.equal(transactionControl(sql), kind, sql);
  for (const sql of [
    'BEGIN; DROP TABLE t',
    'COMMIT; DELETE FROM t',
    'END; DELETE FROM t',
    'ROLLBACK TO sp',
    'SAVEPOINT sp',
    'RELEASE sp',
    'BEGIN\u00a0IMMEDIATE',
    'ROLLBACK TRANSACTION TO SAVEPOINT sp',
    'BEGINX',
    'SELECT 1',
    'BEGIN READONLY',
    'BEGIN TRANSACTION READONLY; DELETE FROM t',
  ])
    assert.equal(transactionControl(sql), null, JSON.stringify(sql));
});

test('every SQL text is collected: execute, batch steps, sequence, describe, store_sql, sql_id', () => {
  const { requests } = parsePipeline({
    baton: null,
    requests: [
      { type: 'store_sql', sql_id: 1, sql: 'S1' },
      { type: 'execute', stmt: { sql: 'E' } },
      {
        type: 'batch',
        batch: {
          steps: [
            { stmt: { sql_id: 1 } },
            { stmt: { sql: 'B2' }, condition: { type: 'ok', step: 0 } },
          ],
        },
      },
      { type: 'sequence', sql: 'Q' },
      { type: 'describe', sql: 'D' },
      { type: 'close_sql', sql_id: 1 },
      { type: 'execute', stmt: { sql_id: 1 } },
      { type: 'close' },
    ],
  });
  assert.deepEqual(
    statementsOf(requests).map((s) => [s.request, s.sql ?? `?${s.unknownId}`]),
    [
      [0, 'S1'],
      [1, 'E'],
      [2, 'S1'],
      [2, 'B2'],
      [3, 'Q'],
      [4, 'D'],
      [6, '?1'],
    ],
  );
  // on a stream bound to the token, ids stored earlier are trusted, but not one closed in this request
  assert.deepEqual(
    statementsOf(requests, { streamBound: true })
      .map((s) => s.unknownId)
      .filter((x) => x !== undefined),
    [1],
  );
  assert.deepEqual(
    statementsOf([{ type: 'execute', stmt: { sql_id: 9 } }], { streamBound: true }),
    [],
  );
});

test('one denied statement denies every request of the pipeline', () => {
  const { privateJwk, publicJwk } = generateKeyPair();
  const grant = verifyToken(createToken(privateJwk, { readOnly: true }), { keys: [publicJwk] });
  const requests = [
    { type: 'execute', stmt: { sql: 'SELECT 1' } },
    { type: 'execute', stmt: { sql: 'DELETE FROM t' } },
    { type: 'get_autocommit' },
    { type: 'close' },
  ];
  const res = authorizePipeline(grant, requests);
  assert.deepEqual(
    res.map((r) => (r.type === 'ok' ? 'ok' : r.error.code)),
    ['ERR_PIPELINE_DENIED', 'ERR_PERMISSION_DENIED', 'ERR_PIPELINE_DENIED', 'ok'],
  );
  assert.equal(authorizePipeline(grant, [requests[0], requests[3]]), null);
});

test('transaction control is checked like everything else (no bypass)', () => {
  const { privateJwk, publicJwk } = generateKeyPair();
  const grant = verifyToken(createToken(privateJwk, { readOnly: true }), { keys: [publicJwk] });
  const txn = ['BEGIN TRANSACTION READONLY', 'BEGIN IMMEDIATE', 'COMMIT', 'END', 'ROLLBACK'].map(
    (sql) => ({ type: 'execute', stmt: { sql } }),
  );
  assert.equal(authorizePipeline(grant, txn), null); // the package: kind begin/commit/rollback, no table
  const res = authorizePipeline(grant, [{ type: 'execute', stmt: { sql: 'BEGIN READONLY' } }]);
  assert.equal(res[0].error.code, 'ERR_SQL_PARSE');
  // A grant checkStatement refuses (freed) denies even a bare COMMIT: the gateway lets nothing through itself.
  grant.free();
  assert.equal(authorizePipeline(grant, [txn[2]])[0].error.code, 'ERR_OPTIONS_INVALID');
});

test('malformed pipelines are rejected before anything else', () => {
  for (const body of [
    null,
    [],
    { requests: {} },
    { requests: [{ type: 'nope' }] },
    { requests: [{ type: 'execute', stmt: { sql: 'x', sql_id: 1 } }] },
    {
      requests: [
        {
          type: 'batch',
          batch: { steps: [{ stmt: { sql: 'x' }, condition: { type: 'ok', step: 0 } }] },
        },
      ],
    },
    { baton: 5, requests: [] },
  ]) {
    assert.throws(() => parsePipeline(body), { code: 'HRANA_PROTO_ERROR' }, JSON.stringify(body));
  }
});

test('a stream-less upstream: stored SQL resolved, close / get_autocommit answered here, a sequence as a chained batch', () => {
  const { upstream, answer } = planStateless(
    [
      { type: 'store_sql', sql_id: 1, sql: 'INSERT INTO t VALUES (?)' },
      { type: 'get_autocommit' },
      {
        type: 'batch',
        batch: {
          steps: [
            { stmt: { sql: 'BEGIN' } },
            {
              stmt: { sql_id: 1, args: [{ type: 'integer', value: '1' }] },
              condition: { type: 'ok', step: 0 },
            },
            { stmt: { sql: 'COMMIT' }, condition: { type: 'ok', step: 1 } },
          ],
        },
      },
      { type: 'sequence', sql: 'SELECT 1; SELECT 2' },
      { type: 'describe', sql: 'SELECT 1' },
      { type: 'close_sql', sql_id: 1 },
      { type: 'close' },
    ],
    null,
  );
  assert.deepEqual(
    upstream.map((r) => r.type),
    ['batch', 'batch'],
  );
  assert.deepEqual(upstream[0].batch.steps[1].stmt, {
    sql: 'INSERT INTO t VALUES (?)',
    args: [{ type: 'integer', value: '1' }],
  });
  assert.deepEqual(upstream[1].batch.steps, [
    { stmt: { sql: 'SELECT 1', want_rows: false } },
    { stmt: { sql: 'SELECT 2', want_rows: false }, condition: { type: 'ok', step: 0 } },
  ]);
  const batchOk = {
    type: 'ok',
    response: { type: 'batch', result: { step_results: [], step_errors: [] } },
  };
  const failed = {
    type: 'ok',
    response: {
      type: 'batch',
      result: {
        step_results: [null, null],
        step_errors: [{ message: 'boom', code: 'SQLITE_ERROR' }, null],
      },
    },
  };
  const results = answer([batchOk, failed]);
  assert.deepEqual(results[1], {
    type: 'ok',
    response: { type: 'get_autocommit', is_autocommit: true },
  });
  assert.equal(results[2], batchOk);
  assert.deepEqual(results[3], { type: 'error', error: { message: 'boom', code: 'SQLITE_ERROR' } });
  assert.equal(results[4].error.code, 'GATEWAY_UPSTREAM_UNSUPPORTED');
  assert.deepEqual(
    [results[0], results[5], results[6]].map((r) => r.type),
    ['ok', 'ok', 'ok'],
  );
});

test('a stream-less upstream refuses a continued stream and a transaction left open', () => {
  const execute = (sql) => ({ type: 'execute', stmt: { sql } });
  assert.throws(() => planStateless([execute('SELECT 1')], 'stream-1'), {
    code: 'GATEWAY_UPSTREAM_UNSUPPORTED',
  });
  assert.throws(
    () => planStateless([execute('BEGIN'), execute('INSERT INTO t VALUES (1)')], null),
    {
      code: 'GATEWAY_UPSTREAM_UNSUPPORTED',
      message: /transaction left open/,
    },
  );
  assert.throws(() => planStateless([{ type: 'sequence', sql: 'BEGIN; SELECT 1' }], null), {
    code: 'GATEWAY_UPSTREAM_UNSUPPORTED',
  });
  const ended = planStateless([execute('BEGIN'), execute('SELECT 1'), execute('END')], null);
  assert.equal(ended.upstream.length, 3);
});
