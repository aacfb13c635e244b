// The local database: a SQLite-backed Durable Object (real SQLite inside workerd, the same
// engine local D1 runs on). It executes an already-authorized Hrana pipeline. It never
// authorizes anything: the Worker in index.js does that before calling it.
//
// SQLite-backed Durable Objects refuse BEGIN/COMMIT/ROLLBACK and SAVEPOINT in SQL; atomic
// work goes through ctx.storage.transactionSync(), which cannot stay open between calls.
// So the runner interprets transaction control itself:
//  - within one request, BEGIN opens transactionSync() and the statements up to the
//    matching COMMIT (or ROLLBACK, which throws to undo) run inside it;
//  - a transaction still open at the end of a request (client.transaction()) is rolled
//    back, and its statements and their results are kept with the stream (baton). The next
//    request on the stream replays them inside a new transactionSync(), and if any result
//    differs from what the client was told, the database changed underneath: the
//    transaction fails with SQLITE_BUSY (optimistic concurrency; nothing is committed).
//    Only a COMMIT makes it durable, replay and all, in one synchronous step.
//
// READONLY transactions (libSQL's `BEGIN TRANSACTION READONLY`, client.transaction("read")):
// a statement the package's analyser finds needing anything but data_read (or cannot
// analyse) fails with SQLITE_READONLY before it runs, and such a transaction is never
// committed: its COMMIT rolls back, so no write can become durable through it even if the
// analyser missed one (fail closed).
import { DurableObject } from 'cloudflare:workers';
import { hranaError } from '../protocol/hrana.js';
import { Runner } from './runner.js';

const STREAM_IDLE_MS = 60_000;
const MAX_STREAMS = 1000;

export class SqliteDatabase extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.streams = new Map(); // stream id -> { stored, log, lastUsed }; in memory: lost on eviction
  }

  /**
   * RPC from the Worker: runs the requests on a new stream (streamId null) or continues one.
   * Returns `{ results, streamId }` (streamId null when the stream closed) or `{ error }`.
   */
  pipeline(requests, streamId = null) {
    const now = Date.now();
    for (const [id, s] of this.streams)
      if (now - s.lastUsed > STREAM_IDLE_MS) this.streams.delete(id);
    let stream = null;
    if (streamId !== null) {
      stream = this.streams.get(streamId);
      if (!stream)
        return {
          error: hranaError(
            'stream expired or unknown (idle for more than 60 s, or the database restarted)',
            'STREAM_EXPIRED',
          ),
        };
      this.streams.delete(streamId); // a baton is good for one request
    }
    const runner = new Runner(this.ctx.storage, requests, stream);
    const results = runner.run();
    if (requests.some((r) => r.type === 'close')) return { results, streamId: null };
    while (this.streams.size >= MAX_STREAMS) this.streams.delete(this.streams.keys().next().value);
    const id = crypto.randomUUID();
    this.streams.set(id, {
      stored: runner.stored,
      log: runner.openLog,
      readonly: runner.openLog !== null && runner.readonly,
      lastUsed: now,
    });
    return { results, streamId: id };
  }
}
