// The dashboard's page script. The server renders everything; this swaps in a freshly rendered <main> when the monitor
// says something changed (server-sent events, followed by events-worker.ts in a worker, no polling), sends the board's forms and
// a card dropped on a column as JSON with the session's CSRF token, and words a date input's complaint. It never
// builds markup from task text: what it inserts is the server's escaped HTML.
const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
const main = document.getElementById('main') as HTMLElement;
const live = document.getElementById('live') as HTMLElement;

const projectQuery = (): string => {
  const name = main.querySelector<HTMLElement>('[data-project]')?.dataset.project;
  return name ? `?project=${encodeURIComponent(name)}` : '';
};

/**
 * A form being filled in, or a control the keyboard is on (a card's Move menu), is not swapped out from under the
 * person: the update waits until they leave it.
 */
let pending = false;
/** The card being dragged: a swap would take it out from under the pointer and end the drag. */
let dragged: HTMLElement | undefined;
const editing = (): boolean => {
  const el = document.activeElement;
  return (
    dragged !== undefined ||
    (el instanceof HTMLElement && main.contains(el) && /^(INPUT|TEXTAREA|SELECT|BUTTON|SUMMARY)$/.test(el.tagName))
  );
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
  const html = await res.text();
  // The person may have reached a control while the new <main> was on its way: it waits for them too.
  if (editing()) {
    pending = true;
    return;
  }
  const open = [...main.querySelectorAll<HTMLDetailsElement>('.card details[open]')].map((d) => ({
    id: d.closest<HTMLElement>('[data-id]')?.dataset.id ?? '',
    kind: d.className,
  }));
  main.innerHTML = html;
  for (const { id, kind } of open)
    main
      .querySelector<HTMLDetailsElement>(`[data-id="${CSS.escape(id)}"] details.${CSS.escape(kind)}`)
      ?.setAttribute('open', '');
}

main.addEventListener('focusout', () => {
  setTimeout(() => {
    if (pending && !editing()) void refresh();
  }, 0);
});

/** One board action to the monitor; the page shows whether it was saved, then the board as it now is. */
function send(body: Record<string, string>): void {
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
}

main.addEventListener('submit', (event) => {
  const form = event.target as HTMLFormElement;
  const action = form.dataset.action;
  if (!action) return;
  event.preventDefault();
  if (action === 'delete' && !window.confirm(`Delete ${form.dataset.id}?`)) return;
  const body: Record<string, string> = { action };
  if (form.dataset.id) body.id = form.dataset.id;
  // The move menu's buttons each carry their status: the one clicked is the submitter.
  for (const [k, v] of new FormData(form, event.submitter)) if (typeof v === 'string') body[k] = v;
  form.closest('details.move')?.removeAttribute('open');
  send(body);
});

/** A date input's complaint in the CLI's words (its title) rather than the browser's "match the requested format". */
main.addEventListener('input', (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.pattern) return;
  input.setCustomValidity('');
  if (input.validity.patternMismatch) input.setCustomValidity(input.title);
});

// Drag and drop: a card dropped on a column its Move menu offers (a folded one too) moves there.
const dropTarget = (event: DragEvent): HTMLElement | undefined => {
  const column = (event.target as Element | null)?.closest<HTMLElement>('.column');
  const moves = dragged?.dataset.moves?.split(' ') ?? [];
  return column?.dataset.status && moves.includes(column.dataset.status) ? column : undefined;
};
main.addEventListener('dragstart', (event) => {
  dragged = (event.target as Element | null)?.closest<HTMLElement>('.card[draggable]') ?? undefined;
  if (!dragged || !event.dataTransfer) return;
  event.dataTransfer.effectAllowed = 'move';
  event.dataTransfer.setData('text/plain', dragged.dataset.id ?? '');
});
main.addEventListener('dragover', (event) => {
  const column = dropTarget(event);
  if (!column) return;
  event.preventDefault();
  for (const c of main.querySelectorAll('.drop')) if (c !== column) c.classList.remove('drop');
  column.classList.add('drop');
});
main.addEventListener('dragend', () => {
  dragged = undefined;
  for (const c of main.querySelectorAll('.drop')) c.classList.remove('drop');
  if (pending && !editing()) void refresh();
});
main.addEventListener('drop', (event) => {
  const column = dropTarget(event);
  const id = dragged?.dataset.id;
  if (!column?.dataset.status || !id) return;
  event.preventDefault();
  column.classList.remove('drop');
  dragged = undefined;
  send({ action: 'move', id, status: column.dataset.status });
});

const events = new Worker('/dashboard/events-worker.js');
/** Whether the stream was lost: what changed meanwhile is fetched once it is back. */
let lost = false;
events.onmessage = (event: MessageEvent<string>) => {
  if (event.data === 'change' || (event.data === 'open' && lost)) void refresh();
  lost = event.data === 'error' || (lost && event.data !== 'open');
  if (event.data !== 'change') live.textContent = lost ? 'reconnecting to the monitor…' : 'live';
};
events.onerror = () => {
  live.textContent = 'live updates failed to start: reload the page';
};
