/**
 * The booking widget's postMessage protocol, version 1 (README "Booking widget"). Shared by the
 * widget and its loader. A new field may be added within a version; a change that breaks a
 * reader gets version 2 (the loader is cached by partners for up to a day).
 */

export const WIDGET_SOURCE = 'serenity-booking';
export const HOST_SOURCE = 'serenity-host';
export const VERSION = 1;

/** What the widget tells the host about a booking: no secrets, nothing personal beyond the time. */
export interface BookingInfo {
  id: string;
  code: string;
  consultantId: string;
  start: string;
  end: string;
  status: string;
  paymentMethod: 'CREDITS' | 'BOOKING_FEE';
}

/** Widget → host. */
export type WidgetMessage = { source: typeof WIDGET_SOURCE; version: typeof VERSION } & (
  | { type: 'ready' }
  | { type: 'booked'; consultation: BookingInfo }
  | { type: 'cancelled'; consultation: BookingInfo }
  | { type: 'resize'; height: number }
  /** The host's access token was refused (expired, signed out): send a fresh one with a token message. */
  | { type: 'token-expired' }
);

/**
 * Host → widget: the partner's own sign-in of this client (never in the URL). An access token
 * only: refresh tokens rotate, so a widget refreshing with the partner's would sign the partner out.
 */
export interface TokenMessage {
  source: typeof HOST_SOURCE;
  version: typeof VERSION;
  type: 'token';
  accessToken: string;
}

export function isWidgetMessage(data: unknown): data is WidgetMessage {
  return typeof data === 'object' && data !== null && (data as { source?: unknown }).source === WIDGET_SOURCE && (data as { version?: unknown }).version === VERSION;
}

export function isTokenMessage(data: unknown): data is TokenMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Partial<TokenMessage>;
  return m.source === HOST_SOURCE && m.version === VERSION && m.type === 'token' && typeof m.accessToken === 'string' && m.accessToken.length > 0;
}
