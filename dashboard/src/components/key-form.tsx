import { useState } from 'preact/hooks';

/** Asked for when an operator endpoint answers 401 or 403: the key goes to sessionStorage, not to any cookie. */
export function KeyForm({ reason, onKey }: { reason: string; onKey(key: string): void }) {
  const [key, setKey] = useState('');
  return (
    <form
      class="key-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (key.trim()) onKey(key.trim());
      }}
    >
      <h2>Operator key needed</h2>
      <p>{reason}</p>
      <label>
        Operator key{' '}
        <input type="password" autoComplete="off" value={key} onInput={(event) => setKey(event.currentTarget.value)} />
      </label>
      <button type="submit">Open the dashboard</button>
      <p>
        <small>Kept in this tab only (sessionStorage) and sent as X-API-Key to this gateway.</small>
      </p>
    </form>
  );
}
