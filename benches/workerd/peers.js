// Bundled by benches/workerd/run.mjs with esbuild into the Worker (jose's WebCrypto build).
export { jwtVerify, importJWK } from 'jose';
export { Parser } from 'node-sql-parser/build/sqlite';
