// Signature arithmetic by the host's native crypto, for the runtimes that have
// `node:crypto`'s synchronous one-shot `verify` (Node, Bun, workerd with nodejs_compat).
// The wasm core still decides everything else: structure, header, which key, the
// signature's length, claims, time and scope; it asks `host.verify(alg, keyJson,
// message, signature)` only "is this signature valid?", and does the arithmetic itself
// when the answer is not a boolean or the call throws. The same check compiled to wasm
// is 2 to 30 times slower (BENCHMARKS.md).
//
// A host is used only after it passed a self-test for the algorithm, on first use: a
// known signature must verify and the same signature with one bit flipped must not. A
// polyfill that cannot verify, or that accepts anything, is never trusted.

/** Most public keys kept imported; past it the map starts over. */
const MAX_IMPORTED_KEYS = 256;

// Known-answer vectors: the message, and for each algorithm a public JWK and a
// signature of the message by its private key (made once with node:crypto).
const SELF_TEST_MESSAGE = 'libsql-authz host self-test';
const SELF_TEST = {
  EdDSA: {
    key: { crv: 'Ed25519', x: 'PW7QAeOYn5RfdKsHjMLgFgO1X3ofbntw0kcooLBWsXg', kty: 'OKP' },
    signature:
      '5TiNJovlmyB_9Sg-CxgJSEPjOwQXAs_dcGjeen7d8eGnQIEJJZG7jvyYt1YyJRN3h9umVOJl9D6-VLZuF2-FCg',
  },
  ES256: {
    key: {
      kty: 'EC',
      x: 'QMC_oHY0mxGFjuRLz4Tfp9-JwkCRgpiK-8lA_ssBzB4',
      y: 'NTdoVqwSFHm8JBReujuNvFQyX2lQQjKPnsEZBg1NldY',
      crv: 'P-256',
    },
    signature:
      '7rfZLIYUhc039MVdhjd_cnzA9b4Q8wf0LMLVTf2AIwzvEvjanW4HiR7WHteLofzUcW22dF5ZbctiBioAuOst9Q',
  },
  RS256: {
    key: {
      kty: 'RSA',
      n: '4oPbcTsZH5K3K-yHiRcasfrHjcdV376xiwnI6yZBe9lUTzLZlbnE356G1zwO4Y5ik7blrXEt4ZB6VyPzJm7ba5p0kC4JUOT3oKo7XIKDiytT1fY-HRA5X-AXJEFi_oepjKCNeQ5KDG3CAQU15D3S6C4rvncHSQ2zsmT3y2wksvUQfpg0UMXTc1EofgONq260W5yrU2nBfx4Nf4WbZqAvJTRtoH5W7F-5nu99oJhC8WC9R9fiPMIp3gKwyHsxp34fPCvdjNvRD3jRKZwosNuzkYLdkkMvOfhxjGXF_7Eas6xsgadACFnu-88xN2xB9eHeBBhUS0apUJppHnXfmj8fhw',
      e: 'AQAB',
    },
    signature:
      '1N1tyTuRJQDgsmuTxeWF8WHZdefj2qJ0ohPFNsOnm_EKBWr6wavJ_gv2GlZQwiEb3i1FDAb0YLDMuLFnYCxqBYjZ4CxfNJAQ6pXAHLyRL__AnoYTlVn-e9-aTrwlAwDIcnFY4YguAHZ8uYKi3VKKBV2qQDyYFWso2tCMf6SBvUK6FcdJRGgc_LyXQmubvX53akaHLaI31XFlYe45tYh1OGvNneV700btLH6pGC84LvaLV-l0_kuLa4lUYIPSvDbOg5V2TQc3cFS0gGkAxt1cQ43RAvpVRI0Z0hPS_AjXFt4FnSrxu-CqSKWXxCBPUdKZj09ADBx7b3TzCb4HTPvW0A',
  },
};

/** base64url text (no padding) as bytes; also used by benches/workerd/worker.js. */
export const decodeBase64Url = (text) =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/**
 * An ES256 signature, `r || s` (RFC 7518 §3.4, 32 bytes each), as the DER
 * `SEQUENCE { INTEGER r, INTEGER s }` that node:crypto reads by default. (Its
 * `dsaEncoding: 'ieee-p1363'` option is refused by workerd with a KeyObject.) Also the
 * floor of benches/workerd/worker.js.
 */
export function derSignature(signature) {
  // Each INTEGER: its bytes without leading zeros, after one 0 if the top bit is set
  // (a positive value, X.690 §8.3). Every length is under 128: one length byte.
  const integers = [signature.subarray(0, 32), signature.subarray(32, 64)].map((bytes) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
    return { body: bytes.subarray(start), pad: bytes[start] >> 7 };
  });
  const length = integers.reduce((sum, { body, pad }) => sum + 2 + pad + body.length, 0);
  const der = new Uint8Array(2 + length);
  der[0] = 0x30;
  der[1] = length;
  let at = 2;
  for (const { body, pad } of integers) {
    der[at] = 0x02;
    der[at + 1] = pad + body.length;
    at += 2 + pad; // the pad byte, if any, is already 0
    der.set(body, at);
    at += body.length;
  }
  return der;
}

/**
 * A signature host over the `node:crypto` module that `loadCrypto()` returns. It is
 * loaded on the first signature check, not before: importing node:crypto costs Node 20
 * about 6 ms, which would otherwise be paid at every cold start, by processes that
 * only ever check statements too. A module without the synchronous one-shot API (or a
 * loader that throws) leaves every signature to the wasm.
 */
export function nodeCryptoHost(loadCrypto) {
  let crypto;
  const usable = () => {
    if (crypto === undefined) {
      try {
        crypto = loadCrypto() ?? null;
      } catch {
        crypto = null;
      }
      if (typeof crypto?.verify !== 'function' || typeof crypto?.createPublicKey !== 'function')
        crypto = null;
    }
    return crypto !== null;
  };
  const imported = new Map();
  // alg -> true (passed), false (failed: always answer undefined)
  const trusted = new Map();

  const importKey = (jwk) => crypto.createPublicKey({ key: jwk, format: 'jwk' });
  const keyFor = (keyJson) => {
    let key = imported.get(keyJson);
    if (key === undefined) {
      if (imported.size >= MAX_IMPORTED_KEYS) imported.clear();
      key = importKey(JSON.parse(keyJson));
      imported.set(keyJson, key);
    }
    return key;
  };
  const check = (alg, key, message, signature) => {
    switch (alg) {
      case 'EdDSA':
        return crypto.verify(null, message, key, signature);
      case 'RS256':
        return crypto.verify('sha256', message, key, signature);
      case 'ES256':
        return crypto.verify('sha256', message, key, derSignature(signature));
      default:
        return undefined;
    }
  };
  const selfTest = (alg) => {
    try {
      const vector = SELF_TEST[alg];
      const key = importKey(vector.key);
      const message = new TextEncoder().encode(SELF_TEST_MESSAGE);
      const good = decodeBase64Url(vector.signature);
      const bad = good.slice();
      bad[bad.length >> 1] ^= 1;
      return check(alg, key, message, good) === true && check(alg, key, message, bad) === false;
    } catch {
      return false;
    }
  };

  return {
    verify(alg, keyJson, message, signature) {
      let ok = trusted.get(alg);
      if (ok === undefined) {
        ok = Object.hasOwn(SELF_TEST, alg) && usable() && selfTest(alg);
        trusted.set(alg, ok);
      }
      return ok ? check(alg, keyFor(keyJson), message, signature) : undefined;
    },
  };
}
