/** Small hand-written SVG charts: enough for the dashboards, light enough for the first-load budget. */

const PALETTE = ['#2563eb', '#db2777', '#16a34a', '#ea580c', '#7c3aed', '#0891b2'];

export interface Series {
  name: string;
  /** One value per category (same order as `categories`). */
  values: number[];
}

/** Stacked columns per category (e.g. per day), one colour per series (e.g. per channel), with both axes labelled. */
export function StackedColumns({
  title,
  categories,
  series,
  format,
  xLabel = 'Day (UTC)',
  yLabel,
}: {
  title: string;
  categories: string[];
  series: Series[];
  format: (n: number) => string;
  /** What the categories are (default "Day (UTC)") and what the values count (e.g. "Orders"). */
  xLabel?: string;
  yLabel: string;
}) {
  const width = 640;
  const height = 200;
  const pad = 24;
  const left = 64;
  const totals = categories.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const step = (width - left - pad) / Math.max(1, categories.length);
  const barWidth = Math.max(2, step * 0.7);
  const middle = categories.length > 2 ? Math.floor((categories.length - 1) / 2) : -1;
  const tick = (i: number, anchor: 'start' | 'middle' | 'end') => (
    <text x={left + i * step + barWidth / 2} y={height + 14} fontSize="11" textAnchor={anchor}>
      {categories[i]}
    </text>
  );
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${width} ${height + pad + 12}`}
        role="img"
        aria-label={`${title}: ${categories.length} ${xLabel.toLowerCase()}s, peak ${format(max)}`}
      >
        <line x1={left} y1={height} x2={width - pad} y2={height} stroke="#999" />
        <line x1={left} y1={pad} x2={left} y2={height} stroke="#999" />
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
                    x={left + i * step}
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
        {categories.length > 0 ? tick(0, 'start') : null}
        {middle > 0 ? tick(middle, 'middle') : null}
        {categories.length > 1 ? tick(categories.length - 1, 'end') : null}
        <text x={left - 4} y={pad + 4} fontSize="11" textAnchor="end">
          {format(max)}
        </text>
        <text x={left - 4} y={height} fontSize="11" textAnchor="end">
          {format(0)}
        </text>
        <text
          className="axis-label"
          x={(left + width - pad) / 2}
          y={height + pad + 10}
          fontSize="11"
          textAnchor="middle"
        >
          {xLabel}
        </text>
        <text
          className="axis-label"
          x={-(height + pad) / 2}
          y={12}
          fontSize="11"
          textAnchor="middle"
          transform="rotate(-90)"
        >
          {yLabel}
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
