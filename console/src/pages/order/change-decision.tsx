import type { ChangeDraft } from '../../api/changes.ts';
import { ChangePreviewView } from './change-preview.tsx';

interface Props {
  draft: ChangeDraft;
  busy: boolean;
  onConfirm: () => void;
  onDiscard: () => void;
}

/** A drafted change: its preview (or why it can no longer apply), then confirm or discard. */
export function ChangeDecision({ draft, busy, onConfirm, onDiscard }: Props) {
  return (
    <section aria-label="Change preview">
      {draft.preview ? (
        <ChangePreviewView preview={draft.preview} />
      ) : (
        <p role="alert" className="error">
          {draft.preview_problem?.detail ?? 'This change cannot apply.'}
        </p>
      )}
      <div className="inline">
        <button type="button" disabled={busy || !draft.preview} onClick={onConfirm}>
          Confirm change
        </button>
        <button type="button" disabled={busy} onClick={onDiscard}>
          Discard
        </button>
      </div>
    </section>
  );
}
