// The gateway's one base64 module: Hrana's blobs (standard base64, padded) and the
// batons' MACs (base64url, unpadded). atob / btoa exist in every runtime the gateway
// targets (workerd, Node).

/** `bytes` (an ArrayBuffer or a view) as a binary string, in chunks (no argument limit). */
function binaryString(bytes) {
  const view =
    bytes instanceof ArrayBuffer
      ? new Uint8Array(bytes)
      : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let binary = '';
  for (let i = 0; i < view.length; i += 0x8000)
    binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  return binary;
}

/** Standard base64 with padding, as Hrana sends a blob. */
export const toBase64 = (bytes) => btoa(binaryString(bytes));

/** base64url without padding. */
export const toBase64Url = (bytes) =>
  toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Bytes of base64 in either alphabet, padded or not; throws on anything else (atob). */
export function fromBase64(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
