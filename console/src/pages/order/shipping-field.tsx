import type { Order } from '../../api/types.ts';
import { moneyText, shippingLock } from './change-form.ts';

interface Props {
  order: Order;
  shipping: string | undefined;
  onChange: (shipping: string) => void;
}

/** The order's shipping charge, which may change until the first shipment leaves. */
export function ShippingField({ order, shipping, onChange }: Props) {
  const lock = shippingLock(order);
  return (
    <label>
      Shipping charge ({order.total.currency})
      <input
        type="number"
        min={0}
        step="any"
        required
        disabled={lock !== null}
        value={shipping ?? moneyText(order, order.shipping.amount)}
        onChange={(e) => onChange(e.target.value)}
      />
      {lock ? <span data-testid="shipping-lock">{lock}</span> : null}
    </label>
  );
}
