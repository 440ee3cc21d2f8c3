// The dashboard's one script. The server renders everything; this swaps in a freshly rendered <main> when the monitor
// says something changed (server-sent events, no polling), and sends the board's forms as JSON with the session's
// CSRF token. It never builds markup from task text: what it inserts is the server's escaped HTML.
const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
const main = document.getElementById('main') as HTMLElement;
const live = document.getElementById('live') as HTMLElement;

const projectQuery = (): string => {
  const name = main.querySelector<HTMLElement>('[data-project]')?.dataset.project;
  return name ? `?project=${encodeURIComponent(name)}` : '';
};

/** A form being filled in is not swapped out from under the person: the update waits until they leave it. */
let pending = false;
const editing = (): boolean => {
  const el = document.activeElement;
  return el instanceof HTMLElement && main.contains(el) && /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName);
};

async function refresh(): Promise<void> {
  if (editing()) {
    pending = true;
    return;
  }
  pending = false;
  const res = await fetch(`/dashboard/main${projectQuery()}`, { credentials: 'same-origin' });
  if (!res.ok) {
    live.textContent =
      res.status === 401 ? 'signed out: run `taskhooks dashboard` again' : `update failed (${res.status})`;
    return;
  }
  const open = [...main.querySelectorAll<HTMLDetailsElement>('details[open]')].map((d) =>
    d.closest('[data-id]')?.getAttribute('data-id'),
  );
  main.innerHTML = await res.text();
  for (const id of open)
    if (id) main.querySelector<HTMLDetailsElement>(`[data-id="${CSS.escape(id)}"] details`)?.setAttribute('open', '');
}

main.addEventListener('focusout', () => {
  setTimeout(() => {
    if (pending && !editing()) void refresh();
  }, 0);
});

main.addEventListener('submit', (event) => {
  const form = event.target as HTMLFormElement;
  const action = form.dataset.action;
  if (!action) return;
  event.preventDefault();
  if (action === 'delete' && !window.confirm(`Delete ${form.dataset.id}?`)) return;
  const body: Record<string, string> = { action };
  if (form.dataset.id) body.id = form.dataset.id;
  for (const [k, v] of new FormData(form)) if (typeof v === 'string') body[k] = v;
  (document.activeElement as HTMLElement | null)?.blur();
  live.textContent = 'saving…';
  void fetch(`/dashboard/tasks${projectQuery()}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
    body: JSON.stringify(body),
  })
    .then(async (res) => {
      const answer = (await res.json().catch(() => ({}))) as { error?: string };
      live.textContent = res.ok ? 'saved' : `not saved: ${answer.error ?? res.status}`;
      if (res.ok) await refresh();
    })
    .catch((err: unknown) => {
      live.textContent = `not saved: ${String(err)}`;
    });
});

const events = new EventSource('/dashboard/events');
events.addEventListener('change', () => void refresh());
events.onopen = () => {
  live.textContent = 'live';
};
events.onerror = () => {
  live.textContent = 'reconnecting to the monitor…';
};
