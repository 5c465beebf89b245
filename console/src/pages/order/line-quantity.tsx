import { useState } from 'react';
import type { OrderLine } from '../../api/types.ts';

/** A line of the order and a quantity of it: the fields every per-line action asks for. */
export function useLineQuantity(lines: OrderLine[]) {
  const [lineId, setLineId] = useState(lines[0]?.line_id ?? '');
  const [quantity, setQuantity] = useState(1);
  const fields = (
    <>
      <label>
        Line
        <select value={lineId} onChange={(e) => setLineId(e.target.value)}>
          {lines.map((l) => (
            <option key={l.line_id} value={l.line_id}>
              {l.line_id} · {l.sku}
            </option>
          ))}
        </select>
      </label>
      <label>
        Quantity
        <input type="number" min={1} value={quantity} onChange={(e) => setQuantity(Number(e.target.value))} />
      </label>
    </>
  );
  return { lineId, quantity, fields };
}
