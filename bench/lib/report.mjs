// The run's report: a Markdown table per scenario with each figure's ratio to the best peer,
// a chart of those ratios (SVG, drawn here), and the raw JSON lines.

/** Each scenario's headline figure, and whether more is better. */
export const HEADLINES = {
  B1: { key: 'p50_ms', label: 'submit→result p50', unit: 'ms', higherIsBetter: false, extra: ['p95_ms', 'p99_ms'] },
  B2: { key: 'tasks_per_s', label: 'independent tasks', unit: 'tasks/s', higherIsBetter: true, extra: ['n', 'seconds'] },
  B3: { key: 'seconds', label: 'chord + xsum', unit: 's', higherIsBetter: false, extra: ['n', 'tasks_per_s'] },
  B3c: { key: 'seconds', label: 'chunks(add, items, 100) + xsum', unit: 's', higherIsBetter: false, extra: ['n', 'tasks_per_s'] },
  B4: { key: 'req_per_s', label: 'workflow starts at concurrency 50', unit: 'req/s', higherIsBetter: true, extra: ['p50_ms', 'p99_ms'] },
  B5: { key: 'seconds', label: 'chord + xsum', unit: 's', higherIsBetter: false, extra: ['n', 'tasks_per_s'] },
  RSS: { key: 'worker_mb', label: 'worker peak RSS', unit: 'MB', higherIsBetter: false, extra: ['api_mb', 'temporal_mb'] },
};

/** How many times worse than the best line of its scenario a line is (1 is the best). */
function ratios(lines) {
  const out = new Map();
  for (const [scenario, headline] of Object.entries(HEADLINES)) {
    const measured = lines.filter((line) => line.scenario === scenario && typeof line[headline.key] === 'number');
    const values = measured.map((line) => line[headline.key]);
    const best = headline.higherIsBetter ? Math.max(...values) : Math.min(...values);
    for (const line of measured) {
      const value = line[headline.key];
      out.set(line, headline.higherIsBetter ? best / value : value / best);
    }
  }
  return out;
}

/** 1 decimal, or 2 significant digits below 1 (a BullMQ chord takes hundredths of a second). */
const fmt = (n) =>
  typeof n !== 'number' ? '' : n.toLocaleString('en-US', n > 0 && n < 1 ? { maximumSignificantDigits: 2 } : { maximumFractionDigits: 1 });

/** The Markdown tables, one row per line, scenario by scenario. */
export function tables(lines) {
  const ratio = ratios(lines);
  const out = [];
  for (const [scenario, headline] of Object.entries(HEADLINES)) {
    const rows = lines.filter((line) => line.scenario === scenario);
    if (!rows.length) continue;
    out.push(`### ${scenario}: ${headline.label} (${headline.unit}, ${headline.higherIsBetter ? 'more' : 'less'} is better)`, '');
    out.push(`| variant | ${headline.key} | × best | ${headline.extra.join(' | ')} |`, `|---|---|---|${headline.extra.map(() => '---|').join('')}`);
    for (const line of rows) {
      const cells = line.error ? [`failed: ${line.error.split('\n')[0]}`, '', ...headline.extra.map(() => '')] : [fmt(line[headline.key]), `${ratio.get(line)?.toFixed(2) ?? ''}`, ...headline.extra.map((key) => fmt(line[key]))];
      out.push(`| ${line.variant} | ${cells.join(' | ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

const esc = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A bar per line: its ratio to the best of its scenario, on a log scale (1× to 1000×), so that a
 * peer 2× behind and one 200× behind both read.
 */
export function chart(lines, title) {
  const ratio = ratios(lines);
  const order = Object.keys(HEADLINES);
  const rows = lines.filter((line) => ratio.has(line)).sort((a, b) => order.indexOf(a.scenario) - order.indexOf(b.scenario));
  const [labelW, barW, rowH, top] = [330, 420, 18, 40];
  const decades = 3;
  const x = (r) => labelW + (Math.min(Math.log10(Math.max(r, 1)), decades) / decades) * barW;
  const height = top + rows.length * rowH + 30;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + barW + 170}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="8" y="16" font-size="13" font-weight="bold">${esc(title)}</text>`,
    `<text x="8" y="32" fill="#555">× the best peer of each scenario (log scale; 1× is the best)</text>`,
  ];
  for (let d = 0; d <= decades; d++) {
    const gx = x(10 ** d);
    parts.push(`<line x1="${gx}" y1="${top - 4}" x2="${gx}" y2="${height - 24}" stroke="#ddd"/>`, `<text x="${gx}" y="${height - 10}" text-anchor="middle" fill="#555">${10 ** d}×</text>`);
  }
  rows.forEach((line, i) => {
    const y = top + i * rowH;
    const r = ratio.get(line);
    const colour = line.variant.startsWith('Celerity') ? '#2b6cb0' : line.variant.startsWith('raw SDK') ? '#718096' : '#c05621';
    const { key, unit } = HEADLINES[line.scenario];
    parts.push(
      `<text x="${labelW - 6}" y="${y + 12}" text-anchor="end">${esc(`${line.scenario} ${line.variant}`)}</text>`,
      `<rect x="${labelW}" y="${y + 2}" width="${Math.max(x(r) - labelW, 2)}" height="${rowH - 5}" fill="${colour}"/>`,
      `<text x="${x(r) + 4}" y="${y + 12}">${r.toFixed(r < 10 ? 2 : 0)}× (${esc(fmt(line[key]))} ${esc(unit)})</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * One row per scenario, one column per peer (the raw SDK's best configuration; Celerity over
 * REST as `npm start` runs it, in one process, where it has several variants): the table the
 * project README shows.
 */
export function summary(lines) {
  const peers = [
    ['Celery', (v) => v === 'Celery'],
    ['BullMQ', (v) => v === 'BullMQ'],
    ['raw SDK (best)', (v) => v.startsWith('raw SDK')],
    ['Celerity', (v) => v.startsWith('Celerity')],
  ];
  const out = [`| | ${peers.map(([name]) => name).join(' | ')} |`, `|---|${peers.map(() => '---|').join('')}`];
  for (const [scenario, headline] of Object.entries(HEADLINES)) {
    const rows = lines.filter((line) => line.scenario === scenario && typeof line[headline.key] === 'number');
    if (!rows.length) continue;
    const cells = peers.map(([, matches]) => {
      const mine = rows.filter((line) => matches(line.variant));
      if (!mine.length) return '—';
      const pick = mine.find((line) => line.variant.includes('one process')) ?? mine.find((line) => line.variant.includes('REST')) ?? mine.reduce((a, b) => ((headline.higherIsBetter ? a[headline.key] >= b[headline.key] : a[headline.key] <= b[headline.key]) ? a : b));
      return fmt(pick[headline.key]);
    });
    const n = rows.find((line) => line.n)?.n;
    const label = `${scenario} ${headline.label}${n && !['B1', 'B4'].includes(scenario) ? ` (${fmt(n)})` : ''}, ${headline.unit}`;
    out.push(`| ${label} | ${cells.join(' | ')} |`);
  }
  return out.join('\n');
}
