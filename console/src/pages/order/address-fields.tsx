import type { Order } from '../../api/types.ts';
import { addressOf, type AddressForm } from './change-form.ts';

interface Props {
  order: Order;
  address: AddressForm | undefined;
  onChange: (address: AddressForm | undefined) => void;
}

const FIELDS: { key: keyof AddressForm; label: string; required?: boolean; pattern?: string; max: number }[] = [
  { key: 'name', label: 'Name', max: 200 },
  { key: 'line1', label: 'Street', required: true, max: 200 },
  { key: 'line2', label: 'Street (more)', max: 200 },
  { key: 'city', label: 'City', required: true, max: 100 },
  { key: 'region', label: 'Region', max: 100 },
  { key: 'postal_code', label: 'Postal code', max: 20 },
  { key: 'country', label: 'Country', required: true, pattern: '[A-Z]{2}', max: 2 },
];

/** A new shipping address: ticked, it starts from the order's; the open units are routed to it again. */
export function AddressFields({ order, address, onChange }: Props) {
  return (
    <fieldset className="inline" aria-label="Shipping address">
      <legend>
        <label className="check">
          <input
            type="checkbox"
            checked={address !== undefined}
            onChange={(e) => onChange(e.target.checked ? addressOf(order) : undefined)}
          />
          New shipping address
        </label>
      </legend>
      {address
        ? FIELDS.map((f) => (
            <label key={f.key}>
              {f.label}
              <input
                required={f.required}
                pattern={f.pattern}
                maxLength={f.max}
                value={address[f.key]}
                onChange={(e) => onChange({ ...address, [f.key]: e.target.value })}
              />
            </label>
          ))
        : null}
    </fieldset>
  );
}
