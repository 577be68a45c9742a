import { describe, expect, it, vi } from 'vitest'
import { HostError } from '../../../shared/errors'
import type { DeviceView, HostApi, SessionView } from '../../../shared/host-api'
import { deviceTags } from './devices-slice'
import { createTackStore } from './store'

const session = {
  me: { id: 'u-alice', username: 'alice', name: 'Alice' },
  serverAddress: 'localhost:7443',
} as SessionView

const devices: DeviceView[] = [
  { deviceId: 'here', name: 'Desktop', platform: 'linux', lastSeenAt: 2, current: true },
  { deviceId: 'there', name: 'Laptop', platform: 'darwin', lastSeenAt: 1, current: false },
]

/** A store signed in as Alice on a host that has only the two device requests. */
function signedInStore(signOutDevice: HostApi['signOutDevice']) {
  const host = { listDevices: vi.fn(async () => devices), signOutDevice }
  const store = createTackStore(host as unknown as HostApi)
  store.setState({ session })
  return { host, store }
}

describe('my devices', () => {
  it('lists my devices from the host, and nothing before a sign-in', async () => {
    const { host, store } = signedInStore(vi.fn(async () => undefined))
    expect(store.getState().devices).toBeNull()

    await store.getState().refreshDevices()

    expect(store.getState().devices).toEqual(devices)
    store.setState({ session: null, devices: null })
    await store.getState().refreshDevices()
    expect(host.listDevices).toHaveBeenCalledTimes(1)
  })

  it('signs another device out and drops it from the list at once', async () => {
    const signOutDevice = vi.fn(async () => undefined)
    const { store } = signedInStore(signOutDevice)
    await store.getState().refreshDevices()

    await store.getState().signOutDevice('there')

    expect(signOutDevice).toHaveBeenCalledWith({ deviceId: 'there' })
    expect(store.getState().devices?.map((d) => d.deviceId)).toEqual(['here'])
    expect(store.getState().signingOutDeviceId).toBeNull()
  })

  it('keeps the device and says why when the host refuses', async () => {
    const { store } = signedInStore(
      vi.fn(async () => {
        throw new HostError('UNREACHABLE', 'offline: not connected to the server')
      }),
    )
    await store.getState().refreshDevices()

    await store.getState().signOutDevice('there')

    expect(store.getState().devices).toHaveLength(2)
    expect(store.getState().devicesError).toMatchObject({ code: 'UNREACHABLE' })
  })

  it('tags devices that share a name and platform with a short piece of their id', () => {
    const profile = (deviceId: string, platform = 'browser') => ({
      deviceId,
      name: 'Chromium',
      platform,
      lastSeenAt: 1,
      current: false,
    })
    const tags = deviceTags([
      ...devices,
      profile('3f9a0c1e-aaaa'),
      profile('77b2e4d0-bbbb'),
      profile('c0ffee00-cccc', 'linux'),
    ])
    expect(Object.fromEntries(tags)).toEqual({ '3f9a0c1e-aaaa': '#3f9a', '77b2e4d0-bbbb': '#77b2' })
  })
})
