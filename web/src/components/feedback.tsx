// Small building blocks for waiting, empty and failed states.
import type { ReactNode } from 'react';

export function Spinner({ label = 'Loading…', inline = false }: { label?: string; inline?: boolean }) {
  return (
    <div className={inline ? 'spinner-inline' : 'spinner-block'} role="status" data-testid="spinner">
      <span className="spinner" aria-hidden="true" />
      <span className={inline ? 'visually-hidden' : 'spinner-label'}>{label}</span>
    </div>
  );
}

export function EmptyState({ title, children, icon, testId }: { title: string; children?: ReactNode; icon?: ReactNode; testId?: string }) {
  return (
    <div className="empty-state" data-testid={testId}>
      {icon ? <div className="empty-icon" aria-hidden="true">{icon}</div> : null}
      <h2>{title}</h2>
      {children}
    </div>
  );
}

export function ErrorBanner({ message, action, testId = 'error-banner' }: { message: string; action?: ReactNode; testId?: string }) {
  return (
    <div className="banner banner-error" role="alert" data-testid={testId}>
      <span className="banner-text">{message}</span>
      {action ? <span className="banner-action">{action}</span> : null}
    </div>
  );
}

export function LoadFailed({ error, onRetry }: { error: Error; onRetry: () => void }) {
  return (
    <ErrorBanner
      message={error.message}
      testId="load-error"
      action={
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      }
    />
  );
}

/** Someone saved a newer version meanwhile: says so and offers to load it (the edit stays until then). */
export function StaleBanner({ message, onReload, testId }: { message: string; onReload: () => void; testId: string }) {
  return (
    <ErrorBanner
      message={message}
      testId={`${testId}-stale`}
      action={
        <button type="button" className="button" onClick={onReload} data-testid={`${testId}-reload`}>
          Load the latest version
        </button>
      }
    />
  );
}
