// The one error class of the package, in a module of its own so that every module that
// throws (the wasm through `__setErrorClass`, api.js, remote-jwks.js) builds the same
// class. Imports nothing: remote-jwks.js stays loadable on its own.

/** Every error the package throws: `code` is stable (`ERR_TOKEN_EXPIRED`, ...). */
export class AuthzError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {{ cause?: unknown }} [options] as for `Error` (the failed fetch of a remote JWKS)
   */
  constructor(code, message, options) {
    super(message, options);
    this.name = 'AuthzError';
    this.code = code;
  }
}
