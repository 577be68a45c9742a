import { describe, expect, it } from 'vitest'
import { pinyinSyllables } from './contact-keys'

describe('pinyinSyllables', () => {
  it('gives one toneless syllable per Chinese character, surnames read as surnames', () => {
    expect(pinyinSyllables('王爱丽')).toEqual(['wang', 'ai', 'li'])
    expect(pinyinSyllables('单田芳')).toEqual(['shan', 'tian', 'fang'])
  })

  it('keeps other characters as themselves, lower case, one entry each', () => {
    expect(pinyinSyllables('Amy 曹')).toEqual(['a', 'm', 'y', ' ', 'cao'])
    expect(pinyinSyllables('😀王')).toEqual(['😀', 'wang'])
  })
})
