// The cursor answer of `POST /v3/cursor` (Hrana 3): a stream of JSON lines, first
// `{ baton, base_url }`, then one entry per line. The gateway runs the cursor's batch as
// one pipeline `batch` request and writes its result out as entries, in step order:
// `step_begin`, a `row` per row, `step_end` for a step that ran; `step_error` for one that
// failed; nothing for one whose condition was false; `error` when the whole batch failed
// (a denial, a stream that expired).

/** The entries of a pipeline result (`{ type: "ok" | "error", ... }`) of one `batch`. */
export function cursorEntries(result) {
  if (result?.type !== 'ok') return [{ type: 'error', error: result?.error }];
  const { step_results: results = [], step_errors: errors = [] } = result.response.result;
  const entries = [];
  for (const [step, stepResult] of results.entries()) {
    if (stepResult) {
      entries.push({ type: 'step_begin', step, cols: stepResult.cols });
      for (const row of stepResult.rows) entries.push({ type: 'row', row });
      const { affected_row_count, last_insert_rowid, rows_read, rows_written } = stepResult;
      entries.push({
        type: 'step_end',
        affected_row_count,
        last_insert_rowid,
        rows_read,
        rows_written,
      });
    } else if (errors[step]) {
      entries.push({ type: 'step_error', step, error: errors[step] });
    }
  }
  return entries;
}

/** The HTTP answer: the `{ baton, base_url }` line, then each entry on its own line. */
export function cursorResponse(baton, entries) {
  const lines = [{ baton, base_url: null }, ...entries].map((line) => `${JSON.stringify(line)}\n`);
  return new Response(lines.join(''), { headers: { 'content-type': 'text/plain' } });
}
