import type { Order } from '../../api/types.ts';
import { useDirectory } from '../../directory.tsx';
import type { ChangeForm } from './change-form.ts';

type Delivery = NonNullable<ChangeForm['delivery']>;

const METHODS: Delivery['method'][] = ['ship', 'pickup', 'curbside'];

interface Props {
  order: Order;
  delivery: Delivery | undefined;
  onChange: (delivery: Delivery) => void;
}

/** Ship, or pick up (at the counter or curbside) at a store: the stores listed are the locations that offer pickup. */
export function DeliveryFields({ order, delivery, onChange }: Props) {
  const stores = useDirectory().locations.filter((l) => l.capabilities.includes('pickup'));
  const method = delivery?.method ?? (order.delivery_method as Delivery['method']);
  const store = delivery?.pickupLocationId || order.pickup_location_id || stores[0]?.id || '';
  const choose = (next: Delivery['method'], storeId: string) =>
    onChange({ method: next, pickupLocationId: next === 'ship' ? '' : storeId });
  return (
    <fieldset className="inline" aria-label="Delivery">
      <legend>Delivery</legend>
      <label>
        Delivery method
        <select value={method} onChange={(e) => choose(e.target.value as Delivery['method'], store)}>
          {METHODS.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
      </label>
      {method !== 'ship' ? (
        <label>
          Pickup store
          <select required value={store} onChange={(e) => choose(method, e.target.value)}>
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
