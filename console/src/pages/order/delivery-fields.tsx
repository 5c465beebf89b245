import type { Order } from '../../api/types.ts';
import { useDirectory } from '../../directory.tsx';
import type { ChangeForm } from './change-form.ts';

type Delivery = NonNullable<ChangeForm['delivery']>;

interface Props {
  order: Order;
  delivery: Delivery | undefined;
  onChange: (delivery: Delivery) => void;
}

/** Ship or pick up, and at which store: the stores listed are the locations that offer pickup. */
export function DeliveryFields({ order, delivery, onChange }: Props) {
  const stores = useDirectory().locations.filter((l) => l.capabilities.includes('pickup'));
  const method = delivery?.method ?? (order.delivery_method === 'ship' ? 'ship' : 'pickup');
  const store = delivery?.pickupLocationId ?? order.pickup_location_id ?? stores[0]?.id ?? '';
  return (
    <fieldset className="inline" aria-label="Delivery">
      <legend>Delivery</legend>
      <label>
        Delivery method
        <select
          value={method}
          onChange={(e) => onChange({ method: e.target.value as Delivery['method'], pickupLocationId: store })}
        >
          <option value="ship">ship</option>
          <option value="pickup">pickup</option>
        </select>
      </label>
      {method === 'pickup' ? (
        <label>
          Pickup store
          <select required value={store} onChange={(e) => onChange({ method, pickupLocationId: e.target.value })}>
            {stores.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name} ({l.code})
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </fieldset>
  );
}
