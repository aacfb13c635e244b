// Renders bench results (benches/results/*.json) as a Markdown table and an SVG chart.
const fmt = (us) =>
  us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us >= 1 ? us.toFixed(2) : us.toFixed(3);
const fmtRatio = (r) => `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`;
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

/** Rows of (group, peer) with ours and the peer's time and the in-round ratio. */
function comparisons(results) {
  const out = [];
  for (const { group, rows } of results.groups) {
    const ours = rows.find((r) => r.ours);
    for (const r of rows) {
      if (r.ours) continue;
      out.push({ group, ours, peer: r });
    }
  }
  return out;
}

export function renderTable(results, workerd) {
  const lines = [];
  const m = results.machine;
  lines.push(
    `Run ${results.date}: ${m.cpu}, ${m.cores} cores (shared), ${m.platform}, Node ${m.node}, load average ${m.loadavg.join(' / ')}; ` +
      `${results.rounds} interleaved rounds, medians; peers ${Object.entries(results.versions)
        .map(([n, v]) => `${n} ${v}`)
        .join(', ')}.`,
  );
  lines.push('');
  lines.push(
    "Ratio = the peer's time / libsql-authz's time, measured in the same round (median over rounds): above 1× libsql-authz is faster.",
  );
  lines.push('');
  lines.push('| case | libsql-authz (µs/op) | peer | peer (µs/op) | ratio |');
  lines.push('|---|---:|---|---:|---:|');
  for (const { group, rows } of results.groups) {
    const ours = rows.filter((r) => r.ours);
    const main = ours.find((r) => !r.secondary);
    for (const r of rows) {
      if (r === main) continue;
      const label = r.ours ? `${r.name} (also ours)` : r.name;
      lines.push(
        `| ${group} | ${fmt(main.us)} | ${label} | ${fmt(r.us)} | ${fmtRatio(r.ratioVsOurs)} |`,
      );
    }
    if (rows.length === 1)
      lines.push(`| ${group} | ${fmt(main.us)} | (peer cannot parse it) | - | - |`);
  }
  lines.push('');
  lines.push('Statements, per byte (ns/byte):');
  lines.push('');
  lines.push('| statement | bytes | libsql-authz | node-sql-parser |');
  lines.push('|---|---:|---:|---:|');
  for (const { group, rows } of results.groups) {
    if (!group.startsWith('statement: ')) continue;
    const label = group.slice('statement: '.length);
    const ours = rows.find((r) => r.ours);
    const peer = rows.find((r) => !r.ours);
    lines.push(
      `| ${label} | ${results.statementSupport[label].bytes} | ${ours.nsPerByte.toFixed(1)} | ${peer ? peer.nsPerByte.toFixed(1) : 'cannot parse'} |`,
    );
  }
  const c = results.coldStart;
  lines.push('');
  lines.push(
    `Cold start in a fresh Node process (median of ${c.runs}): \`import('libsql-authz')\` (read + compile + instantiate the wasm) **${c.load.toFixed(2)} ms**, ` +
      `first call after it ${c.firstCall.toFixed(2)} ms. Node's own first \`import()\` of an empty module takes ${c.emptyImport.toFixed(2)} ms; ` +
      `\`require\` of the CommonJS entry ${c.require.toFixed(2)} ms; compiling the wasm bytes alone (\`new WebAssembly.Module\`, the floor of any load) ${c.compile.toFixed(2)} ms. ` +
      `A whole process that loads the package and checks one statement: ${c.processWall.toFixed(0)} ms, against ${c.emptyProcessWall.toFixed(0)} ms for an empty one.`,
  );
  lines.push('');
  const s = results.size;
  lines.push(
    `Wasm size: **${kb(s.raw)} raw, ${kb(s.gzip)} gzip -9, ${kb(s.brotli)} brotli -q 11** (${s.raw} / ${s.gzip} / ${s.brotli} bytes).`,
  );
  if (workerd) {
    lines.push('');
    lines.push(
      `Inside workerd ${workerd.workerdVersion} (${workerd.method}; ${workerd.rounds} interleaved rounds, medians):`,
    );
    lines.push('');
    lines.push('| case | libsql-authz (µs/op) | peer | peer (µs/op) | ratio |');
    lines.push('|---|---:|---|---:|---:|');
    for (const { group, rows } of workerd.groups) {
      const ours = rows.find((r) => r.ours);
      for (const r of rows)
        if (!r.ours)
          lines.push(
            `| ${group} | ${fmt(ours.us)} | ${r.name} | ${fmt(r.us)} | ${fmtRatio(r.ratioVsOurs)} |`,
          );
    }
  }
  return lines.join('\n');
}

/** A horizontal bar chart of the ratios, log scale, 1× marked. */
export function renderSvg(results, workerd) {
  const bars = comparisons(results)
    .filter((b) => !b.peer.secondary)
    .map((b) => ({ label: `${b.group} — ${b.peer.name}`, ratio: b.peer.ratioVsOurs, env: 'Node' }));
  if (workerd)
    for (const b of comparisons(workerd))
      bars.push({
        label: `workerd: ${b.group} — ${b.peer.name}`,
        ratio: b.peer.ratioVsOurs,
        env: 'workerd',
      });
  const rowH = 18;
  const labelW = 560;
  const plotW = 380;
  const top = 40;
  const h = top + bars.length * rowH + 40;
  const w = labelW + plotW + 70;
  const lo = Math.floor(Math.log10(Math.min(0.1, ...bars.map((b) => b.ratio * 0.8))));
  const hi = Math.log10(Math.max(1000, ...bars.map((b) => b.ratio * 1.5)));
  const x = (r) => labelW + ((Math.log10(Math.max(r, 10 ** lo)) - lo) / (hi - lo)) * plotW;
  const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="11">`,
  );
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  out.push(
    `<text x="10" y="18" font-size="13" font-weight="bold">libsql-authz vs peers: peer time / libsql-authz time (log scale; right of 1× = libsql-authz faster)</text>`,
  );
  for (let p = Math.ceil(lo); p <= Math.floor(hi); p++) {
    const xx = x(10 ** p);
    out.push(
      `<line x1="${xx}" y1="${top - 6}" x2="${xx}" y2="${h - 30}" stroke="${p === 0 ? '#000' : '#ccc'}" stroke-width="${p === 0 ? 1.5 : 1}"/>`,
    );
    out.push(`<text x="${xx}" y="${h - 16}" text-anchor="middle">${10 ** p}×</text>`);
  }
  bars.forEach((b, i) => {
    const y = top + i * rowH;
    const x0 = x(1);
    const x1 = x(b.ratio);
    const color = b.ratio >= 1 ? (b.env === 'workerd' ? '#2a7fbf' : '#2a9d4b') : '#d0542c';
    out.push(`<text x="${labelW - 6}" y="${y + 12}" text-anchor="end">${esc(b.label)}</text>`);
    out.push(
      `<rect x="${Math.min(x0, x1)}" y="${y + 3}" width="${Math.max(1, Math.abs(x1 - x0))}" height="${rowH - 6}" fill="${color}"/>`,
    );
    out.push(
      `<text x="${Math.max(x0, x1) + 4}" y="${y + 12}">${b.ratio >= 10 ? b.ratio.toFixed(0) : b.ratio.toFixed(2)}×</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
