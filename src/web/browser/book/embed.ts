/**
 * The loader of /book/embed.js: partners add
 *   <script src="https://api.example.com/book/embed.js" data-consultant="CON-…" async></script>
 * and it puts the booking widget's iframe right after the tag, sizes it to its content, and
 * passes on what the widget says: as a `serenity-booking` DOM event on the script element
 * (bubbling; event.detail is the message), besides the postMessage the host window gets anyway.
 * `window.SerenityBooking.setToken({ accessToken })` hands the partner's sign-in of this client to
 * the widget — by postMessage to the widget's origin, after its "ready" (again after "token-expired").
 */
import { HOST_SOURCE, VERSION, isWidgetMessage, type TokenMessage } from './messages.js';

interface Embedded {
  send(message: TokenMessage): void;
}
interface SerenityBookingApi {
  setToken(tokens: { accessToken: string }): void;
}

const registry = ((window as unknown as { SerenityBooking?: SerenityBookingApi & { widgets: Embedded[] } }).SerenityBooking ??= (() => {
  const widgets: Embedded[] = [];
  let token: TokenMessage | null = null;
  return {
    widgets,
    setToken(tokens: { accessToken: string }) {
      token = { source: HOST_SOURCE, version: VERSION, type: 'token', accessToken: tokens.accessToken };
      for (const widget of widgets) widget.send(token);
    },
    get token() {
      return token;
    },
  };
})()) as SerenityBookingApi & { widgets: Embedded[]; readonly token: TokenMessage | null };

function embed(script: HTMLScriptElement): void {
  const widgetOrigin = new URL(script.src).origin;
  const { consultant, skills } = script.dataset;
  const url = new URL(consultant ? `/book/${encodeURIComponent(consultant)}` : '/book', widgetOrigin);
  if (skills) url.searchParams.set('skills', skills);
  // Not a secret: whom the widget answers (postMessage's targetOrigin) and whose token it takes.
  url.searchParams.set('host', location.origin);

  const iframe = document.createElement('iframe');
  iframe.src = url.href;
  iframe.title = script.dataset['title'] ?? 'Book a session';
  iframe.setAttribute('allow', 'payment');
  Object.assign(iframe.style, { display: 'block', width: '100%', maxWidth: script.dataset['maxWidth'] ?? '44rem', height: '36rem', border: '0', colorScheme: 'normal' });
  script.after(iframe);

  let ready = false;
  const widget: Embedded = {
    send(message) {
      if (ready) iframe.contentWindow?.postMessage(message, widgetOrigin);
    },
  };
  registry.widgets.push(widget);

  window.addEventListener('message', (event) => {
    if (event.source !== iframe.contentWindow || event.origin !== widgetOrigin || !isWidgetMessage(event.data)) return;
    const message = event.data;
    if (message.type === 'resize') {
      iframe.style.height = `${Math.min(Math.max(Math.ceil(message.height), 200), 4000)}px`;
      return;
    }
    if (message.type === 'ready') {
      ready = true;
      if (registry.token) widget.send(registry.token);
    }
    script.dispatchEvent(new CustomEvent('serenity-booking', { detail: message, bubbles: true }));
  });
}

const current = document.currentScript;
if (current instanceof HTMLScriptElement && current.src) embed(current);
