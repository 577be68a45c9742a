// Recording a voice message in the composer: a toggle starts the microphone, a timer runs while
// it records, and each piece MediaRecorder produces goes to the core at once, which uploads it
// while the recording goes on (deferred length). Stop sends; the message is out moments later.
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { createLogger } from '../../../shared/logger'
import { formatDuration } from '../../../shared/message-notice'
import { useTack } from '../store/store-context'
import { CloseIcon, MicIcon, StopIcon } from './attachment-icons'

const log = createLogger('voice')

/** How often MediaRecorder hands over what it has recorded. */
const SLICE_MS = 250

interface Recording {
  recorder: MediaRecorder
  stream: MediaStream
  recordingId: Promise<string>
  /** Pieces go to the core strictly in order, one after the other. */
  queue: Promise<void>
  startedAt: number
}

export function VoiceRecorder({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation()
  const startVoice = useTack((state) => state.startVoice)
  const appendVoice = useTack((state) => state.appendVoice)
  const finishVoice = useTack((state) => state.finishVoice)
  const discardVoice = useTack((state) => state.discardVoice)
  const [elapsed, setElapsed] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const recording = useRef<Recording | null>(null)

  const recordingNow = elapsed !== null
  useEffect(() => {
    if (!recordingNow) return
    const timer = setInterval(() => {
      const current = recording.current
      if (current) setElapsed(Date.now() - current.startedAt)
    }, 200)
    return () => clearInterval(timer)
  }, [recordingNow])

  // Leaving the conversation while recording throws the recording away.
  useEffect(
    () => () => {
      const current = recording.current
      if (!current) return
      recording.current = null
      if (current.recorder.state !== 'inactive') current.recorder.stop()
      for (const track of current.stream.getTracks()) track.stop()
      void current.recordingId.then((id) => discardVoice(id)).catch(() => undefined)
    },
    [discardVoice],
  )

  async function start(): Promise<void> {
    setError(null)
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true })
      const mime = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm'].find((type) =>
        MediaRecorder.isTypeSupported(type),
      )
      const recorder = new MediaRecorder(stream, mime ? { mimeType: mime } : undefined)
      const current: Recording = {
        recorder,
        stream,
        recordingId: startVoice(conversationId, (mime ?? 'audio/webm').split(';')[0]!),
        queue: Promise.resolve(),
        startedAt: Date.now(),
      }
      current.recordingId.catch(() => undefined)
      recorder.ondataavailable = (event) => {
        if (event.data.size === 0) return
        current.queue = current.queue.then(async () =>
          appendVoice(await current.recordingId, new Uint8Array(await event.data.arrayBuffer())),
        )
      }
      recorder.start(SLICE_MS)
      recording.current = current
      setElapsed(0)
    } catch (reason) {
      log.warn({ error: String(reason) }, 'recording did not start')
      setError(t('attachments.micUnavailable'))
    }
  }

  async function stop(send: boolean): Promise<void> {
    const current = recording.current
    if (!current) return
    recording.current = null
    setElapsed(null)
    const stopped = new Promise<void>((done) =>
      current.recorder.addEventListener('stop', () => done()),
    )
    if (current.recorder.state !== 'inactive') current.recorder.stop()
    await stopped
    for (const track of current.stream.getTracks()) track.stop()
    const durationMs = Date.now() - current.startedAt
    try {
      await current.queue
      const recordingId = await current.recordingId
      if (send) await finishVoice(recordingId, durationMs)
      else await discardVoice(recordingId)
    } catch (reason) {
      setError(t('attachments.voiceFailed', { message: String(reason) }))
    }
  }

  return (
    <span className="voice-recorder">
      <button
        type="button"
        className={`button${recordingNow ? ' recording' : ''}`}
        aria-pressed={recordingNow}
        aria-label={recordingNow ? t('attachments.stopRecording') : t('attachments.record')}
        title={recordingNow ? t('attachments.stopRecording') : t('attachments.record')}
        onClick={() => void (recordingNow ? stop(true) : start())}
        data-testid="voice-record"
      >
        {recordingNow ? <StopIcon /> : <MicIcon />}
      </button>
      {recordingNow && (
        <>
          <span className="voice-timer" role="timer" aria-live="off" data-testid="voice-timer">
            {formatDuration(elapsed)}
          </span>
          <button
            type="button"
            className="button"
            onClick={() => void stop(false)}
            aria-label={t('attachments.discardRecording')}
            data-testid="voice-discard"
          >
            <CloseIcon />
          </button>
        </>
      )}
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </span>
  )
}
