/**
 * The widget's side of the postMessage protocol (messages.ts): whom it answers and whose token it
 * takes. The host's origin comes from the `host` parameter the loader (or README's iframe snippet)
 * puts in the URL — not a secret: the browser delivers a message only if the parent really is that
 * origin, and a token is taken only from that origin and from the parent window itself.
 */
import { VERSION, WIDGET_SOURCE, isTokenMessage, type TokenMessage, type WidgetMessage } from './messages.js';

type Body = WidgetMessage extends infer M ? (M extends unknown ? Omit<M, 'source' | 'version'> : never) : never;

export interface Host {
  embedded: boolean;
  /** The embedding page's origin when known (postMessage's targetOrigin), else null. */
  origin: string | null;
  post(message: Body): void;
  onToken(listener: (token: TokenMessage) => void): void;
}

function originOf(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
}

export function connectHost(allowed: '*' | readonly string[]): Host {
  const embedded = window.parent !== window;
  const claimed = originOf(new URLSearchParams(location.search).get('host')) ?? originOf(location.ancestorOrigins?.[0]);
  const origin = embedded && claimed && (allowed === '*' || allowed.includes(claimed)) ? claimed : null;
  return {
    embedded,
    origin,
    post(message) {
      if (!embedded) return;
      // Messages carry no secret; still, to the embedding origin whenever it is known.
      window.parent.postMessage({ source: WIDGET_SOURCE, version: VERSION, ...message }, origin ?? '*');
    },
    onToken(listener) {
      if (!origin) return;
      window.addEventListener('message', (event) => {
        if (event.source === window.parent && event.origin === origin && isTokenMessage(event.data)) listener(event.data);
      });
    },
  };
}
