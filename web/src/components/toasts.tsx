// Short notices in a corner: confirmations ("Machine line12 created") and errors that belong to no
// field. They go away by themselves (errors after longer) or when dismissed. At most two show; older
// ones collapse into "1 earlier notice". The space the notices take is published as the CSS variable
// --toast-space, so a screen that fills the window (the board) makes room instead of being covered.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

type ToastKind = 'success' | 'error' | 'info';
interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

interface ToastApi {
  success(message: string): void;
  error(message: string): void;
  info(message: string): void;
}

const ToastContext = createContext<ToastApi | null>(null);
const SUCCESS_MS = 5000;
const ERROR_MS = 15_000;
/** notices shown at once; older ones collapse */
const MAX_SHOWN = 2;
/** notices kept (the collapsed ones included) */
const MAX_KEPT = 6;

/** Keeps --toast-space on <html> equal to the height the notices cover at the bottom of the window. */
function usePublishedSpace(container: React.RefObject<HTMLDivElement | null>, shown: unknown): void {
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const publish = () => {
      const rect = element.getBoundingClientRect();
      const space = element.childElementCount === 0 || rect.height === 0 ? 0 : Math.ceil(window.innerHeight - rect.top + 8);
      document.documentElement.style.setProperty('--toast-space', `${Math.max(0, space)}px`);
    };
    const observer = new ResizeObserver(publish);
    observer.observe(element);
    window.addEventListener('resize', publish);
    publish();
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', publish);
    };
  }, [container, shown]);
  useEffect(() => () => void document.documentElement.style.removeProperty('--toast-space'), []);
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [expanded, setExpanded] = useState(false);
  const nextId = useRef(1);
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (toasts.length <= MAX_SHOWN) setExpanded(false);
  }, [toasts.length]);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const push = useCallback(
    (kind: ToastKind, message: string) => {
      const id = nextId.current++;
      setToasts((all) => [...all.slice(-(MAX_KEPT - 1)), { id, kind, message }]);
      setTimeout(() => dismiss(id), kind === 'error' ? ERROR_MS : SUCCESS_MS);
    },
    [dismiss],
  );
  const api = useMemo<ToastApi>(
    () => ({ success: (m) => push('success', m), error: (m) => push('error', m), info: (m) => push('info', m) }),
    [push],
  );
  const shown = expanded ? toasts : toasts.slice(-MAX_SHOWN);
  const hidden = toasts.length - shown.length;
  usePublishedSpace(container, shown);
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" aria-live="polite" ref={container}>
        {hidden > 0 ? (
          <button type="button" className="toast-more" onClick={() => setExpanded(true)} data-testid="toasts-more">
            {hidden === 1 ? '1 earlier notice' : `${hidden} earlier notices`} · show
          </button>
        ) : null}
        {shown.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'} data-testid={`toast-${toast.kind}`}>
            <span className="toast-message">{toast.message}</span>
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToast must be used inside <ToastProvider>');
  return api;
}
