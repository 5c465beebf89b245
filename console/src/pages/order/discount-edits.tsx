import type { DiscountEdit } from './change-form.ts';

interface Props {
  discounts: DiscountEdit[];
  currency: string;
  onChange: (discounts: DiscountEdit[]) => void;
}

const LABEL = { add_discount: 'Add', remove_discount: 'Take back' } as const;

/** Discounts the change adds or takes back, spread over the lines whose every unit is open. */
export function DiscountEdits({ discounts, currency, onChange }: Props) {
  const set = (i: number, patch: Partial<DiscountEdit>) =>
    onChange(discounts.map((d, at) => (at === i ? { ...d, ...patch } : d)));
  const append = (kind: DiscountEdit['kind']) => onChange([...discounts, { kind, code: '', amount: '' }]);
  return (
    <fieldset className="inline" aria-label="Discounts">
      <legend>Discounts</legend>
      {discounts.map((d, i) => (
        <div className="inline" key={i} data-discount={i}>
          <strong>{LABEL[d.kind]} discount</strong>
          <label>
            Code
            <input maxLength={100} value={d.code} onChange={(e) => set(i, { code: e.target.value.trim() })} />
          </label>
          <label>
            Amount ({currency})
            <input
              type="number"
              min={0}
              step="any"
              required
              value={d.amount}
              onChange={(e) => set(i, { amount: e.target.value })}
            />
          </label>
          <button type="button" className="link" onClick={() => onChange(discounts.filter((_, at) => at !== i))}>
            Drop discount
          </button>
        </div>
      ))}
      <button type="button" onClick={() => append('add_discount')}>
        Add a discount
      </button>
      <button type="button" onClick={() => append('remove_discount')}>
        Take back a discount
      </button>
    </fieldset>
  );
}
