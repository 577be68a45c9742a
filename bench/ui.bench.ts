// The renderer with a huge account, in browser mode in Chromium, measured from a performance
// trace (Chrome's own frame and timeline events), not from timers in this script:
// - frames while each list scrolls for a few seconds (the message list upwards through history,
//   loading older pages as it goes; the conversation list downwards). Chromium runs with its frame
//   rate unlocked (no vsync), so each frame starts as soon as the one before is drawn and the
//   interval between two draws is what a frame costs: script, style, layout, paint, raster and
//   draw. Locked to 60 Hz every interval is a vsync or more whatever the page does (a static
//   page's p95 is above 16.7 ms here from timer jitter alone); TACK_BENCH_UI_VSYNC=1 measures
//   that cadence instead;
// - switching conversations: the click's event dispatch to the first frame drawn after the new
//   conversation's messages rendered (the app's `tack:messages-shown:<id>` performance mark);
// - the JS heap after scrolling, after a forced garbage collection.
// A large account (100,000 messages in one conversation and 20,000 conversations) is measured
// beside a small one (200 messages, 50 conversations) in the same run; the ratio is the headline.
//
// Data: written into the server's SQLite (e2e/seed-history.ts) before each person's first sign-in,
// then downloaded by their device through sync, as a new device of a long-time user would.
import { execFileSync } from 'node:child_process'
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test'
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium'
import { seedHistory } from '../e2e/seed-history'
import { Stack, type AppHost } from '../e2e/stack'
import type { BenchResult } from './harness'

const SCROLL_MS = Number(process.env.TACK_BENCH_UI_SCROLL_MS ?? 5_000)
/** Pixels per animation frame: a brisk flick held for the whole scroll. */
const SCROLL_STEP_PX = 60
const SWITCHES = 6
const SETTLE_MS = 3_000
/** Traced rounds per account, taken in turns. */
const ROUNDS = Number(process.env.TACK_BENCH_UI_ROUNDS ?? 3)
const SYNC_TIMEOUT_MS = 15 * 60_000
const VIEWPORT = { width: 1280, height: 800 }
/** Frames paced by a 60 Hz vsync (the display's cadence) instead of as fast as they are made. */
const VSYNC = process.env.TACK_BENCH_UI_VSYNC === '1'
const UNLOCKED_FRAME_RATE_ARGS = ['--disable-frame-rate-limit', '--disable-gpu-vsync']

interface AccountPlan {
  label: string
  username: string
  memberIds: [string, string]
  historyId: string
  messages: number
  conversations: number
}

const LARGE: AccountPlan = {
  label: 'large',
  username: 'alice',
  memberIds: ['u-alice', 'u-bob'],
  historyId: 'g:bench-history-large',
  // Smaller for a quick try of the benchmark itself; the targets hold for the full figures.
  messages: Number(process.env.TACK_BENCH_UI_MESSAGES ?? 100_000),
  conversations: Number(process.env.TACK_BENCH_UI_CONVERSATIONS ?? 20_000),
}

const SMALL: AccountPlan = {
  label: 'small (baseline)',
  username: 'carol',
  memberIds: ['u-carol', 'u-david'],
  historyId: 'g:bench-history-small',
  messages: 200,
  conversations: 50,
}

interface AccountFigures {
  messageFrameP95: number
  messageFrames: number
  messageDropped: number
  messageMainP95: number
  conversationFrameP95: number
  conversationFrames: number
  conversationDropped: number
  conversationMainP95: number
  switchMedian: number
  switchMax: number
  heapMb: number
  messageRowsInDom: number
  messagesLoaded: number
  syncSeconds: number
}

export async function run(): Promise<BenchResult> {
  // The renderer is measured as built for production, from this checkout's sources.
  process.stdout.write('ui: building the renderer\n')
  execFileSync('npm', ['run', '--silent', 'build:renderer'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const stack = new Stack()
  let browser: Browser | undefined
  try {
    await stack.server.start()
    const seeded = [SMALL, LARGE].map((plan) =>
      seedHistory({
        dataDir: stack.server.dataDir,
        memberIds: plan.memberIds,
        idPrefix: `bench-${plan.username}`,
        conversations: plan.conversations,
        history: {
          conversationId: plan.historyId,
          title: `History ${plan.messages.toLocaleString('en')}`,
          messages: plan.messages,
          days: Math.max(3, Math.round(plan.messages / 250)),
        },
      }),
    )
    const seedSeconds = seeded.reduce((sum, seed) => sum + seed.durationMs, 0) / 1000
    process.stdout.write(`ui: seeded the server in ${seedSeconds.toFixed(1)} s\n`)

    browser = await chromium.launch({
      executablePath: findChromium().executablePath,
      args: VSYNC ? CHROMIUM_ARGS : [...CHROMIUM_ARGS, ...UNLOCKED_FRAME_RATE_ARGS],
      headless: true,
    })
    const accounts = [
      await prepareAccount(browser, stack, SMALL),
      await prepareAccount(browser, stack, LARGE),
    ]
    // The two accounts take turns, round by round, so load from elsewhere on the machine falls
    // on both alike.
    const rounds: RoundFigures[][] = [[], []]
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [index, account] of accounts.entries()) {
        rounds[index]!.push(await measureRound(account))
      }
    }
    const floor = await staticPageFloor(browser)
    const small = pooled(accounts[0]!, rounds[0]!)
    const large = pooled(accounts[1]!, rounds[1]!)
    for (const account of accounts) await account.close()
    printTable(small, large, floor)
    return {
      name: 'ui',
      date: new Date().toISOString(),
      node: process.version,
      metrics: {
        ...metricsOf(small, large, seedSeconds),
        static_page_p95_frame_ms: round(floor),
        frame_rate_locked_to_vsync: VSYNC ? 1 : 0,
      },
    }
  } finally {
    await browser?.close()
    await stack.stop()
  }
}

interface OpenAccount {
  plan: AccountPlan
  host: AppHost
  page: Page
  cdp: CDPSession
  syncSeconds: number
  close(): Promise<void>
}

/** Signs the account in on a fresh device, waits for sync, and opens its long conversation. */
async function prepareAccount(
  browser: Browser,
  stack: Stack,
  plan: AccountPlan,
): Promise<OpenAccount> {
  const host = await stack.addHost(`${plan.username}-profile`)
  const context = await browser.newContext({ viewport: VIEWPORT })
  const page = await context.newPage()
  const syncSeconds = await signInAndSync(page, host, plan)
  await openConversation(page, plan.historyId)
  await pollPage(
    page,
    `[...document.querySelectorAll('[data-testid="message-text"]')].some((e) => e.textContent.startsWith(${JSON.stringify(`#${plan.messages} `)}))`,
  )
  // Let the last of sync's change events settle before anything is measured.
  await page.waitForTimeout(SETTLE_MS)
  return {
    plan,
    host,
    page,
    cdp: await context.newCDPSession(page),
    syncSeconds,
    close: async () => {
      await context.close()
      await host.stop()
    },
  }
}

interface RoundFigures {
  messageFrames: FrameFigures
  conversationFrames: FrameFigures
  switches: number[]
  heapMb: number
  messageRowsInDom: number
  messagesLoaded: number
}

/** One traced round: scroll the message list up, the conversation list down, then switch. */
async function measureRound({ page, cdp, plan }: OpenAccount): Promise<RoundFigures> {
  const trace = await startTrace(cdp)
  await scrollFor(page, 'message-list', -SCROLL_STEP_PX)
  const messagesLoaded = Number(await page.getByTestId('message-list').getAttribute('data-rows'))
  const messageRowsInDom = await page.getByTestId('message').count()
  await scrollFor(page, 'conversation-list', SCROLL_STEP_PX)
  const heapMb = await heapAfterGc(cdp)
  await switchConversations(page, plan)
  const events = await trace.stop()
  return {
    messageFrames: framesIn(events, 'message-list'),
    conversationFrames: framesIn(events, 'conversation-list'),
    switches: switchTimes(events),
    heapMb,
    messageRowsInDom,
    messagesLoaded,
  }
}

/** The rounds of one account pooled: every frame and switch of all of them, the largest heap. */
function pooled(account: OpenAccount, rounds: RoundFigures[]): AccountFigures {
  const all = <T>(pick: (round: RoundFigures) => T[]) => rounds.flatMap(pick)
  const list = (pick: (round: RoundFigures) => FrameFigures) => {
    const intervals = all((round) => pick(round).intervals)
    return {
      p95: percentile(intervals, 0.95),
      frames: intervals.length,
      dropped: rounds.reduce((total, round) => total + pick(round).dropped, 0),
      mainP95: percentile(
        all((round) => pick(round).mainThread),
        0.95,
      ),
    }
  }
  const message = list((round) => round.messageFrames)
  const conversation = list((round) => round.conversationFrames)
  const switches = all((round) => round.switches)
  return {
    messageFrameP95: message.p95,
    messageFrames: message.frames,
    messageDropped: message.dropped,
    messageMainP95: message.mainP95,
    conversationFrameP95: conversation.p95,
    conversationFrames: conversation.frames,
    conversationDropped: conversation.dropped,
    conversationMainP95: conversation.mainP95,
    switchMedian: percentile(switches, 0.5),
    switchMax: Math.max(...switches),
    heapMb: Math.max(...rounds.map((round) => round.heapMb)),
    messageRowsInDom: Math.max(...rounds.map((round) => round.messageRowsInDom)),
    messagesLoaded: Math.max(...rounds.map((round) => round.messagesLoaded)),
    syncSeconds: account.syncSeconds,
  }
}

/**
 * The machine's floor: the same scroll over a static page of 3,000 plain rows (no app, no
 * script but the scroll), traced the same way. Software compositing's frame timing alone.
 */
async function staticPageFloor(browser: Browser): Promise<number> {
  const context = await browser.newContext({ viewport: VIEWPORT })
  try {
    const page = await context.newPage()
    const rows = Array.from({ length: 3_000 }, (_, index) => `<p>row ${index} of a static page</p>`)
    await page.setContent(
      `<div data-testid="static-list" style="height:700px;overflow:auto">${rows.join('')}</div>`,
    )
    const cdp = await context.newCDPSession(page)
    const intervals: number[] = []
    for (let index = 0; index < ROUNDS; index += 1) {
      const trace = await startTrace(cdp)
      await scrollFor(page, 'static-list', SCROLL_STEP_PX)
      intervals.push(...framesIn(await trace.stop(), 'static-list').intervals)
    }
    return percentile(intervals, 0.95)
  } finally {
    await context.close()
  }
}

// ---- driving the page --------------------------------------------------------------------------

/** Signs in on a fresh device and waits until sync has brought the whole seeded history. */
async function signInAndSync(page: Page, host: AppHost, plan: AccountPlan): Promise<number> {
  const started = Date.now()
  await page.goto(host.url)
  await page.getByTestId('login-username').fill(plan.username)
  await page.getByTestId('login-password').fill('demo1234')
  await page.getByTestId('login-submit').click()
  // The history conversation is written last, so its last message means everything arrived.
  const item = `[data-testid="conversation-item"][data-conversation-id="${plan.historyId}"]`
  await pollPage(
    page,
    `document.querySelector(${JSON.stringify(item)})?.textContent.includes(${JSON.stringify(`#${plan.messages} `)})`,
    SYNC_TIMEOUT_MS,
    1_000,
  )
  const seconds = (Date.now() - started) / 1000
  process.stdout.write(`ui: ${plan.label}: signed in and synced in ${seconds.toFixed(1)} s\n`)
  return seconds
}

/**
 * Waits until an expression is true in the page. Polled from here: the app's CSP forbids the
 * string evaluation page.waitForFunction would do inside the page.
 */
async function pollPage(
  page: Page,
  expression: string,
  timeoutMs = 60_000,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`)
    await new Promise((done) => setTimeout(done, intervalMs))
  }
}

async function openConversation(page: Page, conversationId: string): Promise<void> {
  await page.getByTestId('conversation-list').evaluate((list) => list.scrollTo({ top: 0 }))
  await page
    .locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`)
    .click()
}

/**
 * Scrolls one list by `step` pixels every animation frame for SCROLL_MS, between two marks the
 * trace keeps (`bench:<list>:start` / `:end`), turning back at either end (so a short list keeps
 * moving too). The page does the scrolling, so the browser's own frame timing is measured.
 */
async function scrollFor(page: Page, list: string, step: number): Promise<void> {
  await page.evaluate(`new Promise((done) => {
    const element = document.querySelector('[data-testid="${list}"]')
    performance.mark('bench:${list}:start')
    const started = performance.now()
    let step = ${step}
    function frame() {
      const before = element.scrollTop
      element.scrollTop += step
      if (element.scrollTop === before) {
        step = -step
        element.scrollTop += step
      }
      if (performance.now() - started < ${SCROLL_MS}) requestAnimationFrame(frame)
      else { performance.mark('bench:${list}:end'); done() }
    }
    requestAnimationFrame(frame)
  })`)
}

/** Back and forth between the history and a small conversation, each waited for. */
async function switchConversations(page: Page, plan: AccountPlan): Promise<void> {
  const other = `g:bench-${plan.username}-${plan.conversations - 1}`
  for (let index = 0; index < SWITCHES; index += 1) {
    const target = index % 2 === 0 ? other : plan.historyId
    const marks = `performance.getEntriesByName('tack:messages-shown:${target}').length`
    const before = Number(await page.evaluate(marks))
    await openConversation(page, target)
    await pollPage(page, `${marks} > ${before}`)
    // Let the frame with the new messages be drawn before the next click.
    await page.waitForTimeout(300)
  }
}

async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.enable')
  await cdp.send('HeapProfiler.collectGarbage')
  const { usedSize } = await cdp.send('Runtime.getHeapUsage')
  return usedSize / (1024 * 1024)
}

// ---- the trace -----------------------------------------------------------------------------------

interface TraceEvent {
  name: string
  cat: string
  ph: string
  ts: number
  dur?: number
  pid: number
  id?: string | number
  id2?: { local?: string }
  args?: {
    data?: { type?: string }
    frame_reporter?: { state?: string }
  }
}

const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'blink.user_timing',
  'benchmark',
  'cc',
]

async function startTrace(cdp: CDPSession): Promise<{ stop(): Promise<TraceEvent[]> }> {
  const events: TraceEvent[] = []
  const collect = ({ value }: { value: object[] }) =>
    events.push(...(value as unknown as TraceEvent[]))
  cdp.on('Tracing.dataCollected', collect)
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: TRACE_CATEGORIES },
    transferMode: 'ReportEvents',
  })
  return {
    async stop() {
      const complete = new Promise<void>((done) =>
        cdp.once('Tracing.tracingComplete', () => done()),
      )
      await cdp.send('Tracing.end')
      await complete
      cdp.off('Tracing.dataCollected', collect)
      return events
    },
  }
}

/** A user-timing mark's event (the renderer's pid and the time), by name. */
function markEvents(events: TraceEvent[], name: string): TraceEvent[] {
  return events.filter((event) => event.cat.includes('blink.user_timing') && event.name === name)
}

/**
 * Frames drawn by the page's compositor between a list's start and end marks: the intervals
 * between consecutive DrawFrame events (how long each frame stayed on screen), the frames the
 * pipeline reporter says were dropped, and the main thread's work per animation frame.
 */
interface FrameFigures {
  intervals: number[]
  dropped: number
  mainThread: number[]
}

function framesIn(events: TraceEvent[], list: string): FrameFigures {
  const start = markEvents(events, `bench:${list}:start`)[0]
  const end = markEvents(events, `bench:${list}:end`)[0]
  if (!start || !end) throw new Error(`no scroll marks for ${list} in the trace`)
  const pid = start.pid
  const within = (event: TraceEvent) =>
    event.pid === pid && event.ts >= start.ts && event.ts <= end.ts

  const draws = events
    .filter((event) => event.name === 'DrawFrame' && within(event))
    .map((event) => event.ts)
    .sort((a, b) => a - b)
  const intervals = draws.slice(1).map((ts, index) => (ts - draws[index]!) / 1000)

  const dropped = events.filter(
    (event) =>
      event.name === 'PipelineReporter' &&
      event.ph === 'b' &&
      event.args?.frame_reporter?.state === 'STATE_DROPPED' &&
      within(event),
  ).length

  const begins = new Map<string, number>()
  const mainThread: number[] = []
  for (const event of events) {
    if (event.name !== 'AnimationFrame' || event.pid !== pid) continue
    const key = String(event.id ?? event.id2?.local)
    if (event.ph === 's' || event.ph === 'b') begins.set(key, event.ts)
    else if ((event.ph === 'f' || event.ph === 'e') && begins.has(key)) {
      const began = begins.get(key)!
      if (began >= start.ts && event.ts <= end.ts) mainThread.push((event.ts - began) / 1000)
      begins.delete(key)
    }
  }
  return { intervals, dropped, mainThread }
}

/**
 * Each switch: from the click's event dispatch to the first frame drawn after the clicked
 * conversation's messages rendered (its `tack:messages-shown:<id>` mark), in ms.
 */
function switchTimes(events: TraceEvent[]): number[] {
  const clicks = events
    .filter((event) => event.name === 'EventDispatch' && event.args?.data?.type === 'click')
    .sort((a, b) => a.ts - b.ts)
  const shown = events
    .filter(
      (event) =>
        event.cat.includes('blink.user_timing') && event.name.startsWith('tack:messages-shown:'),
    )
    .sort((a, b) => a.ts - b.ts)
  const draws = events
    .filter((event) => event.name === 'DrawFrame')
    .map((event) => event.ts)
    .sort((a, b) => a - b)
  const times: number[] = []
  for (const click of clicks) {
    const mark = shown.find((event) => event.ts >= click.ts)
    if (!mark) continue
    const drawn = draws.find((ts) => ts >= mark.ts)
    if (drawn !== undefined) times.push((drawn - click.ts) / 1000)
  }
  if (times.length === 0) throw new Error('no conversation switch found in the trace')
  return times
}

function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!
}

// ---- report ------------------------------------------------------------------------------------

const round = (value: number, places = 2) => Number(value.toFixed(places))

function metricsOf(
  small: AccountFigures,
  large: AccountFigures,
  seedSeconds: number,
): Record<string, number> {
  return {
    message_list_p95_frame_ms: round(large.messageFrameP95),
    conversation_list_p95_frame_ms: round(large.conversationFrameP95),
    switch_conversation_ms: round(large.switchMedian),
    switch_conversation_max_ms: round(large.switchMax),
    heap_mb: round(large.heapMb, 1),
    message_list_main_thread_p95_ms: round(large.messageMainP95),
    conversation_list_main_thread_p95_ms: round(large.conversationMainP95),
    message_list_frames: large.messageFrames,
    message_list_dropped_frames: large.messageDropped,
    conversation_list_frames: large.conversationFrames,
    conversation_list_dropped_frames: large.conversationDropped,
    message_rows_in_dom: large.messageRowsInDom,
    messages_loaded_after_scroll: large.messagesLoaded,
    baseline_message_list_p95_frame_ms: round(small.messageFrameP95),
    baseline_conversation_list_p95_frame_ms: round(small.conversationFrameP95),
    baseline_switch_conversation_ms: round(small.switchMedian),
    baseline_heap_mb: round(small.heapMb, 1),
    message_list_frame_ratio: round(large.messageFrameP95 / small.messageFrameP95),
    conversation_list_frame_ratio: round(large.conversationFrameP95 / small.conversationFrameP95),
    switch_conversation_ratio: round(large.switchMedian / small.switchMedian),
    heap_ratio: round(large.heapMb / small.heapMb),
    seed_seconds: round(seedSeconds, 1),
    sync_seconds: round(large.syncSeconds, 1),
  }
}

function printTable(small: AccountFigures, large: AccountFigures, floor: number): void {
  const rows: [string, number, number, string][] = [
    ['message list p95 frame (ms)', small.messageFrameP95, large.messageFrameP95, '< 16.7'],
    ['  main thread per frame p95 (ms)', small.messageMainP95, large.messageMainP95, ''],
    ['  frames', small.messageFrames, large.messageFrames, ''],
    ['  dropped frames', small.messageDropped, large.messageDropped, ''],
    [
      'conversation list p95 frame (ms)',
      small.conversationFrameP95,
      large.conversationFrameP95,
      '< 16.7',
    ],
    ['  main thread per frame p95 (ms)', small.conversationMainP95, large.conversationMainP95, ''],
    ['  frames', small.conversationFrames, large.conversationFrames, ''],
    ['  dropped frames', small.conversationDropped, large.conversationDropped, ''],
    ['switch conversation median (ms)', small.switchMedian, large.switchMedian, '< 100'],
    ['switch conversation max (ms)', small.switchMax, large.switchMax, ''],
    ['JS heap after GC (MB)', small.heapMb, large.heapMb, '< 200'],
    ['message rows in the DOM', small.messageRowsInDom, large.messageRowsInDom, ''],
    ['messages loaded after scrolling', small.messagesLoaded, large.messagesLoaded, ''],
    ['sign-in to synced (s)', small.syncSeconds, large.syncSeconds, ''],
  ]
  const lines = [
    `\nui (Chromium, browser mode; large = 100,000 messages + 20,000 conversations; ${
      VSYNC
        ? 'frames paced at 60 Hz: intervals are the display cadence'
        : "frame rate unlocked: intervals are each frame's cost"
    })`,
    `${'metric'.padEnd(34)}  ${'small'.padStart(9)}  ${'large'.padStart(9)}  ${'ratio'.padStart(7)}  target`,
    ...rows.map(
      ([name, a, b, target]) =>
        `${name.padEnd(34)}  ${a.toFixed(2).padStart(9)}  ${b.toFixed(2).padStart(9)}  ${(b / a).toFixed(2).padStart(7)}  ${target}`,
    ),
  ]
  lines.push(`static page p95 frame (ms), the machine's floor: ${floor.toFixed(2)}`)
  process.stdout.write(`${lines.join('\n')}\n`)
}
