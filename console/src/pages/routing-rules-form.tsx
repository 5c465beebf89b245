import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import type { Simulation } from '../api/simulations.ts';
import { useDirectory } from '../directory.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Card, ErrorNotice } from '../ui/common.tsx';
import { useConfirm } from '../ui/confirm.tsx';
import { formatMinor } from '../ui/format.ts';
import { useAction } from '../ui/load.ts';
import { useStatus } from '../ui/status.tsx';
import { CapacityCell } from './routing-capacity.tsx';
import { weightsSentence } from './routing-rules-words.ts';

/** Routing rules as the API stores them: the form edits the common fields, the JSON everything. */
export type Rules = Record<string, unknown> & {
  weights: Record<string, number>;
  maxShipments: number | null;
  shipComplete: boolean;
  pickupFallback: 'reject' | 'ship';
  currency: string;
  excludedLocations?: string[];
};

interface Violation {
  pointer: string;
  message: string;
}

/** What `POST /v1/routing/rules/compare` answers. */
export interface Comparison {
  against: { version: number | null };
  changes: string[];
  errors: Violation[];
}

const RECENT_DAYS = 7;

/** The problems of a failed save, each with its pointer (`/rules/maxShipments`). */
const violationsOf = (error: Error | undefined): Violation[] =>
  error instanceof ApiError ? ((error.problem.errors as Violation[] | undefined) ?? []) : [];

function FieldError({ errors, at }: { errors: Violation[]; at: string }) {
  const mine = errors.filter((e) => e.pointer === at || e.pointer.startsWith(`${at}/`));
  if (mine.length === 0) return null;
  return (
    <span className="error" role="alert">
      {mine.map((e) => e.message).join('; ')}
    </span>
  );
}

/** A draft editor: a form for the common rules (JSON under "Advanced"), its changes against the active version, a preview on recent orders. */
export function RulesEditor({
  start,
  onSaved,
  onActivate,
  onSimulated,
}: {
  start: Rules;
  onSaved: () => void;
  onActivate: (version: number) => void;
  /** A preview started a simulation: lists of simulations are out of date. */
  onSimulated: () => void;
}) {
  const { api } = useSession();
  const [rules, setRules] = useState<Rules>(() => structuredClone(start));
  const [advanced, setAdvanced] = useState(false);
  const [notes, setNotes] = useState('');
  const [comparison, setComparison] = useState<Comparison>();
  const save = useAction();
  const [saved, setSaved] = useState<number>();
  const [jsonError, setJsonError] = useState<string>();
  // The server checks every edit and tells its changes against the active version.
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api
        .post<Comparison>('/v1/routing/rules/compare', { rules })
        .then((answer) => live && setComparison(answer))
        .catch(() => live && setComparison(undefined));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, rules]);
  const errors = comparison?.errors.length ? comparison.errors : violationsOf(save.error);
  const edit = (change: Partial<Rules>) => {
    setSaved(undefined);
    setRules((current) => ({ ...current, ...change }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (advanced && jsonError) return;
    void save.run(async () => {
      const draft = await api.put<{ version: number }>('/v1/routing/rules', { rules, ...(notes ? { notes } : {}) });
      setSaved(draft.version);
    }, onSaved);
  };
  return (
    <Card title="Edit a draft" id="draft">
      <div className="tabs" role="group" aria-label="Editor">
        <button
          type="button"
          aria-pressed={!advanced}
          disabled={jsonError !== undefined}
          title={jsonError ? 'Correct the JSON first' : undefined}
          onClick={() => setAdvanced(false)}
        >
          Form
        </button>
        <button type="button" aria-pressed={advanced} onClick={() => setAdvanced(true)}>
          Advanced (JSON)
        </button>
      </div>
      <form onSubmit={submit} aria-label="Routing rules draft">
        {advanced ? (
          <JsonEditor rules={rules} onChange={edit} onInvalid={setJsonError} invalid={jsonError} errors={errors} />
        ) : (
          <RulesForm rules={rules} edit={edit} errors={errors} />
        )}
        <Changes comparison={comparison} />
        <label className="wide">
          Notes
          <input value={notes} onChange={(e) => setNotes(e.target.value)} />
        </label>
        <ErrorNotice error={save.error} />
        {saved ? <p role="status">Saved as draft version {saved}.</p> : null}
        <div className="actions">
          <button type="submit" disabled={save.busy}>
            Validate and save draft
          </button>
          {saved ? (
            <button type="button" onClick={() => onActivate(saved)}>
              Activate version {saved}…
            </button>
          ) : null}
        </div>
      </form>
      <Preview rules={rules} onStarted={onSimulated} />
    </Card>
  );
}

/** The whole rules document as JSON; text that does not parse is kept, said, and never saved. */
function JsonEditor({
  rules,
  onChange,
  onInvalid,
  invalid: parseError,
  errors,
}: {
  rules: Rules;
  onChange: (r: Rules) => void;
  onInvalid: (message: string | undefined) => void;
  invalid: string | undefined;
  errors: Violation[];
}) {
  const [text, setText] = useState(() => JSON.stringify(rules, null, 2));
  const change = (value: string) => {
    setText(value);
    try {
      onChange(JSON.parse(value) as Rules);
      onInvalid(undefined);
    } catch (error) {
      onInvalid(`Not valid JSON: ${(error as Error).message}`);
    }
  };
  return (
    <>
      <label className="wide">
        Rules (JSON)
        <textarea className="code" rows={16} value={text} onChange={(e) => change(e.target.value)} spellCheck={false} />
      </label>
      {parseError ? (
        <p role="alert" className="error">
          {parseError}
        </p>
      ) : null}
      {errors.length ? (
        <ul className="error" aria-label="Problems">
          {errors.map((e, i) => (
            <li key={i}>
              <code>{e.pointer}</code> {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

function Slider({
  label,
  hint,
  value,
  max,
  step,
  onChange,
}: {
  label: string;
  hint: string;
  value: number;
  max: number;
  step: number;
  onChange: (value: number) => void;
}) {
  return (
    <label className="slider">
      {label} <output>{value}</output>
      <input
        type="range"
        aria-label={label}
        aria-description={hint}
        min={0}
        max={Math.max(max, value)}
        step={step}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
      />
      <span className="muted">{hint}</span>
    </label>
  );
}

/** The weights the form sets with sliders: proximity, freight and store priority. */
const sliders = (currency: string) => [
  { name: 'distance', label: 'Proximity', hint: 'per km to the customer', max: 5, step: 0.1 },
  { name: 'cost', label: 'Freight cost', hint: `per ${formatMinor(1, currency)} of freight`, max: 5, step: 0.1 },
  { name: 'priority', label: 'Store priority', hint: "per point of a location's priority", max: 1000, step: 10 },
];

function RulesForm({ rules, edit, errors }: { rules: Rules; edit: (c: Partial<Rules>) => void; errors: Violation[] }) {
  const { locations } = useDirectory();
  const { can } = useSession();
  const capacity = useConfirm();
  const capacitySaved = useStatus();
  const weights = rules.weights;
  const weight = (name: string) => (value: number) => edit({ weights: { ...weights, [name]: value } });
  const excluded = rules.excludedLocations ?? [];
  const toggle = (id: string, on: boolean) =>
    edit({ excludedLocations: on ? [...excluded, id] : excluded.filter((x) => x !== id) });
  const shown = (errors: Violation[], known: string[]) =>
    errors.filter((e) => !known.some((at) => e.pointer === at || e.pointer.startsWith(`${at}/`)));
  const known = [
    '/rules/weights/distance',
    '/rules/weights/cost',
    '/rules/weights/priority',
    '/rules/maxShipments',
    '/rules/pickupFallback',
    '/rules/excludedLocations',
  ];
  return (
    <>
      <fieldset aria-label="What counts">
        <legend>What counts when several locations have everything</legend>
        {sliders(rules.currency).map((slider) => (
          <div key={slider.name}>
            <Slider {...slider} value={weights[slider.name] ?? 0} onChange={weight(slider.name)} />
            <FieldError errors={errors} at={`/rules/weights/${slider.name}`} />
          </div>
        ))}
        <p className="effect" role="status" aria-label="Effect of the weights">
          {weightsSentence(
            { distance: weights.distance ?? 0, cost: weights.cost ?? 0, priority: weights.priority ?? 0 },
            rules.currency,
          )}
        </p>
      </fieldset>
      <fieldset aria-label="Shipments">
        <legend>Shipments</legend>
        <label>
          Max shipments per order
          <input
            type="number"
            min={1}
            placeholder="no limit"
            value={rules.maxShipments ?? ''}
            onChange={(e) => edit({ maxShipments: e.target.value === '' ? null : Number(e.target.value) })}
          />
          <FieldError errors={errors} at="/rules/maxShipments" />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={rules.shipComplete}
            onChange={(e) => edit({ shipComplete: e.target.checked })}
          />{' '}
          Ship complete (no back-orders)
        </label>
        <label>
          When the pickup store cannot fill the order
          <select
            value={rules.pickupFallback}
            onChange={(e) => edit({ pickupFallback: e.target.value as Rules['pickupFallback'] })}
          >
            <option value="reject">refuse the order</option>
            <option value="ship">ship it instead (if the customer allows)</option>
          </select>
          <FieldError errors={errors} at="/rules/pickupFallback" />
        </label>
      </fieldset>
      <fieldset aria-label="Locations">
        <legend>Locations</legend>
        <table className="table" aria-label="Locations the rules use">
          <thead>
            <tr>
              <th scope="col">Location</th>
              <th scope="col">Excluded</th>
              <th scope="col" className="num">
                Daily capacity
              </th>
            </tr>
          </thead>
          <tbody>
            {locations.map((l) => (
              <tr key={l.id}>
                <td>{l.name}</td>
                <td>
                  <label>
                    <input
                      type="checkbox"
                      checked={excluded.includes(l.id)}
                      onChange={(e) => toggle(l.id, e.target.checked)}
                    />{' '}
                    Exclude {l.name}
                  </label>
                </td>
                <td className="num">
                  <CapacityCell location={l} ask={capacity.ask} say={capacitySaved.say} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">
          {can('network:write')
            ? 'Daily capacity (fulfillment orders a day; empty for no limit) is a setting of each location, not part of this draft: saving it applies to routing at once, whatever version is active.'
            : 'Daily capacity is set on each location (fulfillment orders a day).'}
        </p>
        {capacitySaved.region}
        {capacity.dialog}
        <FieldError errors={errors} at="/rules/excludedLocations" />
      </fieldset>
      {shown(errors, known).length ? (
        <ul className="error" aria-label="Problems">
          {shown(errors, known).map((e, i) => (
            <li key={i}>
              <code>{e.pointer}</code> {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

/** The draft's changes against the active version, in words. */
export function Changes({ comparison, title }: { comparison: Comparison | undefined; title?: ReactNode }) {
  if (!comparison || comparison.errors.length > 0) return null;
  const against = comparison.against.version == null ? 'the defaults' : `version ${comparison.against.version}`;
  return (
    <section aria-label="Changes against the active version" className="changes">
      <h3>{title ?? `Changes against the active rules (${against})`}</h3>
      {comparison.changes.length === 0 ? (
        <p className="muted">No changes: these rules route as the active ones do.</p>
      ) : (
        <ul>
          {comparison.changes.map((change) => (
            <li key={change}>{change}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

const signedNumber = (value: number, unit = '') =>
  `${value > 0 ? '+' : value < 0 ? '−' : '±'}${Math.abs(Math.round(value)).toLocaleString('en-US')}${unit}`;

/** "What would change": the rules replayed on the last week's orders by the simulation, its headline figures. */
function Preview({ rules, onStarted }: { rules: Rules; onStarted: () => void }) {
  const { api } = useSession();
  const run = useAction();
  const [simulation, setSimulation] = useState<Simulation>();
  const polling = useRef(0);
  useEffect(() => () => window.clearTimeout(polling.current), []);
  const start = () =>
    void run.run(async () => {
      const to = new Date();
      const from = new Date(to.getTime() - RECENT_DAYS * 86_400_000);
      let current = await api.post<Simulation>('/v1/routing/simulations', {
        rules,
        from: from.toISOString(),
        to: to.toISOString(),
      });
      setSimulation(current);
      onStarted();
      while (current.status === 'queued' || current.status === 'running') {
        await new Promise((resolve) => (polling.current = window.setTimeout(resolve, 1000)));
        current = await api.get<Simulation>(`/v1/routing/simulations/${current.id}`);
        setSimulation(current);
      }
    });
  const result = simulation?.result;
  return (
    <section aria-label="What would change" className="preview">
      <h3>What would change</h3>
      <button type="button" onClick={start} disabled={run.busy}>
        What would change on the last {RECENT_DAYS} days' orders
      </button>
      <ErrorNotice error={run.error} />
      {simulation && !result ? (
        <p className="muted" aria-live="polite">
          Replaying {simulation.progress.orders_total ?? '…'} orders ({simulation.status})…
        </p>
      ) : null}
      {simulation?.status === 'failed' ? <p className="error">{simulation.error}</p> : null}
      {result ? (
        <div role="status" aria-label="Headline of the preview">
          <p>
            <strong>
              {result.changed_orders} of {result.orders} orders
            </strong>{' '}
            would route differently.
          </p>
          <ul>
            {result.delta.shipping_cost instanceof Array
              ? (result.delta.shipping_cost as { currency: string; minor: number }[]).map((c) => (
                  <li key={c.currency}>
                    Freight: {c.minor > 0 ? '+' : c.minor < 0 ? '−' : '±'}
                    {formatMinor(Math.abs(c.minor), c.currency)}
                  </li>
                ))
              : null}
            <li>Distance: {signedNumber(Number(result.delta.distance_km ?? 0), ' km')}</li>
            <li>Shipments: {signedNumber(Number(result.delta.shipments ?? 0))}</li>
            <li>Orders not routed: {signedNumber(Number(result.delta.unroutable ?? 0))}</li>
          </ul>
          <Link href={`/routing/simulations/${simulation!.id}`}>Full simulation</Link>
        </div>
      ) : null}
    </section>
  );
}
