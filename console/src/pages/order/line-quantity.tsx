import { useState } from 'react';
import type { OrderLine } from '../../api/types.ts';

interface Options {
  label?: string;
  min?: number;
  /** The quantity a line starts with when it is picked (default 1). */
  initial?: (line: OrderLine | undefined) => number;
}

/** A line of the order and a quantity of it: the fields every per-line action asks for. */
export function useLineQuantity(lines: OrderLine[], options: Options = {}) {
  const initial = options.initial ?? (() => 1);
  const [lineId, setLineId] = useState(lines[0]?.line_id ?? '');
  const [quantity, setQuantity] = useState(() => initial(lines[0]));
  const fields = (
    <>
      <label>
        Line
        <select
          value={lineId}
          onChange={(e) => {
            setLineId(e.target.value);
            if (options.initial) setQuantity(initial(lines.find((l) => l.line_id === e.target.value)));
          }}
        >
          {lines.map((l) => (
            <option key={l.line_id} value={l.line_id}>
              {l.line_id} · {l.sku}
            </option>
          ))}
        </select>
      </label>
      <label>
        {options.label ?? 'Quantity'}
        <input
          type="number"
          min={options.min ?? 1}
          value={quantity}
          onChange={(e) => setQuantity(Number(e.target.value))}
        />
      </label>
    </>
  );
  return { lineId, quantity, fields };
}
