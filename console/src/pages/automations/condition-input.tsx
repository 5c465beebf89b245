import type { Field, Violation } from '../../api/automations.ts';

/**
 * The condition's text, the fields it may read (with their types), and — when the server refused
 * it — the fault under the text, pointed at its position.
 */
export function ConditionInput({
  value,
  onChange,
  fields,
  fault,
}: {
  value: string;
  onChange: (value: string) => void;
  fields: Field[];
  fault: Violation | undefined;
}) {
  return (
    <div className="wide">
      <label className="wide">
        Only if (condition)
        <textarea
          className="code"
          rows={3}
          value={value}
          spellCheck={false}
          aria-invalid={fault ? true : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      </label>
      {fault ? (
        <pre className="error code" aria-label="Condition fault">
          {value}
          {'\n'}
          {fault.position !== undefined ? `${' '.repeat(fault.position)}^ ` : ''}
          {fault.message}
        </pre>
      ) : null}
      <details>
        <summary>Fields a condition can use</summary>
        <ul className="muted">
          {fields.map((f) => (
            <li key={f.name}>
              <code>{f.name}</code> ({f.type})
            </li>
          ))}
        </ul>
        <p className="muted">
          Operators: <code>== != &lt; &lt;= &gt; &gt;= and or not in contains</code>, e.g.{' '}
          <code>order.channel_code == "web" and order.total_minor &gt;= 50000</code>.
        </p>
      </details>
    </div>
  );
}
