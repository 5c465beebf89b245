import { useCallback, useState } from 'react';

/**
 * A success message after an action, in a polite live region (`role="status"`) that is always on
 * the page, so screen readers announce each new message. It stays until the next one or until
 * dismissed: a message that vanishes on a timer can be missed.
 */
export function useStatus() {
  const [message, setMessage] = useState('');
  const say = useCallback((text: string) => setMessage(text), []);
  return {
    say,
    region: (
      <div className="toast-area">
        <p role="status" className={message ? 'toast' : undefined}>
          {message}
        </p>
        {message ? (
          <button type="button" className="link" onClick={() => setMessage('')}>
            Dismiss
          </button>
        ) : null}
      </div>
    ),
  };
}
