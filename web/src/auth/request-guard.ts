// Every request this page makes to its own server goes through here (fetch and XMLHttpRequest, so
// uploads with progress too): changing requests carry the session's CSRF token (from the qmfg_csrf
// cookie); requests nobody asked for — live refreshes while the user is away — are marked as
// background so that they do not keep an idle session alive; and a 401 tells the app the session
// has ended. Installed once, before the app renders.
import { readErrorBody } from '../api/client.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** a request within this long after the user's last input counts as theirs */
const INPUT_WINDOW_MS = 10_000;

let lastInputAt = Date.now();
const inputListeners = new Set<() => void>();
const signedOutListeners = new Set<(message: string) => void>();

export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
}

/** ms since the user last pressed, clicked, touched or scrolled */
export function idleForMs(): number {
  return Date.now() - lastInputAt;
}

export function onUserInput(listener: () => void): () => void {
  inputListeners.add(listener);
  return () => inputListeners.delete(listener);
}

/** The server answered 401 to a request of this page: the session is gone (idle timeout, signed out elsewhere). */
export function onSignedOut(listener: (message: string) => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

function sameOrigin(url: string): URL | null {
  const parsed = new URL(url, window.location.href);
  return parsed.origin === window.location.origin ? parsed : null;
}

function extraHeaders(method: string, url: URL): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!SAFE_METHODS.has(method.toUpperCase())) {
    const token = readCookie('qmfg_csrf');
    if (token) headers['x-csrf-token'] = token;
  }
  if (idleForMs() > INPUT_WINDOW_MS && url.pathname.startsWith('/api/')) headers['x-qmfg-background'] = '1';
  return headers;
}

/** 401 from anything but the sign-in calls themselves means the session ended. */
async function reportSignedOut(url: URL, response: { status: number; text?: () => Promise<string> }): Promise<void> {
  if (response.status !== 401 || url.pathname.startsWith('/api/auth/login') || url.pathname.startsWith('/api/auth/session')) return;
  let message = 'Your session has ended; sign in again.';
  try {
    message = readErrorBody(JSON.parse((await response.text?.()) ?? ''))?.error.message ?? message;
  } catch {
    // not JSON: keep the general message
  }
  for (const listener of signedOutListeners) listener(message);
}

let installed = false;

export function installRequestGuard(): void {
  if (installed) return;
  installed = true;
  const markInput = () => {
    lastInputAt = Date.now();
    for (const listener of inputListeners) listener();
  };
  for (const type of ['pointerdown', 'keydown', 'wheel', 'touchstart']) window.addEventListener(type, markInput, { capture: true, passive: true });

  const originalFetch = window.fetch.bind(window);
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = sameOrigin(href);
    if (!url) return originalFetch(input, init);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    for (const [name, value] of Object.entries(extraHeaders(method, url))) headers.set(name, value);
    const response = await originalFetch(input, { ...init, headers });
    if (response.status === 401) void reportSignedOut(url, response.clone());
    return response;
  };

  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  const targets = new WeakMap<XMLHttpRequest, { method: string; url: URL | null }>();
  XMLHttpRequest.prototype.open = function patchedOpen(this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    targets.set(this, { method, url: sameOrigin(String(url)) });
    return (open as (...args: unknown[]) => void).call(this, method, url, ...rest);
  } as typeof XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.send = function patchedSend(this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const target = targets.get(this);
    if (target?.url) {
      const url = target.url;
      for (const [name, value] of Object.entries(extraHeaders(target.method, url))) this.setRequestHeader(name, value);
      this.addEventListener('load', () => {
        if (this.status === 401) void reportSignedOut(url, { status: 401, text: async () => (typeof this.response === 'string' ? this.response : '') });
      });
    }
    return send.call(this, body);
  };
}
