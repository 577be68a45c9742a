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
