// Where a tack:// link goes: it brings the window forward and opens its conversation (or, with
// the container of #8, its micro-app). A link that comes before the window exists (the launch's
// own argv, macOS's open-url at start) waits until the window is there. No 'electron' import.
import { createLogger } from '../../shared/logger'
import { findDeepLink, type DeepLink } from './deep-link'

const log = createLogger('links')

export interface LinkTargets {
  hasWindow(): boolean
  showWindow(): void
  openConversation(conversationId: string): void
  openMicroApp(agentId: string, path: string | null): void
}

export class LinkRouter {
  private pending: DeepLink | null = null

  constructor(private readonly targets: LinkTargets) {}

  /** A second launch: focus this instance, then follow the link among its arguments, if any. */
  secondInstance(argv: readonly string[]): void {
    this.targets.showWindow()
    this.route(findDeepLink(argv))
  }

  route(link: DeepLink | null): void {
    if (!link) return
    if (!this.targets.hasWindow()) {
      this.pending = link
      return
    }
    this.targets.showWindow()
    if (link.kind === 'conversation') this.targets.openConversation(link.conversationId)
    else this.targets.openMicroApp(link.agentId, link.path)
    log.info({ kind: link.kind }, 'link followed')
  }

  /** Once the window exists: follows the link that came before it. */
  windowReady(): void {
    const link = this.pending
    this.pending = null
    this.route(link)
  }
}
