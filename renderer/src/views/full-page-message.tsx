// A centred card for pages that stand alone: no launch token, host unreachable, starting up.
import type { ReactNode } from 'react'

export function FullPageMessage({
  title,
  children,
  role = 'status',
}: {
  title: string
  children?: ReactNode
  role?: 'status' | 'alert'
}) {
  return (
    <main className="full-page">
      <section className="full-page-card" role={role} aria-labelledby="full-page-title">
        <h1 id="full-page-title">{title}</h1>
        {children}
      </section>
    </main>
  )
}
