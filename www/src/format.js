// Text for display: durations and dates, rules in the CLI's form, and a token's parts
// decoded (plain base64url decoding for the "decoded token" panel; the verdict is
// verifyToken's).

// ---------------------------------------------------------------- decoding (display only)
function decodePart(part) {
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '==='.slice((b64.length + 3) % 4));
  const text = new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  return JSON.parse(text);
}

export function decodeForDisplay(token) {
  const parts = token.split('.');
  const out = { parts, header: null, payload: null, problems: [] };
  if (parts.length !== 3)
    out.problems.push(`a JWT has 3 dot-separated parts; this has ${parts.length}`);
  try {
    out.header = decodePart(parts[0]);
  } catch {
    out.problems.push('the header is not base64url JSON');
  }
  if (parts.length > 1) {
    try {
      out.payload = decodePart(parts[1]);
    } catch {
      out.problems.push('the payload is not base64url JSON');
    }
  }
  return out;
}

// ---------------------------------------------------------------- time
export function formatDuration(seconds) {
  const s = Math.abs(Math.round(seconds));
  const d = Math.floor(s / 86400),
    hr = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60),
    sec = s % 60;
  if (d) return `${d}d ${hr}h ${m}m ${sec}s`;
  if (hr) return `${hr}h ${m}m ${sec}s`;
  if (m) return `${m}m ${sec}s`;
  return `${sec}s`;
}
export const formatDate = (epoch) =>
  new Date(epoch * 1000).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
export const nowSeconds = () => Math.floor(Date.now() / 1000);

export function countdownText(expiresAt) {
  if (expiresAt === null) return 'never expires';
  const left = expiresAt - nowSeconds();
  return left >= 0 ? `expires in ${formatDuration(left)}` : `expired ${formatDuration(left)} ago`;
}

/** A rule in the CLI's form, `comments:data_add,data_update`. */
export const ruleText = (r) =>
  `${r.tables === 'all' ? 'all' : r.tables.join(',')}:${r.actions.join(',')}`;
