import type { Order } from '../../api/types.ts';
import { Table } from '../../ui/common.tsx';
import { toMinor } from '../../ui/format.ts';
import { lineLock, liveUnits, moneyText, type LineEdit } from './change-form.ts';

interface Props {
  order: Order;
  edits: Record<string, LineEdit>;
  onEdit: (lineId: string, patch: LineEdit) => void;
}

/**
 * The order's lines as the change would leave them: a quantity, a unit price (a new one asks
 * why) or removed. Lines with shipped units are locked, with the reason beside them.
 */
export function LineEdits({ order, edits, onEdit }: Props) {
  return (
    <Table label="Lines to change">
      <thead>
        <tr>
          <th scope="col">Line</th>
          <th scope="col">Quantity</th>
          <th scope="col">Unit price</th>
          <th scope="col">Remove</th>
          <th scope="col">Locked</th>
        </tr>
      </thead>
      <tbody>
        {order.lines.map((line) => {
          const edit = edits[line.line_id] ?? {};
          const lock = lineLock(line);
          const shipped = line.quantities.shipped;
          const price = edit.price ?? moneyText(order, line.unit_price.amount);
          const repriced = !lock && toMinor(price, line.unit_price.currency) !== line.unit_price.amount;
          const removed = Boolean(edit.remove) && !lock;
          return (
            <tr key={line.line_id} data-edit-line={line.line_id}>
              <td>
                {line.line_id} · {line.sku}
              </td>
              <td>
                <input
                  type="number"
                  aria-label={`Quantity of ${line.line_id}`}
                  min={shipped}
                  required
                  disabled={removed || (lock !== null && shipped >= liveUnits(line))}
                  value={edit.quantity ?? String(liveUnits(line))}
                  onChange={(e) => onEdit(line.line_id, { quantity: e.target.value })}
                />
              </td>
              <td>
                <input
                  type="number"
                  aria-label={`Unit price of ${line.line_id}`}
                  min={0}
                  step="any"
                  required
                  disabled={removed || lock !== null}
                  value={price}
                  onChange={(e) => onEdit(line.line_id, { price: e.target.value })}
                />
                {repriced && !removed ? (
                  <input
                    aria-label={`Why the price of ${line.line_id} changes`}
                    placeholder="Why the price changes"
                    required
                    maxLength={500}
                    value={edit.priceReason ?? ''}
                    onChange={(e) => onEdit(line.line_id, { priceReason: e.target.value })}
                  />
                ) : null}
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Remove ${line.line_id}`}
                  disabled={lock !== null || liveUnits(line) === 0}
                  checked={removed}
                  onChange={(e) => onEdit(line.line_id, { remove: e.target.checked })}
                />
              </td>
              <td className="muted" data-testid={`lock-${line.line_id}`}>
                {lock ?? ''}
              </td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
