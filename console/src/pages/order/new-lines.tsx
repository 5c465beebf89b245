import type { NewLine } from './change-form.ts';

interface Props {
  lines: NewLine[];
  currency: string;
  onChange: (lines: NewLine[]) => void;
}

/** Lines the change adds: a SKU, how many and at what unit price; each is routed on confirmation. */
export function NewLines({ lines, currency, onChange }: Props) {
  const set = (i: number, patch: Partial<NewLine>) =>
    onChange(lines.map((line, at) => (at === i ? { ...line, ...patch } : line)));
  return (
    <fieldset className="inline" aria-label="New lines">
      <legend>New lines</legend>
      {lines.map((line, i) => (
        <div className="inline" key={i} data-new-line={i}>
          <label>
            SKU
            <input required maxLength={100} value={line.sku} onChange={(e) => set(i, { sku: e.target.value.trim() })} />
          </label>
          <label>
            Name
            <input maxLength={300} value={line.name} onChange={(e) => set(i, { name: e.target.value })} />
          </label>
          <label>
            Quantity
            <input
              type="number"
              min={1}
              required
              value={line.quantity}
              onChange={(e) => set(i, { quantity: Number(e.target.value) })}
            />
          </label>
          <label>
            Unit price ({currency})
            <input
              type="number"
              min={0}
              step="any"
              required
              value={line.price}
              onChange={(e) => set(i, { price: e.target.value })}
            />
          </label>
          <button type="button" className="link" onClick={() => onChange(lines.filter((_, at) => at !== i))}>
            Drop new line
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...lines, { sku: '', name: '', quantity: 1, price: '' }])}>
        Add a line
      </button>
    </fieldset>
  );
}
