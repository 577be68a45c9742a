// Toasts from micro-apps, and the preloader one may show while it works.
import { useTack } from '../store/store-context'

export function WorkbenchToasts() {
  const toasts = useTack((state) => state.toasts)
  const preloader = useTack((state) => state.preloader)
  return (
    <div className="workbench-toasts" aria-live="polite">
      {preloader !== null && (
        <div className="toast" data-testid="microapp-preloader">
          ⏳ {preloader}
        </div>
      )}
      {toasts.map((toast) => (
        <div
          key={toast.id}
          className={`toast toast-${toast.icon ?? 'plain'}`}
          data-testid="microapp-toast"
        >
          {toast.icon === 'success' ? '✓ ' : toast.icon === 'error' ? '✕ ' : ''}
          {toast.text}
        </div>
      ))}
    </div>
  )
}
