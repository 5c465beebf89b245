import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/** What a destructive action asks before it runs: what will happen, and the action itself. */
export interface ConfirmRequest {
  /** A question naming the action and its subject ("Cancel order WEB-1001?"). */
  title: string;
  /** What will happen, in plain words. */
  body: ReactNode;
  /** The confirming button's label (default "Confirm"). */
  confirm?: string;
  /** The button that leaves everything as it is (default "Keep"). */
  keep?: string;
  /** Runs on Confirm, after the dialog closes. */
  run: () => unknown;
}

/**
 * A modal dialog that asks before a destructive action: focus starts on Keep, Escape keeps,
 * Confirm runs the action. Render `dialog` somewhere on the page and call `ask(request)`.
 */
export function useConfirm() {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  return {
    ask: (next: ConfirmRequest) => setRequest(next),
    dialog: request ? <ConfirmDialog request={request} onClose={() => setRequest(null)} /> : null,
  };
}

function ConfirmDialog({ request, onClose }: { request: ConfirmRequest; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="confirm"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={`${id}-title`}>{request.title}</h2>
      <div id={`${id}-body`}>{request.body}</div>
      <div className="inline dialog-actions">
        <button type="button" className="secondary" autoFocus onClick={onClose}>
          {request.keep ?? 'Keep'}
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => {
            onClose();
            request.run();
          }}
        >
          {request.confirm ?? 'Confirm'}
        </button>
      </div>
    </dialog>
  );
}
