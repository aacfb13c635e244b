// What the gateway's tests share.
import assert from 'node:assert/strict';

/**
 * The rejection of `promise`, after asserting its `code`: a string, a RegExp, or
 * `undefined` for an error that carries none.
 */
export async function rejects(promise, code) {
  const error = await promise.then(
    () => assert.fail('expected an error'),
    (e) => e,
  );
  if (code instanceof RegExp)
    assert.match(String(error.code), code, `${error.code}: ${error.message}`);
  else assert.equal(error.code, code, `${error.code}: ${error.message}`);
  return error;
}
