// The page's live channel, in a dedicated worker: the monitor's server-sent events, passed on to the page as
// 'change', 'open' and 'error'. Held here rather than by the page, the stream never counts as one of the page's own
// loads, so the page is idle once loaded: a headless Chromium's --virtual-time-budget (which waits for the page's
// fetches to end) settles and screenshots it, while a person's page still updates itself.
const events = new EventSource('/dashboard/events');
events.addEventListener('change', () => postMessage('change'));
events.onopen = () => postMessage('open');
events.onerror = () => postMessage('error');
