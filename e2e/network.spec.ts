// The connection strip's network details: the smart heartbeat's current interval and the
// measured round trip, shown in the diagnostics panel of a signed-in app.
import { expect, test } from '@playwright/test'
import { signIn } from './steps'
import { useStack } from './stack'

const stack = useStack()

test('the network details show the heartbeat interval and the measured round trip', async ({
  page,
}, testInfo) => {
  await test.step('Alice signs in and is online', async () => {
    await signIn(page, await stack().addHost('alice-profile'), 'alice')
  })

  await test.step('she opens the network details under the connection strip', async () => {
    await page.getByTestId('network-details').click()
    const panel = page.getByTestId('network-diagnostics')
    await expect(panel).toHaveAttribute('data-heartbeat-ms', '30000')
    await expect(page.getByTestId('diagnostics-heartbeat')).toHaveText(/^30 s/)
    await expect(page.getByTestId('diagnostics-srtt')).toHaveText(/^\d+ ms$/)
    await page.screenshot({ path: testInfo.outputPath('network-details.png') })
  })

  await test.step('and closes them again', async () => {
    await page.getByTestId('network-details').click()
    await expect(page.getByTestId('network-diagnostics')).toHaveCount(0)
  })
})
