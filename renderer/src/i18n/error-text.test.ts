import { describe, expect, it } from 'vitest'
import { HostError } from '../../../shared/errors'
import { fromErrorPayload, toErrorPayload } from '../../../shared/host-transport'
import { describeError } from '../store/errors'
import { errorText, platformName, signedOutText, uploadErrorText } from './error-text'
import { createI18n } from './i18n'

const zh = createI18n('zh-CN')
const en = createI18n('en')

describe('errors in the UI language', () => {
  it('words an unreachable server at sign-in from its code and address, not the core English', () => {
    const sent = new HostError(
      'UNREACHABLE',
      'cannot connect to 127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1',
      { address: '127.0.0.1:1' },
    )
    const error = describeError(fromErrorPayload(toErrorPayload(sent)))

    expect(errorText(zh.t, error)).toBe(
      '无法连接服务器 127.0.0.1:1。请检查地址，并确认服务器正在运行。',
    )
    expect(errorText(en.t, error)).toMatch(/^Cannot reach the server at 127\.0\.0\.1:1\./)
    expect(error.message).toMatch(/ECONNREFUSED/)
  })

  it('words every HostError code in Chinese', () => {
    expect(errorText(zh.t, { code: 'BOT_MEMBER_REFUSED' })).toBe('应用不能成为群成员。')
    expect(errorText(zh.t, { code: 'UNREACHABLE' })).toBe('无法连接服务器。请检查网络后重试。')
  })

  it('says why the server signed this device out in Chinese', () => {
    expect(signedOutText(zh.t, 'SIGNED_OUT_ELSEWHERE')).toBe(
      '你已退出登录：你在另一台设备上让本设备退出了登录。',
    )
    expect(signedOutText(zh.t, 'DEVICE_RETIRED')).toMatch(/第六台设备/)
  })

  it('words an upload refused for its size from the code and figures', () => {
    const upload = {
      error:
        'big.bin is 2 MiB (2097152 bytes); the server accepts files up to 1 MiB (1048576 bytes)',
      errorCode: 'FILE_TOO_LARGE' as const,
      errorParams: { name: 'big.bin', size: 2_097_152, limit: 1_048_576 },
    }

    const chinese = uploadErrorText(zh.t, 'zh-CN', upload)
    expect(chinese).toMatch(
      /^big\.bin 大小为 .+（2,097,152 字节），服务器只接受不超过 .+（1,048,576 字节）的文件。$/,
    )
    expect(chinese).not.toMatch(/server accepts/)
    expect(uploadErrorText(en.t, 'en', upload)).toBe(
      'big.bin is 2 MiB (2,097,152 bytes); the server accepts files up to 1 MiB (1,048,576 bytes).',
    )
    expect(uploadErrorText(zh.t, 'zh-CN', { error: 'older words', errorCode: 'REFUSED' })).toBe(
      '服务器拒绝了该文件。',
    )
    expect(uploadErrorText(zh.t, 'zh-CN', { error: 'a record from before codes' })).toBe(
      'a record from before codes',
    )
  })

  it('names the device platform in the UI language, and an unknown one as sent', () => {
    expect(platformName(zh.t, 'browser')).toBe('浏览器')
    expect(platformName(en.t, 'darwin')).toBe('macOS')
    expect(platformName(zh.t, 'plan9')).toBe('plan9')
  })
})
