import { describe, expect, it } from 'vitest'
import { planUpdates } from './auto-update'

describe('planUpdates', () => {
  it('checks the configured feed in a packaged app', () => {
    expect(
      planUpdates({
        isPackaged: true,
        settingsFeedUrl: 'https://updates.example.com/tack',
        environmentFeedUrl: 'https://other.example.com',
      }),
    ).toEqual({ check: true, feedUrl: 'https://updates.example.com/tack' })
    expect(
      planUpdates({
        isPackaged: true,
        settingsFeedUrl: null,
        environmentFeedUrl: 'https://u.example',
      }),
    ).toEqual({ check: true, feedUrl: 'https://u.example' })
  })

  it('does not update a development run, nor without an https feed', () => {
    const feed = 'https://updates.example.com/tack'
    expect(
      planUpdates({ isPackaged: false, settingsFeedUrl: feed, environmentFeedUrl: undefined }),
    ).toMatchObject({ check: false })
    expect(
      planUpdates({ isPackaged: true, settingsFeedUrl: null, environmentFeedUrl: undefined }),
    ).toEqual({ check: false, reason: 'no update feed configured' })
    expect(
      planUpdates({
        isPackaged: true,
        settingsFeedUrl: null,
        environmentFeedUrl: 'http://plain.example',
      }),
    ).toMatchObject({ check: false })
  })
})
