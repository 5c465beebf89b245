/** Small hand-written SVG charts: enough for the dashboards, light enough for the first-load budget. */

const PALETTE = ['#2563eb', '#db2777', '#16a34a', '#ea580c', '#7c3aed', '#0891b2'];

export interface Series {
  name: string;
  /** One value per category (same order as `categories`). */
  values: number[];
}

/** Stacked columns per category (e.g. per day), one colour per series (e.g. per channel). */
export function StackedColumns({
  title,
  categories,
  series,
  format,
}: {
  title: string;
  categories: string[];
  series: Series[];
  format: (n: number) => string;
}) {
  const width = 640;
  const height = 200;
  const pad = 24;
  const totals = categories.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const step = (width - pad * 2) / Math.max(1, categories.length);
  const barWidth = Math.max(2, step * 0.7);
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${width} ${height + pad}`}
        role="img"
        aria-label={`${title}: ${categories.length} days, peak ${format(max)}`}
      >
        <line x1={pad} y1={height} x2={width - pad} y2={height} stroke="#999" />
        {categories.map((category, i) => {
          let y = height;
          return (
            <g key={category}>
              {series.map((s, k) => {
                const value = s.values[i] ?? 0;
                const h = (value / max) * (height - pad);
                y -= h;
                return (
                  <rect
                    key={s.name}
                    x={pad + i * step}
                    y={y}
                    width={barWidth}
                    height={h}
                    fill={PALETTE[k % PALETTE.length]}
                  >
                    <title>{`${category} · ${s.name}: ${format(value)}`}</title>
                  </rect>
                );
              })}
            </g>
          );
        })}
        <text x={pad} y={height + 16} fontSize="11">
          {categories[0] ?? ''}
        </text>
        <text x={width - pad} y={height + 16} fontSize="11" textAnchor="end">
          {categories.at(-1) ?? ''}
        </text>
        <text x={pad} y={12} fontSize="11">
          {format(max)}
        </text>
      </svg>
      <figcaption>
        {title}
        <span className="legend">
          {series.map((s, k) => (
            <span key={s.name}>
              <i style={{ background: PALETTE[k % PALETTE.length] }} /> {s.name}
            </span>
          ))}
        </span>
      </figcaption>
    </figure>
  );
}

/** Horizontal bars with their values written out. */
export function Bars({
  title,
  rows,
  format,
}: {
  title: string;
  rows: { label: string; value: number }[];
  format: (n: number) => string;
}) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <ul className="bars">
        {rows.map((r) => (
          <li key={r.label}>
            <span className="bar-label">{r.label}</span>
            <span className="bar" style={{ width: `${(r.value / max) * 100}%` }} />
            <span className="bar-value">{format(r.value)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
