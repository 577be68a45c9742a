// A message's text: always React text nodes (never HTML), with http(s) URLs as links that open
// outside the app: a new window with no opener, which Electron's shell hands to the system browser.
import type { MouseEvent } from 'react'
import { splitLinks } from '../format/links'

export function MessageText({ text }: { text: string }) {
  return (
    <>
      {splitLinks(text).map((part, index) =>
        part.kind === 'text' ? (
          part.text
        ) : (
          <a
            key={index}
            href={part.href}
            target="_blank"
            rel="noopener noreferrer"
            onClick={(event) => openOutside(event, part.href)}
            data-testid="message-link"
          >
            {part.text}
          </a>
        ),
      )}
    </>
  )
}

function openOutside(event: MouseEvent<HTMLAnchorElement>, href: string): void {
  event.preventDefault()
  window.open(href, '_blank', 'noopener,noreferrer')
}
