import { ApiError } from '../../api/client.ts';
import { ErrorNotice } from '../../ui/common.tsx';

/** Another change was confirmed since this one was drafted: its preview is stale. */
export const isVersionConflict = (error: Error | undefined) =>
  error instanceof ApiError && error.problem.code === 'version_conflict';

/**
 * A refused change, next to the form: its problem's title, code and detail; a version conflict
 * (another change was confirmed first) offers to load the order again, keeping the edits.
 */
export function ChangeProblem({ error, onReload }: { error: Error | undefined; onReload: () => void }) {
  if (!(error instanceof ApiError) || !isVersionConflict(error)) return <ErrorNotice error={error} />;
  const current = error.problem.current_version;
  return (
    <div role="alert" className="error" data-testid="version-conflict">
      <strong>{error.problem.title ?? 'The order changed meanwhile'}</strong>
      <code> version_conflict</code>
      <div>
        Someone changed this order while you were editing it
        {typeof current === 'number' ? ` (it is now at version ${current})` : ''}. Reload the order to see the change;
        your edits stay in the form, to preview again.
      </div>
      <button type="button" onClick={onReload}>
        Reload order
      </button>
    </div>
  );
}
