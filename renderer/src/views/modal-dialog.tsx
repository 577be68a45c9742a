// A modal dialog over the app: Tab and Shift+Tab stay inside it, Escape closes it (and, when asked,
// a click on the backdrop), and when it closes the focus goes back where it was before it opened.
import {
  useEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react'

const FOCUSABLE =
  'a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), ' +
  'textarea:not(:disabled), [tabindex]:not([tabindex="-1"])'

export function ModalDialog({
  labelledBy,
  onClose,
  closeOnBackdrop = false,
  className,
  testId,
  children,
}: {
  /** The id of the dialog's heading. */
  labelledBy: string
  onClose(): void
  /** A click beside the dialog closes it too (a viewer, with nothing typed to lose). */
  closeOnBackdrop?: boolean
  className?: string
  testId: string
  children: ReactNode
}) {
  const dialog = useRef<HTMLDivElement>(null)
  const onKeyDown = useDialogFocus(dialog, onClose)
  return (
    <div
      className="dialog-backdrop"
      onKeyDown={onKeyDown}
      onClick={(event) => {
        if (closeOnBackdrop && event.target === event.currentTarget) onClose()
      }}
    >
      <div
        className={`dialog dialog-wide${className ? ` ${className}` : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={labelledBy}
        ref={dialog}
        data-testid={testId}
      >
        {children}
      </div>
    </div>
  )
}

function useDialogFocus(
  dialog: RefObject<HTMLElement | null>,
  onClose: () => void,
): (event: KeyboardEvent) => void {
  // Read while rendering, before an autoFocus inside the dialog takes the focus.
  const [before] = useState(() => document.activeElement)

  useEffect(
    () => () => {
      requestAnimationFrame(() => {
        if (before instanceof HTMLElement && before.isConnected) before.focus()
      })
    },
    [before],
  )

  return (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation()
      onClose()
      return
    }
    if (event.key !== 'Tab' || !dialog.current) return
    const focusable = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)]
    const first = focusable[0]
    const last = focusable[focusable.length - 1]
    if (!first || !last) return
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault()
      first.focus()
    }
  }
}
