// My signed-in devices, for Settings: fetched when Settings shows them and again whenever the
// device list changes (devicesChanged); signing another device out goes through the HostApi.
import type { DeviceView, HostApi } from '../../../shared/host-api'
import { createLogger } from '../../../shared/logger'
import { coalesce } from './coalesce'
import { describeError, type ErrorInfo } from './errors'
import type { TackSlice } from './store'

const log = createLogger('devices')

export interface DevicesState {
  /** Null until fetched. */
  devices: DeviceView[] | null
  /** The device being signed out, while the request is on its way. */
  signingOutDeviceId: string | null
  devicesError: ErrorInfo | null
}

export interface DevicesActions {
  refreshDevices(): Promise<void>
  signOutDevice(deviceId: string): Promise<void>
}

export type DevicesSlice = DevicesState & DevicesActions

/**
 * A short tag from the device id ("#3f9a") for each device whose name and platform another of my
 * devices shares (two browser profiles on one computer, say), so the list tells them apart.
 */
export function deviceTags(devices: readonly DeviceView[]): Map<string, string> {
  const key = (device: DeviceView) => `${device.platform}\u0000${device.name}`
  const counts = new Map<string, number>()
  for (const device of devices) counts.set(key(device), (counts.get(key(device)) ?? 0) + 1)
  const tags = new Map<string, string>()
  for (const device of devices) {
    if (counts.get(key(device))! > 1) tags.set(device.deviceId, `#${device.deviceId.slice(0, 4)}`)
  }
  return tags
}

export const initialDevicesState: DevicesState = {
  devices: null,
  signingOutDeviceId: null,
  devicesError: null,
}

export function createDevicesSlice(host: HostApi): TackSlice<DevicesSlice> {
  return (set, get) => ({
    ...initialDevicesState,

    refreshDevices: coalesce(async () => {
      if (!get().session) return
      try {
        set({ devices: await host.listDevices({}) })
      } catch (error) {
        log.warn({ err: error }, 'listDevices failed')
      }
    }),

    async signOutDevice(deviceId) {
      set({ signingOutDeviceId: deviceId, devicesError: null })
      try {
        await host.signOutDevice({ deviceId })
        // The list item that follows by sync updates the list; drop the row at once meanwhile.
        set({ devices: (get().devices ?? []).filter((device) => device.deviceId !== deviceId) })
      } catch (error) {
        set({ devicesError: describeError(error) })
      } finally {
        set({ signingOutDeviceId: null })
      }
    },
  })
}
