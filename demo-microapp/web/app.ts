// The demo micro-app's page: free-login through requestAuthCode and the backend, a task list whose
// tasks are assigned with the host's contact picker, and the host's toast, confirm, title and
// right-hand navigation button.
import type { Dd, JsApiError, PickedUser } from '../../sdk/dd/types'

interface Task {
  id: string
  title: string
  assigneeName: string
  done: boolean
}

const dd = window.dd as Dd
/** The backend's address when the page runs from an offline package (config.js sets it). */
const backend = (window as { DEMO_BACKEND?: string }).DEMO_BACKEND ?? ''
let session = ''

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T

function status(text: string): void {
  byId('status').textContent = text
}

async function api<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${backend}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Session': session },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const answer = (await response.json()) as T & { error?: string }
  if (!response.ok) throw new Error(answer.error ?? response.statusText)
  return answer
}

async function start(): Promise<void> {
  const url = window.location.href.split('#')[0]!
  dd.config(await api(`/api/config?url=${encodeURIComponent(url)}`))
  dd.error((error) => status(`dd.config failed: ${error.errorMessage}`))
  dd.ready(() => void signIn())
}

async function signIn(): Promise<void> {
  await dd.biz.navigation.setTitle({ title: '任务 Tasks' })
  const { code } = await dd.runtime.permission.requestAuthCode({ corpId: 'tack' })
  const login = await api<{ session: string; user: { userid: string; name: string } }>(
    '/api/login',
    { code },
  )
  session = login.session
  byId('me').textContent = login.user.name
  byId('me').dataset.userId = login.user.userid
  void dd.biz.navigation.setRight({
    text: 'Refresh',
    control: true,
    onSuccess: () => void refresh().then(() => dd.device.notification.toast({ text: 'Refreshed' })),
  })
  await refresh()
  status('ready')
}

async function refresh(): Promise<void> {
  const { tasks } = await api<{ tasks: Task[] }>('/api/tasks')
  const list = byId('tasks')
  list.replaceChildren(...tasks.map(taskItem))
}

function taskItem(task: Task): HTMLLIElement {
  const item = document.createElement('li')
  item.dataset.taskId = task.id
  item.dataset.done = String(task.done)
  const label = document.createElement('span')
  label.textContent = `${task.title} → ${task.assigneeName}${task.done ? ' ✓' : ''}`
  item.append(label)
  if (!task.done) {
    const done = document.createElement('button')
    done.textContent = 'Done'
    done.className = 'done'
    done.addEventListener('click', () => void markDone(task))
    item.append(done)
  }
  return item
}

async function assign(): Promise<void> {
  const title = byId<HTMLInputElement>('task-title').value.trim()
  if (!title) return void dd.device.notification.toast({ text: 'Type a task first', icon: 'error' })
  let picked: PickedUser[]
  try {
    picked = await dd.biz.contact.choose({ multiple: false, title: 'Assign to' })
  } catch (error) {
    return status(`not assigned: ${(error as JsApiError).errorMessage}`)
  }
  const assignee = picked[0]
  if (!assignee) return
  await api('/api/tasks', { title, assigneeId: assignee.emplId, assigneeName: assignee.name })
  byId<HTMLInputElement>('task-title').value = ''
  await refresh()
  await dd.device.notification.toast({ text: `Assigned to ${assignee.name}`, icon: 'success' })
}

async function markDone(task: Task): Promise<void> {
  const { buttonIndex } = await dd.device.notification.confirm({
    title: 'Tasks',
    message: `Mark "${task.title}" done?`,
    buttonLabels: ['Done', 'Cancel'],
  })
  if (buttonIndex !== 0) return status('kept open')
  await api(`/api/tasks/${task.id}/done`, {})
  await refresh()
  status('marked done')
}

byId('assign').addEventListener('click', () => void assign())
start().catch((error: unknown) => status(`could not start: ${String(error)}`))
